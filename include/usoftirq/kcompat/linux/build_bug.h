/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/build_bug.h>: BUILD_BUG_ON(), BUILD_BUG_ON_MSG(),
 * BUILD_BUG_ON_ZERO(), BUILD_BUG_ON_NOT_POWER_OF_2(),
 * BUILD_BUG_ON_INVALID() and the kernel's static_assert(), whose message
 * is optional.
 *
 * Difference from the kernel: a kernel build (always optimised) also fails
 * when the optimiser proves a non-constant condition true. Here only
 * conditions that are integer constant expressions are checked; others
 * are accepted and not evaluated, so that code also builds at -O0.
 * BUILD_BUG() is not provided, as it depends on that optimiser behaviour.
 *
 * static_assert: glibc's <assert.h> defines it as _Static_assert, which
 * Clang rejects without a message in C11. This header includes <assert.h>
 * first and then defines the kernel's form; a later #include <assert.h>
 * restores glibc's (see docs/kcompat.md).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_BUILD_BUG_H
#define USOFTIRQ_KCOMPAT_LINUX_BUILD_BUG_H

#include <assert.h>

#include <linux/compiler_types.h>

#define BUILD_BUG_ON_MSG(cond, msg)                                  \
	do {                                                         \
		_Static_assert(!usoftirq__kc_const_true(cond), msg); \
	} while (0)
#define BUILD_BUG_ON(condition) \
	BUILD_BUG_ON_MSG(condition, "BUILD_BUG_ON failed: " #condition)
#define BUILD_BUG_ON_NOT_POWER_OF_2(n) \
	BUILD_BUG_ON((n) == 0 || (((n) & ((n)-1)) != 0))
#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((__force long)(e))))

/* BUILD_BUG_ON_ZERO(e) - the int 0, usable in constant expressions. */
#define BUILD_BUG_ON_ZERO(e)                                            \
	((int)(0 * sizeof(struct {                                      \
		       _Static_assert(!usoftirq__kc_const_true(e),      \
				      "BUILD_BUG_ON_ZERO failed: " #e); \
		       char usoftirq__kc_unused;                        \
	       })))

#undef static_assert
#define static_assert(expr, ...) \
	usoftirq__kc_static_assert(expr, ##__VA_ARGS__, #expr)
#define usoftirq__kc_static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif /* USOFTIRQ_KCOMPAT_LINUX_BUILD_BUG_H */
