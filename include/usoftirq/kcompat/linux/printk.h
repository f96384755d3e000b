/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/printk.h>: printk() and vprintk()
 * (usoftirq_printk(), see <usoftirq/printk.h> for the output and the
 * console level), pr_emerg() ... pr_info(), pr_cont(), pr_debug(),
 * pr_devel(), no_printk(), pr_fmt(), printk_once(), pr_*_once() and
 * printk_deferred().
 *
 * As in the kernel: define pr_fmt() before the first include to prefix
 * every pr_*() message; pr_debug() and pr_devel() print only in files that
 * define DEBUG before the first include, and otherwise compile to a
 * no_printk(), which checks the format and does not evaluate the
 * arguments. There is no dynamic debug. KERN_DEBUG messages are printed
 * when the console level allows it (usoftirq_set_console_loglevel(8)).
 * The _once forms print once per call site and process; two threads
 * racing to the first call print once.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_PRINTK_H
#define USOFTIRQ_KCOMPAT_LINUX_PRINTK_H

#include <linux/compiler.h>
#include <linux/kern_levels.h>

#include <usoftirq/printk.h>

#define printk usoftirq_printk
#define vprintk usoftirq_vprintk
#define printk_deferred usoftirq_printk

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/* no_printk() - check the format, print nothing, evaluate nothing. */
#define no_printk(fmt, ...)                         \
	({                                          \
		if (0)                              \
			printk(fmt, ##__VA_ARGS__); \
		0;                                  \
	})

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)

#ifdef DEBUG
#define pr_devel(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_devel(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif

/*
 * usoftirq__kc_once(call) - run call the first time this call site is
 * reached in the process. The flag is taken with an atomic exchange, so
 * that racing threads run it once and ThreadSanitizer has nothing to say.
 */
#define usoftirq__kc_once(call)                                               \
	({                                                                    \
		static int usoftirq__kc_done;                                 \
		if (!__atomic_load_n(&usoftirq__kc_done, __ATOMIC_RELAXED) && \
		    !__atomic_exchange_n(&usoftirq__kc_done, 1,               \
					 __ATOMIC_RELAXED))                   \
			call;                                                 \
	})

#define printk_once(fmt, ...) usoftirq__kc_once(printk(fmt, ##__VA_ARGS__))
#define pr_emerg_once(fmt, ...) usoftirq__kc_once(pr_emerg(fmt, ##__VA_ARGS__))
#define pr_alert_once(fmt, ...) usoftirq__kc_once(pr_alert(fmt, ##__VA_ARGS__))
#define pr_crit_once(fmt, ...) usoftirq__kc_once(pr_crit(fmt, ##__VA_ARGS__))
#define pr_err_once(fmt, ...) usoftirq__kc_once(pr_err(fmt, ##__VA_ARGS__))
#define pr_warn_once(fmt, ...) usoftirq__kc_once(pr_warn(fmt, ##__VA_ARGS__))
#define pr_notice_once(fmt, ...) \
	usoftirq__kc_once(pr_notice(fmt, ##__VA_ARGS__))
#define pr_info_once(fmt, ...) usoftirq__kc_once(pr_info(fmt, ##__VA_ARGS__))
#define pr_debug_once(fmt, ...) usoftirq__kc_once(pr_debug(fmt, ##__VA_ARGS__))

#endif /* USOFTIRQ_KCOMPAT_LINUX_PRINTK_H */
