/* SPDX-License-Identifier: MIT */
/*
 * The kernel spelling's behaviour (the <linux/...> headers of the kcompat
 * include directory): atomics and bit operations return the kernel's
 * values, and lose no update between threads; the helpers (min/max/clamp,
 * ARRAY_SIZE, BIT/GENMASK, rounding, ERR_PTR, container_of/from_tasklet)
 * compute what the kernel's do; the barriers publish data between threads
 * (also in ThreadSanitizer's eyes); spin_lock_init() names a lock after
 * its argument; the context predicates seen by a tasklet, a softirq
 * handler and BH-disabled code; open_softirq()/raise_softirq();
 * printk()/pr_*() reach the log handler with the right level, pr_debug()
 * is silent without DEBUG, %pS names a static function; might_sleep() in
 * a tasklet reports; WARN_ON() reports; assert_spin_locked() aborts when the
 * lock is not held.
 *
 * Callbacks only record; every assertion is made in the test thread, after
 * the machine (without workers) has been stepped.
 */
#define pr_fmt(fmt) "ktest: " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "test_util.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Log capture                                                         */
/* ------------------------------------------------------------------ */

#define LOG_MAX 8

static struct {
	unsigned int n;
	int level[LOG_MAX];
	char text[LOG_MAX][256];
} logged;

static void log_capture(int level, const char *text, void *arg)
{
	(void)arg;
	if (logged.n < LOG_MAX) {
		logged.level[logged.n] = level;
		snprintf(logged.text[logged.n], sizeof(logged.text[0]), "%s",
			 text);
	}
	logged.n++;
}

static void log_start(void)
{
	memset(&logged, 0, sizeof(logged));
	usoftirq_set_printk_handler(log_capture, NULL);
}

static void log_stop(void)
{
	usoftirq_set_printk_handler(NULL, NULL);
	usoftirq_set_console_loglevel(7);
}

static int setup_bound(void **state)
{
	setup_machine_stepped(state);
	assert_int_equal(usoftirq_thread_bind(*state, 0), 0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Atomics                                                             */
/* ------------------------------------------------------------------ */

static void test_atomic_ops_return_the_kernels_values(void **state)
{
	atomic_t v = ATOMIC_INIT(5);
	int old = 7;

	(void)state;
	assert_int_equal(atomic_read(&v), 5);
	atomic_set(&v, 10);
	atomic_inc(&v);
	atomic_dec(&v);
	atomic_add(5, &v);
	atomic_sub(3, &v);
	assert_int_equal(atomic_read(&v), 12);
	assert_int_equal(atomic_inc_return(&v), 13); /* new value */
	assert_int_equal(atomic_dec_return(&v), 12);
	assert_int_equal(atomic_add_return(8, &v), 20);
	assert_int_equal(atomic_sub_return(10, &v), 10);
	assert_int_equal(atomic_fetch_add(5, &v), 10); /* old value */
	assert_int_equal(atomic_fetch_sub(5, &v), 15);
	assert_int_equal(atomic_fetch_or(0x30, &v), 10); /* 0x0a */
	assert_int_equal(atomic_fetch_and(0x0f, &v), 0x3a);
	assert_int_equal(atomic_fetch_andnot(0x2, &v), 0x0a);
	assert_int_equal(atomic_fetch_xor(0xff, &v), 0x08);
	assert_int_equal(atomic_read(&v), 0xf7);
	assert_int_equal(atomic_xchg(&v, 3), 0xf7);
	assert_int_equal(atomic_cmpxchg(&v, 3, 4), 3); /* succeeds */
	assert_int_equal(atomic_cmpxchg(&v, 3, 5), 4); /* fails */
	assert_int_equal(atomic_read(&v), 4);
	assert_false(atomic_try_cmpxchg(&v, &old, 9));
	assert_int_equal(old, 4); /* value found */
	assert_true(atomic_try_cmpxchg(&v, &old, 9));
	assert_int_equal(atomic_read(&v), 9);
	assert_int_equal(atomic_inc_return_relaxed(&v), 10);
	assert_int_equal(atomic_fetch_add_acquire(1, &v), 10);
	assert_int_equal(atomic_xchg_release(&v, 2), 11);
	atomic_set_release(&v, 2);
	assert_int_equal(atomic_read_acquire(&v), 2);
}

static void test_atomic_tests_and_conditional_ops(void **state)
{
	atomic_t v = ATOMIC_INIT(2);

	(void)state;
	assert_false(atomic_dec_and_test(&v));
	assert_true(atomic_dec_and_test(&v)); /* reached 0 */
	assert_false(atomic_inc_and_test(&v));
	atomic_set(&v, -1);
	assert_true(atomic_inc_and_test(&v));
	assert_true(atomic_sub_and_test(0, &v));
	assert_true(atomic_add_negative(-1, &v));
	assert_false(atomic_add_negative(1, &v));
	assert_false(atomic_inc_not_zero(&v)); /* v == 0 */
	assert_int_equal(atomic_read(&v), 0);
	assert_false(atomic_add_unless(&v, 5, 0));
	atomic_set(&v, 1);
	assert_true(atomic_inc_not_zero(&v));
	assert_int_equal(atomic_fetch_add_unless(&v, 3, 7), 2);
	assert_int_equal(atomic_fetch_add_unless(&v, 3, 5), 5); /* unchanged */
	assert_int_equal(atomic_read(&v), 5);
	atomic_set(&v, 1);
	assert_int_equal(atomic_dec_if_positive(&v), 0);
	assert_int_equal(atomic_dec_if_positive(&v), -1); /* not stored */
	assert_int_equal(atomic_read(&v), 0);
	assert_true(atomic_dec_unless_positive(&v));
	assert_false(atomic_inc_unless_negative(&v)); /* v == -1 */
	assert_int_equal(atomic_read(&v), -1);
}

static void test_atomic_long_and_atomic64_wrap_like_the_kernel(void **state)
{
	atomic_long_t l = ATOMIC_LONG_INIT(LONG_MAX);
	atomic64_t q = ATOMIC64_INIT(-5);
	atomic_t i = ATOMIC_INIT(INT_MAX);

	(void)state;
	assert_true(atomic_long_inc_return(&l) == LONG_MIN);
	assert_true(atomic_long_add_negative(0, &l));
	assert_true(atomic64_add_return(10, &q) == 5);
	assert_true(atomic64_fetch_sub(5, &q) == 5);
	assert_true(atomic64_dec_and_test(&q) == false);
	assert_true(atomic64_read(&q) == -1);
	atomic_inc(&i);
	assert_int_equal(atomic_read(&i), INT_MIN);
	assert_int_equal(atomic_fetch_add_unless(&i, -1, 0), INT_MIN);
	assert_int_equal(atomic_read(&i), INT_MAX);
}

static void test_generic_xchg_cmpxchg_on_scalars(void **state)
{
	unsigned long word = 1;
	int a = 1, b = 2;
	int *p = &a, *expected = &a;

	(void)state;
	assert_int_equal(xchg(&word, 5), 1);
	assert_int_equal(cmpxchg(&word, 5, 6), 5);
	assert_int_equal(cmpxchg(&word, 5, 7), 6);
	assert_ptr_equal(cmpxchg(&p, &a, &b), &a);
	assert_ptr_equal(p, &b);
	assert_false(try_cmpxchg(&p, &expected, &a));
	assert_ptr_equal(expected, &b);
}

/* ------------------------------------------------------------------ */
/* Bit operations                                                      */
/* ------------------------------------------------------------------ */

static void test_bitops_set_clear_change_across_words(void **state)
{
	DECLARE_BITMAP(map, 130);
	unsigned long bit, seen[8], n = 0;

	(void)state;
	assert_int_equal(ARRAY_SIZE(map), 3);
	memset(map, 0, sizeof(map));
	set_bit(0, map);
	set_bit(70, map);
	set_bit(129, map);
	assert_true(map[0] == 1 && map[1] == BIT(6) && map[2] == BIT(1));
	assert_true(test_bit(70, map));
	assert_false(test_bit(71, map));
	assert_false(test_and_set_bit(71, map));
	assert_true(test_and_set_bit(71, map));
	assert_true(test_and_clear_bit(71, map));
	assert_false(test_and_clear_bit(71, map));
	change_bit(1, map);
	assert_true(test_and_change_bit(1, map));
	clear_bit(0, map);
	assert_int_equal(map[0], 0);
	assert_false(test_and_set_bit_lock(5, map));
	clear_bit_unlock(5, map);
	assert_false(test_bit_acquire(5, map));
	assign_bit(3, map, true);
	assert_true(test_bit(3, map));

	for_each_set_bit(bit, map, 130) seen[n++] = bit;
	assert_int_equal(n, 3);
	assert_true(seen[0] == 3 && seen[1] == 70 && seen[2] == 129);
	assert_int_equal(find_first_bit(map, 130), 3);
	assert_int_equal(find_next_bit(map, 130, 4), 70);
	assert_int_equal(find_next_bit(map, 129, 71), 129); /* none: size */
	assert_int_equal(find_first_zero_bit(map, 130), 0);
	assert_int_equal(find_next_zero_bit(map, 130, 3), 4);
	assert_int_equal(find_last_bit(map, 130), 129);
	assert_int_equal(find_last_bit(map, 129), 70);
}

static void test_nonatomic_bitops_and_word_helpers(void **state)
{
	unsigned long w = 0;

	(void)state;
	__set_bit(4, &w);
	assert_int_equal(w, 0x10);
	assert_false(__test_and_set_bit(5, &w));
	assert_true(__test_and_clear_bit(4, &w));
	assert_false(__test_and_change_bit(0, &w));
	__change_bit(0, &w);
	__clear_bit(5, &w);
	assert_int_equal(w, 0);
	assert_int_equal(__ffs(0x80UL), 7);
	assert_int_equal(__fls(0x81UL), 7);
	assert_int_equal(ffz(0x7UL), 3);
	assert_int_equal(fls(0), 0);
	assert_int_equal(fls(1), 1);
	assert_int_equal(fls(0x80000000u), 32);
	assert_int_equal(fls64(1ULL << 40), 41);
	assert_int_equal(ffs(0x10), 5);
	assert_int_equal(hweight8(0xff), 8);
	assert_int_equal(hweight32(0xf0f0f0f0u), 16);
	assert_int_equal(hweight64(~0ULL), 64);
	assert_int_equal(rol32(0x80000001u, 1), 3);
	assert_int_equal(ror32(3, 1), 0x80000001u);
	assert_int_equal(sign_extend32(0x80, 7), -128);
	assert_int_equal(BITS_TO_LONGS(65), 2);
}

static void test_bit_and_genmask_values_are_constant(void **state)
{
	static const unsigned long masks[] = { GENMASK(7, 4), BIT(3) };
	int cases = 0;

	(void)state;
	assert_int_equal(BIT(0), 1);
	assert_true(BIT(63) == 0x8000000000000000UL);
	assert_true(BIT_ULL(40) == 0x10000000000ULL);
	assert_int_equal(masks[0], 0xf0);
	assert_int_equal(GENMASK(0, 0), 1);
	assert_true(GENMASK(63, 0) == ~0UL);
	assert_true(GENMASK_ULL(39, 32) == 0xff00000000ULL);
	assert_int_equal(BITS_PER_LONG, 8 * sizeof(long));
	assert_int_equal(BIT_WORD(70), 1);
	assert_int_equal(BIT_MASK(70), BIT(6));
	assert_true(UL(1) << 63 == BIT(63) && ULL(1) == 1ULL);
	switch (0x30) {
	case GENMASK(5, 4):
		cases++;
		break;
	default:
		break;
	}
	assert_int_equal(cases, 1);
	assert_int_equal(masks[1], 8);
}

/* ------------------------------------------------------------------ */
/* Kernel helpers                                                      */
/* ------------------------------------------------------------------ */

static int evaluations;

static int once(int v)
{
	evaluations++;
	return v;
}

static void test_min_max_clamp_evaluate_once_and_compare_right(void **state)
{
	char buf[max(4, 8)]; /* a constant expression: no VLA */
	size_t len = 100;
	u8 small = 200;
	int a = 3, b = -2;

	(void)state;
	static_assert(min(3, 4) == 3 && max(3u, 4u) == 4u);
	assert_int_equal(sizeof(buf), 8);
	evaluations = 0;
	assert_int_equal(min(once(5), once(2)), 2);
	assert_int_equal(max(once(5), once(2)), 5);
	assert_int_equal(evaluations, 4);
	assert_int_equal(min(a, b), -2);
	assert_int_equal(min(len, 64), 64); /* unsigned with constant */
	assert_int_equal(max(small, 100), 200); /* u8 promotes to int */
	assert_int_equal(min_t(int, -1, len), -1);
	assert_int_equal(max_t(u8, 0x1ff, 3), 0xff);
	assert_int_equal(min3(4, 2, 9), 2);
	assert_int_equal(max3(4, 2, 9), 9);
	assert_int_equal(clamp(15, 0, 10), 10);
	assert_int_equal(clamp(-5, 0, 10), 0);
	assert_int_equal(clamp(5, 0, 10), 5);
	assert_int_equal(clamp_t(int, 300u, 0, 255), 255);
	assert_int_equal(clamp_val(small, 0, 100), 100);
	assert_int_equal(min_not_zero(0, 4), 4);
	assert_int_equal(min_not_zero(3, 4), 3);
	assert_int_equal(umin(-1, 5), 5); /* -1 as unsigned is huge */
	swap(a, b);
	assert_true(a == -2 && b == 3);
}

static void test_rounding_and_sizes(void **state)
{
	unsigned long long n = 1000000007ULL;
	int arr[7];

	(void)state;
	assert_int_equal(ARRAY_SIZE(arr), 7);
	assert_int_equal(DIV_ROUND_UP(10, 4), 3);
	assert_int_equal(DIV_ROUND_UP(8, 4), 2);
	assert_int_equal(DIV_ROUND_CLOSEST(7, 2), 4);
	assert_int_equal(DIV_ROUND_CLOSEST(-7, 2), -4);
	assert_int_equal(DIV_ROUND_CLOSEST(5u, 3u), 2);
	assert_true(DIV_ROUND_UP_ULL(5ULL, 2) == 3);
	assert_int_equal(round_up(13, 8), 16);
	assert_int_equal(round_down(13, 8), 8);
	assert_int_equal(roundup(13, 5), 15);
	assert_int_equal(rounddown(13, 5), 10);
	assert_int_equal(ALIGN(13, 8), 16);
	assert_int_equal(ALIGN_DOWN(13, 8), 8);
	assert_true(IS_ALIGNED(32, 16) && !IS_ALIGNED(33, 16));
	assert_int_equal(do_div(n, 10), 7);
	assert_true(n == 100000000ULL);
	assert_int_equal(abs_diff(3u, 10u), 7);
	assert_true(upper_32_bits(0x123456789ULL) == 1);
	assert_true(lower_32_bits(0x123456789ULL) == 0x23456789);
	assert_int_equal(U8_MAX, 255);
	assert_int_equal(S8_MIN, -128);
	assert_true(U32_MAX == 0xffffffffu && S64_MAX == LLONG_MAX);
	assert_int_equal(SMP_CACHE_BYTES, 64);
	assert_int_equal(sizeof_field(struct tasklet_struct, state),
			 sizeof(unsigned long));
}

static void test_err_ptr_round_trips_error_codes(void **state)
{
	int object;
	void *e = ERR_PTR(-ENOMEM);

	(void)state;
	assert_true(IS_ERR(e));
	assert_int_equal(PTR_ERR(e), -ENOMEM);
	assert_false(IS_ERR(&object));
	assert_false(IS_ERR(NULL));
	assert_true(IS_ERR_OR_NULL(NULL));
	assert_true(IS_ERR_OR_NULL(e));
	assert_false(IS_ERR_OR_NULL(&object));
	assert_ptr_equal(ERR_CAST(e), e);
	assert_int_equal(PTR_ERR_OR_ZERO(e), -ENOMEM);
	assert_int_equal(PTR_ERR_OR_ZERO(&object), 0);
	assert_true(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	assert_false(IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
	assert_int_equal(PTR_ERR(ERR_PTR(-EPROBE_DEFER)), -517);
	assert_int_equal(ERESTARTSYS, 512);
	assert_int_equal(ENOTSUPP, 524);
}

struct outer {
	long pad;
	int value;
	struct tasklet_struct tasklet;
};

static void test_container_of_returns_the_enclosing_object(void **state)
{
	struct outer o = { .value = 11 };
	const struct outer *co = &o;
	struct tasklet_struct *t = &o.tasklet;
	struct outer *found = from_tasklet(found, t, tasklet);

	(void)state;
	assert_ptr_equal(container_of(&o.value, struct outer, value), &o);
	assert_ptr_equal(container_of(t, struct outer, tasklet), &o);
	assert_ptr_equal(found, &o);
	assert_ptr_equal(container_of_const(&co->value, struct outer, value),
			 co);
	assert_int_equal(offsetofend(struct outer, value),
			 offsetof(struct outer, value) + sizeof(int));
}

static void test_read_once_write_once_and_barriers(void **state)
{
	struct triple {
		int a, b, c;
	} s = { 1, 2, 3 }, copy;
	const int ci = 7;
	int x = 0, y;
	int *p = &x;

	(void)state;
	WRITE_ONCE(x, 5);
	assert_int_equal(READ_ONCE(x), 5);
	assert_int_equal(READ_ONCE(ci), 7);
	assert_ptr_equal(READ_ONCE(p), &x);
	copy = READ_ONCE(s); /* 12 bytes: the volatile fallback */
	assert_int_equal(copy.c, 3);
	copy.b = 9;
	WRITE_ONCE(s, copy);
	assert_int_equal(s.b, 9);
	smp_store_release(&x, 8);
	y = smp_load_acquire(&x);
	assert_int_equal(y, 8);
	smp_mb();
	smp_rmb();
	smp_wmb();
	barrier();
	cpu_relax();
	assert_int_equal(smp_cond_load_relaxed(&x, VAL == 8), 8);
}

/*
 * Two threads hammer one atomic_t, one atomic_long_t and one bitmap word:
 * the totals prove the operations atomic (lost updates would show), and
 * ThreadSanitizer sees no race.
 */
#define HAMMER_ROUNDS 20000

static atomic_t hammer_count = ATOMIC_INIT(0);
static atomic_long_t hammer_long = ATOMIC_LONG_INIT(0);
static unsigned long hammer_bits;

static void *hammer(void *arg)
{
	unsigned long base = (unsigned long)arg;

	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		atomic_inc(&hammer_count);
		(void)atomic_long_add_return(2, &hammer_long);
		change_bit(base + (unsigned long)(i % 4), &hammer_bits);
	}
	set_bit(base + 8, &hammer_bits);
	return NULL;
}

static void test_atomics_and_bitops_lose_no_update_across_threads(void **state)
{
	pthread_t a, b;

	(void)state;
	assert_int_equal(pthread_create(&a, NULL, hammer, (void *)0UL), 0);
	assert_int_equal(pthread_create(&b, NULL, hammer, (void *)4UL), 0);
	assert_int_equal(pthread_join(a, NULL), 0);
	assert_int_equal(pthread_join(b, NULL), 0);
	assert_int_equal(atomic_read(&hammer_count), 2 * HAMMER_ROUNDS);
	assert_true(atomic_long_read(&hammer_long) == 4L * HAMMER_ROUNDS);
	/* each bit flipped HAMMER_ROUNDS / 4 times, an even number */
	assert_int_equal(READ_ONCE(hammer_bits), BIT(8) | BIT(12));
}

/*
 * Plain data published with smp_wmb()/WRITE_ONCE() and read with
 * READ_ONCE()/smp_rmb(), or with smp_store_release()/smp_load_acquire():
 * the reader sees it, and under ThreadSanitizer the barriers order it
 * (a fence it did not understand would be reported as a data race).
 */
static struct {
	int payload_wmb, flag_wmb;
	int payload_rel, flag_rel;
} pub;

static void *publish_reader(void *arg)
{
	int *seen = arg;

	while (!READ_ONCE(pub.flag_wmb))
		cpu_relax();
	smp_rmb();
	seen[0] = pub.payload_wmb;
	while (!smp_load_acquire(&pub.flag_rel))
		cpu_relax();
	seen[1] = pub.payload_rel;
	return NULL;
}

static void test_barriers_publish_plain_data_to_another_thread(void **state)
{
	int seen[2] = { 0, 0 };
	pthread_t reader;

	(void)state;
	assert_int_equal(pthread_create(&reader, NULL, publish_reader, seen),
			 0);
	pub.payload_wmb = 42;
	smp_wmb();
	WRITE_ONCE(pub.flag_wmb, 1);
	pub.payload_rel = 43;
	smp_store_release(&pub.flag_rel, 1);
	assert_int_equal(pthread_join(reader, NULL), 0);
	assert_int_equal(seen[0], 42);
	assert_int_equal(seen[1], 43);
}

/* ------------------------------------------------------------------ */
/* Spin locks                                                          */
/* ------------------------------------------------------------------ */

struct dev {
	int id;
	spinlock_t lock;
};

static DEFINE_SPINLOCK(static_lock);

static void test_spin_lock_init_names_lock_after_its_argument(void **state)
{
	struct dev d;
	struct dev *dev = &d;
	spinlock_t local = __SPIN_LOCK_UNLOCKED(local);

	(void)state;
	spin_lock_init(&dev->lock);
	assert_string_equal(dev->lock.name, "&dev->lock");
	assert_string_equal(static_lock.name, "static_lock");
	assert_string_equal(local.name, "local");
}

static void test_spin_locks_raise_preempt_count_and_bh(void **state)
{
	spinlock_t lock;

	(void)state;
	spin_lock_init(&lock);
	assert_false(spin_is_locked(&lock));
	spin_lock(&lock);
	assert_true(spin_is_locked(&lock));
	assert_true(in_atomic());
	assert_int_equal(preempt_count(), PREEMPT_LOCK_OFFSET);
	assert_spin_locked(&lock);
	lockdep_assert_held(&lock);
	assert_false(spin_trylock(&lock));
	spin_unlock(&lock);
	assert_false(in_atomic());

	spin_lock_bh(&lock);
	assert_int_equal(preempt_count(), SOFTIRQ_LOCK_OFFSET);
	assert_true(in_softirq());
	assert_false(in_serving_softirq());
	assert_true(in_task());
	spin_unlock_bh(&lock);
	assert_int_equal(preempt_count(), 0);
	assert_true(spin_trylock_bh(&lock));
	spin_unlock_bh(&lock);
}

static void test_assert_spin_locked_aborts_when_not_held(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		spinlock_t lock;
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, STDERR_FILENO);
		spin_lock_init(&lock);
		assert_spin_locked(&lock);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* ------------------------------------------------------------------ */
/* Contexts, tasklets and softirqs                                     */
/* ------------------------------------------------------------------ */

struct seen {
	int runs;
	bool in_interrupt, in_softirq, in_serving_softirq, in_task, in_atomic;
	bool in_hardirq, in_nmi;
	unsigned int softirq_count, level, cpu, pending;
	bool run_bit, sched_bit;
	struct outer *owner;
};

static struct seen seen;

static void record_context(void)
{
	seen.runs++;
	seen.in_interrupt = in_interrupt();
	seen.in_softirq = in_softirq();
	seen.in_serving_softirq = in_serving_softirq();
	seen.in_task = in_task();
	seen.in_atomic = in_atomic();
	seen.in_hardirq = in_hardirq() || in_irq();
	seen.in_nmi = in_nmi();
	seen.softirq_count = softirq_count();
	seen.level = interrupt_context_level();
	seen.cpu = smp_processor_id();
}

static void context_tasklet(struct tasklet_struct *t)
{
	record_context();
	seen.run_bit = test_bit(TASKLET_STATE_RUN, &t->state);
	seen.sched_bit = test_bit(TASKLET_STATE_SCHED, &t->state);
	seen.owner = from_tasklet(seen.owner, t, tasklet);
}

static void test_tasklet_callback_runs_in_softirq_context(void **state)
{
	struct outer o;

	memset(&seen, 0, sizeof(seen));
	assert_true(in_task());
	assert_false(in_interrupt());
	assert_int_equal(interrupt_context_level(), 0);
	tasklet_setup(&o.tasklet, context_tasklet);
	tasklet_schedule(&o.tasklet);
	assert_true(test_bit(TASKLET_STATE_SCHED, &o.tasklet.state));
	assert_int_equal(local_softirq_pending(), BIT(TASKLET_SOFTIRQ));
	assert_false(usoftirq_cpu_run_softirqs(*state, 0));

	assert_int_equal(seen.runs, 1);
	assert_true(seen.in_interrupt);
	assert_true(seen.in_softirq);
	assert_true(seen.in_serving_softirq);
	assert_false(seen.in_task);
	assert_true(seen.in_atomic);
	assert_false(seen.in_hardirq);
	assert_false(seen.in_nmi);
	assert_int_equal(seen.softirq_count, SOFTIRQ_OFFSET);
	assert_int_equal(seen.level, 1);
	assert_int_equal(seen.cpu, 0);
	assert_true(seen.run_bit);
	assert_false(seen.sched_bit);
	assert_ptr_equal(seen.owner, &o);
	assert_false(test_bit(TASKLET_STATE_RUN, &o.tasklet.state));
	tasklet_kill(&o.tasklet);
}

static void test_hi_tasklet_and_disable_enable_in_kernel_spelling(void **state)
{
	struct outer o;

	memset(&seen, 0, sizeof(seen));
	tasklet_setup(&o.tasklet, context_tasklet);
	tasklet_disable(&o.tasklet);
	assert_int_equal(atomic_read(&o.tasklet.count), 1);
	tasklet_hi_schedule(&o.tasklet);
	assert_int_equal(local_softirq_pending(), BIT(HI_SOFTIRQ));
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_int_equal(seen.runs, 0); /* disabled: waits */
	tasklet_enable(&o.tasklet);
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_int_equal(seen.runs, 1);
	assert_true(tasklet_trylock(&o.tasklet));
	assert_false(tasklet_trylock(&o.tasklet));
	tasklet_unlock(&o.tasklet);
	tasklet_unlock_wait(&o.tasklet);
	tasklet_kill(&o.tasklet);
	assert_int_equal(o.tasklet.state, 0);
}

static void test_local_bh_disable_is_softirq_but_still_task(void **state)
{
	(void)state;
	local_bh_disable();
	assert_true(in_softirq());
	assert_true(in_interrupt());
	assert_false(in_serving_softirq());
	assert_true(in_task());
	assert_int_equal(softirq_count(), SOFTIRQ_DISABLE_OFFSET);
	local_bh_disable();
	assert_int_equal(softirq_count(), 2 * SOFTIRQ_DISABLE_OFFSET);
	local_bh_enable();
	local_bh_enable();
	assert_int_equal(preempt_count(), 0);
	assert_false(in_interrupt());
}

static void test_preempt_disable_and_get_cpu_count(void **state)
{
	unsigned int cpu;

	(void)state;
	preempt_disable();
	assert_int_equal(preempt_count(), 1);
	assert_true(in_atomic());
	assert_true(in_task());
	preempt_enable();
	cpu = get_cpu();
	assert_int_equal(cpu, 0); /* bound to vCPU 0 */
	assert_int_equal(preempt_count(), 1);
	put_cpu();
	assert_int_equal(preempt_count(), 0);
}

static void softirq_handler(void)
{
	record_context();
	seen.pending = local_softirq_pending();
}

static void test_open_softirq_handler_runs_on_the_raising_cpu(void **state)
{
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(usoftirq_thread_bind(*state, 1), 0);
	open_softirq(BLOCK_SOFTIRQ, softirq_handler);
	raise_softirq(BLOCK_SOFTIRQ);
	assert_int_equal(local_softirq_pending(), BIT(BLOCK_SOFTIRQ));
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_int_equal(seen.runs, 0); /* raised on vCPU 1 */
	(void)usoftirq_cpu_run_softirqs(*state, 1);
	assert_int_equal(seen.runs, 1);
	assert_int_equal(seen.cpu, 1);
	assert_true(seen.in_serving_softirq);
	assert_int_equal(seen.pending, 0); /* cleared before the handler */

	local_bh_disable();
	__raise_softirq_irqoff(BLOCK_SOFTIRQ);
	raise_softirq_irqoff(BLOCK_SOFTIRQ);
	assert_int_equal(seen.runs, 1);
	local_bh_enable(); /* runs it here */
	assert_int_equal(seen.runs, 2);
	do_softirq(); /* nothing pending */
	assert_int_equal(seen.runs, 2);
}

static void test_cpumask_counts_the_machines_vcpus(void **state)
{
	unsigned int cpu, n = 0;
	int icpu;

	(void)state;
	assert_int_equal(num_possible_cpus(), 2);
	assert_int_equal(num_online_cpus(), 2);
	assert_int_equal(nr_cpu_ids, 2);
	assert_true(cpu_online(1) && !cpu_online(2));
	for_each_possible_cpu(cpu) n++;
	for_each_online_cpu(icpu) n++;
	assert_int_equal(n, 4);
}

static void sleepy_tasklet(struct tasklet_struct *t)
{
	(void)t;
	might_sleep();
}

static void test_might_sleep_in_tasklet_is_reported(void **state)
{
	struct tasklet_struct t;

	tasklet_setup(&t, sleepy_tasklet);
	capture_start();
	might_sleep(); /* task context: fine */
	tasklet_schedule(&t);
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
}

/* ------------------------------------------------------------------ */
/* printk                                                              */
/* ------------------------------------------------------------------ */

static void test_pr_err_reaches_the_log_with_level_3(void **state)
{
	(void)state;
	log_start();
	pr_err("device %d failed\n", 4);
	printk(KERN_INFO "plain %s\n", "info");
	pr_warn("no newline");
	log_stop();
	assert_int_equal(logged.n, 3);
	assert_int_equal(logged.level[0], 3);
	assert_string_equal(logged.text[0], "ktest: device 4 failed\n");
	assert_int_equal(logged.level[1], 6);
	assert_string_equal(logged.text[1], "plain info\n");
	assert_int_equal(logged.level[2], 4);
	assert_string_equal(logged.text[2], "ktest: no newline\n");
}

static void test_pr_debug_is_silent_without_debug(void **state)
{
	(void)state;
	evaluations = 0;
	log_start();
	usoftirq_set_console_loglevel(8); /* KERN_DEBUG would be shown */
	pr_debug("hidden %d\n", once(1));
	pr_devel("hidden too\n");
	printk(KERN_DEBUG "shown\n");
	log_stop();
	assert_int_equal(logged.n, 1);
	assert_int_equal(logged.level[0], 7);
	assert_string_equal(logged.text[0], "shown\n");
	assert_int_equal(evaluations, 0); /* arguments not evaluated */
}

static void test_pr_once_prints_once_per_call_site(void **state)
{
	(void)state;
	log_start();
	for (int i = 0; i < 3; i++) {
		pr_info_once("first %d\n", i);
		printk_once(KERN_NOTICE "second %d\n", i);
	}
	log_stop();
	assert_int_equal(logged.n, 2);
	assert_string_equal(logged.text[0], "ktest: first 0\n");
	assert_string_equal(logged.text[1], "second 0\n");
	assert_int_equal(logged.level[1], 5);
}

static noinline void static_target(void)
{
	barrier();
}

static void test_percent_ps_names_a_static_function(void **state)
{
	(void)state;
	log_start();
	pr_info("at %pS\n", static_target);
	pr_info("name %ps\n", static_target);
	log_stop();
	assert_int_equal(logged.n, 2);
	assert_non_null(strstr(logged.text[0], "at static_target+0x0/0x"));
	assert_string_equal(logged.text[1], "ktest: name static_target\n");
}

static void test_warn_on_reports_and_returns_the_condition(void **state)
{
	int hits = 0;

	(void)state;
	capture_start();
	if (WARN_ON(1 + 1 == 2))
		hits++;
	if (WARN_ON(0))
		hits += 10;
	for (int i = 0; i < 2; i++)
		if (WARN_ONCE(true, "once %d", i))
			hits++;
	capture_stop();
	assert_int_equal(hits, 3);
	/* WARN_ON and the first WARN_ONCE; the second is kept quiet. */
	assert_int_equal(captured(USOFTIRQ_REPORT_WARN), 2);
	assert_int_equal(captured_total(), 2);
	assert_non_null(strstr(captured_text(USOFTIRQ_REPORT_WARN, 0),
			       "ktest_kcompat_api.c:"));
	assert_non_null(
		strstr(captured_text(USOFTIRQ_REPORT_WARN, 0),
		       " test_warn_on_reports_and_returns_the_condition+0x"));
	assert_non_null(strstr(captured_line(USOFTIRQ_REPORT_WARN, 0),
			       "WARNING: CPU: "));
	assert_non_null(strstr(captured_text(USOFTIRQ_REPORT_WARN, 1),
			       ": once 0")); /* no pr_fmt */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic_ops_return_the_kernels_values),
		cmocka_unit_test(test_atomic_tests_and_conditional_ops),
		cmocka_unit_test(
			test_atomic_long_and_atomic64_wrap_like_the_kernel),
		cmocka_unit_test(test_generic_xchg_cmpxchg_on_scalars),
		cmocka_unit_test(test_bitops_set_clear_change_across_words),
		cmocka_unit_test(test_nonatomic_bitops_and_word_helpers),
		cmocka_unit_test(test_bit_and_genmask_values_are_constant),
		cmocka_unit_test(
			test_min_max_clamp_evaluate_once_and_compare_right),
		cmocka_unit_test(test_rounding_and_sizes),
		cmocka_unit_test(test_err_ptr_round_trips_error_codes),
		cmocka_unit_test(
			test_container_of_returns_the_enclosing_object),
		cmocka_unit_test(test_read_once_write_once_and_barriers),
		cmocka_unit_test(
			test_atomics_and_bitops_lose_no_update_across_threads),
		cmocka_unit_test(
			test_barriers_publish_plain_data_to_another_thread),
		cmocka_unit_test(
			test_spin_lock_init_names_lock_after_its_argument),
		cmocka_unit_test(test_spin_locks_raise_preempt_count_and_bh),
		cmocka_unit_test(test_assert_spin_locked_aborts_when_not_held),
		cmocka_unit_test_setup_teardown(
			test_tasklet_callback_runs_in_softirq_context,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_hi_tasklet_and_disable_enable_in_kernel_spelling,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_local_bh_disable_is_softirq_but_still_task,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_preempt_disable_and_get_cpu_count, setup_bound,
			teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_open_softirq_handler_runs_on_the_raising_cpu,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_cpumask_counts_the_machines_vcpus, setup_bound,
			teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_might_sleep_in_tasklet_is_reported, setup_bound,
			teardown_machine),
		cmocka_unit_test(test_pr_err_reaches_the_log_with_level_3),
		cmocka_unit_test(test_pr_debug_is_silent_without_debug),
		cmocka_unit_test(test_pr_once_prints_once_per_call_site),
		cmocka_unit_test_setup_teardown(
			test_percent_ps_names_a_static_function, setup_bound,
			teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_warn_on_reports_and_returns_the_condition,
			setup_bound, teardown_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
