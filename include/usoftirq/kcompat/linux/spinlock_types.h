/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/spinlock_types.h>: spinlock_t and raw_spinlock_t
 * (both usoftirq_spinlock_t, <usoftirq/spinlock.h>), their static
 * initialisers __SPIN_LOCK_UNLOCKED() and __RAW_SPIN_LOCK_UNLOCKED(), and
 * DEFINE_SPINLOCK()/DEFINE_RAW_SPINLOCK(), which name the lock after its
 * variable for reports.
 *
 * raw_spinlock_t is the same type as spinlock_t: without PREEMPT_RT the
 * kernel's two behave alike, and here both spin and then sleep on a futex.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_SPINLOCK_TYPES_H
#define USOFTIRQ_KCOMPAT_LINUX_SPINLOCK_TYPES_H

#include <usoftirq/spinlock.h>

typedef usoftirq_spinlock_t spinlock_t;
typedef usoftirq_spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) USOFTIRQ_SPINLOCK_INIT(lockname)
#define __RAW_SPIN_LOCK_UNLOCKED(lockname) USOFTIRQ_SPINLOCK_INIT(lockname)
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)

#endif /* USOFTIRQ_KCOMPAT_LINUX_SPINLOCK_TYPES_H */
