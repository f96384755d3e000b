/* SPDX-License-Identifier: MIT */
/*
 * The hardirq API in the kernel spelling, end to end: request_irq() on the
 * calling thread's machine, an edge delivered with the prefixed
 * usoftirq_irq_pulse(), the handler running in hardirq context with
 * interrupts disabled, the tasklet it schedules running on the way out,
 * free_irq() giving the name back; request_threaded_irq() and
 * irq_wake_thread(); disable_irq()/enable_irq() replaying an edge;
 * irq_set_affinity() with cpumask_of(); the devm_ forms released with the
 * device; spin_lock_irqsave() in a tasklet holding the handler back until
 * spin_unlock_irqrestore(); local_irq_save(); the rwlock_t forms; WARN()
 * from a handler reaching the report handler; the constants' values.
 *
 * Most tests step a machine without workers (usoftirq_cpu_run_irqs()), so
 * every count is exact. The deferral test needs a real worker: its
 * tasklet holds the lock while the test sends the interrupt, and gates,
 * not sleeps, order the steps. Handlers and callbacks only record; the
 * test thread asserts.
 */
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqflags.h>
#include <linux/irqreturn.h>
#include <linux/rwlock.h>
#include <linux/spinlock.h>

#include "irq_test_util.h"

#include <string.h>
#include <unistd.h>

#define IRQ 5
#define NAME "kdev"

/* A device in the kernel's shape: a lock, a tasklet, what its handler and
 * its bottom halves saw. */
struct kdev {
	spinlock_t lock;
	struct tasklet_struct tasklet;
	irqreturn_t ret; /* what the primary handler returns */
	bool warn; /* the handler also WARN()s */
	/* primary handler */
	int hard_runs;
	int hard_irq;
	void *hard_dev_id;
	bool hard_in_hardirq;
	bool hard_irqs_disabled;
	unsigned int hard_cpu;
	int hard_tid;
	unsigned long hard_seq;
	/* tasklet */
	int bh_runs;
	bool bh_in_serving_softirq;
	unsigned int bh_cpu;
	/* threaded handler */
	atomic_t thread_runs;
	bool thread_in_task;
	bool thread_in_interrupt;
	int thread_tid;
	struct gate thread_done;
	/* the deferral test's tasklet */
	struct gate locked;
	struct gate go;
	struct gate bh_done;
	bool section_irqs_disabled;
	unsigned long unlock_seq;
	unsigned long after_unlock_seq;
};

static void kdev_tasklet(struct tasklet_struct *t)
{
	struct kdev *d = from_tasklet(d, t, tasklet);

	d->bh_runs++;
	d->bh_in_serving_softirq = in_serving_softirq();
	d->bh_cpu = smp_processor_id();
}

static irqreturn_t kdev_handler(int irq, void *dev_id)
{
	struct kdev *d = dev_id;
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->hard_runs++;
	d->hard_irq = irq;
	d->hard_dev_id = dev_id;
	d->hard_in_hardirq = in_hardirq();
	d->hard_irqs_disabled = irqs_disabled();
	d->hard_cpu = smp_processor_id();
	d->hard_tid = gettid();
	d->hard_seq = test_seq();
	spin_unlock_irqrestore(&d->lock, flags);
	if (d->warn)
		WARN(1, "irq %d handled by %s", irq, NAME);
	if (d->ret != IRQ_NONE)
		tasklet_schedule(&d->tasklet);
	return d->ret;
}

static irqreturn_t kdev_thread_fn(int irq, void *dev_id)
{
	struct kdev *d = dev_id;

	(void)irq;
	d->thread_in_task = in_task();
	d->thread_in_interrupt = in_interrupt();
	d->thread_tid = gettid();
	atomic_inc(&d->thread_runs);
	gate_open(&d->thread_done);
	return IRQ_HANDLED;
}

static void kdev_init(struct kdev *d, irqreturn_t ret)
{
	memset(d, 0, sizeof(*d));
	spin_lock_init(&d->lock);
	tasklet_setup(&d->tasklet, kdev_tasklet);
	d->ret = ret;
	gate_init(&d->thread_done, "thread_done");
	gate_init(&d->locked, "locked");
	gate_init(&d->go, "go");
	gate_init(&d->bh_done, "bh_done");
}

static void kdev_destroy(struct kdev *d)
{
	tasklet_kill(&d->tasklet);
	gate_destroy(&d->thread_done);
	gate_destroy(&d->locked);
	gate_destroy(&d->go);
	gate_destroy(&d->bh_done);
}

/* A stepped machine, not the default one, which the test thread is bound
 * to: the kernel spelling reaches it through usoftirq_machine_current(). */
static int setup_stepped(void **state)
{
	*state = test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS |
					 USOFTIRQ_MACHINE_NO_DEFAULT);
	assert_int_equal(usoftirq_thread_bind(*state, 0), 0);
	capture_start();
	return 0;
}

static int teardown_stepped(void **state)
{
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(*state);
	return 0;
}

/* One edge on @irq, delivered on @cpu; the handler runs it made. */
static int pulse_and_run(struct usoftirq_machine *m, unsigned int cpu)
{
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	return usoftirq_cpu_run_irqs(m, cpu);
}

/* ------------------------------------------------------------------ */
/* Constants                                                           */
/* ------------------------------------------------------------------ */

static void test_constants_have_the_kernels_values(void **state)
{
	(void)state;
	assert_int_equal(IRQ_NONE, 0);
	assert_int_equal(IRQ_HANDLED, 1);
	assert_int_equal(IRQ_WAKE_THREAD, 2);
	assert_int_equal(IRQ_RETVAL(7), IRQ_HANDLED);
	assert_int_equal(IRQ_RETVAL(0), IRQ_NONE);
	assert_int_equal(IRQF_TRIGGER_RISING, 0x1);
	assert_int_equal(IRQF_TRIGGER_FALLING, 0x2);
	assert_int_equal(IRQF_TRIGGER_HIGH, 0x4);
	assert_int_equal(IRQF_TRIGGER_LOW, 0x8);
	assert_int_equal(IRQF_SHARED, 0x80);
	assert_int_equal(IRQF_PROBE_SHARED, 0x100);
	assert_int_equal(IRQF_PERCPU, 0x400);
	assert_int_equal(IRQF_ONESHOT, 0x2000);
	assert_int_equal(IRQF_NO_SUSPEND, 0x4000);
	assert_int_equal(IRQF_NO_THREAD, 0x10000);
	assert_int_equal(IRQF_NO_AUTOEN, 0x80000);
	assert_int_equal(IRQF_COND_ONESHOT, 0x200000);
	assert_int_equal(IRQ_NOTCONNECTED, 1u << 31);
	assert_int_equal(IRQ_TYPE_EDGE_RISING, 1);
	assert_int_equal(IRQ_TYPE_EDGE_FALLING, 2);
	assert_int_equal(IRQ_TYPE_EDGE_BOTH, 3);
	assert_int_equal(IRQ_TYPE_LEVEL_HIGH, 4);
	assert_int_equal(IRQ_TYPE_LEVEL_LOW, 8);
	assert_int_equal(IRQ_TYPE_LEVEL_MASK, 12);
	assert_int_equal(IRQ_TYPE_SENSE_MASK, 15);
}

/* ------------------------------------------------------------------ */
/* request_irq(), the handler, its tasklet, free_irq()                 */
/* ------------------------------------------------------------------ */

static void test_handler_runs_in_hardirq_and_its_tasklet_runs(void **state)
{
	struct usoftirq_machine *m = *state;
	struct usoftirq_irq_stats st;
	struct kdev d;

	kdev_init(&d, IRQ_HANDLED);
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, NAME, &d), 0);
	assert_int_equal(pulse_and_run(m, 0), 1);

	assert_int_equal(d.hard_runs, 1);
	assert_int_equal(d.hard_irq, IRQ);
	assert_ptr_equal(d.hard_dev_id, &d);
	assert_true(d.hard_in_hardirq);
	assert_true(d.hard_irqs_disabled);
	assert_int_equal(d.hard_cpu, 0);
	/* irq_exit() ran the tasklet the handler scheduled, on vCPU 0. */
	assert_int_equal(d.bh_runs, 1);
	assert_true(d.bh_in_serving_softirq);
	assert_int_equal(d.bh_cpu, 0);
	assert_false(irqs_disabled());

	assert_string_equal(free_irq(IRQ, &d), NAME);
	/* No action any more: the edge finds no handler. */
	assert_int_equal(pulse_and_run(m, 0), 0);
	assert_int_equal(d.hard_runs, 1);
	st = irq_stats(m, IRQ);
	assert_true(irq_books_balance(&st));
	assert_int_equal(captured_total(), 0);
	kdev_destroy(&d);
}

static void test_irq_none_schedules_nothing_and_is_counted(void **state)
{
	struct usoftirq_machine *m = *state;
	struct usoftirq_irq_stats st;
	struct kdev d;

	kdev_init(&d, IRQ_NONE);
	assert_int_equal(request_irq(IRQ, kdev_handler, IRQF_SHARED, NAME, &d),
			 0);
	assert_int_equal(pulse_and_run(m, 0), 1);
	assert_int_equal(d.hard_runs, 1);
	assert_int_equal(d.bh_runs, 0);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.runs, 1);
	assert_int_equal(st.unhandled, 1);
	assert_string_equal(free_irq(IRQ, &d), NAME);
	kdev_destroy(&d);
}

static void test_request_checks_and_double_free_warns(void **state)
{
	struct kdev d;

	(void)state;
	kdev_init(&d, IRQ_HANDLED);
	assert_int_equal(request_irq(IRQ_NOTCONNECTED, kdev_handler, 0, NAME,
				     &d),
			 -ENOTCONN);
	assert_int_equal(request_irq(IRQ, kdev_handler, IRQF_SHARED, NAME,
				     NULL),
			 -EINVAL);
	assert_int_equal(request_threaded_irq(IRQ, NULL, NULL, 0, NAME, &d),
			 -EINVAL);
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, NAME, &d), 0);
	/* Not shared: a second action is refused with the kernel's text. */
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, "other", &d.lock),
			 -EBUSY);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH), 1);
	assert_string_equal(free_irq(IRQ, &d), NAME);
	assert_null(free_irq(IRQ, &d));
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE,
					  0),
			    "Trying to free already-free IRQ 5");
	kdev_destroy(&d);
}

/* Without a machine (none bound, no default), request_irq() fails as for
 * a line that does not exist, and there is one CPU. */
static void test_without_a_machine_there_is_no_line(void **state)
{
	struct kdev d;

	(void)state;
	assert_null(usoftirq_machine_current());
	kdev_init(&d, IRQ_HANDLED);
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, NAME, &d), -EINVAL);
	assert_int_equal(num_online_cpus(), 1);
	assert_int_equal(nr_cpu_ids, 1);
	kdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* Threaded handlers                                                   */
/* ------------------------------------------------------------------ */

static irqreturn_t wake_thread(int irq, void *dev_id)
{
	struct kdev *d = dev_id;

	(void)irq;
	d->hard_runs++;
	d->hard_in_hardirq = in_hardirq();
	return IRQ_WAKE_THREAD;
}

static void test_threaded_handler_runs_in_its_thread(void **state)
{
	struct usoftirq_machine *m = *state;
	struct kdev d;

	kdev_init(&d, IRQ_HANDLED);
	assert_int_equal(request_threaded_irq(IRQ, wake_thread, kdev_thread_fn,
					      IRQF_ONESHOT, NAME, &d),
			 0);
	assert_int_equal(threads_named("irq/5-" NAME), 1);
	assert_int_equal(pulse_and_run(m, 0), 1);
	assert_true(d.hard_in_hardirq);
	gate_pass(&d.thread_done);
	assert_int_equal(atomic_read(&d.thread_runs), 1);
	assert_true(d.thread_in_task);
	assert_false(d.thread_in_interrupt);
	assert_int_not_equal(d.thread_tid, gettid());

	/* irq_wake_thread(): as if the primary had returned IRQ_WAKE_THREAD. */
	irq_wake_thread(IRQ, &d);
	gate_pass(&d.thread_done);
	assert_int_equal(atomic_read(&d.thread_runs), 2);
	assert_int_equal(d.hard_runs, 1);

	assert_string_equal(free_irq(IRQ, &d), NAME);
	assert_int_equal(threads_named("irq/5-" NAME), 0);
	kdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* Line control                                                        */
/* ------------------------------------------------------------------ */

static void test_disable_enable_replays_an_edge(void **state)
{
	struct usoftirq_machine *m = *state;
	struct kdev d;

	kdev_init(&d, IRQ_HANDLED);
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, NAME, &d), 0);
	disable_irq(IRQ);
	disable_irq_nosync(IRQ); /* nests */
	assert_int_equal(pulse_and_run(m, 0), 0);
	enable_irq(IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 0);
	enable_irq(IRQ); /* the last enable replays the edge once */
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(d.hard_runs, 1);
	synchronize_irq(IRQ); /* nothing runs: returns at once */

	enable_irq(IRQ);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE,
					  0),
			    "Unbalanced enable for IRQ 5");
	assert_string_equal(free_irq(IRQ, &d), NAME);
	kdev_destroy(&d);
}

static void test_irq_set_affinity_takes_a_cpumask(void **state)
{
	struct usoftirq_machine *m = *state;
	struct cpumask none;
	struct kdev d;

	kdev_init(&d, IRQ_HANDLED);
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, NAME, &d), 0);
	assert_int_equal(irq_set_affinity(IRQ, cpumask_of(1)), 0);
	assert_int_equal(usoftirq_irq_get_affinity(m, IRQ), 1);
	assert_int_equal(pulse_and_run(m, 0), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 1), 1);
	assert_int_equal(d.hard_cpu, 1);
	assert_int_equal(d.bh_cpu, 1); /* the tasklet follows the handler */

	/* No online CPU in the mask: refused, the target is unchanged. */
	cpumask_clear(&none);
	assert_int_equal(irq_set_affinity(IRQ, &none), -EINVAL);
	assert_int_equal(irq_set_affinity(IRQ, cpumask_of(2)), -EINVAL);
	assert_int_equal(usoftirq_irq_get_affinity(m, IRQ), 1);
	assert_int_equal(irq_set_irq_type(IRQ, IRQ_TYPE_EDGE_RISING), 0);
	assert_string_equal(free_irq(IRQ, &d), NAME);
	kdev_destroy(&d);
}

static void test_cpumask_operations(void **state)
{
	struct cpumask mask;
	unsigned int cpu, seen = 0;
	int icpu;

	(void)state;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct cpumask *one = cpumask_of(cpu);

		if (cpumask_weight(one) != 1 || cpumask_first(one) != cpu ||
		    !cpumask_test_cpu((int)cpu, one))
			fail_msg("cpumask_of(%u) is wrong", cpu);
	}
	cpumask_clear(&mask);
	assert_true(cpumask_empty(&mask));
	assert_int_equal(cpumask_first(&mask), NR_CPUS);
	cpumask_set_cpu(0, &mask);
	__cpumask_set_cpu(70, &mask);
	cpumask_set_cpu(NR_CPUS - 1, &mask);
	assert_int_equal(cpumask_weight(&mask), 3);
	assert_int_equal(cpumask_next(0, &mask), 70);
	assert_int_equal(cpumask_next(70, &mask), NR_CPUS - 1);
	assert_int_equal(cpumask_first_and(&mask, cpumask_of(70)), 70);
	cpumask_clear_cpu(70, &mask);
	assert_false(cpumask_test_cpu(70, &mask));
	/* for_each_cpu() stops at nr_cpu_ids (1 without a machine). */
	for_each_cpu(icpu, &mask) seen++;
	assert_int_equal(seen, 1);
	cpumask_setall(&mask);
	assert_int_equal(cpumask_weight(&mask), NR_CPUS);
}

/* ------------------------------------------------------------------ */
/* devm_ forms and struct device                                       */
/* ------------------------------------------------------------------ */

static int actions[4];
static int nactions;

static void record_action(void *data)
{
	actions[nactions++] = *(int *)data;
}

static void test_devm_irq_is_freed_with_the_device(void **state)
{
	struct usoftirq_machine *m = *state;
	static int one = 1, two = 2;
	struct device dev;
	struct kdev d;

	kdev_init(&d, IRQ_HANDLED);
	usoftirq_device_init(&dev, m, "kdev.0");
	assert_string_equal(dev_name(&dev), "kdev.0");
	dev_set_drvdata(&dev, &d);
	assert_ptr_equal(dev_get_drvdata(&dev), &d);

	nactions = 0;
	assert_int_equal(devm_add_action(&dev, record_action, &one), 0);
	/* A NULL name means the device's name. */
	assert_int_equal(devm_request_irq(&dev, IRQ, kdev_handler, 0, NULL, &d),
			 0);
	assert_int_equal(devm_add_action_or_reset(&dev, record_action, &two),
			 0);
	assert_int_equal(pulse_and_run(m, 0), 1);

	/* Released newest first: action 2, the IRQ, action 1. */
	assert_int_equal(usoftirq_devres_release_all(&dev), 3);
	assert_int_equal(nactions, 2);
	assert_int_equal(actions[0], 2);
	assert_int_equal(actions[1], 1);
	assert_int_equal(pulse_and_run(m, 0), 0);
	assert_int_equal(d.hard_runs, 1);

	/* devm_free_irq() releases early; nothing is left to release. */
	assert_int_equal(devm_request_threaded_irq(&dev, IRQ, kdev_handler,
						   NULL, 0, NAME, &d),
			 0);
	devm_free_irq(&dev, IRQ, &d);
	assert_int_equal(usoftirq_devres_release_all(&dev), 0);
	assert_null(free_irq(IRQ, &d)); /* already free */
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE), 1);
	kdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* WARN() from a handler                                               */
/* ------------------------------------------------------------------ */

static void test_warn_in_a_handler_is_reported(void **state)
{
	struct usoftirq_machine *m = *state;
	const char *text;
	struct kdev d;

	kdev_init(&d, IRQ_HANDLED);
	d.warn = true;
	assert_int_equal(request_irq(IRQ, kdev_handler, 0, NAME, &d), 0);
	assert_int_equal(pulse_and_run(m, 0), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_WARN), 1);
	text = captured_text(USOFTIRQ_REPORT_WARN, 0);
	assert_non_null(strstr(text, "ktest_irq.c:"));
	assert_non_null(strstr(text, " kdev_handler+0x"));
	assert_non_null(strstr(text, ": irq 5 handled by kdev"));
	assert_non_null(strstr(captured_line(USOFTIRQ_REPORT_WARN, 0),
			       "WARNING: CPU: 0 PID: "));
	assert_string_equal(free_irq(IRQ, &d), NAME);
	kdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* Interrupt masking                                                   */
/* ------------------------------------------------------------------ */

static void test_local_irq_save_nests_and_restores(void **state)
{
	unsigned long outer, inner, saved;

	(void)state;
	assert_false(irqs_disabled());
	local_irq_save(outer);
	assert_false(irqs_disabled_flags(outer));
	assert_true(irqs_disabled());
	local_irq_save(inner);
	assert_true(irqs_disabled_flags(inner));
	local_save_flags(saved);
	assert_true(irqs_disabled_flags(saved));
	local_irq_restore(inner);
	assert_true(irqs_disabled());
	local_irq_restore(outer);
	assert_false(irqs_disabled());
	local_irq_disable();
	assert_true(irqs_disabled());
	local_irq_enable();
	assert_false(irqs_disabled());
	raw_local_irq_save(outer);
	assert_true(raw_irqs_disabled());
	raw_local_irq_restore(outer);
	assert_false(irqs_disabled());
}

static void test_spin_lock_irq_forms_mask_and_count(void **state)
{
	DEFINE_SPINLOCK(lock);
	unsigned long flags;

	(void)state;
	spin_lock_irqsave(&lock, flags);
	assert_true(irqs_disabled());
	assert_false(irqs_disabled_flags(flags));
	assert_int_equal(preempt_count() & PREEMPT_MASK, 1);
	spin_unlock_irqrestore(&lock, flags);
	assert_false(irqs_disabled());
	assert_int_equal(preempt_count(), 0);

	spin_lock_irq(&lock);
	assert_true(irqs_disabled());
	spin_unlock_irq(&lock);
	assert_false(irqs_disabled());
	assert_true(spin_trylock_irq(&lock));
	assert_true(irqs_disabled());
	raw_spin_unlock_irq(&lock);
	assert_false(irqs_disabled());
	assert_true(raw_spin_trylock_irqsave(&lock, flags));
	raw_spin_unlock_irqrestore(&lock, flags);
	assert_false(spin_is_locked(&lock));
}

/* The deferral test's tasklet, on the worker of vCPU 0. */
static void locker_tasklet(struct tasklet_struct *t)
{
	struct kdev *d = from_tasklet(d, t, tasklet);
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	d->section_irqs_disabled = irqs_disabled();
	gate_open(&d->locked);
	gate_pass(&d->go);
	d->unlock_seq = test_seq();
	spin_unlock_irqrestore(&d->lock, flags);
	d->after_unlock_seq = test_seq();
	gate_open(&d->bh_done);
}

static irqreturn_t deferred_handler(int irq, void *dev_id)
{
	struct kdev *d = dev_id;
	unsigned long flags;

	(void)irq;
	spin_lock_irqsave(&d->lock, flags);
	d->hard_runs++;
	d->hard_in_hardirq = in_hardirq();
	d->hard_tid = gettid();
	d->hard_seq = test_seq();
	spin_unlock_irqrestore(&d->lock, flags);
	return IRQ_HANDLED;
}

/*
 * The seed's pattern: a tasklet holds a lock the handler also takes, with
 * spin_lock_irqsave(). An interrupt sent to the tasklet's vCPU meanwhile
 * is held back (the handler would spin on the lock its own thread holds)
 * and runs inside spin_unlock_irqrestore(), on the same worker.
 */
static void test_spin_lock_irqsave_holds_the_handler_back(void **state)
{
	struct usoftirq_machine *m;
	struct usoftirq_irq_stats st;
	int worker;
	struct kdev d;

	(void)state;
	m = test_machine(2, USOFTIRQ_MACHINE_NO_DEFAULT);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	kdev_init(&d, IRQ_HANDLED);
	tasklet_setup(&d.tasklet, locker_tasklet);
	worker = usoftirq_machine_worker_tid(m, 0);
	assert_true(worker > 0);
	assert_int_equal(request_irq(IRQ, deferred_handler, 0, NAME, &d), 0);
	assert_int_equal(irq_set_affinity(IRQ, cpumask_of(0)), 0);

	tasklet_schedule(&d.tasklet);
	gate_pass(&d.locked);
	/* The worker sleeps in gate_pass(&d.go), interrupts disabled. */
	(void)wait_futex_blocked(worker, 0);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	wait_signal_handled(worker, usoftirq_machine_irq_signal(m));
	st = irq_stats(m, IRQ);
	assert_int_equal(st.runs, 0);
	assert_int_equal(d.hard_runs, 0);

	gate_open(&d.go);
	gate_pass(&d.bh_done);
	assert_true(d.section_irqs_disabled);
	assert_int_equal(d.hard_runs, 1);
	assert_true(d.hard_in_hardirq);
	assert_int_equal(d.hard_tid, worker);
	/* In spin_unlock_irqrestore(), not before, not after. */
	assert_true(d.unlock_seq < d.hard_seq);
	assert_true(d.hard_seq < d.after_unlock_seq);
	assert_int_equal(captured_total(), 0);

	assert_string_equal(free_irq(IRQ, &d), NAME);
	kdev_destroy(&d);
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* rwlock_t                                                            */
/* ------------------------------------------------------------------ */

static DEFINE_RWLOCK(table_lock);
static int reader_got_lock = -1;

static irqreturn_t reader_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	reader_got_lock = read_trylock(&table_lock);
	if (reader_got_lock)
		read_unlock(&table_lock);
	return IRQ_HANDLED;
}

static void test_rwlock_readers_share_writers_exclude(void **state)
{
	struct usoftirq_machine *m = *state;
	rwlock_t local;
	unsigned long flags;
	static int dev;

	rwlock_init(&local);
	read_lock(&local);
	read_lock(&local); /* readers nest */
	assert_false(write_trylock(&local));
	assert_int_equal(preempt_count() & PREEMPT_MASK, 2);
	read_unlock(&local);
	read_unlock(&local);
	assert_true(write_trylock(&local));
	assert_false(read_trylock(&local));
	write_unlock(&local);

	write_lock_irqsave(&local, flags);
	assert_true(irqs_disabled());
	write_unlock_irqrestore(&local, flags);
	read_lock_irqsave(&local, flags);
	assert_true(irqs_disabled());
	read_unlock_irqrestore(&local, flags);
	read_lock_bh(&local);
	assert_true(in_softirq());
	read_unlock_bh(&local);
	write_lock_irq(&local);
	assert_true(irqs_disabled());
	write_unlock_irq(&local);
	assert_false(irqs_disabled());
	assert_int_equal(preempt_count(), 0);

	/* A hardirq handler reads while the interrupted thread reads. */
	assert_int_equal(request_irq(IRQ, reader_handler, 0, NAME, &dev), 0);
	read_lock(&table_lock);
	assert_int_equal(pulse_and_run(m, 0), 1);
	read_unlock(&table_lock);
	assert_int_equal(reader_got_lock, 1);
	assert_string_equal(free_irq(IRQ, &dev), NAME);
	assert_int_equal(captured_total(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants_have_the_kernels_values),
		cmocka_unit_test_setup_teardown(
			test_handler_runs_in_hardirq_and_its_tasklet_runs,
			setup_stepped, teardown_stepped),
		cmocka_unit_test_setup_teardown(
			test_irq_none_schedules_nothing_and_is_counted,
			setup_stepped, teardown_stepped),
		cmocka_unit_test_setup_teardown(
			test_request_checks_and_double_free_warns,
			setup_stepped, teardown_stepped),
		cmocka_unit_test(test_without_a_machine_there_is_no_line),
		cmocka_unit_test_setup_teardown(
			test_threaded_handler_runs_in_its_thread, setup_stepped,
			teardown_stepped),
		cmocka_unit_test_setup_teardown(
			test_disable_enable_replays_an_edge, setup_stepped,
			teardown_stepped),
		cmocka_unit_test_setup_teardown(
			test_irq_set_affinity_takes_a_cpumask, setup_stepped,
			teardown_stepped),
		cmocka_unit_test(test_cpumask_operations),
		cmocka_unit_test_setup_teardown(
			test_devm_irq_is_freed_with_the_device, setup_stepped,
			teardown_stepped),
		cmocka_unit_test_setup_teardown(
			test_warn_in_a_handler_is_reported, setup_stepped,
			teardown_stepped),
		cmocka_unit_test(test_local_irq_save_nests_and_restores),
		cmocka_unit_test(test_spin_lock_irq_forms_mask_and_count),
		cmocka_unit_test(test_spin_lock_irqsave_holds_the_handler_back),
		cmocka_unit_test_setup_teardown(
			test_rwlock_readers_share_writers_exclude,
			setup_stepped, teardown_stepped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
