/* SPDX-License-Identifier: MIT */
/*
 * Tasklets: disable and enable, kill, and the RUN-bit helpers (trylock,
 * unlock, and the waits).
 *
 * Waiting for SCHED or RUN to clear sleeps on a futex on the low 32 bits of
 * the state word, with the WAITERS bit telling the clearing side that a
 * FUTEX_WAKE is needed (protocol at the top of src/tasklet.c). So a wait
 * costs nothing to the fast path of a tasklet nobody waits for.
 *
 * Self-deadlocks the kernel walks into (a callback waiting for its own RUN
 * bit; a thread waiting for a tasklet that only the vCPU it is holding
 * could run) are detected here, reported, and turned into returns
 * (deviation D3).
 */
#include <limits.h>

#include "futex.h"
#include "machine.h"
#include "report.h"
#include "tasklet.h"

/*
 * How long usoftirq_tasklet_unlock_spin_wait() spins before it sleeps.
 * About 20 us of PAUSE on current x86: longer than most callbacks, shorter
 * than the ~7 us futex wake-up it saves being worth burning a CPU for more.
 */
#define TASKLET_SPIN_WAIT_LOOPS 1000

/*
 * Sleep until none of @bits is set. Acquire: the caller sees everything the
 * thread that cleared the bits wrote before clearing them (for RUN: the
 * whole callback).
 */
void usoftirq__tasklet_wait_clear(struct usoftirq_tasklet *t,
				  unsigned long bits)
{
	/* seq_cst: the second half of disable's Dekker pair (count, then
	 * RUN) against the owner's (RUN, then count); see src/tasklet.c. */
	unsigned long s = usoftirq__tstate(t, __ATOMIC_SEQ_CST);

	while (s & bits) {
		if (!(s & USOFTIRQ__T_WAITERS)) {
			if (!__atomic_compare_exchange_n(
				    &t->state, &s, s | USOFTIRQ__T_WAITERS,
				    false, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
				continue;
			s |= USOFTIRQ__T_WAITERS;
		}
		usoftirq__futex_wait(usoftirq__tasklet_futex_word(t),
				     (uint32_t)s);
		s = usoftirq__tstate(t, __ATOMIC_ACQUIRE);
	}
}

static void spin_wait_clear(struct usoftirq_tasklet *t, unsigned long bits)
{
	for (int i = 0; i < TASKLET_SPIN_WAIT_LOOPS; i++) {
		if (!(usoftirq__tstate(t, __ATOMIC_SEQ_CST) & bits))
			return;
		usoftirq__cpu_relax();
	}
	usoftirq__tasklet_wait_clear(t, bits);
}

/*
 * Is the calling thread inside @t's callback (directly, or in a hardirq
 * handler that interrupted it)? Then waiting for RUN waits for ourselves.
 */
static bool waits_for_itself(const struct usoftirq__thread *th,
			     const struct usoftirq_tasklet *t, const char *call)
{
	char sym[160];

	if (th->running != t)
		return false;
	usoftirq__report(USOFTIRQ_REPORT_TASKLET_SELF_WAIT,
			 USOFTIRQ_REPORT_WARNING, t, 0,
			 "%s() called from the callback of tasklet %s would "
			 "wait for that callback to return, which never "
			 "happens; returning without waiting",
			 call,
			 usoftirq__symbolize(usoftirq__tasklet_fn(t), sym,
					     sizeof(sym), USOFTIRQ__SYM_NAME));
	return true;
}

/* ------------------------------------------------------------------ */
/* RUN bit                                                             */
/* ------------------------------------------------------------------ */

bool usoftirq_tasklet_trylock(struct usoftirq_tasklet *t)
{
	return !(__atomic_fetch_or(&t->state, USOFTIRQ__T_RUN,
				   __ATOMIC_SEQ_CST) &
		 USOFTIRQ__T_RUN);
}

void usoftirq_tasklet_unlock(struct usoftirq_tasklet *t)
{
	/* Full barrier then clear RUN, as the kernel's tasklet_unlock();
	 * clearing PARKED re-queues a run that was waiting for RUN. */
	usoftirq__tasklet_clear(usoftirq__self(), t,
				USOFTIRQ__T_RUN | USOFTIRQ__T_PARKED,
				__ATOMIC_SEQ_CST);
}

void usoftirq_tasklet_unlock_wait(struct usoftirq_tasklet *t)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	if (waits_for_itself(th, t, "tasklet_unlock_wait"))
		return;
	usoftirq__tasklet_wait_clear(t, USOFTIRQ__T_RUN);
}

void usoftirq_tasklet_unlock_spin_wait(struct usoftirq_tasklet *t)
{
	if (waits_for_itself(usoftirq__self(), t, "tasklet_unlock_spin_wait"))
		return;
	spin_wait_clear(t, USOFTIRQ__T_RUN);
}

/* ------------------------------------------------------------------ */
/* Disable and enable                                                  */
/* ------------------------------------------------------------------ */

/*
 * The count just reached 0 (by an enable, or by a disable undoing an
 * unbalanced enable): a tasklet parked while disabled runs now. Dekker
 * pair with park_while_disabled() in src/tasklet.c: we changed count and
 * now look at PARKED (both seq_cst); it set PARKED and then looks at
 * count. Whoever clears PARKED queues the tasklet again.
 */
static void count_reached_zero(struct usoftirq_tasklet *t)
{
	if ((usoftirq__tstate(t, __ATOMIC_SEQ_CST) & USOFTIRQ__T_PARKED) &&
	    (__atomic_fetch_and(&t->state, ~USOFTIRQ__T_PARKED,
				__ATOMIC_SEQ_CST) &
	     USOFTIRQ__T_PARKED))
		usoftirq__tasklet_unpark(usoftirq__self(), t);
}

void usoftirq_tasklet_disable_nosync(struct usoftirq_tasklet *t)
{
	/* seq_cst: the Dekker pair with the owner's take-RUN-then-load-count
	 * (src/tasklet.c), so a disable followed by a RUN wait cannot miss a
	 * callback that is just starting. A disable that brings a count made
	 * negative by an unbalanced enable back to 0 makes the tasklet
	 * runnable again, as in the kernel. */
	if (__atomic_add_fetch(&t->count.counter, 1, __ATOMIC_SEQ_CST) == 0)
		count_reached_zero(t);
}

void usoftirq_tasklet_disable(struct usoftirq_tasklet *t)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq_tasklet_disable_nosync(t);
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	if (waits_for_itself(th, t, "tasklet_disable"))
		return;
	/* The kernel adds smp_mb() here; the acquire load that sees RUN
	 * clear already orders everything after it behind the callback. */
	usoftirq__tasklet_wait_clear(t, USOFTIRQ__T_RUN);
}

void usoftirq_tasklet_disable_in_atomic(struct usoftirq_tasklet *t)
{
	usoftirq_tasklet_disable_nosync(t);
	if (waits_for_itself(usoftirq__self(), t, "tasklet_disable_in_atomic"))
		return;
	spin_wait_clear(t, USOFTIRQ__T_RUN);
}

static void report_unbalanced_enable(const struct usoftirq_tasklet *t,
				     int count)
{
	char sym[160];

	usoftirq__report(
		USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE,
		USOFTIRQ_REPORT_WARNING, t, 0,
		"tasklet_enable() without a matching tasklet_disable() "
		"on tasklet %s: disable count is now %d, so the "
		"tasklet will not run until a tasklet_disable() "
		"brings it back to 0 (the kernel does not report "
		"this)",
		usoftirq__symbolize(usoftirq__tasklet_fn(t), sym, sizeof(sym),
				    USOFTIRQ__SYM_NAME),
		count);
}

void usoftirq_tasklet_enable(struct usoftirq_tasklet *t)
{
	int count = __atomic_sub_fetch(&t->count.counter, 1, __ATOMIC_SEQ_CST);

	if (count < 0)
		report_unbalanced_enable(t, count);
	else if (count == 0)
		count_reached_zero(t);
}

/* ------------------------------------------------------------------ */
/* Kill                                                                */
/* ------------------------------------------------------------------ */

/*
 * Would waiting for @t's SCHED to clear wait forever? It does if @t is
 * queued (or parked) on the vCPU whose softirq processing this thread
 * holds, or, for a worker, on the worker's own vCPU: nobody else can run
 * it. The vCPU is read from the private members, which the scheduler
 * writes just after setting SCHED; in that short window a stale value can
 * name the previous vCPU. The check runs only in contexts where the kernel
 * already reports the call as a bug (interrupt context), and a stale match
 * turns into a report and an early return rather than a wait.
 */
static bool kill_would_deadlock(const struct usoftirq__thread *th,
				const struct usoftirq_tasklet *t)
{
	const struct usoftirq__cpu *cpu =
		__atomic_load_n(&t->usoftirq_priv.cpu, __ATOMIC_RELAXED);
	char sym[160];

	if (cpu == NULL || (cpu != th->bh_held && cpu != th->worker_cpu))
		return false;
	usoftirq__report(USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK,
			 USOFTIRQ_REPORT_WARNING, t, 0,
			 "tasklet_kill() of tasklet %s would wait forever: it "
			 "is pending on vCPU %u, whose softirqs only this "
			 "thread could run now (it is in softirq or hardirq "
			 "context there, or has BH disabled); returning "
			 "without killing it",
			 usoftirq__symbolize(usoftirq__tasklet_fn(t), sym,
					     sizeof(sym), USOFTIRQ__SYM_NAME),
			 cpu->index);
	return true;
}

static void report_kill_disabled(const struct usoftirq_tasklet *t)
{
	char sym[160];

	usoftirq__report(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED,
			 USOFTIRQ_REPORT_NOTICE, t, 0,
			 "tasklet_kill() waits for tasklet %s, which is "
			 "scheduled and disabled (count %d): it returns only "
			 "after somebody calls tasklet_enable()",
			 usoftirq__symbolize(usoftirq__tasklet_fn(t), sym,
					     sizeof(sym), USOFTIRQ__SYM_NAME),
			 usoftirq__tcount(t));
}

/* Take SCHED as a lock, waiting for a pending run to start. */
static bool kill_take_sched(const struct usoftirq__thread *th,
			    struct usoftirq_tasklet *t)
{
	bool told = false;

	while (__atomic_fetch_or(&t->state, USOFTIRQ__T_SCHED,
				 __ATOMIC_SEQ_CST) &
	       USOFTIRQ__T_SCHED) {
		if (usoftirq_in_interrupt() && kill_would_deadlock(th, t))
			return false;
		/* A scheduled tasklet that is disabled (or left negative by
		 * an unbalanced enable) will not run until its count is 0
		 * again, parked or not yet: say why the kill waits. */
		if (!told && usoftirq__tcount(t) != 0) {
			report_kill_disabled(t);
			told = true;
		}
		usoftirq__tasklet_wait_clear(t, USOFTIRQ__T_SCHED);
	}
	return true;
}

void usoftirq_tasklet_kill(struct usoftirq_tasklet *t)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (usoftirq_in_interrupt())
		usoftirq__report(USOFTIRQ_REPORT_TASKLET_KILL_FROM_INTERRUPT,
				 USOFTIRQ_REPORT_NOTICE, t, 0,
				 "Attempt to kill tasklet from interrupt");
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	if (waits_for_itself(th, t, "tasklet_kill"))
		return;
	if (!kill_take_sched(th, t))
		return;
	usoftirq__tasklet_wait_clear(t, USOFTIRQ__T_RUN);
	/* Release SCHED: the tasklet is idle and may be scheduled again. */
	usoftirq__tasklet_clear(th, t, USOFTIRQ__T_SCHED, __ATOMIC_RELEASE);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

bool usoftirq_tasklet_is_scheduled(const struct usoftirq_tasklet *t)
{
	return usoftirq__tstate(t, __ATOMIC_ACQUIRE) & USOFTIRQ__T_SCHED;
}

bool usoftirq_tasklet_is_running(const struct usoftirq_tasklet *t)
{
	return usoftirq__tstate(t, __ATOMIC_ACQUIRE) & USOFTIRQ__T_RUN;
}

int usoftirq_tasklet_count(const struct usoftirq_tasklet *t)
{
	return usoftirq__tcount(t);
}
