/* SPDX-License-Identifier: MIT */
/*
 * Results of one program: rows, goals, the ratios between rows and the
 * verdicts of goals, and the raw files written as rows come in (CDF
 * samples, plot series). Printing and the CSV and markdown files are in
 * output.c.
 *
 * Ratios. Within a scenario, a row's ratio to the floor is its metric
 * divided by the same metric of the scenario's first floor row, and its
 * ratio to the best peer is the same against the best peer row (lowest
 * p50 for distributions, best value for values). Reference rows take
 * part in neither. A goal is such a ratio (or a plain number) against a
 * limit; a goal whose reference row is missing is SKIPPED, and no goal is
 * judged in a --smoke run.
 */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results.h"

/* ------------------------------------------------------------------ */
/* Names and files                                                     */
/* ------------------------------------------------------------------ */

void bench_copy_name(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = src[i] == ',' ? ';' : src[i];
	dst[i] = '\0';
}

/* A file-name-safe form of @s: lower-case letters, digits and '_'. */
void bench_file_token(char *dst, size_t size, const char *s)
{
	size_t j = 0;
	bool sep = false;

	for (; *s && j + 2 < size; s++) {
		char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (sep && j)
				dst[j++] = '_';
			dst[j++] = c, sep = false;
		} else if (c >= 'A' && c <= 'Z') {
			if (sep && j)
				dst[j++] = '_';
			dst[j++] = (char)(c - 'A' + 'a'), sep = false;
		} else {
			sep = true;
		}
	}
	dst[j] = '\0';
}

FILE *bench_open_out(const struct bench *b, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", b->out_dir, name);
	f = fopen(path, "w");
	if (!f)
		bench_die("cannot write %s: %s", path, strerror(errno));
	return f;
}

static void write_cdf(const struct bench *b, const struct bench_row *r,
		      const struct bench_samples *s, double scale)
{
	char sc[BENCH_NAME_LEN], su[BENCH_NAME_LEN], name[512];
	FILE *f;

	bench_file_token(sc, sizeof(sc), r->scenario);
	bench_file_token(su, sizeof(su), r->subject);
	snprintf(name, sizeof(name), "raw/%s__%s__%s__%s.cdf", b->spec->slug,
		 sc, bench_role_name(r->role), su);
	f = bench_open_out(b, name);
	fprintf(f, "\"%s\" \"%s\"\n", r->unit, r->subject);
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%.4f %.6f\n", s->v[i] / scale,
			(double)(i + 1) / (double)s->n);
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */
/* ------------------------------------------------------------------ */

static struct bench_row *new_row(struct bench *b, const char *scenario,
				 const char *subject, enum bench_role role)
{
	struct bench_row *r;

	if (b->nrows == b->rows_cap) {
		b->rows_cap = b->rows_cap ? 2 * b->rows_cap : 32;
		b->rows = realloc(b->rows, b->rows_cap * sizeof(*b->rows));
		if (!b->rows)
			bench_die("out of memory");
	}
	r = &b->rows[b->nrows++];
	memset(r, 0, sizeof(*r));
	bench_copy_name(r->scenario, sizeof(r->scenario), scenario);
	bench_copy_name(r->subject, sizeof(r->subject), subject);
	r->role = role;
	r->extra = NAN;
	return r;
}

static double unit_scale(const char *unit)
{
	if (!strcmp(unit, "us"))
		return 1e3;
	if (!strcmp(unit, "ms"))
		return 1e6;
	return 1.0;
}

struct bench_row *bench_add_dist(struct bench *b, const char *scenario,
				 const char *subject, enum bench_role role,
				 const char *unit, struct bench_samples *s)
{
	struct bench_row *r = new_row(b, scenario, subject, role);
	double scale = unit_scale(unit);

	if (!s->n)
		bench_die("%s/%s: no samples", scenario, subject);
	bench_sort(s->v, s->n);
	r->kind = ROW_DIST;
	bench_copy_name(r->unit, sizeof(r->unit), unit);
	r->n = s->n;
	r->p50 = bench_percentile(s->v, s->n, 0.50) / scale;
	r->p99 = bench_percentile(s->v, s->n, 0.99) / scale;
	r->max = s->v[s->n - 1] / scale;
	write_cdf(b, r, s, scale);
	return r;
}

struct bench_row *bench_add_value(struct bench *b, const char *scenario,
				  const char *subject, enum bench_role role,
				  const char *unit, double value,
				  bool higher_better)
{
	struct bench_row *r = new_row(b, scenario, subject, role);

	r->kind = ROW_VALUE;
	bench_copy_name(r->unit, sizeof(r->unit), unit);
	r->value = value;
	r->higher_better = higher_better;
	return r;
}

void bench_row_extra(struct bench_row *r, const char *name, double value)
{
	bench_copy_name(r->extra_name, sizeof(r->extra_name), name);
	r->extra = value;
}

void bench_row_note(struct bench_row *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->note, sizeof(r->note), fmt, ap);
	va_end(ap);
	bench_copy_name(r->note, sizeof(r->note), r->note);
}

void bench_add_skipped(struct bench *b, const char *scenario,
		       const char *subject, enum bench_role role,
		       const char *fmt, ...)
{
	struct bench_row *r = new_row(b, scenario, subject, role);
	va_list ap;

	r->kind = ROW_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(r->note, sizeof(r->note), fmt, ap);
	va_end(ap);
	bench_copy_name(r->note, sizeof(r->note), r->note);
}

void bench_scenario_note(struct bench *b, const char *scenario, const char *fmt,
			 ...)
{
	struct bench_note *n;
	va_list ap;

	b->notes = realloc(b->notes, (b->nnotes + 1) * sizeof(*b->notes));
	if (!b->notes)
		bench_die("out of memory");
	n = &b->notes[b->nnotes++];
	bench_copy_name(n->scenario, sizeof(n->scenario), scenario);
	va_start(ap, fmt);
	vsnprintf(n->text, sizeof(n->text), fmt, ap);
	va_end(ap);
	bench_copy_name(n->text, sizeof(n->text), n->text);
}

/* ------------------------------------------------------------------ */
/* Goals                                                               */
/* ------------------------------------------------------------------ */

static struct bench_goal *new_goal(struct bench *b, const char *scenario,
				   const char *subject)
{
	struct bench_goal *g;

	if (b->ngoals == b->goals_cap) {
		b->goals_cap = b->goals_cap ? 2 * b->goals_cap : 8;
		b->goals = realloc(b->goals, b->goals_cap * sizeof(*b->goals));
		if (!b->goals)
			bench_die("out of memory");
	}
	g = &b->goals[b->ngoals++];
	memset(g, 0, sizeof(*g));
	bench_copy_name(g->scenario, sizeof(g->scenario), scenario);
	bench_copy_name(g->subject, sizeof(g->subject), subject);
	return g;
}

void bench_goal(struct bench *b, const char *scenario, const char *subject,
		enum bench_metric metric, enum bench_against against,
		const char *ref, bool at_most, double limit)
{
	struct bench_goal *g = new_goal(b, scenario, subject);

	g->metric = metric;
	g->against = against;
	g->at_most = at_most;
	g->limit = limit;
	if (ref)
		bench_copy_name(g->ref, sizeof(g->ref), ref);
}

void bench_goal_value(struct bench *b, const char *scenario,
		      const char *subject, const char *what, double value,
		      bool at_most, double limit)
{
	struct bench_goal *g = new_goal(b, scenario, subject);

	g->against = BENCH_VS_NOTHING;
	g->at_most = at_most;
	g->limit = limit;
	g->value = value;
	bench_copy_name(g->what, sizeof(g->what), what);
}

/* ------------------------------------------------------------------ */
/* Ratios and verdicts                                                 */
/* ------------------------------------------------------------------ */

static bool has_data(const struct bench_row *r)
{
	return r && r->kind != ROW_SKIPPED;
}

static double metric_of(const struct bench_row *r, enum bench_metric m)
{
	if (r->kind == ROW_VALUE)
		return r->value;
	return m == BENCH_P99 ? r->p99 : r->p50;
}

static const struct bench_row *
find_row(const struct bench *b, const char *scenario, const char *subject)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(b->rows[i].scenario, scenario) &&
		    !strcmp(b->rows[i].subject, subject))
			return &b->rows[i];
	return NULL;
}

const struct bench_row *bench_floor_of(const struct bench *b,
				       const char *scenario)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(b->rows[i].scenario, scenario) &&
		    b->rows[i].role == BENCH_FLOOR && has_data(&b->rows[i]))
			return &b->rows[i];
	return NULL;
}

static bool better(const struct bench_row *a, const struct bench_row *b)
{
	double x = metric_of(a, BENCH_P50), y = metric_of(b, BENCH_P50);

	return a->kind == ROW_VALUE && a->higher_better ? x > y : x < y;
}

const struct bench_row *bench_best_peer_of(const struct bench *b,
					   const char *scenario)
{
	const struct bench_row *best = NULL;

	for (size_t i = 0; i < b->nrows; i++) {
		const struct bench_row *r = &b->rows[i];

		if (strcmp(r->scenario, scenario) || r->role != BENCH_PEER ||
		    !has_data(r))
			continue;
		if (!best || better(r, best))
			best = r;
	}
	return best;
}

double bench_ratio(const struct bench_row *r, const struct bench_row *ref,
		   enum bench_metric m)
{
	if (!has_data(r) || !has_data(ref) || r->kind != ref->kind ||
	    metric_of(ref, m) == 0)
		return NAN;
	return metric_of(r, m) / metric_of(ref, m);
}

static const struct bench_row *goal_ref(const struct bench *b,
					const struct bench_goal *g)
{
	switch (g->against) {
	case BENCH_VS_FLOOR:
		return bench_floor_of(b, g->scenario);
	case BENCH_VS_BEST_PEER:
		return bench_best_peer_of(b, g->scenario);
	case BENCH_VS_ROW:
		return find_row(b, g->scenario, g->ref);
	case BENCH_VS_NOTHING:
		break;
	}
	return NULL;
}

static const char *metric_name(enum bench_metric m)
{
	return m == BENCH_P50 ? "p50" : m == BENCH_P99 ? "p99" : "value";
}

void bench_judge(const struct bench *b, const struct bench_goal *g,
		 struct verdict *v)
{
	const struct bench_row *subj = find_row(b, g->scenario, g->subject);
	const struct bench_row *ref = goal_ref(b, g);

	if (g->against == BENCH_VS_NOTHING) {
		snprintf(v->desc, sizeof(v->desc), "%s %s", g->subject,
			 g->what);
		v->measured = g->value;
	} else {
		snprintf(v->desc, sizeof(v->desc), "%s %s / %s%s%s", g->subject,
			 metric_name(g->metric),
			 g->against == BENCH_VS_FLOOR	  ? "floor" :
			 g->against == BENCH_VS_BEST_PEER ? "best peer" :
							    g->ref,
			 ref && g->against != BENCH_VS_ROW ? " = " : "",
			 ref && g->against != BENCH_VS_ROW ? ref->subject : "");
		v->measured = bench_ratio(subj, ref, g->metric);
	}
	snprintf(v->what, sizeof(v->what), "%s: %s", g->scenario, v->desc);
	if (b->smoke)
		v->word = "NOT JUDGED";
	else if (isnan(v->measured))
		v->word = "SKIPPED";
	else if (g->at_most ? v->measured <= g->limit : v->measured >= g->limit)
		v->word = "PASS";
	else
		v->word = "MISSED";
}

/* ------------------------------------------------------------------ */
/* Series                                                              */
/* ------------------------------------------------------------------ */

/* Series files of an earlier run would be appended to: remove them. */
static void remove_series(const struct bench *b, const char *figure)
{
	char pattern[4096];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/plot/%s__*.dat", b->out_dir,
		 figure);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		(void)unlink(g.gl_pathv[i]);
	globfree(&g);
}

void bench_figure(struct bench *b, const char *figure, const char *title,
		  const char *xlabel, const char *ylabel, bool logx)
{
	char name[256];
	FILE *f;

	remove_series(b, figure);
	snprintf(name, sizeof(name), "plot/%s.meta", figure);
	f = bench_open_out(b, name);
	fprintf(f, "title=%s\nxlabel=%s\nylabel=%s\nlogx=%d\n", title, xlabel,
		ylabel, logx);
	fclose(f);
}

void bench_cdf_figure(struct bench *b, const char *scenario)
{
	char sc[BENCH_NAME_LEN], name[512];
	FILE *f;

	bench_file_token(sc, sizeof(sc), scenario);
	snprintf(name, sizeof(name), "raw/%s__%s.meta", b->spec->slug, sc);
	f = bench_open_out(b, name);
	fprintf(f,
		"title=%s %s: %s\nxlabel=latency (us)\nylabel=fraction of "
		"samples\nlogx=1\n",
		b->spec->id, b->spec->title, scenario);
	fclose(f);
}

void bench_series_point(struct bench *b, const char *figure, const char *series,
			double x, double y)
{
	char tok[BENCH_NAME_LEN], path[4096];
	bool fresh;
	FILE *f;

	bench_file_token(tok, sizeof(tok), series);
	snprintf(path, sizeof(path), "%s/plot/%s__%s.dat", b->out_dir, figure,
		 tok);
	f = fopen(path, "r");
	fresh = !f;
	if (f)
		fclose(f);
	f = fopen(path, "a");
	if (!f)
		bench_die("cannot write %s: %s", path, strerror(errno));
	if (fresh)
		fprintf(f, "\"x\" \"%s\"\n", series);
	fprintf(f, "%.6g %.6g\n", x, y);
	fclose(f);
}
