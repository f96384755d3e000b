/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/bits.h>: BITS_PER_BYTE, BITS_PER_LONG,
 * BITS_PER_LONG_LONG, UL(), ULL(), BIT(), BIT_ULL(), BIT_MASK(),
 * BIT_WORD(), BIT_ULL_MASK(), BIT_ULL_WORD(), GENMASK() and GENMASK_ULL().
 *
 * GENMASK(h, l) is a constant expression when h and l are, and fails the
 * build if they are constants with l > h, as in the kernel.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_BITS_H
#define USOFTIRQ_KCOMPAT_LINUX_BITS_H

#if defined(__has_include_next)
#if __has_include_next(<linux/bits.h>)
#include_next <linux/bits.h>
#endif
#endif

#include <linux/build_bug.h>

#define BITS_PER_BYTE 8
#define BITS_PER_LONG (__SIZEOF_LONG__ * 8)
#define BITS_PER_LONG_LONG (__SIZEOF_LONG_LONG__ * 8)

#define UL(x) (__PASTE(x, UL))
#define ULL(x) (__PASTE(x, ULL))

#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_ULL_MASK(nr) (1ULL << ((nr) % BITS_PER_LONG_LONG))
#define BIT_ULL_WORD(nr) ((nr) / BITS_PER_LONG_LONG)

#define usoftirq__kc_genmask_check(h, l) BUILD_BUG_ON_ZERO((l) > (h))
#define GENMASK(h, l)                       \
	(usoftirq__kc_genmask_check(h, l) + \
	 ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h)))))
#define GENMASK_ULL(h, l)                   \
	(usoftirq__kc_genmask_check(h, l) + \
	 ((~0ULL << (l)) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h)))))

#endif /* USOFTIRQ_KCOMPAT_LINUX_BITS_H */
