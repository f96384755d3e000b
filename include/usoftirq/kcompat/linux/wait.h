/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/wait.h>: glibc's <sys/wait.h> and the UAPI header
 * of the same name first (WNOHANG ..., P_ALL ...), then wait queues:
 * wait_queue_head_t (struct wait_queue_head), DECLARE_WAIT_QUEUE_HEAD(),
 * __WAIT_QUEUE_HEAD_INITIALIZER(), init_waitqueue_head(), wake_up(),
 * wake_up_all(), wake_up_nr(), wake_up_interruptible(),
 * wake_up_interruptible_all(), wake_up_interruptible_nr(),
 * wake_up_locked(), waitqueue_active(), wq_has_sleeper(); and the waits
 * wait_event(), wait_event_timeout(), wait_event_interruptible(),
 * wait_event_interruptible_timeout(), wait_event_killable(),
 * wait_event_idle(), wait_event_idle_timeout(),
 * wait_event_interruptible_exclusive(), wait_event_lock_irq() and
 * wait_event_interruptible_lock_irq(), with the kernel's return values:
 *
 *   wait_event_interruptible()          0, or -ERESTARTSYS (a signal)
 *   wait_event_timeout()                0 if the condition is still false
 *                                       when the timeout (in jiffies)
 *                                       elapsed, else the jiffies left,
 *                                       at least 1
 *   wait_event_interruptible_timeout()  the same, or -ERESTARTSYS
 *
 * The queue is the library's (<usoftirq/waitqueue.h>); the macros are
 * built on its step functions so that the condition is an expression
 * evaluated in the caller, as in the kernel. The condition is tested
 * after the waiter is registered, so a wake_up() between the test and
 * the sleep is never lost; like the kernel's, it may be evaluated any
 * number of times, and once more after a timeout or a signal, which it
 * wins. The waits call might_sleep() first. wake_up() is callable from
 * any context, hardirq handlers included.
 *
 * Differences from the kernel: there are no exclusive waiters, so every
 * wake_up() form wakes every waiter, which then re-tests its condition
 * (the _exclusive wait is the plain one); a signal ends an interruptible
 * wait only if its handler was installed without SA_RESTART (with it,
 * the wait goes on, as a restarted system call would); wait_event_killable()
 * is not ended by signals (a fatal signal ends the process) and returns
 * 0. The timed forms need POSIX clocks (CLOCK_MONOTONIC): in strict ISO
 * C without _POSIX_C_SOURCE they are not defined.
 *
 * glibc's <sys/wait.h> comes first because the UAPI header, read before
 * it, makes glibc's idtype_t enum fail to compile (P_ALL ... are macros
 * there and enumerators in glibc); in this order both coexist.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_WAIT_H
#define USOFTIRQ_KCOMPAT_LINUX_WAIT_H

#include <sys/wait.h>

#if defined(__has_include_next)
#if __has_include_next(<linux/wait.h>)
#include_next <linux/wait.h>
#endif
#endif

#include <stdint.h>
#include <time.h>

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/might_sleep.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <usoftirq/waitqueue.h>

#define wait_queue_head usoftirq_wait_queue_head
typedef struct usoftirq_wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) USOFTIRQ_WAIT_QUEUE_HEAD_INIT
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

#define init_waitqueue_head usoftirq_init_waitqueue_head
#define waitqueue_active usoftirq_waitqueue_active

#define wq_has_sleeper usoftirq_wq_has_sleeper

#define wake_up(x) usoftirq_wake_up(x)
#define wake_up_all(x) usoftirq_wake_up(x)
#define wake_up_nr(x, nr) usoftirq_wake_up(x)
#define wake_up_locked(x) usoftirq_wake_up(x)
#define wake_up_all_locked(x) usoftirq_wake_up(x)
#define wake_up_interruptible(x) usoftirq_wake_up(x)
#define wake_up_interruptible_all(x) usoftirq_wake_up(x)
#define wake_up_interruptible_nr(x, nr) usoftirq_wake_up(x)
#define wake_up_interruptible_sync(x) usoftirq_wake_up(x)

/*
 * usoftirq__kc_wait(wq, condition, deadline_ns, interruptible, unlock,
 * relock) - the wait loop: 0 once @condition holds, -ETIMEDOUT or
 * -ERESTARTSYS if the sleep ended that way and @condition still does not
 * hold. @unlock and @relock run around each sleep (the _lock_irq forms).
 */
#define usoftirq__kc_wait(wq_head, condition, deadline, intr, unlock, relock)  \
	({                                                                     \
		struct usoftirq_wait_queue_head *usoftirq__kc_wq = (wq_head);  \
		int usoftirq__kc_wret = 0;                                     \
		usoftirq_wait_prepare(usoftirq__kc_wq);                        \
		for (;;) {                                                     \
			unsigned int usoftirq__kc_seq =                        \
				usoftirq_wait_seq(usoftirq__kc_wq);            \
			if (condition) {                                       \
				usoftirq__kc_wret = 0;                         \
				break;                                         \
			}                                                      \
			if (usoftirq__kc_wret)                                 \
				break;                                         \
			unlock;                                                \
			usoftirq__kc_wret = usoftirq_wait_sleep(               \
				usoftirq__kc_wq, usoftirq__kc_seq, (deadline), \
				(intr));                                       \
			relock;                                                \
		}                                                              \
		usoftirq_wait_finish(usoftirq__kc_wq);                         \
		usoftirq__kc_wret;                                             \
	})

#define wait_event(wq_head, condition)                                   \
	do {                                                             \
		might_sleep();                                           \
		if (condition)                                           \
			break;                                           \
		(void)usoftirq__kc_wait(&(wq_head), condition, 0, false, \
					(void)0, (void)0);               \
	} while (0)

#define wait_event_interruptible(wq_head, condition)                        \
	({                                                                  \
		int usoftirq__kc_iret = 0;                                  \
		might_sleep();                                              \
		if (!(condition))                                           \
			usoftirq__kc_iret =                                 \
				usoftirq__kc_wait(&(wq_head), condition, 0, \
						  true, (void)0, (void)0);  \
		usoftirq__kc_iret;                                          \
	})

#define wait_event_killable(wq_head, condition) \
	({                                      \
		wait_event(wq_head, condition); \
		0;                              \
	})
#define wait_event_idle(wq_head, condition) wait_event(wq_head, condition)
#define wait_event_interruptible_exclusive(wq_head, condition) \
	wait_event_interruptible(wq_head, condition)

/*
 * wait_event_lock_irq() - wait with @lock (a spinlock_t) held with
 * spin_lock_irq() on entry and exit, dropped around each sleep. No
 * might_sleep() check: the caller holds a spinlock with interrupts off by
 * contract (the kernel's macro has none either).
 */
#define wait_event_lock_irq(wq_head, condition, lock)                    \
	do {                                                             \
		if (condition)                                           \
			break;                                           \
		(void)usoftirq__kc_wait(&(wq_head), condition, 0, false, \
					spin_unlock_irq(&(lock)),        \
					spin_lock_irq(&(lock)));         \
	} while (0)

#define wait_event_interruptible_lock_irq(wq_head, condition, lock) \
	({                                                          \
		int usoftirq__kc_iret = 0;                          \
		if (!(condition))                                   \
			usoftirq__kc_iret = usoftirq__kc_wait(      \
				&(wq_head), condition, 0, true,     \
				spin_unlock_irq(&(lock)),           \
				spin_lock_irq(&(lock)));            \
		usoftirq__kc_iret;                                  \
	})

#if defined(CLOCK_MONOTONIC)

static inline uint64_t usoftirq__kc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * The deadline of a timeout of @timeout jiffies: 0 (none) for
 * MAX_SCHEDULE_TIMEOUT and anything from MAX_JIFFY_OFFSET up (decades);
 * a negative timeout has already elapsed.
 */
static inline uint64_t usoftirq__kc_wait_deadline(long timeout)
{
	if (timeout >= (long)MAX_JIFFY_OFFSET)
		return 0;
	if (timeout < 0)
		timeout = 0;
	return usoftirq__kc_now_ns() + (uint64_t)timeout * (NSEC_PER_SEC / HZ);
}

/*
 * The return value of a timed wait: -ERESTARTSYS; 0 if it timed out with
 * the condition false; else the jiffies left before @deadline, at least 1
 * (MAX_SCHEDULE_TIMEOUT for no deadline).
 */
static inline long usoftirq__kc_wait_result(int ret, uint64_t deadline)
{
	uint64_t now;

	if (ret == -ETIMEDOUT)
		return 0;
	if (ret)
		return ret;
	if (!deadline)
		return MAX_SCHEDULE_TIMEOUT; /* as schedule_timeout() */
	now = usoftirq__kc_now_ns();
	if (now >= deadline)
		return 1;
	return (long)((deadline - now + NSEC_PER_SEC / HZ - 1) /
		      (NSEC_PER_SEC / HZ));
}

#define usoftirq__kc_wait_timeout(wq_head, condition, timeout, intr)          \
	({                                                                    \
		long usoftirq__kc_tmo = (timeout);                            \
		long usoftirq__kc_tret;                                       \
		might_sleep();                                                \
		if (condition) {                                              \
			usoftirq__kc_tret =                                   \
				usoftirq__kc_tmo ? usoftirq__kc_tmo : 1;      \
		} else {                                                      \
			uint64_t usoftirq__kc_dl =                            \
				usoftirq__kc_wait_deadline(usoftirq__kc_tmo); \
			usoftirq__kc_tret = usoftirq__kc_wait_result(         \
				usoftirq__kc_wait(&(wq_head), condition,      \
						  usoftirq__kc_dl, (intr),    \
						  (void)0, (void)0),          \
				usoftirq__kc_dl);                             \
		}                                                             \
		usoftirq__kc_tret;                                            \
	})

#define wait_event_timeout(wq_head, condition, timeout) \
	usoftirq__kc_wait_timeout(wq_head, condition, timeout, false)
#define wait_event_interruptible_timeout(wq_head, condition, timeout) \
	usoftirq__kc_wait_timeout(wq_head, condition, timeout, true)
#define wait_event_idle_timeout(wq_head, condition, timeout) \
	wait_event_timeout(wq_head, condition, timeout)

#endif /* CLOCK_MONOTONIC */

#endif /* USOFTIRQ_KCOMPAT_LINUX_WAIT_H */
