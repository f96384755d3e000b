/* SPDX-License-Identifier: MIT */
/*
 * Sleeping in the kernel spelling: wait queues (<linux/wait.h>) woken from
 * a hardirq handler and from another thread, the kernel's return values
 * of the timed and interruptible waits, wait_event_lock_irq(); jiffies
 * and its conversions and wrap-safe comparisons (<linux/jiffies.h>); the
 * delays (<linux/delay.h>); struct mutex (<linux/mutex.h>); and the
 * kernel's rule that none of the sleeping ones is called from a tasklet,
 * reported as "BUG: sleeping function called from invalid context".
 *
 * A waiter runs in a helper thread; the test acts once /proc shows it
 * asleep in futex(2) or futex_waitv(2), which inside these waits can only
 * be the wait queue's sleep. Durations are asserted only as lower bounds
 * (a timeout cannot end early).
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "test_util.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449 /* the same number on every architecture */
#endif

#define IRQ 4

static DECLARE_WAIT_QUEUE_HEAD(wq);
static int cond_flag;
static DEFINE_SPINLOCK(cond_lock);

/* What a waiter thread did. */
struct waiter {
	struct bg_call call;
	int tid;
	long ret;
	bool held_lock_after; /* wait_event_lock_irq(): lock held on return */
	bool irqs_off_after;
};

static bool flag_set(void)
{
	return __atomic_load_n(&cond_flag, __ATOMIC_ACQUIRE) != 0;
}

static void set_flag(int v)
{
	__atomic_store_n(&cond_flag, v, __ATOMIC_RELEASE);
}

/* Whether thread @tid is inside futex(2) or futex_waitv(2) now. */
static bool in_futex_sleep(int tid)
{
	char path[64], text[256];
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	if (!fgets(text, sizeof(text), f) || sscanf(text, "%ld", &nr) != 1)
		nr = -1;
	fclose(f);
	return nr == SYS_futex || nr == SYS_futex_waitv;
}

/* Start @fn in a helper thread and return once it sleeps in its wait. */
static void start_waiter(struct waiter *w, void (*fn)(void *))
{
	int tid;

	memset(w, 0, sizeof(*w));
	bg_call_start(&w->call, fn, w);
	while (!(tid = __atomic_load_n(&w->tid, __ATOMIC_ACQUIRE)))
		sched_yield();
	while (!in_futex_sleep(tid))
		sched_yield();
}

static void plain_waiter(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	wait_event(wq, flag_set());
	w->ret = 0;
}

static void timed_waiter(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->ret = wait_event_timeout(wq, flag_set(), 10 * HZ);
}

static void interruptible_waiter(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->ret = wait_event_interruptible(wq, flag_set());
}

static void interruptible_timed_waiter(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	w->ret = wait_event_interruptible_timeout(wq, flag_set(), 10 * HZ);
}

static void locked_waiter(void *arg)
{
	struct waiter *w = arg;

	spin_lock_irq(&cond_lock);
	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	wait_event_lock_irq(wq, cond_flag != 0, cond_lock);
	w->held_lock_after = spin_is_locked(&cond_lock);
	w->irqs_off_after = irqs_disabled();
	spin_unlock_irq(&cond_lock);
}

static irqreturn_t waker_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	set_flag(1);
	wake_up_interruptible(&wq);
	return IRQ_HANDLED;
}

static int setup(void **state)
{
	*state = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS |
					 USOFTIRQ_MACHINE_NO_DEFAULT);
	assert_int_equal(usoftirq_thread_bind(*state, 0), 0);
	set_flag(0);
	capture_start();
	return 0;
}

static int teardown(void **state)
{
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(*state);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Wait queues                                                         */
/* ------------------------------------------------------------------ */

static void test_wait_event_woken_by_a_hardirq_handler(void **state)
{
	struct usoftirq_machine *m = *state;
	struct waiter w;

	assert_int_equal(request_irq(IRQ, waker_handler, 0, "waker", &w), 0);
	assert_false(waitqueue_active(&wq));
	start_waiter(&w, plain_waiter);
	assert_true(waitqueue_active(&wq));
	assert_true(wq_has_sleeper(&wq));
	assert_false(bg_call_returned(&w.call));
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	bg_call_join(&w.call);
	assert_false(waitqueue_active(&wq));
	assert_string_equal(free_irq(IRQ, &w), "waker");
	assert_int_equal(captured_total(), 0);
}

static void test_wait_event_timeout_return_values(void **state)
{
	unsigned long start;
	struct waiter w;

	(void)state;
	/* Condition true at once: the whole timeout, or 1 for 0. */
	set_flag(1);
	assert_int_equal(wait_event_timeout(wq, flag_set(), 50), 50);
	assert_int_equal(wait_event_timeout(wq, flag_set(), 0), 1);
	/* Condition false: 0, after the timeout. */
	set_flag(0);
	assert_int_equal(wait_event_timeout(wq, flag_set(), 0), 0);
	start = jiffies;
	assert_int_equal(wait_event_timeout(wq, flag_set(), 20), 0);
	assert_true(time_after_eq(jiffies, start + 20));
	/* Woken before the timeout: the jiffies left, 1 to the timeout. */
	start_waiter(&w, timed_waiter);
	set_flag(1);
	wake_up(&wq);
	bg_call_join(&w.call);
	assert_true(w.ret >= 1 && w.ret <= 10 * HZ);
	/* A wake-up with the condition still false does not end it. */
	set_flag(0);
	start_waiter(&w, timed_waiter);
	wake_up_all(&wq);
	assert_false(bg_call_returned(&w.call));
	set_flag(1);
	wake_up_all(&wq);
	bg_call_join(&w.call);
	assert_true(w.ret >= 1);
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

/*
 * Signal the waiter until its wait returns. The condition stays false, so
 * only a signal can end it; repeating the signal covers one that arrives
 * before the waiter is asleep, which the wait does not see.
 */
static void interrupt_until_returned(struct waiter *w)
{
	while (!bg_call_returned(&w->call)) {
		assert_int_equal(pthread_kill(w->call.thread, SIGUSR1), 0);
		sched_yield();
	}
	bg_call_join(&w->call);
}

/* A signal whose handler was installed without SA_RESTART ends an
 * interruptible wait with -ERESTARTSYS. */
static void test_interruptible_waits_end_on_a_signal(void **state)
{
	struct sigaction sa, old;
	struct waiter w;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);

	start_waiter(&w, interruptible_waiter);
	interrupt_until_returned(&w);
	assert_int_equal(w.ret, -ERESTARTSYS);
	assert_int_equal(ERESTARTSYS, 512);

	start_waiter(&w, interruptible_timed_waiter);
	interrupt_until_returned(&w);
	assert_int_equal(w.ret, -ERESTARTSYS);

	start_waiter(&w, interruptible_waiter);
	set_flag(1);
	wake_up_interruptible(&wq);
	bg_call_join(&w.call);
	assert_int_equal(w.ret, 0);
	assert_int_equal(sigaction(SIGUSR1, &old, NULL), 0);
}

static void test_wait_event_lock_irq_drops_the_lock_while_asleep(void **state)
{
	unsigned long sleep_reports_before =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	struct waiter w;

	(void)state;
	start_waiter(&w, locked_waiter);
	/* The waiter sleeps without the lock: take it to set the flag. */
	spin_lock_irq(&cond_lock);
	cond_flag = 1;
	spin_unlock_irq(&cond_lock);
	wake_up(&wq);
	bg_call_join(&w.call);
	assert_true(w.held_lock_after);
	assert_true(w.irqs_off_after);
	assert_false(spin_is_locked(&cond_lock));
	/* Holding the lock with interrupts off is the macro's contract,
	 * not sleeping in atomic context. */
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC),
			 sleep_reports_before);
}

/* ------------------------------------------------------------------ */
/* jiffies                                                             */
/* ------------------------------------------------------------------ */

static void test_jiffies_conversions_and_comparisons(void **state)
{
	unsigned long a = ULONG_MAX - 5, b = 5, now = jiffies;

	(void)state;
	assert_int_equal(HZ, 1000);
	assert_int_equal(msecs_to_jiffies(1500), 1500);
	assert_int_equal(msecs_to_jiffies(0), 0);
	assert_true(msecs_to_jiffies(-1) == MAX_JIFFY_OFFSET);
	assert_int_equal(usecs_to_jiffies(1), 1);
	assert_int_equal(usecs_to_jiffies(2500), 3);
	assert_int_equal(nsecs_to_jiffies(2999999), 2);
	assert_int_equal(jiffies_to_msecs(7), 7);
	assert_int_equal(jiffies_to_usecs(7), 7000);
	/* Across the wrap, b is after a. */
	assert_true(time_after(b, a));
	assert_true(time_before(a, b));
	assert_true(time_after_eq(b, b));
	assert_true(time_before_eq(a, b));
	assert_true(time_in_range(ULONG_MAX, a, b));
	assert_false(time_in_range_open(b, a, b));
	assert_true(time_after64((u64)1, (u64)0));
	assert_true(time_is_before_jiffies(now - 10));
	assert_true(time_is_after_jiffies(now + 100000));
	assert_true(time_after_eq(jiffies, now));
	assert_true(get_jiffies_64() >= (u64)now);
}

/* ------------------------------------------------------------------ */
/* Delays and mutexes, and the context rule                            */
/* ------------------------------------------------------------------ */

static DEFINE_MUTEX(test_mutex);

static void sleeping_tasklet(struct tasklet_struct *t)
{
	(void)t;
	udelay(10); /* busy-waiting: allowed here */
	ndelay(100);
	msleep(1); /* BAD! */
	mutex_lock(&test_mutex); /* BAD! */
	mutex_unlock(&test_mutex);
	wait_event(wq, true); /* BAD! (checked even when it does not sleep) */
}

static void test_sleeping_in_a_tasklet_is_reported(void **state)
{
	struct usoftirq_machine *m = *state;
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	struct tasklet_struct t;

	tasklet_setup(&t, sleeping_tasklet);
	tasklet_schedule(&t);
	(void)usoftirq_cpu_run_softirqs(m, 0);
	/* Counted every time; printed as the kernel's rate limit allows. */
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC) - before,
		3);
	assert_true(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC) >= 1);
	assert_non_null(
		strstr(captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0),
		       "sleeping function called from invalid "
		       "context"));
	tasklet_kill(&t);
}

static void test_delays_last_at_least_their_time(void **state)
{
	unsigned long start = jiffies;

	(void)state;
	msleep(10);
	assert_true(time_after_eq(jiffies, start + 10));
	start = jiffies;
	usleep_range(2000, 3000);
	mdelay(2);
	udelay(1000);
	fsleep(1000);
	assert_true(time_after_eq(jiffies, start + 5));
	assert_int_equal(msleep_interruptible(1), 0);
	assert_int_equal(captured_total(), 0);
}

static void trylock_elsewhere(void *arg)
{
	*(int *)arg = mutex_trylock(&test_mutex);
}

static void test_mutex_lock_trylock_unlock(void **state)
{
	struct mutex local;
	struct bg_call c;
	int got = -1;

	(void)state;
	mutex_init(&local);
	assert_false(mutex_is_locked(&local));
	assert_int_equal(mutex_trylock(&local), 1);
	assert_true(mutex_is_locked(&local));
	mutex_unlock(&local);
	mutex_destroy(&local);

	mutex_lock(&test_mutex);
	bg_call_start(&c, trylock_elsewhere, &got);
	bg_call_join(&c);
	assert_int_equal(got, 0);
	mutex_unlock(&test_mutex);
	assert_int_equal(mutex_lock_interruptible(&test_mutex), 0);
	mutex_unlock(&test_mutex);
	mutex_lock_nested(&test_mutex, 1);
	mutex_unlock(&test_mutex);
	assert_int_equal(captured_total(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_wait_event_woken_by_a_hardirq_handler, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_wait_event_timeout_return_values, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_interruptible_waits_end_on_a_signal, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_wait_event_lock_irq_drops_the_lock_while_asleep,
			setup, teardown),
		cmocka_unit_test(test_jiffies_conversions_and_comparisons),
		cmocka_unit_test_setup_teardown(
			test_sleeping_in_a_tasklet_is_reported, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_delays_last_at_least_their_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mutex_lock_trylock_unlock,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
