/* SPDX-License-Identifier: MIT */
/*
 * usoftirq_tasklet_kill(): property P8 of include/usoftirq/tasklet.h (it
 * waits for a pending run and a running callback, drops schedules that
 * race with it, and leaves the tasklet idle and reusable), its reports
 * from interrupt context, the kill of a scheduled and disabled tasklet
 * (D5 in docs/deviations.md), and the self-deadlocks that deviation D3
 * turns into reports.
 *
 * A kill that must block runs in a helper thread; the test knows the
 * helper is waiting inside the library when the tasklet's WAITERS bit is
 * set, and only then asserts that it has not returned.
 */
#include "test_util.h"

#include <stdatomic.h>
#include <string.h>

static int teardown(void **state)
{
	capture_stop();
	return teardown_machine(state);
}

#define STEPPED(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_stepped, teardown)
#define WORKERS(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_2cpu, teardown)

static void do_kill(void *t)
{
	usoftirq_tasklet_kill(t);
}

/* Start a kill in a helper thread and wait until it sleeps in the library. */
static void start_blocked_kill(struct bg_call *c, struct probe *p)
{
	bg_call_start(c, do_kill, &p->t);
	wait_tasklet_state(&p->t, TEST_TASKLET_WAITERS);
}

static bool contains(const char *text, const char *what)
{
	return text && strstr(text, what);
}

/* ------------------------------------------------------------------ */
/* P8: what kill waits for                                             */
/* ------------------------------------------------------------------ */

/* P8: kill of an idle tasklet returns at once; count kept; reusable. */
static void test_p8_kill_of_idle_tasklet_returns_at_once(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	/* Nobody steps the machine: a kill that waited would hang here. */
	usoftirq_tasklet_kill(&p.t);
	assert_int_equal(tasklet_state(&p.t), 0);
	usoftirq_tasklet_disable_nosync(&p.t);
	usoftirq_tasklet_disable_nosync(&p.t);
	usoftirq_tasklet_kill(&p.t);
	assert_int_equal(tasklet_state(&p.t), 0);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 2);
	usoftirq_tasklet_enable(&p.t);
	usoftirq_tasklet_enable(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* P8: kill of a queued tasklet returns only after that run happened. */
static void test_p8_kill_waits_for_pending_run(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	start_blocked_kill(&c, &p);
	assert_false(bg_call_returned(&c));
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	bg_call_join(&c);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 1);
	probe_destroy(&p);
}

/* P8: kill of a running tasklet returns only after the callback returns. */
static void test_p8_kill_waits_for_running_callback(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.entered);
	start_blocked_kill(&c, &p);
	assert_false(bg_call_returned(&c));
	assert_true(usoftirq_tasklet_is_running(&p.t));
	/* kill holds SCHED while it waits for RUN. */
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_int_equal(probe_finished(&p), 0);
	gate_open(&p.release);
	bg_call_join(&c);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* P8: a run parked behind a running callback is waited for too. */
static void test_p8_kill_waits_for_run_parked_behind_running_one(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_step step;
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	bg_step_start(&step, m, 0);
	gate_pass(&p.entered);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 1)); /* parks it */
	start_blocked_kill(&c, &p);
	gate_open(&p.release);
	bg_step_join(&step);
	/* Run 1 is over; run 2 waits on vCPU 1, and so does the kill. */
	assert_int_equal(probe_finished(&p), 1);
	assert_false(bg_call_returned(&c));
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	bg_call_join(&c);
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(p.run[1].cpu, 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* P8: schedules made while kill holds SCHED are dropped; then reusable. */
static void test_p8_schedules_during_kill_are_dropped(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.entered);
	start_blocked_kill(&c, &p);
	for (int i = 0; i < 3; i++)
		usoftirq_tasklet_schedule(&p.t);
	usoftirq_tasklet_hi_schedule(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(bg_call_returned(&c));
	gate_open(&p.release);
	bg_call_join(&c);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_started(&p), 1);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 0);
	assert_int_equal(usoftirq_softirq_stat(m, 1, USOFTIRQ_TASKLET_SOFTIRQ),
			 0);

	/* Idle and reusable: the next schedule runs, on vCPU 1. */
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.done);
	gate_pass(&p.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(p.run[1].cpu, 1);
	probe_destroy(&p);
}

/* P8: after a kill the tasklet can be scheduled again, on any vCPU. */
static void test_p8_killed_tasklet_can_be_scheduled_again(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	start_blocked_kill(&c, &p);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	bg_call_join(&c);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(p.run[1].cpu, 1);
	usoftirq_tasklet_kill(&p.t);
	usoftirq_tasklet_schedule(&p.t);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 3);
	probe_destroy(&p);
}

static void reschedule_until_stopped(struct probe *p, int run)
{
	_Atomic bool *stop = p->arg;

	(void)run;
	if (!atomic_load(stop))
		usoftirq_tasklet_schedule(&p->t);
}

/* P8: a self-rescheduling tasklet is killed once it stops rescheduling. */
static void test_p8_kill_of_self_rescheduling_tasklet_after_stop(void **state)
{
	struct usoftirq_machine *m = *state;
	static _Atomic bool stop;
	static struct probe p;
	int runs;

	atomic_store(&stop, false);
	probe_init(&p, 0);
	p.hook = reschedule_until_stopped;
	p.arg = &stop;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.done);
	gate_pass(&p.done);
	atomic_store(&stop, true);
	usoftirq_tasklet_kill(&p.t);
	assert_int_equal(tasklet_state(&p.t), 0);
	runs = probe_finished(&p);
	assert_true(runs >= 2);
	assert_int_equal(probe_started(&p), runs);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), runs);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* Kill of a scheduled, disabled tasklet (D5)                          */
/* ------------------------------------------------------------------ */

/* P8+D5: kill of a parked disabled tasklet says so, waits for enable+run. */
static void test_p8_kill_of_scheduled_disabled_waits_for_enable(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_call c;
	static struct probe p;
	const char *text;

	probe_init(&p, 0);
	usoftirq_tasklet_disable_nosync(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0)); /* parks it */
	capture_start();
	start_blocked_kill(&c, &p);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED), 1);
	text = captured_text(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED, 0);
	assert_true(contains(text, "probe_callback"));
	assert_true(contains(text, "disabled"));
	assert_ptr_equal(captured_tasklet(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED,
					  0),
			 &p.t);
	for (int i = 0; i < 3; i++)
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_false(bg_call_returned(&c));
	usoftirq_tasklet_enable(&p.t);
	/* Queued again, not run yet: the kill still waits for that run. */
	assert_false(bg_call_returned(&c));
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	bg_call_join(&c);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	assert_int_equal(usoftirq_tasklet_count(&p.t), 0);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED), 1);
	probe_destroy(&p);
}

/* D5: the report also comes when kill starts before the vCPU parks it. */
static void test_d5_kill_reported_if_parked_after_kill_began(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct bg_call c;
	static struct probe p;

	probe_init(&p, 0);
	usoftirq_tasklet_disable_nosync(&p.t);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	capture_start();
	start_blocked_kill(&c, &p);
	assert_false(usoftirq_cpu_run_softirqs(m, 0)); /* parks it */
	assert_int_equal(tasklet_state(&p.t) & TEST_TASKLET_PARKED,
			 TEST_TASKLET_PARKED);
	assert_false(bg_call_returned(&c));
	/* The kill now waits for an enable, as in the kernel; say so. */
	usoftirq_tasklet_enable(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	bg_call_join(&c);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED), 1);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* Kill from interrupt context                                         */
/* ------------------------------------------------------------------ */

static void check_interrupt_reports(const char *preempt_count)
{
	const char *sleep;

	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_KILL_FROM_INTERRUPT),
			 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_TASKLET_KILL_FROM_INTERRUPT, 0),
		"Attempt to kill tasklet from interrupt");
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	sleep = captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0);
	assert_true(contains(sleep, "BUG: sleeping function called from "
				    "invalid context at "));
	assert_true(contains(sleep, preempt_count));
}

/* Kill with BH disabled: the kernel's notice and the might_sleep BUG. */
static void test_kill_with_bh_disabled_reports_interrupt_and_sleep(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_local_bh_disable();
	usoftirq_tasklet_kill(&p.t);
	usoftirq_local_bh_enable();
	check_interrupt_reports("preempt_count: 200,");
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

static void kill_victim(struct probe *p, int run)
{
	(void)run;
	usoftirq_tasklet_kill(p->arg);
}

/* Kill from a tasklet callback: the kernel's notice and the sleep BUG. */
static void test_kill_from_callback_reports_interrupt_and_sleep(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe killer, victim;

	probe_init(&killer, 0);
	probe_init(&victim, 0);
	killer.hook = kill_victim;
	killer.arg = &victim.t;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_tasklet_schedule(&killer.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&killer), 1);
	check_interrupt_reports("preempt_count: 100,");
	assert_int_equal(tasklet_state(&victim.t), 0);
	probe_destroy(&killer);
	probe_destroy(&victim);
}

/* ------------------------------------------------------------------ */
/* D3: waits that would deadlock are reported and return               */
/* ------------------------------------------------------------------ */

static void kill_self(struct probe *p, int run)
{
	if (run == 0)
		usoftirq_tasklet_kill(&p->t);
}

static void disable_self(struct probe *p, int run)
{
	if (run == 0)
		usoftirq_tasklet_disable(&p->t);
}

static void unlock_wait_self(struct probe *p, int run)
{
	if (run == 0)
		usoftirq_tasklet_unlock_wait(&p->t);
}

/* Run @hook in @p's first run on vCPU 0; check the SELF_WAIT report. */
static void check_self_wait(struct usoftirq_machine *m, struct probe *p,
			    void (*hook)(struct probe *p, int run),
			    const char *call)
{
	const char *text;

	p->hook = hook;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_tasklet_schedule(&p->t);
	/* The kernel would wait for its own RUN bit here, forever. */
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(p), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SELF_WAIT), 1);
	text = captured_text(USOFTIRQ_REPORT_TASKLET_SELF_WAIT, 0);
	assert_true(contains(text, call));
	assert_true(contains(text, "probe_callback"));
	assert_ptr_equal(captured_tasklet(USOFTIRQ_REPORT_TASKLET_SELF_WAIT, 0),
			 &p->t);
	assert_int_equal(tasklet_state(&p->t), 0);
}

/* D3: tasklet_kill() from the tasklet's own callback reports, returns. */
static void test_d3_kill_from_own_callback_reported_and_returns(void **state)
{
	static struct probe p;

	probe_init(&p, 0);
	check_self_wait(*state, &p, kill_self, "tasklet_kill()");
	/* Interrupt context too: the kernel's notice comes first. */
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_KILL_FROM_INTERRUPT),
			 1);
	probe_destroy(&p);
}

/* D3: tasklet_disable() from the own callback reports, returns, counts. */
static void test_d3_disable_from_own_callback_reported_and_returns(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	check_self_wait(m, &p, disable_self, "tasklet_disable()");
	/* The _nosync part happened: it is disabled now. */
	assert_int_equal(usoftirq_tasklet_count(&p.t), 1);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_started(&p), 1);
	usoftirq_tasklet_enable(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 2);
	probe_destroy(&p);
}

/* D3: tasklet_unlock_wait() from the own callback reports and returns. */
static void test_d3_unlock_wait_from_own_callback_returns(void **state)
{
	static struct probe p;

	probe_init(&p, 0);
	check_self_wait(*state, &p, unlock_wait_self, "tasklet_unlock_wait()");
	probe_destroy(&p);
}

static void check_wait_deadlock_report(struct probe *victim)
{
	const char *text;

	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK), 1);
	text = captured_text(USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK, 0);
	assert_true(contains(text, "probe_callback"));
	assert_true(contains(text, "vCPU 0"));
	assert_ptr_equal(captured_tasklet(USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK,
					  0),
			 &victim->t);
}

/* D3: a callback on vCPU 0 killing a tasklet queued on vCPU 0 is reported. */
static void test_d3_kill_from_callback_of_same_vcpu_tasklet(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe killer, victim;

	probe_init(&killer, 0);
	probe_init(&victim, 0);
	killer.hook = kill_victim;
	killer.arg = &victim.t;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_tasklet_schedule(&killer.t);
	usoftirq_tasklet_schedule(&victim.t);
	/* Only this vCPU could run the victim: waiting would never end. */
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	check_wait_deadlock_report(&victim);
	assert_int_equal(probe_finished(&killer), 1);
	/* Not killed: it ran after the killer, as queued. */
	assert_int_equal(probe_finished(&victim), 1);
	assert_true(victim.run[0].enter_seq > killer.run[0].exit_seq);
	assert_int_equal(tasklet_state(&victim.t), 0);
	probe_destroy(&killer);
	probe_destroy(&victim);
}

/* D3: with BH disabled on vCPU 0, kill of a tasklet queued there reports. */
static void test_d3_kill_with_bh_off_of_tasklet_on_held_vcpu(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe victim;

	probe_init(&victim, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_local_bh_disable();
	usoftirq_tasklet_schedule(&victim.t);
	usoftirq_tasklet_kill(&victim.t);
	assert_int_equal(probe_started(&victim), 0);
	usoftirq_local_bh_enable();
	check_wait_deadlock_report(&victim);
	assert_int_equal(probe_finished(&victim), 1);
	assert_int_equal(tasklet_state(&victim.t), 0);
	probe_destroy(&victim);
}

/* D3, no false alarm: kill from a callback of a tasklet queued elsewhere. */
static void test_d3_no_false_alarm_tasklet_queued_elsewhere(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe killer, victim;
	static struct bg_step step;

	probe_init(&killer, 0);
	probe_init(&victim, 0);
	killer.hook = kill_victim;
	killer.arg = &victim.t;
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&victim.t);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&killer.t);
	capture_start();
	bg_step_start(&step, m, 0);
	/* The killer's kill sleeps until vCPU 1 runs the victim. */
	wait_tasklet_state(&victim.t, TEST_TASKLET_WAITERS);
	assert_false(bg_call_returned(&step.call));
	assert_int_equal(probe_started(&victim), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	bg_step_join(&step);
	assert_int_equal(probe_finished(&victim), 1);
	assert_int_equal(probe_finished(&killer), 1);
	assert_true(victim.run[0].exit_seq < killer.run[0].exit_seq);
	assert_int_equal(tasklet_state(&victim.t), 0);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK), 0);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SELF_WAIT), 0);
	check_interrupt_reports("preempt_count: 100,");
	probe_destroy(&killer);
	probe_destroy(&victim);
}

/* D3, no false alarm: kill from a callback of a tasklet running elsewhere. */
static void test_d3_no_false_alarm_tasklet_running_elsewhere(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe killer, victim;

	probe_init(&killer, 0);
	probe_init(&victim, 1);
	killer.hook = kill_victim;
	killer.arg = &victim.t;
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&victim.t);
	gate_pass(&victim.entered);
	capture_start();
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&killer.t);
	/* The killer, on vCPU 0's worker, sleeps until the victim returns. */
	wait_tasklet_state(&victim.t, TEST_TASKLET_WAITERS);
	assert_int_equal(probe_finished(&killer), 0);
	gate_open(&victim.release);
	gate_pass(&killer.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&victim), 1);
	assert_true(victim.run[0].exit_seq < killer.run[0].exit_seq);
	assert_int_equal(tasklet_state(&victim.t), 0);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK), 0);
	assert_int_equal(captured(USOFTIRQ_REPORT_TASKLET_SELF_WAIT), 0);
	check_interrupt_reports("preempt_count: 100,");
	probe_destroy(&killer);
	probe_destroy(&victim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		STEPPED(test_p8_kill_of_idle_tasklet_returns_at_once),
		STEPPED(test_p8_kill_waits_for_pending_run),
		WORKERS(test_p8_kill_waits_for_running_callback),
		STEPPED(test_p8_kill_waits_for_run_parked_behind_running_one),
		WORKERS(test_p8_schedules_during_kill_are_dropped),
		STEPPED(test_p8_killed_tasklet_can_be_scheduled_again),
		WORKERS(test_p8_kill_of_self_rescheduling_tasklet_after_stop),
		STEPPED(test_p8_kill_of_scheduled_disabled_waits_for_enable),
		STEPPED(test_d5_kill_reported_if_parked_after_kill_began),
		STEPPED(test_kill_with_bh_disabled_reports_interrupt_and_sleep),
		STEPPED(test_kill_from_callback_reports_interrupt_and_sleep),
		STEPPED(test_d3_kill_from_own_callback_reported_and_returns),
		STEPPED(test_d3_disable_from_own_callback_reported_and_returns),
		STEPPED(test_d3_unlock_wait_from_own_callback_returns),
		STEPPED(test_d3_kill_from_callback_of_same_vcpu_tasklet),
		STEPPED(test_d3_kill_with_bh_off_of_tasklet_on_held_vcpu),
		STEPPED(test_d3_no_false_alarm_tasklet_queued_elsewhere),
		WORKERS(test_d3_no_false_alarm_tasklet_running_elsewhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
