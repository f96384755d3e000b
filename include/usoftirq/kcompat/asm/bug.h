/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <asm/bug.h>: BUG() and WARN() and their forms, from
 * <asm-generic/bug.h>, which every architecture's header includes.
 */
#ifndef USOFTIRQ_KCOMPAT_ASM_BUG_H
#define USOFTIRQ_KCOMPAT_ASM_BUG_H

#include <asm-generic/bug.h>

#endif /* USOFTIRQ_KCOMPAT_ASM_BUG_H */
