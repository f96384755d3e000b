/* SPDX-License-Identifier: MIT */
/*
 * The platform bus, as drivers know it from the kernel: platform devices
 * with memory and IRQ resources, platform drivers with probe() and
 * remove(), matched by name, and the managed ("devm_") helpers a probe
 * uses, released in reverse order after remove().
 *
 * Drivers are registered process-wide (as on the kernel's bus); devices
 * are registered on a machine. Registering either side binds every match:
 * the driver's probe() runs for each matching unbound device. Unregistering
 * a device (or its driver) calls remove(), then releases the device's
 * managed resources newest first: devm IRQs are freed, devm mappings
 * unmapped, devm memory freed.
 *
 * Probe and remove run synchronously in the thread that registers or
 * unregisters, holding the device's lock (the kernel's device_lock()), so
 * a device's probe and remove never overlap. The model, the contexts of
 * every call and the deviations from the kernel are in docs/platform.md.
 */
#ifndef USOFTIRQ_PLATFORM_H
#define USOFTIRQ_PLATFORM_H

#include <stdint.h>

#include <usoftirq/common.h>
#include <usoftirq/device.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;

/* Resource types and flags, the kernel's values (include/linux/ioport.h). */
#define USOFTIRQ_IORESOURCE_BITS 0x000000fful /* bus-specific bits */
#define USOFTIRQ_IORESOURCE_TYPE_BITS 0x00001f00ul
#define USOFTIRQ_IORESOURCE_IO 0x00000100ul
#define USOFTIRQ_IORESOURCE_MEM 0x00000200ul
#define USOFTIRQ_IORESOURCE_IRQ 0x00000400ul
/* IRQ resource trigger bits; platform_get_irq() applies them to the line. */
#define USOFTIRQ_IORESOURCE_IRQ_HIGHEDGE 0x00000001ul
#define USOFTIRQ_IORESOURCE_IRQ_LOWEDGE 0x00000002ul
#define USOFTIRQ_IORESOURCE_IRQ_HIGHLEVEL 0x00000004ul
#define USOFTIRQ_IORESOURCE_IRQ_LOWLEVEL 0x00000008ul

/** USOFTIRQ_PLATFORM_DEVID_NONE - id for a device named without ".id". */
#define USOFTIRQ_PLATFORM_DEVID_NONE (-1)

/** USOFTIRQ_PLATFORM_NAME_SIZE - the kernel's PLATFORM_NAME_SIZE. */
#define USOFTIRQ_PLATFORM_NAME_SIZE 20

/**
 * struct usoftirq_resource - a device resource.
 * @start: first bus address, or the IRQ line.
 * @end: last bus address (inclusive), or the IRQ line.
 * @name: optional name (usoftirq_platform_get_resource_byname()).
 * @flags: a type (USOFTIRQ_IORESOURCE_MEM or _IRQ) and, for an IRQ, its
 *	trigger bits.
 */
struct usoftirq_resource {
	uint64_t start;
	uint64_t end;
	const char *name;
	unsigned long flags;
};

/** struct usoftirq_platform_device_id - an id_table entry. */
struct usoftirq_platform_device_id {
	char name[USOFTIRQ_PLATFORM_NAME_SIZE];
	unsigned long driver_data;
};

/**
 * struct usoftirq_platform_device - a platform device.
 * @name: the name drivers match on.
 * @id: instance number, or %USOFTIRQ_PLATFORM_DEVID_NONE.
 * @dev: the generic device; dev.name is "name.id" (or "name"), a string
 *	the library owns from registration to unregistration.
 * @num_resources: entries in @resource.
 * @resource: the resources; the array must outlive the registration.
 * @id_entry: read-only: the id_table entry the bound driver matched on,
 *	or NULL (usoftirq_platform_get_device_id()).
 * @usoftirq_priv: private.
 *
 * Zero-initialise the structure, then set @name, @id, the resources and
 * optionally dev.parent and dev.driver_data, before registering.
 */
struct usoftirq_platform_device {
	const char *name;
	int id;
	struct usoftirq_device dev;
	unsigned int num_resources;
	struct usoftirq_resource *resource;
	const struct usoftirq_platform_device_id *id_entry;
	void *usoftirq_priv;
};

/** struct usoftirq_device_driver - the generic part of a driver. */
struct usoftirq_device_driver {
	const char *name;
	void *owner;
};

/**
 * struct usoftirq_platform_driver - a platform driver.
 * @probe: binds a device; returns 0 or a negative errno (the device then
 *	stays unbound and its managed resources are released). NULL binds
 *	every match without a call, as in the kernel.
 * @remove: unbinds a device (the historical int-returning form; a
 *	non-zero return is reported and ignored, as the kernel does).
 * @remove_new: the void-returning form (6.3 to 6.12 spelling); at most one
 *	of @remove and @remove_new may be set.
 * @shutdown: unused by usoftirq (there is no system shutdown).
 * @driver: driver.name is what devices are matched on.
 * @id_table: if set, devices are matched on its names (up to an entry
 *	with an empty name) instead.
 * @usoftirq_priv: private.
 *
 * Zero-initialise the structure before setting its fields.
 */
struct usoftirq_platform_driver {
	int (*probe)(struct usoftirq_platform_device *pdev);
	int (*remove)(struct usoftirq_platform_device *pdev);
	void (*remove_new)(struct usoftirq_platform_device *pdev);
	void (*shutdown)(struct usoftirq_platform_device *pdev);
	struct usoftirq_device_driver driver;
	const struct usoftirq_platform_device_id *id_table;
	void *usoftirq_priv;
};

/* ------------------------------------------------------------------ */
/* Registration                                                        */
/* ------------------------------------------------------------------ */

/**
 * usoftirq_platform_device_register() - add a device to @m and bind it to
 * the first registered driver (in registration order) that matches and
 * whose probe() succeeds.
 * @m: the machine the device lives on (its IRQ lines and bus).
 * @pdev: the device, zero-initialised apart from its public fields.
 *
 * A probe that fails with -ENODEV or -ENXIO is silent (dd.c's "rejects
 * match" is a debug message); any other error is reported with dd.c's
 * "probe with driver %s failed with error %d". Either way the next
 * matching driver is tried.
 *
 * Context: task context (probe may sleep).
 * Return: 0 (also when no driver matches, or every probe failed: the
 * device is registered, unbound); -EINVAL for a NULL @m or @pdev->name;
 * -EBUSY if @pdev is already registered; -EEXIST if @m already has a
 * device of that name (reported with the kernel's sysfs message);
 * -ENOMEM.
 */
USOFTIRQ_API int
usoftirq_platform_device_register(struct usoftirq_machine *m,
				  struct usoftirq_platform_device *pdev);

/**
 * usoftirq_platform_device_unregister() - unbind the device (remove(),
 * then its managed resources newest first), release what it still
 * holds, and take it off its machine. It may then be freed, or
 * registered again.
 * @pdev: a registered device.
 *
 * Waits for a probe or remove of the device running in another thread.
 * Calling it for a device that is not registered, or from the device's
 * own probe, remove or devm release action, is a contract violation
 * (fatal, with a message naming the device).
 *
 * Context: task context (remove may sleep).
 */
USOFTIRQ_API void
usoftirq_platform_device_unregister(struct usoftirq_platform_device *pdev);

/**
 * usoftirq_platform_driver_register() - register a driver and bind it to
 * every matching unbound device, on every machine.
 * @drv: the driver, which must stay valid until it is unregistered.
 *
 * Context: task context (probe may sleep).
 * Return: 0; -EINVAL if driver.name is NULL or both @remove and
 * @remove_new are set; -EBUSY if @drv, or a driver of the same name, is
 * already registered (reported with the kernel's "Error: Driver '%s' is
 * already registered, aborting..."); -ENOMEM.
 */
USOFTIRQ_API int
usoftirq_platform_driver_register(struct usoftirq_platform_driver *drv);

/**
 * usoftirq_platform_driver_unregister() - unbind every device bound to
 * the driver (remove() and release of their managed resources), on every
 * machine, and remove it. Returns once no probe or remove of it runs.
 * @drv: a registered driver.
 *
 * Unregistering a driver that is not registered, or from the probe or
 * remove of one of its devices, is a contract violation (fatal).
 *
 * Context: task context (remove may sleep).
 */
USOFTIRQ_API void
usoftirq_platform_driver_unregister(struct usoftirq_platform_driver *drv);

/**
 * usoftirq_platform_device_bound() - the probe succeeded and the device is
 * bound to a driver (true from probe()'s return to the start of the
 * unbind).
 *
 * Context: task, softirq or BH-disabled context (takes the bus lock).
 */
USOFTIRQ_API bool
usoftirq_platform_device_bound(const struct usoftirq_platform_device *pdev);

/**
 * usoftirq_platform_get_device_id() - the id_table entry the device was
 * bound with (the kernel's platform_get_device_id()), or NULL.
 *
 * Context: any.
 */
static inline const struct usoftirq_platform_device_id *
usoftirq_platform_get_device_id(const struct usoftirq_platform_device *pdev)
{
	return pdev->id_entry;
}

/* ------------------------------------------------------------------ */
/* Resources                                                           */
/* ------------------------------------------------------------------ */

/**
 * usoftirq_platform_get_resource() - the @num-th resource of @type, or
 * NULL.
 * @pdev: the device.
 * @type: USOFTIRQ_IORESOURCE_MEM or _IRQ (compared with the type bits).
 * @num: index among the resources of that type.
 *
 * Context: any.
 */
USOFTIRQ_API struct usoftirq_resource *
usoftirq_platform_get_resource(struct usoftirq_platform_device *pdev,
			       unsigned long type, unsigned int num);

/**
 * usoftirq_platform_get_resource_byname() - the resource of @type named
 * @name, or NULL.
 *
 * Context: any.
 */
USOFTIRQ_API struct usoftirq_resource *
usoftirq_platform_get_resource_byname(struct usoftirq_platform_device *pdev,
				      unsigned long type, const char *name);

/**
 * usoftirq_platform_get_irq_optional() - the @num-th IRQ resource's line,
 * without a message if there is none. Trigger bits in the resource's
 * flags set the line's type (usoftirq_irq_set_type()).
 *
 * Context: any.
 * Return: the line; -ENXIO if there is no such resource, or its trigger
 * bits cannot be applied to the machine's line; -EINVAL for line 0
 * (warned about with the kernel's "0 is an invalid IRQ number").
 */
USOFTIRQ_API int
usoftirq_platform_get_irq_optional(struct usoftirq_platform_device *pdev,
				   unsigned int num);

/**
 * usoftirq_platform_get_irq() - usoftirq_platform_get_irq_optional(),
 * reporting a failure as the kernel's dev_err_probe() does:
 * "drv dev.0: error -ENXIO: IRQ index %u not found".
 *
 * Context: any.
 * Return: the line or a negative errno.
 */
USOFTIRQ_API int
usoftirq_platform_get_irq(struct usoftirq_platform_device *pdev,
			  unsigned int num);

/**
 * usoftirq_platform_get_irq_byname() - the line of the IRQ resource named
 * @name; a failure is reported ("error -ENXIO: IRQ %s not found").
 *
 * Context: any.
 * Return: the line or a negative errno.
 */
USOFTIRQ_API int
usoftirq_platform_get_irq_byname(struct usoftirq_platform_device *pdev,
				 const char *name);

/* ------------------------------------------------------------------ */
/* Error pointers, mappings                                            */
/* ------------------------------------------------------------------ */

/** USOFTIRQ_MAX_ERRNO - error pointers encode -1 .. -MAX_ERRNO. */
#define USOFTIRQ_MAX_ERRNO 4095

/** usoftirq_is_err() - @p is an error pointer (the kernel's IS_ERR()). */
static inline bool usoftirq_is_err(const void *p)
{
	return (uintptr_t)p >= (uintptr_t)-USOFTIRQ_MAX_ERRNO;
}

/** usoftirq_ptr_err() - the negative errno in an error pointer. */
static inline long usoftirq_ptr_err(const void *p)
{
	return (long)(intptr_t)p;
}

/**
 * usoftirq_devm_ioremap_resource() - check a memory resource, claim its
 * range, and map it (usoftirq_ioremap()); all undone automatically when
 * the device's resources are released. As the kernel's
 * devm_ioremap_resource() (lib/devres.c).
 * @dev: the device; its machine's bus is used.
 * @res: the resource.
 *
 * Context: task context.
 * Return: the __iomem address, or an error pointer (usoftirq_is_err()):
 * -EINVAL for a NULL or non-memory resource ("invalid resource %pR");
 * -EBUSY if a range overlapping it is already claimed on the machine
 * ("can't request region for resource %pR"); -ENOMEM if no device answers
 * at that range (usoftirq_ioremap() reports it) or out of memory. The
 * errors are reported as dev_err_probe() does (silently for -ENOMEM).
 */
USOFTIRQ_API void *
usoftirq_devm_ioremap_resource(struct usoftirq_device *dev,
			       const struct usoftirq_resource *res);

/**
 * usoftirq_devm_platform_get_and_ioremap_resource() - the @index-th
 * memory resource, mapped with usoftirq_devm_ioremap_resource().
 * @res: if not NULL, receives the resource (NULL if there is none).
 *
 * Context: task context.
 * Return: as usoftirq_devm_ioremap_resource() (-EINVAL if there is no
 * such resource).
 */
USOFTIRQ_API void *usoftirq_devm_platform_get_and_ioremap_resource(
	struct usoftirq_platform_device *pdev, unsigned int index,
	struct usoftirq_resource **res);

/**
 * usoftirq_devm_platform_ioremap_resource() - map the @index-th memory
 * resource, unmapped automatically when the device's resources are
 * released.
 *
 * Context: task context.
 * Return: the __iomem address, or an error pointer, as
 * usoftirq_devm_platform_get_and_ioremap_resource().
 */
USOFTIRQ_API void *
usoftirq_devm_platform_ioremap_resource(struct usoftirq_platform_device *pdev,
					unsigned int index);

/**
 * usoftirq_devm_ioremap() - usoftirq_ioremap(), unmapped automatically
 * when @dev's resources are released (no range claim, as the kernel's
 * devm_ioremap()).
 *
 * Context: task context.
 * Return: the __iomem address, or NULL.
 */
USOFTIRQ_API void *usoftirq_devm_ioremap(struct usoftirq_device *dev,
					 uint64_t phys, size_t size);

/**
 * usoftirq_devm_iounmap() - unmap a usoftirq_devm_ioremap() mapping early.
 * A mapping that is not a managed one of @dev is warned about (the
 * kernel's WARN_ON) and unmapped anyway.
 *
 * Context: task context.
 */
USOFTIRQ_API void usoftirq_devm_iounmap(struct usoftirq_device *dev,
					void *addr);

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

/* Allocation flags, as the kernel's GFP flags mean them here. */
#define USOFTIRQ_GFP_ATOMIC 0x0u /* may not sleep */
#define USOFTIRQ_GFP_KERNEL 0x1u /* may sleep: checked with might_sleep */
#define USOFTIRQ_GFP_ZERO 0x100u /* zero the memory */

/**
 * USOFTIRQ_ZERO_SIZE_PTR - what a zero-byte allocation returns, as the
 * kernel's ZERO_SIZE_PTR: not NULL, faults when dereferenced, and freeing
 * it does nothing.
 */
#define USOFTIRQ_ZERO_SIZE_PTR ((void *)16)

/**
 * usoftirq_devm_kmalloc() - managed allocation, freed with the device's
 * resources.
 * @dev: the device.
 * @size: bytes.
 * @gfp: USOFTIRQ_GFP_* flags; GFP_KERNEL from atomic context is reported
 *	as the kernel's might_sleep() reports it.
 *
 * Context: task context, or softirq context with GFP_ATOMIC. Not from a
 * hardirq handler (reported, returns NULL: the device's resource list is
 * not async-signal-safe).
 * Return: the memory (aligned for any type), %USOFTIRQ_ZERO_SIZE_PTR if
 * @size is 0, or NULL.
 */
USOFTIRQ_API void *usoftirq_devm_kmalloc(struct usoftirq_device *dev,
					 size_t size, unsigned int gfp);

/**
 * usoftirq_devm_kfree() - free a managed allocation early. NULL and
 * %USOFTIRQ_ZERO_SIZE_PTR are ignored; a pointer that is not a managed
 * allocation of @dev is warned about (the kernel's WARN_ON) and left
 * alone.
 *
 * Context: as usoftirq_devm_kmalloc().
 */
USOFTIRQ_API void usoftirq_devm_kfree(struct usoftirq_device *dev,
				      const void *p);

/**
 * usoftirq_kmalloc() - allocation with the kernel's context rule: a
 * GFP_KERNEL allocation from atomic context is reported.
 * @size: bytes.
 * @gfp: USOFTIRQ_GFP_* flags.
 *
 * Context: any, including hardirq handlers with GFP_ATOMIC
 * (async-signal-safe there: it then maps whole pages instead of calling
 * malloc()).
 * Return: the memory (aligned for any type), %USOFTIRQ_ZERO_SIZE_PTR if
 * @size is 0, or NULL.
 */
USOFTIRQ_API void *usoftirq_kmalloc(size_t size, unsigned int gfp);

/**
 * usoftirq_kfree() - free usoftirq_kmalloc() memory (NULL and
 * %USOFTIRQ_ZERO_SIZE_PTR are fine). Freeing anything else is a contract
 * violation (fatal when detected).
 *
 * Context: any, including hardirq handlers (async-signal-safe: memory from
 * malloc() freed there is handed back at the next allocation or free made
 * outside a hardirq handler).
 */
USOFTIRQ_API void usoftirq_kfree(const void *p);

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

/**
 * usoftirq_dev_printk() - log a message about @dev as the kernel's
 * dev_printk() and dev_err() do: "<driver> <device>: message", where
 * <driver> is the bound (or probing) driver's name, or else the device's
 * bus ("platform"), or else empty; "(NULL device *): message" for a NULL
 * @dev.
 * @level: a USOFTIRQ_KERN_* prefix.
 * @dev: the device, or NULL.
 * @fmt: the message, in the printk format.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_dev_printk(const char *level,
				      const struct usoftirq_device *dev,
				      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * usoftirq_dev_err_probe() - the kernel's dev_err_probe(): log
 * "error -EXXX: message" at KERN_ERR, nothing for -ENOMEM, a debug message
 * for -EPROBE_DEFER; return @err.
 * @dev: the device.
 * @err: a negative errno.
 * @fmt: the message.
 *
 * Context: any (async-signal-safe).
 * Return: @err.
 */
USOFTIRQ_API int usoftirq_dev_err_probe(const struct usoftirq_device *dev,
					int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_PLATFORM_H */
