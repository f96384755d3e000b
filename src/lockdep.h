/* SPDX-License-Identifier: MIT */
/*
 * The part of the kernel's lockdep that catches the classic interrupt
 * locking bugs, per lock instance (the kernel works per lock class).
 *
 * Each lock keeps a usage word: in which contexts it has been taken, for
 * reading or writing. A lock taken in a hardirq handler and, elsewhere,
 * with interrupts enabled can be interrupted, on the same vCPU, by a
 * handler that wants it: a deadlock waiting for an unlucky moment. The
 * same holds for softirqs and BH. The conflicting pairs are lockdep's:
 *   IN-X-W with X-ON-W or X-ON-R   a writer in X, any holder with X on
 *   IN-X-R with X-ON-W             a reader in X, a writer with X on
 * (X is HARDIRQ or SOFTIRQ; readers may nest, so IN-X-R with X-ON-R is
 * fine.) The first conflict is reported once per lock as "inconsistent
 * lock state", naming where each usage was first seen, whether or not an
 * interrupt actually hit the critical section.
 *
 * Cost on the lock fast path: one load and one compare; the usage word
 * is written (an RMW) only the first time a usage shows up.
 */
#ifndef USOFTIRQ_LOCKDEP_H
#define USOFTIRQ_LOCKDEP_H

#include "thread.h"

/* Contexts; each has a write and a read usage bit, and one ip slot. */
enum usoftirq__lock_ctx {
	USOFTIRQ__IN_HARDIRQ,
	USOFTIRQ__HARDIRQ_ON,
	USOFTIRQ__IN_SOFTIRQ,
	USOFTIRQ__SOFTIRQ_ON,
	USOFTIRQ__NR_LOCK_CTX,
};

/** struct usoftirq__lockdep - a view of one lock's lockdep fields. */
struct usoftirq__lockdep {
	unsigned int *usage;
	const void **usage_ip; /* USOFTIRQ__NR_LOCK_CTX entries */
	const char *name;
};

/**
 * usoftirq__lockdep_acquire() - record the calling context's usage of a
 * lock about to be taken, and report a conflict.
 * @ld: the lock.
 * @read: taken for reading (rwlock readers).
 * @ip: the caller's address, for the report.
 */
void usoftirq__lockdep_acquire(const struct usoftirq__lockdep *ld, bool read,
			       const void *ip);

/**
 * usoftirq__lockdep_die_recursive() - the caller already holds the lock
 * (for writing) and asks for it again: report lockdep's "possible
 * recursive locking detected" and abort, since no event can end the wait.
 * @ld: the lock.
 * @ip: where it is asked for again.
 * @held_ip: where it was taken.
 */
__attribute__((noreturn)) void
usoftirq__lockdep_die_recursive(const struct usoftirq__lockdep *ld,
				const void *ip, const void *held_ip);

#endif /* USOFTIRQ_LOCKDEP_H */
