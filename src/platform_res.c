/* SPDX-License-Identifier: MIT */
/*
 * Platform device resources: lookup by index and name, IRQ lookup with
 * the kernel's checks and messages (drivers/base/platform.c), and managed
 * mappings of memory resources (lib/devres.c: devm_ioremap(),
 * devm_ioremap_resource()).
 *
 * devm_ioremap_resource() first claims the resource's range on the
 * machine, as request_mem_region() claims it in the kernel's iomem tree:
 * two drivers cannot both map the same registers through it. Claims are
 * managed resources of the device; the claim list is a leaf lock taken
 * only in task context.
 */
#include <errno.h>
#include <string.h>

#include <usoftirq/irq.h>
#include <usoftirq/mmio.h>

#include "platform.h"

/** IOMEM_ERR_PTR() */
static void *err_ptr(int err)
{
	return (void *)(intptr_t)err;
}

/* ------------------------------------------------------------------ */
/* Lookup                                                              */
/* ------------------------------------------------------------------ */

static unsigned long resource_type(const struct usoftirq_resource *r)
{
	return r->flags & USOFTIRQ_IORESOURCE_TYPE_BITS;
}

struct usoftirq_resource *
usoftirq_platform_get_resource(struct usoftirq_platform_device *pdev,
			       unsigned long type, unsigned int num)
{
	for (unsigned int i = 0; i < pdev->num_resources; i++) {
		struct usoftirq_resource *r = &pdev->resource[i];

		if (type == resource_type(r) && num-- == 0)
			return r;
	}
	return NULL;
}

struct usoftirq_resource *
usoftirq_platform_get_resource_byname(struct usoftirq_platform_device *pdev,
				      unsigned long type, const char *name)
{
	for (unsigned int i = 0; i < pdev->num_resources; i++) {
		struct usoftirq_resource *r = &pdev->resource[i];

		if (r->name && type == resource_type(r) &&
		    !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

/* WARN(!irq, "0 is an invalid IRQ number\n"), naming the driver's call. */
static int check_irq_number(uint64_t irq, const void *caller)
{
	if (irq)
		return (int)irq;
	usoftirq_warn(__FILE__, __LINE__, caller, "0 is an invalid IRQ number");
	return -EINVAL;
}

static int get_irq_optional(struct usoftirq_platform_device *pdev,
			    unsigned int num, const void *caller)
{
	struct usoftirq_resource *r = usoftirq_platform_get_resource(
		pdev, USOFTIRQ_IORESOURCE_IRQ, num);
	unsigned long trigger;

	if (!r)
		return -ENXIO;
	/* "The trigger flags for IORESOURCE_BITS correspond 1-to-1 to the
	 * IRQF_TRIGGER* settings": set the line's type from them. */
	trigger = r->flags & USOFTIRQ_IORESOURCE_BITS;
	if (trigger &&
	    (!pdev->dev.machine || r->start > USOFTIRQ_MAX_IRQS ||
	     usoftirq_irq_set_type(pdev->dev.machine, (unsigned int)r->start,
				   (unsigned int)trigger)))
		return -ENXIO;
	return check_irq_number(r->start, caller);
}

int usoftirq_platform_get_irq_optional(struct usoftirq_platform_device *pdev,
				       unsigned int num)
{
	return get_irq_optional(pdev, num, __builtin_return_address(0));
}

int usoftirq_platform_get_irq(struct usoftirq_platform_device *pdev,
			      unsigned int num)
{
	int ret = get_irq_optional(pdev, num, __builtin_return_address(0));

	if (ret < 0)
		return usoftirq__dev_report_errval(
			&pdev->dev, ret, "IRQ index %u not found", num);
	return ret;
}

int usoftirq_platform_get_irq_byname(struct usoftirq_platform_device *pdev,
				     const char *name)
{
	struct usoftirq_resource *r = usoftirq_platform_get_resource_byname(
		pdev, USOFTIRQ_IORESOURCE_IRQ, name);
	int ret = r ? check_irq_number(r->start, __builtin_return_address(0)) :
		      -ENXIO;

	if (ret < 0)
		return usoftirq__dev_report_errval(&pdev->dev, ret,
						   "IRQ %s not found", name);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Managed mappings                                                    */
/* ------------------------------------------------------------------ */

static void ioremap_release(struct usoftirq_device *dev, void *res)
{
	(void)dev;
	usoftirq_iounmap(*(void **)res);
}

static bool ioremap_match(struct usoftirq_device *dev, void *res, void *data)
{
	(void)dev;
	return *(void **)res == data;
}

void *usoftirq_devm_ioremap(struct usoftirq_device *dev, uint64_t phys,
			    size_t size)
{
	void **ptr = usoftirq_devres_alloc(ioremap_release, sizeof(*ptr));
	void *addr;

	if (!ptr)
		return NULL;
	addr = usoftirq_ioremap(dev->machine, phys, size);
	if (addr) {
		*ptr = addr;
		usoftirq_devres_add(dev, ptr);
	} else {
		usoftirq_devres_free(ptr);
	}
	return addr;
}

void usoftirq_devm_iounmap(struct usoftirq_device *dev, void *addr)
{
	if (usoftirq_devres_destroy(dev, ioremap_release, ioremap_match, addr))
		usoftirq_warn(__FILE__, __LINE__, __builtin_return_address(0),
			      "devm_iounmap(%s, %p): not a managed mapping of "
			      "this device",
			      usoftirq_dev_name(dev), addr);
	usoftirq_iounmap(addr);
}

/* ------------------------------------------------------------------ */
/* Region claims                                                       */
/* ------------------------------------------------------------------ */

/* A claimed range: the payload of a managed resource of its device. */
struct region {
	struct region *next;
	const struct usoftirq_machine *machine;
	uint64_t start;
	uint64_t end;
};

/* Every machine's claims; the mutex is a leaf lock (task context). */
static pthread_mutex_t region_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct region *regions;

static void region_lock(void)
{
	int err = pthread_mutex_lock(&region_mutex);

	if (err)
		USOFTIRQ__DIE("pthread_mutex_lock(regions)", err);
}

static void region_unlock(void)
{
	int err = pthread_mutex_unlock(&region_mutex);

	if (err)
		USOFTIRQ__DIE("pthread_mutex_unlock(regions)", err);
}

static void region_release(struct usoftirq_device *dev, void *res)
{
	struct region **link;

	(void)dev;
	region_lock();
	for (link = &regions; *link != res; link = &(*link)->next)
		;
	*link = ((struct region *)res)->next;
	region_unlock();
}

static bool region_is(struct usoftirq_device *dev, void *res, void *data)
{
	(void)dev;
	return res == data;
}

static bool overlaps(const struct region *a, const struct region *b)
{
	return a->machine == b->machine && a->start <= b->end &&
	       b->start <= a->end;
}

/* Link @claim unless it overlaps a claim on the same machine. */
static bool region_insert(struct region *claim)
{
	bool busy = false;

	region_lock();
	for (struct region *r = regions; r && !busy; r = r->next)
		busy = overlaps(r, claim);
	if (!busy) {
		claim->next = regions;
		regions = claim;
	}
	region_unlock();
	return !busy;
}

/* devm_request_mem_region(): the claim, or NULL if busy or no memory. */
static struct region *devm_request_region(struct usoftirq_device *dev,
					  const struct usoftirq_resource *res)
{
	struct region *r = usoftirq_devres_alloc(region_release, sizeof(*r));

	if (!r)
		return NULL;
	r->machine = dev->machine;
	r->start = res->start;
	r->end = res->end;
	if (!region_insert(r)) {
		usoftirq_devres_free(r);
		return NULL;
	}
	usoftirq_devres_add(dev, r);
	return r;
}

/* vsprintf.c's %pR: "[mem 0x10000000-0x10000fff]", "[irq 5]", "(null)". */
static const char *resource_str(const struct usoftirq_resource *r, char *buf,
				size_t size)
{
	unsigned long long start, end;
	size_t n;

	if (!r)
		return "(null)";
	start = r->start;
	end = r->end;
	switch (resource_type(r)) {
	case USOFTIRQ_IORESOURCE_MEM:
		usoftirq__format(buf, size, "[mem 0x%08llx", start);
		break;
	case USOFTIRQ_IORESOURCE_IRQ:
		usoftirq__format(buf, size, "[irq %llu", start);
		break;
	case USOFTIRQ_IORESOURCE_IO:
		usoftirq__format(buf, size, "[io  0x%04llx", start);
		break;
	default:
		usoftirq__format(buf, size, "[??? 0x%08llx", start);
		break;
	}
	n = strlen(buf);
	if (start == end)
		usoftirq__format(buf + n, size - n, "]");
	else if (resource_type(r) == USOFTIRQ_IORESOURCE_IRQ)
		usoftirq__format(buf + n, size - n, "-%llu]", end);
	else
		usoftirq__format(buf + n, size - n, "-0x%08llx]", end);
	return buf;
}

static void *ioremap_resource(struct usoftirq_device *dev,
			      const struct usoftirq_resource *res)
{
	struct region *claim;
	char rs[96];
	void *addr;

	if (!res || resource_type(res) != USOFTIRQ_IORESOURCE_MEM)
		return err_ptr(usoftirq__dev_report_errval(
			dev, -EINVAL, "invalid resource %s",
			resource_str(res, rs, sizeof(rs))));
	claim = devm_request_region(dev, res);
	if (!claim)
		return err_ptr(usoftirq__dev_report_errval(
			dev, -EBUSY, "can't request region for resource %s",
			resource_str(res, rs, sizeof(rs))));
	addr = usoftirq_devm_ioremap(dev, res->start,
				     (size_t)(res->end - res->start + 1));
	if (addr)
		return addr;
	(void)usoftirq_devres_release(dev, region_release, region_is, claim);
	/* dev_err_probe() is silent for -ENOMEM; ioremap reported why. */
	return err_ptr(-ENOMEM);
}

void *usoftirq_devm_ioremap_resource(struct usoftirq_device *dev,
				     const struct usoftirq_resource *res)
{
	if (!dev)
		usoftirq__fatal(__FILE__, __LINE__,
				"usoftirq_devm_ioremap_resource: NULL device");
	return ioremap_resource(dev, res);
}

void *usoftirq_devm_platform_get_and_ioremap_resource(
	struct usoftirq_platform_device *pdev, unsigned int index,
	struct usoftirq_resource **res)
{
	struct usoftirq_resource *r = usoftirq_platform_get_resource(
		pdev, USOFTIRQ_IORESOURCE_MEM, index);

	if (res)
		*res = r;
	return usoftirq_devm_ioremap_resource(&pdev->dev, r);
}

void *
usoftirq_devm_platform_ioremap_resource(struct usoftirq_platform_device *pdev,
					unsigned int index)
{
	return usoftirq_devm_platform_get_and_ioremap_resource(pdev, index,
							       NULL);
}
