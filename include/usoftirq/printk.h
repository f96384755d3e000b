/* SPDX-License-Identifier: MIT */
/*
 * The kernel log, for code ported out of the kernel: printk() with the
 * kernel's level prefixes, and the formats drivers use, including %pS and
 * %ps (symbol names). The kernel-compat <linux/printk.h> maps printk(),
 * pr_err() and friends here.
 *
 * Messages go to standard error as "[    1.234567] text" (seconds since
 * the library was loaded, as dmesg prints them), written with write(2), or
 * to a handler installed with usoftirq_set_printk_handler(). Formatting
 * and output are async-signal-safe, so hardirq handlers may log.
 */
#ifndef USOFTIRQ_PRINTK_H
#define USOFTIRQ_PRINTK_H

#include <stdarg.h>

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/* Level prefixes, byte for byte the kernel's (include/linux/kern_levels.h). */
#define USOFTIRQ_KERN_SOH "\001"
#define USOFTIRQ_KERN_EMERG USOFTIRQ_KERN_SOH "0"
#define USOFTIRQ_KERN_ALERT USOFTIRQ_KERN_SOH "1"
#define USOFTIRQ_KERN_CRIT USOFTIRQ_KERN_SOH "2"
#define USOFTIRQ_KERN_ERR USOFTIRQ_KERN_SOH "3"
#define USOFTIRQ_KERN_WARNING USOFTIRQ_KERN_SOH "4"
#define USOFTIRQ_KERN_NOTICE USOFTIRQ_KERN_SOH "5"
#define USOFTIRQ_KERN_INFO USOFTIRQ_KERN_SOH "6"
#define USOFTIRQ_KERN_DEBUG USOFTIRQ_KERN_SOH "7"
#define USOFTIRQ_KERN_DEFAULT ""
#define USOFTIRQ_KERN_CONT USOFTIRQ_KERN_SOH "c"

/** USOFTIRQ_LOGLEVEL_DEFAULT - the level of a message without a prefix. */
#define USOFTIRQ_LOGLEVEL_DEFAULT 4

/**
 * usoftirq_printk() - log a message, as the kernel's printk().
 * @fmt: an optional level prefix (USOFTIRQ_KERN_*) then a printf format;
 *	%pS/%pF print "symbol+0xoff/0xsize", %ps/%pf the symbol name.
 *
 * Messages whose level is not below the console level (default 7, so
 * KERN_DEBUG is not shown, as on a default kernel console) are dropped. A
 * KERN_CONT fragment continues the calling thread's previous line and
 * takes its level (so it is dropped with it). A missing final newline is
 * added, except after KERN_CONT. Messages longer than 1023 bytes are
 * truncated.
 *
 * Context: any, including hardirq handlers (async-signal-safe).
 * Return: the number of bytes of the formatted message.
 */
USOFTIRQ_API int usoftirq_printk(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/** usoftirq_vprintk() - usoftirq_printk() with a va_list. */
USOFTIRQ_API int usoftirq_vprintk(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/**
 * usoftirq_set_console_loglevel() - show messages with a level below
 * @level (1..8; 8 shows KERN_DEBUG too).
 * @level: the new console level.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_set_console_loglevel(int level);

/**
 * typedef usoftirq_printk_fn - a log handler.
 * @level: 0 (emergency) to 7 (debug).
 * @text: the message without its level prefix; newline-terminated unless
 *	it is a KERN_CONT fragment that did not end a line.
 * @arg: as given to usoftirq_set_printk_handler().
 *
 * Called for every message shown (level below the console level), from
 * any context, including signal handlers: it must be async-signal-safe.
 */
typedef void (*usoftirq_printk_fn)(int level, const char *text, void *arg);

/**
 * usoftirq_set_printk_handler() - route the log to @fn instead of stderr.
 * @fn: the handler, or NULL for the default.
 * @arg: passed to @fn.
 *
 * Context: task context, while no message can be in progress.
 */
USOFTIRQ_API void usoftirq_set_printk_handler(usoftirq_printk_fn fn, void *arg);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_PRINTK_H */
