/* SPDX-License-Identifier: MIT */
/* The latency runner; see latency.h. */
#include "latency.h"

/* A receiver that has not stamped within this time has lost the event. */
#define LAT_TIMEOUT_NS 2000000000ull

static void one_sample(const struct bench *b, const struct lat_plan *p,
		       struct lat_subject *s, uint64_t *rng, bool keep)
{
	uint64_t t0, t1, expected;

	if (s->sleeper)
		bench_wait_asleep(b, s->sleeper(s->ctx));
	else if (p->max_gap_ns)
		bench_spin_ns(bench_rand(rng) % p->max_gap_ns);
	expected = ++s->fired;
	t0 = bench_now_ns();
	s->fire(s->ctx);
	t1 = bench_stamp_wait(s->stamp, expected, LAT_TIMEOUT_NS, s->name);
	bench_check(t1 >= t0, "%s: the receiver's clock is behind the sender's",
		    s->name);
	if (!keep)
		return;
	bench_samples_add(&s->samples, (double)(t1 - t0));
	if (s->early) {
		uint64_t te = bench_stamp_wait(s->early, expected,
					       LAT_TIMEOUT_NS, s->early_name);

		bench_samples_add(&s->early_samples, (double)(te - t0));
	}
}

static void run_block(const struct bench *b, const struct lat_plan *p,
		      struct lat_subject *s, unsigned int count, bool keep,
		      uint64_t *rng)
{
	if (s->block_begin)
		s->block_begin(s->ctx);
	for (unsigned int i = 0; i < count; i++)
		one_sample(b, p, s, rng, keep);
	if (s->block_end)
		s->block_end(s->ctx);
}

/* Exactly one stamp per event, also a while after the last one. */
static void validate(struct lat_subject *s)
{
	bench_spin_ns(2000000);
	bench_check(atomic_load(&s->stamp->count) == s->fired,
		    "%s: %llu events fired, %llu received", s->name,
		    (unsigned long long)s->fired,
		    (unsigned long long)atomic_load(&s->stamp->count));
	if (s->early)
		bench_check(atomic_load(&s->early->count) == s->fired,
			    "%s: %llu events fired, %llu received",
			    s->early_name, (unsigned long long)s->fired,
			    (unsigned long long)atomic_load(&s->early->count));
}

void lat_run(struct bench *b, const struct lat_plan *p,
	     struct lat_subject *subs, size_t n)
{
	unsigned int blocks = p->blocks ? p->blocks : 1;
	unsigned int per_block = (p->samples + blocks - 1) / blocks;
	uint64_t rng = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < n; i++) {
		bench_samples_init(&subs[i].samples, p->samples);
		bench_samples_init(&subs[i].early_samples, p->samples);
		subs[i].fired = atomic_load(&subs[i].stamp->count);
		run_block(b, p, &subs[i], p->warmup, false, &rng);
	}
	for (unsigned int k = 0; k < blocks; k++) {
		for (size_t j = 0; j < n; j++) {
			struct lat_subject *s = &subs[(j + k) % n];
			unsigned int left =
				p->samples - (unsigned int)s->samples.n;

			run_block(b, p, s, left < per_block ? left : per_block,
				  true, &rng);
		}
	}
	for (size_t i = 0; i < n; i++)
		validate(&subs[i]);
	for (size_t i = 0; i < n; i++) {
		struct lat_subject *s = &subs[i];

		if (s->early)
			bench_add_dist(b, p->scenario, s->early_name, BENCH_REF,
				       "us", &s->early_samples);
		bench_add_dist(b, p->scenario, s->name, s->role, "us",
			       &s->samples);
		bench_samples_free(&s->samples);
		bench_samples_free(&s->early_samples);
	}
	if (p->cdf)
		bench_cdf_figure(b, p->scenario);
}
