/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/platform_device.h>: the platform bus.
 *
 * struct platform_device and struct platform_driver are the library's
 * (<usoftirq/platform.h>), with the kernel's fields: pdev->name, id, dev,
 * num_resources, resource; drv->probe, remove (returning int, the form
 * of kernels up to 6.10), remove_new (void), shutdown, driver.name,
 * driver.owner, id_table. Provided: platform_driver_register(),
 * platform_driver_unregister(), platform_register_drivers(),
 * platform_unregister_drivers(), module_platform_driver(),
 * builtin_platform_driver(), module_driver(), builtin_driver(),
 * platform_device_register(), platform_device_unregister(),
 * platform_get_resource(), platform_get_resource_byname(),
 * platform_get_irq() (which also applies an IRQ resource's trigger bits
 * to the line), platform_get_irq_optional(),
 * platform_get_irq_byname(), platform_get_irq_byname_optional(),
 * platform_irq_count(), devm_platform_ioremap_resource(),
 * devm_platform_get_and_ioremap_resource(),
 * devm_platform_ioremap_resource_byname(), platform_get_device_id(),
 * platform_get_drvdata(), platform_set_drvdata(), to_platform_device(),
 * PLATFORM_DEVID_NONE;
 * and, through the headers it includes, struct device and the devm_
 * calls (<linux/device.h>), struct resource (<linux/ioport.h>),
 * module_init() (<linux/init.h>).
 *
 * Drivers are registered for the whole process, as on the kernel's bus;
 * devices on a machine: platform_device_register() adds the device to
 * the calling thread's machine (usoftirq_machine_current()). Registering
 * either side probes every match; unregistering calls remove() and then
 * releases the device's managed resources, newest first.
 *
 * module_platform_driver(drv) defines drv_init() and drv_exit() and hands
 * them to module_init()/module_exit(): by default the driver is
 * registered before main() starts, like a driver built into the kernel,
 * and unregistered at exit; its devices bind when the program registers
 * them. With USOFTIRQ_KCOMPAT_MANUAL_INIT (see <linux/init.h>) the
 * program calls drv_init() and drv_exit() itself.
 *
 * Not provided: platform_device_alloc()/add()/put() and
 * platform_device_register_simple() (declare the device and its
 * resources as objects), PLATFORM_DEVID_AUTO, platform data, device-tree
 * matching (of_match_table) and power management (driver.pm).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_PLATFORM_DEVICE_H
#define USOFTIRQ_KCOMPAT_LINUX_PLATFORM_DEVICE_H

#include <string.h>

#include <linux/container_of.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>

#include <usoftirq/machine.h>

#define platform_device usoftirq_platform_device
#define platform_driver usoftirq_platform_driver

#define PLATFORM_DEVID_NONE USOFTIRQ_PLATFORM_DEVID_NONE

#define to_platform_device(x) container_of((x), struct platform_device, dev)

static inline void *
usoftirq__kc_platform_get_drvdata(const struct platform_device *pdev)
{
	return pdev->dev.driver_data;
}

static inline void
usoftirq__kc_platform_set_drvdata(struct platform_device *pdev, void *data)
{
	pdev->dev.driver_data = data;
}

#define platform_get_drvdata usoftirq__kc_platform_get_drvdata
#define platform_set_drvdata usoftirq__kc_platform_set_drvdata

/* ------------------------------------------------------------------ */
/* Registration                                                        */
/* ------------------------------------------------------------------ */

static inline int
usoftirq__kc_platform_device_register(struct platform_device *pdev)
{
	return usoftirq_platform_device_register(usoftirq_machine_current(),
						 pdev);
}

#define platform_device_register usoftirq__kc_platform_device_register
#define platform_device_unregister usoftirq_platform_device_unregister
#define platform_driver_register usoftirq_platform_driver_register
#define platform_driver_unregister usoftirq_platform_driver_unregister

/* platform_unregister_drivers() - unregister @count drivers, last first. */
static inline void
usoftirq__kc_platform_unregister_drivers(struct platform_driver *const *drivers,
					 unsigned int count)
{
	while (count--)
		usoftirq_platform_driver_unregister(drivers[count]);
}

/*
 * platform_register_drivers() - register @count drivers in order; on a
 * failure unregister those already registered and return the error.
 */
static inline int
usoftirq__kc_platform_register_drivers(struct platform_driver *const *drivers,
				       unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		int err = usoftirq_platform_driver_register(drivers[i]);

		if (err) {
			usoftirq__kc_platform_unregister_drivers(drivers, i);
			return err;
		}
	}
	return 0;
}

#define platform_register_drivers usoftirq__kc_platform_register_drivers
#define platform_unregister_drivers usoftirq__kc_platform_unregister_drivers

/*
 * module_driver() - drv_init() registers @__driver with @__register,
 * drv_exit() unregisters it; module_init()/module_exit() run them.
 */
#define module_driver(__driver, __register, __unregister, ...) \
	static int __init __driver##_init(void)                \
	{                                                      \
		return __register(&(__driver), ##__VA_ARGS__); \
	}                                                      \
	module_init(__driver##_init);                          \
	static void __exit __driver##_exit(void)               \
	{                                                      \
		__unregister(&(__driver), ##__VA_ARGS__);      \
	}                                                      \
	module_exit(__driver##_exit)
#define builtin_driver(__driver, __register, ...)              \
	static int __init __driver##_init(void)                \
	{                                                      \
		return __register(&(__driver), ##__VA_ARGS__); \
	}                                                      \
	device_initcall(__driver##_init)

#define module_platform_driver(__platform_driver)                  \
	module_driver(__platform_driver, platform_driver_register, \
		      platform_driver_unregister)
#define builtin_platform_driver(__platform_driver) \
	builtin_driver(__platform_driver, platform_driver_register)

/* ------------------------------------------------------------------ */
/* Resources                                                           */
/* ------------------------------------------------------------------ */

#define platform_get_resource usoftirq_platform_get_resource
#define platform_get_irq usoftirq_platform_get_irq
#define devm_platform_ioremap_resource usoftirq_devm_platform_ioremap_resource

/* platform_get_irq_byname_optional() - as platform_get_irq_byname(),
 * without the "not found" message (an invalid line 0 is still reported,
 * as the kernel's __platform_get_irq_byname() does). */
static inline int
usoftirq__kc_platform_get_irq_byname_optional(struct platform_device *pdev,
					      const char *name)
{
	struct resource *r = usoftirq_platform_get_resource_byname(
		pdev, IORESOURCE_IRQ, name);

	return r ? usoftirq_platform_get_irq_byname(pdev, name) : -ENXIO;
}

/* platform_irq_count() - how many IRQ resources @pdev has. */
static inline int usoftirq__kc_platform_irq_count(struct platform_device *pdev)
{
	int n = 0;

	for (unsigned int i = 0; i < pdev->num_resources; i++)
		if (resource_type(&pdev->resource[i]) == IORESOURCE_IRQ)
			n++;
	return n;
}

static inline void __iomem *
usoftirq__kc_devm_platform_ioremap_resource_byname(struct platform_device *pdev,
						   const char *name)
{
	return usoftirq_devm_ioremap_resource(
		&pdev->dev, usoftirq_platform_get_resource_byname(
				    pdev, IORESOURCE_MEM, name));
}

#define platform_get_resource_byname usoftirq_platform_get_resource_byname
#define platform_get_irq_optional usoftirq_platform_get_irq_optional
#define platform_get_irq_byname usoftirq_platform_get_irq_byname
#define platform_get_irq_byname_optional \
	usoftirq__kc_platform_get_irq_byname_optional
#define platform_irq_count usoftirq__kc_platform_irq_count
#define devm_platform_get_and_ioremap_resource \
	usoftirq_devm_platform_get_and_ioremap_resource
#define devm_platform_ioremap_resource_byname \
	usoftirq__kc_devm_platform_ioremap_resource_byname
#define platform_get_device_id usoftirq_platform_get_device_id

#endif /* USOFTIRQ_KCOMPAT_LINUX_PLATFORM_DEVICE_H */
