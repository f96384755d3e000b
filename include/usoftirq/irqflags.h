/* SPDX-License-Identifier: MIT */
/*
 * Local interrupt masking, lazily: disabling interrupts is a store to a
 * per-thread flag, with no system call. A hardirq that arrives while its
 * target thread has interrupts disabled is recorded and its handlers run
 * when the thread enables interrupts again (in local_irq_restore() or
 * local_irq_enable()), in hardirq context. This is the "optimistic
 * interrupt protection" of Mach and of Linux on ppc64.
 *
 * As in the kernel, a tasklet that takes a spin lock shared with a hardirq
 * handler must use spin_lock_irqsave(): the handler runs on the tasklet's
 * own worker thread, and only the mask keeps it from interrupting the
 * critical section (and deadlocking on the lock).
 */
#ifndef USOFTIRQ_IRQFLAGS_H
#define USOFTIRQ_IRQFLAGS_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/**
 * usoftirq_local_irq_save() - disable interrupts for the calling thread.
 *
 * Context: any (async-signal-safe; no system call).
 * Return: the previous state, for usoftirq_local_irq_restore().
 */
USOFTIRQ_API unsigned long usoftirq_local_irq_save(void);

/**
 * usoftirq_local_irq_restore() - restore the state saved by
 * usoftirq_local_irq_save(). If that re-enables interrupts, hardirqs that
 * arrived meanwhile are handled now, in the caller.
 * @flags: the saved state.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_local_irq_restore(unsigned long flags);

/** usoftirq_local_irq_disable() - disable interrupts (not nestable). */
USOFTIRQ_API void usoftirq_local_irq_disable(void);

/**
 * usoftirq_local_irq_enable() - enable interrupts, handling those that
 * arrived while they were disabled.
 */
USOFTIRQ_API void usoftirq_local_irq_enable(void);

/** usoftirq_irqs_disabled() - whether the calling thread masks interrupts. */
USOFTIRQ_API bool usoftirq_irqs_disabled(void);

/** usoftirq_irqs_disabled_flags() - whether @flags says "disabled". */
USOFTIRQ_API bool usoftirq_irqs_disabled_flags(unsigned long flags);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_IRQFLAGS_H */
