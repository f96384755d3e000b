/* SPDX-License-Identifier: MIT */
/*
 * Tasklets: the kernel's deferred-work state machine over the softirq
 * engine.
 *
 * Properties (each has a test named after it in tests/unit):
 *
 *  P1. After usoftirq_tasklet_schedule() returns, the tasklet's callback
 *      runs at least once, and that run sees everything the scheduler
 *      wrote before the call (the call is a full barrier).
 *  P2. Schedules made before that run starts coalesce: the callback runs
 *      once for all of them.
 *  P3. A schedule made while the callback runs (from the callback itself
 *      or from anywhere else) makes exactly one more run, after this one.
 *  P4. A tasklet never runs concurrently with itself. Different tasklets
 *      run concurrently on different vCPUs.
 *  P5. A tasklet runs on the vCPU that scheduled it. Within one vCPU, HI
 *      tasklets run before the other softirq vectors, those before normal
 *      tasklets, and tasklets of one priority run in the order they were
 *      scheduled. Both priorities share one SCHED bit: the first schedule
 *      decides the priority.
 *  P6. SCHED is cleared just before the callback is called and RUN just
 *      after it returns. The library touches the tasklet after the
 *      callback returns, so a callback must not free its own tasklet
 *      (same rule as the kernel).
 *  P7. Disabling nests: a tasklet with a non-zero count does not run; a
 *      tasklet scheduled while disabled runs once after the count returns
 *      to zero. usoftirq_tasklet_disable() also waits for a running
 *      callback; the _nosync variant does not.
 *  P8. usoftirq_tasklet_kill() waits for a pending run and for a running
 *      callback, drops schedules that race with it, and leaves the tasklet
 *      idle and reusable.
 *
 * Deliberate deviations from the kernel (docs/deviations.md):
 *
 *  D1. A tasklet scheduled while disabled, or while its callback runs on
 *      another vCPU, is parked instead of being re-queued on every pass:
 *      no CPU is burnt re-raising the softirq. It runs exactly when the
 *      kernel's would (once, after the final enable / after the other run
 *      ends, on the vCPU that scheduled it).
 *  D2. An unbalanced usoftirq_tasklet_enable() is reported with the
 *      callback's name; the tasklet stays disabled as in the kernel.
 *  D3. usoftirq_tasklet_kill(), usoftirq_tasklet_disable() and the wait
 *      helpers called from the tasklet's own callback (or from a hardirq
 *      that interrupted it), and usoftirq_tasklet_kill() of a tasklet that
 *      can only run on the vCPU the caller is holding, are reported and
 *      return instead of deadlocking.
 *  D4. Re-initialising a tasklet that is still queued does not cut the
 *      queue: the softirq reaches it, reports the kernel's "tasklet SCHED
 *      state not set" and skips it, and the tasklets queued behind it still
 *      run (the kernel loses them).
 */
#ifndef USOFTIRQ_TASKLET_H
#define USOFTIRQ_TASKLET_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/*
 * Bit numbers in struct usoftirq_tasklet.state. SCHED and RUN are the
 * kernel's; the others are private to the library (src/tasklet.c documents
 * every legal combination and transition).
 */
#define USOFTIRQ_TASKLET_STATE_SCHED 0
#define USOFTIRQ_TASKLET_STATE_RUN 1

/**
 * struct usoftirq_tasklet - a tasklet; embed it in your own object.
 * @next: private: the per-vCPU queue link (holds a liburcu wfcqueue node).
 * @state: read-only: bit %USOFTIRQ_TASKLET_STATE_SCHED is set from schedule
 *	until just before the callback runs, bit %USOFTIRQ_TASKLET_STATE_RUN
 *	while the callback runs. Read it atomically.
 * @count: read-only: disable depth, 0 when enabled. Read it atomically.
 * @use_callback: read-only: true if @callback is called, false for @func.
 * @func: the legacy callback, called with @data.
 * @callback: the callback, called with the tasklet; find the enclosing
 *	object with container_of().
 * @data: argument of @func; 0 for tasklets set up with a @callback.
 *
 * The first six members are the kernel's struct tasklet_struct, in its
 * order and with its types. The members after them are private.
 */
struct usoftirq_tasklet {
	struct usoftirq_tasklet *next;
	unsigned long state;
	usoftirq_atomic_t count;
	bool use_callback;
	union {
		void (*func)(unsigned long data);
		void (*callback)(struct usoftirq_tasklet *t);
	};
	unsigned long data;
	/* private: see src/tasklet.c; valid only while SCHED is set. */
	struct {
		void *cpu;
		unsigned char queue;
	} usoftirq_priv;
};

/**
 * USOFTIRQ_TASKLET_INIT() - static initialiser for a tasklet.
 * @cb: the callback, void (*)(struct usoftirq_tasklet *).
 */
#define USOFTIRQ_TASKLET_INIT(cb)                                 \
	{                                                         \
		.next = NULL, .state = 0, .count = { 0 },         \
		.use_callback = true, .callback = (cb), .data = 0 \
	}

/** USOFTIRQ_TASKLET_INIT_DISABLED() - the same, created disabled (count 1). */
#define USOFTIRQ_TASKLET_INIT_DISABLED(cb)                        \
	{                                                         \
		.next = NULL, .state = 0, .count = { 1 },         \
		.use_callback = true, .callback = (cb), .data = 0 \
	}

/**
 * USOFTIRQ_TASKLET_INIT_OLD() - static initialiser for a legacy tasklet;
 * @fn is called with 0, as the kernel's DECLARE_TASKLET_OLD() does.
 * @fn: the callback, void (*)(unsigned long).
 */
#define USOFTIRQ_TASKLET_INIT_OLD(fn)                          \
	{                                                      \
		.next = NULL, .state = 0, .count = { 0 },      \
		.use_callback = false, .func = (fn), .data = 0 \
	}

/** USOFTIRQ_TASKLET_INIT_DISABLED_OLD() - the legacy form, disabled. */
#define USOFTIRQ_TASKLET_INIT_DISABLED_OLD(fn)                 \
	{                                                      \
		.next = NULL, .state = 0, .count = { 1 },      \
		.use_callback = false, .func = (fn), .data = 0 \
	}

/**
 * usoftirq_tasklet_setup() - initialise a tasklet with a callback.
 * @t: the tasklet.
 * @callback: called with @t, in softirq context.
 *
 * Sets state, count, the callback and data, as the kernel does. The queue
 * link and the private members are the library's and are left alone, so
 * the memory may come from malloc() uninitialised. Calling it on a tasklet
 * that is still scheduled is a bug (D4 says what happens).
 *
 * Context: any.
 */
USOFTIRQ_API void
usoftirq_tasklet_setup(struct usoftirq_tasklet *t,
		       void (*callback)(struct usoftirq_tasklet *t));

/**
 * usoftirq_tasklet_init() - initialise a legacy tasklet.
 * @t: the tasklet.
 * @func: called with @data, in softirq context.
 * @data: the argument.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_tasklet_init(struct usoftirq_tasklet *t,
					void (*func)(unsigned long data),
					unsigned long data);

/**
 * usoftirq_tasklet_schedule() - schedule a tasklet on this vCPU.
 * @t: the tasklet.
 *
 * If @t is already scheduled and has not started, nothing happens (P2);
 * this costs one full barrier and one load. Otherwise @t is queued on the
 * calling thread's vCPU and runs soon (P1, P5); the vCPU's worker is woken
 * only if it is asleep. No lock, no allocation, and no system call unless
 * a sleeping worker must be woken.
 *
 * Context: any: task, softirq, hardirq, and application signal handlers
 * (async-signal-safe; errno is preserved). Dies if the thread has no
 * machine.
 */
USOFTIRQ_API void usoftirq_tasklet_schedule(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_hi_schedule() - schedule a tasklet at high priority.
 * @t: the tasklet.
 *
 * As usoftirq_tasklet_schedule(), on the HI vector, which runs before all
 * others (P5).
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_tasklet_hi_schedule(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_disable_nosync() - increment the disable count.
 * @t: the tasklet.
 *
 * Does not wait: a callback already running keeps running. Full barrier.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_tasklet_disable_nosync(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_disable() - disable and wait for a running callback.
 * @t: the tasklet.
 *
 * When it returns the callback is not running anywhere and will not start
 * until the matching usoftirq_tasklet_enable() (P7). Called from @t's own
 * callback it is reported (%USOFTIRQ_REPORT_TASKLET_SELF_WAIT) and returns
 * without waiting, where the kernel would deadlock (D3).
 *
 * Context: task context; it sleeps, and reports a call from atomic context
 * as the kernel does.
 */
USOFTIRQ_API void usoftirq_tasklet_disable(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_disable_in_atomic() - disable and busy-wait for a
 * running callback, for atomic contexts ("do not use in new code").
 * @t: the tasklet.
 *
 * Spins briefly, then waits on a futex rather than burning CPU; the
 * self-deadlock of the kernel's version is reported as in
 * usoftirq_tasklet_disable().
 *
 * Context: any, including hardirq handlers.
 */
USOFTIRQ_API void
usoftirq_tasklet_disable_in_atomic(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_enable() - decrement the disable count.
 * @t: the tasklet.
 *
 * When the count reaches zero a tasklet that was scheduled while disabled
 * is queued again on the vCPU that scheduled it, and runs once (P7, D1). An
 * enable that takes the count below zero is reported with the callback's
 * name (%USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE); the tasklet then stays
 * disabled, as in the kernel, until a disable brings the count back to 0.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_tasklet_enable(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_kill() - wait until a tasklet is idle, dropping
 * schedules that race with the wait.
 * @t: the tasklet.
 *
 * Waits for a pending run to happen and for a running callback to return;
 * while it waits, new schedules of @t are dropped. On return @t is neither
 * queued nor running, SCHED and RUN are clear, and the count is unchanged;
 * @t may be scheduled again (P8). Killing a tasklet that is scheduled and
 * disabled waits until somebody enables it, as in the kernel; usoftirq says
 * so (%USOFTIRQ_REPORT_TASKLET_KILL_DISABLED). From interrupt context it
 * prints the kernel's notice "Attempt to kill tasklet from interrupt". The
 * self-deadlocks of D3 are reported and the call returns.
 *
 * Context: task context; it sleeps.
 */
USOFTIRQ_API void usoftirq_tasklet_kill(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_trylock() - take the RUN bit.
 * @t: the tasklet.
 *
 * While the caller holds RUN the callback cannot start; a pending run waits
 * (parked, D1) until usoftirq_tasklet_unlock().
 *
 * Context: any (async-signal-safe).
 * Return: true if RUN was clear and is now held by the caller.
 */
USOFTIRQ_API bool usoftirq_tasklet_trylock(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_unlock() - release the RUN bit, waking waiters.
 * @t: the tasklet.
 *
 * Context: any (async-signal-safe).
 */
USOFTIRQ_API void usoftirq_tasklet_unlock(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_unlock_wait() - sleep until RUN is clear.
 * @t: the tasklet.
 *
 * Does not look at SCHED: a tasklet that is queued but not running
 * satisfies it at once.
 *
 * Context: task context; it sleeps.
 */
USOFTIRQ_API void usoftirq_tasklet_unlock_wait(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_unlock_spin_wait() - wait until RUN is clear, from
 * atomic context: a short spin, then a futex wait.
 * @t: the tasklet.
 *
 * Context: any.
 */
USOFTIRQ_API void usoftirq_tasklet_unlock_spin_wait(struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_is_scheduled() - SCHED is set.
 * @t: the tasklet.
 *
 * Context: any.
 */
USOFTIRQ_API bool
usoftirq_tasklet_is_scheduled(const struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_is_running() - RUN is set.
 * @t: the tasklet.
 *
 * Context: any.
 */
USOFTIRQ_API bool usoftirq_tasklet_is_running(const struct usoftirq_tasklet *t);

/**
 * usoftirq_tasklet_count() - the disable depth.
 * @t: the tasklet.
 *
 * Context: any.
 */
USOFTIRQ_API int usoftirq_tasklet_count(const struct usoftirq_tasklet *t);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_TASKLET_H */
