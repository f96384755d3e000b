/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/instruction_pointer.h>: _RET_IP_, the return
 * address of the current function, and _THIS_IP_, an address inside it
 * (the address of a local label, a GNU C extension), both as unsigned
 * long. WARN() passes _THIS_IP_ to the report, which prints it as the
 * kernel's "function+0xoff/0xsize".
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_INSTRUCTION_POINTER_H
#define USOFTIRQ_KCOMPAT_LINUX_INSTRUCTION_POINTER_H

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#define _THIS_IP_                                   \
	({                                          \
		__label__ usoftirq__kc_here;        \
usoftirq__kc_here:                                  \
		(unsigned long)&&usoftirq__kc_here; \
	})

#endif /* USOFTIRQ_KCOMPAT_LINUX_INSTRUCTION_POINTER_H */
