/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/might_sleep.h>: might_sleep() reports a call made
 * in atomic context (softirq, hardirq, BH disabled, spin lock held) with
 * the kernel's "BUG: sleeping function called from invalid context"
 * report, rate-limited as in the kernel (usoftirq_might_sleep_at() in
 * <usoftirq/context.h>); might_sleep_if(); might_resched() does nothing,
 * there being no scheduler to yield to.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_MIGHT_SLEEP_H
#define USOFTIRQ_KCOMPAT_LINUX_MIGHT_SLEEP_H

#include <usoftirq/context.h>

#define might_sleep() usoftirq_might_sleep()
#define might_sleep_if(cond)           \
	do {                           \
		if (cond)              \
			might_sleep(); \
	} while (0)
#define might_resched() \
	do {            \
	} while (0)

#endif /* USOFTIRQ_KCOMPAT_LINUX_MIGHT_SLEEP_H */
