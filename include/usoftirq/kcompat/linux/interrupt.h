/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/interrupt.h>, bottom halves: the softirq vectors
 * (HI_SOFTIRQ ... RCU_SOFTIRQ, NR_SOFTIRQS), open_softirq(),
 * raise_softirq(), raise_softirq_irqoff(), __raise_softirq_irqoff(),
 * local_softirq_pending(), do_softirq(); struct tasklet_struct with
 * TASKLET_STATE_SCHED/RUN, DECLARE_TASKLET() and its _DISABLED and _OLD
 * forms, tasklet_init(), tasklet_setup(), from_tasklet(),
 * tasklet_schedule(), tasklet_hi_schedule(), tasklet_disable(),
 * tasklet_disable_nosync(), tasklet_disable_in_atomic(), tasklet_enable(),
 * tasklet_kill(), tasklet_unlock_wait(), tasklet_unlock_spin_wait(),
 * tasklet_trylock(), tasklet_unlock(); and, through the headers it
 * includes, the context predicates, BH control, smp_processor_id(), spin
 * locks and <linux/kernel.h>, which kernel code reaches through this
 * header.
 *
 * struct tasklet_struct is struct usoftirq_tasklet and the functions are
 * the library's (<usoftirq/tasklet.h>, <usoftirq/softirq.h>): same
 * fields, state bits and semantics as Linux 6.x, with the deviations
 * listed in docs/deviations.md (parking instead of re-raising, reported
 * misuse instead of silent hangs). Calls act on the calling thread's
 * machine (usoftirq_machine_current()), which is why open_softirq()
 * registers its handler on that machine only.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_INTERRUPT_H
#define USOFTIRQ_KCOMPAT_LINUX_INTERRUPT_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bottom_half.h>
#include <linux/container_of.h>
#include <linux/cpumask.h>
#include <linux/hardirq.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <usoftirq/machine.h>
#include <usoftirq/softirq.h>
#include <usoftirq/tasklet.h>

/*
 * Hardirq API (irqreturn_t, IRQ_NONE/IRQ_HANDLED/IRQ_WAKE_THREAD, IRQF_*,
 * request_irq(), request_threaded_irq(), free_irq(), devm_request_irq(),
 * disable_irq(), enable_irq(), synchronize_irq(), local_irq_save() ...):
 * added by the hardirq module, which delivers interrupts to the vCPUs as
 * signals.
 */

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
