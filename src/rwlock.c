/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer locks. The word holds the reader count (bits 0..29),
 * WAITERS (bit 30: somebody sleeps on the word) and WRITER (bit 31):
 *   read lock     CAS count + 1, only while WRITER is clear (readers never
 *                 wait for a writer that merely waits, as the kernel's
 *                 qrwlock lets interrupt-context readers in)
 *   write lock    CAS from "no readers, no writer" to WRITER
 *   read unlock   count - 1; the last reader wakes sleepers
 *   write unlock  exchange to 0; wakes sleepers if WAITERS was set
 * A waiter spins briefly, then sets WAITERS and sleeps on the word; on
 * wake-up it tries again (and sets WAITERS again if it still must wait).
 */
#include <limits.h>

#include <usoftirq/rwlock.h>

#include "lock.h"
#include "lockdep.h"
#include "thread.h"

#define RW_WRITER (1u << 31)
#define RW_WAITERS (1u << 30)
#define RW_READERS (RW_WAITERS - 1)

#define CALLER __builtin_return_address(0)

void usoftirq_rwlock_init(usoftirq_rwlock_t *lock, const char *name)
{
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->writer, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->usage, 0, __ATOMIC_RELAXED);
	lock->writer_ip = NULL;
	for (int i = 0; i < 4; i++)
		lock->usage_ip[i] = NULL;
	lock->name = name ? name : "rwlock";
}

static void lockdep_check(usoftirq_rwlock_t *lock, bool read, const void *ip)
{
	struct usoftirq__lockdep ld = { &lock->usage, lock->usage_ip,
					lock->name ? lock->name : "rwlock" };

	usoftirq__lockdep_acquire(&ld, read, ip);
}

/* Sleep until @word changes from @seen, after marking WAITERS. */
static void rw_wait(usoftirq_rwlock_t *lock, unsigned int seen)
{
	if (!(seen & RW_WAITERS) &&
	    !__atomic_compare_exchange_n(&lock->word, &seen, seen | RW_WAITERS,
					 false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	usoftirq__futex_wait(&lock->word, seen | RW_WAITERS);
}

static bool read_try(usoftirq_rwlock_t *lock, unsigned int *seen)
{
	unsigned int s = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

	while (!(s & RW_WRITER))
		/* Acquire: pairs with the writer's releasing exchange. */
		if (__atomic_compare_exchange_n(&lock->word, &s, s + 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	*seen = s;
	return false;
}

static bool write_try(usoftirq_rwlock_t *lock, unsigned int *seen)
{
	unsigned int s = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

	while (!(s & (RW_WRITER | RW_READERS)))
		/* Acquire: pairs with the readers' and writer's releases. */
		if (__atomic_compare_exchange_n(
			    &lock->word, &s, (s & RW_WAITERS) | RW_WRITER,
			    false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	*seen = s;
	return false;
}

static void read_acquire(usoftirq_rwlock_t *lock, const void *ip)
{
	unsigned int seen;
	int spins = 0;

	lockdep_check(lock, true, ip);
	while (!read_try(lock, &seen)) {
		if (__atomic_load_n(&lock->writer, __ATOMIC_RELAXED) ==
		    usoftirq__thread_tid(usoftirq__self())) {
			struct usoftirq__lockdep ld = { &lock->usage,
							lock->usage_ip,
							lock->name };

			usoftirq__lockdep_die_recursive(&ld, ip,
							lock->writer_ip);
		}
		if (spins++ < USOFTIRQ__LOCK_SPINS)
			usoftirq__cpu_relax();
		else
			rw_wait(lock, seen);
	}
}

static void write_acquire(usoftirq_rwlock_t *lock, const void *ip)
{
	int me = usoftirq__thread_tid(usoftirq__self());
	unsigned int seen;
	int spins = 0;

	lockdep_check(lock, false, ip);
	while (!write_try(lock, &seen)) {
		if (__atomic_load_n(&lock->writer, __ATOMIC_RELAXED) == me) {
			struct usoftirq__lockdep ld = { &lock->usage,
							lock->usage_ip,
							lock->name };

			usoftirq__lockdep_die_recursive(&ld, ip,
							lock->writer_ip);
		}
		if (spins++ < USOFTIRQ__LOCK_SPINS)
			usoftirq__cpu_relax();
		else
			rw_wait(lock, seen);
	}
	__atomic_store_n(&lock->writer, me, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->writer_ip, ip, __ATOMIC_RELAXED);
}

static void read_release(usoftirq_rwlock_t *lock)
{
	/* Release: the reader's section happens before a later writer. */
	unsigned int old = __atomic_fetch_sub(&lock->word, 1, __ATOMIC_RELEASE);

	/* The last reader wakes the sleepers. A waiter that marks WAITERS
	 * after this fetch_and fails its CAS (the word changed), retries and
	 * finds the lock free, so no wake-up can be lost. */
	if ((old & RW_READERS) == 1 &&
	    (__atomic_fetch_and(&lock->word, ~RW_WAITERS, __ATOMIC_RELAXED) &
	     RW_WAITERS))
		usoftirq__futex_wake(&lock->word, INT_MAX);
}

static void write_release(usoftirq_rwlock_t *lock)
{
	__atomic_store_n(&lock->writer, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->writer_ip, NULL, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&lock->word, 0, __ATOMIC_RELEASE) & RW_WAITERS)
		usoftirq__futex_wake(&lock->word, INT_MAX);
}

void usoftirq_read_lock(usoftirq_rwlock_t *lock)
{
	usoftirq_preempt_disable();
	read_acquire(lock, CALLER);
}

void usoftirq_read_unlock(usoftirq_rwlock_t *lock)
{
	read_release(lock);
	usoftirq_preempt_enable();
}

bool usoftirq_read_trylock(usoftirq_rwlock_t *lock)
{
	unsigned int seen;

	usoftirq_preempt_disable();
	lockdep_check(lock, true, CALLER);
	if (read_try(lock, &seen))
		return true;
	usoftirq_preempt_enable();
	return false;
}

void usoftirq_write_lock(usoftirq_rwlock_t *lock)
{
	usoftirq_preempt_disable();
	write_acquire(lock, CALLER);
}

void usoftirq_write_unlock(usoftirq_rwlock_t *lock)
{
	write_release(lock);
	usoftirq_preempt_enable();
}

bool usoftirq_write_trylock(usoftirq_rwlock_t *lock)
{
	unsigned int seen;

	usoftirq_preempt_disable();
	lockdep_check(lock, false, CALLER);
	if (write_try(lock, &seen)) {
		__atomic_store_n(&lock->writer,
				 usoftirq__thread_tid(usoftirq__self()),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&lock->writer_ip, CALLER, __ATOMIC_RELAXED);
		return true;
	}
	usoftirq_preempt_enable();
	return false;
}

void usoftirq_read_lock_bh(usoftirq_rwlock_t *lock)
{
	usoftirq_local_bh_disable();
	usoftirq_preempt_disable();
	read_acquire(lock, CALLER);
}

void usoftirq_read_unlock_bh(usoftirq_rwlock_t *lock)
{
	read_release(lock);
	usoftirq_preempt_enable();
	usoftirq_local_bh_enable();
}

void usoftirq_write_lock_bh(usoftirq_rwlock_t *lock)
{
	usoftirq_local_bh_disable();
	usoftirq_preempt_disable();
	write_acquire(lock, CALLER);
}

void usoftirq_write_unlock_bh(usoftirq_rwlock_t *lock)
{
	write_release(lock);
	usoftirq_preempt_enable();
	usoftirq_local_bh_enable();
}

void usoftirq_read_lock_irq(usoftirq_rwlock_t *lock)
{
	usoftirq_local_irq_disable();
	usoftirq_preempt_disable();
	read_acquire(lock, CALLER);
}

void usoftirq_read_unlock_irq(usoftirq_rwlock_t *lock)
{
	read_release(lock);
	usoftirq_local_irq_enable();
	usoftirq_preempt_enable();
}

void usoftirq_write_lock_irq(usoftirq_rwlock_t *lock)
{
	usoftirq_local_irq_disable();
	usoftirq_preempt_disable();
	write_acquire(lock, CALLER);
}

void usoftirq_write_unlock_irq(usoftirq_rwlock_t *lock)
{
	write_release(lock);
	usoftirq_local_irq_enable();
	usoftirq_preempt_enable();
}

unsigned long usoftirq_read_lock_irqsave(usoftirq_rwlock_t *lock)
{
	unsigned long flags = usoftirq_local_irq_save();

	usoftirq_preempt_disable();
	read_acquire(lock, CALLER);
	return flags;
}

void usoftirq_read_unlock_irqrestore(usoftirq_rwlock_t *lock,
				     unsigned long flags)
{
	read_release(lock);
	usoftirq_local_irq_restore(flags);
	usoftirq_preempt_enable();
}

unsigned long usoftirq_write_lock_irqsave(usoftirq_rwlock_t *lock)
{
	unsigned long flags = usoftirq_local_irq_save();

	usoftirq_preempt_disable();
	write_acquire(lock, CALLER);
	return flags;
}

void usoftirq_write_unlock_irqrestore(usoftirq_rwlock_t *lock,
				      unsigned long flags)
{
	write_release(lock);
	usoftirq_local_irq_restore(flags);
	usoftirq_preempt_enable();
}
