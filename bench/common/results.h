/* SPDX-License-Identifier: MIT */
/*
 * Private to the harness: the row and goal records behind struct bench,
 * and the helpers results.c (recording, ratios, verdicts) shares with
 * output.c (printing and files).
 */
#ifndef BENCH_RESULTS_H
#define BENCH_RESULTS_H

#include <stdio.h>

#include "bench.h"

enum row_kind { ROW_DIST, ROW_VALUE, ROW_SKIPPED };

struct bench_row {
	char scenario[BENCH_NAME_LEN];
	char subject[BENCH_NAME_LEN];
	enum bench_role role;
	enum row_kind kind;
	char unit[16];
	double p50, p99, max; /* in unit */
	size_t n;
	double value; /* in unit */
	bool higher_better;
	char extra_name[32];
	double extra;
	char note[160];
};

struct bench_goal {
	char scenario[BENCH_NAME_LEN];
	char subject[BENCH_NAME_LEN];
	char ref[BENCH_NAME_LEN];
	char what[96];
	enum bench_metric metric;
	enum bench_against against;
	bool at_most;
	double limit;
	double value; /* BENCH_VS_NOTHING: the number judged */
};

/* A line printed under a scenario's table. */
struct bench_note {
	char scenario[BENCH_NAME_LEN];
	char text[240];
};

/* A goal's outcome. */
struct verdict {
	double measured;
	const char *word; /* PASS, MISSED, SKIPPED, NOT JUDGED */
	char desc[256]; /* what is compared, without the scenario */
	char what[BENCH_NAME_LEN + 272]; /* "<scenario>: <desc>" */
};

/* samples.c */
void bench_sort(double *v, size_t n);
double bench_percentile(const double *v, size_t n, double p);

/* output.c */
const char *bench_role_name(enum bench_role r);

/* results.c */
void bench_copy_name(char *dst, size_t size, const char *src);
void bench_file_token(char *dst, size_t size, const char *s);
FILE *bench_open_out(const struct bench *b, const char *name);
const struct bench_row *bench_floor_of(const struct bench *b,
				       const char *scenario);
const struct bench_row *bench_best_peer_of(const struct bench *b,
					   const char *scenario);
double bench_ratio(const struct bench_row *r, const struct bench_row *ref,
		   enum bench_metric m);
void bench_judge(const struct bench *b, const struct bench_goal *g,
		 struct verdict *v);

#endif /* BENCH_RESULTS_H */
