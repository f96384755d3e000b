/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/math.h>: DIV_ROUND_UP(), DIV_ROUND_DOWN_ULL(),
 * DIV_ROUND_UP_ULL(), DIV_ROUND_CLOSEST(), DIV_ROUND_CLOSEST_ULL(),
 * round_up(), round_down() (y a power of 2), roundup(), rounddown() (any
 * y), abs_diff(), and do_div() from <asm/div64.h>.
 *
 * roundup() is also a glibc macro (<sys/param.h>) with the same meaning;
 * whichever header comes first defines it. abs() is left to <stdlib.h>,
 * whose function has the kernel's meaning for int.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_MATH_H
#define USOFTIRQ_KCOMPAT_LINUX_MATH_H

#include <asm/div64.h>
#include <linux/compiler_types.h>

#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define DIV_ROUND_DOWN_ULL(ll, d) ((unsigned long long)(ll) / (d))
#define DIV_ROUND_UP_ULL(ll, d) \
	DIV_ROUND_DOWN_ULL((unsigned long long)(ll) + (d)-1, (d))

/* DIV_ROUND_CLOSEST() - x / divisor rounded to nearest, ties away from 0. */
#define DIV_ROUND_CLOSEST(x, divisor) \
	usoftirq__kc_with_id(usoftirq__kc_div_round_closest, x, divisor)
#define usoftirq__kc_div_round_closest(n, x, divisor)                          \
	({                                                                     \
		__unqual_scalar_typeof(x) usoftirq__kc_x##n = (x);             \
		__unqual_scalar_typeof(divisor) usoftirq__kc_d##n = (divisor); \
		(((__typeof__(x))-1) > 0 || ((__typeof__(divisor))-1) > 0 ||   \
		 ((usoftirq__kc_x##n > 0) == (usoftirq__kc_d##n > 0))) ?       \
			((usoftirq__kc_x##n + usoftirq__kc_d##n / 2) /         \
			 usoftirq__kc_d##n) :                                  \
			((usoftirq__kc_x##n - usoftirq__kc_d##n / 2) /         \
			 usoftirq__kc_d##n);                                   \
	})
#define DIV_ROUND_CLOSEST_ULL(x, divisor) \
	usoftirq__kc_with_id(usoftirq__kc_div_round_closest_ull, x, divisor)
#define usoftirq__kc_div_round_closest_ull(n, x, divisor)           \
	({                                                          \
		unsigned int usoftirq__kc_d##n = (divisor);         \
		unsigned long long usoftirq__kc_x##n =              \
			(x) + usoftirq__kc_d##n / 2;                \
		(void)do_div(usoftirq__kc_x##n, usoftirq__kc_d##n); \
		usoftirq__kc_x##n;                                  \
	})

/* round_up()/round_down() - y must be a power of 2. */
#define usoftirq__kc_round_mask(x, y) ((__typeof__(x))((y)-1))
#define round_up(x, y) ((((x)-1) | usoftirq__kc_round_mask(x, y)) + 1)
#define round_down(x, y) ((x) & ~usoftirq__kc_round_mask(x, y))

/* roundup()/rounddown() - any y. */
#ifndef roundup
#define roundup(x, y) ((((x) + ((y)-1)) / (y)) * (y))
#endif
#define rounddown(x, y) usoftirq__kc_with_id(usoftirq__kc_rounddown, x, y)
#define usoftirq__kc_rounddown(n, x, y)                            \
	({                                                         \
		__unqual_scalar_typeof(x) usoftirq__kc_x##n = (x); \
		usoftirq__kc_x##n - (usoftirq__kc_x##n % (y));     \
	})

/* abs_diff() - |a - b| without overflow; a and b of one signedness. */
#define abs_diff(a, b) usoftirq__kc_with_id(usoftirq__kc_abs_diff, a, b)
#define usoftirq__kc_abs_diff(n, a, b)                             \
	({                                                         \
		__unqual_scalar_typeof(a) usoftirq__kc_a##n = (a); \
		__unqual_scalar_typeof(b) usoftirq__kc_b##n = (b); \
		usoftirq__kc_a##n > usoftirq__kc_b##n ?            \
			usoftirq__kc_a##n - usoftirq__kc_b##n :    \
			usoftirq__kc_b##n - usoftirq__kc_a##n;     \
	})

#endif /* USOFTIRQ_KCOMPAT_LINUX_MATH_H */
