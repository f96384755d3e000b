/* SPDX-License-Identifier: MIT */
/*
 * Reports: how usoftirq tells you that code broke a kernel rule.
 *
 * Where the kernel prints something (a WARN, a pr_notice, the sleeping-in-
 * atomic BUG), the report's text is the kernel's text. Where the kernel is
 * silent or would hang, usoftirq prints its own, naming the object and the
 * rule. By default each report is one line (or a few, for the BUG) on
 * standard error, written with write(2):
 *
 *   usoftirq: WARNING: CPU: 0 PID: 4242 Comm: ksoftirqd/0: tasklet SCHED
 *   state not set: callback rx_func+0x0/0x2c
 *
 * A handler installed with usoftirq_set_report_handler() receives every
 * report instead; unit tests use it to assert on reports.
 */
#ifndef USOFTIRQ_REPORT_H
#define USOFTIRQ_REPORT_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_tasklet;

/**
 * enum usoftirq_report_kind - what was detected. "kernel:" marks reports
 * whose text is the kernel's; "usoftirq:" marks those the kernel does not
 * make.
 */
enum usoftirq_report_kind {
	/* kernel: WARN_ONCE in tasklet_clear_sched(). */
	USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET,
	/* kernel: pr_notice in tasklet_kill(). */
	USOFTIRQ_REPORT_TASKLET_KILL_FROM_INTERRUPT,
	/* usoftirq: kill/disable/unlock_wait from the tasklet's own callback. */
	USOFTIRQ_REPORT_TASKLET_SELF_WAIT,
	/* usoftirq: kill of a tasklet only the caller's held vCPU could run. */
	USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK,
	/* usoftirq: kill waits for a tasklet that is scheduled and disabled. */
	USOFTIRQ_REPORT_TASKLET_KILL_DISABLED,
	/* usoftirq: enable took the count below zero (kernel is silent). */
	USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE,
	/* kernel: BUG: sleeping function called from invalid context. */
	USOFTIRQ_REPORT_SLEEP_IN_ATOMIC,
	/* kernel: "huh, entered softirq ..." preempt_count leak. */
	USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK,
	/* usoftirq: a vector was raised that has no handler. */
	USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER,
	/* kernel: WARN_ON_ONCE(in_hardirq()) in local_bh_disable/enable. */
	USOFTIRQ_REPORT_BH_IN_HARDIRQ,
	/* usoftirq: local_bh_enable() without a matching disable. */
	USOFTIRQ_REPORT_BH_UNBALANCED,
	/* usoftirq: preempt_enable() without a matching disable. */
	USOFTIRQ_REPORT_PREEMPT_UNBALANCED,
	/* usoftirq: machine destroyed with a tasklet still scheduled. */
	USOFTIRQ_REPORT_DESTROY_PENDING,
	/* usoftirq: a call was given an argument it cannot accept. */
	USOFTIRQ_REPORT_INVALID_ARGUMENT,
	/* kernel: local_bh_enable() with interrupts disabled (lockdep). */
	USOFTIRQ_REPORT_BH_ENABLE_IRQS_OFF,
	/* kernel: "Threaded irq requested with handler=NULL and !ONESHOT". */
	USOFTIRQ_REPORT_IRQ_REQUEST_INVALID,
	/* kernel: "Flags mismatch irq %d. ..." on a shared line. */
	USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH,
	/* kernel: devm_request_*irq() failure, "request_irq(%u) ...". */
	USOFTIRQ_REPORT_IRQ_REQUEST_FAILED,
	/* kernel: "Unbalanced enable for IRQ %d". */
	USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE,
	/* kernel: "enable_irq before setup/request_irq: irq %u". */
	USOFTIRQ_REPORT_IRQ_ENABLE_BEFORE_SETUP,
	/* kernel: "Trying to free IRQ %d from IRQ context!". */
	USOFTIRQ_REPORT_IRQ_FREE_FROM_INTERRUPT,
	/* kernel: "Trying to free already-free IRQ %d". */
	USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE,
	/* kernel: "... returned IRQ_WAKE_THREAD but no thread function ...". */
	USOFTIRQ_REPORT_IRQ_WAKE_THREAD_NO_THREAD,
	/* kernel: "irq %u handler %pS enabled interrupts". */
	USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS,
	/* kernel: "irq %d: nobody cared ..." then "Disabling IRQ #%d". */
	USOFTIRQ_REPORT_IRQ_NOBODY_CARED,
	/* kernel: "irq event %d: bogus return value %x". */
	USOFTIRQ_REPORT_IRQ_BOGUS_RETURN,
	/* usoftirq: a level line stays asserted after its handlers ran. */
	USOFTIRQ_REPORT_IRQ_LEVEL_STUCK,
	/* usoftirq: synchronize/disable_irq from the line's own handler. */
	USOFTIRQ_REPORT_IRQ_SELF_WAIT,
	/* kernel (lockdep): "inconsistent lock state". */
	USOFTIRQ_REPORT_LOCK_INCONSISTENT,
	/* kernel (lockdep): "possible recursive locking detected" (fatal). */
	USOFTIRQ_REPORT_LOCK_RECURSION,
	/* usoftirq: a register access of the wrong width, misaligned, at no
	 * register, unmapped, or a write to a read-only register. */
	USOFTIRQ_REPORT_MMIO_BAD_ACCESS,
	/* usoftirq: a device callback accessed its own device (re-entry). */
	USOFTIRQ_REPORT_MMIO_REENTRY,
	/* kernel: driver-model messages ("IRQ index %u not found", probe
	 * failures, "invalid resource"). */
	USOFTIRQ_REPORT_DEVICE,
	/* usoftirq: mutex misuse (unlock by a non-owner, recursion). */
	USOFTIRQ_REPORT_MUTEX_MISUSE,
	/* kernel: WARN()/WARN_ON() from user code through usoftirq_warn(). */
	USOFTIRQ_REPORT_WARN,
	/* usoftirq: mutex_trylock() or mutex_unlock() in interrupt context
	 * (the kernel forbids it in their documentation, silently). */
	USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT,
	USOFTIRQ_REPORT_NR_KINDS
};

/** enum usoftirq_report_level - the kernel log level the report maps to. */
enum usoftirq_report_level {
	USOFTIRQ_REPORT_BUG,
	USOFTIRQ_REPORT_WARNING,
	USOFTIRQ_REPORT_ERR,
	USOFTIRQ_REPORT_NOTICE,
};

/**
 * struct usoftirq_report - one report, as handed to a report handler.
 * @kind: what was detected.
 * @level: its severity.
 * @cpu: the reporting thread's vCPU, or -1 if it has none.
 * @tid: the reporting thread's kernel thread id.
 * @comm: the reporting thread's name.
 * @tasklet: the tasklet concerned, or NULL.
 * @text: the message alone (for kernel reports, the kernel's text).
 * @line: the full line(s) as printed by the default handler, with a
 *	trailing newline.
 *
 * All strings live only for the duration of the handler call.
 */
struct usoftirq_report {
	enum usoftirq_report_kind kind;
	enum usoftirq_report_level level;
	int cpu;
	int tid;
	const char *comm;
	const struct usoftirq_tasklet *tasklet;
	const char *text;
	const char *line;
};

/** typedef usoftirq_report_fn - a report handler. */
typedef void (*usoftirq_report_fn)(const struct usoftirq_report *report,
				   void *arg);

/**
 * usoftirq_set_report_handler() - route reports to @fn instead of stderr.
 * @fn: the handler, or NULL to restore the default (write to stderr).
 * @arg: passed to @fn.
 *
 * Reports can be made from hardirq handlers, which run in a signal
 * handler: @fn must then be async-signal-safe. The handler is process-wide.
 *
 * Context: task context, while no report can be in progress.
 */
USOFTIRQ_API void usoftirq_set_report_handler(usoftirq_report_fn fn, void *arg);

/**
 * usoftirq_report_count() - how many reports of a kind were made.
 * @kind: the kind.
 *
 * Counts every report, including those a "once" rule kept from being
 * printed. Process-wide, never reset.
 *
 * Context: any.
 */
USOFTIRQ_API unsigned long
usoftirq_report_count(enum usoftirq_report_kind kind);

/**
 * usoftirq_report_kind_name() - a stable identifier for a kind, such as
 * "TASKLET_SCHED_NOT_SET".
 * @kind: the kind.
 *
 * Context: any.
 */
USOFTIRQ_API const char *
usoftirq_report_kind_name(enum usoftirq_report_kind kind);

/**
 * usoftirq_warn() - report a warning from user code, as the kernel's
 * WARN() prints one: "WARNING: CPU: 0 PID: 7 Comm: x: at drv.c:42
 * rx_func+0x1c/0x80: message". The kernel spellings WARN(), WARN_ON(),
 * WARN_ONCE() and WARN_ON_ONCE() call it.
 * @file: the source file of the warning.
 * @line: its line.
 * @caller: an address inside the warning function (shown as %pS), or NULL.
 * @fmt: an optional message (NULL for none), in the printk format.
 *
 * Counted under %USOFTIRQ_REPORT_WARN and routed to the report handler.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_warn(const char *file, int line, const void *caller,
				const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_REPORT_H */
