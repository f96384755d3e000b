/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/cache.h>: L1_CACHE_SHIFT, L1_CACHE_BYTES,
 * SMP_CACHE_BYTES, cache_line_size(), the ____cacheline_aligned family
 * and the section annotations __read_mostly and __ro_after_init, which
 * place nothing anywhere here.
 *
 * The line size is 64 bytes, that of x86-64 and of most arm64 cores
 * (some Apple cores use 128; nothing breaks, sharing just costs more).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_CACHE_H
#define USOFTIRQ_KCOMPAT_LINUX_CACHE_H

#include <linux/compiler_attributes.h>

#define L1_CACHE_SHIFT 6
#define L1_CACHE_BYTES (1 << L1_CACHE_SHIFT)
#define SMP_CACHE_BYTES L1_CACHE_BYTES
#define L1_CACHE_ALIGN(x) \
	(((x) + (L1_CACHE_BYTES - 1)) & ~(__typeof__(x))(L1_CACHE_BYTES - 1))
#define cache_line_size() L1_CACHE_BYTES

#define ____cacheline_aligned __attribute__((__aligned__(SMP_CACHE_BYTES)))
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#define __cacheline_aligned ____cacheline_aligned
#define __cacheline_aligned_in_smp ____cacheline_aligned

#define __read_mostly
#define __ro_after_init

#endif /* USOFTIRQ_KCOMPAT_LINUX_CACHE_H */
