/* SPDX-License-Identifier: MIT */
/*
 * Per-thread context: the kernel's "current CPU state" as seen by one
 * thread. It lives in initial-exec TLS so that signal handlers (hardirqs)
 * can reach it with a plain %fs-relative load: no allocation, no lock, no
 * __tls_get_addr.
 *
 * Only the owning thread and signal handlers running on it touch these
 * fields. A handler that changes a field restores it before returning
 * (preempt_count gains and loses HARDIRQ_OFFSET), so the owning thread's
 * non-atomic read-modify-writes stay correct even when interrupted. Where
 * the order of two accesses matters to a handler, the code puts a signal
 * fence between them and says which.
 */
#ifndef USOFTIRQ_THREAD_H
#define USOFTIRQ_THREAD_H

#include "cpu.h"

struct usoftirq__irq_desc;
struct usoftirq__irq_action;

struct usoftirq__thread {
	/* preempt_count, kernel layout (usoftirq/context.h). */
	unsigned int preempt_count;
	/* The machine this thread is bound to (workers: theirs), or NULL. */
	struct usoftirq_machine *machine;
	/* Explicit binding (usoftirq_thread_bind(), workers), or NULL. */
	struct usoftirq__cpu *bound_cpu;
	/* For a worker: its vCPU. NULL for every other thread. */
	struct usoftirq__cpu *worker_cpu;
	/*
	 * The vCPU whose BH lock this thread holds (outermost
	 * local_bh_disable(), softirq processing), or NULL.
	 */
	struct usoftirq__cpu *bh_held;
	/*
	 * The vCPU whose pending softirqs this thread promises to run before
	 * it lets go of the BH lock. Equal to bh_held except in the short
	 * window of local_bh_enable() after the last look at the pending
	 * mask, where it is already NULL so that raises made by signal
	 * handlers in that window wake the worker instead of being left to
	 * a thread that will not look again.
	 */
	struct usoftirq__cpu *bh_cpu;
	/* The tasklet whose callback this thread is running, or NULL. */
	struct usoftirq_tasklet *running;
	/*
	 * Interrupt masking (src/irqflags.c). irqs_off: this thread has
	 * interrupts disabled. irq_replay: a hardirq arrived while they were,
	 * handle it at the next enable. The signal handler writes irq_replay
	 * and reads irqs_off: both are accessed with relaxed atomics (lock-free
	 * atomics are async-signal-safe) plus signal fences where order
	 * matters.
	 */
	bool irqs_off;
	bool irq_replay;
	/*
	 * For a worker: it is in its idle sleep (src/worker.c), where a
	 * hardirq signal handler may run the softirqs the handlers raised
	 * itself, as irq_exit() does on an idle CPU. Written by the worker,
	 * read by its own signal handler: relaxed plus signal fences.
	 */
	bool idle_sleep;
	/* While running hardirq handlers: the vCPU they run for, and line. */
	struct usoftirq__cpu *hardirq_cpu;
	struct usoftirq__irq_desc *irq_desc;
	/* For the thread of a threaded handler: its action. */
	struct usoftirq__irq_action *irq_thread;
	/* Registered with liburcu as a reader of interrupt action lists. */
	bool rcu_online;
	/* Cached kernel thread id (0 until first needed). */
	int tid;
};

static inline bool usoftirq__irqs_off(const struct usoftirq__thread *th)
{
	return __atomic_load_n(&th->irqs_off, __ATOMIC_RELAXED);
}

static inline void usoftirq__set_irqs_off(struct usoftirq__thread *th, bool off)
{
	__atomic_store_n(&th->irqs_off, off, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

extern __thread struct usoftirq__thread usoftirq__self_tls
	__attribute__((tls_model("initial-exec")));

/** usoftirq__self() - the calling thread's context. Async-signal-safe. */
static inline struct usoftirq__thread *usoftirq__self(void)
{
	return &usoftirq__self_tls;
}

/* src/context.c */
int usoftirq__thread_tid(struct usoftirq__thread *th);
struct usoftirq_machine *usoftirq__thread_machine(struct usoftirq__thread *th);
struct usoftirq__cpu *usoftirq__this_cpu(struct usoftirq__thread *th);
struct usoftirq__cpu *usoftirq__this_cpu_or_die(struct usoftirq__thread *th,
						const char *caller);
bool usoftirq__thread_runs_softirqs_of(const struct usoftirq__thread *th,
				       const struct usoftirq__cpu *cpu);
/* @after_mb: the caller has just executed a full barrier (src/cpu.c). */
void usoftirq__raise_on(struct usoftirq__thread *th, struct usoftirq__cpu *cpu,
			unsigned int nr, bool after_mb);
void usoftirq__bh_enter(struct usoftirq__thread *th, struct usoftirq__cpu *cpu);
bool usoftirq__bh_try_enter(struct usoftirq__thread *th,
			    struct usoftirq__cpu *cpu);
void usoftirq__bh_release(struct usoftirq__thread *th);
void usoftirq__bh_run_and_release(struct usoftirq__thread *th);
void usoftirq__might_sleep(const char *file, int line, const void *caller);
void usoftirq__assert_task_context(const char *caller);

/* src/softirq.c */
bool usoftirq__softirq_loop(struct usoftirq__thread *th,
			    struct usoftirq__cpu *cpu);

#endif /* USOFTIRQ_THREAD_H */
