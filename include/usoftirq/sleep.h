/* SPDX-License-Identifier: MIT */
/*
 * Time and sleeping for ported code: jiffies (HZ = 1000, so a jiffy is a
 * millisecond), sleeping delays that are reported from atomic context as
 * the kernel's might_sleep() does (the seed's "DON'T: msleep() in a
 * tasklet"), busy-waiting delays that are allowed there, and a sleeping
 * mutex with the same check. See docs/waitqueues.md.
 */
#ifndef USOFTIRQ_SLEEP_H
#define USOFTIRQ_SLEEP_H

#include <stdint.h>

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/** USOFTIRQ_HZ - jiffies per second. */
#define USOFTIRQ_HZ 1000

/**
 * USOFTIRQ_INITIAL_JIFFIES - the kernel's INITIAL_JIFFIES: jiffies at load
 * time, chosen so that the low 32 bits wrap 300 seconds later.
 */
#define USOFTIRQ_INITIAL_JIFFIES \
	((unsigned long)(unsigned int)(-300 * USOFTIRQ_HZ))

/**
 * usoftirq_jiffies() - the kernel's jiffies.
 *
 * Milliseconds of CLOCK_MONOTONIC since the library was loaded, plus
 * %USOFTIRQ_INITIAL_JIFFIES, so that a 32-bit view of the count wraps 5
 * minutes after load, as the kernel arranges; compare values with the
 * kernel's time_after() family, never with < or >.
 *
 * Context: any (async-signal-safe; reads the vDSO clock).
 * Return: the current jiffies.
 */
USOFTIRQ_API unsigned long usoftirq_jiffies(void);

/**
 * usoftirq_msleep() - sleep @ms milliseconds (at least).
 * @ms: milliseconds.
 *
 * The sleep resumes after signal handlers (the kernel's msleep() is
 * uninterruptible).
 *
 * Context: task context; from atomic context it is reported ("BUG:
 * sleeping function called from invalid context") and then sleeps, as the
 * kernel's does.
 */
USOFTIRQ_API void usoftirq_msleep(unsigned int ms);

/**
 * usoftirq_usleep_range() - sleep between @min_us and @max_us
 * microseconds.
 * @min_us: the least.
 * @max_us: the most the caller accepts; usoftirq sleeps @min_us and lets
 *	the host's timer slack decide the rest.
 *
 * Context: task context; reported from atomic context, as msleep().
 */
USOFTIRQ_API void usoftirq_usleep_range(unsigned long min_us,
					unsigned long max_us);

/**
 * usoftirq_ndelay() - busy-wait @ns nanoseconds (at least).
 *
 * Spins on the vDSO clock with a CPU pause; no system call.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_ndelay(unsigned long ns);

/** usoftirq_udelay() - busy-wait @us microseconds (any context). */
USOFTIRQ_API void usoftirq_udelay(unsigned long us);

/** usoftirq_mdelay() - busy-wait @ms milliseconds (any context). */
USOFTIRQ_API void usoftirq_mdelay(unsigned long ms);

/**
 * struct usoftirq_mutex - a sleeping lock (the kernel's struct mutex).
 * @word: private: 0 free, 1 held, 2 held with sleepers.
 * @owner: private: holder's thread id, 0 when free.
 * @name: private: for reports.
 * @owner_ip: private: where the holder took it, for reports.
 */
struct usoftirq_mutex {
	unsigned int word;
	int owner;
	const char *name;
	const void *owner_ip;
};

#define USOFTIRQ_MUTEX_INIT(lockname) \
	{                             \
		0, 0, #lockname, NULL \
	}

/**
 * usoftirq_mutex_init() - initialise an unlocked mutex.
 * @lock: the mutex.
 * @name: a name for reports, or NULL.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_mutex_init(struct usoftirq_mutex *lock,
				      const char *name);

/**
 * usoftirq_mutex_lock() - take the mutex, sleeping if needed.
 * @lock: the mutex.
 *
 * Uncontended: one compare-and-swap, no system call.
 *
 * Context: task context; from atomic context it is reported as the kernel
 * does ("BUG: sleeping function called from invalid context") and then
 * proceeds. Taking a mutex the thread already holds (directly, or from a
 * hardirq handler that interrupted the holder) is reported
 * (%USOFTIRQ_REPORT_MUTEX_MISUSE, "possible recursive locking detected")
 * and aborts: the kernel would hang forever.
 */
USOFTIRQ_API void usoftirq_mutex_lock(struct usoftirq_mutex *lock);

/**
 * usoftirq_mutex_lock_interruptible() - usoftirq_mutex_lock(), but a
 * signal ends the sleep.
 * @lock: the mutex.
 *
 * A signal whose handler was installed without SA_RESTART ends the sleep;
 * with SA_RESTART the sleep resumes (as for usoftirq_wait_event_fn()).
 *
 * Context: as usoftirq_mutex_lock().
 * Return: 0 with the mutex held, or -EINTR without it.
 */
USOFTIRQ_API int usoftirq_mutex_lock_interruptible(struct usoftirq_mutex *lock);

/**
 * usoftirq_mutex_trylock() - take the mutex if it is free.
 * @lock: the mutex.
 *
 * Fails, without a report, on a mutex the caller already holds.
 *
 * Context: task context, also with BH disabled or a spin lock held (never
 * sleeps). In a softirq or hardirq handler it works but is reported once
 * per machine (%USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT): the kernel forbids
 * it there, because a mutex's owner must be a task.
 * Return: true if the caller now holds it.
 */
USOFTIRQ_API bool usoftirq_mutex_trylock(struct usoftirq_mutex *lock);

/**
 * usoftirq_mutex_unlock() - release the mutex.
 * @lock: the mutex.
 *
 * One exchange; a FUTEX_WAKE only if a thread sleeps on it. Unlocking a
 * mutex another thread holds is reported (%USOFTIRQ_REPORT_MUTEX_MISUSE,
 * with the kernel's DEBUG_MUTEXES text) and releases it, as the kernel
 * does; unlocking a mutex nobody holds is reported and ignored.
 *
 * Context: the holder's thread.
 */
USOFTIRQ_API void usoftirq_mutex_unlock(struct usoftirq_mutex *lock);

/**
 * usoftirq_mutex_is_locked() - somebody holds it (a snapshot).
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API bool usoftirq_mutex_is_locked(struct usoftirq_mutex *lock);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_SLEEP_H */
