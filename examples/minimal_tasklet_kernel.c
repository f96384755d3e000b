/* SPDX-License-Identifier: MIT */
/*
 * The README's minimal tasklet in the kernel's spelling: driver code as it
 * is written for the kernel, with only the machine calls from usoftirq.
 * Exit status 0 when the tasklet ran exactly once.
 */
#include <linux/interrupt.h>
#include <usoftirq.h>

struct my_device {
	struct tasklet_struct tasklet;
	int runs;
};

static void my_tasklet_func(struct tasklet_struct *t)
{
	struct my_device *dev = from_tasklet(dev, t, tasklet);

	dev->runs++;
}

int main(void)
{
	struct usoftirq_machine *m;
	struct my_device dev = { .runs = 0 };

	if (usoftirq_machine_create(&m, NULL) != 0)
		return 2;
	tasklet_setup(&dev.tasklet, my_tasklet_func);
	tasklet_schedule(&dev.tasklet);
	tasklet_kill(&dev.tasklet);
	usoftirq_machine_destroy(m);
	return dev.runs == 1 ? 0 : 1;
}
