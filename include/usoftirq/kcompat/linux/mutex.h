/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/mutex.h>: struct mutex, DEFINE_MUTEX(),
 * __MUTEX_INITIALIZER(), mutex_init() (which names the mutex after its
 * argument, for reports), mutex_lock(), mutex_lock_nested(),
 * mutex_lock_interruptible(), mutex_lock_killable(), mutex_trylock(),
 * mutex_unlock(), mutex_is_locked(), mutex_destroy().
 *
 * The mutex is the library's sleeping lock (struct usoftirq_mutex,
 * <usoftirq/sleep.h>), wrapped in a struct of the kernel's name. As in
 * the kernel, taking it from atomic context is reported ("BUG: sleeping
 * function called from invalid context"); the library also reports an
 * unlock by a thread that does not hold it and aborts on a recursive
 * lock, which the kernel reports only with CONFIG_DEBUG_MUTEXES.
 *
 * mutex_lock_interruptible() is ended, with -EINTR, by a signal whose
 * handler was installed without SA_RESTART (a user-space thread's nearest
 * equivalent of a pending signal).
 *
 * Differences from the kernel: mutex_lock_killable() is
 * mutex_lock_interruptible() (there is no fatal-signal distinction);
 * mutex_trylock() returns 1 or 0 as an int; lockdep_assert_held() does
 * not take a mutex.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_MUTEX_H
#define USOFTIRQ_KCOMPAT_LINUX_MUTEX_H

#include <linux/compiler.h>
#include <linux/types.h>

#include <usoftirq/sleep.h>

/** struct mutex - a sleeping lock. */
struct mutex {
	struct usoftirq_mutex usoftirq__kc_m;
};

#define __MUTEX_INITIALIZER(lockname)         \
	{                                     \
		USOFTIRQ_MUTEX_INIT(lockname) \
	}
#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

#define mutex_init(lock) usoftirq_mutex_init(&(lock)->usoftirq__kc_m, #lock)

/* Macros, not inline wrappers, so that a misuse report names the
 * driver's function rather than a wrapper. */
#define mutex_lock(lock) usoftirq_mutex_lock(&(lock)->usoftirq__kc_m)
#define mutex_lock_nested(lock, subclass) mutex_lock(lock)
#define mutex_lock_interruptible(lock) \
	usoftirq_mutex_lock_interruptible(&(lock)->usoftirq__kc_m)
#define mutex_lock_killable(lock) mutex_lock_interruptible(lock)
#define mutex_trylock(lock) usoftirq_mutex_trylock(&(lock)->usoftirq__kc_m)
#define mutex_unlock(lock) usoftirq_mutex_unlock(&(lock)->usoftirq__kc_m)
#define mutex_is_locked(lock) usoftirq_mutex_is_locked(&(lock)->usoftirq__kc_m)
#define mutex_destroy(lock) ((void)(lock))

#endif /* USOFTIRQ_KCOMPAT_LINUX_MUTEX_H */
