/* SPDX-License-Identifier: MIT */
/*
 * Hard interrupts: an interrupt controller with numbered lines, the
 * kernel's request_irq() family with threaded handlers, and delivery as a
 * real-time signal to the target vCPU's worker.
 *
 * Model
 * -----
 * A machine has lines 1..nr_irqs (line 0 does not exist, as on most
 * architectures). Anything can raise a line, from any thread or signal
 * handler: usoftirq_irq_pulse() delivers one edge, usoftirq_irq_set_level()
 * asserts or deasserts a level. The line's handlers then run on its target
 * vCPU (usoftirq_irq_set_affinity()) in hardirq context: inside a signal
 * handler on that vCPU's worker, with HARDIRQ_OFFSET in preempt_count and
 * interrupts disabled. Softirqs they raise run on that vCPU on the way out,
 * as the kernel's irq_exit() arranges.
 *
 * Line semantics, as the kernel's edge and level flow handlers:
 *  - A line's handlers never run concurrently with themselves.
 *  - Edges that arrive before the handler runs coalesce into one run; an
 *    edge that arrives while it runs makes one more run.
 *  - An edge that arrives while the line is disabled (disable_irq) or
 *    masked (IRQF_ONESHOT while the thread runs) is replayed once when the
 *    line is enabled or unmasked.
 *  - A level line runs its handlers again, after they return, for as long
 *    as it stays asserted and unmasked: a device's status bit behaves like
 *    hardware.
 *
 * Everything that a hardirq handler may call is async-signal-safe: the
 * tasklet and softirq raise calls, spin locks, interrupt masking, printk,
 * and the line operations below marked so.
 *
 * Without workers (USOFTIRQ_MACHINE_NO_WORKERS) no signal is sent: raised
 * lines wait until the test delivers them with usoftirq_cpu_run_irqs().
 */
#ifndef USOFTIRQ_IRQ_H
#define USOFTIRQ_IRQ_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;
struct usoftirq_device;

/** enum usoftirq_irqreturn - what a handler returns, with the kernel's values. */
enum usoftirq_irqreturn {
	USOFTIRQ_IRQ_NONE = 0, /* not my interrupt */
	USOFTIRQ_IRQ_HANDLED = 1, /* handled */
	USOFTIRQ_IRQ_WAKE_THREAD = 2, /* wake the threaded handler */
};
typedef enum usoftirq_irqreturn usoftirq_irqreturn_t;

/** typedef usoftirq_irq_handler_t - a primary or threaded handler. */
typedef usoftirq_irqreturn_t (*usoftirq_irq_handler_t)(int irq, void *dev_id);

/* Request flags, the kernel's values (include/linux/interrupt.h). */
#define USOFTIRQ_IRQF_TRIGGER_NONE 0x00000000ul
#define USOFTIRQ_IRQF_TRIGGER_RISING 0x00000001ul
#define USOFTIRQ_IRQF_TRIGGER_FALLING 0x00000002ul
#define USOFTIRQ_IRQF_TRIGGER_HIGH 0x00000004ul
#define USOFTIRQ_IRQF_TRIGGER_LOW 0x00000008ul
#define USOFTIRQ_IRQF_TRIGGER_MASK 0x0000000ful
#define USOFTIRQ_IRQF_SHARED 0x00000080ul
#define USOFTIRQ_IRQF_PROBE_SHARED 0x00000100ul
#define USOFTIRQ_IRQF_PERCPU 0x00000400ul
#define USOFTIRQ_IRQF_NOBALANCING 0x00000800ul
#define USOFTIRQ_IRQF_IRQPOLL 0x00001000ul
#define USOFTIRQ_IRQF_ONESHOT 0x00002000ul
#define USOFTIRQ_IRQF_NO_SUSPEND 0x00004000ul
#define USOFTIRQ_IRQF_FORCE_RESUME 0x00008000ul
#define USOFTIRQ_IRQF_NO_THREAD 0x00010000ul
#define USOFTIRQ_IRQF_EARLY_RESUME 0x00020000ul
#define USOFTIRQ_IRQF_COND_SUSPEND 0x00040000ul
#define USOFTIRQ_IRQF_NO_AUTOEN 0x00080000ul
#define USOFTIRQ_IRQF_NO_DEBUG 0x00100000ul
#define USOFTIRQ_IRQF_COND_ONESHOT 0x00200000ul

/** USOFTIRQ_IRQ_NOTCONNECTED - the kernel's "not connected" line number. */
#define USOFTIRQ_IRQ_NOTCONNECTED (1u << 31)

/* Line types for usoftirq_irq_set_type() (the kernel's IRQ_TYPE_*). */
#define USOFTIRQ_IRQ_TYPE_NONE 0x0u
#define USOFTIRQ_IRQ_TYPE_EDGE_RISING 0x1u
#define USOFTIRQ_IRQ_TYPE_EDGE_FALLING 0x2u
#define USOFTIRQ_IRQ_TYPE_EDGE_BOTH 0x3u
#define USOFTIRQ_IRQ_TYPE_LEVEL_HIGH 0x4u
#define USOFTIRQ_IRQ_TYPE_LEVEL_LOW 0x8u

/** USOFTIRQ_NR_IRQS_DEFAULT - lines per machine unless configured. */
#define USOFTIRQ_NR_IRQS_DEFAULT 64
/** USOFTIRQ_MAX_IRQS - the most lines a machine may have. */
#define USOFTIRQ_MAX_IRQS 1024

/* ------------------------------------------------------------------ */
/* Requesting and freeing                                              */
/* ------------------------------------------------------------------ */

/**
 * usoftirq_request_threaded_irq() - install a handler on a line.
 * @m: the machine.
 * @irq: the line, 1..nr_irqs.
 * @handler: the primary handler, run in hardirq context; NULL installs a
 *	default that returns %USOFTIRQ_IRQ_WAKE_THREAD (then %IRQF_ONESHOT is
 *	required).
 * @thread_fn: the threaded handler, run in task context on its own thread
 *	"irq/<irq>-<name>" when the primary returns IRQ_WAKE_THREAD; or NULL.
 * @flags: IRQF_* flags.
 * @name: the name shown in /proc/interrupts and given back by free.
 * @dev_id: the cookie passed to the handlers; identifies the action on a
 *	shared line.
 *
 * Validation follows kernel/irq/manage.c in order and with its errors and
 * messages (reported as %USOFTIRQ_REPORT_IRQ_REQUEST_INVALID or
 * %USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH). On success the line is started
 * unless %IRQF_NO_AUTOEN, and the handler may run before the call returns.
 *
 * Context: task context (may sleep).
 * Return: 0; -ENOTCONN for %USOFTIRQ_IRQ_NOTCONNECTED; -EINVAL for a bad
 * line, a bad flag combination, no handler at all, or a NULL handler
 * without %IRQF_ONESHOT; -EBUSY when the line is taken and not shareable
 * with these flags; -ENOMEM; or the error of thread creation.
 */
USOFTIRQ_API int usoftirq_request_threaded_irq(struct usoftirq_machine *m,
					       unsigned int irq,
					       usoftirq_irq_handler_t handler,
					       usoftirq_irq_handler_t thread_fn,
					       unsigned long flags,
					       const char *name, void *dev_id);

/**
 * usoftirq_request_irq() - usoftirq_request_threaded_irq() without a
 * thread, with %IRQF_COND_ONESHOT added as the kernel's request_irq() does.
 */
USOFTIRQ_API int usoftirq_request_irq(struct usoftirq_machine *m,
				      unsigned int irq,
				      usoftirq_irq_handler_t handler,
				      unsigned long flags, const char *name,
				      void *dev_id);

/**
 * usoftirq_free_irq() - remove the action of @dev_id from a line.
 * @m: the machine.
 * @irq: the line.
 * @dev_id: the cookie given at request.
 *
 * Waits until no hardirq handler can still be using the action (an RCU
 * grace period) and until its threaded handler has finished and exited;
 * shuts the line down if it was the last action.
 *
 * Context: task context (sleeps). From interrupt context it prints the
 * kernel's "Trying to free IRQ %d from IRQ context!" and, unlike the
 * kernel, returns without freeing (waiting there would deadlock). Freeing
 * an action that does not exist prints "Trying to free already-free IRQ %d".
 * Return: the @name given at request, or NULL on those errors.
 */
USOFTIRQ_API const void *usoftirq_free_irq(struct usoftirq_machine *m,
					   unsigned int irq, void *dev_id);

/**
 * usoftirq_devm_request_threaded_irq() - request, released automatically
 * when @dev's resources are released.
 * @dev: the device owning the request; its machine is used.
 *
 * Other parameters and return values as usoftirq_request_threaded_irq();
 * a NULL @name means the device's name. A failure is also reported with
 * the kernel's "request_irq(%u) %ps %ps %s" diagnostic (6.18).
 */
USOFTIRQ_API int usoftirq_devm_request_threaded_irq(
	struct usoftirq_device *dev, unsigned int irq,
	usoftirq_irq_handler_t handler, usoftirq_irq_handler_t thread_fn,
	unsigned long flags, const char *name, void *dev_id);

/** usoftirq_devm_request_irq() - the same without a thread. */
USOFTIRQ_API int usoftirq_devm_request_irq(struct usoftirq_device *dev,
					   unsigned int irq,
					   usoftirq_irq_handler_t handler,
					   unsigned long flags,
					   const char *name, void *dev_id);

/**
 * usoftirq_devm_free_irq() - free a devm request early.
 * @dev: the device.
 * @irq: the line.
 * @dev_id: the cookie.
 *
 * Context: task context (sleeps).
 */
USOFTIRQ_API void usoftirq_devm_free_irq(struct usoftirq_device *dev,
					 unsigned int irq, void *dev_id);

/* ------------------------------------------------------------------ */
/* Line control                                                        */
/* ------------------------------------------------------------------ */

/**
 * usoftirq_disable_irq_nosync() - disable a line; nests.
 * @m: the machine.
 * @irq: the line.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_disable_irq_nosync(struct usoftirq_machine *m,
					      unsigned int irq);

/**
 * usoftirq_disable_irq() - disable a line and wait for its handlers.
 * @m: the machine.
 * @irq: the line.
 *
 * As disable_irq_nosync() followed by synchronize_irq(); may sleep. From
 * the line's own handler (or threaded handler) the wait is reported and
 * skipped instead of deadlocking.
 *
 * Context: task context.
 */
USOFTIRQ_API void usoftirq_disable_irq(struct usoftirq_machine *m,
				       unsigned int irq);

/**
 * usoftirq_enable_irq() - undo one disable.
 * @m: the machine.
 * @irq: the line.
 *
 * The last enable restarts the line: an edge that arrived while it was
 * disabled is replayed once, an asserted level is delivered. An enable
 * without a disable prints the kernel's "Unbalanced enable for IRQ %d".
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_enable_irq(struct usoftirq_machine *m,
				      unsigned int irq);

/**
 * usoftirq_synchronize_irq() - wait for running handlers of a line.
 * @m: the machine.
 * @irq: the line.
 *
 * Returns once no hardirq handler of the line runs and no threaded handler
 * is pending or running.
 *
 * Context: task context (may sleep).
 */
USOFTIRQ_API void usoftirq_synchronize_irq(struct usoftirq_machine *m,
					   unsigned int irq);

/**
 * usoftirq_irq_set_affinity() - deliver a line to another vCPU.
 * @m: the machine.
 * @irq: the line.
 * @cpu: the target vCPU.
 *
 * Context: any (async-signal-safe).
 * Return: 0, or -EINVAL for a bad line or vCPU.
 */
USOFTIRQ_API int usoftirq_irq_set_affinity(struct usoftirq_machine *m,
					   unsigned int irq, unsigned int cpu);

/**
 * usoftirq_irq_get_affinity() - the target vCPU of a line, or -EINVAL.
 */
USOFTIRQ_API int usoftirq_irq_get_affinity(struct usoftirq_machine *m,
					   unsigned int irq);

/**
 * usoftirq_irq_set_type() - declare a line edge- or level-triggered
 * (shown in /proc/interrupts; the IRQF_TRIGGER_* flags of a request set it
 * too).
 * @m: the machine.
 * @irq: the line.
 * @type: a USOFTIRQ_IRQ_TYPE_* value.
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
USOFTIRQ_API int usoftirq_irq_set_type(struct usoftirq_machine *m,
				       unsigned int irq, unsigned int type);

/**
 * usoftirq_irq_wake_thread() - wake the threaded handler of @dev_id's
 * action as if its primary handler had returned IRQ_WAKE_THREAD.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_irq_wake_thread(struct usoftirq_machine *m,
					   unsigned int irq, void *dev_id);

/* ------------------------------------------------------------------ */
/* The interrupt controller: raising lines                             */
/* ------------------------------------------------------------------ */

/**
 * usoftirq_irq_pulse() - deliver one edge on a line.
 * @m: the machine.
 * @irq: the line.
 *
 * Context: any thread and any signal handler (async-signal-safe; errno is
 * preserved). Costs one atomic operation when the edge coalesces with one
 * not yet handled, otherwise one more and, if no signal is on its way to
 * the target vCPU, one tgkill().
 * Return: 0, or -EINVAL for a bad line.
 */
USOFTIRQ_API int usoftirq_irq_pulse(struct usoftirq_machine *m,
				    unsigned int irq);

/**
 * usoftirq_irq_set_level() - assert or deassert a level on a line.
 * @m: the machine.
 * @irq: the line.
 * @asserted: the new level.
 *
 * Asserting an already asserted level does nothing new; the handlers run
 * while it stays asserted.
 *
 * Context: any (async-signal-safe).
 * Return: 0, or -EINVAL for a bad line.
 */
USOFTIRQ_API int usoftirq_irq_set_level(struct usoftirq_machine *m,
					unsigned int irq, bool asserted);

/**
 * usoftirq_cpu_run_irqs() - deliver a vCPU's raised lines now, in the
 * caller, on a machine without workers.
 * @m: the machine (created with %USOFTIRQ_MACHINE_NO_WORKERS).
 * @cpu: the vCPU.
 *
 * The caller runs the handlers in hardirq context on behalf of @cpu, then,
 * as irq_exit(), the softirqs they raised if it is in task context.
 *
 * Context: task context with interrupts enabled.
 * Return: the number of handler runs, or -EINVAL if @m has workers or
 * @cpu is out of range.
 */
USOFTIRQ_API int usoftirq_cpu_run_irqs(struct usoftirq_machine *m,
				       unsigned int cpu);

/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */

/**
 * struct usoftirq_irq_stats - the books of one line.
 * @pulses: edges raised with usoftirq_irq_pulse().
 * @coalesced: edges that arrived while an earlier one was still pending,
 *	and were absorbed by it.
 * @consumed: edges a handler run consumed.
 * @dropped: edges still pending when the line's last action was freed.
 * @pending: 1 if an edge is pending now, else 0.
 * @runs: handler runs (all vCPUs), edges and level re-deliveries.
 * @unhandled: runs in which every handler returned IRQ_NONE.
 *
 * @pulses == @coalesced + @consumed + @dropped + @pending at every quiet
 * moment (no pulse or handler run in progress).
 */
struct usoftirq_irq_stats {
	unsigned long pulses;
	unsigned long coalesced;
	unsigned long consumed;
	unsigned long dropped;
	unsigned long pending;
	unsigned long runs;
	unsigned long unhandled;
};

/**
 * usoftirq_irq_get_stats() - read a line's books.
 *
 * Context: any.
 * Return: 0 or -EINVAL.
 */
USOFTIRQ_API int usoftirq_irq_get_stats(struct usoftirq_machine *m,
					unsigned int irq,
					struct usoftirq_irq_stats *stats);

/**
 * usoftirq_irq_stat() - handler runs of a line on one vCPU (the per-CPU
 * count of /proc/interrupts).
 *
 * Context: any.
 */
USOFTIRQ_API unsigned int usoftirq_irq_stat(struct usoftirq_machine *m,
					    unsigned int irq, unsigned int cpu);

/**
 * usoftirq_interrupts_format() - the /proc/interrupts table.
 * @m: the machine.
 * @buf: destination, may be NULL if @size is 0.
 * @size: its size.
 *
 * The layout is the kernel's (kernel/irq/proc.c: show_interrupts()) for an
 * interrupt chip named "usoftirq" whose hardware line numbers are the
 * line numbers: one row per line that has an action or a count.
 *
 * Context: task context.
 * Return: the length of the whole table, as snprintf().
 */
USOFTIRQ_API int usoftirq_interrupts_format(struct usoftirq_machine *m,
					    char *buf, size_t size);

/** usoftirq_machine_nr_irqs() - the number of lines of a machine. */
USOFTIRQ_API unsigned int
usoftirq_machine_nr_irqs(const struct usoftirq_machine *m);

/**
 * usoftirq_machine_irq_signal() - the signal that delivers hardirqs to the
 * workers of @m, or 0 on a machine without workers.
 */
USOFTIRQ_API int usoftirq_machine_irq_signal(const struct usoftirq_machine *m);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_IRQ_H */
