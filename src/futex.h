/* SPDX-License-Identifier: MIT */
/*
 * Futex wait and wake on a 32-bit word, through liburcu's futex_async()
 * (the variant liburcu documents as safe to call from signal handlers).
 *
 * Both calls keep errno unchanged, so they can be used from signal
 * handlers and from code that reports errno to its caller. A wait may
 * return spuriously (signal, value already changed, stray wake-up): every
 * caller re-checks its condition in a loop. Any error other than EAGAIN,
 * EINTR or ETIMEDOUT means memory corruption or a kernel without futexes
 * and is fatal.
 */
#ifndef USOFTIRQ_FUTEX_H
#define USOFTIRQ_FUTEX_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <urcu/futex.h>

#include "internal.h"

/* FUTEX_PRIVATE_FLAG from <linux/futex.h>: all our futexes are
 * process-private, which lets the kernel skip the shared-mapping lookup. */
#define USOFTIRQ__FUTEX_PRIVATE 128

/*
 * ThreadSanitizer runs an asynchronous signal's handler only when the
 * thread next passes through one of its interceptors (or is blocked in
 * one); a signal that arrives elsewhere is only recorded. syscall() is not
 * intercepted, so a worker that got its hardirq signal just before going
 * to sleep on a futex would sleep with the handler not run. An untimed
 * FUTEX_WAIT interrupted by a signal with SA_RESTART is restarted in the
 * kernel, so it would sleep for good.
 *
 * So under TSan, and only there: every wait carries a timeout (one hour:
 * callers re-check their condition and wait again, so it is not a poll),
 * and a worker's idle sleep (usoftirq__futex_wait_signalable()) first
 * passes through an interceptor, which runs any recorded handler, and
 * sleeps at most USOFTIRQ__TSAN_SIGNAL_POLL_NS, which bounds the delay of
 * a signal recorded in the window between that interceptor and the
 * system call. Production builds never poll.
 */
#if defined(__SANITIZE_THREAD__)
#include <signal.h>
static const struct timespec usoftirq__futex_tsan_timeout = { 3600, 0 };
static const struct timespec usoftirq__futex_tsan_signal_poll = { 0, 10000000 };
#define USOFTIRQ__FUTEX_TIMEOUT (&usoftirq__futex_tsan_timeout)
#define USOFTIRQ__FUTEX_SIGNALABLE_TIMEOUT (&usoftirq__futex_tsan_signal_poll)
/* pthread_sigmask() is intercepted; querying the mask changes nothing. */
static inline void usoftirq__tsan_run_deferred_signals(void)
{
	sigset_t mask;

	pthread_sigmask(SIG_BLOCK, NULL, &mask);
}
#else
#define USOFTIRQ__FUTEX_TIMEOUT NULL
#define USOFTIRQ__FUTEX_SIGNALABLE_TIMEOUT NULL
static inline void usoftirq__tsan_run_deferred_signals(void)
{
}
#endif

/**
 * usoftirq__futex_wait() - sleep while *@word == @expected.
 * @word: the futex word (any 32-bit object, atomic or not).
 * @expected: the value the caller saw.
 *
 * Async-signal-safe.
 */
static inline void usoftirq__futex_wait(void *word, uint32_t expected)
{
	int saved = errno;

	if (futex_async((int32_t *)word, FUTEX_WAIT | USOFTIRQ__FUTEX_PRIVATE,
			(int32_t)expected, USOFTIRQ__FUTEX_TIMEOUT, NULL,
			0) < 0 &&
	    errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT)
		USOFTIRQ__DIE("futex wait", errno);
	errno = saved;
}

/**
 * usoftirq__futex_wait_signalable() - usoftirq__futex_wait() for a thread
 * that takes hardirq signals while it sleeps (a worker's idle sleep): the
 * same in production builds; under TSan, see above.
 * @word: the futex word.
 * @expected: the value the caller saw.
 *
 * Async-signal-safe.
 */
static inline void usoftirq__futex_wait_signalable(void *word,
						   uint32_t expected)
{
	int saved = errno;

	usoftirq__tsan_run_deferred_signals();
	if (futex_async((int32_t *)word, FUTEX_WAIT | USOFTIRQ__FUTEX_PRIVATE,
			(int32_t)expected, USOFTIRQ__FUTEX_SIGNALABLE_TIMEOUT,
			NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT)
		USOFTIRQ__DIE("futex wait", errno);
	usoftirq__tsan_run_deferred_signals();
	errno = saved;
}

/**
 * usoftirq__futex_wake() - wake up to @count threads sleeping on @word.
 * @word: the futex word.
 * @count: how many to wake; INT_MAX for all.
 *
 * Async-signal-safe.
 */
static inline void usoftirq__futex_wake(void *word, int count)
{
	int saved = errno;

	if (futex_async((int32_t *)word, FUTEX_WAKE | USOFTIRQ__FUTEX_PRIVATE,
			count, NULL, NULL, 0) < 0)
		USOFTIRQ__DIE("futex wake", errno);
	errno = saved;
}

/**
 * usoftirq__futex_wake_gone() - usoftirq__futex_wake() on a word that may
 * belong to memory freed since the caller's last access to it.
 * @word: the futex word.
 * @count: how many to wake.
 *
 * Used after the atomic operation that let a waiter go on: that waiter may
 * free the object at once. FUTEX_WAKE only hashes the address, so a stale
 * address costs at most a spurious wake-up to its new user, which futex
 * users must tolerate; EFAULT (the page is gone) is therefore not an
 * error here. Async-signal-safe.
 */
static inline void usoftirq__futex_wake_gone(void *word, int count)
{
	int saved = errno;

	if (futex_async((int32_t *)word, FUTEX_WAKE | USOFTIRQ__FUTEX_PRIVATE,
			count, NULL, NULL, 0) < 0 &&
	    errno != EFAULT)
		USOFTIRQ__DIE("futex wake", errno);
	errno = saved;
}

#endif /* USOFTIRQ_FUTEX_H */
