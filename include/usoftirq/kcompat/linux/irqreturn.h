/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/irqreturn.h>: irqreturn_t (enum irqreturn) and its
 * values IRQ_NONE (0), IRQ_HANDLED (1) and IRQ_WAKE_THREAD (2), and
 * IRQ_RETVAL().
 *
 * irqreturn_t is the library's usoftirq_irqreturn_t (<usoftirq/irq.h>),
 * so a handler written in the kernel spelling can be given to the
 * prefixed usoftirq_request_irq() and the other way round.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_IRQRETURN_H
#define USOFTIRQ_KCOMPAT_LINUX_IRQRETURN_H

#include <usoftirq/irq.h>

#define irqreturn usoftirq_irqreturn
typedef usoftirq_irqreturn_t irqreturn_t;

#define IRQ_NONE USOFTIRQ_IRQ_NONE
#define IRQ_HANDLED USOFTIRQ_IRQ_HANDLED
#define IRQ_WAKE_THREAD USOFTIRQ_IRQ_WAKE_THREAD

/* IRQ_RETVAL() - IRQ_HANDLED if x is non-zero, else IRQ_NONE. */
#define IRQ_RETVAL(x) ((x) ? IRQ_HANDLED : IRQ_NONE)

#endif /* USOFTIRQ_KCOMPAT_LINUX_IRQRETURN_H */
