/* SPDX-License-Identifier: MIT */
/*
 * The one sleeping lock of the library: a three-state futex word, after
 * Drepper's "Futexes Are Tricky" (0 free, 1 held, 2 held with sleepers).
 * The BH lock of a vCPU, spin locks and device resource lists use it.
 *
 * Lock: one CAS 0 -> 1 when free; otherwise spin a little (the holder is
 * usually about to let go), then mark the word 2 and sleep on it. Unlock:
 * one exchange to 0, and a FUTEX_WAKE only if somebody sleeps.
 * Async-signal-safe (a signal handler may take a lock held by another
 * thread; one held by the thread it interrupted is a deadlock the callers
 * detect before calling in).
 */
#ifndef USOFTIRQ_LOCK_H
#define USOFTIRQ_LOCK_H

#include <stdint.h>

#include "futex.h"

/*
 * Default spins before sleeping: ~100 PAUSEs is 2-4 us on current x86,
 * below the ~7 us a futex sleep and wake-up costs on the reference
 * machine (perf-anchors section 0), and above a typical short critical
 * section running on another CPU.
 */
#define USOFTIRQ__LOCK_SPINS 100

/** usoftirq__lock_try() - take the lock if free. Acquire on success. */
static inline bool usoftirq__lock_try(uint32_t *word)
{
	uint32_t free_word = 0;

	/* Acquire: pairs with the release in usoftirq__unlock(). */
	return __atomic_compare_exchange_n(word, &free_word, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void usoftirq__lock_slow(uint32_t *word);

/** usoftirq__lock() - take the lock, sleeping if need be. */
static inline void usoftirq__lock(uint32_t *word)
{
	if (!usoftirq__lock_try(word))
		usoftirq__lock_slow(word);
}

/**
 * usoftirq__unlock() - release the lock. seq_cst (a full barrier): it
 * releases the critical section to the next holder, and callers that
 * check for quiescence right after it rely on the total order.
 */
static inline void usoftirq__unlock(uint32_t *word)
{
	if (__atomic_exchange_n(word, 0, __ATOMIC_SEQ_CST) == 2)
		usoftirq__futex_wake(word, 1);
}

/** usoftirq__lock_is_held() - somebody holds it (a snapshot). */
static inline bool usoftirq__lock_is_held(const uint32_t *word)
{
	return __atomic_load_n(word, __ATOMIC_SEQ_CST) != 0;
}

#endif /* USOFTIRQ_LOCK_H */
