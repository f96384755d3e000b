/* SPDX-License-Identifier: MIT */
/* Package consumer: one tasklet run through the kernel spelling. */
#include <linux/interrupt.h>
#include <usoftirq.h>

struct my_dev {
	struct tasklet_struct bh;
	int runs;
};

static void my_bh(struct tasklet_struct *t)
{
	struct my_dev *d = from_tasklet(d, t, bh);

	d->runs++;
}

int main(void)
{
	struct usoftirq_machine *m;
	struct my_dev d = { .runs = 0 };

	if (usoftirq_machine_create(&m, NULL))
		return 2;
	tasklet_setup(&d.bh, my_bh);
	tasklet_schedule(&d.bh);
	tasklet_kill(&d.bh);
	usoftirq_machine_destroy(m);
	return d.runs == 1 ? 0 : 1;
}
