/* SPDX-License-Identifier: MIT */
/* usoftirq set-up shared by the programs; see usq.h. */
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>

#include "usq.h"

static void set_affinity(const cpu_set_t *set)
{
	int err = pthread_setaffinity_np(pthread_self(), sizeof(*set), set);

	if (err)
		bench_die("pthread_setaffinity_np: %s", strerror(err));
}

struct usoftirq_machine *bench_machine(const struct bench *b,
				       unsigned int ncpus, unsigned int flags)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m;
	cpu_set_t all, mine;
	int err;

	CPU_ZERO(&all);
	for (int i = 0; i < b->ncpus; i++)
		CPU_SET(b->cpus[i], &all);
	if (pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine))
		bench_die("pthread_getaffinity_np failed");
	set_affinity(&all);
	cfg.ncpus = ncpus;
	cfg.flags = flags;
	err = usoftirq_machine_create(&m, &cfg);
	set_affinity(&mine);
	if (err)
		bench_die("usoftirq_machine_create: %s", strerror(-err));
	return m;
}

unsigned int bench_vcpu_on(struct usoftirq_machine *m, int cpu)
{
	unsigned int n = usoftirq_machine_ncpus(m);

	for (unsigned int v = 0; v < n; v++)
		if (usoftirq_machine_worker_host_cpu(m, v) == cpu)
			return v;
	bench_die("no usoftirq worker is pinned to CPU %d", cpu);
}

static void busy_fn(struct usoftirq_tasklet *t)
{
	struct bench_busy_tasklet *bt =
		(struct bench_busy_tasklet
			 *)(void *)((char *)t -
				    offsetof(struct bench_busy_tasklet,
					     tasklet));

	bench_spin_ns(bt->chunk_ns);
	atomic_fetch_add_explicit(&bt->runs, 1, memory_order_relaxed);
	if (!atomic_load_explicit(&bt->stop, memory_order_relaxed))
		usoftirq_tasklet_schedule(t);
}

void bench_busy_start(struct bench_busy_tasklet *bt, uint64_t chunk_ns)
{
	usoftirq_tasklet_setup(&bt->tasklet, busy_fn);
	atomic_init(&bt->stop, false);
	atomic_init(&bt->runs, 0);
	bt->chunk_ns = chunk_ns;
	usoftirq_tasklet_schedule(&bt->tasklet);
}

void bench_busy_stop(struct bench_busy_tasklet *bt)
{
	atomic_store(&bt->stop, true);
	usoftirq_tasklet_kill(&bt->tasklet);
}
