/* SPDX-License-Identifier: MIT */
/*
 * Q4. Coalesced schedule of an already-scheduled tasklet.
 *
 * What it measures: the cost of usoftirq_tasklet_schedule() on a tasklet
 * that is scheduled and has not run yet, i.e. a call that must do nothing
 * but keep the kernel's guarantee (it is a full barrier, so what the
 * caller wrote before is seen by the run to come).
 *
 * How: per-call cost in batches (common/cost.h), interleaved, with the
 * system calls counted. The tasklet lives on a machine without workers
 * (USOFTIRQ_MACHINE_NO_WORKERS), so it stays scheduled for the whole
 * measurement; at the end the vCPU is stepped once and the callback is
 * checked to have run exactly once for all the calls.
 *
 *  one thread
 *    floor      a relaxed atomic load of a local line
 *    reference  an atomic fetch_or on a local line (the goal's yardstick)
 *    reference  a full fence then a relaxed load: what the coalesced
 *               path of a full-barrier schedule is built from
 *    peer       libuv uv_async_send() on a handle already pending (the
 *               loop is not running; it is run once at the end)
 *    peer       the mutex + condition variable queue's schedule of an
 *               item already queued (its worker is held meanwhile)
 *  two threads, same tasklet
 *    The same calls made at once from two CPUs on one shared object,
 *    measured on the sender; the partner thread runs during each block.
 *    Floor: both threads load the line; reference: both fetch_or it.
 *
 * Goal: usoftirq's p50 <= 1x the atomic RMW on a local line.
 */
#include <pthread.h>
#include <stdio.h>

#include "common/bench.h"
#include "common/cost.h"
#include "common/futex.h"
#include "common/jobq.h"
#include "common/peer_uv.h"
#include "common/usq.h"

static const struct bench_spec spec = {
	.id = "Q4",
	.slug = "q4_coalesce",
	.title = "Coalesced schedule of an already-scheduled tasklet",
	.method = "Per-call cost of scheduling a tasklet that is already "
		  "scheduled, in batches of ~20 us, against a load and an "
		  "atomic RMW; alone and from two CPUs at once.",
	.samples = 2000,
	.quick_samples = 300,
	.min_cpus = 2,
};

#define SC_ONE "one thread"
#define SC_TWO "two threads; same tasklet"
#define RMW_NAME "atomic RMW (local line)"
#define USQ_NAME "usoftirq tasklet_schedule"

static _Atomic unsigned long line __attribute__((aligned(64)));

/* ------------------------------------------------------------------ */
/* Operations                                                          */
/* ------------------------------------------------------------------ */

static void op_load(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++) {
		(void)atomic_load_explicit(&line, memory_order_relaxed);
		__asm__ __volatile__("" ::: "memory");
	}
}

static void op_rmw(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++)
		atomic_fetch_or(&line, 1);
}

static void op_fence_load(void *ctx, unsigned int n)
{
	(void)ctx;
	for (unsigned int i = 0; i < n; i++) {
		atomic_thread_fence(memory_order_seq_cst);
		(void)atomic_load_explicit(&line, memory_order_relaxed);
	}
}

static void op_usq(void *ctx, unsigned int n)
{
	struct usoftirq_tasklet *t = ctx;

	for (unsigned int i = 0; i < n; i++)
		usoftirq_tasklet_schedule(t);
}

static void op_uv(void *ctx, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		uvp_send(ctx);
}

static void op_mcq(void *ctx, unsigned int n)
{
	struct jq *q = ctx;

	for (unsigned int i = 0; i < n; i++)
		jq_schedule(q, &q->items[0]);
}

/* ------------------------------------------------------------------ */
/* The subjects' objects                                               */
/* ------------------------------------------------------------------ */

struct objects {
	struct usoftirq_machine *m;
	struct usoftirq_tasklet tasklet;
	_Atomic uint64_t runs;
	struct uvp *uv;
	_Atomic uint64_t uv_runs;
	struct jq q;
};

static struct objects obj;

static void tasklet_cb(struct usoftirq_tasklet *t)
{
	(void)t;
	atomic_fetch_add(&obj.runs, 1);
}

static void uv_cb(void *arg)
{
	(void)arg;
	atomic_fetch_add(&obj.uv_runs, 1);
}

static void objects_start(const struct bench *b)
{
	obj.m = bench_machine(b, 1, USOFTIRQ_MACHINE_NO_WORKERS);
	if (usoftirq_thread_bind(obj.m, 0))
		bench_die("usoftirq_thread_bind failed");
	usoftirq_tasklet_setup(&obj.tasklet, tasklet_cb);
	usoftirq_tasklet_schedule(&obj.tasklet);
	obj.uv = uvp_start(b->target_cpu, false, uv_cb, NULL);
	if (obj.uv)
		uvp_send(obj.uv);
	jq_start(&obj.q, JQ_MCQ, b, b->target_cpu, 1);
	jq_block(&obj.q);
	jq_schedule(&obj.q, &obj.q.items[0]);
}

/* Every object ran exactly once for all the calls. */
static void objects_validate_stop(void)
{
	usoftirq_cpu_run_softirqs(obj.m, 0);
	bench_check(atomic_load(&obj.runs) == 1,
		    "the tasklet ran %llu times instead of once",
		    (unsigned long long)atomic_load(&obj.runs));
	if (obj.uv) {
		uvp_poll(obj.uv);
		bench_check(atomic_load(&obj.uv_runs) == 1,
			    "the libuv callback ran %llu times instead of once",
			    (unsigned long long)atomic_load(&obj.uv_runs));
		uvp_stop(obj.uv);
	}
	jq_unblock(&obj.q);
	jq_drain(&obj.q);
	bench_check(atomic_load(&obj.q.items[0].runs) == 1,
		    "the queue item ran %llu times instead of once",
		    (unsigned long long)atomic_load(&obj.q.items[0].runs));
	jq_stop(&obj.q);
	usoftirq_tasklet_kill(&obj.tasklet);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(obj.m);
}

/* ------------------------------------------------------------------ */
/* The partner thread of the two-thread scenario                       */
/* ------------------------------------------------------------------ */

struct partner {
	void (*op)(void *ctx, unsigned int n);
	void *op_ctx;
	atomic_int active;
	atomic_bool quit, idle;
	int cpu;
	pthread_t thread;
};

static struct partner partner;

static void *partner_loop(void *arg)
{
	struct partner *p = arg;

	bench_pin_self(p->cpu);
	if (usoftirq_thread_bind(obj.m, 0))
		bench_die("usoftirq_thread_bind failed");
	while (!atomic_load(&p->quit)) {
		if (!atomic_load(&p->active)) {
			atomic_store(&p->idle, true);
			bench_futex_wait(&p->active, 0);
			continue;
		}
		atomic_store(&p->idle, false);
		p->op(p->op_ctx, 256);
	}
	usoftirq_thread_unbind();
	return NULL;
}

/* A two-thread subject: the measured operation, also run by the partner. */
struct pair {
	void (*op)(void *ctx, unsigned int n);
	void *op_ctx;
};

static void pair_run(void *ctx, unsigned int n)
{
	struct pair *pr = ctx;

	pr->op(pr->op_ctx, n);
}

static void pair_begin(void *ctx)
{
	struct pair *pr = ctx;

	partner.op = pr->op;
	partner.op_ctx = pr->op_ctx;
	atomic_store(&partner.active, 1);
	bench_futex_wake(&partner.active, 1);
	while (atomic_load(&partner.idle))
		bench_cpu_relax();
}

static void pair_end(void *ctx)
{
	(void)ctx;
	atomic_store(&partner.active, 0);
	while (!atomic_load(&partner.idle))
		bench_cpu_relax();
}

/* ------------------------------------------------------------------ */

static void run_one_thread(struct bench *b)
{
	struct cost_subject s[6];
	size_t n = 0;

	s[n++] = (struct cost_subject){ .name = "atomic load (local line)",
					.role = BENCH_FLOOR,
					.run = op_load };
	s[n++] = (struct cost_subject){ .name = RMW_NAME,
					.role = BENCH_REF,
					.run = op_rmw };
	s[n++] = (struct cost_subject){ .name = "full fence + load",
					.role = BENCH_REF,
					.run = op_fence_load };
	if (obj.uv)
		s[n++] = (struct cost_subject){
			.name = "libuv uv_async_send (pending)",
			.role = BENCH_PEER,
			.ctx = obj.uv,
			.run = op_uv
		};
	s[n++] = (struct cost_subject){ .name = "mutex+condvar queue (queued)",
					.role = BENCH_PEER,
					.ctx = &obj.q,
					.run = op_mcq };
	s[n++] = (struct cost_subject){ .name = USQ_NAME,
					.role = BENCH_SUBJECT,
					.ctx = &obj.tasklet,
					.run = op_usq };
	cost_run(b,
		 &(struct cost_plan){ .scenario = SC_ONE,
				      .batches = b->samples,
				      .blocks = 10,
				      .count_syscalls = true },
		 s, n);
	if (!obj.uv)
		bench_add_skipped(b, SC_ONE, "libuv uv_async_send (pending)",
				  BENCH_PEER, "libuv not found at build time");
	bench_goal(b, SC_ONE, USQ_NAME, BENCH_P50, BENCH_VS_ROW, RMW_NAME, true,
		   1.0);
}

static void run_two_threads(struct bench *b)
{
	static struct pair pr[4];
	struct cost_subject s[4];
	size_t n = 0;

	pr[0] = (struct pair){ op_load, NULL };
	pr[1] = (struct pair){ op_rmw, NULL };
	pr[2] = (struct pair){ op_uv, obj.uv };
	pr[3] = (struct pair){ op_usq, &obj.tasklet };
	partner.cpu = b->target_cpu;
	atomic_store(&partner.idle, true);
	if (pthread_create(&partner.thread, NULL, partner_loop, &partner))
		bench_die("pthread_create failed");
	s[n++] = (struct cost_subject){ .name = "atomic load (shared line)",
					.role = BENCH_FLOOR,
					.ctx = &pr[0] };
	s[n++] = (struct cost_subject){ .name = "atomic RMW (shared line)",
					.role = BENCH_REF,
					.ctx = &pr[1] };
	if (obj.uv)
		s[n++] = (struct cost_subject){
			.name = "libuv uv_async_send (pending)",
			.role = BENCH_PEER,
			.ctx = &pr[2]
		};
	s[n++] = (struct cost_subject){ .name = USQ_NAME,
					.role = BENCH_SUBJECT,
					.ctx = &pr[3] };
	for (size_t i = 0; i < n; i++) {
		s[i].run = pair_run;
		s[i].block_begin = pair_begin;
		s[i].block_end = pair_end;
	}
	cost_run(b,
		 &(struct cost_plan){ .scenario = SC_TWO,
				      .batches = b->samples,
				      .blocks = 10 },
		 s, n);
	atomic_store(&partner.quit, true);
	atomic_store(&partner.active, 1);
	bench_futex_wake(&partner.active, 1);
	pthread_join(partner.thread, NULL);
	bench_scenario_note(b, SC_TWO,
			    "cost on the sender CPU while a thread on CPU %d "
			    "makes the same calls on the same object",
			    b->target_cpu);
}

int main(int argc, char **argv)
{
	struct bench b;

	bench_init(&b, &spec, argc, argv);
	objects_start(&b);
	run_one_thread(&b);
	run_two_threads(&b);
	objects_validate_stop();
	return bench_finish(&b);
}
