/* SPDX-License-Identifier: MIT */
/*
 * Register accesses: usoftirq_readb() .. usoftirq_writeq().
 *
 * One access:
 *  1. translate the address (src/mmio_map.c; lock-free, and it keeps the
 *     mapping alive until step 5);
 *  2. refuse a re-entry: the calling thread holds the device's lock
 *     (a device callback accessing its own device);
 *  3. check the access against the immutable register table: alignment,
 *     a register at the offset, its width, its kind;
 *  4. take the device lock (interrupts masked), perform the register's
 *     behaviour, drop the lock;
 *  5. end the use of the mapping.
 * A refused access is reported, naming the address, the device, the
 * register and the offset; it touches nothing, and a refused read returns
 * all ones, as a read that nobody answers does on a PCI bus.
 *
 * Everything here is async-signal-safe (hardirq handlers access registers):
 * no allocation, no mutex, no stdio. Reports are formatted into stack
 * buffers; errno is preserved.
 */
#include <errno.h>

#include "mmio.h"
#include "report.h"

/**
 * struct access - one register access being made.
 * @addr: the __iomem address.
 * @width: bytes, 1, 2, 4 or 8.
 * @write: a write (else a read).
 * @value: the value written.
 */
struct access {
	uintptr_t addr;
	unsigned int width;
	bool write;
	uint64_t value;
};

static uint64_t all_ones(unsigned int width)
{
	return width >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
}

/* "readl" or "writel(0x5)". */
static void access_name(const struct access *a, char *buf, size_t size)
{
	char suffix = a->width == 1 ? 'b' :
		      a->width == 2 ? 'w' :
		      a->width == 4 ? 'l' :
				      'q';

	if (a->write)
		usoftirq__format(buf, size, "write%c(0x%lx)", suffix,
				 (unsigned long)a->value);
	else
		usoftirq__format(buf, size, "read%c", suffix);
}

static void report_access(enum usoftirq_report_kind kind,
			  const struct access *a,
			  const struct usoftirq_mmio_device *dev, int reg,
			  uint64_t offset, const char *problem)
{
	int saved = errno;
	char op[48];

	access_name(a, op, sizeof(op));
	if (!dev)
		usoftirq__report(kind, USOFTIRQ_REPORT_ERR, NULL, 0,
				 "%s at %p: %s", op, (void *)a->addr, problem);
	else
		usoftirq__report(kind, USOFTIRQ_REPORT_ERR, NULL, 0,
				 "%s at %p: %s (device %s, register %s, offset "
				 "0x%lx)",
				 op, (void *)a->addr, problem, dev->name,
				 reg >= 0 ? dev->regs[reg].name : "none",
				 (unsigned long)offset);
	errno = saved;
}

/* Why the register's kind refuses the access, or NULL. */
static const char *kind_refusal(const struct usoftirq_mmio_reg *r, bool write)
{
	if (!write)
		return r->kind == USOFTIRQ_MMIO_CALLBACK && !r->read ?
			       "read of a write-only register" :
			       NULL;
	switch (r->kind) {
	case USOFTIRQ_MMIO_READ_ONLY:
		return "write to a read-only register";
	case USOFTIRQ_MMIO_FIFO_POP:
		return "write to a FIFO register (reads pop it)";
	case USOFTIRQ_MMIO_CALLBACK:
		return r->write ? NULL : "write to a read-only register";
	default:
		return NULL;
	}
}

/* Step 3: the register the access may proceed on, or -1 (reported). */
static int check_access(const struct access *a,
			const struct usoftirq_mmio_device *dev, uint64_t offset)
{
	int reg = usoftirq__mmio_find_reg(dev, offset);
	const char *refusal;
	char why[80];

	if (offset % a->width) {
		usoftirq__format(why, sizeof(why), "misaligned %u-byte access",
				 a->width);
		refusal = why;
	} else if (reg < 0) {
		refusal = "no register at this offset";
	} else if (dev->regs[reg].width != a->width) {
		usoftirq__format(why, sizeof(why),
				 "wrong width: %u-byte access to a %u-byte "
				 "register",
				 a->width, dev->regs[reg].width);
		refusal = why;
	} else {
		refusal = kind_refusal(&dev->regs[reg], a->write);
	}
	if (!refusal)
		return reg;
	report_access(USOFTIRQ_REPORT_MMIO_BAD_ACCESS, a, dev, reg, offset,
		      refusal);
	return -1;
}

/* Step 4, device lock held: the register's behaviour. */
static uint64_t perform(const struct access *a,
			struct usoftirq_mmio_device *dev, int i)
{
	const struct usoftirq_mmio_reg *r = &dev->regs[i];

	if (!a->write) {
		if (r->kind == USOFTIRQ_MMIO_FIFO_POP ||
		    r->kind == USOFTIRQ_MMIO_CALLBACK)
			return r->read(dev, r) & all_ones(r->width);
		return dev->values[i];
	}
	switch (r->kind) {
	case USOFTIRQ_MMIO_PLAIN:
		dev->values[i] = a->value;
		break;
	case USOFTIRQ_MMIO_W1C:
		dev->values[i] &= ~a->value;
		break;
	default:
		break;
	}
	if (r->write)
		r->write(dev, r, a->value);
	return 0;
}

static uint64_t access_device(const struct access *a,
			      struct usoftirq_mmio_device *dev, uint64_t offset)
{
	uint64_t result;
	int reg;

	if (usoftirq__mmio_held(dev)) {
		report_access(USOFTIRQ_REPORT_MMIO_REENTRY, a, dev,
			      usoftirq__mmio_find_reg(dev, offset), offset,
			      "re-entry from the device's own callback, "
			      "ignored");
		return all_ones(a->width);
	}
	reg = check_access(a, dev, offset);
	if (reg < 0)
		return all_ones(a->width);
	usoftirq__mmio_dev_lock(dev);
	result = perform(a, dev, reg);
	usoftirq__mmio_dev_unlock(dev);
	return result;
}

static uint64_t mmio_access(const struct access *a)
{
	struct usoftirq__mmio_where w;
	uint64_t result;

	if (!usoftirq__mmio_resolve(a->addr, a->width, &w)) {
		report_access(USOFTIRQ_REPORT_MMIO_BAD_ACCESS, a, NULL, -1, 0,
			      "address not mapped");
		return all_ones(a->width);
	}
	result = access_device(a, w.dev, w.offset);
	usoftirq__mmio_release(&w);
	return result;
}

static uint64_t mmio_read(const volatile void *addr, unsigned int width)
{
	const struct access a = { (uintptr_t)addr, width, false, 0 };

	return mmio_access(&a);
}

static void mmio_write(volatile void *addr, unsigned int width, uint64_t value)
{
	const struct access a = { (uintptr_t)addr, width, true, value };

	(void)mmio_access(&a);
}

uint8_t usoftirq_readb(const volatile void *addr)
{
	return (uint8_t)mmio_read(addr, 1);
}

uint16_t usoftirq_readw(const volatile void *addr)
{
	return (uint16_t)mmio_read(addr, 2);
}

uint32_t usoftirq_readl(const volatile void *addr)
{
	return (uint32_t)mmio_read(addr, 4);
}

uint64_t usoftirq_readq(const volatile void *addr)
{
	return mmio_read(addr, 8);
}

void usoftirq_writeb(uint8_t value, volatile void *addr)
{
	mmio_write(addr, 1, value);
}

void usoftirq_writew(uint16_t value, volatile void *addr)
{
	mmio_write(addr, 2, value);
}

void usoftirq_writel(uint32_t value, volatile void *addr)
{
	mmio_write(addr, 4, value);
}

void usoftirq_writeq(uint64_t value, volatile void *addr)
{
	mmio_write(addr, 8, value);
}
