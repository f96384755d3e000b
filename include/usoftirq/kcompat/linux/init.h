/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/init.h>: the section annotations __init, __exit,
 * __initdata, __exitdata, __initconst, __ref, __refdata (nothing: there
 * is no init memory to free), and module_init()/module_exit(), also
 * spelled device_initcall() and late_initcall(), which <linux/module.h>
 * users reach through it.
 *
 * A program has no boot and no insmod, so module_init(fn) makes @fn run
 * when the program starts, before main(), as a constructor: the way a
 * driver built into the kernel registers at boot. If @fn returns an
 * error, "initcall fn+0x0/0x.. returned -19" is logged and the matching
 * module_exit() function does not run, as a module whose init failed is
 * never unloaded. module_exit(fn) makes @fn run at normal process exit
 * (a destructor: after main() returns or exit() is called).
 *
 * To start and stop the module yourself instead (a test that registers
 * and unregisters a driver per test case, or a program that must create
 * its machine first), define USOFTIRQ_KCOMPAT_MANUAL_INIT before the
 * first include: module_init(fn) and module_exit(fn) then only mark @fn
 * used, and the program calls them, from the same file (they are usually
 * static: include the driver's source into the file that calls them).
 *
 * One module_init() and one module_exit() per file, as one per module in
 * the kernel. The other initcall levels (core_initcall() ...) are not
 * provided.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_INIT_H
#define USOFTIRQ_KCOMPAT_LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/printk.h>

#define __init
#define __exit
#define __initdata
#define __exitdata
#define __initconst
#define __init_or_module
#define __exit_p(x) (x)
#define __ref
#define __refdata

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

#ifdef USOFTIRQ_KCOMPAT_MANUAL_INIT

#define module_init(initfn) \
	static const initcall_t __maybe_unused usoftirq__kc_initcall = (initfn)
#define module_exit(exitfn) \
	static const exitcall_t __maybe_unused usoftirq__kc_exitcall = (exitfn)

#else /* !USOFTIRQ_KCOMPAT_MANUAL_INIT */

/* Set when this file's module_init() function failed. */
static int __maybe_unused usoftirq__kc_init_failed;

/* Run an initcall; log and remember a failure. */
static inline __maybe_unused void usoftirq__kc_do_initcall(initcall_t fn)
{
	int ret = fn();

	if (ret) {
		printk(KERN_WARNING "initcall %pS returned %d\n", (void *)fn,
		       ret);
		usoftirq__kc_init_failed = 1;
	}
}

#define module_init(initfn)                                                    \
	static __attribute__((__constructor__)) void usoftirq__kc_module_init( \
		void)                                                          \
	{                                                                      \
		usoftirq__kc_do_initcall(initfn);                              \
	}                                                                      \
	static const initcall_t __maybe_unused usoftirq__kc_initcall = (initfn)
#define module_exit(exitfn)                                                   \
	static __attribute__((__destructor__)) void usoftirq__kc_module_exit( \
		void)                                                         \
	{                                                                     \
		if (!usoftirq__kc_init_failed)                                \
			(exitfn)();                                           \
	}                                                                     \
	static const exitcall_t __maybe_unused usoftirq__kc_exitcall = (exitfn)

#endif /* USOFTIRQ_KCOMPAT_MANUAL_INIT */

#define device_initcall(fn) module_init(fn)
#define late_initcall(fn) module_init(fn)

#endif /* USOFTIRQ_KCOMPAT_LINUX_INIT_H */
