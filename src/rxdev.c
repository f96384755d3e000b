/* SPDX-License-Identifier: MIT */
/*
 * The RX FIFO device (usoftirq/rxdev.h): a register block on the MMIO bus
 * (src/mmio_device.c) in front of a word FIFO, driving one level-triggered
 * interrupt line.
 *
 * Model state, all under the device lock:
 *   fifo[], head, count   the hardware FIFO, @depth words
 *   latched               RX_IRQ (a word arrived since the last clear) and
 *                         OVERRUN (a word was lost since the last clear)
 *   line                  the level the device drives on its line now
 *   st                    the books
 *
 * Register values derived from it (refreshed after every change):
 *   IRQ_STATUS    = latched | (count ? RX_IRQ : 0)
 *   RX_FIFO_COUNT = count
 * and the line is asserted exactly while IRQ_STATUS & IRQ_CTRL != 0.
 *
 * Why RX_IRQ also reads 1 while the FIFO holds data: a driver shaped like
 * the seed's masks IRQ_CTRL in its handler, clears RX_IRQ, drains the
 * FIFO, and re-enables IRQ_CTRL later from its tasklet. A word that
 * arrives after the drain latches RX_IRQ again, so the re-enable asserts
 * the line. But a driver that clears after draining (or clears while a
 * word is still in the FIFO) would, with a pure latch, be left with data
 * in the FIFO and the status clear: the line would never rise again. With
 * RX_IRQ held up by a non-empty FIFO (as a UART's "data ready" is), no
 * order of clear, drain and re-enable can strand a word. The price is one
 * spurious interrupt when a word arrives during the drain and is drained
 * with the others: the re-enable then sees the latch, the handler finds
 * the FIFO empty.
 *
 * The line is driven with usoftirq_irq_set_level() from inside the device
 * lock, so the sequence of levels the controller sees is the sequence of
 * states of the device.
 */
#include <errno.h>
#include <stdlib.h>

#include <usoftirq/mmio.h>
#include <usoftirq/rxdev.h>

#include "internal.h"

/* The deepest FIFO accepted: 16 Mi words (64 MiB). */
#define RXDEV_MAX_DEPTH (1u << 24)

#define RX_IRQ USOFTIRQ_RXDEV_RX_IRQ
#define OVERRUN USOFTIRQ_RXDEV_OVERRUN

struct usoftirq_rxdev {
	struct usoftirq_mmio_device *mmio;
	struct usoftirq_machine *m;
	unsigned int irq;
	uint32_t *fifo;
	unsigned int depth;
	unsigned int head;
	unsigned int count;
	uint32_t latched;
	bool line;
	struct usoftirq_rxdev_stats st;
};

static struct usoftirq_rxdev *rxdev_of(struct usoftirq_mmio_device *dev)
{
	return usoftirq_mmio_device_priv(dev);
}

/* Recompute the derived registers and drive the line. Lock held. */
static void refresh(struct usoftirq_rxdev *d)
{
	uint32_t status = d->latched | (d->count ? RX_IRQ : 0);
	uint64_t ctrl;
	bool level;

	usoftirq_mmio_reg_set(d->mmio, USOFTIRQ_RXDEV_IRQ_STATUS, status);
	usoftirq_mmio_reg_set(d->mmio, USOFTIRQ_RXDEV_RX_FIFO_COUNT, d->count);
	ctrl = usoftirq_mmio_reg_value(d->mmio, USOFTIRQ_RXDEV_IRQ_CTRL);
	level = (status & ctrl) != 0;
	if (level == d->line)
		return;
	d->line = level;
	if (level) {
		d->st.irq_asserts++;
		d->st.last_assert_ns = usoftirq__now_ns();
	}
	(void)usoftirq_irq_set_level(d->m, d->irq, level);
}

/* IRQ_CTRL hook: the stored mask changed. */
static void ctrl_written(struct usoftirq_mmio_device *dev,
			 const struct usoftirq_mmio_reg *reg, uint64_t value)
{
	refresh(rxdev_of(dev));
}

/* IRQ_CLEAR: write 1 to clear a latched status bit. */
static void clear_written(struct usoftirq_mmio_device *dev,
			  const struct usoftirq_mmio_reg *reg, uint64_t value)
{
	struct usoftirq_rxdev *d = rxdev_of(dev);

	d->latched &= ~(uint32_t)value;
	refresh(d);
}

/* RX_DATA: pop the oldest word; an empty FIFO reads 0 (an underflow). */
static uint64_t data_read(struct usoftirq_mmio_device *dev,
			  const struct usoftirq_mmio_reg *reg)
{
	struct usoftirq_rxdev *d = rxdev_of(dev);
	uint32_t word;

	if (d->count == 0) {
		d->st.underflows++;
		return 0;
	}
	word = d->fifo[d->head];
	d->head = (d->head + 1) % d->depth;
	d->count--;
	d->st.popped++;
	refresh(d);
	return word;
}

static const struct usoftirq_mmio_reg rxdev_regs[] = {
	{ "IRQ_STATUS", USOFTIRQ_RXDEV_IRQ_STATUS, 4, USOFTIRQ_MMIO_READ_ONLY,
	  0, NULL, NULL },
	{ "IRQ_CTRL", USOFTIRQ_RXDEV_IRQ_CTRL, 4, USOFTIRQ_MMIO_PLAIN, 0, NULL,
	  ctrl_written },
	{ "IRQ_CLEAR", USOFTIRQ_RXDEV_IRQ_CLEAR, 4, USOFTIRQ_MMIO_CALLBACK, 0,
	  NULL, clear_written },
	{ "RX_FIFO_COUNT", USOFTIRQ_RXDEV_RX_FIFO_COUNT, 4,
	  USOFTIRQ_MMIO_READ_ONLY, 0, NULL, NULL },
	{ "RX_DATA", USOFTIRQ_RXDEV_RX_DATA, 4, USOFTIRQ_MMIO_FIFO_POP, 0,
	  data_read, NULL },
};

int usoftirq_rxdev_push(struct usoftirq_rxdev *d, uint32_t word)
{
	int ret = 0;

	usoftirq_mmio_lock(d->mmio);
	d->st.pushed++;
	if (d->count == d->depth) {
		d->st.overruns++;
		d->latched |= OVERRUN;
		ret = -ENOSPC;
	} else {
		d->fifo[(d->head + d->count) % d->depth] = word;
		d->count++;
		d->latched |= RX_IRQ;
	}
	refresh(d);
	usoftirq_mmio_unlock(d->mmio);
	return ret;
}

int usoftirq_rxdev_sink(void *rxdev, uint32_t word)
{
	return usoftirq_rxdev_push(rxdev, word);
}

void usoftirq_rxdev_get_stats(struct usoftirq_rxdev *d,
			      struct usoftirq_rxdev_stats *st)
{
	usoftirq_mmio_lock(d->mmio);
	*st = d->st;
	usoftirq_mmio_unlock(d->mmio);
}

struct usoftirq_mmio_device *usoftirq_rxdev_mmio(struct usoftirq_rxdev *d)
{
	return d->mmio;
}

/* ------------------------------------------------------------------ */
/* Creation and destruction                                            */
/* ------------------------------------------------------------------ */

static int rxdev_alloc(struct usoftirq_rxdev **out, unsigned int depth,
		       const char *name)
{
	struct usoftirq_rxdev *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	d->depth = depth;
	d->fifo = calloc(depth, sizeof(*d->fifo));
	if (!d->fifo) {
		free(d);
		return -ENOMEM;
	}
	err = usoftirq_mmio_device_create(&d->mmio, name, USOFTIRQ_RXDEV_SIZE,
					  rxdev_regs,
					  USOFTIRQ__ARRAY_SIZE(rxdev_regs), d);
	if (err) {
		free(d->fifo);
		free(d);
		return err;
	}
	*out = d;
	return 0;
}

static void rxdev_free(struct usoftirq_rxdev *d)
{
	usoftirq_mmio_device_destroy(d->mmio);
	free(d->fifo);
	free(d);
}

int usoftirq_rxdev_create(struct usoftirq_rxdev **out,
			  struct usoftirq_machine *m,
			  const struct usoftirq_rxdev_config *cfg)
{
	struct usoftirq_rxdev *d;
	unsigned int depth;
	int err;

	if (!m || !cfg || cfg->irq == 0 ||
	    cfg->irq > usoftirq_machine_nr_irqs(m))
		return -EINVAL;
	depth = cfg->fifo_depth ? cfg->fifo_depth :
				  USOFTIRQ_RXDEV_FIFO_DEPTH_DEFAULT;
	if (depth > RXDEV_MAX_DEPTH)
		return -EINVAL;
	err = rxdev_alloc(&d, depth, cfg->name ? cfg->name : "rxdev");
	if (err)
		return err;
	d->m = m;
	d->irq = cfg->irq;
	err = usoftirq_mmio_attach(m, d->mmio, cfg->phys);
	if (err) {
		rxdev_free(d);
		return err;
	}
	(void)usoftirq_irq_set_type(m, d->irq, USOFTIRQ_IRQ_TYPE_LEVEL_HIGH);
	(void)usoftirq_irq_set_level(m, d->irq, false);
	*out = d;
	return 0;
}

void usoftirq_rxdev_destroy(struct usoftirq_rxdev *d)
{
	if (!d)
		return;
	/* A device that goes away stops driving its line. */
	usoftirq_mmio_lock(d->mmio);
	if (d->line) {
		d->line = false;
		(void)usoftirq_irq_set_level(d->m, d->irq, false);
	}
	usoftirq_mmio_unlock(d->mmio);
	rxdev_free(d);
}
