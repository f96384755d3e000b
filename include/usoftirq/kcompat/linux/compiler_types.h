/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/compiler_types.h>: the sparse annotations (__user,
 * __iomem, __force, __rcu, __percpu, __must_hold() ...), which expand to
 * nothing as in any non-sparse kernel build; type helpers (__same_type(),
 * __native_word(), __unqual_scalar_typeof()); compiletime_assert(); and
 * __UNIQUE_ID().
 *
 * Also the compat layer's own helpers, prefixed usoftirq__kc_ / USOFTIRQ__KC_
 * and not meant to be used by name: usoftirq__kc_is_ice() tells whether an
 * expression is an integer constant expression, which lets min(), GENMASK()
 * and BUILD_BUG_ON() stay constant expressions when their operands are.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_COMPILER_TYPES_H
#define USOFTIRQ_KCOMPAT_LINUX_COMPILER_TYPES_H

#include <linux/compiler_attributes.h>

/* Sparse annotations: checked by sparse only, nothing for the compiler. */
#define __user
#define __kernel
#define __safe
#define __force
#define __nocast
#define __iomem
#define __percpu
#define __rcu
#define __private
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x) (void)0
#define __release(x) (void)0
#define __cond_lock(x, c) (c)
#define __chk_user_ptr(x) (void)0
#define __chk_io_ptr(x) (void)0
#define ACCESS_PRIVATE(p, member) ((p)->member)
#ifndef __bitwise
#define __bitwise
#endif

#define notrace __attribute__((__no_instrument_function__))

/* Token pasting and unique identifiers. */
#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define __UNIQUE_ID(prefix) __PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

/*
 * usoftirq__kc_with_id(macro, args...) - macro(n, args...) with n a number
 * unique in the translation unit, from which a statement-expression macro
 * names its temporaries, so that nested uses do not shadow each other.
 * Nesting works through the arguments (min(min(a, b), c)); the body of a
 * macro expanded this way must not itself use usoftirq__kc_with_id(),
 * which the preprocessor does not expand again inside its own expansion.
 */
#define usoftirq__kc_with_id(macro, ...) \
	usoftirq__kc_with_id_(macro, __COUNTER__, __VA_ARGS__)
#define usoftirq__kc_with_id_(macro, n, ...) macro(n, __VA_ARGS__)

/* Type helpers. */
#define __same_type(a, b) \
	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define __native_word(t)                                            \
	(sizeof(t) == sizeof(char) || sizeof(t) == sizeof(short) || \
	 sizeof(t) == sizeof(int) || sizeof(t) == sizeof(long))
/* The type of an rvalue of x: top-level qualifiers dropped. */
#define __unqual_scalar_typeof(x) __typeof__(((void)0, (x)))

/*
 * usoftirq__kc_is_ice(x) - 1 if x is an integer constant expression, else
 * 0; itself an integer constant expression. When (long)(x) * 0l is a
 * constant, casting it to void * gives a null pointer constant and the
 * conditional has type int *; otherwise it has type void *.
 */
/* clang-format off */
#define usoftirq__kc_is_ice(x)                                            \
	_Generic((1 ? (int *)1 : (void *)((long)(x) * 0l)),               \
		 int *: 1,                                                \
		 default: 0)
/* clang-format on */
/* usoftirq__kc_const_true(e) - e is a constant expression and non-zero. */
#define usoftirq__kc_const_true(e) \
	__builtin_choose_expr(usoftirq__kc_is_ice(e), !!(e), 0)

/*
 * compiletime_assert() - fail the build if condition is a constant
 * expression that is false. The kernel also catches conditions that only
 * the optimiser proves false; in user space, where code is also built
 * without optimisation, only constant expressions are checked.
 */
#define compiletime_assert(condition, msg)                                   \
	do {                                                                 \
		_Static_assert(!usoftirq__kc_const_true(!(condition)), msg); \
	} while (0)
#define compiletime_assert_atomic_type(t)                           \
	compiletime_assert(                                         \
		__native_word(t) || sizeof(t) == sizeof(long long), \
		"Need native word sized stores/loads for atomicity.")

#endif /* USOFTIRQ_KCOMPAT_LINUX_COMPILER_TYPES_H */
