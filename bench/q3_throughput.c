/* SPDX-License-Identifier: MIT */
/*
 * Q3. Throughput with many distinct tasklets.
 *
 * What it measures: callbacks per second that one worker delivers when
 * producers keep scheduling 1, 64 or 4096 distinct items, with one and
 * with several producer threads.
 *
 * How: one worker pinned to the target CPU; producers pinned round-robin
 * to the other usable CPUs (on a 2-CPU machine the several producers
 * share one CPU). Each producer owns an equal slice of the items (all of
 * them share the single item when there is one) and schedules them in
 * turn, as fast as it can, until told to stop; a schedule of an item that
 * is still queued coalesces, as a tasklet's does. After a warm-up the
 * worker's run counter is read twice, --seconds apart; the throughput is
 * the median over --reps repetitions, measured in interleaved order.
 * After every repetition the producers stop, the sender bumps every
 * item's generation and schedules it once more, the queue is drained, and
 * every item's last run is checked to have seen its last generation (no
 * schedule lost) and the worker's count to equal the items' counts.
 *
 *   peer      mutex + condition variable queue (common/peer_mcq.h)
 *   peer      liburcu wfcqueue + futex worker (common/peer_wfcq.h)
 *   usoftirq  tasklets, producers bound to the worker's vCPU
 *
 * The "schedules/callback" column is the producers' calls per callback
 * over the whole repetition: how much coalescing took place.
 *
 * Goal: usoftirq >= 3x the mutex + condition variable queue.
 */
#include <pthread.h>
#include <stdio.h>

#include "common/bench.h"
#include "common/jobq.h"

static const struct bench_spec spec = {
	.id = "Q3",
	.slug = "q3_throughput",
	.title = "Throughput with many distinct tasklets",
	.method = "Producers schedule their slice of 1/64/4096 items in turn "
		  "as fast as they can; callbacks per second of one worker; "
		  "median of --reps repetitions of --seconds.",
	.seconds = 0.2,
	.quick_seconds = 0.05,
	.reps = 5,
	.quick_reps = 2,
	.samples = 1,
	.quick_samples = 1,
	.min_cpus = 2,
};

#define NKINDS 3
#define NSIZES 3
#define NPRODS 2
#define WARMUP_NS 20000000ull

static const unsigned int sizes[NSIZES] = { 1, 64, 4096 };

struct producer {
	struct jq *q;
	unsigned int first, count;
	int cpu;
	atomic_bool *stop;
	uint64_t calls;
	pthread_t thread;
};

/* One measurement's inputs and outputs. */
struct run {
	enum jq_kind kind;
	unsigned int items, producers;
	double cbps[16]; /* per repetition */
	double calls_per_cb;
	unsigned int done;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	struct jq_item *items = p->q->items + p->first;
	uint64_t calls = 0;

	bench_pin_self(p->cpu);
	jq_enter(p->q);
	while (!atomic_load_explicit(p->stop, memory_order_relaxed)) {
		for (unsigned int i = 0; i < p->count; i++)
			jq_schedule(p->q, &items[i]);
		calls += p->count;
	}
	jq_leave(p->q);
	p->calls = calls;
	return NULL;
}

static int producer_cpu(const struct bench *b, unsigned int j)
{
	int others[BENCH_MAX_CPUS], n = 0;

	for (int i = 0; i < b->ncpus; i++)
		if (b->cpus[i] != b->target_cpu)
			others[n++] = b->cpus[i];
	return others[j % (unsigned int)n];
}

static void start_producers(const struct bench *b, struct jq *q,
			    struct producer *p, unsigned int np,
			    atomic_bool *stop)
{
	unsigned int per = q->nitems / np;

	for (unsigned int j = 0; j < np; j++) {
		p[j] = (struct producer){ .q = q,
					  .cpu = producer_cpu(b, j),
					  .stop = stop };
		p[j].first = q->nitems == 1 ? 0 : j * per;
		p[j].count = q->nitems == 1 ? 1 :
			     j == np - 1    ? q->nitems - j * per :
					      per;
		if (pthread_create(&p[j].thread, NULL, produce, &p[j]))
			bench_die("pthread_create failed");
	}
}

/* Every item's last schedule ran, and the counts agree. */
static void validate(struct jq *q)
{
	uint64_t sum = 0;

	jq_enter(q);
	for (unsigned int i = 0; i < q->nitems; i++) {
		atomic_fetch_add(&q->items[i].gen, 1);
		jq_schedule(q, &q->items[i]);
	}
	jq_drain(q);
	jq_leave(q);
	for (unsigned int i = 0; i < q->nitems; i++) {
		bench_check(atomic_load(&q->items[i].seen) ==
				    atomic_load(&q->items[i].gen),
			    "%s: item %u's last schedule did not run", q->name,
			    i);
		sum += atomic_load(&q->items[i].runs);
	}
	bench_check(sum == atomic_load(&q->runs),
		    "%s: items ran %llu times, the worker counted %llu",
		    q->name, (unsigned long long)sum,
		    (unsigned long long)atomic_load(&q->runs));
}

static void measure(const struct bench *b, struct run *r)
{
	struct producer p[BENCH_MAX_CPUS];
	atomic_bool stop = false;
	uint64_t r0, r1, t0, t1, calls = 0;
	struct jq q;

	jq_start(&q, r->kind, b, b->target_cpu, r->items);
	start_producers(b, &q, p, r->producers, &stop);
	bench_sleep_ns(WARMUP_NS);
	t0 = bench_now_ns();
	r0 = atomic_load(&q.runs);
	bench_sleep_ns((uint64_t)(b->seconds * 1e9));
	r1 = atomic_load(&q.runs);
	t1 = bench_now_ns();
	atomic_store(&stop, true);
	for (unsigned int j = 0; j < r->producers; j++) {
		pthread_join(p[j].thread, NULL);
		calls += p[j].calls;
	}
	validate(&q);
	r->cbps[r->done++] = (double)(r1 - r0) * 1e3 / (double)(t1 - t0);
	r->calls_per_cb = (double)calls / (double)atomic_load(&q.runs);
	jq_stop(&q);
}

static void scenario_name(char *buf, size_t size, const struct run *r)
{
	snprintf(buf, size, "%u tasklet%s; %u producer%s", r->items,
		 r->items == 1 ? "" : "s", r->producers,
		 r->producers == 1 ? "" : "s");
}

static void report(struct bench *b, struct run *r)
{
	char sc[BENCH_NAME_LEN], series[BENCH_NAME_LEN];
	const char *name = r->kind == JQ_USOFTIRQ ? "usoftirq tasklets" :
						    jq_kind_name(r->kind);
	double med = bench_median(r->cbps, r->done);
	struct bench_row *row;

	scenario_name(sc, sizeof(sc), r);
	row = bench_add_value(b, sc, name,
			      r->kind == JQ_USOFTIRQ ? BENCH_SUBJECT :
						       BENCH_PEER,
			      "M/s", med, true);
	bench_row_extra(row, "schedules/callback", r->calls_per_cb);
	snprintf(series, sizeof(series), "%s; %u producer%s", name,
		 r->producers, r->producers == 1 ? "" : "s");
	bench_series_point(b, "q3_throughput", series, r->items, med);
	if (r->kind == JQ_USOFTIRQ)
		bench_goal(b, sc, name, BENCH_VALUE, BENCH_VS_ROW,
			   jq_kind_name(JQ_MCQ), false, 3.0);
}

int main(int argc, char **argv)
{
	static struct run runs[NSIZES][NPRODS][NKINDS];
	struct bench b;
	unsigned int several;

	bench_init(&b, &spec, argc, argv);
	several = b.ncpus - 1 > 2 ? (unsigned int)b.ncpus - 1 : 2;
	if (b.reps > 16)
		b.reps = 16;
	for (int s = 0; s < NSIZES; s++)
		for (int p = 0; p < NPRODS; p++)
			for (int k = 0; k < NKINDS; k++)
				runs[s][p][k] =
					(struct run){ .kind = (enum jq_kind)k,
						      .items = sizes[s],
						      .producers = p ? several :
								       1 };
	for (unsigned int rep = 0; rep < b.reps; rep++) {
		bench_progress(&b, "repetition %u of %u", rep + 1, b.reps);
		for (int s = 0; s < NSIZES; s++)
			for (int p = 0; p < NPRODS; p++)
				for (int k = 0; k < NKINDS; k++)
					measure(&b,
						&runs[s][p][(k + rep) % NKINDS]);
	}
	bench_figure(&b, "q3_throughput",
		     "Q3 callbacks per second of one worker",
		     "distinct tasklets (items)", "million callbacks/s", true);
	for (int s = 0; s < NSIZES; s++)
		for (int p = 0; p < NPRODS; p++)
			for (int k = 0; k < NKINDS; k++)
				report(&b, &runs[s][p][k]);
	return bench_finish(&b);
}
