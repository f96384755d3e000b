/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/export.h>: EXPORT_SYMBOL(), EXPORT_SYMBOL_GPL(),
 * EXPORT_SYMBOL_NS() and EXPORT_SYMBOL_NS_GPL(). A program has no module
 * symbol table: each is a redeclaration of the symbol, which checks that
 * it exists and does nothing else. Linkage and visibility are the C
 * compiler's.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_EXPORT_H
#define USOFTIRQ_KCOMPAT_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym) extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym) EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_NS(sym, ns) EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns) EXPORT_SYMBOL(sym)

#endif /* USOFTIRQ_KCOMPAT_LINUX_EXPORT_H */
