/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/compiler_attributes.h>: the kernel's short names for
 * GCC/Clang attributes (__packed, __aligned(), __printf(), __must_check,
 * __maybe_unused, noinline, fallthrough ...).
 *
 * Every attribute is spelled with its reserved __name__ form, so that a
 * header included afterwards that writes __attribute__((packed)) is not
 * affected. Two kernel names are object-like macros on ordinary words,
 * exactly as in the kernel: noinline and fallthrough; a header that writes
 * __attribute__((noinline)) or __attribute__((fallthrough)) after this one
 * breaks, as it would in a kernel build (glibc and GCC's own headers do
 * not). __always_inline is glibc's definition, which <sys/cdefs.h> also
 * makes; see docs/kcompat.md.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_COMPILER_ATTRIBUTES_H
#define USOFTIRQ_KCOMPAT_LINUX_COMPILER_ATTRIBUTES_H

/*
 * glibc's <sys/cdefs.h> defines __always_inline and __attribute_const__
 * unconditionally; let it go first so that ours never redefine its, and
 * replace the weaker __always_inline of the UAPI <linux/stddef.h>.
 */
#if defined(__has_include)
#if __has_include(<sys/cdefs.h>)
#include <sys/cdefs.h>
#endif
#endif

#undef __always_inline
#define __always_inline __inline __attribute__((__always_inline__))
#ifndef __attribute_const__
#define __attribute_const__ __attribute__((__const__))
#endif

#define __aligned(x) __attribute__((__aligned__(x)))
#define __alias(symbol) __attribute__((__alias__(#symbol)))
#define __always_unused __attribute__((__unused__))
#define __cleanup(func) __attribute__((__cleanup__(func)))
#define __cold __attribute__((__cold__))
#define __counted_by(member)
#define __deprecated __attribute__((__deprecated__))
#define __designated_init
#define __gnu_inline __attribute__((__gnu_inline__))
#define __malloc __attribute__((__malloc__))
#define __maybe_unused __attribute__((__unused__))
#define __mode(x) __attribute__((__mode__(x)))
#define __must_check __attribute__((__warn_unused_result__))
#define __noreturn __attribute__((__noreturn__))
#define __packed __attribute__((__packed__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __pure __attribute__((__pure__))
#define __scanf(a, b) __attribute__((__format__(scanf, a, b)))
#define __section(section) __attribute__((__section__(section)))
#define __used __attribute__((__used__))
#define __weak __attribute__((__weak__))
#define noinline __attribute__((__noinline__))
#define noinline_for_stack noinline

/* Attributes one of the two compilers lacks expand to nothing there. */
#if __has_attribute(__assume_aligned__)
#define __assume_aligned(a, ...) \
	__attribute__((__assume_aligned__(a, ##__VA_ARGS__)))
#else
#define __assume_aligned(a, ...)
#endif
#if __has_attribute(__copy__)
#define __copy(symbol) __attribute__((__copy__(symbol)))
#else
#define __copy(symbol)
#endif
#if __has_attribute(__externally_visible__)
#define __visible __attribute__((__externally_visible__))
#else
#define __visible
#endif
#if __has_attribute(__flatten__)
#define __flatten __attribute__((__flatten__))
#else
#define __flatten
#endif
#if __has_attribute(__hot__)
#define __hot __attribute__((__hot__))
#else
#define __hot
#endif
#if __has_attribute(__noclone__)
#define __noclone __attribute__((__noclone__))
#else
#define __noclone
#endif
#if __has_attribute(__nonstring__)
#define __nonstring __attribute__((__nonstring__))
#else
#define __nonstring
#endif
#if __has_attribute(__fallthrough__)
#define fallthrough __attribute__((__fallthrough__))
#else
#define fallthrough \
	do {        \
	} while (0) /* fallthrough */
#endif

#endif /* USOFTIRQ_KCOMPAT_LINUX_COMPILER_ATTRIBUTES_H */
