/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/gfp_types.h>: the allocation flags gfp_t (from
 * <linux/types.h>), GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_NOIO,
 * GFP_NOFS, GFP_USER, GFP_HIGHUSER, GFP_DMA, GFP_DMA32, __GFP_ZERO,
 * __GFP_NOWARN, __GFP_NORETRY, __GFP_RETRY_MAYFAIL, __GFP_NOFAIL,
 * __GFP_HIGH, __GFP_ACCOUNT.
 *
 * Only two properties of a request mean something to usoftirq's
 * allocator (<usoftirq/platform.h>): whether it may sleep, which makes
 * it subject to the kernel's might_sleep() check, and whether the memory
 * is zeroed. GFP_KERNEL, GFP_NOIO, GFP_NOFS, GFP_USER and GFP_HIGHUSER
 * may sleep; GFP_ATOMIC and GFP_NOWAIT may not; __GFP_ZERO zeroes. The
 * other modifiers are 0: there are no memory zones, no reclaim to
 * retry, and an allocation failure is not logged. The values are
 * therefore the library's, not the kernel's (which depend on its
 * configuration anyway).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_GFP_TYPES_H
#define USOFTIRQ_KCOMPAT_LINUX_GFP_TYPES_H

#include <linux/ioport.h> /* <usoftirq/platform.h>, in the right order */
#include <linux/types.h>

#define __GFP_ZERO ((gfp_t)USOFTIRQ_GFP_ZERO)
#define __GFP_NOWARN ((gfp_t)0)
#define __GFP_NORETRY ((gfp_t)0)
#define __GFP_RETRY_MAYFAIL ((gfp_t)0)
#define __GFP_NOFAIL ((gfp_t)0)
#define __GFP_HIGH ((gfp_t)0)
#define __GFP_ACCOUNT ((gfp_t)0)

#define GFP_ATOMIC ((gfp_t)USOFTIRQ_GFP_ATOMIC)
#define GFP_NOWAIT ((gfp_t)USOFTIRQ_GFP_ATOMIC)
#define GFP_KERNEL ((gfp_t)USOFTIRQ_GFP_KERNEL)
#define GFP_NOIO ((gfp_t)USOFTIRQ_GFP_KERNEL)
#define GFP_NOFS ((gfp_t)USOFTIRQ_GFP_KERNEL)
#define GFP_USER ((gfp_t)USOFTIRQ_GFP_KERNEL)
#define GFP_HIGHUSER ((gfp_t)USOFTIRQ_GFP_KERNEL)
#define GFP_DMA ((gfp_t)0)
#define GFP_DMA32 ((gfp_t)0)

#endif /* USOFTIRQ_KCOMPAT_LINUX_GFP_TYPES_H */
