/* SPDX-License-Identifier: MIT */
/*
 * The application side of the RX demo: process_rx_data(), the reader
 * thread, and the IRQ-to-bottom-half latency histogram.
 *
 * process_rx_data() is called by one bottom half at a time (a tasklet
 * never runs concurrently with itself, nor does an irq thread), so the
 * sequence check needs no lock; the counters the main thread reads while
 * the demo runs are relaxed atomics. Words go to the reader through a
 * kfifo: one producer (the bottom half), one consumer (the reader).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <usoftirq.h>

#include "harness.h"

/* Latency histogram: 1 µs buckets up to 20 ms, then one overflow bucket. */
#define LAT_BUCKETS 20000
#define LAT_BUCKET_NS 1000

/* The reader's queue: 64 Ki words, a quarter of a second at 256 k/s. */
#define READQ_WORDS 65536

static struct {
	/* Written by the bottom half only. */
	uint32_t last_word;
	bool seen_any;
	atomic_ulong delivered;
	atomic_ulong out_of_order;
	atomic_ulong reader_overflow;
	/* Written by the reader only. */
	uint32_t reader_last;
	bool reader_seen_any;
	atomic_ulong read;
	atomic_ulong reader_out_of_order;
	atomic_ulong reader_wakeups;
	/* Any bottom half. */
	atomic_ulong lat[LAT_BUCKETS + 1];
	atomic_ulong lat_samples;
	atomic_ullong lat_max;
	struct usoftirq_kfifo readq;
	/* The reader thread. */
	pthread_t reader;
	atomic_bool stopping;
	const struct rxdemo_driver *drv;
	struct usoftirq_platform_device *pdev;
} books;

uint64_t rxdemo_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void rxdemo_record_latency(uint64_t ns)
{
	uint64_t bucket = ns / LAT_BUCKET_NS;
	unsigned long long max =
		atomic_load_explicit(&books.lat_max, memory_order_relaxed);

	atomic_fetch_add_explicit(
		&books.lat[bucket < LAT_BUCKETS ? bucket : LAT_BUCKETS], 1,
		memory_order_relaxed);
	atomic_fetch_add_explicit(&books.lat_samples, 1, memory_order_relaxed);
	while (ns > max && !atomic_compare_exchange_weak_explicit(
				   &books.lat_max, &max, ns,
				   memory_order_relaxed, memory_order_relaxed))
		;
}

/* True when @word comes strictly after @last (sequence numbers wrap). */
static bool seq_after(uint32_t word, uint32_t last)
{
	return (int32_t)(word - last) > 0;
}

void process_rx_data(uint32_t word)
{
	if (books.seen_any && !seq_after(word, books.last_word))
		atomic_fetch_add_explicit(&books.out_of_order, 1,
					  memory_order_relaxed);
	books.last_word = word;
	books.seen_any = true;
	/* The kfifo publishes the word to the reader (release inside). */
	if (usoftirq_kfifo_in(&books.readq, &word, 1) != 1)
		atomic_fetch_add_explicit(&books.reader_overflow, 1,
					  memory_order_relaxed);
	atomic_fetch_add_explicit(&books.delivered, 1, memory_order_relaxed);
}

unsigned long rxdemo_books_delivered(void)
{
	return atomic_load_explicit(&books.delivered, memory_order_relaxed);
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

static bool reader_ready(void *arg)
{
	(void)arg;
	return !usoftirq_kfifo_is_empty(&books.readq) ||
	       atomic_load_explicit(&books.stopping, memory_order_acquire);
}

static void reader_drain(void)
{
	uint32_t words[256];
	unsigned int n;

	while ((n = usoftirq_kfifo_out(&books.readq, words, 256)) > 0) {
		for (unsigned int i = 0; i < n; i++) {
			if (books.reader_seen_any &&
			    !seq_after(words[i], books.reader_last))
				atomic_fetch_add_explicit(
					&books.reader_out_of_order, 1,
					memory_order_relaxed);
			books.reader_last = words[i];
			books.reader_seen_any = true;
		}
		atomic_fetch_add_explicit(&books.read, n, memory_order_relaxed);
	}
}

static void *reader_main(void *arg)
{
	(void)arg;
	for (;;) {
		int err = usoftirq_wait_event_fn(books.drv->readers(books.pdev),
						 reader_ready, NULL, -1, true);

		if (err) {
			fprintf(stderr, "reader: wait failed: %d\n", err);
			break;
		}
		atomic_fetch_add_explicit(&books.reader_wakeups, 1,
					  memory_order_relaxed);
		/* Read the stop flag before draining: everything delivered
		 * before the stop is then drained by this last pass. */
		bool last = atomic_load_explicit(&books.stopping,
						 memory_order_acquire);

		reader_drain();
		if (last)
			break;
	}
	return NULL;
}

int rxdemo_reader_start(const struct rxdemo_driver *drv,
			struct usoftirq_platform_device *pdev)
{
	books.drv = drv;
	books.pdev = pdev;
	atomic_store_explicit(&books.stopping, false, memory_order_relaxed);
	return -pthread_create(&books.reader, NULL, reader_main, NULL);
}

void rxdemo_reader_stop(void)
{
	/* Pairs with the acquire loads in reader_ready()/reader_main(). */
	atomic_store_explicit(&books.stopping, true, memory_order_release);
	usoftirq_wake_up(books.drv->readers(books.pdev));
	pthread_join(books.reader, NULL);
}

/* ------------------------------------------------------------------ */
/* Books                                                               */
/* ------------------------------------------------------------------ */

int rxdemo_books_init(void)
{
	memset(&books, 0, sizeof(books));
	return usoftirq_kfifo_alloc(&books.readq, READQ_WORDS,
				    sizeof(uint32_t));
}

void rxdemo_books_free(void)
{
	usoftirq_kfifo_free(&books.readq);
}

/* The smallest latency with at least @fraction of the samples at or
 * below it (bucket upper bound; the overflow bucket reports the max). */
static uint64_t lat_percentile(unsigned long samples, double fraction)
{
	unsigned long want = (unsigned long)((double)samples * fraction);
	unsigned long seen = 0;

	if (want == 0)
		want = 1;
	for (unsigned int b = 0; b < LAT_BUCKETS; b++) {
		seen += atomic_load_explicit(&books.lat[b],
					     memory_order_relaxed);
		if (seen >= want)
			return (uint64_t)(b + 1) * LAT_BUCKET_NS;
	}
	return atomic_load_explicit(&books.lat_max, memory_order_relaxed);
}

void rxdemo_books_get(struct rxdemo_books *b)
{
	*b = (struct rxdemo_books){
		.delivered = atomic_load(&books.delivered),
		.out_of_order = atomic_load(&books.out_of_order),
		.read = atomic_load(&books.read),
		.reader_out_of_order = atomic_load(&books.reader_out_of_order),
		.reader_overflow = atomic_load(&books.reader_overflow),
		.reader_wakeups = atomic_load(&books.reader_wakeups),
		.lat_samples = atomic_load(&books.lat_samples),
		.lat_max_ns = atomic_load(&books.lat_max),
	};
	if (b->lat_samples) {
		b->lat_p50_ns = lat_percentile(b->lat_samples, 0.50);
		b->lat_p99_ns = lat_percentile(b->lat_samples, 0.99);
	}
}
