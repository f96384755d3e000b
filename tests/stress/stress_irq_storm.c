/* SPDX-License-Identifier: MIT */
/*
 * Stress: an interrupt storm on several lines, against tasklets on every
 * vCPU that take the same locks as the handlers.
 *
 * For a fixed wall-clock budget (USOFTIRQ_STRESS_MS, default 2000 ms),
 * pulser threads raise NR_LINES edge lines as fast as they can. Each
 * line's handler takes the line's spin lock (interrupts are off in a
 * handler), counts under it, schedules the tasklet of the vCPU it runs on
 * and, every eighth run, raises the next line itself. Each vCPU's tasklet
 * takes every line's lock with spin_lock_irqsave(), so an interrupt that
 * hits its worker inside the critical section is deferred to the restore
 * (a plain spin_lock() there would deadlock on the handler). A thread
 * bound to each vCPU keeps scheduling that vCPU's tasklet from task
 * context, and a controller thread moves lines between vCPUs
 * (irq_set_affinity()), disables and enables them (nosync and sleeping),
 * and synchronizes with them.
 *
 * Checks, exact whatever the machine's speed:
 *
 *  - No deadlock and no crash: the run ends (a watchdog prints the books
 *    and aborts long before CTest's timeout if it does not).
 *  - Every edge is accounted for, per line: the pulses the line counted
 *    equal those the pulsers and handlers made, and pulses = coalesced +
 *    consumed + dropped + pending, with nothing dropped or pending once
 *    the machine is quiet.
 *  - Every run consumed one edge (edge lines): runs = consumed = handler
 *    entries = the sum of the per-vCPU counts of /proc/interrupts; none
 *    was unhandled.
 *  - A line's handler never runs concurrently with itself, always in
 *    hardirq context with interrupts masked.
 *  - Mutual exclusion between handlers and tasklets: a plain counter
 *    incremented under each line's lock equals the handler runs plus the
 *    tasklets' critical sections.
 *  - Each vCPU's tasklet runs only on its vCPU, never concurrently with
 *    itself, and nothing is left scheduled after quiesce.
 *  - No report at all (no inconsistent lock state, no recursion, no IRQ
 *    warning).
 *
 * Statistics (pulses, coalesced edges, runs per line, tasklet runs,
 * controller actions) are printed, never asserted on.
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

#define NR_LINES 4
#define FIRST_IRQ 10
#define NR_PULSERS 3
#define MAX_VCPUS 64
#define DEFAULT_BUDGET_MS 2000
/* Beyond the budget: a run still going after this has hung. */
#define HANG_SECONDS 120
/* A handler raises the next line on every NESTED_EVERY-th run. */
#define NESTED_EVERY 8

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

struct line {
	unsigned int irq;
	char name[16];
	usoftirq_spinlock_t lock;
	/* Plain: only @lock protects them. */
	unsigned long shared, by_handler, by_tasklet;
	_Atomic unsigned long entries; /* handler calls */
	_Atomic unsigned long pulses_made; /* successful pulses of this line */
	_Atomic unsigned long nested; /* of which by handlers */
	_Atomic int inside, max_inside;
	_Atomic unsigned long bad_context;
};

struct vcpu_tasklet {
	struct usoftirq_tasklet t;
	unsigned int cpu;
	_Atomic unsigned long runs;
	_Atomic int inside, max_inside;
	_Atomic unsigned long wrong_cpu;
};

static struct {
	struct usoftirq_machine *m;
	unsigned int ncpus;
	struct line lines[NR_LINES];
	struct vcpu_tasklet tk[MAX_VCPUS];
	_Atomic bool stop;
	_Atomic unsigned long affinity_moves, disables, syncs;
} G;

static void note_max(_Atomic int *inside, _Atomic int *max)
{
	int now = atomic_fetch_add(inside, 1) + 1;
	int seen = atomic_load(max);

	while (now > seen && !atomic_compare_exchange_weak(max, &seen, now))
		;
}

/* ------------------------------------------------------------------ */
/* Handler and tasklets                                                */
/* ------------------------------------------------------------------ */

static void raise_next_line(const struct line *l)
{
	struct line *next = &G.lines[(size_t)(l - G.lines + 1) % NR_LINES];

	if (usoftirq_irq_pulse(G.m, next->irq) == 0) {
		atomic_fetch_add(&next->pulses_made, 1);
		atomic_fetch_add(&next->nested, 1);
	}
}

static usoftirq_irqreturn_t storm_handler(int irq, void *dev_id)
{
	struct line *l = dev_id;
	unsigned int cpu = usoftirq_smp_processor_id();
	unsigned long n;

	(void)irq;
	note_max(&l->inside, &l->max_inside);
	if (!usoftirq_in_hardirq() || !usoftirq_irqs_disabled())
		atomic_fetch_add(&l->bad_context, 1);
	usoftirq_spin_lock(&l->lock);
	l->shared++;
	l->by_handler++;
	usoftirq_spin_unlock(&l->lock);
	usoftirq_tasklet_schedule(&G.tk[cpu].t);
	n = atomic_fetch_add(&l->entries, 1);
	if (n % NESTED_EVERY == 0)
		raise_next_line(l);
	atomic_fetch_sub(&l->inside, 1);
	return USOFTIRQ_IRQ_HANDLED;
}

static void storm_tasklet(struct usoftirq_tasklet *t)
{
	struct vcpu_tasklet *v = container_of(t, struct vcpu_tasklet, t);

	note_max(&v->inside, &v->max_inside);
	if (usoftirq_smp_processor_id() != v->cpu)
		atomic_fetch_add(&v->wrong_cpu, 1);
	for (unsigned int i = 0; i < NR_LINES; i++) {
		struct line *l = &G.lines[i];
		unsigned long flags = usoftirq_spin_lock_irqsave(&l->lock);

		l->shared++;
		l->by_tasklet++;
		usoftirq_spin_unlock_irqrestore(&l->lock, flags);
	}
	atomic_fetch_add(&v->runs, 1);
	atomic_fetch_sub(&v->inside, 1);
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
	struct stress_rng rng = { (uintptr_t)arg * 0x9e3779b97f4a7c15ull + 1 };
	unsigned long made[NR_LINES] = { 0 };

	while (!stopping()) {
		unsigned int i = stress_rand(&rng, NR_LINES);

		if (usoftirq_irq_pulse(G.m, G.lines[i].irq) == 0)
			made[i]++;
	}
	for (unsigned int i = 0; i < NR_LINES; i++)
		atomic_fetch_add(&G.lines[i].pulses_made, made[i]);
	return NULL;
}

static void *scheduler(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	unsigned long n = 0;

	if (usoftirq_thread_bind(G.m, cpu) != 0)
		abort();
	while (!stopping()) {
		usoftirq_tasklet_schedule(&G.tk[cpu].t);
		if (++n % 64 == 0)
			sched_yield();
	}
	usoftirq_thread_unbind();
	return NULL;
}

static void control_once(struct stress_rng *rng)
{
	unsigned int irq = G.lines[stress_rand(rng, NR_LINES)].irq;

	switch (stress_rand(rng, 4)) {
	case 0:
		if (usoftirq_irq_set_affinity(G.m, irq,
					      stress_rand(rng, G.ncpus)) != 0)
			abort();
		atomic_fetch_add(&G.affinity_moves, 1);
		break;
	case 1:
		usoftirq_disable_irq_nosync(G.m, irq);
		sched_yield();
		usoftirq_enable_irq(G.m, irq);
		atomic_fetch_add(&G.disables, 1);
		break;
	case 2:
		usoftirq_disable_irq(G.m, irq);
		sched_yield();
		usoftirq_enable_irq(G.m, irq);
		atomic_fetch_add(&G.disables, 1);
		break;
	default:
		usoftirq_synchronize_irq(G.m, irq);
		atomic_fetch_add(&G.syncs, 1);
		break;
	}
}

static void *controller(void *arg)
{
	struct stress_rng rng = { 0x1234567ull };

	(void)arg;
	while (!stopping()) {
		control_once(&rng);
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
	G.m = test_machine(0, 0);
	G.ncpus = usoftirq_machine_ncpus(G.m);
	assert_true(G.ncpus <= MAX_VCPUS);
	for (unsigned int c = 0; c < G.ncpus; c++) {
		usoftirq_tasklet_setup(&G.tk[c].t, storm_tasklet);
		G.tk[c].cpu = c;
	}
	for (unsigned int i = 0; i < NR_LINES; i++) {
		struct line *l = &G.lines[i];

		l->irq = FIRST_IRQ + i;
		snprintf(l->name, sizeof(l->name), "storm%u", i);
		usoftirq_spin_lock_init(&l->lock, l->name);
		assert_int_equal(usoftirq_request_irq(G.m, l->irq,
						      storm_handler, 0, l->name,
						      l),
				 0);
		assert_int_equal(
			usoftirq_irq_set_affinity(G.m, l->irq, i % G.ncpus), 0);
	}
}

static void dump_books(void)
{
	for (unsigned int i = 0; i < NR_LINES; i++) {
		struct line *l = &G.lines[i];
		struct usoftirq_irq_stats st;

		(void)usoftirq_irq_get_stats(G.m, l->irq, &st);
		fprintf(stderr,
			"  irq %u: pulses %lu (made %lu, nested %lu) coalesced "
			"%lu consumed %lu dropped %lu pending %lu runs %lu "
			"entries %lu inside %d\n",
			l->irq, st.pulses, atomic_load(&l->pulses_made),
			atomic_load(&l->nested), st.coalesced, st.consumed,
			st.dropped, st.pending, st.runs,
			atomic_load(&l->entries), atomic_load(&l->inside));
	}
	for (unsigned int c = 0; c < G.ncpus; c++)
		fprintf(stderr, "  tasklet %u: state %#lx runs %lu inside %d\n",
			c, __atomic_load_n(&G.tk[c].t.state, __ATOMIC_SEQ_CST),
			atomic_load(&G.tk[c].runs),
			atomic_load(&G.tk[c].inside));
}

/* Quiet: no interrupt, softirq or tasklet left anywhere. */
static void settle(void)
{
	usoftirq_machine_quiesce(G.m);
	for (unsigned int i = 0; i < NR_LINES; i++)
		usoftirq_synchronize_irq(G.m, G.lines[i].irq);
	usoftirq_machine_quiesce(G.m);
}

static void check_line(struct line *l)
{
	struct usoftirq_irq_stats st = irq_stats(G.m, l->irq);
	unsigned long per_cpu = 0, flags;

	/* Read the lock-protected counters under the lock. */
	flags = usoftirq_spin_lock_irqsave(&l->lock);
	usoftirq_spin_unlock_irqrestore(&l->lock, flags);

	for (unsigned int c = 0; c < G.ncpus; c++)
		per_cpu += usoftirq_irq_stat(G.m, l->irq, c);
	assert_int_equal(st.pulses, atomic_load(&l->pulses_made));
	assert_true(irq_books_balance(&st));
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.runs, st.consumed);
	assert_int_equal(st.runs, atomic_load(&l->entries));
	assert_int_equal(st.runs, per_cpu);
	assert_int_equal(st.unhandled, 0);
	assert_int_equal(l->by_handler, st.runs);
	assert_int_equal(l->shared, l->by_handler + l->by_tasklet);
	assert_int_equal(atomic_load(&l->max_inside), 1);
	assert_int_equal(atomic_load(&l->bad_context), 0);
	assert_false(usoftirq_spin_is_locked(&l->lock));
	printf("  irq %u: %lu pulses (%lu from handlers), %lu coalesced, "
	       "%lu runs\n",
	       l->irq, st.pulses, atomic_load(&l->nested), st.coalesced,
	       st.runs);
}

static void check_tasklets(void)
{
	unsigned long tasklet_sections = 0;

	for (unsigned int c = 0; c < G.ncpus; c++) {
		struct vcpu_tasklet *v = &G.tk[c];

		assert_int_equal(tasklet_state(&v->t), 0);
		assert_int_equal(atomic_load(&v->max_inside), 1);
		assert_int_equal(atomic_load(&v->wrong_cpu), 0);
		tasklet_sections += atomic_load(&v->runs) * NR_LINES;
		printf("  tasklet of vCPU %u: %lu runs\n", c,
		       atomic_load(&v->runs));
	}
	for (unsigned int i = 0; i < NR_LINES; i++)
		tasklet_sections -= G.lines[i].by_tasklet;
	assert_int_equal(tasklet_sections, 0);
}

static void print_reports(void)
{
	for (unsigned int k = 0; k < USOFTIRQ_REPORT_NR_KINDS; k++)
		for (unsigned int n = 0; n < captured(k); n++)
			fprintf(stderr, "report: %s",
				captured_line((enum usoftirq_report_kind)k, n));
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		assert_int_equal(errno, EINTR);
}

/* The storm; see the top of the file for what is checked. */
static void test_interrupt_storm(void **state)
{
	unsigned int ms = stress_budget_ms(DEFAULT_BUDGET_MS);
	pthread_t pulsers[NR_PULSERS], schedulers[MAX_VCPUS], control;
	struct stress_watchdog wd;

	(void)state;
	setup();
	capture_start();
	stress_watchdog_start(&wd, "stress_irq_storm", ms / 1000 + HANG_SECONDS,
			      dump_books);
	for (uintptr_t i = 0; i < NR_PULSERS; i++)
		assert_int_equal(pthread_create(&pulsers[i], NULL, pulser,
						(void *)i),
				 0);
	for (uintptr_t c = 0; c < G.ncpus; c++)
		assert_int_equal(pthread_create(&schedulers[c], NULL, scheduler,
						(void *)c),
				 0);
	assert_int_equal(pthread_create(&control, NULL, controller, NULL), 0);
	sleep_ms(ms);
	atomic_store(&G.stop, true);
	for (unsigned int i = 0; i < NR_PULSERS; i++)
		assert_int_equal(pthread_join(pulsers[i], NULL), 0);
	for (unsigned int c = 0; c < G.ncpus; c++)
		assert_int_equal(pthread_join(schedulers[c], NULL), 0);
	assert_int_equal(pthread_join(control, NULL), 0);
	settle();

	printf("stress_irq_storm: %u ms, %u vCPUs, %lu affinity moves, %lu "
	       "disables, %lu synchronizes\n",
	       ms, G.ncpus, atomic_load(&G.affinity_moves),
	       atomic_load(&G.disables), atomic_load(&G.syncs));
	for (unsigned int i = 0; i < NR_LINES; i++)
		check_line(&G.lines[i]);
	check_tasklets();
	print_reports();
	assert_int_equal(captured_total(), 0);
	capture_stop();

	for (unsigned int c = 0; c < G.ncpus; c++)
		usoftirq_tasklet_kill(&G.tk[c].t);
	for (unsigned int i = 0; i < NR_LINES; i++)
		assert_string_equal(usoftirq_free_irq(G.m, G.lines[i].irq,
						      &G.lines[i]),
				    G.lines[i].name);
	stress_watchdog_stop(&wd);
	usoftirq_machine_destroy(G.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interrupt_storm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
