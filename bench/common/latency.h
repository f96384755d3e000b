/* SPDX-License-Identifier: MIT */
/*
 * The latency runner: one sender (the calling thread) fires an event, a
 * receiver on another CPU time-stamps its arrival (struct bench_stamp),
 * and the sample is the receiver's time minus the sender's time taken just
 * before firing. One event is in flight at a time.
 *
 * Subjects are measured in interleaved blocks (block k runs the subjects
 * in an order rotated by k), so that a change of load on a shared machine
 * spreads over all of them instead of hitting one. Before each sample the
 * runner either waits until the subject's receiver thread sleeps and its
 * CPU has gone idle (bench_wait_asleep()), or, for busy receivers, waits a
 * random time so that samples fall at random points of the receiver's
 * work. After the last sample it checks that every receiver stamped
 * exactly once per event: nothing lost, nothing duplicated.
 */
#ifndef BENCH_LATENCY_H
#define BENCH_LATENCY_H

#include "bench.h"

struct lat_subject {
	const char *name;
	enum bench_role role;
	void *ctx;
	/* Fire one event (after the sender's time stamp). */
	void (*fire)(void *ctx);
	/* The receiver thread that must be asleep before each event, or
	 * NULL for a busy receiver. */
	pid_t (*sleeper)(void *ctx);
	/* Optional: start and stop the receiver's background work around a
	 * block of samples (busy scenarios). */
	void (*block_begin)(void *ctx);
	void (*block_end)(void *ctx);
	/* Where the receiver stamps the event's arrival. */
	struct bench_stamp *stamp;
	/* Optional: an intermediate stamp (e.g. a hardirq handler's entry,
	 * before the tasklet it schedules), reported as its own row. */
	struct bench_stamp *early;
	const char *early_name;
	/* Filled by the runner. */
	struct bench_samples samples, early_samples;
	uint64_t fired;
};

struct lat_plan {
	const char *scenario;
	unsigned int samples; /* per subject, after warm-up */
	unsigned int warmup; /* per subject, discarded */
	unsigned int blocks; /* interleaving */
	uint64_t max_gap_ns; /* busy receivers: random gap below this */
	bool cdf; /* request a CDF plot of the scenario */
};

/* Measure every subject, validate, add one row each (two with @early). */
void lat_run(struct bench *b, const struct lat_plan *p,
	     struct lat_subject *subs, size_t n);

#endif /* BENCH_LATENCY_H */
