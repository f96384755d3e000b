/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/gfp.h>: the GFP_* flags of <linux/gfp_types.h> and
 * gfpflags_allow_blocking(). The page allocator (alloc_pages(),
 * __get_free_pages() ...) is not provided.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_GFP_H
#define USOFTIRQ_KCOMPAT_LINUX_GFP_H

#include <linux/gfp_types.h>

/* gfpflags_allow_blocking() - whether an allocation with @gfp may sleep. */
static inline bool usoftirq__kc_gfpflags_allow_blocking(const gfp_t gfp)
{
	return (gfp & USOFTIRQ_GFP_KERNEL) != 0;
}

#define gfpflags_allow_blocking usoftirq__kc_gfpflags_allow_blocking

#endif /* USOFTIRQ_KCOMPAT_LINUX_GFP_H */
