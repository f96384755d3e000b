/* SPDX-License-Identifier: MIT */
/*
 * The RX FIFO device's register map, as a driver's "datasheet" header.
 * The values are those of the simulated device (<usoftirq/rxdev.h>).
 */
#ifndef RXDEV_REGS_H
#define RXDEV_REGS_H

#include <usoftirq/rxdev.h>

#define RXDEV_IRQ_STATUS USOFTIRQ_RXDEV_IRQ_STATUS /* latched causes */
#define RXDEV_IRQ_CTRL USOFTIRQ_RXDEV_IRQ_CTRL /* enable mask */
#define RXDEV_IRQ_CLEAR USOFTIRQ_RXDEV_IRQ_CLEAR /* write 1 to clear */
#define RXDEV_RX_FIFO_COUNT USOFTIRQ_RXDEV_RX_FIFO_COUNT /* words waiting */
#define RXDEV_RX_DATA USOFTIRQ_RXDEV_RX_DATA /* read pops one */

#define RXDEV_RX_IRQ USOFTIRQ_RXDEV_RX_IRQ /* data arrived */
#define RXDEV_OVERRUN USOFTIRQ_RXDEV_OVERRUN /* a word was lost */

#endif /* RXDEV_REGS_H */
