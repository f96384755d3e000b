/* SPDX-License-Identifier: MIT */
/*
 * Threaded handlers (kernel-semantics 6.3, 6.4, 6.5 and the IRQ_WAKE_THREAD
 * row of section 8): the thread is named irq/<irq>-<name> and runs
 * thread_fn in task context for the line's target vCPU; wake-ups coalesce
 * while a run is pending; IRQF_ONESHOT keeps the line masked from the
 * primary handler until every woken thread_fn has returned, and replays
 * an edge that waited; irq_wake_thread() wakes the matching action only;
 * synchronize_irq(), disable_irq() and free_irq() wait for thread_fn, and
 * free_irq() still honours a run requested before it; IRQ_WAKE_THREAD
 * without a thread function is reported once.
 *
 * The machines have no workers: primary handlers run when the test
 * delivers the line, so only the handler threads run on their own, and
 * they are held with gates where the test needs them in flight.
 */
#include "irq_test_util.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define IRQ 5
#define WAKE USOFTIRQ_IRQ_WAKE_THREAD
#define ONESHOT USOFTIRQ_IRQF_ONESHOT
#define SHARED USOFTIRQ_IRQF_SHARED

static struct usoftirq_machine *stepped(void)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);

	capture_start();
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* A threaded request whose primary handler returns IRQ_WAKE_THREAD. */
static void request_threaded(struct usoftirq_machine *m, struct irq_dev *d,
			     unsigned long flags, const char *name)
{
	irq_dev_init(d, m, IRQ);
	d->primary.ret = WAKE;
	assert_int_equal(usoftirq_request_threaded_irq(m, IRQ, irq_dev_primary,
						       irq_dev_thread, flags,
						       name, d),
			 0);
}

/* Deliver one edge on IRQ (target vCPU 0): the number of runs. */
static int pulse_and_run(struct usoftirq_machine *m)
{
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	return usoftirq_cpu_run_irqs(m, 0);
}

/* ------------------------------------------------------------------ */
/* The thread                                                          */
/* ------------------------------------------------------------------ */

/* 6.2, 6.3: the thread exists, named irq/<irq>-<name> (truncated to the
 * 15 characters of a thread name, as a kthread's comm), when the request
 * returns; thread_fn runs in task context (preempt_count 0, interrupts
 * on, may sleep) on that thread, for the line's target vCPU; free_irq()
 * makes the thread exit. */
static void test_thread_is_named_and_runs_in_task_context(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d, longer;

	(void)state;
	request_threaded(m, &d, 0, "mydev");
	assert_int_equal(threads_named("irq/5-mydev"), 1);
	assert_int_equal(usoftirq_irq_set_affinity(m, IRQ, 1), 0);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 1), 1);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	assert_int_equal(irq_probe_finished(&d.thread), 1);
	assert_int_equal(d.thread.run[0].irq, IRQ);
	assert_int_not_equal(d.thread.run[0].tid, gettid());
	assert_int_equal(d.thread.run[0].preempt_count, 0);
	assert_true(d.thread.run[0].in_task);
	assert_false(d.thread.run[0].in_hardirq);
	assert_false(d.thread.run[0].irqs_disabled);
	assert_int_equal(d.thread.run[0].cpu, 1);
	assert_true(d.primary.run[0].exit_seq < d.thread.run[0].enter_seq);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "mydev");
	assert_int_equal(threads_named("irq/5-mydev"), 0);

	request_threaded(m, &longer, 0, "averylongdevicename");
	assert_int_equal(threads_named("irq/5-averylong"), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &longer),
			    "averylongdevicename");
	assert_int_equal(threads_named("irq/5-averylong"), 0);
	assert_int_equal(captured_total(), 0);
	irq_dev_destroy(&d);
	irq_dev_destroy(&longer);
	finish(m);
}

/* 6.3: wake-ups coalesce like a tasklet's SCHED: primary runs that ask
 * for the thread while a run is already pending add nothing, so three
 * more interrupts during a gated thread_fn make exactly one more run. */
static void test_thread_wakeups_coalesce(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	request_threaded(m, &d, 0, "coal");
	d.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&d.thread.entered);
	for (int i = 0; i < 3; i++)
		assert_int_equal(pulse_and_run(m), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 4);
	assert_int_equal(irq_probe_started(&d.thread), 1);
	gate_open(&d.thread.release);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.thread), 2);
	assert_int_equal(d.thread.max_inside, 1);
	assert_true(d.thread.run[0].exit_seq < d.thread.run[1].enter_seq);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "coal");
	assert_int_equal(irq_probe_finished(&d.thread), 2);
	irq_dev_destroy(&d);
	finish(m);
}

/* 6.2, 6.4: handler == NULL with IRQF_ONESHOT installs the default
 * primary, which only wakes the thread. */
static void test_default_primary_wakes_the_thread(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	assert_int_equal(usoftirq_request_threaded_irq(m, IRQ, NULL,
						       irq_dev_thread, ONESHOT,
						       "dflt", &d),
			 0);
	assert_int_equal(pulse_and_run(m), 1);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.thread), 1);
	assert_int_equal(irq_stats(m, IRQ).unhandled, 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "dflt");
	irq_dev_destroy(&d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* IRQF_ONESHOT                                                        */
/* ------------------------------------------------------------------ */

/* 6.4: with IRQF_ONESHOT the line stays masked from the primary handler
 * until thread_fn returns: an edge in between runs nothing and waits;
 * when thread_fn returns the line is unmasked and the edge replayed once.
 * Without ONESHOT the same edge runs the primary at once. */
static void test_oneshot_masks_line_until_thread_returns(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_irq_stats st;
	struct irq_dev d;

	(void)state;
	request_threaded(m, &d, ONESHOT, "one");
	d.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&d.thread.entered);
	assert_int_equal(pulse_and_run(m), 0);
	assert_int_equal(pulse_and_run(m), 0);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pending, 1);
	assert_int_equal(st.consumed, 1);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	gate_open(&d.thread.release);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 2);
	assert_true(d.thread.run[0].exit_seq < d.primary.run[1].enter_seq);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.thread), 2);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pulses, 3);
	assert_int_equal(st.consumed, 2);
	assert_int_equal(st.coalesced, 1);
	assert_true(irq_books_balance(&st));
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "one");
	irq_dev_destroy(&d);

	request_threaded(m, &d, 0, "notone");
	d.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&d.thread.entered);
	assert_int_equal(pulse_and_run(m), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 2);
	gate_open(&d.thread.release);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "notone");
	irq_dev_destroy(&d);
	finish(m);
}

/* 6.4 (irq_finalize_oneshot): on a shared ONESHOT line the line is
 * unmasked only when the last woken thread_fn has returned. The first
 * thread is seen back asleep (its whole finish done) while the second
 * still runs, and the line is still masked then. */
static void test_oneshot_shared_line_waits_for_every_thread(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev a, b;
	uintptr_t gate_word;

	(void)state;
	request_threaded(m, &a, SHARED | ONESHOT, "a");
	request_threaded(m, &b, SHARED | ONESHOT, "b");
	a.thread.gated = 1;
	b.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&a.thread.entered);
	gate_pass(&b.thread.entered);
	gate_word = wait_futex_blocked(a.thread.run[0].tid, 0);
	gate_open(&a.thread.release);
	(void)wait_futex_blocked(a.thread.run[0].tid, gate_word);
	assert_int_equal(irq_probe_finished(&a.thread), 1);
	assert_int_equal(pulse_and_run(m), 0);
	assert_int_equal(irq_stats(m, IRQ).pending, 1);
	gate_open(&b.thread.release);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 2);
	assert_int_equal(irq_probe_finished(&b.primary), 2);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&a.thread), 2);
	assert_int_equal(irq_probe_finished(&b.thread), 2);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	assert_string_equal(usoftirq_free_irq(m, IRQ, &b), "b");
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* irq_wake_thread()                                                   */
/* ------------------------------------------------------------------ */

/* 6.5: irq_wake_thread(irq, dev_id) wakes the thread of the action with
 * that dev_id, as if its primary had returned IRQ_WAKE_THREAD, without any
 * primary handler running; an unknown dev_id wakes nobody. */
static void test_irq_wake_thread_wakes_matching_action(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev a, b, stranger;

	(void)state;
	irq_dev_init(&stranger, m, IRQ);
	request_threaded(m, &a, SHARED, "a");
	request_threaded(m, &b, SHARED, "b");
	usoftirq_irq_wake_thread(m, IRQ, &b);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&b.thread), 1);
	assert_int_equal(irq_probe_finished(&a.thread), 0);
	assert_int_equal(irq_probe_started(&a.primary), 0);
	assert_int_equal(irq_probe_started(&b.primary), 0);
	usoftirq_irq_wake_thread(m, IRQ, &stranger);
	usoftirq_irq_wake_thread(m, IRQ, &a);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&a.thread), 1);
	assert_int_equal(irq_probe_finished(&b.thread), 1);
	assert_int_equal(irq_stats(m, IRQ).runs, 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	assert_string_equal(usoftirq_free_irq(m, IRQ, &b), "b");
	assert_int_equal(captured_total(), 0);
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	irq_dev_destroy(&stranger);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Waiting for the thread                                              */
/* ------------------------------------------------------------------ */

/* 6.5: synchronize_irq() sleeps until no threaded handler is active. */
static void test_synchronize_irq_waits_for_thread(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_call c;
	struct irq_dev d;

	(void)state;
	request_threaded(m, &d, 0, "sync");
	d.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&d.thread.entered);
	irq_call_start_blocked(&c, IRQ_CALL_SYNCHRONIZE, m, IRQ, NULL);
	assert_false(bg_call_returned(&c.call));
	gate_open(&d.thread.release);
	irq_call_join(&c);
	assert_true(c.call_seq < d.thread.run[0].exit_seq);
	assert_true(d.thread.run[0].exit_seq < c.return_seq);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "sync");
	irq_dev_destroy(&d);
	finish(m);
}

/* 6.5: disable_irq() waits for the threaded handler too. */
static void test_disable_irq_waits_for_thread(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_call c;
	struct irq_dev d;

	(void)state;
	request_threaded(m, &d, 0, "dis");
	d.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&d.thread.entered);
	irq_call_start_blocked(&c, IRQ_CALL_DISABLE, m, IRQ, NULL);
	gate_open(&d.thread.release);
	irq_call_join(&c);
	assert_true(d.thread.run[0].exit_seq < c.return_seq);
	assert_int_equal(pulse_and_run(m), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "dis");
	assert_int_equal(irq_probe_finished(&d.thread), 2);
	irq_dev_destroy(&d);
	finish(m);
}

/* 6.3, 6.5: free_irq() waits for a running thread_fn, still lets a run
 * requested before it happen (the kernel's irq_thread honours a pending
 * RUNTHREAD on stop), stops the thread, and returns the name. */
static void test_free_irq_waits_for_thread_and_pending_run(void **state)
{
	struct usoftirq_machine *m = stepped();
	static const char name[] = "freed";
	struct irq_call c;
	struct irq_dev d;

	(void)state;
	request_threaded(m, &d, 0, name);
	d.thread.gated = 1;
	assert_int_equal(pulse_and_run(m), 1);
	gate_pass(&d.thread.entered);
	assert_int_equal(pulse_and_run(m), 1);
	irq_call_start_blocked(&c, IRQ_CALL_FREE, m, IRQ, &d);
	assert_false(bg_call_returned(&c.call));
	gate_open(&d.thread.release);
	irq_call_join(&c);
	assert_ptr_equal(c.result, name);
	assert_int_equal(irq_probe_finished(&d.thread), 2);
	assert_true(c.call_seq < d.thread.run[0].exit_seq);
	assert_true(d.thread.run[1].exit_seq < c.return_seq);
	assert_int_equal(threads_named("irq/5-freed"), 0);
	assert_int_equal(captured_total(), 0);
	irq_dev_destroy(&d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Misuse                                                              */
/* ------------------------------------------------------------------ */

/* 6.3 (warn_no_thread) and section 8: a primary returning IRQ_WAKE_THREAD
 * on an action without thread_fn prints "IRQ %d device %s returned
 * IRQ_WAKE_THREAD but no thread function available." once per action. */
static void test_wake_thread_without_thread_fn_warns_once(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	d.primary.ret = WAKE;
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary, 0,
					      "nothr", &d),
			 0);
	assert_int_equal(pulse_and_run(m), 1);
	assert_int_equal(pulse_and_run(m), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_WAKE_THREAD_NO_THREAD),
			 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_WAKE_THREAD_NO_THREAD, 0),
		"IRQ 5 device nothr returned IRQ_WAKE_THREAD but no thread "
		"function available.");
	assert_int_equal(irq_probe_finished(&d.primary), 2);
	assert_int_equal(captured_total(), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "nothr");
	irq_dev_destroy(&d);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_is_named_and_runs_in_task_context),
		cmocka_unit_test(test_thread_wakeups_coalesce),
		cmocka_unit_test(test_default_primary_wakes_the_thread),
		cmocka_unit_test(test_oneshot_masks_line_until_thread_returns),
		cmocka_unit_test(
			test_oneshot_shared_line_waits_for_every_thread),
		cmocka_unit_test(test_irq_wake_thread_wakes_matching_action),
		cmocka_unit_test(test_synchronize_irq_waits_for_thread),
		cmocka_unit_test(test_disable_irq_waits_for_thread),
		cmocka_unit_test(
			test_free_irq_waits_for_thread_and_pending_run),
		cmocka_unit_test(test_wake_thread_without_thread_fn_warns_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
