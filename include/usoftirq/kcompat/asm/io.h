/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <asm/io.h>: the register accessors and ioremap() of
 * <linux/io.h>, which older drivers include this header for.
 */
#ifndef USOFTIRQ_KCOMPAT_ASM_IO_H
#define USOFTIRQ_KCOMPAT_ASM_IO_H

#include <linux/io.h>

#endif /* USOFTIRQ_KCOMPAT_ASM_IO_H */
