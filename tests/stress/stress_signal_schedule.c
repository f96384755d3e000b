/* SPDX-License-Identifier: MIT */
/*
 * Stress: tasklets scheduled from a signal handler at a high rate.
 *
 * A sender thread signals a target thread as fast as it can for a fixed
 * wall-clock budget (USOFTIRQ_STRESS_MS, default 1000 ms per variant):
 * SIGUSR1 with pthread_kill(), or a real-time signal with
 * pthread_sigqueue(). Each delivery runs a handler on the target that
 * schedules one of six tasklets, with tasklet_hi_schedule() for the odd
 * ones, using lock-free atomics only.
 *
 * The target either spins (the handler interrupts plain user code), or
 * itself loops calling tasklet_schedule() on the same tasklets, every
 * fourth time inside local_bh_disable()/local_bh_enable(): the handler
 * then interrupts an enqueue in progress on the same vCPU queue and
 * enqueues too, interrupts a BH-disabled section, and interrupts callbacks
 * run by local_bh_enable() in the target itself. Each kind of target runs
 * once bound to a vCPU and once unbound.
 *
 * Checkpoints. Only a quiet machine shows a lost schedule (a later
 * schedule's run hides an earlier loss), so every CHECK_MS the test thread
 * asks the target to pause: the target blocks the signal and acknowledges
 * from the top of its loop, outside any schedule call and BH section. From
 * then on no handler runs on it (signals stay pending), and every schedule
 * counted so far has returned. The test thread then checks the books,
 * exactly, and lets the target go on. The same check ends the run.
 *
 * Checks, each exact whatever the number of signals delivered:
 *
 *  - No crash and no deadlock: the run ends (a watchdog prints the books
 *    and aborts if it does not, long before CTest's timeout).
 *  - Never concurrent with itself (P4): an @inside counter in the callback.
 *  - The last schedule is followed by a run (P1): every schedule, from the
 *    handler or the target, first increments the tasklet's @seq; the
 *    callback reads @seq at its start into @served (a maximum). At a
 *    checkpoint every schedule has returned, so the run that follows the
 *    one that took the final @seq must come and must see it. The test
 *    thread waits for it with usoftirq_tasklet_kill(), which waits for a
 *    pending run and drops nothing here (nobody schedules during a
 *    checkpoint); then @served == @seq.
 *  - The books balance: each run needs a schedule that found SCHED clear,
 *    so @runs <= @seq (the handler's schedules, plus the target's).
 *  - Quiesce leaves nothing to do: at a checkpoint nobody schedules and no
 *    tasklet is disabled, so after usoftirq_machine_quiesce() no tasklet
 *    is scheduled or running. After the kills every state word is 0.
 *  - tasklet_schedule() preserves errno: the handler sets errno to a
 *    sentinel just before the call and counts calls that changed it (and
 *    restores the interrupted code's errno before returning).
 *  - The library made no report at all; destroy finds nothing pending.
 *
 * Statistics (signals sent, handler runs, how many hit a BH-disabled
 * section or an enqueue in progress, checkpoints) are printed, never
 * asserted on.
 */
#include "test_util.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NR_TASKLETS 6
#define DEFAULT_BUDGET_MS 1000
#define CHECK_MS 10
#define ERRNO_SENTINEL 0x5eed
/* Beyond the budget: a variant still running after this has hung. */
#define HANG_SECONDS 60
/*
 * Real-time signals queue: each one is delivered before the target runs
 * its own code again, so a sender that keeps the queue full starves the
 * target. It keeps at most this many in flight instead.
 */
#define RT_IN_FLIGHT 8

/* The handler uses these atomics; they must not hide a lock. */
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2 &&
		       ATOMIC_BOOL_LOCK_FREE == 2,
	       "the signal handler needs lock-free atomics");

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - (size_t)offsetof(type, member)))

struct sig_tasklet {
	struct usoftirq_tasklet t;
	_Atomic unsigned long seq; /* schedules made (sequence number) */
	_Atomic unsigned long by_handler; /* of which by the handler */
	_Atomic unsigned long runs;
	_Atomic unsigned long served; /* max @seq read at a run's start */
	_Atomic int inside;
};

struct variant {
	const char *name;
	bool rt_signal; /* SIGRTMIN + 1 queued, else SIGUSR1 */
	bool target_schedules; /* the target loops on tasklet_schedule() */
	int cpu; /* the target's vCPU, -1: unbound */
};

/* What a checkpoint found wrong; the first occurrence is kept. */
enum violation {
	V_LOST, /* @served != @seq: the last schedule got no run */
	V_RUNS, /* more runs than schedules */
	V_QUIESCE_BUSY, /* scheduled or running after quiesce */
	V_WORD, /* state word not 0 after kill */
	NR_VIOLATIONS
};

static const char *const violation_names[NR_VIOLATIONS] = {
	"last schedule not followed by a run that saw it (P1)",
	"more runs than schedules",
	"tasklet scheduled or running after quiesce",
	"state word not 0 after kill",
};

static struct sig_stress {
	const struct variant *v;
	struct usoftirq_machine *m;
	struct sig_tasklet tk[NR_TASKLETS];
	pthread_t target;
	int signo;
	_Atomic bool stop;
	_Atomic bool target_ready;
	_Atomic unsigned int setup_errors;
	/* Checkpoints: the test thread asks, the target acknowledges. */
	_Atomic unsigned long pause_req;
	_Atomic unsigned long paused;
	_Atomic unsigned long resumed;
	/* Written by the handler. */
	_Atomic unsigned long handler_calls;
	_Atomic unsigned long errno_changed;
	_Atomic unsigned long hit_bh;
	_Atomic unsigned long hit_schedule;
	/* Set by the target around its own tasklet_schedule() calls. */
	_Atomic int target_in_schedule;
	/* Written by callbacks. */
	_Atomic unsigned long reentered;
	_Atomic unsigned long not_softirq;
	/* Written by the test thread at checkpoints. */
	unsigned long violations[NR_VIOLATIONS];
	char first[NR_VIOLATIONS][160];
	_Atomic unsigned long checkpoints;
	/* Statistics. */
	_Atomic unsigned long sent;
	_Atomic unsigned long queue_full;
	_Atomic unsigned long target_iters;
} G;

static void atomic_max(_Atomic unsigned long *p, unsigned long v)
{
	unsigned long cur = atomic_load(p);

	while (cur < v && !atomic_compare_exchange_weak(p, &cur, v))
		;
}

/* ------------------------------------------------------------------ */
/* Callback and handler                                                */
/* ------------------------------------------------------------------ */

static void sig_callback(struct usoftirq_tasklet *t)
{
	struct sig_tasklet *st = container_of(t, struct sig_tasklet, t);
	/* First: the schedules this run answers (P1). */
	unsigned long seen = atomic_load(&st->seq);

	if (atomic_fetch_add(&st->inside, 1) != 0)
		atomic_fetch_add(&G.reentered, 1);
	if (!usoftirq_in_serving_softirq())
		atomic_fetch_add(&G.not_softirq, 1);
	atomic_max(&st->served, seen);
	atomic_fetch_add(&st->runs, 1);
	atomic_fetch_sub(&st->inside, 1);
}

/*
 * Async-signal-safe: lock-free atomics, the library's AS-safe calls, and
 * errno restored on return.
 */
static void on_signal(int signo)
{
	int saved = errno;
	unsigned long n = atomic_fetch_add(&G.handler_calls, 1);
	unsigned int i = (unsigned int)(n % NR_TASKLETS);
	struct sig_tasklet *st = &G.tk[i];

	(void)signo;
	if (usoftirq_softirq_count())
		atomic_fetch_add(&G.hit_bh, 1);
	if (atomic_load_explicit(&G.target_in_schedule, memory_order_relaxed))
		atomic_fetch_add(&G.hit_schedule, 1);
	atomic_fetch_add(&st->by_handler, 1);
	atomic_fetch_add(&st->seq, 1);
	errno = ERRNO_SENTINEL;
	if (i & 1)
		usoftirq_tasklet_hi_schedule(&st->t);
	else
		usoftirq_tasklet_schedule(&st->t);
	if (errno != ERRNO_SENTINEL)
		atomic_fetch_add(&G.errno_changed, 1);
	errno = saved;
}

/* ------------------------------------------------------------------ */
/* Target and sender                                                   */
/* ------------------------------------------------------------------ */

/* The target's own schedule, flagged so that the handler can tell. */
static void target_schedule(struct sig_tasklet *st)
{
	atomic_fetch_add(&st->seq, 1);
	atomic_store_explicit(&G.target_in_schedule, 1, memory_order_relaxed);
	atomic_signal_fence(memory_order_seq_cst);
	usoftirq_tasklet_schedule(&st->t);
	atomic_signal_fence(memory_order_seq_cst);
	atomic_store_explicit(&G.target_in_schedule, 0, memory_order_relaxed);
}

static void target_iteration(unsigned long n)
{
	struct sig_tasklet *st = &G.tk[n % NR_TASKLETS];

	if (n % 4 != 0) {
		target_schedule(st);
		return;
	}
	usoftirq_local_bh_disable();
	target_schedule(st);
	target_schedule(&G.tk[(n + 1) % NR_TASKLETS]);
	usoftirq_local_bh_enable();
}

/*
 * A checkpoint: with the signal blocked, no handler runs here until the
 * test thread has checked the books; every schedule made so far (by this
 * thread and by handlers on it) has returned.
 */
static void target_pause(unsigned long req)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, G.signo);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	atomic_store(&G.paused, req);
	while (atomic_load(&G.resumed) != req)
		sched_yield();
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/*
 * Keep the sender and the target off each other's CPU where the mask
 * allows: sharing one, the target only runs (and takes a signal) once per
 * time slice. Only the rate depends on this, never a check. -1: no pin.
 */
static int host_cpu(bool last)
{
	cpu_set_t set;
	int found = -1;

	if (sched_getaffinity(0, sizeof(set), &set) != 0 || CPU_COUNT(&set) < 2)
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		found = c;
		if (!last)
			break;
	}
	return found;
}

static void pin_self(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *target_main(void *arg)
{
	unsigned long n = 0, req;

	(void)arg;
	/* Bound: pinned away from the sender. Unbound: free to migrate,
	 * so that the vCPU it schedules on changes with its CPU. */
	if (G.v->cpu >= 0)
		pin_self(host_cpu(false));
	if (G.v->cpu >= 0 && usoftirq_thread_bind(G.m, (unsigned int)G.v->cpu))
		atomic_fetch_add(&G.setup_errors, 1);
	atomic_store(&G.target_ready, true);
	while (!atomic_load(&G.stop)) {
		req = atomic_load(&G.pause_req);
		if (req != atomic_load(&G.paused))
			target_pause(req);
		if (G.v->target_schedules)
			target_iteration(n);
		n++;
	}
	atomic_store(&G.target_iters, n);
	usoftirq_thread_unbind();
	return NULL;
}

static void send_one(void)
{
	union sigval val = { .sival_int = 0 };
	int err;

	if (G.v->rt_signal) {
		if (atomic_load(&G.sent) - atomic_load(&G.handler_calls) >=
		    RT_IN_FLIGHT) {
			sched_yield();
			return;
		}
		err = pthread_sigqueue(G.target, G.signo, val);
		if (err == EAGAIN) {
			/* The real-time queue is full: not a failure. */
			atomic_fetch_add(&G.queue_full, 1);
			return;
		}
	} else {
		err = pthread_kill(G.target, G.signo);
	}
	if (err)
		atomic_fetch_add(&G.setup_errors, 1);
	else
		atomic_fetch_add(&G.sent, 1);
}

static void *sender_main(void *arg)
{
	(void)arg;
	pin_self(host_cpu(true));
	while (!atomic_load(&G.target_ready))
		sched_yield();
	while (!atomic_load(&G.stop))
		send_one();
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Checkpoints (test thread)                                           */
/* ------------------------------------------------------------------ */

static void violation(enum violation v, unsigned int i, unsigned long a,
		      unsigned long b)
{
	if (G.violations[v]++ == 0)
		snprintf(G.first[v], sizeof(G.first[v]),
			 "checkpoint %lu, tasklet %u (%#lx, %#lx)",
			 atomic_load(&G.checkpoints), i, a, b);
}

/*
 * The books at a moment when nobody schedules: all schedules counted in
 * @seq have returned and no tasklet is disabled (header).
 */
static void check_books(void)
{
	usoftirq_machine_quiesce(G.m);
	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		struct sig_tasklet *st = &G.tk[i];
		unsigned long state =
			__atomic_load_n(&st->t.state, __ATOMIC_SEQ_CST);

		if (state & ((1ul << USOFTIRQ_TASKLET_STATE_SCHED) |
			     (1ul << USOFTIRQ_TASKLET_STATE_RUN)))
			violation(V_QUIESCE_BUSY, i, state, 0);
	}
	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		struct sig_tasklet *st = &G.tk[i];
		unsigned long seq, served, runs, state;

		usoftirq_tasklet_kill(&st->t);
		seq = atomic_load(&st->seq);
		served = atomic_load(&st->served);
		runs = atomic_load(&st->runs);
		state = __atomic_load_n(&st->t.state, __ATOMIC_SEQ_CST);
		if (served != seq)
			violation(V_LOST, i, served, seq);
		if (runs > seq)
			violation(V_RUNS, i, runs, seq);
		if (state != 0)
			violation(V_WORD, i, state, 0);
	}
	atomic_fetch_add(&G.checkpoints, 1);
}

/* Pause the target, check, let it go on. */
static void checkpoint(void)
{
	unsigned long req = atomic_load(&G.pause_req) + 1;

	atomic_store(&G.pause_req, req);
	while (atomic_load(&G.paused) != req)
		sched_yield();
	check_books();
	atomic_store(&G.resumed, req);
}

/* ------------------------------------------------------------------ */
/* The test thread                                                     */
/* ------------------------------------------------------------------ */

static unsigned int budget_ms(void)
{
	const char *s = getenv("USOFTIRQ_STRESS_MS");
	char *end;
	unsigned long ms;

	if (!s || !*s)
		return DEFAULT_BUDGET_MS;
	ms = strtoul(s, &end, 10);
	return *end || ms == 0 || ms > 3600000 ? DEFAULT_BUDGET_MS :
						 (unsigned int)ms;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Let the stress run; nothing depends on how long this really takes. */
static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		assert_int_equal(errno, EINTR);
}

/*
 * A deadlock must not be a silent CTest timeout: the watchdog prints the
 * books and aborts. Nothing waits on it for correctness.
 */
struct watchdog {
	pthread_t thread;
	sem_t done;
	unsigned int seconds;
};

static void dump_books(void)
{
	fprintf(stderr,
		"  handler calls %lu, sent %lu, checkpoint %lu "
		"(asked %lu, paused %lu)\n",
		atomic_load(&G.handler_calls), atomic_load(&G.sent),
		atomic_load(&G.checkpoints), atomic_load(&G.pause_req),
		atomic_load(&G.paused));
	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		struct sig_tasklet *st = &G.tk[i];

		fprintf(stderr,
			"  tasklet %u: state %#lx seq %lu served %lu runs %lu "
			"inside %d\n",
			i, __atomic_load_n(&st->t.state, __ATOMIC_SEQ_CST),
			atomic_load(&st->seq), atomic_load(&st->served),
			atomic_load(&st->runs), atomic_load(&st->inside));
	}
}

static void *watchdog_main(void *arg)
{
	struct watchdog *w = arg;
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += w->seconds;
	while (sem_timedwait(&w->done, &deadline) != 0) {
		if (errno == EINTR)
			continue;
		fprintf(stderr,
			"stress_signal_schedule: %s: no progress after "
			"%u s, a thread is stuck; books:\n",
			G.v->name, w->seconds);
		dump_books();
		abort();
	}
	return NULL;
}

static void watchdog_start(struct watchdog *w, unsigned int seconds)
{
	assert_int_equal(sem_init(&w->done, 0, 0), 0);
	w->seconds = seconds;
	assert_int_equal(pthread_create(&w->thread, NULL, watchdog_main, w), 0);
}

static void watchdog_stop(struct watchdog *w)
{
	sem_post(&w->done);
	assert_int_equal(pthread_join(w->thread, NULL), 0);
	sem_destroy(&w->done);
}

static void install_handler(int signo, struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(signo, &sa, old), 0);
}

static void print_stats(unsigned int ms)
{
	unsigned long runs = 0, target = 0;

	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		runs += atomic_load(&G.tk[i].runs);
		target += atomic_load(&G.tk[i].seq) -
			  atomic_load(&G.tk[i].by_handler);
	}
	printf("[ stress   ] %s, %u ms: %lu signals sent (%lu queue full), "
	       "%lu handler runs (%lu in a BH section or softirq, %lu in the "
	       "target's schedule), %lu target iterations, %lu target "
	       "schedules, %lu runs, %lu checkpoints\n",
	       G.v->name, ms, atomic_load(&G.sent), atomic_load(&G.queue_full),
	       atomic_load(&G.handler_calls), atomic_load(&G.hit_bh),
	       atomic_load(&G.hit_schedule), atomic_load(&G.target_iters),
	       target, runs, atomic_load(&G.checkpoints));
}

static void check_violations(void)
{
	unsigned long total = 0;

	for (unsigned int v = 0; v < NR_VIOLATIONS; v++) {
		if (G.violations[v])
			print_error("%lu x %s; first: %s\n", G.violations[v],
				    violation_names[v], G.first[v]);
		total += G.violations[v];
	}
	assert_int_equal(total, 0);
}

/* The library made no report at all (DESTROY_PENDING included). */
static void check_no_reports(const unsigned long before[])
{
	unsigned long total = 0;

	for (unsigned int k = 0; k < USOFTIRQ_REPORT_NR_KINDS; k++) {
		unsigned long n = usoftirq_report_count(k) - before[k];

		if (n)
			print_error("%lu report(s) %s: %s\n", n,
				    usoftirq_report_kind_name(k),
				    captured_text(k, 0) ? captured_text(k, 0) :
							  "?");
		total += n;
	}
	assert_int_equal(total, 0);
}

static void run_variant(const struct variant *v)
{
	unsigned long before[USOFTIRQ_REPORT_NR_KINDS];
	unsigned int ms = budget_ms();
	struct sigaction old;
	struct watchdog wd;
	pthread_t sender;
	uint64_t end;

	memset(&G, 0, sizeof(G));
	G.v = v;
	G.signo = v->rt_signal ? SIGRTMIN + 1 : SIGUSR1;
	for (unsigned int i = 0; i < NR_TASKLETS; i++)
		usoftirq_tasklet_setup(&G.tk[i].t, sig_callback);
	for (unsigned int k = 0; k < USOFTIRQ_REPORT_NR_KINDS; k++)
		before[k] = usoftirq_report_count(k);
	capture_start();
	G.m = test_machine(2, 0);
	install_handler(G.signo, &old);
	watchdog_start(&wd, ms / 1000 + HANG_SECONDS);

	assert_int_equal(pthread_create(&G.target, NULL, target_main, NULL), 0);
	assert_int_equal(pthread_create(&sender, NULL, sender_main, NULL), 0);
	end = now_ms() + ms;
	while (now_ms() < end) {
		sleep_ms(CHECK_MS);
		checkpoint();
	}
	atomic_store(&G.stop, true);
	assert_int_equal(pthread_join(sender, NULL), 0);
	assert_int_equal(pthread_join(G.target, NULL), 0);
	assert_int_equal(sigaction(G.signo, &old, NULL), 0);
	/* The last checkpoint: the target is gone, and its handlers too. */
	check_books();
	watchdog_stop(&wd);
	usoftirq_machine_destroy(G.m);
	capture_stop();

	print_stats(ms);
	assert_int_equal(atomic_load(&G.setup_errors), 0);
	assert_int_equal(atomic_load(&G.errno_changed), 0);
	assert_int_equal(atomic_load(&G.reentered), 0);
	assert_int_equal(atomic_load(&G.not_softirq), 0);
	check_violations();
	check_no_reports(before);
}

static void test_signal_busy_target_bound(void **state)
{
	static const struct variant v = { "busy target on vCPU 0, SIGUSR1",
					  false, false, 0 };

	(void)state;
	run_variant(&v);
}

static void test_signal_busy_target_unbound(void **state)
{
	static const struct variant v = { "busy target unbound, SIGRTMIN+1",
					  true, false, -1 };

	(void)state;
	run_variant(&v);
}

static void test_signal_scheduling_target_bound(void **state)
{
	static const struct variant v = {
		"scheduling target on vCPU 1, SIGUSR1", false, true, 1
	};

	(void)state;
	run_variant(&v);
}

static void test_signal_scheduling_target_unbound(void **state)
{
	static const struct variant v = {
		"scheduling target unbound, SIGRTMIN+1", true, true, -1
	};

	(void)state;
	run_variant(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_busy_target_bound),
		cmocka_unit_test(test_signal_busy_target_unbound),
		cmocka_unit_test(test_signal_scheduling_target_bound),
		cmocka_unit_test(test_signal_scheduling_target_unbound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
