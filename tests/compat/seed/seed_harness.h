/* SPDX-License-Identifier: MIT */
/*
 * The interface between the seed's driver (seed_driver.c, built in kernel
 * spelling against the kcompat headers) and the test harness (seed_run.c,
 * prefixed API). Written with the prefixed types only, so that both sides
 * include it and the compiler checks that they agree.
 */
#ifndef SEED_HARNESS_H
#define SEED_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <usoftirq/rxdev.h>

/* Declared only: in the driver's file, <linux/platform_device.h> must be
 * read before <usoftirq/platform.h> (see <linux/ioport.h>). */
struct usoftirq_platform_device;
struct usoftirq_platform_driver;

/* The name the driver matches on and the device is registered under. */
#define SEED_DEVICE_NAME "seed_rx"

/*
 * The IRQ_CTRL value that enables the device's receive interrupt: what the
 * example's tasklet writes back when it is done (its IRQ_ENABLE), and what
 * the harness writes once after probe().
 */
#define SEED_IRQ_ENABLE USOFTIRQ_RXDEV_RX_IRQ

/**
 * process_rx_data() - consume one received word.
 * @data: the word.
 *
 * The example's tasklet calls it for each word it takes from its ring;
 * the example leaves it to the rest of the driver, and the harness
 * implements it.
 *
 * Context: softirq (the example's tasklet); must not sleep.
 */
void process_rx_data(uint32_t data);

/**
 * seed_driver() - the example's platform driver: its probe() and
 * remove(), matching devices named %SEED_DEVICE_NAME.
 *
 * Return: the driver, to register and unregister.
 */
struct usoftirq_platform_driver *seed_driver(void);

/**
 * seed_driver_wait() - wait in the bound driver's wait queue (the
 * example's rx_wait) with wait_event_interruptible() until @cond(@arg).
 * @pdev: a device the driver is bound to.
 * @cond: the condition, evaluated by the wait as the kernel's is.
 * @arg: its argument.
 *
 * Context: task context (sleeps), while @pdev stays bound.
 * Return: 0, or -ERESTARTSYS if a signal ended the wait.
 */
int seed_driver_wait(struct usoftirq_platform_device *pdev,
		     bool (*cond)(void *arg), void *arg);

/**
 * seed_driver_wake() - wake_up_interruptible() on the bound driver's wait
 * queue, as the example's tasklet does.
 * @pdev: a device the driver is bound to.
 *
 * Context: any.
 */
void seed_driver_wake(struct usoftirq_platform_device *pdev);

#endif /* SEED_HARNESS_H */
