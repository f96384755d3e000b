/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/minmax.h>: min(), max(), min3(), max3(), min_t(),
 * max_t(), umin(), umax(), min_not_zero(), clamp(), clamp_t(), clamp_val(),
 * swap(), and MIN()/MAX() for constant expressions.
 *
 * As in the kernel (6.x), min() and max() evaluate each operand once, are
 * constant expressions when both operands are, and refuse at build time
 * operands whose comparison could be wrong: after the integer promotions
 * both must be signed or both unsigned, except that a non-negative signed
 * constant may meet an unsigned operand (min(len, 64) with a size_t len).
 * The build error message names min_t()/max_t(), which cast both operands
 * to one type. Integer and floating operands are supported; pointers are
 * not.
 *
 * MIN() and MAX() are also glibc macros (<sys/param.h>) with the same
 * meaning; whichever header comes first defines them.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_MINMAX_H
#define USOFTIRQ_KCOMPAT_LINUX_MINMAX_H

#include <linux/compiler_types.h>

/* Signedness of x after the integer promotions; a constant expression. */
/* clang-format off */
#define usoftirq__kc_is_signed(x)                                         \
	_Generic((x) + 0,                                                 \
		 float: 1,                                                \
		 double: 1,                                               \
		 long double: 1,                                          \
		 default: ((__typeof__((x) + 0))-1 < (__typeof__((x) + 0))1))
/* clang-format on */

/*
 * x is a constant expression of signed type and not negative. (The sign is
 * read with a shift rather than a comparison with 0, which GCC would
 * report as always true for a narrow operand.)
 */
#define usoftirq__kc_nonneg_signed_const(x) \
	__builtin_choose_expr(              \
		usoftirq__kc_is_ice(x),     \
		(usoftirq__kc_is_signed(x) && !((long long)(x) >> 63)), 0)

#define usoftirq__kc_cmp_ok(x, y)                                  \
	(usoftirq__kc_is_signed(x) == usoftirq__kc_is_signed(y) || \
	 usoftirq__kc_nonneg_signed_const(x) ||                    \
	 usoftirq__kc_nonneg_signed_const(y))

#define usoftirq__kc_cmp_msg \
	"min()/max() of signed and unsigned operands: use min_t()/max_t()"

/*
 * The type both operands are compared in: theirs if they have the same,
 * else their common type, to which the conversion of each is
 * value-preserving once usoftirq__kc_cmp_ok() holds. Comparing two values
 * of one type also keeps the compiler's sign-compare warnings quiet.
 */
#define usoftirq__kc_cmp_type(x, y)                                         \
	__typeof__(__builtin_choose_expr(__same_type(x, y), ((void)0, (x)), \
					 (x) + (y)))

/*
 * usoftirq__kc_cmp(n, op, x, y) - x op y ? x : y, evaluating x and y once.
 * Constant operands give a constant expression; the check then rides on a
 * condition that is always true (the size of a structure holding the
 * assertion), so that the result keeps its type.
 */
#define usoftirq__kc_cmp(n, op, x, y)                             \
	__builtin_choose_expr(                                    \
		usoftirq__kc_is_ice(x) && usoftirq__kc_is_ice(y), \
		(sizeof(struct {                                  \
			_Static_assert(usoftirq__kc_cmp_ok(x, y), \
				       usoftirq__kc_cmp_msg);     \
			char usoftirq__kc_unused;                 \
		}) ?                                              \
			 ((x)op(y) ? (x) : (y)) :                 \
			 ((x)op(y) ? (x) : (y))),                 \
		usoftirq__kc_cmp_once(n, op, x, y))
#define usoftirq__kc_cmp_once(n, op, x, y)                                   \
	({                                                                   \
		usoftirq__kc_cmp_type(x, y) usoftirq__kc_x##n = (x);         \
		usoftirq__kc_cmp_type(x, y) usoftirq__kc_y##n = (y);         \
		_Static_assert(usoftirq__kc_cmp_ok(x, y),                    \
			       usoftirq__kc_cmp_msg);                        \
		usoftirq__kc_x##n op usoftirq__kc_y##n ? usoftirq__kc_x##n : \
							 usoftirq__kc_y##n;  \
	})

#define min(x, y) usoftirq__kc_with_id(usoftirq__kc_cmp, <, x, y)
#define max(x, y) usoftirq__kc_with_id(usoftirq__kc_cmp, >, x, y)
#define min3(x, y, z) min(min(x, y), z)
#define max3(x, y, z) max(max(x, y), z)
#define min_t(type, x, y) \
	usoftirq__kc_with_id(usoftirq__kc_cmp, <, (type)(x), (type)(y))
#define max_t(type, x, y) \
	usoftirq__kc_with_id(usoftirq__kc_cmp, >, (type)(x), (type)(y))

/* umin()/umax() - compare as unsigned, for operands known non-negative. */
#define umin(x, y) min((x) + 0u + 0ul + 0ull, (y) + 0u + 0ul + 0ull)
#define umax(x, y) max((x) + 0u + 0ul + 0ull, (y) + 0u + 0ul + 0ull)

/* min_not_zero() - the smaller non-zero operand, or 0 if both are 0. */
#define min_not_zero(x, y) usoftirq__kc_with_id(usoftirq__kc_min_not_zero, x, y)
/* clang-format off */
#define usoftirq__kc_min_not_zero(n, x, y)                                \
	({                                                                \
		usoftirq__kc_cmp_type(x, y) usoftirq__kc_x##n = (x);      \
		usoftirq__kc_cmp_type(x, y) usoftirq__kc_y##n = (y);      \
		_Static_assert(usoftirq__kc_cmp_ok(x, y),                 \
			       usoftirq__kc_cmp_msg);                     \
		usoftirq__kc_x##n == 0 ? usoftirq__kc_y##n :              \
		usoftirq__kc_y##n == 0 ? usoftirq__kc_x##n :              \
		usoftirq__kc_x##n < usoftirq__kc_y##n ? usoftirq__kc_x##n \
						      : usoftirq__kc_y##n; \
	})
/* clang-format on */

/* clamp() - val limited to [lo, hi]; lo must not exceed hi. */
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi) clamp_t(__typeof__(val), val, lo, hi)

/* swap() - exchange the values of two lvalues of the same type. */
#define swap(a, b) usoftirq__kc_with_id(usoftirq__kc_swap, a, b)
#define usoftirq__kc_swap(n, a, b)                       \
	do {                                             \
		__typeof__(a) usoftirq__kc_tmp##n = (a); \
		(a) = (b);                               \
		(b) = usoftirq__kc_tmp##n;               \
	} while (0)

/* MIN()/MAX() - for constant expressions, e.g. array sizes at file scope. */
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

#endif /* USOFTIRQ_KCOMPAT_LINUX_MINMAX_H */
