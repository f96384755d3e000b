/* SPDX-License-Identifier: MIT */
/*
 * Execution context: the per-thread preempt_count with the kernel's layout,
 * the in_*() predicates, BH disabling, and the "sleeping function called
 * from invalid context" check.
 *
 * Every thread has its own preempt_count. A worker serving softirqs has
 * SOFTIRQ_OFFSET in it; a thread inside local_bh_disable() has
 * SOFTIRQ_DISABLE_OFFSET per nesting level; a hardirq handler runs with
 * HARDIRQ_OFFSET added; spin locks add PREEMPT_OFFSET. The predicates read
 * the calling thread's count, exactly as the kernel reads the current
 * CPU's.
 *
 * BH-disabled sections exclude softirq processing of their vCPU: the
 * outermost local_bh_disable() takes the vCPU's softirq ownership (waiting
 * while its worker or another thread is processing softirqs there), and
 * the outermost local_bh_enable() runs whatever became pending meanwhile,
 * in the caller, before giving it back.
 */
#ifndef USOFTIRQ_CONTEXT_H
#define USOFTIRQ_CONTEXT_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/* preempt_count layout, identical to include/linux/preempt.h. */
#define USOFTIRQ_PREEMPT_MASK 0x000000ffu
#define USOFTIRQ_SOFTIRQ_MASK 0x0000ff00u
#define USOFTIRQ_HARDIRQ_MASK 0x000f0000u
#define USOFTIRQ_NMI_MASK 0x00f00000u
#define USOFTIRQ_PREEMPT_OFFSET 0x00000001u
#define USOFTIRQ_SOFTIRQ_OFFSET 0x00000100u
#define USOFTIRQ_SOFTIRQ_DISABLE_OFFSET (2 * USOFTIRQ_SOFTIRQ_OFFSET)
#define USOFTIRQ_HARDIRQ_OFFSET 0x00010000u
#define USOFTIRQ_NMI_OFFSET 0x00100000u
#define USOFTIRQ_PREEMPT_LOCK_OFFSET USOFTIRQ_PREEMPT_OFFSET
#define USOFTIRQ_SOFTIRQ_LOCK_OFFSET \
	(USOFTIRQ_SOFTIRQ_DISABLE_OFFSET + USOFTIRQ_PREEMPT_LOCK_OFFSET)

/**
 * usoftirq_preempt_count() - the calling thread's preempt_count.
 *
 * Context: any (async-signal-safe). This and the predicates below read
 * only thread-local state.
 */
USOFTIRQ_API unsigned int usoftirq_preempt_count(void);

/** usoftirq_hardirq_count() - preempt_count & HARDIRQ_MASK. */
USOFTIRQ_API unsigned int usoftirq_hardirq_count(void);
/** usoftirq_softirq_count() - preempt_count & SOFTIRQ_MASK. */
USOFTIRQ_API unsigned int usoftirq_softirq_count(void);
/** usoftirq_irq_count() - preempt_count & (HARDIRQ | SOFTIRQ | NMI masks). */
USOFTIRQ_API unsigned int usoftirq_irq_count(void);

/** usoftirq_in_hardirq() - running a hardirq handler. */
USOFTIRQ_API bool usoftirq_in_hardirq(void);
/** usoftirq_in_serving_softirq() - running a softirq handler or tasklet. */
USOFTIRQ_API bool usoftirq_in_serving_softirq(void);
/** usoftirq_in_softirq() - serving a softirq or BH disabled. */
USOFTIRQ_API bool usoftirq_in_softirq(void);
/** usoftirq_in_interrupt() - in hardirq, in softirq, or BH disabled. */
USOFTIRQ_API bool usoftirq_in_interrupt(void);
/** usoftirq_in_nmi() - always false: usoftirq has no NMIs. */
USOFTIRQ_API bool usoftirq_in_nmi(void);
/**
 * usoftirq_in_task() - neither hardirq nor serving softirq. A thread with
 * BH disabled is still in task context, as in the kernel.
 */
USOFTIRQ_API bool usoftirq_in_task(void);
/** usoftirq_in_atomic() - preempt_count is not zero. */
USOFTIRQ_API bool usoftirq_in_atomic(void);
/**
 * usoftirq_interrupt_context_level() - 0 task, 1 softirq, 2 hardirq,
 * 3 NMI, as the kernel's interrupt_context_level().
 */
USOFTIRQ_API unsigned int usoftirq_interrupt_context_level(void);

/**
 * usoftirq_preempt_disable() - add PREEMPT_OFFSET to preempt_count.
 *
 * There is no preemption to disable in user space; the count exists so that
 * in_atomic() and the sleeping-in-atomic check behave as in the kernel.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_preempt_disable(void);

/**
 * usoftirq_preempt_enable() - subtract PREEMPT_OFFSET from preempt_count.
 *
 * An enable without a matching disable is reported
 * (%USOFTIRQ_REPORT_PREEMPT_UNBALANCED) and ignored.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_preempt_enable(void);

/**
 * usoftirq_local_bh_disable() - disable softirq processing on this vCPU.
 *
 * Nests. The outermost call takes the softirq ownership of the calling
 * thread's vCPU, waiting while another thread processes that vCPU's
 * softirqs, and pins the thread to that vCPU until the matching enable.
 * Called in hardirq context it is reported as the kernel's
 * WARN_ON_ONCE(in_hardirq()) does, and only counts.
 *
 * Context: task or softirq context. May wait (outermost call only).
 */
USOFTIRQ_API void usoftirq_local_bh_disable(void);

/**
 * usoftirq_local_bh_enable() - re-enable softirq processing.
 *
 * The outermost enable runs the vCPU's pending softirqs in the caller,
 * synchronously, with preempt_count 0x101 as in the kernel, then gives the
 * vCPU back (what remains after the loop's budget goes to the worker). An
 * enable without a matching disable is reported and ignored.
 *
 * Context: task or softirq context, interrupts enabled.
 */
USOFTIRQ_API void usoftirq_local_bh_enable(void);

/**
 * usoftirq_smp_processor_id() - the calling thread's vCPU.
 *
 * Inside a BH-disabled section or a softirq: the vCPU being held. For a
 * bound thread: its vCPU. Otherwise the vCPU that corresponds to the real
 * CPU the thread runs on at this instant (0 if there is no machine).
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API unsigned int usoftirq_smp_processor_id(void);

/**
 * usoftirq_might_sleep_at() - report a sleeping call from atomic context.
 * @file: call site, as __FILE__.
 * @line: call site, as __LINE__.
 *
 * If the caller is in atomic context (preempt_count not zero: hardirq,
 * softirq, BH disabled, spin lock held) or has interrupts disabled, prints
 * the kernel's "BUG: sleeping function called from invalid context"
 * report (%USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), at most once per second per
 * machine, as the kernel rate-limits it. The caller then proceeds.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_might_sleep_at(const char *file, int line);

/**
 * usoftirq_might_sleep() - usoftirq_might_sleep_at() at the call site. The
 * empty asm after the call keeps the compiler from turning it into a tail
 * call, so that the report's Call Trace names the function containing it.
 */
#define usoftirq_might_sleep()                               \
	do {                                                 \
		usoftirq_might_sleep_at(__FILE__, __LINE__); \
		__asm__ __volatile__("" ::: "memory");       \
	} while (0)

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_CONTEXT_H */
