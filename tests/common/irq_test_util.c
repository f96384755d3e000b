/* SPDX-License-Identifier: MIT */
#include "irq_test_util.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void irq_probe_init(struct irq_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->ret = USOFTIRQ_IRQ_HANDLED;
	gate_init(&p->entered, "entered");
	gate_init(&p->release, "release");
	gate_init(&p->done, "done");
}

static void irq_probe_destroy(struct irq_probe *p)
{
	gate_destroy(&p->entered);
	gate_destroy(&p->release);
	gate_destroy(&p->done);
}

void irq_dev_init(struct irq_dev *d, struct usoftirq_machine *m,
		  unsigned int irq)
{
	irq_probe_init(&d->primary);
	irq_probe_init(&d->thread);
	d->m = m;
	d->irq = irq;
}

void irq_dev_destroy(struct irq_dev *d)
{
	irq_probe_destroy(&d->primary);
	irq_probe_destroy(&d->thread);
}

static void note_inside(struct irq_probe *p)
{
	int inside = atomic_fetch_add(&p->inside, 1) + 1;
	int max = atomic_load(&p->max_inside);

	while (inside > max &&
	       !atomic_compare_exchange_weak(&p->max_inside, &max, inside))
		;
}

static void record_entry(struct irq_probe *p, int n, int irq)
{
	if (n >= IRQ_PROBE_MAX_RUNS)
		return;
	p->run[n] = (struct irq_run){
		.irq = irq,
		.cpu = usoftirq_smp_processor_id(),
		.tid = (int)gettid(),
		.preempt_count = usoftirq_preempt_count(),
		.in_hardirq = usoftirq_in_hardirq(),
		.in_task = usoftirq_in_task(),
		.irqs_disabled = usoftirq_irqs_disabled(),
		.enter_seq = test_seq(),
	};
}

static usoftirq_irqreturn_t probe_run(struct irq_probe *p, int irq)
{
	int n = atomic_fetch_add(&p->started, 1);
	usoftirq_irqreturn_t ret = p->ret;

	note_inside(p);
	record_entry(p, n, irq);
	if (n < p->gated) {
		gate_open(&p->entered);
		gate_pass(&p->release);
	}
	if (p->hook)
		p->hook(p, n);
	if (n < IRQ_PROBE_MAX_RUNS)
		p->run[n].exit_seq = test_seq();
	atomic_fetch_sub(&p->inside, 1);
	atomic_fetch_add_explicit(&p->finished, 1, memory_order_release);
	gate_open(&p->done);
	return ret;
}

usoftirq_irqreturn_t irq_dev_primary(int irq, void *dev_id)
{
	struct irq_dev *d = dev_id;

	return probe_run(&d->primary, irq);
}

usoftirq_irqreturn_t irq_dev_thread(int irq, void *dev_id)
{
	struct irq_dev *d = dev_id;

	return probe_run(&d->thread, irq);
}

int irq_probe_started(struct irq_probe *p)
{
	return atomic_load_explicit(&p->started, memory_order_acquire);
}

int irq_probe_finished(struct irq_probe *p)
{
	return atomic_load_explicit(&p->finished, memory_order_acquire);
}

void irq_probe_wait_finished(struct irq_probe *p, int n)
{
	while (irq_probe_finished(p) < n)
		gate_pass(&p->done);
}

/* ------------------------------------------------------------------ */

/*
 * Whether thread @tid sleeps in a futex wait, like thread_futex_addr() but
 * false instead of a failure when @tid has already exited.
 */
static bool in_futex_wait(int tid)
{
	char path[64], text[256] = "";
	unsigned long long addr = 0, op = 0;
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	if (sscanf(text, "%ld %llx %llx", &nr, &addr, &op) != 3 ||
	    nr != SYS_futex)
		return false;
	op &= FUTEX_CMD_MASK;
	return op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET;
}

static void irq_call_main(void *arg)
{
	struct irq_call *c = arg;

	atomic_store(&c->tid, (int)gettid());
	c->call_seq = test_seq();
	switch (c->kind) {
	case IRQ_CALL_SYNCHRONIZE:
		usoftirq_synchronize_irq(c->m, c->irq);
		break;
	case IRQ_CALL_DISABLE:
		usoftirq_disable_irq(c->m, c->irq);
		break;
	case IRQ_CALL_FREE:
		c->result = usoftirq_free_irq(c->m, c->irq, c->dev_id);
		break;
	}
	c->return_seq = test_seq();
}

void irq_call_start_blocked(struct irq_call *c, enum irq_call_kind kind,
			    struct usoftirq_machine *m, unsigned int irq,
			    void *dev_id)
{
	int tid;

	c->kind = kind;
	c->m = m;
	c->irq = irq;
	c->dev_id = dev_id;
	c->result = NULL;
	atomic_init(&c->tid, 0);
	bg_call_start(&c->call, irq_call_main, c);
	while ((tid = atomic_load(&c->tid)) == 0)
		sched_yield();
	/* A call that does not wait at all returns instead; the caller's
	 * order checks then fail. */
	while (!bg_call_returned(&c->call) && !in_futex_wait(tid))
		sched_yield();
}

void irq_call_join(struct irq_call *c)
{
	bg_call_join(&c->call);
}

/* ------------------------------------------------------------------ */

static bool comm_is(const char *tid_name, const char *comm)
{
	char path[300], text[64] = "";
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%s/comm", tid_name);
	f = fopen(path, "r");
	if (!f)
		return false; /* the thread exited meanwhile */
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	n = strlen(text);
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return strcmp(text, comm) == 0;
}

int threads_named(const char *comm)
{
	DIR *dir = opendir("/proc/self/task");
	struct dirent *e;
	int count = 0;

	assert_non_null(dir);
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.' && comm_is(e->d_name, comm))
			count++;
	closedir(dir);
	return count;
}

bool signal_pending_on(int tid, int sig)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigPnd: %llx", &mask) == 1) {
			found = true;
			break;
		}
	fclose(f);
	assert_true(found);
	return mask & (1ull << (sig - 1));
}

void wait_signal_handled(int tid, int sig)
{
	while (signal_pending_on(tid, sig))
		sched_yield();
	(void)wait_futex_blocked(tid, 0);
}

/* ------------------------------------------------------------------ */

bool irq_books_balance(const struct usoftirq_irq_stats *st)
{
	return st->pulses ==
	       st->coalesced + st->consumed + st->dropped + st->pending;
}

struct usoftirq_irq_stats irq_stats(struct usoftirq_machine *m,
				    unsigned int irq)
{
	struct usoftirq_irq_stats st;

	memset(&st, 0xff, sizeof(st));
	assert_int_equal(usoftirq_irq_get_stats(m, irq, &st), 0);
	return st;
}

/* ------------------------------------------------------------------ */

unsigned int stress_budget_ms(unsigned int default_ms)
{
	const char *s = getenv("USOFTIRQ_STRESS_MS");
	unsigned long ms;
	char *end;

	if (!s || !*s)
		return default_ms;
	ms = strtoul(s, &end, 10);
	return *end || ms == 0 || ms > 3600000 ? default_ms : (unsigned int)ms;
}

uint64_t stress_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *watchdog_main(void *arg)
{
	struct stress_watchdog *w = arg;
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += w->seconds;
	while (sem_timedwait(&w->done, &deadline) != 0) {
		if (errno == EINTR)
			continue;
		fprintf(stderr,
			"%s: not finished %u s after its budget: a thread is "
			"stuck; books:\n",
			w->name, w->seconds);
		w->dump();
		abort();
	}
	return NULL;
}

void stress_watchdog_start(struct stress_watchdog *w, const char *name,
			   unsigned int seconds, void (*dump)(void))
{
	assert_int_equal(sem_init(&w->done, 0, 0), 0);
	w->seconds = seconds;
	w->name = name;
	w->dump = dump;
	assert_int_equal(pthread_create(&w->thread, NULL, watchdog_main, w), 0);
}

void stress_watchdog_stop(struct stress_watchdog *w)
{
	sem_post(&w->done);
	assert_int_equal(pthread_join(w->thread, NULL), 0);
	sem_destroy(&w->done);
}

unsigned int stress_rand(struct stress_rng *r, unsigned int n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (unsigned int)((r->s * 0x2545f4914f6cdd1dull) >> 33) % n;
}
