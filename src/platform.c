/* SPDX-License-Identifier: MIT */
/*
 * The platform bus: registering and unregistering devices and drivers,
 * the bus's device and driver lists, and machine teardown
 * (drivers/base/platform.c, bus.c and driver.c, in short).
 *
 * Devices live on a machine; drivers are process-wide, so a driver
 * registered before any machine exists binds devices of every machine
 * created later. All of it is task context: registration may run probe()
 * and unregistration remove(), which may sleep.
 *
 * Lifetimes. A device's bus record (struct usoftirq__pdev) is separate
 * from the caller's struct usoftirq_platform_device: it is reference
 * counted, so a thread walking the device list (a driver being
 * registered or unregistered) can stand on a record while another thread
 * unregisters that device, and the caller may free its structure as soon
 * as unregistration returns. A driver's record lives from registration to
 * the end of its unregistration, which first waits for every probe and
 * remove of it (through the device locks).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "platform.h"
#include "thread.h"

/* Protects the lists and the fields documented "bus lock" in platform.h. */
static pthread_mutex_t bus_mutex = PTHREAD_MUTEX_INITIALIZER;
/* Devices of every machine, in registration order. */
static struct usoftirq__pdev *dev_head, *dev_tail;
/* Drivers, in registration order, and the last sequence number given. */
static struct usoftirq__pdrv *drv_head;
static unsigned long drv_seq;

void usoftirq__bus_lock(void)
{
	int err = pthread_mutex_lock(&bus_mutex);

	if (err)
		USOFTIRQ__DIE("pthread_mutex_lock(bus)", err);
}

void usoftirq__bus_unlock(void)
{
	int err = pthread_mutex_unlock(&bus_mutex);

	if (err)
		USOFTIRQ__DIE("pthread_mutex_unlock(bus)", err);
}

/* Registration, probe and remove may sleep: task context only. */
static void check_task_context(const char *caller, const void *ret_addr)
{
	usoftirq__assert_task_context(caller);
	usoftirq__might_sleep(__FILE__, __LINE__, ret_addr);
}

/* ------------------------------------------------------------------ */
/* The device list                                                     */
/* ------------------------------------------------------------------ */

static void pdev_link(struct usoftirq__pdev *p)
{
	p->prev = dev_tail;
	p->next = NULL;
	if (dev_tail)
		dev_tail->next = p;
	else
		dev_head = p;
	dev_tail = p;
}

static void pdev_unlink(struct usoftirq__pdev *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		dev_head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		dev_tail = p->prev;
}

void usoftirq__pdev_put(struct usoftirq__pdev *p)
{
	if (--p->refs)
		return;
	pdev_unlink(p);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

struct usoftirq__pdev *usoftirq__pdev_next(struct usoftirq__pdev *cur,
					   usoftirq__pdev_want_t want,
					   const void *arg)
{
	struct usoftirq__pdev *n = cur ? cur->next : dev_head;

	while (n && !want(n, arg))
		n = n->next;
	if (n)
		n->refs++;
	if (cur)
		usoftirq__pdev_put(cur);
	return n;
}

/* A live device of @m named @name, if any. Bus lock held. */
static bool name_taken(const struct usoftirq_machine *m, const char *name)
{
	for (struct usoftirq__pdev *p = dev_head; p; p = p->next)
		if (!p->dead && p->machine == m && !strcmp(p->name, name))
			return true;
	return false;
}

static struct usoftirq__pdev *
pdev_alloc(struct usoftirq_machine *m,
	   const struct usoftirq_platform_device *pdev)
{
	int len = pdev->id == USOFTIRQ_PLATFORM_DEVID_NONE ?
			  snprintf(NULL, 0, "%s", pdev->name) :
			  snprintf(NULL, 0, "%s.%d", pdev->name, pdev->id);
	struct usoftirq__pdev *p = calloc(1, sizeof(*p) + (size_t)len + 1);
	int err;

	if (!p)
		return NULL;
	if (pdev->id == USOFTIRQ_PLATFORM_DEVID_NONE)
		snprintf(p->name, (size_t)len + 1, "%s", pdev->name);
	else
		snprintf(p->name, (size_t)len + 1, "%s.%d", pdev->name,
			 pdev->id);
	err = pthread_mutex_init(&p->lock, NULL);
	if (err)
		USOFTIRQ__DIE("pthread_mutex_init(device)", err);
	p->machine = m;
	p->refs = 1;
	return p;
}

/* Publish @p as @pdev's registration. Bus lock held. */
static void pdev_publish(struct usoftirq__pdev *p,
			 struct usoftirq_platform_device *pdev)
{
	p->pdev = pdev;
	pdev->usoftirq_priv = p;
	pdev->id_entry = NULL;
	pdev->dev.name = p->name;
	pdev->dev.bus_name = "platform";
	pdev->dev.machine = p->machine;
	__atomic_store_n(&pdev->dev.driver_name, NULL, __ATOMIC_RELEASE);
	pdev->dev.devres = NULL;
	pdev->dev.devres_lock = 0;
	pdev_link(p);
}

/* Take it off the bus. Bus lock held; drops the registration's reference. */
static void pdev_retire(struct usoftirq__pdev *p)
{
	struct usoftirq_platform_device *pdev = p->pdev;

	pdev->usoftirq_priv = NULL;
	pdev->dev.name = NULL;
	pdev->dev.bus_name = NULL;
	p->pdev = NULL;
	usoftirq__pdev_put(p);
}

int usoftirq_platform_device_register(struct usoftirq_machine *m,
				      struct usoftirq_platform_device *pdev)
{
	struct usoftirq__pdev *p;
	int err = 0;

	check_task_context("usoftirq_platform_device_register",
			   __builtin_return_address(0));
	if (!m || !pdev || !pdev->name)
		return -EINVAL;
	p = pdev_alloc(m, pdev);
	if (!p)
		return -ENOMEM;
	usoftirq__bus_lock();
	if (pdev->usoftirq_priv)
		err = -EBUSY;
	else if (name_taken(m, p->name))
		err = -EEXIST;
	else
		pdev_publish(p, pdev);
	usoftirq__bus_unlock();
	if (err == -EEXIST)
		/* fs/sysfs/dir.c: sysfs_warn_dup(), for device_add(). */
		usoftirq__report(USOFTIRQ_REPORT_DEVICE, USOFTIRQ_REPORT_NOTICE,
				 NULL, 0,
				 "sysfs: cannot create duplicate filename "
				 "'/devices/platform/%s'",
				 p->name);
	if (err) {
		pthread_mutex_destroy(&p->lock);
		free(p);
		return err;
	}
	usoftirq__device_attach(p);
	return 0;
}

static struct usoftirq__pdev *
claim_registration(struct usoftirq_platform_device *pdev, const char *caller)
{
	struct usoftirq__pdev *p;

	usoftirq__bus_lock();
	p = pdev->usoftirq_priv;
	if (p && !p->dead)
		p->dead = true;
	else
		p = NULL;
	usoftirq__bus_unlock();
	if (!p)
		usoftirq__fatal(__FILE__, __LINE__,
				"%s(%s): the device is not registered (or is "
				"being unregistered by another thread)",
				caller, pdev->name ? pdev->name : "(null)");
	return p;
}

void usoftirq_platform_device_unregister(struct usoftirq_platform_device *pdev)
{
	static const char caller[] = "usoftirq_platform_device_unregister";
	struct usoftirq__pdev *p;

	check_task_context(caller, __builtin_return_address(0));
	p = claim_registration(pdev, caller);
	usoftirq__device_release_driver(p, NULL, caller);
	/* What was acquired outside a binding (device_release()). */
	usoftirq_devres_release_all(&pdev->dev);
	usoftirq__bus_lock();
	pdev_retire(p);
	usoftirq__bus_unlock();
}

bool usoftirq_platform_device_bound(const struct usoftirq_platform_device *pdev)
{
	const struct usoftirq__pdev *p;
	bool bound;

	usoftirq__bus_lock();
	p = pdev->usoftirq_priv;
	bound = p && p->bound;
	usoftirq__bus_unlock();
	return bound;
}

/* ------------------------------------------------------------------ */
/* The driver list                                                     */
/* ------------------------------------------------------------------ */

static struct usoftirq__pdrv *find_driver(const char *name)
{
	for (struct usoftirq__pdrv *d = drv_head; d; d = d->next)
		if (!strcmp(d->drv->driver.name, name))
			return d;
	return NULL;
}

static void pdrv_link(struct usoftirq__pdrv *d)
{
	struct usoftirq__pdrv **link = &drv_head;

	while (*link)
		link = &(*link)->next;
	d->seq = ++drv_seq;
	*link = d;
	d->drv->usoftirq_priv = d;
}

static void pdrv_unlink(struct usoftirq__pdrv *d)
{
	struct usoftirq__pdrv **link = &drv_head;

	while (*link != d)
		link = &(*link)->next;
	*link = d->next;
	d->drv->usoftirq_priv = NULL;
}

struct usoftirq__pdrv *usoftirq__pdrv_after(const struct usoftirq__pdev *p,
					    unsigned long seq)
{
	for (struct usoftirq__pdrv *d = drv_head; d; d = d->next)
		if (d->seq > seq && !d->dead &&
		    usoftirq__platform_match(d->drv, p->pdev, NULL))
			return d;
	return NULL;
}

static int check_driver(const struct usoftirq_platform_driver *drv)
{
	if (!drv || !drv->driver.name)
		return -EINVAL;
	if (drv->remove && drv->remove_new) {
		usoftirq__report(USOFTIRQ_REPORT_INVALID_ARGUMENT,
				 USOFTIRQ_REPORT_ERR, NULL, 0,
				 "usoftirq_platform_driver_register(%s): both "
				 "remove and remove_new are set; a driver has "
				 "one remove callback",
				 drv->driver.name);
		return -EINVAL;
	}
	return 0;
}

int usoftirq_platform_driver_register(struct usoftirq_platform_driver *drv)
{
	struct usoftirq__pdrv *d;
	int err;

	check_task_context("usoftirq_platform_driver_register",
			   __builtin_return_address(0));
	err = check_driver(drv);
	if (err)
		return err;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->drv = drv;
	usoftirq__bus_lock();
	if (drv->usoftirq_priv || find_driver(drv->driver.name))
		err = -EBUSY;
	else
		pdrv_link(d);
	usoftirq__bus_unlock();
	if (err) {
		/* drivers/base/driver.c: driver_register(). */
		usoftirq__report(USOFTIRQ_REPORT_DEVICE, USOFTIRQ_REPORT_ERR,
				 NULL, 0,
				 "Error: Driver '%s' is already registered, "
				 "aborting...",
				 drv->driver.name);
		free(d);
		return err;
	}
	usoftirq__driver_attach(d);
	return 0;
}

static bool bound_to(const struct usoftirq__pdev *p, const void *drv)
{
	return p->drv == drv;
}

void usoftirq_platform_driver_unregister(struct usoftirq_platform_driver *drv)
{
	static const char caller[] = "usoftirq_platform_driver_unregister";
	struct usoftirq__pdrv *d;
	struct usoftirq__pdev *p = NULL;

	check_task_context(caller, __builtin_return_address(0));
	usoftirq__bus_lock();
	d = drv->usoftirq_priv;
	if (d && !d->dead)
		d->dead = true;
	else
		d = NULL;
	/*
	 * From here no probe starts with @drv, and every device it is bound
	 * to or probing has p->drv == drv: the walk meets each of them.
	 */
	while (d && (p = usoftirq__pdev_next(p, bound_to, drv))) {
		usoftirq__bus_unlock();
		usoftirq__device_release_driver(p, drv, caller);
		usoftirq__bus_lock();
	}
	if (d)
		pdrv_unlink(d);
	usoftirq__bus_unlock();
	if (!d)
		usoftirq__fatal(__FILE__, __LINE__,
				"%s(%s): the driver is not registered (or is "
				"being unregistered by another thread)",
				caller,
				drv->driver.name ? drv->driver.name : "(null)");
	free(d);
}

/* ------------------------------------------------------------------ */
/* Machine teardown                                                    */
/* ------------------------------------------------------------------ */

static bool lives_on(const struct usoftirq__pdev *p, const void *m)
{
	return !p->dead && p->machine == m;
}

void usoftirq__platform_machine_destroy(struct usoftirq_machine *m)
{
	struct usoftirq__pdev *p = NULL;
	struct usoftirq_platform_device *pdev;

	usoftirq__bus_lock();
	while ((p = usoftirq__pdev_next(p, lives_on, m))) {
		pdev = p->pdev;
		usoftirq__bus_unlock();
		usoftirq__report(USOFTIRQ_REPORT_DESTROY_PENDING,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "machine destroyed with platform device %s "
				 "still registered: unregistering it; "
				 "unregister devices before destroying the "
				 "machine",
				 p->name);
		usoftirq_platform_device_unregister(pdev);
		usoftirq__bus_lock();
	}
	usoftirq__bus_unlock();
}
