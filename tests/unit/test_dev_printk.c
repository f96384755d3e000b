/* SPDX-License-Identifier: MIT */
/*
 * dev_printk() and dev_err_probe(): the kernel's "<driver> <device>: "
 * prefix, which names the driver while one is bound or probing, the bus
 * ("platform") otherwise, nothing for a device on no bus, and
 * "(NULL device *)" for no device; the levels; dev_err_probe()'s
 * "error -EXXX: " text, its silence for -ENOMEM and its debug level for
 * -EPROBE_DEFER; and a message from a hardirq handler.
 */
#include "test_util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define MAX_MSGS 16
#define LINE 9

struct msg {
	int level;
	char text[256];
};

static struct msg msgs[MAX_MSGS];
static _Atomic unsigned int nmsgs;

/* Async-signal-safe: one slot per message, no allocation. */
static void keep_msg(int level, const char *text, void *arg)
{
	unsigned int i = atomic_fetch_add(&nmsgs, 1);

	(void)arg;
	if (i >= MAX_MSGS)
		return;
	msgs[i].level = level;
	strncpy(msgs[i].text, text, sizeof(msgs[i].text) - 1);
}

static void assert_msg(unsigned int i, int level, const char *text)
{
	assert_true(i < atomic_load(&nmsgs));
	assert_string_equal(msgs[i].text, text);
	assert_int_equal(msgs[i].level, level);
}

static int setup(void **state)
{
	*state = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	memset(msgs, 0, sizeof(msgs));
	atomic_store(&nmsgs, 0);
	usoftirq_set_printk_handler(keep_msg, NULL);
	return 0;
}

static int teardown(void **state)
{
	usoftirq_set_printk_handler(NULL, NULL);
	usoftirq_set_console_loglevel(7);
	return teardown_machine(state);
}

static int say_probe(struct usoftirq_platform_device *pdev)
{
	usoftirq_dev_printk(USOFTIRQ_KERN_INFO, &pdev->dev, "probing %s",
			    pdev->name);
	return 0;
}

static void say_remove(struct usoftirq_platform_device *pdev)
{
	usoftirq_dev_printk(USOFTIRQ_KERN_NOTICE, &pdev->dev, "removing\n");
}

static struct usoftirq_platform_driver saydrv = {
	.probe = say_probe,
	.remove_new = say_remove,
	.driver.name = "saydrv",
};

/* The prefix names the bus while unbound, the driver from the start of
 * probe to the end of remove, then the bus again. */
static void test_prefix_follows_binding(void **state)
{
	struct usoftirq_platform_device pdev = { .name = "saydrv", .id = 2 };
	struct usoftirq_device *dev = &pdev.dev;

	assert_int_equal(usoftirq_platform_device_register(*state, &pdev), 0);
	usoftirq_dev_printk(USOFTIRQ_KERN_ERR, dev, "hello %d", 42);
	assert_int_equal(usoftirq_platform_driver_register(&saydrv), 0);
	usoftirq_dev_printk(USOFTIRQ_KERN_WARNING, dev, "bound");
	usoftirq_platform_driver_unregister(&saydrv);
	usoftirq_dev_printk(USOFTIRQ_KERN_ERR, dev, "%s again", "unbound");
	usoftirq_platform_device_unregister(&pdev);

	assert_int_equal(atomic_load(&nmsgs), 5);
	assert_msg(0, 3, "platform saydrv.2: hello 42\n");
	assert_msg(1, 6, "saydrv saydrv.2: probing saydrv\n");
	assert_msg(2, 4, "saydrv saydrv.2: bound\n");
	assert_msg(3, 5, "saydrv saydrv.2: removing\n");
	assert_msg(4, 3, "platform saydrv.2: unbound again\n");
}

/* A device on no bus has an empty driver string (the kernel's
 * dev_driver_string()), hence the leading space; no device at all gets
 * the kernel's "(NULL device *)". Levels as printk's. */
static void test_plain_and_null_device(void **state)
{
	struct usoftirq_device dev;

	usoftirq_device_init(&dev, *state, "plain");
	usoftirq_dev_printk(USOFTIRQ_KERN_ERR, &dev, "x=%x", 0xbeef);
	usoftirq_dev_printk(USOFTIRQ_KERN_CRIT, NULL, "no device");
	usoftirq_dev_printk(USOFTIRQ_KERN_DEFAULT, &dev, "default");
	usoftirq_dev_printk(USOFTIRQ_KERN_DEBUG, &dev, "hidden");
	usoftirq_set_console_loglevel(8);
	usoftirq_dev_printk(USOFTIRQ_KERN_DEBUG, &dev, "shown");

	assert_int_equal(atomic_load(&nmsgs), 4);
	assert_msg(0, 3, " plain: x=beef\n");
	assert_msg(1, 2, "(NULL device *): no device\n");
	assert_msg(2, USOFTIRQ_LOGLEVEL_DEFAULT, " plain: default\n");
	assert_msg(3, 7, " plain: shown\n");
}

static void test_dev_err_probe(void **state)
{
	struct usoftirq_platform_device pdev = { .name = "probe", .id = 0 };
	struct usoftirq_device *dev = &pdev.dev;

	assert_int_equal(usoftirq_platform_device_register(*state, &pdev), 0);
	assert_int_equal(usoftirq_dev_err_probe(dev, -EINVAL, "bad %s", "clk"),
			 -EINVAL);
	assert_int_equal(usoftirq_dev_err_probe(dev, -ENOMEM, "no memory"),
			 -ENOMEM);
	assert_int_equal(usoftirq_dev_err_probe(dev, -USOFTIRQ_EPROBE_DEFER,
						"later"),
			 -USOFTIRQ_EPROBE_DEFER);
	assert_int_equal(usoftirq_dev_err_probe(dev, -EEXIST, "twice\n"),
			 -EEXIST);
	assert_int_equal(usoftirq_dev_err_probe(dev, -1234, "odd"), -1234);
	usoftirq_set_console_loglevel(8);
	(void)usoftirq_dev_err_probe(dev, -USOFTIRQ_EPROBE_DEFER, "later");
	usoftirq_platform_device_unregister(&pdev);

	assert_int_equal(atomic_load(&nmsgs), 4);
	assert_msg(0, 3, "platform probe.0: error -EINVAL: bad clk\n");
	assert_msg(1, 3, "platform probe.0: error -EEXIST: twice\n");
	assert_msg(2, 3, "platform probe.0: error -1234: odd\n");
	assert_msg(3, 7, "platform probe.0: error -EPROBE_DEFER: later\n");
}

struct irq_say {
	struct usoftirq_device *dev;
	_Atomic bool in_hardirq;
};

static usoftirq_irqreturn_t say_irq(int irq, void *dev_id)
{
	struct irq_say *s = dev_id;

	atomic_store(&s->in_hardirq, usoftirq_in_hardirq());
	usoftirq_dev_printk(USOFTIRQ_KERN_ERR, s->dev, "irq %d status %#x", irq,
			    0x80u);
	return USOFTIRQ_IRQ_HANDLED;
}

/* dev_err() in a hardirq handler (run inside the vCPU's interrupt
 * delivery) prints the same line. */
static void test_dev_printk_from_hardirq(void **state)
{
	struct usoftirq_machine *m = *state;
	struct usoftirq_platform_device pdev = { .name = "saydrv", .id = 0 };
	struct irq_say s = { .dev = &pdev.dev };

	assert_int_equal(usoftirq_platform_driver_register(&saydrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &pdev), 0);
	assert_int_equal(usoftirq_devm_request_irq(&pdev.dev, LINE, say_irq, 0,
						   NULL, &s),
			 0);
	assert_int_equal(usoftirq_irq_pulse(m, LINE), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_true(atomic_load(&s.in_hardirq));
	usoftirq_platform_device_unregister(&pdev);
	usoftirq_platform_driver_unregister(&saydrv);

	assert_int_equal(atomic_load(&nmsgs), 3);
	assert_msg(1, 3, "saydrv saydrv.0: irq 9 status 0x80\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_prefix_follows_binding),
		T(test_plain_and_null_device),
		T(test_dev_err_probe),
		T(test_dev_printk_from_hardirq),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
