/* SPDX-License-Identifier: MIT */
/*
 * compat_glibc, first order: every kcompat header, then glibc and UAPI
 * headers (glibc_headers.h). The kernel's macros (min, max, swap, BIT,
 * likely, noinline, fallthrough, container_of, static_assert ...) are
 * defined while glibc's headers are read, and must not break them.
 */
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

#include "glibc_headers.h"

#include "glibc_test.h"

struct item {
	u32 key;
	struct list_head link;
};

static noinline int classify(int v)
{
	switch (v) {
	case 0:
		v++;
		fallthrough;
	case 1:
		return v;
	default:
		return -1;
	}
}

int kcompat_then_glibc_check(void)
{
	struct item it = { .key = 7 };
	struct sysinfo si;
	struct stat st;
	sigset_t set;
	pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
	atomic_t a = ATOMIC_INIT(1);
	unsigned long map[2] = { 0, 0 };
	spinlock_t lock;
	char buf[32];
	int x = 3, y = 9;
	char *p;

	/* glibc, after the kernel's macros */
	CHECK(sysinfo(&si) == 0 && si.mem_unit > 0);
	CHECK(sigemptyset(&set) == 0 && sigaddset(&set, SIGUSR1) == 0);
	CHECK(sigismember(&set, SIGUSR1) == 1);
	CHECK(pthread_mutex_lock(&mutex) == 0);
	CHECK(pthread_mutex_unlock(&mutex) == 0);
	CHECK(stat("/", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(ntohs(htons(0x1234)) == 0x1234);
	CHECK(syscall(SYS_gettid) > 0);
	CHECK(FUTEX_WAIT == 0 && FIONREAD != 0 && ETH_ALEN == 6);
	CHECK(EAGAIN == 11 && EINVAL == 22 && PATH_MAX == 4096);
	CHECK(INT_MAX == 2147483647 && UINT32_MAX == U32_MAX);
	CHECK(MIN(2, 3) == 2 && MAX(2, 3) == 3 && roundup(5, 4) == 8);
	CHECK(snprintf(buf, sizeof(buf), "%d", 42) == 2 && strlen(buf) == 2);
	p = malloc(16);
	CHECK(p != NULL);
	free(p);
	CHECK(!isnan(1.0));
	static_assert(sizeof(u64) == 8, "glibc's static_assert is back");

	/* the kernel's names, after glibc */
	CHECK(min(x, y) == 3 && max(x, y) == 9 && clamp(10, x, y) == 9);
	swap(x, y);
	CHECK(x == 9 && y == 3);
	CHECK(BIT(3) == 8 && GENMASK(7, 4) == 0xf0 && ARRAY_SIZE(map) == 2);
	CHECK(container_of(&it.link, struct item, link)->key == 7);
	CHECK(likely(classify(0) == 1) && unlikely(classify(5) == -1));
	set_bit(65, map);
	CHECK(test_bit(65, map) && map[1] == 2);
	CHECK(atomic_inc_return(&a) == 2 && atomic_fetch_add(3, &a) == 2);
	CHECK(atomic_read(&a) == 5);
	CHECK(IS_ERR(ERR_PTR(-EPROBE_DEFER)) && EPROBE_DEFER == 517);
	CHECK(DIV_ROUND_UP(10, 4) == 3 && READ_ONCE(x) == 9);
	spin_lock_init(&lock);
	spin_lock(&lock);
	assert_spin_locked(&lock);
	spin_unlock(&lock);
	CHECK(!in_interrupt() && in_task());
	CHECK(strcmp(__stringify(HI_SOFTIRQ), "USOFTIRQ_HI_SOFTIRQ") == 0);
	smp_mb();
	return 0;
}
