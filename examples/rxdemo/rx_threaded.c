// SPDX-License-Identifier: MIT
/*
 * Example (b): example (a) migrated to a threaded interrupt handler, as
 * the kernel now recommends over tasklets.
 *
 * request_threaded_irq() with IRQF_ONESHOT splits the work the same way:
 * the primary handler, in hardirq context, checks the status, masks and
 * acknowledges the device interrupt and returns IRQ_WAKE_THREAD; the
 * thread function, in task context on its own "irq/N-rx-thread" thread,
 * empties the device FIFO straight into process_rx_data(), wakes readers
 * and unmasks the device. IRQF_ONESHOT keeps the line masked until the
 * thread function returns, and the thread may sleep, so no ring and no
 * lock are needed for the data: only the counters, shared with the
 * primary handler, take a spin lock.
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

struct rxth_dev {
	void __iomem *regs;
	int irq;
	wait_queue_head_t readers;
	spinlock_t lock; /* first_irq_ns and the counters */
	u64 first_irq_ns;
	unsigned long irqs, wakes, runs;
};

static irqreturn_t rxth_primary(int irq, void *dev_id)
{
	struct rxth_dev *rx = dev_id;
	unsigned long flags;

	if (!(readl(rx->regs + RXDEV_IRQ_STATUS) & RXDEV_RX_IRQ))
		return IRQ_NONE;
	writel(0, rx->regs + RXDEV_IRQ_CTRL);
	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CLEAR);

	spin_lock_irqsave(&rx->lock, flags);
	if (!rx->first_irq_ns)
		rx->first_irq_ns = rxdemo_now_ns();
	rx->irqs++;
	rx->wakes++;
	spin_unlock_irqrestore(&rx->lock, flags);
	return IRQ_WAKE_THREAD;
}

/* Task context: may sleep, but has nothing to wait for. */
static irqreturn_t rxth_thread(int irq, void *dev_id)
{
	struct rxth_dev *rx = dev_id;
	unsigned long flags;

	spin_lock_irqsave(&rx->lock, flags);
	rx->runs++;
	if (rx->first_irq_ns) {
		rxdemo_record_latency(rxdemo_now_ns() - rx->first_irq_ns);
		rx->first_irq_ns = 0;
	}
	spin_unlock_irqrestore(&rx->lock, flags);

	while (readl(rx->regs + RXDEV_RX_FIFO_COUNT))
		process_rx_data(readl(rx->regs + RXDEV_RX_DATA));

	wake_up_interruptible(&rx->readers);
	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CTRL);
	return IRQ_HANDLED;
}

static int rxth_probe(struct platform_device *pdev)
{
	struct rxth_dev *rx;
	int err;

	rx = devm_kzalloc(&pdev->dev, sizeof(*rx), GFP_KERNEL);
	if (!rx)
		return -ENOMEM;
	spin_lock_init(&rx->lock);
	init_waitqueue_head(&rx->readers);

	rx->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(rx->regs))
		return PTR_ERR(rx->regs);
	rx->irq = platform_get_irq(pdev, 0);
	if (rx->irq < 0)
		return rx->irq;
	err = devm_request_threaded_irq(&pdev->dev, rx->irq, rxth_primary,
					rxth_thread, IRQF_ONESHOT, "rx-thread",
					rx);
	if (err)
		return err;
	platform_set_drvdata(pdev, rx);

	writel(RXDEV_RX_IRQ, rx->regs + RXDEV_IRQ_CTRL);
	dev_info(&pdev->dev, "receiving on irq %d (threaded)\n", rx->irq);
	return 0;
}

static int rxth_remove(struct platform_device *pdev)
{
	struct rxth_dev *rx = platform_get_drvdata(pdev);

	/* Waits for the primary handler and the thread; devres then frees
	 * the line (and stops the thread). */
	disable_irq(rx->irq);
	writel(0, rx->regs + RXDEV_IRQ_CTRL);
	return 0;
}

static struct platform_driver rxth_driver = {
	.probe = rxth_probe,
	.remove = rxth_remove,
	.driver = { .name = RXDEMO_DEVICE_NAME },
};

/* ------------------------------------------------------------------ */
/* The rxdemo glue                                                     */
/* ------------------------------------------------------------------ */

static wait_queue_head_t *rxth_readers(struct platform_device *pdev)
{
	struct rxth_dev *rx = platform_get_drvdata(pdev);

	return &rx->readers;
}

static void rxth_get_stats(struct platform_device *pdev,
			   struct rxdemo_driver_stats *st)
{
	struct rxth_dev *rx = platform_get_drvdata(pdev);
	unsigned long flags;

	spin_lock_irqsave(&rx->lock, flags);
	*st = (struct rxdemo_driver_stats){
		.irqs = rx->irqs,
		.bh_schedules = rx->wakes,
		.bh_runs = rx->runs,
	};
	spin_unlock_irqrestore(&rx->lock, flags);
}

static const struct rxdemo_driver rxth_demo = {
	.title = "RX demo (b): the same driver with a threaded interrupt "
		 "handler (IRQF_ONESHOT)",
	.bh_name = "irq thread",
	.pdrv = &rxth_driver,
	.readers = rxth_readers,
	.get_stats = rxth_get_stats,
};

int main(int argc, char **argv)
{
	return rxdemo_main(argc, argv, &rxth_demo);
}
