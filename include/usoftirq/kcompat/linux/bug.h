/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/bug.h>: BUG(), BUG_ON(), WARN(), WARN_ON(),
 * WARN_ONCE(), WARN_ON_ONCE().
 *
 * BUG() logs "kernel BUG at file:line!" at KERN_EMERG through printk()
 * and aborts the process (SIGABRT, so a debugger or a core dump shows the
 * stack), where the kernel would oops. WARN() logs, at KERN_WARNING, the
 * message and then the kernel's "WARNING: CPU: n at file:line function"
 * line, and continues; there is no register dump or call trace (use a
 * debugger, or the sanitizers' stack traces). The WARN forms evaluate to
 * the condition, as in the kernel; the _ONCE forms warn once per call
 * site and process.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_BUG_H
#define USOFTIRQ_KCOMPAT_LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/printk.h>

#include <usoftirq/context.h>

#define BUG()                                                         \
	do {                                                          \
		printk(KERN_EMERG "kernel BUG at %s:%d!\n", __FILE__, \
		       __LINE__);                                     \
		__builtin_abort();                                    \
	} while (0)

#define BUG_ON(condition)                \
	do {                             \
		if (unlikely(condition)) \
			BUG();           \
	} while (0)

#define usoftirq__kc_warn_header()                              \
	printk(KERN_WARNING "WARNING: CPU: %u at %s:%d %s()\n", \
	       usoftirq_smp_processor_id(), __FILE__, __LINE__, __func__)

#define WARN_ON(condition)                                    \
	({                                                    \
		int usoftirq__kc_ret_warn_on = !!(condition); \
		if (unlikely(usoftirq__kc_ret_warn_on))       \
			usoftirq__kc_warn_header();           \
		unlikely(usoftirq__kc_ret_warn_on);           \
	})

#define WARN(condition, format...)                            \
	({                                                    \
		int usoftirq__kc_ret_warn_on = !!(condition); \
		if (unlikely(usoftirq__kc_ret_warn_on)) {     \
			printk(KERN_WARNING format);          \
			usoftirq__kc_warn_header();           \
		}                                             \
		unlikely(usoftirq__kc_ret_warn_on);           \
	})

#define WARN_ON_ONCE(condition)                                   \
	({                                                        \
		static int usoftirq__kc_warned;                   \
		int usoftirq__kc_ret_warn_once = !!(condition);   \
		if (unlikely(usoftirq__kc_ret_warn_once) &&       \
		    !__atomic_exchange_n(&usoftirq__kc_warned, 1, \
					 __ATOMIC_RELAXED))       \
			usoftirq__kc_warn_header();               \
		unlikely(usoftirq__kc_ret_warn_once);             \
	})

#define WARN_ONCE(condition, format...)                           \
	({                                                        \
		static int usoftirq__kc_warned;                   \
		int usoftirq__kc_ret_warn_once = !!(condition);   \
		if (unlikely(usoftirq__kc_ret_warn_once) &&       \
		    !__atomic_exchange_n(&usoftirq__kc_warned, 1, \
					 __ATOMIC_RELAXED)) {     \
			printk(KERN_WARNING format);              \
			usoftirq__kc_warn_header();               \
		}                                                 \
		unlikely(usoftirq__kc_ret_warn_once);             \
	})

#endif /* USOFTIRQ_KCOMPAT_LINUX_BUG_H */
