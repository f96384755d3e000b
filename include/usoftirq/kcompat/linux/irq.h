/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/irq.h>: the line trigger types IRQ_TYPE_NONE,
 * IRQ_TYPE_EDGE_RISING, IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_EDGE_BOTH,
 * IRQ_TYPE_LEVEL_HIGH, IRQ_TYPE_LEVEL_LOW, IRQ_TYPE_LEVEL_MASK and
 * IRQ_TYPE_SENSE_MASK (the kernel's values), and irq_set_irq_type(), on
 * the calling thread's machine (usoftirq_irq_set_type()). It also
 * includes <linux/interrupt.h>, as the kernel's header reaches it.
 *
 * The interrupt chip and descriptor API (struct irq_chip, irq_desc,
 * irq_set_chip_and_handler() ...) is not provided: the machine has one
 * interrupt controller, usoftirq's.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_IRQ_H
#define USOFTIRQ_KCOMPAT_LINUX_IRQ_H

#include <linux/interrupt.h>

#include <usoftirq/irq.h>
#include <usoftirq/machine.h>

#define IRQ_TYPE_NONE USOFTIRQ_IRQ_TYPE_NONE
#define IRQ_TYPE_EDGE_RISING USOFTIRQ_IRQ_TYPE_EDGE_RISING
#define IRQ_TYPE_EDGE_FALLING USOFTIRQ_IRQ_TYPE_EDGE_FALLING
#define IRQ_TYPE_EDGE_BOTH USOFTIRQ_IRQ_TYPE_EDGE_BOTH
#define IRQ_TYPE_LEVEL_HIGH USOFTIRQ_IRQ_TYPE_LEVEL_HIGH
#define IRQ_TYPE_LEVEL_LOW USOFTIRQ_IRQ_TYPE_LEVEL_LOW
#define IRQ_TYPE_LEVEL_MASK (IRQ_TYPE_LEVEL_LOW | IRQ_TYPE_LEVEL_HIGH)
#define IRQ_TYPE_SENSE_MASK 0x0000000fu

/* irq_set_irq_type() - declare the line edge- or level-triggered. */
static inline int usoftirq__kc_irq_set_irq_type(unsigned int irq,
						unsigned int type)
{
	return usoftirq_irq_set_type(usoftirq_machine_current(), irq, type);
}

#define irq_set_irq_type usoftirq__kc_irq_set_irq_type

#endif /* USOFTIRQ_KCOMPAT_LINUX_IRQ_H */
