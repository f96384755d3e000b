/* SPDX-License-Identifier: MIT */
/*
 * Peer: a mutex + condition variable work queue with one worker thread,
 * written the way a user would write it without usoftirq.
 *
 * An item carries a pending flag, so that scheduling an item that is
 * already queued does nothing (the same coalescing a tasklet has, and
 * what keeps an item from being linked twice): a load first, then an
 * exchange, as libuv does for uv_async_send(). The schedule takes the
 * mutex, appends, signals the condition variable and unlocks; the worker
 * takes one item at a time under the mutex, clears its flag and calls it
 * with the mutex released.
 */
#ifndef BENCH_PEER_MCQ_H
#define BENCH_PEER_MCQ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

struct mcq_item {
	struct mcq_item *next;
	atomic_int pending;
	void (*fn)(struct mcq_item *it);
};

struct mcq {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct mcq_item *head, *tail;
	bool stop;
	pthread_t thread;
	int cpu;
	_Atomic pid_t tid;
};

void mcq_item_init(struct mcq_item *it, void (*fn)(struct mcq_item *it));

/* Start the worker, pinned to @cpu. */
void mcq_start(struct mcq *q, int cpu);

/* Queue @it unless it is queued already. Any thread. */
void mcq_schedule(struct mcq *q, struct mcq_item *it);

/* Wait until everything queued before the call has run. */
void mcq_drain(struct mcq *q);

/* Stop and join the worker (items still queued do not run). */
void mcq_stop(struct mcq *q);

#endif /* BENCH_PEER_MCQ_H */
