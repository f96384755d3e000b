/* SPDX-License-Identifier: MIT */
/* Peer: liburcu wfcqueue + futex worker; see peer_wfcq.h. */
#include "bench.h"
#include "futex.h"
#include "peer_wfcq.h"

void wfq_item_init(struct wfq_item *it, void (*fn)(struct wfq_item *it))
{
	cds_wfcq_node_init(&it->node);
	atomic_init(&it->pending, 0);
	it->fn = fn;
}

/* Nothing queued: announce the sleep, look again, sleep. */
static void idle(struct wfq *q)
{
	atomic_store(&q->sleeping, 1);
	if (!cds_wfcq_empty(&q->head, &q->tail) || atomic_load(&q->stop)) {
		atomic_store(&q->sleeping, 0);
		return;
	}
	while (atomic_load(&q->sleeping))
		bench_futex_wait(&q->sleeping, 1);
}

static void *worker(void *arg)
{
	struct wfq *q = arg;

	bench_pin_self(q->cpu);
	atomic_store(&q->tid, bench_gettid());
	for (;;) {
		struct cds_wfcq_node *node =
			__cds_wfcq_dequeue_blocking(&q->head, &q->tail);
		struct wfq_item *it;

		if (!node) {
			if (atomic_load(&q->stop))
				break;
			idle(q);
			continue;
		}
		it = caa_container_of(node, struct wfq_item, node);
		atomic_store(&it->pending, 0);
		it->fn(it);
	}
	return NULL;
}

void wfq_start(struct wfq *q, int cpu)
{
	cds_wfcq_init(&q->head, &q->tail);
	atomic_init(&q->sleeping, 0);
	atomic_init(&q->stop, false);
	q->cpu = cpu;
	atomic_init(&q->tid, 0);
	if (pthread_create(&q->thread, NULL, worker, q))
		bench_die("wfq: pthread_create failed");
	while (!atomic_load(&q->tid))
		bench_cpu_relax();
}

static void wake(struct wfq *q)
{
	if (atomic_load(&q->sleeping) && atomic_exchange(&q->sleeping, 0))
		bench_futex_wake(&q->sleeping, 1);
}

void wfq_schedule(struct wfq *q, struct wfq_item *it)
{
	if (atomic_load_explicit(&it->pending, memory_order_relaxed) ||
	    atomic_exchange(&it->pending, 1))
		return;
	cds_wfcq_node_init(&it->node);
	cds_wfcq_enqueue(&q->head, &q->tail, &it->node);
	wake(q);
}

struct drain_item {
	struct wfq_item item;
	atomic_int done;
};

static void drain_fn(struct wfq_item *it)
{
	struct drain_item *d = caa_container_of(it, struct drain_item, item);

	atomic_store_explicit(&d->done, 1, memory_order_release);
}

void wfq_drain(struct wfq *q)
{
	struct drain_item d;

	wfq_item_init(&d.item, drain_fn);
	atomic_init(&d.done, 0);
	wfq_schedule(q, &d.item);
	while (!atomic_load_explicit(&d.done, memory_order_acquire))
		bench_cpu_relax();
}

void wfq_stop(struct wfq *q)
{
	atomic_store(&q->stop, true);
	atomic_store(&q->sleeping, 0);
	bench_futex_wake(&q->sleeping, 1);
	pthread_join(q->thread, NULL);
	cds_wfcq_destroy(&q->head, &q->tail);
}
