/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines, their actions and threaded handlers: the structures
 * shared by src/irq_line.c (the controller: raising, enabling, masking),
 * src/irq_deliver.c (signals and hardirq context), src/irq_handle.c
 * (running a line's handlers), src/irq_manage.c (request and free) and
 * src/irq_thread.c (threaded handlers).
 *
 * The line state word (struct usoftirq__irq_desc.state)
 * -----------------------------------------------------
 *   PENDING     bit 0   an edge arrived and no handler run has consumed it
 *   LEVEL       bit 1   the line's level input is asserted
 *   INPROGRESS  bit 2   a thread runs the line's handlers (at most one)
 *   MASKED      bit 3   masked until an IRQF_ONESHOT thread has finished
 *   SHUTDOWN    bit 4   the line has no action (never requested, or freed)
 *   HOLDS       bits 5..15   IRQF_ONESHOT actions holding the line masked
 *                            (their thread has a run requested or running)
 *   DEPTH       bits 16..31  disable depth; the line is disabled while > 0
 *
 * Legal states: any combination, except that INPROGRESS is only set by a
 * handler run that found the line deliverable. The line is *deliverable*
 * when its depth is 0, it is neither MASKED nor SHUTDOWN, and PENDING or
 * LEVEL is set. Every change is an atomic read-modify-write of
 * this one word, so delivery decisions never race with enable, unmask or
 * a new edge:
 *   pulse        any context   fetch_or PENDING; if the word became
 *                              deliverable and not INPROGRESS: post
 *   level up     any context   fetch_or LEVEL; same
 *   level down   any context   fetch_and ~LEVEL
 *   disable      any context   CAS depth + 1
 *   enable       any context   CAS depth - 1; at 0, post if deliverable
 *   handle       the vCPU      CAS clearing PENDING and setting INPROGRESS,
 *                              only on a deliverable word without
 *                              INPROGRESS; handlers; fetch_and ~INPROGRESS;
 *                              if still deliverable, handle again
 *   mask         handle        the claiming CAS sets MASKED (ONESHOT line)
 *   hold         handle, or    fetch_add HOLDS (a ONESHOT thread is
 *                wake_thread   requested); fetch_sub to undo
 *   unhold       the thread    CAS HOLDS - 1, and MASKED cleared in the
 *                finishing     same CAS when HOLDS reaches 0 and no run
 *                              is INPROGRESS
 *   release      handle        CAS clearing INPROGRESS, and MASKED in the
 *                              same CAS when HOLDS is 0
 *                Whoever clears MASKED of a deliverable word posts it.
 *                Deciding to unmask and unmasking are one CAS, so an
 *                unmask can never land on a mask set by a later run.
 *   startup      request       CAS: clear SHUTDOWN and MASKED, set depth
 *   shutdown     free          CAS: set SHUTDOWN, depth 1, drop PENDING
 *
 * "Post" routes the line to its target vCPU (src/irq_deliver.c): a bit in
 * the vCPU's irq_posted bitmap and, unless one is already on its way, a
 * signal to the vCPU's worker.
 *
 * Lifetimes: actions are published on the line's list with release stores
 * and read in hardirq context under liburcu's read lock; free_irq() unlinks
 * an action and waits for a grace period before freeing it.
 */
#ifndef USOFTIRQ_IRQ_INTERNAL_H
#define USOFTIRQ_IRQ_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "thread.h"

#define USOFTIRQ__IRQ_PENDING (1u << 0)
#define USOFTIRQ__IRQ_LEVEL (1u << 1)
#define USOFTIRQ__IRQ_INPROGRESS (1u << 2)
#define USOFTIRQ__IRQ_MASKED (1u << 3)
#define USOFTIRQ__IRQ_SHUTDOWN (1u << 4)
#define USOFTIRQ__IRQ_HOLD_SHIFT 5
#define USOFTIRQ__IRQ_HOLD_ONE (1u << USOFTIRQ__IRQ_HOLD_SHIFT)
#define USOFTIRQ__IRQ_HOLD_MASK (0x7ffu << USOFTIRQ__IRQ_HOLD_SHIFT)
#define USOFTIRQ__IRQ_DEPTH_SHIFT 16
#define USOFTIRQ__IRQ_DEPTH_ONE (1u << USOFTIRQ__IRQ_DEPTH_SHIFT)
#define USOFTIRQ__IRQ_DEPTH_MASK (0xffffu << USOFTIRQ__IRQ_DEPTH_SHIFT)

/* Bits of struct usoftirq__irq_action.thread_state. */
#define USOFTIRQ__IRQT_RUN (1u << 0) /* a run is requested */
#define USOFTIRQ__IRQT_STOP (1u << 1) /* free_irq(): exit */
#define USOFTIRQ__IRQT_SLEEPING (1u << 2) /* the thread waits on the word */
#define USOFTIRQ__IRQT_ONESHOT (1u << 3) /* holds the line masked */

struct usoftirq__irq_desc;

struct usoftirq__irq_action {
	usoftirq_irq_handler_t handler; /* never NULL (default primary) */
	usoftirq_irq_handler_t thread_fn; /* or NULL */
	unsigned long flags;
	const char *name;
	void *dev_id;
	struct usoftirq__irq_desc *desc;
	_Atomic(struct usoftirq__irq_action *) next;
	/* Threaded handler: the thread and its request word. */
	pthread_t thread;
	bool has_thread;
	_Atomic uint32_t thread_state;
	_Atomic bool warned_no_thread;
};

struct usoftirq__irq_desc {
	_Atomic uint32_t state;
	unsigned int irq;
	struct usoftirq_machine *machine;
	_Atomic(struct usoftirq__irq_action *) action;
	_Atomic unsigned int target_cpu;
	_Atomic unsigned int type;
	/* Serialises request and free (src/lock.h). */
	uint32_t request_lock;
	/* The line's actions are IRQF_ONESHOT (all sharers agree). */
	_Atomic bool oneshot;
	/* Threaded handlers requested and not finished (futex word). */
	_Atomic uint32_t threads_active;
	_Atomic uint32_t threads_waiters;
	/* usoftirq_irq_wake_thread() calls walking the action list now
	 * (futex word for free_irq(), which waits for them to leave). */
	_Atomic uint32_t wake_walkers;
	_Atomic uint32_t wake_waiters;
	/* Handler runs completed (futex word for synchronize_irq()). */
	_Atomic uint32_t runs_done;
	_Atomic uint32_t sync_waiters;
	/* Books. */
	_Atomic unsigned long pulses, coalesced, consumed, dropped, runs,
		unhandled;
	/* Deasserts of the level, to tell a stuck level from a busy one. */
	_Atomic unsigned int level_drops;
	_Atomic unsigned int *kstat; /* per vCPU */
	/* Spurious-interrupt accounting, owned by the INPROGRESS holder. */
	unsigned int spurious_count, spurious_unhandled;
	unsigned int level_repeats;
	_Atomic bool warned_bogus;
};

/* src/irq_line.c */
int usoftirq__irq_init_machine(struct usoftirq_machine *m,
			       unsigned int nr_irqs);
void usoftirq__irq_free_machine(struct usoftirq_machine *m);
struct usoftirq__irq_desc *usoftirq__irq_desc(struct usoftirq_machine *m,
					      unsigned int irq);
bool usoftirq__irq_deliverable(uint32_t state);
void usoftirq__irq_post(struct usoftirq__irq_desc *desc);
void usoftirq__irq_hold(struct usoftirq__irq_desc *desc);
void usoftirq__irq_unhold_undo(struct usoftirq__irq_desc *desc);
void usoftirq__irq_unhold(struct usoftirq__irq_desc *desc);
void usoftirq__irq_startup(struct usoftirq__irq_desc *desc, unsigned int depth);
void usoftirq__irq_shutdown(struct usoftirq__irq_desc *desc);
void usoftirq__irq_disable_depth(struct usoftirq__irq_desc *desc);
void usoftirq__irq_wait_handlers(struct usoftirq__irq_desc *desc);
void usoftirq__irq_wait_threads(struct usoftirq__irq_desc *desc);

/* src/irq_deliver.c */
void usoftirq__irq_kick(struct usoftirq__cpu *cpu);
void usoftirq__irq_deliver(struct usoftirq__thread *th,
			   struct usoftirq__cpu *cpu);
int usoftirq__irq_signal_acquire(int sig);
void usoftirq__irq_signal_release(int sig);
void usoftirq__irq_worker_start(struct usoftirq__thread *th);
void usoftirq__irq_worker_stop(struct usoftirq__thread *th);
void usoftirq__irq_replay(struct usoftirq__thread *th);
void usoftirq__irq_run_deferred(struct usoftirq__thread *th,
				struct usoftirq__cpu *cpu);
void usoftirq__rcu_thread_online(struct usoftirq__thread *th);

/* src/irq_handle.c */
unsigned int usoftirq__irq_handle_line(struct usoftirq__thread *th,
				       struct usoftirq__cpu *cpu,
				       struct usoftirq__irq_desc *desc,
				       unsigned int budget);

/* src/irq_thread.c */
int usoftirq__irq_thread_start(struct usoftirq__irq_action *action);
void usoftirq__irq_thread_stop(struct usoftirq__irq_action *action);
void usoftirq__irq_wake_thread(struct usoftirq__irq_action *action);
void usoftirq__irq_wait_wake_walkers(struct usoftirq__irq_desc *desc);

/* src/irq_manage.c */
void usoftirq__irq_free_all(struct usoftirq_machine *m);

#endif /* USOFTIRQ_IRQ_INTERNAL_H */
