/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/cpumask.h>: the CPUs of the calling thread's
 * machine, whose vCPUs are all possible, present and online, and the CPU
 * masks drivers hand to irq_set_affinity().
 *
 * Counts and loops: num_possible_cpus(), num_online_cpus(),
 * num_present_cpus(), nr_cpu_ids, NR_CPUS, cpu_possible(), cpu_online(),
 * cpu_present(), for_each_possible_cpu(), for_each_online_cpu(),
 * for_each_present_cpu(). They use usoftirq_machine_ncpus(NULL): with no
 * machine the counts are 1, matching smp_processor_id(), which is then 0.
 *
 * Masks: struct cpumask and cpumask_t (NR_CPUS bits), cpumask_bits(),
 * cpumask_of(cpu) (a constant mask with only @cpu set, as in the kernel
 * a pointer into a constant table), cpumask_test_cpu(), cpumask_set_cpu(),
 * cpumask_clear_cpu() (atomic, as the kernel's), __cpumask_set_cpu(),
 * __cpumask_clear_cpu(), cpumask_clear(), cpumask_setall(),
 * cpumask_copy(), cpumask_empty(), cpumask_weight(), cpumask_first(),
 * cpumask_next(), cpumask_first_and(), for_each_cpu().
 *
 * Not provided: cpu_online_mask and the other global masks (their bits
 * would depend on the thread's machine), cpumask_var_t and the
 * alloc_cpumask_var() family, and the mask arithmetic beyond the above.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_CPUMASK_H
#define USOFTIRQ_KCOMPAT_LINUX_CPUMASK_H

#include <linux/bitops.h>
#include <linux/types.h>

#include <usoftirq/machine.h>

static inline unsigned int usoftirq__kc_num_cpus(void)
{
	return usoftirq_machine_ncpus(NULL);
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

/* ------------------------------------------------------------------ */
/* CPU masks                                                           */
/* ------------------------------------------------------------------ */

#define USOFTIRQ__KC_CPUMASK_WORDS BITS_TO_LONGS(NR_CPUS)

/** struct cpumask - a set of CPUs, NR_CPUS bits. */
typedef struct cpumask {
	unsigned long bits[USOFTIRQ__KC_CPUMASK_WORDS];
} cpumask_t;

#define cpumask_bits(maskp) ((maskp)->bits)
#define nr_cpumask_bits ((unsigned int)NR_CPUS)

/*
 * usoftirq__kc_cpumask_of() - a constant mask with only @cpu set.
 *
 * Row r of the table is 2W - 1 words (W words per mask) that are zero but
 * for bit r in the middle word W - 1. The mask of cpu = W' * BITS_PER_LONG
 * + r starts W' words before that middle word, so its word W' holds bit
 * r, and all of it lies inside the row. This is the kernel's
 * cpu_bit_bitmap trick, without pointing before the array.
 */
static inline const struct cpumask *usoftirq__kc_cpumask_of(unsigned int cpu)
{
#define USOFTIRQ__KC_BIT_ROW(r) [r][USOFTIRQ__KC_CPUMASK_WORDS - 1] = 1UL << (r)
#define USOFTIRQ__KC_BIT_ROWS8(r)                                         \
	USOFTIRQ__KC_BIT_ROW(r), USOFTIRQ__KC_BIT_ROW(r + 1),             \
		USOFTIRQ__KC_BIT_ROW(r + 2), USOFTIRQ__KC_BIT_ROW(r + 3), \
		USOFTIRQ__KC_BIT_ROW(r + 4), USOFTIRQ__KC_BIT_ROW(r + 5), \
		USOFTIRQ__KC_BIT_ROW(r + 6), USOFTIRQ__KC_BIT_ROW(r + 7)
	static const unsigned long table[BITS_PER_LONG]
					[2 * USOFTIRQ__KC_CPUMASK_WORDS - 1] = {
						USOFTIRQ__KC_BIT_ROWS8(0),
						USOFTIRQ__KC_BIT_ROWS8(8),
						USOFTIRQ__KC_BIT_ROWS8(16),
						USOFTIRQ__KC_BIT_ROWS8(24),
#if __SIZEOF_LONG__ == 8
						USOFTIRQ__KC_BIT_ROWS8(32),
						USOFTIRQ__KC_BIT_ROWS8(40),
						USOFTIRQ__KC_BIT_ROWS8(48),
						USOFTIRQ__KC_BIT_ROWS8(56),
#endif
					};
#undef USOFTIRQ__KC_BIT_ROWS8
#undef USOFTIRQ__KC_BIT_ROW

	cpu %= NR_CPUS;
	return (const struct cpumask *)&table[cpu % BITS_PER_LONG]
					     [USOFTIRQ__KC_CPUMASK_WORDS - 1 -
					      cpu / BITS_PER_LONG];
}

#define cpumask_of(cpu) usoftirq__kc_cpumask_of(cpu)

static inline bool usoftirq__kc_cpumask_test_cpu(int cpu,
						 const struct cpumask *mask)
{
	return test_bit(cpu, mask->bits);
}

static inline void usoftirq__kc_cpumask_set_cpu(unsigned int cpu,
						struct cpumask *mask)
{
	set_bit(cpu, mask->bits);
}

static inline void usoftirq__kc_cpumask_clear_cpu(int cpu, struct cpumask *mask)
{
	clear_bit(cpu, mask->bits);
}

static inline void usoftirq__kc___cpumask_set_cpu(unsigned int cpu,
						  struct cpumask *mask)
{
	__set_bit(cpu, mask->bits);
}

static inline void usoftirq__kc___cpumask_clear_cpu(int cpu,
						    struct cpumask *mask)
{
	__clear_bit(cpu, mask->bits);
}

static inline void usoftirq__kc_cpumask_clear(struct cpumask *mask)
{
	for (unsigned int i = 0; i < USOFTIRQ__KC_CPUMASK_WORDS; i++)
		mask->bits[i] = 0;
}

static inline void usoftirq__kc_cpumask_setall(struct cpumask *mask)
{
	for (unsigned int i = 0; i < USOFTIRQ__KC_CPUMASK_WORDS; i++)
		mask->bits[i] = ~0UL;
}

static inline void usoftirq__kc_cpumask_copy(struct cpumask *dst,
					     const struct cpumask *src)
{
	*dst = *src;
}

/* cpumask_first() - the first CPU in @mask, or nr_cpumask_bits if none. */
static inline unsigned int
usoftirq__kc_cpumask_first(const struct cpumask *mask)
{
	return (unsigned int)find_first_bit(mask->bits, nr_cpumask_bits);
}

/* cpumask_next() - the first CPU in @mask after @n (n = -1: the first). */
static inline unsigned int usoftirq__kc_cpumask_next(int n,
						     const struct cpumask *mask)
{
	return (unsigned int)find_next_bit(mask->bits, nr_cpumask_bits,
					   (unsigned long)(n + 1));
}

/* cpumask_first_and() - the first CPU in both masks, or nr_cpumask_bits. */
static inline unsigned int
usoftirq__kc_cpumask_first_and(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < USOFTIRQ__KC_CPUMASK_WORDS; i++) {
		unsigned long w = a->bits[i] & b->bits[i];

		if (w)
			return i * BITS_PER_LONG + (unsigned int)__ffs(w);
	}
	return nr_cpumask_bits;
}

static inline bool usoftirq__kc_cpumask_empty(const struct cpumask *mask)
{
	return usoftirq__kc_cpumask_first(mask) >= nr_cpumask_bits;
}

static inline unsigned int
usoftirq__kc_cpumask_weight(const struct cpumask *mask)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < USOFTIRQ__KC_CPUMASK_WORDS; i++)
		n += (unsigned int)hweight_long(mask->bits[i]);
	return n;
}

#define cpumask_test_cpu usoftirq__kc_cpumask_test_cpu
#define cpumask_set_cpu usoftirq__kc_cpumask_set_cpu
#define cpumask_clear_cpu usoftirq__kc_cpumask_clear_cpu
#define __cpumask_set_cpu usoftirq__kc___cpumask_set_cpu
#define __cpumask_clear_cpu usoftirq__kc___cpumask_clear_cpu
#define cpumask_clear usoftirq__kc_cpumask_clear
#define cpumask_setall usoftirq__kc_cpumask_setall
#define cpumask_copy usoftirq__kc_cpumask_copy
#define cpumask_first usoftirq__kc_cpumask_first
#define cpumask_next usoftirq__kc_cpumask_next
#define cpumask_first_and usoftirq__kc_cpumask_first_and
#define cpumask_empty usoftirq__kc_cpumask_empty
#define cpumask_weight usoftirq__kc_cpumask_weight

/* for_each_cpu() - each CPU of @mask below nr_cpu_ids; cpu is an int or
 * an unsigned int. */
#define for_each_cpu(cpu, mask)                                             \
	for ((cpu) = cpumask_first(mask); (unsigned int)(cpu) < nr_cpu_ids; \
	     (cpu) = cpumask_next((int)(cpu), (mask)))

#endif /* USOFTIRQ_KCOMPAT_LINUX_CPUMASK_H */
