/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controller: line descriptors, raising a line (edge or
 * level), disable/enable depth, the oneshot mask, affinity, waiting for a
 * line's handlers, and the line's books and /proc/interrupts row.
 *
 * The state word and its transitions are documented in src/irq.h. Every
 * operation here that a hardirq handler or a signal handler may call is a
 * handful of atomic operations and at most one tgkill(): async-signal-safe.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "futex.h"
#include "irq.h"
#include "lock.h"
#include "machine.h"
#include "report.h"

/* Default target vCPU of every line (the kernel's default affinity
 * delivers to the first online CPU unless irqbalance moves it). */
#define IRQ_DEFAULT_CPU 0

static uint32_t depth_of(uint32_t state)
{
	return (state & USOFTIRQ__IRQ_DEPTH_MASK) >> USOFTIRQ__IRQ_DEPTH_SHIFT;
}

bool usoftirq__irq_deliverable(uint32_t state)
{
	return !(state & (USOFTIRQ__IRQ_DEPTH_MASK | USOFTIRQ__IRQ_MASKED |
			  USOFTIRQ__IRQ_SHUTDOWN)) &&
	       (state & (USOFTIRQ__IRQ_PENDING | USOFTIRQ__IRQ_LEVEL));
}

/* Post only what nobody is handling: an INPROGRESS holder re-checks. */
static void post_if_deliverable(struct usoftirq__irq_desc *desc, uint32_t state)
{
	if (usoftirq__irq_deliverable(state) &&
	    !(state & USOFTIRQ__IRQ_INPROGRESS))
		usoftirq__irq_post(desc);
}

int usoftirq__irq_init_machine(struct usoftirq_machine *m, unsigned int nr_irqs)
{
	m->nr_irqs = nr_irqs;
	m->irq_descs = calloc(nr_irqs + 1, sizeof(*m->irq_descs));
	if (!m->irq_descs)
		return -ENOMEM;
	for (unsigned int irq = 1; irq <= nr_irqs; irq++) {
		struct usoftirq__irq_desc *desc = &m->irq_descs[irq];

		/* No action yet: shut down, depth 1, as the kernel's
		 * unrequested descriptors. */
		atomic_init(&desc->state,
			    USOFTIRQ__IRQ_SHUTDOWN | USOFTIRQ__IRQ_DEPTH_ONE);
		desc->irq = irq;
		desc->machine = m;
		atomic_init(&desc->target_cpu, IRQ_DEFAULT_CPU);
		atomic_init(&desc->type, USOFTIRQ_IRQ_TYPE_NONE);
		desc->kstat = calloc(m->ncpus, sizeof(*desc->kstat));
		if (!desc->kstat)
			return -ENOMEM;
	}
	return 0;
}

void usoftirq__irq_free_machine(struct usoftirq_machine *m)
{
	if (!m->irq_descs)
		return;
	for (unsigned int irq = 1; irq <= m->nr_irqs; irq++)
		free(m->irq_descs[irq].kstat);
	free(m->irq_descs);
	m->irq_descs = NULL;
}

struct usoftirq__irq_desc *usoftirq__irq_desc(struct usoftirq_machine *m,
					      unsigned int irq)
{
	if (!m || irq == 0 || irq > m->nr_irqs)
		return NULL;
	return &m->irq_descs[irq];
}

unsigned int usoftirq_machine_nr_irqs(const struct usoftirq_machine *m)
{
	return m->nr_irqs;
}

/* ------------------------------------------------------------------ */
/* Raising                                                             */
/* ------------------------------------------------------------------ */

void usoftirq__irq_post(struct usoftirq__irq_desc *desc)
{
	struct usoftirq_machine *m = desc->machine;
	struct usoftirq__cpu *cpu = &m->cpus[atomic_load_explicit(
		&desc->target_cpu, memory_order_relaxed)];

	/* seq_cst: the vCPU's drain takes the word with an exchange, then
	 * clears irq_kick and looks again; see usoftirq__irq_kick(). */
	atomic_fetch_or_explicit(&cpu->irq_posted[desc->irq / 64],
				 1ull << (desc->irq % 64),
				 memory_order_seq_cst);
	usoftirq__irq_kick(cpu);
}

int usoftirq_irq_pulse(struct usoftirq_machine *m, unsigned int irq)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);
	uint32_t old;

	if (!desc)
		return -EINVAL;
	atomic_fetch_add_explicit(&desc->pulses, 1, memory_order_relaxed);
	old = atomic_fetch_or_explicit(&desc->state, USOFTIRQ__IRQ_PENDING,
				       memory_order_seq_cst);
	if (old & USOFTIRQ__IRQ_PENDING) {
		atomic_fetch_add_explicit(&desc->coalesced, 1,
					  memory_order_relaxed);
		return 0;
	}
	post_if_deliverable(desc, old | USOFTIRQ__IRQ_PENDING);
	return 0;
}

int usoftirq_irq_set_level(struct usoftirq_machine *m, unsigned int irq,
			   bool asserted)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);
	uint32_t old;

	if (!desc)
		return -EINVAL;
	if (!asserted) {
		atomic_fetch_and_explicit(&desc->state, ~USOFTIRQ__IRQ_LEVEL,
					  memory_order_seq_cst);
		atomic_fetch_add_explicit(&desc->level_drops, 1,
					  memory_order_relaxed);
		return 0;
	}
	old = atomic_fetch_or_explicit(&desc->state, USOFTIRQ__IRQ_LEVEL,
				       memory_order_seq_cst);
	if (!(old & USOFTIRQ__IRQ_LEVEL))
		post_if_deliverable(desc, old | USOFTIRQ__IRQ_LEVEL);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Depth, mask, startup and shutdown                                   */
/* ------------------------------------------------------------------ */

void usoftirq__irq_disable_depth(struct usoftirq__irq_desc *desc)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_relaxed);

	do {
		if (depth_of(s) == 0xffff)
			usoftirq__fatal(__FILE__, __LINE__,
					"disable_irq(%u): depth overflow",
					desc->irq);
	} while (!atomic_compare_exchange_weak_explicit(
		&desc->state, &s, s + USOFTIRQ__IRQ_DEPTH_ONE,
		memory_order_seq_cst, memory_order_relaxed));
}

void usoftirq_disable_irq_nosync(struct usoftirq_machine *m, unsigned int irq)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (desc)
		usoftirq__irq_disable_depth(desc);
}

static bool has_action(struct usoftirq__irq_desc *desc)
{
	return atomic_load_explicit(&desc->action, memory_order_acquire);
}

void usoftirq_enable_irq(struct usoftirq_machine *m, unsigned int irq)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);
	uint32_t s;

	if (!desc)
		return;
	/* The kernel returns right after this WARN: nothing changes. */
	if (!has_action(desc)) {
		usoftirq__report(USOFTIRQ_REPORT_IRQ_ENABLE_BEFORE_SETUP,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "enable_irq before setup/request_irq: irq %u",
				 irq);
		return;
	}
	s = atomic_load_explicit(&desc->state, memory_order_relaxed);
	do {
		if (depth_of(s) == 0) {
			usoftirq__report(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE,
					 USOFTIRQ_REPORT_WARNING, NULL, 0,
					 "Unbalanced enable for IRQ %u", irq);
			return;
		}
	} while (!atomic_compare_exchange_weak_explicit(
		&desc->state, &s, s - USOFTIRQ__IRQ_DEPTH_ONE,
		memory_order_seq_cst, memory_order_relaxed));
	/* The last enable restarts the line and replays what waited. */
	post_if_deliverable(desc, s - USOFTIRQ__IRQ_DEPTH_ONE);
}

/* A ONESHOT thread was requested: one more hold on the mask. */
void usoftirq__irq_hold(struct usoftirq__irq_desc *desc)
{
	uint32_t old = atomic_fetch_add_explicit(
		&desc->state, USOFTIRQ__IRQ_HOLD_ONE, memory_order_seq_cst);

	if ((old & USOFTIRQ__IRQ_HOLD_MASK) == USOFTIRQ__IRQ_HOLD_MASK)
		usoftirq__fatal(__FILE__, __LINE__,
				"irq %u: too many IRQF_ONESHOT holds",
				desc->irq);
}

/* Undo a hold that turned out to be already held (never the last one:
 * the holder it duplicates still counts). */
void usoftirq__irq_unhold_undo(struct usoftirq__irq_desc *desc)
{
	atomic_fetch_sub_explicit(&desc->state, USOFTIRQ__IRQ_HOLD_ONE,
				  memory_order_seq_cst);
}

/*
 * A ONESHOT thread finished: drop its hold, and if it was the last and no
 * handler run is in progress (whose release then unmasks), lift the mask
 * in the same CAS, and post the line if that made it deliverable.
 */
void usoftirq__irq_unhold(struct usoftirq__irq_desc *desc)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_relaxed);
	uint32_t n;

	do {
		n = s - USOFTIRQ__IRQ_HOLD_ONE;
		if (!(n & (USOFTIRQ__IRQ_HOLD_MASK | USOFTIRQ__IRQ_INPROGRESS)))
			n &= ~USOFTIRQ__IRQ_MASKED;
	} while (!atomic_compare_exchange_weak_explicit(&desc->state, &s, n,
							memory_order_seq_cst,
							memory_order_relaxed));
	if ((s & USOFTIRQ__IRQ_MASKED) && !(n & USOFTIRQ__IRQ_MASKED))
		post_if_deliverable(desc, n);
}

/* First action installed: start the line with @depth (0, or 1 for
 * IRQF_NO_AUTOEN). Called with the request lock held. */
void usoftirq__irq_startup(struct usoftirq__irq_desc *desc, unsigned int depth)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_relaxed);
	uint32_t n;

	do {
		n = (s & ~(USOFTIRQ__IRQ_SHUTDOWN | USOFTIRQ__IRQ_MASKED |
			   USOFTIRQ__IRQ_DEPTH_MASK)) |
		    (depth << USOFTIRQ__IRQ_DEPTH_SHIFT);
	} while (!atomic_compare_exchange_weak_explicit(&desc->state, &s, n,
							memory_order_seq_cst,
							memory_order_relaxed));
	post_if_deliverable(desc, n);
}

/* Last action removed: shut the line down (depth 1, as the kernel's
 * irq_shutdown()); an edge still pending is dropped, and counted so. */
void usoftirq__irq_shutdown(struct usoftirq__irq_desc *desc)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_relaxed);
	uint32_t n;

	do {
		n = (s & ~(USOFTIRQ__IRQ_PENDING | USOFTIRQ__IRQ_MASKED |
			   USOFTIRQ__IRQ_DEPTH_MASK)) |
		    USOFTIRQ__IRQ_SHUTDOWN | USOFTIRQ__IRQ_DEPTH_ONE;
	} while (!atomic_compare_exchange_weak_explicit(&desc->state, &s, n,
							memory_order_seq_cst,
							memory_order_relaxed));
	if (s & USOFTIRQ__IRQ_PENDING)
		atomic_fetch_add_explicit(&desc->dropped, 1,
					  memory_order_relaxed);
}

/* ------------------------------------------------------------------ */
/* Waiting for handlers                                                */
/* ------------------------------------------------------------------ */

/*
 * synchronize_hardirq(): wait until a handler run in progress now has
 * finished. runs_done advances at the end of every run; the handler side
 * (usoftirq__irq_handle_line()) bumps it after clearing INPROGRESS and
 * then wakes if sync_waiters is set: a seq_cst Dekker pair with the
 * registration below.
 */
void usoftirq__irq_wait_handlers(struct usoftirq__irq_desc *desc)
{
	uint32_t seq;

	if (!(atomic_load_explicit(&desc->state, memory_order_seq_cst) &
	      USOFTIRQ__IRQ_INPROGRESS))
		return;
	atomic_fetch_add_explicit(&desc->sync_waiters, 1, memory_order_seq_cst);
	seq = atomic_load_explicit(&desc->runs_done, memory_order_seq_cst);
	while ((atomic_load_explicit(&desc->state, memory_order_seq_cst) &
		USOFTIRQ__IRQ_INPROGRESS) &&
	       atomic_load_explicit(&desc->runs_done, memory_order_seq_cst) ==
		       seq)
		usoftirq__futex_wait(&desc->runs_done, seq);
	atomic_fetch_sub_explicit(&desc->sync_waiters, 1, memory_order_seq_cst);
}

/* Wait until no threaded handler of the line is requested or running. */
void usoftirq__irq_wait_threads(struct usoftirq__irq_desc *desc)
{
	uint32_t active;

	atomic_fetch_add_explicit(&desc->threads_waiters, 1,
				  memory_order_seq_cst);
	while ((active = atomic_load_explicit(&desc->threads_active,
					      memory_order_seq_cst)) != 0)
		usoftirq__futex_wait(&desc->threads_active, active);
	atomic_fetch_sub_explicit(&desc->threads_waiters, 1,
				  memory_order_seq_cst);
}

static bool waits_for_itself(struct usoftirq__irq_desc *desc, const char *call)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (th->irq_desc != desc &&
	    !(th->irq_thread && th->irq_thread->desc == desc))
		return false;
	usoftirq__report(USOFTIRQ_REPORT_IRQ_SELF_WAIT, USOFTIRQ_REPORT_WARNING,
			 NULL, 0,
			 "%s(%u) called from a handler of IRQ %u would wait "
			 "for that handler to finish, which never happens; "
			 "returning without waiting",
			 call, desc->irq, desc->irq);
	return true;
}

void usoftirq_synchronize_irq(struct usoftirq_machine *m, unsigned int irq)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc || waits_for_itself(desc, "synchronize_irq"))
		return;
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	usoftirq__irq_wait_handlers(desc);
	usoftirq__irq_wait_threads(desc);
}

void usoftirq_disable_irq(struct usoftirq_machine *m, unsigned int irq)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc)
		return;
	usoftirq__irq_disable_depth(desc);
	if (waits_for_itself(desc, "disable_irq"))
		return;
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	usoftirq__irq_wait_handlers(desc);
	usoftirq__irq_wait_threads(desc);
}

/* ------------------------------------------------------------------ */
/* Affinity and type                                                   */
/* ------------------------------------------------------------------ */

int usoftirq_irq_set_affinity(struct usoftirq_machine *m, unsigned int irq,
			      unsigned int cpu)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc || cpu >= m->ncpus)
		return -EINVAL;
	atomic_store_explicit(&desc->target_cpu, cpu, memory_order_relaxed);
	return 0;
}

int usoftirq_irq_get_affinity(struct usoftirq_machine *m, unsigned int irq)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc)
		return -EINVAL;
	return (int)atomic_load_explicit(&desc->target_cpu,
					 memory_order_relaxed);
}

int usoftirq_irq_set_type(struct usoftirq_machine *m, unsigned int irq,
			  unsigned int type)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc || (type & ~0xfu))
		return -EINVAL;
	atomic_store_explicit(&desc->type, type, memory_order_relaxed);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Books and /proc/interrupts                                          */
/* ------------------------------------------------------------------ */

int usoftirq_irq_get_stats(struct usoftirq_machine *m, unsigned int irq,
			   struct usoftirq_irq_stats *st)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc || !st)
		return -EINVAL;
	/* Read the pending state first: a later pulse can only increase
	 * pulses and coalesced, which are read after it. */
	st->pending =
		!!(atomic_load_explicit(&desc->state, memory_order_seq_cst) &
		   USOFTIRQ__IRQ_PENDING);
	st->consumed = atomic_load(&desc->consumed);
	st->dropped = atomic_load(&desc->dropped);
	st->coalesced = atomic_load(&desc->coalesced);
	st->pulses = atomic_load(&desc->pulses);
	st->runs = atomic_load(&desc->runs);
	st->unhandled = atomic_load(&desc->unhandled);
	return 0;
}

unsigned int usoftirq_irq_stat(struct usoftirq_machine *m, unsigned int irq,
			       unsigned int cpu)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);

	if (!desc || cpu >= m->ncpus)
		return 0;
	return atomic_load_explicit(&desc->kstat[cpu], memory_order_relaxed);
}

struct table {
	char *buf;
	size_t size, len;
};

static void put(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct table *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->len < t->size ? t->buf + t->len : NULL,
		      t->len < t->size ? t->size - t->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static bool line_shown(struct usoftirq_machine *m,
		       struct usoftirq__irq_desc *desc)
{
	if (has_action(desc))
		return true;
	for (unsigned int c = 0; c < m->ncpus; c++)
		if (atomic_load(&desc->kstat[c]))
			return true;
	return false;
}

/* Action names, under the request lock so the list cannot change. */
static void put_actions(struct table *t, struct usoftirq__irq_desc *desc)
{
	const char *sep = "  ";

	for (struct usoftirq__irq_action *a =
		     atomic_load_explicit(&desc->action, memory_order_acquire);
	     a; a = atomic_load_explicit(&a->next, memory_order_acquire)) {
		put(t, "%s%s", sep, a->name ? a->name : "");
		sep = ", ";
	}
}

static void put_line(struct table *t, struct usoftirq_machine *m,
		     struct usoftirq__irq_desc *desc, int prec)
{
	unsigned int type = atomic_load(&desc->type);

	put(t, "%*u: ", prec, desc->irq);
	for (unsigned int c = 0; c < m->ncpus; c++)
		put(t, "%10u ", atomic_load(&desc->kstat[c]));
	/* Chip name, then the hardware line number in the chip's domain,
	 * then the flow handler's name, as show_interrupts() prints them. */
	put(t, " %8s", "usoftirq");
	put(t, " %*u", prec, desc->irq);
	put(t, "-%-8s",
	    type & (USOFTIRQ_IRQ_TYPE_LEVEL_HIGH |
		    USOFTIRQ_IRQ_TYPE_LEVEL_LOW) ?
		    "level" :
		    "edge");
	usoftirq__lock(&desc->request_lock);
	put_actions(t, desc);
	usoftirq__unlock(&desc->request_lock);
	put(t, "\n");
}

int usoftirq_interrupts_format(struct usoftirq_machine *m, char *buf,
			       size_t size)
{
	struct table t = { buf, size, 0 };
	int prec = 3;

	for (unsigned int j = 1000; prec < 10 && j <= m->nr_irqs; j *= 10)
		prec++;
	if (size)
		buf[0] = '\0';
	put(&t, "%*s", prec + 8, "");
	for (unsigned int c = 0; c < m->ncpus; c++)
		put(&t, "CPU%-8u", c);
	put(&t, "\n");
	for (unsigned int irq = 1; irq <= m->nr_irqs; irq++)
		if (line_shown(m, &m->irq_descs[irq]))
			put_line(&t, m, &m->irq_descs[irq], prec);
	return (int)t.len;
}
