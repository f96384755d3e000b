/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/delay.h>: the sleeping delays msleep(), ssleep(),
 * msleep_interruptible(), usleep_range(), usleep_idle_range() and
 * fsleep(), and the busy-waiting udelay(), ndelay() and mdelay().
 *
 * They are the library's (<usoftirq/sleep.h>). As in the kernel, a
 * sleeping delay from atomic context (a tasklet, a hardirq handler, under
 * a spin lock) is reported as "BUG: sleeping function called from invalid
 * context" and then sleeps anyway; the busy-waiting ones may be used
 * anywhere, and spin the host CPU for the whole delay.
 *
 * Difference from the kernel: msleep_interruptible() is not ended by
 * signals; it sleeps the whole delay and returns 0.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_DELAY_H
#define USOFTIRQ_KCOMPAT_LINUX_DELAY_H

#include <linux/kernel.h>
#include <linux/math.h>

#include <usoftirq/sleep.h>

#define msleep usoftirq_msleep
#define usleep_range usoftirq_usleep_range
#define usleep_idle_range usoftirq_usleep_range
#define udelay usoftirq_udelay
#define mdelay usoftirq_mdelay

static inline void usoftirq__kc_ssleep(unsigned int seconds)
{
	usoftirq_msleep(seconds * 1000);
}

static inline unsigned long usoftirq__kc_msleep_interruptible(unsigned int ms)
{
	usoftirq_msleep(ms);
	return 0;
}

/* fsleep() - the kernel's choice of delay for @usecs microseconds. */
static inline void usoftirq__kc_fsleep(unsigned long usecs)
{
	if (usecs <= 10)
		usoftirq_udelay(usecs);
	else if (usecs <= 20000)
		usoftirq_usleep_range(usecs, 2 * usecs);
	else
		usoftirq_msleep((unsigned int)DIV_ROUND_UP(usecs, 1000));
}

#define ndelay usoftirq_ndelay
#define ssleep usoftirq__kc_ssleep
#define msleep_interruptible usoftirq__kc_msleep_interruptible
#define fsleep usoftirq__kc_fsleep

#endif /* USOFTIRQ_KCOMPAT_LINUX_DELAY_H */
