/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <asm-generic/bug.h>: BUG(), BUG_ON(), WARN(), WARN_ON(),
 * WARN_ONCE(), WARN_ON_ONCE(). <linux/bug.h> and <asm/bug.h> include it,
 * as in the kernel.
 *
 * BUG() logs "kernel BUG at file:line!" at KERN_EMERG through printk()
 * and aborts the process (SIGABRT, so a debugger or a core dump shows the
 * stack), where the kernel would oops.
 *
 * WARN() and its forms report through usoftirq_warn() (<usoftirq/report.h>):
 * a report of kind USOFTIRQ_REPORT_WARN, printed as the kernel's line
 * "WARNING: CPU: n PID: p Comm: name: at file:line function+0xoff/0xsize",
 * followed by ": " and the message for WARN() and WARN_ONCE(), or handed
 * to the report handler (usoftirq_set_report_handler()), where tests
 * assert on it; execution goes on. There is no register dump or call
 * trace (use a debugger, or the sanitizers' stack traces). The forms
 * evaluate to the condition, as in the kernel; the _ONCE forms warn once
 * per call site and process, and usoftirq_report_count() counts every
 * warning printed.
 */
#ifndef USOFTIRQ_KCOMPAT_ASM_GENERIC_BUG_H
#define USOFTIRQ_KCOMPAT_ASM_GENERIC_BUG_H

#include <linux/compiler.h>
#include <linux/instruction_pointer.h>
#include <linux/printk.h>

#include <usoftirq/report.h>

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

/* The report of one warning at the call site; format is NULL or printf's. */
#define usoftirq__kc_warn(format...) \
	usoftirq_warn(__FILE__, __LINE__, (const void *)_THIS_IP_, format)

#define WARN_ON(condition)                                    \
	({                                                    \
		int usoftirq__kc_ret_warn_on = !!(condition); \
		if (unlikely(usoftirq__kc_ret_warn_on))       \
			usoftirq__kc_warn(NULL);              \
		unlikely(usoftirq__kc_ret_warn_on);           \
	})

#define WARN(condition, format...)                            \
	({                                                    \
		int usoftirq__kc_ret_warn_on = !!(condition); \
		if (unlikely(usoftirq__kc_ret_warn_on))       \
			usoftirq__kc_warn(format);            \
		unlikely(usoftirq__kc_ret_warn_on);           \
	})

/* The flag is taken with an atomic exchange: racing threads warn once. */
#define usoftirq__kc_warn_once(condition, format...)              \
	({                                                        \
		static int usoftirq__kc_warned;                   \
		int usoftirq__kc_ret_warn_once = !!(condition);   \
		if (unlikely(usoftirq__kc_ret_warn_once) &&       \
		    !__atomic_exchange_n(&usoftirq__kc_warned, 1, \
					 __ATOMIC_RELAXED))       \
			usoftirq__kc_warn(format);                \
		unlikely(usoftirq__kc_ret_warn_once);             \
	})

#define WARN_ON_ONCE(condition) usoftirq__kc_warn_once(condition, NULL)
#define WARN_ONCE(condition, format...) \
	usoftirq__kc_warn_once(condition, format)

#endif /* USOFTIRQ_KCOMPAT_ASM_GENERIC_BUG_H */
