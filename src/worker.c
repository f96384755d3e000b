/* SPDX-License-Identifier: MIT */
/*
 * The per-vCPU worker threads, ksoftirqd/N.
 *
 * A worker loops: if its vCPU has softirqs pending it takes the vCPU (the
 * BH lock), runs one invocation of the softirq loop and gives the vCPU
 * back, so that threads waiting to enter a BH-disabled section get their
 * turn between invocations; otherwise it sleeps on the pending word until
 * a raise wakes it (protocol in src/cpu.h). It never polls and never sleeps
 * on a timer.
 *
 * Workers start with every signal blocked: application signals go to the
 * application's threads; each worker unblocks only the hardirq signal,
 * and registers as a liburcu reader (hardirq handlers read action lists).
 * Hardirq work that a signal handler left over (an interrupt storm) is
 * finished here too, between softirq invocations (the HARDIRQ bit).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <urcu/arch.h>

#include "futex.h"
#include "irq.h"
#include "machine.h"
#include "thread.h"

static void worker_pin(struct usoftirq__cpu *cpu)
{
	cpu_set_t set;

	if (cpu->machine->flags & USOFTIRQ_MACHINE_NO_PIN || cpu->host_cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu->host_cpu, &set);
	/* Refused (a cpuset changed since creation): run unpinned. */
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		cpu->host_cpu = -1;
}

/*
 * One softirq loop on the worker's vCPU. When the budget ran out while a
 * tasklet queue stayed cut by an unfinished enqueue (src/tasklet.c), the
 * enqueuer was most likely preempted between its two writes: give it the
 * CPU rather than spin against it (a rare path; the system call is fine).
 */
static void worker_run_softirqs(struct usoftirq__thread *th,
				struct usoftirq__cpu *cpu)
{
	bool more, cut;

	usoftirq__bh_enter(th, cpu);
	more = usoftirq__softirq_loop(th, cpu);
	cut = cpu->queue_cut;
	usoftirq__bh_release(th);
	if (usoftirq__unlikely(more && cut))
		(void)sched_yield();
}

/*
 * Before sleeping, watch the pending word for m->idle_spin_ns: work that
 * arrives meanwhile costs neither the sender's futex wake nor this
 * thread's wake-up. Plain loads and pause instructions, with the clock
 * read every few dozen of them; returns true if anything appeared
 * (vector, HARDIRQ or STOP bit), for the loop to act on. The sleep that
 * follows otherwise keeps the no-lost-wake-up protocol of src/cpu.h.
 */
static bool worker_idle_spin(struct usoftirq__cpu *cpu)
{
	unsigned int spin_ns = cpu->machine->idle_spin_ns;
	uint64_t deadline;

	if (!spin_ns)
		return false;
	deadline = usoftirq__now_ns() + spin_ns;
	do {
		for (unsigned int i = 0; i < 32; i++) {
			if (atomic_load_explicit(&cpu->pending,
						 memory_order_relaxed))
				return true;
			caa_cpu_relax();
		}
	} while (usoftirq__now_ns() < deadline);
	return false;
}

static void worker_loop(struct usoftirq__thread *th, struct usoftirq__cpu *cpu)
{
	for (;;) {
		uint32_t pending = usoftirq__cpu_peek_pending(cpu);

		if (pending & USOFTIRQ__PENDING_STOP)
			return;
		if (pending & USOFTIRQ__PENDING_HARDIRQ) {
			usoftirq__irq_run_deferred(th, cpu);
			continue;
		}
		if (pending & USOFTIRQ__PENDING_VEC_MASK) {
			worker_run_softirqs(th, cpu);
			continue;
		}
		if (worker_idle_spin(cpu))
			continue;
		/* While asleep, a hardirq's signal handler may run the
		 * softirqs it raised itself (irq_exit() on an idle CPU). */
		__atomic_store_n(&th->idle_sleep, true, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		(void)usoftirq__cpu_worker_sleep(cpu);
		__atomic_store_n(&th->idle_sleep, false, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	}
}

static void *worker_main(void *arg)
{
	struct usoftirq__cpu *cpu = arg;
	struct usoftirq_machine *m = cpu->machine;
	struct usoftirq__thread *th = usoftirq__self();
	char name[16];

	th->machine = m;
	th->bound_cpu = cpu;
	th->worker_cpu = cpu;
	snprintf(name, sizeof(name), "ksoftirqd/%u", cpu->index);
	(void)pthread_setname_np(pthread_self(), name);
	worker_pin(cpu);
	usoftirq__irq_worker_start(th);
	atomic_store_explicit(&cpu->worker_tid, usoftirq__thread_tid(th),
			      memory_order_release);
	/* Release: the creator, which waits for this count, sees host_cpu
	 * and worker_tid. */
	atomic_fetch_add_explicit(&m->workers_started, 1, memory_order_release);
	usoftirq__futex_wake(&m->workers_started, INT_MAX);
	worker_loop(th, cpu);
	usoftirq__irq_worker_stop(th);
	return NULL;
}

static void join_workers(struct usoftirq_machine *m, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		usoftirq__cpu_stop_worker(&m->cpus[i]);
	for (unsigned int i = 0; i < n; i++)
		pthread_join(m->cpus[i].worker, NULL);
}

static void wait_started(struct usoftirq_machine *m)
{
	uint32_t n;

	while ((n = atomic_load_explicit(&m->workers_started,
					 memory_order_acquire)) < m->ncpus)
		usoftirq__futex_wait(&m->workers_started, n);
}

int usoftirq__workers_start(struct usoftirq_machine *m)
{
	sigset_t all, saved;
	unsigned int n;
	int err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	for (n = 0; n < m->ncpus; n++) {
		err = pthread_create(&m->cpus[n].worker, NULL, worker_main,
				     &m->cpus[n]);
		if (err)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (err) {
		join_workers(m, n);
		return -err;
	}
	wait_started(m);
	return 0;
}

void usoftirq__workers_stop(struct usoftirq_machine *m)
{
	join_workers(m, m->ncpus);
}
