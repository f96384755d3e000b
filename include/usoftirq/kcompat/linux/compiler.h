/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/compiler.h>: likely()/unlikely(), barrier(),
 * READ_ONCE()/WRITE_ONCE(), data_race(), unreachable(),
 * OPTIMIZER_HIDE_VAR(), __must_be_array(), is_signed_type().
 *
 * READ_ONCE() and WRITE_ONCE() of a naturally aligned object of 1, 2, 4 or
 * 8 bytes (every scalar) are relaxed __atomic loads and stores: the code
 * generated is the plain access the kernel's volatile one compiles to, and
 * ThreadSanitizer sees them as the atomic accesses they are meant to be.
 * Other objects (structures of odd size or alignment) fall back to a
 * volatile access, as in the kernel, which ThreadSanitizer treats as a
 * plain one. data_race() marks nothing: it exists for KCSAN, and
 * ThreadSanitizer has no equivalent annotation.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_COMPILER_H
#define USOFTIRQ_KCOMPAT_LINUX_COMPILER_H

#include <linux/compiler_types.h>
#include <linux/build_bug.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely_notrace(x) likely(x)
#define unlikely_notrace(x) unlikely(x)

/* A compiler barrier: no memory access is moved across it. */
#define barrier() __asm__ __volatile__("" : : : "memory")
#define barrier_data(ptr) __asm__ __volatile__("" : : "r"(ptr) : "memory")
#define OPTIMIZER_HIDE_VAR(var) __asm__("" : "=r"(var) : "0"(var))
#define RELOC_HIDE(ptr, off) ((__typeof__(ptr))((unsigned long)(ptr) + (off)))

#define unreachable() __builtin_unreachable()
#define data_race(expr) (expr)

#define is_signed_type(type) (((type)(-1)) < (type)1)
#define is_unsigned_type(type) (!is_signed_type(type))

/* __must_be_array(a) - 0, or a build error if a is a pointer. */
#define __must_be_array(a) BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))

/*
 * usoftirq__kc_once_size_ok(x) - x can be accessed with one relaxed
 * __atomic operation without a call to libatomic.
 */
#define usoftirq__kc_once_size_ok(x)                                         \
	(__alignof__(x) >= sizeof(x) && (sizeof(x) == 1 || sizeof(x) == 2 || \
					 sizeof(x) == 4 || sizeof(x) == 8))

#define READ_ONCE(x) usoftirq__kc_read_once(x, __COUNTER__)
#define usoftirq__kc_read_once(x, n) usoftirq__kc_read_once_(x, n)
#define usoftirq__kc_read_once_(x, n)                                         \
	({                                                                    \
		__unqual_scalar_typeof(x) usoftirq__kc_val##n;                \
		__builtin_choose_expr(                                        \
			usoftirq__kc_once_size_ok(x),                         \
			__atomic_load(&(x), &usoftirq__kc_val##n,             \
				      __ATOMIC_RELAXED),                      \
			(void)(usoftirq__kc_val##n = *(                       \
				       const volatile __typeof__(x) *)&(x))); \
		usoftirq__kc_val##n;                                          \
	})

#define WRITE_ONCE(x, val) usoftirq__kc_write_once(x, val, __COUNTER__)
#define usoftirq__kc_write_once(x, val, n) usoftirq__kc_write_once_(x, val, n)
#define usoftirq__kc_write_once_(x, val, n)                                    \
	do {                                                                   \
		__unqual_scalar_typeof(x) usoftirq__kc_val##n = (val);         \
		__builtin_choose_expr(usoftirq__kc_once_size_ok(x),            \
				      __atomic_store(&(x),                     \
						     &usoftirq__kc_val##n,     \
						     __ATOMIC_RELAXED),        \
				      (void)(*(volatile __typeof__(x) *)&(x) = \
						     usoftirq__kc_val##n));    \
	} while (0)

#endif /* USOFTIRQ_KCOMPAT_LINUX_COMPILER_H */
