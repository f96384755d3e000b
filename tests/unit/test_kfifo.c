/* SPDX-License-Identifier: MIT */
/*
 * kfifo: size rounding, the snapshots, partial in and out, peek, skip,
 * reset, rings on a caller's buffer, free-running indices across their
 * 32-bit wrap, the abort on an uninitialised ring, and three concurrent
 * runs with sequence numbers: two threads, a signal handler producing for
 * the thread it interrupts, and a signal handler on another thread.
 */
#include "test_util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* White-box: start the indices (and both sides' cached readings of
 * them) at @at, to cross the 2^32 wrap within a test. */
static void set_indices(struct usoftirq_kfifo *f, unsigned int at)
{
	f->in = f->out = at;
	f->usoftirq_in_cache = f->usoftirq_out_cache = at;
}

static unsigned int pop_one(struct usoftirq_kfifo *f)
{
	unsigned int v = 0;

	assert_int_equal(usoftirq_kfifo_out(f, &v, 1), 1);
	return v;
}

/* ------------------------------------------------------------------ */
/* Sizes                                                               */
/* ------------------------------------------------------------------ */

/* alloc rounds up to a power of two, as the kernel's kfifo_alloc(). */
static void test_alloc_rounds_up(void **state)
{
	static const unsigned int asked[] = { 2, 3, 5, 8, 9, 1000, 1024 };
	static const unsigned int got[] = { 2, 4, 8, 8, 16, 1024, 1024 };
	struct usoftirq_kfifo f;

	(void)state;
	for (size_t i = 0; i < NELEM(asked); i++) {
		assert_int_equal(usoftirq_kfifo_alloc(&f, asked[i], 4), 0);
		assert_int_equal(usoftirq_kfifo_size(&f), got[i]);
		assert_int_equal(usoftirq_kfifo_len(&f), 0);
		assert_int_equal(usoftirq_kfifo_avail(&f), got[i]);
		assert_true(usoftirq_kfifo_is_empty(&f));
		assert_false(usoftirq_kfifo_is_full(&f));
		usoftirq_kfifo_free(&f);
		assert_int_equal(usoftirq_kfifo_size(&f), 0);
	}
}

/* Sizes that cannot make a ring are refused and leave no buffer. */
static void test_alloc_rejects_bad_sizes(void **state)
{
	struct usoftirq_kfifo f;

	(void)state;
	assert_int_equal(usoftirq_kfifo_alloc(&f, 0, 4), -EINVAL);
	assert_int_equal(usoftirq_kfifo_alloc(&f, 1, 4), -EINVAL);
	assert_null(f.data);
	assert_int_equal(usoftirq_kfifo_alloc(&f, (1u << 31) + 1, 1), -EINVAL);
	assert_int_equal(usoftirq_kfifo_alloc(&f, 8, 0), -EINVAL);
	assert_int_equal(usoftirq_kfifo_alloc(&f, 1u << 31, SIZE_MAX / 4),
			 -EINVAL);
	assert_int_equal(usoftirq_kfifo_size(&f), 0);
}

/* init on a caller's buffer rounds down; too small or NULL is -EINVAL. */
static void test_init_on_user_buffer(void **state)
{
	unsigned short buf[10];
	struct usoftirq_kfifo f;
	unsigned short v = 0;

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(usoftirq_kfifo_init(&f, buf, 10, sizeof(buf[0])), 0);
	assert_int_equal(usoftirq_kfifo_size(&f), 8);
	for (unsigned short i = 0; i < 10; i++)
		usoftirq_kfifo_in(&f, &i, 1);
	assert_true(usoftirq_kfifo_is_full(&f));
	/* The ring used exactly the first 8 slots of the buffer. */
	for (unsigned short i = 0; i < 8; i++)
		assert_int_equal(buf[i], i);
	assert_int_equal(buf[8], 0xeeee);
	assert_int_equal(buf[9], 0xeeee);
	assert_int_equal(usoftirq_kfifo_out(&f, &v, 1), 1);
	assert_int_equal(v, 0);

	assert_int_equal(usoftirq_kfifo_init(&f, buf, 1, 2), -EINVAL);
	assert_int_equal(usoftirq_kfifo_init(&f, NULL, 8, 2), -EINVAL);
	assert_int_equal(usoftirq_kfifo_init(&f, buf, 8, 0), -EINVAL);
	assert_int_equal(usoftirq_kfifo_size(&f), 0);
}

/* ------------------------------------------------------------------ */
/* In, out, peek, skip, reset                                          */
/* ------------------------------------------------------------------ */

/* len/avail/full/empty follow every operation; in and out are partial
 * when the ring fills up or runs dry. */
static void test_partial_in_out_and_snapshots(void **state)
{
	unsigned int src[12], dst[12] = { 0 };
	struct usoftirq_kfifo f;

	(void)state;
	for (unsigned int i = 0; i < 12; i++)
		src[i] = 100 + i;
	assert_int_equal(usoftirq_kfifo_alloc(&f, 8, sizeof(unsigned int)), 0);
	assert_int_equal(usoftirq_kfifo_in(&f, src, 3), 3);
	assert_int_equal(usoftirq_kfifo_len(&f), 3);
	assert_int_equal(usoftirq_kfifo_avail(&f), 5);
	assert_false(usoftirq_kfifo_is_empty(&f));
	assert_false(usoftirq_kfifo_is_full(&f));

	/* Only 5 fit. */
	assert_int_equal(usoftirq_kfifo_in(&f, src + 3, 9), 5);
	assert_true(usoftirq_kfifo_is_full(&f));
	assert_int_equal(usoftirq_kfifo_avail(&f), 0);
	assert_int_equal(usoftirq_kfifo_in(&f, src, 1), 0);

	assert_int_equal(usoftirq_kfifo_out(&f, dst, 2), 2);
	assert_int_equal(dst[0], 100);
	assert_int_equal(dst[1], 101);
	assert_int_equal(usoftirq_kfifo_len(&f), 6);

	/* Only 6 are there. */
	assert_int_equal(usoftirq_kfifo_out(&f, dst, 12), 6);
	for (unsigned int i = 0; i < 6; i++)
		assert_int_equal(dst[i], 102 + i);
	assert_true(usoftirq_kfifo_is_empty(&f));
	assert_int_equal(usoftirq_kfifo_out(&f, dst, 1), 0);
	assert_int_equal(usoftirq_kfifo_in(&f, src, 0), 0);
	usoftirq_kfifo_free(&f);
}

/* Elements larger than a word are copied whole, across the ring's end. */
static void test_large_elements_wrap_in_buffer(void **state)
{
	struct rec {
		unsigned long long a, b, c;
	} in[3], out[3];
	struct usoftirq_kfifo f;

	(void)state;
	assert_int_equal(usoftirq_kfifo_alloc(&f, 4, sizeof(struct rec)), 0);
	for (unsigned int round = 0; round < 9; round++) {
		for (unsigned int i = 0; i < 3; i++)
			in[i] = (struct rec){ round, i, ~0ull - round - i };
		assert_int_equal(usoftirq_kfifo_in(&f, in, 3), 3);
		memset(out, 0, sizeof(out));
		assert_int_equal(usoftirq_kfifo_out(&f, out, 3), 3);
		assert_memory_equal(in, out, sizeof(in));
	}
	usoftirq_kfifo_free(&f);
}

/* peek copies without consuming; skip consumes without copying. */
static void test_peek_and_skip(void **state)
{
	unsigned int src[5] = { 1, 2, 3, 4, 5 }, dst[8] = { 0 };
	struct usoftirq_kfifo f;

	(void)state;
	assert_int_equal(usoftirq_kfifo_alloc(&f, 8, sizeof(unsigned int)), 0);
	assert_int_equal(usoftirq_kfifo_out_peek(&f, dst, 1), 0);
	assert_int_equal(usoftirq_kfifo_in(&f, src, 5), 5);
	assert_int_equal(usoftirq_kfifo_out_peek(&f, dst, 2), 2);
	assert_int_equal(dst[0], 1);
	assert_int_equal(dst[1], 2);
	assert_int_equal(usoftirq_kfifo_len(&f), 5);
	assert_int_equal(usoftirq_kfifo_out_peek(&f, dst, 8), 5);
	assert_int_equal(dst[4], 5);
	assert_int_equal(usoftirq_kfifo_len(&f), 5);

	assert_int_equal(usoftirq_kfifo_skip(&f, 2), 2);
	assert_int_equal(pop_one(&f), 3);
	assert_int_equal(usoftirq_kfifo_skip(&f, 9), 2);
	assert_true(usoftirq_kfifo_is_empty(&f));
	usoftirq_kfifo_free(&f);
}

/* reset restarts the indices at 0; reset_out drops what is queued. */
static void test_reset_and_reset_out(void **state)
{
	unsigned int src[4] = { 7, 8, 9, 10 };
	struct usoftirq_kfifo f;

	(void)state;
	assert_int_equal(usoftirq_kfifo_alloc(&f, 4, sizeof(unsigned int)), 0);
	assert_int_equal(usoftirq_kfifo_in(&f, src, 3), 3);
	usoftirq_kfifo_reset_out(&f);
	assert_true(usoftirq_kfifo_is_empty(&f));
	assert_int_equal(f.in, 3);
	assert_int_equal(f.out, 3);
	assert_int_equal(usoftirq_kfifo_in(&f, src, 4), 4);
	assert_true(usoftirq_kfifo_is_full(&f));
	usoftirq_kfifo_reset(&f);
	assert_int_equal(f.in, 0);
	assert_int_equal(f.out, 0);
	assert_int_equal(usoftirq_kfifo_avail(&f), 4);
	assert_int_equal(usoftirq_kfifo_in(&f, src + 3, 1), 1);
	assert_int_equal(pop_one(&f), 10);
	usoftirq_kfifo_free(&f);
}

/* The indices wrap at 2^32 while the ring is partly full: len, avail,
 * full, peek and the element order stay right across the wrap. */
static void test_indices_wrap_around(void **state)
{
	struct usoftirq_kfifo f;
	unsigned int next_in = 0, next_out = 0, v[8];

	(void)state;
	assert_int_equal(usoftirq_kfifo_alloc(&f, 8, sizeof(unsigned int)), 0);
	set_indices(&f, UINT_MAX - 12);
	for (unsigned int round = 0; round < 40; round++) {
		unsigned int n = 1 + round % 7, got;

		for (unsigned int i = 0; i < n; i++)
			v[i] = next_in + i;
		got = usoftirq_kfifo_in(&f, v, n);
		next_in += got;
		assert_int_equal(usoftirq_kfifo_len(&f), next_in - next_out);
		assert_int_equal(usoftirq_kfifo_avail(&f),
				 8 - (next_in - next_out));
		assert_int_equal(usoftirq_kfifo_is_full(&f),
				 next_in - next_out == 8);
		if (usoftirq_kfifo_out_peek(&f, v, 1))
			assert_int_equal(v[0], next_out);
		got = usoftirq_kfifo_out(&f, v, 1 + round % 5);
		for (unsigned int i = 0; i < got; i++)
			assert_int_equal(v[i], next_out++);
	}
	/* The 32-bit indices did wrap during the run. */
	assert_true(next_in > 13);
	assert_int_equal(f.in, UINT_MAX - 12 + next_in);
	assert_true(f.in < UINT_MAX - 12);
	usoftirq_kfifo_free(&f);
}

/* Using a ring that has no buffer is a contract violation: abort with a
 * message naming the call. */
static void in_on_freed_fifo(void *arg)
{
	struct usoftirq_kfifo f;
	unsigned int v = 1;

	(void)arg;
	if (usoftirq_kfifo_alloc(&f, 4, sizeof(v)) != 0)
		_exit(2);
	usoftirq_kfifo_free(&f);
	(void)usoftirq_kfifo_in(&f, &v, 1);
}

static void test_in_on_freed_fifo_aborts(void **state)
{
	char err[2048];
	int status;

	(void)state;
	status = run_in_child(in_on_freed_fifo, NULL, err, sizeof(err));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(err, "kfifo_in() on kfifo"));
	assert_non_null(strstr(err, "never initialised or has been freed"));
}

/* ------------------------------------------------------------------ */
/* Two threads                                                         */
/* ------------------------------------------------------------------ */

#define SPSC_COUNT 200000u

struct spsc {
	struct usoftirq_kfifo f;
	unsigned int count;
};

static void *spsc_producer(void *arg)
{
	struct spsc *s = arg;
	unsigned int v[13], next = 0;

	while (next < s->count) {
		unsigned int n = 1 + next % 13, got;

		if (n > s->count - next)
			n = s->count - next;
		for (unsigned int i = 0; i < n; i++)
			v[i] = next + i;
		got = usoftirq_kfifo_in(&s->f, v, n);
		next += got;
		if (!got)
			sched_yield();
	}
	return NULL;
}

/* One producer thread and one consumer thread, chunks of different sizes,
 * a small ring (often full, often empty) whose indices wrap during the
 * run: every sequence number arrives exactly once, in order. */
static void test_two_threads_in_order(void **state)
{
	struct spsc s = { .count = SPSC_COUNT };
	unsigned int v[17], expected = 0, bad = 0;
	pthread_t t;

	(void)state;
	assert_int_equal(usoftirq_kfifo_alloc(&s.f, 64, sizeof(unsigned int)),
			 0);
	set_indices(&s.f, UINT_MAX - 1000);
	assert_int_equal(pthread_create(&t, NULL, spsc_producer, &s), 0);
	while (expected < s.count) {
		unsigned int got =
			usoftirq_kfifo_out(&s.f, v, 1 + expected % 17);

		for (unsigned int i = 0; i < got; i++)
			bad += v[i] != expected++;
		if (!got)
			sched_yield();
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(expected, SPSC_COUNT);
	assert_true(usoftirq_kfifo_is_empty(&s.f));
	assert_int_equal(s.f.in, UINT_MAX - 1000 + SPSC_COUNT);
	usoftirq_kfifo_free(&s.f);
}

/* ------------------------------------------------------------------ */
/* A signal handler as the producer                                    */
/* ------------------------------------------------------------------ */

/*
 * The sender sends real-time signals carrying 0, 1, 2, ... to a target
 * thread, the next one only once the handler has pushed the previous
 * value (ThreadSanitizer defers handlers and keeps one deferred instance
 * per signal number, so signals queued behind each other would merge
 * under it), and keeps at most SIG_WINDOW values unconsumed. The ring
 * holds more, so the handler never finds it full: every value must come
 * out exactly once, in order.
 *
 * Threads that wait for the handler wait on gates (semaphores), not in
 * sigsuspend(): ThreadSanitizer takes the signal from the kernel and runs
 * the handler later, at the thread's next intercepted call, so a
 * sigsuspend() would wait for a signal already consumed.
 */
#define SIG_COUNT 10000u
#define SIG_WINDOW 256u

static struct usoftirq_kfifo sig_fifo;
static _Atomic unsigned int sig_pushed, sig_overflow, sig_consumed;
static struct gate sig_pushed_gate, sig_stop_gate;

static int push_signal(void)
{
	return SIGRTMAX - 2;
}

static void push_handler(int sig, siginfo_t *si, void *uc)
{
	unsigned int v = (unsigned int)si->si_value.sival_int;

	(void)sig;
	(void)uc;
	if (usoftirq_kfifo_in(&sig_fifo, &v, 1) != 1)
		atomic_fetch_add(&sig_overflow, 1);
	atomic_fetch_add(&sig_pushed, 1);
	gate_open(&sig_pushed_gate);
}

static void sig_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = push_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(push_signal(), &sa, NULL), 0);
	assert_int_equal(usoftirq_kfifo_alloc(&sig_fifo, 2 * SIG_WINDOW,
					      sizeof(unsigned)),
			 0);
	set_indices(&sig_fifo, UINT_MAX - 100);
	atomic_store(&sig_pushed, 0);
	atomic_store(&sig_overflow, 0);
	atomic_store(&sig_consumed, 0);
	gate_init(&sig_pushed_gate, "pushed");
	gate_init(&sig_stop_gate, "stop");
}

static void sig_teardown(void)
{
	assert_true(signal(push_signal(), SIG_DFL) != SIG_ERR);
	usoftirq_kfifo_free(&sig_fifo);
	gate_destroy(&sig_pushed_gate);
	gate_destroy(&sig_stop_gate);
}

/* Queue one value to @t, retrying while the signal queue is full. */
static void sig_send(pthread_t t, int value)
{
	union sigval sv = { .sival_int = value };
	int err;

	while ((err = pthread_sigqueue(t, push_signal(), sv)) != 0) {
		assert_int_equal(err, EAGAIN);
		sched_yield();
	}
}

/* Pop what is there, checking the order; returns how many. */
static unsigned int sig_drain(unsigned int *expected, unsigned int *bad)
{
	unsigned int v[16], got, total = 0;

	while ((got = usoftirq_kfifo_out(&sig_fifo, v, 1 + *expected % 16)) !=
	       0) {
		for (unsigned int i = 0; i < got; i++)
			*bad += v[i] != (*expected)++;
		total += got;
		atomic_store_explicit(&sig_consumed, *expected,
				      memory_order_release);
	}
	return total;
}

/* The target consumes the values its own handler pushes: the handler
 * interrupts kfifo_out() on the same ring. */
static void *same_thread_consumer(void *arg)
{
	unsigned int expected = 0, *bad = arg;

	/* A push after the drain found nothing has opened the gate. */
	while (expected < SIG_COUNT)
		if (!sig_drain(&expected, bad))
			gate_pass(&sig_pushed_gate);
	return NULL;
}

/* May value @seq be sent now? */
static bool sig_may_send(unsigned int seq)
{
	return atomic_load(&sig_pushed) == seq &&
	       seq - atomic_load_explicit(&sig_consumed, memory_order_acquire) <
		       SIG_WINDOW;
}

static void test_signal_handler_pushes_to_interrupted_consumer(void **state)
{
	unsigned int bad = 0;
	pthread_t t;

	(void)state;
#if defined(__SANITIZE_THREAD__)
	/*
	 * ThreadSanitizer runs a handler only when the interrupted thread
	 * passes one of its interceptors, and here, where that thread is the
	 * consumer, it was seen to lose one of the queued signals for good
	 * (the consumer kept passing sem_timedwait() while the sender waited
	 * for the push), also before the kfifo changed. The other-thread test
	 * below covers the handler as producer under TSan; this one runs in
	 * the plain and ASan builds.
	 */
	skip();
#endif
	sig_setup();
	assert_int_equal(pthread_create(&t, NULL, same_thread_consumer, &bad),
			 0);
	for (unsigned int seq = 0; seq < SIG_COUNT; seq++) {
		while (!sig_may_send(seq))
			sched_yield();
		sig_send(t, (int)seq);
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(atomic_load(&sig_overflow), 0);
	assert_int_equal(atomic_load(&sig_pushed), SIG_COUNT);
	assert_int_equal(atomic_load(&sig_consumed), SIG_COUNT);
	assert_true(usoftirq_kfifo_is_empty(&sig_fifo));
	sig_teardown();
}

/* The target only waits for the end; its handler is the producer and
 * the test thread the consumer. */
static void *signal_target(void *arg)
{
	(void)arg;
	gate_pass(&sig_stop_gate);
	return NULL;
}

static void test_signal_handler_on_other_thread_pushes(void **state)
{
	unsigned int expected = 0, bad = 0, seq = 0;
	pthread_t t;

	(void)state;
	sig_setup();
	assert_int_equal(pthread_create(&t, NULL, signal_target, NULL), 0);
	while (expected < SIG_COUNT) {
		bool sent = seq < SIG_COUNT && sig_may_send(seq);

		if (sent)
			sig_send(t, (int)seq++);
		if (!sig_drain(&expected, &bad) && !sent)
			sched_yield();
	}
	gate_open(&sig_stop_gate);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(atomic_load(&sig_overflow), 0);
	assert_int_equal(atomic_load(&sig_pushed), SIG_COUNT);
	assert_int_equal(expected, SIG_COUNT);
	assert_true(usoftirq_kfifo_is_empty(&sig_fifo));
	sig_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_rounds_up),
		cmocka_unit_test(test_alloc_rejects_bad_sizes),
		cmocka_unit_test(test_init_on_user_buffer),
		cmocka_unit_test(test_partial_in_out_and_snapshots),
		cmocka_unit_test(test_large_elements_wrap_in_buffer),
		cmocka_unit_test(test_peek_and_skip),
		cmocka_unit_test(test_reset_and_reset_out),
		cmocka_unit_test(test_indices_wrap_around),
		cmocka_unit_test(test_in_on_freed_fifo_aborts),
		cmocka_unit_test(test_two_threads_in_order),
		cmocka_unit_test(
			test_signal_handler_pushes_to_interrupted_consumer),
		cmocka_unit_test(test_signal_handler_on_other_thread_pushes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
