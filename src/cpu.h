/* SPDX-License-Identifier: MIT */
/*
 * One virtual CPU: its pending mask, its two tasklet queues, its softirq
 * ownership ("BH") lock, its counters and its worker's identity.
 *
 * Who writes what, and therefore what shares a cache line:
 *
 *   line 0  pending            every thread that raises a softirq on this
 *                              vCPU, its owner, and its worker
 *   line 1  queue tails        every thread that queues a tasklet here
 *   line 2  queue heads, the   only the current owner (the thread holding
 *           detached lists,    the BH lock), so these never bounce while
 *           park lists, stats  one thread keeps processing
 *   line 3  BH lock            threads entering BH-disabled sections here
 *   line 4  hardirq posting    threads raising interrupt lines routed here,
 *                              and this vCPU's hardirq handler
 *   line 5  identity           written once at creation, then read-only
 *
 * The queue heads and tails are split because producers and the consumer
 * would otherwise fight over one line on every schedule (liburcu measured
 * a 2.3x gain from the same split in wfcqueue).
 */
#ifndef USOFTIRQ_CPU_H
#define USOFTIRQ_CPU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <urcu/wfcqueue.h>

#include "internal.h"
#include "park_set.h"

#include <usoftirq/irq.h>

/*
 * The pending word.
 *
 * Bits:
 *   0..9   one per softirq vector: raised, not yet taken by the owner
 *   29     HARDIRQ: hardirq work was left for the worker to finish outside
 *          its signal handler (an interrupt storm hit the per-entry bound,
 *          see src/irq_deliver.c); only the worker acts on it
 *   30     STOP: the machine is being destroyed; the worker must exit
 *   31     SLEEPING: the worker sleeps on this word (FUTEX_WAIT)
 *
 * Legal states: any vector bits, STOP 0 or 1, SLEEPING 0 or 1 — except
 * that SLEEPING is only ever *set* on a word that is exactly 0.
 *
 * Transitions (all atomic read-modify-writes on this one word, so they are
 * totally ordered and need no further fences between them):
 *   raise     any thread    fetch_or(vector bit), skipped when a load
 *                           after a full barrier finds the bit set
 *                           (src/cpu.c); if the old value had SLEEPING
 *                           and the raiser will not run the vCPU's
 *                           softirqs itself: wake (below)
 *   take      the owner     fetch_and(~vector bits), returns them
 *   sleep     the worker    CAS 0 -> SLEEPING, then FUTEX_WAIT(SLEEPING)
 *   wake      a raiser      fetch_and(~SLEEPING); whoever actually clears
 *                           it issues the one FUTEX_WAKE
 *   wake-up   the worker    fetch_and(~SLEEPING) after FUTEX_WAIT returns
 *   stop      destroy       fetch_or(STOP), then wake as a raiser
 *
 * Because the worker can only go to sleep on a word with no vector bit
 * set, and every raise either sees SLEEPING (and wakes) or makes the
 * worker's CAS fail, no raise is ever missed. A skipped raise found its
 * bit set after a full barrier: the take that clears the bit comes later
 * in the total order, and the owner that takes it sees the raiser's
 * earlier writes.
 */
#define USOFTIRQ__PENDING_VEC_MASK ((1u << USOFTIRQ_NR_SOFTIRQS) - 1)
#define USOFTIRQ__PENDING_HARDIRQ (1u << 29)
#define USOFTIRQ__PENDING_STOP (1u << 30)
#define USOFTIRQ__PENDING_SLEEPING (1u << 31)

_Static_assert(USOFTIRQ_NR_SOFTIRQS <= 29,
	       "vector bits must fit below HARDIRQ");

/* Words of the per-vCPU bitmap of posted interrupt lines. */
#define USOFTIRQ__IRQ_WORDS ((USOFTIRQ_MAX_IRQS + 1 + 63) / 64)

/* Tasklet queue indices: one queue per tasklet vector. */
enum usoftirq__tasklet_queue_index {
	USOFTIRQ__TQ_HI = 0,
	USOFTIRQ__TQ_NORMAL = 1,
	USOFTIRQ__NR_TQ = 2,
};

struct usoftirq__cpu {
	/* line 0 */
	_Atomic uint32_t pending;

	/* line 1: enqueuers exchange these (liburcu wfcqueue tails). */
	struct cds_wfcq_tail tail[USOFTIRQ__NR_TQ] usoftirq__cacheline_aligned;

	/*
	 * line 2: owner-only. head[] are the shared queues' heads (the owner
	 * is their only dequeuer); local_*[] hold what the owner detached
	 * and has not processed yet (normally empty between passes, see
	 * src/tasklet.c); parked is the set of tasklets parked on this vCPU
	 * (src/park_set.c); stat counts vector executions for /proc/softirqs
	 * (read by other threads, hence atomic, but only ever written by the
	 * owner); queue_cut is set when a pass of the softirq loop met a
	 * tasklet queue cut by an unfinished enqueue (src/tasklet.c), and
	 * cleared when the loop starts.
	 */
	struct __cds_wfcq_head head[USOFTIRQ__NR_TQ] usoftirq__cacheline_aligned;
	struct __cds_wfcq_head local_head[USOFTIRQ__NR_TQ];
	struct cds_wfcq_tail local_tail[USOFTIRQ__NR_TQ];
	struct usoftirq__park_set parked;
	bool queue_cut;
	_Atomic unsigned int stat[USOFTIRQ_NR_SOFTIRQS];

	/*
	 * line 3: the BH lock (src/lock.h); bh_owner is the holder's tid,
	 * for diagnostics.
	 */
	uint32_t bh_lock usoftirq__cacheline_aligned;
	_Atomic int bh_owner;

	/*
	 * line 4: hardirq delivery (src/irq_deliver.c). irq_posted has one
	 * bit per line raised for this vCPU and not yet handled; irq_kick is
	 * 1 while somebody is sure to look at irq_posted soon (a signal is on
	 * its way, or a handler is draining it), so raisers that find it set
	 * need not signal again.
	 */
	_Atomic uint64_t
		irq_posted[USOFTIRQ__IRQ_WORDS] usoftirq__cacheline_aligned;
	_Atomic uint32_t irq_kick;

	/* line 5: identity, read-only after creation. */
	struct usoftirq_machine *machine usoftirq__cacheline_aligned;
	unsigned int index;
	int host_cpu; /* real CPU the worker is pinned to, or -1 */
	_Atomic int worker_tid; /* 0 until the worker runs; -ENODEV without */
	pthread_t worker;
} usoftirq__cacheline_aligned;

/* src/cpu.c */
int usoftirq__cpu_init(struct usoftirq__cpu *cpu, struct usoftirq_machine *m,
		       unsigned int index);
void usoftirq__cpu_free(struct usoftirq__cpu *cpu);
void usoftirq__cpu_raise(struct usoftirq__cpu *cpu, unsigned int nr,
			 bool may_wake);
void usoftirq__cpu_raise_after_mb(struct usoftirq__cpu *cpu, unsigned int nr,
				  bool may_wake);
uint32_t usoftirq__cpu_take_pending(struct usoftirq__cpu *cpu);
uint32_t usoftirq__cpu_peek_pending(const struct usoftirq__cpu *cpu);
void usoftirq__cpu_wake_worker(struct usoftirq__cpu *cpu);
bool usoftirq__cpu_worker_sleep(struct usoftirq__cpu *cpu);
void usoftirq__cpu_stop_worker(struct usoftirq__cpu *cpu);
bool usoftirq__cpu_is_idle(const struct usoftirq__cpu *cpu);
void usoftirq__bh_lock(struct usoftirq__cpu *cpu);
bool usoftirq__bh_trylock(struct usoftirq__cpu *cpu);
void usoftirq__bh_unlock(struct usoftirq__cpu *cpu);

#endif /* USOFTIRQ_CPU_H */
