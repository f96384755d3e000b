/* SPDX-License-Identifier: MIT */
/*
 * One interface over the three ways of handing work to a worker thread
 * that the throughput and busy-worker programs compare: usoftirq
 * tasklets, the mutex + condition variable queue (peer_mcq.h) and the
 * liburcu wfcqueue + futex worker (peer_wfcq.h). Each runs one worker
 * pinned to a given CPU, over an array of items with the same coalescing
 * semantics (scheduling an item that is already queued does nothing).
 *
 * An item's callback counts its runs and copies the item's generation
 * (gen, written by whoever schedules it) into seen, so that a program can
 * check at the end that the last schedule of every item was followed by
 * a run that saw it. Two special items exist on every queue: a busy item
 * whose callback spins for a chunk of time and schedules itself again
 * (the worker is awake and busy, and other items run between chunks), and
 * a blocker whose callback holds the worker until released (the worker
 * is awake but cannot take anything new).
 *
 * Dispatching on the kind costs every subject the same predictable branch.
 */
#ifndef BENCH_JOBQ_H
#define BENCH_JOBQ_H

#include <stdatomic.h>
#include <stdint.h>
#include <usoftirq.h>

#include "bench.h"
#include "peer_mcq.h"
#include "peer_wfcq.h"

enum jq_kind { JQ_USOFTIRQ, JQ_MCQ, JQ_WFCQ };

enum jq_item_kind { JQ_WORK, JQ_BUSY, JQ_BLOCK };

struct jq;

struct jq_item {
	union {
		struct usoftirq_tasklet tasklet;
		struct mcq_item mcq;
		struct wfq_item wfq;
	} u;
	struct jq *q;
	enum jq_item_kind kind;
	_Atomic uint64_t gen; /* written by schedulers */
	_Atomic uint64_t seen; /* written by the callback */
	_Atomic uint64_t runs; /* written by the callback */
	uint64_t payload; /* written by the sender, same cache line */
} __attribute__((aligned(64)));

struct jq {
	enum jq_kind kind;
	const char *name;
	struct jq_item *items;
	unsigned int nitems;
	/* Runs of work items, written only by the worker. */
	_Atomic uint64_t runs __attribute__((aligned(64)));
	/* Optional hook called by every work item's callback. */
	void (*hook)(struct jq *q, struct jq_item *it);
	void *ctx;
	/* Special items. */
	struct jq_item busy, block;
	uint64_t busy_chunk_ns;
	atomic_bool busy_stop, block_release, block_started;
	/* Back ends. */
	struct usoftirq_machine *m;
	unsigned int vcpu;
	struct mcq mcq;
	struct wfq wfq;
};

/* The display name of a kind ("usoftirq tasklets", ...). */
const char *jq_kind_name(enum jq_kind kind);

/*
 * Start a queue of @kind with @nitems work items and its worker on host
 * CPU @cpu. For usoftirq, a machine with one vCPU per usable CPU is
 * created and the vCPU whose worker runs on @cpu is used.
 */
void jq_start(struct jq *q, enum jq_kind kind, const struct bench *b, int cpu,
	      unsigned int nitems);

/* Stop the worker and free the items (after jq_drain()). */
void jq_stop(struct jq *q);

/* A thread that schedules on @q calls this first (usoftirq: binds it to
 * the worker's vCPU) and jq_leave() when done. */
void jq_enter(struct jq *q);
void jq_leave(struct jq *q);

/* Schedule work item @it (or a special one). */
void jq_schedule(struct jq *q, struct jq_item *it);

/* Wait until everything scheduled before the call has run. */
void jq_drain(struct jq *q);

/* Keep the worker busy with chunks of @chunk_ns; stop it again. */
void jq_busy_start(struct jq *q, uint64_t chunk_ns);
void jq_busy_stop(struct jq *q);

/* Hold the worker in a callback until jq_unblock() (returns once the
 * blocker runs). */
void jq_block(struct jq *q);
void jq_unblock(struct jq *q);

/* The worker's thread id. */
pid_t jq_worker_tid(const struct jq *q);

#endif /* BENCH_JOBQ_H */
