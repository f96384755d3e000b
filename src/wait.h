/* SPDX-License-Identifier: MIT */
/*
 * Sleeping on a futex word with a deadline and with the kernel's signal
 * semantics, for the sleeps a caller may ask to be interruptible (wait
 * queues, mutex_lock_interruptible()). The library's other sleeps use
 * usoftirq__futex_wait() (src/futex.h), which never reports a signal.
 *
 * A signal whose handler was installed without SA_RESTART ends the sleep
 * with -EINTR; with SA_RESTART the kernel restarts the sleep after the
 * handler, so the caller never sees it. That is the system-call restart
 * rule, which the kernel applies to FUTEX_WAIT without a timeout and to
 * futex_waitv() with one (it returns -ERESTARTSYS and takes an absolute
 * deadline, so a restart keeps the deadline). Kernels before 5.16 have no
 * futex_waitv(): timed sleeps then fall back to FUTEX_WAIT_BITSET, whose
 * restart rule ends the sleep on every handler, SA_RESTART or not.
 *
 * Under ThreadSanitizer, whose runtime defers a signal's handler until
 * the thread leaves the system call, an SA_RESTART handler runs only
 * after the sleep ends; the return values are unchanged.
 */
#ifndef USOFTIRQ_WAIT_H
#define USOFTIRQ_WAIT_H

#include <stdint.h>

#include "internal.h"

/**
 * usoftirq__futex_wait_until() - sleep while *@word == @expected.
 * @word: the futex word.
 * @expected: the value the caller saw.
 * @deadline_ns: absolute CLOCK_MONOTONIC time to give up at, 0 for none.
 *
 * Keeps errno. Not async-signal-safe in the sense that matters: it
 * sleeps.
 *
 * Return: 0 (woken, the word already differed, or a spurious wake-up:
 * the caller re-checks), -ETIMEDOUT once @deadline_ns has passed, -EINTR
 * when a signal handler (see above) interrupted the sleep.
 */
int usoftirq__futex_wait_until(uint32_t *word, uint32_t expected,
			       uint64_t deadline_ns);

#endif /* USOFTIRQ_WAIT_H */
