/* SPDX-License-Identifier: MIT */
/*
 * The smallest complete usoftirq program, prefixed spelling: a tasklet
 * embedded in an object, scheduled from task context, killed, counted.
 */
#include <stdio.h>

#include <usoftirq.h>

struct counter {
	struct usoftirq_tasklet tasklet;
	int runs;
};

static void count(struct usoftirq_tasklet *t)
{
	struct counter *c =
		(struct counter *)((char *)t -
				   offsetof(struct counter, tasklet));

	c->runs++; /* softirq context on ksoftirqd/N: must not sleep */
}

int main(void)
{
	struct usoftirq_machine *m;
	struct counter c = { .runs = 0 };

	if (usoftirq_machine_create(&m, NULL) != 0)
		return 1;
	usoftirq_tasklet_setup(&c.tasklet, count);
	usoftirq_tasklet_schedule(&c.tasklet);
	usoftirq_tasklet_schedule(&c.tasklet); /* coalesces if not yet run */
	usoftirq_tasklet_kill(&c.tasklet); /* waits for the pending run */
	printf("the tasklet ran %d time(s)\n", c.runs);
	usoftirq_machine_destroy(m);
	return c.runs >= 1 ? 0 : 1;
}
