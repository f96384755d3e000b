/* SPDX-License-Identifier: MIT */
/*
 * Spin locks: lock, trylock and unlock with their preempt_count, the _bh
 * forms and the softirqs spin_unlock_bh() runs, mutual exclusion under
 * contention, the futex slow path, the ownership queries, and the abort on
 * recursive locking (in forked children).
 */
#include "test_util.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIT(nr) (1u << (nr))
#define TIMER USOFTIRQ_TIMER_SOFTIRQ

static _Atomic unsigned int timer_runs, timer_pc;
static _Atomic int timer_tid;

static void timer_handler(void)
{
	atomic_store(&timer_pc, usoftirq_preempt_count());
	atomic_store(&timer_tid, (int)gettid());
	atomic_fetch_add(&timer_runs, 1);
}

static struct usoftirq_machine *stepped_machine(void)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);

	atomic_store(&timer_runs, 0);
	atomic_store(&timer_pc, 0);
	atomic_store(&timer_tid, 0);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, timer_handler), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* A thread that holds a lock until told to let go                     */
/* ------------------------------------------------------------------ */

struct holder {
	usoftirq_spinlock_t *lock;
	struct gate held, release;
	pthread_t thread;
};

static void *hold_lock(void *arg)
{
	struct holder *h = arg;

	usoftirq_spin_lock(h->lock);
	gate_open(&h->held);
	gate_pass(&h->release);
	usoftirq_spin_unlock(h->lock);
	return NULL;
}

static void holder_start(struct holder *h, usoftirq_spinlock_t *lock)
{
	h->lock = lock;
	gate_init(&h->held, "held");
	gate_init(&h->release, "release");
	assert_int_equal(pthread_create(&h->thread, NULL, hold_lock, h), 0);
	gate_pass(&h->held);
}

static void holder_stop(struct holder *h)
{
	gate_open(&h->release);
	assert_int_equal(pthread_join(h->thread, NULL), 0);
	gate_destroy(&h->held);
	gate_destroy(&h->release);
}

/* ------------------------------------------------------------------ */
/* Lock, trylock, unlock                                               */
/* ------------------------------------------------------------------ */

/* spin_lock() takes the lock and adds PREEMPT_OFFSET; unlock undoes both;
 * trylock takes a free lock and fails, count unchanged, on a held one,
 * even for the holder, which it does not treat as recursion. */
static void test_lock_unlock_trylock(void **state)
{
	usoftirq_spinlock_t lock;

	(void)state;
	usoftirq_spin_lock_init(&lock, "lock");
	assert_false(usoftirq_spin_is_locked(&lock));
	assert_false(usoftirq_spin_is_held_by_me(&lock));
	usoftirq_spin_lock(&lock);
	assert_int_equal(usoftirq_preempt_count(), USOFTIRQ_PREEMPT_OFFSET);
	assert_true(usoftirq_in_atomic());
	assert_true(usoftirq_spin_is_locked(&lock));
	assert_true(usoftirq_spin_is_held_by_me(&lock));
	assert_false(usoftirq_spin_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_spin_unlock(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_false(usoftirq_spin_is_locked(&lock));
	assert_false(usoftirq_spin_is_held_by_me(&lock));

	assert_true(usoftirq_spin_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 1);
	assert_true(usoftirq_spin_is_held_by_me(&lock));
	usoftirq_spin_unlock(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0);
}

/* Locks nest: each held lock adds one to preempt_count. */
static void test_nested_locks_count(void **state)
{
	static usoftirq_spinlock_t a = USOFTIRQ_SPINLOCK_INIT(a);
	static usoftirq_spinlock_t b = USOFTIRQ_SPINLOCK_INIT(b);

	(void)state;
	usoftirq_spin_lock(&a);
	usoftirq_spin_lock(&b);
	assert_int_equal(usoftirq_preempt_count(), 2);
	usoftirq_spin_unlock(&b);
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_spin_unlock(&a);
	assert_int_equal(usoftirq_preempt_count(), 0);
}

/* While another thread holds the lock: is_locked() but not held by me,
 * trylock and trylock_bh fail and leave preempt_count and the BH state as
 * they were (the thread can still bind, which a BH section refuses). */
static void test_trylock_fails_on_lock_held_elsewhere(void **state)
{
	struct usoftirq_machine *m = stepped_machine();
	usoftirq_spinlock_t lock;
	struct holder h;

	(void)state;
	usoftirq_spin_lock_init(&lock, "lock");
	holder_start(&h, &lock);
	assert_true(usoftirq_spin_is_locked(&lock));
	assert_false(usoftirq_spin_is_held_by_me(&lock));
	assert_false(usoftirq_spin_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_false(usoftirq_spin_trylock_bh(&lock));
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	holder_stop(&h);
	assert_false(usoftirq_spin_is_locked(&lock));

	assert_true(usoftirq_spin_trylock_bh(&lock));
	assert_int_equal(usoftirq_preempt_count(),
			 USOFTIRQ_SOFTIRQ_LOCK_OFFSET);
	usoftirq_spin_unlock_bh(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0);
	finish(m);
}

/* spin_lock_bh() adds SOFTIRQ_LOCK_OFFSET (0x201); a softirq raised under
 * it waits, and spin_unlock_bh() runs it in the caller at 0x101. */
static void test_lock_bh_and_unlock_bh_runs_softirqs(void **state)
{
	struct usoftirq_machine *m = stepped_machine();
	usoftirq_spinlock_t lock;

	(void)state;
	usoftirq_spin_lock_init(&lock, "lock");
	usoftirq_spin_lock_bh(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0x201);
	assert_true(usoftirq_in_softirq());
	assert_false(usoftirq_in_serving_softirq());
	assert_true(usoftirq_spin_is_held_by_me(&lock));
	usoftirq_raise_softirq(TIMER);
	assert_int_equal(timer_runs, 0);
	usoftirq_spin_unlock_bh(&lock);
	assert_int_equal(timer_runs, 1);
	assert_int_equal(timer_pc, 0x101);
	assert_int_equal(timer_tid, gettid());
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_false(usoftirq_spin_is_locked(&lock));
	assert_int_equal(usoftirq_local_softirq_pending(), 0);
	finish(m);
}

/* Inside an outer BH section spin_unlock_bh() is not the outermost enable:
 * the softirq waits for the outer local_bh_enable(). */
static void test_unlock_bh_inside_bh_section_defers(void **state)
{
	struct usoftirq_machine *m = stepped_machine();
	usoftirq_spinlock_t lock;

	(void)state;
	usoftirq_spin_lock_init(&lock, "lock");
	usoftirq_local_bh_disable();
	usoftirq_spin_lock_bh(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0x401);
	usoftirq_raise_softirq(TIMER);
	usoftirq_spin_unlock_bh(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0x200);
	assert_int_equal(timer_runs, 0);
	usoftirq_local_bh_enable();
	assert_int_equal(timer_runs, 1);
	assert_int_equal(usoftirq_preempt_count(), 0);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Contention                                                          */
/* ------------------------------------------------------------------ */

enum { CONTENDERS = 4, ROUNDS = 50000 };

struct contention {
	usoftirq_spinlock_t lock;
	struct gate start;
	unsigned long counter; /* plain: only the lock protects it */
	_Atomic int inside, overlaps;
	_Atomic unsigned int leaked; /* threads ending with a count */
};

static void critical_section(struct contention *c)
{
	if (atomic_fetch_add_explicit(&c->inside, 1, memory_order_relaxed))
		atomic_fetch_add(&c->overlaps, 1);
	c->counter++;
	atomic_fetch_sub_explicit(&c->inside, 1, memory_order_relaxed);
}

static void *contend(void *arg)
{
	struct contention *c = arg;

	gate_pass(&c->start);
	for (int i = 0; i < ROUNDS; i++) {
		/* Every third round through trylock, to mix both paths. */
		if (i % 3 == 0)
			while (!usoftirq_spin_trylock(&c->lock))
				sched_yield();
		else
			usoftirq_spin_lock(&c->lock);
		critical_section(c);
		usoftirq_spin_unlock(&c->lock);
	}
	if (usoftirq_preempt_count() != 0)
		atomic_fetch_add(&c->leaked, 1);
	return NULL;
}

/* Several threads incrementing a plain counter under the lock lose no
 * increment and are never inside together. */
static void test_mutual_exclusion_under_contention(void **state)
{
	static struct contention c;
	pthread_t t[CONTENDERS];

	(void)state;
	memset(&c, 0, sizeof(c));
	usoftirq_spin_lock_init(&c.lock, "contended");
	gate_init(&c.start, "start");
	for (int i = 0; i < CONTENDERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, contend, &c), 0);
	for (int i = 0; i < CONTENDERS; i++)
		gate_open(&c.start);
	for (int i = 0; i < CONTENDERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(c.counter, (unsigned long)CONTENDERS * ROUNDS);
	assert_int_equal(c.overlaps, 0);
	assert_int_equal(c.leaked, 0);
	assert_false(usoftirq_spin_is_locked(&c.lock));
	gate_destroy(&c.start);
}

/* ------------------------------------------------------------------ */
/* The futex slow path                                                 */
/* ------------------------------------------------------------------ */

enum { WAITERS = 3 };

struct waiter {
	usoftirq_spinlock_t *lock;
	unsigned long *counter;
	struct gate *ready;
	_Atomic int tid;
	_Atomic unsigned int pc_inside;
};

static void *wait_for_lock(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->tid, (int)gettid());
	gate_open(w->ready);
	usoftirq_spin_lock(w->lock); /* the only blocking point */
	atomic_store(&w->pc_inside, usoftirq_preempt_count());
	(*w->counter)++;
	usoftirq_spin_unlock(w->lock);
	return NULL;
}

/* Waiters on a lock held for long go to sleep in the kernel (futex) and
 * none gets in while it is held; the unlock hands it to each in turn. */
static void test_futex_slow_path(void **state)
{
	usoftirq_spinlock_t lock;
	struct waiter w[WAITERS];
	pthread_t t[WAITERS];
	unsigned long counter = 0;
	struct gate ready;
	struct holder h;

	(void)state;
	usoftirq_spin_lock_init(&lock, "slow");
	gate_init(&ready, "ready");
	holder_start(&h, &lock);
	for (int i = 0; i < WAITERS; i++) {
		w[i] = (struct waiter){ .lock = &lock,
					.counter = &counter,
					.ready = &ready };
		assert_int_equal(
			pthread_create(&t[i], NULL, wait_for_lock, &w[i]), 0);
	}
	for (int i = 0; i < WAITERS; i++)
		gate_pass(&ready);
	for (int i = 0; i < WAITERS; i++)
		(void)wait_futex_blocked(w[i].tid, 0);
	/* All asleep in the kernel, on the same word: the lock's. */
	for (int i = 1; i < WAITERS; i++)
		assert_true(thread_futex_addr(w[i].tid) ==
			    thread_futex_addr(w[0].tid));
	assert_true(usoftirq_spin_is_locked(&lock));
	holder_stop(&h);
	for (int i = 0; i < WAITERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].pc_inside, 1);
	}
	assert_int_equal(counter, WAITERS);
	assert_false(usoftirq_spin_is_locked(&lock));
	gate_destroy(&ready);
}

/* ------------------------------------------------------------------ */
/* Recursive locking                                                   */
/* ------------------------------------------------------------------ */

static void lock_twice(void *arg)
{
	usoftirq_spinlock_t lock;

	(void)arg;
	usoftirq_spin_lock_init(&lock, "&dev->lock");
	usoftirq_spin_lock(&lock);
	usoftirq_spin_lock(&lock);
}

static usoftirq_spinlock_t static_lock = USOFTIRQ_SPINLOCK_INIT(static_lock);

static void lock_bh_twice_on_machine(void *arg)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m;

	(void)arg;
	cfg.ncpus = 1;
	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS;
	if (usoftirq_machine_create(&m, &cfg) != 0 ||
	    usoftirq_thread_bind(m, 0) != 0)
		_exit(3);
	usoftirq_spin_lock_bh(&static_lock);
	usoftirq_spin_lock_bh(&static_lock);
}

static void assert_aborted_with(int status, const char *err, const char *name)
{
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(err, "possible recursive locking detected"));
	assert_non_null(strstr(err, name));
}

/* Taking a lock the thread already holds prints "possible recursive
 * locking detected" with the lock's name and aborts, for a lock named at
 * init and for a static one, with spin_lock() and spin_lock_bh(). */
static void test_recursive_locking_aborts(void **state)
{
	char err[2048];
	int status;

	(void)state;
	status = run_in_child(lock_twice, NULL, err, sizeof(err));
	assert_aborted_with(status, err, "(&dev->lock), at: lock_twice+");
	status = run_in_child(lock_bh_twice_on_machine, NULL, err, sizeof(err));
	assert_aborted_with(status, err,
			    "(static_lock), at: lock_bh_twice_on_machine+");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_unlock_trylock),
		cmocka_unit_test(test_nested_locks_count),
		cmocka_unit_test(test_trylock_fails_on_lock_held_elsewhere),
		cmocka_unit_test(test_lock_bh_and_unlock_bh_runs_softirqs),
		cmocka_unit_test(test_unlock_bh_inside_bh_section_defers),
		cmocka_unit_test(test_mutual_exclusion_under_contention),
		cmocka_unit_test(test_futex_slow_path),
		cmocka_unit_test(test_recursive_locking_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
