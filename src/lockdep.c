/* SPDX-License-Identifier: MIT */
/* Lock usage tracking and the lockdep reports; see src/lockdep.h. */
#include "lockdep.h"
#include "report.h"

#define USAGE_W(ctx) (1u << (2 * (ctx)))
#define USAGE_R(ctx) (1u << (2 * (ctx) + 1))
#define USAGE_REPORTED (1u << (2 * USOFTIRQ__NR_LOCK_CTX))

static const char *const ctx_names[USOFTIRQ__NR_LOCK_CTX] = {
	[USOFTIRQ__IN_HARDIRQ] = "IN-HARDIRQ",
	[USOFTIRQ__HARDIRQ_ON] = "HARDIRQ-ON",
	[USOFTIRQ__IN_SOFTIRQ] = "IN-SOFTIRQ",
	[USOFTIRQ__SOFTIRQ_ON] = "SOFTIRQ-ON",
};

/*
 * The contexts the calling thread is in, as usage bits. As the kernel's
 * mark_usage(), the ON usages are only recorded with interrupts enabled:
 * with them masked no interrupt, and so no softirq on the way out of one,
 * can hit the critical section (spin_lock_irqsave() in task context of a
 * lock also taken in a softirq is correct).
 */
static unsigned int usage_now(const struct usoftirq__thread *th, bool read)
{
	unsigned int pc = th->preempt_count, ctx = 0, usage = 0;
	bool irqs_on = !usoftirq__irqs_off(th);

	if (pc & USOFTIRQ_HARDIRQ_MASK)
		ctx |= 1u << USOFTIRQ__IN_HARDIRQ;
	else if (irqs_on)
		ctx |= 1u << USOFTIRQ__HARDIRQ_ON;
	if (pc & USOFTIRQ_SOFTIRQ_OFFSET)
		ctx |= 1u << USOFTIRQ__IN_SOFTIRQ;
	else if (irqs_on &&
		 !(pc & (USOFTIRQ_SOFTIRQ_MASK | USOFTIRQ_HARDIRQ_MASK)))
		ctx |= 1u << USOFTIRQ__SOFTIRQ_ON;
	for (int c = 0; c < USOFTIRQ__NR_LOCK_CTX; c++)
		if (ctx & (1u << c))
			usage |= read ? USAGE_R(c) : USAGE_W(c);
	return usage;
}

struct conflict {
	int in_ctx, on_ctx;
	bool in_read, on_read;
};

/* Does @usage hold a conflicting pair for the IN/ON contexts given? */
static bool find_pair(unsigned int usage, int in, int on, struct conflict *c)
{
	if ((usage & USAGE_W(in)) && (usage & (USAGE_W(on) | USAGE_R(on)))) {
		*c = (struct conflict){ in, on, false, !(usage & USAGE_W(on)) };
		return true;
	}
	if ((usage & USAGE_R(in)) && (usage & USAGE_W(on))) {
		*c = (struct conflict){ in, on, true, false };
		return true;
	}
	return false;
}

static void report(const struct usoftirq__lockdep *ld, const struct conflict *c,
		   unsigned int added, const void *ip)
{
	struct usoftirq__thread *th = usoftirq__self();
	/* The usage registered first is the one this acquisition did not
	 * add. */
	bool in_first = !(added & (USAGE_W(c->in_ctx) | USAGE_R(c->in_ctx)));
	int first = in_first ? c->in_ctx : c->on_ctx;
	int then = in_first ? c->on_ctx : c->in_ctx;
	bool first_read = in_first ? c->in_read : c->on_read;
	bool then_read = in_first ? c->on_read : c->in_read;
	char here[160], there[160];

	usoftirq__report(
		USOFTIRQ_REPORT_LOCK_INCONSISTENT, USOFTIRQ_REPORT_WARNING,
		th->running, 0,
		"inconsistent lock state\n"
		"inconsistent {%s-%c} -> {%s-%c} usage.\n"
		"thread %d takes %s at %s\n"
		"{%s-%c} state was registered at %s",
		ctx_names[first], first_read ? 'R' : 'W', ctx_names[then],
		then_read ? 'R' : 'W', usoftirq__thread_tid(th), ld->name,
		usoftirq__symbolize(ip, here, sizeof(here), USOFTIRQ__SYM_FULL),
		ctx_names[first], first_read ? 'R' : 'W',
		usoftirq__symbolize(ld->usage_ip[first], there, sizeof(there),
				    USOFTIRQ__SYM_FULL));
}

void usoftirq__lockdep_acquire(const struct usoftirq__lockdep *ld, bool read,
			       const void *ip)
{
	unsigned int now = usage_now(usoftirq__self(), read);
	unsigned int old = __atomic_load_n(ld->usage, __ATOMIC_RELAXED);
	struct conflict c;

	if ((old & now) == now)
		return;
	for (int ctx = 0; ctx < USOFTIRQ__NR_LOCK_CTX; ctx++)
		if ((now & ~old) & (USAGE_W(ctx) | USAGE_R(ctx)) &&
		    !__atomic_load_n(&ld->usage_ip[ctx], __ATOMIC_RELAXED))
			__atomic_store_n(&ld->usage_ip[ctx], ip,
					 __ATOMIC_RELAXED);
	old = __atomic_fetch_or(ld->usage, now, __ATOMIC_RELAXED);
	if (old & USAGE_REPORTED)
		return;
	if (!find_pair(old | now, USOFTIRQ__IN_HARDIRQ, USOFTIRQ__HARDIRQ_ON,
		       &c) &&
	    !find_pair(old | now, USOFTIRQ__IN_SOFTIRQ, USOFTIRQ__SOFTIRQ_ON,
		       &c))
		return;
	if (!(__atomic_fetch_or(ld->usage, USAGE_REPORTED, __ATOMIC_RELAXED) &
	      USAGE_REPORTED))
		report(ld, &c, now & ~old, ip);
}

void usoftirq__lockdep_die_recursive(const struct usoftirq__lockdep *ld,
				     const void *ip, const void *held_ip)
{
	struct usoftirq__thread *th = usoftirq__self();
	char here[160], held[160];

	usoftirq__report(USOFTIRQ_REPORT_LOCK_RECURSION, USOFTIRQ_REPORT_BUG,
			 th->running, 0,
			 "possible recursive locking detected\n"
			 "thread %d is trying to acquire lock:\n"
			 "(%s), at: %s\n"
			 "but task is already holding lock:\n"
			 "(%s), at: %s\n"
			 " *** DEADLOCK ***%s",
			 usoftirq__thread_tid(th), ld->name,
			 usoftirq__symbolize(ip, here, sizeof(here),
					     USOFTIRQ__SYM_FULL),
			 ld->name,
			 usoftirq__symbolize(held_ip, held, sizeof(held),
					     USOFTIRQ__SYM_FULL),
			 (th->preempt_count & USOFTIRQ_HARDIRQ_MASK) ?
				 "\nby the code this IRQ handler interrupted: "
				 "that code must mask interrupts (the _irqsave "
				 "forms)" :
				 "");
	usoftirq__fatal(__FILE__, __LINE__,
			"deadlock on lock %s (see the report above)", ld->name);
}
