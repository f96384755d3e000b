/* SPDX-License-Identifier: MIT */
/*
 * The emulated machine: N virtual CPUs, each served by one worker thread
 * named ksoftirqd/N, plus the binding of application threads to vCPUs.
 *
 * A machine is an ordinary object: create and destroy as many as you like,
 * one per unit test if you wish. The first machine created becomes the
 * process's default machine, which is the one the kernel-spelled calls
 * (tasklet_schedule(), raise_softirq(), ...) use from threads that are not
 * bound to a machine explicitly.
 */
#ifndef USOFTIRQ_MACHINE_H
#define USOFTIRQ_MACHINE_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;

/**
 * enum usoftirq_machine_flags - options for usoftirq_machine_create().
 * @USOFTIRQ_MACHINE_NO_WORKERS: start no worker threads. Nothing runs by
 *	itself; the owner steps each vCPU with usoftirq_cpu_run_softirqs().
 *	This is the deterministic mode for unit tests.
 * @USOFTIRQ_MACHINE_NO_PIN: do not pin the worker threads to real CPUs.
 * @USOFTIRQ_MACHINE_NO_DEFAULT: do not make this machine the process
 *	default, even if there is none.
 * @USOFTIRQ_MACHINE_NO_IDLE_SPIN: a worker that runs out of work sleeps
 *	on its futex at once, instead of watching its pending mask for
 *	usoftirq_machine_config.idle_spin_ns first.
 */
enum usoftirq_machine_flags {
	USOFTIRQ_MACHINE_NO_WORKERS = 1u << 0,
	USOFTIRQ_MACHINE_NO_PIN = 1u << 1,
	USOFTIRQ_MACHINE_NO_DEFAULT = 1u << 2,
	USOFTIRQ_MACHINE_NO_IDLE_SPIN = 1u << 3,
};

/** USOFTIRQ_MAX_CPUS - the largest number of vCPUs a machine may have. */
#define USOFTIRQ_MAX_CPUS 1024

/**
 * struct usoftirq_machine_config - how to build a machine.
 * @ncpus: number of vCPUs; 0 means one per CPU in the calling thread's
 *	affinity mask.
 * @flags: a combination of enum usoftirq_machine_flags.
 * @irq_signal: the real-time signal that delivers hardirqs to the workers;
 *	0 selects SIGRTMIN + %USOFTIRQ_IRQ_SIGNAL_OFFSET. The application must
 *	not handle it itself. Machines may share a signal.
 * @nr_irqs: interrupt lines 1..@nr_irqs; 0 selects %USOFTIRQ_NR_IRQS_DEFAULT.
 * @idle_spin_ns: how long a worker that ran out of work keeps watching its
 *	pending mask (plain loads and pause instructions, no system call)
 *	before it sleeps on its futex; 0 selects
 *	%USOFTIRQ_IDLE_SPIN_NS_DEFAULT, or no watch at all if the process
 *	may run on one CPU only; at most %USOFTIRQ_IDLE_SPIN_NS_MAX.
 *	Work that arrives within it is picked up without the sender's
 *	futex wake and the worker's wake-up (microseconds each on most
 *	machines); the price is that much CPU time each time a worker goes
 *	idle. %USOFTIRQ_MACHINE_NO_IDLE_SPIN turns it off.
 *
 * Zero-initialise it (or use %USOFTIRQ_MACHINE_CONFIG_INIT) and set only
 * what you need, so that fields added later keep their defaults.
 */
struct usoftirq_machine_config {
	unsigned int ncpus;
	unsigned int flags;
	int irq_signal;
	unsigned int nr_irqs;
	unsigned int idle_spin_ns;
};

#define USOFTIRQ_MACHINE_CONFIG_INIT \
	{                            \
		0, 0, 0, 0, 0        \
	}

/** USOFTIRQ_IDLE_SPIN_NS_DEFAULT - a worker's idle watch before it sleeps. */
#define USOFTIRQ_IDLE_SPIN_NS_DEFAULT 2000u
/** USOFTIRQ_IDLE_SPIN_NS_MAX - the longest idle watch accepted (1 ms). */
#define USOFTIRQ_IDLE_SPIN_NS_MAX 1000000u

/** USOFTIRQ_IRQ_SIGNAL_OFFSET - the default hardirq signal is SIGRTMIN + 4. */
#define USOFTIRQ_IRQ_SIGNAL_OFFSET 4

/**
 * usoftirq_machine_create() - build a machine and start its workers.
 * @out: receives the machine on success; untouched on failure.
 * @config: options, or NULL for all defaults.
 *
 * When it returns 0 every worker thread has started (and is pinned where
 * the affinity mask allows); a worker may still be on its way to its
 * first sleep. The first machine
 * created (without %USOFTIRQ_MACHINE_NO_DEFAULT) becomes the default one.
 *
 * Context: task context (may sleep). Not async-signal-safe.
 * Return: 0; -EINVAL if @config->ncpus exceeds %USOFTIRQ_MAX_CPUS,
 * @config->nr_irqs exceeds %USOFTIRQ_MAX_IRQS, @config->idle_spin_ns
 * exceeds %USOFTIRQ_IDLE_SPIN_NS_MAX, @config->irq_signal is not a
 * real-time signal, or the flags are unknown; -EBUSY if the application
 * already handles the hardirq signal (reported, naming the signal);
 * -ENOMEM; or the negative errno of a failed pthread_create().
 */
USOFTIRQ_API int
usoftirq_machine_create(struct usoftirq_machine **out,
			const struct usoftirq_machine_config *config);

/**
 * usoftirq_machine_destroy() - stop and join the workers, free the machine.
 * @m: the machine.
 *
 * Destroy does not run work that is still pending: a driver must kill its
 * tasklets and free its IRQs first, as the kernel requires on module
 * removal. Every IRQ still requested is reported and freed; every tasklet
 * still scheduled is reported by its callback's name (report kind
 * %USOFTIRQ_REPORT_DESTROY_PENDING) and reset to idle so that a static
 * tasklet can be scheduled again on the next machine.
 *
 * No thread may use the machine during or after this call. Threads bound
 * to it explicitly must unbind first (asserted), except the caller, which
 * is unbound automatically.
 *
 * Context: task context (may sleep), never from a worker or a callback.
 */
USOFTIRQ_API void usoftirq_machine_destroy(struct usoftirq_machine *m);

/**
 * usoftirq_machine_ncpus() - number of vCPUs.
 * @m: the machine, or NULL for the calling thread's machine
 *	(usoftirq_machine_current()); 1 when there is none, as a kernel
 *	always has at least one CPU online.
 *
 * Context: any.
 */
USOFTIRQ_API unsigned int
usoftirq_machine_ncpus(const struct usoftirq_machine *m);

/**
 * usoftirq_machine_worker_tid() - the kernel thread id of a vCPU's worker.
 * @m: the machine.
 * @cpu: the vCPU.
 *
 * Context: any.
 * Return: the tid; -ENODEV on a machine without workers; -EINVAL for a bad
 * @cpu.
 */
USOFTIRQ_API int usoftirq_machine_worker_tid(const struct usoftirq_machine *m,
					     unsigned int cpu);

/**
 * usoftirq_machine_worker_host_cpu() - the real CPU a worker is pinned to.
 * @m: the machine.
 * @cpu: the vCPU.
 *
 * Context: any.
 * Return: the CPU number; -ENOENT if the worker is not pinned (pinning was
 * refused, disabled, or the machine has no workers); -EINVAL for a bad @cpu.
 */
USOFTIRQ_API int
usoftirq_machine_worker_host_cpu(const struct usoftirq_machine *m,
				 unsigned int cpu);

/**
 * usoftirq_machine_default() - the process's default machine, or NULL.
 *
 * Context: any, including signal handlers.
 */
USOFTIRQ_API struct usoftirq_machine *usoftirq_machine_default(void);

/**
 * usoftirq_machine_set_default() - choose the default machine.
 * @m: the new default, or NULL for none.
 *
 * Context: task context.
 */
USOFTIRQ_API void usoftirq_machine_set_default(struct usoftirq_machine *m);

/**
 * usoftirq_machine_current() - the machine the calling thread works for.
 *
 * That is the machine the thread is bound to (workers are bound to theirs),
 * or else the default machine.
 *
 * Context: any, including signal handlers.
 * Return: the machine, or NULL if there is none.
 */
USOFTIRQ_API struct usoftirq_machine *usoftirq_machine_current(void);

/**
 * usoftirq_thread_bind() - bind the calling thread to a vCPU.
 * @m: the machine.
 * @cpu: the vCPU, below usoftirq_machine_ncpus(@m).
 *
 * From now on the thread's tasklet_schedule() queues on @cpu,
 * smp_processor_id() returns @cpu, and its BH-disabled sections exclude
 * @cpu's softirqs. An unbound thread uses the vCPU that corresponds to the
 * real CPU it is running on at each call.
 *
 * Context: task context, outside any BH-disabled section.
 * Return: 0; -EINVAL if @cpu is out of range; -EBUSY if the caller is a
 * worker or is inside a BH-disabled section or a softirq.
 */
USOFTIRQ_API int usoftirq_thread_bind(struct usoftirq_machine *m,
				      unsigned int cpu);

/**
 * usoftirq_thread_unbind() - undo usoftirq_thread_bind().
 *
 * Context: task context, outside any BH-disabled section.
 */
USOFTIRQ_API void usoftirq_thread_unbind(void);

/**
 * usoftirq_machine_quiesce() - wait until no vCPU has work it can run.
 * @m: the machine.
 *
 * Returns once every vCPU has no softirq pending, no tasklet queued and no
 * softirq processing in progress. Tasklets parked because they are disabled
 * do not count. On a machine without workers the caller runs the pending
 * work itself, vCPU by vCPU. A tasklet that reschedules itself forever
 * keeps the machine busy, and this call with it.
 *
 * Context: task context (may sleep), outside BH-disabled sections.
 */
USOFTIRQ_API void usoftirq_machine_quiesce(struct usoftirq_machine *m);

/**
 * usoftirq_cpu_run_softirqs() - process a vCPU's pending softirqs now.
 * @m: the machine.
 * @cpu: the vCPU.
 *
 * The calling thread takes @cpu's softirq processing (waiting if another
 * thread holds it), runs the kernel's softirq loop once (at most ten passes
 * or 2 ms) in softirq context on behalf of @cpu, and gives it back. It is
 * how a test steps a machine created with %USOFTIRQ_MACHINE_NO_WORKERS; on
 * a machine with workers it behaves like a BH-disabled section on @cpu that
 * ends with local_bh_enable().
 *
 * Context: task context, outside BH-disabled sections.
 * Return: true if work is still pending after the loop's budget ran out.
 */
USOFTIRQ_API bool usoftirq_cpu_run_softirqs(struct usoftirq_machine *m,
					    unsigned int cpu);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_MACHINE_H */
