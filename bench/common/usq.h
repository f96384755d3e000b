/* SPDX-License-Identifier: MIT */
/*
 * usoftirq set-up shared by the programs: a machine whose workers are
 * pinned (the library's default), the vCPU whose worker runs on a given
 * CPU, and a tasklet that keeps a worker busy.
 */
#ifndef BENCH_USQ_H
#define BENCH_USQ_H

#include <stdatomic.h>
#include <stdint.h>
#include <usoftirq.h>

#include "bench.h"

/*
 * Create a machine (@ncpus 0: one vCPU per CPU the process may use); dies
 * on error. The machine pins its workers over the creating thread's
 * affinity mask, so the caller (pinned to the sender CPU) widens its own
 * mask to every usable CPU for the call.
 */
struct usoftirq_machine *bench_machine(const struct bench *b,
				       unsigned int ncpus, unsigned int flags);

/* The vCPU whose worker is pinned to host CPU @cpu; dies if none is. */
unsigned int bench_vcpu_on(struct usoftirq_machine *m, int cpu);

/*
 * A tasklet that keeps its vCPU's worker busy: its callback spins for
 * @chunk_ns and schedules itself again, until stopped. The worker thus
 * never sleeps, and other tasklets queued on the vCPU run between two
 * chunks (in the next pass of the softirq loop), as behind any running
 * callback.
 */
struct bench_busy_tasklet {
	struct usoftirq_tasklet tasklet;
	atomic_bool stop;
	uint64_t chunk_ns;
	_Atomic uint64_t runs;
};

/* Start it on the calling thread's vCPU (bind the caller first). */
void bench_busy_start(struct bench_busy_tasklet *bt, uint64_t chunk_ns);

/* Stop it and wait until it is idle. */
void bench_busy_stop(struct bench_busy_tasklet *bt);

#endif /* BENCH_USQ_H */
