/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: a thread sleeps until a condition becomes true, and code
 * that makes it true (a tasklet, a hardirq handler, another thread) wakes
 * it. wake_up() is async-signal-safe and costs one atomic operation, no
 * system call, when nobody waits.
 *
 * No wake-up can be lost: a waiter registers, then reads a sequence number,
 * then tests the condition, then sleeps only while the sequence is
 * unchanged; a waker changes the condition, then (with one atomic
 * read-modify-write on the waiter count, which orders the two sides) bumps
 * the sequence if anybody waits. The proof is at the top of
 * src/waitqueue.c; docs/waitqueues.md has the contexts and deviations.
 *
 * The condition's data is read by the waiter while a waker may write it,
 * so access it atomically (relaxed is enough: the wait queue orders
 * everything written before wake_up() before the waiter's next test) or
 * under a lock. As in the kernel, the queue must stay valid until every
 * wake_up() that may be running on it has returned.
 *
 * The kernel spelling (wait_event() and friends, in <linux/wait.h>) is
 * built on the functions below.
 */
#ifndef USOFTIRQ_WAITQUEUE_H
#define USOFTIRQ_WAITQUEUE_H

#include <stdint.h>

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/**
 * struct usoftirq_wait_queue_head - a wait queue.
 * @seq: private: bumped by every wake-up that finds waiters (the futex
 *	word waiters sleep on).
 * @waiters: private: threads between register and unregister.
 */
struct usoftirq_wait_queue_head {
	unsigned int seq;
	unsigned int waiters;
};

#define USOFTIRQ_WAIT_QUEUE_HEAD_INIT \
	{                             \
		0, 0                  \
	}

/**
 * usoftirq_init_waitqueue_head() - initialise an empty queue.
 *
 * Context: any, while nobody uses the queue.
 */
USOFTIRQ_API void
usoftirq_init_waitqueue_head(struct usoftirq_wait_queue_head *wq);

/**
 * usoftirq_wake_up() - wake every thread waiting on @wq so that it tests
 * its condition again.
 * @wq: the queue.
 *
 * Call it after making the condition true. With no waiter: one atomic
 * read-modify-write, no system call. With waiters: one more, and one
 * FUTEX_WAKE for all of them.
 *
 * Context: any, including hardirq handlers (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_wake_up(struct usoftirq_wait_queue_head *wq);

/**
 * usoftirq_waitqueue_active() - somebody waits (a snapshot).
 * @wq: the queue.
 *
 * usoftirq_wake_up() does not need it (it makes the same test, ordered);
 * it is for diagnostics and for the kernel's waitqueue_active().
 *
 * Context: any (async-signal-safe).
 * Return: true if a thread is between usoftirq_wait_prepare() and
 * usoftirq_wait_finish().
 */
USOFTIRQ_API bool
usoftirq_waitqueue_active(const struct usoftirq_wait_queue_head *wq);

/**
 * usoftirq_wq_has_sleeper() - usoftirq_waitqueue_active(), ordered after
 * the caller's earlier stores (the kernel's wq_has_sleeper()): a waiter
 * that registers concurrently either is seen here or sees those stores
 * when it tests its condition.
 * @wq: the queue.
 *
 * Context: any (async-signal-safe).
 * Return: true if a thread is between usoftirq_wait_prepare() and
 * usoftirq_wait_finish().
 */
USOFTIRQ_API bool usoftirq_wq_has_sleeper(struct usoftirq_wait_queue_head *wq);

/**
 * usoftirq_wait_event_fn() - sleep until @cond(@arg) is true.
 * @wq: the queue.
 * @cond: the condition, called in the waiter's thread, any number of times.
 * @arg: its argument.
 * @timeout_ns: maximum wait; negative waits forever, 0 only tests.
 * @interruptible: a signal handler that interrupts the sleep (one
 *	installed without SA_RESTART) ends the wait with -ERESTARTSYS, as a
 *	signal ends the kernel's interruptible waits; with SA_RESTART the
 *	sleep resumes, as the system call restart would make it.
 *
 * As the kernel's wait_event(): the might_sleep() check comes first, then
 * the condition is tested; after a timeout or a signal it is tested once
 * more, and if it holds the wait succeeds.
 *
 * Context: task context (sleeps; reported from atomic context, then
 * proceeds as the kernel does).
 * Return: 0 when the condition became true; -ETIMEDOUT; -ERESTARTSYS
 * (512, the kernel's value).
 */
USOFTIRQ_API int usoftirq_wait_event_fn(struct usoftirq_wait_queue_head *wq,
					bool (*cond)(void *arg), void *arg,
					int64_t timeout_ns, bool interruptible);

/** USOFTIRQ_ERESTARTSYS - the kernel's -ERESTARTSYS value. */
#define USOFTIRQ_ERESTARTSYS 512

/*
 * The step functions the kernel-spelled wait_event() macros are built on
 * (a condition expression cannot be passed as a function). A wait is:
 *
 *	usoftirq_might_sleep();          (the macro's own check, so that the
 *	                                  report names the driver's line)
 *	if (condition) done;
 *	usoftirq_wait_prepare(wq);
 *	for (;;) {
 *		seq = usoftirq_wait_seq(wq);
 *		if (condition) { ret = 0; break; }
 *		ret = usoftirq_wait_sleep(wq, seq, deadline, interruptible);
 *		if (ret) { if (condition) ret = 0; break; }
 *	}
 *	usoftirq_wait_finish(wq);
 *
 * The step functions make no might_sleep() check themselves. Context:
 * task context, except that usoftirq_wait_prepare(), _seq() and _finish()
 * never block and are async-signal-safe.
 */

/** usoftirq_wait_prepare() - register as a waiter (one atomic RMW). */
USOFTIRQ_API void usoftirq_wait_prepare(struct usoftirq_wait_queue_head *wq);

/** usoftirq_wait_seq() - the sequence to pass to usoftirq_wait_sleep();
 * read it before testing the condition. */
USOFTIRQ_API unsigned int
usoftirq_wait_seq(struct usoftirq_wait_queue_head *wq);

/**
 * usoftirq_wait_sleep() - sleep until a wake-up after @seq was read.
 * @wq: the queue, registered with usoftirq_wait_prepare().
 * @seq: from usoftirq_wait_seq(); if a wake-up came since, returns at once.
 * @deadline_ns: absolute CLOCK_MONOTONIC nanoseconds, 0 for none; a
 *	deadline already past returns -ETIMEDOUT without sleeping.
 * @interruptible: as for usoftirq_wait_event_fn().
 *
 * Return: 0 (woken, or spuriously: test the condition again), -ETIMEDOUT
 * or -ERESTARTSYS.
 */
USOFTIRQ_API int usoftirq_wait_sleep(struct usoftirq_wait_queue_head *wq,
				     unsigned int seq, uint64_t deadline_ns,
				     bool interruptible);

/** usoftirq_wait_finish() - unregister (one atomic RMW). */
USOFTIRQ_API void usoftirq_wait_finish(struct usoftirq_wait_queue_head *wq);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_WAITQUEUE_H */
