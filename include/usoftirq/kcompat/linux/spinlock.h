/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/spinlock.h>: spinlock_t and raw_spinlock_t with
 * spin_lock_init() (which names the lock after the expression it is given,
 * "&dev->lock", for reports), spin_lock(), spin_unlock(), spin_trylock(),
 * spin_lock_bh(), spin_unlock_bh(), spin_trylock_bh(), spin_lock_irq(),
 * spin_unlock_irq(), spin_trylock_irq(), spin_lock_irqsave(lock, flags),
 * spin_unlock_irqrestore(), spin_trylock_irqsave(lock, flags),
 * spin_is_locked(), spin_lock_nested(), spin_lock_irqsave_nested(),
 * assert_spin_locked(), the raw_spin_* forms of all of these; the
 * reader-writer locks of <linux/rwlock.h>; local_irq_save() and friends
 * from <linux/irqflags.h>; and lockdep_assert_held() from
 * <linux/lockdep.h>.
 *
 * The locks are usoftirq's (<usoftirq/spinlock.h>): they keep the kernel's
 * context rules (preempt_count is raised while held; the _bh forms disable
 * the vCPU's softirqs; the _irq and _irqsave forms mask interrupts for the
 * calling thread, so that a hardirq handler cannot interrupt the critical
 * section on the same vCPU), spin briefly and then sleep on a futex, since
 * a holder can be preempted by the host scheduler. As in the kernel,
 * spin_lock_irqsave() is a macro that assigns the saved state to its
 * second argument, an unsigned long.
 *
 * Differences from the kernel: assert_spin_locked() requires that the
 * calling thread hold the lock (the kernel only checks that somebody
 * does) and aborts with the kernel's "kernel BUG at" line otherwise;
 * spin_lock_nested() is spin_lock(), the lock classes it serves being
 * lockdep's; the trylock forms return bool.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_SPINLOCK_H
#define USOFTIRQ_KCOMPAT_LINUX_SPINLOCK_H

#include <asm/barrier.h>
#include <linux/bottom_half.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rwlock.h>
#include <linux/spinlock_types.h>

#include <usoftirq/spinlock.h>

#define spin_lock_init(lock) usoftirq_spin_lock_init((lock), #lock)
#define spin_lock usoftirq_spin_lock
#define spin_unlock usoftirq_spin_unlock
#define spin_trylock usoftirq_spin_trylock
#define spin_lock_bh usoftirq_spin_lock_bh
#define spin_unlock_bh usoftirq_spin_unlock_bh
#define spin_trylock_bh usoftirq_spin_trylock_bh
#define spin_is_locked usoftirq_spin_is_locked
#define spin_lock_nested(lock, subclass) usoftirq_spin_lock(lock)
#define spin_lock_irq usoftirq_spin_lock_irq
#define spin_unlock_irq usoftirq_spin_unlock_irq
#define spin_lock_irqsave(lock, flags)                      \
	do {                                                \
		(void)typecheck(unsigned long, flags);      \
		(flags) = usoftirq_spin_lock_irqsave(lock); \
	} while (0)
#define spin_lock_irqsave_nested(lock, flags, subclass) \
	spin_lock_irqsave(lock, flags)
#define spin_unlock_irqrestore(lock, flags)                       \
	do {                                                      \
		(void)typecheck(unsigned long, flags);            \
		usoftirq_spin_unlock_irqrestore((lock), (flags)); \
	} while (0)
#define spin_trylock_irqsave(lock, flags) \
	usoftirq_spin_trylock_irqsave((lock), &(flags))
#define spin_trylock_irq(lock) usoftirq__kc_spin_trylock_irq(lock)

#define raw_spin_lock_init(lock) usoftirq_spin_lock_init((lock), #lock)
#define raw_spin_lock usoftirq_spin_lock
#define raw_spin_unlock usoftirq_spin_unlock
#define raw_spin_trylock usoftirq_spin_trylock
#define raw_spin_lock_bh usoftirq_spin_lock_bh
#define raw_spin_unlock_bh usoftirq_spin_unlock_bh
#define raw_spin_trylock_bh usoftirq_spin_trylock_bh
#define raw_spin_is_locked usoftirq_spin_is_locked
#define raw_spin_lock_nested(lock, subclass) usoftirq_spin_lock(lock)
#define raw_spin_lock_irq usoftirq_spin_lock_irq
#define raw_spin_unlock_irq usoftirq_spin_unlock_irq
#define raw_spin_lock_irqsave(lock, flags) spin_lock_irqsave(lock, flags)
#define raw_spin_lock_irqsave_nested(lock, flags, subclass) \
	spin_lock_irqsave(lock, flags)
#define raw_spin_unlock_irqrestore(lock, flags) \
	spin_unlock_irqrestore(lock, flags)
#define raw_spin_trylock_irqsave(lock, flags) spin_trylock_irqsave(lock, flags)
#define raw_spin_trylock_irq(lock) spin_trylock_irq(lock)

/*
 * spin_trylock_irq() - disable interrupts and try the lock; on failure
 * enable them again (the kernel's definition).
 */
static inline bool usoftirq__kc_spin_trylock_irq(spinlock_t *lock)
{
	usoftirq_local_irq_disable();
	if (usoftirq_spin_trylock(lock))
		return true;
	usoftirq_local_irq_enable();
	return false;
}

/* Report a lock the caller should hold and does not, then abort. */
static inline __cold __noreturn void
usoftirq__kc_spin_not_held(const char *expr, const char *file, int line)
{
	printk(KERN_EMERG "kernel BUG at %s:%d!\n", file, line);
	printk(KERN_EMERG "assert_spin_locked(%s): not held by this thread\n",
	       expr);
	__builtin_abort();
}

#define assert_spin_locked(lock)                                               \
	do {                                                                   \
		if (unlikely(!usoftirq_spin_is_held_by_me(lock)))              \
			usoftirq__kc_spin_not_held(#lock, __FILE__, __LINE__); \
	} while (0)
#define assert_raw_spin_locked(lock) assert_spin_locked(lock)

#endif /* USOFTIRQ_KCOMPAT_LINUX_SPINLOCK_H */
