/* SPDX-License-Identifier: MIT */
/*
 * The softirq engine: vectors and their handlers, raising, the processing
 * loop, and the per-vCPU counters shown as /proc/softirqs.
 *
 * usoftirq__softirq_loop() is the kernel's handle_softirqs(), run by
 * whichever thread holds the vCPU's BH lock: its worker, a thread ending a
 * BH-disabled section, or a test stepping a machine without workers. It
 * snapshots and clears the pending mask, runs every pending vector lowest
 * first with SOFTIRQ_OFFSET in the thread's preempt_count, and starts over
 * while new work was raised, for at most ten passes or 2 ms. What is left
 * then stays pending for the worker.
 *
 * Why both limits (the kernel's reasoning, kept): a count alone lets a few
 * slow handlers run for a long time, a time alone lets a storm of cheap
 * raises keep the loop going and starve the thread's other work. The time
 * is read from CLOCK_MONOTONIC (vDSO, no system call) once per pass; the
 * kernel uses jiffies, which round 2 ms up to one tick.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "irq.h"
#include "machine.h"
#include "report.h"
#include "tasklet.h"

static const char *const softirq_names[USOFTIRQ_NR_SOFTIRQS] = {
	"HI",	    "TIMER",   "NET_TX", "NET_RX",  "BLOCK",
	"IRQ_POLL", "TASKLET", "SCHED",	 "HRTIMER", "RCU",
};

const char *usoftirq_softirq_name(unsigned int nr)
{
	return nr < USOFTIRQ_NR_SOFTIRQS ? softirq_names[nr] : NULL;
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

/* The tasklet vectors' handlers: the vCPU is the one this thread holds. */
static void tasklet_hi_action(void)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__tasklet_action(th, th->bh_held, USOFTIRQ__TQ_HI);
}

static void tasklet_action(void)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__tasklet_action(th, th->bh_held, USOFTIRQ__TQ_NORMAL);
}

void usoftirq__softirq_init(struct usoftirq_machine *m)
{
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++)
		atomic_init(&m->softirq_vec[nr], NULL);
	atomic_init(&m->softirq_vec[USOFTIRQ_HI_SOFTIRQ], tasklet_hi_action);
	atomic_init(&m->softirq_vec[USOFTIRQ_TASKLET_SOFTIRQ], tasklet_action);
}

static int open_softirq_refused(unsigned int nr, int err, const char *why)
{
	usoftirq__report(USOFTIRQ_REPORT_INVALID_ARGUMENT,
			 USOFTIRQ_REPORT_WARNING, NULL, 0,
			 "open_softirq(%u): %s; the handler is not registered",
			 nr, why);
	return err;
}

int usoftirq_open_softirq(struct usoftirq_machine *m, unsigned int nr,
			  void (*action)(void))
{
	if (!m)
		return open_softirq_refused(nr, -EINVAL, "there is no machine");
	if (nr >= USOFTIRQ_NR_SOFTIRQS)
		return open_softirq_refused(nr, -EINVAL,
					    "no such softirq vector");
	if (!action)
		return open_softirq_refused(nr, -EINVAL, "the handler is NULL");
	if (nr == USOFTIRQ_HI_SOFTIRQ || nr == USOFTIRQ_TASKLET_SOFTIRQ)
		return open_softirq_refused(nr, -EBUSY,
					    "HI and TASKLET belong to the "
					    "tasklet engine");
	/* Release: pairs with the acquire in run_vector(). */
	atomic_store_explicit(&m->softirq_vec[nr], action,
			      memory_order_release);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Raising                                                             */
/* ------------------------------------------------------------------ */

static struct usoftirq__cpu *raise_target(struct usoftirq__thread *th,
					  unsigned int nr, const char *caller)
{
	if (usoftirq__unlikely(nr >= USOFTIRQ_NR_SOFTIRQS))
		usoftirq__fatal(__FILE__, __LINE__,
				"%s(%u): no such softirq vector", caller, nr);
	return usoftirq__this_cpu_or_die(th, caller);
}

void usoftirq_raise_softirq(unsigned int nr)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__raise_on(th, raise_target(th, nr, "raise_softirq"), nr,
			   false);
}

void usoftirq_raise_softirq_irqoff(unsigned int nr)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__raise_on(th, raise_target(th, nr, "raise_softirq_irqoff"), nr,
			   false);
}

void usoftirq_raise_softirq_irqoff_nowake(unsigned int nr)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__cpu_raise(raise_target(th, nr, "__raise_softirq_irqoff"), nr,
			    false);
}

unsigned int usoftirq_local_softirq_pending(void)
{
	struct usoftirq__cpu *cpu = usoftirq__this_cpu(usoftirq__self());

	return cpu ? usoftirq__cpu_peek_pending(cpu) &
			       USOFTIRQ__PENDING_VEC_MASK :
		     0;
}

void usoftirq_do_softirq(void)
{
	if (usoftirq_in_interrupt())
		return;
	usoftirq_local_bh_disable();
	usoftirq_local_bh_enable();
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */
/* ------------------------------------------------------------------ */

static void stat_inc(struct usoftirq__cpu *cpu, unsigned int nr)
{
	/* Only the owner writes; other threads only read. */
	atomic_store_explicit(
		&cpu->stat[nr],
		atomic_load_explicit(&cpu->stat[nr], memory_order_relaxed) + 1,
		memory_order_relaxed);
}

static void report_no_handler(unsigned int nr)
{
	usoftirq__report(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER,
			 USOFTIRQ_REPORT_WARNING, NULL, USOFTIRQ__REPORT_ONCE,
			 "softirq %u (%s) was raised but has no handler: call "
			 "open_softirq() first; the raise is ignored",
			 nr, softirq_names[nr]);
}

static void report_preempt_leak(unsigned int nr, usoftirq__softirq_action h,
				unsigned int before, unsigned int after)
{
	usoftirq__report(USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK,
			 USOFTIRQ_REPORT_ERR, NULL, 0,
			 "huh, entered softirq %u %s %p with preempt_count "
			 "%08x, exited with %08x?",
			 nr, softirq_names[nr], (void *)h, before, after);
}

static void run_vector(struct usoftirq__thread *th, struct usoftirq__cpu *cpu,
		       unsigned int nr)
{
	usoftirq__softirq_action h = atomic_load_explicit(
		&cpu->machine->softirq_vec[nr], memory_order_acquire);
	unsigned int before = th->preempt_count;

	stat_inc(cpu, nr);
	if (usoftirq__unlikely(!h)) {
		report_no_handler(nr);
		return;
	}
	h();
	if (usoftirq__unlikely(th->preempt_count != before)) {
		report_preempt_leak(nr, h, before, th->preempt_count);
		th->preempt_count = before;
	}
}

static void run_pass(struct usoftirq__thread *th, struct usoftirq__cpu *cpu,
		     uint32_t pending)
{
	while (pending) {
		unsigned int nr = (unsigned int)__builtin_ctz(pending);

		pending &= pending - 1;
		run_vector(th, cpu, nr);
	}
}

/*
 * One invocation of the softirq loop for @cpu, whose BH lock @th holds.
 * Returns true if work is still pending because the budget ran out.
 */
bool usoftirq__softirq_loop(struct usoftirq__thread *th,
			    struct usoftirq__cpu *cpu)
{
	uint32_t pending = usoftirq__cpu_take_pending(cpu);
	unsigned int passes_left = USOFTIRQ_MAX_SOFTIRQ_RESTART;
	uint64_t deadline;
	bool more = false;

	if (!pending)
		return false;
	cpu->queue_cut = false;
	deadline = usoftirq__now_ns() + USOFTIRQ_MAX_SOFTIRQ_TIME_NS;
	th->preempt_count += USOFTIRQ_SOFTIRQ_OFFSET; /* handle_begin */
	for (;;) {
		run_pass(th, cpu, pending);
		/* A worker finishes hardirq work between passes, as a CPU
		 * takes interrupts while it runs softirqs. */
		if (th->worker_cpu == cpu)
			usoftirq__irq_run_deferred(th, cpu);
		if (!(usoftirq__cpu_peek_pending(cpu) &
		      USOFTIRQ__PENDING_VEC_MASK))
			break;
		if (--passes_left == 0 || usoftirq__now_ns() >= deadline) {
			more = true;
			break;
		}
		pending = usoftirq__cpu_take_pending(cpu);
	}
	th->preempt_count -= USOFTIRQ_SOFTIRQ_OFFSET; /* handle_end */
	return more;
}

/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */

unsigned int usoftirq_softirq_stat(const struct usoftirq_machine *m,
				   unsigned int cpu, unsigned int nr)
{
	if (!m || cpu >= m->ncpus || nr >= USOFTIRQ_NR_SOFTIRQS)
		return 0;
	return atomic_load_explicit(&m->cpus[cpu].stat[nr],
				    memory_order_relaxed);
}

/* snprintf() into what is left of @buf, accumulating the full length. */
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < size ? buf + *len : NULL,
		      *len < size ? size - *len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* The layout of fs/proc/softirqs.c: show_softirqs(). */
int usoftirq_softirqs_format(const struct usoftirq_machine *m, char *buf,
			     size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	put(buf, size, &len, "%s", "                    ");
	for (unsigned int c = 0; c < m->ncpus; c++)
		put(buf, size, &len, "CPU%-8u", c);
	put(buf, size, &len, "\n");
	for (unsigned int nr = 0; nr < USOFTIRQ_NR_SOFTIRQS; nr++) {
		put(buf, size, &len, "%12s:", softirq_names[nr]);
		for (unsigned int c = 0; c < m->ncpus; c++)
			put(buf, size, &len, " %10u",
			    usoftirq_softirq_stat(m, c, nr));
		put(buf, size, &len, "\n");
	}
	return (int)len;
}
