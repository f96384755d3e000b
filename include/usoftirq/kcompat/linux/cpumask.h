/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/cpumask.h>, minimal: the number of CPUs and the
 * loops over them, for the calling thread's machine, whose vCPUs are all
 * possible, present and online: num_possible_cpus(), num_online_cpus(),
 * num_present_cpus(), nr_cpu_ids, NR_CPUS, cpu_possible(), cpu_online(),
 * cpu_present(), for_each_possible_cpu(), for_each_online_cpu(),
 * for_each_present_cpu(). With no machine the counts are 1, matching
 * smp_processor_id(), which is then 0. struct cpumask and its operations
 * are not provided.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_CPUMASK_H
#define USOFTIRQ_KCOMPAT_LINUX_CPUMASK_H

#include <usoftirq/machine.h>

static inline unsigned int usoftirq__kc_num_cpus(void)
{
	struct usoftirq_machine *m = usoftirq_machine_current();

	return m ? usoftirq_machine_ncpus(m) : 1;
}

static inline bool usoftirq__kc_cpu_valid(unsigned int cpu)
{
	return cpu < usoftirq__kc_num_cpus();
}

#define NR_CPUS USOFTIRQ_MAX_CPUS
#define nr_cpu_ids (usoftirq__kc_num_cpus())
#define num_possible_cpus usoftirq__kc_num_cpus
#define num_present_cpus usoftirq__kc_num_cpus
#define num_online_cpus usoftirq__kc_num_cpus
#define cpu_possible usoftirq__kc_cpu_valid
#define cpu_present usoftirq__kc_cpu_valid
#define cpu_online usoftirq__kc_cpu_valid

/* cpu may be an int or an unsigned int, as in kernel code. */
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (unsigned int)(cpu) < nr_cpu_ids; (cpu)++)
#define for_each_present_cpu(cpu) for_each_possible_cpu(cpu)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)

#endif /* USOFTIRQ_KCOMPAT_LINUX_CPUMASK_H */
