/* SPDX-License-Identifier: MIT */
/* The per-vCPU set of parked tasklets; see src/park_set.c. */
#ifndef USOFTIRQ_PARK_SET_H
#define USOFTIRQ_PARK_SET_H

#include <stddef.h>

#include <usoftirq/tasklet.h>

struct usoftirq__park_set {
	struct usoftirq_tasklet **slots;
	size_t cap; /* a power of two */
	size_t count; /* entries in use; 0 lets the run path skip the set */
};

int usoftirq__park_set_init(struct usoftirq__park_set *s);
void usoftirq__park_set_free(struct usoftirq__park_set *s);
void usoftirq__park_set_add(struct usoftirq__park_set *s,
			    struct usoftirq_tasklet *t);
void usoftirq__park_set_remove(struct usoftirq__park_set *s,
			       const struct usoftirq_tasklet *t);
struct usoftirq_tasklet *usoftirq__park_set_pop(struct usoftirq__park_set *s);

#endif /* USOFTIRQ_PARK_SET_H */
