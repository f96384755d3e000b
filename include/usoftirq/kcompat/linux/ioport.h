/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/ioport.h>: struct resource, the resource types
 * IORESOURCE_IO, IORESOURCE_MEM, IORESOURCE_IRQ, IORESOURCE_DMA,
 * IORESOURCE_BUS, IORESOURCE_TYPE_BITS, IORESOURCE_BITS and the IRQ
 * trigger bits IORESOURCE_IRQ_HIGHEDGE ... IORESOURCE_IRQ_LOWLEVEL (the
 * kernel's values; platform_get_irq() applies the trigger bits),
 * DEFINE_RES_NAMED(), DEFINE_RES_MEM(), DEFINE_RES_MEM_NAMED(),
 * DEFINE_RES_IRQ(), DEFINE_RES_IRQ_NAMED(), resource_size() and
 * resource_type().
 *
 * struct resource is struct usoftirq_resource (<usoftirq/platform.h>),
 * the resources platform devices carry; it has the kernel's first four
 * fields, start, end (inclusive), name and flags, and none of the
 * others (desc, parent, sibling, child: there is no resource tree).
 *
 * The spelling is a macro, resource -> usoftirq_resource, which also
 * renames the member "resource" of struct platform_device in the files
 * that use the kernel spelling. That only works if <usoftirq/platform.h>
 * is read after it: a file that includes both spellings must include the
 * kcompat headers first; the other order stops the build with a message
 * saying so. For the same reason every kcompat header that needs
 * <usoftirq/platform.h> reaches it through this one.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_IOPORT_H
#define USOFTIRQ_KCOMPAT_LINUX_IOPORT_H

#if defined(USOFTIRQ_PLATFORM_H) && !defined(resource)
#error "<usoftirq/platform.h> (or <usoftirq.h>) was included before the kcompat headers: include <linux/...> headers first (docs/kcompat.md, struct resource)"
#endif

#include <linux/types.h>

#define resource usoftirq_resource

#include <usoftirq/platform.h>

#define IORESOURCE_BITS USOFTIRQ_IORESOURCE_BITS
#define IORESOURCE_TYPE_BITS USOFTIRQ_IORESOURCE_TYPE_BITS
#define IORESOURCE_IO USOFTIRQ_IORESOURCE_IO
#define IORESOURCE_MEM USOFTIRQ_IORESOURCE_MEM
#define IORESOURCE_IRQ USOFTIRQ_IORESOURCE_IRQ
#define IORESOURCE_DMA 0x00000800ul
#define IORESOURCE_BUS 0x00001000ul
#define IORESOURCE_IRQ_HIGHEDGE USOFTIRQ_IORESOURCE_IRQ_HIGHEDGE
#define IORESOURCE_IRQ_LOWEDGE USOFTIRQ_IORESOURCE_IRQ_LOWEDGE
#define IORESOURCE_IRQ_HIGHLEVEL USOFTIRQ_IORESOURCE_IRQ_HIGHLEVEL
#define IORESOURCE_IRQ_LOWLEVEL USOFTIRQ_IORESOURCE_IRQ_LOWLEVEL

/* DEFINE_RES_NAMED() - a resource of @size units from @start. */
#define DEFINE_RES_NAMED(_start, _size, _name, _flags)          \
	(struct resource)                                       \
	{                                                       \
		.start = (_start), .end = (_start) + (_size)-1, \
		.name = (_name), .flags = (_flags),             \
	}
#define DEFINE_RES_MEM_NAMED(_start, _size, _name) \
	DEFINE_RES_NAMED((_start), (_size), (_name), IORESOURCE_MEM)
#define DEFINE_RES_MEM(_start, _size) \
	DEFINE_RES_MEM_NAMED((_start), (_size), NULL)
#define DEFINE_RES_IRQ_NAMED(_irq, _name) \
	DEFINE_RES_NAMED((_irq), 1, (_name), IORESOURCE_IRQ)
#define DEFINE_RES_IRQ(_irq) DEFINE_RES_IRQ_NAMED((_irq), NULL)

static inline resource_size_t
usoftirq__kc_resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

static inline unsigned long
usoftirq__kc_resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}

#define resource_size usoftirq__kc_resource_size
#define resource_type usoftirq__kc_resource_type

#endif /* USOFTIRQ_KCOMPAT_LINUX_IOPORT_H */
