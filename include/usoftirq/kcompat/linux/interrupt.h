/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/interrupt.h>: hard interrupts and bottom halves.
 *
 * Hardirqs: irqreturn_t with IRQ_NONE, IRQ_HANDLED, IRQ_WAKE_THREAD
 * (<linux/irqreturn.h>), irq_handler_t, the IRQF_* flags,
 * request_irq(), request_threaded_irq(), free_irq(), devm_request_irq(),
 * devm_request_threaded_irq(), devm_free_irq(), disable_irq(),
 * disable_irq_nosync(), enable_irq(), synchronize_irq(),
 * irq_set_affinity(), irq_wake_thread(), and local_irq_save() and
 * friends (<linux/irqflags.h>).
 *
 * Bottom halves: the softirq vectors (HI_SOFTIRQ ... RCU_SOFTIRQ,
 * NR_SOFTIRQS), open_softirq(), raise_softirq(), raise_softirq_irqoff(),
 * __raise_softirq_irqoff(), local_softirq_pending(), do_softirq(); struct
 * tasklet_struct with TASKLET_STATE_SCHED/RUN, DECLARE_TASKLET() and its
 * _DISABLED and _OLD forms, tasklet_init(), tasklet_setup(),
 * from_tasklet(), tasklet_schedule(), tasklet_hi_schedule(),
 * tasklet_disable(), tasklet_disable_nosync(), tasklet_disable_in_atomic(),
 * tasklet_enable(), tasklet_kill(), tasklet_unlock_wait(),
 * tasklet_unlock_spin_wait(), tasklet_trylock(), tasklet_unlock(); and,
 * through the headers it includes, the context predicates, BH control,
 * smp_processor_id(), struct cpumask, spin locks, struct device and
 * <linux/kernel.h>, which kernel code reaches through this header.
 *
 * struct tasklet_struct is struct usoftirq_tasklet and the functions are
 * the library's (<usoftirq/tasklet.h>, <usoftirq/softirq.h>,
 * <usoftirq/irq.h>): same fields, state bits, flags, return values and
 * semantics as Linux 6.x, with the deviations listed in
 * docs/deviations.md (parking instead of re-raising, reported misuse
 * instead of silent hangs). The kernel's calls name no machine: they act
 * on the calling thread's machine (usoftirq_machine_current()), and the
 * devm_ forms on the device's. That is why open_softirq() registers its
 * handler on that machine only, and why request_irq() called with no
 * machine fails with -EINVAL (the kernel's answer for a line that does
 * not exist).
 *
 * Differences in the hardirq API: irq_set_affinity() sends the line to
 * one vCPU, the first online one in the mask (the kernel's effective
 * affinity on most interrupt chips is a single CPU too); free_irq() from
 * interrupt context warns as the kernel does and then frees nothing,
 * where the kernel would go on (and could deadlock).
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_INTERRUPT_H
#define USOFTIRQ_KCOMPAT_LINUX_INTERRUPT_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bottom_half.h>
#include <linux/container_of.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/irqreturn.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <usoftirq/irq.h>
#include <usoftirq/machine.h>
#include <usoftirq/softirq.h>
#include <usoftirq/tasklet.h>

/* ------------------------------------------------------------------ */
/* Hardirqs                                                            */
/* ------------------------------------------------------------------ */

typedef usoftirq_irq_handler_t irq_handler_t;

/* The kernel's flag values, as the library's (unsigned long) constants. */
#define IRQF_TRIGGER_NONE USOFTIRQ_IRQF_TRIGGER_NONE
#define IRQF_TRIGGER_RISING USOFTIRQ_IRQF_TRIGGER_RISING
#define IRQF_TRIGGER_FALLING USOFTIRQ_IRQF_TRIGGER_FALLING
#define IRQF_TRIGGER_HIGH USOFTIRQ_IRQF_TRIGGER_HIGH
#define IRQF_TRIGGER_LOW USOFTIRQ_IRQF_TRIGGER_LOW
#define IRQF_TRIGGER_MASK USOFTIRQ_IRQF_TRIGGER_MASK
#define IRQF_SHARED USOFTIRQ_IRQF_SHARED
#define IRQF_PROBE_SHARED USOFTIRQ_IRQF_PROBE_SHARED
#define IRQF_PERCPU USOFTIRQ_IRQF_PERCPU
#define IRQF_NOBALANCING USOFTIRQ_IRQF_NOBALANCING
#define IRQF_IRQPOLL USOFTIRQ_IRQF_IRQPOLL
#define IRQF_ONESHOT USOFTIRQ_IRQF_ONESHOT
#define IRQF_NO_SUSPEND USOFTIRQ_IRQF_NO_SUSPEND
#define IRQF_FORCE_RESUME USOFTIRQ_IRQF_FORCE_RESUME
#define IRQF_NO_THREAD USOFTIRQ_IRQF_NO_THREAD
#define IRQF_EARLY_RESUME USOFTIRQ_IRQF_EARLY_RESUME
#define IRQF_COND_SUSPEND USOFTIRQ_IRQF_COND_SUSPEND
#define IRQF_NO_AUTOEN USOFTIRQ_IRQF_NO_AUTOEN
#define IRQF_NO_DEBUG USOFTIRQ_IRQF_NO_DEBUG
#define IRQF_COND_ONESHOT USOFTIRQ_IRQF_COND_ONESHOT
#define IRQ_NOTCONNECTED USOFTIRQ_IRQ_NOTCONNECTED

static inline int __must_check usoftirq__kc_request_threaded_irq(
	unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
	unsigned long flags, const char *name, void *dev)
{
	return usoftirq_request_threaded_irq(usoftirq_machine_current(), irq,
					     handler, thread_fn, flags, name,
					     dev);
}

static inline int __must_check usoftirq__kc_request_irq(unsigned int irq,
							irq_handler_t handler,
							unsigned long flags,
							const char *name,
							void *dev)
{
	return usoftirq_request_irq(usoftirq_machine_current(), irq, handler,
				    flags, name, dev);
}

static inline const void *usoftirq__kc_free_irq(unsigned int irq, void *dev_id)
{
	return usoftirq_free_irq(usoftirq_machine_current(), irq, dev_id);
}

static inline void usoftirq__kc_disable_irq(unsigned int irq)
{
	usoftirq_disable_irq(usoftirq_machine_current(), irq);
}

static inline void usoftirq__kc_disable_irq_nosync(unsigned int irq)
{
	usoftirq_disable_irq_nosync(usoftirq_machine_current(), irq);
}

static inline void usoftirq__kc_enable_irq(unsigned int irq)
{
	usoftirq_enable_irq(usoftirq_machine_current(), irq);
}

static inline void usoftirq__kc_synchronize_irq(unsigned int irq)
{
	usoftirq_synchronize_irq(usoftirq_machine_current(), irq);
}

static inline void usoftirq__kc_irq_wake_thread(unsigned int irq, void *dev_id)
{
	usoftirq_irq_wake_thread(usoftirq_machine_current(), irq, dev_id);
}

/*
 * irq_set_affinity() - send the line to the first online vCPU of @mask.
 * Return: 0, or -EINVAL if @mask holds no online vCPU or the line is bad.
 */
static inline int usoftirq__kc_irq_set_affinity(unsigned int irq,
						const struct cpumask *mask)
{
	unsigned int cpu = cpumask_first(mask);

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	return usoftirq_irq_set_affinity(usoftirq_machine_current(), irq, cpu);
}

#define request_threaded_irq usoftirq__kc_request_threaded_irq
#define request_irq usoftirq__kc_request_irq
#define free_irq usoftirq__kc_free_irq
#define devm_request_threaded_irq usoftirq_devm_request_threaded_irq
#define devm_request_irq usoftirq_devm_request_irq
#define devm_free_irq usoftirq_devm_free_irq
#define disable_irq usoftirq__kc_disable_irq
#define disable_irq_nosync usoftirq__kc_disable_irq_nosync
#define enable_irq usoftirq__kc_enable_irq
#define synchronize_irq usoftirq__kc_synchronize_irq
#define irq_wake_thread usoftirq__kc_irq_wake_thread
#define irq_set_affinity usoftirq__kc_irq_set_affinity

/* ------------------------------------------------------------------ */
/* Softirqs                                                            */
/* ------------------------------------------------------------------ */

#define HI_SOFTIRQ USOFTIRQ_HI_SOFTIRQ
#define TIMER_SOFTIRQ USOFTIRQ_TIMER_SOFTIRQ
#define NET_TX_SOFTIRQ USOFTIRQ_NET_TX_SOFTIRQ
#define NET_RX_SOFTIRQ USOFTIRQ_NET_RX_SOFTIRQ
#define BLOCK_SOFTIRQ USOFTIRQ_BLOCK_SOFTIRQ
#define IRQ_POLL_SOFTIRQ USOFTIRQ_IRQ_POLL_SOFTIRQ
#define TASKLET_SOFTIRQ USOFTIRQ_TASKLET_SOFTIRQ
#define SCHED_SOFTIRQ USOFTIRQ_SCHED_SOFTIRQ
#define HRTIMER_SOFTIRQ USOFTIRQ_HRTIMER_SOFTIRQ
#define RCU_SOFTIRQ USOFTIRQ_RCU_SOFTIRQ
#define NR_SOFTIRQS USOFTIRQ_NR_SOFTIRQS

/*
 * open_softirq() - register the handler of a vector on the calling
 * thread's machine. The kernel's returns nothing; the library reports
 * every refusal (a tasklet vector, no machine, a bad vector), so the
 * return value is not needed here.
 */
static inline void usoftirq__kc_open_softirq(int nr, void (*action)(void))
{
	(void)usoftirq_open_softirq(usoftirq_machine_current(),
				    (unsigned int)nr, action);
}

#define open_softirq usoftirq__kc_open_softirq
#define raise_softirq usoftirq_raise_softirq
#define raise_softirq_irqoff usoftirq_raise_softirq_irqoff
#define __raise_softirq_irqoff usoftirq_raise_softirq_irqoff_nowake
#define local_softirq_pending usoftirq_local_softirq_pending
#define do_softirq usoftirq_do_softirq

/* ------------------------------------------------------------------ */
/* Tasklets                                                            */
/* ------------------------------------------------------------------ */

#define tasklet_struct usoftirq_tasklet
#define TASKLET_STATE_SCHED USOFTIRQ_TASKLET_STATE_SCHED
#define TASKLET_STATE_RUN USOFTIRQ_TASKLET_STATE_RUN

/* DECLARE_TASKLET() - a tasklet whose callback receives the tasklet. */
#define DECLARE_TASKLET(name, _callback) \
	struct usoftirq_tasklet name = USOFTIRQ_TASKLET_INIT(_callback)
#define DECLARE_TASKLET_DISABLED(name, _callback) \
	struct usoftirq_tasklet name = USOFTIRQ_TASKLET_INIT_DISABLED(_callback)
/* DECLARE_TASKLET_OLD() - a legacy tasklet; func is called with 0. */
#define DECLARE_TASKLET_OLD(name, _func) \
	struct usoftirq_tasklet name = USOFTIRQ_TASKLET_INIT_OLD(_func)
#define DECLARE_TASKLET_DISABLED_OLD(name, _func) \
	struct usoftirq_tasklet name = USOFTIRQ_TASKLET_INIT_DISABLED_OLD(_func)

/* from_tasklet() - the object of var's type whose member field is t. */
#define from_tasklet(var, callback_tasklet, tasklet_fieldname) \
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

#define tasklet_init usoftirq_tasklet_init
#define tasklet_setup usoftirq_tasklet_setup
#define tasklet_schedule usoftirq_tasklet_schedule
#define tasklet_hi_schedule usoftirq_tasklet_hi_schedule
#define tasklet_disable_nosync usoftirq_tasklet_disable_nosync
#define tasklet_disable usoftirq_tasklet_disable
#define tasklet_disable_in_atomic usoftirq_tasklet_disable_in_atomic
#define tasklet_enable usoftirq_tasklet_enable
#define tasklet_kill usoftirq_tasklet_kill
#define tasklet_trylock usoftirq_tasklet_trylock
#define tasklet_unlock usoftirq_tasklet_unlock
#define tasklet_unlock_wait usoftirq_tasklet_unlock_wait
#define tasklet_unlock_spin_wait usoftirq_tasklet_unlock_spin_wait

#endif /* USOFTIRQ_KCOMPAT_LINUX_INTERRUPT_H */
