/* SPDX-License-Identifier: MIT */
/* The slow path of the futex lock in src/lock.h. */
#include "lock.h"

void usoftirq__lock_slow(uint32_t *word)
{
	for (int i = 0; i < USOFTIRQ__LOCK_SPINS; i++) {
		usoftirq__cpu_relax();
		if (__atomic_load_n(word, __ATOMIC_RELAXED) == 0 &&
		    usoftirq__lock_try(word))
			return;
	}
	/* Mark "held with sleepers"; if it was free meanwhile, it is ours. */
	while (__atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE) != 0)
		usoftirq__futex_wait(word, 2);
}
