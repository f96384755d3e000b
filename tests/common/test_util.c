/* SPDX-License-Identifier: MIT */
#include "test_util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

void gate_init(struct gate *g, const char *name)
{
	assert_int_equal(sem_init(&g->sem, 0, 0), 0);
	g->name = name;
}

void gate_destroy(struct gate *g)
{
	sem_destroy(&g->sem);
}

void gate_open(struct gate *g)
{
	sem_post(&g->sem);
}

void gate_pass(struct gate *g)
{
	while (sem_wait(&g->sem) != 0)
		assert_int_equal(errno, EINTR);
}

bool gate_try(struct gate *g)
{
	return sem_trywait(&g->sem) == 0;
}

/* ------------------------------------------------------------------ */

struct captured_report {
	enum usoftirq_report_kind kind;
	const struct usoftirq_tasklet *tasklet;
	char text[CAPTURE_TEXT];
	char line[CAPTURE_TEXT];
	_Atomic bool ready;
};

static struct captured_report reports[CAPTURE_MAX];
static _Atomic unsigned int nreports;

static void copy_str(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n >= CAPTURE_TEXT)
		n = CAPTURE_TEXT - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void capture_handler(const struct usoftirq_report *r, void *arg)
{
	unsigned int i = atomic_fetch_add(&nreports, 1);

	(void)arg;
	if (i >= CAPTURE_MAX)
		return;
	reports[i].kind = r->kind;
	reports[i].tasklet = r->tasklet;
	copy_str(reports[i].text, r->text);
	copy_str(reports[i].line, r->line);
	atomic_store_explicit(&reports[i].ready, true, memory_order_release);
}

void capture_start(void)
{
	for (unsigned int i = 0; i < CAPTURE_MAX; i++)
		atomic_store(&reports[i].ready, false);
	atomic_store(&nreports, 0);
	usoftirq_set_report_handler(capture_handler, NULL);
}

void capture_stop(void)
{
	usoftirq_set_report_handler(NULL, NULL);
}

static const struct captured_report *nth(enum usoftirq_report_kind kind,
					 unsigned int n)
{
	unsigned int total = atomic_load(&nreports);

	for (unsigned int i = 0; i < total && i < CAPTURE_MAX; i++) {
		if (!atomic_load_explicit(&reports[i].ready,
					  memory_order_acquire))
			continue;
		if (reports[i].kind == kind && n-- == 0)
			return &reports[i];
	}
	return NULL;
}

unsigned int captured(enum usoftirq_report_kind kind)
{
	unsigned int n = 0;

	while (nth(kind, n))
		n++;
	return n;
}

unsigned int captured_total(void)
{
	return atomic_load(&nreports);
}

const char *captured_text(enum usoftirq_report_kind kind, unsigned int n)
{
	const struct captured_report *r = nth(kind, n);

	return r ? r->text : NULL;
}

const char *captured_line(enum usoftirq_report_kind kind, unsigned int n)
{
	const struct captured_report *r = nth(kind, n);

	return r ? r->line : NULL;
}

const struct usoftirq_tasklet *captured_tasklet(enum usoftirq_report_kind kind,
						unsigned int n)
{
	const struct captured_report *r = nth(kind, n);

	return r ? r->tasklet : NULL;
}

/* ------------------------------------------------------------------ */

struct usoftirq_machine *test_machine(unsigned int ncpus, unsigned int flags)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m = NULL;

	cfg.ncpus = ncpus;
	cfg.flags = flags;
	assert_int_equal(usoftirq_machine_create(&m, &cfg), 0);
	assert_non_null(m);
	return m;
}

int setup_machine_2cpu(void **state)
{
	*state = test_machine(2, 0);
	return 0;
}

int setup_machine_stepped(void **state)
{
	*state = test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	return 0;
}

int teardown_machine(void **state)
{
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(*state);
	return 0;
}

void run_in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, fn, arg), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
}
