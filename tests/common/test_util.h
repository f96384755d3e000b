/* SPDX-License-Identifier: MIT */
/*
 * Shared test helpers: CMocka includes in the order cmocka 1.1.5 needs,
 * gates for forcing interleavings, report capture, and machine fixtures.
 *
 * Interleavings are forced with gates, never with sleeps: a callback that
 * must be "running" while the test acts opens gate A ("I am running") and
 * blocks on gate B until the test releases it.
 */
#ifndef USOFTIRQ_TEST_UTIL_H
#define USOFTIRQ_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>

#include <usoftirq.h>

/* ------------------------------------------------------------------ */
/* Gates                                                               */
/* ------------------------------------------------------------------ */

/** struct gate - a counting semaphore with a name for failure messages. */
struct gate {
	sem_t sem;
	const char *name;
};

void gate_init(struct gate *g, const char *name);
void gate_destroy(struct gate *g);
/** gate_open() - let one waiter through (sem_post). Async-signal-safe. */
void gate_open(struct gate *g);
/** gate_pass() - wait until opened (sem_wait, retried on EINTR). */
void gate_pass(struct gate *g);
/** gate_try() - pass if open now, without waiting. */
bool gate_try(struct gate *g);

/* ------------------------------------------------------------------ */
/* Report capture                                                      */
/* ------------------------------------------------------------------ */

#define CAPTURE_MAX 64
#define CAPTURE_TEXT 512

/**
 * capture_start() - route usoftirq reports into a buffer (thread-safe and
 * async-signal-safe) until capture_stop(). Clears earlier captures.
 */
void capture_start(void);
void capture_stop(void);
/** captured() - number of reports of @kind captured since capture_start(). */
unsigned int captured(enum usoftirq_report_kind kind);
/** captured_total() - number of reports of any kind. */
unsigned int captured_total(void);
/**
 * captured_text() - the text of the @n-th captured report of @kind
 * (0-based), or NULL.
 */
const char *captured_text(enum usoftirq_report_kind kind, unsigned int n);
/** captured_line() - the full printed line of that report, or NULL. */
const char *captured_line(enum usoftirq_report_kind kind, unsigned int n);
/** captured_tasklet() - the tasklet of that report, or NULL. */
const struct usoftirq_tasklet *captured_tasklet(enum usoftirq_report_kind kind,
						unsigned int n);

/* ------------------------------------------------------------------ */
/* Machines                                                            */
/* ------------------------------------------------------------------ */

/**
 * test_machine() - create a machine or fail the test.
 * @ncpus: vCPUs (0: one per CPU).
 * @flags: enum usoftirq_machine_flags.
 */
struct usoftirq_machine *test_machine(unsigned int ncpus, unsigned int flags);

/* CMocka group fixtures: *state is the machine. */
int setup_machine_2cpu(void **state); /* 2 vCPUs with workers */
int setup_machine_stepped(void **state); /* 2 vCPUs, no workers */
int teardown_machine(void **state); /* unbind caller, destroy */

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

/** run_in_thread() - run @fn(@arg) in a new thread and join it. */
void run_in_thread(void *(*fn)(void *), void *arg);

/**
 * struct bg_call - a call made in a helper thread, for a blocking call
 * (kill, disable, a step of a vCPU) that the test must see blocked.
 * @thread: the helper thread.
 * @fn: the call.
 * @arg: its argument.
 * @returned: set (release) once @fn has returned.
 */
struct bg_call {
	pthread_t thread;
	void (*fn)(void *arg);
	void *arg;
	_Atomic bool returned;
};

/** bg_call_start() - run @fn(@arg) in a new thread; do not wait for it. */
void bg_call_start(struct bg_call *c, void (*fn)(void *arg), void *arg);
/** bg_call_returned() - has @fn returned? (acquire) */
bool bg_call_returned(struct bg_call *c);
/** bg_call_join() - wait until @fn has returned and join the thread. */
void bg_call_join(struct bg_call *c);

/**
 * struct bg_step - usoftirq_cpu_run_softirqs(@m, @cpu) in a helper thread:
 * a vCPU of a machine without workers processing its softirqs while the
 * test thread does something else.
 */
struct bg_step {
	struct bg_call call;
	struct usoftirq_machine *m;
	unsigned int cpu;
};

void bg_step_start(struct bg_step *s, struct usoftirq_machine *m,
		   unsigned int cpu);
void bg_step_join(struct bg_step *s);

/* ------------------------------------------------------------------ */
/* Tasklet state                                                       */
/* ------------------------------------------------------------------ */

/*
 * The library-private bits of struct usoftirq_tasklet.state (documented at
 * the top of src/tasklet.c). Tests only read them, to learn without
 * sleeping that another thread has reached a known point: a waiter sets
 * WAITERS before it sleeps; a vCPU sets PARKED when it parks a tasklet
 * that is disabled or running elsewhere (deviation D1).
 */
#define TEST_TASKLET_SCHED (1ul << USOFTIRQ_TASKLET_STATE_SCHED)
#define TEST_TASKLET_RUN (1ul << USOFTIRQ_TASKLET_STATE_RUN)
#define TEST_TASKLET_WAITERS (1ul << 2)
#define TEST_TASKLET_PARKED (1ul << 3)
#define TEST_TASKLET_LISTED (1ul << 4)

/** tasklet_state() - @t->state, loaded with acquire. */
unsigned long tasklet_state(const struct usoftirq_tasklet *t);
/**
 * wait_tasklet_state() - yield until every bit of @bits is set in
 * @t->state. Never times out: a hang is caught by the CTest timeout.
 */
void wait_tasklet_state(const struct usoftirq_tasklet *t, unsigned long bits);

/* ------------------------------------------------------------------ */
/* Probes: tasklets that record their runs                             */
/* ------------------------------------------------------------------ */

#define PROBE_MAX_RUNS 16

/**
 * struct probe_run - what one run of a probe saw, recorded in the callback.
 * @cpu: usoftirq_smp_processor_id().
 * @tid: the thread that ran it.
 * @preempt_count: usoftirq_preempt_count().
 * @serving_softirq: usoftirq_in_serving_softirq().
 * @state: the tasklet's state word on entry.
 * @enter_seq: test_seq() on entry.
 * @exit_seq: test_seq() just before returning.
 */
struct probe_run {
	unsigned int cpu;
	int tid;
	unsigned int preempt_count;
	bool serving_softirq;
	unsigned long state;
	unsigned long enter_seq;
	unsigned long exit_seq;
};

/**
 * struct probe - a tasklet whose callback records every run.
 * @t: the tasklet, set up with the probe's callback.
 * @gated: the first @gated runs open @entered, then wait for @release.
 * @hook: if set, called in the callback after the gate, with the run's
 *	index (0 for the first run).
 * @arg: for @hook.
 * @entered: opened by each gated run once it is running.
 * @release: each gated run waits for it.
 * @done: opened at the end of every run.
 * @started: runs that have entered the callback.
 * @finished: runs that have returned; release, after the run's record.
 * @inside: callbacks of this probe running right now.
 * @max_inside: the largest @inside seen (P4: must stay 1).
 * @run: the first %PROBE_MAX_RUNS runs. Read run[n] only after
 *	probe_finished() says run n finished.
 *
 * Callbacks never assert: they record, the test thread asserts.
 */
struct probe {
	struct usoftirq_tasklet t;
	int gated;
	void (*hook)(struct probe *p, int run);
	void *arg;
	struct gate entered;
	struct gate release;
	struct gate done;
	_Atomic int started;
	_Atomic int finished;
	_Atomic int inside;
	_Atomic int max_inside;
	struct probe_run run[PROBE_MAX_RUNS];
};

/** probe_init() - set up @p (usoftirq_tasklet_setup()), @gated runs gated. */
void probe_init(struct probe *p, int gated);
void probe_destroy(struct probe *p);
/** probe_started() - runs that entered the callback. */
int probe_started(struct probe *p);
/** probe_finished() - runs that returned (acquire). */
int probe_finished(struct probe *p);
/** probe_from() - the probe whose tasklet is @t (container_of). */
struct probe *probe_from(struct usoftirq_tasklet *t);

/**
 * test_seq() - the next number of a process-wide sequence, for ordering
 * events seen by different threads (callbacks, handlers, the test).
 */
unsigned long test_seq(void);

/* ------------------------------------------------------------------ */
/* Child processes, standard error, blocked threads                    */
/* ------------------------------------------------------------------ */

/**
 * run_in_child() - run @fn(@arg) in a forked child, collect its output.
 * @fn: runs in the child. It must not use CMocka assertions (a failure
 *	would unwind into the child's copy of the test runner); the child
 *	exits with status 0 when @fn returns. fork() copies only the calling
 *	thread, so @fn must create any machine it uses.
 * @arg: passed to @fn.
 * @err: receives what the child wrote to fd 2 (and fd 1), NUL-terminated,
 *	truncated to @size - 1 bytes.
 * @size: size of @err, at least 1.
 *
 * The child has RLIMIT_CORE 0, so an expected abort() leaves no core file,
 * and the default action for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS and
 * SIGABRT (CMocka's handlers would catch them), so it dies of them.
 *
 * Return: the child's wait status (WIFSIGNALED(), WTERMSIG(), ...).
 */
int run_in_child(void (*fn)(void *), void *arg, char *err, size_t size);

/**
 * stderr_capture_start() - send fd 2 to a memory file until
 * stderr_capture_stop(). Not nestable. Everything any thread writes to
 * fd 2 meanwhile is captured, CMocka's own messages included.
 */
void stderr_capture_start(void);

/**
 * stderr_capture_stop() - restore fd 2 and hand back what was written.
 * @buf: receives the bytes, NUL-terminated, truncated to @size - 1.
 * @size: size of @buf, at least 1.
 *
 * Return: the number of bytes written while captured.
 */
size_t stderr_capture_stop(char *buf, size_t size);

/**
 * thread_futex_addr() - the word thread @tid sleeps on in futex(2).
 * @tid: a thread of this process.
 *
 * Read from /proc/self/task/<tid>/syscall.
 *
 * Return: the futex address if @tid is blocked in a futex wait, else 0.
 */
uintptr_t thread_futex_addr(int tid);

/**
 * wait_futex_blocked() - wait until thread @tid sleeps in a futex wait on a
 * word other than @not_addr (0: any word).
 * @tid: a thread of this process.
 * @not_addr: a word to ignore, such as the one it slept on before.
 *
 * Polls /proc with sched_yield() in between: it waits for an observable
 * state of the thread, it does not guess how long something takes. Use it
 * only where the thread's code has no other blocking point, so that
 * "blocked in futex" names one line of code.
 *
 * Return: the address it sleeps on.
 */
uintptr_t wait_futex_blocked(int tid, uintptr_t not_addr);

#endif /* USOFTIRQ_TEST_UTIL_H */
