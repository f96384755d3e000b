/* SPDX-License-Identifier: MIT */
/*
 * Stress: threaded IRQF_ONESHOT lines under an interrupt storm
 * (kernel-semantics 6.3, 6.4).
 *
 * For a fixed wall-clock budget (USOFTIRQ_STRESS_MS, default 2000 ms),
 * pulser threads raise two lines as fast as they can:
 *
 *  - line A has two IRQF_SHARED | IRQF_ONESHOT actions, each with a
 *    primary handler that returns IRQ_WAKE_THREAD and its own thread_fn;
 *  - line B has one IRQF_ONESHOT action with no primary handler (the
 *    default primary wakes the thread), and a controller thread disables
 *    it (disable_irq(), which waits for the thread, or the nosync form)
 *    and enables it again.
 *
 * Each thread_fn counts itself in flight, yields now and then to widen
 * the windows, and looks at the line while it runs.
 *
 * Checks, exact whatever the machine's speed:
 *
 *  - A thread_fn never runs concurrently with itself.
 *  - The line is never unmasked while a thread_fn runs: on line A the
 *    first action's primary handler (the first handler of every run)
 *    never starts while either thread_fn is in flight, and no primary
 *    run starts between a thread_fn's entry and its exit; on line B the
 *    line's count of consumed edges (usoftirq_irq_get_stats(); a run
 *    consumes its edge as it starts) does not move while its thread_fn
 *    runs.
 *  - No wake-up is lost or merged: with the line masked until thread_fn
 *    returns, every primary run wakes the thread exactly once, so each
 *    action's thread_fn runs exactly as often as the line ran.
 *  - The books balance: pulses = coalesced + consumed, nothing dropped or
 *    pending once quiet, runs = consumed.
 *  - No deadlock (a watchdog reports), no report at all.
 */
#include "irq_test_util.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IRQ_A 20
#define IRQ_B 21
#define NR_PULSERS 2
#define DEFAULT_BUDGET_MS 2000
#define HANG_SECONDS 120
/* thread_fn yields on every YIELD_EVERY-th run. */
#define YIELD_EVERY 4

struct action {
	const char *name;
	_Atomic unsigned long primary_runs, thread_runs;
	_Atomic int in_flight, max_in_flight;
	_Atomic unsigned long unmasked_during_thread;
};

static struct {
	struct usoftirq_machine *m;
	struct action a1, a2, b;
	/* Primary runs of line A seen while a thread_fn of A was running. */
	_Atomic unsigned long primary_during_thread;
	_Atomic unsigned long pulses_a, pulses_b;
	_Atomic unsigned long disables;
	_Atomic bool stop;
} G;

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

static int threads_of_a_in_flight(void)
{
	return atomic_load(&G.a1.in_flight) + atomic_load(&G.a2.in_flight);
}

/* Line A's first action: the first handler of every run of the line. */
static usoftirq_irqreturn_t primary_a1(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	if (threads_of_a_in_flight())
		atomic_fetch_add(&G.primary_during_thread, 1);
	atomic_fetch_add(&G.a1.primary_runs, 1);
	return USOFTIRQ_IRQ_WAKE_THREAD;
}

static usoftirq_irqreturn_t primary_a2(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	atomic_fetch_add(&G.a2.primary_runs, 1);
	return USOFTIRQ_IRQ_WAKE_THREAD;
}

static void enter_thread(struct action *a)
{
	int now = atomic_fetch_add(&a->in_flight, 1) + 1;
	int seen = atomic_load(&a->max_in_flight);

	while (now > seen &&
	       !atomic_compare_exchange_weak(&a->max_in_flight, &seen, now))
		;
}

static void leave_thread(struct action *a)
{
	if (atomic_fetch_add(&a->thread_runs, 1) % YIELD_EVERY == 0)
		sched_yield();
}

/* Line A's thread_fn: no new run of the line may start meanwhile. */
static usoftirq_irqreturn_t thread_a(int irq, void *dev_id)
{
	struct action *a = dev_id;
	unsigned long runs_before;

	(void)irq;
	enter_thread(a);
	runs_before = atomic_load(&G.a1.primary_runs);
	leave_thread(a);
	if (atomic_load(&G.a1.primary_runs) != runs_before)
		atomic_fetch_add(&a->unmasked_during_thread, 1);
	atomic_fetch_sub(&a->in_flight, 1);
	return USOFTIRQ_IRQ_HANDLED;
}

static struct usoftirq_irq_stats line_stats(unsigned int irq)
{
	struct usoftirq_irq_stats st;

	if (usoftirq_irq_get_stats(G.m, irq, &st) != 0)
		abort();
	return st;
}

static unsigned long line_runs(unsigned int irq)
{
	return line_stats(irq).runs;
}

/*
 * Line B's thread_fn: no run of the line may start meanwhile. A run
 * consumes its edge when it starts (runs are only counted after the
 * handlers return, possibly after this thread has started), so the
 * consumed count is the one that must not move.
 */
static usoftirq_irqreturn_t thread_b(int irq, void *dev_id)
{
	struct action *b = dev_id;
	unsigned long consumed_before;

	enter_thread(b);
	consumed_before = line_stats((unsigned int)irq).consumed;
	leave_thread(b);
	if (line_stats((unsigned int)irq).consumed != consumed_before)
		atomic_fetch_add(&b->unmasked_during_thread, 1);
	atomic_fetch_sub(&b->in_flight, 1);
	return USOFTIRQ_IRQ_HANDLED;
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */
/* ------------------------------------------------------------------ */

static bool stopping(void)
{
	return atomic_load_explicit(&G.stop, memory_order_relaxed);
}

static void *pulser(void *arg)
{
	struct stress_rng rng = { (uintptr_t)arg * 0x9e3779b97f4a7c15ull + 7 };
	unsigned long a = 0, b = 0;

	while (!stopping()) {
		/* Let the handler threads in now and then: more runs. */
		if ((a + b) % 256 == 0)
			sched_yield();
		if (stress_rand(&rng, 2)) {
			if (usoftirq_irq_pulse(G.m, IRQ_A) == 0)
				a++;
		} else if (usoftirq_irq_pulse(G.m, IRQ_B) == 0) {
			b++;
		}
	}
	atomic_fetch_add(&G.pulses_a, a);
	atomic_fetch_add(&G.pulses_b, b);
	return NULL;
}

static void *controller(void *arg)
{
	unsigned long n = 0;

	(void)arg;
	while (!stopping()) {
		if (++n % 2)
			usoftirq_disable_irq(G.m, IRQ_B);
		else
			usoftirq_disable_irq_nosync(G.m, IRQ_B);
		sched_yield();
		usoftirq_enable_irq(G.m, IRQ_B);
		atomic_fetch_add(&G.disables, 1);
		sched_yield();
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Set-up and books                                                    */
/* ------------------------------------------------------------------ */

static void setup(void)
{
	memset(&G, 0, sizeof(G));
	G.a1.name = "a1";
	G.a2.name = "a2";
	G.b.name = "b";
	G.m = test_machine(2, 0);
	assert_int_equal(usoftirq_request_threaded_irq(
				 G.m, IRQ_A, primary_a1, thread_a,
				 USOFTIRQ_IRQF_SHARED | USOFTIRQ_IRQF_ONESHOT,
				 G.a1.name, &G.a1),
			 0);
	assert_int_equal(usoftirq_request_threaded_irq(
				 G.m, IRQ_A, primary_a2, thread_a,
				 USOFTIRQ_IRQF_SHARED | USOFTIRQ_IRQF_ONESHOT,
				 G.a2.name, &G.a2),
			 0);
	assert_int_equal(usoftirq_request_threaded_irq(
				 G.m, IRQ_B, NULL, thread_b,
				 USOFTIRQ_IRQF_ONESHOT, G.b.name, &G.b),
			 0);
	assert_int_equal(usoftirq_irq_set_affinity(G.m, IRQ_A, 0), 0);
	assert_int_equal(usoftirq_irq_set_affinity(G.m, IRQ_B, 1), 0);
}

static void dump_action(const struct action *a)
{
	fprintf(stderr,
		"  %s: primary %lu thread %lu in flight %d (max %d) unmasked "
		"during thread %lu\n",
		a->name, atomic_load(&a->primary_runs),
		atomic_load(&a->thread_runs), atomic_load(&a->in_flight),
		atomic_load(&a->max_in_flight),
		atomic_load(&a->unmasked_during_thread));
}

static void dump_books(void)
{
	dump_action(&G.a1);
	dump_action(&G.a2);
	dump_action(&G.b);
	fprintf(stderr, "  line runs: A %lu B %lu\n", line_runs(IRQ_A),
		line_runs(IRQ_B));
}

/*
 * Quiet: after the pulsers stop, the last thread_fn to finish unmasks its
 * line, which replays a waiting edge: a new primary run and thread run.
 * Wait for handlers and threads, and for the vCPUs, until a whole round
 * changes nothing.
 */
static void settle(void)
{
	unsigned long before;

	do {
		before = line_runs(IRQ_A) + line_runs(IRQ_B);
		usoftirq_synchronize_irq(G.m, IRQ_A);
		usoftirq_synchronize_irq(G.m, IRQ_B);
		usoftirq_machine_quiesce(G.m);
	} while (line_runs(IRQ_A) + line_runs(IRQ_B) != before ||
		 irq_stats(G.m, IRQ_A).pending ||
		 irq_stats(G.m, IRQ_B).pending);
}

static void check_line(unsigned int irq, unsigned long pulses)
{
	struct usoftirq_irq_stats st = irq_stats(G.m, irq);

	assert_int_equal(st.pulses, pulses);
	assert_true(irq_books_balance(&st));
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.runs, st.consumed);
	assert_int_equal(st.unhandled, 0);
	printf("  irq %u: %lu pulses, %lu coalesced, %lu runs\n", irq,
	       st.pulses, st.coalesced, st.runs);
}

static void check_action(const struct action *a, unsigned long line_run_count)
{
	assert_int_equal(atomic_load(&a->max_in_flight), 1);
	assert_int_equal(atomic_load(&a->in_flight), 0);
	assert_int_equal(atomic_load(&a->unmasked_during_thread), 0);
	assert_int_equal(atomic_load(&a->thread_runs), line_run_count);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		assert_int_equal(errno, EINTR);
}

/* The storm; see the top of the file for what is checked. */
static void test_oneshot_storm(void **state)
{
	unsigned int ms = stress_budget_ms(DEFAULT_BUDGET_MS);
	pthread_t pulsers[NR_PULSERS], control;
	struct stress_watchdog wd;
	unsigned long runs_a, runs_b;

	(void)state;
	setup();
	capture_start();
	stress_watchdog_start(&wd, "stress_irq_oneshot",
			      ms / 1000 + HANG_SECONDS, dump_books);
	for (uintptr_t i = 0; i < NR_PULSERS; i++)
		assert_int_equal(pthread_create(&pulsers[i], NULL, pulser,
						(void *)i),
				 0);
	assert_int_equal(pthread_create(&control, NULL, controller, NULL), 0);
	sleep_ms(ms);
	atomic_store(&G.stop, true);
	for (unsigned int i = 0; i < NR_PULSERS; i++)
		assert_int_equal(pthread_join(pulsers[i], NULL), 0);
	assert_int_equal(pthread_join(control, NULL), 0);
	settle();

	runs_a = line_runs(IRQ_A);
	runs_b = line_runs(IRQ_B);
	printf("stress_irq_oneshot: %u ms, %lu disables of line B\n", ms,
	       atomic_load(&G.disables));
	check_line(IRQ_A, atomic_load(&G.pulses_a));
	check_line(IRQ_B, atomic_load(&G.pulses_b));
	assert_int_equal(atomic_load(&G.primary_during_thread), 0);
	assert_int_equal(atomic_load(&G.a1.primary_runs), runs_a);
	assert_int_equal(atomic_load(&G.a2.primary_runs), runs_a);
	check_action(&G.a1, runs_a);
	check_action(&G.a2, runs_a);
	check_action(&G.b, runs_b);
	assert_true(runs_a > 0 && runs_b > 0);
	assert_int_equal(captured_total(), 0);
	capture_stop();

	assert_string_equal(usoftirq_free_irq(G.m, IRQ_A, &G.a1), "a1");
	assert_string_equal(usoftirq_free_irq(G.m, IRQ_A, &G.a2), "a2");
	assert_string_equal(usoftirq_free_irq(G.m, IRQ_B, &G.b), "b");
	stress_watchdog_stop(&wd);
	usoftirq_machine_destroy(G.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oneshot_storm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
