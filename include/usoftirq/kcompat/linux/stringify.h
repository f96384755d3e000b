/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/stringify.h>: __stringify() turns its argument into
 * a string literal after expanding macros in it.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_STRINGIFY_H
#define USOFTIRQ_KCOMPAT_LINUX_STRINGIFY_H

#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)

#endif /* USOFTIRQ_KCOMPAT_LINUX_STRINGIFY_H */
