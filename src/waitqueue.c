/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: a waiter sleeps on a futex until a condition holds; a
 * waker that changed the condition wakes it. No list, no lock: a count of
 * registered waiters and a sequence number to sleep on.
 *
 * State words (struct usoftirq_wait_queue_head)
 * ---------------------------------------------
 * @waiters  threads between usoftirq_wait_prepare() and
 *           usoftirq_wait_finish(), 0..INT_MAX. +1 at prepare, -1 at
 *           finish, read by wakers with an RMW. Only RMWs change it.
 * @seq      the futex word. Any value; only ever incremented (wrapping),
 *           by a wake-up that found @waiters > 0.
 *
 * The protocol
 * ------------
 *   waiter                                waker
 *   W1 waiters += 1        (RMW, acq_rel) K1 make the condition true
 *   W2 s = seq             (acquire)      K2 n = waiters + 0 (RMW, acq_rel)
 *   W3 test the condition: true -> done   K3 if n > 0: seq += 1 (release)
 *   W4 FUTEX_WAIT(&seq, s); back to W2    K4             FUTEX_WAKE(all)
 *   W5 waiters -= 1        (RMW)
 *
 * W1 and K2 are RMWs on the same word, so one comes first in its
 * modification order, and the later one reads the earlier one's value:
 *  - K2 first: W1 reads from K2 (release -> acquire), so K1 happens
 *    before W3, and the waiter finds the condition true without sleeping.
 *  - W1 first: K2 reads W1's value (or a later one in its release
 *    sequence), so n > 0 and the waker bumps @seq after W2 read it: either
 *    the bump lands before W4, and FUTEX_WAIT returns at once because the
 *    word differs, or the waiter is asleep and K4 wakes it (the kernel
 *    checks the word and queues the waiter atomically with respect to
 *    FUTEX_WAKE). Either way it goes back to W2; the acquire load of @seq
 *    reads K3 or later (release), so K1 happens before the next W3.
 * So a wake-up is never lost, and the condition's data needs no ordering
 * of its own (only atomicity: the waiter may read it while the waker
 * writes it). A waker that finds no waiter (K2 reads 0) does one RMW and
 * no system call. @seq wraps after 2^32 wake-ups; a waiter that sleeps
 * through exactly a multiple of 2^32 of them between W2 and W4 would
 * sleep on; no other bound matters.
 */
#include <errno.h>
#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <usoftirq/waitqueue.h>

#include "futex.h"
#include "thread.h"
#include "wait.h"

/* ------------------------------------------------------------------ */
/* Interruptible futex sleeps (src/wait.h)                             */
/* ------------------------------------------------------------------ */

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449 /* the same number on every architecture */
#endif

/* From <linux/futex.h>, which clashes with <urcu/futex.h>. */
#define WAITV_FUTEX_32 2u
#define FUTEX_OP_WAIT_BITSET 9
#define FUTEX_BITSET_ANY ((int32_t)0xffffffff)

/* struct futex_waitv of <linux/futex.h>. */
struct waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

/* Set once futex_waitv() returned ENOSYS (kernel older than 5.16). Only
 * ever goes false -> true; relaxed: it only selects a code path. */
static bool no_waitv;

static struct timespec to_timespec(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000u),
				  .tv_nsec = (long)(ns % 1000000000u) };
}

/* FUTEX_WAIT, no timeout: the kernel restarts it after SA_RESTART
 * handlers (-ERESTARTSYS), and returns EINTR after the others. */
static int wait_forever(uint32_t *word, uint32_t expected)
{
	if (futex_async((int32_t *)word, FUTEX_WAIT | USOFTIRQ__FUTEX_PRIVATE,
			(int32_t)expected, NULL, NULL, 0) == 0)
		return 0;
	return -errno;
}

/* futex_waitv() on one word, absolute CLOCK_MONOTONIC deadline. */
static int wait_waitv(uint32_t *word, uint32_t expected, uint64_t deadline)
{
	struct waitv w = { .val = expected,
			   .uaddr = (uint64_t)(uintptr_t)word,
			   .flags = WAITV_FUTEX_32 | USOFTIRQ__FUTEX_PRIVATE };
	struct timespec ts = to_timespec(deadline);

	if (syscall(SYS_futex_waitv, &w, 1, 0, &ts, CLOCK_MONOTONIC) >= 0)
		return 0;
	return -errno;
}

/* FUTEX_WAIT_BITSET, absolute CLOCK_MONOTONIC deadline (pre-5.16). */
static int wait_bitset(uint32_t *word, uint32_t expected, uint64_t deadline)
{
	struct timespec ts = to_timespec(deadline);

	if (futex_async((int32_t *)word,
			FUTEX_OP_WAIT_BITSET | USOFTIRQ__FUTEX_PRIVATE,
			(int32_t)expected, &ts, NULL, FUTEX_BITSET_ANY) == 0)
		return 0;
	return -errno;
}

static int wait_timed(uint32_t *word, uint32_t expected, uint64_t deadline)
{
	int ret;

	if (!__atomic_load_n(&no_waitv, __ATOMIC_RELAXED)) {
		ret = wait_waitv(word, expected, deadline);
		if (ret != -ENOSYS)
			return ret;
		__atomic_store_n(&no_waitv, true, __ATOMIC_RELAXED);
	}
	return wait_bitset(word, expected, deadline);
}

int usoftirq__futex_wait_until(uint32_t *word, uint32_t expected,
			       uint64_t deadline_ns)
{
	int saved = errno;
	int ret;

	if (deadline_ns && usoftirq__now_ns() >= deadline_ns)
		return -ETIMEDOUT;
	ret = deadline_ns ? wait_timed(word, expected, deadline_ns) :
			    wait_forever(word, expected);
	errno = saved;
	switch (ret) {
	case 0:
	case -EAGAIN: /* the word already differed */
		return 0;
	case -ETIMEDOUT:
	case -EINTR:
		return ret;
	default:
		USOFTIRQ__DIE("futex wait", -ret);
	}
}

/* ------------------------------------------------------------------ */
/* Wait queues                                                         */
/* ------------------------------------------------------------------ */

void usoftirq_init_waitqueue_head(struct usoftirq_wait_queue_head *wq)
{
	__atomic_store_n(&wq->seq, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&wq->waiters, 0, __ATOMIC_RELAXED);
}

void usoftirq_wake_up(struct usoftirq_wait_queue_head *wq)
{
	/* K2: acq_rel RMW; pairs with W1 in usoftirq_wait_prepare(). An RMW,
	 * not a load: it is what orders the caller's change of the condition
	 * against a waiter registering at the same time. */
	if (!__atomic_fetch_add(&wq->waiters, 0, __ATOMIC_ACQ_REL))
		return;
	/* K3: release; pairs with the acquire load in usoftirq_wait_seq(). */
	__atomic_fetch_add(&wq->seq, 1, __ATOMIC_RELEASE);
	/* K4. */
	usoftirq__futex_wake(&wq->seq, INT_MAX);
}

bool usoftirq_waitqueue_active(const struct usoftirq_wait_queue_head *wq)
{
	return __atomic_load_n(&wq->waiters, __ATOMIC_ACQUIRE) != 0;
}

bool usoftirq_wq_has_sleeper(struct usoftirq_wait_queue_head *wq)
{
	/* As K2 in usoftirq_wake_up(): an acq_rel RMW pairing with W1. */
	return __atomic_fetch_add(&wq->waiters, 0, __ATOMIC_ACQ_REL) != 0;
}

void usoftirq_wait_prepare(struct usoftirq_wait_queue_head *wq)
{
	/* W1: acq_rel RMW; pairs with K2 in usoftirq_wake_up(). */
	__atomic_fetch_add(&wq->waiters, 1, __ATOMIC_ACQ_REL);
}

unsigned int usoftirq_wait_seq(struct usoftirq_wait_queue_head *wq)
{
	/* W2: acquire; pairs with K3 in usoftirq_wake_up(). */
	return __atomic_load_n(&wq->seq, __ATOMIC_ACQUIRE);
}

int usoftirq_wait_sleep(struct usoftirq_wait_queue_head *wq, unsigned int seq,
			uint64_t deadline_ns, bool interruptible)
{
	int ret = usoftirq__futex_wait_until(&wq->seq, seq, deadline_ns);

	if (ret == -EINTR)
		return interruptible ? -USOFTIRQ_ERESTARTSYS : 0;
	return ret;
}

void usoftirq_wait_finish(struct usoftirq_wait_queue_head *wq)
{
	/* W5: relaxed. Nothing is published; a waker that still counts this
	 * waiter only makes one spurious FUTEX_WAKE. Being an RMW, it keeps
	 * other waiters' W1 release sequences intact for K2. */
	__atomic_fetch_sub(&wq->waiters, 1, __ATOMIC_RELAXED);
}

/* Now + @timeout_ns, saturated; 0 (no deadline) for a negative timeout. */
static uint64_t deadline_after(int64_t timeout_ns)
{
	uint64_t now = usoftirq__now_ns();

	if (timeout_ns < 0)
		return 0;
	if ((uint64_t)timeout_ns > UINT64_MAX - now)
		return UINT64_MAX;
	return now + (uint64_t)timeout_ns;
}

/* The loop of usoftirq_wait_event_fn(), after registration. */
static int wait_loop(struct usoftirq_wait_queue_head *wq,
		     bool (*cond)(void *arg), void *arg, uint64_t deadline,
		     bool interruptible)
{
	for (;;) {
		unsigned int seq = usoftirq_wait_seq(wq);
		int ret;

		if (cond(arg))
			return 0;
		ret = usoftirq_wait_sleep(wq, seq, deadline, interruptible);
		/* After a timeout or a signal the condition gets one more
		 * test and wins, as in the kernel's ___wait_event(). */
		if (ret)
			return cond(arg) ? 0 : ret;
	}
}

int usoftirq_wait_event_fn(struct usoftirq_wait_queue_head *wq,
			   bool (*cond)(void *arg), void *arg,
			   int64_t timeout_ns, bool interruptible)
{
	uint64_t deadline;
	int ret;

	/* As the kernel's wait_event(): the check comes first, whether or
	 * not the condition already holds. */
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	if (cond(arg))
		return 0;
	deadline = deadline_after(timeout_ns);
	usoftirq_wait_prepare(wq);
	ret = wait_loop(wq, cond, arg, deadline, interruptible);
	usoftirq_wait_finish(wq);
	return ret;
}
