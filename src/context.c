/* SPDX-License-Identifier: MIT */
/*
 * Execution context: the per-thread preempt_count, which vCPU a thread
 * stands for, the BH-disabled sections that hand a vCPU's softirq
 * processing from thread to thread, and the sleeping-in-atomic check.
 *
 * Ownership of a vCPU's softirq processing
 * ----------------------------------------
 * At any moment at most one thread processes a vCPU's softirqs: the one
 * holding the vCPU's BH lock (src/cpu.c). The worker takes it for each
 * invocation of the softirq loop; any other thread takes it at its
 * outermost local_bh_disable() and, at the matching local_bh_enable(),
 * runs what became pending and then gives it back. This is the kernel's
 * guarantee that softirqs never run on a CPU inside a BH-disabled section,
 * carried over to threads.
 *
 * A raise must never be left to a thread that will not look at the
 * pending mask again. usoftirq__raise_on() therefore wakes the vCPU's
 * worker unless the raising thread is that worker (which always re-checks
 * before sleeping) or has promised, through th->bh_cpu, to run the vCPU's
 * softirqs before letting go. The promise is withdrawn, with a signal
 * fence, before the last look at the pending mask, so a raise by a signal
 * handler on the same thread either precedes that look or wakes the
 * worker.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "machine.h"
#include "report.h"
#include "thread.h"

__thread struct usoftirq__thread usoftirq__self_tls
	__attribute__((tls_model("initial-exec")));

/* After fork() the child's only thread must not keep its parent's tid. */
static void forget_tid_in_child(void)
{
	usoftirq__self_tls.tid = 0;
}

__attribute__((constructor)) static void context_init(void)
{
	(void)pthread_atfork(NULL, NULL, forget_tid_in_child);
}

int usoftirq__thread_tid(struct usoftirq__thread *th)
{
	if (!th->tid)
		th->tid = (int)gettid();
	return th->tid;
}

struct usoftirq_machine *usoftirq__thread_machine(struct usoftirq__thread *th)
{
	if (th->hardirq_cpu)
		return th->hardirq_cpu->machine;
	if (th->bh_held)
		return th->bh_held->machine;
	if (th->machine)
		return th->machine;
	return usoftirq__default_machine();
}

struct usoftirq__cpu *usoftirq__this_cpu(struct usoftirq__thread *th)
{
	struct usoftirq_machine *m;

	if (th->hardirq_cpu)
		return th->hardirq_cpu;
	if (th->bh_held)
		return th->bh_held;
	if (th->bound_cpu)
		return th->bound_cpu;
	m = usoftirq__default_machine();
	if (!m)
		return NULL;
	return usoftirq__machine_host_cpu(m, sched_getcpu());
}

struct usoftirq__cpu *usoftirq__this_cpu_or_die(struct usoftirq__thread *th,
						const char *caller)
{
	struct usoftirq__cpu *cpu = usoftirq__this_cpu(th);

	if (usoftirq__unlikely(!cpu))
		usoftirq__fatal(
			__FILE__, __LINE__,
			"%s() needs a usoftirq machine, but this thread "
			"is not bound to one and there is no default "
			"machine: call usoftirq_machine_create() first",
			caller);
	return cpu;
}

void usoftirq__assert_task_context(const char *caller)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (th->worker_cpu || th->bh_held ||
	    (th->preempt_count &
	     (USOFTIRQ_SOFTIRQ_MASK | USOFTIRQ_HARDIRQ_MASK)))
		usoftirq__fatal(
			__FILE__, __LINE__,
			"%s() must be called from task context, outside "
			"BH-disabled sections, callbacks and workers "
			"(preempt_count %x)",
			caller, th->preempt_count);
}

bool usoftirq__thread_runs_softirqs_of(const struct usoftirq__thread *th,
				       const struct usoftirq__cpu *cpu)
{
	/* A thread running hardirqs for a vCPU runs its softirqs on the way
	 * out (irq_exit()); a worker in its signal handler (if it was idle)
	 * or right after it returns. */
	return th->bh_cpu == cpu || th->worker_cpu == cpu ||
	       th->hardirq_cpu == cpu;
}

void usoftirq__raise_on(struct usoftirq__thread *th, struct usoftirq__cpu *cpu,
			unsigned int nr, bool after_mb)
{
	bool may_wake = !usoftirq__thread_runs_softirqs_of(th, cpu);

	if (after_mb)
		usoftirq__cpu_raise_after_mb(cpu, nr, may_wake);
	else
		usoftirq__cpu_raise(cpu, nr, may_wake);
}

/* ------------------------------------------------------------------ */
/* Taking and giving back a vCPU                                       */
/* ------------------------------------------------------------------ */

void usoftirq__bh_enter(struct usoftirq__thread *th, struct usoftirq__cpu *cpu)
{
	usoftirq__bh_lock(cpu);
	th->bh_held = cpu;
	th->bh_cpu = cpu;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* usoftirq__bh_enter() if the vCPU is free; false if somebody holds it. */
bool usoftirq__bh_try_enter(struct usoftirq__thread *th,
			    struct usoftirq__cpu *cpu)
{
	if (!usoftirq__bh_trylock(cpu))
		return false;
	th->bh_held = cpu;
	th->bh_cpu = cpu;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return true;
}

void usoftirq__bh_release(struct usoftirq__thread *th)
{
	struct usoftirq__cpu *cpu = th->bh_held;

	th->bh_cpu = NULL;
	th->bh_held = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	usoftirq__bh_unlock(cpu);
}

/*
 * The end of an outermost BH-disabled section: run what is pending on the
 * held vCPU, in the caller, then give the vCPU back. If the loop's budget
 * runs out, the rest goes to the worker, as the kernel's wakeup_softirqd().
 */
void usoftirq__bh_run_and_release(struct usoftirq__thread *th)
{
	struct usoftirq__cpu *cpu = th->bh_held;

	for (;;) {
		th->bh_cpu = NULL;
		/* Pairs with the raise in a signal handler on this thread:
		 * after this fence it wakes the worker, before it we see
		 * its bit just below. */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (!(usoftirq__cpu_peek_pending(cpu) &
		      USOFTIRQ__PENDING_VEC_MASK))
			break;
		th->bh_cpu = cpu;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (usoftirq__softirq_loop(th, cpu)) {
			th->bh_cpu = NULL;
			usoftirq__cpu_wake_worker(cpu);
			break;
		}
	}
	th->bh_held = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	usoftirq__bh_unlock(cpu);
}

/* ------------------------------------------------------------------ */
/* preempt_count                                                       */
/* ------------------------------------------------------------------ */

static unsigned int pc(void)
{
	return usoftirq__self()->preempt_count;
}

unsigned int usoftirq_preempt_count(void)
{
	return pc();
}

unsigned int usoftirq_hardirq_count(void)
{
	return pc() & USOFTIRQ_HARDIRQ_MASK;
}

unsigned int usoftirq_softirq_count(void)
{
	return pc() & USOFTIRQ_SOFTIRQ_MASK;
}

unsigned int usoftirq_irq_count(void)
{
	return pc() & (USOFTIRQ_HARDIRQ_MASK | USOFTIRQ_SOFTIRQ_MASK |
		       USOFTIRQ_NMI_MASK);
}

bool usoftirq_in_hardirq(void)
{
	return usoftirq_hardirq_count() != 0;
}

bool usoftirq_in_serving_softirq(void)
{
	return (pc() & USOFTIRQ_SOFTIRQ_OFFSET) != 0;
}

bool usoftirq_in_softirq(void)
{
	return usoftirq_softirq_count() != 0;
}

bool usoftirq_in_interrupt(void)
{
	return usoftirq_irq_count() != 0;
}

bool usoftirq_in_nmi(void)
{
	return (pc() & USOFTIRQ_NMI_MASK) != 0;
}

bool usoftirq_in_task(void)
{
	return !(pc() & (USOFTIRQ_NMI_MASK | USOFTIRQ_HARDIRQ_MASK |
			 USOFTIRQ_SOFTIRQ_OFFSET));
}

bool usoftirq_in_atomic(void)
{
	return pc() != 0;
}

unsigned int usoftirq_interrupt_context_level(void)
{
	unsigned int c = pc();

	return !!(c & USOFTIRQ_NMI_MASK) +
	       !!(c & (USOFTIRQ_NMI_MASK | USOFTIRQ_HARDIRQ_MASK)) +
	       !!(c & (USOFTIRQ_NMI_MASK | USOFTIRQ_HARDIRQ_MASK |
		       USOFTIRQ_SOFTIRQ_OFFSET));
}

void usoftirq_preempt_disable(void)
{
	usoftirq__self()->preempt_count += USOFTIRQ_PREEMPT_OFFSET;
}

void usoftirq_preempt_enable(void)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (!(th->preempt_count & USOFTIRQ_PREEMPT_MASK)) {
		usoftirq__report(
			USOFTIRQ_REPORT_PREEMPT_UNBALANCED,
			USOFTIRQ_REPORT_WARNING, NULL, 0,
			"preempt_enable() without a matching "
			"preempt_disable() (preempt_count %x); ignored",
			th->preempt_count);
		return;
	}
	th->preempt_count -= USOFTIRQ_PREEMPT_OFFSET;
}

/* ------------------------------------------------------------------ */
/* Bottom halves                                                       */
/* ------------------------------------------------------------------ */

static void report_bh_in_hardirq(const char *call)
{
	usoftirq__report(USOFTIRQ_REPORT_BH_IN_HARDIRQ, USOFTIRQ_REPORT_WARNING,
			 NULL, USOFTIRQ__REPORT_ONCE,
			 "WARN_ON_ONCE(in_hardirq()) in %s()", call);
}

void usoftirq_local_bh_disable(void)
{
	struct usoftirq__thread *th = usoftirq__self();
	struct usoftirq__cpu *cpu;

	if (th->preempt_count & USOFTIRQ_HARDIRQ_MASK) {
		report_bh_in_hardirq("local_bh_disable");
	} else if (!(th->preempt_count & USOFTIRQ_SOFTIRQ_MASK)) {
		/* Outermost, and not serving a softirq: take the vCPU. */
		cpu = usoftirq__this_cpu(th);
		if (cpu)
			usoftirq__bh_enter(th, cpu);
	}
	th->preempt_count += USOFTIRQ_SOFTIRQ_DISABLE_OFFSET;
}

void usoftirq_local_bh_enable(void)
{
	struct usoftirq__thread *th = usoftirq__self();
	unsigned int sc = th->preempt_count & USOFTIRQ_SOFTIRQ_MASK;

	if (sc < USOFTIRQ_SOFTIRQ_DISABLE_OFFSET) {
		usoftirq__report(USOFTIRQ_REPORT_BH_UNBALANCED,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "local_bh_enable() without a matching "
				 "local_bh_disable() (preempt_count %x); "
				 "ignored",
				 th->preempt_count);
		return;
	}
	if (th->preempt_count & USOFTIRQ_HARDIRQ_MASK)
		report_bh_in_hardirq("local_bh_enable");
	else if (usoftirq__irqs_off(th))
		usoftirq__report(USOFTIRQ_REPORT_BH_ENABLE_IRQS_OFF,
				 USOFTIRQ_REPORT_WARNING, NULL,
				 USOFTIRQ__REPORT_ONCE,
				 "local_bh_enable() with interrupts disabled "
				 "(lockdep_assert_irqs_enabled())");
	if (sc != USOFTIRQ_SOFTIRQ_DISABLE_OFFSET || !th->bh_held ||
	    (th->preempt_count & USOFTIRQ_HARDIRQ_MASK)) {
		th->preempt_count -= USOFTIRQ_SOFTIRQ_DISABLE_OFFSET;
		return;
	}
	/* Outermost: as the kernel, keep one preempt count while the
	 * pending softirqs run, so they see preempt_count 0x101. */
	th->preempt_count -=
		USOFTIRQ_SOFTIRQ_DISABLE_OFFSET - USOFTIRQ_PREEMPT_OFFSET;
	usoftirq__bh_run_and_release(th);
	th->preempt_count -= USOFTIRQ_PREEMPT_OFFSET;
}

unsigned int usoftirq_smp_processor_id(void)
{
	struct usoftirq__cpu *cpu = usoftirq__this_cpu(usoftirq__self());

	return cpu ? cpu->index : 0;
}

/* ------------------------------------------------------------------ */
/* might_sleep                                                         */
/* ------------------------------------------------------------------ */

void usoftirq__might_sleep(const char *file, int line, const void *caller)
{
	struct usoftirq__thread *th = usoftirq__self();
	bool irqs_off = usoftirq__irqs_off(th);
	char comm[17] = "";
	char sym[160];

	if (th->preempt_count == 0 && !irqs_off)
		return;
	(void)prctl(PR_GET_NAME, comm);
	usoftirq__report(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, USOFTIRQ_REPORT_BUG,
			 th->running, USOFTIRQ__REPORT_RATELIMIT,
			 "BUG: sleeping function called from invalid context "
			 "at %s:%d\n"
			 "in_atomic(): %d, irqs_disabled(): %d, non_block: 0, "
			 "pid: %d, name: %s\n"
			 "preempt_count: %x, expected: 0\n"
			 "Call Trace: %s",
			 file, line, th->preempt_count != 0, irqs_off,
			 usoftirq__thread_tid(th), comm, th->preempt_count,
			 usoftirq__symbolize(caller, sym, sizeof(sym),
					     USOFTIRQ__SYM_FULL));
}

void usoftirq_might_sleep_at(const char *file, int line)
{
	usoftirq__might_sleep(file, line, __builtin_return_address(0));
}
