/* SPDX-License-Identifier: MIT */
/*
 * Tasklet misuse: the remaining edge cases of kernel-semantics 3.5 and the
 * messages of its section 8. Re-initialising a scheduled tasklet (D4),
 * scheduling with no machine, a callback that leaks preempt_count, sleeping
 * calls from a callback, and the atomic waits called from the tasklet's own
 * callback (D3). The destroy report for tasklets left scheduled is tested
 * in test_machine.c.
 *
 * Scenarios that end the process (abort) or that could hang the library
 * run in a forked child (run_in_child()); the parent asserts on what the
 * child wrote to standard error and on how it ended.
 */
#include "test_util.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int teardown(void **state)
{
	capture_stop();
	return teardown_machine(state);
}

#define STEPPED(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_stepped, teardown)

static bool starts_with(const char *text, const char *prefix)
{
	return text && strncmp(text, prefix, strlen(prefix)) == 0;
}

static bool contains(const char *text, const char *what)
{
	return text && strstr(text, what);
}

/* ------------------------------------------------------------------ */
/* Forked children                                                     */
/* ------------------------------------------------------------------ */

/*
 * Children that could hang arm a watchdog first. It is not
 * synchronisation: a child that works exits in microseconds, and the alarm
 * only turns a hang (which would otherwise last until the CTest timeout)
 * into a failure that says what hung.
 */
#define CHILD_WATCHDOG_S 10

static void schedule_without_machine(void *arg)
{
	static struct usoftirq_tasklet t;

	usoftirq_tasklet_setup(&t, NULL);
	if (arg)
		usoftirq_tasklet_hi_schedule(&t);
	else
		usoftirq_tasklet_schedule(&t);
}

/* Scheduling with no machine at all aborts, naming what is missing. */
static void test_schedule_without_machine_aborts(void **state)
{
	char out[2048];

	(void)state;
	assert_null(usoftirq_machine_default());
	assert_null(usoftirq_machine_current());
	for (int hi = 0; hi < 2; hi++) {
		int status = run_in_child(schedule_without_machine,
					  hi ? &hi : NULL, out, sizeof(out));

		print_message("child said: %s", out);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGABRT);
		assert_true(contains(out, "needs a usoftirq machine"));
		assert_true(contains(out, "usoftirq_machine_create()"));
	}
}

/* ------------------------------------------------------------------ */
/* D4: re-initialising a scheduled tasklet                             */
/* ------------------------------------------------------------------ */

static _Atomic int reinit_runs;

static void reinit_cb(struct usoftirq_tasklet *t)
{
	(void)t;
	atomic_fetch_add(&reinit_runs, 1);
}

static void reinit_func(unsigned long data)
{
	(void)data;
	atomic_fetch_add(&reinit_runs, 1);
}

/* D4: re-init while queued: reported, skipped, the queue behind runs. */
static void test_d4_reinit_of_queued_tasklet_reported_queue_intact(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct usoftirq_tasklet a;
	static struct probe b, c;
	const char *line;

	atomic_store(&reinit_runs, 0);
	usoftirq_tasklet_setup(&a, reinit_cb);
	probe_init(&b, 0);
	probe_init(&c, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&a);
	usoftirq_tasklet_schedule(&b.t);
	usoftirq_tasklet_schedule(&c.t);
	usoftirq_tasklet_setup(&a, reinit_cb);
	assert_int_equal(tasklet_state(&a), 0);
	capture_start();
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET), 1);
	assert_true(starts_with(
		captured_text(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET, 0),
		"tasklet SCHED state not set: callback reinit_cb+0x0/0x"));
	assert_ptr_equal(
		captured_tasklet(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET, 0), &a);
	line = captured_line(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET, 0);
	assert_true(contains(line, "WARNING: "));
	assert_int_equal(atomic_load(&reinit_runs), 0);
	/* The kernel would have lost these two. */
	assert_int_equal(probe_finished(&b), 1);
	assert_int_equal(probe_finished(&c), 1);
	assert_true(b.run[0].exit_seq < c.run[0].enter_seq);
	/* Skipped, idle, and usable again. */
	assert_int_equal(tasklet_state(&a), 0);
	usoftirq_tasklet_schedule(&a);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&reinit_runs), 1);
	probe_destroy(&b);
	probe_destroy(&c);
}

/* Schedule @t on @m's vCPU 0, re-initialise it (legacy), run vCPU 0. */
static void reinit_queued_legacy(struct usoftirq_machine *m,
				 struct usoftirq_tasklet *t)
{
	usoftirq_tasklet_init(t, reinit_func, 7);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(t);
	usoftirq_tasklet_init(t, reinit_func, 7);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
}

/* D4: the warning is the kernel's WARN_ONCE: once per machine ("func"). */
static void test_d4_sched_not_set_reported_once_per_machine(void **state)
{
	struct usoftirq_machine *m = *state, *other;
	static struct usoftirq_tasklet t;
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET);

	atomic_store(&reinit_runs, 0);
	capture_start();
	reinit_queued_legacy(m, &t);
	reinit_queued_legacy(m, &t);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET), 1);
	assert_true(starts_with(
		captured_text(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET, 0),
		"tasklet SCHED state not set: func reinit_func+0x0/0x"));
	/* Both were counted, only the first printed. */
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET),
		before + 2);

	other = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS |
					USOFTIRQ_MACHINE_NO_DEFAULT);
	reinit_queued_legacy(other, &t);
	usoftirq_machine_destroy(other);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET), 2);
	assert_int_equal(atomic_load(&reinit_runs), 0);
}

/*
 * The child of the next test: schedule a disabled tasklet, let the vCPU
 * park it, re-initialise it, step, schedule it again, step, destroy the
 * machine. It prints what it saw; the parent asserts.
 */
static void reinit_parked_child(void *arg)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	static struct usoftirq_tasklet t;
	struct usoftirq_machine *m;

	(void)arg;
	alarm(CHILD_WATCHDOG_S);
	cfg.ncpus = 1;
	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS;
	if (usoftirq_machine_create(&m, &cfg) != 0)
		_exit(2);
	atomic_store(&reinit_runs, 0);
	usoftirq_tasklet_setup(&t, reinit_cb);
	usoftirq_tasklet_disable_nosync(&t);
	usoftirq_tasklet_schedule(&t);
	(void)usoftirq_cpu_run_softirqs(m, 0); /* parks it (D1) */
	capture_start();
	usoftirq_tasklet_setup(&t, reinit_cb);
	(void)usoftirq_cpu_run_softirqs(m, 0);
	dprintf(STDERR_FILENO, "after reinit: sched_not_set=%u runs=%d\n",
		captured(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET),
		atomic_load(&reinit_runs));
	usoftirq_tasklet_schedule(&t);
	(void)usoftirq_cpu_run_softirqs(m, 0);
	dprintf(STDERR_FILENO, "after schedule: runs=%d state=%#lx\n",
		atomic_load(&reinit_runs), tasklet_state(&t));
	usoftirq_machine_destroy(m);
	dprintf(STDERR_FILENO, "destroyed: destroy_pending=%u\n",
		captured(USOFTIRQ_REPORT_DESTROY_PENDING));
}

/*
 * D1+D4: a tasklet scheduled while disabled is queued in the kernel, so
 * re-initialising it is the queued case: warned about and skipped, and
 * the tasklet is idle and reusable afterwards; the machine still goes away
 * cleanly, with nothing left scheduled.
 */
static void test_d4_reinit_of_parked_disabled_tasklet(void **state)
{
	char out[4096];
	int status;

	(void)state;
	assert_null(usoftirq_machine_default());
	status = run_in_child(reinit_parked_child, NULL, out, sizeof(out));
	print_message("child said:\n%s", out);
	assert_true(contains(out, "after reinit: sched_not_set=1 runs=0\n"));
	assert_true(contains(out, "after schedule: runs=1 state=0\n"));
	assert_false(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(contains(out, "destroyed: destroy_pending=0\n"));
}

/* ------------------------------------------------------------------ */
/* Context rules broken inside a callback                              */
/* ------------------------------------------------------------------ */

static void leak_preempt_count(struct probe *p, int run)
{
	(void)p;
	(void)run;
	usoftirq_preempt_disable();
}

/* A callback returning with preempt_count raised: "huh", then repaired. */
static void test_callback_preempt_leak_reported_and_repaired(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe leaker, next;
	const char *text;

	probe_init(&leaker, 0);
	probe_init(&next, 0);
	leaker.hook = leak_preempt_count;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_tasklet_schedule(&leaker.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(captured(USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK), 1);
	text = captured_text(USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK, 0);
	assert_true(starts_with(text, "huh, entered softirq 6 TASKLET "));
	assert_true(contains(text, " with preempt_count 00000100, exited "
				   "with 00000101?"));
	assert_int_equal(usoftirq_preempt_count(), 0);
	usoftirq_tasklet_schedule(&next.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(next.run[0].preempt_count, USOFTIRQ_SOFTIRQ_OFFSET);
	probe_destroy(&leaker);
	probe_destroy(&next);
}

static void disable_other(struct probe *p, int run)
{
	(void)run;
	usoftirq_tasklet_disable(p->arg);
}

/* tasklet_disable() of another tasklet from a callback: might_sleep BUG. */
static void test_sleeping_disable_from_callback_reported(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe caller, other;

	probe_init(&caller, 0);
	probe_init(&other, 0);
	caller.hook = disable_other;
	caller.arg = &other.t;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_tasklet_schedule(&caller.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	assert_true(contains(captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0),
			     "preempt_count: 100,"));
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SELF_WAIT), 0);
	assert_int_equal(usoftirq_tasklet_count(&other.t), 1);
	usoftirq_tasklet_enable(&other.t);
	probe_destroy(&caller);
	probe_destroy(&other);
}

static void disable_in_atomic_self(struct probe *p, int run)
{
	if (run == 0)
		usoftirq_tasklet_disable_in_atomic(&p->t);
}

static void unlock_spin_wait_self(struct probe *p, int run)
{
	if (run == 0)
		usoftirq_tasklet_unlock_spin_wait(&p->t);
}

/* Run @hook in a callback on vCPU 0 and check the SELF_WAIT report. */
static void check_atomic_self_wait(struct usoftirq_machine *m,
				   void (*hook)(struct probe *p, int run),
				   const char *call)
{
	static struct probe p;
	const char *text;

	probe_init(&p, 0);
	p.hook = hook;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_tasklet_schedule(&p.t);
	/* The kernel spins on its own RUN bit here, for ever. */
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SELF_WAIT), 1);
	text = captured_text(USOFTIRQ_REPORT_TASKLET_SELF_WAIT, 0);
	assert_true(contains(text, call));
	assert_true(contains(text, "probe_callback"));
	assert_int_equal(tasklet_state(&p.t), 0);
	if (usoftirq_tasklet_count(&p.t))
		usoftirq_tasklet_enable(&p.t);
	probe_destroy(&p);
}

/* D3: disable_in_atomic() from the own callback is reported and returns. */
static void test_d3_disable_in_atomic_from_own_callback_reported(void **state)
{
	check_atomic_self_wait(*state, disable_in_atomic_self,
			       "tasklet_disable_in_atomic()");
}

/* D3: unlock_spin_wait() from the own callback is reported and returns. */
static void test_d3_unlock_spin_wait_from_own_callback_reported(void **state)
{
	check_atomic_self_wait(*state, unlock_spin_wait_self,
			       "tasklet_unlock_spin_wait()");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule_without_machine_aborts),
		cmocka_unit_test(test_d4_reinit_of_parked_disabled_tasklet),
		STEPPED(test_d4_reinit_of_queued_tasklet_reported_queue_intact),
		STEPPED(test_d4_sched_not_set_reported_once_per_machine),
		STEPPED(test_callback_preempt_leak_reported_and_repaired),
		STEPPED(test_sleeping_disable_from_callback_reported),
		STEPPED(test_d3_disable_in_atomic_from_own_callback_reported),
		STEPPED(test_d3_unlock_spin_wait_from_own_callback_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
