/* SPDX-License-Identifier: MIT */
/*
 * The RX FIFO device: the register-mapped receiver that the seed driver
 * (an interrupt handler draining a device FIFO into a ring, and a tasklet
 * processing the ring) was written for.
 *
 * Registers (32-bit; offsets below, also usable as the driver's register
 * map):
 *   IRQ_STATUS     read-only   RX_IRQ: data arrived since the last clear
 *                              (latched), or the FIFO holds data;
 *                              OVERRUN: a word was lost because the FIFO
 *                              was full (latched)
 *   IRQ_CTRL       read/write  interrupt enable mask, same bits
 *   IRQ_CLEAR      write-only  writing a status bit as 1 clears its latch
 *   RX_FIFO_COUNT  read-only   words in the FIFO
 *   RX_DATA        read-only   pops the oldest word (0 when empty, which is
 *                              counted as an underflow)
 *
 * RX_IRQ reads 1 for as long as the FIFO holds a word, whatever was
 * cleared: clearing it while data remains only clears the latch, and the
 * bit drops once the FIFO is drained. So no order of clear, drain and
 * re-enable in a driver can leave a word in the FIFO with the status
 * clear and the line quiet. A word that arrives while a handler drains
 * latches RX_IRQ again, which costs at most one spurious interrupt (the
 * handler then finds the FIFO empty).
 *
 * The interrupt line is level-triggered and asserted exactly while
 * (IRQ_STATUS & IRQ_CTRL) != 0, through the machine's interrupt controller:
 * a handler that masks IRQ_CTRL or clears the status deasserts it, and
 * data arriving while the interrupt is masked asserts it as soon as
 * IRQ_CTRL is written again, as hardware does.
 *
 * The hardware side pushes words into the FIFO with usoftirq_rxdev_push()
 * (from any thread; a generator thread usually, see usoftirq/generator.h).
 */
#ifndef USOFTIRQ_RXDEV_H
#define USOFTIRQ_RXDEV_H

#include <stdint.h>

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

struct usoftirq_machine;
struct usoftirq_mmio_device;
struct usoftirq_rxdev;

#define USOFTIRQ_RXDEV_IRQ_STATUS 0x00
#define USOFTIRQ_RXDEV_IRQ_CTRL 0x04
#define USOFTIRQ_RXDEV_IRQ_CLEAR 0x08
#define USOFTIRQ_RXDEV_RX_FIFO_COUNT 0x0c
#define USOFTIRQ_RXDEV_RX_DATA 0x10
/** USOFTIRQ_RXDEV_SIZE - bytes of register space. */
#define USOFTIRQ_RXDEV_SIZE 0x20

#define USOFTIRQ_RXDEV_RX_IRQ (1u << 0)
#define USOFTIRQ_RXDEV_OVERRUN (1u << 1)

/** USOFTIRQ_RXDEV_FIFO_DEPTH_DEFAULT - FIFO words unless configured. */
#define USOFTIRQ_RXDEV_FIFO_DEPTH_DEFAULT 64

/**
 * struct usoftirq_rxdev_config - how to build the device.
 * @fifo_depth: words the hardware FIFO holds (0: the default).
 * @irq: the interrupt line it drives (1..nr_irqs of the machine).
 * @phys: bus address (aligned to 4096) at which to attach it.
 * @name: device name for reports (default "rxdev").
 */
struct usoftirq_rxdev_config {
	unsigned int fifo_depth;
	unsigned int irq;
	uint64_t phys;
	const char *name;
};

/**
 * usoftirq_rxdev_create() - create the device and attach it to @m's bus.
 * @out: receives the device.
 * @m: the machine.
 * @cfg: the configuration.
 *
 * The line is declared level-triggered (usoftirq_irq_set_type()) and
 * deasserted; IRQ_CTRL starts at 0 (every interrupt masked).
 *
 * Context: task context.
 * Return: 0; -EINVAL for a bad line, a bad address or a FIFO deeper than
 * 2^24 words; -EBUSY if the bus range is taken; -ENOMEM.
 */
USOFTIRQ_API int usoftirq_rxdev_create(struct usoftirq_rxdev **out,
				       struct usoftirq_machine *m,
				       const struct usoftirq_rxdev_config *cfg);

/**
 * usoftirq_rxdev_destroy() - deassert the line if the device drives it,
 * detach and free. It must not be mapped any more (fatal otherwise), and
 * nothing may push into it concurrently. NULL is a no-op.
 * @d: the device.
 *
 * Context: task context; before the machine is destroyed.
 */
USOFTIRQ_API void usoftirq_rxdev_destroy(struct usoftirq_rxdev *d);

/** usoftirq_rxdev_mmio() - the underlying register block. Context: any. */
USOFTIRQ_API struct usoftirq_mmio_device *
usoftirq_rxdev_mmio(struct usoftirq_rxdev *d);

/**
 * usoftirq_rxdev_push() - the hardware receives one word.
 * @d: the device.
 * @word: the data.
 *
 * Latches RX_IRQ (and asserts the line if enabled). If the FIFO is full
 * the word is lost: OVERRUN is latched and the overrun counter counts it.
 * Takes the device lock (no system call unless contended).
 *
 * Context: any thread, hardirq handlers included; not from inside the
 * device's own register callbacks.
 * Return: 0, or -ENOSPC if the word was lost to an overrun.
 */
USOFTIRQ_API int usoftirq_rxdev_push(struct usoftirq_rxdev *d, uint32_t word);

/**
 * usoftirq_rxdev_sink() - usoftirq_rxdev_push() in the shape of a
 * generator sink (usoftirq/generator.h): @rxdev is the device.
 *
 * Context: any thread.
 * Return: as usoftirq_rxdev_push().
 */
USOFTIRQ_API int usoftirq_rxdev_sink(void *rxdev, uint32_t word);

/**
 * struct usoftirq_rxdev_stats - the device's books.
 * @pushed: words the hardware received (accepted or not).
 * @overruns: words lost because the FIFO was full.
 * @popped: words read from RX_DATA.
 * @underflows: RX_DATA reads of an empty FIFO.
 * @irq_asserts: times the line went from deasserted to asserted.
 * @last_assert_ns: CLOCK_MONOTONIC time of the last assertion.
 *
 * @pushed == @overruns + @popped + words still in the FIFO.
 */
struct usoftirq_rxdev_stats {
	unsigned long pushed;
	unsigned long overruns;
	unsigned long popped;
	unsigned long underflows;
	unsigned long irq_asserts;
	uint64_t last_assert_ns;
};

/**
 * usoftirq_rxdev_get_stats() - read the books, a consistent snapshot taken
 * under the device lock.
 * @d: the device.
 * @st: receives them.
 *
 * Context: any (as usoftirq_rxdev_push()).
 */
USOFTIRQ_API void usoftirq_rxdev_get_stats(struct usoftirq_rxdev *d,
					   struct usoftirq_rxdev_stats *st);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_RXDEV_H */
