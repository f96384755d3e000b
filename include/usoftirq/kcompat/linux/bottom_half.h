/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/bottom_half.h>: local_bh_disable(),
 * local_bh_enable() and local_bh_enable_ip().
 *
 * A BH-disabled section excludes the softirqs of the caller's vCPU, and
 * the outermost local_bh_enable() runs what became pending, in the caller,
 * as in the kernel; because threads are preemptible, the exclusion is a
 * per-vCPU lock, as on PREEMPT_RT (<usoftirq/context.h>, docs/deviations.md
 * D7). _local_bh_enable(), which re-enables without running pending
 * softirqs, is not provided.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_BOTTOM_HALF_H
#define USOFTIRQ_KCOMPAT_LINUX_BOTTOM_HALF_H

#include <usoftirq/context.h>

static inline void usoftirq__kc_local_bh_enable_ip(unsigned long ip)
{
	(void)ip;
	usoftirq_local_bh_enable();
}

#define local_bh_disable usoftirq_local_bh_disable
#define local_bh_enable usoftirq_local_bh_enable
#define local_bh_enable_ip usoftirq__kc_local_bh_enable_ip

#endif /* USOFTIRQ_KCOMPAT_LINUX_BOTTOM_HALF_H */
