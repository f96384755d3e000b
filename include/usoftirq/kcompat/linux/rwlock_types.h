/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/rwlock_types.h>: rwlock_t (usoftirq_rwlock_t,
 * <usoftirq/rwlock.h>), its static initialiser __RW_LOCK_UNLOCKED(), and
 * DEFINE_RWLOCK(), which names the lock after its variable for reports.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_RWLOCK_TYPES_H
#define USOFTIRQ_KCOMPAT_LINUX_RWLOCK_TYPES_H

#include <usoftirq/rwlock.h>

typedef usoftirq_rwlock_t rwlock_t;

#define __RW_LOCK_UNLOCKED(lockname) USOFTIRQ_RWLOCK_INIT(lockname)
#define DEFINE_RWLOCK(x) rwlock_t x = __RW_LOCK_UNLOCKED(x)

#endif /* USOFTIRQ_KCOMPAT_LINUX_RWLOCK_TYPES_H */
