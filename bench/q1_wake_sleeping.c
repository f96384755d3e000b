/* SPDX-License-Identifier: MIT */
/*
 * Q1. Schedule -> callback, worker asleep.
 *
 * What it measures: the time from a sender's call that hands work to a
 * worker sleeping on another CPU to the first instruction of the work.
 *
 * How: the sender is pinned to one CPU (default: the first allowed) and
 * every receiver thread to another (the last allowed). Before each sample
 * the sender waits until the receiver thread is asleep (state S in
 * /proc) and the receiver's CPU has been idle for --settle-us; then it
 * reads CLOCK_MONOTONIC and fires. The receiver reads the clock first
 * thing when it runs. Subjects are measured in interleaved blocks (see
 * common/latency.h); every event is checked to have run exactly once.
 *
 *   floor     futex one-way wake: the receiver sleeps in FUTEX_WAIT; the
 *             sender stores 1 and calls FUTEX_WAKE; the sample ends when
 *             FUTEX_WAIT returns.
 *   peer      libuv: uv_async_send() to a loop idle in epoll_wait(); the
 *             sample ends in the async callback.
 *   peer      mutex + condition variable queue (common/peer_mcq.h).
 *   reference liburcu wfcqueue + futex worker (common/peer_wfcq.h): the
 *             plainest lock-free design, shown for context.
 *   usoftirq  usoftirq_tasklet_schedule() from a thread bound to the vCPU
 *             whose worker runs on the receiver CPU; the sample ends in
 *             the tasklet's callback.
 *
 * Goal: usoftirq p50 <= 1.15x the floor and <= 0.8x the best peer.
 */
#include <pthread.h>
#include <stdio.h>

#include "common/bench.h"
#include "common/futex.h"
#include "common/latency.h"
#include "common/peer_mcq.h"
#include "common/peer_uv.h"
#include "common/peer_wfcq.h"
#include "common/usq.h"

static const struct bench_spec spec = {
	.id = "Q1",
	.slug = "q1_wake_sleeping",
	.title = "Schedule -> callback with the worker asleep",
	.method = "One sender CPU, one receiver CPU; the receiver sleeps and "
		  "its CPU idles before every sample; sender clock before "
		  "the call, receiver clock in the callback.",
	.samples = 20000,
	.quick_samples = 2000,
	.min_cpus = 2,
};

#define SCENARIO "worker asleep"
#define UV_NAME "libuv uv_async_send"
#define USQ_NAME "usoftirq tasklet_schedule"

/* ------------------------------------------------------------------ */
/* Floor: futex one-way wake                                           */
/* ------------------------------------------------------------------ */

struct futex_floor {
	_Atomic uint32_t word;
	atomic_bool stop;
	struct bench_stamp stamp;
	pthread_t thread;
	int cpu;
	_Atomic pid_t tid;
};

static void *futex_sleeper(void *arg)
{
	struct futex_floor *f = arg;

	bench_pin_self(f->cpu);
	atomic_store(&f->tid, bench_gettid());
	for (;;) {
		while (atomic_load(&f->word) == 0)
			bench_futex_wait(&f->word, 0);
		if (atomic_load_explicit(&f->stop, memory_order_relaxed))
			break;
		bench_stamp_hit(&f->stamp);
		atomic_store(&f->word, 0);
	}
	return NULL;
}

static void futex_fire(void *ctx)
{
	struct futex_floor *f = ctx;

	atomic_store(&f->word, 1);
	bench_futex_wake(&f->word, 1);
}

static pid_t futex_tid(void *ctx)
{
	return atomic_load(&((struct futex_floor *)ctx)->tid);
}

static void futex_start(struct futex_floor *f, int cpu)
{
	f->cpu = cpu;
	if (pthread_create(&f->thread, NULL, futex_sleeper, f))
		bench_die("pthread_create failed");
	while (!atomic_load(&f->tid))
		bench_cpu_relax();
}

static void futex_stop(struct futex_floor *f)
{
	atomic_store(&f->stop, true);
	futex_fire(f);
	pthread_join(f->thread, NULL);
}

/* ------------------------------------------------------------------ */
/* Peers                                                               */
/* ------------------------------------------------------------------ */

struct uv_peer {
	struct uvp *uv;
	struct bench_stamp stamp;
};

static void uv_cb(void *arg)
{
	bench_stamp_hit(&((struct uv_peer *)arg)->stamp);
}

static void uv_fire(void *ctx)
{
	uvp_send(((struct uv_peer *)ctx)->uv);
}

static pid_t uv_tid(void *ctx)
{
	return uvp_tid(((struct uv_peer *)ctx)->uv);
}

struct mcq_peer {
	struct mcq q;
	struct mcq_item item;
	struct bench_stamp stamp;
};

static void mcq_cb(struct mcq_item *it)
{
	bench_stamp_hit(&bench_container_of(it, struct mcq_peer, item)->stamp);
}

static void mcq_fire(void *ctx)
{
	struct mcq_peer *p = ctx;

	mcq_schedule(&p->q, &p->item);
}

static pid_t mcq_tid(void *ctx)
{
	return atomic_load(&((struct mcq_peer *)ctx)->q.tid);
}

struct wfq_peer {
	struct wfq q;
	struct wfq_item item;
	struct bench_stamp stamp;
};

static void wfq_cb(struct wfq_item *it)
{
	bench_stamp_hit(&bench_container_of(it, struct wfq_peer, item)->stamp);
}

static void wfq_fire(void *ctx)
{
	struct wfq_peer *p = ctx;

	wfq_schedule(&p->q, &p->item);
}

static pid_t wfq_tid(void *ctx)
{
	return atomic_load(&((struct wfq_peer *)ctx)->q.tid);
}

/* ------------------------------------------------------------------ */
/* usoftirq                                                            */
/* ------------------------------------------------------------------ */

struct usq_subject {
	struct usoftirq_machine *m;
	unsigned int vcpu;
	struct usoftirq_tasklet tasklet;
	struct bench_stamp stamp;
};

static void usq_cb(struct usoftirq_tasklet *t)
{
	bench_stamp_hit(
		&bench_container_of(t, struct usq_subject, tasklet)->stamp);
}

static void usq_fire(void *ctx)
{
	usoftirq_tasklet_schedule(&((struct usq_subject *)ctx)->tasklet);
}

static pid_t usq_tid(void *ctx)
{
	struct usq_subject *u = ctx;

	return usoftirq_machine_worker_tid(u->m, u->vcpu);
}

static void usq_start(struct usq_subject *u, const struct bench *b)
{
	u->m = bench_machine(b, 0, 0);
	u->vcpu = bench_vcpu_on(u->m, b->target_cpu);
	if (usoftirq_thread_bind(u->m, u->vcpu))
		bench_die("usoftirq_thread_bind failed");
	usoftirq_tasklet_setup(&u->tasklet, usq_cb);
}

static void usq_stop(struct usq_subject *u)
{
	usoftirq_tasklet_kill(&u->tasklet);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(u->m);
}

/* ------------------------------------------------------------------ */

/* Every receiver, pinned to the target CPU. */
struct subjects {
	struct futex_floor ff;
	struct uv_peer uvp;
	struct mcq_peer mp;
	struct wfq_peer wp;
	struct usq_subject us;
};

static size_t start_subjects(const struct bench *b, struct subjects *a,
			     struct lat_subject *s)
{
	size_t n = 0;

	futex_start(&a->ff, b->target_cpu);
	s[n++] = (struct lat_subject){ .name = "futex wake (one way)",
				       .role = BENCH_FLOOR,
				       .ctx = &a->ff,
				       .fire = futex_fire,
				       .sleeper = futex_tid,
				       .stamp = &a->ff.stamp };
	a->uvp.uv = uvp_start(b->target_cpu, true, uv_cb, &a->uvp);
	if (a->uvp.uv)
		s[n++] = (struct lat_subject){ .name = UV_NAME,
					       .role = BENCH_PEER,
					       .ctx = &a->uvp,
					       .fire = uv_fire,
					       .sleeper = uv_tid,
					       .stamp = &a->uvp.stamp };
	mcq_start(&a->mp.q, b->target_cpu);
	mcq_item_init(&a->mp.item, mcq_cb);
	s[n++] = (struct lat_subject){ .name = "mutex+condvar queue",
				       .role = BENCH_PEER,
				       .ctx = &a->mp,
				       .fire = mcq_fire,
				       .sleeper = mcq_tid,
				       .stamp = &a->mp.stamp };
	wfq_start(&a->wp.q, b->target_cpu);
	wfq_item_init(&a->wp.item, wfq_cb);
	s[n++] = (struct lat_subject){ .name = "wfcqueue+futex worker",
				       .role = BENCH_REF,
				       .ctx = &a->wp,
				       .fire = wfq_fire,
				       .sleeper = wfq_tid,
				       .stamp = &a->wp.stamp };
	usq_start(&a->us, b);
	s[n++] = (struct lat_subject){ .name = USQ_NAME,
				       .role = BENCH_SUBJECT,
				       .ctx = &a->us,
				       .fire = usq_fire,
				       .sleeper = usq_tid,
				       .stamp = &a->us.stamp };
	return n;
}

static void stop_subjects(struct bench *b, struct subjects *a)
{
	usq_stop(&a->us);
	wfq_stop(&a->wp.q);
	mcq_stop(&a->mp.q);
	if (a->uvp.uv)
		uvp_stop(a->uvp.uv);
	else
		bench_add_skipped(b, SCENARIO, UV_NAME, BENCH_PEER,
				  "libuv not found at build time");
	futex_stop(&a->ff);
}

int main(int argc, char **argv)
{
	static struct subjects all;
	struct lat_subject subs[5];
	struct bench b;
	size_t n;

	bench_init(&b, &spec, argc, argv);
	n = start_subjects(&b, &all, subs);
	lat_run(&b,
		&(struct lat_plan){ .scenario = SCENARIO,
				    .samples = b.samples,
				    .warmup = b.samples / 20 + 5,
				    .blocks = 10,
				    .cdf = true },
		subs, n);
	stop_subjects(&b, &all);
	bench_scenario_note(&b, SCENARIO,
			    "receiver asleep and its CPU idle for %u us before "
			    "each sample",
			    b.settle_us);
	bench_goal(&b, SCENARIO, USQ_NAME, BENCH_P50, BENCH_VS_FLOOR, NULL,
		   true, 1.15);
	bench_goal(&b, SCENARIO, USQ_NAME, BENCH_P50, BENCH_VS_BEST_PEER, NULL,
		   true, 0.8);
	return bench_finish(&b);
}
