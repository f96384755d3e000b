/* SPDX-License-Identifier: MIT */
/*
 * Q6. Interrupt masking.
 *
 * What it measures: the cost of an uncontended irq-safe critical section,
 * spin_lock_irqsave() + spin_unlock_irqrestore(), against doing the same
 * with a real signal mask and against a bare mutex; and the cost of
 * masking alone.
 *
 * How: per-pair cost in batches of ~20 us (common/cost.h), interleaved,
 * from a task thread bound to a vCPU of a machine with workers (the
 * library's own fast path, with its lockdep bookkeeping); the system calls
 * made are counted.
 *
 *  lock pair
 *    floor  pthread_mutex_lock + unlock, uncontended
 *    peer   pthread_sigmask(SIG_BLOCK, all) + mutex lock, then mutex
 *           unlock + pthread_sigmask(SIG_SETMASK, saved): what masking
 *           interrupts delivered as signals costs when it is not lazy
 *    usoftirq  usoftirq_spin_lock_irqsave + usoftirq_spin_unlock_irqrestore
 *  mask pair
 *    peer   pthread_sigmask block + restore
 *    usoftirq  usoftirq_local_irq_save + usoftirq_local_irq_restore
 *
 * Validation: after the batches the lock is free, interrupts are enabled
 * and preempt_count is back to 0 (every pair was balanced).
 *
 * Goal: the usoftirq lock pair >= 100x faster than the sigmask pair
 * (ratio to it <= 0.01) and <= 2x the mutex pair.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "common/bench.h"
#include "common/cost.h"
#include "common/usq.h"

static const struct bench_spec spec = {
	.id = "Q6",
	.slug = "q6_irq_masking",
	.title = "Interrupt masking: spin_lock_irqsave pair",
	.method = "Per-pair cost in batches of ~20 us from a bound task "
		  "thread; system calls counted.",
	.samples = 2000,
	.quick_samples = 300,
	.min_cpus = 1,
};

#define SC_LOCK "lock pair"
#define SC_MASK "mask pair"
#define USQ_LOCK "usoftirq spin_lock_irqsave pair"
#define SIGMASK_LOCK "pthread_sigmask + mutex pair"

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static usoftirq_spinlock_t spin;
static unsigned long counter; /* the critical sections' work */

static void op_mutex(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++) {
		pthread_mutex_lock(&mutex);
		counter++;
		pthread_mutex_unlock(&mutex);
	}
}

static void op_sigmask_mutex(void *ctx, unsigned int n)
{
	sigset_t all, saved;

	(void)ctx;
	sigfillset(&all);
	for (unsigned int i = 0; i < n; i++) {
		pthread_sigmask(SIG_BLOCK, &all, &saved);
		pthread_mutex_lock(&mutex);
		counter++;
		pthread_mutex_unlock(&mutex);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
	}
}

static void op_spin_irqsave(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++) {
		unsigned long flags = usoftirq_spin_lock_irqsave(&spin);

		counter++;
		usoftirq_spin_unlock_irqrestore(&spin, flags);
	}
}

static void op_sigmask(void *ctx, unsigned int n)
{
	sigset_t all, saved;

	(void)ctx;
	sigfillset(&all);
	for (unsigned int i = 0; i < n; i++) {
		pthread_sigmask(SIG_BLOCK, &all, &saved);
		__asm__ __volatile__("" ::: "memory");
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
	}
}

static void op_irq_save(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++) {
		unsigned long flags = usoftirq_local_irq_save();

		__asm__ __volatile__("" ::: "memory");
		usoftirq_local_irq_restore(flags);
	}
}

static void run_lock(struct bench *b)
{
	struct cost_subject s[] = {
		{ .name = "pthread mutex pair",
		  .role = BENCH_FLOOR,
		  .run = op_mutex },
		{ .name = SIGMASK_LOCK,
		  .role = BENCH_PEER,
		  .run = op_sigmask_mutex },
		{ .name = USQ_LOCK,
		  .role = BENCH_SUBJECT,
		  .run = op_spin_irqsave },
	};

	cost_run(b,
		 &(struct cost_plan){ .scenario = SC_LOCK,
				      .batches = b->samples,
				      .blocks = 10,
				      .count_syscalls = true },
		 s, sizeof(s) / sizeof(s[0]));
	bench_goal(b, SC_LOCK, USQ_LOCK, BENCH_P50, BENCH_VS_FLOOR, NULL, true,
		   2.0);
	bench_goal(b, SC_LOCK, USQ_LOCK, BENCH_P50, BENCH_VS_ROW, SIGMASK_LOCK,
		   true, 0.01);
}

static void run_mask(struct bench *b)
{
	struct cost_subject s[] = {
		{ .name = "pthread_sigmask pair",
		  .role = BENCH_PEER,
		  .run = op_sigmask },
		{ .name = "usoftirq local_irq_save pair",
		  .role = BENCH_SUBJECT,
		  .run = op_irq_save },
	};

	cost_run(b,
		 &(struct cost_plan){ .scenario = SC_MASK,
				      .batches = b->samples,
				      .blocks = 10,
				      .count_syscalls = true },
		 s, sizeof(s) / sizeof(s[0]));
}

int main(int argc, char **argv)
{
	struct usoftirq_machine *m;
	struct bench b;

	bench_init(&b, &spec, argc, argv);
	m = bench_machine(&b, 0, 0);
	if (usoftirq_thread_bind(m, bench_vcpu_on(m, b.sender_cpu)))
		bench_die("usoftirq_thread_bind failed");
	usoftirq_spin_lock_init(&spin, "bench");
	run_lock(&b);
	run_mask(&b);
	bench_check(!usoftirq_spin_is_locked(&spin) &&
			    !usoftirq_irqs_disabled() &&
			    usoftirq_preempt_count() == 0,
		    "a pair left the lock held, interrupts masked or "
		    "preempt_count raised");
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
	return bench_finish(&b);
}
