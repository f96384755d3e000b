/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines (kernel-semantics 4.6, 6.1, 6.3, 6.5): handlers run in
 * hardirq context on the line's target vCPU; edges coalesce while pending
 * and one arriving during a run makes exactly one more run; disable_irq()
 * nests and the last enable_irq() replays a waiting edge once; a level
 * line runs again while asserted and not once deasserted;
 * synchronize_irq() and disable_irq() wait for a handler in flight,
 * disable_irq_nosync() does not; the waits a handler would make on itself
 * are reported; bad line numbers are refused.
 *
 * Most tests use a machine without workers, where the test delivers lines
 * itself (usoftirq_cpu_run_irqs()) and every count is exact. Tests about
 * the worker that runs a handler, or about waiting for one in flight, use
 * workers and hold the handler with a gate.
 */
#include "irq_test_util.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define IRQ 5

static struct usoftirq_machine *stepped(void)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);

	capture_start();
	return m;
}

static struct usoftirq_machine *with_workers(void)
{
	struct usoftirq_machine *m = test_machine(2, 0);

	capture_start();
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

static void request(struct usoftirq_machine *m, struct irq_dev *d)
{
	irq_dev_init(d, m, IRQ);
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, irq_dev_primary, 0, "line", d), 0);
}

static void release(struct usoftirq_machine *m, struct irq_dev *d)
{
	assert_string_equal(usoftirq_free_irq(m, IRQ, d), "line");
	irq_dev_destroy(d);
}

/* ------------------------------------------------------------------ */
/* Context                                                             */
/* ------------------------------------------------------------------ */

static _Atomic bool seen_in_interrupt;
static _Atomic unsigned int seen_level;

static void record_context(struct irq_probe *p, int run)
{
	(void)p;
	(void)run;
	atomic_store(&seen_in_interrupt, usoftirq_in_interrupt());
	atomic_store(&seen_level, usoftirq_interrupt_context_level());
}

/* 4.6, 6.3: a handler runs with HARDIRQ_OFFSET in preempt_count (and
 * nothing else, when it interrupted task context), in_hardirq(),
 * in_interrupt(), not in_task(), interrupt context level 2, interrupts
 * disabled, and smp_processor_id() is the line's target vCPU. All of it
 * is undone when the handler returns. */
static void test_handler_runs_in_hardirq_context(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.hook = record_context;
	assert_int_equal(usoftirq_irq_set_affinity(m, IRQ, 1), 0);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 1), 1);
	assert_int_equal(d.primary.run[0].irq, IRQ);
	assert_int_equal(d.primary.run[0].cpu, 1);
	assert_int_equal(d.primary.run[0].tid, gettid());
	assert_int_equal(d.primary.run[0].preempt_count,
			 USOFTIRQ_HARDIRQ_OFFSET);
	assert_true(d.primary.run[0].in_hardirq);
	assert_false(d.primary.run[0].in_task);
	assert_true(d.primary.run[0].irqs_disabled);
	assert_true(seen_in_interrupt);
	assert_int_equal(seen_level, 2);
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_false(usoftirq_irqs_disabled());
	assert_true(usoftirq_in_task());
	release(m, &d);
	finish(m);
}

/* 6.5 (irq_set_affinity): the handler runs on the worker of the target
 * vCPU, vCPU 0 unless set otherwise, with smp_processor_id() that vCPU;
 * an idle worker adds only HARDIRQ_OFFSET. The per-vCPU counts follow. */
static void test_affinity_selects_the_vcpu_and_its_worker(void **state)
{
	struct usoftirq_machine *m = with_workers();
	struct irq_dev d;

	(void)state;
	request(m, &d);
	assert_int_equal(usoftirq_irq_get_affinity(m, IRQ), 0);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	irq_probe_wait_finished(&d.primary, 1);
	assert_int_equal(d.primary.run[0].cpu, 0);
	assert_int_equal(d.primary.run[0].tid,
			 usoftirq_machine_worker_tid(m, 0));
	assert_int_equal(d.primary.run[0].preempt_count,
			 USOFTIRQ_HARDIRQ_OFFSET);

	/* An edge arriving before the run on vCPU 0 has fully ended would
	 * be run there (edge flow); wait for its end first. */
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(usoftirq_irq_set_affinity(m, IRQ, 1), 0);
	assert_int_equal(usoftirq_irq_get_affinity(m, IRQ), 1);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	irq_probe_wait_finished(&d.primary, 2);
	assert_int_equal(d.primary.run[1].cpu, 1);
	assert_int_equal(d.primary.run[1].tid,
			 usoftirq_machine_worker_tid(m, 1));
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(usoftirq_irq_stat(m, IRQ, 0), 1);
	assert_int_equal(usoftirq_irq_stat(m, IRQ, 1), 1);
	assert_int_equal(irq_stats(m, IRQ).runs, 2);

	assert_int_equal(usoftirq_irq_set_affinity(m, IRQ, 2), -EINVAL);
	assert_int_equal(usoftirq_irq_set_affinity(m, 0, 0), -EINVAL);
	assert_int_equal(usoftirq_irq_get_affinity(m, 0), -EINVAL);
	assert_int_equal(usoftirq_irq_get_affinity(m, IRQ), 1);
	assert_int_equal(captured_total(), 0);
	release(m, &d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Edges                                                               */
/* ------------------------------------------------------------------ */

/* Edge flow (handle_edge_irq): edges that arrive before the handler runs
 * coalesce into one run; the books count the others as coalesced. */
static void test_edges_coalesce_until_handled(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_irq_stats st;
	struct irq_dev d;

	(void)state;
	request(m, &d);
	for (int i = 0; i < 3; i++)
		assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pulses, 3);
	assert_int_equal(st.coalesced, 2);
	assert_int_equal(st.pending, 1);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pulses, 3);
	assert_int_equal(st.coalesced, 2);
	assert_int_equal(st.consumed, 1);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.runs, 1);
	assert_true(irq_books_balance(&st));
	release(m, &d);
	finish(m);
}

static void pulse_own_line_thrice(struct irq_probe *p, int run)
{
	struct irq_dev *d = (struct irq_dev *)(void *)p;

	if (run != 0)
		return;
	for (int i = 0; i < 3; i++)
		(void)usoftirq_irq_pulse(d->m, d->irq);
}

/* Edge flow: edges arriving while the handler runs make exactly one more
 * run, after it returns, never a concurrent one. */
static void test_edges_during_a_run_make_one_more_run(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_irq_stats st;
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.hook = pulse_own_line_thrice;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 2);
	assert_int_equal(irq_probe_finished(&d.primary), 2);
	assert_int_equal(d.primary.max_inside, 1);
	assert_true(d.primary.run[0].exit_seq < d.primary.run[1].enter_seq);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pulses, 4);
	assert_int_equal(st.coalesced, 2);
	assert_int_equal(st.consumed, 2);
	assert_int_equal(st.runs, 2);
	assert_true(irq_books_balance(&st));
	release(m, &d);
	finish(m);
}

/* 6.5: disable_irq() nests with disable_irq_nosync(); edges arriving while
 * the line is disabled wait, and the final enable_irq() replays them once
 * (check_irq_resend); an extra enable is "Unbalanced enable for IRQ %d". */
static void test_disable_nests_and_final_enable_replays_once(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_irq_stats st;
	struct irq_dev d;

	(void)state;
	request(m, &d);
	usoftirq_disable_irq(m, IRQ);
	usoftirq_disable_irq_nosync(m, IRQ);
	for (int i = 0; i < 3; i++)
		assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pending, 1);
	assert_int_equal(st.consumed, 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pulses, 3);
	assert_int_equal(st.coalesced, 2);
	assert_int_equal(st.consumed, 1);
	assert_true(irq_books_balance(&st));
	assert_int_equal(captured_total(), 0);

	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE,
					  0),
			    "Unbalanced enable for IRQ 5");
	/* Still enabled once, not "more enabled". */
	usoftirq_disable_irq_nosync(m, IRQ);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(captured_total(), 1);
	release(m, &d);
	finish(m);
}

static void disable_own_line_nosync(struct irq_probe *p, int run)
{
	struct irq_dev *d = (struct irq_dev *)(void *)p;

	if (run == 0)
		usoftirq_disable_irq_nosync(d->m, d->irq);
}

/* 6.5: disable_irq_nosync() may be called from the line's own handler;
 * edges after it wait for enable_irq(). */
static void test_disable_nosync_from_own_handler(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.hook = disable_own_line_nosync;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 2);
	assert_int_equal(captured_total(), 0);
	release(m, &d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Levels                                                              */
/* ------------------------------------------------------------------ */

static void deassert_on_third_run(struct irq_probe *p, int run)
{
	struct irq_dev *d = (struct irq_dev *)(void *)p;

	if (run == 2)
		(void)usoftirq_irq_set_level(d->m, d->irq, false);
}

static void deassert_on_first_run(struct irq_probe *p, int run)
{
	struct irq_dev *d = (struct irq_dev *)(void *)p;

	if (run == 0)
		(void)usoftirq_irq_set_level(d->m, d->irq, false);
}

/* Level flow (handle_level_irq): the handlers run again, after they
 * return, for as long as the level stays asserted; once deasserted the
 * line is not delivered again. Levels are not edges: no pulse is
 * counted. */
static void test_level_runs_while_asserted(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_irq_stats st;
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.hook = deassert_on_third_run;
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, true), 0);
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, true), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 3);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	assert_int_equal(irq_probe_finished(&d.primary), 3);
	assert_int_equal(d.primary.max_inside, 1);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pulses, 0);
	assert_int_equal(st.consumed, 0);
	assert_int_equal(st.runs, 3);

	/* Asserted and deasserted before delivery: nothing runs. */
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, true), 0);
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, false), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	assert_int_equal(irq_probe_finished(&d.primary), 3);
	assert_int_equal(captured_total(), 0);
	release(m, &d);
	finish(m);
}

/* 6.5: enable_irq() does not replay a level in software: a level that
 * came and went while the line was disabled is not delivered, one still
 * asserted at the enable is. */
static void test_level_not_replayed_once_deasserted(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.hook = deassert_on_first_run;
	usoftirq_disable_irq_nosync(m, IRQ);
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, true), 0);
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, false), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	assert_int_equal(irq_probe_started(&d.primary), 0);

	usoftirq_disable_irq_nosync(m, IRQ);
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, true), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	release(m, &d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Waiting for a handler in flight                                     */
/* ------------------------------------------------------------------ */

/* Start a handler run on a worker and hold it inside the handler. */
static void hold_handler(struct usoftirq_machine *m, struct irq_dev *d)
{
	request(m, d);
	d->primary.gated = 1;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	gate_pass(&d->primary.entered);
}

/* 6.5: synchronize_irq() called while a handler runs returns only after
 * that handler has returned. */
static void test_synchronize_irq_waits_for_running_handler(void **state)
{
	struct usoftirq_machine *m = with_workers();
	struct irq_call c;
	struct irq_dev d;

	(void)state;
	hold_handler(m, &d);
	irq_call_start_blocked(&c, IRQ_CALL_SYNCHRONIZE, m, IRQ, NULL);
	assert_false(bg_call_returned(&c.call));
	gate_open(&d.primary.release);
	irq_call_join(&c);
	assert_true(c.call_seq < d.primary.run[0].exit_seq);
	assert_true(d.primary.run[0].exit_seq < c.return_seq);
	assert_int_equal(captured_total(), 0);
	release(m, &d);
	finish(m);
}

/* 6.5: disable_irq() disables at once and then waits for the handler in
 * flight; edges after it wait for enable_irq(), which replays them. */
static void test_disable_irq_waits_for_running_handler(void **state)
{
	struct usoftirq_machine *m = with_workers();
	struct irq_call c;
	struct irq_dev d;

	(void)state;
	hold_handler(m, &d);
	irq_call_start_blocked(&c, IRQ_CALL_DISABLE, m, IRQ, NULL);
	assert_false(bg_call_returned(&c.call));
	gate_open(&d.primary.release);
	irq_call_join(&c);
	assert_true(d.primary.run[0].exit_seq < c.return_seq);

	/* Disabled: a new edge is not even sent to the worker. */
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(irq_stats(m, IRQ).pending, 1);
	assert_int_equal(irq_probe_started(&d.primary), 1);
	usoftirq_enable_irq(m, IRQ);
	irq_probe_wait_finished(&d.primary, 2);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_stats(m, IRQ).consumed, 2);
	assert_int_equal(captured_total(), 0);
	release(m, &d);
	finish(m);
}

/* 6.5: disable_irq_nosync() returns while the handler is still running;
 * the run in flight completes, later edges wait. */
static void test_disable_irq_nosync_does_not_wait(void **state)
{
	struct usoftirq_machine *m = with_workers();
	struct irq_dev d;

	(void)state;
	hold_handler(m, &d);
	usoftirq_disable_irq_nosync(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.primary), 0);
	gate_open(&d.primary.release);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(irq_probe_started(&d.primary), 1);
	usoftirq_enable_irq(m, IRQ);
	irq_probe_wait_finished(&d.primary, 2);
	release(m, &d);
	finish(m);
}

static void wait_on_own_line(struct irq_probe *p, int run)
{
	struct irq_dev *d = (struct irq_dev *)(void *)p;

	if (run != 0)
		return;
	usoftirq_synchronize_irq(d->m, d->irq);
	usoftirq_disable_irq(d->m, d->irq);
}

/* 6.5: synchronize_irq() and disable_irq() from the line's own handler
 * would wait for themselves forever (the kernel hangs); usoftirq reports
 * each and returns, and disable_irq() still disabled the line. */
static void test_waits_on_own_line_are_reported(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.hook = wait_on_own_line;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_SELF_WAIT), 2);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_SELF_WAIT, 0),
		"synchronize_irq(5) called from a handler of IRQ 5 would wait "
		"for that handler to finish, which never happens; returning "
		"without waiting");
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_SELF_WAIT, 1),
		"disable_irq(5) called from a handler of IRQ 5 would wait for "
		"that handler to finish, which never happens; returning "
		"without waiting");
	assert_int_equal(captured_total(), 2);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	release(m, &d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Books and arguments                                                 */
/* ------------------------------------------------------------------ */

/* 6.1: a run in which every handler returned IRQ_NONE is unhandled. */
static void test_unhandled_runs_are_counted(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	request(m, &d);
	d.primary.ret = USOFTIRQ_IRQ_NONE;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
		assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	}
	d.primary.ret = USOFTIRQ_IRQ_HANDLED;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(irq_stats(m, IRQ).runs, 4);
	assert_int_equal(irq_stats(m, IRQ).unhandled, 3);
	assert_int_equal(captured_total(), 0);
	release(m, &d);
	finish(m);
}

/* Lines are 1..nr_irqs and vCPUs 0..ncpus-1; anything else is -EINVAL;
 * cpu_run_irqs() is for machines without workers. */
static void test_bad_lines_and_vcpus_are_refused(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_machine *w = test_machine(1, 0);
	unsigned int past = usoftirq_machine_nr_irqs(m) + 1;
	struct usoftirq_irq_stats st;

	(void)state;
	assert_int_equal(usoftirq_irq_pulse(m, 0), -EINVAL);
	assert_int_equal(usoftirq_irq_pulse(m, past), -EINVAL);
	assert_int_equal(usoftirq_irq_set_level(m, past, true), -EINVAL);
	assert_int_equal(usoftirq_irq_get_stats(m, past, &st), -EINVAL);
	assert_int_equal(usoftirq_irq_get_stats(m, IRQ, NULL), -EINVAL);
	assert_int_equal(usoftirq_irq_set_type(m, past, 0), -EINVAL);
	assert_int_equal(usoftirq_irq_set_type(m, IRQ, 0x10), -EINVAL);
	assert_int_equal(usoftirq_irq_stat(m, past, 0), 0);
	assert_int_equal(usoftirq_irq_stat(m, IRQ, 2), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 2), -EINVAL);
	assert_int_equal(usoftirq_cpu_run_irqs(w, 0), -EINVAL);
	assert_int_equal(usoftirq_machine_irq_signal(m), 0);
	assert_true(usoftirq_machine_irq_signal(w) ==
		    SIGRTMIN + USOFTIRQ_IRQ_SIGNAL_OFFSET);
	assert_int_equal(captured_total(), 0);
	usoftirq_machine_destroy(w);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handler_runs_in_hardirq_context),
		cmocka_unit_test(test_affinity_selects_the_vcpu_and_its_worker),
		cmocka_unit_test(test_edges_coalesce_until_handled),
		cmocka_unit_test(test_edges_during_a_run_make_one_more_run),
		cmocka_unit_test(
			test_disable_nests_and_final_enable_replays_once),
		cmocka_unit_test(test_disable_nosync_from_own_handler),
		cmocka_unit_test(test_level_runs_while_asserted),
		cmocka_unit_test(test_level_not_replayed_once_deasserted),
		cmocka_unit_test(
			test_synchronize_irq_waits_for_running_handler),
		cmocka_unit_test(test_disable_irq_waits_for_running_handler),
		cmocka_unit_test(test_disable_irq_nosync_does_not_wait),
		cmocka_unit_test(test_waits_on_own_line_are_reported),
		cmocka_unit_test(test_unhandled_runs_are_counted),
		cmocka_unit_test(test_bad_lines_and_vcpus_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
