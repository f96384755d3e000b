/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/align.h>: ALIGN(), ALIGN_DOWN(), PTR_ALIGN(),
 * PTR_ALIGN_DOWN() and IS_ALIGNED(); the alignment a must be a power of 2.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_ALIGN_H
#define USOFTIRQ_KCOMPAT_LINUX_ALIGN_H

#define usoftirq__kc_align_mask(x, a) ((__typeof__(x))(a)-1)

#define ALIGN(x, a) \
	(((x) + usoftirq__kc_align_mask(x, a)) & ~usoftirq__kc_align_mask(x, a))
#define ALIGN_DOWN(x, a) ((x) & ~usoftirq__kc_align_mask(x, a))
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define PTR_ALIGN_DOWN(p, a) \
	((__typeof__(p))ALIGN_DOWN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x)&usoftirq__kc_align_mask(x, a)) == 0)

#endif /* USOFTIRQ_KCOMPAT_LINUX_ALIGN_H */
