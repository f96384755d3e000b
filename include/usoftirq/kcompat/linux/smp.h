/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/smp.h>: smp_processor_id(), raw_smp_processor_id(),
 * get_cpu() and put_cpu().
 *
 * The CPU numbers are the vCPUs of the calling thread's machine
 * (usoftirq_smp_processor_id() in <usoftirq/context.h>): the vCPU held in
 * a BH-disabled section or softirq, else the one the thread is bound to,
 * else the one matching the real CPU it runs on. get_cpu() disables
 * preemption as the kernel's does, but that does not pin an unbound
 * thread: bind it (usoftirq_thread_bind()) or disable BH if the number
 * must stay valid. The smp_call_function() family is not provided.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_SMP_H
#define USOFTIRQ_KCOMPAT_LINUX_SMP_H

#include <linux/cpumask.h>
#include <linux/preempt.h>

#include <usoftirq/context.h>

#define smp_processor_id usoftirq_smp_processor_id
#define raw_smp_processor_id usoftirq_smp_processor_id
#define get_cpu()                            \
	({                                   \
		usoftirq_preempt_disable();  \
		usoftirq_smp_processor_id(); \
	})
#define put_cpu() usoftirq_preempt_enable()

#endif /* USOFTIRQ_KCOMPAT_LINUX_SMP_H */
