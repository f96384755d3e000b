/* SPDX-License-Identifier: MIT */
/*
 * Time: jiffies' start and its 32-bit wrap, sleeping and busy-waiting
 * delays (lower bounds only: a slow machine never fails these), and the
 * kernel's "sleeping function called from invalid context" report for
 * msleep() and usleep_range() in every atomic context, while udelay()
 * and friends stay silent there.
 */
#include "test_util.h"

#include <string.h>
#include <time.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned long sleep_reports(void)
{
	return usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
}

/* ------------------------------------------------------------------ */
/* jiffies                                                             */
/* ------------------------------------------------------------------ */

/* jiffies start at the kernel's INITIAL_JIFFIES, whose low 32 bits wrap
 * 300 s (300 * HZ jiffies) later, and never go backwards. */
static void test_jiffies_start_and_wrap(void **state)
{
	unsigned long j1, j2;

	(void)state;
	assert_int_equal(USOFTIRQ_HZ, 1000);
	assert_int_equal(USOFTIRQ_INITIAL_JIFFIES, 4294667296ul);
	assert_int_equal(
		(unsigned int)(USOFTIRQ_INITIAL_JIFFIES + 300 * USOFTIRQ_HZ),
		0);
	assert_int_equal((unsigned int)(USOFTIRQ_INITIAL_JIFFIES +
					300 * USOFTIRQ_HZ - 1),
			 0xffffffffu);
	j1 = usoftirq_jiffies();
	j2 = usoftirq_jiffies();
	assert_true(j1 >= USOFTIRQ_INITIAL_JIFFIES);
	assert_true(j2 >= j1);
}

/* ------------------------------------------------------------------ */
/* Sleeping and busy-waiting delays                                    */
/* ------------------------------------------------------------------ */

/* msleep() lasts at least what was asked, in the clock and in jiffies;
 * from task context it reports nothing. */
static void test_msleep_sleeps_at_least(void **state)
{
	unsigned long reports = sleep_reports();
	unsigned long j0 = usoftirq_jiffies();
	uint64_t t0 = now_ns();

	(void)state;
	usoftirq_msleep(3);
	assert_true(now_ns() - t0 >= 3000000u);
	assert_true(usoftirq_jiffies() - j0 >= 3);
	usoftirq_msleep(0);
	assert_int_equal(sleep_reports(), reports);
}

/* usleep_range() lasts at least its minimum. */
static void test_usleep_range_sleeps_at_least_min(void **state)
{
	uint64_t t0 = now_ns();

	(void)state;
	usoftirq_usleep_range(1500, 2000);
	assert_true(now_ns() - t0 >= 1500000u);
}

/* The busy waits last at least what was asked, in any context, without
 * a report. */
static void test_busy_waits_allowed_in_atomic(void **state)
{
	usoftirq_spinlock_t lock = USOFTIRQ_SPINLOCK_INIT(lock);
	unsigned long reports = sleep_reports();
	uint64_t t0;

	(void)state;
	usoftirq_spin_lock(&lock);
	t0 = now_ns();
	usoftirq_ndelay(2000);
	assert_true(now_ns() - t0 >= 2000u);
	t0 = now_ns();
	usoftirq_udelay(50);
	assert_true(now_ns() - t0 >= 50000u);
	t0 = now_ns();
	usoftirq_mdelay(1);
	assert_true(now_ns() - t0 >= 1000000u);
	usoftirq_spin_unlock(&lock);
	assert_int_equal(sleep_reports(), reports);
}

/* ------------------------------------------------------------------ */
/* Sleeping in atomic context                                          */
/* ------------------------------------------------------------------ */

enum atomic_ctx { IN_SPINLOCK, IN_BH_OFF, IN_IRQS_OFF, IN_TASKLET };

static void sleep_1ms_checked(void)
{
	uint64_t t0 = now_ns();

	usoftirq_msleep(1);
	/* Reported, and it still sleeps, as the kernel does. */
	assert_true(now_ns() - t0 >= 1000000u);
}

static int tasklet_runs;

static void sleeping_tasklet(struct usoftirq_tasklet *t)
{
	(void)t;
	usoftirq_msleep(1);
	tasklet_runs++;
}

static void sleep_in(enum atomic_ctx ctx, struct usoftirq_machine *m)
{
	usoftirq_spinlock_t lock = USOFTIRQ_SPINLOCK_INIT(lock);
	struct usoftirq_tasklet t;
	unsigned long flags;

	switch (ctx) {
	case IN_SPINLOCK:
		usoftirq_spin_lock(&lock);
		sleep_1ms_checked();
		usoftirq_spin_unlock(&lock);
		break;
	case IN_BH_OFF:
		usoftirq_local_bh_disable();
		sleep_1ms_checked();
		usoftirq_local_bh_enable();
		break;
	case IN_IRQS_OFF:
		flags = usoftirq_local_irq_save();
		usoftirq_usleep_range(100, 200);
		usoftirq_local_irq_restore(flags);
		break;
	case IN_TASKLET:
		tasklet_runs = 0;
		usoftirq_tasklet_setup(&t, sleeping_tasklet);
		usoftirq_tasklet_schedule(&t);
		while (usoftirq_cpu_run_softirqs(m, 0))
			;
		assert_int_equal(tasklet_runs, 1);
		usoftirq_tasklet_kill(&t);
		break;
	}
}

/*
 * One sleeping call in @ctx, on a fresh machine (the report is limited to
 * one a second per machine, as the kernel's): exactly one report, with
 * the kernel's first line and the context's preempt_count.
 */
static void check_sleep_reported(enum atomic_ctx ctx, const char *in_atomic,
				 const char *detail)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	unsigned long reports = sleep_reports();
	const char *text;

	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	sleep_in(ctx, m);
	capture_stop();
	assert_int_equal(sleep_reports(), reports + 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	text = captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0);
	assert_non_null(strstr(text, "BUG: sleeping function called from "
				     "invalid context at "));
	assert_non_null(strstr(text, "sleep.c:"));
	assert_non_null(strstr(text, in_atomic));
	assert_non_null(strstr(text, detail));
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* msleep() under a spin lock: in_atomic, preempt_count 1, and the call
 * trace names the caller. */
static void test_msleep_under_spinlock_is_reported(void **state)
{
	(void)state;
	check_sleep_reported(IN_SPINLOCK, "in_atomic(): 1, irqs_disabled(): 0",
			     "preempt_count: 1,");
	check_sleep_reported(IN_SPINLOCK, "Call Trace: sleep_1ms_checked",
			     "expected: 0");
}

/* msleep() with BH disabled: preempt_count 0x200. */
static void test_msleep_with_bh_off_is_reported(void **state)
{
	(void)state;
	check_sleep_reported(IN_BH_OFF, "in_atomic(): 1",
			     "preempt_count: 200,");
}

/* usleep_range() with interrupts disabled: irqs_disabled() 1, not atomic. */
static void test_usleep_range_with_irqs_off_is_reported(void **state)
{
	(void)state;
	check_sleep_reported(IN_IRQS_OFF, "in_atomic(): 0, irqs_disabled(): 1",
			     "preempt_count: 0,");
}

/* msleep() in a tasklet (the seed's "DON'T"): softirq context, 0x100. */
static void test_msleep_in_tasklet_is_reported(void **state)
{
	(void)state;
	check_sleep_reported(IN_TASKLET, "preempt_count: 100,",
			     "Call Trace: sleeping_tasklet");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jiffies_start_and_wrap),
		cmocka_unit_test(test_msleep_sleeps_at_least),
		cmocka_unit_test(test_usleep_range_sleeps_at_least_min),
		cmocka_unit_test(test_busy_waits_allowed_in_atomic),
		cmocka_unit_test(test_msleep_under_spinlock_is_reported),
		cmocka_unit_test(test_msleep_with_bh_off_is_reported),
		cmocka_unit_test(test_usleep_range_with_irqs_off_is_reported),
		cmocka_unit_test(test_msleep_in_tasklet_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
