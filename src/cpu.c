/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's shared words: the pending mask with the worker's sleep and wake
 * protocol (the state table is in src/cpu.h), and the BH lock that gives
 * one thread at a time the vCPU's softirq processing.
 *
 * The BH lock is the library's futex lock (src/lock.h). It is taken once
 * per invocation of the softirq loop (up to ten passes over every pending
 * vector), never per tasklet, so on the run path it costs one uncontended
 * compare-and-swap and one exchange per batch.
 */
#include <limits.h>
#include <string.h>

#include "futex.h"
#include "lock.h"
#include "machine.h"
#include "thread.h"

int usoftirq__cpu_init(struct usoftirq__cpu *cpu, struct usoftirq_machine *m,
		       unsigned int index)
{
	memset(cpu, 0, sizeof(*cpu));
	atomic_init(&cpu->pending, 0);
	for (unsigned int q = 0; q < USOFTIRQ__NR_TQ; q++) {
		__cds_wfcq_init(&cpu->head[q], &cpu->tail[q]);
		__cds_wfcq_init(&cpu->local_head[q], &cpu->local_tail[q]);
	}
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
		atomic_init(&cpu->stat[nr], 0);
	cpu->bh_lock = 0;
	atomic_init(&cpu->bh_owner, 0);
	for (unsigned int w = 0; w < USOFTIRQ__IRQ_WORDS; w++)
		atomic_init(&cpu->irq_posted[w], 0);
	atomic_init(&cpu->irq_kick, 0);
	cpu->machine = m;
	cpu->index = index;
	cpu->host_cpu = -1;
	atomic_init(&cpu->worker_tid, 0);
	return usoftirq__park_set_init(&cpu->parked);
}

void usoftirq__cpu_free(struct usoftirq__cpu *cpu)
{
	usoftirq__park_set_free(&cpu->parked);
}

/* ------------------------------------------------------------------ */
/* Pending mask and the worker's sleep                                 */
/* ------------------------------------------------------------------ */

/*
 * Set vector @nr pending. A plain load first: if the bit is already set,
 * whoever set it guarantees the vector runs, and only the first raise
 * after a take pays the RMW on the shared pending line.
 *
 * Trusting a set bit needs the raiser's earlier writes (the data the
 * vector's handler will consume) to be visible to the owner once it
 * takes the bit, and a plain load may pass earlier stores (x86 store
 * buffer). So a load that finds the bit set is repeated after a full
 * fence, and only then trusted; ThreadSanitizer, which models no
 * standalone fence, always gets the RMW. See usoftirq__cpu_raise_after_mb()
 * for raisers that have just executed a full barrier themselves.
 */
static void cpu_raise(struct usoftirq__cpu *cpu, unsigned int nr, bool may_wake,
		      bool after_mb)
{
	uint32_t bit = 1u << nr;
#if defined(__SANITIZE_THREAD__)
	uint32_t old = 0;

	(void)after_mb;
#else
	uint32_t old =
		atomic_load_explicit(&cpu->pending, memory_order_relaxed);

	if ((old & bit) && !after_mb) {
		/* Pairs with the owner's take (fetch_and). */
		atomic_thread_fence(memory_order_seq_cst);
		old = atomic_load_explicit(&cpu->pending, memory_order_relaxed);
	}
#endif
	if (!(old & bit))
		/* seq_cst: totally ordered with the worker's sleep CAS and
		 * the owner's take (see the table in cpu.h). */
		old = atomic_fetch_or_explicit(&cpu->pending, bit,
					       memory_order_seq_cst);
	if (usoftirq__unlikely(old & USOFTIRQ__PENDING_SLEEPING) && may_wake)
		usoftirq__cpu_wake_worker(cpu);
}

void usoftirq__cpu_raise(struct usoftirq__cpu *cpu, unsigned int nr,
			 bool may_wake)
{
	cpu_raise(cpu, nr, may_wake, false);
}

/*
 * The raise of a tasklet enqueue, whose exchange of the queue tail (a
 * full barrier) has just ordered everything before it, so a set bit is
 * trusted without a second fence. Only the enqueue's last write, the
 * link from the previous node, is a plain store after that barrier, and
 * the load may pass it: the owner can take the bit and find the queue cut
 * just before the new node. The owner handles that (src/tasklet.c, "a
 * cut queue"): it raises the vector again and retries. This keeps a
 * queueing schedule at two locked instructions when the vector is
 * already pending, instead of three.
 */
void usoftirq__cpu_raise_after_mb(struct usoftirq__cpu *cpu, unsigned int nr,
				  bool may_wake)
{
	cpu_raise(cpu, nr, may_wake, true);
}

/*
 * Take every pending vector. The RMW's acquire pairs with the raisers'
 * fetch_or. The barrier after it pairs with the fence of a raiser that
 * found the bit set with a plain load (above): that load read a value
 * from before this take, so what follows here sees the raiser's earlier
 * writes (for a tasklet enqueue, at least its exchange of the tail). On
 * x86 the locked RMW already is that barrier (the kernel's
 * smp_mb__after_atomic()).
 */
uint32_t usoftirq__cpu_take_pending(struct usoftirq__cpu *cpu)
{
	uint32_t taken = atomic_fetch_and_explicit(&cpu->pending,
						   ~USOFTIRQ__PENDING_VEC_MASK,
						   memory_order_seq_cst);

	usoftirq__smp_mb_after_atomic();
	return taken & USOFTIRQ__PENDING_VEC_MASK;
}

uint32_t usoftirq__cpu_peek_pending(const struct usoftirq__cpu *cpu)
{
	return atomic_load_explicit(&cpu->pending, memory_order_seq_cst);
}

void usoftirq__cpu_wake_worker(struct usoftirq__cpu *cpu)
{
	/* Only the thread that actually clears SLEEPING issues the wake. */
	if (atomic_fetch_and_explicit(&cpu->pending,
				      ~USOFTIRQ__PENDING_SLEEPING,
				      memory_order_seq_cst) &
	    USOFTIRQ__PENDING_SLEEPING)
		usoftirq__futex_wake(&cpu->pending, 1);
}

/*
 * The worker's idle wait. Returns false at once if anything is pending or
 * STOP is set (the CAS from exactly 0 fails). Otherwise sleeps until a
 * raiser clears SLEEPING or the word changes, then makes sure SLEEPING is
 * clear again before returning true.
 */
bool usoftirq__cpu_worker_sleep(struct usoftirq__cpu *cpu)
{
	uint32_t expected = 0;

	if (!atomic_compare_exchange_strong_explicit(
		    &cpu->pending, &expected, USOFTIRQ__PENDING_SLEEPING,
		    memory_order_seq_cst, memory_order_relaxed))
		return false;
	usoftirq__machine_notify_idle(cpu->machine);
	/* Spurious wake-ups leave the word unchanged: sleep again. */
	do
		usoftirq__futex_wait_signalable(&cpu->pending,
						USOFTIRQ__PENDING_SLEEPING);
	while (atomic_load_explicit(&cpu->pending, memory_order_seq_cst) ==
	       USOFTIRQ__PENDING_SLEEPING);
	atomic_fetch_and_explicit(&cpu->pending, ~USOFTIRQ__PENDING_SLEEPING,
				  memory_order_seq_cst);
	return true;
}

void usoftirq__cpu_stop_worker(struct usoftirq__cpu *cpu)
{
	if (atomic_fetch_or_explicit(&cpu->pending, USOFTIRQ__PENDING_STOP,
				     memory_order_seq_cst) &
	    USOFTIRQ__PENDING_SLEEPING)
		usoftirq__cpu_wake_worker(cpu);
}

/*
 * Idle: no softirq or hardirq work pending and nobody processing. seq_cst
 * loads: they pair with the seq_cst RMWs that make a vCPU idle and the
 * quiesce waiter's registration (usoftirq__machine_notify_idle()).
 */
bool usoftirq__cpu_is_idle(const struct usoftirq__cpu *cpu)
{
	return !(atomic_load_explicit(&cpu->pending, memory_order_seq_cst) &
		 (USOFTIRQ__PENDING_VEC_MASK | USOFTIRQ__PENDING_HARDIRQ)) &&
	       !atomic_load_explicit(&cpu->irq_kick, memory_order_seq_cst) &&
	       !usoftirq__lock_is_held(&cpu->bh_lock);
}

/* ------------------------------------------------------------------ */
/* BH lock                                                             */
/* ------------------------------------------------------------------ */

void usoftirq__bh_lock(struct usoftirq__cpu *cpu)
{
	usoftirq__lock(&cpu->bh_lock);
	atomic_store_explicit(&cpu->bh_owner,
			      usoftirq__thread_tid(usoftirq__self()),
			      memory_order_relaxed);
}

bool usoftirq__bh_trylock(struct usoftirq__cpu *cpu)
{
	if (!usoftirq__lock_try(&cpu->bh_lock))
		return false;
	atomic_store_explicit(&cpu->bh_owner,
			      usoftirq__thread_tid(usoftirq__self()),
			      memory_order_relaxed);
	return true;
}

void usoftirq__bh_unlock(struct usoftirq__cpu *cpu)
{
	atomic_store_explicit(&cpu->bh_owner, 0, memory_order_relaxed);
	/* seq_cst inside: ordered before the quiesce check below (pairs
	 * with usoftirq_machine_quiesce()). */
	usoftirq__unlock(&cpu->bh_lock);
	usoftirq__machine_notify_idle(cpu->machine);
}
