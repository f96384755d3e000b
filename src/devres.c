/* SPDX-License-Identifier: MIT */
/*
 * Managed device resources (drivers/base/devres.c, in short): each device
 * keeps a LIFO list of resources with release functions, released newest
 * first when the driver detaches. Task context uses the list, and so do
 * BH-disabled and softirq code through devm_kmalloc()/devm_kfree() with
 * GFP_ATOMIC; never a hardirq or signal handler (devm_alloc.c refuses
 * those). The library's futex lock protects it.
 */
#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <usoftirq/device.h>

#include "lock.h"

struct usoftirq__devres {
	struct usoftirq__devres *next;
	usoftirq_dr_release_t release;
	alignas(max_align_t) unsigned char data[];
};

static struct usoftirq__devres *node_of(void *res)
{
	return (struct usoftirq__devres *)((char *)res -
					   offsetof(struct usoftirq__devres,
						    data));
}

void usoftirq_device_init(struct usoftirq_device *dev,
			  struct usoftirq_machine *m, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	dev->machine = m;
	dev->name = name;
}

const char *usoftirq_dev_name(const struct usoftirq_device *dev)
{
	return dev->name ? dev->name : "(unnamed)";
}

void *usoftirq_devres_alloc(usoftirq_dr_release_t release, size_t size)
{
	struct usoftirq__devres *n = calloc(1, sizeof(*n) + size);

	if (!n)
		return NULL;
	n->release = release;
	return n->data;
}

void usoftirq_devres_free(void *res)
{
	if (res)
		free(node_of(res));
}

void usoftirq_devres_add(struct usoftirq_device *dev, void *res)
{
	struct usoftirq__devres *n = node_of(res);

	usoftirq__lock(&dev->devres_lock);
	n->next = dev->devres;
	dev->devres = n;
	usoftirq__unlock(&dev->devres_lock);
}

/* Detach the newest resource matching @release and @match, or NULL. */
static struct usoftirq__devres *take(struct usoftirq_device *dev,
				     usoftirq_dr_release_t release,
				     usoftirq_dr_match_t match, void *data)
{
	struct usoftirq__devres **link, *n;

	usoftirq__lock(&dev->devres_lock);
	for (link = &dev->devres; (n = *link); link = &n->next)
		if (n->release == release &&
		    (!match || match(dev, n->data, data)))
			break;
	if (n)
		*link = n->next;
	usoftirq__unlock(&dev->devres_lock);
	return n;
}

int usoftirq_devres_release(struct usoftirq_device *dev,
			    usoftirq_dr_release_t release,
			    usoftirq_dr_match_t match, void *match_data)
{
	struct usoftirq__devres *n = take(dev, release, match, match_data);

	if (!n)
		return -ENOENT;
	n->release(dev, n->data);
	free(n);
	return 0;
}

int usoftirq_devres_destroy(struct usoftirq_device *dev,
			    usoftirq_dr_release_t release,
			    usoftirq_dr_match_t match, void *match_data)
{
	struct usoftirq__devres *n = take(dev, release, match, match_data);

	if (!n)
		return -ENOENT;
	free(n);
	return 0;
}

unsigned int usoftirq_devres_release_all(struct usoftirq_device *dev)
{
	struct usoftirq__devres *n, *next;
	unsigned int count = 0;

	usoftirq__lock(&dev->devres_lock);
	n = dev->devres;
	dev->devres = NULL;
	usoftirq__unlock(&dev->devres_lock);
	for (; n; n = next, count++) {
		next = n->next;
		n->release(dev, n->data);
		free(n);
	}
	return count;
}

struct action_res {
	void (*action)(void *data);
	void *data;
};

static void run_action(struct usoftirq_device *dev, void *res)
{
	struct action_res *r = res;

	(void)dev;
	r->action(r->data);
}

int usoftirq_devm_add_action(struct usoftirq_device *dev,
			     void (*action)(void *data), void *data)
{
	struct action_res *r = usoftirq_devres_alloc(run_action, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->action = action;
	r->data = data;
	usoftirq_devres_add(dev, r);
	return 0;
}

int usoftirq_devm_add_action_or_reset(struct usoftirq_device *dev,
				      void (*action)(void *data), void *data)
{
	int err = usoftirq_devm_add_action(dev, action, data);

	if (err)
		action(data);
	return err;
}
