/* SPDX-License-Identifier: MIT */
/*
 * Peer: liburcu's wait-free concurrent queue (wfcqueue) with one worker
 * thread that sleeps on a futex, written plainly: what a user who knows
 * liburcu would build instead of usoftirq.
 *
 * Items coalesce as in peer_mcq.h (pending flag: load, then exchange).
 * Schedule: enqueue (an exchange on the tail), then, if the worker says
 * it sleeps, clear that flag with an exchange and FUTEX_WAKE it. Worker:
 * dequeue one item at a time; when the queue is empty, set the sleeping
 * flag, check the queue once more (Dekker pair with the enqueue, both
 * sides full barriers) and FUTEX_WAIT. The queue functions are called
 * through liburcu's shared library, as usoftirq calls them. Head and tail
 * are on separate cache lines, as liburcu recommends.
 */
#ifndef BENCH_PEER_WFCQ_H
#define BENCH_PEER_WFCQ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>
#include <urcu/wfcqueue.h>

struct wfq_item {
	struct cds_wfcq_node node;
	atomic_int pending;
	void (*fn)(struct wfq_item *it);
};

struct wfq {
	struct cds_wfcq_head head __attribute__((aligned(64)));
	struct cds_wfcq_tail tail __attribute__((aligned(64)));
	_Atomic uint32_t sleeping __attribute__((aligned(64)));
	atomic_bool stop;
	pthread_t thread;
	int cpu;
	_Atomic pid_t tid;
};

void wfq_item_init(struct wfq_item *it, void (*fn)(struct wfq_item *it));
void wfq_start(struct wfq *q, int cpu);
void wfq_schedule(struct wfq *q, struct wfq_item *it);
void wfq_drain(struct wfq *q);
void wfq_stop(struct wfq *q);

#endif /* BENCH_PEER_WFCQ_H */
