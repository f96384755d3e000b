/* SPDX-License-Identifier: MIT */
/*
 * Q5. Hardirq -> tasklet.
 *
 * What it measures: the time from raising an interrupt line to the start
 * of the tasklet its handler schedules, against the time a bare signal
 * takes to reach a handler on the same CPU.
 *
 * How: the sender is pinned to one CPU, the target thread to another.
 * Two scenarios, each interleaved as in common/latency.h:
 *
 *  target asleep   the target thread sleeps in FUTEX_WAIT (and its CPU
 *                  has idled --settle-us) before each sample;
 *  target busy     the target runs 1 us chunks of work back to back;
 *                  samples start at random moments.
 *
 *   floor     a plain thread with a handler for its own real-time signal
 *             (installed like the library's: SA_SIGINFO | SA_RESTART, all
 *             signals blocked in the handler); the sender calls tgkill()
 *             (what the library calls; pthread_kill() adds two
 *             sigprocmask calls in glibc 2.34+); the sample ends at
 *             handler entry. Busy: the thread spins instead of sleeping.
 *   usoftirq  usoftirq_irq_pulse() on a line routed to the vCPU whose
 *             worker runs on the target CPU; the line's handler schedules
 *             a tasklet; the sample ends in the tasklet's callback. Busy:
 *             the worker runs a tasklet of 1 us chunks that reschedules
 *             itself, so the scheduled tasklet runs after the current
 *             chunk, in the next pass. The handler's entry is reported as
 *             a reference row.
 *
 * Every pulse is checked to have run the handler and the tasklet exactly
 * once (and the line's books to balance).
 *
 * Goal: usoftirq's signal-to-callback p50 <= 1.2x the floor, in both.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/bench.h"
#include "common/futex.h"
#include "common/latency.h"
#include "common/usq.h"

static const struct bench_spec spec = {
	.id = "Q5",
	.slug = "q5_hardirq",
	.title = "Hardirq -> tasklet",
	.method = "Line raised on one CPU; handler on the target CPU "
		  "schedules a tasklet; sender clock before the raise, "
		  "receiver clock in the tasklet; floor: tgkill to a "
		  "handler on the same CPU.",
	.samples = 10000,
	.quick_samples = 1000,
	.min_cpus = 2,
};

#define SC_IDLE "target asleep"
#define SC_BUSY "target busy"
#define USQ_NAME "usoftirq irq_pulse -> tasklet"
#define FLOOR_NAME "signal -> handler entry (tgkill)"
#define IRQ_LINE 1
#define CHUNK_NS 1000
#define MAX_GAP_NS 5000

/* ------------------------------------------------------------------ */
/* Floor: a signal to a plain thread                                   */
/* ------------------------------------------------------------------ */

struct sig_floor {
	int sig;
	pid_t pid;
	_Atomic pid_t tid;
	_Atomic uint32_t word; /* futex the thread sleeps on */
	atomic_int busy; /* spin instead of sleeping */
	atomic_bool quit;
	struct bench_stamp stamp;
	pthread_t thread;
	int cpu;
};

static struct sig_floor sf;

static void floor_handler(int sig, siginfo_t *info, void *uc)
{
	(void)sig, (void)info, (void)uc;
	bench_stamp_hit(&sf.stamp);
}

static void *floor_thread(void *arg)
{
	struct sig_floor *f = arg;
	sigset_t set;

	bench_pin_self(f->cpu);
	sigemptyset(&set);
	sigaddset(&set, f->sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	atomic_store(&f->tid, bench_gettid());
	while (!atomic_load(&f->quit)) {
		if (atomic_load_explicit(&f->busy, memory_order_relaxed))
			bench_cpu_relax();
		else
			bench_futex_wait(&f->word, 0);
	}
	return NULL;
}

/* The library owns SIGRTMIN + 4; the floor uses its own signal, blocked
 * in every other thread. */
static void floor_start(const struct bench *b)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sf.sig = SIGRTMIN + 6;
	sa.sa_sigaction = floor_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (sigaction(sf.sig, &sa, NULL))
		bench_die("sigaction: %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, sf.sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sf.pid = getpid();
	sf.cpu = b->target_cpu;
	if (pthread_create(&sf.thread, NULL, floor_thread, &sf))
		bench_die("pthread_create failed");
	while (!atomic_load(&sf.tid))
		bench_cpu_relax();
}

static void floor_fire(void *ctx)
{
	struct sig_floor *f = ctx;

	if (syscall(SYS_tgkill, f->pid, atomic_load(&f->tid), f->sig))
		bench_die("tgkill: %s", strerror(errno));
}

static pid_t floor_tid(void *ctx)
{
	return atomic_load(&((struct sig_floor *)ctx)->tid);
}

static void floor_busy_begin(void *ctx)
{
	struct sig_floor *f = ctx;

	atomic_store(&f->busy, 1);
	atomic_store(&f->word, 1);
	bench_futex_wake(&f->word, 1);
}

static void floor_busy_end(void *ctx)
{
	struct sig_floor *f = ctx;

	atomic_store(&f->word, 0);
	atomic_store(&f->busy, 0);
}

static void floor_stop(void)
{
	atomic_store(&sf.quit, true);
	floor_busy_begin(&sf);
	pthread_join(sf.thread, NULL);
}

/* ------------------------------------------------------------------ */
/* usoftirq: line -> handler -> tasklet                                */
/* ------------------------------------------------------------------ */

struct usq {
	struct usoftirq_machine *m;
	unsigned int vcpu;
	struct usoftirq_tasklet tasklet;
	struct bench_busy_tasklet busy;
	struct bench_stamp handler_stamp, stamp;
};

static struct usq uq;

static usoftirq_irqreturn_t irq_handler(int irq, void *dev)
{
	struct usq *u = dev;

	(void)irq;
	bench_stamp_hit(&u->handler_stamp);
	usoftirq_tasklet_schedule(&u->tasklet);
	return USOFTIRQ_IRQ_HANDLED;
}

static void tasklet_cb(struct usoftirq_tasklet *t)
{
	bench_stamp_hit(&bench_container_of(t, struct usq, tasklet)->stamp);
}

static void usq_start(const struct bench *b)
{
	int err;

	uq.m = bench_machine(b, 0, 0);
	uq.vcpu = bench_vcpu_on(uq.m, b->target_cpu);
	if (usoftirq_thread_bind(uq.m, uq.vcpu))
		bench_die("usoftirq_thread_bind failed");
	usoftirq_tasklet_setup(&uq.tasklet, tasklet_cb);
	err = usoftirq_request_irq(uq.m, IRQ_LINE, irq_handler, 0, "bench",
				   &uq);
	if (!err)
		err = usoftirq_irq_set_affinity(uq.m, IRQ_LINE, uq.vcpu);
	if (err)
		bench_die("request_irq: %s", strerror(-err));
}

static void usq_fire(void *ctx)
{
	struct usq *u = ctx;

	if (usoftirq_irq_pulse(u->m, IRQ_LINE))
		bench_die("usoftirq_irq_pulse failed");
}

static pid_t usq_tid(void *ctx)
{
	struct usq *u = ctx;

	return usoftirq_machine_worker_tid(u->m, u->vcpu);
}

static void usq_busy_begin(void *ctx)
{
	bench_busy_start(&((struct usq *)ctx)->busy, CHUNK_NS);
}

static void usq_busy_end(void *ctx)
{
	bench_busy_stop(&((struct usq *)ctx)->busy);
}

/* Every pulse ran the handler once; the books balance. */
static void usq_validate_stop(void)
{
	struct usoftirq_irq_stats st;
	uint64_t fired = atomic_load(&uq.stamp.count);

	usoftirq_machine_quiesce(uq.m);
	if (usoftirq_irq_get_stats(uq.m, IRQ_LINE, &st))
		bench_die("usoftirq_irq_get_stats failed");
	bench_check(st.pulses == fired && st.runs == fired &&
			    st.consumed == fired && st.coalesced == 0,
		    "line books: %lu pulses, %lu runs, %lu consumed, %lu "
		    "coalesced for %llu tasklet runs",
		    st.pulses, st.runs, st.consumed, st.coalesced,
		    (unsigned long long)fired);
	usoftirq_free_irq(uq.m, IRQ_LINE, &uq);
	usoftirq_tasklet_kill(&uq.tasklet);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(uq.m);
}

/* ------------------------------------------------------------------ */

static void run(struct bench *b, const char *scenario, bool busy)
{
	struct lat_subject s[2];

	s[0] = (struct lat_subject){ .name = FLOOR_NAME,
				     .role = BENCH_FLOOR,
				     .ctx = &sf,
				     .fire = floor_fire,
				     .stamp = &sf.stamp };
	s[1] = (struct lat_subject){ .name = USQ_NAME,
				     .role = BENCH_SUBJECT,
				     .ctx = &uq,
				     .fire = usq_fire,
				     .stamp = &uq.stamp,
				     .early = &uq.handler_stamp,
				     .early_name = "usoftirq handler entry" };
	if (busy) {
		s[0].block_begin = floor_busy_begin;
		s[0].block_end = floor_busy_end;
		s[1].block_begin = usq_busy_begin;
		s[1].block_end = usq_busy_end;
	} else {
		s[0].sleeper = floor_tid;
		s[1].sleeper = usq_tid;
	}
	lat_run(b,
		&(struct lat_plan){ .scenario = scenario,
				    .samples = b->samples,
				    .warmup = b->samples / 20 + 5,
				    .blocks = 10,
				    .max_gap_ns = busy ? MAX_GAP_NS : 0,
				    .cdf = true },
		s, 2);
	bench_goal(b, scenario, USQ_NAME, BENCH_P50, BENCH_VS_FLOOR, NULL, true,
		   1.2);
}

int main(int argc, char **argv)
{
	struct bench b;

	bench_init(&b, &spec, argc, argv);
	floor_start(&b);
	usq_start(&b);
	bench_progress(&b, "target asleep");
	run(&b, SC_IDLE, false);
	bench_progress(&b, "target busy");
	run(&b, SC_BUSY, true);
	usq_validate_stop();
	floor_stop();
	bench_scenario_note(&b, SC_IDLE,
			    "target asleep in FUTEX_WAIT and its CPU idle for "
			    "%u us before each sample",
			    b.settle_us);
	bench_scenario_note(&b, SC_BUSY,
			    "target runs %d ns chunks back to back; samples "
			    "start at random moments",
			    CHUNK_NS);
	return bench_finish(&b);
}
