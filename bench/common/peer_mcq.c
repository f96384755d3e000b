/* SPDX-License-Identifier: MIT */
/* Peer: mutex + condition variable work queue; see peer_mcq.h. */
#include "bench.h"
#include "peer_mcq.h"

void mcq_item_init(struct mcq_item *it, void (*fn)(struct mcq_item *it))
{
	it->next = NULL;
	atomic_init(&it->pending, 0);
	it->fn = fn;
}

/* Take the first item; the caller holds the lock. */
static struct mcq_item *pop(struct mcq *q)
{
	struct mcq_item *it = q->head;

	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	return it;
}

static void *worker(void *arg)
{
	struct mcq *q = arg;

	bench_pin_self(q->cpu);
	atomic_store(&q->tid, bench_gettid());
	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct mcq_item *it;

		while (!q->head && !q->stop)
			pthread_cond_wait(&q->cond, &q->lock);
		if (!q->head)
			break;
		it = pop(q);
		pthread_mutex_unlock(&q->lock);
		atomic_store(&it->pending, 0);
		it->fn(it);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

void mcq_start(struct mcq *q, int cpu)
{
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	q->head = q->tail = NULL;
	q->stop = false;
	q->cpu = cpu;
	atomic_init(&q->tid, 0);
	if (pthread_create(&q->thread, NULL, worker, q))
		bench_die("mcq: pthread_create failed");
	while (!atomic_load(&q->tid))
		bench_cpu_relax();
}

void mcq_schedule(struct mcq *q, struct mcq_item *it)
{
	if (atomic_load_explicit(&it->pending, memory_order_relaxed) ||
	    atomic_exchange(&it->pending, 1))
		return;
	it->next = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

struct drain_item {
	struct mcq_item item;
	atomic_int done;
};

static void drain_fn(struct mcq_item *it)
{
	struct drain_item *d = (struct drain_item *)it;

	atomic_store_explicit(&d->done, 1, memory_order_release);
}

void mcq_drain(struct mcq *q)
{
	struct drain_item d;

	mcq_item_init(&d.item, drain_fn);
	atomic_init(&d.done, 0);
	mcq_schedule(q, &d.item);
	while (!atomic_load_explicit(&d.done, memory_order_acquire))
		bench_cpu_relax();
}

void mcq_stop(struct mcq *q)
{
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
}
