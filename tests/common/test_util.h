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
int setup_machine_2cpu(void **state);	   /* 2 vCPUs with workers */
int setup_machine_stepped(void **state);   /* 2 vCPUs, no workers */
int teardown_machine(void **state);	   /* unbind caller, destroy */

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

/** run_in_thread() - run @fn(@arg) in a new thread and join it. */
void run_in_thread(void *(*fn)(void *), void *arg);

#endif /* USOFTIRQ_TEST_UTIL_H */
