/* SPDX-License-Identifier: MIT */
/*
 * Requesting and freeing interrupt lines: request_threaded_irq(),
 * free_irq() and their devm_ forms, with the checks, error codes and
 * messages of kernel/irq/manage.c (__setup_irq, __free_irq) and
 * kernel/irq/devres.c.
 *
 * Request and free of one line are serialised by the line's request lock.
 * Hardirq handlers never take it: they walk the action list under
 * liburcu's read lock, and free_irq() waits for a grace period after
 * unlinking an action before freeing it.
 */
#include <errno.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>

#include "irq.h"
#include "platform.h"
#include "lock.h"
#include "machine.h"
#include "report.h"

#include <usoftirq/device.h>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
/* Pairs with rcu_reader_done() in src/irq_handle.c. */
#define rcu_writer_after_grace_period(p) __tsan_acquire(p)
#else
#define rcu_writer_after_grace_period(p) ((void)(p))
#endif

/* The primary handler installed for handler == NULL (irq_default_primary_handler). */
static usoftirq_irqreturn_t default_primary(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return USOFTIRQ_IRQ_WAKE_THREAD;
}

/* request_threaded_irq()'s flag checks, in the kernel's order. */
static bool flags_invalid(unsigned long flags, const void *dev_id)
{
	bool shared = flags & USOFTIRQ_IRQF_SHARED;

	return (shared && !dev_id) ||
	       (shared && (flags & USOFTIRQ_IRQF_NO_AUTOEN)) ||
	       (!shared && (flags & USOFTIRQ_IRQF_COND_SUSPEND)) ||
	       ((flags & USOFTIRQ_IRQF_NO_SUSPEND) &&
		(flags & USOFTIRQ_IRQF_COND_SUSPEND));
}

static int report_mismatch(struct usoftirq__irq_desc *desc,
			   const struct usoftirq__irq_action *old,
			   const struct usoftirq__irq_action *new)
{
	if (!(new->flags &USOFTIRQ_IRQF_PROBE_SHARED))
		usoftirq__report(
			USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH, USOFTIRQ_REPORT_ERR,
			NULL, 0,
			"Flags mismatch irq %u. %08lx (%s) vs. %08lx (%s)",
			desc->irq, new->flags, new->name ? new->name : "",
			old->flags, old->name ? old->name : "");
	return -EBUSY;
}

/* Can @new join the line whose first action is @old? */
static int check_sharing(struct usoftirq__irq_desc *desc,
			 const struct usoftirq__irq_action *old,
			 struct usoftirq__irq_action *new)
{
	unsigned long trigger = USOFTIRQ_IRQF_TRIGGER_MASK;

	if (!(old->flags & new->flags &USOFTIRQ_IRQF_SHARED) ||
	    (old->flags & trigger) != (new->flags &trigger))
		return report_mismatch(desc, old, new);
	if ((old->flags & USOFTIRQ_IRQF_ONESHOT) &&
	    (new->flags &USOFTIRQ_IRQF_COND_ONESHOT))
		new->flags |= USOFTIRQ_IRQF_ONESHOT;
	else if ((old->flags ^ new->flags) & USOFTIRQ_IRQF_ONESHOT)
		return report_mismatch(desc, old, new);
	if ((old->flags ^ new->flags) & USOFTIRQ_IRQF_PERCPU)
		return report_mismatch(desc, old, new);
	return 0;
}

static void append_action(struct usoftirq__irq_desc *desc,
			  struct usoftirq__irq_action *a)
{
	_Atomic(struct usoftirq__irq_action *) *link = &desc->action;
	struct usoftirq__irq_action *p;

	while ((p = atomic_load_explicit(link, memory_order_relaxed)))
		link = &p->next;
	/* Release: publishes the action to hardirq readers (acquire). */
	atomic_store_explicit(link, a, memory_order_release);
}

/* The first action: the line takes its trigger type and starts. */
static void first_action(struct usoftirq__irq_desc *desc,
			 const struct usoftirq__irq_action *a)
{
	if (a->flags & USOFTIRQ_IRQF_TRIGGER_MASK)
		atomic_store(&desc->type,
			     (unsigned int)(a->flags &
					    USOFTIRQ_IRQF_TRIGGER_MASK));
	atomic_store(&desc->oneshot, (a->flags & USOFTIRQ_IRQF_ONESHOT) != 0);
	usoftirq__irq_startup(desc,
			      (a->flags & USOFTIRQ_IRQF_NO_AUTOEN) ? 1 : 0);
}

/* __setup_irq(), after the argument checks. */
static int setup_irq(struct usoftirq__irq_desc *desc,
		     struct usoftirq__irq_action *a)
{
	struct usoftirq__irq_action *old;
	int err = 0;

	if (a->handler == default_primary &&
	    !(a->flags & USOFTIRQ_IRQF_ONESHOT)) {
		usoftirq__report(USOFTIRQ_REPORT_IRQ_REQUEST_INVALID,
				 USOFTIRQ_REPORT_ERR, NULL, 0,
				 "Threaded irq requested with handler=NULL and "
				 "!ONESHOT for %s (irq %u)",
				 a->name ? a->name : "", desc->irq);
		return -EINVAL;
	}
	/* A sharer that does not say which trigger gets the line's. */
	if (!(a->flags & USOFTIRQ_IRQF_TRIGGER_MASK))
		a->flags |= atomic_load(&desc->type) &
			    USOFTIRQ_IRQF_TRIGGER_MASK;
	usoftirq__lock(&desc->request_lock);
	old = atomic_load_explicit(&desc->action, memory_order_relaxed);
	if (old)
		err = check_sharing(desc, old, a);
	if (!err && a->thread_fn)
		err = usoftirq__irq_thread_start(a);
	if (!err) {
		append_action(desc, a);
		if (!old)
			first_action(desc, a);
	}
	usoftirq__unlock(&desc->request_lock);
	return err;
}

int usoftirq_request_threaded_irq(struct usoftirq_machine *m, unsigned int irq,
				  usoftirq_irq_handler_t handler,
				  usoftirq_irq_handler_t thread_fn,
				  unsigned long flags, const char *name,
				  void *dev_id)
{
	struct usoftirq__irq_desc *desc;
	struct usoftirq__irq_action *a;
	int err;

	if (irq == USOFTIRQ_IRQ_NOTCONNECTED)
		return -ENOTCONN;
	if (flags_invalid(flags, dev_id))
		return -EINVAL;
	desc = usoftirq__irq_desc(m, irq);
	if (!desc || (!handler && !thread_fn))
		return -EINVAL;
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->handler = handler ? handler : default_primary;
	a->thread_fn = thread_fn;
	a->flags = flags;
	a->name = name;
	a->dev_id = dev_id;
	a->desc = desc;
	err = setup_irq(desc, a);
	if (err)
		free(a);
	return err;
}

int usoftirq_request_irq(struct usoftirq_machine *m, unsigned int irq,
			 usoftirq_irq_handler_t handler, unsigned long flags,
			 const char *name, void *dev_id)
{
	return usoftirq_request_threaded_irq(m, irq, handler, NULL,
					     flags | USOFTIRQ_IRQF_COND_ONESHOT,
					     name, dev_id);
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

/* Unlink @dev_id's action; shut the line down if it was the last. */
static struct usoftirq__irq_action *
unlink_action(struct usoftirq__irq_desc *desc, const void *dev_id)
{
	_Atomic(struct usoftirq__irq_action *) *link = &desc->action;
	struct usoftirq__irq_action *a;

	usoftirq__lock(&desc->request_lock);
	while ((a = atomic_load_explicit(link, memory_order_relaxed)) &&
	       a->dev_id != dev_id)
		link = &a->next;
	if (a) {
		/* Readers that already hold @a keep using it until the grace
		 * period ends; new readers skip it. */
		atomic_store_explicit(
			link,
			atomic_load_explicit(&a->next, memory_order_relaxed),
			memory_order_release);
		if (!atomic_load_explicit(&desc->action, memory_order_relaxed))
			usoftirq__irq_shutdown(desc);
	}
	usoftirq__unlock(&desc->request_lock);
	return a;
}

const void *usoftirq_free_irq(struct usoftirq_machine *m, unsigned int irq,
			      void *dev_id)
{
	struct usoftirq__irq_desc *desc = usoftirq__irq_desc(m, irq);
	struct usoftirq__irq_action *a;
	const char *name;

	if (!desc)
		return NULL;
	if (usoftirq_in_interrupt()) {
		usoftirq__report(USOFTIRQ_REPORT_IRQ_FREE_FROM_INTERRUPT,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "Trying to free IRQ %u from IRQ context!",
				 irq);
		return NULL;
	}
	a = unlink_action(desc, dev_id);
	if (!a) {
		usoftirq__report(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "Trying to free already-free IRQ %u", irq);
		return NULL;
	}
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	/* No hardirq handler can still be running @a after this. */
	urcu_memb_synchronize_rcu();
	rcu_writer_after_grace_period(a);
	/* Nor can a usoftirq_irq_wake_thread() caller. */
	usoftirq__irq_wait_wake_walkers(desc);
	/* A run already requested still happens, then the thread exits. */
	usoftirq__irq_thread_stop(a);
	name = a->name;
	free(a);
	return name;
}

/* Machine teardown: free whatever the drivers left requested. */
void usoftirq__irq_free_all(struct usoftirq_machine *m)
{
	for (unsigned int irq = 1; irq <= m->nr_irqs; irq++) {
		struct usoftirq__irq_action *a;

		while ((a = atomic_load(&m->irq_descs[irq].action))) {
			usoftirq__report(USOFTIRQ_REPORT_DESTROY_PENDING,
					 USOFTIRQ_REPORT_WARNING, NULL, 0,
					 "machine destroyed with IRQ %u (%s) "
					 "still requested: freeing it; free "
					 "IRQs before destroying the machine",
					 irq, a->name ? a->name : "");
			(void)usoftirq_free_irq(m, irq, a->dev_id);
		}
	}
}

/* ------------------------------------------------------------------ */
/* devm_                                                               */
/* ------------------------------------------------------------------ */

struct irq_devres {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(struct usoftirq_device *dev, void *res)
{
	struct irq_devres *r = res;

	(void)usoftirq_free_irq(dev->machine, r->irq, r->dev_id);
}

static bool devm_irq_match(struct usoftirq_device *dev, void *res, void *data)
{
	const struct irq_devres *r = res, *want = data;

	(void)dev;
	return r->irq == want->irq && r->dev_id == want->dev_id;
}

/* kernel/irq/devres.c (6.18): the helper reports failures itself, with
 * dev_err_probe(): the device's prefix, the symbolic error, nothing for
 * -EPROBE_DEFER (deferred) or -ENOMEM (the allocator already spoke). */
static void report_devm_failure(struct usoftirq_device *dev, unsigned int irq,
				usoftirq_irq_handler_t handler,
				usoftirq_irq_handler_t thread_fn,
				const char *name, int err)
{
	char h[160], t[160], prefix[160], e[32];

	if (err == -USOFTIRQ_EPROBE_DEFER || err == -ENOMEM)
		return;
	usoftirq__report(USOFTIRQ_REPORT_IRQ_REQUEST_FAILED,
			 USOFTIRQ_REPORT_ERR, NULL, 0,
			 "%s: error %s: request_irq(%u) %s %s %s",
			 usoftirq__dev_prefix(dev, prefix, sizeof(prefix)),
			 usoftirq__errname(err, e, sizeof(e)), irq,
			 usoftirq__symbolize((const void *)handler, h,
					     sizeof(h), USOFTIRQ__SYM_NAME),
			 usoftirq__symbolize((const void *)thread_fn, t,
					     sizeof(t), USOFTIRQ__SYM_NAME),
			 name ? name : "");
}

int usoftirq_devm_request_threaded_irq(struct usoftirq_device *dev,
				       unsigned int irq,
				       usoftirq_irq_handler_t handler,
				       usoftirq_irq_handler_t thread_fn,
				       unsigned long flags, const char *name,
				       void *dev_id)
{
	struct irq_devres *r =
		usoftirq_devres_alloc(devm_irq_release, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	if (!name)
		name = usoftirq_dev_name(dev);
	err = usoftirq_request_threaded_irq(dev->machine, irq, handler,
					    thread_fn, flags, name, dev_id);
	if (err) {
		usoftirq_devres_free(r);
		report_devm_failure(dev, irq, handler, thread_fn, name, err);
		return err;
	}
	r->irq = irq;
	r->dev_id = dev_id;
	usoftirq_devres_add(dev, r);
	return 0;
}

int usoftirq_devm_request_irq(struct usoftirq_device *dev, unsigned int irq,
			      usoftirq_irq_handler_t handler,
			      unsigned long flags, const char *name,
			      void *dev_id)
{
	return usoftirq_devm_request_threaded_irq(
		dev, irq, handler, NULL, flags | USOFTIRQ_IRQF_COND_ONESHOT,
		name, dev_id);
}

void usoftirq_devm_free_irq(struct usoftirq_device *dev, unsigned int irq,
			    void *dev_id)
{
	struct irq_devres want = { irq, dev_id };

	if (usoftirq_devres_release(dev, devm_irq_release, devm_irq_match,
				    &want) != 0)
		usoftirq__report(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "devm_free_irq(%s, %u): no such managed IRQ",
				 usoftirq_dev_name(dev), irq);
}
