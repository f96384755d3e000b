/* SPDX-License-Identifier: MIT */
/*
 * The seed's Complete Example as a driver. The example is extracted from
 * the seed document at build time (extract_seed.cmake) and included here
 * unmodified, after seed_prelude.h, which supplies what it uses without
 * defining. What follows it is what a driver file has beyond the example:
 * the struct platform_driver that names probe() and remove(), and, for
 * the harness, accessors to the wait queue of struct my_device, which only
 * this file can see.
 *
 * Kernel spelling only: this file is built against the kcompat headers.
 */
#include "seed_prelude.h"

#include "seed_complete_example.c"

#include "seed_harness.h"

static struct platform_driver seed_platform_driver = {
	.probe = my_probe,
	.remove = my_remove,
	.driver = {
		.name = SEED_DEVICE_NAME,
		.owner = THIS_MODULE,
	},
};

struct platform_driver *seed_driver(void)
{
	return &seed_platform_driver;
}

int seed_driver_wait(struct platform_device *pdev, bool (*cond)(void *arg),
		     void *arg)
{
	struct my_device *dev = platform_get_drvdata(pdev);

	return wait_event_interruptible(dev->rx_wait, cond(arg));
}

void seed_driver_wake(struct platform_device *pdev)
{
	struct my_device *dev = platform_get_drvdata(pdev);

	wake_up_interruptible(&dev->rx_wait);
}
