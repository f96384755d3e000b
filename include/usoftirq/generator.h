/* SPDX-License-Identifier: MIT */
/*
 * A data generator: the hardware side of a simulated device. A thread
 * hands words to a sink (usoftirq_rxdev_sink(), typically) in bursts, at a
 * configured rate, on absolute deadlines of CLOCK_MONOTONIC computed from
 * the start time (slept with a timed wait that takes an absolute
 * CLOCK_MONOTONIC deadline, as clock_nanosleep(TIMER_ABSTIME) does, and
 * that usoftirq_generator_stop() interrupts at once), so that the long-run
 * rate does not drift however long each burst takes. A late generator
 * catches up: it never skips a burst.
 *
 * Every word is a sequence number, consecutive from @first_seq (wrapping
 * at 2^32), so that a consumer can detect loss, duplication and
 * reordering exactly. The random jitter of burst times is drawn from a
 * PRNG (splitmix64) seeded with @seed: the schedule of a run is
 * reproducible, and usoftirq_generator_deadlines() computes it without
 * running anything.
 */
#ifndef USOFTIRQ_GENERATOR_H
#define USOFTIRQ_GENERATOR_H

#include <stdint.h>

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_generator;

/**
 * typedef usoftirq_generator_sink - receives one word.
 * @arg: the sink argument.
 * @word: the word.
 *
 * Return: 0 if accepted, a negative errno if the word was lost (counted as
 * rejected).
 */
typedef int (*usoftirq_generator_sink)(void *arg, uint32_t word);

/**
 * struct usoftirq_generator_config - what to generate.
 * @rate: words per second (> 0, finite).
 * @burst: words per burst (0 means 1). Bursts are @burst / @rate seconds
 *	apart (at most 2^60 ns).
 * @duration_ns: how long to run; 0 runs until usoftirq_generator_stop().
 *	The run has exactly the bursts whose unshifted time k * interval is
 *	below @duration_ns: ceil(@duration_ns / interval) bursts.
 * @jitter: random shift of each burst's deadline, later by a uniform
 *	fraction in [0, @jitter) of the interval between bursts (0 to 1; 0
 *	is strictly periodic).
 * @seed: seed of the jitter PRNG.
 * @first_seq: the first word.
 */
struct usoftirq_generator_config {
	double rate;
	unsigned int burst;
	uint64_t duration_ns;
	double jitter;
	uint64_t seed;
	uint32_t first_seq;
};

/**
 * usoftirq_generator_start() - start the generator thread.
 * @out: receives the generator.
 * @cfg: the configuration.
 * @sink: where words go.
 * @arg: passed to @sink.
 *
 * Context: task context.
 * Return: 0; -EINVAL for a bad configuration (or NULL @out or @sink);
 * -ENOMEM; or the negated error of pthread_create().
 */
USOFTIRQ_API int
usoftirq_generator_start(struct usoftirq_generator **out,
			 const struct usoftirq_generator_config *cfg,
			 usoftirq_generator_sink sink, void *arg);

/**
 * usoftirq_generator_wait() - wait until the configured duration is over
 * and the last burst was handed over. Calling it on a generator without a
 * duration is a contract violation (it would never return): fatal.
 * @g: the generator.
 *
 * Context: task context (sleeps).
 */
USOFTIRQ_API void usoftirq_generator_wait(struct usoftirq_generator *g);

/**
 * usoftirq_generator_stop() - stop the thread (at a burst boundary; a
 * sleeping thread is woken at once), join it and free the generator. The
 * books must be read before. NULL is a no-op.
 * @g: the generator.
 *
 * Context: task context (sleeps), not from the sink.
 */
USOFTIRQ_API void usoftirq_generator_stop(struct usoftirq_generator *g);

/**
 * struct usoftirq_generator_stats - what was generated.
 * @generated: words handed to the sink.
 * @accepted: of those, accepted.
 * @rejected: of those, refused by the sink.
 * @next_seq: the next sequence number.
 * @late_bursts: bursts that started more than one interval after their
 *	deadline (the thread could not keep up).
 */
struct usoftirq_generator_stats {
	unsigned long generated;
	unsigned long accepted;
	unsigned long rejected;
	uint32_t next_seq;
	unsigned long late_bursts;
};

/**
 * usoftirq_generator_get_stats() - read the books, as of the end of the
 * last complete burst (@generated == @accepted + @rejected always).
 * @g: the generator.
 * @st: receives them.
 *
 * Context: task context (takes a mutex); not from the sink.
 */
USOFTIRQ_API void
usoftirq_generator_get_stats(struct usoftirq_generator *g,
			     struct usoftirq_generator_stats *st);

/**
 * usoftirq_generator_running() - false once the thread has finished: its
 * duration is over (or it was told to stop).
 * @g: the generator.
 *
 * Context: any (one atomic load).
 */
USOFTIRQ_API bool usoftirq_generator_running(struct usoftirq_generator *g);

/**
 * usoftirq_generator_deadlines() - the schedule a generator with @cfg
 * follows, computed without running it: the offset from the start, in
 * nanoseconds, of each of the first @n bursts (jitter included).
 * @cfg: the configuration.
 * @offsets_ns: receives @n offsets.
 * @n: how many.
 *
 * Burst k is at floor(k * interval) plus a shift in [0, jitter * interval)
 * drawn from the seeded PRNG: the same @cfg always gives the same
 * offsets, and they never decrease.
 *
 * Context: any.
 * Return: 0, or -EINVAL for a bad configuration.
 */
USOFTIRQ_API int
usoftirq_generator_deadlines(const struct usoftirq_generator_config *cfg,
			     uint64_t *offsets_ns, size_t n);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_GENERATOR_H */
