/* SPDX-License-Identifier: MIT */
/*
 * What the seed's Complete Example takes from the rest of its driver
 * without defining it: the device's register map (a driver has it in a
 * header of its own, written from the datasheet) and the consumer of the
 * received data, process_rx_data().
 *
 * The device is usoftirq's RX FIFO device, whose registers were modelled
 * on the ones the example uses, so the map is <usoftirq/rxdev.h>'s, under
 * the example's names. process_rx_data() is the harness's (seed_run.c).
 *
 * seed_driver.c includes this header before the example, in kernel
 * spelling.
 */
#ifndef SEED_PRELUDE_H
#define SEED_PRELUDE_H

#include <linux/types.h>

#include <usoftirq/rxdev.h>

#include "seed_harness.h"

/* Register offsets (32-bit registers). */
#define IRQ_STATUS USOFTIRQ_RXDEV_IRQ_STATUS /* latched causes, read-only */
#define IRQ_CTRL USOFTIRQ_RXDEV_IRQ_CTRL /* interrupt enable mask */
#define IRQ_CLEAR USOFTIRQ_RXDEV_IRQ_CLEAR /* write 1 to clear a cause */
#define RX_FIFO_COUNT USOFTIRQ_RXDEV_RX_FIFO_COUNT /* words waiting */
#define RX_DATA USOFTIRQ_RXDEV_RX_DATA /* read pops the oldest word */

/* The receive cause, in IRQ_STATUS, IRQ_CTRL and IRQ_CLEAR. */
#define RX_IRQ USOFTIRQ_RXDEV_RX_IRQ

/*
 * The enable mask the tasklet writes back to IRQ_CTRL: the receive
 * interrupt only. The overrun cause stays masked, as the example has no
 * code for it.
 */
#define IRQ_ENABLE SEED_IRQ_ENABLE

/* Called by the tasklet for each word; the kernel spelling of the
 * declaration in seed_harness.h, which the compiler checks it matches. */
void process_rx_data(u32 data);

#endif /* SEED_PRELUDE_H */
