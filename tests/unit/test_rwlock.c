/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer spin locks (the kernel's rwlock_t): readers share and
 * nest, a writer excludes everybody, trylocks fail without side effects,
 * a reader never waits for a writer that is only waiting (the kernel's
 * qrwlock lets interrupt-context readers in, so a handler taking the read
 * lock cannot deadlock against a waiting writer), each form's
 * preempt_count, BH and interrupt bookkeeping (_bh, _irq, _irqsave), the
 * futex slow path for both sides, mutual exclusion under contention, and
 * the abort on a writer re-taking its own lock (deviation D12; in forked
 * children).
 */
#include "irq_test_util.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIMER USOFTIRQ_TIMER_SOFTIRQ

/* ------------------------------------------------------------------ */
/* A thread that takes the lock and waits to be told to let go         */
/* ------------------------------------------------------------------ */

struct locker {
	usoftirq_rwlock_t *lock;
	bool write;
	struct gate calling, held, release;
	pthread_t thread;
	_Atomic int tid;
	unsigned long acquired_seq, released_seq;
};

static void *take_and_hold(void *arg)
{
	struct locker *l = arg;

	atomic_store(&l->tid, (int)gettid());
	gate_open(&l->calling);
	if (l->write)
		usoftirq_write_lock(l->lock);
	else
		usoftirq_read_lock(l->lock);
	l->acquired_seq = test_seq();
	gate_open(&l->held);
	gate_pass(&l->release);
	l->released_seq = test_seq();
	if (l->write)
		usoftirq_write_unlock(l->lock);
	else
		usoftirq_read_unlock(l->lock);
	return NULL;
}

static void locker_start(struct locker *l, usoftirq_rwlock_t *lock, bool write)
{
	memset(l, 0, sizeof(*l));
	l->lock = lock;
	l->write = write;
	gate_init(&l->calling, "calling");
	gate_init(&l->held, "held");
	gate_init(&l->release, "release");
	assert_int_equal(pthread_create(&l->thread, NULL, take_and_hold, l), 0);
	gate_pass(&l->calling);
}

/* The locker is asleep in the lock (its only futex wait before "held"). */
static void locker_wait_blocked(struct locker *l)
{
	(void)wait_futex_blocked(atomic_load(&l->tid), 0);
	assert_false(gate_try(&l->held));
}

static void locker_stop(struct locker *l)
{
	gate_open(&l->release);
	assert_int_equal(pthread_join(l->thread, NULL), 0);
	gate_destroy(&l->calling);
	gate_destroy(&l->held);
	gate_destroy(&l->release);
}

/* ------------------------------------------------------------------ */
/* Readers and writers                                                 */
/* ------------------------------------------------------------------ */

/* Readers nest, each adding PREEMPT_OFFSET; a writer cannot get in while
 * they hold it; read_trylock() succeeds among readers. */
static void test_readers_nest_and_keep_writers_out(void **state)
{
	usoftirq_rwlock_t lock;

	(void)state;
	usoftirq_rwlock_init(&lock, "lock");
	usoftirq_read_lock(&lock);
	usoftirq_read_lock(&lock);
	assert_int_equal(usoftirq_preempt_count(), 2);
	assert_false(usoftirq_write_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 2);
	assert_true(usoftirq_read_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 3);
	for (int i = 0; i < 3; i++)
		usoftirq_read_unlock(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0);
	assert_true(usoftirq_write_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_write_unlock(&lock);
	assert_int_equal(usoftirq_preempt_count(), 0);
}

/* A writer excludes readers and writers of other threads: their trylocks
 * fail with preempt_count unchanged; after the unlock they succeed. */
static void test_writer_excludes_everybody(void **state)
{
	usoftirq_rwlock_t lock;
	struct locker w;

	(void)state;
	usoftirq_rwlock_init(&lock, "lock");
	locker_start(&w, &lock, true);
	gate_pass(&w.held);
	assert_false(usoftirq_read_trylock(&lock));
	assert_false(usoftirq_write_trylock(&lock));
	assert_int_equal(usoftirq_preempt_count(), 0);
	locker_stop(&w);
	assert_true(usoftirq_read_trylock(&lock));
	usoftirq_read_unlock(&lock);
	assert_true(usoftirq_write_trylock(&lock));
	usoftirq_write_unlock(&lock);
}

/* A writer waiting for readers sleeps (futex), yet a new reader gets in
 * at once: readers never wait for a writer that only waits. The writer
 * gets the lock after the last reader has left. */
static void test_reader_passes_waiting_writer(void **state)
{
	usoftirq_rwlock_t lock;
	struct locker r, w;
	unsigned long last_release;

	(void)state;
	usoftirq_rwlock_init(&lock, "lock");
	locker_start(&r, &lock, false);
	gate_pass(&r.held);
	locker_start(&w, &lock, true);
	locker_wait_blocked(&w);
	assert_true(usoftirq_read_trylock(&lock));
	usoftirq_read_lock(&lock);
	assert_int_equal(usoftirq_preempt_count(), 2);
	locker_stop(&r);
	assert_false(gate_try(&w.held));
	usoftirq_read_unlock(&lock);
	last_release = test_seq();
	usoftirq_read_unlock(&lock);
	gate_pass(&w.held);
	assert_true(last_release < w.acquired_seq);
	assert_true(r.released_seq < w.acquired_seq);
	locker_stop(&w);
}

/* A reader arriving while a writer holds the lock sleeps (futex) until
 * the writer has released it. */
static void test_reader_waits_for_writer(void **state)
{
	usoftirq_rwlock_t lock;
	struct locker r, w;

	(void)state;
	usoftirq_rwlock_init(&lock, "lock");
	locker_start(&w, &lock, true);
	gate_pass(&w.held);
	locker_start(&r, &lock, false);
	locker_wait_blocked(&r);
	locker_stop(&w);
	gate_pass(&r.held);
	assert_true(w.released_seq < r.acquired_seq);
	locker_stop(&r);
}

/* ------------------------------------------------------------------ */
/* Context forms                                                       */
/* ------------------------------------------------------------------ */

static _Atomic unsigned int timer_runs, timer_pc;

static void timer_action(void)
{
	atomic_store(&timer_pc, usoftirq_preempt_count());
	atomic_fetch_add(&timer_runs, 1);
}

/* 4.5: read_lock_bh()/write_lock_bh() add SOFTIRQ_LOCK_OFFSET (0x201); a
 * softirq raised inside waits, and the _unlock_bh() runs it in the caller
 * with preempt_count 0x101. */
static void test_bh_forms(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	usoftirq_rwlock_t lock;

	(void)state;
	atomic_store(&timer_runs, 0);
	assert_int_equal(usoftirq_open_softirq(m, TIMER, timer_action), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_rwlock_init(&lock, "lock");

	usoftirq_read_lock_bh(&lock);
	assert_int_equal(usoftirq_preempt_count(),
			 USOFTIRQ_SOFTIRQ_LOCK_OFFSET);
	usoftirq_raise_softirq(TIMER);
	assert_int_equal(timer_runs, 0);
	usoftirq_read_unlock_bh(&lock);
	assert_int_equal(timer_runs, 1);
	assert_int_equal(timer_pc, 0x101);

	usoftirq_write_lock_bh(&lock);
	assert_int_equal(usoftirq_preempt_count(),
			 USOFTIRQ_SOFTIRQ_LOCK_OFFSET);
	assert_true(usoftirq_in_softirq());
	usoftirq_raise_softirq(TIMER);
	assert_int_equal(timer_runs, 1);
	usoftirq_write_unlock_bh(&lock);
	assert_int_equal(timer_runs, 2);
	assert_int_equal(timer_pc, 0x101);
	assert_int_equal(usoftirq_preempt_count(), 0);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* The _irq forms disable interrupts and the unlock enables them; the
 * _irqsave forms give back the saved state, so inside an outer save the
 * unlock leaves interrupts masked. */
static void test_irq_forms(void **state)
{
	usoftirq_rwlock_t lock;
	unsigned long outer, flags;

	(void)state;
	usoftirq_rwlock_init(&lock, "lock");
	usoftirq_read_lock_irq(&lock);
	assert_true(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_read_unlock_irq(&lock);
	assert_false(usoftirq_irqs_disabled());
	usoftirq_write_lock_irq(&lock);
	assert_true(usoftirq_irqs_disabled());
	usoftirq_write_unlock_irq(&lock);
	assert_false(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 0);

	outer = usoftirq_local_irq_save();
	flags = usoftirq_read_lock_irqsave(&lock);
	assert_true(usoftirq_irqs_disabled_flags(flags));
	usoftirq_read_unlock_irqrestore(&lock, flags);
	assert_true(usoftirq_irqs_disabled());
	flags = usoftirq_write_lock_irqsave(&lock);
	usoftirq_write_unlock_irqrestore(&lock, flags);
	assert_true(usoftirq_irqs_disabled());
	usoftirq_local_irq_restore(outer);
	assert_false(usoftirq_irqs_disabled());

	flags = usoftirq_write_lock_irqsave(&lock);
	assert_false(usoftirq_irqs_disabled_flags(flags));
	assert_true(usoftirq_irqs_disabled());
	usoftirq_write_unlock_irqrestore(&lock, flags);
	assert_false(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 0);
}

/* ------------------------------------------------------------------ */
/* Contention                                                          */
/* ------------------------------------------------------------------ */

enum { WRITERS = 2, READERS = 2, ROUNDS = 20000 };

struct contention {
	usoftirq_rwlock_t lock;
	struct gate start;
	/* Plain: only the lock protects them; a writer keeps them equal. */
	unsigned long a, b;
	_Atomic int writers_inside, readers_inside;
	_Atomic unsigned int torn, overlaps, leaked;
};

static void write_section(struct contention *c)
{
	if (atomic_fetch_add(&c->writers_inside, 1) ||
	    atomic_load(&c->readers_inside))
		atomic_fetch_add(&c->overlaps, 1);
	c->a++;
	c->b++;
	atomic_fetch_sub(&c->writers_inside, 1);
}

static void read_section(struct contention *c)
{
	atomic_fetch_add(&c->readers_inside, 1);
	if (atomic_load(&c->writers_inside))
		atomic_fetch_add(&c->overlaps, 1);
	if (c->a != c->b)
		atomic_fetch_add(&c->torn, 1);
	atomic_fetch_sub(&c->readers_inside, 1);
}

static void *writer(void *arg)
{
	struct contention *c = arg;

	gate_pass(&c->start);
	for (int i = 0; i < ROUNDS; i++) {
		if (i % 4 == 0)
			while (!usoftirq_write_trylock(&c->lock))
				sched_yield();
		else
			usoftirq_write_lock(&c->lock);
		write_section(c);
		usoftirq_write_unlock(&c->lock);
	}
	if (usoftirq_preempt_count())
		atomic_fetch_add(&c->leaked, 1);
	return NULL;
}

static void *reader(void *arg)
{
	struct contention *c = arg;

	gate_pass(&c->start);
	for (int i = 0; i < ROUNDS; i++) {
		usoftirq_read_lock(&c->lock);
		read_section(c);
		usoftirq_read_unlock(&c->lock);
	}
	if (usoftirq_preempt_count())
		atomic_fetch_add(&c->leaked, 1);
	return NULL;
}

/* Writers never overlap anybody, readers never see a half-done write,
 * and no write is lost. */
static void test_mutual_exclusion_under_contention(void **state)
{
	static struct contention c;
	pthread_t t[WRITERS + READERS];

	(void)state;
	memset(&c, 0, sizeof(c));
	usoftirq_rwlock_init(&c.lock, "contended");
	gate_init(&c.start, "start");
	for (int i = 0; i < WRITERS + READERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL,
						i < WRITERS ? writer : reader,
						&c),
				 0);
	for (int i = 0; i < WRITERS + READERS; i++)
		gate_open(&c.start);
	for (int i = 0; i < WRITERS + READERS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(c.a, (unsigned long)WRITERS * ROUNDS);
	assert_int_equal(c.b, c.a);
	assert_int_equal(c.torn, 0);
	assert_int_equal(c.overlaps, 0);
	assert_int_equal(c.leaked, 0);
	assert_true(usoftirq_write_trylock(&c.lock));
	usoftirq_write_unlock(&c.lock);
	gate_destroy(&c.start);
}

/* ------------------------------------------------------------------ */
/* Recursion (forked children)                                         */
/* ------------------------------------------------------------------ */

static __attribute__((noinline)) void write_then_write(void *arg)
{
	usoftirq_rwlock_t lock;

	(void)arg;
	usoftirq_rwlock_init(&lock, "&dev->rwlock");
	usoftirq_write_lock(&lock);
	usoftirq_write_lock(&lock);
}

static usoftirq_rwlock_t static_rw = USOFTIRQ_RWLOCK_INIT(static_rw);

static __attribute__((noinline)) void write_then_read(void *arg)
{
	(void)arg;
	usoftirq_write_lock(&static_rw);
	usoftirq_read_lock(&static_rw);
}

static __attribute__((noinline)) void read_then_read(void *arg)
{
	usoftirq_rwlock_t lock;

	(void)arg;
	usoftirq_rwlock_init(&lock, "&dev->rwlock");
	usoftirq_read_lock(&lock);
	usoftirq_read_lock(&lock);
	usoftirq_read_unlock(&lock);
	usoftirq_read_unlock(&lock);
}

static void assert_aborted_with(int status, const char *out, const char *at)
{
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "possible recursive locking detected"));
	assert_non_null(strstr(out, at));
}

/* D12: a writer asking again for its own lock, for writing or reading,
 * prints "possible recursive locking detected" with the lock's name and
 * aborts; a reader asking again for reading just nests. */
static void test_writer_recursion_aborts(void **state)
{
	char out[4096];
	int status;

	(void)state;
	status = run_in_child(write_then_write, NULL, out, sizeof(out));
	assert_aborted_with(status, out,
			    "(&dev->rwlock), at: write_then_write+");
	status = run_in_child(write_then_read, NULL, out, sizeof(out));
	assert_aborted_with(status, out, "(static_rw), at: write_then_read+");
	status = run_in_child(read_then_read, NULL, out, sizeof(out));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_nest_and_keep_writers_out),
		cmocka_unit_test(test_writer_excludes_everybody),
		cmocka_unit_test(test_reader_passes_waiting_writer),
		cmocka_unit_test(test_reader_waits_for_writer),
		cmocka_unit_test(test_bh_forms),
		cmocka_unit_test(test_irq_forms),
		cmocka_unit_test(test_mutual_exclusion_under_contention),
		cmocka_unit_test(test_writer_recursion_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
