/* SPDX-License-Identifier: MIT */
/*
 * Simulated register-mapped devices.
 *
 * A device is a block of registers, each with a behaviour: plain memory,
 * read-only, write-1-to-clear, a read that pops a FIFO, or callbacks with
 * side effects (the way QEMU's MemoryRegionOps work). A device is placed
 * on its machine's bus at a "physical" address; usoftirq_ioremap() maps
 * it, as the kernel's ioremap() maps a device's physical range, and
 * returns an __iomem pointer. The read and write calls (readl(), writel()
 * and their 8/16/64-bit, ioread/iowrite and _relaxed forms in the kernel
 * spelling) dispatch to the device that the address falls in.
 *
 * The returned pointers point into address space reserved without access
 * rights, so code that dereferences one directly instead of using
 * readl()/writel() faults at once instead of silently reading memory. An
 * access of the wrong width, a misaligned one, one at an offset with no
 * register, one to an unmapped address, a write to a read-only or FIFO
 * register, or a read of a write-only one is reported as
 * %USOFTIRQ_REPORT_MMIO_BAD_ACCESS (naming the address, the device, the
 * register and the offset), never performed; such a read returns all
 * ones, as a bus error does on PCI. For example:
 *
 *   writel(0x1) at 0x7f3c2a400000: write to a read-only register (device
 *   rxdev, register IRQ_STATUS, offset 0x0)
 *   readl at 0x7f3c2a400010: address not mapped
 *
 * Each device has a lock that serialises its register accesses and its
 * model's state changes (a hardware-side thread pushing data into a FIFO
 * takes it too). Accesses mask interrupts for their duration, as an MMIO
 * access is atomic with respect to interrupts, so a hardirq handler on the
 * same thread can never find the device lock held. A device's callbacks
 * never re-enter the device: an access made from inside one of them to
 * the same device is reported as %USOFTIRQ_REPORT_MMIO_REENTRY and
 * ignored (a read returns all ones), as QEMU's re-entrancy guard does.
 */
#ifndef USOFTIRQ_MMIO_H
#define USOFTIRQ_MMIO_H

#include <stdint.h>

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;
struct usoftirq_mmio_device;
struct usoftirq_mmio_reg;

/** enum usoftirq_mmio_kind - what a register does. */
enum usoftirq_mmio_kind {
	/* A read returns the value; a write stores it. */
	USOFTIRQ_MMIO_PLAIN,
	/* A read returns the value; a write is reported and ignored. */
	USOFTIRQ_MMIO_READ_ONLY,
	/* A read returns the value; a write clears the bits written as 1. */
	USOFTIRQ_MMIO_W1C,
	/* A read pops the device's FIFO through @read; writes are refused. */
	USOFTIRQ_MMIO_FIFO_POP,
	/* Reads and writes go to @read and @write (NULL: refused). */
	USOFTIRQ_MMIO_CALLBACK,
};

/**
 * typedef usoftirq_mmio_read_fn - a register read with side effects.
 * @dev: the device (its lock is held).
 * @reg: the register.
 *
 * Return: the value read.
 */
typedef uint64_t (*usoftirq_mmio_read_fn)(struct usoftirq_mmio_device *dev,
					  const struct usoftirq_mmio_reg *reg);

/**
 * typedef usoftirq_mmio_write_fn - a register write with side effects.
 * @dev: the device (its lock is held).
 * @reg: the register.
 * @value: the value written.
 */
typedef void (*usoftirq_mmio_write_fn)(struct usoftirq_mmio_device *dev,
				       const struct usoftirq_mmio_reg *reg,
				       uint64_t value);

/**
 * struct usoftirq_mmio_reg - one register of a device model.
 * @name: for reports ("IRQ_STATUS").
 * @offset: byte offset in the device, a multiple of @width.
 * @width: the only access width allowed, in bytes: 1, 2, 4 or 8.
 * @kind: the behaviour.
 * @reset: the value at device creation and reset.
 * @read: for FIFO_POP and CALLBACK registers; its result is truncated to
 *	@width.
 * @write: for CALLBACK registers; for PLAIN and W1C registers, an optional
 *	hook called after the stored value changed, with the value written
 *	(to re-evaluate an interrupt line, for instance).
 *
 * Callbacks run with the device lock held and interrupts masked, in the
 * context of the access (a hardirq handler, possibly): they must be
 * async-signal-safe and must not sleep. They change the model's state and
 * may drive interrupt lines; they may access other devices but not their
 * own (a re-entry).
 */
struct usoftirq_mmio_reg {
	const char *name;
	unsigned int offset;
	unsigned int width;
	enum usoftirq_mmio_kind kind;
	uint64_t reset;
	usoftirq_mmio_read_fn read;
	usoftirq_mmio_write_fn write;
};

/**
 * usoftirq_mmio_device_create() - create a device model.
 * @out: receives the device.
 * @name: for reports; the string must outlive the device.
 * @size: bytes of register space (the mapping size), a multiple of 8.
 * @regs: the registers, which must not overlap; the array must outlive
 *	the device.
 * @nregs: how many.
 * @priv: the model's own data, for its callbacks.
 *
 * The table is bad if @name is NULL, @size is 0 or not a multiple of 8,
 * or a register has no name, a width other than 1, 2, 4 or 8, an offset
 * not a multiple of its width, bytes beyond @size or shared with another
 * register, a @reset that does not fit its width, a FIFO_POP without
 * @read, or a CALLBACK with neither @read nor @write.
 *
 * Context: task context.
 * Return: 0, -EINVAL for a bad register table, or -ENOMEM.
 */
USOFTIRQ_API int
usoftirq_mmio_device_create(struct usoftirq_mmio_device **out, const char *name,
			    size_t size, const struct usoftirq_mmio_reg *regs,
			    unsigned int nregs, void *priv);

/**
 * usoftirq_mmio_device_destroy() - remove a device from its bus (if
 * attached) and free it. NULL is a no-op. Destroying a device that is
 * still mapped is a contract violation (fatal, naming the device).
 * @dev: the device.
 *
 * Context: task context.
 */
USOFTIRQ_API void
usoftirq_mmio_device_destroy(struct usoftirq_mmio_device *dev);

/** usoftirq_mmio_device_priv() - the @priv given at creation. Context: any. */
USOFTIRQ_API void *usoftirq_mmio_device_priv(struct usoftirq_mmio_device *dev);

/** usoftirq_mmio_device_name() - the device's name. Context: any. */
USOFTIRQ_API const char *
usoftirq_mmio_device_name(const struct usoftirq_mmio_device *dev);

/**
 * usoftirq_mmio_lock() - take the device's lock, for a model changing its
 * state from outside an access (a hardware thread filling a FIFO).
 * Interrupts are masked for the caller while it holds the lock. No system
 * call unless another thread holds it.
 * @dev: the device.
 *
 * Context: any (async-signal-safe) except inside the device's own
 * callbacks, which hold it: taking it there is a contract violation
 * (fatal, instead of a deadlock). Device locks nest: unlock in reverse
 * order.
 */
USOFTIRQ_API void usoftirq_mmio_lock(struct usoftirq_mmio_device *dev);
USOFTIRQ_API void usoftirq_mmio_unlock(struct usoftirq_mmio_device *dev);

/**
 * usoftirq_mmio_reg_value() - a register's stored value, for the model
 * (no side effect, no check of kind). Call with the device lock held (in
 * a callback, or between usoftirq_mmio_lock() and unlock); an offset that
 * is not a register's, or a caller without the lock, is fatal.
 * @dev: the device.
 * @offset: the register's offset.
 *
 * Context: any, device lock held.
 */
USOFTIRQ_API uint64_t usoftirq_mmio_reg_value(struct usoftirq_mmio_device *dev,
					      unsigned int offset);

/**
 * usoftirq_mmio_reg_set() - set a register's stored value, for the model
 * (no side effect, no hook), truncated to the register's width. Same rules
 * as usoftirq_mmio_reg_value().
 * @dev: the device.
 * @offset: the register's offset.
 * @value: the value.
 *
 * Context: any, device lock held.
 */
USOFTIRQ_API void usoftirq_mmio_reg_set(struct usoftirq_mmio_device *dev,
					unsigned int offset, uint64_t value);

/**
 * usoftirq_mmio_attach() - place a device on a machine's bus.
 * @m: the machine.
 * @dev: the device, not attached yet.
 * @phys: its bus ("physical") address, aligned to 4096.
 *
 * Context: task context.
 * Return: 0; -EBUSY if the range overlaps another device on @m's bus;
 * -EINVAL if @phys is not aligned, the range wraps around, or @dev is
 * already attached.
 */
USOFTIRQ_API int usoftirq_mmio_attach(struct usoftirq_machine *m,
				      struct usoftirq_mmio_device *dev,
				      uint64_t phys);

/**
 * usoftirq_mmio_detach() - take a device off its bus; a device not
 * attached is left alone. Detaching a mapped device is a contract
 * violation (fatal).
 * @dev: the device.
 *
 * Context: task context.
 */
USOFTIRQ_API void usoftirq_mmio_detach(struct usoftirq_mmio_device *dev);

/**
 * usoftirq_ioremap() - map a bus range, as the kernel's ioremap().
 * @m: the machine.
 * @phys: start of the range; a device must cover all of it.
 * @size: its size.
 *
 * The address keeps the page offset of @phys, as the kernel's does.
 * Mappings live in one process-wide reservation; an address that was
 * unmapped is reused by another mapping as late as possible.
 *
 * Context: task context.
 * Return: the __iomem address of @phys, or NULL, reported as
 * %USOFTIRQ_REPORT_INVALID_ARGUMENT, if no device on @m's bus covers the
 * range (or @size is 0, or the reservation is exhausted).
 */
USOFTIRQ_API void *usoftirq_ioremap(struct usoftirq_machine *m, uint64_t phys,
				    size_t size);

/**
 * usoftirq_iounmap() - undo usoftirq_ioremap(). Waits for accesses in
 * progress through the mapping to finish; accesses through the old
 * address are then reported as unmapped. NULL is a no-op; an address that
 * usoftirq_ioremap() did not return (or already unmapped) is reported as
 * %USOFTIRQ_REPORT_INVALID_ARGUMENT.
 * @addr: the address usoftirq_ioremap() returned.
 *
 * Context: task context (may sleep).
 */
USOFTIRQ_API void usoftirq_iounmap(void *addr);

/*
 * Register accesses. @addr is an __iomem address from usoftirq_ioremap()
 * plus an offset. Context: any, including hardirq handlers
 * (async-signal-safe; errno is preserved). The _relaxed forms are the same
 * calls: every access is fully ordered, as the strongest kernel form is
 * (it takes and drops the device lock). A refused access is reported and
 * reads as all ones.
 */
USOFTIRQ_API uint8_t usoftirq_readb(const volatile void *addr);
USOFTIRQ_API uint16_t usoftirq_readw(const volatile void *addr);
USOFTIRQ_API uint32_t usoftirq_readl(const volatile void *addr);
USOFTIRQ_API uint64_t usoftirq_readq(const volatile void *addr);
USOFTIRQ_API void usoftirq_writeb(uint8_t value, volatile void *addr);
USOFTIRQ_API void usoftirq_writew(uint16_t value, volatile void *addr);
USOFTIRQ_API void usoftirq_writel(uint32_t value, volatile void *addr);
USOFTIRQ_API void usoftirq_writeq(uint64_t value, volatile void *addr);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_MMIO_H */
