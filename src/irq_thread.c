/* SPDX-License-Identifier: MIT */
/*
 * Threaded handlers: one thread per action, "irq/<irq>-<name>", running
 * thread_fn in task context (it may sleep) each time the primary handler
 * returns IRQ_WAKE_THREAD (kernel/irq/manage.c: irq_thread).
 *
 * The action's thread_state word
 * ------------------------------
 *   RUN       a run is requested and has not started
 *   STOP      free_irq() wants the thread to exit
 *   SLEEPING  the thread sleeps on the word (a waker must FUTEX_WAKE)
 *   ONESHOT   this action holds the line masked (IRQF_ONESHOT): set with
 *             RUN, cleared when a run finishes with no new RUN requested
 *
 * Wake-ups coalesce while RUN is set, like the kernel's IRQTF_RUNTHREAD.
 * threads_active counts requested-or-running runs for synchronize_irq();
 * the HOLDS field of the line's state counts actions holding ONESHOT, and
 * the line stays masked while it is not zero. Both are incremented before
 * RUN is set (a thread may run and finish at once) and the increments
 * undone if RUN was already set. An undo only ever happens while the action still holds a
 * pending or running run, whose own end brings the counts back down, so a
 * count read as transiently high by another action's finish is always
 * followed by a finish that sees the true value.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>

#include "futex.h"
#include "irq.h"
#include "machine.h"

static void count_down_active(struct usoftirq__irq_desc *desc)
{
	/* seq_cst: pairs with the waiter registration in
	 * usoftirq__irq_wait_threads(). */
	if (atomic_fetch_sub_explicit(&desc->threads_active, 1,
				      memory_order_seq_cst) == 1 &&
	    atomic_load_explicit(&desc->threads_waiters, memory_order_seq_cst))
		usoftirq__futex_wake(&desc->threads_active, INT_MAX);
}

void usoftirq__irq_wake_thread(struct usoftirq__irq_action *a)
{
	struct usoftirq__irq_desc *desc = a->desc;
	bool oneshot = a->flags & USOFTIRQ_IRQF_ONESHOT;
	uint32_t set = USOFTIRQ__IRQT_RUN |
		       (oneshot ? USOFTIRQ__IRQT_ONESHOT : 0);
	uint32_t old;

	if (atomic_load_explicit(&a->thread_state, memory_order_relaxed) &
	    USOFTIRQ__IRQT_RUN)
		return;
	atomic_fetch_add_explicit(&desc->threads_active, 1,
				  memory_order_seq_cst);
	if (oneshot)
		usoftirq__irq_hold(desc);
	old = atomic_fetch_or_explicit(&a->thread_state, set,
				       memory_order_seq_cst);
	if (oneshot && (old & USOFTIRQ__IRQT_ONESHOT))
		usoftirq__irq_unhold_undo(desc);
	if (old & USOFTIRQ__IRQT_RUN) {
		count_down_active(desc);
		return;
	}
	if (old & USOFTIRQ__IRQT_SLEEPING)
		usoftirq__futex_wake(&a->thread_state, 1);
}

/*
 * usoftirq_irq_wake_thread() may be called from any thread and any signal
 * handler, which cannot be liburcu readers (registering is not
 * async-signal-safe), so it does not walk the action list under the RCU
 * read lock as hardirq handlers do. It counts itself in wake_walkers
 * instead, and free_irq() waits, after unlinking an action, until no
 * walker is left: a walker either finds the list without the action or is
 * counted. Dekker pair: the walker increments (seq_cst) and then reads
 * the list; free_irq() unlinks, issues a seq_cst fence and then reads the
 * count.
 */
void usoftirq_irq_wake_thread(struct usoftirq_machine *m, unsigned int irq,
			      void *dev_id)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc)
		return;
	atomic_fetch_add_explicit(&desc->wake_walkers, 1, memory_order_seq_cst);
	for (struct usoftirq__irq_action *a =
		     atomic_load_explicit(&desc->action, memory_order_acquire);
	     a; a = atomic_load_explicit(&a->next, memory_order_acquire)) {
		if (a->dev_id != dev_id)
			continue;
		if (a->thread_fn)
			usoftirq__irq_wake_thread(a);
		break;
	}
	if (atomic_fetch_sub_explicit(&desc->wake_walkers, 1,
				      memory_order_seq_cst) == 1 &&
	    atomic_load_explicit(&desc->wake_waiters, memory_order_seq_cst))
		usoftirq__futex_wake(&desc->wake_walkers, INT_MAX);
}

/* free_irq(), after unlinking: wait until no walker can hold the action. */
void usoftirq__irq_wait_wake_walkers(struct usoftirq__irq_desc *desc)
{
	uint32_t walkers;

	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load_explicit(&desc->wake_walkers, memory_order_seq_cst))
		return;
	atomic_fetch_add_explicit(&desc->wake_waiters, 1, memory_order_seq_cst);
	while ((walkers = atomic_load_explicit(&desc->wake_walkers,
					       memory_order_seq_cst)) != 0)
		usoftirq__futex_wait(&desc->wake_walkers, walkers);
	atomic_fetch_sub_explicit(&desc->wake_waiters, 1, memory_order_seq_cst);
}

/*
 * irq_finalize_oneshot(): after thread_fn, give up this action's hold on
 * the mask, unless a new run was requested meanwhile (then the line stays
 * masked for it). The last holder unmasks, unless a hardirq run is in
 * progress: that run's release() unmasks. Both decide and unmask in one
 * CAS of the line's state (src/irq_line.c: usoftirq__irq_unhold()).
 */
static void finalize_oneshot(struct usoftirq__irq_action *a)
{
	uint32_t s =
		atomic_load_explicit(&a->thread_state, memory_order_relaxed);

	do {
		if (!(s & USOFTIRQ__IRQT_ONESHOT) || (s & USOFTIRQ__IRQT_RUN))
			return;
	} while (!atomic_compare_exchange_weak_explicit(
		&a->thread_state, &s, s & ~USOFTIRQ__IRQT_ONESHOT,
		memory_order_seq_cst, memory_order_relaxed));
	usoftirq__irq_unhold(a->desc);
}

/* Sleep until a run or a stop is requested; a pending run comes first,
 * so a run requested before free_irq() still happens. */
static uint32_t wait_for_request(struct usoftirq__irq_action *a)
{
	uint32_t s =
		atomic_load_explicit(&a->thread_state, memory_order_acquire);

	for (;;) {
		if (s & USOFTIRQ__IRQT_RUN) {
			if (atomic_compare_exchange_weak_explicit(
				    &a->thread_state, &s,
				    s & ~(USOFTIRQ__IRQT_RUN |
					  USOFTIRQ__IRQT_SLEEPING),
				    memory_order_acquire, memory_order_acquire))
				return USOFTIRQ__IRQT_RUN;
			continue;
		}
		if (s & USOFTIRQ__IRQT_STOP)
			return USOFTIRQ__IRQT_STOP;
		if (!(s & USOFTIRQ__IRQT_SLEEPING)) {
			if (!atomic_compare_exchange_weak_explicit(
				    &a->thread_state, &s,
				    s | USOFTIRQ__IRQT_SLEEPING,
				    memory_order_acquire, memory_order_acquire))
				continue;
			s |= USOFTIRQ__IRQT_SLEEPING;
		}
		usoftirq__futex_wait(&a->thread_state, s);
		s = atomic_load_explicit(&a->thread_state,
					 memory_order_acquire);
	}
}

static void run_once(struct usoftirq__thread *th,
		     struct usoftirq__irq_action *a)
{
	struct usoftirq__irq_desc *desc = a->desc;
	struct usoftirq_machine *m = desc->machine;

	/* thread_fn stands for the line's target vCPU, where its
	 * tasklet_schedule() calls queue. */
	th->bound_cpu = &m->cpus[atomic_load_explicit(&desc->target_cpu,
						      memory_order_relaxed)];
	(void)a->thread_fn((int)desc->irq, a->dev_id);
	finalize_oneshot(a);
	count_down_active(desc);
}

static void *irq_thread_main(void *arg)
{
	struct usoftirq__irq_action *a = arg;
	struct usoftirq__thread *th = usoftirq__self();

	th->machine = a->desc->machine;
	th->irq_thread = a;
	while (wait_for_request(a) == USOFTIRQ__IRQT_RUN)
		run_once(th, a);
	return NULL;
}

int usoftirq__irq_thread_start(struct usoftirq__irq_action *a)
{
	sigset_t all, saved;
	char name[16];
	int err;

	/* The thread takes no signals: hardirqs go to workers only. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	err = pthread_create(&a->thread, NULL, irq_thread_main, a);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (err)
		return -err;
	/* Named here, not by the thread itself: as the kernel's kthread, it
	 * carries its name by the time request_threaded_irq() returns. */
	snprintf(name, sizeof(name), "irq/%u-%s", a->desc->irq,
		 a->name ? a->name : "");
	(void)pthread_setname_np(a->thread, name);
	a->has_thread = true;
	return 0;
}

void usoftirq__irq_thread_stop(struct usoftirq__irq_action *a)
{
	if (!a->has_thread)
		return;
	if (atomic_fetch_or_explicit(&a->thread_state, USOFTIRQ__IRQT_STOP,
				     memory_order_seq_cst) &
	    USOFTIRQ__IRQT_SLEEPING)
		usoftirq__futex_wake(&a->thread_state, 1);
	pthread_join(a->thread, NULL);
	a->has_thread = false;
}
