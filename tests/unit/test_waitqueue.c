/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: registration, a wake-up reaching one and several sleepers,
 * the race between the waiter's test of the condition and its sleep
 * (forced with gates), wake-ups from a hardirq handler and from a tasklet,
 * deadlines, signals with and without SA_RESTART, the might_sleep report,
 * the timed-sleep fallback of kernels without futex_waitv(), and the
 * fast paths that must make no system call at all (checked with a seccomp
 * filter in a child process).
 */
#include "test_util.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ERESTARTSYS_RET (-USOFTIRQ_ERESTARTSYS)
#define HOUR_NS (3600ll * 1000000000ll)

/* ------------------------------------------------------------------ */
/* A waiter in a helper thread                                         */
/* ------------------------------------------------------------------ */

/**
 * struct waiter - usoftirq_wait_event_fn() on @flag, in a helper thread.
 * @wq: the queue.
 * @flag: the condition.
 * @timeout_ns, @interruptible: passed through.
 * @calls: condition tests made.
 * @tid: the helper's thread id, set before it waits.
 * @ret: what the wait returned.
 * @after: opened by the helper once the wait has returned.
 */
struct waiter {
	struct bg_call call;
	struct usoftirq_wait_queue_head *wq;
	_Atomic bool *flag;
	int64_t timeout_ns;
	bool interruptible;
	_Atomic int calls;
	_Atomic int tid;
	int ret;
	struct gate after;
};

static bool flag_cond(void *arg)
{
	struct waiter *w = arg;

	atomic_fetch_add(&w->calls, 1);
	return atomic_load_explicit(w->flag, memory_order_relaxed);
}

static void waiter_main(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->tid, (int)gettid());
	w->ret = usoftirq_wait_event_fn(w->wq, flag_cond, w, w->timeout_ns,
					w->interruptible);
	gate_open(&w->after);
}

static void waiter_start(struct waiter *w, struct usoftirq_wait_queue_head *wq,
			 _Atomic bool *flag, int64_t timeout_ns,
			 bool interruptible)
{
	memset(w, 0, sizeof(*w));
	w->wq = wq;
	w->flag = flag;
	w->timeout_ns = timeout_ns;
	w->interruptible = interruptible;
	gate_init(&w->after, "after");
	bg_call_start(&w->call, waiter_main, w);
	while (!atomic_load(&w->tid))
		sched_yield();
}

static void waiter_join(struct waiter *w)
{
	gate_pass(&w->after);
	bg_call_join(&w->call);
	gate_destroy(&w->after);
}

/* The syscall thread @tid is blocked in, or -1 if it is not blocked. */
static long blocked_syscall(int tid, unsigned long long *arg0)
{
	char path[64], text[256];
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	if (!fgets(text, sizeof(text), f) ||
	    sscanf(text, "%ld %llx", &nr, arg0) != 2)
		nr = -1;
	fclose(f);
	return nr;
}

/*
 * Wait until @w sleeps in the kernel on @wq's futex word: FUTEX_WAIT on
 * &wq->seq without a deadline, futex_waitv() with one. The waiter's code
 * has no other blocking point between its start and that sleep.
 */
static void wait_asleep(struct waiter *w)
{
	int tid = atomic_load(&w->tid);
	unsigned long long arg0 = 0;

	if (w->timeout_ns < 0) {
		assert_int_equal(wait_futex_blocked(tid, 0),
				 (uintptr_t)&w->wq->seq);
		return;
	}
	while (blocked_syscall(tid, &arg0) != SYS_futex_waitv)
		sched_yield();
}

/* Is @sig pending for thread @tid (not yet delivered)? */
static bool signal_pending_for(int tid, int sig)
{
	char path[64], line[256];
	unsigned long long mask = 0;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "SigPnd: %llx", &mask) == 1;
	fclose(f);
	assert_true(found);
	return mask & (1ull << (sig - 1));
}

/* ------------------------------------------------------------------ */
/* Registration and wake-up                                            */
/* ------------------------------------------------------------------ */

/* prepare/finish make a thread count as a waiter; the static initialiser
 * and init give an idle queue. */
static void test_register_and_active(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;

	(void)state;
	assert_false(usoftirq_waitqueue_active(&wq));
	usoftirq_wait_prepare(&wq);
	assert_true(usoftirq_waitqueue_active(&wq));
	usoftirq_wait_prepare(&wq);
	usoftirq_wait_finish(&wq);
	assert_true(usoftirq_waitqueue_active(&wq));
	usoftirq_wait_finish(&wq);
	assert_false(usoftirq_waitqueue_active(&wq));
	usoftirq_init_waitqueue_head(&wq);
	assert_int_equal(wq.seq, 0);
	assert_int_equal(wq.waiters, 0);
}

/* A wake-up with no waiter changes nothing; a waiter whose condition is
 * already true returns after one test, without registering. */
static void test_true_condition_and_idle_wake_up(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = true;
	struct waiter w = { .wq = &wq, .flag = &flag };

	(void)state;
	usoftirq_wake_up(&wq);
	assert_int_equal(wq.seq, 0);
	assert_int_equal(usoftirq_wait_event_fn(&wq, flag_cond, &w, -1, false),
			 0);
	assert_int_equal(atomic_load(&w.calls), 1);
	assert_false(usoftirq_waitqueue_active(&wq));
}

/* A sleeping waiter is woken by wake_up() after the condition changed. */
static void test_wake_up_wakes_sleeper(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = false;
	struct waiter w;

	(void)state;
	waiter_start(&w, &wq, &flag, -1, false);
	wait_asleep(&w);
	assert_true(usoftirq_waitqueue_active(&wq));
	atomic_store_explicit(&flag, true, memory_order_relaxed);
	usoftirq_wake_up(&wq);
	waiter_join(&w);
	assert_int_equal(w.ret, 0);
	assert_int_equal(wq.seq, 1);
	assert_false(usoftirq_waitqueue_active(&wq));
}

/* One wake_up() wakes every waiter (the kernel's non-exclusive waits). */
static void test_wake_up_wakes_all(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = false;
	struct waiter w[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		waiter_start(&w[i], &wq, &flag, -1, false);
		wait_asleep(&w[i]);
	}
	assert_int_equal(__atomic_load_n(&wq.waiters, __ATOMIC_RELAXED), 3);
	atomic_store_explicit(&flag, true, memory_order_relaxed);
	usoftirq_wake_up(&wq);
	for (int i = 0; i < 3; i++) {
		waiter_join(&w[i]);
		assert_int_equal(w[i].ret, 0);
	}
	assert_int_equal(wq.seq, 1);
}

/* ------------------------------------------------------------------ */
/* The race between the test and the sleep                             */
/* ------------------------------------------------------------------ */

/**
 * struct racer - a waiter whose test of the condition stops, after
 * reading it, until the test thread has changed it and woken the queue.
 */
struct racer {
	struct usoftirq_wait_queue_head wq;
	_Atomic bool flag;
	int gated_call; /* which call (1-based) is held */
	_Atomic int calls;
	struct gate checked, go;
	unsigned int seq_seen;
	int sleep_ret;
	bool first_result;
};

static bool racer_cond(void *arg)
{
	struct racer *r = arg;
	bool v = atomic_load_explicit(&r->flag, memory_order_relaxed);

	if (atomic_fetch_add(&r->calls, 1) + 1 == r->gated_call) {
		gate_open(&r->checked);
		gate_pass(&r->go);
	}
	return v;
}

/* The step functions, as the kernel-spelled macros use them. */
static void racer_steps(void *arg)
{
	struct racer *r = arg;

	usoftirq_wait_prepare(&r->wq);
	r->seq_seen = usoftirq_wait_seq(&r->wq);
	r->first_result = racer_cond(r);
	r->sleep_ret = usoftirq_wait_sleep(&r->wq, r->seq_seen, 0, false);
	while (!racer_cond(r))
		usoftirq_wait_sleep(&r->wq, usoftirq_wait_seq(&r->wq), 0,
				    false);
	usoftirq_wait_finish(&r->wq);
}

static void racer_init(struct racer *r, int gated_call)
{
	memset(r, 0, sizeof(*r));
	r->gated_call = gated_call;
	gate_init(&r->checked, "checked");
	gate_init(&r->go, "go");
}

/* Make the condition true and wake the queue while the waiter is held
 * between its (false) test and its sleep, then let it sleep. */
static void racer_wake_in_window(struct racer *r)
{
	gate_pass(&r->checked);
	atomic_store_explicit(&r->flag, true, memory_order_relaxed);
	usoftirq_wake_up(&r->wq);
	gate_open(&r->go);
}

/* The wake-up lands after the waiter read the sequence and found the
 * condition false, before it sleeps: the sleep returns at once because
 * the sequence moved, and the next test sees the condition. */
static void test_no_lost_wake_up_between_test_and_sleep(void **state)
{
	struct racer r;
	struct bg_call c;

	(void)state;
	racer_init(&r, 1);
	bg_call_start(&c, racer_steps, &r);
	racer_wake_in_window(&r);
	bg_call_join(&c);
	assert_false(r.first_result);
	assert_int_equal(r.sleep_ret, 0);
	assert_int_equal(r.wq.seq, r.seq_seen + 1);
	assert_int_equal(atomic_load(&r.calls), 2);
	assert_false(usoftirq_waitqueue_active(&r.wq));
}

static void racer_event_fn(void *arg)
{
	struct racer *r = arg;

	r->sleep_ret = usoftirq_wait_event_fn(&r->wq, racer_cond, r, -1, false);
}

/* The same race through usoftirq_wait_event_fn(): its first test is the
 * fast path before registering, the second (held) is inside the loop. */
static void test_no_lost_wake_up_in_wait_event_fn(void **state)
{
	struct racer r;
	struct bg_call c;

	(void)state;
	racer_init(&r, 2);
	bg_call_start(&c, racer_event_fn, &r);
	racer_wake_in_window(&r);
	bg_call_join(&c);
	assert_int_equal(r.sleep_ret, 0);
	assert_int_equal(atomic_load(&r.calls), 3);
	assert_int_equal(r.wq.seq, 1);
}

/* ------------------------------------------------------------------ */
/* Wake-ups from interrupt context                                     */
/* ------------------------------------------------------------------ */

#define IRQ 5

struct bh_waker {
	struct usoftirq_wait_queue_head wq;
	_Atomic bool flag;
	_Atomic bool in_hardirq, in_softirq;
	_Atomic int runs;
	struct usoftirq_tasklet t;
};

static void bh_waker_fire(struct bh_waker *b)
{
	atomic_store(&b->in_hardirq, usoftirq_in_hardirq());
	atomic_store(&b->in_softirq, usoftirq_in_serving_softirq());
	atomic_fetch_add(&b->runs, 1);
	atomic_store_explicit(&b->flag, true, memory_order_relaxed);
	usoftirq_wake_up(&b->wq);
}

static usoftirq_irqreturn_t wake_handler(int irq, void *dev_id)
{
	(void)irq;
	bh_waker_fire(dev_id);
	return USOFTIRQ_IRQ_HANDLED;
}

/* A hardirq handler (a signal handler on a worker) makes the condition
 * true and wakes the sleeping waiter. */
static void test_wake_up_from_hardirq(void **state)
{
	struct usoftirq_machine *m = test_machine(1, 0);
	struct bh_waker b;
	struct waiter w;

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(usoftirq_request_irq(m, IRQ, wake_handler, 0,
					      "wq-test", &b),
			 0);
	waiter_start(&w, &b.wq, &b.flag, -1, false);
	wait_asleep(&w);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	waiter_join(&w);
	assert_int_equal(w.ret, 0);
	assert_int_equal(atomic_load(&b.runs), 1);
	assert_true(atomic_load(&b.in_hardirq));
	assert_non_null(usoftirq_free_irq(m, IRQ, &b));
	usoftirq_machine_destroy(m);
}

static void wake_tasklet(struct usoftirq_tasklet *t)
{
	bh_waker_fire(
		(struct bh_waker *)(void *)((char *)t -
					    offsetof(struct bh_waker, t)));
}

/* A tasklet does the same from softirq context. */
static void test_wake_up_from_tasklet(void **state)
{
	struct usoftirq_machine *m = test_machine(1, 0);
	struct bh_waker b;
	struct waiter w;

	(void)state;
	memset(&b, 0, sizeof(b));
	usoftirq_tasklet_setup(&b.t, wake_tasklet);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	waiter_start(&w, &b.wq, &b.flag, -1, false);
	wait_asleep(&w);
	usoftirq_tasklet_schedule(&b.t);
	waiter_join(&w);
	assert_int_equal(w.ret, 0);
	usoftirq_tasklet_kill(&b.t);
	assert_int_equal(atomic_load(&b.runs), 1);
	assert_true(atomic_load(&b.in_softirq));
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Deadlines                                                           */
/* ------------------------------------------------------------------ */

/* A deadline already past ends the sleep with -ETIMEDOUT; a zero timeout
 * only tests the condition (three tests: fast path, loop, after the
 * timeout). */
static void test_deadline_in_the_past(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = false;
	struct waiter w = { .wq = &wq, .flag = &flag };

	(void)state;
	usoftirq_wait_prepare(&wq);
	assert_int_equal(usoftirq_wait_sleep(&wq, usoftirq_wait_seq(&wq), 1,
					     false),
			 -ETIMEDOUT);
	usoftirq_wait_finish(&wq);
	assert_int_equal(usoftirq_wait_event_fn(&wq, flag_cond, &w, 0, true),
			 -ETIMEDOUT);
	assert_int_equal(atomic_load(&w.calls), 3);
	assert_false(usoftirq_waitqueue_active(&wq));
}

/* A short timeout with nobody waking ends with -ETIMEDOUT (only the
 * return code is checked, never the time it took). */
static void test_short_timeout_expires(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = false;
	struct waiter w = { .wq = &wq, .flag = &flag };

	(void)state;
	assert_int_equal(usoftirq_wait_event_fn(&wq, flag_cond, &w, 1000000,
						false),
			 -ETIMEDOUT);
	assert_int_equal(usoftirq_wait_event_fn(&wq, flag_cond, &w, 1000000,
						true),
			 -ETIMEDOUT);
}

static bool true_on_third(void *arg)
{
	return atomic_fetch_add((_Atomic int *)arg, 1) + 1 >= 3;
}

/* After the timeout the condition is tested once more and wins, as in
 * the kernel. */
static void test_condition_wins_after_timeout(void **state)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic int calls = 0;

	(void)state;
	assert_int_equal(usoftirq_wait_event_fn(&wq, true_on_third, &calls, 0,
						false),
			 0);
	assert_int_equal(atomic_load(&calls), 3);
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */
/* ------------------------------------------------------------------ */

static _Atomic int handler_runs;

static void count_handler(int sig)
{
	(void)sig;
	atomic_fetch_add(&handler_runs, 1);
}

static void install(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(sig, &sa, NULL), 0);
	atomic_store(&handler_runs, 0);
}

/*
 * Send @sig to a sleeping waiter. If the wait must end, check that it
 * ended with @expect. Otherwise wait until the signal has been delivered
 * and the waiter sleeps again, then wake it normally: it returns 0. In
 * both cases the handler ran exactly once (under ThreadSanitizer only
 * after the wait, which is why it is checked last).
 */
static void signal_waiter(int sig, int sa_flags, int64_t timeout_ns,
			  bool interruptible, int expect)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = false;
	struct waiter w;

	install(sig, sa_flags);
	waiter_start(&w, &wq, &flag, timeout_ns, interruptible);
	wait_asleep(&w);
	assert_int_equal(pthread_kill(w.call.thread, sig), 0);
	if (expect == 0) {
		while (signal_pending_for(w.tid, sig))
			sched_yield();
		wait_asleep(&w);
		assert_false(bg_call_returned(&w.call));
		atomic_store_explicit(&flag, true, memory_order_relaxed);
		usoftirq_wake_up(&wq);
	}
	waiter_join(&w);
	assert_int_equal(w.ret, expect);
	assert_int_equal(atomic_load(&handler_runs), 1);
	assert_true(signal(sig, SIG_DFL) != SIG_ERR);
}

/* Interruptible, handler without SA_RESTART: -ERESTARTSYS, with and
 * without a deadline. */
static void test_signal_interrupts_interruptible_wait(void **state)
{
	(void)state;
	signal_waiter(SIGUSR1, 0, -1, true, ERESTARTSYS_RET);
	signal_waiter(SIGUSR1, 0, HOUR_NS, true, ERESTARTSYS_RET);
}

/* Interruptible, handler with SA_RESTART: the sleep resumes. */
static void test_sa_restart_signal_resumes_wait(void **state)
{
	(void)state;
	signal_waiter(SIGUSR2, SA_RESTART, -1, true, 0);
	signal_waiter(SIGUSR2, SA_RESTART, HOUR_NS, true, 0);
}

/* Not interruptible: a handler without SA_RESTART does not end it. */
static void test_signal_does_not_end_uninterruptible_wait(void **state)
{
	(void)state;
	signal_waiter(SIGUSR1, 0, -1, false, 0);
	signal_waiter(SIGUSR1, 0, HOUR_NS, false, 0);
}

/* ------------------------------------------------------------------ */
/* might_sleep                                                         */
/* ------------------------------------------------------------------ */

/* wait_event from atomic context is reported with the kernel's text,
 * even when the condition already holds, and then proceeds; the step
 * functions make no check of their own. */
static void test_wait_event_in_atomic_is_reported(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	_Atomic bool flag = true;
	struct waiter w = { .wq = &wq, .flag = &flag };
	usoftirq_spinlock_t lock = USOFTIRQ_SPINLOCK_INIT(lock);
	const char *text;

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	capture_start();
	usoftirq_spin_lock(&lock);
	usoftirq_wait_prepare(&wq);
	usoftirq_wait_finish(&wq);
	assert_int_equal(usoftirq_wait_event_fn(&wq, flag_cond, &w, -1, false),
			 0);
	usoftirq_spin_unlock(&lock);
	capture_stop();
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC),
			 before + 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
	text = captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0);
	assert_non_null(strstr(text, "BUG: sleeping function called from "
				     "invalid context at "));
	assert_non_null(strstr(text, "waitqueue.c:"));
	assert_non_null(strstr(text, "in_atomic(): 1"));
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* System calls                                                        */
/* ------------------------------------------------------------------ */

/* Kill the process (SIGSYS) on any system call except write and exit. */
static void forbid_syscalls(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		_exit(3);
}

/* Exit by the system call itself: the sanitizers' _exit() interceptors
 * make system calls of their own. */
__attribute__((noreturn)) static void raw_exit(int code)
{
	syscall(SYS_exit_group, code);
	__builtin_unreachable();
}

/* The fast paths, with every system call forbidden: wake_up() with no
 * waiter, kfifo in and out, an uncontended mutex (after the thread's id
 * is cached by a first lock). */
static void fast_paths_child(void *arg)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	struct usoftirq_mutex mutex = USOFTIRQ_MUTEX_INIT(mutex);
	struct usoftirq_kfifo fifo;
	unsigned int v = 0;

	(void)arg;
	if (usoftirq_kfifo_alloc(&fifo, 16, sizeof(v)) != 0)
		_exit(2);
	usoftirq_mutex_lock(&mutex);
	usoftirq_mutex_unlock(&mutex);
	forbid_syscalls();
	for (unsigned int i = 0; i < 1000; i++) {
		usoftirq_wake_up(&wq);
		(void)usoftirq_waitqueue_active(&wq);
		if (usoftirq_kfifo_in(&fifo, &i, 1) != 1 ||
		    usoftirq_kfifo_out(&fifo, &v, 1) != 1 || v != i)
			raw_exit(4);
		usoftirq_mutex_lock(&mutex);
		if (usoftirq_mutex_trylock(&mutex))
			raw_exit(5);
		usoftirq_mutex_unlock(&mutex);
	}
	raw_exit(0);
}

/* The control: with a registered waiter, wake_up() does make the
 * FUTEX_WAKE, and the filter catches it. */
static void wake_with_waiter_child(void *arg)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;

	(void)arg;
	usoftirq_wait_prepare(&wq);
	forbid_syscalls();
	usoftirq_wake_up(&wq);
	raw_exit(0);
}

static void test_fast_paths_make_no_syscall(void **state)
{
	char out[2048];
	int status;

	(void)state;
	status = run_in_child(fast_paths_child, NULL, out, sizeof(out));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	status = run_in_child(wake_with_waiter_child, NULL, out, sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

/* ------------------------------------------------------------------ */
/* Kernels without futex_waitv()                                       */
/* ------------------------------------------------------------------ */

/* futex_waitv() fails with ENOSYS, as on kernels before 5.16. */
static void hide_futex_waitv(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_futex_waitv, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		_exit(3);
}

/* Timed sleeps fall back to FUTEX_WAIT_BITSET: a stale sequence returns
 * at once, a near deadline times out; exit status 0 means both held. */
static void fallback_child(void *arg)
{
	struct usoftirq_wait_queue_head wq = USOFTIRQ_WAIT_QUEUE_HEAD_INIT;
	_Atomic bool flag = false;
	struct waiter w = { .wq = &wq, .flag = &flag };
	struct timespec ts;
	uint64_t now;

	(void)arg;
	hide_futex_waitv();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	usoftirq_wait_prepare(&wq);
	if (usoftirq_wait_sleep(&wq, usoftirq_wait_seq(&wq) + 1,
				now + (uint64_t)HOUR_NS, true) != 0)
		_exit(4);
	usoftirq_wait_finish(&wq);
	for (int i = 0; i < 2; i++)
		if (usoftirq_wait_event_fn(&wq, flag_cond, &w, 1000000, true) !=
		    -ETIMEDOUT)
			_exit(5);
	_exit(0);
}

static void test_timed_wait_without_futex_waitv(void **state)
{
	char out[2048];
	int status;

	(void)state;
	status = run_in_child(fallback_child, NULL, out, sizeof(out));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_active),
		cmocka_unit_test(test_true_condition_and_idle_wake_up),
		cmocka_unit_test(test_wake_up_wakes_sleeper),
		cmocka_unit_test(test_wake_up_wakes_all),
		cmocka_unit_test(test_no_lost_wake_up_between_test_and_sleep),
		cmocka_unit_test(test_no_lost_wake_up_in_wait_event_fn),
		cmocka_unit_test(test_wake_up_from_hardirq),
		cmocka_unit_test(test_wake_up_from_tasklet),
		cmocka_unit_test(test_deadline_in_the_past),
		cmocka_unit_test(test_short_timeout_expires),
		cmocka_unit_test(test_condition_wins_after_timeout),
		cmocka_unit_test(test_signal_interrupts_interruptible_wait),
		cmocka_unit_test(test_sa_restart_signal_resumes_wait),
		cmocka_unit_test(test_signal_does_not_end_uninterruptible_wait),
		cmocka_unit_test(test_wait_event_in_atomic_is_reported),
		cmocka_unit_test(test_fast_paths_make_no_syscall),
		cmocka_unit_test(test_timed_wait_without_futex_waitv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
