/* SPDX-License-Identifier: MIT */
/*
 * Several producer threads schedule tasklets on a usoftirq machine for a
 * while; every tasklet counts its runs. At the end the tasklets are killed,
 * the books are checked (every schedule was followed by a run, coalesced
 * schedules are the difference) and the /proc/softirqs table is printed.
 *
 *   schedule_threads [--threads N] [--tasklets N] [--ms N] [--cpus N]
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <usoftirq.h>

struct counted_tasklet {
	struct usoftirq_tasklet tasklet;
	_Atomic unsigned long schedules;
	_Atomic unsigned long runs;
	_Atomic unsigned long hi_runs;
};

struct options {
	unsigned int threads, tasklets, ms, cpus;
};

static struct counted_tasklet *tasklets;
static struct options opt = { 4, 64, 1000, 0 };
static _Atomic bool stop;

static void tasklet_func(struct usoftirq_tasklet *t)
{
	struct counted_tasklet *ct =
		(struct counted_tasklet *)((char *)t -
					   offsetof(struct counted_tasklet,
						    tasklet));

	atomic_fetch_add_explicit(&ct->runs, 1, memory_order_relaxed);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Each producer schedules the tasklets in turn, every eighth one at HI. */
static void *producer(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	struct usoftirq_machine *m = usoftirq_machine_default();
	unsigned int i = id;

	/* Odd producers bind to a vCPU; even ones use the CPU they run on. */
	if (id % 2)
		usoftirq_thread_bind(m, id % usoftirq_machine_ncpus(m));
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		struct counted_tasklet *ct = &tasklets[i++ % opt.tasklets];

		atomic_fetch_add_explicit(&ct->schedules, 1,
					  memory_order_relaxed);
		if (i % 8 == 0)
			usoftirq_tasklet_hi_schedule(&ct->tasklet);
		else
			usoftirq_tasklet_schedule(&ct->tasklet);
	}
	usoftirq_thread_unbind();
	return NULL;
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		unsigned int *field = NULL;

		if (!strcmp(argv[i], "--threads"))
			field = &opt.threads;
		else if (!strcmp(argv[i], "--tasklets"))
			field = &opt.tasklets;
		else if (!strcmp(argv[i], "--ms"))
			field = &opt.ms;
		else if (!strcmp(argv[i], "--cpus"))
			field = &opt.cpus;
		if (!field || i + 1 >= argc) {
			fprintf(stderr,
				"usage: %s [--threads N] [--tasklets N] "
				"[--ms N] [--cpus N]\n",
				argv[0]);
			exit(2);
		}
		*field = (unsigned int)strtoul(argv[++i], NULL, 10);
	}
	if (!opt.threads || !opt.tasklets)
		exit(2);
}

static void run_producers(void)
{
	pthread_t *threads = calloc(opt.threads, sizeof(*threads));
	uint64_t start = now_ms(), next = start + 250;

	for (unsigned int i = 0; i < opt.threads; i++)
		pthread_create(&threads[i], NULL, producer,
			       (void *)(uintptr_t)i);
	while (now_ms() - start < opt.ms) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		if (now_ms() >= next) {
			unsigned long runs = 0;

			for (unsigned int i = 0; i < opt.tasklets; i++)
				runs += atomic_load(&tasklets[i].runs);
			printf("  %4llu ms: %lu tasklet runs\n",
			       (unsigned long long)(now_ms() - start), runs);
			fflush(stdout);
			next += 250;
		}
	}
	atomic_store(&stop, true);
	for (unsigned int i = 0; i < opt.threads; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}

int main(int argc, char **argv)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m;
	unsigned long schedules = 0, runs = 0;
	static char table[8192];
	int bad = 0;

	parse_args(argc, argv);
	cfg.ncpus = opt.cpus;
	if (usoftirq_machine_create(&m, &cfg) != 0) {
		fprintf(stderr, "cannot create the machine\n");
		return 1;
	}
	tasklets = calloc(opt.tasklets, sizeof(*tasklets));
	for (unsigned int i = 0; i < opt.tasklets; i++)
		usoftirq_tasklet_setup(&tasklets[i].tasklet, tasklet_func);
	printf("usoftirq %s: %u producer threads, %u tasklets, %u vCPUs, "
	       "%u ms\n",
	       usoftirq_version_string(), opt.threads, opt.tasklets,
	       usoftirq_machine_ncpus(m), opt.ms);
	run_producers();

	/* tasklet_kill() waits for every pending run: the books close. */
	for (unsigned int i = 0; i < opt.tasklets; i++) {
		usoftirq_tasklet_kill(&tasklets[i].tasklet);
		schedules += atomic_load(&tasklets[i].schedules);
		runs += atomic_load(&tasklets[i].runs);
		if (atomic_load(&tasklets[i].schedules) &&
		    !atomic_load(&tasklets[i].runs))
			bad++;
	}
	printf("schedules %lu, runs %lu, coalesced %lu (%.1f%%)\n", schedules,
	       runs, schedules - runs,
	       schedules ?
		       100.0 * (double)(schedules - runs) / (double)schedules :
		       0.0);
	usoftirq_softirqs_format(m, table, sizeof(table));
	printf("/proc/softirqs:\n%s", table);
	usoftirq_machine_destroy(m);
	free(tasklets);
	if (bad || runs > schedules) {
		fprintf(stderr, "books do not balance: %d tasklets never ran\n",
			bad);
		return 1;
	}
	return 0;
}
