/* SPDX-License-Identifier: MIT */
/*
 * Devices and their managed resources ("devres"), the part of the kernel's
 * driver model that devm_* calls need.
 *
 * A device owns a list of resources, each with a release function. The
 * list is released in reverse order of acquisition when the device's
 * driver detaches (usoftirq_devres_release_all()), so a driver's probe can
 * acquire with devm_* calls and forget about cleanup, exactly as in the
 * kernel.
 */
#ifndef USOFTIRQ_DEVICE_H
#define USOFTIRQ_DEVICE_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;
struct usoftirq__devres;

/**
 * struct usoftirq_device - a device.
 * @name: read-only: the name, as dev_name() returns it.
 * @parent: the parent device, or NULL.
 * @driver_data: the driver's pointer (dev_set_drvdata()).
 * @driver_name: read-only: the bound (or probing) driver's name, or NULL.
 * @bus_name: read-only: the bus the device is registered on ("platform"),
 *	or NULL; dev_printk() shows it in place of an absent driver name.
 * @machine: read-only: the machine the device lives on.
 * @devres: private: the resource list.
 * @devres_lock: private: protects @devres.
 */
struct usoftirq_device {
	const char *name;
	struct usoftirq_device *parent;
	void *driver_data;
	const char *driver_name;
	const char *bus_name;
	struct usoftirq_machine *machine;
	struct usoftirq__devres *devres;
	unsigned int devres_lock;
};

/** USOFTIRQ_EPROBE_DEFER - the kernel's -EPROBE_DEFER, for probe(). */
#define USOFTIRQ_EPROBE_DEFER 517

/**
 * usoftirq_device_init() - initialise a device with no resources.
 * @dev: the device.
 * @m: the machine it lives on (its IRQs are that machine's lines).
 * @name: its name; the string must outlive the device.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_device_init(struct usoftirq_device *dev,
				       struct usoftirq_machine *m,
				       const char *name);

/** usoftirq_dev_name() - the device's name. */
USOFTIRQ_API const char *usoftirq_dev_name(const struct usoftirq_device *dev);

/** typedef usoftirq_dr_release_t - releases one resource. */
typedef void (*usoftirq_dr_release_t)(struct usoftirq_device *dev, void *res);
/** typedef usoftirq_dr_match_t - selects a resource; true if it matches. */
typedef bool (*usoftirq_dr_match_t)(struct usoftirq_device *dev, void *res,
				    void *match_data);

/**
 * usoftirq_devres_alloc() - allocate a zeroed resource of @size bytes.
 * @release: called with the resource when it is released.
 * @size: payload size.
 *
 * Context: task context.
 * Return: the payload, or NULL if out of memory.
 */
USOFTIRQ_API void *usoftirq_devres_alloc(usoftirq_dr_release_t release,
					 size_t size);

/** usoftirq_devres_free() - free a resource that was never added. */
USOFTIRQ_API void usoftirq_devres_free(void *res);

/** usoftirq_devres_add() - attach a resource to @dev. */
USOFTIRQ_API void usoftirq_devres_add(struct usoftirq_device *dev, void *res);

/**
 * usoftirq_devres_release() - find the newest resource of @dev with this
 * @release function that @match accepts (NULL matches all), detach it,
 * release it and free it.
 *
 * Return: 0, or -ENOENT if none matched.
 */
USOFTIRQ_API int usoftirq_devres_release(struct usoftirq_device *dev,
					 usoftirq_dr_release_t release,
					 usoftirq_dr_match_t match,
					 void *match_data);

/**
 * usoftirq_devres_destroy() - as usoftirq_devres_release() but without
 * calling @release.
 */
USOFTIRQ_API int usoftirq_devres_destroy(struct usoftirq_device *dev,
					 usoftirq_dr_release_t release,
					 usoftirq_dr_match_t match,
					 void *match_data);

/**
 * usoftirq_devres_release_all() - release every resource of @dev, newest
 * first.
 *
 * Context: task context (releases may sleep).
 * Return: how many were released.
 */
USOFTIRQ_API unsigned int
usoftirq_devres_release_all(struct usoftirq_device *dev);

/**
 * usoftirq_devm_add_action() - call @action(@data) when @dev's resources
 * are released.
 *
 * Return: 0 or -ENOMEM.
 */
USOFTIRQ_API int usoftirq_devm_add_action(struct usoftirq_device *dev,
					  void (*action)(void *data),
					  void *data);

/**
 * usoftirq_devm_add_action_or_reset() - as usoftirq_devm_add_action(), but
 * calls @action(@data) at once if it fails.
 */
USOFTIRQ_API int usoftirq_devm_add_action_or_reset(struct usoftirq_device *dev,
						   void (*action)(void *data),
						   void *data);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_DEVICE_H */
