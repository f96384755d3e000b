/* SPDX-License-Identifier: MIT */
/*
 * Q8. Scaling with the number of vCPUs.
 *
 * What it measures: aggregate callbacks per second of a machine with 1..N
 * vCPUs (N = usable CPUs) when work is scheduled CPU-locally, and what
 * scheduling onto another vCPU costs against scheduling locally.
 *
 * How:
 *
 *  aggregate; CPU-local scheduling
 *    A machine with k vCPUs (workers pinned to the first k usable CPUs)
 *    gets 64 tasklets per vCPU, each of which schedules itself again
 *    from its own callback: the work is generated on the vCPU that runs
 *    it, as a driver's softirq re-raising itself, with no other thread
 *    involved. After a warm-up the per-vCPU run counters (each written
 *    only by its worker, on its own cache line) are read twice, --seconds
 *    apart. Median of --reps repetitions, k interleaved. Then the
 *    tasklets are stopped and checked: each ran exactly once more than it
 *    rescheduled itself, always on the vCPU that scheduled it. The goal
 *    compares N vCPUs with N times one vCPU.
 *
 *  remote vs local
 *    One producer thread pinned to the sender CPU schedules 64 tasklets
 *    in turn, as fast as it can, for --seconds: onto the vCPU whose
 *    worker runs on another CPU (remote), onto the vCPU of its own CPU
 *    (local: its worker shares the CPU with the producer), and locally
 *    inside local_bh_disable()/local_bh_enable() sections of 64 schedules
 *    (the tasklets then run in the producer at local_bh_enable(), as in
 *    the kernel, with no thread switch): the floor for local work.
 *
 * Goal: N vCPUs >= 0.9 x N x one vCPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bench.h"
#include "common/jobq.h"
#include "common/usq.h"

static const struct bench_spec spec = {
	.id = "Q8",
	.slug = "q8_scaling",
	.title = "Scaling with the number of vCPUs",
	.method = "Self-rescheduling tasklets (64 per vCPU) on 1..N vCPUs: "
		  "aggregate callbacks per second; and one producer "
		  "scheduling remotely vs locally.",
	.seconds = 0.3,
	.quick_seconds = 0.05,
	.reps = 5,
	.quick_reps = 2,
	.samples = 1,
	.quick_samples = 1,
	.min_cpus = 1,
};

#define SC_AGG "aggregate; CPU-local scheduling"
#define SC_REMOTE "remote vs local; one producer"
#define PER_VCPU 64
#define WARMUP_NS 20000000ull
#define MAX_REPS 16

/* ------------------------------------------------------------------ */
/* Aggregate, self-rescheduling tasklets                               */
/* ------------------------------------------------------------------ */

struct vcpu_counter {
	_Atomic uint64_t runs;
} __attribute__((aligned(64)));

struct self_tasklet {
	struct usoftirq_tasklet tasklet;
	struct vcpu_counter *counter;
	atomic_bool *stop;
	unsigned int vcpu;
	uint64_t runs, rescheds, misplaced; /* written by the callback */
} __attribute__((aligned(64)));

static void self_cb(struct usoftirq_tasklet *t)
{
	struct self_tasklet *st =
		bench_container_of(t, struct self_tasklet, tasklet);
	struct vcpu_counter *c = st->counter;

	st->runs++;
	if (usoftirq_smp_processor_id() != st->vcpu)
		st->misplaced++;
	atomic_store_explicit(
		&c->runs,
		atomic_load_explicit(&c->runs, memory_order_relaxed) + 1,
		memory_order_relaxed);
	if (!atomic_load_explicit(st->stop, memory_order_relaxed)) {
		st->rescheds++;
		usoftirq_tasklet_schedule(t);
	}
}

static uint64_t total_runs(const struct vcpu_counter *c, unsigned int k)
{
	uint64_t sum = 0;

	for (unsigned int v = 0; v < k; v++)
		sum += atomic_load_explicit(&c[v].runs, memory_order_relaxed);
	return sum;
}

static void seed(struct usoftirq_machine *m, struct self_tasklet *t,
		 struct vcpu_counter *c, atomic_bool *stop, unsigned int k)
{
	for (unsigned int v = 0; v < k; v++) {
		if (usoftirq_thread_bind(m, v))
			bench_die("usoftirq_thread_bind failed");
		for (unsigned int i = 0; i < PER_VCPU; i++) {
			struct self_tasklet *st = &t[v * PER_VCPU + i];

			usoftirq_tasklet_setup(&st->tasklet, self_cb);
			st->counter = &c[v];
			st->stop = stop;
			st->vcpu = v;
			usoftirq_tasklet_schedule(&st->tasklet);
		}
	}
	usoftirq_thread_unbind();
}

static void check_tasklets(const struct self_tasklet *t, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		bench_check(t[i].runs == t[i].rescheds + 1,
			    "tasklet %u ran %llu times for %llu schedules", i,
			    (unsigned long long)t[i].runs,
			    (unsigned long long)t[i].rescheds + 1);
		bench_check(!t[i].misplaced,
			    "tasklet %u ran %llu times on another vCPU", i,
			    (unsigned long long)t[i].misplaced);
	}
}

/* Callbacks per microsecond (= million per second) with @k vCPUs. */
static double measure_agg(const struct bench *b, unsigned int k)
{
	struct usoftirq_machine *m = bench_machine(b, k, 0);
	struct self_tasklet *t = aligned_alloc(64, k * PER_VCPU * sizeof(*t));
	struct vcpu_counter *c = aligned_alloc(64, k * sizeof(*c));
	atomic_bool stop = false;
	uint64_t r0, r1, t0, t1;

	if (!t || !c)
		bench_die("out of memory");
	memset(t, 0, k * PER_VCPU * sizeof(*t));
	for (unsigned int v = 0; v < k; v++)
		atomic_init(&c[v].runs, 0);
	seed(m, t, c, &stop, k);
	bench_sleep_ns(WARMUP_NS);
	t0 = bench_now_ns();
	r0 = total_runs(c, k);
	bench_sleep_ns((uint64_t)(b->seconds * 1e9));
	r1 = total_runs(c, k);
	t1 = bench_now_ns();
	atomic_store(&stop, true);
	usoftirq_machine_quiesce(m);
	check_tasklets(t, k * PER_VCPU);
	usoftirq_machine_destroy(m);
	free(t);
	free(c);
	return (double)(r1 - r0) * 1e3 / (double)(t1 - t0);
}

static void run_agg(struct bench *b)
{
	unsigned int n = (unsigned int)b->ncpus;
	double(*v)[MAX_REPS] = calloc(n + 1, sizeof(*v));
	double one, all = 0;

	if (!v)
		bench_die("out of memory");
	for (unsigned int rep = 0; rep < b->reps; rep++)
		for (unsigned int k = 1; k <= n; k++)
			v[k][rep] = measure_agg(b, k);
	bench_figure(b, "q8_scaling", "Q8 aggregate callbacks per second",
		     "vCPUs", "million callbacks/s", false);
	one = bench_median(v[1], b->reps);
	for (unsigned int k = 1; k <= n; k++) {
		char name[BENCH_NAME_LEN];
		double med = bench_median(v[k], b->reps);
		struct bench_row *r;

		snprintf(name, sizeof(name), "usoftirq; %u vCPU%s", k,
			 k == 1 ? "" : "s");
		r = bench_add_value(b, SC_AGG, name,
				    k == 1 ? BENCH_FLOOR : BENCH_SUBJECT, "M/s",
				    med, true);
		bench_row_extra(r, "efficiency", med / (k * one));
		bench_series_point(b, "q8_scaling", "usoftirq", k, med);
		bench_series_point(b, "q8_scaling", "ideal: k x one vCPU", k,
				   k * one);
		all = med;
	}
	bench_goal_value(b, SC_AGG, "usoftirq", "N vCPUs / (N x one vCPU)",
			 all / (n * one), false, 0.9);
	bench_scenario_note(b, SC_AGG,
			    "x floor is the speed-up over one vCPU; "
			    "efficiency = speed-up / k");
	free(v);
}

/* ------------------------------------------------------------------ */
/* Remote vs local                                                     */
/* ------------------------------------------------------------------ */

enum placement { REMOTE, LOCAL, LOCAL_BH, NPLACEMENTS };

static const char *const placement_names[NPLACEMENTS] = {
	"remote: worker on another CPU",
	"local: worker shares the CPU",
	"local: runs at local_bh_enable()",
};

struct remote_run {
	double cbps[MAX_REPS];
	double calls_per_cb;
};

static void produce(struct jq *q, enum placement p, uint64_t end,
		    uint64_t *calls)
{
	while (bench_now_ns() < end) {
		if (p == LOCAL_BH)
			usoftirq_local_bh_disable();
		for (unsigned int i = 0; i < q->nitems; i++)
			jq_schedule(q, &q->items[i]);
		if (p == LOCAL_BH)
			usoftirq_local_bh_enable();
		*calls += q->nitems;
	}
}

static void measure_remote(const struct bench *b, enum placement p,
			   struct remote_run *r, unsigned int rep)
{
	int cpu = p == REMOTE ? b->target_cpu : b->sender_cpu;
	uint64_t r0, r1, t0, t1, calls = 0;
	struct jq q;

	jq_start(&q, JQ_USOFTIRQ, b, cpu, PER_VCPU);
	jq_enter(&q);
	produce(&q, p, bench_now_ns() + WARMUP_NS, &calls);
	t0 = bench_now_ns();
	r0 = atomic_load(&q.runs);
	produce(&q, p, t0 + (uint64_t)(b->seconds * 1e9), &calls);
	r1 = atomic_load(&q.runs);
	t1 = bench_now_ns();
	for (unsigned int i = 0; i < q.nitems; i++) {
		atomic_fetch_add(&q.items[i].gen, 1);
		jq_schedule(&q, &q.items[i]);
	}
	jq_drain(&q);
	for (unsigned int i = 0; i < q.nitems; i++)
		bench_check(atomic_load(&q.items[i].seen) ==
				    atomic_load(&q.items[i].gen),
			    "%s: tasklet %u's last schedule did not run",
			    placement_names[p], i);
	jq_leave(&q);
	r->cbps[rep] = (double)(r1 - r0) * 1e3 / (double)(t1 - t0);
	r->calls_per_cb = (double)calls / (double)atomic_load(&q.runs);
	jq_stop(&q);
}

static void run_remote(struct bench *b)
{
	struct remote_run r[NPLACEMENTS];

	if (b->target_cpu == b->sender_cpu) {
		bench_add_skipped(b, SC_REMOTE, placement_names[REMOTE],
				  BENCH_SUBJECT, "needs two CPUs");
		return;
	}
	for (unsigned int rep = 0; rep < b->reps; rep++)
		for (int p = 0; p < NPLACEMENTS; p++)
			measure_remote(
				b, (enum placement)((p + rep) % NPLACEMENTS),
				&r[(p + rep) % NPLACEMENTS], rep);
	for (int p = 0; p < NPLACEMENTS; p++) {
		struct bench_row *row = bench_add_value(
			b, SC_REMOTE, placement_names[p],
			p == LOCAL_BH ? BENCH_FLOOR : BENCH_SUBJECT, "M/s",
			bench_median(r[p].cbps, b->reps), true);

		bench_row_extra(row, "schedules/callback", r[p].calls_per_cb);
	}
}

int main(int argc, char **argv)
{
	struct bench b;

	bench_init(&b, &spec, argc, argv);
	if (b.reps > MAX_REPS)
		b.reps = MAX_REPS;
	bench_progress(&b, "aggregate, 1..%d vCPUs", b.ncpus);
	run_agg(&b);
	bench_progress(&b, "remote vs local");
	run_remote(&b);
	return bench_finish(&b);
}
