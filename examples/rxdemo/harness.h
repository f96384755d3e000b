/* SPDX-License-Identifier: MIT */
/*
 * The harness's own parts (not seen by the drivers): options, the books
 * kept by process_rx_data() and the reader, and the summary.
 */
#ifndef RXDEMO_HARNESS_H
#define RXDEMO_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <usoftirq.h>

#include "rxdemo.h"

/**
 * enum rxdemo_summary_format - how the summary is printed.
 * @RXDEMO_SUMMARY_HUMAN: the tables and the check of the books (default).
 * @RXDEMO_SUMMARY_KV: instead, one line of key=value pairs starting with
 *	"rxdemo " (for programs such as bench/q9_device); a rule of the
 *	books that fails is also named on stderr.
 * @RXDEMO_SUMMARY_BOTH: the human summary, then the key=value line.
 */
enum rxdemo_summary_format {
	RXDEMO_SUMMARY_HUMAN,
	RXDEMO_SUMMARY_KV,
	RXDEMO_SUMMARY_BOTH,
};

/**
 * struct rxdemo_options - what to run.
 * @rate: generator words per second.
 * @burst: words per generator burst.
 * @duration_s: seconds of generation.
 * @fifo_depth: words in the device's hardware FIFO.
 * @ncpus: vCPUs (0: one per CPU).
 * @irq_cpu: the vCPU the device's interrupt is delivered to.
 * @seed: generator jitter seed.
 * @jitter: generator jitter, a fraction of the burst interval.
 * @progress: print a progress line while running.
 * @tables: print /proc/softirqs and /proc/interrupts at the end.
 * @summary: how to print the summary.
 */
struct rxdemo_options {
	double rate;
	unsigned int burst;
	double duration_s;
	unsigned int fifo_depth;
	unsigned int ncpus;
	unsigned int irq_cpu;
	uint64_t seed;
	double jitter;
	bool progress;
	bool tables;
	enum rxdemo_summary_format summary;
};

/**
 * rxdemo_parse_options() - fill @opt from the command line.
 *
 * Return: -1 to go on, or an exit status (after --help: 0; bad option: 2).
 */
int rxdemo_parse_options(int argc, char **argv, const char *title,
			 struct rxdemo_options *opt);

/**
 * struct rxdemo_books - what the application side saw.
 * @delivered: words given to process_rx_data().
 * @out_of_order: words not greater than the one before (duplicated or
 *	reordered); must be 0.
 * @read: words the reader thread took.
 * @reader_out_of_order: the same check on the reader's side; must be 0.
 * @reader_overflow: words process_rx_data() could not queue for the
 *	reader (its queue was full); counted, not lost silently.
 * @reader_wakeups: times the reader returned from the driver's wait.
 * @lat_samples: IRQ-to-bottom-half samples.
 * @lat_p50_ns, @lat_p99_ns, @lat_max_ns: their distribution.
 */
struct rxdemo_books {
	unsigned long delivered;
	unsigned long out_of_order;
	unsigned long read;
	unsigned long reader_out_of_order;
	unsigned long reader_overflow;
	unsigned long reader_wakeups;
	unsigned long lat_samples;
	uint64_t lat_p50_ns, lat_p99_ns, lat_max_ns;
};

/** rxdemo_books_init() - reset the books; allocate the reader queue. */
int rxdemo_books_init(void);
/** rxdemo_books_free() - free the reader queue. */
void rxdemo_books_free(void);
/** rxdemo_books_delivered() - words delivered so far (any thread). */
unsigned long rxdemo_books_delivered(void);
/** rxdemo_books_read() - read the books (after the reader stopped). */
void rxdemo_books_get(struct rxdemo_books *b);

/**
 * rxdemo_reader_start() - start the reader thread, which blocks in the
 * driver's wait_data() and drains the reader queue.
 */
int rxdemo_reader_start(const struct rxdemo_driver *drv,
			struct usoftirq_platform_device *pdev);
/**
 * rxdemo_reader_stop() - tell the reader to finish once the queue is
 * empty, wake it through the driver, and join it.
 */
void rxdemo_reader_stop(void);

/** struct rxdemo_run - one run of the demo, and what it measured. */
struct rxdemo_run {
	struct rxdemo_options opt;
	const struct rxdemo_driver *drv;
	struct usoftirq_machine *m;
	struct usoftirq_rxdev *dev;
	struct usoftirq_generator *gen;
	struct usoftirq_resource res[2];
	struct usoftirq_platform_device pdev;
	bool driver_registered, device_registered;
	/* Results. */
	struct usoftirq_generator_stats gst;
	struct usoftirq_rxdev_stats dst;
	struct rxdemo_driver_stats drv_st;
	struct usoftirq_irq_stats irq_st;
	struct rxdemo_books books;
	double elapsed_s;
	bool drained;
	char *softirqs, *interrupts;
};

/**
 * rxdemo_report() - print the summary of @r and check its books.
 *
 * Return: true when they balance.
 */
bool rxdemo_report(const struct rxdemo_run *r);

#endif /* RXDEMO_HARNESS_H */
