/* SPDX-License-Identifier: MIT */
/*
 * The harness every program in bench/ uses.
 *
 * A program answers one question of issue 5. It measures, in one process
 * run, the machine's floor for the operation, the peers a user would
 * otherwise use, and usoftirq; it checks that every expected callback ran;
 * and only then prints. The harness provides:
 *
 *  - the command line all programs share (bench_usage() lists it);
 *  - CPU placement: the CPUs the process may use, a sender CPU and a
 *    target CPU (first and last allowed ones unless --cpus says otherwise),
 *    and pinning;
 *  - the clock: CLOCK_MONOTONIC through the vDSO, the same clock on every
 *    CPU; its own cost is measured and printed with the machine;
 *  - results: a row per subject in a scenario, either a distribution
 *    (p50, p99, max from sorted samples) or a single value (throughput),
 *    each with a role; ratios to the scenario's floor and best peer are
 *    computed at the end;
 *  - goals: a ratio against a limit, printed PASS or MISSED with the ratio;
 *  - files under --out: <slug>.csv (every row and goal), <slug>.md (the
 *    same tables in markdown, for bench/README.md), raw/<slug>__*.cdf (every
 *    latency sample, sorted, for CDF plots) and plot/<figure>__*.dat with
 *    plot/<figure>.meta (x-y series). run_all.sh turns them into PNGs and
 *    the README table.
 *
 * Only what a program prints after bench_finish() is a result: programs
 * validate before adding rows, and exit with status 3 (and no table) when
 * a validation fails.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* What a row is, within its scenario. */
enum bench_role {
	BENCH_FLOOR, /* what the machine can physically do */
	BENCH_PEER, /* what a user would otherwise use */
	BENCH_REF, /* context only: neither floor nor peer in the ratios */
	BENCH_SUBJECT, /* usoftirq */
};

/* Which number of a row a goal or a ratio looks at. */
enum bench_metric {
	BENCH_P50,
	BENCH_P99,
	BENCH_VALUE, /* the single value of a value row */
};

/* What a goal compares the subject with. */
enum bench_against {
	BENCH_VS_FLOOR, /* the scenario's first floor row */
	BENCH_VS_BEST_PEER, /* the best of the scenario's peer rows */
	BENCH_VS_ROW, /* the row named in the goal */
	BENCH_VS_NOTHING, /* the metric itself, not a ratio */
};

#define BENCH_NAME_LEN 64
#define BENCH_MAX_CPUS 1024

/* A growing array of samples, in nanoseconds. */
struct bench_samples {
	double *v;
	size_t n, cap;
};

/* Description of one program, given to bench_init(). */
struct bench_spec {
	const char *id; /* "Q1" */
	const char *slug; /* "q1_wake_sleeping": file names */
	const char *title; /* the question, one line, no comma */
	const char *method; /* how it measures, printed with --help */
	unsigned int samples, quick_samples; /* per subject */
	double seconds, quick_seconds; /* per throughput measurement */
	unsigned int reps, quick_reps; /* throughput repetitions */
	unsigned int min_cpus; /* fewer allowed CPUs: the program skips */
};

struct bench_row;
struct bench_goal;
struct bench_note;

/* One run of one program. */
struct bench {
	const struct bench_spec *spec;
	/* Options (bench_usage() documents them). */
	bool quick, smoke;
	unsigned int samples, reps;
	double seconds;
	unsigned int settle_us;
	const char *out_dir;
	int rest_argc; /* arguments after "--" */
	char **rest_argv;
	/* CPU placement. */
	int ncpus; /* CPUs the process may run on */
	int cpus[BENCH_MAX_CPUS];
	int sender_cpu, target_cpu;
	/* Measured at start-up. */
	double clock_ns; /* cost of one bench_now_ns() */
	/* Results. */
	struct bench_row *rows;
	size_t nrows, rows_cap;
	struct bench_goal *goals;
	size_t ngoals, goals_cap;
	struct bench_note *notes;
	size_t nnotes;
	uint64_t start_ns;
};

/* The object that contains @ptr as its member @member. */
#define bench_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* ------------------------------------------------------------------ */
/* Set-up, options, failure                                            */
/* ------------------------------------------------------------------ */

/* Parse the command line, find the CPUs, pin the caller to the sender
 * CPU, measure the clock. Exits on --help, bad options, or too few CPUs
 * (status 0, printing SKIPPED). */
void bench_init(struct bench *b, const struct bench_spec *spec, int argc,
		char **argv);

/* Print the results, write the files, free everything. Returns the
 * program's exit status (0: goals are reported, never enforced). */
int bench_finish(struct bench *b);

/* Print "<slug>: <message>" and exit with status 2 (set-up failure). */
__attribute__((noreturn, format(printf, 1, 2))) void bench_die(const char *fmt,
							       ...);

/* Unless @ok, print "VALIDATION FAILED" with the message and exit with
 * status 3, before any result is printed. */
__attribute__((format(printf, 2, 3))) void bench_check(bool ok, const char *fmt,
						       ...);

/* Progress on stderr (not a result); silent with --smoke. */
__attribute__((format(printf, 2, 3))) void bench_progress(const struct bench *b,
							  const char *fmt, ...);

/* ------------------------------------------------------------------ */
/* CPUs and time                                                       */
/* ------------------------------------------------------------------ */

/* Pin the calling thread to @cpu; dies if the kernel refuses. */
void bench_pin_self(int cpu);

/* The calling thread's kernel thread id. */
pid_t bench_gettid(void);

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

/* Busy-wait for @ns nanoseconds (work that keeps a CPU busy). */
void bench_spin_ns(uint64_t ns);

/* Sleep for @ns nanoseconds, leaving the CPU to the threads measured. */
void bench_sleep_ns(uint64_t ns);

/* A small deterministic random number generator (xorshift64). */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/*
 * Wait until thread @tid sleeps (state S in /proc/self/task/<tid>/stat),
 * then busy-wait b->settle_us more so that its CPU has gone idle. Dies
 * if the thread does not go to sleep within a second.
 */
void bench_wait_asleep(const struct bench *b, pid_t tid);

/* ------------------------------------------------------------------ */
/* Samples and results                                                 */
/* ------------------------------------------------------------------ */

void bench_samples_init(struct bench_samples *s, size_t cap);
void bench_samples_add(struct bench_samples *s, double ns);
void bench_samples_free(struct bench_samples *s);

/*
 * Add a distribution row. @s is sorted in place; @unit is "us" or "ns"
 * (the samples are nanoseconds); the samples are also written, sorted,
 * to raw/<slug>__<scenario>__<subject>.cdf for the CDF plots.
 */
struct bench_row *bench_add_dist(struct bench *b, const char *scenario,
				 const char *subject, enum bench_role role,
				 const char *unit, struct bench_samples *s);

/* Add a single-value row (a throughput: @higher_better). */
struct bench_row *bench_add_value(struct bench *b, const char *scenario,
				  const char *subject, enum bench_role role,
				  const char *unit, double value,
				  bool higher_better);

/* Attach an extra number to a row (e.g. system calls per call). */
void bench_row_extra(struct bench_row *r, const char *name, double value);

/* Attach a note to a row (why a peer is missing, how it was run). */
__attribute__((format(printf, 2, 3))) void bench_row_note(struct bench_row *r,
							  const char *fmt, ...);

/* A peer or floor that could not be measured: a row with only a note. */
__attribute__((format(printf, 5, 6))) void
bench_add_skipped(struct bench *b, const char *scenario, const char *subject,
		  enum bench_role role, const char *fmt, ...);

/* A line printed under the scenario's table (method, caveat). */
__attribute__((format(printf, 3, 4))) void
bench_scenario_note(struct bench *b, const char *scenario, const char *fmt,
		    ...);

/*
 * A goal: @subject's @metric divided by that of @against (the floor, the
 * best peer, or the row named @ref) must be at most (@at_most) or at
 * least @limit. Judged in bench_finish(); a goal whose reference is
 * missing is reported SKIPPED.
 */
void bench_goal(struct bench *b, const char *scenario, const char *subject,
		enum bench_metric metric, enum bench_against against,
		const char *ref, bool at_most, double limit);

/* A goal on a plain number (e.g. system calls: at most 0). */
void bench_goal_value(struct bench *b, const char *scenario,
		      const char *subject, const char *what, double value,
		      bool at_most, double limit);

/* A median (sorts @v). */
double bench_median(double *v, size_t n);

/* ------------------------------------------------------------------ */
/* x-y series for plots                                                */
/* ------------------------------------------------------------------ */

/* Describe figure @figure (plot/<figure>.meta); @logx: log-scale x. */
void bench_figure(struct bench *b, const char *figure, const char *title,
		  const char *xlabel, const char *ylabel, bool logx);

/* Ask for a CDF plot of every distribution of @scenario (a raw/<slug>__<scenario>.meta file). */
void bench_cdf_figure(struct bench *b, const char *scenario);

/* Append a point to the series @series of @figure. */
void bench_series_point(struct bench *b, const char *figure, const char *series,
			double x, double y);

/* ------------------------------------------------------------------ */
/* Receivers' time stamps                                              */
/* ------------------------------------------------------------------ */

/*
 * Where a receiver (a callback, a signal handler, a woken thread) records
 * when it ran: the time first, then the count with release, so that a
 * sender that sees the count (acquire) reads the matching time.
 * Async-signal-safe.
 */
struct bench_stamp {
	_Atomic uint64_t t;
	_Atomic uint64_t count;
} __attribute__((aligned(64)));

static inline void bench_stamp_hit(struct bench_stamp *s)
{
	atomic_store_explicit(&s->t, bench_now_ns(), memory_order_relaxed);
	atomic_fetch_add_explicit(&s->count, 1, memory_order_release);
}

/*
 * Wait until @s->count reaches @count; returns the stamp's time. Dies
 * (validation) if that takes more than @timeout_ns: a callback is lost.
 */
uint64_t bench_stamp_wait(struct bench_stamp *s, uint64_t count,
			  uint64_t timeout_ns, const char *what);

#endif /* BENCH_H */
