/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/bug.h>: BUG(), BUG_ON(), WARN(), WARN_ON(),
 * WARN_ONCE(), WARN_ON_ONCE() from <asm-generic/bug.h> (see there for
 * what they print and where), and the BUILD_BUG_ON() family from
 * <linux/build_bug.h>.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_BUG_H
#define USOFTIRQ_KCOMPAT_LINUX_BUG_H

#include <asm-generic/bug.h>
#include <linux/build_bug.h>

#endif /* USOFTIRQ_KCOMPAT_LINUX_BUG_H */
