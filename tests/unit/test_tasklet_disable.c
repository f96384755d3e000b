/* SPDX-License-Identifier: MIT */
/*
 * Disabling tasklets and holding their RUN bit: property P7 of
 * include/usoftirq/tasklet.h, deviations D1 (parking instead of re-queueing
 * on every pass) and D2 (unbalanced enable is reported), trylock/unlock and
 * the unlock waits, and the two Dekker races between a vCPU parking a
 * tasklet and the enable or unlock that must queue it again.
 *
 * A blocking call (disable, unlock_wait) runs in a helper thread; the test
 * knows it is blocked in the library when the tasklet's WAITERS bit is set,
 * and only then asserts that it has not returned.
 */
#include "test_util.h"

#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static int teardown(void **state)
{
	capture_stop();
	return teardown_machine(state);
}

#define STEPPED(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_stepped, teardown)
#define WORKERS(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_2cpu, teardown)

static unsigned int tasklet_stat(struct usoftirq_machine *m, unsigned int cpu)
{
	return usoftirq_softirq_stat(m, cpu, USOFTIRQ_TASKLET_SOFTIRQ);
}

static void do_disable(void *t)
{
	usoftirq_tasklet_disable(t);
}

static void do_disable_in_atomic(void *t)
{
	usoftirq_preempt_disable();
	usoftirq_tasklet_disable_in_atomic(t);
	usoftirq_preempt_enable();
}

static void do_unlock_wait(void *t)
{
	usoftirq_tasklet_unlock_wait(t);
}

static void *enable_thread(void *t)
{
	usoftirq_tasklet_enable(t);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* P7: nesting, and scheduling while disabled                          */
/* ------------------------------------------------------------------ */

/* P7: three disables need three enables before the tasklet runs. */
static void test_p7_nested_disable_needs_as_many_enables(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	for (int i = 0; i < 3; i++)
		usoftirq_tasklet_disable(&p.t);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 3);
	usoftirq_tasklet_schedule(&p.t);
	for (int i = 2; i >= 1; i--) {
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
		assert_int_equal(probe_started(&p), 0);
		usoftirq_tasklet_enable(&p.t);
		assert_int_equal(usoftirq_tasklet_count(&p.t), i);
	}
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_started(&p), 0);
	usoftirq_tasklet_enable(&p.t);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* P7+D1: scheduled while disabled: no run, and no re-raise on every pass. */
static void test_d1_scheduled_while_disabled_does_not_run_nor_spin(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	usoftirq_tasklet_disable(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	for (int i = 0; i < 5; i++) {
		/* The kernel would use up the loop's ten passes and return
		 * true, counting TASKLET ten more times, on every step. */
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
		assert_int_equal(tasklet_stat(m, 0), 1);
		assert_int_equal(usoftirq_local_softirq_pending(), 0);
	}
	assert_int_equal(probe_started(&p), 0);
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_int_equal(tasklet_state(&p.t), TEST_TASKLET_SCHED |
						      TEST_TASKLET_PARKED |
						      TEST_TASKLET_LISTED);
	usoftirq_tasklet_enable(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_stat(m, 0), 2);
	probe_destroy(&p);
}

/* P7: enabled from another thread, it runs once, on the scheduling vCPU. */
static void test_p7_runs_once_after_enable_from_other_thread(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	usoftirq_tasklet_disable(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	for (int i = 0; i < 3; i++)
		usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_started(&p), 0);
	run_in_thread(enable_thread, &p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_started(&p), 0);
	assert_int_equal(tasklet_stat(m, 0), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(p.run[0].cpu, 1);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* P7: enabled from another vCPU, it runs once, on the scheduling vCPU. */
static void test_p7_runs_once_after_enable_from_other_vcpu(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	usoftirq_tasklet_disable_nosync(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_enable(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(p.run[0].cpu, 1);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* P7: enabling a tasklet that was never scheduled runs and reports nothing. */
static void test_p7_enable_of_never_scheduled_tasklet_is_harmless(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	capture_start();
	usoftirq_tasklet_disable(&p.t);
	usoftirq_tasklet_enable(&p.t);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 0);
	assert_int_equal(tasklet_state(&p.t), 0);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_started(&p), 0);
	assert_int_equal(tasklet_stat(m, 0) + tasklet_stat(m, 1), 0);
	assert_int_equal(captured_total(), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* P7: disable waits for a running callback, nosync does not           */
/* ------------------------------------------------------------------ */

/*
 * The probe's first run is held on vCPU 0's worker; @fn (disable or
 * disable_in_atomic) is called in a helper thread and must not return
 * before the run does.
 */
static void check_disable_waits(struct usoftirq_machine *m, void (*fn)(void *t))
{
	unsigned long sleep_reports =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.entered);
	bg_call_start(&c, fn, &p.t);
	wait_tasklet_state(&p.t, TEST_TASKLET_WAITERS);
	/* The helper sleeps in the library, waiting for RUN to clear. */
	assert_false(bg_call_returned(&c));
	assert_true(usoftirq_tasklet_is_running(&p.t));
	assert_int_equal(usoftirq_tasklet_count(&p.t), 1);
	assert_int_equal(probe_finished(&p), 0);
	gate_open(&p.release);
	bg_call_join(&c);
	/* It returned after the callback did, and saw its writes. */
	assert_int_equal(probe_finished(&p), 1);
	assert_false(usoftirq_tasklet_is_running(&p.t));
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC),
			 sleep_reports);

	/* Still disabled: a new schedule parks until the enable. */
	usoftirq_tasklet_schedule(&p.t);
	wait_tasklet_state(&p.t, TEST_TASKLET_PARKED);
	assert_int_equal(probe_started(&p), 1);
	usoftirq_tasklet_enable(&p.t);
	gate_pass(&p.done);
	gate_pass(&p.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* P7: tasklet_disable() returns only after the running callback returns. */
static void test_p7_disable_waits_for_running_callback(void **state)
{
	check_disable_waits(*state, do_disable);
}

/* P7: disable_in_atomic (atomic context, no report) waits the same way. */
static void test_p7_disable_in_atomic_waits_for_running_callback(void **state)
{
	check_disable_waits(*state, do_disable_in_atomic);
}

/* P7: tasklet_disable_nosync() returns while the callback still runs. */
static void test_p7_disable_nosync_does_not_wait(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.entered);
	usoftirq_tasklet_disable_nosync(&p.t);
	/* Had it waited, this thread would never get here. */
	assert_int_equal(usoftirq_tasklet_count(&p.t), 1);
	assert_true(usoftirq_tasklet_is_running(&p.t));
	assert_int_equal(probe_finished(&p), 0);
	gate_open(&p.release);
	gate_pass(&p.done);
	usoftirq_machine_quiesce(m);
	usoftirq_tasklet_enable(&p.t);
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* tasklet_disable() in atomic context is the kernel's might_sleep() BUG. */
static void test_disable_in_atomic_context_reports_sleeping(void **state)
{
	struct usoftirq_machine *m = *state;
	unsigned long before;
	const char *text;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_preempt_disable();
	usoftirq_tasklet_disable(&p.t);
	usoftirq_preempt_enable();
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	text = captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0);
	assert_non_null(strstr(text, "BUG: sleeping function called from "
				     "invalid context at "));
	assert_non_null(strstr(text, "preempt_count: 1,"));
	assert_int_equal(usoftirq_tasklet_count(&p.t), 1);

	/* The atomic variant is meant for that context: no report. */
	before = usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	usoftirq_preempt_disable();
	usoftirq_tasklet_disable_in_atomic(&p.t);
	usoftirq_preempt_enable();
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC),
			 before);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 2);
	usoftirq_tasklet_enable(&p.t);
	usoftirq_tasklet_enable(&p.t);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* D2: unbalanced enable                                               */
/* ------------------------------------------------------------------ */

static _Atomic int unbalanced_runs;

static void unbalanced_cb(struct usoftirq_tasklet *t)
{
	(void)t;
	atomic_fetch_add(&unbalanced_runs, 1);
}

/* Unbalanced enable, report it, schedule it and let vCPU 0 park it. */
static void unbalance_and_park(struct usoftirq_machine *m,
			       struct usoftirq_tasklet *t)
{
	const char *text;

	atomic_store(&unbalanced_runs, 0);
	usoftirq_tasklet_setup(t, unbalanced_cb);
	capture_start();
	usoftirq_tasklet_enable(t);
	capture_stop();
	assert_int_equal(usoftirq_tasklet_count(t), -1);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE),
			 1);
	text = captured_text(USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE, 0);
	assert_non_null(strstr(text, "unbalanced_cb"));
	assert_ptr_equal(
		captured_tasklet(USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE, 0),
		t);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(t);
	for (int i = 0; i < 3; i++)
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&unbalanced_runs), 0);
	assert_int_equal(tasklet_stat(m, 0), 1);
	assert_true(usoftirq_tasklet_is_scheduled(t));
}

/* D2: an unbalanced enable is reported by name; the tasklet stays off. */
static void test_d2_unbalanced_enable_reported_stays_disabled(void **state)
{
	static struct usoftirq_tasklet t;

	unbalance_and_park(*state, &t);
	/* A second enable goes further below zero and is reported again. */
	capture_start();
	usoftirq_tasklet_enable(&t);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE),
			 1);
	assert_int_equal(usoftirq_tasklet_count(&t), -2);
	assert_false(usoftirq_cpu_run_softirqs(*state, 0));
	assert_int_equal(atomic_load(&unbalanced_runs), 0);
	/* Still scheduled: destroy reports it and resets it (swallowed). */
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(*state);
	*state = NULL;
	assert_int_equal(captured(USOFTIRQ_REPORT_DESTROY_PENDING), 1);
	assert_int_equal(atomic_load(&unbalanced_runs), 0);
}

/* D2: as in the kernel, a disable that brings the count to 0 lets it run. */
static void test_d2_disable_back_to_zero_runs_it(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct usoftirq_tasklet t;

	unbalance_and_park(m, &t);
	usoftirq_tasklet_disable_nosync(&t);
	assert_int_equal(usoftirq_tasklet_count(&t), 0);
	/* The kernel re-queues it on every pass; the next one runs it. */
	usoftirq_machine_quiesce(m);
	assert_int_equal(atomic_load(&unbalanced_runs), 1);
	assert_false(usoftirq_tasklet_is_scheduled(&t));
}

/* ------------------------------------------------------------------ */
/* D1: scheduled while running elsewhere                                */
/* ------------------------------------------------------------------ */

/* D1: held on vCPU 0, scheduled on vCPU 1: parked, then run on vCPU 1. */
static void test_d1_scheduled_while_running_elsewhere_is_parked(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_step step;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	bg_step_start(&step, m, 0);
	gate_pass(&p.entered);

	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	for (int i = 0; i < 4; i++) {
		assert_false(usoftirq_cpu_run_softirqs(m, 1));
		assert_int_equal(tasklet_stat(m, 1), 1);
	}
	assert_int_equal(probe_started(&p), 1);
	assert_int_equal(tasklet_state(&p.t),
			 TEST_TASKLET_SCHED | TEST_TASKLET_RUN |
				 TEST_TASKLET_PARKED | TEST_TASKLET_LISTED);

	gate_open(&p.release);
	bg_step_join(&step);
	assert_int_equal(probe_finished(&p), 1);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_started(&p), 1);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(p.run[1].cpu, 1);
	assert_true(p.run[1].enter_seq > p.run[0].exit_seq);
	assert_int_equal(tasklet_stat(m, 1), 2);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* Trylock, unlock and the unlock waits                                */
/* ------------------------------------------------------------------ */

/* A RUN bit held with trylock keeps the callback off until unlock. */
static void test_trylock_holds_off_run_until_unlock(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_true(usoftirq_tasklet_trylock(&p.t));
	assert_false(usoftirq_tasklet_trylock(&p.t));
	assert_true(usoftirq_tasklet_is_running(&p.t));
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	for (int i = 0; i < 3; i++) {
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
		assert_int_equal(tasklet_stat(m, 0), 1);
	}
	assert_int_equal(probe_started(&p), 0);
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	usoftirq_tasklet_unlock(&p.t);
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* unlock_wait() looks at RUN only: a queued tasklet does not hold it. */
static void test_unlock_wait_returns_at_once_for_queued_tasklet(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	/* Nobody steps vCPU 0: had it waited, it would wait forever. */
	usoftirq_tasklet_unlock_wait(&p.t);
	usoftirq_tasklet_unlock_spin_wait(&p.t);
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* unlock_wait() sleeps while RUN is held and returns after unlock. */
static void test_unlock_wait_waits_for_held_run_bit(void **state)
{
	static struct usoftirq_tasklet t;
	static struct bg_call c;

	(void)state;
	usoftirq_tasklet_init(&t, NULL, 0);
	assert_true(usoftirq_tasklet_trylock(&t));
	bg_call_start(&c, do_unlock_wait, &t);
	wait_tasklet_state(&t, TEST_TASKLET_WAITERS);
	assert_false(bg_call_returned(&c));
	usoftirq_tasklet_unlock(&t);
	bg_call_join(&c);
	assert_int_equal(tasklet_state(&t), 0);
}

/* ------------------------------------------------------------------ */
/* The Dekker races of parking                                         */
/* ------------------------------------------------------------------ */

#if defined(__SANITIZE_THREAD__)
#define RACE_ROUNDS 9000
#else
#define RACE_ROUNDS 30000
#endif

/*
 * One round: the test thread makes the tasklet unrunnable (disabled, or
 * RUN held) and schedules it on vCPU 0; then, released together by a
 * barrier, the owner thread steps vCPU 0 (which parks the tasklet, or
 * runs it if it is already runnable) while the test thread makes it
 * runnable again (enable, or unlock). Whatever the interleaving, the
 * tasklet must then run exactly once.
 *
 * The rounds cycle through three ways of timing the test thread's side:
 * right after the barrier (usually before the owner even starts); a short
 * random delay after the owner has taken vCPU 0's pending bits, which puts
 * it inside the few hundred nanoseconds between the owner's look at the
 * tasklet and its parking, the window the Dekker pairs protect; and after
 * the tasklet is seen parked.
 */
enum race_timing { RACE_EARLY, RACE_IN_WINDOW, RACE_AFTER_PARK, RACE_NR };

struct race {
	struct usoftirq_machine *m;
	pthread_barrier_t start;
	pthread_barrier_t end;
	_Atomic bool stop;
	_Atomic int owner_tid;
	_Atomic unsigned int ran_in_owner;
	unsigned int owner_runs[RACE_NR]; /* per timing, for the log */
};

/*
 * A pseudo-random delay for round @round, so that the two threads meet at
 * every offset: the range cycles from 16 to 16384 iterations, because how
 * long a step takes differs by orders of magnitude between plain and
 * sanitizer builds.
 */
static unsigned int next_spin(unsigned int *x, int round)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x % (16u << (round % 11));
}

static void spin(unsigned int n)
{
	for (volatile unsigned int i = 0; i < n; i++)
		;
}

static void race_owner(void *arg)
{
	struct race *r = arg;
	unsigned int x = 0x9e3779b9u;

	atomic_store(&r->owner_tid, (int)gettid());
	for (int round = 0;; round++) {
		pthread_barrier_wait(&r->start);
		if (atomic_load(&r->stop))
			return;
		spin(next_spin(&x, round));
		(void)usoftirq_cpu_run_softirqs(r->m, 0);
		pthread_barrier_wait(&r->end);
	}
}

static void race_count_owner_runs(struct probe *p, int run)
{
	struct race *r = p->arg;

	(void)run;
	if ((int)gettid() == atomic_load(&r->owner_tid))
		atomic_fetch_add(&r->ran_in_owner, 1);
}

static void race_wait(struct probe *p, enum race_timing timing,
		      unsigned int delay)
{
	switch (timing) {
	case RACE_EARLY:
		break;
	case RACE_IN_WINDOW:
		/* The owner clears the pending bit as it starts its loop. */
		while (usoftirq_local_softirq_pending() &
		       (1u << USOFTIRQ_TASKLET_SOFTIRQ))
			;
		break;
	default:
		wait_tasklet_state(&p->t, TEST_TASKLET_PARKED);
		break;
	}
	spin(delay);
}

/* Returns the first round that went wrong, or -1. */
static int race_rounds(struct race *r, struct probe *p, bool use_disable)
{
	unsigned int x = 0x2545f491u;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		unsigned int owner_before = atomic_load(&r->ran_in_owner);

		if (use_disable)
			usoftirq_tasklet_disable_nosync(&p->t);
		else if (!usoftirq_tasklet_trylock(&p->t))
			return i;
		usoftirq_tasklet_schedule(&p->t);
		pthread_barrier_wait(&r->start);
		race_wait(p, i % RACE_NR, next_spin(&x, i));
		if (use_disable)
			usoftirq_tasklet_enable(&p->t);
		else
			usoftirq_tasklet_unlock(&p->t);
		pthread_barrier_wait(&r->end);
		/* Runs it here if the enable/unlock queued it again. */
		usoftirq_machine_quiesce(r->m);
		if (probe_finished(p) != i + 1 || tasklet_state(&p->t) != 0)
			return i;
		r->owner_runs[i % RACE_NR] +=
			atomic_load(&r->ran_in_owner) - owner_before;
	}
	return -1;
}

static void check_parking_race(struct usoftirq_machine *m, bool use_disable)
{
	static struct race r;
	static struct bg_call owner;
	static struct probe p;
	int bad;

	memset(&r, 0, sizeof(r));
	r.m = m;
	probe_init(&p, 0);
	p.hook = race_count_owner_runs;
	p.arg = &r;
	assert_int_equal(pthread_barrier_init(&r.start, NULL, 2), 0);
	assert_int_equal(pthread_barrier_init(&r.end, NULL, 2), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	bg_call_start(&owner, race_owner, &r);
	bad = race_rounds(&r, &p, use_disable);
	atomic_store(&r.stop, true);
	pthread_barrier_wait(&r.start);
	bg_call_join(&owner);
	print_message("runs in the owner's step (the rest were queued again "
		      "by the %s), per timing: early %u, in window %u, after "
		      "park %u, of %d each\n",
		      use_disable ? "enable" : "unlock", r.owner_runs[0],
		      r.owner_runs[1], r.owner_runs[2], RACE_ROUNDS / RACE_NR);
	if (bad >= 0)
		print_message("round %d: %d runs, state %#lx\n", bad,
			      probe_finished(&p), tasklet_state(&p.t));
	assert_int_equal(bad, -1);
	assert_int_equal(probe_finished(&p), RACE_ROUNDS);
	pthread_barrier_destroy(&r.start);
	pthread_barrier_destroy(&r.end);
	probe_destroy(&p);
}

/* D1: enable racing with the owner parking a disabled tasklet: one run. */
static void test_race_enable_vs_owner_parking_runs_exactly_once(void **state)
{
	check_parking_race(*state, true);
}

/* D1: unlock racing with the owner parking a RUN-held tasklet: one run. */
static void test_race_unlock_vs_owner_parking_runs_exactly_once(void **state)
{
	check_parking_race(*state, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		STEPPED(test_p7_nested_disable_needs_as_many_enables),
		STEPPED(test_d1_scheduled_while_disabled_does_not_run_nor_spin),
		STEPPED(test_p7_runs_once_after_enable_from_other_thread),
		STEPPED(test_p7_runs_once_after_enable_from_other_vcpu),
		STEPPED(test_p7_enable_of_never_scheduled_tasklet_is_harmless),
		WORKERS(test_p7_disable_waits_for_running_callback),
		WORKERS(test_p7_disable_in_atomic_waits_for_running_callback),
		WORKERS(test_p7_disable_nosync_does_not_wait),
		STEPPED(test_disable_in_atomic_context_reports_sleeping),
		STEPPED(test_d2_unbalanced_enable_reported_stays_disabled),
		STEPPED(test_d2_disable_back_to_zero_runs_it),
		STEPPED(test_d1_scheduled_while_running_elsewhere_is_parked),
		STEPPED(test_trylock_holds_off_run_until_unlock),
		STEPPED(test_unlock_wait_returns_at_once_for_queued_tasklet),
		STEPPED(test_unlock_wait_waits_for_held_run_bit),
		STEPPED(test_race_enable_vs_owner_parking_runs_exactly_once),
		STEPPED(test_race_unlock_vs_owner_parking_runs_exactly_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
