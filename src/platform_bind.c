/* SPDX-License-Identifier: MIT */
/*
 * Binding and unbinding platform devices (drivers/base/dd.c and the
 * platform bus's match, probe and remove, in short).
 *
 * Bind: with the device lock held, the binder claims the device under the
 * bus lock (p->drv = drv, only if the device is live and unbound and the
 * driver live), sets dev.driver_name (dev_err() inside probe() names the
 * driver, as in the kernel, where dev->driver is set before probe), and
 * calls probe(). On failure dd.c's message is reported (not for -ENODEV,
 * -ENXIO or -EPROBE_DEFER, which the kernel logs at debug level), the
 * device's managed resources are released and the claim is dropped.
 *
 * Unbind: with the device lock held, remove() (or remove_new()), then the
 * managed resources newest first, then the driver name, driver data and
 * claim are cleared (__device_release_driver()).
 *
 * Holding the device lock across probe and remove is what lets a driver's
 * or device's unregistration wait for a probe running in another thread:
 * it takes the same lock.
 */
#include <errno.h>
#include <string.h>

#include "lock.h"
#include "platform.h"
#include "thread.h"

/* How a bind attempt ended, as really_probe()'s return value. */
enum probe_result {
	PROBE_BOUND, /* 0: bound */
	PROBE_FAILED, /* > 0: probe() failed, try the next driver */
	PROBE_STOP, /* < 0: do not try other drivers */
};

/* strcmp() against an id_table name, which may fill its array. */
static bool id_name_eq(const struct usoftirq_platform_device_id *id,
		       const char *name)
{
	size_t n = strnlen(id->name, sizeof(id->name));

	return strlen(name) == n && !memcmp(id->name, name, n);
}

bool usoftirq__platform_match(const struct usoftirq_platform_driver *drv,
			      const struct usoftirq_platform_device *pdev,
			      const struct usoftirq_platform_device_id **entry)
{
	const struct usoftirq_platform_device_id *id = drv->id_table;

	if (!id)
		return !strcmp(pdev->name, drv->driver.name);
	for (; id->name[0]; id++) {
		if (id_name_eq(id, pdev->name)) {
			if (entry)
				*entry = id;
			return true;
		}
	}
	return false;
}

void usoftirq__pdev_lock(struct usoftirq__pdev *p, const char *caller)
{
	int tid = usoftirq__thread_tid(usoftirq__self());
	int err;

	/* Relaxed: only the holder stores its own id here, so the load can
	 * equal ours only if we hold the lock. */
	if (atomic_load_explicit(&p->owner, memory_order_relaxed) == tid)
		usoftirq__fatal(__FILE__, __LINE__,
				"%s() called from the probe, remove or devm "
				"release of %s, whose device lock the caller "
				"holds: it would wait for itself",
				caller, p->name);
	err = pthread_mutex_lock(&p->lock);
	if (err)
		USOFTIRQ__DIE("pthread_mutex_lock(device)", err);
	atomic_store_explicit(&p->owner, tid, memory_order_relaxed);
}

void usoftirq__pdev_unlock(struct usoftirq__pdev *p)
{
	int err;

	atomic_store_explicit(&p->owner, 0, memory_order_relaxed);
	err = pthread_mutex_unlock(&p->lock);
	if (err)
		USOFTIRQ__DIE("pthread_mutex_unlock(device)", err);
}

/* Set the claim and bound state together. */
static void set_binding(struct usoftirq__pdev *p,
			struct usoftirq_platform_driver *drv, bool bound)
{
	usoftirq__bus_lock();
	p->drv = drv;
	p->bound = bound;
	usoftirq__bus_unlock();
}

static bool has_devres(struct usoftirq_device *dev)
{
	bool any;

	usoftirq__lock(&dev->devres_lock);
	any = dev->devres != NULL;
	usoftirq__unlock(&dev->devres_lock);
	return any;
}

/* device_unbind_cleanup(): device lock held. */
static void unbind_cleanup(struct usoftirq__pdev *p)
{
	struct usoftirq_device *dev = &p->pdev->dev;

	usoftirq_devres_release_all(dev);
	__atomic_store_n(&dev->driver_name, NULL, __ATOMIC_RELEASE);
	dev->driver_data = NULL;
	set_binding(p, NULL, false);
}

/* call_driver_probe()'s messages. */
static void report_probe_failure(struct usoftirq_device *dev,
				 const struct usoftirq_platform_driver *drv,
				 int ret)
{
	if (ret == -USOFTIRQ_EPROBE_DEFER || ret == -ENODEV || ret == -ENXIO)
		return;
	usoftirq__dev_report(USOFTIRQ_REPORT_ERR, dev,
			     "probe with driver %s failed with error %d",
			     drv->driver.name, ret);
}

/* really_probe(): device lock held, p->drv == drv claimed by the caller. */
static enum probe_result really_probe(struct usoftirq__pdev *p,
				      struct usoftirq_platform_driver *drv)
{
	struct usoftirq_platform_device *pdev = p->pdev;
	struct usoftirq_device *dev = &pdev->dev;
	int ret;

	if (has_devres(dev)) {
		usoftirq__dev_report(USOFTIRQ_REPORT_ERR, dev,
				     "Resources present before probing");
		set_binding(p, NULL, false);
		return PROBE_STOP;
	}
	pdev->id_entry = NULL;
	(void)usoftirq__platform_match(drv, pdev, &pdev->id_entry);
	/* Release: dev_printk() from other threads reads the string. */
	__atomic_store_n(&dev->driver_name, drv->driver.name, __ATOMIC_RELEASE);
	ret = drv->probe ? drv->probe(pdev) : 0;
	if (!ret) {
		set_binding(p, drv, true);
		return PROBE_BOUND;
	}
	report_probe_failure(dev, drv, ret);
	unbind_cleanup(p);
	return PROBE_FAILED;
}

void usoftirq__device_attach(struct usoftirq__pdev *p)
{
	struct usoftirq_platform_driver *drv;
	enum probe_result r = PROBE_FAILED;
	unsigned long seq = 0;

	usoftirq__pdev_lock(p, "usoftirq_platform_device_register");
	while (r == PROBE_FAILED) {
		struct usoftirq__pdrv *d = NULL;

		usoftirq__bus_lock();
		if (!p->dead && !p->drv)
			d = usoftirq__pdrv_after(p, seq);
		drv = d ? d->drv : NULL;
		if (d) {
			seq = d->seq;
			p->drv = drv;
		}
		usoftirq__bus_unlock();
		if (!drv)
			break;
		r = really_probe(p, drv);
	}
	usoftirq__pdev_unlock(p);
}

static bool may_bind(const struct usoftirq__pdev *p, const void *drv)
{
	return !p->dead && !p->drv &&
	       usoftirq__platform_match(drv, p->pdev, NULL);
}

/* Claim @p for @d if both are still free to bind; device lock held. */
static bool claim(struct usoftirq__pdev *p, const struct usoftirq__pdrv *d)
{
	bool ok;

	usoftirq__bus_lock();
	ok = !p->dead && !p->drv && !d->dead;
	if (ok)
		p->drv = d->drv;
	usoftirq__bus_unlock();
	return ok;
}

void usoftirq__driver_attach(struct usoftirq__pdrv *d)
{
	struct usoftirq__pdev *p = NULL;

	usoftirq__bus_lock();
	while ((p = usoftirq__pdev_next(p, may_bind, d->drv))) {
		usoftirq__bus_unlock();
		/* Never one of the caller's own devices: those are claimed. */
		usoftirq__pdev_lock(p, "usoftirq_platform_driver_register");
		if (claim(p, d))
			(void)really_probe(p, d->drv);
		usoftirq__pdev_unlock(p);
		usoftirq__bus_lock();
	}
	usoftirq__bus_unlock();
}

/* platform_remove(). */
static void call_remove(struct usoftirq_platform_device *pdev,
			const struct usoftirq_platform_driver *drv)
{
	if (drv->remove_new)
		drv->remove_new(pdev);
	else if (drv->remove && drv->remove(pdev))
		usoftirq__dev_report(USOFTIRQ_REPORT_WARNING, &pdev->dev,
				     "remove callback returned a non-zero "
				     "value. This will be ignored.");
}

void usoftirq__device_release_driver(struct usoftirq__pdev *p,
				     const struct usoftirq_platform_driver *drv,
				     const char *caller)
{
	struct usoftirq_platform_driver *bound;

	usoftirq__pdev_lock(p, caller);
	/* Device lock held: p->drv changes only under it. A probe that
	 * failed has already dropped its claim. */
	bound = p->drv;
	if (bound && (!drv || bound == drv)) {
		set_binding(p, bound, false);
		call_remove(p->pdev, bound);
		unbind_cleanup(p);
	}
	usoftirq__pdev_unlock(p);
}
