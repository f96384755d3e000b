/* SPDX-License-Identifier: MIT */
/*
 * Spin locks: the library's futex lock (src/lock.h), plus the kernel's
 * preempt_count, BH and interrupt-masking bookkeeping of the spin_lock()
 * family, plus lockdep's usage checks (src/lockdep.h).
 *
 * Why not spin forever as the kernel does: in user space the holder can be
 * descheduled by the host, and a spinner would then burn its whole time
 * slice. The lock spins briefly, then sleeps.
 */
#include "lock.h"
#include "lockdep.h"
#include "report.h"
#include "thread.h"
void usoftirq_spin_lock_init(usoftirq_spinlock_t *lock, const char *name)
{
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->usage, 0, __ATOMIC_RELAXED);
	lock->owner_ip = NULL;
	for (int i = 0; i < 4; i++)
		lock->usage_ip[i] = NULL;
	lock->name = name ? name : "spinlock";
}

static void lockdep_view(usoftirq_spinlock_t *lock,
			 struct usoftirq__lockdep *ld)
{
	ld->usage = &lock->usage;
	ld->usage_ip = lock->usage_ip;
	ld->name = lock->name ? lock->name : "spinlock";
}

static void lock_acquire(usoftirq_spinlock_t *lock, const void *ip)
{
	int me = usoftirq__thread_tid(usoftirq__self());
	struct usoftirq__lockdep ld;

	lockdep_view(lock, &ld);
	usoftirq__lockdep_acquire(&ld, false, ip);
	if (!usoftirq__lock_try(&lock->word)) {
		if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == me)
			usoftirq__lockdep_die_recursive(
				&ld, ip,
				__atomic_load_n(&lock->owner_ip,
						__ATOMIC_RELAXED));
		usoftirq__lock_slow(&lock->word);
	}
	__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_ip, ip, __ATOMIC_RELAXED);
}

static bool lock_try_acquire(usoftirq_spinlock_t *lock, const void *ip)
{
	struct usoftirq__lockdep ld;

	lockdep_view(lock, &ld);
	usoftirq__lockdep_acquire(&ld, false, ip);
	if (!usoftirq__lock_try(&lock->word))
		return false;
	__atomic_store_n(&lock->owner, usoftirq__thread_tid(usoftirq__self()),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_ip, ip, __ATOMIC_RELAXED);
	return true;
}

static void lock_release(usoftirq_spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_ip, NULL, __ATOMIC_RELAXED);
	usoftirq__unlock(&lock->word);
}

#define CALLER __builtin_return_address(0)

void usoftirq_spin_lock(usoftirq_spinlock_t *lock)
{
	usoftirq_preempt_disable();
	lock_acquire(lock, CALLER);
}

bool usoftirq_spin_trylock(usoftirq_spinlock_t *lock)
{
	usoftirq_preempt_disable();
	if (lock_try_acquire(lock, CALLER))
		return true;
	usoftirq_preempt_enable();
	return false;
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
	lock_acquire(lock, CALLER);
}

bool usoftirq_spin_trylock_bh(usoftirq_spinlock_t *lock)
{
	usoftirq_local_bh_disable();
	usoftirq_preempt_disable();
	if (lock_try_acquire(lock, CALLER))
		return true;
	usoftirq_preempt_enable();
	usoftirq_local_bh_enable();
	return false;
}

void usoftirq_spin_unlock_bh(usoftirq_spinlock_t *lock)
{
	lock_release(lock);
	usoftirq_preempt_enable();
	usoftirq_local_bh_enable();
}

unsigned long usoftirq_spin_lock_irqsave(usoftirq_spinlock_t *lock)
{
	unsigned long flags = usoftirq_local_irq_save();

	usoftirq_preempt_disable();
	lock_acquire(lock, CALLER);
	return flags;
}

bool usoftirq_spin_trylock_irqsave(usoftirq_spinlock_t *lock,
				   unsigned long *flags)
{
	*flags = usoftirq_local_irq_save();
	usoftirq_preempt_disable();
	if (lock_try_acquire(lock, CALLER))
		return true;
	usoftirq_preempt_enable();
	usoftirq_local_irq_restore(*flags);
	return false;
}

void usoftirq_spin_unlock_irqrestore(usoftirq_spinlock_t *lock,
				     unsigned long flags)
{
	lock_release(lock);
	usoftirq_local_irq_restore(flags);
	usoftirq_preempt_enable();
}

void usoftirq_spin_lock_irq(usoftirq_spinlock_t *lock)
{
	usoftirq_local_irq_disable();
	usoftirq_preempt_disable();
	lock_acquire(lock, CALLER);
}

void usoftirq_spin_unlock_irq(usoftirq_spinlock_t *lock)
{
	lock_release(lock);
	usoftirq_local_irq_enable();
	usoftirq_preempt_enable();
}

bool usoftirq_spin_is_locked(usoftirq_spinlock_t *lock)
{
	return usoftirq__lock_is_held(&lock->word);
}

bool usoftirq_spin_is_held_by_me(usoftirq_spinlock_t *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) ==
	       usoftirq__thread_tid(usoftirq__self());
}
