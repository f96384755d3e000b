/* SPDX-License-Identifier: MIT */
/*
 * Lazy local interrupt masking: a per-thread flag instead of a signal
 * mask, so that local_irq_save()/restore() and spin_lock_irqsave() make no
 * system call (pthread_sigmask costs about 1 us each on the reference
 * machine). A hardirq signal that arrives while the flag is set only
 * records the fact (src/irq_deliver.c); re-enabling interrupts then runs
 * the handlers, here, in hardirq context.
 *
 * Order: the flag is cleared, then (after a signal fence) irq_replay is
 * read. A signal arriving before the clear sets irq_replay, which we see;
 * one arriving after it finds interrupts enabled and runs the handlers
 * itself.
 */
#include <usoftirq/irqflags.h>

#include "irq.h"

unsigned long usoftirq_local_irq_save(void)
{
	struct usoftirq__thread *th = usoftirq__self();
	bool was_off = usoftirq__irqs_off(th);

	usoftirq__set_irqs_off(th, true);
	return was_off;
}

void usoftirq_local_irq_disable(void)
{
	usoftirq__set_irqs_off(usoftirq__self(), true);
}

void usoftirq_local_irq_enable(void)
{
	struct usoftirq__thread *th = usoftirq__self();

	usoftirq__set_irqs_off(th, false);
	/* Inside a hardirq handler this is a bug the dispatcher reports
	 * when the handler returns; nothing is replayed there. */
	if (!th->hardirq_cpu && usoftirq__unlikely(__atomic_load_n(
					&th->irq_replay, __ATOMIC_RELAXED)))
		usoftirq__irq_replay(th);
}

void usoftirq_local_irq_restore(unsigned long flags)
{
	if (flags)
		usoftirq_local_irq_disable();
	else
		usoftirq_local_irq_enable();
}

bool usoftirq_irqs_disabled(void)
{
	return usoftirq__irqs_off(usoftirq__self());
}

bool usoftirq_irqs_disabled_flags(unsigned long flags)
{
	return flags != 0;
}
