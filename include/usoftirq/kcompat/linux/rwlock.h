/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/rwlock.h>: reader-writer spin locks. rwlock_t and
 * DEFINE_RWLOCK() (<linux/rwlock_types.h>), rwlock_init() (which names
 * the lock after its argument, as spin_lock_init() does), read_lock(),
 * read_unlock(), read_trylock(), write_lock(), write_unlock(),
 * write_trylock(), their _bh and _irq forms, read_lock_irqsave(lock,
 * flags), read_unlock_irqrestore(), write_lock_irqsave(lock, flags) and
 * write_unlock_irqrestore(). The kernel's <linux/spinlock.h> includes it,
 * and so does ours; it may also be included alone.
 *
 * The locks are usoftirq's (<usoftirq/rwlock.h>), with the kernel's
 * rules: readers nest, a reader does not wait for a writer that is only
 * waiting (so writers can starve), and the _bh, _irq and _irqsave forms
 * disable what the spin lock forms disable. The _irqsave forms are
 * macros that assign to their unsigned long flags argument. Difference:
 * read_trylock() and write_trylock() return bool.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_RWLOCK_H
#define USOFTIRQ_KCOMPAT_LINUX_RWLOCK_H

#include <linux/kernel.h>
#include <linux/rwlock_types.h>

#include <usoftirq/rwlock.h>

#define rwlock_init(lock) usoftirq_rwlock_init((lock), #lock)

#define read_lock usoftirq_read_lock
#define read_unlock usoftirq_read_unlock
#define read_trylock usoftirq_read_trylock
#define write_lock usoftirq_write_lock
#define write_unlock usoftirq_write_unlock
#define write_trylock usoftirq_write_trylock
#define read_lock_bh usoftirq_read_lock_bh
#define read_unlock_bh usoftirq_read_unlock_bh
#define write_lock_bh usoftirq_write_lock_bh
#define write_unlock_bh usoftirq_write_unlock_bh
#define read_lock_irq usoftirq_read_lock_irq
#define read_unlock_irq usoftirq_read_unlock_irq
#define write_lock_irq usoftirq_write_lock_irq
#define write_unlock_irq usoftirq_write_unlock_irq

#define read_lock_irqsave(lock, flags)                      \
	do {                                                \
		(void)typecheck(unsigned long, flags);      \
		(flags) = usoftirq_read_lock_irqsave(lock); \
	} while (0)
#define read_unlock_irqrestore(lock, flags)                       \
	do {                                                      \
		(void)typecheck(unsigned long, flags);            \
		usoftirq_read_unlock_irqrestore((lock), (flags)); \
	} while (0)
#define write_lock_irqsave(lock, flags)                      \
	do {                                                 \
		(void)typecheck(unsigned long, flags);       \
		(flags) = usoftirq_write_lock_irqsave(lock); \
	} while (0)
#define write_unlock_irqrestore(lock, flags)                       \
	do {                                                       \
		(void)typecheck(unsigned long, flags);             \
		usoftirq_write_unlock_irqrestore((lock), (flags)); \
	} while (0)

#endif /* USOFTIRQ_KCOMPAT_LINUX_RWLOCK_H */
