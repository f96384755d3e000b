/* SPDX-License-Identifier: MIT */
/*
 * Device models, the device lock, and the bus.
 *
 * A device is an immutable register table plus one stored value per
 * register and the model's own state, all guarded by the device lock.
 *
 * The device lock is the library's futex lock (src/lock.h: one CAS to take
 * it, one exchange to drop it, a system call only under contention), taken
 * with interrupts masked for the holder (lazy masking, a per-thread flag:
 * no system call either). So a hardirq handler never interrupts a holder
 * of the lock on its own thread. One way remains for a thread to meet a
 * device lock it holds itself: a device callback accessing its own device.
 * To catch it, every thread keeps a small stack of the device locks it
 * holds (in initial-exec TLS, so a signal handler reads it with plain
 * loads): an access to a device already on the caller's stack is a
 * re-entry, reported and ignored, never a deadlock.
 *
 * Invariants:
 *  1. A thread pushes a device on its stack before it starts taking the
 *     lock and pops it after it dropped the lock, so "on my stack" covers
 *     every instant at which it may hold the lock.
 *  2. Locks nest in stack order: the unlock is always of the top entry.
 *  3. The register table and @order never change after creation, so the
 *     access checks (width, alignment, register) need no lock.
 *
 * The bus of a machine is a list of its attached devices. Attaching,
 * detaching, ioremap() and iounmap() are rare, task-context operations;
 * one process-wide mutex serialises them all, because the address space
 * of mappings is process-wide anyway (readl() takes no machine argument).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "lock.h"
#include "machine.h"
#include "mmio.h"
#include "report.h"
#include "thread.h"

/*
 * Deepest nesting of device locks in one thread: a callback of device A
 * accessing device B whose callback accesses C... Real models nest one
 * level at most; 8 leaves ample room and keeps the stack on one line.
 */
#define MMIO_NEST_MAX 8

/* Bus addresses and sizes of devices are in 4 KiB pages, as on hardware. */
#define MMIO_PAGE 4096u

/*
 * The device locks the thread holds, oldest first. Only the owning thread
 * and signal handlers running on it touch it; a handler leaves it as it
 * found it. Relaxed atomics plus signal fences: the handler must see an
 * entry written before @depth covers it.
 */
struct held_stack {
	const struct usoftirq_mmio_device *dev[MMIO_NEST_MAX];
	unsigned int depth;
};

static __thread struct held_stack held_tls
	__attribute__((tls_model("initial-exec")));

static pthread_mutex_t bus_mutex = PTHREAD_MUTEX_INITIALIZER;

/* ------------------------------------------------------------------ */
/* The held stack and the device lock                                  */
/* ------------------------------------------------------------------ */

bool usoftirq__mmio_held(const struct usoftirq_mmio_device *dev)
{
	unsigned int depth = __atomic_load_n(&held_tls.depth, __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < depth; i++)
		if (__atomic_load_n(&held_tls.dev[i], __ATOMIC_RELAXED) == dev)
			return true;
	return false;
}

static void held_push(const struct usoftirq_mmio_device *dev)
{
	unsigned int depth = __atomic_load_n(&held_tls.depth, __ATOMIC_RELAXED);

	if (depth == MMIO_NEST_MAX)
		usoftirq__fatal(__FILE__, __LINE__,
				"device %s: more than %u device locks nested "
				"in one thread",
				dev->name, MMIO_NEST_MAX);
	__atomic_store_n(&held_tls.dev[depth], dev, __ATOMIC_RELAXED);
	/* The entry is in place before a handler can see it counted. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&held_tls.depth, depth + 1, __ATOMIC_RELAXED);
	/* Counted (invariant 1) before the lock is taken. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static void held_pop(const struct usoftirq_mmio_device *dev)
{
	unsigned int depth = __atomic_load_n(&held_tls.depth, __ATOMIC_RELAXED);

	if (depth == 0 ||
	    __atomic_load_n(&held_tls.dev[depth - 1], __ATOMIC_RELAXED) != dev)
		usoftirq__fatal(__FILE__, __LINE__,
				"device %s: unlocked by a thread that does not "
				"hold it last (device locks nest)",
				dev->name);
	/* The lock is dropped (invariant 1) before the entry goes. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&held_tls.depth, depth - 1, __ATOMIC_RELAXED);
}

void usoftirq__mmio_dev_lock(struct usoftirq_mmio_device *dev)
{
	unsigned long flags = usoftirq_local_irq_save();

	held_push(dev);
	/* Acquire (in usoftirq__lock): pairs with the seq_cst exchange of
	 * the previous holder's usoftirq__unlock(); the registers and model
	 * state it wrote are visible from here. */
	usoftirq__lock(&dev->lock);
	dev->irq_flags = flags;
}

void usoftirq__mmio_dev_unlock(struct usoftirq_mmio_device *dev)
{
	unsigned long flags = dev->irq_flags;

	/* Release (seq_cst exchange): pairs with the next holder's acquire. */
	usoftirq__unlock(&dev->lock);
	held_pop(dev);
	usoftirq_local_irq_restore(flags);
}

void usoftirq_mmio_lock(struct usoftirq_mmio_device *dev)
{
	if (usoftirq__mmio_held(dev))
		usoftirq__fatal(
			__FILE__, __LINE__,
			"usoftirq_mmio_lock: the calling thread already "
			"holds the lock of device %s (called from one "
			"of its callbacks?)",
			dev->name);
	usoftirq__mmio_dev_lock(dev);
}

void usoftirq_mmio_unlock(struct usoftirq_mmio_device *dev)
{
	usoftirq__mmio_dev_unlock(dev);
}

/* ------------------------------------------------------------------ */
/* Registers                                                           */
/* ------------------------------------------------------------------ */

int usoftirq__mmio_find_reg(const struct usoftirq_mmio_device *dev,
			    uint64_t offset)
{
	const struct usoftirq_mmio_reg *r;
	unsigned int lo = 0;
	unsigned int hi = dev->nregs;

	if (dev->nregs == 0)
		return -1;
	/* The last register starting at or before @offset. */
	while (hi - lo > 1) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (dev->regs[dev->order[mid]].offset <= offset)
			lo = mid;
		else
			hi = mid;
	}
	r = &dev->regs[dev->order[lo]];
	if (r->offset > offset || offset >= (uint64_t)r->offset + r->width)
		return -1;
	return (int)dev->order[lo];
}

static uint64_t width_mask(unsigned int width)
{
	return width >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
}

/* The register at exactly @offset, for the model calls (a contract). */
static int model_reg(struct usoftirq_mmio_device *dev, unsigned int offset,
		     const char *caller)
{
	int i = usoftirq__mmio_find_reg(dev, offset);

	if (i < 0 || dev->regs[i].offset != offset)
		usoftirq__fatal(__FILE__, __LINE__,
				"%s: device %s has no register at offset 0x%x",
				caller, dev->name, offset);
	if (!usoftirq__mmio_held(dev))
		usoftirq__fatal(__FILE__, __LINE__,
				"%s: device %s: the caller does not hold the "
				"device lock",
				caller, dev->name);
	return i;
}

uint64_t usoftirq_mmio_reg_value(struct usoftirq_mmio_device *dev,
				 unsigned int offset)
{
	return dev->values[model_reg(dev, offset, "usoftirq_mmio_reg_value")];
}

void usoftirq_mmio_reg_set(struct usoftirq_mmio_device *dev,
			   unsigned int offset, uint64_t value)
{
	int i = model_reg(dev, offset, "usoftirq_mmio_reg_set");

	dev->values[i] = value & width_mask(dev->regs[i].width);
}

/* ------------------------------------------------------------------ */
/* Creation and destruction                                            */
/* ------------------------------------------------------------------ */

static bool kind_valid(const struct usoftirq_mmio_reg *r)
{
	switch (r->kind) {
	case USOFTIRQ_MMIO_PLAIN:
	case USOFTIRQ_MMIO_READ_ONLY:
	case USOFTIRQ_MMIO_W1C:
		return true;
	case USOFTIRQ_MMIO_FIFO_POP:
		return r->read != NULL;
	case USOFTIRQ_MMIO_CALLBACK:
		return r->read != NULL || r->write != NULL;
	}
	return false;
}

static bool reg_valid(const struct usoftirq_mmio_reg *r, size_t size)
{
	unsigned int w = r->width;

	if (!r->name || (w != 1 && w != 2 && w != 4 && w != 8))
		return false;
	if (r->offset % w || (size_t)r->offset + w > size)
		return false;
	return (r->reset & ~width_mask(w)) == 0 && kind_valid(r);
}

/* Sort @order by offset (insertion sort: tables are short) and check
 * that no two registers overlap. */
static bool sort_regs(const struct usoftirq_mmio_reg *regs, unsigned int *order,
		      unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned int j = i;

		while (j > 0 && regs[order[j - 1]].offset > regs[i].offset) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (unsigned int i = 0; i + 1 < n; i++) {
		const struct usoftirq_mmio_reg *a = &regs[order[i]];

		if (a->offset + a->width > regs[order[i + 1]].offset)
			return false;
	}
	return true;
}

static int check_table(const char *name, size_t size,
		       const struct usoftirq_mmio_reg *regs, unsigned int nregs)
{
	if (!name || size == 0 || size % 8 || (nregs && !regs))
		return -EINVAL;
	for (unsigned int i = 0; i < nregs; i++)
		if (!reg_valid(&regs[i], size))
			return -EINVAL;
	return 0;
}

int usoftirq_mmio_device_create(struct usoftirq_mmio_device **out,
				const char *name, size_t size,
				const struct usoftirq_mmio_reg *regs,
				unsigned int nregs, void *priv)
{
	struct usoftirq_mmio_device *dev;
	int err = check_table(name, size, regs, nregs);

	if (err)
		return err;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->order = calloc(nregs ? nregs : 1, sizeof(*dev->order));
	dev->values = calloc(nregs ? nregs : 1, sizeof(*dev->values));
	if (!dev->order || !dev->values) {
		err = -ENOMEM;
	} else if (!sort_regs(regs, dev->order, nregs)) {
		err = -EINVAL;
	}
	if (err) {
		free(dev->order);
		free(dev->values);
		free(dev);
		return err;
	}
	for (unsigned int i = 0; i < nregs; i++)
		dev->values[i] = regs[i].reset;
	dev->name = name;
	dev->size = size;
	dev->regs = regs;
	dev->nregs = nregs;
	dev->priv = priv;
	*out = dev;
	return 0;
}

/* Unlink @dev from its bus. Bus mutex held. */
static void bus_unlink(struct usoftirq_mmio_device *dev)
{
	struct usoftirq_mmio_device **link = &dev->machine->mmio_devices;

	while (*link != dev)
		link = &(*link)->bus_next;
	*link = dev->bus_next;
	dev->bus_next = NULL;
	dev->machine = NULL;
}

static void check_unmapped(const struct usoftirq_mmio_device *dev,
			   const char *caller)
{
	if (dev->mappings)
		usoftirq__fatal(
			__FILE__, __LINE__,
			"%s: device %s is still mapped (%u mapping(s)); "
			"usoftirq_iounmap() them first",
			caller, dev->name, dev->mappings);
}

void usoftirq_mmio_device_destroy(struct usoftirq_mmio_device *dev)
{
	if (!dev)
		return;
	usoftirq__assert_task_context("usoftirq_mmio_device_destroy");
	pthread_mutex_lock(&bus_mutex);
	check_unmapped(dev, "usoftirq_mmio_device_destroy");
	if (dev->machine)
		bus_unlink(dev);
	pthread_mutex_unlock(&bus_mutex);
	free(dev->order);
	free(dev->values);
	free(dev);
}

void *usoftirq_mmio_device_priv(struct usoftirq_mmio_device *dev)
{
	return dev->priv;
}

const char *usoftirq_mmio_device_name(const struct usoftirq_mmio_device *dev)
{
	return dev->name;
}

/* ------------------------------------------------------------------ */
/* The bus                                                             */
/* ------------------------------------------------------------------ */

void usoftirq__mmio_bus_lock(void)
{
	pthread_mutex_lock(&bus_mutex);
}

void usoftirq__mmio_bus_unlock(void)
{
	pthread_mutex_unlock(&bus_mutex);
}

static bool overlaps(const struct usoftirq_mmio_device *a, uint64_t phys,
		     uint64_t size)
{
	return a->phys < phys + size && phys < a->phys + a->size;
}

int usoftirq_mmio_attach(struct usoftirq_machine *m,
			 struct usoftirq_mmio_device *dev, uint64_t phys)
{
	int err = 0;

	if (!m || !dev || phys % MMIO_PAGE || phys + dev->size < phys)
		return -EINVAL;
	usoftirq__assert_task_context("usoftirq_mmio_attach");
	pthread_mutex_lock(&bus_mutex);
	if (dev->machine) {
		err = -EINVAL;
		goto out;
	}
	for (struct usoftirq_mmio_device *d = m->mmio_devices; d;
	     d = d->bus_next)
		if (overlaps(d, phys, dev->size)) {
			err = -EBUSY;
			goto out;
		}
	dev->machine = m;
	dev->phys = phys;
	dev->bus_next = m->mmio_devices;
	m->mmio_devices = dev;
out:
	pthread_mutex_unlock(&bus_mutex);
	return err;
}

void usoftirq_mmio_detach(struct usoftirq_mmio_device *dev)
{
	usoftirq__assert_task_context("usoftirq_mmio_detach");
	pthread_mutex_lock(&bus_mutex);
	check_unmapped(dev, "usoftirq_mmio_detach");
	if (dev->machine)
		bus_unlink(dev);
	pthread_mutex_unlock(&bus_mutex);
}

struct usoftirq_mmio_device *usoftirq__mmio_bus_find(struct usoftirq_machine *m,
						     uint64_t phys,
						     uint64_t size)
{
	for (struct usoftirq_mmio_device *d = m->mmio_devices; d;
	     d = d->bus_next)
		if (d->phys <= phys && phys - d->phys <= d->size &&
		    size <= d->size - (phys - d->phys))
			return d;
	return NULL;
}

void usoftirq__mmio_machine_gone(struct usoftirq_machine *m)
{
	pthread_mutex_lock(&bus_mutex);
	while (m->mmio_devices) {
		struct usoftirq_mmio_device *d = m->mmio_devices;

		usoftirq__report(USOFTIRQ_REPORT_INVALID_ARGUMENT,
				 USOFTIRQ_REPORT_WARNING, NULL, 0,
				 "usoftirq_machine_destroy: device %s is still "
				 "attached at bus address 0x%lx; detached",
				 d->name, (unsigned long)d->phys);
		bus_unlink(d);
	}
	pthread_mutex_unlock(&bus_mutex);
}
