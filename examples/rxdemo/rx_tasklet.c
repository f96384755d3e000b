// SPDX-License-Identifier: MIT
/*
 * Example (a): the classic top half / bottom half split, in the shape of
 * a driver written for the kernel.
 *
 * The hardirq handler does the minimum the hardware needs: it checks that
 * the interrupt is ours, masks the device interrupt, acknowledges it,
 * empties the device FIFO into a 256-word ring (dropping and counting when
 * the ring is full) and schedules the tasklet. The tasklet hands each word
 * to process_rx_data(), wakes readers and unmasks the device interrupt;
 * data that arrived meanwhile raises the interrupt again at once, since
 * the line is level-triggered.
 *
 * The ring is shared by the handler and the tasklet, so both take its lock
 * with spin_lock_irqsave(): the tasklet must keep the handler off its own
 * vCPU while it holds the lock, or the handler would spin on a lock held
 * by the code it interrupted.
 *
 * Everything between the includes and the rxdemo glue at the end is plain
 * kernel code: it builds against usoftirq's kernel-compatible headers.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "rxdemo.h"
#include "rxdev_regs.h"

#define RING_WORDS 256

struct rxt_dev {
	void __iomem *regs;
	int irq;
	spinlock_t lock; /* the ring, first_irq_ns and the counters */
	u32 ring[RING_WORDS];
	unsigned int head; /* next slot the handler fills */
	unsigned int tail; /* next slot the tasklet empties */
	struct tasklet_struct bh;
	wait_queue_head_t readers;
	u64 first_irq_ns; /* when the oldest unprocessed batch came, or 0 */
	unsigned long dropped, irqs, schedules, runs;
};

/* Top half, with rx->lock held: move the device FIFO into the ring. */
static void rxt_fill_ring(struct rxt_dev *rx)
{
	while (readl(rx->regs + RXDEV_RX_FIFO_COUNT)) {
		unsigned int next = (rx->head + 1) % RING_WORDS;
		u32 word = readl(rx->regs + RXDEV_RX_DATA);

		if (next == rx->tail) {
			rx->dropped++; /* ring full: the word is lost */
			continue;
		}
		rx->ring[rx->head] = word;
		rx->head = next;
	}
}

static irqreturn_t rxt_irq(int irq, void *dev_id)
{
	struct rxt_dev *rx = dev_id;
	unsigned long flags;

	if (!(readl(rx->regs + RXDEV_IRQ_STATUS) & RXDEV_RX_IRQ))
		return IRQ_NONE;
	/* Quiet the device until the tasklet has caught up, then ack. */
	writel(0, rx->regs + RXDEV_IRQ_CTRL);
	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CLEAR);

	spin_lock_irqsave(&rx->lock, flags);
	rxt_fill_ring(rx);
	if (!rx->first_irq_ns)
		rx->first_irq_ns = rxdemo_now_ns();
	rx->irqs++;
	rx->schedules++;
	spin_unlock_irqrestore(&rx->lock, flags);

	tasklet_schedule(&rx->bh);
	return IRQ_HANDLED;
}

/* Bottom half: softirq context, must not sleep. */
static void rxt_tasklet(struct tasklet_struct *t)
{
	struct rxt_dev *rx = from_tasklet(rx, t, bh);
	unsigned long flags;
	u32 word;

	spin_lock_irqsave(&rx->lock, flags);
	rx->runs++;
	if (rx->first_irq_ns) {
		rxdemo_record_latency(rxdemo_now_ns() - rx->first_irq_ns);
		rx->first_irq_ns = 0;
	}
	while (rx->tail != rx->head) {
		word = rx->ring[rx->tail];
		rx->tail = (rx->tail + 1) % RING_WORDS;
		/* Process without the lock, so the handler is not held off. */
		spin_unlock_irqrestore(&rx->lock, flags);
		process_rx_data(word);
		spin_lock_irqsave(&rx->lock, flags);
	}
	spin_unlock_irqrestore(&rx->lock, flags);

	wake_up_interruptible(&rx->readers);
	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CTRL);
}

static int rxt_probe(struct platform_device *pdev)
{
	struct rxt_dev *rx;
	int err;

	rx = devm_kzalloc(&pdev->dev, sizeof(*rx), GFP_KERNEL);
	if (!rx)
		return -ENOMEM;
	spin_lock_init(&rx->lock);
	init_waitqueue_head(&rx->readers);
	tasklet_setup(&rx->bh, rxt_tasklet);

	rx->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(rx->regs))
		return PTR_ERR(rx->regs);
	rx->irq = platform_get_irq(pdev, 0);
	if (rx->irq < 0)
		return rx->irq;
	err = devm_request_irq(&pdev->dev, rx->irq, rxt_irq, 0, "rx-tasklet",
			       rx);
	if (err)
		return err;
	platform_set_drvdata(pdev, rx);

	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CTRL);
	dev_info(&pdev->dev, "receiving on irq %d\n", rx->irq);
	return 0;
}

static int rxt_remove(struct platform_device *pdev)
{
	struct rxt_dev *rx = platform_get_drvdata(pdev);

	/*
	 * Stop the interrupt first and wait for a handler in flight, so no
	 * handler can schedule the tasklet after the kill; the tasklet's
	 * last run may unmask the device, but the line stays disabled until
	 * devres frees it. Masking only the device register first would
	 * leave a window: a running handler could still schedule the
	 * tasklet, and a running tasklet would unmask the device again.
	 */
	disable_irq(rx->irq);
	tasklet_kill(&rx->bh);
	writel(0, rx->regs + RXDEV_IRQ_CTRL);
	return 0;
}

static struct platform_driver rxt_driver = {
	.probe = rxt_probe,
	.remove = rxt_remove,
	.driver = { .name = RXDEMO_DEVICE_NAME },
};

/* ------------------------------------------------------------------ */
/* The rxdemo glue: the driver's read() and its books.                */
/* ------------------------------------------------------------------ */

static wait_queue_head_t *rxt_readers(struct platform_device *pdev)
{
	struct rxt_dev *rx = platform_get_drvdata(pdev);

	return &rx->readers;
}

static void rxt_get_stats(struct platform_device *pdev,
			  struct rxdemo_driver_stats *st)
{
	struct rxt_dev *rx = platform_get_drvdata(pdev);
	unsigned long flags;

	spin_lock_irqsave(&rx->lock, flags);
	*st = (struct rxdemo_driver_stats){
		.dropped = rx->dropped,
		.irqs = rx->irqs,
		.bh_schedules = rx->schedules,
		.bh_runs = rx->runs,
	};
	spin_unlock_irqrestore(&rx->lock, flags);
}

static const struct rxdemo_driver rxt_demo = {
	.title = "RX demo (a): hardirq handler fills a 256-word ring, "
		 "a tasklet processes it",
	.bh_name = "tasklet",
	.pdrv = &rxt_driver,
	.readers = rxt_readers,
	.get_stats = rxt_get_stats,
};

int main(int argc, char **argv)
{
	return rxdemo_main(argc, argv, &rxt_demo);
}
