/* SPDX-License-Identifier: MIT */
/*
 * The data generator (usoftirq/generator.h): one thread handing
 * sequence-numbered words to a sink in bursts.
 *
 * Schedule. Burst k is due at start + k * interval + shift(k), where
 * interval = burst / rate seconds and shift(k) in [0, jitter * interval)
 * is drawn from a splitmix64 generator seeded with the configured seed.
 * Every deadline is computed from the start time, never from the previous
 * wake-up, so lateness does not accumulate into the rate: a burst that
 * starts late is followed by the next one at its own deadline, or at once
 * if that has passed too (the generator catches up). Since the shift is
 * below one interval, deadlines never go backwards. With a duration D the
 * run consists of exactly the bursts whose unshifted time k * interval is
 * below D, however late each of them runs, so a run's word count does not
 * depend on the machine's speed.
 *
 * Sleeping. The thread sleeps until each deadline in
 * pthread_cond_timedwait() on a condition variable bound to
 * CLOCK_MONOTONIC, which takes the deadline as an absolute time (the same
 * absolute CLOCK_MONOTONIC sleep as clock_nanosleep(TIMER_ABSTIME)), and
 * which usoftirq_generator_stop() signals: a stop wakes the thread at
 * once, without a signal handler and without polling.
 *
 * State, under @lock:
 *   stop    false -> true, once, by usoftirq_generator_stop().
 *   done    false -> true, once, by the thread when its duration is over
 *           or it saw stop. Also an atomic, read lock-free by
 *           usoftirq_generator_running() (release/acquire).
 *   st      the books, published by the thread after each burst, so a
 *           reader always sees generated == accepted + rejected.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <usoftirq/generator.h>

#include "internal.h"

/*
 * The longest interval between bursts accepted: 2^60 ns, 36 years. It
 * keeps every deadline of any realistic run far inside uint64_t.
 */
#define MAX_INTERVAL_NS 1152921504606846976.0

/**
 * struct schedule - the burst deadlines of a configuration.
 * @interval_ns: between unshifted bursts.
 * @shift_ns: the largest shift (exclusive), jitter * interval.
 * @rng: the PRNG state.
 * @k: the next burst.
 * @prev: the offset handed out last; offsets never go below it (the
 *	shift is below one interval, so only a rounding of the double
 *	arithmetic could make them).
 */
struct schedule {
	double interval_ns;
	double shift_ns;
	uint64_t rng;
	uint64_t k;
	uint64_t prev;
};

struct usoftirq_generator {
	usoftirq_generator_sink sink;
	void *arg;
	unsigned int burst;
	uint64_t duration_ns;
	uint32_t first_seq;
	struct schedule sched;
	uint64_t start_ns;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	_Atomic bool done;
	struct usoftirq_generator_stats st;
};

/* ------------------------------------------------------------------ */
/* The schedule                                                        */
/* ------------------------------------------------------------------ */

/* splitmix64 (Steele, Lea, Flood 2014; Vigna's reference constants). */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1): the top 53 bits of the next output. */
static double unit_draw(uint64_t *state)
{
	return (double)(splitmix64(state) >> 11) * 0x1.0p-53;
}

static unsigned int burst_of(const struct usoftirq_generator_config *cfg)
{
	return cfg->burst ? cfg->burst : 1;
}

static int schedule_init(struct schedule *s,
			 const struct usoftirq_generator_config *cfg)
{
	double interval;

	if (!cfg || !isfinite(cfg->rate) || !(cfg->rate > 0) ||
	    !(cfg->jitter >= 0 && cfg->jitter <= 1))
		return -EINVAL;
	interval = (double)burst_of(cfg) * 1e9 / cfg->rate;
	if (!(interval <= MAX_INTERVAL_NS))
		return -EINVAL;
	s->interval_ns = interval;
	s->shift_ns = cfg->jitter * interval;
	s->rng = cfg->seed;
	s->k = 0;
	s->prev = 0;
	return 0;
}

/* Unshifted offset of the next burst from the start. */
static uint64_t schedule_base(const struct schedule *s)
{
	return (uint64_t)((double)s->k * s->interval_ns);
}

/* Offset of the next burst from the start, shift included; advances. */
static uint64_t schedule_next(struct schedule *s)
{
	uint64_t offset = schedule_base(s);

	if (s->shift_ns > 0)
		offset += (uint64_t)(unit_draw(&s->rng) * s->shift_ns);
	if (offset < s->prev)
		offset = s->prev;
	s->prev = offset;
	s->k++;
	return offset;
}

int usoftirq_generator_deadlines(const struct usoftirq_generator_config *cfg,
				 uint64_t *offsets_ns, size_t n)
{
	struct schedule s;
	int err = schedule_init(&s, cfg);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++)
		offsets_ns[i] = schedule_next(&s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The thread                                                          */
/* ------------------------------------------------------------------ */

static struct timespec to_timespec(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u),
			       (long)(ns % 1000000000u) };

	return ts;
}

/* Sleep until @deadline (CLOCK_MONOTONIC ns). Return: false on a stop. */
static bool sleep_until(struct usoftirq_generator *g, uint64_t deadline)
{
	struct timespec ts = to_timespec(deadline);
	bool stop;

	pthread_mutex_lock(&g->lock);
	while (!g->stop && usoftirq__now_ns() < deadline) {
		int err = pthread_cond_timedwait(&g->cond, &g->lock, &ts);

		if (err && err != ETIMEDOUT && err != EINTR)
			USOFTIRQ__DIE("pthread_cond_timedwait", err);
	}
	stop = g->stop;
	pthread_mutex_unlock(&g->lock);
	return !stop;
}

static void run_burst(struct usoftirq_generator *g, bool late)
{
	unsigned long accepted = 0;
	unsigned long rejected = 0;
	uint32_t seq = g->st.next_seq;

	for (unsigned int i = 0; i < g->burst; i++) {
		if (g->sink(g->arg, seq++) == 0)
			accepted++;
		else
			rejected++;
	}
	pthread_mutex_lock(&g->lock);
	g->st.generated += accepted + rejected;
	g->st.accepted += accepted;
	g->st.rejected += rejected;
	g->st.next_seq = seq;
	g->st.late_bursts += late;
	pthread_mutex_unlock(&g->lock);
}

static void *generator_thread(void *arg)
{
	struct usoftirq_generator *g = arg;

	for (;;) {
		uint64_t deadline;

		if (g->duration_ns &&
		    schedule_base(&g->sched) >= g->duration_ns)
			break;
		deadline = g->start_ns + schedule_next(&g->sched);
		if (!sleep_until(g, deadline))
			break;
		run_burst(g, usoftirq__now_ns() - deadline >
				     (uint64_t)g->sched.interval_ns);
	}
	pthread_mutex_lock(&g->lock);
	/* Release: pairs with the acquire in usoftirq_generator_running();
	 * the books published before are visible to whoever sees done. */
	atomic_store_explicit(&g->done, true, memory_order_release);
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Control                                                             */
/* ------------------------------------------------------------------ */

static void sync_init(struct usoftirq_generator *g)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cond, &attr);
	pthread_condattr_destroy(&attr);
}

static void generator_free(struct usoftirq_generator *g)
{
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

int usoftirq_generator_start(struct usoftirq_generator **out,
			     const struct usoftirq_generator_config *cfg,
			     usoftirq_generator_sink sink, void *arg)
{
	struct usoftirq_generator *g;
	struct schedule s;
	int err = schedule_init(&s, cfg);

	if (err || !out || !sink)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->sink = sink;
	g->arg = arg;
	g->burst = burst_of(cfg);
	g->duration_ns = cfg->duration_ns;
	g->sched = s;
	g->st.next_seq = cfg->first_seq;
	sync_init(g);
	g->start_ns = usoftirq__now_ns();
	err = pthread_create(&g->thread, NULL, generator_thread, g);
	if (err) {
		generator_free(g);
		return -err;
	}
	(void)pthread_setname_np(g->thread, "generator");
	*out = g;
	return 0;
}

void usoftirq_generator_wait(struct usoftirq_generator *g)
{
	if (!g->duration_ns)
		usoftirq__fatal(__FILE__, __LINE__,
				"usoftirq_generator_wait: the generator has no "
				"duration and would never end; use "
				"usoftirq_generator_stop()");
	pthread_mutex_lock(&g->lock);
	/* Relaxed: done is also written under the mutex we hold. */
	while (!atomic_load_explicit(&g->done, memory_order_relaxed))
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

void usoftirq_generator_stop(struct usoftirq_generator *g)
{
	int err;

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	err = pthread_join(g->thread, NULL);
	if (err)
		USOFTIRQ__DIE("pthread_join", err);
	generator_free(g);
}

void usoftirq_generator_get_stats(struct usoftirq_generator *g,
				  struct usoftirq_generator_stats *st)
{
	pthread_mutex_lock(&g->lock);
	*st = g->st;
	pthread_mutex_unlock(&g->lock);
}

bool usoftirq_generator_running(struct usoftirq_generator *g)
{
	/* Acquire: pairs with the release store of done by the thread. */
	return !atomic_load_explicit(&g->done, memory_order_acquire);
}
