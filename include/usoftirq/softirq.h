/* SPDX-License-Identifier: MIT */
/*
 * The softirq engine: the kernel's ten vectors, handler registration,
 * raising, and the per-vCPU counters behind the /proc/softirqs table.
 *
 * Semantics follow kernel/softirq.c (Linux 6.12 and later): a raised vector
 * runs on the vCPU that raised it, in softirq context, lowest vector first;
 * one invocation of the loop makes at most ten passes or runs for 2 ms,
 * then leaves the rest to the vCPU's worker (ksoftirqd/N).
 */
#ifndef USOFTIRQ_SOFTIRQ_H
#define USOFTIRQ_SOFTIRQ_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;

/**
 * enum usoftirq_softirq_vector - the softirq vectors, in the kernel's
 * order and with its numbers. Lower numbers run first in each pass.
 */
enum usoftirq_softirq_vector {
	USOFTIRQ_HI_SOFTIRQ = 0,
	USOFTIRQ_TIMER_SOFTIRQ,
	USOFTIRQ_NET_TX_SOFTIRQ,
	USOFTIRQ_NET_RX_SOFTIRQ,
	USOFTIRQ_BLOCK_SOFTIRQ,
	USOFTIRQ_IRQ_POLL_SOFTIRQ,
	USOFTIRQ_TASKLET_SOFTIRQ,
	USOFTIRQ_SCHED_SOFTIRQ,
	USOFTIRQ_HRTIMER_SOFTIRQ,
	USOFTIRQ_RCU_SOFTIRQ,
	USOFTIRQ_NR_SOFTIRQS
};

/** USOFTIRQ_MAX_SOFTIRQ_RESTART - passes per invocation of the loop. */
#define USOFTIRQ_MAX_SOFTIRQ_RESTART 10
/** USOFTIRQ_MAX_SOFTIRQ_TIME_NS - time budget of one invocation. */
#define USOFTIRQ_MAX_SOFTIRQ_TIME_NS 2000000ull

/**
 * usoftirq_softirq_name() - the kernel's name of a vector ("HI", "TIMER",
 * ..., "RCU"), as /proc/softirqs and the softirq tracepoints print it.
 * @nr: the vector.
 *
 * Context: any.
 * Return: the name, or NULL if @nr is not a vector.
 */
USOFTIRQ_API const char *usoftirq_softirq_name(unsigned int nr);

/**
 * usoftirq_open_softirq() - register the handler of a vector.
 * @m: the machine.
 * @nr: the vector.
 * @action: the handler; it runs in softirq context on the vCPU that raised
 *	the vector and finds that vCPU with usoftirq_smp_processor_id().
 *
 * HI and TASKLET belong to the tasklet engine and cannot be replaced.
 * Registering while the vector may be raised is allowed: the handler is
 * published atomically.
 *
 * Every refusal is also reported (%USOFTIRQ_REPORT_INVALID_ARGUMENT), so
 * that the kernel spelling open_softirq(), which returns nothing, cannot
 * fail silently.
 *
 * Context: any except hardirq.
 * Return: 0; -EINVAL for a NULL @m, a bad @nr or a NULL @action; -EBUSY for
 * the tasklet vectors.
 */
USOFTIRQ_API int usoftirq_open_softirq(struct usoftirq_machine *m,
				       unsigned int nr, void (*action)(void));

/**
 * usoftirq_raise_softirq() - mark a vector pending on this vCPU.
 * @nr: the vector.
 *
 * The vector runs on the calling thread's vCPU (of its current machine):
 * at the end of the current softirq pass or BH-disabled section if the
 * thread is in one, otherwise soon on the vCPU's worker, which is woken if
 * it sleeps. Raising an already pending vector costs one load.
 *
 * Context: any, including hardirq handlers and signal handlers
 * (async-signal-safe). Dies if the thread has no machine.
 */
USOFTIRQ_API void usoftirq_raise_softirq(unsigned int nr);

/**
 * usoftirq_raise_softirq_irqoff() - usoftirq_raise_softirq() for callers
 * that have local interrupts disabled, as the kernel's
 * raise_softirq_irqoff(). The behaviour is the same.
 * @nr: the vector.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_raise_softirq_irqoff(unsigned int nr);

/**
 * usoftirq_raise_softirq_irqoff_nowake() - the kernel's
 * __raise_softirq_irqoff(): set the pending bit and wake nobody.
 * @nr: the vector.
 *
 * Use it only where softirqs are about to be run anyway (hardirq, softirq or
 * BH-disabled context); from plain task context the vector waits for the
 * next unrelated wake-up of the vCPU, exactly as in the kernel.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_raise_softirq_irqoff_nowake(unsigned int nr);

/**
 * usoftirq_local_softirq_pending() - the pending mask of this vCPU.
 *
 * Context: any (async-signal-safe).
 * Return: a bit mask of vectors, 0 if the thread has no machine.
 */
USOFTIRQ_API unsigned int usoftirq_local_softirq_pending(void);

/**
 * usoftirq_do_softirq() - run this vCPU's pending softirqs in the caller.
 *
 * As the kernel's do_softirq(): nothing happens if the caller is in
 * interrupt context (hardirq, softirq or BH-disabled); otherwise the caller
 * processes its vCPU's pending softirqs before returning.
 *
 * Context: any except signal handlers.
 */
USOFTIRQ_API void usoftirq_do_softirq(void);

/**
 * usoftirq_softirq_stat() - how many times a vector ran on a vCPU.
 * @m: the machine.
 * @cpu: the vCPU.
 * @nr: the vector.
 *
 * Counted once per vector per pass of the softirq loop, as the kernel's
 * kstat_softirqs_cpu() (not per tasklet, not per raise).
 *
 * Context: any.
 * Return: the count, or 0 for a bad @cpu or @nr.
 */
USOFTIRQ_API unsigned int
usoftirq_softirq_stat(const struct usoftirq_machine *m, unsigned int cpu,
		      unsigned int nr);

/**
 * usoftirq_softirqs_format() - the /proc/softirqs table of a machine.
 * @m: the machine.
 * @buf: where to write the text (NUL-terminated), may be NULL if @size is 0.
 * @size: size of @buf.
 *
 * The layout is byte for byte that of fs/proc/softirqs.c, one column per
 * vCPU.
 *
 * Context: any except signal handlers.
 * Return: the length of the whole table (as snprintf()), so a call with
 * @size 0 tells how large @buf must be.
 */
USOFTIRQ_API int usoftirq_softirqs_format(const struct usoftirq_machine *m,
					  char *buf, size_t size);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_SOFTIRQ_H */
