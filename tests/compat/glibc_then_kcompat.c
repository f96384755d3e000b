/* SPDX-License-Identifier: MIT */
/*
 * compat_glibc, second order: glibc and UAPI headers first (glibc_headers.h,
 * plus C11 <stdatomic.h>), every kcompat header after them. glibc has
 * already defined MIN, MAX, roundup, static_assert, __always_inline and
 * the C11 atomic_fetch_* macros; ours must accept, or take over, each.
 */
#include "glibc_headers.h"

#include <stdatomic.h>

#include <asm/barrier.h>
#include <asm/div64.h>
#include <asm/processor.h>
#include <linux/align.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/bottom_half.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/compiler_attributes.h>
#include <linux/compiler_types.h>
#include <linux/container_of.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/hardirq.h>
#include <linux/interrupt.h>
#include <linux/kern_levels.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/math.h>
#include <linux/might_sleep.h>
#include <linux/minmax.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/spinlock_types.h>
#include <linux/stddef.h>
#include <linux/stringify.h>
#include <linux/types.h>

#include "glibc_test.h"

static __always_inline int twice(int v)
{
	return 2 * v;
}

int glibc_then_kcompat_check(void)
{
	_Atomic int c11 = 5;
	atomic_t a = ATOMIC_INIT(5);
	atomic_long_t l = ATOMIC_LONG_INIT(-1);
	struct sysinfo si;
	struct timespec ts;
	u8 small = 200;
	size_t len = 100;
	unsigned long word = 0;

	/* the kernel's names take over C11's atomic_fetch_* */
	CHECK(atomic_fetch_add(2, &a) == 5 && atomic_fetch_sub(1, &a) == 7);
	CHECK(atomic_fetch_or(0x10, &a) == 6 && atomic_read(&a) == 0x16);
	CHECK(atomic_long_inc_and_test(&l));
	/* the _explicit forms of C11 are untouched */
	CHECK(atomic_fetch_add_explicit(&c11, 1, memory_order_relaxed) == 5);
	CHECK(atomic_load_explicit(&c11, memory_order_relaxed) == 6);

	/* the kernel's static_assert allows a missing message */
	static_assert(sizeof(atomic_t) == sizeof(int));
	BUILD_BUG_ON(sizeof(u16) != 2);

	CHECK(min(len, 64) == 64 && max(small, 100) == 200);
	CHECK(min_t(int, -1, len) == -1 && umax(3, 4u) == 4);
	CHECK(MIN(1, 2) == 1 && roundup(7, 4) == 8 && round_up(7, 4) == 8);
	CHECK(twice(21) == 42 && U8_MAX == 255 && S16_MIN == -32768);
	CHECK(IS_ALIGNED(64, 16) && ALIGN(65, 16) == 80);
	__set_bit(3, &word);
	CHECK(word == 8 && __ffs(word) == 3 && fls(8) == 4 && ffs(8) == 4);
	CHECK(hweight32(0xf0f0u) == 8 && BITS_PER_LONG == 8 * sizeof(long));

	/* glibc still works */
	CHECK(sysinfo(&si) == 0);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	CHECK(getpid() > 0 && EAGAIN == 11 && ENOTSUPP == 524);
	CHECK(strcmp(strerror(EINVAL), "Invalid argument") == 0);
	return 0;
}
