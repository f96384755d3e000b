/* SPDX-License-Identifier: MIT */
/*
 * The prefixed half of compat_spellings: the usoftirq_ API only. Its
 * tables say which library function and which constant each kernel name
 * must be; main compares them with what kernel_side.c reaches through
 * the kernel headers.
 */
#include <usoftirq.h>

#include "compat_test.h"

#if defined(tasklet_schedule) || defined(spin_lock) || defined(BIT)
#error "the prefixed half must not see the kernel spelling"
#endif

#define PSYM(kernel_name, fn)              \
	{                                  \
		kernel_name, (compat_fn)fn \
	}

static const struct compat_sym psyms[] = {
	PSYM("tasklet_init", usoftirq_tasklet_init),
	PSYM("tasklet_setup", usoftirq_tasklet_setup),
	PSYM("tasklet_schedule", usoftirq_tasklet_schedule),
	PSYM("tasklet_hi_schedule", usoftirq_tasklet_hi_schedule),
	PSYM("tasklet_disable_nosync", usoftirq_tasklet_disable_nosync),
	PSYM("tasklet_disable", usoftirq_tasklet_disable),
	PSYM("tasklet_disable_in_atomic", usoftirq_tasklet_disable_in_atomic),
	PSYM("tasklet_enable", usoftirq_tasklet_enable),
	PSYM("tasklet_kill", usoftirq_tasklet_kill),
	PSYM("tasklet_trylock", usoftirq_tasklet_trylock),
	PSYM("tasklet_unlock", usoftirq_tasklet_unlock),
	PSYM("tasklet_unlock_wait", usoftirq_tasklet_unlock_wait),
	PSYM("tasklet_unlock_spin_wait", usoftirq_tasklet_unlock_spin_wait),
	PSYM("raise_softirq", usoftirq_raise_softirq),
	PSYM("raise_softirq_irqoff", usoftirq_raise_softirq_irqoff),
	PSYM("__raise_softirq_irqoff", usoftirq_raise_softirq_irqoff_nowake),
	PSYM("local_softirq_pending", usoftirq_local_softirq_pending),
	PSYM("do_softirq", usoftirq_do_softirq),
	PSYM("preempt_count", usoftirq_preempt_count),
	PSYM("hardirq_count", usoftirq_hardirq_count),
	PSYM("softirq_count", usoftirq_softirq_count),
	PSYM("irq_count", usoftirq_irq_count),
	PSYM("in_irq", usoftirq_in_hardirq),
	PSYM("in_hardirq", usoftirq_in_hardirq),
	PSYM("in_softirq", usoftirq_in_softirq),
	PSYM("in_serving_softirq", usoftirq_in_serving_softirq),
	PSYM("in_interrupt", usoftirq_in_interrupt),
	PSYM("in_nmi", usoftirq_in_nmi),
	PSYM("in_task", usoftirq_in_task),
	PSYM("in_atomic", usoftirq_in_atomic),
	PSYM("interrupt_context_level", usoftirq_interrupt_context_level),
	PSYM("preempt_disable", usoftirq_preempt_disable),
	PSYM("preempt_enable", usoftirq_preempt_enable),
	PSYM("preempt_enable_no_resched", usoftirq_preempt_enable),
	PSYM("preempt_disable_notrace", usoftirq_preempt_disable),
	PSYM("preempt_enable_notrace", usoftirq_preempt_enable),
	PSYM("local_bh_disable", usoftirq_local_bh_disable),
	PSYM("local_bh_enable", usoftirq_local_bh_enable),
	PSYM("smp_processor_id", usoftirq_smp_processor_id),
	PSYM("raw_smp_processor_id", usoftirq_smp_processor_id),
	PSYM("spin_lock", usoftirq_spin_lock),
	PSYM("spin_unlock", usoftirq_spin_unlock),
	PSYM("spin_trylock", usoftirq_spin_trylock),
	PSYM("spin_lock_bh", usoftirq_spin_lock_bh),
	PSYM("spin_unlock_bh", usoftirq_spin_unlock_bh),
	PSYM("spin_trylock_bh", usoftirq_spin_trylock_bh),
	PSYM("spin_is_locked", usoftirq_spin_is_locked),
	PSYM("raw_spin_lock", usoftirq_spin_lock),
	PSYM("raw_spin_unlock", usoftirq_spin_unlock),
	PSYM("raw_spin_trylock", usoftirq_spin_trylock),
	PSYM("printk", usoftirq_printk),
	PSYM("vprintk", usoftirq_vprintk),
};

size_t pside_symbols(const struct compat_sym **syms)
{
	*syms = psyms;
	return sizeof(psyms) / sizeof(psyms[0]);
}

#define PCONST(kernel_name, value)              \
	{                                       \
		kernel_name, (long long)(value) \
	}

static const struct compat_const pconsts[] = {
	PCONST("HI_SOFTIRQ", USOFTIRQ_HI_SOFTIRQ),
	PCONST("TIMER_SOFTIRQ", USOFTIRQ_TIMER_SOFTIRQ),
	PCONST("NET_TX_SOFTIRQ", USOFTIRQ_NET_TX_SOFTIRQ),
	PCONST("NET_RX_SOFTIRQ", USOFTIRQ_NET_RX_SOFTIRQ),
	PCONST("BLOCK_SOFTIRQ", USOFTIRQ_BLOCK_SOFTIRQ),
	PCONST("IRQ_POLL_SOFTIRQ", USOFTIRQ_IRQ_POLL_SOFTIRQ),
	PCONST("TASKLET_SOFTIRQ", USOFTIRQ_TASKLET_SOFTIRQ),
	PCONST("SCHED_SOFTIRQ", USOFTIRQ_SCHED_SOFTIRQ),
	PCONST("HRTIMER_SOFTIRQ", USOFTIRQ_HRTIMER_SOFTIRQ),
	PCONST("RCU_SOFTIRQ", USOFTIRQ_RCU_SOFTIRQ),
	PCONST("NR_SOFTIRQS", USOFTIRQ_NR_SOFTIRQS),
	PCONST("TASKLET_STATE_SCHED", USOFTIRQ_TASKLET_STATE_SCHED),
	PCONST("TASKLET_STATE_RUN", USOFTIRQ_TASKLET_STATE_RUN),
	PCONST("PREEMPT_MASK", USOFTIRQ_PREEMPT_MASK),
	PCONST("SOFTIRQ_MASK", USOFTIRQ_SOFTIRQ_MASK),
	PCONST("HARDIRQ_MASK", USOFTIRQ_HARDIRQ_MASK),
	PCONST("NMI_MASK", USOFTIRQ_NMI_MASK),
	PCONST("PREEMPT_OFFSET", USOFTIRQ_PREEMPT_OFFSET),
	PCONST("SOFTIRQ_OFFSET", USOFTIRQ_SOFTIRQ_OFFSET),
	PCONST("SOFTIRQ_DISABLE_OFFSET", USOFTIRQ_SOFTIRQ_DISABLE_OFFSET),
	PCONST("HARDIRQ_OFFSET", USOFTIRQ_HARDIRQ_OFFSET),
	PCONST("NMI_OFFSET", USOFTIRQ_NMI_OFFSET),
	PCONST("PREEMPT_LOCK_OFFSET", USOFTIRQ_PREEMPT_LOCK_OFFSET),
	PCONST("SOFTIRQ_LOCK_OFFSET", USOFTIRQ_SOFTIRQ_LOCK_OFFSET),
	PCONST("sizeof(struct tasklet_struct)",
	       sizeof(struct usoftirq_tasklet)),
	PCONST("offsetof(struct tasklet_struct, next)",
	       offsetof(struct usoftirq_tasklet, next)),
	PCONST("offsetof(struct tasklet_struct, state)",
	       offsetof(struct usoftirq_tasklet, state)),
	PCONST("offsetof(struct tasklet_struct, count)",
	       offsetof(struct usoftirq_tasklet, count)),
	PCONST("offsetof(struct tasklet_struct, use_callback)",
	       offsetof(struct usoftirq_tasklet, use_callback)),
	PCONST("offsetof(struct tasklet_struct, func)",
	       offsetof(struct usoftirq_tasklet, func)),
	PCONST("offsetof(struct tasklet_struct, callback)",
	       offsetof(struct usoftirq_tasklet, callback)),
	PCONST("offsetof(struct tasklet_struct, data)",
	       offsetof(struct usoftirq_tasklet, data)),
	PCONST("sizeof(spinlock_t)", sizeof(usoftirq_spinlock_t)),
	PCONST("sizeof(atomic_t)", sizeof(usoftirq_atomic_t)),
};

size_t pside_constants(const struct compat_const **consts)
{
	*consts = pconsts;
	return sizeof(pconsts) / sizeof(pconsts[0]);
}

void pside_tasklet_schedule(void *tasklet)
{
	usoftirq_tasklet_schedule(tasklet);
}

bool pside_tasklet_is_scheduled(void *tasklet)
{
	return usoftirq_tasklet_is_scheduled(tasklet);
}

int pside_tasklet_count(void *tasklet)
{
	return usoftirq_tasklet_count(tasklet);
}

void pside_spin_lock(void *lock)
{
	usoftirq_spin_lock(lock);
}

void pside_spin_unlock(void *lock)
{
	usoftirq_spin_unlock(lock);
}

bool pside_spin_is_held_by_me(void *lock)
{
	return usoftirq_spin_is_held_by_me(lock);
}

const char *pside_spinlock_name(void *lock)
{
	const usoftirq_spinlock_t *l = lock;

	return l->name;
}

void pside_raise_softirq(unsigned int nr)
{
	usoftirq_raise_softirq(nr);
}

unsigned int pside_local_softirq_pending(void)
{
	return usoftirq_local_softirq_pending();
}

unsigned int pside_preempt_count(void)
{
	return usoftirq_preempt_count();
}

bool pside_in_softirq(void)
{
	return usoftirq_in_softirq();
}

bool pside_in_serving_softirq(void)
{
	return usoftirq_in_serving_softirq();
}
