/* SPDX-License-Identifier: MIT */
/*
 * What the two halves of the compat_spellings test export to its main
 * program. kernel_side.c is written in the kernel spelling only
 * (<linux/interrupt.h> ...), prefixed_side.c in the prefixed spelling only
 * (<usoftirq.h>); this header includes neither, so both can include it.
 * Tasklets and locks cross it as void *, and each side gives them back
 * the type of its own spelling.
 */
#ifndef USOFTIRQ_TEST_COMPAT_TEST_H
#define USOFTIRQ_TEST_COMPAT_TEST_H

#include <stdbool.h>
#include <stddef.h>

/* A function reached by a name; void (*)(void) holds any function. */
typedef void (*compat_fn)(void);

struct compat_sym {
	const char *kernel_name;
	compat_fn fn;
};

struct compat_const {
	const char *kernel_name;
	long long value;
};

/* What a tasklet callback of kernel_side.c saw during its last run. */
struct compat_run {
	int runs;
	const void *tasklet; /* the argument (callback) or NULL (func) */
	unsigned long data; /* the argument of a legacy func */
	bool sched_bit; /* test_bit(TASKLET_STATE_SCHED, &t->state) */
	bool run_bit; /* test_bit(TASKLET_STATE_RUN, &t->state) */
	bool serving_softirq; /* in_serving_softirq() */
	int owner_id; /* from_tasklet()'s object id, or -1 */
};

enum kside_tasklet {
	KSIDE_DECLARED, /* DECLARE_TASKLET */
	KSIDE_DECLARED_OLD, /* DECLARE_TASKLET_OLD */
	KSIDE_DISABLED, /* DECLARE_TASKLET_DISABLED */
	KSIDE_DISABLED_OLD, /* DECLARE_TASKLET_DISABLED_OLD */
	KSIDE_EMBEDDED, /* tasklet_setup() in a struct, from_tasklet() */
	KSIDE_NR_TASKLETS
};

/* kernel_side.c: the kernel spelling. */
size_t kside_symbols(const struct compat_sym **syms);
size_t kside_constants(const struct compat_const **consts);
void *kside_tasklet(enum kside_tasklet which);
const struct compat_run *kside_last_run(enum kside_tasklet which);
void kside_reset_runs(void);
int kside_atomic_read_count(void *tasklet);
bool kside_test_sched_bit(void *tasklet);
bool kside_use_callback(void *tasklet);
unsigned long kside_data(void *tasklet);
void kside_tasklet_schedule(void *tasklet);
void kside_tasklet_enable(void *tasklet);
void *kside_spinlock(void);
bool kside_spin_is_locked(void);
void kside_open_softirq(int nr);
int kside_softirq_runs(void);
unsigned int kside_softirq_cpu(void);
void kside_local_bh_disable(void);
void kside_local_bh_enable(void);
unsigned int kside_preempt_count(void);
void kside_pr_debug(int value);

/* prefixed_side.c: the prefixed spelling. */
size_t pside_symbols(const struct compat_sym **syms);
size_t pside_constants(const struct compat_const **consts);
void pside_tasklet_schedule(void *tasklet);
bool pside_tasklet_is_scheduled(void *tasklet);
int pside_tasklet_count(void *tasklet);
void pside_spin_lock(void *lock);
void pside_spin_unlock(void *lock);
bool pside_spin_is_held_by_me(void *lock);
const char *pside_spinlock_name(void *lock);
void pside_raise_softirq(unsigned int nr);
unsigned int pside_local_softirq_pending(void);
unsigned int pside_preempt_count(void);
bool pside_in_softirq(void);
bool pside_in_serving_softirq(void);

#endif /* USOFTIRQ_TEST_COMPAT_TEST_H */
