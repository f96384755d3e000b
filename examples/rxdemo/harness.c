/* SPDX-License-Identifier: MIT */
/*
 * rxdemo_main(): everything around an example driver.
 *
 *   machine -> RX FIFO device on its bus, interrupt line RXDEMO_IRQ
 *           -> platform device "rxdev" (MEM + IRQ resources)
 *           -> the example's platform driver (probe maps the registers,
 *              requests the IRQ, sets up its bottom half)
 *   generator thread -> usoftirq_rxdev_push() (the hardware receiving)
 *   reader thread    -> blocks in the driver's wait queue, drains words
 *
 * At the end the generator stops, the driver drains what is left, and the
 * books must balance: every generated word was delivered to
 * process_rx_data(), dropped by the driver (its ring was full), or lost to
 * a hardware FIFO overrun, with the sequence strictly increasing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <usoftirq.h>

#include "harness.h"

#define RXDEMO_IRQ 5
#define RXDEMO_PHYS 0x10000000ull
/* How long the driver gets to drain after the generator stops. */
#define DRAIN_TIMEOUT_NS (10ull * 1000000000ull)

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int push_word(void *arg, uint32_t word)
{
	return usoftirq_rxdev_push(arg, word);
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "rxdemo: %s failed: %s\n", what, strerror(-err));
	return 1;
}

/* ------------------------------------------------------------------ */
/* Set-up and tear-down                                                */
/* ------------------------------------------------------------------ */

static int build_machine_and_device(struct rxdemo_run *r)
{
	struct usoftirq_machine_config mc = { .ncpus = r->opt.ncpus };
	struct usoftirq_rxdev_config dc = {
		.fifo_depth = r->opt.fifo_depth,
		.irq = RXDEMO_IRQ,
		.phys = RXDEMO_PHYS,
		.name = RXDEMO_DEVICE_NAME,
	};
	int err = usoftirq_machine_create(&r->m, &mc);

	if (err)
		return fail("usoftirq_machine_create", err);
	if (r->opt.irq_cpu >= usoftirq_machine_ncpus(r->m)) {
		fprintf(stderr, "rxdemo: --irq-cpu=%u but only %u vCPUs\n",
			r->opt.irq_cpu, usoftirq_machine_ncpus(r->m));
		return 1;
	}
	err = usoftirq_rxdev_create(&r->dev, r->m, &dc);
	if (err)
		return fail("usoftirq_rxdev_create", err);
	err = usoftirq_irq_set_affinity(r->m, RXDEMO_IRQ, r->opt.irq_cpu);
	return err ? fail("usoftirq_irq_set_affinity", err) : 0;
}

static int register_driver_and_device(struct rxdemo_run *r)
{
	int err;

	r->res[0] = (struct usoftirq_resource){
		.start = RXDEMO_PHYS,
		.end = RXDEMO_PHYS + USOFTIRQ_RXDEV_SIZE - 1,
		.flags = USOFTIRQ_IORESOURCE_MEM,
	};
	r->res[1] = (struct usoftirq_resource){
		.start = RXDEMO_IRQ,
		.end = RXDEMO_IRQ,
		.flags = USOFTIRQ_IORESOURCE_IRQ,
	};
	r->pdev = (struct usoftirq_platform_device){
		.name = RXDEMO_DEVICE_NAME,
		.id = USOFTIRQ_PLATFORM_DEVID_NONE,
		.num_resources = 2,
		.resource = r->res,
	};
	err = usoftirq_platform_driver_register(r->drv->pdrv);
	if (err)
		return fail("platform_driver_register", err);
	r->driver_registered = true;
	err = usoftirq_platform_device_register(r->m, &r->pdev);
	if (err)
		return fail("platform_device_register", err);
	r->device_registered = true;
	if (!usoftirq_platform_device_bound(&r->pdev)) {
		fprintf(stderr, "rxdemo: the driver did not bind (probe "
				"failed, see above)\n");
		return 1;
	}
	return 0;
}

static char *format_table(int (*fmt)(struct usoftirq_machine *, char *, size_t),
			  struct usoftirq_machine *m)
{
	int len = fmt(m, NULL, 0);
	char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;

	if (buf)
		fmt(m, buf, (size_t)len + 1);
	return buf;
}

static int softirqs_table(struct usoftirq_machine *m, char *buf, size_t size)
{
	return usoftirq_softirqs_format(m, buf, size);
}

/* Read everything the summary needs while the driver is still bound (its
 * action name is still in /proc/interrupts). */
static void collect(struct rxdemo_run *r)
{
	usoftirq_rxdev_get_stats(r->dev, &r->dst);
	r->drv->get_stats(&r->pdev, &r->drv_st);
	usoftirq_irq_get_stats(r->m, RXDEMO_IRQ, &r->irq_st);
	rxdemo_books_get(&r->books);
	r->softirqs = format_table(softirqs_table, r->m);
	r->interrupts = format_table(usoftirq_interrupts_format, r->m);
}

static void tear_down(struct rxdemo_run *r)
{
	if (r->device_registered)
		usoftirq_platform_device_unregister(&r->pdev);
	if (r->driver_registered)
		usoftirq_platform_driver_unregister(r->drv->pdrv);
	if (r->dev)
		usoftirq_rxdev_destroy(r->dev);
	if (r->m)
		usoftirq_machine_destroy(r->m);
	free(r->softirqs);
	free(r->interrupts);
}

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

static unsigned long accounted(struct rxdemo_run *r)
{
	struct rxdemo_driver_stats ds;
	struct usoftirq_rxdev_stats dst;

	r->drv->get_stats(&r->pdev, &ds);
	usoftirq_rxdev_get_stats(r->dev, &dst);
	return rxdemo_books_delivered() + ds.dropped + dst.overruns;
}

static void progress(struct rxdemo_run *r, uint64_t start_ns)
{
	struct usoftirq_generator_stats g;
	struct rxdemo_driver_stats ds;
	struct usoftirq_rxdev_stats dst;

	usoftirq_generator_get_stats(r->gen, &g);
	r->drv->get_stats(&r->pdev, &ds);
	usoftirq_rxdev_get_stats(r->dev, &dst);
	fprintf(stderr,
		"\r[%5.1f s] generated %9lu  delivered %9lu  dropped %7lu  "
		"overruns %7lu  irqs %7lu",
		(double)(rxdemo_now_ns() - start_ns) / 1e9, g.generated,
		rxdemo_books_delivered(), ds.dropped, dst.overruns, ds.irqs);
}

static int generate(struct rxdemo_run *r)
{
	struct usoftirq_generator_config gc = {
		.rate = r->opt.rate,
		.burst = r->opt.burst,
		.duration_ns = (uint64_t)(r->opt.duration_s * 1e9),
		.jitter = r->opt.jitter,
		.seed = r->opt.seed,
	};
	uint64_t start = rxdemo_now_ns();
	int err = usoftirq_generator_start(&r->gen, &gc, push_word, r->dev);

	if (err)
		return fail("usoftirq_generator_start", err);
	while (usoftirq_generator_running(r->gen)) {
		if (r->opt.progress)
			progress(r, start);
		sleep_ms(250);
	}
	usoftirq_generator_wait(r->gen);
	if (r->opt.progress) {
		progress(r, start);
		fputc('\n', stderr);
	}
	usoftirq_generator_get_stats(r->gen, &r->gst);
	usoftirq_generator_stop(r->gen);
	r->gen = NULL;
	r->elapsed_s = (double)(rxdemo_now_ns() - start) / 1e9;
	return 0;
}

/* After the generator stopped, wait until every word is accounted for. */
static void drain(struct rxdemo_run *r)
{
	uint64_t deadline = rxdemo_now_ns() + DRAIN_TIMEOUT_NS;

	while (accounted(r) < r->gst.generated && rxdemo_now_ns() < deadline)
		sleep_ms(1);
	r->drained = accounted(r) == r->gst.generated;
}

int rxdemo_main(int argc, char **argv, const struct rxdemo_driver *drv)
{
	struct rxdemo_run *r = calloc(1, sizeof(*r));
	int status;

	if (!r)
		return fail("calloc", -ENOMEM);
	status = rxdemo_parse_options(argc, argv, drv->title, &r->opt);
	if (status >= 0)
		goto out;
	r->drv = drv;
	status = rxdemo_books_init();
	if (status) {
		status = fail("rxdemo_books_init", status);
		goto out;
	}
	status = build_machine_and_device(r);
	if (!status)
		status = register_driver_and_device(r);
	if (!status && (status = rxdemo_reader_start(drv, &r->pdev)) != 0)
		status = fail("starting the reader", status);
	if (status)
		goto out_tear_down;
	printf("%s\n", drv->title);
	status = generate(r);
	drain(r);
	rxdemo_reader_stop();
	collect(r);
	if (!status)
		status = rxdemo_report(r) ? 0 : 1;
out_tear_down:
	tear_down(r);
	rxdemo_books_free();
out:
	free(r);
	return status;
}
