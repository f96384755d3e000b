/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/irqflags.h>: local_irq_save(flags),
 * local_irq_restore(flags), local_save_flags(flags), local_irq_disable(),
 * local_irq_enable(), irqs_disabled(), irqs_disabled_flags(flags), and
 * their raw_ forms.
 *
 * Interrupts are masked per thread and lazily (<usoftirq/irqflags.h>): a
 * hardirq aimed at a vCPU whose worker has interrupts disabled is
 * recorded, and its handlers run when the mask is lifted, in
 * local_irq_restore() or local_irq_enable(). As in the kernel,
 * local_irq_save() and local_save_flags() are macros that assign to their
 * argument, which must be an unsigned long (typecheck() warns otherwise).
 *
 * Differences from the kernel: irqs_disabled() and irqs_disabled_flags()
 * return bool; local_save_flags() reads the state with a save and a
 * restore of it (the flags word is the library's, opaque).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_IRQFLAGS_H
#define USOFTIRQ_KCOMPAT_LINUX_IRQFLAGS_H

#include <linux/kernel.h>

#include <usoftirq/irqflags.h>

#define local_irq_save(flags)                          \
	do {                                           \
		(void)typecheck(unsigned long, flags); \
		(flags) = usoftirq_local_irq_save();   \
	} while (0)
#define local_irq_restore(flags)                       \
	do {                                           \
		(void)typecheck(unsigned long, flags); \
		usoftirq_local_irq_restore(flags);     \
	} while (0)
#define local_save_flags(flags)                        \
	do {                                           \
		(void)typecheck(unsigned long, flags); \
		(flags) = usoftirq_local_irq_save();   \
		usoftirq_local_irq_restore(flags);     \
	} while (0)
#define local_irq_disable() usoftirq_local_irq_disable()
#define local_irq_enable() usoftirq_local_irq_enable()
#define irqs_disabled() usoftirq_irqs_disabled()
#define irqs_disabled_flags(flags)                     \
	({                                             \
		(void)typecheck(unsigned long, flags); \
		usoftirq_irqs_disabled_flags(flags);   \
	})

#define raw_local_irq_save(flags) local_irq_save(flags)
#define raw_local_irq_restore(flags) local_irq_restore(flags)
#define raw_local_save_flags(flags) local_save_flags(flags)
#define raw_local_irq_disable() local_irq_disable()
#define raw_local_irq_enable() local_irq_enable()
#define raw_irqs_disabled() irqs_disabled()
#define raw_irqs_disabled_flags(flags) irqs_disabled_flags(flags)

#endif /* USOFTIRQ_KCOMPAT_LINUX_IRQFLAGS_H */
