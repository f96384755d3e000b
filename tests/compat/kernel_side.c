/* SPDX-License-Identifier: MIT */
/*
 * The kernel half of compat_spellings: written as driver code is, with the
 * kernel's names only. It declares tasklets and a lock the prefixed half
 * then drives, and reports what its callbacks saw. DEBUG is defined, so
 * pr_debug() prints here (ktest_kcompat_api checks the other case).
 */
#define DEBUG
#define pr_fmt(fmt) "kside: " fmt

#include <string.h>

#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "compat_test.h"

#ifdef USOFTIRQ_H
#error "the kernel half must not include <usoftirq.h>"
#endif

static struct compat_run runs[KSIDE_NR_TASKLETS];

static void record(enum kside_tasklet which, struct tasklet_struct *t,
		   const void *arg, unsigned long data, int owner_id)
{
	struct compat_run *r = &runs[which];

	r->runs++;
	r->tasklet = arg;
	r->data = data;
	r->sched_bit = test_bit(TASKLET_STATE_SCHED, &t->state);
	r->run_bit = test_bit(TASKLET_STATE_RUN, &t->state);
	r->serving_softirq = in_serving_softirq();
	r->owner_id = owner_id;
}

static void declared_cb(struct tasklet_struct *t);
static void disabled_cb(struct tasklet_struct *t);
static void declared_old_fn(unsigned long data);
static void disabled_old_fn(unsigned long data);

static DECLARE_TASKLET(declared, declared_cb);
static DECLARE_TASKLET_OLD(declared_old, declared_old_fn);
static DECLARE_TASKLET_DISABLED(disabled, disabled_cb);
static DECLARE_TASKLET_DISABLED_OLD(disabled_old, disabled_old_fn);

static void declared_cb(struct tasklet_struct *t)
{
	record(KSIDE_DECLARED, t, t, t->data, -1);
}

static void disabled_cb(struct tasklet_struct *t)
{
	record(KSIDE_DISABLED, t, t, t->data, -1);
}

static void declared_old_fn(unsigned long data)
{
	record(KSIDE_DECLARED_OLD, &declared_old, NULL, data, -1);
}

static void disabled_old_fn(unsigned long data)
{
	record(KSIDE_DISABLED_OLD, &disabled_old, NULL, data, -1);
}

/* A driver object embedding its tasklet, found back with from_tasklet(). */
struct kdev {
	int id;
	spinlock_t lock;
	struct tasklet_struct tasklet;
};

static struct kdev kdev;

static void kdev_tasklet_fn(struct tasklet_struct *t)
{
	struct kdev *dev = from_tasklet(dev, t, tasklet);

	record(KSIDE_EMBEDDED, t, t, t->data, dev->id);
}

void *kside_tasklet(enum kside_tasklet which)
{
	switch (which) {
	case KSIDE_DECLARED:
		return &declared;
	case KSIDE_DECLARED_OLD:
		return &declared_old;
	case KSIDE_DISABLED:
		return &disabled;
	case KSIDE_DISABLED_OLD:
		return &disabled_old;
	case KSIDE_EMBEDDED:
		kdev.id = 42;
		spin_lock_init(&kdev.lock);
		tasklet_setup(&kdev.tasklet, kdev_tasklet_fn);
		return &kdev.tasklet;
	case KSIDE_NR_TASKLETS:
		break;
	}
	return NULL;
}

const struct compat_run *kside_last_run(enum kside_tasklet which)
{
	return &runs[which];
}

void kside_reset_runs(void)
{
	memset(runs, 0, sizeof(runs));
}

int kside_atomic_read_count(void *tasklet)
{
	struct tasklet_struct *t = tasklet;

	return atomic_read(&t->count);
}

bool kside_test_sched_bit(void *tasklet)
{
	struct tasklet_struct *t = tasklet;

	return test_bit(TASKLET_STATE_SCHED, &t->state);
}

bool kside_use_callback(void *tasklet)
{
	struct tasklet_struct *t = tasklet;

	return t->use_callback;
}

unsigned long kside_data(void *tasklet)
{
	struct tasklet_struct *t = tasklet;

	return t->data;
}

void kside_tasklet_schedule(void *tasklet)
{
	tasklet_schedule(tasklet);
}

void kside_tasklet_enable(void *tasklet)
{
	tasklet_enable(tasklet);
}

static DEFINE_SPINLOCK(k_lock);

void *kside_spinlock(void)
{
	return &k_lock;
}

bool kside_spin_is_locked(void)
{
	return spin_is_locked(&k_lock);
}

static int softirq_runs;
static unsigned int softirq_cpu;

static void k_softirq_action(void)
{
	softirq_runs++;
	softirq_cpu = smp_processor_id();
}

void kside_open_softirq(int nr)
{
	softirq_runs = 0;
	open_softirq(nr, k_softirq_action);
}

int kside_softirq_runs(void)
{
	return softirq_runs;
}

unsigned int kside_softirq_cpu(void)
{
	return softirq_cpu;
}

void kside_local_bh_disable(void)
{
	local_bh_disable();
}

void kside_local_bh_enable(void)
{
	local_bh_enable();
}

unsigned int kside_preempt_count(void)
{
	return preempt_count();
}

void kside_pr_debug(int value)
{
	pr_debug("debug value %d\n", value);
}

/*
 * The kernel names that must be the library's functions themselves: each
 * entry takes the function's address through the kernel name.
 */
#define KSYM(name)                     \
	{                              \
#name, (compat_fn)name \
	}

static const struct compat_sym ksyms[] = {
	KSYM(tasklet_init),
	KSYM(tasklet_setup),
	KSYM(tasklet_schedule),
	KSYM(tasklet_hi_schedule),
	KSYM(tasklet_disable_nosync),
	KSYM(tasklet_disable),
	KSYM(tasklet_disable_in_atomic),
	KSYM(tasklet_enable),
	KSYM(tasklet_kill),
	KSYM(tasklet_trylock),
	KSYM(tasklet_unlock),
	KSYM(tasklet_unlock_wait),
	KSYM(tasklet_unlock_spin_wait),
	KSYM(raise_softirq),
	KSYM(raise_softirq_irqoff),
	KSYM(__raise_softirq_irqoff),
	KSYM(local_softirq_pending),
	KSYM(do_softirq),
	KSYM(preempt_count),
	KSYM(hardirq_count),
	KSYM(softirq_count),
	KSYM(irq_count),
	KSYM(in_irq),
	KSYM(in_hardirq),
	KSYM(in_softirq),
	KSYM(in_serving_softirq),
	KSYM(in_interrupt),
	KSYM(in_nmi),
	KSYM(in_task),
	KSYM(in_atomic),
	KSYM(interrupt_context_level),
	KSYM(preempt_disable),
	KSYM(preempt_enable),
	KSYM(preempt_enable_no_resched),
	KSYM(preempt_disable_notrace),
	KSYM(preempt_enable_notrace),
	KSYM(local_bh_disable),
	KSYM(local_bh_enable),
	KSYM(smp_processor_id),
	KSYM(raw_smp_processor_id),
	KSYM(spin_lock),
	KSYM(spin_unlock),
	KSYM(spin_trylock),
	KSYM(spin_lock_bh),
	KSYM(spin_unlock_bh),
	KSYM(spin_trylock_bh),
	KSYM(spin_is_locked),
	KSYM(raw_spin_lock),
	KSYM(raw_spin_unlock),
	KSYM(raw_spin_trylock),
	KSYM(printk),
	KSYM(vprintk),
};

size_t kside_symbols(const struct compat_sym **syms)
{
	*syms = ksyms;
	return ARRAY_SIZE(ksyms);
}

#define KCONST(name)                     \
	{                                \
#name, (long long)(name) \
	}

static const struct compat_const kconsts[] = {
	KCONST(HI_SOFTIRQ),
	KCONST(TIMER_SOFTIRQ),
	KCONST(NET_TX_SOFTIRQ),
	KCONST(NET_RX_SOFTIRQ),
	KCONST(BLOCK_SOFTIRQ),
	KCONST(IRQ_POLL_SOFTIRQ),
	KCONST(TASKLET_SOFTIRQ),
	KCONST(SCHED_SOFTIRQ),
	KCONST(HRTIMER_SOFTIRQ),
	KCONST(RCU_SOFTIRQ),
	KCONST(NR_SOFTIRQS),
	KCONST(TASKLET_STATE_SCHED),
	KCONST(TASKLET_STATE_RUN),
	KCONST(PREEMPT_MASK),
	KCONST(SOFTIRQ_MASK),
	KCONST(HARDIRQ_MASK),
	KCONST(NMI_MASK),
	KCONST(PREEMPT_OFFSET),
	KCONST(SOFTIRQ_OFFSET),
	KCONST(SOFTIRQ_DISABLE_OFFSET),
	KCONST(HARDIRQ_OFFSET),
	KCONST(NMI_OFFSET),
	KCONST(PREEMPT_LOCK_OFFSET),
	KCONST(SOFTIRQ_LOCK_OFFSET),
	KCONST(sizeof(struct tasklet_struct)),
	KCONST(offsetof(struct tasklet_struct, next)),
	KCONST(offsetof(struct tasklet_struct, state)),
	KCONST(offsetof(struct tasklet_struct, count)),
	KCONST(offsetof(struct tasklet_struct, use_callback)),
	KCONST(offsetof(struct tasklet_struct, func)),
	KCONST(offsetof(struct tasklet_struct, callback)),
	KCONST(offsetof(struct tasklet_struct, data)),
	KCONST(sizeof(spinlock_t)),
	KCONST(sizeof(atomic_t)),
};

size_t kside_constants(const struct compat_const **consts)
{
	*consts = kconsts;
	return ARRAY_SIZE(kconsts);
}
