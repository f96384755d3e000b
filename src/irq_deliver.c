/* SPDX-License-Identifier: MIT */
/*
 * Hardirq delivery: from a raised line to its handlers running in hardirq
 * context on the target vCPU.
 *
 * Posting and kicking
 * -------------------
 * A raised line is posted to its target vCPU: a bit in the vCPU's
 * irq_posted bitmap. Then the vCPU is kicked: irq_kick goes 0 -> 1 and
 * whoever makes that transition sends one real-time signal to the vCPU's
 * worker with tgkill(). While irq_kick is 1, somebody is certain to drain
 * the bitmap soon, so further raises cost no system call. The drainer
 * takes each bitmap word with an exchange, runs the lines, then stores
 * irq_kick = 0 and looks at the bitmap once more; if something was posted
 * meanwhile it takes irq_kick back (if nobody else did) and goes on. Both
 * sides use seq_cst operations, so a post either is seen by that last
 * look or finds irq_kick 0 and signals again.
 *
 * Hardirq context
 * ---------------
 * The worker's signal handler (or, on a machine without workers, the
 * thread calling usoftirq_cpu_run_irqs()) enters hardirq context: it adds
 * HARDIRQ_OFFSET to its preempt_count, masks interrupts, and stands for the
 * target vCPU (hardirq_cpu) so that the handlers' tasklet_schedule() queues
 * there. Everything done inside the signal handler is async-signal-safe:
 * atomic operations, the handlers (which the kernel's rules already
 * restrict), futex wake-ups and liburcu's read-side lock.
 *
 * Softirqs raised by the handlers run as the kernel's irq_exit() would:
 * the worker's loop, the interrupted softirq pass, or the interrupted
 * BH-disabled section looks at the pending mask right after the signal
 * handler returns; a thread stepping a machine without workers runs them
 * in usoftirq_cpu_run_irqs().
 *
 * Masked interrupts and storms
 * ----------------------------
 * If the worker has interrupts disabled when the signal arrives, the
 * handler only notes it (irq_replay) and returns, leaving irq_kick at 1:
 * the lines stay posted and no further signal is sent. The worker drains
 * them when it enables interrupts again (src/irqflags.c).
 *
 * One hardirq entry runs at most IRQ_RUNS_PER_ENTRY handler runs. The
 * rest stays posted, irq_kick stays 1, and the HARDIRQ bit of the pending
 * word tells the worker to continue outside its signal handler, between
 * softirq passes. Under an interrupt storm the worker thus alternates
 * between hardirqs and softirqs instead of never leaving its signal
 * handler.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <urcu/urcu-memb.h>

#include "irq.h"
#include "machine.h"

/*
 * Handler runs per hardirq entry. 64 runs of a short handler take a few
 * microseconds, well under the ~13 us a signal costs on the reference
 * machine, so a storm is absorbed in few signals; more would delay the
 * worker's softirq passes for little gain.
 */
#define IRQ_RUNS_PER_ENTRY 64

#define SIGNAL_SLOTS 65 /* signal numbers 1..64 */

static pthread_mutex_t signal_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	unsigned int users;
	struct sigaction saved;
} signal_table[SIGNAL_SLOTS];

static pthread_key_t rcu_key;
static pthread_once_t rcu_key_once = PTHREAD_ONCE_INIT;

/* ------------------------------------------------------------------ */
/* Kicking a vCPU                                                      */
/* ------------------------------------------------------------------ */

static void send_irq_signal(struct usoftirq_machine *m, int tid)
{
	int saved = errno;

	/* ESRCH: the worker is exiting (the machine is being destroyed while
	 * something still raises lines, which destroy documents as a bug);
	 * nothing is left to deliver to. */
	if (syscall(SYS_tgkill, m->pid, tid, m->irq_signal) != 0 &&
	    errno != ESRCH)
		USOFTIRQ__DIE("tgkill", errno);
	errno = saved;
}

void usoftirq__irq_kick(struct usoftirq__cpu *cpu)
{
	int tid;

	if (atomic_fetch_or_explicit(&cpu->irq_kick, 1, memory_order_seq_cst) &
	    1)
		return;
	/* Without workers, the test delivers with usoftirq_cpu_run_irqs(). */
	tid = atomic_load_explicit(&cpu->worker_tid, memory_order_acquire);
	if (tid > 0)
		send_irq_signal(cpu->machine, tid);
}

/* ------------------------------------------------------------------ */
/* Hardirq entry and exit                                              */
/* ------------------------------------------------------------------ */

struct irq_entry {
	bool irqs_off;
	struct usoftirq__cpu *outer_cpu;
};

static void irq_enter(struct usoftirq__thread *th, struct usoftirq__cpu *cpu,
		      struct irq_entry *e)
{
	e->irqs_off = usoftirq__irqs_off(th);
	e->outer_cpu = th->hardirq_cpu;
	usoftirq__set_irqs_off(th, true);
	th->hardirq_cpu = cpu;
	th->preempt_count += USOFTIRQ_HARDIRQ_OFFSET;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static void irq_exit(struct usoftirq__thread *th, const struct irq_entry *e)
{
	th->preempt_count -= USOFTIRQ_HARDIRQ_OFFSET;
	th->hardirq_cpu = e->outer_cpu;
	usoftirq__set_irqs_off(th, e->irqs_off);
}

static unsigned int irq_words(const struct usoftirq_machine *m)
{
	return m->nr_irqs / 64 + 1;
}

static bool posted_any(struct usoftirq__cpu *cpu)
{
	for (unsigned int w = 0; w < irq_words(cpu->machine); w++)
		if (atomic_load_explicit(&cpu->irq_posted[w],
					 memory_order_seq_cst))
			return true;
	return false;
}

/*
 * Run the lines of one bitmap word. Returns false if the budget ran out;
 * the lines not run are posted again.
 */
static bool drain_word(struct usoftirq__thread *th, struct usoftirq__cpu *cpu,
		       unsigned int w, unsigned int *budget)
{
	struct usoftirq_machine *m = cpu->machine;
	uint64_t bits;

	if (!atomic_load_explicit(&cpu->irq_posted[w], memory_order_relaxed))
		return true;
	bits = atomic_exchange_explicit(&cpu->irq_posted[w], 0,
					memory_order_seq_cst);
	while (bits) {
		unsigned int irq = w * 64 + (unsigned int)__builtin_ctzll(bits);

		if (*budget == 0) {
			atomic_fetch_or_explicit(&cpu->irq_posted[w], bits,
						 memory_order_seq_cst);
			return false;
		}
		bits &= bits - 1;
		*budget -= usoftirq__irq_handle_line(
			th, cpu, &m->irq_descs[irq], *budget);
	}
	return true;
}

/*
 * One hardirq entry on @cpu. Returns the number of handler runs; *more is
 * set if the budget ran out (irq_kick then stays 1: work is left).
 */
static unsigned int deliver(struct usoftirq__thread *th,
			    struct usoftirq__cpu *cpu, bool *more)
{
	unsigned int budget = IRQ_RUNS_PER_ENTRY;
	struct irq_entry e;

	*more = false;
	irq_enter(th, cpu, &e);
	for (;;) {
		for (unsigned int w = 0; w < irq_words(cpu->machine) && !*more;
		     w++)
			*more = !drain_word(th, cpu, w, &budget);
		if (*more)
			break;
		atomic_store_explicit(&cpu->irq_kick, 0, memory_order_seq_cst);
		if (!posted_any(cpu) ||
		    (atomic_fetch_or_explicit(&cpu->irq_kick, 1,
					      memory_order_seq_cst) &
		     1))
			break;
	}
	irq_exit(th, &e);
	/* The vCPU may have become idle without its worker waking up (the
	 * handlers raised nothing): tell quiesce waiters. seq_cst store of
	 * irq_kick above, then their count: the Dekker pair documented at
	 * usoftirq__machine_notify_idle(). */
	if (!*more)
		usoftirq__machine_notify_idle(cpu->machine);
	return IRQ_RUNS_PER_ENTRY - budget;
}

/*
 * A worker delivering its own vCPU's lines (signal handler, replay,
 * deferred work). Work left over goes to the worker's loop.
 */
void usoftirq__irq_deliver(struct usoftirq__thread *th,
			   struct usoftirq__cpu *cpu)
{
	bool more;

	(void)deliver(th, cpu, &more);
	if (more)
		atomic_fetch_or_explicit(&cpu->pending,
					 USOFTIRQ__PENDING_HARDIRQ,
					 memory_order_seq_cst);
}

/*
 * Outside the signal handler, a signal may arrive while we deliver (with
 * interrupts masked): it only sets irq_replay, so look again afterwards.
 */
static void deliver_until_quiet(struct usoftirq__thread *th,
				struct usoftirq__cpu *cpu)
{
	do {
		__atomic_store_n(&th->irq_replay, false, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		usoftirq__irq_deliver(th, cpu);
	} while (__atomic_load_n(&th->irq_replay, __ATOMIC_RELAXED));
}

void usoftirq__irq_replay(struct usoftirq__thread *th)
{
	if (th->worker_cpu)
		deliver_until_quiet(th, th->worker_cpu);
	else
		__atomic_store_n(&th->irq_replay, false, __ATOMIC_RELAXED);
}

void usoftirq__irq_run_deferred(struct usoftirq__thread *th,
				struct usoftirq__cpu *cpu)
{
	if (!(atomic_fetch_and_explicit(&cpu->pending,
					~USOFTIRQ__PENDING_HARDIRQ,
					memory_order_seq_cst) &
	      USOFTIRQ__PENDING_HARDIRQ))
		return;
	if (usoftirq__irqs_off(th))
		__atomic_store_n(&th->irq_replay, true, __ATOMIC_RELAXED);
	else
		deliver_until_quiet(th, cpu);
}

/* ------------------------------------------------------------------ */
/* The signal                                                          */
/* ------------------------------------------------------------------ */

/*
 * irq_exit() on an idle CPU: the worker was interrupted in its idle sleep,
 * where it holds nothing and is inside no library or libc function but
 * the futex wait, so the handler may run the softirqs the hardirq raised
 * right here, saving the sigreturn and the restarted wait before the
 * worker's loop would get to them. Interrupts are enabled meanwhile (the
 * hardirq signal is not blocked in its own handler, see
 * usoftirq__irq_signal_acquire()), so a hardirq can interrupt these
 * softirqs as it would any; idle_sleep is cleared for that time, so such
 * a nested handler leaves its softirqs to this loop's next pass. If a
 * task thread holds the vCPU (BH-disabled section), its local_bh_enable()
 * runs them, as the kernel's would.
 */
static void run_softirqs_on_idle_exit(struct usoftirq__thread *th,
				      struct usoftirq__cpu *cpu)
{
	if (!__atomic_load_n(&th->idle_sleep, __ATOMIC_RELAXED) ||
	    !(usoftirq__cpu_peek_pending(cpu) & USOFTIRQ__PENDING_VEC_MASK))
		return;
	if (!usoftirq__bh_try_enter(th, cpu))
		return;
	__atomic_store_n(&th->idle_sleep, false, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	(void)usoftirq__softirq_loop(th, cpu);
	usoftirq__bh_release(th);
	__atomic_store_n(&th->idle_sleep, true, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static void irq_signal_handler(int sig, siginfo_t *info, void *context)
{
	struct usoftirq__thread *th = usoftirq__self();
	struct usoftirq__cpu *cpu = th->worker_cpu;
	int saved = errno;

	(void)sig;
	(void)info;
	(void)context;
	if (!cpu)
		return; /* not a worker: sent by somebody else, ignore */
	if (usoftirq__irqs_off(th)) {
		__atomic_store_n(&th->irq_replay, true, __ATOMIC_RELAXED);
	} else {
		/* A signal nested in this handler while its hardirq
		 * context masks interrupts only sets irq_replay: look
		 * again until none came. */
		deliver_until_quiet(th, cpu);
		run_softirqs_on_idle_exit(th, cpu);
	}
	errno = saved;
}

static bool has_handler(const struct sigaction *sa)
{
	if (sa->sa_flags & SA_SIGINFO)
		return sa->sa_sigaction != NULL;
	return sa->sa_handler != SIG_DFL && sa->sa_handler != SIG_IGN;
}

/*
 * Install the hardirq signal handler for @sig (reference counted: several
 * machines may share a signal). Fails with -EBUSY if the application
 * already handles @sig.
 */
int usoftirq__irq_signal_acquire(int sig)
{
	struct sigaction cur, sa = { 0 };
	int err = 0;

	if (sig < SIGRTMIN || sig > SIGRTMAX || sig >= SIGNAL_SLOTS)
		return -EINVAL;
	pthread_mutex_lock(&signal_lock);
	if (signal_table[sig].users == 0) {
		sigaction(sig, NULL, &cur);
		if (has_handler(&cur)) {
			err = -EBUSY;
			goto out;
		}
		sa.sa_sigaction = irq_signal_handler;
		/*
		 * SA_RESTART: a hardirq must not make a tasklet's write(2)
		 * fail with EINTR. Every other signal is blocked while the
		 * handler runs. The hardirq signal itself is not
		 * (SA_NODEFER, and not in sa_mask): the handler masks
		 * interrupts lazily (irqs_off) while hardirq handlers run,
		 * so a nested signal then only sets irq_replay, and once
		 * they are done, the softirqs the handler may run on an idle
		 * worker's behalf can be interrupted like any others.
		 */
		sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
		sigfillset(&sa.sa_mask);
		sigdelset(&sa.sa_mask, sig);
		sigaction(sig, &sa, NULL);
		signal_table[sig].saved = cur;
	}
	signal_table[sig].users++;
out:
	pthread_mutex_unlock(&signal_lock);
	return err;
}

void usoftirq__irq_signal_release(int sig)
{
	pthread_mutex_lock(&signal_lock);
	if (--signal_table[sig].users == 0)
		sigaction(sig, &signal_table[sig].saved, NULL);
	pthread_mutex_unlock(&signal_lock);
}

/* ------------------------------------------------------------------ */
/* Threads that read action lists                                      */
/* ------------------------------------------------------------------ */

static void rcu_thread_exit(void *arg)
{
	struct usoftirq__thread *th = arg;

	if (th->rcu_online) {
		urcu_memb_unregister_thread();
		th->rcu_online = false;
	}
}

static void rcu_key_create(void)
{
	(void)pthread_key_create(&rcu_key, rcu_thread_exit);
}

/*
 * Register the calling thread as a liburcu reader (it will run hardirq
 * handlers, which read action lists under rcu_read_lock()). Unregistered
 * when the thread exits. Not async-signal-safe: called in task context
 * before the thread can take a hardirq.
 */
void usoftirq__rcu_thread_online(struct usoftirq__thread *th)
{
	if (th->rcu_online)
		return;
	pthread_once(&rcu_key_once, rcu_key_create);
	urcu_memb_register_thread();
	th->rcu_online = true;
	(void)pthread_setspecific(rcu_key, th);
}

static void change_irq_signal(struct usoftirq__thread *th, int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, th->worker_cpu->machine->irq_signal);
	pthread_sigmask(how, &set, NULL);
}

void usoftirq__irq_worker_start(struct usoftirq__thread *th)
{
	usoftirq__rcu_thread_online(th);
	change_irq_signal(th, SIG_UNBLOCK);
}

void usoftirq__irq_worker_stop(struct usoftirq__thread *th)
{
	change_irq_signal(th, SIG_BLOCK);
	rcu_thread_exit(th);
}

/* ------------------------------------------------------------------ */
/* Stepping a machine without workers                                  */
/* ------------------------------------------------------------------ */

int usoftirq_cpu_run_irqs(struct usoftirq_machine *m, unsigned int cpu)
{
	struct usoftirq__thread *th = usoftirq__self();
	unsigned int runs;
	bool more;

	if (!m || cpu >= m->ncpus || !(m->flags & USOFTIRQ_MACHINE_NO_WORKERS))
		return -EINVAL;
	usoftirq__assert_task_context("usoftirq_cpu_run_irqs");
	if (usoftirq__irqs_off(th))
		usoftirq__fatal(
			__FILE__, __LINE__,
			"usoftirq_cpu_run_irqs() called with interrupts "
			"disabled: the interrupts would be masked");
	usoftirq__rcu_thread_online(th);
	runs = deliver(th, &m->cpus[cpu], &more);
	/* irq_exit(): the caller is in task context, so the softirqs the
	 * handlers raised run now, on behalf of @cpu. */
	(void)usoftirq_cpu_run_softirqs(m, cpu);
	return (int)runs;
}

int usoftirq_machine_irq_signal(const struct usoftirq_machine *m)
{
	return m->irq_signal;
}
