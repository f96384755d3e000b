/* SPDX-License-Identifier: MIT */
/*
 * Softirqs and tasklets raised by hardirq handlers run where the kernel's
 * irq_exit() would run them (kernel-semantics 4.3, 2.2): on the way out of
 * the interrupt on the target vCPU when it was idle; in the next pass,
 * after the interrupted callback, when a softirq or tasklet was running;
 * at local_bh_enable() when a BH-disabled section held the vCPU; and, on a
 * machine without workers, right after the handlers in the thread that
 * delivered the line.
 *
 * Softirq handlers take no argument, so the vectors used here record what
 * they saw in file-scope probes reset by every test.
 */
#include "irq_test_util.h"

#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define IRQ 5
#define TIMER USOFTIRQ_TIMER_SOFTIRQ
#define NET_RX USOFTIRQ_NET_RX_SOFTIRQ
#define HARDIRQ_IN_SOFTIRQ (USOFTIRQ_HARDIRQ_OFFSET | USOFTIRQ_SOFTIRQ_OFFSET)

/* ------------------------------------------------------------------ */
/* Softirq vectors that record their runs                              */
/* ------------------------------------------------------------------ */

#define VEC_MAX_RUNS 4

struct vec_run {
	unsigned int cpu;
	int tid;
	unsigned int preempt_count;
	unsigned long enter_seq, exit_seq;
};

struct vec_probe {
	int gated; /* the first @gated runs wait for @release */
	struct gate entered, release, done;
	_Atomic int started, finished, inside, max_inside;
	struct vec_run run[VEC_MAX_RUNS];
};

static struct vec_probe timer_probe, net_rx_probe;

static void vec_probe_init(struct vec_probe *v)
{
	memset(v, 0, sizeof(*v));
	gate_init(&v->entered, "entered");
	gate_init(&v->release, "release");
	gate_init(&v->done, "done");
}

static void vec_probe_destroy(struct vec_probe *v)
{
	gate_destroy(&v->entered);
	gate_destroy(&v->release);
	gate_destroy(&v->done);
}

static void vec_probe_run(struct vec_probe *v)
{
	int n = atomic_fetch_add(&v->started, 1);
	int inside = atomic_fetch_add(&v->inside, 1) + 1;

	if (inside > atomic_load(&v->max_inside))
		atomic_store(&v->max_inside, inside);
	if (n < VEC_MAX_RUNS)
		v->run[n] = (struct vec_run){
			.cpu = usoftirq_smp_processor_id(),
			.tid = (int)gettid(),
			.preempt_count = usoftirq_preempt_count(),
			.enter_seq = test_seq(),
		};
	if (n < v->gated) {
		gate_open(&v->entered);
		gate_pass(&v->release);
	}
	if (n < VEC_MAX_RUNS)
		v->run[n].exit_seq = test_seq();
	atomic_fetch_sub(&v->inside, 1);
	atomic_fetch_add_explicit(&v->finished, 1, memory_order_release);
	gate_open(&v->done);
}

static void timer_action(void)
{
	vec_probe_run(&timer_probe);
}

static void net_rx_action(void)
{
	vec_probe_run(&net_rx_probe);
}

static int vec_finished(struct vec_probe *v)
{
	return atomic_load_explicit(&v->finished, memory_order_acquire);
}

/* ------------------------------------------------------------------ */
/* Machines and handlers                                               */
/* ------------------------------------------------------------------ */

static struct usoftirq_machine *machine(unsigned int flags)
{
	struct usoftirq_machine *m = test_machine(2, flags);

	vec_probe_init(&timer_probe);
	vec_probe_init(&net_rx_probe);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, timer_action), 0);
	assert_int_equal(usoftirq_open_softirq(m, NET_RX, net_rx_action), 0);
	capture_start();
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	capture_stop();
	assert_int_equal(captured_total(), 0);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
	vec_probe_destroy(&timer_probe);
	vec_probe_destroy(&net_rx_probe);
}

static void raise_timer(struct irq_probe *p, int run)
{
	(void)p;
	(void)run;
	usoftirq_raise_softirq(TIMER);
}

static void raise_net_rx(struct irq_probe *p, int run)
{
	(void)p;
	(void)run;
	usoftirq_raise_softirq(NET_RX);
}

static void request(struct usoftirq_machine *m, struct irq_dev *d,
		    irq_hook_fn hook, unsigned int cpu)
{
	irq_dev_init(d, m, IRQ);
	d->primary.hook = hook;
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, irq_dev_primary, 0, "line", d), 0);
	assert_int_equal(usoftirq_irq_set_affinity(m, IRQ, cpu), 0);
}

static void release(struct usoftirq_machine *m, struct irq_dev *d)
{
	assert_string_equal(usoftirq_free_irq(m, IRQ, d), "line");
	irq_dev_destroy(d);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

/* 4.3 (irq_exit), stepping: usoftirq_cpu_run_irqs() runs the handlers in
 * hardirq context, then the softirq they raised, in the same thread, on
 * the same vCPU, in softirq context, after the handler returned. */
static void test_stepped_delivery_runs_raised_softirq_on_exit(void **state)
{
	struct usoftirq_machine *m = machine(USOFTIRQ_MACHINE_NO_WORKERS);
	struct irq_dev d;

	(void)state;
	request(m, &d, raise_timer, 1);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 1), 1);
	assert_int_equal(vec_finished(&timer_probe), 1);
	assert_int_equal(timer_probe.run[0].tid, gettid());
	assert_int_equal(timer_probe.run[0].cpu, 1);
	assert_int_equal(timer_probe.run[0].preempt_count,
			 USOFTIRQ_SOFTIRQ_OFFSET);
	assert_true(d.primary.run[0].exit_seq < timer_probe.run[0].enter_seq);
	assert_int_equal(usoftirq_softirq_stat(m, 1, TIMER), 1);
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), 0);
	release(m, &d);
	finish(m);
}

/* 4.3: an interrupt that finds its vCPU idle runs the softirqs its handler
 * raised on the way out, on that vCPU's worker, in softirq context. */
static void test_idle_vcpu_runs_raised_softirq_after_handler(void **state)
{
	struct usoftirq_machine *m = machine(0);
	struct irq_dev d;

	(void)state;
	request(m, &d, raise_timer, 1);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	gate_pass(&timer_probe.done);
	assert_int_equal(vec_finished(&timer_probe), 1);
	assert_int_equal(d.primary.run[0].tid,
			 usoftirq_machine_worker_tid(m, 1));
	assert_int_equal(timer_probe.run[0].tid,
			 usoftirq_machine_worker_tid(m, 1));
	assert_int_equal(timer_probe.run[0].cpu, 1);
	assert_int_equal(timer_probe.run[0].preempt_count,
			 USOFTIRQ_SOFTIRQ_OFFSET);
	assert_true(d.primary.run[0].exit_seq < timer_probe.run[0].enter_seq);
	usoftirq_machine_quiesce(m);
	assert_int_equal(usoftirq_softirq_stat(m, 1, TIMER), 1);
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), 0);
	release(m, &d);
	finish(m);
}

static struct probe *second_tasklet;

static void schedule_second_tasklet(struct irq_probe *p, int run)
{
	(void)p;
	(void)run;
	usoftirq_tasklet_schedule(&second_tasklet->t);
}

/* 4.3, 2.2: a hardirq that interrupts a running tasklet on the same vCPU
 * runs on top of it (preempt_count HARDIRQ_OFFSET + SOFTIRQ_OFFSET); the
 * tasklet its handler schedules does not run inside the interrupt nor
 * before the interrupted tasklet has returned: it runs next, on the same
 * vCPU and worker. */
static void test_hardirq_in_tasklet_schedules_for_next_pass(void **state)
{
	struct usoftirq_machine *m = machine(0);
	struct probe first, second;
	int worker0;
	struct irq_dev d;

	(void)state;
	worker0 = usoftirq_machine_worker_tid(m, 0);
	probe_init(&first, 1);
	probe_init(&second, 0);
	second_tasklet = &second;
	request(m, &d, schedule_second_tasklet, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&first.t);
	gate_pass(&first.entered);

	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	irq_probe_wait_finished(&d.primary, 1);
	assert_int_equal(d.primary.run[0].tid, worker0);
	assert_int_equal(first.run[0].tid, worker0);
	assert_int_equal(d.primary.run[0].preempt_count, HARDIRQ_IN_SOFTIRQ);
	assert_true(first.run[0].enter_seq < d.primary.run[0].enter_seq);
	assert_int_equal(probe_started(&second), 0);
	assert_true(tasklet_state(&second.t) & TEST_TASKLET_SCHED);

	gate_open(&first.release);
	gate_pass(&second.done);
	assert_int_equal(probe_finished(&first), 1);
	assert_true(d.primary.run[0].exit_seq < first.run[0].exit_seq);
	assert_true(first.run[0].exit_seq < second.run[0].enter_seq);
	assert_int_equal(second.run[0].tid, worker0);
	assert_int_equal(second.run[0].cpu, 0);
	assert_int_equal(second.run[0].preempt_count, USOFTIRQ_SOFTIRQ_OFFSET);
	usoftirq_tasklet_kill(&first.t);
	usoftirq_tasklet_kill(&second.t);
	release(m, &d);
	finish(m);
	probe_destroy(&first);
	probe_destroy(&second);
}

/* 4.3, 4.4: a hardirq that interrupts a softirq handler raises a vector
 * that runs after the interrupted handler has returned (the loop's next
 * pass), on the same worker; raising the interrupted vector again runs it
 * once more afterwards, never nested. */
static void test_hardirq_in_softirq_raises_for_next_pass(void **state)
{
	struct usoftirq_machine *m = machine(0);
	int worker0 = usoftirq_machine_worker_tid(m, 0);
	struct irq_dev d;

	(void)state;
	timer_probe.gated = 1;
	request(m, &d, raise_net_rx, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	gate_pass(&timer_probe.entered);

	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	irq_probe_wait_finished(&d.primary, 1);
	assert_int_equal(d.primary.run[0].tid, worker0);
	assert_int_equal(d.primary.run[0].preempt_count, HARDIRQ_IN_SOFTIRQ);
	assert_int_equal(vec_finished(&net_rx_probe), 0);
	d.primary.hook = raise_timer;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	irq_probe_wait_finished(&d.primary, 2);

	gate_open(&timer_probe.release);
	gate_pass(&net_rx_probe.done);
	gate_pass(&timer_probe.done);
	gate_pass(&timer_probe.done);
	assert_int_equal(vec_finished(&timer_probe), 2);
	assert_int_equal(vec_finished(&net_rx_probe), 1);
	assert_int_equal(timer_probe.max_inside, 1);
	assert_true(timer_probe.run[0].exit_seq <
		    net_rx_probe.run[0].enter_seq);
	assert_true(timer_probe.run[0].exit_seq < timer_probe.run[1].enter_seq);
	assert_int_equal(net_rx_probe.run[0].tid, worker0);
	assert_int_equal(timer_probe.run[1].tid, worker0);
	assert_int_equal(net_rx_probe.run[0].preempt_count,
			 USOFTIRQ_SOFTIRQ_OFFSET);
	release(m, &d);
	finish(m);
}

/* 4.3, 4.5: while a BH-disabled section holds the vCPU, a softirq raised
 * by a hardirq handler for that vCPU waits; the section's outermost
 * local_bh_enable() runs it, in the caller, with preempt_count 0x101. */
static void test_hardirq_during_bh_section_runs_at_bh_enable(void **state)
{
	struct usoftirq_machine *m = machine(0);
	struct irq_dev d;

	(void)state;
	request(m, &d, raise_timer, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	irq_probe_wait_finished(&d.primary, 1);
	assert_int_equal(d.primary.run[0].tid,
			 usoftirq_machine_worker_tid(m, 0));
	assert_true(d.primary.run[0].in_hardirq);
	assert_int_equal(vec_finished(&timer_probe), 0);
	usoftirq_local_bh_enable();
	assert_int_equal(vec_finished(&timer_probe), 1);
	assert_int_equal(timer_probe.run[0].tid, gettid());
	assert_int_equal(timer_probe.run[0].cpu, 0);
	assert_int_equal(timer_probe.run[0].preempt_count,
			 USOFTIRQ_SOFTIRQ_OFFSET + USOFTIRQ_PREEMPT_OFFSET);
	usoftirq_machine_quiesce(m);
	assert_int_equal(vec_finished(&timer_probe), 1);
	release(m, &d);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_stepped_delivery_runs_raised_softirq_on_exit),
		cmocka_unit_test(
			test_idle_vcpu_runs_raised_softirq_after_handler),
		cmocka_unit_test(
			test_hardirq_in_tasklet_schedules_for_next_pass),
		cmocka_unit_test(test_hardirq_in_softirq_raises_for_next_pass),
		cmocka_unit_test(
			test_hardirq_during_bh_section_runs_at_bh_enable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
