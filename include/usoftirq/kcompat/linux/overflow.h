/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/overflow.h>: check_add_overflow(),
 * check_sub_overflow(), check_mul_overflow() (true when the result does
 * not fit *d; the compiler's __builtin_*_overflow(), as the kernel's),
 * and the saturating size helpers size_add(), size_sub(), size_mul(),
 * array_size(), array3_size() and struct_size(), which give SIZE_MAX on
 * overflow so that the allocation fails.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_OVERFLOW_H
#define USOFTIRQ_KCOMPAT_LINUX_OVERFLOW_H

#include <stdint.h>

#include <linux/compiler.h>
#include <linux/types.h>

#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d) __builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

static inline size_t __must_check usoftirq__kc_size_add(size_t a, size_t b)
{
	size_t r;

	return check_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t __must_check usoftirq__kc_size_sub(size_t a, size_t b)
{
	size_t r;

	if (a == SIZE_MAX || b == SIZE_MAX || check_sub_overflow(a, b, &r))
		return SIZE_MAX;
	return r;
}

static inline size_t __must_check usoftirq__kc_size_mul(size_t a, size_t b)
{
	size_t r;

	return check_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

#define size_add usoftirq__kc_size_add
#define size_sub usoftirq__kc_size_sub
#define size_mul usoftirq__kc_size_mul
#define array_size(a, b) size_mul(a, b)
#define array3_size(a, b, c) size_mul(size_mul(a, b), c)
/* struct_size() - bytes of *p followed by @count elements of p->member[]. */
#define struct_size(p, member, count) \
	size_add(sizeof(*(p)), size_mul(sizeof(*(p)->member), (count)))

#endif /* USOFTIRQ_KCOMPAT_LINUX_OVERFLOW_H */
