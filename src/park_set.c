/* SPDX-License-Identifier: MIT */
/*
 * The set of tasklets parked on one vCPU (deviation D1, src/tasklet.c).
 *
 * Membership is kept here, outside the tasklets, on purpose. A tasklet's
 * own memory cannot say whether it is parked: tasklet_init() must accept
 * uninitialised memory, so nothing in the tasklet can be trusted until it
 * is scheduled, and a tasklet re-initialised while parked (a driver bug)
 * would leave any in-tasklet link stale. With the set, membership is a
 * fact of the vCPU: a stale entry stays harmless, and is cleaned when the
 * tasklet next passes through the vCPU or reported at teardown.
 *
 * Open addressing with linear probing and backward-shift deletion, over a
 * power-of-two table; only the vCPU's owner (the BH lock holder) touches
 * it. The table starts with PARK_SET_MIN slots at machine creation and
 * doubles past half full: parking is the rare slow path of the run loop
 * (a disabled tasklet scheduled, or a tasklet scheduled while it runs
 * elsewhere), so growing there never touches the common path.
 */
#include <stdint.h>
#include <stdlib.h>

#include "park_set.h"
#include "report.h"

#define PARK_SET_MIN 64

static size_t slot_of(const struct usoftirq__park_set *s, const void *t)
{
	/* Fibonacci hashing of the address; tasklets are 8-aligned. */
	return (size_t)(((uintptr_t)t >> 3) * 0x9e3779b97f4a7c15ull) &
	       (s->cap - 1);
}

int usoftirq__park_set_init(struct usoftirq__park_set *s)
{
	s->slots = calloc(PARK_SET_MIN, sizeof(*s->slots));
	s->cap = s->slots ? PARK_SET_MIN : 0;
	s->count = 0;
	return s->slots ? 0 : -1;
}

void usoftirq__park_set_free(struct usoftirq__park_set *s)
{
	free(s->slots);
	s->slots = NULL;
	s->cap = s->count = 0;
}

static void insert_slot(struct usoftirq__park_set *s,
			struct usoftirq_tasklet *t)
{
	size_t i = slot_of(s, t);

	while (s->slots[i]) {
		if (s->slots[i] == t)
			return;
		i = (i + 1) & (s->cap - 1);
	}
	s->slots[i] = t;
	s->count++;
}

static void grow(struct usoftirq__park_set *s)
{
	struct usoftirq_tasklet **old = s->slots;
	size_t old_cap = s->cap;

	s->slots = calloc(old_cap * 2, sizeof(*s->slots));
	if (!s->slots)
		usoftirq__fatal(__FILE__, __LINE__,
				"out of memory for %zu parked tasklets",
				s->count);
	s->cap = old_cap * 2;
	s->count = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			insert_slot(s, old[i]);
	free(old);
}

void usoftirq__park_set_add(struct usoftirq__park_set *s,
			    struct usoftirq_tasklet *t)
{
	if (2 * (s->count + 1) > s->cap)
		grow(s);
	insert_slot(s, t);
}

void usoftirq__park_set_remove(struct usoftirq__park_set *s,
			       const struct usoftirq_tasklet *t)
{
	size_t i = slot_of(s, t), j;

	while (s->slots[i] != t) {
		if (!s->slots[i])
			return;
		i = (i + 1) & (s->cap - 1);
	}
	/* Backward shift: pull later entries of the run into the hole. */
	for (j = (i + 1) & (s->cap - 1); s->slots[j];
	     j = (j + 1) & (s->cap - 1)) {
		size_t home = slot_of(s, s->slots[j]);

		/* Move entry j to the hole i unless its home lies in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			s->slots[i] = s->slots[j];
			i = j;
		}
	}
	s->slots[i] = NULL;
	s->count--;
}

struct usoftirq_tasklet *usoftirq__park_set_pop(struct usoftirq__park_set *s)
{
	for (size_t i = 0; i < s->cap; i++) {
		struct usoftirq_tasklet *t = s->slots[i];

		if (t) {
			usoftirq__park_set_remove(s, t);
			return t;
		}
	}
	return NULL;
}
