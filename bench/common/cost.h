/* SPDX-License-Identifier: MIT */
/*
 * The cost runner: the per-call cost of a cheap operation, as batch
 * means. A batch runs the operation n times between two clock reads; n is
 * calibrated per subject so that a batch lasts about 20 us (the clock's
 * own ~26 ns is then below 0.2% of a batch). The distribution reported
 * is that of the batch means (p50, p99, max over the batches), measured in
 * interleaved blocks as in latency.h. When the system call counter is
 * available (syscount.h), the system calls made during all the batches
 * are counted and reported per call.
 */
#ifndef BENCH_COST_H
#define BENCH_COST_H

#include "bench.h"

struct cost_subject {
	const char *name;
	enum bench_role role;
	void *ctx;
	/* Run the operation @n times. */
	void (*run)(void *ctx, unsigned int n);
	/* Optional: called around each block of batches (e.g. to start and
	 * stop a thread that contends with the measured one). */
	void (*block_begin)(void *ctx);
	void (*block_end)(void *ctx);
	/* Filled by the runner. */
	struct bench_samples samples;
	unsigned int batch;
	uint64_t calls, syscalls;
};

struct cost_plan {
	const char *scenario;
	unsigned int batches; /* per subject */
	unsigned int blocks;
	bool count_syscalls;
};

/* Measure every subject and add one row each (unit ns). */
void cost_run(struct bench *b, const struct cost_plan *p,
	      struct cost_subject *subs, size_t n);

#endif /* BENCH_COST_H */
