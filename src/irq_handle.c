/* SPDX-License-Identifier: MIT */
/*
 * Running one line's handlers: the kernel's flow handlers
 * (kernel/irq/chip.c: handle_edge_irq, handle_level_irq) and
 * kernel/irq/handle.c (__handle_irq_event_percpu) in one loop, plus the
 * spurious-interrupt accounting of kernel/irq/spurious.c (note_interrupt).
 *
 * Called in hardirq context on the line's target vCPU. A run claims the
 * line with one CAS that clears PENDING and sets INPROGRESS (so a line's
 * handlers never run concurrently with themselves and every edge is
 * consumed by exactly one run), masks the line first if it has an
 * IRQF_ONESHOT action, calls every action's handler under liburcu's read
 * lock, wakes threads, then releases the line and runs it again while it
 * is still deliverable: a new edge arrived meanwhile, or the level is still
 * asserted.
 */
#include <limits.h>
#include <urcu/urcu-memb.h>

#include "futex.h"
#include "irq.h"
#include "machine.h"
#include "report.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
/*
 * ThreadSanitizer does not know liburcu's grace periods. Readers release
 * each action they used, and free_irq() acquires it after the grace
 * period, which is exactly the order RCU guarantees.
 */
#define rcu_reader_done(p) __tsan_release(p)
#else
#define rcu_reader_done(p) ((void)(p))
#endif

/* note_interrupt(): the kernel's thresholds. */
#define SPURIOUS_WINDOW 100000
#define SPURIOUS_LIMIT 99900

/*
 * A level line still asserted after this many consecutive runs, with no
 * deassert in between, is stuck: its handlers return without clearing the
 * cause. The kernel would loop in hardirq context forever; usoftirq
 * reports and disables the line, as note_interrupt() does for a line
 * nobody handles. 100000 runs is seconds of handler time, far beyond any
 * device keeping its line up legitimately without ever dropping it.
 */
#define LEVEL_STUCK_RUNS 100000

static void warn_no_thread(struct usoftirq__irq_action *a)
{
	if (atomic_exchange(&a->warned_no_thread, true))
		return;
	usoftirq__report(USOFTIRQ_REPORT_IRQ_WAKE_THREAD_NO_THREAD,
			 USOFTIRQ_REPORT_WARNING, NULL, 0,
			 "IRQ %u device %s returned IRQ_WAKE_THREAD but no "
			 "thread function available.",
			 a->desc->irq, a->name ? a->name : "");
}

static void check_irqs_still_off(struct usoftirq__thread *th,
				 struct usoftirq__irq_action *a)
{
	char sym[160];

	if (usoftirq__irqs_off(th))
		return;
	usoftirq__report(USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS,
			 USOFTIRQ_REPORT_WARNING, NULL, USOFTIRQ__REPORT_ONCE,
			 "irq %u handler %s enabled interrupts", a->desc->irq,
			 usoftirq__symbolize((const void *)a->handler, sym,
					     sizeof(sym), USOFTIRQ__SYM_FULL));
	usoftirq__set_irqs_off(th, true);
}

/* __handle_irq_event_percpu(): every action's primary handler. */
static usoftirq_irqreturn_t run_actions(struct usoftirq__thread *th,
					struct usoftirq__irq_desc *desc)
{
	unsigned int ret = USOFTIRQ_IRQ_NONE;

	struct usoftirq__irq_action *a, *next;

	urcu_memb_read_lock();
	for (a = atomic_load_explicit(&desc->action, memory_order_acquire); a;
	     a = next) {
		usoftirq_irqreturn_t r = a->handler((int)desc->irq, a->dev_id);

		check_irqs_still_off(th, a);
		if (r & USOFTIRQ_IRQ_WAKE_THREAD) {
			if (a->thread_fn)
				usoftirq__irq_wake_thread(a);
			else
				warn_no_thread(a);
		}
		ret |= r;
		/* Read the link before the release below: after it, a
		 * free_irq() that acquired it may free @a (for TSan; RCU
		 * itself keeps @a alive until the read-side unlock). */
		next = atomic_load_explicit(&a->next, memory_order_acquire);
		rcu_reader_done(a);
	}
	urcu_memb_read_unlock();
	return (usoftirq_irqreturn_t)ret;
}

static void report_bogus(struct usoftirq__irq_desc *desc, unsigned int ret)
{
	if (atomic_exchange(&desc->warned_bogus, true))
		return;
	usoftirq__report(USOFTIRQ_REPORT_IRQ_BOGUS_RETURN, USOFTIRQ_REPORT_ERR,
			 NULL, 0, "irq event %u: bogus return value %x",
			 desc->irq, ret);
}

static void disable_spurious(struct usoftirq__irq_desc *desc)
{
	usoftirq__report(
		USOFTIRQ_REPORT_IRQ_NOBODY_CARED, USOFTIRQ_REPORT_ERR, NULL, 0,
		"irq %u: nobody cared (try booting with the \"irqpoll\" "
		"option)\nDisabling IRQ #%u",
		desc->irq, desc->irq);
	usoftirq__irq_disable_depth(desc);
}

/* note_interrupt(), for the run just finished (INPROGRESS still held). */
static void note_interrupt(struct usoftirq__irq_desc *desc, unsigned int ret)
{
	if (ret > (USOFTIRQ_IRQ_HANDLED | USOFTIRQ_IRQ_WAKE_THREAD))
		report_bogus(desc, ret);
	if (ret == USOFTIRQ_IRQ_NONE) {
		atomic_fetch_add_explicit(&desc->unhandled, 1,
					  memory_order_relaxed);
		desc->spurious_unhandled++;
	}
	if (++desc->spurious_count < SPURIOUS_WINDOW)
		return;
	if (desc->spurious_unhandled > SPURIOUS_LIMIT)
		disable_spurious(desc);
	desc->spurious_count = 0;
	desc->spurious_unhandled = 0;
}

/* A level still up, never dropped since the run started: count it. */
static void note_level(struct usoftirq__irq_desc *desc, unsigned int drops)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_seq_cst);

	if (!(s & USOFTIRQ__IRQ_LEVEL) || (s & USOFTIRQ__IRQ_PENDING) ||
	    atomic_load_explicit(&desc->level_drops, memory_order_relaxed) !=
		    drops) {
		desc->level_repeats = 0;
		return;
	}
	if (++desc->level_repeats < LEVEL_STUCK_RUNS)
		return;
	desc->level_repeats = 0;
	usoftirq__report(
		USOFTIRQ_REPORT_IRQ_LEVEL_STUCK, USOFTIRQ_REPORT_ERR, NULL, 0,
		"irq %u: level-triggered line still asserted after %u "
		"consecutive handler runs: its handlers return without "
		"clearing the cause; disabling the line",
		desc->irq, LEVEL_STUCK_RUNS);
	usoftirq__irq_disable_depth(desc);
}

static void account(struct usoftirq__irq_desc *desc, struct usoftirq__cpu *cpu,
		    unsigned int ret)
{
	_Atomic unsigned int *count = &desc->kstat[cpu->index];

	/* Only the INPROGRESS holder writes; /proc/interrupts reads. */
	atomic_store_explicit(
		count, atomic_load_explicit(count, memory_order_relaxed) + 1,
		memory_order_relaxed);
	atomic_fetch_add_explicit(&desc->runs, 1, memory_order_relaxed);
	note_interrupt(desc, ret);
}

static bool has_oneshot(struct usoftirq__irq_desc *desc)
{
	return atomic_load_explicit(&desc->oneshot, memory_order_relaxed);
}

/* Claim the line for one run, consuming a pending edge. */
static bool claim(struct usoftirq__irq_desc *desc, uint32_t *state)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_acquire);
	uint32_t n;

	do {
		if (!usoftirq__irq_deliverable(s) ||
		    (s & USOFTIRQ__IRQ_INPROGRESS))
			return false;
		n = (s & ~USOFTIRQ__IRQ_PENDING) | USOFTIRQ__IRQ_INPROGRESS;
		if (has_oneshot(desc))
			n |= USOFTIRQ__IRQ_MASKED;
	} while (!atomic_compare_exchange_weak_explicit(&desc->state, &s, n,
							memory_order_seq_cst,
							memory_order_acquire));
	if (s & USOFTIRQ__IRQ_PENDING)
		atomic_fetch_add_explicit(&desc->consumed, 1,
					  memory_order_relaxed);
	*state = n;
	return true;
}

/*
 * Release the line after a run and return its state. The oneshot mask is
 * lifted in the same CAS if no ONESHOT thread holds it; the thread that
 * finishes last lifts it otherwise (usoftirq__irq_unhold()). The state
 * returned has any edge that arrived while the line was masked (its
 * raiser did not post a masked line), so the caller's loop runs it.
 */
static uint32_t release(struct usoftirq__irq_desc *desc)
{
	uint32_t s = atomic_load_explicit(&desc->state, memory_order_relaxed);
	uint32_t n;

	do {
		n = s & ~USOFTIRQ__IRQ_INPROGRESS;
		if (!(n & USOFTIRQ__IRQ_HOLD_MASK))
			n &= ~USOFTIRQ__IRQ_MASKED;
	} while (!atomic_compare_exchange_weak_explicit(&desc->state, &s, n,
							memory_order_seq_cst,
							memory_order_relaxed));
	/* synchronize_irq() waiters: see usoftirq__irq_wait_handlers(). */
	atomic_fetch_add_explicit(&desc->runs_done, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&desc->sync_waiters, memory_order_seq_cst))
		usoftirq__futex_wake(&desc->runs_done, INT_MAX);
	return n;
}

/*
 * Run @desc's handlers on @cpu as long as the line stays deliverable, at
 * most @budget times. Returns the number of runs.
 */
unsigned int usoftirq__irq_handle_line(struct usoftirq__thread *th,
				       struct usoftirq__cpu *cpu,
				       struct usoftirq__irq_desc *desc,
				       unsigned int budget)
{
	struct usoftirq__irq_desc *outer = th->irq_desc;
	unsigned int runs = 0, drops, ret;
	uint32_t s;

	while (runs < budget && claim(desc, &s)) {
		drops = atomic_load_explicit(&desc->level_drops,
					     memory_order_relaxed);
		th->irq_desc = desc;
		ret = run_actions(th, desc);
		th->irq_desc = outer;
		account(desc, cpu, ret);
		note_level(desc, drops);
		runs++;
		s = release(desc);
		if (!usoftirq__irq_deliverable(s))
			break;
	}
	/* Still deliverable and not claimed by anybody: post it again, so
	 * the budget's owner (or the next entry) comes back to it. */
	s = atomic_load_explicit(&desc->state, memory_order_seq_cst);
	if (runs == budget && usoftirq__irq_deliverable(s) &&
	    !(s & USOFTIRQ__IRQ_INPROGRESS))
		usoftirq__irq_post(desc);
	return runs;
}
