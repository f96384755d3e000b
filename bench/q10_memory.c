/* SPDX-License-Identifier: MIT */
/*
 * Q10. Memory.
 *
 * What it measures: the size of the objects a driver embeds (a tasklet, a
 * spin lock, a kfifo header) next to the kernel's; the memory a machine
 * costs per vCPU and in fixed part; and the peak RSS of the demo.
 *
 * How:
 *  - sizes: sizeof, compared with the kernel's x86-64 sizes without debug
 *    options (struct tasklet_struct 40 bytes, spinlock_t 4, struct
 *    __kfifo 24);
 *  - per vCPU: machines of k = 1, 2, 4, 8, 16 and 32 vCPUs (more vCPUs
 *    than CPUs wrap around the CPUs) are created in turn; on each, one
 *    tasklet per vCPU is scheduled and checked to have run (the workers
 *    have then touched their stacks); the growth of the heap (glibc
 *    mallinfo2: in-use bytes plus mmapped blocks), of the resident set and
 *    of the virtual size (/proc/self/statm) over the process before the
 *    machine is fitted by least squares against k: the slope is the cost
 *    per vCPU, the intercept the fixed cost of a machine. The virtual size
 *    per vCPU is mostly the worker's stack (glibc's default stack size),
 *    most of which is never touched. glibc keeps the stacks of exited
 *    threads for reuse (up to 40 MiB), which would hide them from the
 *    next machine's growth, so the program re-executes itself once with
 *    GLIBC_TUNABLES=glibc.pthread.stack_cache_size=0;
 *  - demo: with "-- COMMAND ARGS..." the command is run as a child
 *    process that may use every CPU the program may use (the demo's
 *    machine then has one vCPU per CPU, as when it runs by itself), with
 *    its standard output sent to standard error; its exit status is
 *    checked (the demo checks its own books) and its peak RSS is read from
 *    wait4()'s rusage. run-bench passes the run-demo program: example (a)
 *    of the RX demo, rx_tasklet, for one second (--duration 1 --quiet).
 *
 * No goal: the numbers are reported.
 */
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <usoftirq/kfifo.h>

#include "common/bench.h"
#include "common/usq.h"

static const struct bench_spec spec = {
	.id = "Q10",
	.slug = "q10_memory",
	.title = "Memory",
	.method = "sizeof of the embedded objects; machines of 1..32 vCPUs "
		  "fitted against k (heap, RSS, virtual); the demo's peak "
		  "RSS from wait4().",
	.samples = 3,
	.quick_samples = 1,
	.min_cpus = 1,
};

#define SC_VCPU "machine memory"
#define SC_DEMO "demo"

static const unsigned int ks[] = { 1, 2, 4, 8, 16, 32 };
#define NK (sizeof(ks) / sizeof(ks[0]))

/* ------------------------------------------------------------------ */
/* Sizes                                                               */
/* ------------------------------------------------------------------ */

/* Each pair is its own scenario, so that every ratio is to its kernel
 * counterpart. */
static void run_sizes(struct bench *b)
{
	bench_add_value(b, "tasklet", "kernel struct tasklet_struct",
			BENCH_FLOOR, "bytes", 40, false);
	bench_add_value(b, "tasklet", "struct usoftirq_tasklet", BENCH_SUBJECT,
			"bytes", (double)sizeof(struct usoftirq_tasklet),
			false);
	bench_add_value(b, "spin lock", "kernel spinlock_t", BENCH_FLOOR,
			"bytes", 4, false);
	bench_add_value(b, "spin lock", "usoftirq_spinlock_t", BENCH_SUBJECT,
			"bytes", (double)sizeof(usoftirq_spinlock_t), false);
	bench_add_value(b, "kfifo header", "kernel struct __kfifo", BENCH_FLOOR,
			"bytes", 24, false);
	bench_add_value(b, "kfifo header", "struct usoftirq_kfifo",
			BENCH_SUBJECT, "bytes",
			(double)sizeof(struct usoftirq_kfifo), false);
}

/* ------------------------------------------------------------------ */
/* Per vCPU                                                            */
/* ------------------------------------------------------------------ */

struct mem {
	double heap, rss, vsz; /* bytes */
};

static void mem_now(struct mem *m)
{
	struct mallinfo2 mi = mallinfo2();
	long page = sysconf(_SC_PAGESIZE);
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%lu %lu", &size, &resident) != 2)
		bench_die("cannot read /proc/self/statm");
	fclose(f);
	m->heap = (double)(mi.uordblks + mi.hblkhd);
	m->rss = (double)resident * (double)page;
	m->vsz = (double)size * (double)page;
}

static _Atomic unsigned int ran;

static void count_cb(struct usoftirq_tasklet *t)
{
	(void)t;
	atomic_fetch_add(&ran, 1);
}

/* Memory of a live machine of @k vCPUs whose workers have all run. */
static void machine_growth(const struct bench *b, unsigned int k,
			   struct mem *grow)
{
	struct usoftirq_tasklet *t = calloc(k, sizeof(*t));
	struct usoftirq_machine *m;
	struct mem before, after;

	if (!t)
		bench_die("out of memory");
	mem_now(&before);
	m = bench_machine(b, k, 0);
	atomic_store(&ran, 0);
	for (unsigned int v = 0; v < k; v++) {
		if (usoftirq_thread_bind(m, v))
			bench_die("usoftirq_thread_bind failed");
		usoftirq_tasklet_setup(&t[v], count_cb);
		usoftirq_tasklet_schedule(&t[v]);
	}
	usoftirq_thread_unbind();
	usoftirq_machine_quiesce(m);
	bench_check(atomic_load(&ran) == k, "%u of %u tasklets ran",
		    atomic_load(&ran), k);
	mem_now(&after);
	for (unsigned int v = 0; v < k; v++)
		usoftirq_tasklet_kill(&t[v]);
	usoftirq_machine_destroy(m);
	free(t);
	grow->heap = after.heap - before.heap;
	grow->rss = after.rss - before.rss;
	grow->vsz = after.vsz - before.vsz;
}

/* Least squares y = a + s * x. */
static void fit(const double *x, const double *y, size_t n, double *a,
		double *s)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;

	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += x[i] * x[i];
		sxy += x[i] * y[i];
	}
	*s = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	*a = (sy - *s * sx) / n;
}

static void add_fit(struct bench *b, const char *what, const double *x,
		    const double *y)
{
	char name[BENCH_NAME_LEN];
	double a, s;

	fit(x, y, NK, &a, &s);
	snprintf(name, sizeof(name), "%s per vCPU", what);
	bench_add_value(b, SC_VCPU, name, BENCH_SUBJECT, "KiB", s / 1024,
			false);
	snprintf(name, sizeof(name), "%s per machine (fixed)", what);
	bench_add_value(b, SC_VCPU, name, BENCH_SUBJECT, "KiB", a / 1024,
			false);
}

static void run_vcpus(struct bench *b)
{
	double x[NK], heap[NK], rss[NK], vsz[NK];
	struct mem g;

	machine_growth(b, 1, &g); /* first-time allocations (arenas, TLS) */
	for (size_t i = 0; i < NK; i++) {
		double h[8], r[8], v[8];
		unsigned int reps = b->samples < 8 ? b->samples : 8;

		for (unsigned int rep = 0; rep < reps; rep++) {
			machine_growth(b, ks[i], &g);
			h[rep] = g.heap, r[rep] = g.rss, v[rep] = g.vsz;
		}
		x[i] = ks[i];
		heap[i] = bench_median(h, reps);
		rss[i] = bench_median(r, reps);
		vsz[i] = bench_median(v, reps);
	}
	add_fit(b, "heap", x, heap);
	add_fit(b, "resident", x, rss);
	add_fit(b, "virtual", x, vsz);
	bench_scenario_note(b, SC_VCPU,
			    "growth of a live machine (every worker has run a "
			    "tasklet) fitted against k = 1..32 vCPUs; median "
			    "of %u machines per k",
			    b->samples < 8 ? b->samples : 8);
}

/* ------------------------------------------------------------------ */
/* The demo                                                            */
/* ------------------------------------------------------------------ */

extern char **environ;

#define TUNABLE "glibc.pthread.stack_cache_size=0"

/* Re-execute with glibc's thread stack cache off (see the top). */
static void reexec_without_stack_cache(char **argv)
{
	const char *t = getenv("GLIBC_TUNABLES");
	char buf[1024];

	if (t && strstr(t, TUNABLE))
		return;
	snprintf(buf, sizeof(buf), "%s%s%s", t ? t : "", t ? ":" : "", TUNABLE);
	if (setenv("GLIBC_TUNABLES", buf, 1) == 0)
		execv("/proc/self/exe", argv);
	fprintf(stderr,
		"q10_memory: cannot re-execute (%s); thread stacks "
		"cached by glibc may hide part of the growth\n",
		strerror(errno));
}

static void run_demo(struct bench *b)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	cpu_set_t all;
	int status;
	pid_t pid;
	int err;
	const char *base;

	if (!b->rest_argc) {
		bench_add_skipped(b, SC_DEMO, "demo peak RSS", BENCH_SUBJECT,
				  "no demo command given (-- COMMAND ARGS)");
		return;
	}
	/* The child inherits the caller's CPUs: all of them, not the sender
	 * CPU this thread is pinned to. Its output is not a result. */
	CPU_ZERO(&all);
	for (int i = 0; i < b->ncpus; i++)
		CPU_SET(b->cpus[i], &all);
	if (sched_setaffinity(0, sizeof(all), &all) != 0)
		bench_die("sched_setaffinity: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	fflush(NULL);
	err = posix_spawn(&pid, b->rest_argv[0], &fa, NULL, b->rest_argv,
			  environ);
	posix_spawn_file_actions_destroy(&fa);
	bench_pin_self(b->sender_cpu);
	if (err)
		bench_die("cannot run %s: %s", b->rest_argv[0], strerror(err));
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			bench_die("wait4: %s", strerror(errno));
	bench_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "the demo %s failed (status %d)", b->rest_argv[0], status);
	base = strrchr(b->rest_argv[0], '/');
	bench_row_note(bench_add_value(b, SC_DEMO, "demo peak RSS",
				       BENCH_SUBJECT, "KiB",
				       (double)ru.ru_maxrss, false),
		       "%s", base ? base + 1 : b->rest_argv[0]);
}

int main(int argc, char **argv)
{
	struct bench b;

	reexec_without_stack_cache(argv);
	bench_init(&b, &spec, argc, argv);
	run_sizes(&b);
	bench_progress(&b, "machines of 1..32 vCPUs");
	run_vcpus(&b);
	run_demo(&b);
	return bench_finish(&b);
}
