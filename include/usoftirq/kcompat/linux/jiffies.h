/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/jiffies.h>: jiffies, jiffies_64, get_jiffies_64(),
 * HZ (1000), the conversions msecs_to_jiffies(), jiffies_to_msecs(),
 * usecs_to_jiffies(), jiffies_to_usecs(), nsecs_to_jiffies(), the
 * wrap-safe comparisons time_after(), time_before(), time_after_eq(),
 * time_before_eq(), time_in_range(), time_in_range_open(), their 64-bit
 * forms, time_is_before_jiffies() and friends, MAX_JIFFY_OFFSET,
 * MAX_SCHEDULE_TIMEOUT, and MSEC_PER_SEC ... NSEC_PER_SEC.
 *
 * jiffies is usoftirq_jiffies() (<usoftirq/sleep.h>): milliseconds of
 * CLOCK_MONOTONIC plus the kernel's initial offset, so that a 32-bit
 * count wraps five minutes after start, as on a booting kernel; code that
 * compares jiffies without time_after() shows its bug early. HZ is 1000,
 * a common kernel configuration, so a jiffy is a millisecond.
 *
 * Differences from the kernel: jiffies is an rvalue (a call), not a
 * variable: &jiffies does not compile. jiffies_64 is jiffies widened, so
 * on a 32-bit host it wraps with it. glibc's <sys/param.h> also defines HZ
 * (as 100, the USER_HZ of times()); this header replaces it, whichever
 * comes first, since kernel code means the kernel's tick.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_JIFFIES_H
#define USOFTIRQ_KCOMPAT_LINUX_JIFFIES_H

#include <limits.h>

#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/types.h>

#include <usoftirq/sleep.h>

#undef HZ
#define HZ USOFTIRQ_HZ

#ifndef MSEC_PER_SEC
#define MSEC_PER_SEC 1000L
#endif
#ifndef USEC_PER_MSEC
#define USEC_PER_MSEC 1000L
#endif
#ifndef NSEC_PER_USEC
#define NSEC_PER_USEC 1000L
#endif
#ifndef NSEC_PER_MSEC
#define NSEC_PER_MSEC 1000000L
#endif
#ifndef USEC_PER_SEC
#define USEC_PER_SEC 1000000L
#endif
#ifndef NSEC_PER_SEC
#define NSEC_PER_SEC 1000000000L
#endif

#define jiffies usoftirq_jiffies()
#define jiffies_64 ((u64)usoftirq_jiffies())
#define get_jiffies_64() jiffies_64

#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)
#ifndef MAX_SCHEDULE_TIMEOUT
#define MAX_SCHEDULE_TIMEOUT LONG_MAX
#endif

/* msecs_to_jiffies() - rounded up; a negative (as int) @m is "forever". */
static inline unsigned long usoftirq__kc_msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return DIV_ROUND_UP((unsigned long)m * HZ, MSEC_PER_SEC);
}

static inline unsigned long usoftirq__kc_usecs_to_jiffies(const unsigned int u)
{
	return DIV_ROUND_UP((unsigned long)u * HZ, USEC_PER_SEC);
}

static inline unsigned long usoftirq__kc_nsecs_to_jiffies(u64 n)
{
	return (unsigned long)(n / (NSEC_PER_SEC / HZ));
}

static inline unsigned int usoftirq__kc_jiffies_to_msecs(const unsigned long j)
{
	return (unsigned int)(j * (MSEC_PER_SEC / HZ));
}

static inline unsigned int usoftirq__kc_jiffies_to_usecs(const unsigned long j)
{
	return (unsigned int)(j * (USEC_PER_SEC / HZ));
}

#define msecs_to_jiffies usoftirq__kc_msecs_to_jiffies
#define usecs_to_jiffies usoftirq__kc_usecs_to_jiffies
#define nsecs_to_jiffies usoftirq__kc_nsecs_to_jiffies
#define jiffies_to_msecs usoftirq__kc_jiffies_to_msecs
#define jiffies_to_usecs usoftirq__kc_jiffies_to_usecs

/* Comparisons that survive the wrap of the counter, as the kernel's. */
#define time_after(a, b)                                               \
	(typecheck(unsigned long, a) && typecheck(unsigned long, b) && \
	 ((long)((b) - (a)) < 0))
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b)                                            \
	(typecheck(unsigned long, a) && typecheck(unsigned long, b) && \
	 ((long)((a) - (b)) >= 0))
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_in_range(a, b, c) (time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c) (time_after_eq(a, b) && time_before(a, c))

#define time_after64(a, b) \
	(typecheck(__u64, a) && typecheck(__u64, b) && ((__s64)((b) - (a)) < 0))
#define time_before64(a, b) time_after64(b, a)
#define time_after_eq64(a, b)                          \
	(typecheck(__u64, a) && typecheck(__u64, b) && \
	 ((__s64)((a) - (b)) >= 0))
#define time_before_eq64(a, b) time_after_eq64(b, a)

#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a) time_before_eq(jiffies, a)

#endif /* USOFTIRQ_KCOMPAT_LINUX_JIFFIES_H */
