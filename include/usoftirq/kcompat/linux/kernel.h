/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/kernel.h>: the UAPI header of the same name first
 * (struct sysinfo; glibc's <sys/sysinfo.h> includes it), then what driver
 * code expects from the kernel's: the types, compiler helpers, limits
 * (INT_MAX ... from <limits.h>, U8_MAX ... from <linux/limits.h>),
 * container_of(), min()/max() and friends, the rounding helpers, bit
 * operations, printk() and pr_*(), BUG()/WARN(), BUILD_BUG_ON(),
 * might_sleep(), cpu_relax(), and ARRAY_SIZE(), typecheck(),
 * upper_32_bits()/lower_32_bits(), REPEAT_BYTE().
 *
 * Because glibc includes this header, a translation unit built with the
 * kcompat include directory that includes <sys/sysinfo.h> gets all of the
 * above, as kernel code would.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_KERNEL_H
#define USOFTIRQ_KCOMPAT_LINUX_KERNEL_H

#if defined(__has_include_next)
#if __has_include_next(<linux/kernel.h>)
#include_next <linux/kernel.h>
#endif
#endif

#include <limits.h>

#include <asm/processor.h>
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/might_sleep.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/stddef.h>
#include <linux/stringify.h>
#include <linux/types.h>

/* ARRAY_SIZE() - elements of an array; a build error for a pointer. */
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]) + __must_be_array(arr))

/* typecheck() - 1, with a compiler warning if x is not of type type. */
#define typecheck(type, x)                                           \
	({                                                           \
		type usoftirq__kc_dummy;                             \
		__typeof__(x) usoftirq__kc_dummy2;                   \
		(void)(&usoftirq__kc_dummy == &usoftirq__kc_dummy2); \
		1;                                                   \
	})
#define typecheck_fn(type, function)                          \
	({                                                    \
		__typeof__(type) usoftirq__kc_tmp = function; \
		(void)usoftirq__kc_tmp;                       \
	})

#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define upper_16_bits(n) ((u16)((n) >> 16))
#define lower_16_bits(n) ((u16)((n)&0xffff))

/* REPEAT_BYTE() - x in every byte of an unsigned long. */
#define REPEAT_BYTE(x) ((~0ul / 0xff) * (x))

#endif /* USOFTIRQ_KCOMPAT_LINUX_KERNEL_H */
