/* SPDX-License-Identifier: MIT */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* ------------------------------------------------------------------ */

/* Read @fd to EOF into @buf (truncated, NUL-terminated); total length. */
static size_t read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++, len++)
			if (len + 1 < size)
				buf[len] = chunk[i];
	}
	buf[len + 1 < size ? len : size - 1] = '\0';
	return len;
}

/* CMocka turns these into test failures; a child must die of them. */
static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL,
				     SIGFPE,  SIGSYS, SIGABRT };

static void child_main(void (*fn)(void *), void *arg, int fd)
{
	struct rlimit no_core = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &no_core);
	for (size_t i = 0; i < sizeof(fault_signals) / sizeof(int); i++)
		(void)signal(fault_signals[i], SIG_DFL);
	if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(125);
	close(fd);
	fn(arg);
	_exit(0);
}

int run_in_child(void (*fn)(void *), void *arg, char *err, size_t size)
{
	int fds[2], status = 0;
	pid_t pid;

	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child_main(fn, arg, fds[1]);
	}
	close(fds[1]);
	(void)read_all(fds[0], err, size);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	return status;
}

static int saved_stderr = -1;
static int capture_fd = -1;

void stderr_capture_start(void)
{
	assert_int_equal(saved_stderr, -1);
	fflush(stderr);
	capture_fd = memfd_create("stderr-capture", MFD_CLOEXEC);
	assert_true(capture_fd >= 0);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(capture_fd, STDERR_FILENO), STDERR_FILENO);
}

size_t stderr_capture_stop(char *buf, size_t size)
{
	size_t len;

	assert_true(saved_stderr >= 0);
	fflush(stderr);
	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	assert_int_equal(lseek(capture_fd, 0, SEEK_SET), 0);
	len = read_all(capture_fd, buf, size);
	close(capture_fd);
	capture_fd = -1;
	return len;
}

/* FUTEX_WAIT and FUTEX_WAIT_BITSET, without FUTEX_PRIVATE_FLAG. */
#define FUTEX_OP_MASK 0x7f
#define FUTEX_OP_WAIT 0
#define FUTEX_OP_WAIT_BITSET 9

uintptr_t thread_futex_addr(int tid)
{
	char path[64], text[256];
	unsigned long long addr = 0, op = 0;
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	if (!fgets(text, sizeof(text), f))
		text[0] = '\0';
	fclose(f);
	/* "running", or "<nr> <arg0> <arg1> ...", or "-1 <sp> <pc>". */
	if (sscanf(text, "%ld %llx %llx", &nr, &addr, &op) != 3 ||
	    nr != SYS_futex)
		return 0;
	op &= FUTEX_OP_MASK;
	if (op != FUTEX_OP_WAIT && op != FUTEX_OP_WAIT_BITSET)
		return 0;
	return (uintptr_t)addr;
}

uintptr_t wait_futex_blocked(int tid, uintptr_t not_addr)
{
	uintptr_t addr;

	while ((addr = thread_futex_addr(tid)) == 0 || addr == not_addr)
		sched_yield();
	return addr;
}

static void *bg_call_main(void *arg)
{
	struct bg_call *c = arg;

	c->fn(c->arg);
	atomic_store_explicit(&c->returned, true, memory_order_release);
	return NULL;
}

void bg_call_start(struct bg_call *c, void (*fn)(void *arg), void *arg)
{
	c->fn = fn;
	c->arg = arg;
	atomic_init(&c->returned, false);
	assert_int_equal(pthread_create(&c->thread, NULL, bg_call_main, c), 0);
}

bool bg_call_returned(struct bg_call *c)
{
	return atomic_load_explicit(&c->returned, memory_order_acquire);
}

void bg_call_join(struct bg_call *c)
{
	assert_int_equal(pthread_join(c->thread, NULL), 0);
	assert_true(bg_call_returned(c));
}

static void bg_step_fn(void *arg)
{
	struct bg_step *s = arg;

	(void)usoftirq_cpu_run_softirqs(s->m, s->cpu);
}

void bg_step_start(struct bg_step *s, struct usoftirq_machine *m,
		   unsigned int cpu)
{
	s->m = m;
	s->cpu = cpu;
	bg_call_start(&s->call, bg_step_fn, s);
}

void bg_step_join(struct bg_step *s)
{
	bg_call_join(&s->call);
}

/* ------------------------------------------------------------------ */

unsigned long tasklet_state(const struct usoftirq_tasklet *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
}

void wait_tasklet_state(const struct usoftirq_tasklet *t, unsigned long bits)
{
	while ((tasklet_state(t) & bits) != bits)
		sched_yield();
}

/* ------------------------------------------------------------------ */

static _Atomic unsigned long seq;

unsigned long test_seq(void)
{
	return atomic_fetch_add(&seq, 1) + 1;
}

struct probe *probe_from(struct usoftirq_tasklet *t)
{
	return (struct probe *)(void *)((char *)t - offsetof(struct probe, t));
}

static void probe_enter(struct probe *p, int n)
{
	int inside = atomic_fetch_add(&p->inside, 1) + 1;
	int max = atomic_load(&p->max_inside);

	while (inside > max &&
	       !atomic_compare_exchange_weak(&p->max_inside, &max, inside))
		;
	if (n >= PROBE_MAX_RUNS)
		return;
	p->run[n] = (struct probe_run){
		.cpu = usoftirq_smp_processor_id(),
		.tid = (int)gettid(),
		.preempt_count = usoftirq_preempt_count(),
		.serving_softirq = usoftirq_in_serving_softirq(),
		.state = tasklet_state(&p->t),
		.enter_seq = test_seq(),
	};
}

static void probe_exit(struct probe *p, int n)
{
	if (n < PROBE_MAX_RUNS)
		p->run[n].exit_seq = test_seq();
	atomic_fetch_sub(&p->inside, 1);
	atomic_fetch_add_explicit(&p->finished, 1, memory_order_release);
	gate_open(&p->done);
}

static void probe_callback(struct usoftirq_tasklet *t)
{
	struct probe *p = probe_from(t);
	int n = atomic_fetch_add(&p->started, 1);

	probe_enter(p, n);
	if (n < p->gated) {
		gate_open(&p->entered);
		gate_pass(&p->release);
	}
	if (p->hook)
		p->hook(p, n);
	probe_exit(p, n);
}

void probe_init(struct probe *p, int gated)
{
	memset(p, 0, sizeof(*p));
	usoftirq_tasklet_setup(&p->t, probe_callback);
	p->gated = gated;
	gate_init(&p->entered, "entered");
	gate_init(&p->release, "release");
	gate_init(&p->done, "done");
}

void probe_destroy(struct probe *p)
{
	gate_destroy(&p->entered);
	gate_destroy(&p->release);
	gate_destroy(&p->done);
}

int probe_started(struct probe *p)
{
	return atomic_load(&p->started);
}

int probe_finished(struct probe *p)
{
	return atomic_load_explicit(&p->finished, memory_order_acquire);
}
