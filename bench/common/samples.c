/* SPDX-License-Identifier: MIT */
/* Sample arrays, sorting and nearest-rank percentiles. */
#include <math.h>
#include <stdlib.h>

#include "results.h"

void bench_samples_init(struct bench_samples *s, size_t cap)
{
	s->n = 0;
	s->cap = cap ? cap : 16;
	s->v = malloc(s->cap * sizeof(*s->v));
	if (!s->v)
		bench_die("out of memory");
}

void bench_samples_add(struct bench_samples *s, double ns)
{
	if (s->n == s->cap) {
		s->cap *= 2;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			bench_die("out of memory");
	}
	s->v[s->n++] = ns;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

/* Nearest-rank percentile of sorted @v: the smallest sample with at
 * least a fraction @p of the samples at or below it. */
double bench_percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);

	return v[rank ? rank - 1 : 0];
}

double bench_median(double *v, size_t n)
{
	bench_sort(v, n);
	return bench_percentile(v, n, 0.5);
}
