/* SPDX-License-Identifier: MIT */
/* One interface over usoftirq and the queue peers; see jobq.h. */
#include <stdlib.h>
#include <string.h>

#include "jobq.h"
#include "usq.h"

const char *jq_kind_name(enum jq_kind kind)
{
	static const char *const names[] = { "usoftirq tasklets",
					     "mutex+condvar queue",
					     "wfcqueue+futex worker" };

	return names[kind];
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                           */
/* ------------------------------------------------------------------ */

static void ran_work(struct jq *q, struct jq_item *it)
{
	atomic_store_explicit(
		&it->seen, atomic_load_explicit(&it->gen, memory_order_relaxed),
		memory_order_relaxed);
	atomic_store_explicit(
		&it->runs,
		atomic_load_explicit(&it->runs, memory_order_relaxed) + 1,
		memory_order_relaxed);
	atomic_store_explicit(
		&q->runs,
		atomic_load_explicit(&q->runs, memory_order_relaxed) + 1,
		memory_order_relaxed);
	if (q->hook)
		q->hook(q, it);
}

static void ran(struct jq_item *it)
{
	struct jq *q = it->q;

	switch (it->kind) {
	case JQ_WORK:
		ran_work(q, it);
		break;
	case JQ_BUSY:
		bench_spin_ns(q->busy_chunk_ns);
		if (!atomic_load_explicit(&q->busy_stop, memory_order_relaxed))
			jq_schedule(q, it);
		break;
	case JQ_BLOCK:
		atomic_store(&q->block_started, true);
		while (!atomic_load(&q->block_release))
			bench_cpu_relax();
		break;
	}
}

static void usq_cb(struct usoftirq_tasklet *t)
{
	ran(bench_container_of(t, struct jq_item, u.tasklet));
}

static void mcq_cb(struct mcq_item *m)
{
	ran(bench_container_of(m, struct jq_item, u.mcq));
}

static void wfq_cb(struct wfq_item *w)
{
	ran(bench_container_of(w, struct jq_item, u.wfq));
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

static void item_init(struct jq *q, struct jq_item *it, enum jq_item_kind k)
{
	memset(it, 0, sizeof(*it));
	it->q = q;
	it->kind = k;
	switch (q->kind) {
	case JQ_USOFTIRQ:
		usoftirq_tasklet_setup(&it->u.tasklet, usq_cb);
		break;
	case JQ_MCQ:
		mcq_item_init(&it->u.mcq, mcq_cb);
		break;
	case JQ_WFCQ:
		wfq_item_init(&it->u.wfq, wfq_cb);
		break;
	}
}

void jq_start(struct jq *q, enum jq_kind kind, const struct bench *b, int cpu,
	      unsigned int nitems)
{
	memset(q, 0, sizeof(*q));
	q->kind = kind;
	q->name = jq_kind_name(kind);
	q->nitems = nitems;
	q->items = aligned_alloc(64, nitems * sizeof(*q->items));
	if (!q->items)
		bench_die("out of memory");
	for (unsigned int i = 0; i < nitems; i++)
		item_init(q, &q->items[i], JQ_WORK);
	item_init(q, &q->busy, JQ_BUSY);
	item_init(q, &q->block, JQ_BLOCK);
	switch (kind) {
	case JQ_USOFTIRQ:
		q->m = bench_machine(b, 0, 0);
		q->vcpu = bench_vcpu_on(q->m, cpu);
		break;
	case JQ_MCQ:
		mcq_start(&q->mcq, cpu);
		break;
	case JQ_WFCQ:
		wfq_start(&q->wfq, cpu);
		break;
	}
}

void jq_stop(struct jq *q)
{
	switch (q->kind) {
	case JQ_USOFTIRQ:
		for (unsigned int i = 0; i < q->nitems; i++)
			usoftirq_tasklet_kill(&q->items[i].u.tasklet);
		usoftirq_tasklet_kill(&q->busy.u.tasklet);
		usoftirq_tasklet_kill(&q->block.u.tasklet);
		usoftirq_machine_destroy(q->m);
		break;
	case JQ_MCQ:
		mcq_stop(&q->mcq);
		break;
	case JQ_WFCQ:
		wfq_stop(&q->wfq);
		break;
	}
	free(q->items);
}

void jq_enter(struct jq *q)
{
	if (q->kind == JQ_USOFTIRQ && usoftirq_thread_bind(q->m, q->vcpu))
		bench_die("usoftirq_thread_bind failed");
}

void jq_leave(struct jq *q)
{
	if (q->kind == JQ_USOFTIRQ)
		usoftirq_thread_unbind();
}

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

void jq_schedule(struct jq *q, struct jq_item *it)
{
	switch (q->kind) {
	case JQ_USOFTIRQ:
		usoftirq_tasklet_schedule(&it->u.tasklet);
		break;
	case JQ_MCQ:
		mcq_schedule(&q->mcq, &it->u.mcq);
		break;
	case JQ_WFCQ:
		wfq_schedule(&q->wfq, &it->u.wfq);
		break;
	}
}

void jq_drain(struct jq *q)
{
	switch (q->kind) {
	case JQ_USOFTIRQ:
		usoftirq_machine_quiesce(q->m);
		break;
	case JQ_MCQ:
		mcq_drain(&q->mcq);
		break;
	case JQ_WFCQ:
		wfq_drain(&q->wfq);
		break;
	}
}

void jq_busy_start(struct jq *q, uint64_t chunk_ns)
{
	q->busy_chunk_ns = chunk_ns;
	atomic_store(&q->busy_stop, false);
	jq_schedule(q, &q->busy);
}

/*
 * Wait until the busy item has stopped rescheduling itself. A peer's busy
 * item that read the flag just before it was set queues itself once more,
 * possibly behind the first drain's marker: the second drain waits for
 * that last run. usoftirq's kill does the same in one call.
 */
void jq_busy_stop(struct jq *q)
{
	atomic_store(&q->busy_stop, true);
	if (q->kind == JQ_USOFTIRQ) {
		usoftirq_tasklet_kill(&q->busy.u.tasklet);
		return;
	}
	jq_drain(q);
	jq_drain(q);
}

void jq_block(struct jq *q)
{
	atomic_store(&q->block_release, false);
	atomic_store(&q->block_started, false);
	jq_schedule(q, &q->block);
	while (!atomic_load(&q->block_started))
		bench_cpu_relax();
}

void jq_unblock(struct jq *q)
{
	atomic_store(&q->block_release, true);
}

pid_t jq_worker_tid(const struct jq *q)
{
	switch (q->kind) {
	case JQ_USOFTIRQ:
		return usoftirq_machine_worker_tid(q->m, q->vcpu);
	case JQ_MCQ:
		return atomic_load(&q->mcq.tid);
	case JQ_WFCQ:
		return atomic_load(&q->wfq.tid);
	}
	return 0;
}
