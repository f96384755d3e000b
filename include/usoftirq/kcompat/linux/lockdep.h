/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/lockdep.h>, the assertions drivers use:
 * lockdep_assert_held() and lockdep_assert_not_held() warn (WARN_ON(),
 * once per call site) when the calling thread does not hold (or does
 * hold) the spin lock; lockdep_assert_in_softirq() warns outside softirq
 * and BH-disabled context.
 * The lock-class machinery (lockdep_set_class() ...) compiles to nothing.
 *
 * Difference from the kernel: lockdep checks only when CONFIG_LOCKDEP is
 * set; these checks are always on, and apply to spinlock_t only.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_LOCKDEP_H
#define USOFTIRQ_KCOMPAT_LINUX_LOCKDEP_H

#include <linux/bug.h>
#include <linux/spinlock_types.h>

#include <usoftirq/context.h>

#define lockdep_assert_held(l) \
	((void)WARN_ON_ONCE(!usoftirq_spin_is_held_by_me(l)))
#define lockdep_assert_not_held(l) \
	((void)WARN_ON_ONCE(usoftirq_spin_is_held_by_me(l)))
#define lockdep_assert_in_softirq() \
	((void)WARN_ON_ONCE(!usoftirq_in_softirq() || usoftirq_in_hardirq()))

struct lock_class_key {
	char usoftirq__kc_unused;
};

#define lockdep_set_class(lock, key) ((void)(lock), (void)(key))
#define lockdep_set_subclass(lock, sub) ((void)(lock), (void)(sub))
#define lockdep_set_novalidate_class(lock) ((void)(lock))

#endif /* USOFTIRQ_KCOMPAT_LINUX_LOCKDEP_H */
