/* SPDX-License-Identifier: MIT */
/*
 * Internal side of usoftirq/platform.h: the bus's device and driver
 * records, its locks, and the device-message helpers.
 *
 * Files:
 *   src/platform.c       registration, the device and driver lists, the
 *                        bus lock, machine teardown
 *   src/platform_bind.c  matching, probe and remove (bind and unbind)
 *   src/platform_res.c   resources, IRQ lookup, devm_ioremap_resource()
 *   src/dev_printk.c     dev_printk(), dev_err_probe(), device reports
 *   src/devm_alloc.c     devm_kmalloc(), devm_kfree()
 *   src/kmalloc.c        kmalloc(), kfree()
 *
 * Locking, outermost first:
 *   1. a device's lock (struct usoftirq__pdev.lock, the kernel's
 *      device_lock()): held across that device's probe and remove, so they
 *      never overlap. A probe may register other devices, so device locks
 *      nest parent before child; nothing takes one while holding the bus
 *      lock.
 *   2. the bus lock (usoftirq__bus_lock()): the device list, the driver
 *      list, and every field below marked "bus lock". Held only for list
 *      and state updates, never across a callback.
 *   3. leaf locks: the region list (src/platform_res.c), the devres list
 *      of a device (src/devres.c).
 */
#ifndef USOFTIRQ_PLATFORM_INTERNAL_H
#define USOFTIRQ_PLATFORM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include <usoftirq/platform.h>

#include "report.h"

/**
 * struct usoftirq__pdev - the bus's record of a registered device.
 * @prev: previous on the bus's device list (bus lock).
 * @next: next on it (bus lock).
 * @refs: the registration's reference plus one per list walker that
 *	stands on this record (bus lock). The record leaves the list, and is
 *	freed, with the last reference, so a walker's position stays valid
 *	while the device is unregistered under it.
 * @dead: unregistration has begun; nothing binds it any more (bus lock).
 * @pdev: the device; NULL once unregistered (bus lock).
 * @machine: the machine it was registered on (constant).
 * @drv: the driver bound to it or probing it, or NULL. Written under both
 *	@lock and the bus lock; read under either.
 * @bound: @drv's probe succeeded and the unbind has not begun (bus lock).
 * @lock: the device lock.
 * @owner: kernel thread id of @lock's holder, 0 if free; to turn a wait
 *	for one's own device lock into a contract-violation message.
 * @name: "name.id" or "name": pdev->dev.name while registered.
 */
struct usoftirq__pdev {
	struct usoftirq__pdev *prev;
	struct usoftirq__pdev *next;
	unsigned int refs;
	bool dead;
	struct usoftirq_platform_device *pdev;
	struct usoftirq_machine *machine;
	struct usoftirq_platform_driver *drv;
	bool bound;
	pthread_mutex_t lock;
	_Atomic int owner;
	char name[];
};

/**
 * struct usoftirq__pdrv - the bus's record of a registered driver.
 * @next: next on the driver list, in registration order (bus lock).
 * @seq: registration number, increasing; a device tries drivers in this
 *	order and resumes after the last one it tried (constant).
 * @dead: unregistration has begun: no new probe with it (bus lock).
 * @drv: the driver (constant).
 */
struct usoftirq__pdrv {
	struct usoftirq__pdrv *next;
	unsigned long seq;
	bool dead;
	struct usoftirq_platform_driver *drv;
};

/* ------------------------------------------------------------------ */
/* src/platform.c                                                      */
/* ------------------------------------------------------------------ */

void usoftirq__bus_lock(void);
void usoftirq__bus_unlock(void);

/** typedef usoftirq__pdev_want_t - list walk filter, called under the bus lock. */
typedef bool (*usoftirq__pdev_want_t)(const struct usoftirq__pdev *p,
				      const void *arg);

/**
 * usoftirq__pdev_next() - walk the device list. Bus lock held.
 * @cur: the record the walker stands on (holding a reference), or NULL to
 *	start.
 * @want: which records to stop at.
 * @arg: for @want.
 *
 * Return: the next record after @cur that @want accepts, with a reference
 * taken, or NULL at the end; @cur's reference is dropped either way.
 */
struct usoftirq__pdev *usoftirq__pdev_next(struct usoftirq__pdev *cur,
					   usoftirq__pdev_want_t want,
					   const void *arg);

/** usoftirq__pdev_put() - drop a walker's reference. Bus lock held. */
void usoftirq__pdev_put(struct usoftirq__pdev *p);

/**
 * usoftirq__pdrv_after() - the first live driver registered after
 * sequence number @seq that matches @p's device, or NULL. Bus lock held.
 */
struct usoftirq__pdrv *usoftirq__pdrv_after(const struct usoftirq__pdev *p,
					    unsigned long seq);

/**
 * usoftirq__platform_machine_destroy() - @m is being destroyed: report
 * and unregister every device still registered on it (so that drivers'
 * remove() runs and their managed IRQs and mappings are released while
 * the machine still works). Called by usoftirq_machine_destroy() before
 * it frees the machine's IRQs.
 */
void usoftirq__platform_machine_destroy(struct usoftirq_machine *m);

/* ------------------------------------------------------------------ */
/* src/platform_bind.c                                                 */
/* ------------------------------------------------------------------ */

/**
 * usoftirq__platform_match() - platform_match(): the id_table names if the
 * driver has a table, else the driver's name.
 * @entry: if not NULL, receives the matching id_table entry.
 */
bool usoftirq__platform_match(const struct usoftirq_platform_driver *drv,
			      const struct usoftirq_platform_device *pdev,
			      const struct usoftirq_platform_device_id **entry);

/**
 * usoftirq__pdev_lock() - take the device lock, or die with a message
 * naming @caller if the calling thread holds it already.
 */
void usoftirq__pdev_lock(struct usoftirq__pdev *p, const char *caller);
void usoftirq__pdev_unlock(struct usoftirq__pdev *p);

/**
 * usoftirq__device_attach() - bind a newly registered device: try the
 * matching drivers in registration order until a probe succeeds.
 */
void usoftirq__device_attach(struct usoftirq__pdev *p);

/**
 * usoftirq__driver_attach() - bind a newly registered driver to every
 * matching unbound device.
 */
void usoftirq__driver_attach(struct usoftirq__pdrv *d);

/**
 * usoftirq__device_release_driver() - unbind @p if @drv (or, for NULL,
 * any driver) is bound to it: remove(), then the managed resources.
 * Takes the device lock; @caller names the call for a self-deadlock
 * message.
 */
void usoftirq__device_release_driver(struct usoftirq__pdev *p,
				     const struct usoftirq_platform_driver *drv,
				     const char *caller);

/* ------------------------------------------------------------------ */
/* src/dev_printk.c                                                    */
/* ------------------------------------------------------------------ */

/**
 * usoftirq__dev_prefix() - "<driver> <device>" as dev_printk() prints it
 * before ": ". Async-signal-safe.
 * Return: @buf.
 */
const char *usoftirq__dev_prefix(const struct usoftirq_device *dev, char *buf,
				 size_t size);

/** usoftirq__errname() - "-EINVAL" for -EINVAL, as the kernel's %pe. */
const char *usoftirq__errname(int err, char *buf, size_t size);

/**
 * usoftirq__dev_report() - a driver-model message of the kernel
 * (dev_err(), dev_warn(), dev_crit()), as a %USOFTIRQ_REPORT_DEVICE report
 * whose text is "<driver> <device>: message".
 */
void usoftirq__dev_report(enum usoftirq_report_level level,
			  const struct usoftirq_device *dev, const char *fmt,
			  ...) __attribute__((format(printf, 3, 4)));

/**
 * usoftirq__dev_report_errval() - dev_err_probe() as a device report:
 * "error -EXXX: message"; nothing for -ENOMEM and -EPROBE_DEFER (a debug
 * message in the kernel).
 * Return: @err.
 */
int usoftirq__dev_report_errval(const struct usoftirq_device *dev, int err,
				const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* USOFTIRQ_PLATFORM_INTERNAL_H */
