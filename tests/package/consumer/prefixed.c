/* SPDX-License-Identifier: MIT */
/* Package consumer: one tasklet run through the prefixed API. */
#include <stddef.h>

#include <usoftirq.h>

static int runs;

static void count(struct usoftirq_tasklet *t)
{
	(void)t;
	runs++;
}

int main(void)
{
	struct usoftirq_machine *m;
	struct usoftirq_tasklet t;

	if (usoftirq_machine_create(&m, NULL))
		return 2;
	usoftirq_tasklet_setup(&t, count);
	usoftirq_tasklet_schedule(&t);
	usoftirq_tasklet_kill(&t);
	usoftirq_machine_destroy(m);
	return runs == 1 ? 0 : 1;
}
