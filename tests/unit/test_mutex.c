/* SPDX-License-Identifier: MIT */
/*
 * Mutexes: lock, trylock, unlock and the owner; the sleeping path (the
 * word goes to 2 while a thread sleeps on it); mutual exclusion under
 * contention; lock_interruptible and signals; and the misuse reports:
 * sleeping in atomic context, recursion (in forked children, since it
 * aborts), unlock by a thread that does not own the mutex or of a mutex
 * nobody holds, trylock and unlock in interrupt context.
 */
#include "test_util.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define IRQ 3

static int my_tid(void)
{
	return (int)gettid();
}

/* ------------------------------------------------------------------ */
/* A thread that locks in the background                               */
/* ------------------------------------------------------------------ */

/**
 * struct locker - usoftirq_mutex_lock() (or _interruptible()) in a helper
 * thread, which then opens @returned and, if it got the mutex, holds it
 * until @release.
 */
struct locker {
	struct bg_call call;
	struct usoftirq_mutex *lock;
	bool interruptible;
	_Atomic int tid;
	int ret;
	struct gate returned, release;
};

static void locker_main(void *arg)
{
	struct locker *l = arg;

	atomic_store(&l->tid, my_tid());
	if (l->interruptible)
		l->ret = usoftirq_mutex_lock_interruptible(l->lock);
	else
		usoftirq_mutex_lock(l->lock);
	gate_open(&l->returned);
	gate_pass(&l->release);
	if (l->ret == 0)
		usoftirq_mutex_unlock(l->lock);
}

static void locker_start(struct locker *l, struct usoftirq_mutex *lock,
			 bool interruptible)
{
	memset(l, 0, sizeof(*l));
	l->lock = lock;
	l->interruptible = interruptible;
	gate_init(&l->returned, "returned");
	gate_init(&l->release, "release");
	bg_call_start(&l->call, locker_main, l);
	while (!atomic_load(&l->tid))
		sched_yield();
}

static void locker_stop(struct locker *l)
{
	gate_open(&l->release);
	bg_call_join(&l->call);
	gate_destroy(&l->returned);
	gate_destroy(&l->release);
}

/* ------------------------------------------------------------------ */
/* Lock, trylock, unlock                                               */
/* ------------------------------------------------------------------ */

/* The word and owner follow lock and unlock; trylock fails, silently, on
 * a mutex the caller holds. */
static void test_lock_trylock_unlock(void **state)
{
	static struct usoftirq_mutex s = USOFTIRQ_MUTEX_INIT(static_lock);
	struct usoftirq_mutex m;

	(void)state;
	capture_start();
	assert_string_equal(s.name, "static_lock");
	assert_false(usoftirq_mutex_is_locked(&s));
	usoftirq_mutex_init(&m, "m");
	assert_false(usoftirq_mutex_is_locked(&m));
	usoftirq_mutex_lock(&m);
	assert_true(usoftirq_mutex_is_locked(&m));
	assert_int_equal(m.word, 1);
	assert_int_equal(m.owner, my_tid());
	assert_false(usoftirq_mutex_trylock(&m));
	assert_int_equal(usoftirq_preempt_count(), 0);
	usoftirq_mutex_unlock(&m);
	assert_false(usoftirq_mutex_is_locked(&m));
	assert_int_equal(m.owner, 0);
	assert_true(usoftirq_mutex_trylock(&s));
	assert_int_equal(s.owner, my_tid());
	usoftirq_mutex_unlock(&s);
	assert_int_equal(usoftirq_mutex_lock_interruptible(&s), 0);
	assert_int_equal(s.owner, my_tid());
	usoftirq_mutex_unlock(&s);
	capture_stop();
	assert_int_equal(captured_total(), 0);
}

/* A thread that finds the mutex held marks it "held with sleepers" (2)
 * and sleeps on it; the unlock wakes it and it takes the mutex. */
static void test_contended_lock_sleeps_and_is_woken(void **state)
{
	struct usoftirq_mutex m;
	struct locker l;

	(void)state;
	usoftirq_mutex_init(&m, "m");
	usoftirq_mutex_lock(&m);
	locker_start(&l, &m, false);
	assert_int_equal(wait_futex_blocked(l.tid, 0), (uintptr_t)&m.word);
	assert_int_equal(__atomic_load_n(&m.word, __ATOMIC_RELAXED), 2);
	assert_false(gate_try(&l.returned));
	usoftirq_mutex_unlock(&m);
	gate_pass(&l.returned);
	assert_int_equal(__atomic_load_n(&m.owner, __ATOMIC_RELAXED), l.tid);
	assert_false(usoftirq_mutex_trylock(&m));
	locker_stop(&l);
	assert_false(usoftirq_mutex_is_locked(&m));
}

#define EXCL_THREADS 3
#define EXCL_ROUNDS 50000

struct excl {
	struct usoftirq_mutex m;
	unsigned long counter; /* only under m */
	_Atomic int inside, max_inside;
};

static void *excl_main(void *arg)
{
	struct excl *e = arg;

	for (int i = 0; i < EXCL_ROUNDS; i++) {
		usoftirq_mutex_lock(&e->m);
		if (atomic_fetch_add(&e->inside, 1) + 1 > 1)
			atomic_store(&e->max_inside, 2);
		e->counter++;
		atomic_fetch_sub(&e->inside, 1);
		usoftirq_mutex_unlock(&e->m);
	}
	return NULL;
}

/* Threads hammering one mutex never overlap, and no increment is lost. */
static void test_mutual_exclusion(void **state)
{
	pthread_t t[EXCL_THREADS];
	struct excl e;

	(void)state;
	memset(&e, 0, sizeof(e));
	usoftirq_mutex_init(&e.m, "excl");
	for (int i = 0; i < EXCL_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, excl_main, &e), 0);
	for (int i = 0; i < EXCL_THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(e.counter, (unsigned long)EXCL_THREADS * EXCL_ROUNDS);
	assert_int_equal(atomic_load(&e.max_inside), 0);
	assert_false(usoftirq_mutex_is_locked(&e.m));
}

/* ------------------------------------------------------------------ */
/* lock_interruptible                                                  */
/* ------------------------------------------------------------------ */

static _Atomic int handler_runs;

static void count_handler(int sig)
{
	(void)sig;
	atomic_fetch_add(&handler_runs, 1);
}

static void install(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(sig, &sa, NULL), 0);
	atomic_store(&handler_runs, 0);
}

/* A signal without SA_RESTART ends the sleep with -EINTR, mutex not
 * taken; the holder keeps it. */
static void test_lock_interruptible_interrupted(void **state)
{
	struct usoftirq_mutex m;
	struct locker l;

	(void)state;
	install(SIGUSR1, 0);
	usoftirq_mutex_init(&m, "m");
	usoftirq_mutex_lock(&m);
	locker_start(&l, &m, true);
	assert_int_equal(wait_futex_blocked(l.tid, 0), (uintptr_t)&m.word);
	assert_int_equal(pthread_kill(l.call.thread, SIGUSR1), 0);
	gate_pass(&l.returned);
	assert_int_equal(l.ret, -EINTR);
	assert_int_equal(__atomic_load_n(&m.owner, __ATOMIC_RELAXED), my_tid());
	locker_stop(&l);
	assert_int_equal(atomic_load(&handler_runs), 1);
	usoftirq_mutex_unlock(&m);
	assert_false(usoftirq_mutex_is_locked(&m));
	assert_true(signal(SIGUSR1, SIG_DFL) != SIG_ERR);
}

/* With SA_RESTART the sleep resumes and the mutex is taken after the
 * holder lets go. */
/* Is @sig pending for thread @tid (not yet delivered)? */
static bool signal_pending_for(int tid, int sig)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "SigPnd: %llx", &mask) == 1;
	fclose(f);
	assert_true(found);
	return mask & (1ull << (sig - 1));
}

static void test_lock_interruptible_sa_restart_resumes(void **state)
{
	struct usoftirq_mutex m;
	struct locker l;

	(void)state;
	install(SIGUSR2, SA_RESTART);
	usoftirq_mutex_init(&m, "m");
	usoftirq_mutex_lock(&m);
	locker_start(&l, &m, true);
	assert_int_equal(wait_futex_blocked(l.tid, 0), (uintptr_t)&m.word);
	assert_int_equal(pthread_kill(l.call.thread, SIGUSR2), 0);
	/* Delivered (no longer pending), then asleep again on the word: the
	 * sleep was restarted, not ended. */
	while (signal_pending_for(l.tid, SIGUSR2))
		sched_yield();
	assert_int_equal(wait_futex_blocked(l.tid, 0), (uintptr_t)&m.word);
	assert_false(gate_try(&l.returned));
	usoftirq_mutex_unlock(&m);
	gate_pass(&l.returned);
	assert_int_equal(l.ret, 0);
	assert_int_equal(__atomic_load_n(&m.owner, __ATOMIC_RELAXED), l.tid);
	locker_stop(&l);
	assert_int_equal(atomic_load(&handler_runs), 1);
	assert_true(signal(SIGUSR2, SIG_DFL) != SIG_ERR);
}

/* ------------------------------------------------------------------ */
/* Misuse                                                              */
/* ------------------------------------------------------------------ */

/* mutex_lock() under a spin lock: the kernel's might_sleep report, then
 * the mutex is taken anyway. */
static void test_lock_in_atomic_is_reported(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	usoftirq_spinlock_t lock = USOFTIRQ_SPINLOCK_INIT(lock);
	struct usoftirq_mutex mx;
	const char *text;

	(void)state;
	usoftirq_mutex_init(&mx, "mx");
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_spin_lock(&lock);
	usoftirq_mutex_lock(&mx);
	usoftirq_spin_unlock(&lock);
	capture_stop();
	assert_true(usoftirq_mutex_is_locked(&mx));
	usoftirq_mutex_unlock(&mx);
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	assert_int_equal(captured_total(), 1);
	text = captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0);
	assert_non_null(strstr(text, "BUG: sleeping function called from "
				     "invalid context at "));
	assert_non_null(strstr(text, "mutex.c:"));
	assert_non_null(
		strstr(text, "Call Trace: test_lock_in_atomic_is_reported"));
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

static void lock_twice(void *arg)
{
	static struct usoftirq_mutex m = USOFTIRQ_MUTEX_INIT(dev_lock);

	(void)arg;
	usoftirq_mutex_lock(&m);
	usoftirq_mutex_lock(&m);
	_exit(0);
}

/* Taking a mutex the thread holds is reported and aborts (the kernel
 * hangs). */
static void test_recursion_aborts(void **state)
{
	char err[4096];
	int status;

	(void)state;
	status = run_in_child(lock_twice, NULL, err, sizeof(err));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(err, "possible recursive locking detected"));
	assert_non_null(strstr(err, "is trying to acquire mutex:\n"
				    "usoftirq: (dev_lock), at: lock_twice"));
	assert_non_null(strstr(err, "but task is already holding mutex:\n"
				    "usoftirq: (dev_lock), at: lock_twice"));
	assert_non_null(strstr(err, "*** DEADLOCK ***"));
	assert_non_null(strstr(err, "deadlock on mutex dev_lock"));
}

static struct usoftirq_mutex irq_mutex = USOFTIRQ_MUTEX_INIT(irq_mutex);

static usoftirq_irqreturn_t locking_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	usoftirq_mutex_lock(&irq_mutex);
	usoftirq_mutex_unlock(&irq_mutex);
	return USOFTIRQ_IRQ_HANDLED;
}

/* A hardirq handler that interrupts the holder (here: delivered in the
 * holder's thread, on a machine without workers) and takes the mutex. */
static void lock_in_irq_over_holder(void *arg)
{
	struct usoftirq_machine *m = NULL;
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	static int dev;

	(void)arg;
	cfg.ncpus = 1;
	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS;
	if (usoftirq_machine_create(&m, &cfg) != 0 ||
	    usoftirq_request_irq(m, IRQ, locking_handler, 0, "lk", &dev) != 0)
		_exit(2);
	usoftirq_mutex_lock(&irq_mutex);
	if (usoftirq_irq_pulse(m, IRQ) != 0)
		_exit(3);
	(void)usoftirq_cpu_run_irqs(m, 0);
	_exit(0);
}

static void test_recursion_from_hardirq_aborts(void **state)
{
	char err[4096];
	int status;

	(void)state;
	status = run_in_child(lock_in_irq_over_holder, NULL, err, sizeof(err));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	/* First the sleeping-in-atomic BUG, then the deadlock. */
	assert_non_null(strstr(err, "BUG: sleeping function called from "
				    "invalid context"));
	assert_non_null(strstr(err, "possible recursive locking detected"));
	assert_non_null(
		strstr(err, "by the code this IRQ handler interrupted"));
	assert_non_null(strstr(err, "deadlock on mutex irq_mutex"));
}

/* ------------------------------------------------------------------ */
/* Interrupt context                                                   */
/* ------------------------------------------------------------------ */

static struct usoftirq_mutex ctx_mutex = USOFTIRQ_MUTEX_INIT(ctx_mutex);
static bool ctx_trylock_ok;

/* Not inlined: the reports name it as the call site. */
__attribute__((noinline)) static void trylock_and_unlock(void)
{
	ctx_trylock_ok = usoftirq_mutex_trylock(&ctx_mutex);
	if (ctx_trylock_ok)
		usoftirq_mutex_unlock(&ctx_mutex);
}

static void trylock_tasklet(struct usoftirq_tasklet *t)
{
	(void)t;
	trylock_and_unlock();
}

static usoftirq_irqreturn_t trylock_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	trylock_and_unlock();
	return USOFTIRQ_IRQ_HANDLED;
}

/* mutex_trylock()/mutex_unlock() in a softirq: they work, and the misuse
 * (the kernel forbids it, silently) is reported once per machine. With BH
 * disabled the caller is still a task: no report. */
static void test_trylock_in_softirq_is_reported_once(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	struct usoftirq_tasklet t;
	const char *text;

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_setup(&t, trylock_tasklet);
	capture_start();
	usoftirq_local_bh_disable();
	trylock_and_unlock();
	usoftirq_local_bh_enable();
	assert_true(ctx_trylock_ok);
	assert_int_equal(captured_total(), 0);

	for (int i = 0; i < 2; i++) {
		ctx_trylock_ok = false;
		usoftirq_tasklet_schedule(&t);
		(void)usoftirq_cpu_run_softirqs(m, 0);
		assert_true(ctx_trylock_ok);
		assert_false(usoftirq_mutex_is_locked(&ctx_mutex));
	}
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT), 1);
	assert_int_equal(captured_total(), 1);
	text = captured_text(USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT, 0);
	assert_non_null(strstr(text, "mutex_trylock() of mutex ctx_mutex in "
				     "softirq context at trylock_and_unlock"));
	assert_non_null(strstr(text, "mutexes must not be used in interrupt "
				     "context"));
	usoftirq_tasklet_kill(&t);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* The same from a hardirq handler. */
static void test_trylock_in_hardirq_is_reported(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	static int dev;

	(void)state;
	assert_int_equal(usoftirq_request_irq(m, IRQ, trylock_handler, 0, "tl",
					      &dev),
			 0);
	capture_start();
	ctx_trylock_ok = false;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	(void)usoftirq_cpu_run_irqs(m, 0);
	capture_stop();
	assert_true(ctx_trylock_ok);
	assert_int_equal(captured(USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT), 1);
	assert_non_null(strstr(
		captured_text(USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT, 0),
		"mutex_trylock() of mutex ctx_mutex in hardirq context"));
	(void)usoftirq_free_irq(m, IRQ, &dev);
	usoftirq_machine_destroy(m);
}

/* Unlock by a thread that does not hold it: reported with the kernel's
 * DEBUG_MUTEXES text and released anyway, as the kernel does. */
static void test_unlock_by_non_owner_is_reported(void **state)
{
	struct usoftirq_mutex m;
	struct locker l;
	char holder[64];
	const char *text;

	(void)state;
	usoftirq_mutex_init(&m, "shared");
	locker_start(&l, &m, false);
	gate_pass(&l.returned);
	capture_start();
	usoftirq_mutex_unlock(&m);
	capture_stop();
	assert_false(usoftirq_mutex_is_locked(&m));
	assert_int_equal(captured(USOFTIRQ_REPORT_MUTEX_MISUSE), 1);
	text = captured_text(USOFTIRQ_REPORT_MUTEX_MISUSE, 0);
	assert_non_null(strstr(
		text, "DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)"));
	assert_non_null(
		strstr(text, "mutex_unlock() of mutex shared by thread"));
	snprintf(holder, sizeof(holder), "which is held by thread %d;",
		 (int)l.tid);
	assert_non_null(strstr(text, holder));
	/* The holder's own unlock now finds it free: reported, ignored. */
	capture_start();
	locker_stop(&l);
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_MUTEX_MISUSE), 1);
	assert_non_null(strstr(captured_text(USOFTIRQ_REPORT_MUTEX_MISUSE, 0),
			       "which is not locked; ignored"));
	assert_false(usoftirq_mutex_is_locked(&m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_trylock_unlock),
		cmocka_unit_test(test_contended_lock_sleeps_and_is_woken),
		cmocka_unit_test(test_mutual_exclusion),
		cmocka_unit_test(test_lock_interruptible_interrupted),
		cmocka_unit_test(test_lock_interruptible_sa_restart_resumes),
		cmocka_unit_test(test_lock_in_atomic_is_reported),
		cmocka_unit_test(test_recursion_aborts),
		cmocka_unit_test(test_recursion_from_hardirq_aborts),
		cmocka_unit_test(test_unlock_by_non_owner_is_reported),
		cmocka_unit_test(test_trylock_in_softirq_is_reported_once),
		cmocka_unit_test(test_trylock_in_hardirq_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
