/* SPDX-License-Identifier: MIT */
/*
 * Stress: the tasklet state machine hammered from many threads at once.
 *
 * Sixteen tasklets (half set up with a callback, half legacy with @data)
 * live on a machine with workers. For a fixed wall-clock budget
 * (USOFTIRQ_STRESS_MS, default 2000 ms per scenario) these threads work on
 * them at random:
 *
 *   4 schedulers   bound to vCPU 0; bound to the last vCPU, some hi;
 *                  unbound, all hi; unbound, in batches inside
 *                  local_bh_disable() (the batch runs in the scheduler at
 *                  local_bh_enable())
 *   2 disablers    tasklet_disable(), resp. tasklet_disable_in_atomic(),
 *                  sometimes scheduling the tasklet while holding it, then
 *                  tasklet_enable()
 *   1 killer       tasklet_kill() and the kill post-conditions
 *
 * Scenarios: 2 vCPUs; 3 vCPUs on this (2-CPU) host; 2 vCPUs with
 * callbacks that reschedule themselves a bounded number of times. With 3
 * vCPUs on 2 CPUs, vCPU 2's worker shares a CPU with vCPU 0's, and unbound
 * threads never map to vCPU 2, so one scheduler is bound to it.
 *
 * Nothing depends on timing: a slow machine does fewer iterations, and
 * every check below holds for any amount of work. Helpers record
 * violations in atomics; the test thread asserts after joining them. A
 * hang (the "no deadlock" goal) is caught by a watchdog that prints the
 * books and aborts HANG_SECONDS past the budget, well before CTest's
 * timeout.
 *
 * The books and why each check is exact
 * -------------------------------------
 * All bookkeeping atomics are sequentially consistent, so "before" below
 * is their single total order.
 *
 * Never concurrent with itself (P4). The callback increments @inside on
 * entry and decrements it on exit; seeing a non-zero old value means two
 * invocations overlap.
 *
 * No run while disabled (P7). A disabler increments @held after
 * tasklet_disable() returns and decrements it before tasklet_enable(). A
 * callback that reads @held != 0 at its start was either started by the
 * library while the disable was held (the bug), or had started before and
 * read @held only after the disabler's increment; the latter is excluded
 * because disable() returns only after a running callback has returned.
 *
 * No schedule lost but those kill may drop (P1, P8). Every schedule is
 * booked: read @kills_ended (E), take ticket k = ++@ticket, schedule, read
 * @kills_begun (B). The killer increments B before tasklet_kill() and E
 * after it returns, and kills of one tasklet never overlap (one killer,
 * then the test thread once the killer is joined). Kill holds SCHED only
 * inside its own [B++, E++] bracket, so if B read after the schedule
 * equals E read before it, every kill that had begun by the schedule's end
 * had ended before the schedule began: no kill overlapped it, the SCHED
 * it found set (if any) was set by a schedule, and it cannot have been
 * dropped. Such a schedule raises @need to k; one with B != E may have been
 * dropped and is only counted. A callback's own reschedule is booked the
 * same way. By P1 a run follows every undropped schedule and sees the
 * ticket taken before it: the callback reads @ticket at its start and
 * raises @served (and @done when it returns) to it. A run that read v
 * serves every ticket <= v, so "every undropped ticket was served" is
 * exactly @served >= @need, checked after the final kills.
 *
 * Kill waits for the pending run (P8). The killer reads @need before B++.
 * Any schedule counted there was undropped and complete before the kill
 * began, so the run answering it had started, or was pending with SCHED
 * set by a schedule; kill takes SCHED only once no run is pending, then
 * waits for RUN, which every run releases after raising @done. So when
 * kill returns, @done >= that snapshot of @need.
 *
 * Kill leaves the tasklet idle and the count alone (P8). Others may
 * schedule the tasklet again the moment kill returns, so the idle check is
 * made only when provably nobody did: the killer reads @sched_exit before
 * B++ and @sched_enter after reading the state word; schedules count
 * themselves in before their ticket and out after their call. Equal values
 * mean no schedule call ran at any moment between the kill's start and the
 * state read. Nothing else sets SCHED (an enable re-queues only a tasklet
 * whose SCHED is still set) and a run needs SCHED, so then SCHED and RUN
 * are clear, no callback is inside, and the whole word is 0 (src/tasklet.c:
 * WAITERS and PARKED exist only with SCHED or RUN). The count is checked
 * at every kill against the disablers' ledger: with disables done (Dd)
 * and enables begun (Eb) read before the count, and disables begun (Db)
 * and enables done (Ed) after, Dd - Eb <= count <= Db - Ed; a kill that
 * changed the count breaks it.
 *
 * The books balance. A run needs a 0 -> SCHED transition made by a
 * schedule call (kill's own SCHED is released without a run), so @runs <=
 * @calls for each tasklet; a tasklet with an undropped schedule (@need > 0)
 * ran. After the threads are joined and the machine quiesced, no tasklet
 * is scheduled or running (every count is back to 0, so nothing may stay
 * parked); after the final kills every word is 0, every callback that
 * started has returned (@done == @served), and no report other than kill's
 * "waits for a disabled tasklet" notice was made. Destroying the machine
 * reports nothing pending.
 */
#include "test_util.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NR_TASKLETS 16
#define NR_SCHEDULERS 4
#define NR_DISABLERS 2
#define DEFAULT_BUDGET_MS 2000
#define RESCHED_BUDGET 3
#define BH_BATCH_MAX 4
/* Beyond the budget: a scenario still running after this has hung. */
#define HANG_SECONDS 60

#define STATE_SCHED (1ul << USOFTIRQ_TASKLET_STATE_SCHED)
#define STATE_RUN (1ul << USOFTIRQ_TASKLET_STATE_RUN)

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - (size_t)offsetof(type, member)))

/* ------------------------------------------------------------------ */
/* The books                                                           */
/* ------------------------------------------------------------------ */

enum violation {
	V_REENTERED, /* a callback started while another one ran */
	V_RAN_DISABLED, /* a callback started while disable() was held */
	V_NOT_SOFTIRQ, /* a callback ran outside softirq context */
	V_KILL_UNSERVED, /* kill returned before the pending run ended */
	V_KILL_COUNT, /* the count left the disablers' ledger at kill */
	V_KILL_BUSY, /* SCHED or RUN set after a quiet kill */
	V_KILL_WORD, /* state word not 0 after a quiet kill */
	V_KILL_INSIDE, /* a callback inside after a quiet kill */
	NR_VIOLATIONS
};

static const char *const violation_names[NR_VIOLATIONS] = {
	"callback re-entered (P4)",
	"callback ran while disable() was held (P7)",
	"callback ran outside softirq context",
	"kill returned before the pending run finished (P8)",
	"disable count outside the disable/enable ledger after kill (P8)",
	"SCHED or RUN set after kill with no schedule in flight (P8)",
	"state word not 0 after kill with no schedule in flight",
	"callback running after kill with no schedule in flight (P8)",
};

struct stress_tasklet {
	struct usoftirq_tasklet t;
	unsigned int index;
	/* Schedules (booked_schedule()). */
	_Atomic unsigned long ticket;
	_Atomic unsigned long need;
	_Atomic unsigned long calls;
	_Atomic unsigned long maybe_dropped;
	_Atomic unsigned long sched_enter;
	_Atomic unsigned long sched_exit;
	/* Runs (stress_run()). */
	_Atomic unsigned long runs;
	_Atomic unsigned long served;
	_Atomic unsigned long done;
	_Atomic int inside;
	_Atomic int resched_budget;
	/* Disables: @held, and the ledger of the count. */
	_Atomic int held;
	_Atomic long dis_begun;
	_Atomic long dis_done;
	_Atomic long en_begun;
	_Atomic long en_done;
	/* Kills. */
	_Atomic unsigned long kills_begun;
	_Atomic unsigned long kills_ended;
};

struct scenario {
	const char *name;
	unsigned int ncpus;
	bool resched;
};

/* The first violation of each kind, for the failure message. */
struct first_violation {
	int tasklet;
	unsigned long a, b;
};

static struct stress {
	const struct scenario *sc;
	struct usoftirq_machine *m;
	struct stress_tasklet tk[NR_TASKLETS];
	_Atomic bool stop;
	_Atomic unsigned long violations[NR_VIOLATIONS];
	struct first_violation first[NR_VIOLATIONS];
	_Atomic unsigned int setup_errors;
	/* Statistics, printed and never asserted on. */
	_Atomic unsigned long sched_iters;
	_Atomic unsigned long bh_batches;
	_Atomic unsigned long disable_iters;
	_Atomic unsigned long kills;
	_Atomic unsigned long quiet_kills;
} S;

static void violation(enum violation v, const struct stress_tasklet *st,
		      unsigned long a, unsigned long b)
{
	/* Only the first recorder writes @first; read after the joins. */
	if (atomic_fetch_add(&S.violations[v], 1) == 0)
		S.first[v] = (struct first_violation){ (int)st->index, a, b };
}

static void atomic_max(_Atomic unsigned long *p, unsigned long v)
{
	unsigned long cur = atomic_load(p);

	while (cur < v && !atomic_compare_exchange_weak(p, &cur, v))
		;
}

static unsigned int rnd(unsigned int *seed)
{
	unsigned int x = *seed;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *seed = x;
}

static struct stress_tasklet *pick(unsigned int *seed)
{
	return &S.tk[rnd(seed) % NR_TASKLETS];
}

/*
 * A schedule with its books: E before the ticket, B after the call. If no
 * kill overlapped the call (B == E), the ticket must be served (header).
 */
static void booked_schedule(struct stress_tasklet *st, bool hi)
{
	unsigned long ended, begun, k;

	atomic_fetch_add(&st->sched_enter, 1);
	ended = atomic_load(&st->kills_ended);
	k = atomic_fetch_add(&st->ticket, 1) + 1;
	if (hi)
		usoftirq_tasklet_hi_schedule(&st->t);
	else
		usoftirq_tasklet_schedule(&st->t);
	begun = atomic_load(&st->kills_begun);
	atomic_fetch_add(&st->calls, 1);
	if (begun == ended)
		atomic_max(&st->need, k);
	else
		atomic_fetch_add(&st->maybe_dropped, 1);
	atomic_fetch_add(&st->sched_exit, 1);
}

/* Take one self-reschedule from the budget the schedulers refill. */
static bool take_resched(struct stress_tasklet *st)
{
	int b = atomic_load(&st->resched_budget);

	while (b > 0 &&
	       !atomic_compare_exchange_weak(&st->resched_budget, &b, b - 1))
		;
	return b > 0;
}

static void stress_run(struct stress_tasklet *st)
{
	/* First: the ticket this run serves (P1: it sees every ticket
	 * taken before a schedule that this run answers). */
	unsigned long seen = atomic_load(&st->ticket);
	int held;

	if (atomic_fetch_add(&st->inside, 1) != 0)
		violation(V_REENTERED, st, seen, 0);
	held = atomic_load(&st->held);
	if (held != 0)
		violation(V_RAN_DISABLED, st, seen, (unsigned long)held);
	if (!usoftirq_in_serving_softirq())
		violation(V_NOT_SOFTIRQ, st, usoftirq_preempt_count(), 0);
	atomic_max(&st->served, seen);
	atomic_fetch_add(&st->runs, 1);
	if (S.sc->resched && take_resched(st))
		booked_schedule(st, seen & 1);
	atomic_fetch_sub(&st->inside, 1);
	atomic_max(&st->done, seen);
}

static void stress_callback(struct usoftirq_tasklet *t)
{
	stress_run(container_of(t, struct stress_tasklet, t));
}

static void stress_func(unsigned long data)
{
	stress_run((struct stress_tasklet *)data);
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

struct scheduler_cfg {
	int cpu; /* vCPU to bind to, -1: unbound */
	unsigned int hi_pct; /* share of hi_schedule calls */
	bool bh_batches; /* schedule in local_bh_disable() batches */
	unsigned int seed;
};

static void scheduler_one(struct scheduler_cfg *c)
{
	struct stress_tasklet *st = pick(&c->seed);

	if (S.sc->resched)
		atomic_store(&st->resched_budget, RESCHED_BUDGET);
	booked_schedule(st, rnd(&c->seed) % 100 < c->hi_pct);
}

/* The batch's callbacks run in this thread, at local_bh_enable(). */
static void scheduler_bh_batch(struct scheduler_cfg *c)
{
	unsigned int n = 1 + rnd(&c->seed) % BH_BATCH_MAX;

	usoftirq_local_bh_disable();
	while (n--)
		scheduler_one(c);
	usoftirq_local_bh_enable();
	atomic_fetch_add(&S.bh_batches, 1);
}

static void *scheduler_main(void *arg)
{
	struct scheduler_cfg *c = arg;

	if (c->cpu >= 0 && usoftirq_thread_bind(S.m, (unsigned int)c->cpu)) {
		atomic_fetch_add(&S.setup_errors, 1);
		return NULL;
	}
	while (!atomic_load(&S.stop)) {
		if (c->bh_batches)
			scheduler_bh_batch(c);
		else
			scheduler_one(c);
		atomic_fetch_add(&S.sched_iters, 1);
	}
	usoftirq_thread_unbind();
	return NULL;
}

struct disabler_cfg {
	bool in_atomic;
	unsigned int seed;
};

/* Hold one disable; sometimes schedule while holding it (P7). */
static void disabler_one(struct disabler_cfg *c)
{
	struct stress_tasklet *st = pick(&c->seed);
	unsigned int r = rnd(&c->seed);

	atomic_fetch_add(&st->dis_begun, 1);
	if (c->in_atomic)
		usoftirq_tasklet_disable_in_atomic(&st->t);
	else
		usoftirq_tasklet_disable(&st->t);
	atomic_fetch_add(&st->dis_done, 1);
	atomic_fetch_add(&st->held, 1);
	if (r & 1)
		booked_schedule(st, r & 2);
	atomic_fetch_sub(&st->held, 1);
	atomic_fetch_add(&st->en_begun, 1);
	usoftirq_tasklet_enable(&st->t);
	atomic_fetch_add(&st->en_done, 1);
}

static void *disabler_main(void *arg)
{
	struct disabler_cfg *c = arg;

	while (!atomic_load(&S.stop)) {
		disabler_one(c);
		atomic_fetch_add(&S.disable_iters, 1);
	}
	return NULL;
}

/* Dd - Eb <= count <= Db - Ed (header); a kill must not move it. */
static void check_count_ledger(struct stress_tasklet *st)
{
	long dis_done = atomic_load(&st->dis_done);
	long en_done = atomic_load(&st->en_done);
	long count = usoftirq_tasklet_count(&st->t);
	long en_begun = atomic_load(&st->en_begun);
	long dis_begun = atomic_load(&st->dis_begun);

	if (count < dis_done - en_begun || count > dis_begun - en_done)
		violation(V_KILL_COUNT, st, (unsigned long)count,
			  (unsigned long)(dis_begun - en_done));
}

/* The post-conditions of one kill that no schedule overlapped. */
static void check_quiet_kill(struct stress_tasklet *st, unsigned long state,
			     int inside)
{
	atomic_fetch_add(&S.quiet_kills, 1);
	if (state & (STATE_SCHED | STATE_RUN))
		violation(V_KILL_BUSY, st, state, 0);
	if (state != 0)
		violation(V_KILL_WORD, st, state, 0);
	if (inside != 0)
		violation(V_KILL_INSIDE, st, (unsigned long)inside, 0);
}

/* A kill with its books (B, E) and its post-conditions (header). */
static void checked_kill(struct stress_tasklet *st)
{
	unsigned long need = atomic_load(&st->need);
	unsigned long exited = atomic_load(&st->sched_exit);
	unsigned long state, done;
	int inside;

	atomic_fetch_add(&st->kills_begun, 1);
	usoftirq_tasklet_kill(&st->t);
	atomic_fetch_add(&st->kills_ended, 1);
	done = atomic_load(&st->done);
	if (done < need)
		violation(V_KILL_UNSERVED, st, done, need);
	check_count_ledger(st);
	state = __atomic_load_n(&st->t.state, __ATOMIC_SEQ_CST);
	inside = atomic_load(&st->inside);
	if (atomic_load(&st->sched_enter) == exited)
		check_quiet_kill(st, state, inside);
	atomic_fetch_add(&S.kills, 1);
}

static void *killer_main(void *arg)
{
	unsigned int seed = 0x9e3779b9u;

	(void)arg;
	while (!atomic_load(&S.stop))
		checked_kill(pick(&seed));
	return NULL;
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

/* Let the stress run; nothing depends on how long this really takes. */
static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		assert_int_equal(errno, EINTR);
}

static void tasklets_init(void)
{
	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		struct stress_tasklet *st = &S.tk[i];

		st->index = i;
		if (i & 1)
			usoftirq_tasklet_init(&st->t, stress_func,
					      (unsigned long)st);
		else
			usoftirq_tasklet_setup(&st->t, stress_callback);
	}
}

struct threads {
	pthread_t sched[NR_SCHEDULERS];
	pthread_t dis[NR_DISABLERS];
	pthread_t killer;
	struct scheduler_cfg sched_cfg[NR_SCHEDULERS];
	struct disabler_cfg dis_cfg[NR_DISABLERS];
};

static void threads_start(struct threads *th, unsigned int ncpus)
{
	const struct scheduler_cfg sched_cfg[NR_SCHEDULERS] = {
		{ 0, 0, false, 0x1234567u },
		{ (int)ncpus - 1, 25, false, 0x2345671u },
		{ -1, 100, false, 0x3456712u },
		{ -1, 0, true, 0x4567123u },
	};
	const struct disabler_cfg dis_cfg[NR_DISABLERS] = {
		{ false, 0x5671234u },
		{ true, 0x6712345u },
	};

	for (unsigned int i = 0; i < NR_SCHEDULERS; i++) {
		th->sched_cfg[i] = sched_cfg[i];
		assert_int_equal(pthread_create(&th->sched[i], NULL,
						scheduler_main,
						&th->sched_cfg[i]),
				 0);
	}
	for (unsigned int i = 0; i < NR_DISABLERS; i++) {
		th->dis_cfg[i] = dis_cfg[i];
		assert_int_equal(pthread_create(&th->dis[i], NULL,
						disabler_main, &th->dis_cfg[i]),
				 0);
	}
	assert_int_equal(pthread_create(&th->killer, NULL, killer_main, NULL),
			 0);
}

static void threads_stop(struct threads *th)
{
	atomic_store(&S.stop, true);
	for (unsigned int i = 0; i < NR_SCHEDULERS; i++)
		assert_int_equal(pthread_join(th->sched[i], NULL), 0);
	for (unsigned int i = 0; i < NR_DISABLERS; i++)
		assert_int_equal(pthread_join(th->dis[i], NULL), 0);
	assert_int_equal(pthread_join(th->killer, NULL), 0);
}

/*
 * After the joins every count is 0, so quiesce must leave nothing
 * scheduled or running: nothing can be parked as disabled, and a tasklet
 * parked behind a running callback is queued again before that callback's
 * vCPU goes idle. Returns how many tasklets quiesce left busy.
 */
static unsigned int busy_after_quiesce(void)
{
	unsigned int busy = 0;

	usoftirq_machine_quiesce(S.m);
	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		const struct usoftirq_tasklet *t = &S.tk[i].t;

		if (usoftirq_tasklet_is_scheduled(t) ||
		    usoftirq_tasklet_is_running(t)) {
			print_error(
				"tasklet %u busy after quiesce: state %#lx\n",
				i,
				__atomic_load_n(&t->state, __ATOMIC_SEQ_CST));
			busy++;
		}
	}
	return busy;
}

/* The final books of one tasklet, once it is killed for the last time. */
static void check_final_books(const struct stress_tasklet *st)
{
	unsigned long served = atomic_load(&st->served);
	unsigned long need = atomic_load(&st->need);
	unsigned long runs = atomic_load(&st->runs);

	if (served < need || atomic_load(&st->done) != served ||
	    runs > atomic_load(&st->calls) || (need && !runs))
		print_error("tasklet %u: tickets %lu, need %lu, served %lu, "
			    "done %lu, runs %lu, calls %lu, maybe dropped "
			    "%lu\n",
			    st->index, atomic_load(&st->ticket), need, served,
			    atomic_load(&st->done), runs,
			    atomic_load(&st->calls),
			    atomic_load(&st->maybe_dropped));
	assert_int_equal(__atomic_load_n(&st->t.state, __ATOMIC_SEQ_CST), 0);
	assert_int_equal(usoftirq_tasklet_count(&st->t), 0);
	assert_int_equal(atomic_load(&st->inside), 0);
	/* Every undropped ticket was served: no schedule lost. */
	assert_true(served >= need);
	assert_true(served <= atomic_load(&st->ticket));
	/* Every callback that started has returned. */
	assert_int_equal(atomic_load(&st->done), served);
	/* A run needs a schedule; an undropped schedule made a run. */
	assert_true(runs <= atomic_load(&st->calls));
	assert_true(need == 0 || runs > 0);
}

static void check_violations(void)
{
	unsigned long total = 0;

	for (unsigned int v = 0; v < NR_VIOLATIONS; v++) {
		unsigned long n = atomic_load(&S.violations[v]);

		if (n)
			print_error(
				"%lu x %s; first: tasklet %d (%#lx, %#lx)\n", n,
				violation_names[v], S.first[v].tasklet,
				S.first[v].a, S.first[v].b);
		total += n;
	}
	assert_int_equal(total, 0);
}

/* Only kill's notice about a disabled tasklet may have been reported. */
static void check_reports(const unsigned long before[])
{
	unsigned long unexpected = 0;

	for (unsigned int k = 0; k < USOFTIRQ_REPORT_NR_KINDS; k++) {
		unsigned long n = usoftirq_report_count(k) - before[k];

		if (k == USOFTIRQ_REPORT_TASKLET_KILL_DISABLED || !n)
			continue;
		print_error("%lu unexpected report(s) %s: %s\n", n,
			    usoftirq_report_kind_name(k),
			    captured_text(k, 0) ? captured_text(k, 0) : "?");
		unexpected += n;
	}
	assert_int_equal(unexpected, 0);
}

static void print_stats(unsigned int ms, const unsigned long before[])
{
	unsigned long calls = 0, runs = 0, dropped = 0;

	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		calls += atomic_load(&S.tk[i].calls);
		runs += atomic_load(&S.tk[i].runs);
		dropped += atomic_load(&S.tk[i].maybe_dropped);
	}
	printf("[ stress   ] %s, %u ms: %lu scheduler iterations (%lu BH "
	       "batches), %lu schedules, %lu runs, %lu overlapped a kill; "
	       "%lu disables; %lu kills (%lu quiet); %lu kill-disabled "
	       "notices\n",
	       S.sc->name, ms, atomic_load(&S.sched_iters),
	       atomic_load(&S.bh_batches), calls, runs, dropped,
	       atomic_load(&S.disable_iters), atomic_load(&S.kills),
	       atomic_load(&S.quiet_kills),
	       usoftirq_report_count(USOFTIRQ_REPORT_TASKLET_KILL_DISABLED) -
		       before[USOFTIRQ_REPORT_TASKLET_KILL_DISABLED]);
}

/*
 * A deadlock must not be a silent CTest timeout: after HANG_SECONDS past
 * the budget the watchdog prints the books and aborts. Nothing waits on it
 * for correctness; it only turns a hang into a diagnosis.
 */
struct watchdog {
	pthread_t thread;
	sem_t done;
	unsigned int seconds;
};

static void dump_books(void)
{
	for (unsigned int v = 0; v < NR_VIOLATIONS; v++)
		if (atomic_load(&S.violations[v]))
			fprintf(stderr, "  %lu x %s\n",
				atomic_load(&S.violations[v]),
				violation_names[v]);
	for (unsigned int i = 0; i < NR_TASKLETS; i++) {
		struct stress_tasklet *st = &S.tk[i];

		fprintf(stderr,
			"  tasklet %2u: state %#lx count %d held %d inside %d "
			"ticket %lu need %lu served %lu done %lu kills %lu/%lu\n",
			i, __atomic_load_n(&st->t.state, __ATOMIC_SEQ_CST),
			usoftirq_tasklet_count(&st->t), atomic_load(&st->held),
			atomic_load(&st->inside), atomic_load(&st->ticket),
			atomic_load(&st->need), atomic_load(&st->served),
			atomic_load(&st->done), atomic_load(&st->kills_begun),
			atomic_load(&st->kills_ended));
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
			"stress_tasklet: %s: no progress after %u s, "
			"a thread is stuck; books:\n",
			S.sc->name, w->seconds);
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

static void run_scenario(const struct scenario *sc)
{
	unsigned long before[USOFTIRQ_REPORT_NR_KINDS];
	unsigned int ms = budget_ms(), busy;
	struct watchdog wd;
	struct threads th;

	memset(&S, 0, sizeof(S));
	S.sc = sc;
	tasklets_init();
	for (unsigned int k = 0; k < USOFTIRQ_REPORT_NR_KINDS; k++)
		before[k] = usoftirq_report_count(k);
	capture_start();
	S.m = test_machine(sc->ncpus, 0);
	watchdog_start(&wd, ms / 1000 + HANG_SECONDS);

	threads_start(&th, sc->ncpus);
	sleep_ms(ms);
	threads_stop(&th);

	busy = busy_after_quiesce();
	for (unsigned int i = 0; i < NR_TASKLETS; i++)
		checked_kill(&S.tk[i]);
	watchdog_stop(&wd);
	usoftirq_machine_destroy(S.m);
	capture_stop();

	print_stats(ms, before);
	assert_int_equal(atomic_load(&S.setup_errors), 0);
	check_violations();
	for (unsigned int i = 0; i < NR_TASKLETS; i++)
		check_final_books(&S.tk[i]);
	assert_int_equal(busy, 0);
	/* Covers DESTROY_PENDING: the machine had nothing left to drop. */
	check_reports(before);
}

static void test_tasklets_2cpus(void **state)
{
	static const struct scenario sc = { "2 vCPUs", 2, false };

	(void)state;
	run_scenario(&sc);
}

static void test_tasklets_3cpus_on_2cpu_host(void **state)
{
	static const struct scenario sc = { "3 vCPUs", 3, false };

	(void)state;
	run_scenario(&sc);
}

static void test_tasklets_self_rescheduling(void **state)
{
	static const struct scenario sc = { "2 vCPUs, self-rescheduling", 2,
					    true };

	(void)state;
	run_scenario(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tasklets_2cpus),
		cmocka_unit_test(test_tasklets_3cpus_on_2cpu_host),
		cmocka_unit_test(test_tasklets_self_rescheduling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
