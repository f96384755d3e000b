/* SPDX-License-Identifier: MIT */
/*
 * The harness's command line, CPU placement, clock and waiting helpers.
 * Results, goals and output files are in results.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

static const char *prog_slug = "bench";

void bench_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_slug);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void bench_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	fprintf(stderr, "%s: VALIDATION FAILED: ", prog_slug);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

void bench_progress(const struct bench *b, const char *fmt, ...)
{
	va_list ap;

	if (b->smoke)
		return;
	fprintf(stderr, "%s: ", prog_slug);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static void usage(const struct bench_spec *spec, FILE *f)
{
	fprintf(f,
		"%s (%s): %s\n\n%s\n\n"
		"Options:\n"
		"  --quick         short run for development (noisy numbers)\n"
		"  --smoke         tiny run that only validates (goals not "
		"judged)\n"
		"  --samples N     samples or batches per subject (default "
		"%u)\n"
		"  --seconds S     length of one throughput measurement "
		"(default %g)\n"
		"  --reps N        throughput repetitions (default %u)\n"
		"  --settle-us N   idle time before each sleeping-target "
		"sample (default 50)\n"
		"  --cpus A,B      sender CPU and target CPU (default: "
		"first and last allowed)\n"
		"  --out DIR       where the CSV, markdown, CDF and series "
		"files go (default: results)\n"
		"  -- ARGS...      arguments for the program itself\n",
		spec->slug, spec->id, spec->title, spec->method, spec->samples,
		spec->seconds, spec->reps);
}

static unsigned int parse_uint(const char *opt, const char *val)
{
	char *end;
	unsigned long v;

	if (!val)
		bench_die("%s needs a value", opt);
	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || v == 0 || v > 100000000ul)
		bench_die("%s: bad value '%s'", opt, val);
	return (unsigned int)v;
}

static double parse_seconds(const char *opt, const char *val)
{
	char *end;
	double v;

	if (!val)
		bench_die("%s needs a value", opt);
	v = strtod(val, &end);
	if (*end || !(v > 0 && v < 3600))
		bench_die("%s: bad value '%s'", opt, val);
	return v;
}

static void parse_cpus(struct bench *b, const char *val)
{
	if (!val || sscanf(val, "%d,%d", &b->sender_cpu, &b->target_cpu) != 2)
		bench_die("--cpus needs A,B");
}

static void defaults(struct bench *b, const struct bench_spec *spec)
{
	memset(b, 0, sizeof(*b));
	b->spec = spec;
	b->samples = spec->samples;
	b->seconds = spec->seconds;
	b->reps = spec->reps;
	b->settle_us = 50;
	b->out_dir = "results";
	b->sender_cpu = -1;
	b->target_cpu = -1;
}

/* --quick and --smoke change the defaults that were not given. */
struct given {
	bool samples, seconds, reps;
};

static void apply_mode(struct bench *b, const struct given *g)
{
	const struct bench_spec *spec = b->spec;

	if (!b->quick && !b->smoke)
		return;
	if (!g->samples)
		b->samples = b->smoke ? (spec->quick_samples + 9) / 10 :
					spec->quick_samples;
	if (!g->seconds)
		b->seconds = b->smoke ? spec->quick_seconds / 5 :
					spec->quick_seconds;
	if (!g->reps)
		b->reps = b->smoke ? 1 : spec->quick_reps;
	if (b->samples == 0)
		b->samples = 1;
	if (b->reps == 0)
		b->reps = 1;
}

static void parse(struct bench *b, int argc, char **argv)
{
	struct given g = { false, false, false };

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--")) {
			b->rest_argc = argc - i - 1;
			b->rest_argv = argv + i + 1;
			break;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(b->spec, stdout);
			exit(0);
		} else if (!strcmp(o, "--quick")) {
			b->quick = true;
		} else if (!strcmp(o, "--smoke")) {
			b->smoke = true;
		} else if (!strcmp(o, "--samples")) {
			b->samples = parse_uint(o, v), i++, g.samples = true;
		} else if (!strcmp(o, "--seconds")) {
			b->seconds = parse_seconds(o, v), i++, g.seconds = true;
		} else if (!strcmp(o, "--reps")) {
			b->reps = parse_uint(o, v), i++, g.reps = true;
		} else if (!strcmp(o, "--settle-us")) {
			b->settle_us = parse_uint(o, v), i++;
		} else if (!strcmp(o, "--cpus")) {
			parse_cpus(b, v), i++;
		} else if (!strcmp(o, "--out")) {
			if (!v)
				bench_die("--out needs a directory");
			b->out_dir = v, i++;
		} else {
			usage(b->spec, stderr);
			bench_die("unknown option '%s'", o);
		}
	}
	apply_mode(b, &g);
}

/* ------------------------------------------------------------------ */
/* CPUs, clock                                                         */
/* ------------------------------------------------------------------ */

static bool allowed(const struct bench *b, int cpu)
{
	for (int i = 0; i < b->ncpus; i++)
		if (b->cpus[i] == cpu)
			return true;
	return false;
}

static void find_cpus(struct bench *b)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		bench_die("sched_getaffinity: %s", strerror(errno));
	for (int c = 0; c < CPU_SETSIZE && b->ncpus < BENCH_MAX_CPUS; c++)
		if (CPU_ISSET(c, &set))
			b->cpus[b->ncpus++] = c;
	if (b->sender_cpu < 0) {
		b->sender_cpu = b->cpus[0];
		b->target_cpu = b->cpus[b->ncpus - 1];
	}
	if (!allowed(b, b->sender_cpu) || !allowed(b, b->target_cpu))
		bench_die("--cpus: CPU %d or %d is not allowed", b->sender_cpu,
			  b->target_cpu);
}

void bench_pin_self(int cpu)
{
	cpu_set_t set;
	int err;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (err)
		bench_die("cannot pin a thread to CPU %d: %s", cpu,
			  strerror(err));
}

pid_t bench_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* The cost of one bench_now_ns(), median of 101 runs of 1000 calls. */
static double measure_clock(void)
{
	double per[101];

	for (int r = 0; r < 101; r++) {
		uint64_t t0 = bench_now_ns(), t1 = t0;

		for (int i = 0; i < 1000; i++)
			t1 = bench_now_ns();
		per[r] = (double)(t1 - t0) / 1000.0;
	}
	return bench_median(per, 101);
}

void bench_spin_ns(uint64_t ns)
{
	uint64_t end = bench_now_ns() + ns;

	while (bench_now_ns() < end)
		bench_cpu_relax();
}

void bench_sleep_ns(uint64_t ns)
{
	struct timespec ts;
	uint64_t end = bench_now_ns() + ns;

	ts.tv_sec = (time_t)(end / 1000000000u);
	ts.tv_nsec = (long)(end % 1000000000u);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		bench_die("mkdir %s: %s", path, strerror(errno));
}

static void make_out_dirs(const struct bench *b)
{
	char path[4096];

	make_dir(b->out_dir);
	snprintf(path, sizeof(path), "%s/raw", b->out_dir);
	make_dir(path);
	snprintf(path, sizeof(path), "%s/plot", b->out_dir);
	make_dir(path);
}

void bench_init(struct bench *b, const struct bench_spec *spec, int argc,
		char **argv)
{
	prog_slug = spec->slug;
	defaults(b, spec);
	parse(b, argc, argv);
	find_cpus(b);
	if ((unsigned int)b->ncpus < spec->min_cpus) {
		printf("%s: SKIPPED: needs %u CPUs, the process may use %d\n",
		       spec->slug, spec->min_cpus, b->ncpus);
		exit(0);
	}
	make_out_dirs(b);
	bench_pin_self(b->sender_cpu);
	b->clock_ns = measure_clock();
	b->start_ns = bench_now_ns();
}

/* ------------------------------------------------------------------ */
/* Waiting                                                             */
/* ------------------------------------------------------------------ */

/* The state letter of /proc/self/task/<tid>/stat (after "(comm) "). */
static char task_state(int fd)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *p;

	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

void bench_wait_asleep(const struct bench *b, pid_t tid)
{
	char path[64];
	uint64_t deadline = bench_now_ns() + 1000000000u;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		bench_die("open %s: %s", path, strerror(errno));
	while (task_state(fd) != 'S') {
		if (bench_now_ns() > deadline)
			bench_die("thread %d does not go to sleep", (int)tid);
		bench_cpu_relax();
	}
	close(fd);
	bench_spin_ns((uint64_t)b->settle_us * 1000u);
}

uint64_t bench_stamp_wait(struct bench_stamp *s, uint64_t count,
			  uint64_t timeout_ns, const char *what)
{
	uint64_t deadline = 0;
	unsigned int spins = 0;

	while (atomic_load_explicit(&s->count, memory_order_acquire) < count) {
		bench_cpu_relax();
		if (++spins % 4096)
			continue;
		if (!deadline)
			deadline = bench_now_ns() + timeout_ns;
		else
			bench_check(bench_now_ns() < deadline,
				    "%s: no callback within %.1f s", what,
				    (double)timeout_ns / 1e9);
	}
	return atomic_load_explicit(&s->t, memory_order_relaxed);
}
