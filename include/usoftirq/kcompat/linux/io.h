/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/io.h> (and <asm/io.h>): register access to the
 * simulated devices of <usoftirq/mmio.h>.
 *
 * readb(), readw(), readl(), readq(), writeb(), writew(), writel(),
 * writeq(), their _relaxed and __raw_ forms, ioread8(), ioread16(),
 * ioread32(), ioread64(), iowrite8() ... iowrite64(), the big-endian
 * ioread16be(), ioread32be(), iowrite16be(), iowrite32be(), the string
 * forms readsb() ... readsq(), writesb() ... writesq(), ioread8_rep() ...
 * ioread32_rep(), iowrite8_rep() ... iowrite32_rep(); ioremap() (and
 * ioremap_wc(), ioremap_uc(), ioremap_cache(), ioremap_np(), which map
 * the same way), iounmap(), devm_ioremap(), devm_iounmap() and
 * devm_ioremap_resource() (from <linux/device.h>); and __iomem
 * (<linux/compiler_types.h>), which is nothing, as in any build without
 * sparse.
 *
 * ioremap() maps a bus range of the calling thread's machine
 * (usoftirq_machine_current()). The address it returns is not memory:
 * the pages carry no access rights, so a driver that dereferences it
 * instead of calling readl() faults at once. Each access goes to the
 * device model, which checks it: a register accessed at the wrong width,
 * misaligned, at an offset with no register, or written while read-only,
 * is reported and not performed (a read gives all ones), where hardware
 * would do something undefined. Drivers compute register addresses as
 * the kernel's do, "regs + OFFSET" on a void __iomem *, which is GNU C
 * (build with -std=gnu11, without -Wpointer-arith).
 *
 * Every access is fully ordered and atomic with respect to interrupts,
 * so the _relaxed forms are the same calls; there is no port I/O
 * (inb(), outb()), no memcpy_fromio()/memcpy_toio() (a device's
 * registers have fixed widths), and no ioport_map().
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_IO_H
#define USOFTIRQ_KCOMPAT_LINUX_IO_H

#include <linux/compiler_types.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/types.h>

#include <usoftirq/device.h>
#include <usoftirq/machine.h>
#include <usoftirq/mmio.h>

/* ------------------------------------------------------------------ */
/* Register access                                                     */
/* ------------------------------------------------------------------ */

/* readq() returns u64 (unsigned long long), as the kernel's. */
static inline u64 usoftirq__kc_readq(const volatile void __iomem *addr)
{
	return usoftirq_readq(addr);
}

#define readb usoftirq_readb
#define readw usoftirq_readw
#define readl usoftirq_readl
#define readq usoftirq__kc_readq
#define writeb usoftirq_writeb
#define writew usoftirq_writew
#define writel usoftirq_writel
#define writeq usoftirq_writeq

#define readb_relaxed usoftirq_readb
#define readw_relaxed usoftirq_readw
#define readl_relaxed usoftirq_readl
#define readq_relaxed usoftirq__kc_readq
#define writeb_relaxed usoftirq_writeb
#define writew_relaxed usoftirq_writew
#define writel_relaxed usoftirq_writel
#define writeq_relaxed usoftirq_writeq

#define __raw_readb usoftirq_readb
#define __raw_readw usoftirq_readw
#define __raw_readl usoftirq_readl
#define __raw_readq usoftirq__kc_readq
#define __raw_writeb usoftirq_writeb
#define __raw_writew usoftirq_writew
#define __raw_writel usoftirq_writel
#define __raw_writeq usoftirq_writeq

#define ioread8 usoftirq_readb
#define ioread16 usoftirq_readw
#define ioread32 usoftirq_readl
#define ioread64 usoftirq__kc_readq
#define iowrite8 usoftirq_writeb
#define iowrite16 usoftirq_writew
#define iowrite32 usoftirq_writel
#define iowrite64 usoftirq_writeq

/* Big-endian registers: the value is byte-swapped on a little-endian CPU. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define usoftirq__kc_be16(v) __builtin_bswap16(v)
#define usoftirq__kc_be32(v) __builtin_bswap32(v)
#else
#define usoftirq__kc_be16(v) (v)
#define usoftirq__kc_be32(v) (v)
#endif

static inline u16 usoftirq__kc_ioread16be(const volatile void __iomem *addr)
{
	return usoftirq__kc_be16(usoftirq_readw(addr));
}

static inline u32 usoftirq__kc_ioread32be(const volatile void __iomem *addr)
{
	return usoftirq__kc_be32(usoftirq_readl(addr));
}

static inline void usoftirq__kc_iowrite16be(u16 value,
					    volatile void __iomem *addr)
{
	usoftirq_writew(usoftirq__kc_be16(value), addr);
}

static inline void usoftirq__kc_iowrite32be(u32 value,
					    volatile void __iomem *addr)
{
	usoftirq_writel(usoftirq__kc_be32(value), addr);
}

#define ioread16be usoftirq__kc_ioread16be
#define ioread32be usoftirq__kc_ioread32be
#define iowrite16be usoftirq__kc_iowrite16be
#define iowrite32be usoftirq__kc_iowrite32be

/*
 * The string forms: @count accesses of one register (a FIFO), to or from
 * a buffer.
 */
#define USOFTIRQ__KC_IO_STRING(bits, rd, wr)                     \
	static inline void usoftirq__kc_reads##bits(             \
		const volatile void __iomem *addr, void *buffer, \
		unsigned int count)                              \
	{                                                        \
		u##bits *p = (u##bits *)buffer;                  \
		while (count--)                                  \
			*p++ = rd(addr);                         \
	}                                                        \
	static inline void usoftirq__kc_writes##bits(            \
		volatile void __iomem *addr, const void *buffer, \
		unsigned int count)                              \
	{                                                        \
		const u##bits *p = (const u##bits *)buffer;      \
		while (count--)                                  \
			wr(*p++, addr);                          \
	}
USOFTIRQ__KC_IO_STRING(8, usoftirq_readb, usoftirq_writeb)
USOFTIRQ__KC_IO_STRING(16, usoftirq_readw, usoftirq_writew)
USOFTIRQ__KC_IO_STRING(32, usoftirq_readl, usoftirq_writel)
USOFTIRQ__KC_IO_STRING(64, usoftirq__kc_readq, usoftirq_writeq)
#undef USOFTIRQ__KC_IO_STRING

#define readsb usoftirq__kc_reads8
#define readsw usoftirq__kc_reads16
#define readsl usoftirq__kc_reads32
#define readsq usoftirq__kc_reads64
#define writesb usoftirq__kc_writes8
#define writesw usoftirq__kc_writes16
#define writesl usoftirq__kc_writes32
#define writesq usoftirq__kc_writes64
#define ioread8_rep usoftirq__kc_reads8
#define ioread16_rep usoftirq__kc_reads16
#define ioread32_rep usoftirq__kc_reads32
#define iowrite8_rep usoftirq__kc_writes8
#define iowrite16_rep usoftirq__kc_writes16
#define iowrite32_rep usoftirq__kc_writes32

/* ------------------------------------------------------------------ */
/* Mapping                                                             */
/* ------------------------------------------------------------------ */

static inline void __iomem *usoftirq__kc_ioremap(phys_addr_t offset,
						 size_t size)
{
	return usoftirq_ioremap(usoftirq_machine_current(), offset, size);
}

#define ioremap usoftirq__kc_ioremap
#define ioremap_wc usoftirq__kc_ioremap
#define ioremap_uc usoftirq__kc_ioremap
#define ioremap_np usoftirq__kc_ioremap
#define ioremap_cache usoftirq__kc_ioremap
#define iounmap usoftirq_iounmap

#endif /* USOFTIRQ_KCOMPAT_LINUX_IO_H */
