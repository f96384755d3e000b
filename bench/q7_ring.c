/* SPDX-License-Identifier: MIT */
/*
 * Q7. Ring: kfifo push/pop between two threads.
 *
 * What it measures: items per second through a single-producer,
 * single-consumer ring of 1024 eight-byte elements, with the producer and
 * the consumer pinned to two CPUs.
 *
 * How: the producer pushes the values 1..N, spinning while the ring is
 * full; the consumer pops them, spinning while it is empty, and checks
 * that every value arrives once and in order. The rate is N divided by
 * the time from the producer's start to the consumer's last pop; median
 * of --reps repetitions, subjects interleaved. N is --samples thousands.
 * Every subject is called through the same table of small functions (one
 * indirect call per operation each; the kfifo's then calls the library).
 *
 *   floor      a plain SPSC ring with cached indices (Rigtorp-style),
 *              inline in this file
 *   peer       Concurrency Kit ck_ring, ck_ring_enqueue_spsc /
 *              ck_ring_dequeue_spsc (skipped without libck-dev)
 *   usoftirq   usoftirq_kfifo_in / usoftirq_kfifo_out, one element at a
 *              time
 *   reference  the same kfifo, 16 elements per call
 *
 * Goal: the kfifo >= 0.8x ck_ring.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <usoftirq/kfifo.h>

#include "common/bench.h"

#ifdef BENCH_HAVE_CK
#include <ck_ring.h>
#endif

static const struct bench_spec spec = {
	.id = "Q7",
	.slug = "q7_ring",
	.title = "Ring: kfifo push/pop between two threads",
	.method = "SPSC transfer of N eight-byte items through a 1024-slot "
		  "ring between two pinned threads; order checked; median "
		  "of --reps; --samples is N in thousands.",
	.samples = 4000,
	.quick_samples = 400,
	.reps = 5,
	.quick_reps = 2,
	.min_cpus = 2,
};

#define SCENARIO "SPSC; 1024 slots; 8-byte items"
#define RING_SIZE 1024u
#define BURST 16u
#define MAX_REPS 16
#define KFIFO_NAME "usoftirq kfifo"
#define CK_NAME "ck_ring SPSC"

struct ring_ops {
	const char *name;
	enum bench_role role;
	unsigned int burst;
	void *(*create)(void);
	unsigned int (*push)(void *r, const uint64_t *v, unsigned int n);
	unsigned int (*pop)(void *r, uint64_t *v, unsigned int n);
	void (*destroy)(void *r);
	double rates[MAX_REPS];
};

/* ------------------------------------------------------------------ */
/* Floor: a plain SPSC ring with cached indices                        */
/* ------------------------------------------------------------------ */

struct spsc {
	_Atomic uint64_t head __attribute__((aligned(64))); /* consumer */
	uint64_t tail_seen; /* consumer's copy of tail */
	_Atomic uint64_t tail __attribute__((aligned(64))); /* producer */
	uint64_t head_seen; /* producer's copy of head */
	uint64_t slots[RING_SIZE] __attribute__((aligned(64)));
};

static void *spsc_create(void)
{
	struct spsc *r = aligned_alloc(64, sizeof(struct spsc));

	if (!r)
		bench_die("out of memory");
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	r->head_seen = r->tail_seen = 0;
	return r;
}

static unsigned int spsc_push(void *ring, const uint64_t *v, unsigned int n)
{
	struct spsc *r = ring;
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);

	(void)n;
	if (t - r->head_seen == RING_SIZE) {
		r->head_seen =
			atomic_load_explicit(&r->head, memory_order_acquire);
		if (t - r->head_seen == RING_SIZE)
			return 0;
	}
	r->slots[t % RING_SIZE] = *v;
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	return 1;
}

static unsigned int spsc_pop(void *ring, uint64_t *v, unsigned int n)
{
	struct spsc *r = ring;
	uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);

	(void)n;
	if (h == r->tail_seen) {
		r->tail_seen =
			atomic_load_explicit(&r->tail, memory_order_acquire);
		if (h == r->tail_seen)
			return 0;
	}
	*v = r->slots[h % RING_SIZE];
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
	return 1;
}

/* ------------------------------------------------------------------ */
/* usoftirq kfifo                                                      */
/* ------------------------------------------------------------------ */

static void *kfifo_create(void)
{
	struct usoftirq_kfifo *f = malloc(sizeof(*f));

	if (!f || usoftirq_kfifo_alloc(f, RING_SIZE, sizeof(uint64_t)))
		bench_die("usoftirq_kfifo_alloc failed");
	return f;
}

static unsigned int kfifo_push(void *ring, const uint64_t *v, unsigned int n)
{
	return usoftirq_kfifo_in(ring, v, n);
}

static unsigned int kfifo_pop(void *ring, uint64_t *v, unsigned int n)
{
	return usoftirq_kfifo_out(ring, v, n);
}

static void kfifo_destroy(void *ring)
{
	usoftirq_kfifo_free(ring);
	free(ring);
}

/* ------------------------------------------------------------------ */
/* ck_ring                                                             */
/* ------------------------------------------------------------------ */

#ifdef BENCH_HAVE_CK
struct ckr {
	struct ck_ring ring;
	struct ck_ring_buffer buf[RING_SIZE];
};

static void *ck_create(void)
{
	struct ckr *r = aligned_alloc(64, sizeof(struct ckr));

	if (!r)
		bench_die("out of memory");
	ck_ring_init(&r->ring, RING_SIZE);
	return r;
}

static unsigned int ck_push(void *ring, const uint64_t *v, unsigned int n)
{
	struct ckr *r = ring;

	(void)n;
	return ck_ring_enqueue_spsc(&r->ring, r->buf, (void *)(uintptr_t)*v);
}

static unsigned int ck_pop(void *ring, uint64_t *v, unsigned int n)
{
	struct ckr *r = ring;
	void *p;

	(void)n;
	if (!ck_ring_dequeue_spsc(&r->ring, r->buf, &p))
		return 0;
	*v = (uint64_t)(uintptr_t)p;
	return 1;
}
#endif

/* ------------------------------------------------------------------ */
/* One transfer                                                        */
/* ------------------------------------------------------------------ */

struct transfer {
	const struct ring_ops *ops;
	void *ring;
	uint64_t n;
	int cpu;
	uint64_t end_ns;
	uint64_t bad; /* first out-of-order value + 1, or 0 */
};

static void *consume(void *arg)
{
	struct transfer *x = arg;
	uint64_t buf[BURST], expect = 1;

	bench_pin_self(x->cpu);
	while (expect <= x->n) {
		unsigned int k = x->ops->pop(x->ring, buf, x->ops->burst);

		if (!k) {
			bench_cpu_relax();
			continue;
		}
		for (unsigned int i = 0; i < k; i++, expect++)
			if (buf[i] != expect && !x->bad)
				x->bad = buf[i] + 1;
	}
	x->end_ns = bench_now_ns();
	return NULL;
}

static void produce(const struct transfer *x)
{
	uint64_t buf[BURST], next = 1;
	unsigned int burst = x->ops->burst;

	while (next <= x->n) {
		unsigned int n = x->n - next + 1 < burst ?
					 (unsigned int)(x->n - next + 1) :
					 burst;
		unsigned int k;

		for (unsigned int i = 0; i < n; i++)
			buf[i] = next + i;
		k = x->ops->push(x->ring, buf, n);
		if (!k)
			bench_cpu_relax();
		next += k;
	}
}

/* Items per microsecond (= million per second). */
static double run_once(const struct bench *b, const struct ring_ops *ops,
		       uint64_t n)
{
	struct transfer x = { .ops = ops, .n = n, .cpu = b->target_cpu };
	pthread_t thread;
	uint64_t t0;

	x.ring = ops->create();
	if (pthread_create(&thread, NULL, consume, &x))
		bench_die("pthread_create failed");
	bench_spin_ns(1000000); /* let the consumer start spinning */
	t0 = bench_now_ns();
	produce(&x);
	pthread_join(thread, NULL);
	bench_check(!x.bad, "%s: value %llu arrived out of order", ops->name,
		    (unsigned long long)x.bad - 1);
	ops->destroy(x.ring);
	return (double)n * 1e3 / (double)(x.end_ns - t0);
}

/* The subjects, in the order they are measured and shown. */
static struct ring_ops ops[] = {
	{ .name = "plain SPSC ring (cached indices)",
	  .role = BENCH_FLOOR,
	  .burst = 1,
	  .create = spsc_create,
	  .push = spsc_push,
	  .pop = spsc_pop,
	  .destroy = free },
#ifdef BENCH_HAVE_CK
	{ .name = CK_NAME,
	  .role = BENCH_PEER,
	  .burst = 1,
	  .create = ck_create,
	  .push = ck_push,
	  .pop = ck_pop,
	  .destroy = free },
#endif
	{ .name = KFIFO_NAME,
	  .role = BENCH_SUBJECT,
	  .burst = 1,
	  .create = kfifo_create,
	  .push = kfifo_push,
	  .pop = kfifo_pop,
	  .destroy = kfifo_destroy },
	{ .name = "usoftirq kfifo; 16 per call",
	  .role = BENCH_REF,
	  .burst = BURST,
	  .create = kfifo_create,
	  .push = kfifo_push,
	  .pop = kfifo_pop,
	  .destroy = kfifo_destroy },
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

static void measure_all(const struct bench *b, uint64_t n)
{
	(void)run_once(b, &ops[0], n / 10 + 1); /* warm-up */
	for (unsigned int rep = 0; rep < b->reps; rep++)
		for (size_t j = 0; j < NOPS; j++) {
			struct ring_ops *o = &ops[(j + rep) % NOPS];

			o->rates[rep] = run_once(b, o, n);
		}
}

int main(int argc, char **argv)
{
	struct bench b;

	bench_init(&b, &spec, argc, argv);
	if (b.reps > MAX_REPS)
		b.reps = MAX_REPS;
	measure_all(&b, (uint64_t)b.samples * 1000);
	for (size_t j = 0; j < NOPS; j++)
		bench_add_value(&b, SCENARIO, ops[j].name, ops[j].role, "M/s",
				bench_median(ops[j].rates, b.reps), true);
#ifndef BENCH_HAVE_CK
	bench_add_skipped(
		&b, SCENARIO, CK_NAME, BENCH_PEER,
		"Concurrency Kit (libck-dev) not found at build time");
#endif
	bench_goal(&b, SCENARIO, KFIFO_NAME, BENCH_VALUE, BENCH_VS_ROW, CK_NAME,
		   false, 0.8);
	return bench_finish(&b);
}
