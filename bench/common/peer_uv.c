/* SPDX-License-Identifier: MIT */
/* Peer: libuv uv_async_send(); see peer_uv.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "bench.h"
#include "peer_uv.h"

#ifdef BENCH_HAVE_LIBUV
#include <uv.h>

struct uvp {
	uv_loop_t loop;
	uv_async_t async, quit;
	pthread_t thread;
	bool running;
	int cpu;
	_Atomic pid_t tid;
	void (*fn)(void *arg);
	void *arg;
};

bool uvp_available(void)
{
	return true;
}

static void on_async(uv_async_t *h)
{
	struct uvp *p = h->data;

	p->fn(p->arg);
}

static void on_quit(uv_async_t *h)
{
	struct uvp *p = h->data;

	uv_close((uv_handle_t *)&p->async, NULL);
	uv_close((uv_handle_t *)&p->quit, NULL);
}

static void *loop_thread(void *arg)
{
	struct uvp *p = arg;

	bench_pin_self(p->cpu);
	atomic_store(&p->tid, bench_gettid());
	uv_run(&p->loop, UV_RUN_DEFAULT);
	return NULL;
}

struct uvp *uvp_start(int cpu, bool run, void (*fn)(void *arg), void *arg)
{
	struct uvp *p = calloc(1, sizeof(*p));

	if (!p || uv_loop_init(&p->loop) ||
	    uv_async_init(&p->loop, &p->async, on_async) ||
	    uv_async_init(&p->loop, &p->quit, on_quit))
		bench_die("libuv: cannot set up a loop");
	p->async.data = p->quit.data = p;
	p->cpu = cpu;
	p->fn = fn;
	p->arg = arg;
	p->running = run;
	atomic_init(&p->tid, 0);
	if (!run)
		return p;
	if (pthread_create(&p->thread, NULL, loop_thread, p))
		bench_die("libuv: pthread_create failed");
	while (!atomic_load(&p->tid))
		bench_cpu_relax();
	return p;
}

void uvp_send(struct uvp *p)
{
	uv_async_send(&p->async);
}

void uvp_poll(struct uvp *p)
{
	uv_run(&p->loop, UV_RUN_NOWAIT);
}

pid_t uvp_tid(const struct uvp *p)
{
	return atomic_load(&p->tid);
}

void uvp_stop(struct uvp *p)
{
	if (p->running) {
		uv_async_send(&p->quit);
		pthread_join(p->thread, NULL);
	} else {
		uv_close((uv_handle_t *)&p->async, NULL);
		uv_close((uv_handle_t *)&p->quit, NULL);
		uv_run(&p->loop, UV_RUN_NOWAIT);
	}
	uv_loop_close(&p->loop);
	free(p);
}

#else /* !BENCH_HAVE_LIBUV */

bool uvp_available(void)
{
	return false;
}

struct uvp *uvp_start(int cpu, bool run, void (*fn)(void *arg), void *arg)
{
	(void)cpu, (void)run, (void)fn, (void)arg;
	return NULL;
}

void uvp_send(struct uvp *p)
{
	(void)p;
}

void uvp_poll(struct uvp *p)
{
	(void)p;
}

pid_t uvp_tid(const struct uvp *p)
{
	(void)p;
	return 0;
}

void uvp_stop(struct uvp *p)
{
	(void)p;
}

#endif /* BENCH_HAVE_LIBUV */
