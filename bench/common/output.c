/* SPDX-License-Identifier: MIT */
/*
 * Output of one program, once every row is in: the machine description,
 * the terminal tables and goals, <slug>.csv and <slug>.md.
 *
 * CSV columns: question, scenario, subject, role, metric, value, unit,
 * ratio_floor, ratio_peer, goal, verdict. A distribution gives three
 * lines (p50, p99, max), a value one line, an extra number one more, a
 * skipped row one line with metric "skipped" and the reason in verdict,
 * and every goal one line whose role is "goal", whose metric starts with
 * "goal:" and whose value is the measured ratio. Text never contains a
 * comma (names are stored with ';' instead).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "results.h"

/* ------------------------------------------------------------------ */
/* Machine description                                                 */
/* ------------------------------------------------------------------ */

static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, size, "unknown");
	if (!f)
		return;
	if (fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static void cpu_model(char *buf, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, size, "unknown CPU");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, size, "%s", colon + 2);
		break;
	}
	fclose(f);
}

static void machine_line(const struct bench *b, char *buf, size_t size)
{
	char model[128], cs[64], idle[64];
	struct utsname u;

	cpu_model(model, sizeof(model));
	read_line("/sys/devices/system/clocksource/clocksource0/"
		  "current_clocksource",
		  cs, sizeof(cs));
	read_line("/sys/devices/system/cpu/cpuidle/current_driver", idle,
		  sizeof(idle));
	if (uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	snprintf(buf, size,
		 "%s; %d CPUs usable; kernel %s; clocksource %s; cpuidle "
		 "%s; clock read %.1f ns",
		 model, b->ncpus, u.release, cs, idle, b->clock_ns);
}

/* ------------------------------------------------------------------ */
/* Terminal output                                                     */
/* ------------------------------------------------------------------ */

const char *bench_role_name(enum bench_role r)
{
	static const char *const names[] = { "floor", "peer", "reference",
					     "usoftirq" };

	return names[r];
}

static void fmt_num(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (fabs(v) >= 1e9)
		snprintf(buf, size, "%.3g", v);
	else if (fabs(v) >= 100)
		snprintf(buf, size, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, size, "%.1f", v);
	else
		snprintf(buf, size, "%.2f", v);
}

static void fmt_ratio(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (v < 0.1)
		snprintf(buf, size, "%.4fx", v);
	else
		snprintf(buf, size, "%.2fx", v);
}

/* The printable cells of a row. */
struct cells {
	char a[48], p99[48], max[48], rf[16], rp[16], extra[64];
};

static void row_cells(const struct bench *b, const struct bench_row *r,
		      struct cells *c)
{
	char n[24];

	memset(c, 0, sizeof(*c));
	if (r->kind == ROW_SKIPPED) {
		snprintf(c->a, sizeof(c->a), "skipped");
		return;
	}
	fmt_num(n, sizeof(n), r->kind == ROW_DIST ? r->p50 : r->value);
	snprintf(c->a, sizeof(c->a), "%s %s", n, r->unit);
	if (r->kind == ROW_DIST) {
		fmt_num(n, sizeof(n), r->p99);
		snprintf(c->p99, sizeof(c->p99), "%s %s", n, r->unit);
		fmt_num(n, sizeof(n), r->max);
		snprintf(c->max, sizeof(c->max), "%s %s", n, r->unit);
	}
	fmt_ratio(c->rf, sizeof(c->rf),
		  bench_ratio(r, bench_floor_of(b, r->scenario), BENCH_P50));
	fmt_ratio(c->rp, sizeof(c->rp),
		  bench_ratio(r, bench_best_peer_of(b, r->scenario),
			      BENCH_P50));
	if (!isnan(r->extra)) {
		fmt_num(n, sizeof(n), r->extra);
		snprintf(c->extra, sizeof(c->extra), "%s %s", r->extra_name, n);
	}
}

static bool scenario_seen(const struct bench *b, size_t upto,
			  const char *scenario)
{
	for (size_t i = 0; i < upto; i++)
		if (!strcmp(b->rows[i].scenario, scenario))
			return true;
	return false;
}

static void print_scenario(const struct bench *b, const char *scenario)
{
	printf("\n-- %s --\n%-40s %-9s %14s %12s %12s %8s %8s\n", scenario,
	       "subject", "role", "p50 / value", "p99", "max", "x floor",
	       "x peer");
	for (size_t i = 0; i < b->nrows; i++) {
		const struct bench_row *r = &b->rows[i];
		struct cells c;

		if (strcmp(r->scenario, scenario))
			continue;
		row_cells(b, r, &c);
		printf("%-40s %-9s %14s %12s %12s %8s %8s", r->subject,
		       bench_role_name(r->role), c.a, c.p99, c.max, c.rf, c.rp);
		if (c.extra[0])
			printf("  %s", c.extra);
		if (r->note[0])
			printf("  (%s)", r->note);
		putchar('\n');
	}
	for (size_t i = 0; i < b->nnotes; i++)
		if (!strcmp(b->notes[i].scenario, scenario))
			printf("   note: %s\n", b->notes[i].text);
}

static void print_goals(const struct bench *b)
{
	if (!b->ngoals)
		return;
	printf("\nGOALS (%s)\n", b->spec->id);
	for (size_t i = 0; i < b->ngoals; i++) {
		const struct bench_goal *g = &b->goals[i];
		struct verdict v;
		char m[32];

		bench_judge(b, g, &v);
		if (g->against == BENCH_VS_NOTHING)
			fmt_num(m, sizeof(m), v.measured);
		else
			fmt_ratio(m, sizeof(m), v.measured);
		printf("  %-10s %s = %s (goal %s %g%s)\n", v.word, v.what, m,
		       g->at_most ? "<=" : ">=", g->limit,
		       g->against == BENCH_VS_NOTHING ? "" : "x");
	}
}

static void print_all(const struct bench *b, const char *machine)
{
	printf("== %s  %s ==\nmachine: %s\nplacement: sender CPU %d, target "
	       "CPU %d; %u samples per subject%s\n",
	       b->spec->id, b->spec->title, machine, b->sender_cpu,
	       b->target_cpu, b->samples,
	       b->smoke ? " (smoke run)" :
	       b->quick ? " (quick run)" :
			  "");
	for (size_t i = 0; i < b->nrows; i++)
		if (!scenario_seen(b, i, b->rows[i].scenario))
			print_scenario(b, b->rows[i].scenario);
	print_goals(b);
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                 */
/* ------------------------------------------------------------------ */

static void csv_line(FILE *f, const struct bench *b, const struct bench_row *r,
		     const char *metric, double value, const char *unit,
		     double rf, double rp)
{
	fprintf(f, "%s,%s,%s,%s,%s,%.6g,%s,", b->spec->id, r->scenario,
		r->subject, bench_role_name(r->role), metric, value, unit);
	if (!isnan(rf))
		fprintf(f, "%.4f", rf);
	fputc(',', f);
	if (!isnan(rp))
		fprintf(f, "%.4f", rp);
	fprintf(f, ",,\n");
}

static void csv_row(FILE *f, const struct bench *b, const struct bench_row *r)
{
	const struct bench_row *fl = bench_floor_of(b, r->scenario);
	const struct bench_row *pe = bench_best_peer_of(b, r->scenario);

	if (r->kind == ROW_SKIPPED) {
		fprintf(f, "%s,%s,%s,%s,skipped,,,,,,%s\n", b->spec->id,
			r->scenario, r->subject, bench_role_name(r->role),
			r->note);
		return;
	}
	if (r->kind == ROW_VALUE) {
		csv_line(f, b, r, "value", r->value, r->unit,
			 bench_ratio(r, fl, BENCH_VALUE),
			 bench_ratio(r, pe, BENCH_VALUE));
	} else {
		csv_line(f, b, r, "p50", r->p50, r->unit,
			 bench_ratio(r, fl, BENCH_P50),
			 bench_ratio(r, pe, BENCH_P50));
		csv_line(f, b, r, "p99", r->p99, r->unit,
			 bench_ratio(r, fl, BENCH_P99),
			 bench_ratio(r, pe, BENCH_P99));
		csv_line(f, b, r, "max", r->max, r->unit, NAN, NAN);
	}
	if (!isnan(r->extra))
		csv_line(f, b, r, r->extra_name, r->extra, "", NAN, NAN);
}

static void write_csv(const struct bench *b)
{
	char name[256];
	FILE *f;

	snprintf(name, sizeof(name), "%s.csv", b->spec->slug);
	f = bench_open_out(b, name);
	fprintf(f, "question,scenario,subject,role,metric,value,unit,"
		   "ratio_floor,ratio_peer,goal,verdict\n");
	for (size_t i = 0; i < b->nrows; i++)
		csv_row(f, b, &b->rows[i]);
	for (size_t i = 0; i < b->ngoals; i++) {
		const struct bench_goal *g = &b->goals[i];
		struct verdict v;

		bench_judge(b, g, &v);
		fprintf(f, "%s,%s,%s,goal,goal: %s,%.6g,%s,,,%s %g,%s\n",
			b->spec->id, g->scenario, g->subject, v.desc,
			v.measured, g->against == BENCH_VS_NOTHING ? "" : "x",
			g->at_most ? "<=" : ">=", g->limit, v.word);
	}
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Markdown                                                            */
/* ------------------------------------------------------------------ */

static void md_scenario(FILE *f, const struct bench *b, const char *scenario)
{
	fprintf(f,
		"\n**%s**\n\n| subject | role | p50 / value | p99 | max | "
		"× floor | × best peer | notes |\n|---|---|--:|--:|--:|--:|"
		"--:|---|\n",
		scenario);
	for (size_t i = 0; i < b->nrows; i++) {
		const struct bench_row *r = &b->rows[i];
		struct cells c;

		if (strcmp(r->scenario, scenario))
			continue;
		row_cells(b, r, &c);
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s%s%s |\n",
			r->subject, bench_role_name(r->role), c.a, c.p99, c.max,
			c.rf, c.rp, c.extra,
			c.extra[0] && r->note[0] ? "; " : "", r->note);
	}
	for (size_t i = 0; i < b->nnotes; i++)
		if (!strcmp(b->notes[i].scenario, scenario))
			fprintf(f, "\n%s\n", b->notes[i].text);
}

static void md_goals(FILE *f, const struct bench *b)
{
	if (!b->ngoals)
		return;
	fprintf(f, "\n| goal | measured | limit | verdict |\n|---|--:|--:|"
		   "---|\n");
	for (size_t i = 0; i < b->ngoals; i++) {
		const struct bench_goal *g = &b->goals[i];
		struct verdict v;
		char m[32];

		bench_judge(b, g, &v);
		if (g->against == BENCH_VS_NOTHING)
			fmt_num(m, sizeof(m), v.measured);
		else
			fmt_ratio(m, sizeof(m), v.measured);
		fprintf(f, "| %s | %s | %s %g%s | **%s** |\n", v.what, m,
			g->at_most ? "≤" : "≥", g->limit,
			g->against == BENCH_VS_NOTHING ? "" : "×", v.word);
	}
}

static void write_md(const struct bench *b)
{
	char name[256];
	FILE *f;

	snprintf(name, sizeof(name), "%s.md", b->spec->slug);
	f = bench_open_out(b, name);
	fprintf(f, "### %s. %s\n", b->spec->id, b->spec->title);
	for (size_t i = 0; i < b->nrows; i++)
		if (!scenario_seen(b, i, b->rows[i].scenario))
			md_scenario(f, b, b->rows[i].scenario);
	md_goals(f, b);
	fclose(f);
}

/* ------------------------------------------------------------------ */
/* Finish                                                              */
/* ------------------------------------------------------------------ */

int bench_finish(struct bench *b)
{
	char machine[512];

	machine_line(b, machine, sizeof(machine));
	print_all(b, machine);
	write_csv(b);
	write_md(b);
	free(b->rows);
	free(b->goals);
	free(b->notes);
	return 0;
}
