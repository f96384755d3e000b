/* SPDX-License-Identifier: MIT */
/*
 * Q9. Device pipeline.
 *
 * What it measures: the highest generator rate each RX demo driver
 * (examples/rxdemo: (a) rx_tasklet, the seed-shaped driver; (b)
 * rx_threaded; (c) rx_kfifo) sustains with zero loss, for a fixed burst
 * and device FIFO depth; the lowest rate probed above it at which words
 * are lost, and which counter takes the loss: the driver's own ring
 * (dropped) or the device's hardware FIFO (overruns). Also the loss in the
 * start-up of a run, which is reported apart.
 *
 * How:
 *  - each driver program is run as a child process ("-- PROGRAM..." gives
 *    their paths; run-bench passes the three example programs) with
 *    --summary-format=kv --rate R --burst B --fifo-depth D --duration
 *    --seconds; its key=value line gives the books of the whole run, and
 *    the progress line it prints on stderr every 250 ms gives them at the
 *    end of the start-up (its second sample, 0.25 s into the generation).
 *    The child may use every CPU the bench may use (its vCPU workers pin
 *    themselves one per CPU; the generator and reader threads are not
 *    pinned) and runs with a timer slack of 1 ns (prctl
 *    PR_SET_TIMERSLACK, inherited by its threads), so that the
 *    generator's timed sleeps end on time;
 *  - start-up and steady state: the first interrupt of a new machine can
 *    take milliseconds to be handled, so at tens of thousands of words per
 *    second the device FIFO may overflow once in the first bursts of a run
 *    whatever the driver. The search judges the steady state (the run
 *    after its first 0.25 s); the runs that lost words in the start-up,
 *    and the highest rate probed at which a run lost nothing at all, are
 *    reported on their own rows;
 *  - validation: the child must exit 0 with balanced=1 (the demo checks
 *    its own books: generated = delivered + dropped + overruns, the
 *    device received every word, the sequence is in order, the reader got
 *    every word); the numbers of its line must add up again here, to the
 *    number of words the generator's schedule implies, and the start-up
 *    sample must not exceed them;
 *  - a run is valid when at most 10% of the generator's bursts were late
 *    (started more than one interval after their deadline). Past its
 *    limit about half of them are late at once (other load makes a few
 *    percent), and a late generator catches up by handing over several
 *    bursts back to back: such a run probes the generator, not the
 *    driver;
 *  - a probe of rate R is up to --reps runs, the best valid one of which
 *    counts: one valid run without steady-state loss makes R a zero-loss
 *    rate. (On a machine with other load, a pinned vCPU worker can be
 *    kept off its CPU for a few milliseconds, which a 64-word FIFO does
 *    not absorb at any rate: one lossy run proves little. The lossy runs
 *    are counted.) When every valid run lost words, R is lossy, and the
 *    valid run with the fewest late bursts says which counter took the
 *    loss. When no run was valid, the generator cannot keep R: the
 *    program says so, and the search of that driver goes no higher;
 *  - search: R doubles from 25,000 words/s until a probe is not
 *    zero-loss, then bisects (geometric mean, three significant digits)
 *    down to a ratio of 1.1 (1.25 with --quick) between the highest
 *    zero-loss rate and the lowest other one; the highest zero-loss rate
 *    is then probed twice more (once with --quick), and if that fails the
 *    bisection resumes below it. After 35 s on a driver (15 s with
 *    --quick) no further probe is made and the result says so;
 *  - context: the generator alone (in this process, a sink that accepts
 *    every word, the same burst, timer slack 1 ns, unpinned): the highest
 *    rate, doubling then bisecting, at which one of two runs has at most
 *    10% of its bursts late;
 *  - plots: steady-state delivered/generated against the rate for every
 *    driver (the worst deciding run at each rate probed), and the
 *    fraction of late generator bursts against the rate (the drivers and
 *    the generator alone).
 *
 * --smoke: one short run per driver at 20,000 words/s, validated only.
 *
 * Extra arguments after "--" besides the programs: --burst=N (default
 * 16, the demo's), --fifo-depth=N (default 64, the device's),
 * --start-rate=R, --max-rate=R (default 12.8 M words/s).
 *
 * No goal: the numbers are reported.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usoftirq/generator.h>

#include "common/bench.h"

static const struct bench_spec spec = {
	.id = "Q9",
	.slug = "q9_device",
	.title = "Device pipeline: highest zero-loss generator rate",
	.method = "Each RX demo driver runs as a child process at generator "
		  "rates found by doubling then bisection; a rate is "
		  "zero-loss when one of up to --reps runs of --seconds has "
		  "dropped = overruns = 0 after its first 0.25 s (start-up "
		  "loss is reported apart). A run with over 10% of the "
		  "generator's bursts late is not valid; a rate with no valid "
		  "run stops the search. The child's books are validated. "
		  "After --: the driver programs; --burst=N; --fifo-depth=N; "
		  "--start-rate=R; --max-rate=R.",
	.samples = 1,
	.quick_samples = 1,
	.seconds = 0.7,
	.quick_seconds = 0.45,
	.reps = 3,
	.quick_reps = 2,
	.min_cpus = 1,
};

#define FIG_DELIVERED "q9_delivered"
#define FIG_LATE "q9_late"
#define SC_GEN "generator alone"

#define MAX_DRIVERS 8
#define MAX_PROBES 96
#define SMOKE_RATE 20000.0
/* More late bursts than this: the generator did not keep the rate, and
 * the run is not valid (past its limit about half the bursts are late at
 * once; other load makes a few percent). */
#define LATE_LIMIT 0.10
/* How long a child may take beyond its duration (its drain timeout is
 * 10 s). */
#define CHILD_SLACK_S 30.0

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

struct config {
	unsigned int burst, fifo_depth;
	double start_rate, max_rate;
	double precision; /* bisect until hi / lo <= this */
	unsigned int attempts; /* runs per probe, until a valid one has no loss */
	unsigned int confirms; /* extra probes of the rate found */
	double duration_s;
	double budget_s; /* per driver: no bisection or confirmation after */
};

/*
 * One run of a driver program: its key=value line (the whole run), and
 * its progress line's sample at the end of the start-up (its second
 * sample, 0.25 s into the generation): w_* (all 0 when the run was too
 * short to have one). The steady state is the rest of the run.
 */
struct run {
	double rate;
	double generated, delivered, dropped, overruns, late, bursts;
	double handler_runs, bh_runs, coalesced, lat_p99_ns;
	unsigned int vcpus;
	bool has_warm;
	double w_generated, w_dropped, w_overruns;
};

enum outcome {
	ZERO_LOSS,
	LOSSY, /* every valid run lost words */
	GEN_LATE, /* no valid run: over LATE_LIMIT of the bursts late */
};

static const char *const outcome_name[] = { "zero loss", "loss",
					    "generator late" };

struct probe {
	enum outcome outcome;
	unsigned int runs, lossy_runs; /* lossy: valid, in the steady state */
	unsigned int startup_lossy_runs; /* words lost in the start-up */
	double startup_max; /* the most words a run lost in it */
	bool any_clean; /* a run without any loss, start-up included */
	struct run r; /* the run that decided */
};

struct driver {
	const char *path;
	char name[BENCH_NAME_LEN]; /* basename */
	char scenario[BENCH_NAME_LEN]; /* "rx_tasklet (a)" */
	char title[160]; /* the program's first line */
	struct probe probes[MAX_PROBES];
	unsigned int nprobes;
};

/* Steady state: after the start-up. */
static double s_dropped(const struct run *r)
{
	return r->dropped - r->w_dropped;
}

static double s_overruns(const struct run *r)
{
	return r->overruns - r->w_overruns;
}

static double s_generated(const struct run *r)
{
	return r->generated - r->w_generated;
}

static double loss(const struct run *r)
{
	return s_dropped(r) + s_overruns(r);
}

static double startup_loss(const struct run *r)
{
	return r->w_dropped + r->w_overruns;
}

static double late_fraction(const struct run *r)
{
	return r->bursts > 0 ? r->late / r->bursts : 0;
}

/* @x rounded to three significant digits. */
static double round3(double x)
{
	double p = pow(10, floor(log10(x)) - 2);

	return round(x / p) * p;
}

/* ------------------------------------------------------------------ */
/* Running a driver program                                            */
/* ------------------------------------------------------------------ */

/* The value of @key in the key=value line @line; dies (validation) if
 * the key is missing. */
static double kv(const char *line, const char *key, const struct driver *d)
{
	size_t n = strlen(key);

	for (const char *p = line; (p = strstr(p, key)) != NULL; p += n) {
		char *end;
		double v;

		if ((p != line && p[-1] != ' ') || p[n] != '=')
			continue;
		v = strtod(p + n + 1, &end);
		if (end == p + n + 1)
			break;
		return v;
	}
	bench_check(false, "%s: no %s= in its summary line", d->name, key);
	return 0;
}

/* Read everything the child writes until it closes the pipe; dies if it
 * takes longer than @timeout_s. */
static size_t read_child(int fd, pid_t pid, char *buf, size_t size,
			 double timeout_s, const struct driver *d)
{
	uint64_t deadline = bench_now_ns() + (uint64_t)(timeout_s * 1e9);
	size_t len = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		uint64_t now = bench_now_ns();
		ssize_t got;
		int n;

		if (now >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			bench_check(false, "%s did not finish within %.0f s",
				    d->name, timeout_s);
		}
		n = poll(&pfd, 1, (int)((deadline - now) / 1000000 + 1));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			bench_die("poll: %s", strerror(errno));
		if (n == 0)
			continue;
		if (len + 1 >= size) { /* keep the end: the line is last */
			memmove(buf, buf + size / 2, len - size / 2);
			len -= size / 2;
		}
		got = read(fd, buf + len, size - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			bench_die("reading from %s: %s", d->name,
				  strerror(errno));
		if (got == 0)
			break;
		len += (size_t)got;
	}
	buf[len] = '\0';
	return len;
}

/* The last line before @line in @out that is neither the kernel-style log
 * ("[    0.004] rxdev ...") nor the progress line ("\r[  0.0 s] ..."): the
 * program's title. */
static void find_title(struct driver *d, const char *out, const char *line)
{
	const char *start = out;

	for (const char *p = out; p < line; p++) {
		const char *end = strchr(p, '\n');

		if (!end || end >= line)
			break;
		if (*p != '[' && *p != '\r' && end > p)
			start = p;
		p = end;
	}
	if (start < line && *start != '[' && *start != '\r')
		snprintf(d->title, sizeof(d->title), "%.*s",
			 (int)(strchr(start, '\n') - start), start);
}

/* fork + exec @argv with all of @b's CPUs allowed, timer slack 1 ns and
 * stdout and stderr into a pipe; returns the child, *@fd the pipe. */
static pid_t spawn(const struct bench *b, char **argv, int *fd)
{
	cpu_set_t all;
	int p[2];
	pid_t pid;

	CPU_ZERO(&all);
	for (int i = 0; i < b->ncpus; i++)
		CPU_SET(b->cpus[i], &all);
	if (pipe(p) != 0)
		bench_die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		bench_die("fork: %s", strerror(errno));
	if (pid == 0) {
		/* Only async-signal-safe calls until exec. */
		sched_setaffinity(0, sizeof(all), &all);
		prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

/* The words a run of @c at @rate generates (usoftirq/generator.h: every
 * burst whose unshifted time is below the duration). */
static double expected_bursts(const struct config *c, double rate)
{
	double interval_ns = (double)c->burst / rate * 1e9;

	return ceil(floor(c->duration_s * 1e9) / interval_ns);
}

/*
 * The start-up sample: the second record of the progress line the demo
 * prints on stderr every 250 ms ("\r[  0.3 s] generated N  delivered N
 * dropped N  overruns N  irqs N"; the first is taken at 0 s, the last
 * after the generator stopped), when there are at least three.
 */
static void read_warm(const char *out, const char *line, struct run *r,
		      const struct driver *d)
{
	const char *p = out;
	unsigned int n = 0;
	double w[3] = { 0 };

	while ((p = strstr(p, "\r[")) != NULL && p < line) {
		double t, g, del, drop, ovr;

		if (sscanf(p,
			   "\r[%lf s] generated %lf delivered %lf dropped "
			   "%lf overruns %lf",
			   &t, &g, &del, &drop, &ovr) == 5) {
			if (n == 1)
				w[0] = g, w[1] = drop, w[2] = ovr;
			n++;
		}
		p += 2;
	}
	r->has_warm = n >= 3;
	if (!r->has_warm)
		return;
	r->w_generated = w[0];
	r->w_dropped = w[1];
	r->w_overruns = w[2];
	bench_check(w[0] <= r->generated && w[1] <= r->dropped &&
			    w[2] <= r->overruns,
		    "%s at %.0f words/s: its progress line counts more than "
		    "its books",
		    d->name, r->rate);
}

/* Run driver @d once at @rate and validate its books. */
static void run_driver(const struct bench *b, const struct config *c,
		       struct driver *d, double rate, struct run *r)
{
	char a_rate[48], a_burst[32], a_fifo[32], a_dur[48];
	char *argv[] = { (char *)d->path,
			 "--summary-format=kv",
			 a_rate,
			 a_burst,
			 a_fifo,
			 a_dur,
			 NULL };
	static char out[65536];
	char *line;
	int status, fd;
	double bursts;
	pid_t pid;

	snprintf(a_rate, sizeof(a_rate), "--rate=%.0f", rate);
	snprintf(a_burst, sizeof(a_burst), "--burst=%u", c->burst);
	snprintf(a_fifo, sizeof(a_fifo), "--fifo-depth=%u", c->fifo_depth);
	snprintf(a_dur, sizeof(a_dur), "--duration=%.6g", c->duration_s);
	pid = spawn(b, argv, &fd);
	read_child(fd, pid, out, sizeof(out), c->duration_s + CHILD_SLACK_S, d);
	close(fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			bench_die("waitpid: %s", strerror(errno));
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		fprintf(stderr, "%s", out);
	bench_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "%s at %.0f words/s: exit status %d (its books do not "
		    "balance or it failed; output above)",
		    d->name, rate,
		    WIFEXITED(status) ? WEXITSTATUS(status) :
					128 + WTERMSIG(status));
	line = strstr(out, "rxdemo rate=");
	bench_check(line != NULL, "%s: no summary line (rxdemo rate=...)",
		    d->name);
	if (!d->title[0]) /* the line before: what the driver is */
		find_title(d, out, line);
	*r = (struct run){
		.rate = rate,
		.generated = kv(line, "generated", d),
		.delivered = kv(line, "delivered", d),
		.dropped = kv(line, "dropped", d),
		.overruns = kv(line, "overruns", d),
		.late = kv(line, "late_bursts", d),
		.handler_runs = kv(line, "handler_runs", d),
		.bh_runs = kv(line, "bh_runs", d),
		.coalesced = kv(line, "coalesced", d),
		.lat_p99_ns = kv(line, "lat_p99_ns", d),
		.vcpus = (unsigned int)kv(line, "vcpus", d),
	};
	bench_check(kv(line, "balanced", d) == 1 && kv(line, "drained", d) == 1,
		    "%s at %.0f words/s: the books do not balance", d->name,
		    rate);
	bench_check(r->generated == r->delivered + r->dropped + r->overruns,
		    "%s at %.0f words/s: generated %.0f != delivered %.0f + "
		    "dropped %.0f + overruns %.0f",
		    d->name, rate, r->generated, r->delivered, r->dropped,
		    r->overruns);
	read_warm(out, line, r, d);
	bursts = expected_bursts(c, rate);
	r->bursts = r->generated / c->burst;
	bench_check(fabs(r->bursts - bursts) <= 1 &&
			    fmod(r->generated, c->burst) == 0,
		    "%s at %.0f words/s: %.0f words generated; the schedule "
		    "has %.0f bursts of %u",
		    d->name, rate, r->generated, bursts, c->burst);
}

/* ------------------------------------------------------------------ */
/* Probes and the search                                               */
/* ------------------------------------------------------------------ */

static enum outcome probe(const struct bench *b, const struct config *c,
			  struct driver *d, double rate, struct run *out)
{
	struct probe *p = &d->probes[d->nprobes < MAX_PROBES ? d->nprobes++ :
							       MAX_PROBES - 1];
	struct run r, best = { 0 };
	bool have_best = false;

	p->outcome = GEN_LATE;
	p->runs = 0;
	p->lossy_runs = 0;
	p->startup_lossy_runs = 0;
	p->startup_max = 0;
	p->any_clean = false;
	for (unsigned int a = 0; a < c->attempts; a++) {
		run_driver(b, c, d, rate, &r);
		p->runs++;
		p->startup_lossy_runs += startup_loss(&r) > 0;
		p->startup_max = fmax(p->startup_max, startup_loss(&r));
		if (late_fraction(&r) > LATE_LIMIT)
			continue; /* not a valid run: the generator was late */
		p->any_clean |= loss(&r) + startup_loss(&r) == 0;
		if (loss(&r) == 0) {
			p->outcome = ZERO_LOSS;
			break;
		}
		p->lossy_runs++;
		if (!have_best || r.late < best.late)
			best = r, have_best = true;
	}
	if (p->outcome == ZERO_LOSS) {
		p->r = r;
	} else if (have_best) {
		p->outcome = LOSSY;
		p->r = best;
	} else {
		p->r = r; /* the last run, with its late bursts */
	}
	bench_progress(b,
		       "%s: %.0f words/s: %s (steady state: dropped %.0f "
		       "overruns %.0f; start-up: lost %.0f; late bursts %.0f "
		       "of %.0f; %u of %u runs lossy)",
		       d->name, rate, outcome_name[p->outcome],
		       s_dropped(&p->r), s_overruns(&p->r), startup_loss(&p->r),
		       p->r.late, p->r.bursts, p->lossy_runs, p->runs);
	*out = p->r;
	return p->outcome;
}

/* The highest rate below @below that a probe found zero-loss, or 0. */
static double ok_below(const struct driver *d, double below)
{
	double best = 0;

	for (unsigned int i = 0; i < d->nprobes; i++)
		if (d->probes[i].outcome == ZERO_LOSS &&
		    d->probes[i].r.rate < below && d->probes[i].r.rate > best)
			best = d->probes[i].r.rate;
	return best;
}

struct result {
	double lo; /* highest zero-loss rate, 0: none */
	struct run lo_run;
	bool confirmed;
	double hi; /* lowest other rate above it, 0: none up to max */
	enum outcome hi_outcome;
	struct run hi_run;
	uint64_t start_ns;
	bool cut; /* the time budget ran out */
};

static bool over_budget(const struct config *c, struct result *res)
{
	if (bench_now_ns() - res->start_ns > (uint64_t)(c->budget_s * 1e9))
		res->cut = true;
	return res->cut;
}

static void bisect(const struct bench *b, const struct config *c,
		   struct driver *d, struct result *res)
{
	struct run r;

	while (res->hi && res->hi / res->lo > c->precision &&
	       !over_budget(c, res)) {
		double mid = round3(sqrt(res->lo * res->hi));
		enum outcome o;

		if (mid <= res->lo || mid >= res->hi)
			break;
		o = probe(b, c, d, mid, &r);
		if (o == ZERO_LOSS) {
			res->lo = mid, res->lo_run = r;
		} else {
			res->hi = mid, res->hi_outcome = o, res->hi_run = r;
		}
	}
}

static void search(const struct bench *b, const struct config *c,
		   struct driver *d, struct result *res)
{
	double rate = c->start_rate;
	struct run r;
	enum outcome o;

	memset(res, 0, sizeof(*res));
	res->start_ns = bench_now_ns();
	for (;;) { /* up by doubling */
		o = probe(b, c, d, rate, &r);
		if (o != ZERO_LOSS) {
			res->hi = rate, res->hi_outcome = o, res->hi_run = r;
			break;
		}
		res->lo = rate, res->lo_run = r;
		if (rate * 2 > c->max_rate)
			break;
		rate *= 2;
	}
	while (!res->lo && rate > 1000) { /* or down by halving */
		rate = round3(rate / 2);
		o = probe(b, c, d, rate, &r);
		if (o == ZERO_LOSS)
			res->lo = rate, res->lo_run = r;
		else
			res->hi = rate, res->hi_outcome = o, res->hi_run = r;
	}
	for (unsigned int round = 0; res->lo && round < 3; round++) {
		bisect(b, c, d, res);
		res->confirmed = true;
		for (unsigned int k = 0; k < c->confirms; k++) {
			if (over_budget(c, res)) {
				res->confirmed = false;
				break;
			}
			o = probe(b, c, d, res->lo, &r);
			if (o == ZERO_LOSS)
				continue;
			res->confirmed = false;
			res->hi = res->lo, res->hi_outcome = o, res->hi_run = r;
			res->lo = ok_below(d, res->lo);
			break;
		}
		if (res->confirmed || res->cut)
			break;
	}
	if (res->lo) { /* the decisive run of the last probe at lo */
		for (unsigned int i = d->nprobes; i-- > 0;)
			if (d->probes[i].r.rate == res->lo) {
				res->lo_run = d->probes[i].r;
				break;
			}
	}
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

/* Which counter took the steady-state loss of @r. */
static const char *loss_taker(const struct run *r)
{
	if (s_overruns(r) > 0 && s_dropped(r) == 0)
		return "device FIFO overruns";
	if (s_dropped(r) > 0 && s_overruns(r) == 0)
		return "driver ring drops";
	return s_overruns(r) >= s_dropped(r) ? "both; mostly FIFO overruns" :
					       "both; mostly driver ring drops";
}

/* One point per rate probed: the worst deciding run at that rate. */
static void plot_driver(struct bench *b, const struct driver *d)
{
	double rates[MAX_PROBES];
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->nprobes; i++) {
		bool seen = false;

		for (unsigned int j = 0; j < n; j++)
			seen |= rates[j] == d->probes[i].r.rate;
		if (!seen)
			rates[n++] = d->probes[i].r.rate;
	}
	/* Ascending (insertion sort: a few dozen rates). */
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && rates[j - 1] > rates[j];
		     j--) {
			double t = rates[j];

			rates[j] = rates[j - 1];
			rates[j - 1] = t;
		}
	for (unsigned int i = 0; i < n; i++) {
		double delivered = 1, late = 0;

		for (unsigned int j = 0; j < d->nprobes; j++) {
			const struct run *r = &d->probes[j].r;

			if (r->rate != rates[i] || s_generated(r) <= 0)
				continue;
			delivered =
				fmin(delivered, 1 - loss(r) / s_generated(r));
			late = fmax(late, late_fraction(r));
		}
		bench_series_point(b, FIG_DELIVERED, d->scenario, rates[i],
				   delivered);
		bench_series_point(b, FIG_LATE, d->scenario, rates[i], late);
	}
}

/* The probes in order, as notes of at most ~230 characters. */
static void note_probes(struct bench *b, const struct driver *d)
{
	char text[512];
	size_t len = 0;

	len = (size_t)snprintf(text, sizeof(text),
			       "probes in order (k words/s; ok: a valid run "
			       "had no steady-state loss; LOSS or GEN-LATE "
			       "xN: none of N runs did):");
	for (unsigned int i = 0; i < d->nprobes; i++) {
		const struct probe *p = &d->probes[i];
		char item[96];
		int n;

		if (p->outcome == ZERO_LOSS && !p->lossy_runs)
			n = snprintf(item, sizeof(item), " %.4gk ok;",
				     p->r.rate / 1e3);
		else if (p->outcome == ZERO_LOSS)
			n = snprintf(item, sizeof(item),
				     " %.4gk ok after %u lossy;",
				     p->r.rate / 1e3, p->lossy_runs);
		else
			n = snprintf(item, sizeof(item),
				     " %.4gk %s x%u (drop %.0f ovr %.0f late "
				     "%.0f);",
				     p->r.rate / 1e3,
				     p->outcome == LOSSY ? "LOSS" : "GEN-LATE",
				     p->runs, s_dropped(&p->r),
				     s_overruns(&p->r), p->r.late);
		if (len + (size_t)n > 225) {
			bench_scenario_note(b, d->scenario, "%s", text);
			len = (size_t)snprintf(text, sizeof(text), "  ...");
		}
		memcpy(text + len, item, (size_t)n + 1);
		len += (size_t)n;
	}
	bench_scenario_note(b, d->scenario, "%s", text);
}

/* How many runs lost words at rates a probe found zero-loss. */
static void note_noise(struct bench *b, const struct driver *d)
{
	unsigned int runs = 0, lossy = 0, no_warm = 0;

	for (unsigned int i = 0; i < d->nprobes; i++) {
		no_warm += !d->probes[i].r.has_warm;
		if (d->probes[i].outcome != ZERO_LOSS)
			continue;
		runs += d->probes[i].runs;
		lossy += d->probes[i].lossy_runs;
	}
	if (lossy)
		bench_scenario_note(b, d->scenario,
				    "%u of %u runs at zero-loss rates lost "
				    "words in the steady state (sporadic: "
				    "other load on the machine delays the "
				    "pinned vCPU workers)",
				    lossy, runs);
	if (no_warm)
		bench_scenario_note(b, d->scenario,
				    "%u runs too short for a start-up sample "
				    "(--seconds below 0.5): judged on the "
				    "whole run",
				    no_warm);
}

/* Loss in the start-up: over all runs, and the highest rate probed, up
 * to @lo, at which a run lost nothing at all. */
static void report_startup(struct bench *b, const struct driver *d, double lo)
{
	unsigned int runs = 0, lossy = 0;
	double clean = 0, words = 0;
	struct bench_row *row;

	for (unsigned int i = 0; i < d->nprobes; i++) {
		const struct probe *p = &d->probes[i];

		runs += p->runs;
		lossy += p->startup_lossy_runs;
		if (p->any_clean && p->r.rate > clean && p->r.rate <= lo)
			clean = p->r.rate;
		words = fmax(words, p->startup_max);
	}
	if (!clean) {
		bench_add_skipped(b, d->scenario,
				  "highest rate with no loss at all", BENCH_REF,
				  "no run up to the highest zero-loss rate "
				  "was free of loss (start-up included)");
	} else {
		row = bench_add_value(b, d->scenario,
				      "highest rate with no loss at all",
				      BENCH_REF, "words/s", clean, true);
		bench_row_note(row, "start-up included; among the rates "
				    "probed up to the highest zero-loss one");
	}
	row = bench_add_value(b, d->scenario, "runs with start-up loss",
			      BENCH_REF, "runs", lossy, false);
	bench_row_note(row,
		       "of %u; words lost in the first 0.25 s of a run (up "
		       "to %.0f)",
		       runs, words);
}

static void report_driver(struct bench *b, const struct config *c,
			  struct driver *d, const struct result *res)
{
	struct bench_row *row;

	if (d->title[0])
		bench_scenario_note(b, d->scenario, "%s", d->title);
	if (res->lo) {
		row = bench_add_value(b, d->scenario, "highest zero-loss rate",
				      BENCH_SUBJECT, "words/s", res->lo, true);
		bench_row_note(row,
			       "%s; %u vCPUs; %.0f interrupts; late bursts "
			       "%.0f of %.0f; start-up loss %.0f",
			       res->confirmed ? "confirmed" : "NOT confirmed",
			       res->lo_run.vcpus, res->lo_run.handler_runs,
			       res->lo_run.late, res->lo_run.bursts,
			       startup_loss(&res->lo_run));
		row = bench_add_value(b, d->scenario, "IRQ to BH p99 there",
				      BENCH_REF, "us",
				      res->lo_run.lat_p99_ns / 1e3, false);
		bench_row_note(row, "%.0f bottom-half runs; %.0f coalesced",
			       res->lo_run.bh_runs, res->lo_run.coalesced);
	} else {
		bench_add_skipped(b, d->scenario, "highest zero-loss rate",
				  BENCH_SUBJECT,
				  "words lost even at %.0f words/s",
				  res->hi_run.rate);
	}
	if (!res->hi) {
		bench_add_skipped(b, d->scenario, "first lossy rate", BENCH_REF,
				  "no loss up to %.0f words/s (--max-rate)",
				  c->max_rate);
	} else if (res->hi_outcome == LOSSY) {
		row = bench_add_value(b, d->scenario, "first lossy rate",
				      BENCH_REF, "words/s", res->hi, false);
		bench_row_note(row, "taken by %s: dropped %.0f overruns %.0f",
			       loss_taker(&res->hi_run),
			       s_dropped(&res->hi_run),
			       s_overruns(&res->hi_run));
		bench_row_extra(row, "lost %",
				100 * loss(&res->hi_run) /
					s_generated(&res->hi_run));
	} else {
		bench_add_skipped(b, d->scenario, "first lossy rate", BENCH_REF,
				  "not found below %.0f words/s: the "
				  "generator could not keep that rate",
				  res->hi);
		row = bench_add_value(b, d->scenario, "generator late from",
				      BENCH_REF, "words/s", res->hi, false);
		bench_row_note(row,
			       "no valid run: late %.0f of %.0f bursts; the "
			       "search goes no higher; lost there: dropped "
			       "%.0f overruns %.0f",
			       res->hi_run.late, res->hi_run.bursts,
			       s_dropped(&res->hi_run),
			       s_overruns(&res->hi_run));
		bench_row_extra(row, "late %",
				100 * late_fraction(&res->hi_run));
	}
	report_startup(b, d, res->lo);
	if (res->cut)
		bench_scenario_note(b, d->scenario,
				    "the search was cut short: %.0f s per "
				    "driver spent",
				    c->budget_s);
	note_probes(b, d);
	note_noise(b, d);
	plot_driver(b, d);
}

/* ------------------------------------------------------------------ */
/* The generator alone                                                 */
/* ------------------------------------------------------------------ */

static int accept_word(void *arg, uint32_t word)
{
	(void)arg;
	(void)word;
	return 0;
}

/* Late bursts of the generator alone at @rate: the fewest of up to
 * @runs runs (it stops at a run without any). */
static double gen_alone(const struct config *c, double rate, unsigned int runs,
			double duration_s, double *bursts)
{
	struct usoftirq_generator_config gc = {
		.rate = rate,
		.burst = c->burst,
		.duration_ns = (uint64_t)(duration_s * 1e9),
		.jitter = 0.2,
		.seed = 1,
	};
	double best = INFINITY;

	for (unsigned int i = 0; i < runs && !(best <= 0); i++) {
		struct usoftirq_generator_stats st;
		struct usoftirq_generator *g;
		int err = usoftirq_generator_start(&g, &gc, accept_word, NULL);

		if (err)
			bench_die("usoftirq_generator_start: %s",
				  strerror(-err));
		usoftirq_generator_wait(g);
		usoftirq_generator_get_stats(g, &st);
		usoftirq_generator_stop(g);
		bench_check(st.generated == st.accepted && st.rejected == 0,
			    "generator alone: %lu generated, %lu accepted",
			    st.generated, st.accepted);
		*bursts = (double)st.generated / c->burst;
		best = fmin(best, (double)st.late_bursts);
	}
	return best;
}

static void run_generator_alone(struct bench *b, const struct config *c)
{
	double duration = fmin(c->duration_s, 0.2), bursts = 0;
	double lo = 0, hi = 0, late;
	unsigned long slack =
		(unsigned long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	cpu_set_t all;
	struct bench_row *row;

	/* Unpinned and with a timer slack of 1 ns, as in the children. */
	CPU_ZERO(&all);
	for (int i = 0; i < b->ncpus; i++)
		CPU_SET(b->cpus[i], &all);
	if (sched_setaffinity(0, sizeof(all), &all) != 0)
		bench_die("sched_setaffinity: %s", strerror(errno));
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	for (double rate = c->start_rate; rate <= c->max_rate; rate *= 2) {
		late = gen_alone(c, rate, 2, duration, &bursts);
		bench_series_point(b, FIG_LATE, SC_GEN, rate, late / bursts);
		if (late / bursts > LATE_LIMIT) {
			hi = rate;
			break;
		}
		lo = rate;
	}
	while (lo && hi && hi / lo > c->precision) {
		double mid = round3(sqrt(lo * hi));

		if (mid <= lo || mid >= hi)
			break;
		late = gen_alone(c, mid, 2, duration, &bursts);
		if (late / bursts > LATE_LIMIT)
			hi = mid;
		else
			lo = mid;
	}
	prctl(PR_SET_TIMERSLACK, slack, 0UL, 0UL, 0UL);
	bench_pin_self(b->sender_cpu);
	if (!lo) {
		bench_add_skipped(b, SC_GEN, "highest rate it keeps", BENCH_REF,
				  "over 10%% of bursts late even at %.0f "
				  "words/s",
				  hi);
		return;
	}
	row = bench_add_value(b, SC_GEN, "highest rate it keeps", BENCH_REF,
			      "words/s", lo, true);
	if (hi)
		bench_row_note(row, "over 10%% of bursts late at %.0f words/s",
			       hi);
	else
		bench_row_note(row, "kept up to %.0f words/s (--max-rate)",
			       c->max_rate);
	bench_scenario_note(b, SC_GEN,
			    "context: the generator thread by itself (a sink "
			    "that accepts every word; bursts of %u; %.2f s "
			    "runs; best of two): it keeps a rate when at most "
			    "10%% of its bursts start more than one interval "
			    "after their deadline",
			    c->burst, duration);
}

/* ------------------------------------------------------------------ */
/* Arguments                                                           */
/* ------------------------------------------------------------------ */

static double arg_number(const char *arg, const char *prefix, double min,
			 double max)
{
	char *end;
	double v = strtod(arg + strlen(prefix), &end);

	if (*end || !(v >= min && v <= max))
		bench_die("bad argument '%s'", arg);
	return v;
}

static unsigned int parse_args(const struct bench *b, struct config *c,
			       struct driver *drivers)
{
	unsigned int n = 0;

	for (int i = 0; i < b->rest_argc; i++) {
		const char *a = b->rest_argv[i];
		const char *base;
		struct driver *d;

		if (!strncmp(a, "--burst=", 8)) {
			c->burst = (unsigned int)arg_number(a, "--burst=", 1,
							    1 << 20);
			continue;
		}
		if (!strncmp(a, "--fifo-depth=", 13)) {
			c->fifo_depth = (unsigned int)arg_number(
				a, "--fifo-depth=", 1, 1 << 20);
			continue;
		}
		if (!strncmp(a, "--start-rate=", 13)) {
			c->start_rate =
				arg_number(a, "--start-rate=", 100, 1e9);
			continue;
		}
		if (!strncmp(a, "--max-rate=", 11)) {
			c->max_rate = arg_number(a, "--max-rate=", 100, 1e9);
			continue;
		}
		if (a[0] == '-')
			bench_die("unknown argument '%s' after --", a);
		if (n == MAX_DRIVERS)
			bench_die("at most %d driver programs", MAX_DRIVERS);
		if (access(a, X_OK) != 0)
			bench_die("cannot run %s: %s", a, strerror(errno));
		d = &drivers[n++];
		d->path = a;
		base = strrchr(a, '/');
		snprintf(d->name, sizeof(d->name), "%s", base ? base + 1 : a);
	}
	return n;
}

/* "rx_tasklet (a)": the name and the letter of the title's "(x)". */
static void name_scenario(struct driver *d)
{
	const char *p = strchr(d->title, '(');

	if (p && p[1] && p[2] == ')')
		snprintf(d->scenario, sizeof(d->scenario), "%.48s (%c)",
			 d->name, p[1]);
	else
		snprintf(d->scenario, sizeof(d->scenario), "%s", d->name);
}

int main(int argc, char **argv)
{
	static struct driver drivers[MAX_DRIVERS];
	struct config c = {
		.burst = 16,
		.fifo_depth = 64,
		.start_rate = 25000,
		.max_rate = 12.8e6,
	};
	struct bench b;
	unsigned int n;

	bench_init(&b, &spec, argc, argv);
	n = parse_args(&b, &c, drivers);
	c.duration_s = b.seconds;
	c.attempts = b.reps;
	c.confirms = b.quick ? 1 : 2;
	c.precision = b.quick ? 1.25 : 1.1;
	c.budget_s = b.quick ? 15 : 35;
	if (!n) {
		bench_add_skipped(&b, "drivers", "highest zero-loss rate",
				  BENCH_SUBJECT,
				  "no driver program given (-- PROGRAM...)");
		return bench_finish(&b);
	}
	if (b.smoke) {
		for (unsigned int i = 0; i < n; i++) {
			struct run r;

			run_driver(&b, &c, &drivers[i], SMOKE_RATE, &r);
			name_scenario(&drivers[i]);
			bench_add_value(&b, drivers[i].scenario,
					"delivered / generated", BENCH_SUBJECT,
					"", r.delivered / r.generated, true);
		}
		return bench_finish(&b);
	}
	bench_figure(&b, FIG_DELIVERED,
		     "Q9 steady-state delivered / generated against the "
		     "generator rate",
		     "generator rate (words/s)", "delivered / generated", true);
	bench_figure(&b, FIG_LATE,
		     "Q9 late generator bursts against the generator rate",
		     "generator rate (words/s)", "fraction of bursts late",
		     true);
	bench_progress(&b, "the generator alone");
	run_generator_alone(&b, &c);
	for (unsigned int i = 0; i < n; i++) {
		struct result res;

		bench_progress(&b, "%s", drivers[i].name);
		search(&b, &c, &drivers[i], &res);
		name_scenario(&drivers[i]);
		report_driver(&b, &c, &drivers[i], &res);
		bench_scenario_note(&b, drivers[i].scenario,
				    "bursts of %u words; device FIFO %u words; "
				    "%.2f s per run; up to %u runs per rate",
				    c.burst, c.fifo_depth, c.duration_s,
				    c.attempts);
	}
	return bench_finish(&b);
}
