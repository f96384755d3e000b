/* SPDX-License-Identifier: MIT */
/*
 * Managed allocations (drivers/base/devres.c: devm_kmalloc(),
 * devm_kfree()): memory that is one of the device's managed resources,
 * freed in its place in the newest-first release.
 *
 * The device's resource list and its nodes use a sleeping lock and
 * malloc(), which a hardirq handler (a signal handler) must not use, so
 * these calls refuse hardirq context with a report instead of risking a
 * deadlock; the kernel allows GFP_ATOMIC there, but managed memory is an
 * attach-time facility and usoftirq_kmalloc() serves interrupt handlers.
 */
#include <stdint.h>

#include <usoftirq/context.h>

#include "platform.h"
#include "thread.h"

/* The node is the allocation: releasing it is freeing it. */
static void devm_kmalloc_release(struct usoftirq_device *dev, void *res)
{
	(void)dev;
	(void)res;
}

static bool devm_kmalloc_match(struct usoftirq_device *dev, void *res,
			       void *data)
{
	(void)dev;
	return res == data;
}

static bool refuse_hardirq(const char *caller,
			   const struct usoftirq_device *dev)
{
	if (!usoftirq_in_hardirq())
		return false;
	usoftirq__report(USOFTIRQ_REPORT_INVALID_ARGUMENT, USOFTIRQ_REPORT_ERR,
			 NULL, 0,
			 "%s(%s) in a hardirq handler: managed memory cannot "
			 "be allocated or freed there in usoftirq (not "
			 "async-signal-safe); allocate in probe, or use "
			 "usoftirq_kmalloc()",
			 caller, usoftirq_dev_name(dev));
	return true;
}

void *usoftirq_devm_kmalloc(struct usoftirq_device *dev, size_t size,
			    unsigned int gfp)
{
	void *p;

	if (gfp & USOFTIRQ_GFP_KERNEL)
		usoftirq__might_sleep(__FILE__, __LINE__,
				      __builtin_return_address(0));
	if (refuse_hardirq("usoftirq_devm_kmalloc", dev))
		return NULL;
	if (!size)
		return USOFTIRQ_ZERO_SIZE_PTR;
	/* The node header is added to @size: keep the sum from wrapping. */
	if (size > SIZE_MAX / 2)
		return NULL;
	/* Zeroed whether or not GFP_ZERO is asked for. */
	p = usoftirq_devres_alloc(devm_kmalloc_release, size);
	if (p)
		usoftirq_devres_add(dev, p);
	return p;
}

void usoftirq_devm_kfree(struct usoftirq_device *dev, const void *p)
{
	if (!p || p == USOFTIRQ_ZERO_SIZE_PTR)
		return;
	if (refuse_hardirq("usoftirq_devm_kfree", dev))
		return;
	if (usoftirq_devres_destroy(dev, devm_kmalloc_release,
				    devm_kmalloc_match, (void *)(uintptr_t)p))
		usoftirq_warn(__FILE__, __LINE__, __builtin_return_address(0),
			      "devm_kfree(%s, %p): not a managed allocation of "
			      "this device",
			      usoftirq_dev_name(dev), p);
}
