/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/atomic.h>: atomic_t, atomic64_t and atomic_long_t
 * with the kernel's operations, and the generic xchg()/cmpxchg() family.
 *
 * For each of the prefixes atomic_ (int), atomic64_ (s64) and atomic_long_
 * (long), with the kernel's argument orders:
 *
 *  - read, read_acquire, set, set_release;
 *  - add, sub, inc, dec, and, or, xor, andnot: no value, relaxed;
 *  - add_return, sub_return, inc_return, dec_return, fetch_add, fetch_sub,
 *    fetch_inc, fetch_dec, fetch_and, fetch_or, fetch_xor, fetch_andnot,
 *    xchg, cmpxchg, try_cmpxchg: fully ordered (__ATOMIC_SEQ_CST), each
 *    also with the _relaxed, _acquire and _release suffixes;
 *  - inc_and_test, dec_and_test, sub_and_test, add_negative,
 *    fetch_add_unless, add_unless, inc_not_zero, inc_unless_negative,
 *    dec_unless_positive, dec_if_positive: fully ordered.
 *
 * This is the kernel's ordering contract (Documentation/atomic_t.txt):
 * value-returning read-modify-writes are full barriers, the others are not
 * barriers at all. The arithmetic wraps, as the kernel's does.
 *
 * C11 <stdatomic.h> also defines atomic_fetch_add, atomic_fetch_sub,
 * atomic_fetch_and, atomic_fetch_or and atomic_fetch_xor, as generic
 * macros with another meaning. If <stdatomic.h> was included first, this
 * header replaces those five with the kernel's; the _explicit forms of
 * C11 are unaffected. Include <stdatomic.h> after this header and the C11
 * meaning wins instead (docs/kcompat.md).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_ATOMIC_H
#define USOFTIRQ_KCOMPAT_LINUX_ATOMIC_H

#include <asm/barrier.h>
#include <linux/compiler.h>
#include <linux/types.h>

typedef struct usoftirq__kc_atomic_long {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i) \
	{              \
		(i)    \
	}
#define ATOMIC64_INIT(i) ATOMIC_INIT(i)
#define ATOMIC_LONG_INIT(i) ATOMIC_INIT(i)

/*
 * USOFTIRQ__KC_ATOMIC_OPS() - the operations of one atomic type whose
 * ordering is fixed by the kernel's contract.
 */
#define USOFTIRQ__KC_ATOMIC_OPS(fam, atype, itype, utype)                      \
	static inline itype usoftirq__kc_##fam##_read(const atype *v)          \
	{                                                                      \
		return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);         \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_read_acquire(const atype *v)  \
	{                                                                      \
		return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);         \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_set(atype *v, itype i)         \
	{                                                                      \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);            \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_set_release(atype *v, itype i) \
	{                                                                      \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);            \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_add(itype i, atype *v)         \
	{                                                                      \
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);          \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_sub(itype i, atype *v)         \
	{                                                                      \
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);          \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_inc(atype *v)                  \
	{                                                                      \
		__atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED);          \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_dec(atype *v)                  \
	{                                                                      \
		__atomic_fetch_sub(&v->counter, 1, __ATOMIC_RELAXED);          \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_and(itype i, atype *v)         \
	{                                                                      \
		__atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED);          \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_or(itype i, atype *v)          \
	{                                                                      \
		__atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED);           \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_xor(itype i, atype *v)         \
	{                                                                      \
		__atomic_fetch_xor(&v->counter, i, __ATOMIC_RELAXED);          \
	}                                                                      \
	static inline void usoftirq__kc_##fam##_andnot(itype i, atype *v)      \
	{                                                                      \
		__atomic_fetch_and(&v->counter, ~i, __ATOMIC_RELAXED);         \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_inc_and_test(atype *v)         \
	{                                                                      \
		return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == \
		       0;                                                      \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_dec_and_test(atype *v)         \
	{                                                                      \
		return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == \
		       0;                                                      \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_sub_and_test(itype i,          \
							     atype *v)         \
	{                                                                      \
		return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST) == \
		       0;                                                      \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_add_negative(itype i,          \
							     atype *v)         \
	{                                                                      \
		return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST) <  \
		       0;                                                      \
	}                                                                      \
	/* Add a unless the value is u; the old value. */                      \
	static inline itype usoftirq__kc_##fam##_fetch_add_unless(             \
		atype *v, itype a, itype u)                                    \
	{                                                                      \
		itype c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);      \
                                                                               \
		do {                                                           \
			if (c == u)                                            \
				break;                                         \
		} while (!__atomic_compare_exchange_n(                         \
			&v->counter, &c, (itype)((utype)c + (utype)a), 0,      \
			__ATOMIC_SEQ_CST, __ATOMIC_RELAXED));                  \
		return c;                                                      \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_add_unless(atype *v, itype a,  \
							   itype u)            \
	{                                                                      \
		return usoftirq__kc_##fam##_fetch_add_unless(v, a, u) != u;    \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_inc_not_zero(atype *v)         \
	{                                                                      \
		return usoftirq__kc_##fam##_add_unless(v, 1, 0);               \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_inc_unless_negative(atype *v)  \
	{                                                                      \
		itype c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);      \
                                                                               \
		do {                                                           \
			if (c < 0)                                             \
				return false;                                  \
		} while (!__atomic_compare_exchange_n(                         \
			&v->counter, &c, (itype)((utype)c + 1), 0,             \
			__ATOMIC_SEQ_CST, __ATOMIC_RELAXED));                  \
		return true;                                                   \
	}                                                                      \
	static inline bool usoftirq__kc_##fam##_dec_unless_positive(atype *v)  \
	{                                                                      \
		itype c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);      \
                                                                               \
		do {                                                           \
			if (c > 0)                                             \
				return false;                                  \
		} while (!__atomic_compare_exchange_n(                         \
			&v->counter, &c, (itype)((utype)c - 1), 0,             \
			__ATOMIC_SEQ_CST, __ATOMIC_RELAXED));                  \
		return true;                                                   \
	}                                                                      \
	/* Decrement unless the result would be negative; the result. */       \
	static inline itype usoftirq__kc_##fam##_dec_if_positive(atype *v)     \
	{                                                                      \
		itype c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);      \
		itype dec;                                                     \
                                                                               \
		do {                                                           \
			dec = (itype)((utype)c - 1);                           \
			if (dec < 0)                                           \
				break;                                         \
		} while (!__atomic_compare_exchange_n(&v->counter, &c, dec, 0, \
						      __ATOMIC_SEQ_CST,        \
						      __ATOMIC_RELAXED));      \
		return dec;                                                    \
	}

/*
 * USOFTIRQ__KC_ATOMIC_ORDERED_OPS() - the value-returning operations of one
 * atomic type for one ordering: sfx is the kernel's name suffix, mo the
 * order of the operation and fail_mo that of a failed compare-exchange.
 */
#define USOFTIRQ__KC_ATOMIC_ORDERED_OPS(fam, atype, itype, sfx, mo, fail_mo)   \
	static inline itype usoftirq__kc_##fam##_add_return##sfx(itype i,      \
								 atype *v)     \
	{                                                                      \
		return __atomic_add_fetch(&v->counter, i, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_sub_return##sfx(itype i,      \
								 atype *v)     \
	{                                                                      \
		return __atomic_sub_fetch(&v->counter, i, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_inc_return##sfx(atype *v)     \
	{                                                                      \
		return __atomic_add_fetch(&v->counter, 1, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_dec_return##sfx(atype *v)     \
	{                                                                      \
		return __atomic_sub_fetch(&v->counter, 1, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_add##sfx(itype i,       \
								atype *v)      \
	{                                                                      \
		return __atomic_fetch_add(&v->counter, i, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_sub##sfx(itype i,       \
								atype *v)      \
	{                                                                      \
		return __atomic_fetch_sub(&v->counter, i, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_inc##sfx(atype *v)      \
	{                                                                      \
		return __atomic_fetch_add(&v->counter, 1, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_dec##sfx(atype *v)      \
	{                                                                      \
		return __atomic_fetch_sub(&v->counter, 1, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_and##sfx(itype i,       \
								atype *v)      \
	{                                                                      \
		return __atomic_fetch_and(&v->counter, i, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_or##sfx(itype i,        \
							       atype *v)       \
	{                                                                      \
		return __atomic_fetch_or(&v->counter, i, mo);                  \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_xor##sfx(itype i,       \
								atype *v)      \
	{                                                                      \
		return __atomic_fetch_xor(&v->counter, i, mo);                 \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_fetch_andnot##sfx(itype i,    \
								   atype *v)   \
	{                                                                      \
		return __atomic_fetch_and(&v->counter, ~i, mo);                \
	}                                                                      \
	static inline itype usoftirq__kc_##fam##_xchg##sfx(atype *v,           \
							   itype new_value)    \
	{                                                                      \
		return __atomic_exchange_n(&v->counter, new_value, mo);        \
	}                                                                      \
	/* The value found: old if the exchange happened. */                   \
	static inline itype usoftirq__kc_##fam##_cmpxchg##sfx(                 \
		atype *v, itype old, itype new_value)                          \
	{                                                                      \
		__atomic_compare_exchange_n(&v->counter, &old, new_value, 0,   \
					    mo, fail_mo);                      \
		return old;                                                    \
	}                                                                      \
	/* True if exchanged; otherwise *old receives the value found. */      \
	static inline bool usoftirq__kc_##fam##_try_cmpxchg##sfx(              \
		atype *v, itype *old, itype new_value)                         \
	{                                                                      \
		return __atomic_compare_exchange_n(&v->counter, old,           \
						   new_value, 0, mo, fail_mo); \
	}

#define USOFTIRQ__KC_ATOMIC_TYPE(fam, atype, itype, utype)                     \
	USOFTIRQ__KC_ATOMIC_OPS(fam, atype, itype, utype)                      \
	USOFTIRQ__KC_ATOMIC_ORDERED_OPS(fam, atype, itype, , __ATOMIC_SEQ_CST, \
					__ATOMIC_SEQ_CST)                      \
	USOFTIRQ__KC_ATOMIC_ORDERED_OPS(fam, atype, itype, _relaxed,           \
					__ATOMIC_RELAXED, __ATOMIC_RELAXED)    \
	USOFTIRQ__KC_ATOMIC_ORDERED_OPS(fam, atype, itype, _acquire,           \
					__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)    \
	USOFTIRQ__KC_ATOMIC_ORDERED_OPS(fam, atype, itype, _release,           \
					__ATOMIC_RELEASE, __ATOMIC_RELAXED)

USOFTIRQ__KC_ATOMIC_TYPE(atomic, atomic_t, int, unsigned int)
USOFTIRQ__KC_ATOMIC_TYPE(atomic64, atomic64_t, s64, u64)
USOFTIRQ__KC_ATOMIC_TYPE(atomic_long, atomic_long_t, long, unsigned long)

/* The C11 generic names that the kernel names replace, if defined. */
#undef atomic_fetch_add
#undef atomic_fetch_sub
#undef atomic_fetch_and
#undef atomic_fetch_or
#undef atomic_fetch_xor

/* atomic_t: int */
#define atomic_read usoftirq__kc_atomic_read
#define atomic_read_acquire usoftirq__kc_atomic_read_acquire
#define atomic_set usoftirq__kc_atomic_set
#define atomic_set_release usoftirq__kc_atomic_set_release
#define atomic_add usoftirq__kc_atomic_add
#define atomic_sub usoftirq__kc_atomic_sub
#define atomic_inc usoftirq__kc_atomic_inc
#define atomic_dec usoftirq__kc_atomic_dec
#define atomic_and usoftirq__kc_atomic_and
#define atomic_or usoftirq__kc_atomic_or
#define atomic_xor usoftirq__kc_atomic_xor
#define atomic_andnot usoftirq__kc_atomic_andnot
#define atomic_inc_and_test usoftirq__kc_atomic_inc_and_test
#define atomic_dec_and_test usoftirq__kc_atomic_dec_and_test
#define atomic_sub_and_test usoftirq__kc_atomic_sub_and_test
#define atomic_add_negative usoftirq__kc_atomic_add_negative
#define atomic_fetch_add_unless usoftirq__kc_atomic_fetch_add_unless
#define atomic_add_unless usoftirq__kc_atomic_add_unless
#define atomic_inc_not_zero usoftirq__kc_atomic_inc_not_zero
#define atomic_inc_unless_negative usoftirq__kc_atomic_inc_unless_negative
#define atomic_dec_unless_positive usoftirq__kc_atomic_dec_unless_positive
#define atomic_dec_if_positive usoftirq__kc_atomic_dec_if_positive
#define atomic_add_return usoftirq__kc_atomic_add_return
#define atomic_add_return_relaxed usoftirq__kc_atomic_add_return_relaxed
#define atomic_add_return_acquire usoftirq__kc_atomic_add_return_acquire
#define atomic_add_return_release usoftirq__kc_atomic_add_return_release
#define atomic_sub_return usoftirq__kc_atomic_sub_return
#define atomic_sub_return_relaxed usoftirq__kc_atomic_sub_return_relaxed
#define atomic_sub_return_acquire usoftirq__kc_atomic_sub_return_acquire
#define atomic_sub_return_release usoftirq__kc_atomic_sub_return_release
#define atomic_inc_return usoftirq__kc_atomic_inc_return
#define atomic_inc_return_relaxed usoftirq__kc_atomic_inc_return_relaxed
#define atomic_inc_return_acquire usoftirq__kc_atomic_inc_return_acquire
#define atomic_inc_return_release usoftirq__kc_atomic_inc_return_release
#define atomic_dec_return usoftirq__kc_atomic_dec_return
#define atomic_dec_return_relaxed usoftirq__kc_atomic_dec_return_relaxed
#define atomic_dec_return_acquire usoftirq__kc_atomic_dec_return_acquire
#define atomic_dec_return_release usoftirq__kc_atomic_dec_return_release
#define atomic_fetch_add usoftirq__kc_atomic_fetch_add
#define atomic_fetch_add_relaxed usoftirq__kc_atomic_fetch_add_relaxed
#define atomic_fetch_add_acquire usoftirq__kc_atomic_fetch_add_acquire
#define atomic_fetch_add_release usoftirq__kc_atomic_fetch_add_release
#define atomic_fetch_sub usoftirq__kc_atomic_fetch_sub
#define atomic_fetch_sub_relaxed usoftirq__kc_atomic_fetch_sub_relaxed
#define atomic_fetch_sub_acquire usoftirq__kc_atomic_fetch_sub_acquire
#define atomic_fetch_sub_release usoftirq__kc_atomic_fetch_sub_release
#define atomic_fetch_inc usoftirq__kc_atomic_fetch_inc
#define atomic_fetch_inc_relaxed usoftirq__kc_atomic_fetch_inc_relaxed
#define atomic_fetch_inc_acquire usoftirq__kc_atomic_fetch_inc_acquire
#define atomic_fetch_inc_release usoftirq__kc_atomic_fetch_inc_release
#define atomic_fetch_dec usoftirq__kc_atomic_fetch_dec
#define atomic_fetch_dec_relaxed usoftirq__kc_atomic_fetch_dec_relaxed
#define atomic_fetch_dec_acquire usoftirq__kc_atomic_fetch_dec_acquire
#define atomic_fetch_dec_release usoftirq__kc_atomic_fetch_dec_release
#define atomic_fetch_and usoftirq__kc_atomic_fetch_and
#define atomic_fetch_and_relaxed usoftirq__kc_atomic_fetch_and_relaxed
#define atomic_fetch_and_acquire usoftirq__kc_atomic_fetch_and_acquire
#define atomic_fetch_and_release usoftirq__kc_atomic_fetch_and_release
#define atomic_fetch_or usoftirq__kc_atomic_fetch_or
#define atomic_fetch_or_relaxed usoftirq__kc_atomic_fetch_or_relaxed
#define atomic_fetch_or_acquire usoftirq__kc_atomic_fetch_or_acquire
#define atomic_fetch_or_release usoftirq__kc_atomic_fetch_or_release
#define atomic_fetch_xor usoftirq__kc_atomic_fetch_xor
#define atomic_fetch_xor_relaxed usoftirq__kc_atomic_fetch_xor_relaxed
#define atomic_fetch_xor_acquire usoftirq__kc_atomic_fetch_xor_acquire
#define atomic_fetch_xor_release usoftirq__kc_atomic_fetch_xor_release
#define atomic_fetch_andnot usoftirq__kc_atomic_fetch_andnot
#define atomic_fetch_andnot_relaxed usoftirq__kc_atomic_fetch_andnot_relaxed
#define atomic_fetch_andnot_acquire usoftirq__kc_atomic_fetch_andnot_acquire
#define atomic_fetch_andnot_release usoftirq__kc_atomic_fetch_andnot_release
#define atomic_xchg usoftirq__kc_atomic_xchg
#define atomic_xchg_relaxed usoftirq__kc_atomic_xchg_relaxed
#define atomic_xchg_acquire usoftirq__kc_atomic_xchg_acquire
#define atomic_xchg_release usoftirq__kc_atomic_xchg_release
#define atomic_cmpxchg usoftirq__kc_atomic_cmpxchg
#define atomic_cmpxchg_relaxed usoftirq__kc_atomic_cmpxchg_relaxed
#define atomic_cmpxchg_acquire usoftirq__kc_atomic_cmpxchg_acquire
#define atomic_cmpxchg_release usoftirq__kc_atomic_cmpxchg_release
#define atomic_try_cmpxchg usoftirq__kc_atomic_try_cmpxchg
#define atomic_try_cmpxchg_relaxed usoftirq__kc_atomic_try_cmpxchg_relaxed
#define atomic_try_cmpxchg_acquire usoftirq__kc_atomic_try_cmpxchg_acquire
#define atomic_try_cmpxchg_release usoftirq__kc_atomic_try_cmpxchg_release

/* atomic64_t: s64 */
#define atomic64_read usoftirq__kc_atomic64_read
#define atomic64_read_acquire usoftirq__kc_atomic64_read_acquire
#define atomic64_set usoftirq__kc_atomic64_set
#define atomic64_set_release usoftirq__kc_atomic64_set_release
#define atomic64_add usoftirq__kc_atomic64_add
#define atomic64_sub usoftirq__kc_atomic64_sub
#define atomic64_inc usoftirq__kc_atomic64_inc
#define atomic64_dec usoftirq__kc_atomic64_dec
#define atomic64_and usoftirq__kc_atomic64_and
#define atomic64_or usoftirq__kc_atomic64_or
#define atomic64_xor usoftirq__kc_atomic64_xor
#define atomic64_andnot usoftirq__kc_atomic64_andnot
#define atomic64_inc_and_test usoftirq__kc_atomic64_inc_and_test
#define atomic64_dec_and_test usoftirq__kc_atomic64_dec_and_test
#define atomic64_sub_and_test usoftirq__kc_atomic64_sub_and_test
#define atomic64_add_negative usoftirq__kc_atomic64_add_negative
#define atomic64_fetch_add_unless usoftirq__kc_atomic64_fetch_add_unless
#define atomic64_add_unless usoftirq__kc_atomic64_add_unless
#define atomic64_inc_not_zero usoftirq__kc_atomic64_inc_not_zero
#define atomic64_inc_unless_negative usoftirq__kc_atomic64_inc_unless_negative
#define atomic64_dec_unless_positive usoftirq__kc_atomic64_dec_unless_positive
#define atomic64_dec_if_positive usoftirq__kc_atomic64_dec_if_positive
#define atomic64_add_return usoftirq__kc_atomic64_add_return
#define atomic64_add_return_relaxed usoftirq__kc_atomic64_add_return_relaxed
#define atomic64_add_return_acquire usoftirq__kc_atomic64_add_return_acquire
#define atomic64_add_return_release usoftirq__kc_atomic64_add_return_release
#define atomic64_sub_return usoftirq__kc_atomic64_sub_return
#define atomic64_sub_return_relaxed usoftirq__kc_atomic64_sub_return_relaxed
#define atomic64_sub_return_acquire usoftirq__kc_atomic64_sub_return_acquire
#define atomic64_sub_return_release usoftirq__kc_atomic64_sub_return_release
#define atomic64_inc_return usoftirq__kc_atomic64_inc_return
#define atomic64_inc_return_relaxed usoftirq__kc_atomic64_inc_return_relaxed
#define atomic64_inc_return_acquire usoftirq__kc_atomic64_inc_return_acquire
#define atomic64_inc_return_release usoftirq__kc_atomic64_inc_return_release
#define atomic64_dec_return usoftirq__kc_atomic64_dec_return
#define atomic64_dec_return_relaxed usoftirq__kc_atomic64_dec_return_relaxed
#define atomic64_dec_return_acquire usoftirq__kc_atomic64_dec_return_acquire
#define atomic64_dec_return_release usoftirq__kc_atomic64_dec_return_release
#define atomic64_fetch_add usoftirq__kc_atomic64_fetch_add
#define atomic64_fetch_add_relaxed usoftirq__kc_atomic64_fetch_add_relaxed
#define atomic64_fetch_add_acquire usoftirq__kc_atomic64_fetch_add_acquire
#define atomic64_fetch_add_release usoftirq__kc_atomic64_fetch_add_release
#define atomic64_fetch_sub usoftirq__kc_atomic64_fetch_sub
#define atomic64_fetch_sub_relaxed usoftirq__kc_atomic64_fetch_sub_relaxed
#define atomic64_fetch_sub_acquire usoftirq__kc_atomic64_fetch_sub_acquire
#define atomic64_fetch_sub_release usoftirq__kc_atomic64_fetch_sub_release
#define atomic64_fetch_inc usoftirq__kc_atomic64_fetch_inc
#define atomic64_fetch_inc_relaxed usoftirq__kc_atomic64_fetch_inc_relaxed
#define atomic64_fetch_inc_acquire usoftirq__kc_atomic64_fetch_inc_acquire
#define atomic64_fetch_inc_release usoftirq__kc_atomic64_fetch_inc_release
#define atomic64_fetch_dec usoftirq__kc_atomic64_fetch_dec
#define atomic64_fetch_dec_relaxed usoftirq__kc_atomic64_fetch_dec_relaxed
#define atomic64_fetch_dec_acquire usoftirq__kc_atomic64_fetch_dec_acquire
#define atomic64_fetch_dec_release usoftirq__kc_atomic64_fetch_dec_release
#define atomic64_fetch_and usoftirq__kc_atomic64_fetch_and
#define atomic64_fetch_and_relaxed usoftirq__kc_atomic64_fetch_and_relaxed
#define atomic64_fetch_and_acquire usoftirq__kc_atomic64_fetch_and_acquire
#define atomic64_fetch_and_release usoftirq__kc_atomic64_fetch_and_release
#define atomic64_fetch_or usoftirq__kc_atomic64_fetch_or
#define atomic64_fetch_or_relaxed usoftirq__kc_atomic64_fetch_or_relaxed
#define atomic64_fetch_or_acquire usoftirq__kc_atomic64_fetch_or_acquire
#define atomic64_fetch_or_release usoftirq__kc_atomic64_fetch_or_release
#define atomic64_fetch_xor usoftirq__kc_atomic64_fetch_xor
#define atomic64_fetch_xor_relaxed usoftirq__kc_atomic64_fetch_xor_relaxed
#define atomic64_fetch_xor_acquire usoftirq__kc_atomic64_fetch_xor_acquire
#define atomic64_fetch_xor_release usoftirq__kc_atomic64_fetch_xor_release
#define atomic64_fetch_andnot usoftirq__kc_atomic64_fetch_andnot
#define atomic64_fetch_andnot_relaxed usoftirq__kc_atomic64_fetch_andnot_relaxed
#define atomic64_fetch_andnot_acquire usoftirq__kc_atomic64_fetch_andnot_acquire
#define atomic64_fetch_andnot_release usoftirq__kc_atomic64_fetch_andnot_release
#define atomic64_xchg usoftirq__kc_atomic64_xchg
#define atomic64_xchg_relaxed usoftirq__kc_atomic64_xchg_relaxed
#define atomic64_xchg_acquire usoftirq__kc_atomic64_xchg_acquire
#define atomic64_xchg_release usoftirq__kc_atomic64_xchg_release
#define atomic64_cmpxchg usoftirq__kc_atomic64_cmpxchg
#define atomic64_cmpxchg_relaxed usoftirq__kc_atomic64_cmpxchg_relaxed
#define atomic64_cmpxchg_acquire usoftirq__kc_atomic64_cmpxchg_acquire
#define atomic64_cmpxchg_release usoftirq__kc_atomic64_cmpxchg_release
#define atomic64_try_cmpxchg usoftirq__kc_atomic64_try_cmpxchg
#define atomic64_try_cmpxchg_relaxed usoftirq__kc_atomic64_try_cmpxchg_relaxed
#define atomic64_try_cmpxchg_acquire usoftirq__kc_atomic64_try_cmpxchg_acquire
#define atomic64_try_cmpxchg_release usoftirq__kc_atomic64_try_cmpxchg_release

/* atomic_long_t: long */
#define atomic_long_read usoftirq__kc_atomic_long_read
#define atomic_long_read_acquire usoftirq__kc_atomic_long_read_acquire
#define atomic_long_set usoftirq__kc_atomic_long_set
#define atomic_long_set_release usoftirq__kc_atomic_long_set_release
#define atomic_long_add usoftirq__kc_atomic_long_add
#define atomic_long_sub usoftirq__kc_atomic_long_sub
#define atomic_long_inc usoftirq__kc_atomic_long_inc
#define atomic_long_dec usoftirq__kc_atomic_long_dec
#define atomic_long_and usoftirq__kc_atomic_long_and
#define atomic_long_or usoftirq__kc_atomic_long_or
#define atomic_long_xor usoftirq__kc_atomic_long_xor
#define atomic_long_andnot usoftirq__kc_atomic_long_andnot
#define atomic_long_inc_and_test usoftirq__kc_atomic_long_inc_and_test
#define atomic_long_dec_and_test usoftirq__kc_atomic_long_dec_and_test
#define atomic_long_sub_and_test usoftirq__kc_atomic_long_sub_and_test
#define atomic_long_add_negative usoftirq__kc_atomic_long_add_negative
#define atomic_long_fetch_add_unless usoftirq__kc_atomic_long_fetch_add_unless
#define atomic_long_add_unless usoftirq__kc_atomic_long_add_unless
#define atomic_long_inc_not_zero usoftirq__kc_atomic_long_inc_not_zero
#define atomic_long_inc_unless_negative \
	usoftirq__kc_atomic_long_inc_unless_negative
#define atomic_long_dec_unless_positive \
	usoftirq__kc_atomic_long_dec_unless_positive
#define atomic_long_dec_if_positive usoftirq__kc_atomic_long_dec_if_positive
#define atomic_long_add_return usoftirq__kc_atomic_long_add_return
#define atomic_long_add_return_relaxed \
	usoftirq__kc_atomic_long_add_return_relaxed
#define atomic_long_add_return_acquire \
	usoftirq__kc_atomic_long_add_return_acquire
#define atomic_long_add_return_release \
	usoftirq__kc_atomic_long_add_return_release
#define atomic_long_sub_return usoftirq__kc_atomic_long_sub_return
#define atomic_long_sub_return_relaxed \
	usoftirq__kc_atomic_long_sub_return_relaxed
#define atomic_long_sub_return_acquire \
	usoftirq__kc_atomic_long_sub_return_acquire
#define atomic_long_sub_return_release \
	usoftirq__kc_atomic_long_sub_return_release
#define atomic_long_inc_return usoftirq__kc_atomic_long_inc_return
#define atomic_long_inc_return_relaxed \
	usoftirq__kc_atomic_long_inc_return_relaxed
#define atomic_long_inc_return_acquire \
	usoftirq__kc_atomic_long_inc_return_acquire
#define atomic_long_inc_return_release \
	usoftirq__kc_atomic_long_inc_return_release
#define atomic_long_dec_return usoftirq__kc_atomic_long_dec_return
#define atomic_long_dec_return_relaxed \
	usoftirq__kc_atomic_long_dec_return_relaxed
#define atomic_long_dec_return_acquire \
	usoftirq__kc_atomic_long_dec_return_acquire
#define atomic_long_dec_return_release \
	usoftirq__kc_atomic_long_dec_return_release
#define atomic_long_fetch_add usoftirq__kc_atomic_long_fetch_add
#define atomic_long_fetch_add_relaxed usoftirq__kc_atomic_long_fetch_add_relaxed
#define atomic_long_fetch_add_acquire usoftirq__kc_atomic_long_fetch_add_acquire
#define atomic_long_fetch_add_release usoftirq__kc_atomic_long_fetch_add_release
#define atomic_long_fetch_sub usoftirq__kc_atomic_long_fetch_sub
#define atomic_long_fetch_sub_relaxed usoftirq__kc_atomic_long_fetch_sub_relaxed
#define atomic_long_fetch_sub_acquire usoftirq__kc_atomic_long_fetch_sub_acquire
#define atomic_long_fetch_sub_release usoftirq__kc_atomic_long_fetch_sub_release
#define atomic_long_fetch_inc usoftirq__kc_atomic_long_fetch_inc
#define atomic_long_fetch_inc_relaxed usoftirq__kc_atomic_long_fetch_inc_relaxed
#define atomic_long_fetch_inc_acquire usoftirq__kc_atomic_long_fetch_inc_acquire
#define atomic_long_fetch_inc_release usoftirq__kc_atomic_long_fetch_inc_release
#define atomic_long_fetch_dec usoftirq__kc_atomic_long_fetch_dec
#define atomic_long_fetch_dec_relaxed usoftirq__kc_atomic_long_fetch_dec_relaxed
#define atomic_long_fetch_dec_acquire usoftirq__kc_atomic_long_fetch_dec_acquire
#define atomic_long_fetch_dec_release usoftirq__kc_atomic_long_fetch_dec_release
#define atomic_long_fetch_and usoftirq__kc_atomic_long_fetch_and
#define atomic_long_fetch_and_relaxed usoftirq__kc_atomic_long_fetch_and_relaxed
#define atomic_long_fetch_and_acquire usoftirq__kc_atomic_long_fetch_and_acquire
#define atomic_long_fetch_and_release usoftirq__kc_atomic_long_fetch_and_release
#define atomic_long_fetch_or usoftirq__kc_atomic_long_fetch_or
#define atomic_long_fetch_or_relaxed usoftirq__kc_atomic_long_fetch_or_relaxed
#define atomic_long_fetch_or_acquire usoftirq__kc_atomic_long_fetch_or_acquire
#define atomic_long_fetch_or_release usoftirq__kc_atomic_long_fetch_or_release
#define atomic_long_fetch_xor usoftirq__kc_atomic_long_fetch_xor
#define atomic_long_fetch_xor_relaxed usoftirq__kc_atomic_long_fetch_xor_relaxed
#define atomic_long_fetch_xor_acquire usoftirq__kc_atomic_long_fetch_xor_acquire
#define atomic_long_fetch_xor_release usoftirq__kc_atomic_long_fetch_xor_release
#define atomic_long_fetch_andnot usoftirq__kc_atomic_long_fetch_andnot
#define atomic_long_fetch_andnot_relaxed \
	usoftirq__kc_atomic_long_fetch_andnot_relaxed
#define atomic_long_fetch_andnot_acquire \
	usoftirq__kc_atomic_long_fetch_andnot_acquire
#define atomic_long_fetch_andnot_release \
	usoftirq__kc_atomic_long_fetch_andnot_release
#define atomic_long_xchg usoftirq__kc_atomic_long_xchg
#define atomic_long_xchg_relaxed usoftirq__kc_atomic_long_xchg_relaxed
#define atomic_long_xchg_acquire usoftirq__kc_atomic_long_xchg_acquire
#define atomic_long_xchg_release usoftirq__kc_atomic_long_xchg_release
#define atomic_long_cmpxchg usoftirq__kc_atomic_long_cmpxchg
#define atomic_long_cmpxchg_relaxed usoftirq__kc_atomic_long_cmpxchg_relaxed
#define atomic_long_cmpxchg_acquire usoftirq__kc_atomic_long_cmpxchg_acquire
#define atomic_long_cmpxchg_release usoftirq__kc_atomic_long_cmpxchg_release
#define atomic_long_try_cmpxchg usoftirq__kc_atomic_long_try_cmpxchg
#define atomic_long_try_cmpxchg_relaxed \
	usoftirq__kc_atomic_long_try_cmpxchg_relaxed
#define atomic_long_try_cmpxchg_acquire \
	usoftirq__kc_atomic_long_try_cmpxchg_acquire
#define atomic_long_try_cmpxchg_release \
	usoftirq__kc_atomic_long_try_cmpxchg_release

/* atomic_cond_read_*() - wait until cond_expr (on VAL) holds for v. */
#define atomic_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))
#define atomic64_cond_read_relaxed(v, c) \
	smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic64_cond_read_acquire(v, c) \
	smp_cond_load_acquire(&(v)->counter, (c))

/*
 * The generic forms on any integer or pointer lvalue: xchg() returns the
 * old value, cmpxchg() the value found (old if the exchange happened),
 * try_cmpxchg() whether it happened (*oldp receiving the value found).
 */
#define usoftirq__kc_xchg(ptr, x, mo) __atomic_exchange_n((ptr), (x), mo)
#define usoftirq__kc_cmpxchg(n, ptr, old, new_value, mo, fail_mo)         \
	({                                                                \
		__unqual_scalar_typeof(*(ptr)) usoftirq__kc_o##n = (old); \
		__atomic_compare_exchange_n((ptr), &usoftirq__kc_o##n,    \
					    (new_value), 0, mo, fail_mo); \
		usoftirq__kc_o##n;                                        \
	})
#define usoftirq__kc_try_cmpxchg(ptr, oldp, new_value, mo, fail_mo) \
	__atomic_compare_exchange_n((ptr), (oldp), (new_value), 0, mo, fail_mo)

#define xchg(ptr, x) usoftirq__kc_xchg(ptr, x, __ATOMIC_SEQ_CST)
#define xchg_relaxed(ptr, x) usoftirq__kc_xchg(ptr, x, __ATOMIC_RELAXED)
#define xchg_acquire(ptr, x) usoftirq__kc_xchg(ptr, x, __ATOMIC_ACQUIRE)
#define xchg_release(ptr, x) usoftirq__kc_xchg(ptr, x, __ATOMIC_RELEASE)
#define cmpxchg(ptr, old, new_value)                                    \
	usoftirq__kc_with_id(usoftirq__kc_cmpxchg, ptr, old, new_value, \
			     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define cmpxchg_relaxed(ptr, old, new_value)                            \
	usoftirq__kc_with_id(usoftirq__kc_cmpxchg, ptr, old, new_value, \
			     __ATOMIC_RELAXED, __ATOMIC_RELAXED)
#define cmpxchg_acquire(ptr, old, new_value)                            \
	usoftirq__kc_with_id(usoftirq__kc_cmpxchg, ptr, old, new_value, \
			     __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)
#define cmpxchg_release(ptr, old, new_value)                            \
	usoftirq__kc_with_id(usoftirq__kc_cmpxchg, ptr, old, new_value, \
			     __ATOMIC_RELEASE, __ATOMIC_RELAXED)
#define try_cmpxchg(ptr, oldp, new_value)                                \
	usoftirq__kc_try_cmpxchg(ptr, oldp, new_value, __ATOMIC_SEQ_CST, \
				 __ATOMIC_SEQ_CST)
#define try_cmpxchg_relaxed(ptr, oldp, new_value)                        \
	usoftirq__kc_try_cmpxchg(ptr, oldp, new_value, __ATOMIC_RELAXED, \
				 __ATOMIC_RELAXED)
#define try_cmpxchg_acquire(ptr, oldp, new_value)                        \
	usoftirq__kc_try_cmpxchg(ptr, oldp, new_value, __ATOMIC_ACQUIRE, \
				 __ATOMIC_ACQUIRE)
#define try_cmpxchg_release(ptr, oldp, new_value)                        \
	usoftirq__kc_try_cmpxchg(ptr, oldp, new_value, __ATOMIC_RELEASE, \
				 __ATOMIC_RELAXED)

#endif /* USOFTIRQ_KCOMPAT_LINUX_ATOMIC_H */
