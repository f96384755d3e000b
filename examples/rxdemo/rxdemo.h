/* SPDX-License-Identifier: MIT */
/*
 * The RX demo: what the three example drivers share.
 *
 * Each example is a platform driver for the simulated RX FIFO device
 * (<usoftirq/rxdev.h>), written in the kernel's spelling as it would be
 * for a real kernel, plus a main() that hands it to rxdemo_main(). The
 * harness plays everything around the driver: the machine, the device and
 * its platform registration, the generator standing for the hardware's
 * data source, a reader thread, and the books checked at the end.
 *
 * This header is included by the drivers (kernel spelling) and by the
 * harness (prefixed API), so it uses only standard C types.
 */
#ifndef RXDEMO_H
#define RXDEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct usoftirq_platform_device;
struct usoftirq_platform_driver;
struct usoftirq_wait_queue_head;

/**
 * struct rxdemo_driver_stats - a driver's own books.
 * @dropped: words read from the device and thrown away (driver ring full).
 * @irqs: hardirq handler runs that found work (returned IRQ_HANDLED or
 *	IRQ_WAKE_THREAD).
 * @bh_schedules: tasklet_schedule() calls (0 for a threaded driver).
 * @bh_runs: bottom-half runs: tasklet callbacks, or thread_fn calls.
 */
struct rxdemo_driver_stats {
	unsigned long dropped;
	unsigned long irqs;
	unsigned long bh_schedules;
	unsigned long bh_runs;
};

/**
 * struct rxdemo_driver - an example driver, as the harness sees it.
 * @title: one line saying what the driver is.
 * @bh_name: "tasklet" or "irq thread", for the summary.
 * @pdrv: the platform driver (matches the device name "rxdev").
 * @readers: the wait queue the driver wakes when it has delivered data
 *	(a reader blocks on it as the driver's read() would).
 * @get_stats: read the driver's books.
 */
struct rxdemo_driver {
	const char *title;
	const char *bh_name;
	struct usoftirq_platform_driver *pdrv;
	struct usoftirq_wait_queue_head *(*readers)(
		struct usoftirq_platform_device *pdev);
	void (*get_stats)(struct usoftirq_platform_device *pdev,
			  struct rxdemo_driver_stats *st);
};

/** RXDEMO_DEVICE_NAME - the platform device name the drivers bind to. */
#define RXDEMO_DEVICE_NAME "rxdev"

/**
 * process_rx_data() - the application's processing of one received word,
 * called by the driver's bottom half (softirq or irq-thread context). It
 * checks the sequence (no duplicate, no reordering), counts the word and
 * queues it for the reader thread. It never sleeps.
 */
void process_rx_data(uint32_t word);

/**
 * rxdemo_now_ns() - CLOCK_MONOTONIC in nanoseconds (any context).
 */
uint64_t rxdemo_now_ns(void);

/**
 * rxdemo_record_latency() - record one IRQ-to-bottom-half delay: from the
 * hardirq handler that found new data to the start of the bottom half
 * that processes it (any context, lock-free).
 */
void rxdemo_record_latency(uint64_t ns);

/**
 * rxdemo_main() - run the demo with @drv: parse the options, build
 * everything, run, print the summary and check the books.
 *
 * Return: the process exit status (0 when the books balance).
 */
int rxdemo_main(int argc, char **argv, const struct rxdemo_driver *drv);

#endif /* RXDEMO_H */
