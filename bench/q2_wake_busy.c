/* SPDX-License-Identifier: MIT */
/*
 * Q2. Schedule onto an awake, busy worker.
 *
 * What it measures: what a schedule costs the sender when the worker is
 * awake (no wake-up is needed, so no system call should be made), and how
 * long the work then waits before it runs.
 *
 * How: the sender and the worker are pinned to two CPUs. Three scenarios,
 * each with usoftirq (tasklets), the mutex + condition variable queue and
 * the liburcu wfcqueue + futex worker (common/jobq.h), interleaved:
 *
 *  sender cost, worker in a long callback
 *      The worker is held in a callback (awake, taking nothing new). The
 *      sender writes the payload of 64 distinct idle items (untimed: the
 *      sender owns their cache lines, as a driver that has just filled in
 *      its object), then times the 64 schedule calls; one sample is the
 *      batch's mean. 16 batches per round, then the worker is released
 *      and every item is checked to have run exactly once per round.
 *      System calls made by the sender during the batches are counted
 *      (common/syscount.h). Floor: an atomic fetch_or on a local line,
 *      batched the same way.
 *  sender cost, worker busy with a stream
 *      The worker runs 1 us chunks of other work back to back; the sender
 *      times batches of 64 schedules of items that the worker ran last
 *      (their lines move between the CPUs) and waits for them to run.
 *  latency to callback, worker busy
 *      Same background work; one item is scheduled at a random moment and
 *      the time to its callback is sampled. Floor: a thread doing the
 *      same 1 us chunks that polls a flag between them.
 *
 * Goal: in the first scenario, usoftirq's p50 cost <= 3x the atomic RMW,
 * with no system call. The latency is reported (no goal).
 */
#include <pthread.h>
#include <stdio.h>

#include "common/bench.h"
#include "common/cost.h"
#include "common/futex.h"
#include "common/jobq.h"
#include "common/latency.h"
#include "common/syscount.h"

static const struct bench_spec spec = {
	.id = "Q2",
	.slug = "q2_wake_busy",
	.title = "Schedule onto an awake busy worker",
	.method = "Sender cost in batches of 64 schedules of distinct items "
		  "with the worker awake (held in a callback / running 1 us "
		  "chunks); latency to the callback behind 1 us chunks.",
	.samples = 10000,
	.quick_samples = 1000,
	.min_cpus = 2,
};

#define SC_HELD "sender cost: worker in a long callback"
#define SC_STREAM "sender cost: worker busy with a stream"
#define SC_LAT "latency to callback: worker busy"

#define BATCH 64 /* schedules per sample */
#define BATCHES_PER_ROUND 16
#define CHUNK_NS 1000 /* the busy worker's chunks of other work */
#define MAX_GAP_NS 5000 /* latency: random wait before each sample */
#define NKINDS 3

static const char *const usoftirq_name = "usoftirq tasklet_schedule";

static const char *subject_name(enum jq_kind k)
{
	return k == JQ_USOFTIRQ ? usoftirq_name : jq_kind_name(k);
}

static enum bench_role subject_role(enum jq_kind k)
{
	return k == JQ_USOFTIRQ ? BENCH_SUBJECT : BENCH_PEER;
}

/* ------------------------------------------------------------------ */
/* Floor: atomic RMW on a local line                                   */
/* ------------------------------------------------------------------ */

static _Atomic unsigned long local_line __attribute__((aligned(64)));

static void rmw_batch(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++)
		atomic_fetch_or(&local_line, 1ul << (i & 31));
}

static void add_rmw_floor(struct bench *b, const char *scenario,
			  unsigned int batches)
{
	struct cost_subject s = { .name = "atomic RMW (local line)",
				  .role = BENCH_FLOOR,
				  .run = rmw_batch };

	cost_run(b,
		 &(struct cost_plan){ .scenario = scenario,
				      .batches = batches,
				      .blocks = 1 },
		 &s, 1);
}

/* ------------------------------------------------------------------ */
/* Sender cost, worker held in a callback                              */
/* ------------------------------------------------------------------ */

struct held {
	struct jq q;
	struct bench_samples samples;
	struct bench_syscount sc;
	uint64_t syscalls, calls;
	uint64_t rounds;
};

static double timed_batch(struct jq *q, unsigned int first)
{
	uint64_t t0, t1;

	for (unsigned int i = first; i < first + BATCH; i++)
		q->items[i].payload++;
	t0 = bench_now_ns();
	for (unsigned int i = first; i < first + BATCH; i++)
		jq_schedule(q, &q->items[i]);
	t1 = bench_now_ns();
	return (double)(t1 - t0) / BATCH;
}

static void held_round(struct held *h)
{
	struct jq *q = &h->q;

	jq_block(q);
	bench_syscount_start(&h->sc);
	for (unsigned int k = 0; k < BATCHES_PER_ROUND; k++)
		bench_samples_add(&h->samples, timed_batch(q, k * BATCH));
	h->syscalls += bench_syscount_stop(&h->sc);
	h->calls += BATCHES_PER_ROUND * BATCH;
	jq_unblock(q);
	jq_drain(q);
	h->rounds++;
	for (unsigned int i = 0; i < q->nitems; i++)
		bench_check(atomic_load(&q->items[i].runs) == h->rounds,
			    "%s: item %u ran %llu times in %llu rounds",
			    q->name, i,
			    (unsigned long long)atomic_load(&q->items[i].runs),
			    (unsigned long long)h->rounds);
}

static void run_held(struct bench *b, unsigned int batches)
{
	static struct held h[NKINDS];
	unsigned int rounds =
		(batches + BATCHES_PER_ROUND - 1) / BATCHES_PER_ROUND;
	bool counted = true;

	for (int k = 0; k < NKINDS; k++) {
		jq_start(&h[k].q, (enum jq_kind)k, b, b->target_cpu,
			 BATCH * BATCHES_PER_ROUND);
		jq_enter(&h[k].q);
		bench_samples_init(&h[k].samples, rounds * BATCHES_PER_ROUND);
		counted = bench_syscount_open(&h[k].sc) && counted;
		held_round(&h[k]); /* warm-up */
		h[k].samples.n = 0;
		h[k].syscalls = h[k].calls = 0;
	}
	for (unsigned int r = 0; r < rounds; r++)
		for (int k = 0; k < NKINDS; k++)
			held_round(&h[(k + r) % NKINDS]);
	add_rmw_floor(b, SC_HELD, rounds * BATCHES_PER_ROUND);
	for (int k = 0; k < NKINDS; k++) {
		struct bench_row *row = bench_add_dist(
			b, SC_HELD, subject_name((enum jq_kind)k),
			subject_role((enum jq_kind)k), "ns", &h[k].samples);

		if (counted)
			bench_row_extra(row, "syscalls/call",
					(double)h[k].syscalls / h[k].calls);
		if (k == JQ_USOFTIRQ && counted)
			bench_goal_value(b, SC_HELD, usoftirq_name,
					 "system calls per schedule",
					 (double)h[k].syscalls / h[k].calls,
					 true, 0);
		bench_samples_free(&h[k].samples);
		jq_leave(&h[k].q);
		jq_stop(&h[k].q);
	}
	if (!counted)
		bench_scenario_note(b, SC_HELD, "system calls not counted: %s",
				    h[0].sc.why);
	for (int k = 0; k < NKINDS; k++)
		bench_syscount_close(&h[k].sc);
	bench_goal(b, SC_HELD, usoftirq_name, BENCH_P50, BENCH_VS_FLOOR, NULL,
		   true, 3.0);
}

/* ------------------------------------------------------------------ */
/* Sender cost, worker busy with a stream                              */
/* ------------------------------------------------------------------ */

static void stream_batch(struct jq *q, struct bench_samples *s)
{
	uint64_t before = atomic_load(&q->runs), t0, t1;

	t0 = bench_now_ns();
	for (unsigned int i = 0; i < BATCH; i++)
		jq_schedule(q, &q->items[i]);
	t1 = bench_now_ns();
	bench_samples_add(s, (double)(t1 - t0) / BATCH);
	while (atomic_load(&q->runs) < before + BATCH)
		bench_cpu_relax();
}

static void run_stream(struct bench *b, unsigned int batches)
{
	static struct jq q[NKINDS];
	struct bench_samples s[NKINDS];
	unsigned int per_block = batches / 10 + 1;

	for (int k = 0; k < NKINDS; k++) {
		jq_start(&q[k], (enum jq_kind)k, b, b->target_cpu, BATCH);
		bench_samples_init(&s[k], batches);
	}
	while (s[0].n < batches) {
		for (int k = 0; k < NKINDS; k++) {
			jq_enter(&q[k]);
			jq_busy_start(&q[k], CHUNK_NS);
			for (unsigned int i = 0; i < per_block; i++)
				stream_batch(&q[k], &s[k]);
			jq_busy_stop(&q[k]);
			jq_drain(&q[k]);
			jq_leave(&q[k]);
		}
	}
	add_rmw_floor(b, SC_STREAM, batches);
	for (int k = 0; k < NKINDS; k++) {
		bench_check(atomic_load(&q[k].runs) == s[k].n * BATCH,
			    "%s: %llu runs for %zu schedules", q[k].name,
			    (unsigned long long)atomic_load(&q[k].runs),
			    s[k].n * BATCH);
		bench_add_dist(b, SC_STREAM, subject_name((enum jq_kind)k),
			       subject_role((enum jq_kind)k), "ns", &s[k]);
		bench_samples_free(&s[k]);
		jq_stop(&q[k]);
	}
}

/* ------------------------------------------------------------------ */
/* Latency behind a busy worker                                        */
/* ------------------------------------------------------------------ */

/* Floor: a thread that does the same chunks and polls a flag between
 * them, asleep (futex) outside the blocks. */
struct poller {
	atomic_int active, flag;
	atomic_bool quit;
	struct bench_stamp stamp;
	pthread_t thread;
	int cpu;
};

static void *poll_loop(void *arg)
{
	struct poller *p = arg;

	bench_pin_self(p->cpu);
	while (!atomic_load(&p->quit)) {
		if (!atomic_load(&p->active)) {
			bench_futex_wait(&p->active, 0);
			continue;
		}
		bench_spin_ns(CHUNK_NS);
		/* Take the flag before stamping: once stamped, the sender
		 * may fire the next sample at once, and clearing the flag
		 * after the stamp would lose it. */
		if (atomic_load_explicit(&p->flag, memory_order_relaxed) &&
		    atomic_exchange_explicit(&p->flag, 0, memory_order_acquire))
			bench_stamp_hit(&p->stamp);
	}
	return NULL;
}

static void poller_fire(void *ctx)
{
	atomic_store_explicit(&((struct poller *)ctx)->flag, 1,
			      memory_order_release);
}

static void poller_begin(void *ctx)
{
	struct poller *p = ctx;

	atomic_store(&p->active, 1);
	bench_futex_wake(&p->active, 1);
}

static void poller_end(void *ctx)
{
	atomic_store(&((struct poller *)ctx)->active, 0);
}

struct lat_q {
	struct jq q;
	struct bench_stamp stamp;
};

static void lat_hook(struct jq *q, struct jq_item *it)
{
	(void)it;
	bench_stamp_hit(&((struct lat_q *)q->ctx)->stamp);
}

static void lat_fire(void *ctx)
{
	struct lat_q *l = ctx;

	jq_schedule(&l->q, &l->q.items[0]);
}

static void lat_begin(void *ctx)
{
	jq_busy_start(&((struct lat_q *)ctx)->q, CHUNK_NS);
}

static void lat_end(void *ctx)
{
	jq_busy_stop(&((struct lat_q *)ctx)->q);
}

static void run_latency(struct bench *b)
{
	static struct poller p;
	static struct lat_q l[NKINDS];
	struct lat_subject subs[NKINDS + 1];

	p.cpu = b->target_cpu;
	if (pthread_create(&p.thread, NULL, poll_loop, &p))
		bench_die("pthread_create failed");
	subs[0] = (struct lat_subject){ .name = "polling thread (1 us chunks)",
					.role = BENCH_FLOOR,
					.ctx = &p,
					.fire = poller_fire,
					.block_begin = poller_begin,
					.block_end = poller_end,
					.stamp = &p.stamp };
	for (int k = 0; k < NKINDS; k++) {
		jq_start(&l[k].q, (enum jq_kind)k, b, b->target_cpu, 1);
		l[k].q.hook = lat_hook;
		l[k].q.ctx = &l[k];
		subs[k + 1] = (struct lat_subject){
			.name = subject_name((enum jq_kind)k),
			.role = subject_role((enum jq_kind)k),
			.ctx = &l[k],
			.fire = lat_fire,
			.block_begin = lat_begin,
			.block_end = lat_end,
			.stamp = &l[k].stamp
		};
	}
	/* The sender schedules usoftirq tasklets on the worker's vCPU. */
	jq_enter(&l[JQ_USOFTIRQ].q);
	lat_run(b,
		&(struct lat_plan){ .scenario = SC_LAT,
				    .samples = b->samples,
				    .warmup = b->samples / 20 + 5,
				    .blocks = 10,
				    .max_gap_ns = MAX_GAP_NS,
				    .cdf = true },
		subs, NKINDS + 1);
	jq_leave(&l[JQ_USOFTIRQ].q);
	for (int k = 0; k < NKINDS; k++)
		jq_stop(&l[k].q);
	atomic_store(&p.quit, true);
	poller_begin(&p);
	pthread_join(p.thread, NULL);
	bench_scenario_note(b, SC_LAT,
			    "the worker runs %d ns chunks of other work back "
			    "to back; samples start at random moments",
			    CHUNK_NS);
}

int main(int argc, char **argv)
{
	struct bench b;
	unsigned int batches;

	bench_init(&b, &spec, argc, argv);
	batches = b.samples / 4 + 1;
	bench_progress(&b, "sender cost, worker held in a callback");
	run_held(&b, batches);
	bench_progress(&b, "sender cost, worker busy with a stream");
	run_stream(&b, batches);
	bench_progress(&b, "latency, worker busy");
	run_latency(&b);
	return bench_finish(&b);
}
