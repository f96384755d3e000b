/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the hardirq tests: interrupt handlers that record what
 * they saw (optionally gated, to hold a handler "in flight" while the test
 * acts), calls that block (synchronize_irq(), disable_irq(), free_irq())
 * made from a helper thread whose tid is known, and observations of other
 * threads through /proc (thread names, signals not yet delivered).
 *
 * Handlers run inside a signal handler on a worker, so everything they do
 * here is async-signal-safe: atomics, gettid(), sem_post(), and sem_wait()
 * for a gated run (glibc's sem_wait() is a futex wait; a worker blocked in
 * a handler only holds up its own vCPU, which is the point of the gate).
 * Handlers never assert; the test thread asserts on the records.
 */
#ifndef USOFTIRQ_IRQ_TEST_UTIL_H
#define USOFTIRQ_IRQ_TEST_UTIL_H

#include "test_util.h"

/** IRQ_PROBE_MAX_RUNS - runs recorded in detail; later runs are counted. */
#define IRQ_PROBE_MAX_RUNS 16

/**
 * struct irq_run - what one run of a handler saw, recorded on entry.
 * @irq: the line number it was called with.
 * @cpu: usoftirq_smp_processor_id().
 * @tid: the thread that ran it.
 * @preempt_count: usoftirq_preempt_count().
 * @in_hardirq: usoftirq_in_hardirq().
 * @in_task: usoftirq_in_task().
 * @irqs_disabled: usoftirq_irqs_disabled().
 * @enter_seq: test_seq() on entry.
 * @exit_seq: test_seq() just before returning.
 */
struct irq_run {
	int irq;
	unsigned int cpu;
	int tid;
	unsigned int preempt_count;
	bool in_hardirq;
	bool in_task;
	bool irqs_disabled;
	unsigned long enter_seq;
	unsigned long exit_seq;
};

struct irq_probe;

/** typedef irq_hook_fn - called in a run after the gate, with its index. */
typedef void (*irq_hook_fn)(struct irq_probe *p, int run);

/**
 * struct irq_probe - one handler (primary or threaded) that records runs.
 * @ret: what the handler returns.
 * @gated: the first @gated runs open @entered, then wait for @release.
 * @hook: if set, called after the gate.
 * @arg: for @hook.
 * @entered: opened by each gated run once it is running.
 * @release: each gated run waits for it.
 * @done: opened at the end of every run.
 * @started: runs that entered the handler.
 * @finished: runs that returned (release, after the run's record).
 * @inside: runs in progress now.
 * @max_inside: the largest @inside seen.
 * @run: the first %IRQ_PROBE_MAX_RUNS runs.
 */
struct irq_probe {
	usoftirq_irqreturn_t ret;
	int gated;
	irq_hook_fn hook;
	void *arg;
	struct gate entered;
	struct gate release;
	struct gate done;
	_Atomic int started;
	_Atomic int finished;
	_Atomic int inside;
	_Atomic int max_inside;
	struct irq_run run[IRQ_PROBE_MAX_RUNS];
};

/**
 * struct irq_dev - a device for request_threaded_irq(): its address is the
 * dev_id, and it records its primary handler and its threaded handler
 * separately.
 * @primary: irq_dev_primary()'s records; returns IRQ_HANDLED by default.
 * @thread: irq_dev_thread()'s records; returns IRQ_HANDLED by default.
 * @m: the machine, for hooks.
 * @irq: the line, for hooks.
 */
struct irq_dev {
	struct irq_probe primary;
	struct irq_probe thread;
	struct usoftirq_machine *m;
	unsigned int irq;
};

/** irq_dev_init() - reset @d; handlers return IRQ_HANDLED, no gates. */
void irq_dev_init(struct irq_dev *d, struct usoftirq_machine *m,
		  unsigned int irq);
void irq_dev_destroy(struct irq_dev *d);

/** irq_dev_primary() - a primary handler recording into dev_id->primary. */
usoftirq_irqreturn_t irq_dev_primary(int irq, void *dev_id);
/** irq_dev_thread() - a threaded handler recording into dev_id->thread. */
usoftirq_irqreturn_t irq_dev_thread(int irq, void *dev_id);

/** irq_probe_started() - runs that entered (acquire). */
int irq_probe_started(struct irq_probe *p);
/** irq_probe_finished() - runs that returned (acquire). */
int irq_probe_finished(struct irq_probe *p);
/** irq_probe_wait_finished() - wait until @n runs have returned. */
void irq_probe_wait_finished(struct irq_probe *p, int n);

/* ------------------------------------------------------------------ */
/* Blocking calls in a helper thread                                   */
/* ------------------------------------------------------------------ */

/** enum irq_call_kind - which blocking call an irq_call makes. */
enum irq_call_kind {
	IRQ_CALL_SYNCHRONIZE, /* usoftirq_synchronize_irq() */
	IRQ_CALL_DISABLE, /* usoftirq_disable_irq() */
	IRQ_CALL_FREE, /* usoftirq_free_irq() */
};

/**
 * struct irq_call - a blocking line call made by a helper thread.
 * @call: the helper thread.
 * @kind: the call.
 * @m: the machine.
 * @irq: the line.
 * @dev_id: for free_irq().
 * @tid: the helper's tid, set before the call.
 * @result: what free_irq() returned.
 * @call_seq: test_seq() just before the call.
 * @return_seq: test_seq() just after it returned.
 */
struct irq_call {
	struct bg_call call;
	enum irq_call_kind kind;
	struct usoftirq_machine *m;
	unsigned int irq;
	void *dev_id;
	_Atomic int tid;
	const void *result;
	unsigned long call_seq;
	unsigned long return_seq;
};

/**
 * irq_call_start_blocked() - start the call in a helper thread and return
 * once the helper is asleep in the kernel inside it (a futex wait): the
 * call is certainly waiting for something.
 */
void irq_call_start_blocked(struct irq_call *c, enum irq_call_kind kind,
			    struct usoftirq_machine *m, unsigned int irq,
			    void *dev_id);
/** irq_call_join() - wait for the call to return and join the helper. */
void irq_call_join(struct irq_call *c);

/* ------------------------------------------------------------------ */
/* /proc observations                                                  */
/* ------------------------------------------------------------------ */

/** threads_named() - threads of this process whose comm is @comm. */
int threads_named(const char *comm);

/**
 * signal_pending_on() - whether signal @sig is pending for thread @tid
 * (sent, not yet delivered), from /proc/self/task/<tid>/status SigPnd.
 */
bool signal_pending_on(int tid, int sig);

/**
 * wait_signal_handled() - after @sig was sent to thread @tid, which sleeps
 * in a futex wait: return once the signal has been delivered and its
 * handler has returned. Delivered: no longer pending. Returned: the
 * thread sleeps in a futex wait again, which the handler never does.
 */
void wait_signal_handled(int tid, int sig);

/* ------------------------------------------------------------------ */
/* Machines                                                            */
/* ------------------------------------------------------------------ */

/** irq_books_balance() - pulses == coalesced + consumed + dropped + pending. */
bool irq_books_balance(const struct usoftirq_irq_stats *st);

/** irq_stats() - usoftirq_irq_get_stats() or fail the test. */
struct usoftirq_irq_stats irq_stats(struct usoftirq_machine *m,
				    unsigned int irq);

/* ------------------------------------------------------------------ */
/* Stress runs                                                         */
/* ------------------------------------------------------------------ */

/**
 * stress_budget_ms() - how long a stress run lasts: USOFTIRQ_STRESS_MS
 * from the environment, else @default_ms.
 */
unsigned int stress_budget_ms(unsigned int default_ms);

/** stress_now_ms() - CLOCK_MONOTONIC in milliseconds. */
uint64_t stress_now_ms(void);

/**
 * struct stress_watchdog - turns a hang into a report instead of a silent
 * CTest timeout: unless stopped within @seconds, it calls @dump (to print
 * the books) and aborts. Nothing waits on it for correctness.
 */
struct stress_watchdog {
	pthread_t thread;
	sem_t done;
	unsigned int seconds;
	const char *name;
	void (*dump)(void);
};

void stress_watchdog_start(struct stress_watchdog *w, const char *name,
			   unsigned int seconds, void (*dump)(void));
void stress_watchdog_stop(struct stress_watchdog *w);

/** struct stress_rng - xorshift64*, one per thread. */
struct stress_rng {
	uint64_t s;
};

/** stress_rand() - the next number below @n (n > 0). */
unsigned int stress_rand(struct stress_rng *r, unsigned int n);

#endif /* USOFTIRQ_IRQ_TEST_UTIL_H */
