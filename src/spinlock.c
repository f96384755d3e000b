/* SPDX-License-Identifier: MIT */
/*
 * Spin locks: a three-state futex lock (0 free, 1 held, 2 held with
 * sleepers) that spins a little before sleeping, plus the preempt_count and
 * BH bookkeeping of the kernel's spin_lock() family.
 *
 * Why not spin forever as the kernel does: in user space the holder can be
 * descheduled by the host, and a spinner would then burn its whole time
 * slice. The spin phase covers the common case of a short critical section
 * on another CPU; the futex covers the rest.
 *
 * The holder's thread id is kept in the lock, so that a thread trying to
 * take a lock it already holds is reported (the kernel's lockdep says
 * "possible recursive locking detected") instead of hanging silently.
 */
#include <limits.h>

#include "futex.h"
#include "thread.h"

/*
 * Spins before sleeping: ~100 PAUSEs (2-4 us) is below the ~7 us a futex
 * sleep and wake-up costs on the reference machine, and above a typical
 * critical section protecting a ring index.
 */
#define SPIN_LOCK_SPINS 100

void usoftirq_spin_lock_init(usoftirq_spinlock_t *lock, const char *name)
{
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	lock->name = name ? name : "spinlock";
}

static bool lock_try(usoftirq_spinlock_t *lock)
{
	unsigned int free_word = 0;

	/* Acquire: pairs with the release in lock_release(). */
	return __atomic_compare_exchange_n(&lock->word, &free_word, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void check_recursion(usoftirq_spinlock_t *lock, int me)
{
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != me)
		return;
	usoftirq__fatal(__FILE__, __LINE__,
			"possible recursive locking detected: thread %d tries "
			"to take spin lock %s, which it already holds; this "
			"would deadlock",
			me, lock->name ? lock->name : "?");
}

static void lock_slow(usoftirq_spinlock_t *lock, int me)
{
	check_recursion(lock, me);
	for (int i = 0; i < SPIN_LOCK_SPINS; i++) {
		usoftirq__cpu_relax();
		if (__atomic_load_n(&lock->word, __ATOMIC_RELAXED) == 0 &&
		    lock_try(lock))
			return;
	}
	while (__atomic_exchange_n(&lock->word, 2, __ATOMIC_ACQUIRE) != 0)
		usoftirq__futex_wait(&lock->word, 2);
}

static void lock_acquire(usoftirq_spinlock_t *lock)
{
	int me = usoftirq__thread_tid(usoftirq__self());

	if (!lock_try(lock))
		lock_slow(lock, me);
	__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
}

static void lock_release(usoftirq_spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	/* Release: the critical section is visible to the next holder. */
	if (__atomic_exchange_n(&lock->word, 0, __ATOMIC_RELEASE) == 2)
		usoftirq__futex_wake(&lock->word, 1);
}

void usoftirq_spin_lock(usoftirq_spinlock_t *lock)
{
	usoftirq_preempt_disable();
	lock_acquire(lock);
}

bool usoftirq_spin_trylock(usoftirq_spinlock_t *lock)
{
	usoftirq_preempt_disable();
	if (!lock_try(lock)) {
		usoftirq_preempt_enable();
		return false;
	}
	__atomic_store_n(&lock->owner, usoftirq__thread_tid(usoftirq__self()),
			 __ATOMIC_RELAXED);
	return true;
}

void usoftirq_spin_unlock(usoftirq_spinlock_t *lock)
{
	lock_release(lock);
	usoftirq_preempt_enable();
}

void usoftirq_spin_lock_bh(usoftirq_spinlock_t *lock)
{
	usoftirq_local_bh_disable();
	usoftirq_preempt_disable();
	lock_acquire(lock);
}

bool usoftirq_spin_trylock_bh(usoftirq_spinlock_t *lock)
{
	usoftirq_local_bh_disable();
	if (usoftirq_spin_trylock(lock))
		return true;
	usoftirq_local_bh_enable();
	return false;
}

void usoftirq_spin_unlock_bh(usoftirq_spinlock_t *lock)
{
	lock_release(lock);
	usoftirq_preempt_enable();
	usoftirq_local_bh_enable();
}

bool usoftirq_spin_is_locked(usoftirq_spinlock_t *lock)
{
	return __atomic_load_n(&lock->word, __ATOMIC_RELAXED) != 0;
}

bool usoftirq_spin_is_held_by_me(usoftirq_spinlock_t *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) ==
	       usoftirq__thread_tid(usoftirq__self());
}
