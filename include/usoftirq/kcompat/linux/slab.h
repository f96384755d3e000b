/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/slab.h>: kmalloc(), kzalloc(), kmalloc_array(),
 * kcalloc(), kmemdup(), kstrdup(), kfree(); and, from <linux/device.h>,
 * the managed forms
 * devm_kmalloc(), devm_kzalloc(), devm_kcalloc(), devm_kmalloc_array(),
 * devm_kfree().
 *
 * The allocator is the library's (usoftirq_kmalloc(), <usoftirq/platform.h>):
 * memory aligned for any type, with the kernel's context rule, a
 * GFP_KERNEL allocation from atomic context (a tasklet, a hardirq handler,
 * under a spin lock) being reported as the kernel's might_sleep() reports
 * it (see <linux/gfp_types.h> for the flags). Memory from kmalloc() must
 * go back through kfree(), not free(). A zero-byte allocation returns
 * ZERO_SIZE_PTR, as in the kernel. kmalloc_array() and kcalloc()
 * return NULL when n * size overflows, as in the kernel. Not provided:
 * krealloc(), ksize() and kfree_sensitive(), which need the size of a
 * block, and the slab caches (kmem_cache_create() ...).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_SLAB_H
#define USOFTIRQ_KCOMPAT_LINUX_SLAB_H

#include <string.h>

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/types.h>

static inline void *usoftirq__kc_kzalloc(size_t size, gfp_t gfp)
{
	return usoftirq_kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *usoftirq__kc_kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return usoftirq_kmalloc(bytes, gfp);
}

static inline void *usoftirq__kc_kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return usoftirq__kc_kmalloc_array(n, size, gfp | __GFP_ZERO);
}

static inline void *usoftirq__kc_kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = usoftirq_kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

static inline char *usoftirq__kc_kstrdup(const char *s, gfp_t gfp)
{
	return s ? (char *)usoftirq__kc_kmemdup(s, strlen(s) + 1, gfp) : NULL;
}

#define ZERO_SIZE_PTR USOFTIRQ_ZERO_SIZE_PTR
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define kmalloc usoftirq_kmalloc
#define kzalloc usoftirq__kc_kzalloc
#define kmalloc_array usoftirq__kc_kmalloc_array
#define kcalloc usoftirq__kc_kcalloc
#define kmemdup usoftirq__kc_kmemdup
#define kstrdup usoftirq__kc_kstrdup
#define kfree usoftirq_kfree

#endif /* USOFTIRQ_KCOMPAT_LINUX_SLAB_H */
