/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <asm/processor.h>: cpu_relax(), the pause hint for busy
 * waits, which is also a compiler barrier as in the kernel.
 */
#ifndef USOFTIRQ_KCOMPAT_ASM_PROCESSOR_H
#define USOFTIRQ_KCOMPAT_ASM_PROCESSOR_H

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __asm__ __volatile__("pause" : : : "memory")
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield" : : : "memory")
#else
#define cpu_relax() __asm__ __volatile__("" : : : "memory")
#endif

#endif /* USOFTIRQ_KCOMPAT_ASM_PROCESSOR_H */
