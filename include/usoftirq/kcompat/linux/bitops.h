/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/bitops.h>: bit operations on unsigned long bitmaps.
 *
 *  - Atomic: set_bit(), clear_bit(), change_bit() (relaxed, as in the
 *    kernel: pair them with smp_mb__before_atomic()/after_atomic() if
 *    ordering matters); test_and_set_bit(), test_and_clear_bit(),
 *    test_and_change_bit() (fully ordered); test_and_set_bit_lock()
 *    (acquire), clear_bit_unlock() (release), assign_bit().
 *  - test_bit() (a relaxed atomic load, so that ThreadSanitizer accepts it
 *    next to the atomic writers) and test_bit_acquire().
 *  - Non-atomic: __set_bit(), __clear_bit(), __change_bit(),
 *    __test_and_set_bit(), __test_and_clear_bit(),
 *    __test_and_change_bit(), __assign_bit(), __clear_bit_unlock().
 *  - Word helpers: __ffs(), __fls(), ffz(), fls(), fls64(), fls_long(),
 *    hweight8() ... hweight64(), hweight_long(), rol32() ... ror64(),
 *    sign_extend32(), sign_extend64(); ffs() is glibc's (<strings.h>),
 *    which has the kernel's meaning.
 *  - Searching: find_first_bit(), find_next_bit(), find_first_zero_bit(),
 *    find_next_zero_bit(), find_last_bit(), for_each_set_bit(),
 *    for_each_set_bit_from(), for_each_clear_bit(), BITS_TO_LONGS() and
 *    friends.
 *
 * Bit numbers count from bit 0 of addr[0], BITS_PER_LONG bits per word,
 * as in the kernel (test_bit(TASKLET_STATE_SCHED, &t->state) reads bit 0
 * of the tasklet's state word).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_BITOPS_H
#define USOFTIRQ_KCOMPAT_LINUX_BITOPS_H

#include <strings.h>

#include <asm/barrier.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BITS_TO_U64(nr) (((nr) + 63) / 64)
#define BITS_TO_U32(nr) (((nr) + 31) / 32)
#define BITS_TO_BYTES(nr) (((nr) + BITS_PER_BYTE - 1) / BITS_PER_BYTE)

/* ------------------------------------------------------------------ */
/* Atomic bit operations                                               */
/* ------------------------------------------------------------------ */

static inline void usoftirq__kc_set_bit(unsigned long nr,
					volatile unsigned long *addr)
{
	__atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void usoftirq__kc_clear_bit(unsigned long nr,
					  volatile unsigned long *addr)
{
	__atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr),
			   __ATOMIC_RELAXED);
}

static inline void usoftirq__kc_change_bit(unsigned long nr,
					   volatile unsigned long *addr)
{
	__atomic_fetch_xor(addr + BIT_WORD(nr), BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool usoftirq__kc_test_and_set_bit(unsigned long nr,
						 volatile unsigned long *addr)
{
	return __atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr),
				 __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool usoftirq__kc_test_and_clear_bit(unsigned long nr,
						   volatile unsigned long *addr)
{
	return __atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr),
				  __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool
usoftirq__kc_test_and_change_bit(unsigned long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_xor(addr + BIT_WORD(nr), BIT_MASK(nr),
				  __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool
usoftirq__kc_test_and_set_bit_lock(unsigned long nr,
				   volatile unsigned long *addr)
{
	return __atomic_fetch_or(addr + BIT_WORD(nr), BIT_MASK(nr),
				 __ATOMIC_ACQUIRE) &
	       BIT_MASK(nr);
}

static inline void usoftirq__kc_clear_bit_unlock(unsigned long nr,
						 volatile unsigned long *addr)
{
	__atomic_fetch_and(addr + BIT_WORD(nr), ~BIT_MASK(nr),
			   __ATOMIC_RELEASE);
}

static inline void usoftirq__kc_assign_bit(unsigned long nr,
					   volatile unsigned long *addr,
					   bool value)
{
	if (value)
		usoftirq__kc_set_bit(nr, addr);
	else
		usoftirq__kc_clear_bit(nr, addr);
}

static inline bool usoftirq__kc_test_bit(unsigned long nr,
					 const volatile unsigned long *addr)
{
	return __atomic_load_n(addr + BIT_WORD(nr), __ATOMIC_RELAXED) &
	       BIT_MASK(nr);
}

static inline bool
usoftirq__kc_test_bit_acquire(unsigned long nr,
			      const volatile unsigned long *addr)
{
	return __atomic_load_n(addr + BIT_WORD(nr), __ATOMIC_ACQUIRE) &
	       BIT_MASK(nr);
}

#define set_bit usoftirq__kc_set_bit
#define clear_bit usoftirq__kc_clear_bit
#define change_bit usoftirq__kc_change_bit
#define test_and_set_bit usoftirq__kc_test_and_set_bit
#define test_and_clear_bit usoftirq__kc_test_and_clear_bit
#define test_and_change_bit usoftirq__kc_test_and_change_bit
#define test_and_set_bit_lock usoftirq__kc_test_and_set_bit_lock
#define clear_bit_unlock usoftirq__kc_clear_bit_unlock
#define assign_bit usoftirq__kc_assign_bit
#define test_bit usoftirq__kc_test_bit
#define test_bit_acquire usoftirq__kc_test_bit_acquire

/* ------------------------------------------------------------------ */
/* Non-atomic bit operations: the caller excludes concurrent writers.  */
/* ------------------------------------------------------------------ */

static inline void usoftirq__kc_nonatomic_set_bit(unsigned long nr,
						  volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void
usoftirq__kc_nonatomic_clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline void
usoftirq__kc_nonatomic_change_bit(unsigned long nr,
				  volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

static inline bool
usoftirq__kc_nonatomic_test_and_set_bit(unsigned long nr,
					volatile unsigned long *addr)
{
	unsigned long old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old | BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static inline bool
usoftirq__kc_nonatomic_test_and_clear_bit(unsigned long nr,
					  volatile unsigned long *addr)
{
	unsigned long old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old & ~BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static inline bool
usoftirq__kc_nonatomic_test_and_change_bit(unsigned long nr,
					   volatile unsigned long *addr)
{
	unsigned long old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old ^ BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static inline void
usoftirq__kc_nonatomic_assign_bit(unsigned long nr,
				  volatile unsigned long *addr, bool value)
{
	if (value)
		usoftirq__kc_nonatomic_set_bit(nr, addr);
	else
		usoftirq__kc_nonatomic_clear_bit(nr, addr);
}

/* __clear_bit_unlock() - non-atomic clear with release ordering. */
static inline void
usoftirq__kc_nonatomic_clear_bit_unlock(unsigned long nr,
					volatile unsigned long *addr)
{
	unsigned long old =
		__atomic_load_n(addr + BIT_WORD(nr), __ATOMIC_RELAXED);

	__atomic_store_n(addr + BIT_WORD(nr), old & ~BIT_MASK(nr),
			 __ATOMIC_RELEASE);
}

#define __set_bit usoftirq__kc_nonatomic_set_bit
#define __clear_bit usoftirq__kc_nonatomic_clear_bit
#define __change_bit usoftirq__kc_nonatomic_change_bit
#define __test_and_set_bit usoftirq__kc_nonatomic_test_and_set_bit
#define __test_and_clear_bit usoftirq__kc_nonatomic_test_and_clear_bit
#define __test_and_change_bit usoftirq__kc_nonatomic_test_and_change_bit
#define __assign_bit usoftirq__kc_nonatomic_assign_bit
#define __clear_bit_unlock usoftirq__kc_nonatomic_clear_bit_unlock

/* ------------------------------------------------------------------ */
/* Word helpers                                                        */
/* ------------------------------------------------------------------ */

/* __ffs() - index of the lowest set bit; word must not be 0. */
static inline unsigned long usoftirq__kc_ffs_word(unsigned long word)
{
	return (unsigned long)__builtin_ctzl(word);
}

/* __fls() - index of the highest set bit; word must not be 0. */
static inline unsigned long usoftirq__kc_fls_word(unsigned long word)
{
	return BITS_PER_LONG - 1 - (unsigned long)__builtin_clzl(word);
}

/* fls() - 1 + index of the highest set bit, 0 if x is 0. */
static inline int usoftirq__kc_fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int usoftirq__kc_fls64(unsigned long long x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static inline unsigned int usoftirq__kc_fls_long(unsigned long x)
{
	return x ? BITS_PER_LONG - (unsigned int)__builtin_clzl(x) : 0;
}

#define __ffs usoftirq__kc_ffs_word
#define __fls usoftirq__kc_fls_word
#define ffz(x) usoftirq__kc_ffs_word(~(x))
#define fls usoftirq__kc_fls
#define fls64 usoftirq__kc_fls64
#define fls_long usoftirq__kc_fls_long

#define hweight8(w) ((unsigned int)__builtin_popcount((unsigned char)(w)))
#define hweight16(w) ((unsigned int)__builtin_popcount((unsigned short)(w)))
#define hweight32(w) ((unsigned int)__builtin_popcount((unsigned int)(w)))
#define hweight64(w) \
	((unsigned int)__builtin_popcountll((unsigned long long)(w)))
#define hweight_long(w) ((unsigned long)__builtin_popcountl((unsigned long)(w)))

static inline u32 usoftirq__kc_rol32(u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}

static inline u32 usoftirq__kc_ror32(u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}

static inline u64 usoftirq__kc_rol64(u64 word, unsigned int shift)
{
	return (word << (shift & 63)) | (word >> ((-shift) & 63));
}

static inline u64 usoftirq__kc_ror64(u64 word, unsigned int shift)
{
	return (word >> (shift & 63)) | (word << ((-shift) & 63));
}

/* sign_extend32() - value with bit index as its sign bit, widened. */
static inline s32 usoftirq__kc_sign_extend32(u32 value, int index)
{
	unsigned int shift = 31 - (unsigned int)index;

	return (s32)(value << shift) >> shift;
}

static inline s64 usoftirq__kc_sign_extend64(u64 value, int index)
{
	unsigned int shift = 63 - (unsigned int)index;

	return (s64)(value << shift) >> shift;
}

#define rol32 usoftirq__kc_rol32
#define ror32 usoftirq__kc_ror32
#define rol64 usoftirq__kc_rol64
#define ror64 usoftirq__kc_ror64
#define sign_extend32 usoftirq__kc_sign_extend32
#define sign_extend64 usoftirq__kc_sign_extend64

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

/*
 * The first bit at or after offset whose value differs from the bits of
 * invert (0: find a set bit, ~0UL: find a clear bit), or size if none.
 * Words are read with relaxed atomic loads, so that a search may run next
 * to set_bit()/clear_bit() writers.
 */
static inline unsigned long usoftirq__kc_find_next(const unsigned long *addr,
						   unsigned long size,
						   unsigned long offset,
						   unsigned long invert)
{
	while (offset < size) {
		unsigned long word = __atomic_load_n(&addr[BIT_WORD(offset)],
						     __ATOMIC_RELAXED) ^
				     invert;

		word &= ~0UL << (offset % BITS_PER_LONG);
		if (word) {
			offset = BIT_WORD(offset) * BITS_PER_LONG +
				 usoftirq__kc_ffs_word(word);
			return offset < size ? offset : size;
		}
		offset = (BIT_WORD(offset) + 1) * BITS_PER_LONG;
	}
	return size;
}

static inline unsigned long
usoftirq__kc_find_next_bit(const unsigned long *addr, unsigned long size,
			   unsigned long offset)
{
	return usoftirq__kc_find_next(addr, size, offset, 0);
}

static inline unsigned long
usoftirq__kc_find_next_zero_bit(const unsigned long *addr, unsigned long size,
				unsigned long offset)
{
	return usoftirq__kc_find_next(addr, size, offset, ~0UL);
}

static inline unsigned long
usoftirq__kc_find_first_bit(const unsigned long *addr, unsigned long size)
{
	return usoftirq__kc_find_next(addr, size, 0, 0);
}

static inline unsigned long
usoftirq__kc_find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return usoftirq__kc_find_next(addr, size, 0, ~0UL);
}

/* find_last_bit() - the highest set bit below size, or size if none. */
static inline unsigned long
usoftirq__kc_find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long i = size;

	while (i-- > 0) {
		unsigned long word =
			__atomic_load_n(&addr[BIT_WORD(i)], __ATOMIC_RELAXED);

		if (i % BITS_PER_LONG != BITS_PER_LONG - 1)
			word &= BIT_MASK(i + 1) - 1;
		if (word)
			return BIT_WORD(i) * BITS_PER_LONG +
			       usoftirq__kc_fls_word(word);
		i -= i % BITS_PER_LONG;
	}
	return size;
}

#define find_next_bit usoftirq__kc_find_next_bit
#define find_next_zero_bit usoftirq__kc_find_next_zero_bit
#define find_first_bit usoftirq__kc_find_first_bit
#define find_first_zero_bit usoftirq__kc_find_first_zero_bit
#define find_last_bit usoftirq__kc_find_last_bit

#define for_each_set_bit(bit, addr, size)                            \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_set_bit_from(bit, addr, size)                             \
	for ((bit) = find_next_bit((addr), (size), (bit)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
#define for_each_clear_bit(bit, addr, size)                               \
	for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#endif /* USOFTIRQ_KCOMPAT_LINUX_BITOPS_H */
