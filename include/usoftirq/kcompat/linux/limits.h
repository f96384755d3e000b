/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/limits.h>: the UAPI header of the same name (glibc's
 * <limits.h> includes it for PATH_MAX and friends), then the kernel's
 * fixed-width limits U8_MAX ... S64_MIN. INT_MAX, ULONG_MAX, SIZE_MAX and
 * the other C limits come from <limits.h> and <stdint.h> through
 * <linux/kernel.h>: this header is included from inside glibc's
 * <limits.h> and must not include it back.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_LIMITS_H
#define USOFTIRQ_KCOMPAT_LINUX_LIMITS_H

#if defined(__has_include_next)
#if __has_include_next(<linux/limits.h>)
#include_next <linux/limits.h>
#endif
#endif

#define U8_MAX ((unsigned char)~0U)
#define S8_MAX ((signed char)(U8_MAX >> 1))
#define S8_MIN ((signed char)(-S8_MAX - 1))
#define U16_MAX ((unsigned short)~0U)
#define S16_MAX ((short)(U16_MAX >> 1))
#define S16_MIN ((short)(-S16_MAX - 1))
#define U32_MAX ((unsigned int)~0U)
#define U32_MIN ((unsigned int)0)
#define S32_MAX ((int)(U32_MAX >> 1))
#define S32_MIN ((int)(-S32_MAX - 1))
#define U64_MAX ((unsigned long long)~0ULL)
#define S64_MAX ((long long)(U64_MAX >> 1))
#define S64_MIN ((long long)(-S64_MAX - 1))

#endif /* USOFTIRQ_KCOMPAT_LINUX_LIMITS_H */
