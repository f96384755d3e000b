/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/hardirq.h>: the context predicates and counts of
 * <linux/preempt.h>, which older drivers include this header for.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_HARDIRQ_H
#define USOFTIRQ_KCOMPAT_LINUX_HARDIRQ_H

#include <linux/preempt.h>

/*
 * Hardirq entry and exit (irq_enter(), irq_exit(), synchronize_irq() ...):
 * added by the hardirq module, which delivers interrupts to the vCPUs.
 */

#endif /* USOFTIRQ_KCOMPAT_LINUX_HARDIRQ_H */
