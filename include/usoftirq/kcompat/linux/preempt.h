/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/preempt.h>: the preempt_count layout (PREEMPT_MASK,
 * SOFTIRQ_OFFSET, SOFTIRQ_DISABLE_OFFSET, HARDIRQ_OFFSET,
 * SOFTIRQ_LOCK_OFFSET ..., with the kernel's values), preempt_count() and
 * the hardirq_count()/softirq_count()/irq_count()/nmi_count() fields, the
 * context predicates in_irq(), in_hardirq(), in_softirq(),
 * in_serving_softirq(), in_interrupt(), in_nmi(), in_task(), in_atomic(),
 * interrupt_context_level(), and preempt_disable()/preempt_enable() with
 * their _notrace and _no_resched forms.
 *
 * Each thread has its own preempt_count with the kernel's layout
 * (<usoftirq/context.h>). Differences from the kernel: the in_*()
 * predicates return bool rather than the masked count (compare them with
 * true or false, not with an offset); preempt_count() is unsigned; there
 * is no preemption to disable, so preempt_disable() only counts, making
 * in_atomic() and might_sleep() behave as in the kernel, and the
 * _no_resched forms are plain preempt_enable().
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_PREEMPT_H
#define USOFTIRQ_KCOMPAT_LINUX_PREEMPT_H

#include <usoftirq/context.h>

#define PREEMPT_BITS 8
#define SOFTIRQ_BITS 8
#define HARDIRQ_BITS 4
#define NMI_BITS 4
#define PREEMPT_SHIFT 0
#define SOFTIRQ_SHIFT (PREEMPT_SHIFT + PREEMPT_BITS)
#define HARDIRQ_SHIFT (SOFTIRQ_SHIFT + SOFTIRQ_BITS)
#define NMI_SHIFT (HARDIRQ_SHIFT + HARDIRQ_BITS)

#define PREEMPT_MASK USOFTIRQ_PREEMPT_MASK
#define SOFTIRQ_MASK USOFTIRQ_SOFTIRQ_MASK
#define HARDIRQ_MASK USOFTIRQ_HARDIRQ_MASK
#define NMI_MASK USOFTIRQ_NMI_MASK
#define PREEMPT_OFFSET USOFTIRQ_PREEMPT_OFFSET
#define SOFTIRQ_OFFSET USOFTIRQ_SOFTIRQ_OFFSET
#define HARDIRQ_OFFSET USOFTIRQ_HARDIRQ_OFFSET
#define NMI_OFFSET USOFTIRQ_NMI_OFFSET
#define SOFTIRQ_DISABLE_OFFSET USOFTIRQ_SOFTIRQ_DISABLE_OFFSET
#define PREEMPT_DISABLE_OFFSET USOFTIRQ_PREEMPT_OFFSET
#define PREEMPT_LOCK_OFFSET USOFTIRQ_PREEMPT_LOCK_OFFSET
#define SOFTIRQ_LOCK_OFFSET USOFTIRQ_SOFTIRQ_LOCK_OFFSET

#define preempt_count usoftirq_preempt_count
#define hardirq_count usoftirq_hardirq_count
#define softirq_count usoftirq_softirq_count
#define irq_count usoftirq_irq_count
#define nmi_count() (usoftirq_preempt_count() & NMI_MASK)

#define in_irq usoftirq_in_hardirq
#define in_hardirq usoftirq_in_hardirq
#define in_softirq usoftirq_in_softirq
#define in_serving_softirq usoftirq_in_serving_softirq
#define in_interrupt usoftirq_in_interrupt
#define in_nmi usoftirq_in_nmi
#define in_task usoftirq_in_task
#define in_atomic usoftirq_in_atomic
#define interrupt_context_level usoftirq_interrupt_context_level
#define in_atomic_preempt_off() \
	(usoftirq_preempt_count() != PREEMPT_DISABLE_OFFSET)

#define preempt_disable usoftirq_preempt_disable
#define preempt_enable usoftirq_preempt_enable
#define preempt_enable_no_resched usoftirq_preempt_enable
#define preempt_disable_notrace usoftirq_preempt_disable
#define preempt_enable_notrace usoftirq_preempt_enable
#define preempt_enable_no_resched_notrace usoftirq_preempt_enable
#define sched_preempt_enable_no_resched usoftirq_preempt_enable
#define preempt_check_resched() \
	do {                    \
	} while (0)

#endif /* USOFTIRQ_KCOMPAT_LINUX_PREEMPT_H */
