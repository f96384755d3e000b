/* SPDX-License-Identifier: MIT */
/*
 * The device model in the kernel spelling: a platform driver written as
 * for the kernel (probe with devm_kzalloc(), platform_get_resource(),
 * devm_platform_ioremap_resource(), platform_get_irq(),
 * devm_request_irq(), platform_set_drvdata(); remove) bound to the RX FIFO
 * device through platform_driver_register() and
 * platform_device_register(), words pushed by the "hardware" reaching the
 * driver through its hardirq handler, a kfifo and a tasklet, and
 * everything released at unregistration; a failing probe; the resource
 * helpers (DEFINE_RES_*, resource_size(), _byname, _optional); the
 * register accessors of <linux/io.h> on a device with registers of every
 * width; the dev_*() log; the allocators of <linux/slab.h>.
 *
 * The machine has no workers: the test delivers interrupts with
 * usoftirq_cpu_run_irqs(), whose irq_exit() runs the tasklet, so every
 * count is exact.
 */
/* Driver code adds offsets to a void __iomem *, as the kernel's does. */
#pragma GCC diagnostic ignored "-Wpointer-arith"

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kfifo.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "test_util.h"

#include <stdio.h>
#include <string.h>

#define PHYS 0x10000000ull
#define IRQ 7
#define DRV "krx"

/* ------------------------------------------------------------------ */
/* A driver for the RX FIFO device                                     */
/* ------------------------------------------------------------------ */

struct krx {
	void __iomem *regs;
	int irq;
	DECLARE_KFIFO(fifo, u32, 64);
	struct tasklet_struct bh;
	u32 got[64];
	unsigned int ngot;
	unsigned int irqs;
};

static struct {
	int probes;
	int removes;
	struct krx *last;
	resource_size_t mem_size;
	int irq_count;
	int missing_irq;
	bool byname_ok;
} krx_seen;

static void krx_bh(struct tasklet_struct *t)
{
	struct krx *rx = from_tasklet(rx, t, bh);
	u32 word;

	while (kfifo_get(&rx->fifo, &word))
		rx->got[rx->ngot++ % ARRAY_SIZE(rx->got)] = word;
}

static irqreturn_t krx_irq(int irq, void *dev_id)
{
	struct krx *rx = dev_id;

	if (!(readl(rx->regs + USOFTIRQ_RXDEV_IRQ_STATUS) &
	      USOFTIRQ_RXDEV_RX_IRQ))
		return IRQ_NONE;
	writel(USOFTIRQ_RXDEV_RX_IRQ, rx->regs + USOFTIRQ_RXDEV_IRQ_CLEAR);
	while (readl(rx->regs + USOFTIRQ_RXDEV_RX_FIFO_COUNT))
		kfifo_put(&rx->fifo, readl(rx->regs + USOFTIRQ_RXDEV_RX_DATA));
	rx->irqs++;
	tasklet_schedule(&rx->bh);
	return IRQ_HANDLED;
}

static int krx_probe(struct platform_device *pdev)
{
	struct resource *mem;
	struct krx *rx;
	int err;

	krx_seen.probes++;
	rx = devm_kzalloc(&pdev->dev, sizeof(*rx), GFP_KERNEL);
	if (!rx)
		return -ENOMEM;
	INIT_KFIFO(rx->fifo);
	tasklet_setup(&rx->bh, krx_bh);

	mem = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	krx_seen.mem_size = mem ? resource_size(mem) : 0;
	krx_seen.byname_ok = platform_get_resource_byname(pdev, IORESOURCE_MEM,
							  "regs") == mem;
	krx_seen.irq_count = platform_irq_count(pdev);
	krx_seen.missing_irq = platform_get_irq_optional(pdev, 1);

	rx->regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(rx->regs))
		return PTR_ERR(rx->regs);
	rx->irq = platform_get_irq(pdev, 0);
	if (rx->irq < 0)
		return rx->irq;
	err = devm_request_irq(&pdev->dev, rx->irq, krx_irq, 0, DRV, rx);
	if (err)
		return dev_err_probe(&pdev->dev, err, "no irq %d\n", rx->irq);
	platform_set_drvdata(pdev, rx);
	krx_seen.last = rx;
	writel(USOFTIRQ_RXDEV_RX_IRQ, rx->regs + USOFTIRQ_RXDEV_IRQ_CTRL);
	dev_info(&pdev->dev, "irq %d\n", rx->irq);
	return 0;
}

static int krx_remove(struct platform_device *pdev)
{
	struct krx *rx = platform_get_drvdata(pdev);

	krx_seen.removes++;
	writel(0, rx->regs + USOFTIRQ_RXDEV_IRQ_CTRL);
	synchronize_irq(rx->irq);
	tasklet_kill(&rx->bh);
	return 0;
}

static struct platform_driver krx_driver = {
	.probe = krx_probe,
	.remove = krx_remove,
	.driver = {
		.name = DRV,
		.owner = THIS_MODULE,
	},
};

/* ------------------------------------------------------------------ */
/* Fixture: a stepped machine with the RX device on its bus            */
/* ------------------------------------------------------------------ */

#define LOG_MAX 8

static struct {
	unsigned int n;
	int level[LOG_MAX];
	char text[LOG_MAX][256];
} logged;

static void log_capture(int level, const char *text, void *arg)
{
	(void)arg;
	if (logged.n < LOG_MAX) {
		logged.level[logged.n] = level;
		snprintf(logged.text[logged.n], sizeof(logged.text[0]), "%s",
			 text);
	}
	logged.n++;
}

struct fixture {
	struct usoftirq_machine *m;
	struct usoftirq_rxdev *rxdev;
};

static int setup(void **state)
{
	static struct fixture f;
	struct usoftirq_rxdev_config cfg = {
		.fifo_depth = 16, .irq = IRQ, .phys = PHYS, .name = "rxdev"
	};

	f.m = test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS |
				      USOFTIRQ_MACHINE_NO_DEFAULT);
	assert_int_equal(usoftirq_thread_bind(f.m, 0), 0);
	assert_int_equal(usoftirq_rxdev_create(&f.rxdev, f.m, &cfg), 0);
	memset(&krx_seen, 0, sizeof(krx_seen));
	memset(&logged, 0, sizeof(logged));
	usoftirq_set_printk_handler(log_capture, NULL);
	capture_start();
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	capture_stop();
	usoftirq_set_printk_handler(NULL, NULL);
	usoftirq_rxdev_destroy(f->rxdev);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(f->m);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Binding, data, unbinding                                            */
/* ------------------------------------------------------------------ */

static void test_driver_binds_receives_and_releases(void **state)
{
	struct fixture *f = *state;
	struct resource res[] = {
		DEFINE_RES_MEM_NAMED(PHYS, USOFTIRQ_RXDEV_SIZE, "regs"),
		DEFINE_RES_IRQ(IRQ),
	};
	struct platform_device pdev = {
		.name = DRV,
		.id = 0,
		.num_resources = ARRAY_SIZE(res),
		.resource = res,
	};
	struct krx *rx;

	assert_int_equal(platform_driver_register(&krx_driver), 0);
	assert_int_equal(platform_device_register(&pdev), 0);
	assert_int_equal(krx_seen.probes, 1);
	assert_true(usoftirq_platform_device_bound(&pdev));
	rx = platform_get_drvdata(&pdev);
	assert_ptr_equal(rx, krx_seen.last);
	assert_ptr_equal(to_platform_device(&pdev.dev), &pdev);
	assert_string_equal(dev_name(&pdev.dev), "krx.0");
	assert_int_equal(krx_seen.mem_size, USOFTIRQ_RXDEV_SIZE);
	assert_true(krx_seen.byname_ok);
	assert_int_equal(krx_seen.irq_count, 1);
	assert_int_equal(krx_seen.missing_irq, -ENXIO);
	assert_int_equal(rx->irq, IRQ);
	assert_int_equal(kfifo_size(&rx->fifo), 64);
	/* dev_info() names the driver and the device, as the kernel's. */
	assert_int_equal(logged.n, 1);
	assert_int_equal(logged.level[0], 6);
	assert_string_equal(logged.text[0], "krx krx.0: irq 7\n");

	for (u32 w = 100; w < 105; w++)
		assert_int_equal(usoftirq_rxdev_push(f->rxdev, w), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(f->m, 0), 1);
	assert_int_equal(rx->irqs, 1);
	assert_int_equal(rx->ngot, 5);
	for (unsigned int i = 0; i < 5; i++)
		assert_int_equal(rx->got[i], 100 + i);
	assert_true(kfifo_is_empty(&rx->fifo));

	platform_device_unregister(&pdev);
	assert_int_equal(krx_seen.removes, 1);
	assert_false(usoftirq_platform_device_bound(&pdev));
	/* The devm IRQ went with the device: nothing answers the line. */
	assert_int_equal(usoftirq_rxdev_push(f->rxdev, 200), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(f->m, 0), 0);
	platform_driver_unregister(&krx_driver);
	assert_int_equal(captured_total(), 0);
}

/* A device whose memory resource answers nowhere: the probe fails with
 * the mapping's error, the device stays unbound and its devm memory is
 * released (ASan would see a leak otherwise). */
static void test_failed_probe_leaves_the_device_unbound(void **state)
{
	struct resource res[] = {
		DEFINE_RES_MEM(PHYS + 0x100000, 0x20),
		DEFINE_RES_IRQ(IRQ),
	};
	struct platform_device pdev = {
		.name = DRV,
		.id = PLATFORM_DEVID_NONE,
		.num_resources = ARRAY_SIZE(res),
		.resource = res,
	};

	(void)state;
	assert_int_equal(platform_device_register(&pdev), 0);
	assert_int_equal(platform_driver_register(&krx_driver), 0);
	assert_int_equal(krx_seen.probes, 1);
	assert_false(usoftirq_platform_device_bound(&pdev));
	assert_string_equal(dev_name(&pdev.dev), "krx");
	assert_true(captured(USOFTIRQ_REPORT_DEVICE) >= 1);
	platform_driver_unregister(&krx_driver);
	platform_device_unregister(&pdev);
	assert_int_equal(krx_seen.removes, 0);
}

/* ------------------------------------------------------------------ */
/* Register access                                                     */
/* ------------------------------------------------------------------ */

static uint64_t fifo_pop(struct usoftirq_mmio_device *dev,
			 const struct usoftirq_mmio_reg *reg)
{
	unsigned int *next = usoftirq_mmio_device_priv(dev);

	(void)reg;
	return (*next)++;
}

static const struct usoftirq_mmio_reg test_regs[] = {
	{ .name = "B", .offset = 0x00, .width = 1, .kind = USOFTIRQ_MMIO_PLAIN },
	{ .name = "W", .offset = 0x02, .width = 2, .kind = USOFTIRQ_MMIO_PLAIN },
	{ .name = "L", .offset = 0x04, .width = 4, .kind = USOFTIRQ_MMIO_PLAIN },
	{ .name = "Q", .offset = 0x08, .width = 8, .kind = USOFTIRQ_MMIO_PLAIN },
	{ .name = "ID",
	  .offset = 0x10,
	  .width = 4,
	  .kind = USOFTIRQ_MMIO_READ_ONLY,
	  .reset = 0x12345678 },
	{ .name = "FIFO",
	  .offset = 0x14,
	  .width = 4,
	  .kind = USOFTIRQ_MMIO_FIFO_POP,
	  .read = fifo_pop },
};

static void test_register_accessors(void **state)
{
	struct fixture *f = *state;
	struct usoftirq_mmio_device *mdev;
	unsigned int next = 40;
	void __iomem *base;
	u32 words[3];

	assert_int_equal(
		usoftirq_mmio_device_create(&mdev, "regs", 0x20, test_regs,
					    ARRAY_SIZE(test_regs), &next),
		0);
	assert_int_equal(usoftirq_mmio_attach(f->m, mdev, PHYS + 0x1000), 0);
	base = ioremap(PHYS + 0x1000, 0x20);
	assert_non_null(base);

	writeb(0xab, base + 0x00);
	writew(0xbeef, base + 0x02);
	writel(0xdeadbeef, base + 0x04);
	writeq(0x0123456789abcdefull, base + 0x08);
	assert_int_equal(readb(base + 0x00), 0xab);
	assert_int_equal(readw(base + 0x02), 0xbeef);
	assert_int_equal(readl(base + 0x04), 0xdeadbeef);
	assert_true(readq(base + 0x08) == 0x0123456789abcdefull);
	assert_int_equal(readl_relaxed(base + 0x10), 0x12345678);
	assert_int_equal(ioread32(base + 0x10), 0x12345678);
	assert_int_equal(ioread32be(base + 0x10), 0x78563412);
	iowrite16be(0x1122, base + 0x02);
	assert_int_equal(ioread16(base + 0x02), 0x2211);
	iowrite8(0x5a, base);
	assert_int_equal(ioread8(base), 0x5a);
	writel_relaxed(7, base + 0x04);
	assert_int_equal(__raw_readl(base + 0x04), 7);
	/* A FIFO register read three times into a buffer. */
	readsl(base + 0x14, words, 3);
	assert_int_equal(words[0], 40);
	assert_int_equal(words[2], 42);
	assert_int_equal(captured_total(), 0);

	/* Wrong width, read-only: reported, not performed, all ones read. */
	assert_int_equal(readw(base + 0x04), 0xffff);
	writel(1, base + 0x10);
	assert_int_equal(readl(base + 0x10), 0x12345678);
	assert_int_equal(captured(USOFTIRQ_REPORT_MMIO_BAD_ACCESS), 2);

	iounmap(base);
	usoftirq_mmio_device_destroy(mdev);
}

static void test_devm_ioremap_is_unmapped_with_the_device(void **state)
{
	struct fixture *f = *state;
	struct device dev;
	void __iomem *regs;

	usoftirq_device_init(&dev, f->m, "mapper");
	regs = devm_ioremap(&dev, PHYS, USOFTIRQ_RXDEV_SIZE);
	assert_non_null(regs);
	assert_int_equal(readl(regs + USOFTIRQ_RXDEV_RX_FIFO_COUNT), 0);
	assert_int_equal(usoftirq_devres_release_all(&dev), 1);

	regs = devm_ioremap(&dev, PHYS, USOFTIRQ_RXDEV_SIZE);
	assert_non_null(regs);
	devm_iounmap(&dev, regs);
	assert_int_equal(usoftirq_devres_release_all(&dev), 0);
	assert_int_equal(captured_total(), 0);
}

/* ------------------------------------------------------------------ */
/* The device log                                                      */
/* ------------------------------------------------------------------ */

static void test_dev_printk_levels_and_prefix(void **state)
{
	struct fixture *f = *state;
	struct device dev;

	usoftirq_device_init(&dev, f->m, "logger.3");
	dev_err(&dev, "err %d\n", 1);
	dev_warn(&dev, "warn\n");
	dev_notice(&dev, "notice\n");
	dev_info(&dev, "info\n");
	dev_dbg(&dev, "debug %d\n", 5); /* no DEBUG: compiled out */
	dev_printk(KERN_CRIT, &dev, "crit\n");
	for (int i = 0; i < 2; i++)
		dev_warn_once(&dev, "once\n");
	assert_int_equal(logged.n, 6);
	assert_int_equal(logged.level[0], 3);
	assert_string_equal(logged.text[0], " logger.3: err 1\n");
	assert_int_equal(logged.level[1], 4);
	assert_int_equal(logged.level[2], 5);
	assert_int_equal(logged.level[3], 6);
	assert_int_equal(logged.level[4], 2);
	assert_string_equal(logged.text[5], " logger.3: once\n");

	assert_int_equal(dev_err_probe(&dev, -EINVAL, "bad %s\n", "thing"),
			 -EINVAL);
	assert_int_equal(logged.n, 7);
	assert_string_equal(logged.text[6],
			    " logger.3: error -EINVAL: bad thing\n");
	assert_int_equal(dev_err_probe(&dev, -EPROBE_DEFER, "later\n"),
			 -EPROBE_DEFER);
	assert_int_equal(logged.n, 7); /* a debug message, not shown */
}

/* ------------------------------------------------------------------ */
/* Allocations                                                         */
/* ------------------------------------------------------------------ */

static void *tasklet_got[2];

static void kmalloc_in_tasklet(struct tasklet_struct *t)
{
	(void)t;
	tasklet_got[0] = kmalloc(16, GFP_ATOMIC);
	tasklet_got[1] = kmalloc(16, GFP_KERNEL); /* reported: may sleep */
}

static void test_slab_allocators(void **state)
{
	struct fixture *f = *state;
	struct tasklet_struct t;
	unsigned long before;
	struct device dev;
	unsigned char *z;
	char *s;

	z = kzalloc(64, GFP_KERNEL);
	assert_non_null(z);
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	kfree(z);
	assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	assert_null(kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL));
	z = kcalloc(8, 8, GFP_KERNEL);
	assert_non_null(z);
	assert_int_equal(z[63], 0);
	kfree(z);
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_true(ZERO_OR_NULL_PTR(ZERO_SIZE_PTR));
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	s = kstrdup("kernel", GFP_KERNEL);
	assert_string_equal(s, "kernel");
	kfree(s);
	z = kmemdup("abc", 4, GFP_ATOMIC);
	assert_string_equal((char *)z, "abc");
	kfree(z);

	usoftirq_device_init(&dev, f->m, "alloc");
	z = devm_kzalloc(&dev, 32, GFP_KERNEL);
	assert_non_null(z);
	assert_int_equal(z[31], 0);
	assert_null(devm_kcalloc(&dev, SIZE_MAX / 2, 4, GFP_KERNEL));
	s = devm_kstrdup(&dev, "dev", GFP_KERNEL);
	assert_string_equal(s, "dev");
	devm_kfree(&dev, s);
	assert_non_null(devm_kmalloc_array(&dev, 4, 4, GFP_KERNEL));
	assert_int_equal(usoftirq_devres_release_all(&dev), 2);

	/* The context rule: GFP_KERNEL in a tasklet is reported. */
	before = usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	tasklet_setup(&t, kmalloc_in_tasklet);
	tasklet_schedule(&t);
	(void)usoftirq_cpu_run_softirqs(f->m, 0);
	assert_non_null(tasklet_got[0]);
	assert_non_null(tasklet_got[1]);
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC) - before,
		1);
	kfree(tasklet_got[0]);
	kfree(tasklet_got[1]);
	assert_false(gfpflags_allow_blocking(GFP_ATOMIC));
	assert_true(gfpflags_allow_blocking(GFP_KERNEL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_driver_binds_receives_and_releases, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_failed_probe_leaves_the_device_unbound, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_register_accessors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_devm_ioremap_is_unmapped_with_the_device, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_dev_printk_levels_and_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slab_allocators, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
