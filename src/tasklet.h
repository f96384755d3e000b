/* SPDX-License-Identifier: MIT */
/*
 * Tasklet internals shared by src/tasklet.c (scheduling and execution),
 * src/tasklet_wait.c (disable, kill, waits) and src/machine.c (teardown).
 *
 * The state word (struct usoftirq_tasklet.state) is documented in full at
 * the top of src/tasklet.c. Only its low 32 bits are used, so that a futex
 * can wait on them.
 */
#ifndef USOFTIRQ_TASKLET_INTERNAL_H
#define USOFTIRQ_TASKLET_INTERNAL_H

#include "thread.h"

#define USOFTIRQ__T_SCHED (1ul << USOFTIRQ_TASKLET_STATE_SCHED)
#define USOFTIRQ__T_RUN (1ul << USOFTIRQ_TASKLET_STATE_RUN)
#define USOFTIRQ__T_WAITERS (1ul << 2)
#define USOFTIRQ__T_PARKED (1ul << 3)
#define USOFTIRQ__T_LISTED (1ul << 4)

/** usoftirq__tstate() - load the state word with @order. */
static inline unsigned long usoftirq__tstate(const struct usoftirq_tasklet *t,
					     int order)
{
	return __atomic_load_n(&t->state, order);
}

/** usoftirq__tcount() - load the disable count (sequentially consistent). */
static inline int usoftirq__tcount(const struct usoftirq_tasklet *t)
{
	return __atomic_load_n(&t->count.counter, __ATOMIC_SEQ_CST);
}

/** usoftirq__tasklet_fn() - the function a tasklet calls, for reports. */
static inline void *usoftirq__tasklet_fn(const struct usoftirq_tasklet *t)
{
	return t->use_callback ? (void *)t->callback : (void *)t->func;
}

/**
 * usoftirq__tasklet_futex_word() - the 32-bit half of the state word that
 * holds every bit, for FUTEX_WAIT and FUTEX_WAKE.
 */
static inline void *usoftirq__tasklet_futex_word(struct usoftirq_tasklet *t)
{
	return (char *)&t->state +
	       (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ?
			sizeof(t->state) - sizeof(uint32_t) :
			0);
}

_Static_assert(USOFTIRQ__T_LISTED < (1ul << 31),
	       "state bits must fit in the futex word");

/* src/tasklet.c */
void usoftirq__tasklet_enqueue(struct usoftirq__thread *th,
			       struct usoftirq__cpu *cpu, unsigned int queue,
			       struct usoftirq_tasklet *t);
void usoftirq__tasklet_action(struct usoftirq__thread *th,
			      struct usoftirq__cpu *cpu, unsigned int queue);
unsigned long usoftirq__tasklet_clear(struct usoftirq__thread *th,
				      struct usoftirq_tasklet *t,
				      unsigned long bits, int order);
void usoftirq__tasklet_unpark(struct usoftirq__thread *th,
			      struct usoftirq_tasklet *t);
unsigned int usoftirq__tasklets_drop_cpu(struct usoftirq__cpu *cpu);
void usoftirq__tasklets_sweep_parked(struct usoftirq__cpu *cpu);

/* src/tasklet_wait.c */
void usoftirq__tasklet_wait_clear(struct usoftirq_tasklet *t,
				  unsigned long bits);

#endif /* USOFTIRQ_TASKLET_INTERNAL_H */
