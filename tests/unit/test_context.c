/* SPDX-License-Identifier: MIT */
/*
 * Execution contexts: the preempt_count layout and predicates, BH-disabled
 * sections (nesting, running pending softirqs at the outermost enable, and
 * excluding the vCPU's softirq processing from other threads), the vCPU a
 * thread stands for, binding rules, preempt_disable/enable, unbalanced
 * enables, and the sleeping-in-atomic report.
 */
#include "test_util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define BIT(nr) (1u << (nr))
#define TIMER USOFTIRQ_TIMER_SOFTIRQ
#define NET_TX USOFTIRQ_NET_TX_SOFTIRQ

/* ------------------------------------------------------------------ */
/* What handlers and helper threads saw                                */
/* ------------------------------------------------------------------ */

struct seen {
	_Atomic unsigned int runs;
	_Atomic unsigned int pc;
	_Atomic unsigned int cpu;
	_Atomic unsigned int level;
	_Atomic bool task, serving, softirq, interrupt;
	_Atomic int tid;
	_Atomic pthread_t thread;
	_Atomic int bind_result;
};

static struct seen seen;

/* Threads inside vCPU 0's softirq processing or BH section, and the most
 * ever seen at once. */
static _Atomic int inside, max_inside;

static struct gate running, release, ran;

static void reset_seen(void)
{
	memset(&seen, 0, sizeof(seen));
	atomic_store(&seen.cpu, UINT_MAX);
	atomic_store(&inside, 0);
	atomic_store(&max_inside, 0);
}

static void record(void)
{
	atomic_store(&seen.pc, usoftirq_preempt_count());
	atomic_store(&seen.cpu, usoftirq_smp_processor_id());
	atomic_store(&seen.level, usoftirq_interrupt_context_level());
	atomic_store(&seen.task, usoftirq_in_task());
	atomic_store(&seen.serving, usoftirq_in_serving_softirq());
	atomic_store(&seen.softirq, usoftirq_in_softirq());
	atomic_store(&seen.interrupt, usoftirq_in_interrupt());
	atomic_store(&seen.tid, (int)gettid());
	atomic_store(&seen.thread, pthread_self());
	atomic_fetch_add(&seen.runs, 1);
}

static void enter_exclusive(void)
{
	int now = atomic_fetch_add(&inside, 1) + 1;
	int max = atomic_load(&max_inside);

	while (now > max &&
	       !atomic_compare_exchange_weak(&max_inside, &max, now))
		;
}

static void leave_exclusive(void)
{
	atomic_fetch_sub(&inside, 1);
}

static void recorder(void)
{
	record();
}

static void finish(struct usoftirq_machine *m)
{
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

static struct usoftirq_machine *
machine_with(unsigned int ncpus, unsigned int flags, void (*timer)(void))
{
	struct usoftirq_machine *m;

	reset_seen();
	m = test_machine(ncpus, flags);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, timer), 0);
	return m;
}

static void assert_task_context(void)
{
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_int_equal(usoftirq_hardirq_count(), 0);
	assert_int_equal(usoftirq_softirq_count(), 0);
	assert_int_equal(usoftirq_irq_count(), 0);
	assert_false(usoftirq_in_hardirq());
	assert_false(usoftirq_in_serving_softirq());
	assert_false(usoftirq_in_softirq());
	assert_false(usoftirq_in_interrupt());
	assert_false(usoftirq_in_nmi());
	assert_false(usoftirq_in_atomic());
	assert_true(usoftirq_in_task());
	assert_int_equal(usoftirq_interrupt_context_level(), 0);
}

/* ------------------------------------------------------------------ */
/* Layout and predicates                                               */
/* ------------------------------------------------------------------ */

/* The preempt_count masks and offsets are the kernel's values. */
static void test_layout_is_the_kernels(void **state)
{
	(void)state;
	assert_int_equal(USOFTIRQ_PREEMPT_MASK, 0x000000ff);
	assert_int_equal(USOFTIRQ_SOFTIRQ_MASK, 0x0000ff00);
	assert_int_equal(USOFTIRQ_HARDIRQ_MASK, 0x000f0000);
	assert_int_equal(USOFTIRQ_NMI_MASK, 0x00f00000);
	assert_int_equal(USOFTIRQ_PREEMPT_OFFSET, 0x1);
	assert_int_equal(USOFTIRQ_SOFTIRQ_OFFSET, 0x100);
	assert_int_equal(USOFTIRQ_SOFTIRQ_DISABLE_OFFSET, 0x200);
	assert_int_equal(USOFTIRQ_HARDIRQ_OFFSET, 0x10000);
	assert_int_equal(USOFTIRQ_NMI_OFFSET, 0x100000);
	assert_int_equal(USOFTIRQ_PREEMPT_LOCK_OFFSET, 0x1);
	assert_int_equal(USOFTIRQ_SOFTIRQ_LOCK_OFFSET, 0x201);
}

/* In task context every count is 0, every predicate false but in_task(),
 * with or without a machine. */
static void test_task_context_predicates(void **state)
{
	struct usoftirq_machine *m;

	(void)state;
	assert_null(usoftirq_machine_default());
	assert_task_context();
	m = test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	assert_task_context();
	finish(m);
}

/* local_bh_disable() adds 0x200 per level: in_softirq() and in_interrupt()
 * become true, in_task() stays true and in_serving_softirq() false; the
 * enables take the levels back off. */
static void test_bh_disable_counts_and_nests(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_preempt_count(), 0x200);
	assert_int_equal(usoftirq_softirq_count(), 0x200);
	assert_true(usoftirq_in_softirq());
	assert_true(usoftirq_in_interrupt());
	assert_true(usoftirq_in_atomic());
	assert_true(usoftirq_in_task());
	assert_false(usoftirq_in_serving_softirq());
	assert_int_equal(usoftirq_interrupt_context_level(), 0);
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_preempt_count(), 0x400);
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_preempt_count(), 0x600);
	usoftirq_local_bh_enable();
	assert_int_equal(usoftirq_preempt_count(), 0x400);
	usoftirq_local_bh_enable();
	assert_int_equal(usoftirq_preempt_count(), 0x200);
	usoftirq_local_bh_enable();
	assert_task_context();
	finish(m);
}

/* ------------------------------------------------------------------ */
/* BH sections and softirq processing                                  */
/* ------------------------------------------------------------------ */

/* Only the outermost local_bh_enable() runs what was raised in the
 * section, synchronously on the caller's thread, with preempt_count 0x101;
 * the vCPU's worker does not get it. */
static void test_outermost_enable_runs_pending_in_caller(void **state)
{
	struct usoftirq_machine *m = machine_with(2, 0, recorder);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	usoftirq_local_bh_disable();
	usoftirq_raise_softirq(TIMER);
	usoftirq_local_bh_enable();
	assert_int_equal(seen.runs, 0);
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));
	usoftirq_local_bh_enable();
	assert_int_equal(seen.runs, 1);
	assert_true(pthread_equal(seen.thread, pthread_self()));
	assert_int_equal(seen.pc, 0x101);
	assert_true(seen.serving);
	assert_false(seen.task);
	assert_int_equal(seen.level, 1);
	assert_int_equal(seen.cpu, 0);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	assert_task_context();
	usoftirq_machine_quiesce(m);
	assert_int_equal(seen.runs, 1);
	finish(m);
}

/* Runs of the re-raising handler on vCPU 0's worker. */
static _Atomic int worker_tid;
static _Atomic unsigned int runs_on_worker, raises_left;

/* TIMER handler: re-raises itself while raises are left. */
static void raise_while_allowed(void)
{
	record();
	if (gettid() == atomic_load(&worker_tid))
		atomic_fetch_add(&runs_on_worker, 1);
	if (atomic_load(&raises_left) > 0) {
		atomic_fetch_sub(&raises_left, 1);
		usoftirq_raise_softirq(TIMER);
	}
}

/* When the outermost enable's loop spends its budget (ten passes, or 2 ms
 * if the host preempts it), it wakes the worker, which runs the rest. */
static void test_bh_enable_leftover_goes_to_worker(void **state)
{
	struct usoftirq_machine *m = machine_with(1, 0, raise_while_allowed);
	unsigned int in_caller;

	(void)state;
	atomic_store(&worker_tid, usoftirq_machine_worker_tid(m, 0));
	atomic_store(&runs_on_worker, 0);
	atomic_store(&raises_left, 15);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	usoftirq_raise_softirq(TIMER);
	usoftirq_local_bh_enable();
	usoftirq_machine_quiesce(m);
	in_caller = seen.runs - runs_on_worker;
	assert_int_equal(seen.runs, 16);
	assert_in_range(in_caller, 1, USOFTIRQ_MAX_SOFTIRQ_RESTART);
	assert_int_equal(runs_on_worker, 16 - in_caller);
	finish(m);
}

static void *raise_timer_on_vcpu0(void *arg)
{
	struct usoftirq_machine *m = arg;

	if (usoftirq_thread_bind(m, 0) == 0) {
		usoftirq_raise_softirq(TIMER);
		usoftirq_thread_unbind();
	}
	return NULL;
}

/* A BH section on vCPU 0 keeps vCPU 0's softirqs from running elsewhere:
 * another thread raises TIMER there, which wakes the worker; the worker
 * then waits for the vCPU, TIMER stays pending, and the section's end runs
 * it in the section's thread. */
static void test_bh_section_excludes_own_worker(void **state)
{
	struct usoftirq_machine *m = machine_with(2, 0, recorder);
	int worker = usoftirq_machine_worker_tid(m, 0);
	uintptr_t idle_word;

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	/* The worker's idle sleep: its only futex wait while idle. */
	idle_word = wait_futex_blocked(worker, 0);
	usoftirq_local_bh_disable();
	run_in_thread(raise_timer_on_vcpu0, m);
	/* Woken, the worker now sleeps on another word: the BH lock. */
	(void)wait_futex_blocked(worker, idle_word);
	assert_int_equal(seen.runs, 0);
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));
	usoftirq_local_bh_enable();
	assert_int_equal(seen.runs, 1);
	assert_int_equal(seen.tid, gettid());
	assert_int_equal(seen.pc, 0x101);
	usoftirq_machine_quiesce(m);
	assert_int_equal(seen.runs, 1);
	finish(m);
}

/* TIMER handler: holds vCPU 0's softirq processing until released. */
static void gated_handler(void)
{
	enter_exclusive();
	record();
	gate_open(&running);
	gate_pass(&release);
	leave_exclusive();
}

struct bh_taker {
	struct usoftirq_machine *m;
	struct gate ready;
	_Atomic int tid;
	_Atomic bool got_bh;
};

static void *take_bh_on_vcpu0(void *arg)
{
	struct bh_taker *b = arg;

	if (usoftirq_thread_bind(b->m, 0) != 0)
		return NULL;
	atomic_store(&b->tid, (int)gettid());
	gate_open(&b->ready);
	usoftirq_local_bh_disable(); /* the only blocking point */
	enter_exclusive();
	atomic_store(&b->got_bh, true);
	leave_exclusive();
	usoftirq_local_bh_enable();
	usoftirq_thread_unbind();
	return NULL;
}

/* While the worker runs vCPU 0's softirqs, another thread's
 * local_bh_disable() on vCPU 0 waits: never two threads at once. */
static void test_bh_disable_waits_for_running_softirq(void **state)
{
	struct usoftirq_machine *m = machine_with(2, 0, gated_handler);
	struct bh_taker b = { .m = m };
	pthread_t t;

	(void)state;
	gate_init(&running, "running");
	gate_init(&release, "release");
	gate_init(&b.ready, "ready");
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	gate_pass(&running);
	assert_int_equal(pthread_create(&t, NULL, take_bh_on_vcpu0, &b), 0);
	gate_pass(&b.ready);
	(void)wait_futex_blocked(b.tid, 0);
	assert_false(b.got_bh);
	gate_open(&release);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(b.got_bh);
	assert_int_equal(max_inside, 1);
	assert_int_equal(seen.tid, usoftirq_machine_worker_tid(m, 0));
	usoftirq_machine_quiesce(m);
	finish(m);
	gate_destroy(&running);
	gate_destroy(&release);
	gate_destroy(&b.ready);
}

/* TIMER handler that lets the raising thread go on. */
static void open_ran(void)
{
	record();
	gate_open(&ran);
}

static void *raise_on_vcpu0_and_wait(void *arg)
{
	struct usoftirq_machine *m = arg;

	if (usoftirq_thread_bind(m, 0) != 0)
		return NULL;
	usoftirq_raise_softirq(TIMER);
	gate_pass(&ran);
	usoftirq_thread_unbind();
	return NULL;
}

/* A BH section on vCPU 1 does not hold up vCPU 0: its worker runs a
 * TIMER raised there while the section is still open. */
static void test_bh_section_on_other_vcpu_does_not_block(void **state)
{
	struct usoftirq_machine *m = machine_with(2, 0, open_ran);

	(void)state;
	gate_init(&ran, "ran");
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_local_bh_disable();
	run_in_thread(raise_on_vcpu0_and_wait, m);
	assert_int_equal(seen.runs, 1);
	assert_int_equal(seen.cpu, 0);
	assert_int_equal(seen.tid, usoftirq_machine_worker_tid(m, 0));
	assert_int_equal(usoftirq_preempt_count(), 0x200);
	usoftirq_local_bh_enable();
	usoftirq_machine_quiesce(m);
	finish(m);
	gate_destroy(&ran);
}

/* ------------------------------------------------------------------ */
/* vCPUs and binding                                                   */
/* ------------------------------------------------------------------ */

/* smp_processor_id() is the bound vCPU, the held vCPU inside a BH section
 * or a softirq (even one stepped for another vCPU), a valid vCPU for an
 * unbound thread, and 0 without any machine. */
static void test_smp_processor_id(void **state)
{
	struct usoftirq_machine *m =
		machine_with(3, USOFTIRQ_MACHINE_NO_WORKERS, recorder);

	(void)state;
	for (unsigned int cpu = 0; cpu < 3; cpu++) {
		assert_int_equal(usoftirq_thread_bind(m, cpu), 0);
		assert_int_equal(usoftirq_smp_processor_id(), cpu);
	}
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_smp_processor_id(), 2);
	usoftirq_local_bh_enable();

	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_raise_softirq(TIMER);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(seen.runs, 1);
	assert_int_equal(seen.cpu, 1);
	assert_int_equal(usoftirq_smp_processor_id(), 0);

	usoftirq_thread_unbind();
	assert_in_range(usoftirq_smp_processor_id(), 0, 2);
	usoftirq_machine_destroy(m);
	assert_null(usoftirq_machine_default());
	assert_int_equal(usoftirq_smp_processor_id(), 0);
}

/* TIMER handler: tries to bind the thread serving the softirq. */
static void bind_in_handler(void)
{
	record();
	atomic_store(&seen.bind_result,
		     usoftirq_thread_bind(usoftirq_machine_current(), 0));
}

/* Binding takes a valid vCPU of a machine, and is refused with -EBUSY in a
 * BH section and in a softirq; outside them a thread may rebind. */
static void test_binding_rules(void **state)
{
	struct usoftirq_machine *m =
		machine_with(2, USOFTIRQ_MACHINE_NO_WORKERS, bind_in_handler);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 2), -EINVAL);
	assert_int_equal(usoftirq_thread_bind(NULL, 0), -EINVAL);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_thread_bind(m, 0), -EBUSY);
	assert_int_equal(usoftirq_smp_processor_id(), 1);
	usoftirq_raise_softirq(TIMER);
	usoftirq_local_bh_enable();
	assert_int_equal(seen.runs, 1);
	assert_int_equal(seen.bind_result, -EBUSY);

	atomic_store(&seen.bind_result, 0);
	usoftirq_raise_softirq(TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(seen.bind_result, -EBUSY);

	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	assert_int_equal(usoftirq_smp_processor_id(), 0);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* preempt_disable/enable and unbalanced enables                       */
/* ------------------------------------------------------------------ */

/* preempt_disable() adds 1 per call (in_atomic, still task and not
 * interrupt); an enable without a disable is reported and ignored. */
static void test_preempt_disable_enable(void **state)
{
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_PREEMPT_UNBALANCED);

	(void)state;
	for (unsigned int i = 1; i <= 3; i++) {
		usoftirq_preempt_disable();
		assert_int_equal(usoftirq_preempt_count(), i);
		assert_true(usoftirq_in_atomic());
		assert_true(usoftirq_in_task());
		assert_false(usoftirq_in_interrupt());
	}
	for (unsigned int i = 3; i > 0; i--) {
		usoftirq_preempt_enable();
		assert_int_equal(usoftirq_preempt_count(), i - 1);
	}
	assert_task_context();

	capture_start();
	usoftirq_preempt_enable();
	capture_stop();
	assert_task_context();
	assert_int_equal(captured(USOFTIRQ_REPORT_PREEMPT_UNBALANCED), 1);
	assert_non_null(strstr(
		captured_text(USOFTIRQ_REPORT_PREEMPT_UNBALANCED, 0),
		"preempt_enable() without a matching preempt_disable()"));
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_PREEMPT_UNBALANCED) -
			before,
		1);
}

/* With BH disabled but no preempt count, preempt_enable() is unbalanced
 * too: reported, and the BH count is left alone. */
static void test_preempt_enable_does_not_eat_bh_count(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	capture_start();
	usoftirq_preempt_enable();
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_PREEMPT_UNBALANCED), 1);
	assert_int_equal(usoftirq_preempt_count(), 0x200);
	usoftirq_local_bh_enable();
	assert_task_context();
	finish(m);
}

/* TIMER handler: an enable without a disable, inside a softirq. */
static void bh_enable_in_handler(void)
{
	usoftirq_local_bh_enable();
	record();
}

/* local_bh_enable() without a disable is reported and ignored: in task
 * context, with preemption disabled, and inside a softirq handler. */
static void test_unbalanced_bh_enable_reported_and_ignored(void **state)
{
	struct usoftirq_machine *m = machine_with(
		1, USOFTIRQ_MACHINE_NO_WORKERS, bh_enable_in_handler);
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_BH_UNBALANCED);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_local_bh_enable();
	assert_int_equal(usoftirq_preempt_count(), 0);
	usoftirq_preempt_disable();
	usoftirq_local_bh_enable();
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_preempt_enable();
	usoftirq_raise_softirq(TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	capture_stop();
	assert_int_equal(seen.runs, 1);
	assert_int_equal(seen.pc, USOFTIRQ_SOFTIRQ_OFFSET);
	assert_int_equal(captured(USOFTIRQ_REPORT_BH_UNBALANCED), 3);
	assert_int_equal(captured(USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK), 0);
	assert_non_null(strstr(captured_text(USOFTIRQ_REPORT_BH_UNBALANCED, 0),
			       "local_bh_enable() without a matching "
			       "local_bh_disable()"));
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_BH_UNBALANCED) -
				 before,
			 3);
	assert_task_context();
	finish(m);
}

/* ------------------------------------------------------------------ */
/* might_sleep                                                         */
/* ------------------------------------------------------------------ */

/*
 * Check the sleeping-in-atomic report @text against the kernel's three
 * lines for a call at @file:@line with preempt_count @pc, made by this
 * thread, and that its call trace names @caller.
 */
static void assert_sleep_report(const char *text, const char *file, int line,
				unsigned int pc, const char *caller)
{
	char want[512], comm[17] = "", trace[160];

	assert_non_null(text);
	assert_int_equal(prctl(PR_GET_NAME, comm), 0);
	snprintf(want, sizeof(want),
		 "BUG: sleeping function called from invalid context at "
		 "%s:%d\n"
		 "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, "
		 "name: %s\n"
		 "preempt_count: %x, expected: 0\n",
		 file, line, (int)gettid(), comm, pc);
	assert_memory_equal(text, want, strlen(want));
	snprintf(trace, sizeof(trace), "Call Trace: %s+0x", caller);
	assert_non_null(strstr(text + strlen(want), trace));
}

/* might_sleep() in task context, even bound to a machine, says nothing. */
static void test_might_sleep_silent_in_task_context(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_might_sleep();
	capture_stop();
	assert_int_equal(captured_total(), 0);
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC),
			 before);
	finish(m);
}

/* might_sleep() with BH disabled prints the kernel's "BUG: sleeping
 * function called from invalid context" report, preempt_count 200. */
static void test_might_sleep_in_bh_section(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);
	int line;

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	capture_start();
	line = __LINE__ + 1;
	usoftirq_might_sleep();
	capture_stop();
	usoftirq_local_bh_enable();
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	assert_sleep_report(captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0),
			    __FILE__, line, 0x200,
			    "test_might_sleep_in_bh_section");
	finish(m);
}

/* might_sleep() under a spin lock reports preempt_count 1. */
static void test_might_sleep_under_spin_lock(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);
	usoftirq_spinlock_t lock;
	int line;

	(void)state;
	usoftirq_spin_lock_init(&lock, "lock");
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_spin_lock(&lock);
	capture_start();
	line = __LINE__ + 1;
	usoftirq_might_sleep();
	capture_stop();
	usoftirq_spin_unlock(&lock);
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	assert_sleep_report(captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0),
			    __FILE__, line, 1,
			    "test_might_sleep_under_spin_lock");
	finish(m);
}

static int handler_sleep_line;

/*
 * TIMER handler that calls a sleeping function. The call is not its last
 * statement: as a tail call, the return address the report symbolizes
 * would be the softirq loop's, not this handler's.
 */
static void sleepy_handler(void)
{
	handler_sleep_line = __LINE__ + 1;
	usoftirq_might_sleep();
	record();
}

/* might_sleep() in a softirq handler reports preempt_count 100. */
static void test_might_sleep_in_softirq(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, sleepy_handler);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	capture_start();
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	capture_stop();
	assert_int_equal(seen.runs, 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	assert_sleep_report(captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0),
			    __FILE__, handler_sleep_line, 0x100,
			    "sleepy_handler");
	finish(m);
}

/* Make two sleeping-in-atomic violations back to back on a new machine;
 * return how many were printed. */
static unsigned int two_violations_on_new_machine(void)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);
	unsigned int printed;

	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	capture_start();
	usoftirq_might_sleep();
	usoftirq_might_sleep();
	capture_stop();
	usoftirq_local_bh_enable();
	printed = captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	finish(m);
	return printed;
}

/* The report is rate-limited per machine: of two in a row only the first
 * is printed, both are counted, and a new machine prints again. */
static void test_might_sleep_rate_limited_per_machine(void **state)
{
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);

	(void)state;
	assert_int_equal(two_violations_on_new_machine(), 1);
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC) - before,
		2);
	assert_int_equal(two_violations_on_new_machine(), 1);
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC) - before,
		4);
}

/* ------------------------------------------------------------------ */
/* interrupt_context_level                                             */
/* ------------------------------------------------------------------ */

/* interrupt_context_level() is 0 in task context and with BH disabled,
 * 1 serving a softirq, whether stepped (0x100) or run by local_bh_enable()
 * (0x101); a handler sees softirq context, not task context. */
static void test_interrupt_context_level(void **state)
{
	struct usoftirq_machine *m =
		machine_with(1, USOFTIRQ_MACHINE_NO_WORKERS, recorder);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	assert_int_equal(usoftirq_interrupt_context_level(), 0);
	usoftirq_raise_softirq(TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(seen.level, 1);
	assert_int_equal(seen.pc, 0x100);
	assert_false(seen.task);
	assert_true(seen.serving);
	assert_true(seen.softirq);
	assert_true(seen.interrupt);

	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_interrupt_context_level(), 0);
	usoftirq_raise_softirq(TIMER);
	usoftirq_local_bh_enable();
	assert_int_equal(seen.runs, 2);
	assert_int_equal(seen.level, 1);
	assert_int_equal(seen.pc, 0x101);
	assert_false(seen.task);
	assert_int_equal(usoftirq_interrupt_context_level(), 0);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_is_the_kernels),
		cmocka_unit_test(test_task_context_predicates),
		cmocka_unit_test(test_bh_disable_counts_and_nests),
		cmocka_unit_test(test_outermost_enable_runs_pending_in_caller),
		cmocka_unit_test(test_bh_enable_leftover_goes_to_worker),
		cmocka_unit_test(test_bh_section_excludes_own_worker),
		cmocka_unit_test(test_bh_disable_waits_for_running_softirq),
		cmocka_unit_test(test_bh_section_on_other_vcpu_does_not_block),
		cmocka_unit_test(test_smp_processor_id),
		cmocka_unit_test(test_binding_rules),
		cmocka_unit_test(test_preempt_disable_enable),
		cmocka_unit_test(test_preempt_enable_does_not_eat_bh_count),
		cmocka_unit_test(
			test_unbalanced_bh_enable_reported_and_ignored),
		cmocka_unit_test(test_might_sleep_silent_in_task_context),
		cmocka_unit_test(test_might_sleep_in_bh_section),
		cmocka_unit_test(test_might_sleep_under_spin_lock),
		cmocka_unit_test(test_might_sleep_in_softirq),
		cmocka_unit_test(test_might_sleep_rate_limited_per_machine),
		cmocka_unit_test(test_interrupt_context_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
