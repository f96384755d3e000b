/* SPDX-License-Identifier: MIT */
/*
 * Counting the system calls a thread makes, to show that a fast path
 * makes none.
 *
 * Method: a perf_event_open() counter on the raw_syscalls:sys_enter
 * tracepoint, attached to the calling thread only (pid 0, any CPU, not
 * inherited), enabled around the measured loop. Every system call the
 * thread enters while the counter is on is counted, whatever its origin
 * (glibc, the vDSO fallback, the library). The counter's own disabling
 * ioctl is counted too; bench_syscount_open() measures that baseline on an
 * empty region and bench_syscount_stop() subtracts it. Needs the
 * tracepoint (tracefs) and permission for perf events (root, or
 * perf_event_paranoid <= 1); when either is missing the count is reported
 * as unavailable, never guessed.
 */
#ifndef BENCH_SYSCOUNT_H
#define BENCH_SYSCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_syscount {
	int fd; /* -1: unavailable */
	uint64_t baseline;
	char why[160]; /* why it is unavailable */
};

/* Open a counter for the calling thread. Returns false (and says why in
 * @c->why) if the kernel refuses. */
bool bench_syscount_open(struct bench_syscount *c);

void bench_syscount_start(struct bench_syscount *c);

/* System calls the thread entered since bench_syscount_start(). */
uint64_t bench_syscount_stop(struct bench_syscount *c);

void bench_syscount_close(struct bench_syscount *c);

#endif /* BENCH_SYSCOUNT_H */
