/* SPDX-License-Identifier: MIT */
/*
 * Tasklets: initialisation, scheduling and execution.
 *
 * Theory of operation
 * -------------------
 * Scheduling sets the tasklet's SCHED bit; the thread that sets it queues
 * the tasklet on its vCPU's queue for the tasklet's vector and raises that
 * vector. When the vector runs (src/softirq.c), the vCPU's owner detaches
 * the queue and, for each tasklet in order, takes RUN, checks the disable
 * count, clears SCHED, calls the callback and clears RUN: the kernel's
 * tasklet_action_common(), step by step.
 *
 * The queues are liburcu wait-free concurrent queues: enqueue is two
 * wait-free instructions, safe from any thread and from signal handlers;
 * the vCPU's owner is the only dequeuer. Detaching splices the shared
 * queue onto the owner's private "local" queue, so what is queued while a
 * pass runs waits for the next pass, as in the kernel. If the queue is
 * cut, a producer's second instruction (the link) not visible yet, the
 * owner stops at that point, leaves the rest on the local queue and
 * raises the vector again, which guarantees another pass (see "a cut
 * queue" below for why the producer's own raise is not enough).
 *
 * The state word (bits in struct usoftirq_tasklet.state)
 * ------------------------------------------------------
 *   SCHED    bit 0, the kernel's. Set by the schedule that wins the race (or
 *            by kill, which holds it as a lock). Cleared just before the
 *            callback, at the end of kill, and by machine teardown.
 *   RUN      bit 1, the kernel's. The callback runs, or a user holds
 *            tasklet_trylock(). Cleared by tasklet_unlock().
 *   WAITERS  bit 2. A thread sleeps on the futex until SCHED or RUN clears.
 *            Whoever clears SCHED or RUN clears WAITERS in the same atomic
 *            operation and, if it was set, wakes every sleeper; they check
 *            again and set it again if they still have to wait.
 *   PARKED   bit 3. The tasklet is on no queue: it waits for its disable
 *            count to reach 0 or for RUN to clear (deviation D1). SCHED
 *            stays set. Whoever clears PARKED queues it again on the vCPU
 *            that parked it.
 *   LISTED   bit 4. The tasklet is a member of its vCPU's park set: set by
 *            the owner when it parks it, cleared by the owner when it takes
 *            it off the set (when the tasklet is next dequeued there).
 *            tasklet_init() wipes it, which is how the owner recognises a
 *            tasklet re-initialised while parked (see the park set below).
 *
 * Legal states (WAITERS may be added to any state with SCHED or RUN;
 * LISTED to any state with SCHED, from parking until the next dequeue):
 *   0                  idle
 *   SCHED              on exactly one vCPU's queue, or held by kill
 *   RUN                the callback runs (or a trylock holds it)
 *   SCHED|RUN          running, and already scheduled again
 *   SCHED|PARKED       parked: disabled, or RUN was released while parking
 *   SCHED|RUN|PARKED   parked until RUN clears
 *
 * Transitions:
 *   0 -> SCHED              schedule; fetch_or, seq_cst
 *   SCHED -> SCHED|RUN      owner; fetch_or seq_cst, then it loads count
 *                           (Dekker pair with disable, which adds to count
 *                           then loads RUN; both seq_cst)
 *   SCHED|RUN -> RUN        owner; fetch_and acq_rel (pairs with the
 *                           schedule's release), then the callback
 *   RUN -> 0                owner after the callback; fetch_and acq_rel
 *   SCHED|RUN -> SCHED      owner, when count != 0: unlock, then
 *   SCHED -> SCHED|PARKED   fetch_or seq_cst, then load count (Dekker pair
 *                           with enable, which decrements count then loads
 *                           PARKED)
 *   SCHED (RUN held        owner; CAS adding PARKED only while RUN is set,
 *     elsewhere)            so the unlock that clears RUN must see PARKED
 *     -> SCHED|RUN|PARKED
 *   X|PARKED -> X           enable at 0, unlock, or the owner re-checking;
 *                           fetch_and, and only the one that found PARKED
 *                           set queues the tasklet again
 *
 * The private members (usoftirq_priv) are meaningful only while SCHED is
 * set: the vCPU and queue the tasklet is queued or parked on. Parked
 * tasklets are also members of their vCPU's park set (src/park_set.c),
 * which only the vCPU's owner touches, so that machine teardown can name
 * them. A tasklet parked on vCPU n is queued again on vCPU n, so the
 * thread that removes it from the set when it is next dequeued is vCPU
 * n's owner. Membership lives in the set, not in the tasklet, because
 * tasklet_init() accepts uninitialised memory and a tasklet re-initialised
 * while parked (a driver bug) must not leave a stale link behind.
 */
#include <limits.h>
#include <stddef.h>
#include <urcu/arch.h>
#include <urcu/wfcqueue.h>

#include "futex.h"
#include "machine.h"
#include "report.h"
#include "tasklet.h"

_Static_assert(offsetof(struct usoftirq_tasklet, next) == 0,
	       "the queue link must be the first member");
_Static_assert(sizeof(((struct usoftirq_tasklet *)0)->next) ==
		       sizeof(struct cds_wfcq_node),
	       "the queue link must have the size of a wfcqueue node");

static struct cds_wfcq_node *tasklet_node(struct usoftirq_tasklet *t)
{
	return (struct cds_wfcq_node *)(void *)&t->next;
}

static struct usoftirq_tasklet *node_tasklet(struct cds_wfcq_node *node)
{
	return (struct usoftirq_tasklet *)(void *)node;
}

static unsigned int queue_vector(unsigned int queue)
{
	return queue == USOFTIRQ__TQ_HI ? USOFTIRQ_HI_SOFTIRQ :
					  USOFTIRQ_TASKLET_SOFTIRQ;
}

/* ------------------------------------------------------------------ */
/* Initialisation                                                      */
/* ------------------------------------------------------------------ */

static void tasklet_reset(struct usoftirq_tasklet *t, int count)
{
	/*
	 * Relaxed: initialisation happens before the tasklet is published
	 * to other threads (the first schedule's RMW on state orders it).
	 */
	__atomic_store_n(&t->state, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&t->count.counter, count, __ATOMIC_RELAXED);
	t->data = 0;
}

void usoftirq_tasklet_setup(struct usoftirq_tasklet *t,
			    void (*callback)(struct usoftirq_tasklet *t))
{
	tasklet_reset(t, 0);
	t->use_callback = true;
	t->callback = callback;
}

void usoftirq_tasklet_init(struct usoftirq_tasklet *t,
			   void (*func)(unsigned long data), unsigned long data)
{
	tasklet_reset(t, 0);
	t->use_callback = false;
	t->func = func;
	t->data = data;
}

/* ------------------------------------------------------------------ */
/* Scheduling                                                          */
/* ------------------------------------------------------------------ */

void usoftirq__tasklet_enqueue(struct usoftirq__thread *th,
			       struct usoftirq__cpu *cpu, unsigned int queue,
			       struct usoftirq_tasklet *t)
{
	__atomic_store_n(&t->usoftirq_priv.cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&t->usoftirq_priv.queue, (unsigned char)queue,
			 __ATOMIC_RELAXED);
	cds_wfcq_node_init(tasklet_node(t));
	/*
	 * The enqueue's xchg is a full barrier: the members above and the
	 * node are visible to the owner before it can dequeue the node, and
	 * the raise need not fence again (src/cpu.c; the link the enqueue
	 * stores after its xchg is the owner's concern, see "a cut queue").
	 */
	cds_wfcq_enqueue(&cpu->head[queue], &cpu->tail[queue], tasklet_node(t));
	usoftirq__raise_on(th, cpu, queue_vector(queue), true);
}

/*
 * The coalescing fast path: is SCHED already set? The kernel's
 * test_and_set_bit() is a full barrier even when the bit was set, and
 * callers rely on it: whatever they wrote before scheduling is seen by the
 * run that follows. A plain load is not enough for that (the caller's
 * stores may still sit in its store buffer when the owner clears SCHED and
 * calls the callback), so the load is preceded by a full fence. The fence
 * pairs with the acq_rel RMW that clears SCHED in tasklet_run_one(): if
 * the load still sees SCHED, that clear, and the callback after it, come
 * later in the total order and see the caller's stores. On a line shared
 * by several schedulers this keeps the line shared instead of bouncing it
 * for an RMW.
 *
 * A first plain load that finds SCHED clear skips the fence: the RMW that
 * follows in tasklet_schedule_on() is the full barrier then, so a schedule
 * that queues the tasklet costs one locked instruction less.
 *
 * ThreadSanitizer does not model standalone fences, so sanitizer builds
 * take the RMW below every time, which gives the same guarantee in a form
 * it understands.
 */
static bool tasklet_already_scheduled(const struct usoftirq_tasklet *t)
{
#if defined(__SANITIZE_THREAD__)
	(void)t;
	return false;
#else
	if (!(__atomic_load_n(&t->state, __ATOMIC_RELAXED) & USOFTIRQ__T_SCHED))
		return false;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&t->state, __ATOMIC_RELAXED) & USOFTIRQ__T_SCHED;
#endif
}

static void tasklet_schedule_on(struct usoftirq_tasklet *t, unsigned int queue,
				const char *caller)
{
	struct usoftirq__thread *th;

	if (tasklet_already_scheduled(t))
		return;
	if (__atomic_fetch_or(&t->state, USOFTIRQ__T_SCHED, __ATOMIC_SEQ_CST) &
	    USOFTIRQ__T_SCHED)
		return;
	th = usoftirq__self();
	usoftirq__tasklet_enqueue(th, usoftirq__this_cpu_or_die(th, caller),
				  queue, t);
}

void usoftirq_tasklet_schedule(struct usoftirq_tasklet *t)
{
	tasklet_schedule_on(t, USOFTIRQ__TQ_NORMAL, "tasklet_schedule");
}

void usoftirq_tasklet_hi_schedule(struct usoftirq_tasklet *t)
{
	tasklet_schedule_on(t, USOFTIRQ__TQ_HI, "tasklet_hi_schedule");
}

/* ------------------------------------------------------------------ */
/* State changes shared with src/tasklet_wait.c                        */
/* ------------------------------------------------------------------ */

/*
 * Clear @bits (and WAITERS) with @order and wake the sleepers if there
 * were any. The futex wake uses only the address: the tasklet may already
 * have been freed by a waiter that saw the bits clear, and a wake on a
 * stale address is at worst a spurious wake-up for whoever uses it now.
 */
static unsigned long tasklet_clear_and_wake(struct usoftirq_tasklet *t,
					    unsigned long bits, int order)
{
	void *word = usoftirq__tasklet_futex_word(t);
	unsigned long old;

	old = __atomic_fetch_and(&t->state, ~(bits | USOFTIRQ__T_WAITERS),
				 order);
	if (old & USOFTIRQ__T_WAITERS)
		usoftirq__futex_wake_gone(word, INT_MAX);
	return old;
}

unsigned long usoftirq__tasklet_clear(struct usoftirq__thread *th,
				      struct usoftirq_tasklet *t,
				      unsigned long bits, int order)
{
	unsigned long old = tasklet_clear_and_wake(t, bits, order);

	if (old & bits & USOFTIRQ__T_PARKED)
		usoftirq__tasklet_unpark(th, t);
	return old;
}

void usoftirq__tasklet_unpark(struct usoftirq__thread *th,
			      struct usoftirq_tasklet *t)
{
	/*
	 * The caller cleared PARKED with an acquiring RMW; the parker wrote
	 * cpu and queue before setting PARKED with a seq_cst RMW.
	 */
	struct usoftirq__cpu *cpu =
		__atomic_load_n(&t->usoftirq_priv.cpu, __ATOMIC_RELAXED);
	unsigned int queue =
		__atomic_load_n(&t->usoftirq_priv.queue, __ATOMIC_RELAXED);

	usoftirq__tasklet_enqueue(th, cpu, queue, t);
}

/* ------------------------------------------------------------------ */
/* Parking: the vCPU's park set, owned by the vCPU's owner             */
/* ------------------------------------------------------------------ */

static void park_add(struct usoftirq__cpu *cpu, unsigned int queue,
		     struct usoftirq_tasklet *t)
{
	__atomic_store_n(&t->usoftirq_priv.cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&t->usoftirq_priv.queue, (unsigned char)queue,
			 __ATOMIC_RELAXED);
	usoftirq__park_set_add(&cpu->parked, t);
	__atomic_fetch_or(&t->state, USOFTIRQ__T_LISTED, __ATOMIC_RELAXED);
}

/* The common case (nothing parked on the vCPU) costs one load. */
static void park_remove(struct usoftirq__cpu *cpu, struct usoftirq_tasklet *t)
{
	if (usoftirq__likely(!cpu->parked.count))
		return;
	usoftirq__park_set_remove(&cpu->parked, t);
	__atomic_fetch_and(&t->state, ~USOFTIRQ__T_LISTED, __ATOMIC_RELAXED);
}

static void warn_sched_not_set(const struct usoftirq_tasklet *t);

static struct usoftirq_tasklet *find_stale(struct usoftirq__park_set *set)
{
	for (size_t i = 0; i < set->cap; i++) {
		struct usoftirq_tasklet *t = set->slots[i];

		if (t && !(usoftirq__tstate(t, __ATOMIC_ACQUIRE) &
			   USOFTIRQ__T_LISTED))
			return t;
	}
	return NULL;
}

/*
 * Members of the park set that lost LISTED were re-initialised while
 * parked. The kernel keeps such a tasklet on its list and meets it on the
 * next pass, with SCHED clear: it warns and drops it. Do the same when the
 * owner next looks at the vCPU (a tasklet pass, or a test stepping it),
 * instead of spinning through passes to get there. Only the owner calls
 * this, and only while something is parked.
 */
void usoftirq__tasklets_sweep_parked(struct usoftirq__cpu *cpu)
{
	struct usoftirq_tasklet *t;

	while ((t = find_stale(&cpu->parked))) {
		usoftirq__park_set_remove(&cpu->parked, t);
		warn_sched_not_set(t);
	}
}

/*
 * RUN is held elsewhere (another vCPU runs the callback, or a user holds
 * tasklet_trylock()). Park until it is released, instead of re-queueing
 * on every pass as the kernel does. Returns false if RUN was released in
 * the meantime: then the caller tries to run the tasklet again.
 */
static bool park_while_running(struct usoftirq__cpu *cpu, unsigned int queue,
			       struct usoftirq_tasklet *t)
{
	unsigned long s = usoftirq__tstate(t, __ATOMIC_RELAXED);

	park_add(cpu, queue, t);
	while (s & USOFTIRQ__T_RUN) {
		/* seq_cst: publishes the link; the unlock that clears RUN
		 * sees PARKED (same word) and queues the tasklet again. */
		if (__atomic_compare_exchange_n(
			    &t->state, &s, s | USOFTIRQ__T_PARKED, false,
			    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return true;
	}
	park_remove(cpu, t);
	return false;
}

/*
 * The tasklet is disabled: park it until usoftirq_tasklet_enable() brings
 * the count back to 0. RUN has been released already.
 */
static void park_while_disabled(struct usoftirq__thread *th,
				struct usoftirq__cpu *cpu, unsigned int queue,
				struct usoftirq_tasklet *t)
{
	park_add(cpu, queue, t);
	/*
	 * Dekker pair with usoftirq_tasklet_enable(), which decrements count
	 * and then looks at PARKED: we set PARKED and then look at count.
	 * Both sides are seq_cst, so at least one sees the other; the
	 * fetch_and below decides which of us queues the tasklet again.
	 */
	__atomic_fetch_or(&t->state, USOFTIRQ__T_PARKED, __ATOMIC_SEQ_CST);
	if (usoftirq__tcount(t) == 0 &&
	    (__atomic_fetch_and(&t->state, ~USOFTIRQ__T_PARKED,
				__ATOMIC_SEQ_CST) &
	     USOFTIRQ__T_PARKED))
		usoftirq__tasklet_enqueue(th, cpu, queue, t);
}

/* ------------------------------------------------------------------ */
/* Execution                                                           */
/* ------------------------------------------------------------------ */

static bool tasklet_take_run(struct usoftirq_tasklet *t)
{
	return !(__atomic_fetch_or(&t->state, USOFTIRQ__T_RUN,
				   __ATOMIC_SEQ_CST) &
		 USOFTIRQ__T_RUN);
}

static void warn_sched_not_set(const struct usoftirq_tasklet *t)
{
	char sym[160];

	usoftirq__report(USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET,
			 USOFTIRQ_REPORT_WARNING, t, USOFTIRQ__REPORT_ONCE,
			 "tasklet SCHED state not set: %s %s",
			 t->use_callback ? "callback" : "func",
			 usoftirq__symbolize(usoftirq__tasklet_fn(t), sym,
					     sizeof(sym), USOFTIRQ__SYM_FULL));
}

static void tasklet_invoke(struct usoftirq__thread *th,
			   struct usoftirq_tasklet *t)
{
	struct usoftirq_tasklet *outer = th->running;

	/* Hardirq handlers interrupting the callback on this thread read
	 * th->running to detect a tasklet waiting for itself. */
	th->running = t;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (t->use_callback)
		t->callback(t);
	else
		t->func(t->data);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	th->running = outer;
}

/* One tasklet detached from @cpu's @queue: the body of the kernel's loop. */
static void tasklet_run_one(struct usoftirq__thread *th,
			    struct usoftirq__cpu *cpu, unsigned int queue,
			    struct usoftirq_tasklet *t)
{
	park_remove(cpu, t);
	while (!tasklet_take_run(t)) {
		if (park_while_running(cpu, queue, t))
			return;
	}
	if (usoftirq__tcount(t) != 0) {
		usoftirq__tasklet_clear(th, t, USOFTIRQ__T_RUN,
					__ATOMIC_SEQ_CST);
		park_while_disabled(th, cpu, queue, t);
		return;
	}
	/* acq_rel: pairs with the RMW of the schedule that set SCHED. */
	if (!(tasklet_clear_and_wake(t, USOFTIRQ__T_SCHED, __ATOMIC_ACQ_REL) &
	      USOFTIRQ__T_SCHED)) {
		warn_sched_not_set(t);
		usoftirq__tasklet_clear(th, t, USOFTIRQ__T_RUN,
					__ATOMIC_RELEASE);
		return;
	}
	tasklet_invoke(th, t);
	/* Release: the callback's writes are visible to unlock waiters.
	 * Clearing PARKED too re-queues a tasklet another vCPU parked
	 * while this callback ran. */
	usoftirq__tasklet_clear(th, t, USOFTIRQ__T_RUN | USOFTIRQ__T_PARKED,
				__ATOMIC_ACQ_REL);
}

/*
 * A cut queue: the tail has moved past a node whose link from its
 * predecessor is not visible yet. Either its enqueuer is between the two
 * writes of cds_wfcq_enqueue() (preempted there, or interrupted by a
 * signal), and will raise the vector itself afterwards; or it already
 * raised, trusting a set pending bit with a plain load that passed its
 * own link store (src/cpu.c), and will not raise again. The two cannot
 * be told apart from here, so the vector is raised again and the loop
 * retries: the next pass, or the worker after the budget, finds the link.
 * queue_cut lets the worker yield the CPU to an enqueuer that was
 * preempted in between rather than spin against it.
 */
static void tasklet_queue_cut(struct usoftirq__cpu *cpu, unsigned int queue)
{
	cpu->queue_cut = true;
	caa_cpu_relax();
	usoftirq__cpu_raise(cpu, queue_vector(queue), false);
}

/* Move the shared queue onto the local one; false if it is cut at once. */
static bool tasklet_detach_queue(struct usoftirq__cpu *cpu, unsigned int queue)
{
	return __cds_wfcq_splice_nonblocking(&cpu->local_head[queue],
					     &cpu->local_tail[queue],
					     &cpu->head[queue],
					     &cpu->tail[queue]) !=
	       CDS_WFCQ_RET_WOULDBLOCK;
}

void usoftirq__tasklet_action(struct usoftirq__thread *th,
			      struct usoftirq__cpu *cpu, unsigned int queue)
{
	struct cds_wfcq_node *node;

	if (usoftirq__unlikely(cpu->parked.count))
		usoftirq__tasklets_sweep_parked(cpu);
	if (!tasklet_detach_queue(cpu, queue))
		tasklet_queue_cut(cpu, queue);
	/* Even then, what an earlier cut left in the local queue runs. */
	for (;;) {
		node = __cds_wfcq_dequeue_nonblocking(&cpu->local_head[queue],
						      &cpu->local_tail[queue]);
		if (node == NULL)
			return;
		if (usoftirq__unlikely(node == CDS_WFCQ_WOULDBLOCK)) {
			tasklet_queue_cut(cpu, queue);
			return;
		}
		tasklet_run_one(th, cpu, queue, node_tasklet(node));
	}
}

/* ------------------------------------------------------------------ */
/* Teardown                                                            */
/* ------------------------------------------------------------------ */

static void report_dropped(const struct usoftirq__cpu *cpu,
			   const struct usoftirq_tasklet *t, const char *where)
{
	char sym[160];
	int count = usoftirq__tcount(t);

	usoftirq__report(USOFTIRQ_REPORT_DESTROY_PENDING,
			 USOFTIRQ_REPORT_WARNING, t, 0,
			 "machine destroyed with tasklet %s still scheduled on "
			 "vCPU %u (%s, disable count %d): it will not run; "
			 "kill tasklets before destroying the machine",
			 usoftirq__symbolize(usoftirq__tasklet_fn(t), sym,
					     sizeof(sym), USOFTIRQ__SYM_NAME),
			 cpu->index, where, count);
}

static void drop_one(struct usoftirq__cpu *cpu, struct usoftirq_tasklet *t,
		     const char *where)
{
	report_dropped(cpu, t, where);
	park_remove(cpu, t);
	/* Back to idle, without re-queueing; kill() waiters wake up. */
	(void)tasklet_clear_and_wake(
		t, USOFTIRQ__T_SCHED | USOFTIRQ__T_PARKED | USOFTIRQ__T_LISTED,
		__ATOMIC_ACQ_REL);
}

static unsigned int drop_queue(struct usoftirq__cpu *cpu, unsigned int queue)
{
	struct cds_wfcq_node *node;
	unsigned int n = 0;

	(void)__cds_wfcq_splice_blocking(&cpu->local_head[queue],
					 &cpu->local_tail[queue],
					 &cpu->head[queue], &cpu->tail[queue]);
	while ((node = __cds_wfcq_dequeue_blocking(&cpu->local_head[queue],
						   &cpu->local_tail[queue]))) {
		drop_one(cpu, node_tasklet(node), "queued");
		n++;
	}
	return n;
}

/*
 * A park-set member that is not parked any more was re-initialised (or
 * freed and reused) while it was parked: name it, it is the driver's bug.
 */
static void report_stale(const struct usoftirq__cpu *cpu,
			 const struct usoftirq_tasklet *t)
{
	char sym[160];

	usoftirq__report(
		USOFTIRQ_REPORT_DESTROY_PENDING, USOFTIRQ_REPORT_WARNING, t, 0,
		"tasklet %s was re-initialised while it was parked "
		"(scheduled and disabled) on vCPU %u; the kernel would "
		"have warned \"tasklet SCHED state not set\"",
		usoftirq__symbolize(usoftirq__tasklet_fn(t), sym, sizeof(sym),
				    USOFTIRQ__SYM_NAME),
		cpu->index);
}

/*
 * Machine teardown, after the workers have stopped: report and reset every
 * tasklet still queued or parked on @cpu, so that a static tasklet can be
 * scheduled again on another machine. Returns how many there were.
 */
unsigned int usoftirq__tasklets_drop_cpu(struct usoftirq__cpu *cpu)
{
	struct usoftirq_tasklet *t;
	unsigned int n = 0;

	for (unsigned int q = 0; q < USOFTIRQ__NR_TQ; q++)
		n += drop_queue(cpu, q);
	while ((t = usoftirq__park_set_pop(&cpu->parked))) {
		if (!(usoftirq__tstate(t, __ATOMIC_ACQUIRE) &
		      USOFTIRQ__T_LISTED)) {
			report_stale(cpu, t);
			continue;
		}
		drop_one(cpu, t,
			 usoftirq__tcount(t) ? "parked while disabled" :
					       "parked while running");
		n++;
	}
	return n;
}
