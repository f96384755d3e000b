// SPDX-License-Identifier: MIT
/*
 * Example (c): a kfifo between the handler and the tasklet, for a driver
 * that must not lose data while the device keeps up.
 *
 * Example (a) masks the device interrupt until its tasklet has run, so a
 * tasklet that is late lets the small hardware FIFO overflow. Here the
 * hardirq handler never masks the device: on every interrupt it
 * acknowledges and empties the hardware FIFO into a 4096-word kfifo, and
 * schedules the tasklet. A kfifo with one producer (the handler: it never
 * runs concurrently with itself) and one consumer (the tasklet: neither
 * does it) needs no lock at all, so the handler is never held off by the
 * tasklet either. The hardware FIFO is emptied at interrupt latency, and
 * the kfifo absorbs the tasklet's delays: below the device's sustained
 * rate nothing is lost.
 */
#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kfifo.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "rxdemo.h"
#include "rxdev_regs.h"

#define KFIFO_WORDS 4096 /* a power of two */
#define BATCH_WORDS 64

struct rxk_dev {
	void __iomem *regs;
	int irq;
	DECLARE_KFIFO(fifo, u32, KFIFO_WORDS);
	struct tasklet_struct bh;
	wait_queue_head_t readers;
	atomic64_t first_irq_ns; /* oldest unprocessed batch, or 0 */
	atomic_long_t dropped, irqs, schedules, runs;
};

static irqreturn_t rxk_irq(int irq, void *dev_id)
{
	struct rxk_dev *rx = dev_id;

	if (!(readl(rx->regs + RXDEV_IRQ_STATUS) & RXDEV_RX_IRQ))
		return IRQ_NONE;
	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CLEAR);

	/* The only producer: no lock. */
	while (readl(rx->regs + RXDEV_RX_FIFO_COUNT)) {
		u32 word = readl(rx->regs + RXDEV_RX_DATA);

		if (!kfifo_put(&rx->fifo, word))
			atomic_long_inc(&rx->dropped);
	}
	atomic64_cmpxchg(&rx->first_irq_ns, 0, rxdemo_now_ns());
	atomic_long_inc(&rx->irqs);
	atomic_long_inc(&rx->schedules);
	tasklet_schedule(&rx->bh);
	return IRQ_HANDLED;
}

static void rxk_tasklet(struct tasklet_struct *t)
{
	struct rxk_dev *rx = from_tasklet(rx, t, bh);
	s64 first = atomic64_xchg(&rx->first_irq_ns, 0);
	u32 words[BATCH_WORDS];
	unsigned int n;

	atomic_long_inc(&rx->runs);
	if (first)
		rxdemo_record_latency(rxdemo_now_ns() - (u64)first);
	/* The only consumer: no lock either. */
	while ((n = kfifo_out(&rx->fifo, words, BATCH_WORDS)) > 0)
		for (unsigned int i = 0; i < n; i++)
			process_rx_data(words[i]);
	wake_up_interruptible(&rx->readers);
}

static int rxk_probe(struct platform_device *pdev)
{
	struct rxk_dev *rx;
	int err;

	rx = devm_kzalloc(&pdev->dev, sizeof(*rx), GFP_KERNEL);
	if (!rx)
		return -ENOMEM;
	INIT_KFIFO(rx->fifo);
	init_waitqueue_head(&rx->readers);
	tasklet_setup(&rx->bh, rxk_tasklet);

	rx->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(rx->regs))
		return PTR_ERR(rx->regs);
	rx->irq = platform_get_irq(pdev, 0);
	if (rx->irq < 0)
		return rx->irq;
	err = devm_request_irq(&pdev->dev, rx->irq, rxk_irq, 0, "rx-kfifo", rx);
	if (err)
		return err;
	platform_set_drvdata(pdev, rx);

	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CTRL);
	dev_info(&pdev->dev, "receiving on irq %d (kfifo of %u words)\n",
		 rx->irq, kfifo_size(&rx->fifo));
	return 0;
}

static int rxk_remove(struct platform_device *pdev)
{
	struct rxk_dev *rx = platform_get_drvdata(pdev);

	disable_irq(rx->irq); /* no handler runs or will run */
	writel(0, rx->regs + RXDEV_IRQ_CTRL);
	tasklet_kill(&rx->bh);
	return 0;
}

static struct platform_driver rxk_driver = {
	.probe = rxk_probe,
	.remove = rxk_remove,
	.driver = { .name = RXDEMO_DEVICE_NAME },
};

/* ------------------------------------------------------------------ */
/* The rxdemo glue                                                     */
/* ------------------------------------------------------------------ */

static wait_queue_head_t *rxk_readers(struct platform_device *pdev)
{
	struct rxk_dev *rx = platform_get_drvdata(pdev);

	return &rx->readers;
}

static void rxk_get_stats(struct platform_device *pdev,
			  struct rxdemo_driver_stats *st)
{
	struct rxk_dev *rx = platform_get_drvdata(pdev);

	*st = (struct rxdemo_driver_stats){
		.dropped = (unsigned long)atomic_long_read(&rx->dropped),
		.irqs = (unsigned long)atomic_long_read(&rx->irqs),
		.bh_schedules = (unsigned long)atomic_long_read(&rx->schedules),
		.bh_runs = (unsigned long)atomic_long_read(&rx->runs),
	};
}

static const struct rxdemo_driver rxk_demo = {
	.title = "RX demo (c): the handler empties the device into a lock-free "
		 "kfifo, a tasklet processes it",
	.bh_name = "tasklet",
	.pdrv = &rxk_driver,
	.readers = rxk_readers,
	.get_stats = rxk_get_stats,
};

int main(int argc, char **argv)
{
	return rxdemo_main(argc, argv, &rxk_demo);
}
