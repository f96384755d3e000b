/* SPDX-License-Identifier: MIT */
/*
 * The softirq engine: vector names and numbers, registration, where and in
 * which context a raised vector runs, the order and passes of the loop, its
 * ten-pass budget, the counters and the /proc/softirqs table, the reports
 * for vectors without a handler and for leaked preempt counts, the
 * non-waking raise and do_softirq().
 *
 * Handlers take no argument, so what they see is recorded in file-scope
 * atomics, reset by every test and asserted on by the test's own thread.
 */
#include "test_util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIT(nr) (1u << (nr))
#define TIMER USOFTIRQ_TIMER_SOFTIRQ
#define NET_TX USOFTIRQ_NET_TX_SOFTIRQ
#define NET_RX USOFTIRQ_NET_RX_SOFTIRQ
#define SCHED USOFTIRQ_SCHED_SOFTIRQ
#define BUDGET_NS USOFTIRQ_MAX_SOFTIRQ_TIME_NS

/* ------------------------------------------------------------------ */
/* What the handlers saw                                               */
/* ------------------------------------------------------------------ */

#define MAX_ORDER 64

static _Atomic unsigned int runs[USOFTIRQ_NR_SOFTIRQS];
static _Atomic unsigned int order[MAX_ORDER];
static _Atomic unsigned int norder;
static _Atomic unsigned int seen_cpu;
static _Atomic bool seen_serving;
static _Atomic unsigned int seen_pc;
static _Atomic int seen_tid;
/* Raises the re-raising handlers may still make. */
static _Atomic int raises_left;
/* Set: the self-raiser stops raising. */
static _Atomic bool stop_raising;
/* Runs seen on a thread other than expected_tid, or on another vCPU. */
static _Atomic int expected_tid;
static _Atomic unsigned int runs_elsewhere;
/* TIMER runs counted right after a nested do_softirq() returned. */
static _Atomic unsigned int timer_runs_after_nested;

static void reset_records(void)
{
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
		atomic_store(&runs[nr], 0);
	for (unsigned int i = 0; i < MAX_ORDER; i++)
		atomic_store(&order[i], UINT_MAX);
	atomic_store(&norder, 0);
	atomic_store(&seen_cpu, UINT_MAX);
	atomic_store(&seen_serving, false);
	atomic_store(&seen_pc, 0);
	atomic_store(&seen_tid, 0);
	atomic_store(&raises_left, 0);
	atomic_store(&stop_raising, false);
	atomic_store(&expected_tid, 0);
	atomic_store(&runs_elsewhere, 0);
	atomic_store(&timer_runs_after_nested, UINT_MAX);
}

static void record(unsigned int nr)
{
	unsigned int i = atomic_fetch_add(&norder, 1);
	int tid = expected_tid;

	if (i < MAX_ORDER)
		atomic_store(&order[i], nr);
	atomic_fetch_add(&runs[nr], 1);
	atomic_store(&seen_cpu, usoftirq_smp_processor_id());
	atomic_store(&seen_serving, usoftirq_in_serving_softirq());
	atomic_store(&seen_pc, usoftirq_preempt_count());
	atomic_store(&seen_tid, (int)gettid());
	if ((tid && tid != (int)gettid()) || usoftirq_smp_processor_id() != 0)
		atomic_fetch_add(&runs_elsewhere, 1);
}

/* Take one of the raises left; false when none is left. */
static bool take_raise(void)
{
	return atomic_fetch_sub(&raises_left, 1) > 0;
}

static void rec1(void)
{
	record(1);
}

static void rec2(void)
{
	record(2);
}

static void rec3(void)
{
	record(3);
}

static void rec4(void)
{
	record(4);
}

static void rec5(void)
{
	record(5);
}

static void rec7(void)
{
	record(7);
}

static void rec8(void)
{
	record(8);
}

static void rec9(void)
{
	record(9);
}

/* One recording handler per vector; NULL for the tasklet vectors. */
static void (*const recorders[USOFTIRQ_NR_SOFTIRQS])(void) = {
	NULL, rec1, rec2, rec3, rec4, rec5, NULL, rec7, rec8, rec9,
};

static void open_recorders(struct usoftirq_machine *m)
{
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
		if (recorders[nr])
			assert_int_equal(
				usoftirq_open_softirq(m, nr, recorders[nr]), 0);
}

static struct usoftirq_machine *stepped(unsigned int ncpus)
{
	reset_records();
	return test_machine(ncpus, USOFTIRQ_MACHINE_NO_WORKERS);
}

static void finish(struct usoftirq_machine *m)
{
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* Vectors and registration                                            */
/* ------------------------------------------------------------------ */

/* The ten vectors have the kernel's numbers and names, and no eleventh. */
static void test_vector_names_and_numbers(void **state)
{
	static const char *const names[] = {
		"HI",	    "TIMER",   "NET_TX", "NET_RX",  "BLOCK",
		"IRQ_POLL", "TASKLET", "SCHED",	 "HRTIMER", "RCU",
	};

	(void)state;
	assert_int_equal(USOFTIRQ_HI_SOFTIRQ, 0);
	assert_int_equal(USOFTIRQ_TIMER_SOFTIRQ, 1);
	assert_int_equal(USOFTIRQ_NET_TX_SOFTIRQ, 2);
	assert_int_equal(USOFTIRQ_NET_RX_SOFTIRQ, 3);
	assert_int_equal(USOFTIRQ_BLOCK_SOFTIRQ, 4);
	assert_int_equal(USOFTIRQ_IRQ_POLL_SOFTIRQ, 5);
	assert_int_equal(USOFTIRQ_TASKLET_SOFTIRQ, 6);
	assert_int_equal(USOFTIRQ_SCHED_SOFTIRQ, 7);
	assert_int_equal(USOFTIRQ_HRTIMER_SOFTIRQ, 8);
	assert_int_equal(USOFTIRQ_RCU_SOFTIRQ, 9);
	assert_int_equal(USOFTIRQ_NR_SOFTIRQS, 10);
	assert_int_equal(USOFTIRQ_MAX_SOFTIRQ_RESTART, 10);
	assert_int_equal(USOFTIRQ_MAX_SOFTIRQ_TIME_NS, 2000000);
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
		assert_string_equal(usoftirq_softirq_name(nr), names[nr]);
	assert_null(usoftirq_softirq_name(USOFTIRQ_NR_SOFTIRQS));
	assert_null(usoftirq_softirq_name(UINT_MAX));
}

/* open_softirq() refuses bad arguments and the tasklet vectors, reporting
 * each refusal, and the refused tasklet vectors keep their own handlers. */
static void test_open_softirq_refusals_are_reported(void **state)
{
	struct usoftirq_machine *m = stepped(1);
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_INVALID_ARGUMENT);
	static const char *const calls[] = {
		"open_softirq(1)",	    "open_softirq(10)",
		"open_softirq(4294967295)", "open_softirq(1)",
		"open_softirq(0)",	    "open_softirq(6)",
	};

	(void)state;
	capture_start();
	assert_int_equal(usoftirq_open_softirq(NULL, TIMER, rec1), -EINVAL);
	assert_int_equal(usoftirq_open_softirq(m, USOFTIRQ_NR_SOFTIRQS, rec1),
			 -EINVAL);
	assert_int_equal(usoftirq_open_softirq(m, UINT_MAX, rec1), -EINVAL);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, NULL), -EINVAL);
	assert_int_equal(usoftirq_open_softirq(m, USOFTIRQ_HI_SOFTIRQ, rec1),
			 -EBUSY);
	assert_int_equal(usoftirq_open_softirq(m, USOFTIRQ_TASKLET_SOFTIRQ,
					       rec1),
			 -EBUSY);
	assert_int_equal(usoftirq_open_softirq(m, NET_TX, rec2), 0);
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 6);
	assert_int_equal(captured_total(), 6);
	for (unsigned int i = 0; i < 6; i++)
		assert_non_null(strstr(
			captured_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, i),
			calls[i]));
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_INVALID_ARGUMENT) -
			before,
		6);

	/* HI and TASKLET still run the tasklet engine, not rec1. */
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(USOFTIRQ_HI_SOFTIRQ);
	usoftirq_raise_softirq(USOFTIRQ_TASKLET_SOFTIRQ);
	usoftirq_raise_softirq(NET_TX);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	capture_stop();
	assert_int_equal(runs[TIMER], 0);
	assert_int_equal(runs[NET_TX], 1);
	assert_int_equal(captured_total(), 6);
	assert_int_equal(usoftirq_softirq_stat(m, 0, USOFTIRQ_HI_SOFTIRQ), 1);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Where, in which context and in which order vectors run              */
/* ------------------------------------------------------------------ */

/* A raised vector runs only when the vCPU that raised it is stepped, in
 * softirq context (preempt_count 0x100) on that vCPU. */
static void test_vector_runs_on_raising_vcpu(void **state)
{
	struct usoftirq_machine *m = stepped(2);

	(void)state;
	open_recorders(m);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_raise_softirq(TIMER);
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));

	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(runs[TIMER], 0);
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));

	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(runs[TIMER], 1);
	assert_int_equal(seen_cpu, 1);
	assert_true(seen_serving);
	assert_int_equal(seen_pc, USOFTIRQ_SOFTIRQ_OFFSET);
	assert_int_equal(seen_tid, gettid());
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), 0);
	assert_int_equal(usoftirq_softirq_stat(m, 1, TIMER), 1);
	assert_int_equal(usoftirq_preempt_count(), 0);
	finish(m);
}

/* Within one pass vectors run lowest number first, whatever the order in
 * which they were raised. */
static void test_vectors_run_lowest_first(void **state)
{
	static const unsigned int raised[] = { 9, 8, 7, 5, 4, 3, 2, 1 };
	static const unsigned int want[] = { 1, 2, 3, 4, 5, 7, 8, 9 };
	struct usoftirq_machine *m = stepped(1);

	(void)state;
	open_recorders(m);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	for (unsigned int i = 0; i < 8; i++)
		usoftirq_raise_softirq(raised[i]);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(norder, 8);
	for (unsigned int i = 0; i < 8; i++) {
		assert_int_equal(order[i], want[i]);
		assert_int_equal(usoftirq_softirq_stat(m, 0, want[i]), 1);
	}
	finish(m);
}

/* TIMER handler: on its first run raises SCHED and TIMER again. */
static void timer_raises_more(void)
{
	record(TIMER);
	if (take_raise()) {
		usoftirq_raise_softirq(SCHED);
		usoftirq_raise_softirq(TIMER);
	}
}

/* What a handler raises runs in the next pass of the same invocation:
 * a pass runs the snapshot taken at its start, so SCHED, raised while
 * TIMER ran and not yet reached, still waits for the next pass. */
static void test_raise_during_pass_runs_next_pass(void **state)
{
	static const unsigned int want[] = { TIMER, NET_RX, TIMER, SCHED };
	struct usoftirq_machine *m = stepped(1);

	(void)state;
	open_recorders(m);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, timer_raises_more), 0);
	atomic_store(&raises_left, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(NET_RX);
	usoftirq_raise_softirq(TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(norder, 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(order[i], want[i]);
	/* Two passes in one invocation: TIMER counted in each. */
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), 2);
	assert_int_equal(usoftirq_softirq_stat(m, 0, NET_RX), 1);
	assert_int_equal(usoftirq_softirq_stat(m, 0, SCHED), 1);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* The budget                                                          */
/* ------------------------------------------------------------------ */

static void self_raiser(void)
{
	record(TIMER);
	if (!atomic_load(&stop_raising))
		usoftirq_raise_softirq(TIMER);
}

/*
 * One usoftirq_cpu_run_softirqs() call on a vector that keeps raising
 * itself: never more than ten passes, and fewer only if the call really
 * ran for the 2 ms time budget (the host may preempt us). Returns whether
 * the call made exactly ten passes.
 */
static bool ten_passes_in_one_call(struct usoftirq_machine *m)
{
	unsigned int before = usoftirq_softirq_stat(m, 0, TIMER);
	uint64_t start = now_ns();
	bool more = usoftirq_cpu_run_softirqs(m, 0);
	uint64_t took = now_ns() - start;
	unsigned int passes = usoftirq_softirq_stat(m, 0, TIMER) - before;

	assert_true(more);
	assert_int_equal(runs[TIMER], usoftirq_softirq_stat(m, 0, TIMER));
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));
	assert_in_range(passes, 1, USOFTIRQ_MAX_SOFTIRQ_RESTART);
	if (passes < USOFTIRQ_MAX_SOFTIRQ_RESTART)
		assert_true(took >= BUDGET_NS);
	return passes == USOFTIRQ_MAX_SOFTIRQ_RESTART;
}

/* A vector that raises itself every time runs exactly ten passes per
 * invocation; the call says work is left, the vector stays pending, and
 * the next call runs ten more. */
static void test_budget_is_ten_passes(void **state)
{
	struct usoftirq_machine *m = stepped(1);
	unsigned int full_calls = 0, before;

	(void)state;
	assert_int_equal(usoftirq_open_softirq(m, TIMER, self_raiser), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	/* Normally the first two calls; a preempted call is retried. */
	for (int tries = 0; full_calls < 2 && tries < 1000; tries++)
		full_calls += ten_passes_in_one_call(m);
	assert_int_equal(full_calls, 2);

	atomic_store(&stop_raising, true);
	before = usoftirq_softirq_stat(m, 0, TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), before + 1);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	finish(m);
}

static void raise_while_allowed(void)
{
	record(TIMER);
	if (take_raise())
		usoftirq_raise_softirq(TIMER);
}

/* With workers, a handler that re-raises itself N times runs N + 1 times,
 * all on vCPU 0's worker across many invocations, and the machine then
 * quiesces. */
static void test_worker_runs_self_raiser_to_the_end(void **state)
{
	enum { N = 1000 };
	struct usoftirq_machine *m;

	(void)state;
	reset_records();
	m = test_machine(2, 0);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, raise_while_allowed),
			 0);
	atomic_store(&raises_left, N);
	atomic_store(&expected_tid, usoftirq_machine_worker_tid(m, 0));
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	usoftirq_machine_quiesce(m);
	assert_int_equal(runs[TIMER], N + 1);
	assert_int_equal(runs_elsewhere, 0);
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), N + 1);
	assert_int_equal(usoftirq_softirq_stat(m, 1, TIMER), 0);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	finish(m);
}

/* Children that could hang arm this watchdog; it only turns a hang into a
 * failure (a child that works exits in milliseconds). */
#define CHILD_WATCHDOG_S 10

/* Exit codes of leftover_child() other than 0. */
enum { LEFTOVER_SETUP = 2, LEFTOVER_NO_BUDGET, LEFTOVER_COUNT };

/*
 * In a child: with vCPU 0's worker asleep, set TIMER pending without waking
 * it, and step vCPU 0 by hand with a handler that re-raises itself 15
 * times. The step spends its budget; what it leaves must reach the worker,
 * or quiesce waits for ever (then the watchdog ends the child).
 */
static void leftover_child(void *arg)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m;

	(void)arg;
	alarm(CHILD_WATCHDOG_S);
	reset_records();
	cfg.ncpus = 1;
	if (usoftirq_machine_create(&m, &cfg) != 0 ||
	    usoftirq_open_softirq(m, TIMER, raise_while_allowed) != 0 ||
	    usoftirq_thread_bind(m, 0) != 0)
		_exit(LEFTOVER_SETUP);
	atomic_store(&raises_left, 15);
	(void)wait_futex_blocked(usoftirq_machine_worker_tid(m, 0), 0);
	usoftirq_raise_softirq_irqoff_nowake(TIMER);
	if (!usoftirq_cpu_run_softirqs(m, 0))
		_exit(LEFTOVER_NO_BUDGET);
	usoftirq_machine_quiesce(m);
	if (atomic_load(&runs[TIMER]) != 16)
		_exit(LEFTOVER_COUNT);
	finish(m);
	_exit(0);
}

/* On a machine with workers, what usoftirq_cpu_run_softirqs() leaves when
 * its budget runs out goes to the vCPU's worker, as at the end of a BH
 * section (kernel: wakeup_softirqd()), even if the worker was asleep. */
static void test_step_leftover_goes_to_worker(void **state)
{
	char out[4096];
	int status;

	(void)state;
	status = run_in_child(leftover_child, NULL, out, sizeof(out));
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		print_error("quiesce never returned: the rest of the step was "
			    "left pending with the worker asleep\n");
	assert_false(WIFSIGNALED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "");
}

/* ------------------------------------------------------------------ */
/* Counters and reports                                                */
/* ------------------------------------------------------------------ */

/* The counter goes up once per pass that runs a vector, not per raise:
 * a hundred raises before one step count once. */
static void test_stat_counts_passes_not_raises(void **state)
{
	struct usoftirq_machine *m = stepped(2);

	(void)state;
	open_recorders(m);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	for (int i = 0; i < 100; i++)
		usoftirq_raise_softirq(TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(runs[TIMER], 1);
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), 1);
	usoftirq_raise_softirq(TIMER);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(usoftirq_softirq_stat(m, 0, TIMER), 2);
	assert_int_equal(usoftirq_softirq_stat(m, 1, TIMER), 0);
	/* Bad vCPU or vector: 0. */
	assert_int_equal(usoftirq_softirq_stat(m, 2, TIMER), 0);
	assert_int_equal(usoftirq_softirq_stat(m, 0, USOFTIRQ_NR_SOFTIRQS), 0);
	finish(m);
}

/* Raise NET_TX (no handler) and step, @times times, on a new machine;
 * returns how many NO_HANDLER reports were printed. */
static unsigned int raise_unhandled(unsigned int times)
{
	struct usoftirq_machine *m = stepped(1);
	unsigned int printed;

	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	for (unsigned int i = 0; i < times; i++) {
		usoftirq_raise_softirq(NET_TX);
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
	}
	capture_stop();
	printed = captured(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER);
	if (printed)
		assert_non_null(strstr(
			captured_text(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER, 0),
			"softirq 2 (NET_TX)"));
	assert_int_equal(usoftirq_softirq_stat(m, 0, NET_TX), times);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	finish(m);
	return printed;
}

/* A raised vector without a handler is counted, and reported once per
 * machine; usoftirq_report_count() sees every occurrence. */
static void test_no_handler_reported_once_per_machine(void **state)
{
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER);

	(void)state;
	assert_int_equal(raise_unhandled(3), 1);
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER) -
			before,
		3);
	/* A new machine reports again. */
	assert_int_equal(raise_unhandled(1), 1);
}

/* TIMER handler that returns with one preempt count too many. */
static void leaky_handler(void)
{
	record(TIMER);
	usoftirq_preempt_disable();
}

/* A handler that changes preempt_count gets the kernel's "huh, entered
 * softirq" message with vector, name, handler and both counts, and the
 * count is forced back before the next handler runs. */
static void test_preempt_leak_reported_and_restored(void **state)
{
	struct usoftirq_machine *m = stepped(1);
	char want[256];

	(void)state;
	open_recorders(m);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, leaky_handler), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	usoftirq_raise_softirq(NET_TX);
	capture_start();
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK), 1);
	snprintf(want, sizeof(want),
		 "huh, entered softirq %u %s %p with preempt_count %08x, "
		 "exited with %08x?",
		 1u, "TIMER", (void *)leaky_handler, 0x100u, 0x101u);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK, 0), want);
	/* NET_TX ran after TIMER in the same pass, with the count restored. */
	assert_int_equal(runs[NET_TX], 1);
	assert_int_equal(seen_pc, USOFTIRQ_SOFTIRQ_OFFSET);
	assert_int_equal(usoftirq_preempt_count(), 0);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Raising without waking, do_softirq()                                */
/* ------------------------------------------------------------------ */

/* __raise_softirq_irqoff() sets the bit but leaves a sleeping worker
 * asleep, so the vector stays pending; the next ordinary raise wakes the
 * worker, which then runs both. */
static void test_nowake_raise_leaves_worker_asleep(void **state)
{
	struct usoftirq_machine *m;
	uintptr_t asleep_on;
	int worker;

	(void)state;
#if defined(__SANITIZE_THREAD__)
	/* Under TSan a worker's idle sleep is a wait bounded at 10 ms
	 * (src/futex.h), after which it finds the bit and runs the vector:
	 * "left asleep" is only observable in the plain and ASan builds. */
	skip();
#endif
	reset_records();
	m = test_machine(2, 0);
	open_recorders(m);
	worker = usoftirq_machine_worker_tid(m, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_machine_quiesce(m);
	/* Nothing pending, nobody holds vCPU 0: its worker's only futex
	 * wait now is its idle sleep on the pending word. */
	asleep_on = wait_futex_blocked(worker, 0);

	usoftirq_raise_softirq_irqoff_nowake(TIMER);
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));
	assert_int_equal(runs[TIMER], 0);
	assert_true(thread_futex_addr(worker) == asleep_on);

	usoftirq_raise_softirq(NET_TX);
	usoftirq_machine_quiesce(m);
	assert_int_equal(runs[TIMER], 1);
	assert_int_equal(runs[NET_TX], 1);
	assert_int_equal(seen_tid, worker);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	finish(m);
}

/* NET_TX handler: raises TIMER and calls do_softirq(), which must not
 * run it here, in softirq context. */
static void nested_do_softirq(void)
{
	record(NET_TX);
	usoftirq_raise_softirq(TIMER);
	usoftirq_do_softirq();
	atomic_store(&timer_runs_after_nested, atomic_load(&runs[TIMER]));
}

/* do_softirq() runs the vCPU's pending softirqs in the caller, and does
 * nothing in interrupt context (BH disabled, or serving a softirq). */
static void test_do_softirq_runs_in_caller_only_outside_interrupt(void **state)
{
	struct usoftirq_machine *m = stepped(1);

	(void)state;
	open_recorders(m);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_raise_softirq(TIMER);
	usoftirq_do_softirq();
	assert_int_equal(runs[TIMER], 1);
	assert_int_equal(seen_tid, gettid());
	assert_true(seen_serving);
	assert_int_equal(usoftirq_local_softirq_pending(), 0);

	usoftirq_local_bh_disable();
	usoftirq_raise_softirq(TIMER);
	usoftirq_do_softirq();
	assert_int_equal(runs[TIMER], 1);
	assert_int_equal(usoftirq_local_softirq_pending(), BIT(TIMER));
	usoftirq_local_bh_enable();
	assert_int_equal(runs[TIMER], 2);

	assert_int_equal(usoftirq_open_softirq(m, NET_TX, nested_do_softirq),
			 0);
	usoftirq_raise_softirq(NET_TX);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(timer_runs_after_nested, 2);
	assert_int_equal(runs[TIMER], 3);
	assert_int_equal(usoftirq_preempt_count(), 0);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* /proc/softirqs                                                      */
/* ------------------------------------------------------------------ */

#define TABLE_CPUS 3

/* The count the table test gives each (vCPU, vector), 0 to 12. */
static unsigned int wanted_count(unsigned int cpu, unsigned int nr)
{
	return (nr * 5 + cpu * 3) % 13;
}

static void noop_handler(void)
{
}

/* Step each vCPU until every vector has run wanted_count() passes there. */
static void make_counts(struct usoftirq_machine *m)
{
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
		if (recorders[nr])
			assert_int_equal(
				usoftirq_open_softirq(m, nr, noop_handler), 0);
	for (unsigned int cpu = 0; cpu < TABLE_CPUS; cpu++) {
		assert_int_equal(usoftirq_thread_bind(m, cpu), 0);
		for (unsigned int pass = 0; pass < 13; pass++) {
			for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS;
			     nr++)
				if (wanted_count(cpu, nr) > pass)
					usoftirq_raise_softirq(nr);
			(void)usoftirq_cpu_run_softirqs(m, cpu);
		}
	}
	usoftirq_thread_unbind();
	for (unsigned int cpu = 0; cpu < TABLE_CPUS; cpu++)
		for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
			assert_int_equal(usoftirq_softirq_stat(m, cpu, nr),
					 wanted_count(cpu, nr));
}

/* The table by the layout rule of fs/proc/softirqs.c. */
static size_t expected_table(char *buf, size_t size)
{
	size_t len = 0;

	len += (size_t)snprintf(buf + len, size - len, "%s",
				"                    ");
	for (int cpu = 0; cpu < TABLE_CPUS; cpu++)
		len += (size_t)snprintf(buf + len, size - len, "CPU%-8d", cpu);
	len += (size_t)snprintf(buf + len, size - len, "\n");
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++) {
		len += (size_t)snprintf(buf + len, size - len,
					"%12s:", usoftirq_softirq_name(nr));
		for (unsigned int cpu = 0; cpu < TABLE_CPUS; cpu++)
			len += (size_t)snprintf(buf + len, size - len, " %10u",
						wanted_count(cpu, nr));
		len += (size_t)snprintf(buf + len, size - len, "\n");
	}
	assert_true(len < size);
	return len;
}

/* usoftirq_softirqs_format() prints /proc/softirqs byte for byte: header
 * of 20 spaces and "CPU%-8d" columns, then "%12s:" and " %10u" rows. */
static void test_softirqs_table_is_byte_exact(void **state)
{
	static const char header[] =
		"                    CPU0       CPU1       CPU2       \n"
		"          HI:          0          3          6\n"
		"       TIMER:          5          8         11\n";
	struct usoftirq_machine *m = stepped(TABLE_CPUS);
	char want[2048], got[2048];
	size_t len = expected_table(want, sizeof(want));

	(void)state;
	make_counts(m);
	assert_int_equal(usoftirq_softirqs_format(m, got, sizeof(got)), len);
	assert_string_equal(got, want);
	assert_memory_equal(got, header, sizeof(header) - 1);
	finish(m);
}

/* With size 0 the call only returns the length it needs; a smaller buffer
 * gets the table's prefix, NUL-terminated, and nothing past its end. */
static void test_softirqs_table_size_and_truncation(void **state)
{
	struct usoftirq_machine *m = stepped(TABLE_CPUS);
	char full[2048], small[64];
	int len;

	(void)state;
	make_counts(m);
	len = usoftirq_softirqs_format(m, NULL, 0);
	assert_int_equal(usoftirq_softirqs_format(m, full, sizeof(full)), len);
	assert_int_equal(strlen(full), len);

	memset(small, 'X', sizeof(small));
	assert_int_equal(usoftirq_softirqs_format(m, small, 40), len);
	assert_int_equal(strlen(small), 39);
	assert_memory_equal(small, full, 39);
	for (size_t i = 40; i < sizeof(small); i++)
		assert_int_equal(small[i], 'X');

	assert_int_equal(usoftirq_softirqs_format(m, small, 1), len);
	assert_int_equal(small[0], '\0');

	/* One byte short of the whole table, and exactly enough. */
	memset(full, 'X', sizeof(full));
	assert_int_equal(usoftirq_softirqs_format(m, full, (size_t)len), len);
	assert_int_equal(strlen(full), len - 1);
	assert_int_equal(usoftirq_softirqs_format(m, full, (size_t)len + 1),
			 len);
	assert_int_equal(strlen(full), len);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_names_and_numbers),
		cmocka_unit_test(test_open_softirq_refusals_are_reported),
		cmocka_unit_test(test_vector_runs_on_raising_vcpu),
		cmocka_unit_test(test_vectors_run_lowest_first),
		cmocka_unit_test(test_raise_during_pass_runs_next_pass),
		cmocka_unit_test(test_budget_is_ten_passes),
		cmocka_unit_test(test_worker_runs_self_raiser_to_the_end),
		cmocka_unit_test(test_step_leftover_goes_to_worker),
		cmocka_unit_test(test_stat_counts_passes_not_raises),
		cmocka_unit_test(test_no_handler_reported_once_per_machine),
		cmocka_unit_test(test_preempt_leak_reported_and_restored),
		cmocka_unit_test(test_nowake_raise_leaves_worker_asleep),
		cmocka_unit_test(
			test_do_softirq_runs_in_caller_only_outside_interrupt),
		cmocka_unit_test(test_softirqs_table_is_byte_exact),
		cmocka_unit_test(test_softirqs_table_size_and_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
