/* SPDX-License-Identifier: MIT */
/* The cost runner; see cost.h. */
#include "cost.h"
#include "syscount.h"

/* Target length of one batch. */
#define COST_BATCH_NS 20000u
/* The most calls in one batch (for operations of a fraction of a ns). */
#define COST_MAX_BATCH (1u << 22)

static uint64_t time_batch(struct cost_subject *s, unsigned int n)
{
	uint64_t t0 = bench_now_ns();

	s->run(s->ctx, n);
	return bench_now_ns() - t0;
}

/* Double n until a batch lasts COST_BATCH_NS; this also warms up. */
static void calibrate(struct cost_subject *s)
{
	unsigned int n = 1;

	if (s->block_begin)
		s->block_begin(s->ctx);
	while (n < COST_MAX_BATCH && time_batch(s, n) < COST_BATCH_NS)
		n *= 2;
	s->batch = n;
	for (int i = 0; i < 8; i++)
		(void)time_batch(s, n);
	if (s->block_end)
		s->block_end(s->ctx);
}

static void run_block(struct cost_subject *s, unsigned int count,
		      struct bench_syscount *sc)
{
	if (s->block_begin)
		s->block_begin(s->ctx);
	bench_syscount_start(sc);
	for (unsigned int i = 0; i < count; i++) {
		uint64_t ns = time_batch(s, s->batch);

		bench_samples_add(&s->samples, (double)ns / s->batch);
	}
	s->syscalls += bench_syscount_stop(sc);
	s->calls += (uint64_t)count * s->batch;
	if (s->block_end)
		s->block_end(s->ctx);
}

static void add_row(struct bench *b, const struct cost_plan *p,
		    struct cost_subject *s, const struct bench_syscount *sc)
{
	struct bench_row *r = bench_add_dist(b, p->scenario, s->name, s->role,
					     "ns", &s->samples);

	if (p->count_syscalls && sc->fd >= 0)
		bench_row_extra(r, "syscalls/call",
				(double)s->syscalls / (double)s->calls);
	bench_samples_free(&s->samples);
}

void cost_run(struct bench *b, const struct cost_plan *p,
	      struct cost_subject *subs, size_t n)
{
	unsigned int blocks = p->blocks ? p->blocks : 1;
	unsigned int per_block = (p->batches + blocks - 1) / blocks;
	struct bench_syscount sc = { .fd = -1 };

	if (p->count_syscalls && !bench_syscount_open(&sc))
		bench_scenario_note(b, p->scenario,
				    "system calls not counted: %s", sc.why);
	for (size_t i = 0; i < n; i++) {
		bench_samples_init(&subs[i].samples, p->batches);
		subs[i].calls = subs[i].syscalls = 0;
		calibrate(&subs[i]);
	}
	for (unsigned int k = 0; k < blocks; k++) {
		for (size_t j = 0; j < n; j++) {
			struct cost_subject *s = &subs[(j + k) % n];
			unsigned int left =
				p->batches - (unsigned int)s->samples.n;

			run_block(s, left < per_block ? left : per_block, &sc);
		}
	}
	for (size_t i = 0; i < n; i++)
		add_row(b, p, &subs[i], &sc);
	bench_syscount_close(&sc);
}
