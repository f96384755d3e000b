/* SPDX-License-Identifier: MIT */
/*
 * Internal side of usoftirq/mmio.h: the device object, its lock, the
 * address space of mappings, and the hook the machine calls when it goes.
 *
 * Three source files share it:
 *   src/mmio_device.c  device models, the device lock, the bus (attach,
 *                      detach, the machine's device list)
 *   src/mmio_map.c     the mapping arena: ioremap(), iounmap(), and the
 *                      lock-free address -> (device, offset) lookup
 *   src/mmio_access.c  readb()..writeq(): checks, reports, dispatch
 */
#ifndef USOFTIRQ_MMIO_INTERNAL_H
#define USOFTIRQ_MMIO_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <usoftirq/mmio.h>

#include "internal.h"

/**
 * struct usoftirq_mmio_device - a device model.
 * @name: for reports.
 * @size: bytes of register space.
 * @regs: the caller's register table (immutable while the device lives).
 * @nregs: entries in @regs.
 * @order: indices into @regs sorted by offset, for the binary search of
 *	usoftirq__mmio_find_reg().
 * @values: stored value of each register, indexed like @regs; written
 *	and read only under @lock.
 * @priv: the model's data.
 * @lock: the device lock, a src/lock.h futex word (0 free, 1 held, 2 held
 *	with sleepers). Taken only with interrupts masked for the holder.
 * @irq_flags: the interrupt state the holder saved when it took @lock
 *	(written and read by the holder only).
 * @machine: the machine whose bus the device is on, or NULL; @phys and
 *	@bus_next are meaningful while it is set. All three change only
 *	under the bus mutex (src/mmio_device.c).
 * @phys: bus address of offset 0.
 * @bus_next: next device on the same bus.
 * @mappings: live usoftirq_ioremap() mappings of the device; changed
 *	under the bus mutex, read by destroy and detach to check the
 *	contract that no mapping survives the device.
 */
struct usoftirq_mmio_device {
	const char *name;
	size_t size;
	const struct usoftirq_mmio_reg *regs;
	unsigned int nregs;
	unsigned int *order;
	uint64_t *values;
	void *priv;
	uint32_t lock;
	unsigned long irq_flags;
	struct usoftirq_machine *machine;
	uint64_t phys;
	struct usoftirq_mmio_device *bus_next;
	unsigned int mappings;
};

/* src/mmio_device.c */

/**
 * usoftirq__mmio_find_reg() - the register covering byte @offset, or -1.
 * Async-signal-safe (the table is immutable).
 */
int usoftirq__mmio_find_reg(const struct usoftirq_mmio_device *dev,
			    uint64_t offset);

/**
 * usoftirq__mmio_held() - whether the calling thread (or the code it
 * interrupted, for a signal handler) holds @dev's lock or is about to
 * take it. Async-signal-safe.
 */
bool usoftirq__mmio_held(const struct usoftirq_mmio_device *dev);

/**
 * usoftirq__mmio_dev_lock() - mask interrupts for the caller and take the
 * device lock; the caller has checked that it does not hold it already
 * (usoftirq__mmio_held()). Async-signal-safe.
 */
void usoftirq__mmio_dev_lock(struct usoftirq_mmio_device *dev);

/** usoftirq__mmio_dev_unlock() - drop it and restore interrupts. */
void usoftirq__mmio_dev_unlock(struct usoftirq_mmio_device *dev);

/* The bus mutex, for src/mmio_map.c (task context only). */
void usoftirq__mmio_bus_lock(void);
void usoftirq__mmio_bus_unlock(void);

/**
 * usoftirq__mmio_bus_find() - the device on @m's bus that covers the
 * whole range [@phys, @phys + @size), or NULL. Bus mutex held.
 */
struct usoftirq_mmio_device *usoftirq__mmio_bus_find(struct usoftirq_machine *m,
						     uint64_t phys,
						     uint64_t size);

/**
 * usoftirq__mmio_machine_gone() - the machine is being freed: take the
 * devices still attached to it off its bus (reporting each one).
 */
void usoftirq__mmio_machine_gone(struct usoftirq_machine *m);

/* src/mmio_map.c */

/**
 * struct usoftirq__mmio_where - what an __iomem address resolves to.
 * @dev: the device.
 * @offset: the byte offset in it.
 * @slot: private: the arena slot whose reader count the lookup holds.
 */
struct usoftirq__mmio_where {
	struct usoftirq_mmio_device *dev;
	uint64_t offset;
	void *slot;
};

/**
 * usoftirq__mmio_resolve() - translate an __iomem address.
 * @addr: the address.
 * @width: bytes the access covers from @addr.
 * @w: receives the device and offset.
 *
 * On success the mapping cannot be torn down (iounmap() waits) until
 * usoftirq__mmio_release(@w). Lock-free and async-signal-safe.
 *
 * Return: true if the @width bytes at @addr lie in a live mapping; false
 * (and nothing to release) otherwise.
 */
bool usoftirq__mmio_resolve(uintptr_t addr, unsigned int width,
			    struct usoftirq__mmio_where *w);

/** usoftirq__mmio_release() - end the use of a resolved address. */
void usoftirq__mmio_release(struct usoftirq__mmio_where *w);

#endif /* USOFTIRQ_MMIO_INTERNAL_H */
