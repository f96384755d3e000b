/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <asm/div64.h>: do_div(n, base) divides the 64-bit lvalue n
 * by the 32-bit base in place and evaluates to the remainder.
 */
#ifndef USOFTIRQ_KCOMPAT_ASM_DIV64_H
#define USOFTIRQ_KCOMPAT_ASM_DIV64_H

#define do_div(n, base)                                            \
	({                                                         \
		unsigned int usoftirq__kc_base = (base);           \
		unsigned int usoftirq__kc_rem =                    \
			(unsigned int)((unsigned long long)(n) %   \
				       usoftirq__kc_base);         \
		(n) = (unsigned long long)(n) / usoftirq__kc_base; \
		usoftirq__kc_rem;                                  \
	})

#endif /* USOFTIRQ_KCOMPAT_ASM_DIV64_H */
