/* SPDX-License-Identifier: MIT */
/*
 * Time for ported code: jiffies, sleeping delays (reported from atomic
 * context, as the kernel's might_sleep() does) and busy-waiting delays
 * (allowed everywhere, as the kernel's udelay() is).
 *
 * jiffies
 * -------
 * HZ is 1000. The count starts at the kernel's INITIAL_JIFFIES,
 * (unsigned int)(-300 * HZ), when the library is loaded and then follows
 * CLOCK_MONOTONIC: its low 32 bits (the kernel's jiffies on 32-bit
 * machines, and jiffies_32) wrap 300 s after load, so code that compares
 * jiffies without time_after() breaks within five minutes instead of
 * after 49 days, which is why the kernel starts there.
 *
 * Sleeps use clock_nanosleep() on an absolute CLOCK_MONOTONIC deadline,
 * resumed after signal handlers, so they last at least what was asked;
 * they are the sleeps the caller asked for, not polls. Busy waits spin on
 * the vDSO clock with a CPU pause: no system call.
 */
#include <errno.h>
#include <time.h>

#include <usoftirq/sleep.h>

#include "thread.h"

/* CLOCK_MONOTONIC at load, in ns. Written once by the constructor, before
 * any thread of the program can call in; read-only afterwards. */
static uint64_t load_ns;

__attribute__((constructor)) static void sleep_clock_init(void)
{
	load_ns = usoftirq__now_ns();
}

unsigned long usoftirq_jiffies(void)
{
	uint64_t ms = (usoftirq__now_ns() - load_ns) / 1000000u;

	return USOFTIRQ_INITIAL_JIFFIES + (unsigned long)ms;
}

/* Sleep until CLOCK_MONOTONIC reaches @deadline_ns, through signals. */
static void sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline_ns / 1000000000u),
			       .tv_nsec = (long)(deadline_ns % 1000000000u) };
	int err;

	while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				      NULL)) != 0)
		if (err != EINTR)
			USOFTIRQ__DIE("clock_nanosleep", err);
}

/* Now + @ns, saturated. */
static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = usoftirq__now_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

void usoftirq_msleep(unsigned int ms)
{
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	sleep_until(deadline_after((uint64_t)ms * 1000000u));
}

void usoftirq_usleep_range(unsigned long min_us, unsigned long max_us)
{
	(void)max_us;
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	if (min_us > UINT64_MAX / 1000u)
		min_us = UINT64_MAX / 1000u;
	sleep_until(deadline_after((uint64_t)min_us * 1000u));
}

void usoftirq_ndelay(unsigned long ns)
{
	uint64_t deadline = deadline_after(ns);

	while (usoftirq__now_ns() < deadline)
		usoftirq__cpu_relax();
}

void usoftirq_udelay(unsigned long us)
{
	usoftirq_ndelay(us > UINT64_MAX / 1000u ? UINT64_MAX : us * 1000u);
}

void usoftirq_mdelay(unsigned long ms)
{
	usoftirq_ndelay(ms > UINT64_MAX / 1000000u ? UINT64_MAX :
						     ms * 1000000u);
}
