/* SPDX-License-Identifier: MIT */
/*
 * Spin locks with the kernel's context rules.
 *
 * A usoftirq spin lock spins briefly and then sleeps on a futex, because a
 * lock holder in user space can be preempted by the host scheduler, which
 * a kernel spin lock holder cannot. Taking one adds PREEMPT_OFFSET to the
 * caller's preempt_count, so in_atomic() is true while it is held and a
 * sleeping call made under it is reported as in the kernel.
 *
 * The _bh forms disable softirq processing on the caller's vCPU around the
 * critical section (see usoftirq/context.h); spin_unlock_bh() may run
 * pending softirqs, as in the kernel. The _irqsave and _irq forms also
 * mask interrupts for the caller (usoftirq/irqflags.h).
 *
 * Like the kernel's lockdep, each lock remembers in which contexts it has
 * been taken. A lock taken in a hardirq handler and elsewhere with
 * interrupts enabled (or in a softirq and elsewhere with BH enabled) is
 * reported once as "inconsistent lock state", naming both places, the
 * first time the second usage happens, whether or not an interrupt
 * actually hits the critical section. Taking a lock the thread already
 * holds is reported as recursive locking and aborts: it can only hang.
 */
#ifndef USOFTIRQ_SPINLOCK_H
#define USOFTIRQ_SPINLOCK_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/**
 * struct usoftirq_spinlock - a spin lock.
 * @word: private: 0 free, 1 held, 2 held with sleeping waiters.
 * @owner: private: thread id of the holder, 0 when free.
 * @name: private: the name given at initialisation, used in reports.
 * @usage: private: the contexts the lock has been taken in.
 * @owner_ip: private: where the holder took it.
 * @usage_ip: private: where each usage was first seen.
 */
typedef struct usoftirq_spinlock {
	unsigned int word;
	int owner;
	const char *name;
	unsigned int usage;
	const void *owner_ip;
	const void *usage_ip[4];
} usoftirq_spinlock_t;

/** USOFTIRQ_SPINLOCK_INIT() - static initialiser; @lockname names it. */
#define USOFTIRQ_SPINLOCK_INIT(lockname)       \
	{                                      \
		0, 0, #lockname, 0, NULL,      \
		{                              \
			NULL, NULL, NULL, NULL \
		}                              \
	}

/**
 * usoftirq_spin_lock_init() - initialise a spin lock.
 * @lock: the lock.
 * @name: a name for reports (the kernel-compat spin_lock_init() passes the
 *	expression it was given, e.g. "&dev->lock"), or NULL.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_spin_lock_init(usoftirq_spinlock_t *lock,
					  const char *name);

/**
 * usoftirq_spin_lock() - take a lock; preempt_count += PREEMPT_OFFSET.
 * @lock: the lock.
 *
 * Context: any. Not recursive.
 */
USOFTIRQ_API void usoftirq_spin_lock(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_trylock() - take a lock if it is free.
 * @lock: the lock.
 *
 * Context: any.
 * Return: true if taken (preempt_count raised), false otherwise.
 */
USOFTIRQ_API bool usoftirq_spin_trylock(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_unlock() - release a lock; preempt_count -= PREEMPT_OFFSET.
 * @lock: the lock, held by the caller.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_spin_unlock(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_lock_bh() - local_bh_disable() then take the lock.
 * @lock: the lock.
 *
 * Context: task or softirq context.
 */
USOFTIRQ_API void usoftirq_spin_lock_bh(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_trylock_bh() - local_bh_disable() and try the lock; on
 * failure BH is enabled again.
 * @lock: the lock.
 *
 * Context: task or softirq context.
 * Return: true if taken.
 */
USOFTIRQ_API bool usoftirq_spin_trylock_bh(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_unlock_bh() - release the lock then local_bh_enable(),
 * which may run pending softirqs in the caller.
 * @lock: the lock, held by the caller.
 *
 * Context: task or softirq context.
 */
USOFTIRQ_API void usoftirq_spin_unlock_bh(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_lock_irqsave() - mask interrupts, then take the lock.
 * @lock: the lock.
 *
 * Context: any, including hardirq handlers.
 * Return: the interrupt state to give to usoftirq_spin_unlock_irqrestore().
 */
USOFTIRQ_API unsigned long
usoftirq_spin_lock_irqsave(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_trylock_irqsave() - mask interrupts and try the lock; on
 * failure the interrupt state is restored.
 * @lock: the lock.
 * @flags: receives the state to restore.
 *
 * Return: true if taken.
 */
USOFTIRQ_API bool usoftirq_spin_trylock_irqsave(usoftirq_spinlock_t *lock,
						unsigned long *flags);

/**
 * usoftirq_spin_unlock_irqrestore() - release, then restore interrupts;
 * interrupts that arrived meanwhile are handled if that enables them.
 * @lock: the lock, held by the caller.
 * @flags: the state from usoftirq_spin_lock_irqsave().
 */
USOFTIRQ_API void usoftirq_spin_unlock_irqrestore(usoftirq_spinlock_t *lock,
						  unsigned long flags);

/** usoftirq_spin_lock_irq() - disable interrupts, then take the lock. */
USOFTIRQ_API void usoftirq_spin_lock_irq(usoftirq_spinlock_t *lock);

/** usoftirq_spin_unlock_irq() - release, then enable interrupts. */
USOFTIRQ_API void usoftirq_spin_unlock_irq(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_is_locked() - whether somebody holds the lock.
 * @lock: the lock.
 *
 * Context: any.
 */
USOFTIRQ_API bool usoftirq_spin_is_locked(usoftirq_spinlock_t *lock);

/**
 * usoftirq_spin_is_held_by_me() - whether the calling thread holds it.
 * @lock: the lock.
 *
 * Context: any.
 */
USOFTIRQ_API bool usoftirq_spin_is_held_by_me(usoftirq_spinlock_t *lock);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_SPINLOCK_H */
