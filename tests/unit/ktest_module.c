/* SPDX-License-Identifier: MIT */
/*
 * Module boilerplate in the kernel spelling: module_platform_driver()
 * registers the driver before main() runs (a constructor, as a built-in
 * driver registers at boot) and unregisters it at exit (a destructor,
 * which calls remove() for a device still bound); the driver's id_table
 * matching; the MODULE_*() tags, module_param(), EXPORT_SYMBOL() and
 * THIS_MODULE compile at file scope as in a driver.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/printk.h>

#include "test_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int kmod_probes;
static int kmod_removes;
static unsigned long kmod_driver_data;

static int kmod_probe(struct platform_device *pdev)
{
	kmod_probes++;
	kmod_driver_data = platform_get_device_id(pdev)->driver_data;
	return 0;
}

static void kmod_remove(struct platform_device *pdev)
{
	kmod_removes++;
	pr_info("kmod: remove %s\n", dev_name(&pdev->dev));
}

static const struct platform_device_id kmod_ids[] = {
	{ .name = "kmod-a", .driver_data = 1 },
	{ .name = "kmod-b", .driver_data = 2 },
	{},
};
MODULE_DEVICE_TABLE(platform, kmod_ids);

static struct platform_driver kmod_driver = {
	.probe = kmod_probe,
	.remove_new = kmod_remove,
	.id_table = kmod_ids,
	.driver = {
		.name = "kmod",
		.owner = THIS_MODULE,
	},
};
module_platform_driver(kmod_driver);

static int debug = 3;
module_param(debug, int, 0644);
MODULE_PARM_DESC(debug, "debug level");

int kmod_exported(void);
int kmod_exported(void)
{
	return debug;
}
EXPORT_SYMBOL_GPL(kmod_exported);

MODULE_LICENSE("Dual MIT/GPL");
MODULE_AUTHOR("usoftirq tests");
MODULE_DESCRIPTION("module_platform_driver() in user space");
MODULE_VERSION("1.0");
MODULE_ALIAS("platform:kmod");

static struct usoftirq_machine *machine(void)
{
	struct usoftirq_machine *m = test_machine(
		1, USOFTIRQ_MACHINE_NO_WORKERS | USOFTIRQ_MACHINE_NO_DEFAULT);

	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	return m;
}

/* The driver was registered before main(): a device binds at once. */
static void test_driver_is_registered_at_startup(void **state)
{
	struct usoftirq_machine *m = machine();
	struct platform_device pdev = { .name = "kmod-b", .id = 1 };

	(void)state;
	assert_int_equal(kmod_exported(), 3);
	assert_int_equal(platform_device_register(&pdev), 0);
	assert_true(usoftirq_platform_device_bound(&pdev));
	assert_int_equal(kmod_probes, 1);
	assert_int_equal(kmod_driver_data, 2); /* the "kmod-b" entry */
	platform_device_unregister(&pdev);
	assert_int_equal(kmod_removes, 1);
	/* A second registration of the same driver is refused. */
	capture_start();
	assert_int_equal(kmod_driver_init(), -EBUSY);
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 1);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* In a child: bind a device and exit with it bound; module_exit() runs
 * at exit and unbinds it. */
static void exit_with_a_bound_device(void *arg)
{
	static struct platform_device pdev = { .name = "kmod-a", .id = 7 };

	(void)arg;
	(void)machine();
	if (platform_device_register(&pdev) || kmod_probes != 1)
		_exit(3);
	exit(0);
}

static void test_driver_is_unregistered_at_exit(void **state)
{
	char out[512];
	int status;

	(void)state;
	kmod_probes = 0;
	status = run_in_child(exit_with_a_bound_device, NULL, out, sizeof(out));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(out, "kmod: remove kmod-a.7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_is_registered_at_startup),
		cmocka_unit_test(test_driver_is_unregistered_at_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
