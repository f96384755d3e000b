/* SPDX-License-Identifier: MIT */
/*
 * The data generator: configuration checks, the reproducible schedule
 * (known answers of the seeded PRNG, bounds of the jitter), sequence
 * integrity into a counting sink, exact loss accounting at overload into
 * an RX FIFO device nobody drains, and a prompt stop of a sleeping
 * generator. No assertion depends on timing: a run with a duration has
 * an exact number of bursts whatever the machine's speed.
 */
#include "test_util.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

static int null_sink(void *arg, uint32_t word)
{
	(void)arg;
	(void)word;
	return 0;
}

static int try_start(const struct usoftirq_generator_config *cfg)
{
	struct usoftirq_generator *g = NULL;
	int err = usoftirq_generator_start(&g, cfg, null_sink, NULL);

	assert_null(g);
	return err;
}

/* Every bad rate, jitter, interval or argument is -EINVAL, for starting
 * and for computing the schedule. */
static void test_bad_configs(void **state)
{
	const double bad_rates[] = { 0, -1, NAN, INFINITY, 1e-12 };
	const double bad_jitters[] = { -0.01, 1.01, NAN };
	struct usoftirq_generator_config cfg = { .rate = 1000, .burst = 1 };
	struct usoftirq_generator *g;
	uint64_t off;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_rates) / sizeof(double); i++) {
		cfg.rate = bad_rates[i];
		assert_int_equal(try_start(&cfg), -EINVAL);
		assert_int_equal(usoftirq_generator_deadlines(&cfg, &off, 1),
				 -EINVAL);
	}
	cfg.rate = 1000;
	for (size_t i = 0; i < sizeof(bad_jitters) / sizeof(double); i++) {
		cfg.jitter = bad_jitters[i];
		assert_int_equal(try_start(&cfg), -EINVAL);
	}
	cfg.jitter = 1;
	assert_int_equal(usoftirq_generator_deadlines(&cfg, &off, 1), 0);
	assert_int_equal(usoftirq_generator_start(&g, &cfg, NULL, NULL),
			 -EINVAL);
	assert_int_equal(usoftirq_generator_start(NULL, &cfg, null_sink, NULL),
			 -EINVAL);
	assert_int_equal(usoftirq_generator_start(&g, NULL, null_sink, NULL),
			 -EINVAL);
}

/* ------------------------------------------------------------------ */
/* The schedule                                                        */
/* ------------------------------------------------------------------ */

#define N 1000

/*
 * Seed 0, full jitter, 1 ms interval: the first offsets are the known
 * splitmix64 outputs (0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4,
 * 0x06c45d188009454f) scaled into [k ms, (k + 1) ms).
 */
static void test_schedule_known_answers(void **state)
{
	struct usoftirq_generator_config cfg = { .rate = 1000, .jitter = 1 };
	uint64_t off[3];

	(void)state;
	assert_int_equal(usoftirq_generator_deadlines(&cfg, off, 3), 0);
	assert_int_equal(off[0], 883310);
	assert_int_equal(off[1], 1431527);
	assert_int_equal(off[2], 2026433);
}

/* Same seed, same schedule; another seed, another one; every offset in
 * [k * interval, (k + jitter) * interval); never decreasing; no jitter
 * means strictly periodic. */
static void test_schedule_reproducible_and_bounded(void **state)
{
	struct usoftirq_generator_config cfg = {
		.rate = 48000, .burst = 16, .jitter = 0.25, .seed = 42
	};
	static uint64_t a[N], b[N], c[N];
	const double interval = 16 * 1e9 / 48000;
	size_t same = 0;

	(void)state;
	assert_int_equal(usoftirq_generator_deadlines(&cfg, a, N), 0);
	assert_int_equal(usoftirq_generator_deadlines(&cfg, b, N), 0);
	assert_memory_equal(a, b, sizeof(a));
	cfg.seed = 43;
	assert_int_equal(usoftirq_generator_deadlines(&cfg, c, N), 0);
	for (size_t k = 0; k < N; k++) {
		uint64_t base = (uint64_t)((double)k * interval);

		same += a[k] == c[k];
		assert_true(a[k] >= base);
		assert_true(a[k] < base + (uint64_t)(0.25 * interval) + 1);
		if (k)
			assert_true(a[k] >= a[k - 1]);
	}
	assert_true(same < N / 10);
	cfg.jitter = 0;
	assert_int_equal(usoftirq_generator_deadlines(&cfg, c, N), 0);
	for (size_t k = 0; k < N; k++)
		assert_int_equal(c[k], (uint64_t)((double)k * interval));
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */
/* ------------------------------------------------------------------ */

/** struct counter - a sink that checks the sequence and rejects some. */
struct counter {
	uint32_t expect;
	unsigned long words, out_of_order, rejected;
	unsigned int reject_every; /* 0: accept all */
	struct gate first;
};

static int counting_sink(void *arg, uint32_t word)
{
	struct counter *c = arg;

	if (word != c->expect)
		c->out_of_order++;
	c->expect = word + 1;
	if (c->words++ == 0)
		gate_open(&c->first);
	if (c->reject_every && c->words % c->reject_every == 0) {
		c->rejected++;
		return -ENOBUFS;
	}
	return 0;
}

/*
 * 20 000 words/s in bursts of 10 (0.5 ms apart) for 20 ms: exactly 40
 * bursts, 400 words, consecutive across the 2^32 wrap, every fifth
 * refused and counted as rejected.
 */
static void test_sequence_integrity(void **state)
{
	struct usoftirq_generator_config cfg = {
		.rate = 20000,
		.burst = 10,
		.duration_ns = 20000000,
		.jitter = 0.5,
		.seed = 7,
		.first_seq = UINT32_MAX - 100,
	};
	struct counter c = { .expect = UINT32_MAX - 100, .reject_every = 5 };
	struct usoftirq_generator_stats st;
	struct usoftirq_generator *g;

	(void)state;
	gate_init(&c.first, "first word");
	assert_int_equal(usoftirq_generator_start(&g, &cfg, counting_sink, &c),
			 0);
	usoftirq_generator_wait(g);
	assert_false(usoftirq_generator_running(g));
	usoftirq_generator_get_stats(g, &st);
	usoftirq_generator_stop(g);
	assert_int_equal(c.words, 400);
	assert_int_equal(c.out_of_order, 0);
	assert_int_equal(c.expect, (uint32_t)(UINT32_MAX - 100 + 400));
	assert_int_equal(st.generated, 400);
	assert_int_equal(st.rejected, 80);
	assert_int_equal(st.accepted, 320);
	assert_int_equal(st.next_seq, c.expect);
	gate_destroy(&c.first);
}

/*
 * A million words/s in bursts of 16 for 5 ms (313 bursts, 5008 words)
 * into a 4-word FIFO nobody drains: loss happens only as counted
 * overruns, and both sides' books agree word for word.
 */
static void test_overload_loses_only_counted_words(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	struct usoftirq_rxdev_config rcfg = { 4, 3, 0x10000, NULL };
	struct usoftirq_generator_config cfg = {
		.rate = 1e6, .burst = 16, .duration_ns = 5000000, .seed = 1
	};
	struct usoftirq_generator_stats gs;
	struct usoftirq_rxdev_stats rs;
	struct usoftirq_generator *g;
	struct usoftirq_rxdev *d;

	(void)state;
	assert_int_equal(usoftirq_rxdev_create(&d, m, &rcfg), 0);
	assert_int_equal(
		usoftirq_generator_start(&g, &cfg, usoftirq_rxdev_sink, d), 0);
	usoftirq_generator_wait(g);
	usoftirq_generator_get_stats(g, &gs);
	usoftirq_generator_stop(g);
	usoftirq_rxdev_get_stats(d, &rs);
	assert_int_equal(gs.generated, 5008);
	assert_int_equal(gs.generated, gs.accepted + gs.rejected);
	assert_int_equal(gs.accepted, 4);
	assert_int_equal(rs.pushed, gs.generated);
	assert_int_equal(rs.overruns, gs.rejected);
	assert_int_equal(rs.popped, 0);
	usoftirq_rxdev_destroy(d);
	usoftirq_machine_destroy(m);
}

/*
 * A generator with one burst an hour, asleep after its first burst, stops
 * at once when told (with and without a duration): the first word was
 * handed over, the second never.
 */
static void test_stop_wakes_sleeping_generator(void **state)
{
	const uint64_t durations[] = { 0, 7200ull * 1000000000 };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct usoftirq_generator_config cfg = { .rate = 1.0 / 3600,
							 .duration_ns =
								 durations[i],
							 .first_seq = 5 };
		struct counter c = { .expect = 5 };
		struct usoftirq_generator *g;

		gate_init(&c.first, "first word");
		assert_int_equal(usoftirq_generator_start(&g, &cfg,
							  counting_sink, &c),
				 0);
		gate_pass(&c.first);
		assert_true(usoftirq_generator_running(g));
		usoftirq_generator_stop(g);
		assert_int_equal(c.words, 1);
		assert_int_equal(c.expect, 6);
		gate_destroy(&c.first);
	}
}

static void wait_forever_child(void *arg)
{
	struct usoftirq_generator_config cfg = { .rate = 1.0 / 3600 };
	struct usoftirq_generator *g;

	(void)arg;
	if (usoftirq_generator_start(&g, &cfg, null_sink, NULL))
		_exit(2);
	usoftirq_generator_wait(g);
	_exit(3);
}

/* Waiting for the end of a generator that has no end is fatal. */
static void test_wait_without_duration_aborts(void **state)
{
	char out[512];
	int status;

	(void)state;
	status = run_in_child(wait_forever_child, NULL, out, sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "usoftirq_generator_wait: the generator "
				    "has no duration"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_schedule_known_answers),
		cmocka_unit_test(test_schedule_reproducible_and_bounded),
		cmocka_unit_test(test_sequence_integrity),
		cmocka_unit_test(test_overload_loses_only_counted_words),
		cmocka_unit_test(test_stop_wakes_sleeping_generator),
		cmocka_unit_test(test_wait_without_duration_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
