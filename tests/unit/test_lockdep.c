/* SPDX-License-Identifier: MIT */
/*
 * Lockdep's interrupt checks on spin locks and rwlocks: "inconsistent lock
 * state" for a lock taken in a hardirq handler and elsewhere with
 * interrupts enabled (in either order), or in a softirq and elsewhere with
 * BH enabled, naming the lock, both usages and where each was seen; none
 * when the other side masks (the _irqsave/_irq or _bh forms) or when both
 * sides only read; once per lock, and not fatal. And "possible recursive
 * locking detected" (fatal, deviation D12) when a handler takes a lock
 * that the code it interrupted on the same worker holds, with spin_lock()
 * or as a writer; readers nest.
 *
 * Handlers run on machines without workers, delivered by the test thread,
 * except for the recursion tests: those need a real interrupt on a worker
 * holding the lock, and abort, so each runs in a forked child that builds
 * its own machine.
 */
#include "irq_test_util.h"

#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define IRQ 5

enum lock_op {
	SPIN,
	SPIN_IRQSAVE,
	SPIN_BH,
	READ,
	READ_IRQSAVE,
	WRITE,
	WRITE_IRQSAVE,
};

static usoftirq_spinlock_t *the_spin;
static usoftirq_rwlock_t *the_rw;

static __attribute__((noinline)) void lock_and_unlock(enum lock_op op)
{
	unsigned long flags;

	switch (op) {
	case SPIN:
		usoftirq_spin_lock(the_spin);
		usoftirq_spin_unlock(the_spin);
		break;
	case SPIN_IRQSAVE:
		flags = usoftirq_spin_lock_irqsave(the_spin);
		usoftirq_spin_unlock_irqrestore(the_spin, flags);
		break;
	case SPIN_BH:
		usoftirq_spin_lock_bh(the_spin);
		usoftirq_spin_unlock_bh(the_spin);
		break;
	case READ:
		usoftirq_read_lock(the_rw);
		usoftirq_read_unlock(the_rw);
		break;
	case READ_IRQSAVE:
		flags = usoftirq_read_lock_irqsave(the_rw);
		usoftirq_read_unlock_irqrestore(the_rw, flags);
		break;
	case WRITE:
		usoftirq_write_lock(the_rw);
		usoftirq_write_unlock(the_rw);
		break;
	case WRITE_IRQSAVE:
		flags = usoftirq_write_lock_irqsave(the_rw);
		usoftirq_write_unlock_irqrestore(the_rw, flags);
		break;
	}
}

/* The hardirq handler's operation, set by each test. */
static enum lock_op handler_op;

static usoftirq_irqreturn_t lock_in_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	lock_and_unlock(handler_op);
	return USOFTIRQ_IRQ_HANDLED;
}

/* The task-context side; noinline so that reports can name it. */
static __attribute__((noinline)) void lock_in_task(enum lock_op op)
{
	lock_and_unlock(op);
	__asm__ __volatile__("" ::: "memory");
}

struct fixture {
	struct usoftirq_machine *m;
	usoftirq_spinlock_t spin;
	usoftirq_rwlock_t rw;
	int dev;
};

static void setup(struct fixture *f, enum lock_op in_handler)
{
	f->m = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	usoftirq_spin_lock_init(&f->spin, "&dev->lock");
	usoftirq_rwlock_init(&f->rw, "&dev->rwlock");
	the_spin = &f->spin;
	the_rw = &f->rw;
	handler_op = in_handler;
	assert_int_equal(usoftirq_thread_bind(f->m, 0), 0);
	assert_int_equal(usoftirq_request_irq(f->m, IRQ, lock_in_handler, 0,
					      "dev", &f->dev),
			 0);
	capture_start();
}

static void teardown(struct fixture *f)
{
	capture_stop();
	assert_string_equal(usoftirq_free_irq(f->m, IRQ, &f->dev), "dev");
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(f->m);
}

static void interrupt(struct fixture *f)
{
	assert_int_equal(usoftirq_irq_pulse(f->m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(f->m, 0), 1);
}

static unsigned int inconsistent(void)
{
	return captured(USOFTIRQ_REPORT_LOCK_INCONSISTENT);
}

/* The report's text, line by line: the usage pair, the lock, where this
 * acquisition is, and where the first usage was registered. */
static void assert_inconsistent_text(const char *pair, const char *lock,
				     const char *here, const char *first,
				     const char *there)
{
	const char *text = captured_text(USOFTIRQ_REPORT_LOCK_INCONSISTENT, 0);
	char want[256];

	assert_non_null(text);
	snprintf(want, sizeof(want), "inconsistent lock state\n%s usage.\n",
		 pair);
	assert_memory_equal(text, want, strlen(want));
	snprintf(want, sizeof(want), " takes %s at %s+0x", lock, here);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "\n{%s} state was registered at %s+0x",
		 first, there);
	assert_non_null(strstr(text, want));
}

/* ------------------------------------------------------------------ */
/* Inconsistent lock state                                             */
/* ------------------------------------------------------------------ */

/* lockdep: a lock first taken with interrupts enabled, then in a hardirq
 * handler, is reported when the handler takes it ({HARDIRQ-ON-W} ->
 * {IN-HARDIRQ-W}), naming the lock, the handler and the first place;
 * once only; the program goes on. */
static void test_irqs_on_then_hardirq_is_inconsistent(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, SPIN);
	lock_in_task(SPIN);
	assert_int_equal(captured_total(), 0);
	interrupt(&f);
	assert_int_equal(inconsistent(), 1);
	assert_inconsistent_text("inconsistent {HARDIRQ-ON-W} -> "
				 "{IN-HARDIRQ-W}",
				 "&dev->lock", "lock_and_unlock",
				 "HARDIRQ-ON-W", "lock_and_unlock");
	lock_in_task(SPIN);
	interrupt(&f);
	assert_int_equal(captured_total(), 1);
	assert_false(usoftirq_spin_is_locked(&f.spin));
	teardown(&f);
}

/* lockdep, the other order: first in a hardirq handler, then with
 * interrupts enabled: reported at the task's acquisition. */
static void test_hardirq_then_irqs_on_is_inconsistent(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, SPIN);
	interrupt(&f);
	lock_in_task(SPIN_IRQSAVE);
	assert_int_equal(captured_total(), 0);
	lock_in_task(SPIN);
	assert_int_equal(inconsistent(), 1);
	assert_inconsistent_text("inconsistent {IN-HARDIRQ-W} -> "
				 "{HARDIRQ-ON-W}",
				 "&dev->lock", "lock_and_unlock",
				 "IN-HARDIRQ-W", "lock_and_unlock");
	assert_int_equal(captured_total(), 1);
	teardown(&f);
}

/* The correct pattern is silent: irqsave outside the handler (and a
 * spin_lock_bh() section, which keeps interrupts on, is a HARDIRQ-ON
 * usage and is reported). */
static void test_irqsave_elsewhere_is_consistent(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, SPIN);
	interrupt(&f);
	lock_in_task(SPIN_IRQSAVE);
	interrupt(&f);
	assert_int_equal(captured_total(), 0);
	lock_in_task(SPIN_BH);
	assert_int_equal(inconsistent(), 1);
	teardown(&f);
}

static struct usoftirq_spinlock *softirq_lock;

static void softirq_takes_lock(void)
{
	usoftirq_spin_lock(softirq_lock);
	usoftirq_spin_unlock(softirq_lock);
}

/* lockdep, SOFTIRQ: a lock taken in a softirq and in task context with
 * BH enabled is reported ({IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W}); with
 * spin_lock_bh() in task context it is not, nor with spin_lock_irqsave()
 * (mark_usage() records no ON usage while hardirqs are off: no softirq can
 * start then). */
static void test_softirq_and_bh_on_is_inconsistent(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, SPIN);
	softirq_lock = &f.spin;
	assert_int_equal(usoftirq_open_softirq(f.m, USOFTIRQ_TIMER_SOFTIRQ,
					       softirq_takes_lock),
			 0);
	usoftirq_raise_softirq(USOFTIRQ_TIMER_SOFTIRQ);
	assert_false(usoftirq_cpu_run_softirqs(f.m, 0));
	lock_in_task(SPIN_BH);
	lock_in_task(SPIN_IRQSAVE);
	assert_int_equal(captured_total(), 0);
	lock_in_task(SPIN);
	assert_int_equal(inconsistent(), 1);
	assert_inconsistent_text("inconsistent {IN-SOFTIRQ-W} -> "
				 "{SOFTIRQ-ON-W}",
				 "&dev->lock", "lock_and_unlock",
				 "IN-SOFTIRQ-W", "softirq_takes_lock");
	teardown(&f);
}

/* lockdep, rwlocks: readers in a hardirq handler and readers with
 * interrupts on are fine (readers nest); a writer with interrupts on
 * against a reader in hardirq is reported ({IN-HARDIRQ-R} ->
 * {HARDIRQ-ON-W}), and so is a reader with interrupts on against a writer
 * in hardirq ({HARDIRQ-ON-R} -> {IN-HARDIRQ-W}). */
static void test_rwlock_usages(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, READ);
	interrupt(&f);
	lock_in_task(READ);
	lock_in_task(WRITE_IRQSAVE);
	assert_int_equal(captured_total(), 0);
	lock_in_task(WRITE);
	assert_int_equal(inconsistent(), 1);
	assert_inconsistent_text("inconsistent {IN-HARDIRQ-R} -> "
				 "{HARDIRQ-ON-W}",
				 "&dev->rwlock", "lock_and_unlock",
				 "IN-HARDIRQ-R", "lock_and_unlock");
	teardown(&f);

	setup(&f, WRITE);
	lock_in_task(READ_IRQSAVE);
	interrupt(&f);
	assert_int_equal(captured_total(), 0);
	lock_in_task(READ);
	assert_int_equal(inconsistent(), 1);
	assert_inconsistent_text("inconsistent {IN-HARDIRQ-W} -> "
				 "{HARDIRQ-ON-R}",
				 "&dev->rwlock", "lock_and_unlock",
				 "IN-HARDIRQ-W", "lock_and_unlock");
	teardown(&f);

	setup(&f, WRITE);
	lock_in_task(READ);
	interrupt(&f);
	assert_int_equal(inconsistent(), 1);
	assert_inconsistent_text("inconsistent {HARDIRQ-ON-R} -> "
				 "{IN-HARDIRQ-W}",
				 "&dev->rwlock", "lock_and_unlock",
				 "HARDIRQ-ON-R", "lock_and_unlock");
	teardown(&f);
}

/* ------------------------------------------------------------------ */
/* Recursion through an interrupt (forked children)                    */
/* ------------------------------------------------------------------ */

/*
 * The child: a machine with one worker; a tasklet on it takes the lock
 * without masking interrupts and waits; the child's main thread raises
 * the line, whose handler takes the lock on that same worker. Only raw
 * semaphores and _exit() here: no CMocka in a child.
 */
struct child_case {
	enum lock_op tasklet_op; /* READ, WRITE or SPIN: held, not dropped */
	enum lock_op handler_op; /* READ, WRITE or SPIN */
	usoftirq_spinlock_t spin;
	usoftirq_rwlock_t rw;
	sem_t held, handled, never;
	struct usoftirq_tasklet t;
};

static struct child_case *the_case;

static void hold_without_masking(struct usoftirq_tasklet *t)
{
	struct child_case *c = the_case;

	(void)t;
	if (c->tasklet_op == SPIN)
		usoftirq_spin_lock(&c->spin);
	else if (c->tasklet_op == WRITE)
		usoftirq_write_lock(&c->rw);
	else
		usoftirq_read_lock(&c->rw);
	sem_post(&c->held);
	while (sem_wait(&c->never) != 0)
		;
}

static usoftirq_irqreturn_t take_held_lock(int irq, void *dev_id)
{
	struct child_case *c = dev_id;

	(void)irq;
	if (c->handler_op == SPIN) {
		usoftirq_spin_lock(&c->spin);
		usoftirq_spin_unlock(&c->spin);
	} else if (c->handler_op == WRITE) {
		usoftirq_write_lock(&c->rw);
		usoftirq_write_unlock(&c->rw);
	} else {
		usoftirq_read_lock(&c->rw);
		usoftirq_read_unlock(&c->rw);
	}
	sem_post(&c->handled);
	return USOFTIRQ_IRQ_HANDLED;
}

static void wait_sem(sem_t *s)
{
	while (sem_wait(s) != 0)
		;
}

static void interrupt_the_holder(void *arg)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct child_case *c = arg;
	struct usoftirq_machine *m;

	the_case = c;
	usoftirq_spin_lock_init(&c->spin, "&priv->lock");
	usoftirq_rwlock_init(&c->rw, "&priv->rwlock");
	sem_init(&c->held, 0, 0);
	sem_init(&c->handled, 0, 0);
	sem_init(&c->never, 0, 0);
	usoftirq_tasklet_setup(&c->t, hold_without_masking);
	cfg.ncpus = 1;
	if (usoftirq_machine_create(&m, &cfg) != 0 ||
	    usoftirq_thread_bind(m, 0) != 0 ||
	    usoftirq_request_irq(m, IRQ, take_held_lock, 0, "dev", c) != 0)
		_exit(3);
	usoftirq_tasklet_schedule(&c->t);
	wait_sem(&c->held);
	usoftirq_irq_pulse(m, IRQ);
	wait_sem(&c->handled);
	/* Only readers nesting get here: report success and leave at once
	 * (the worker stays blocked in the tasklet). */
	_exit(0);
}

static int run_case(enum lock_op held, enum lock_op wanted, char *out,
		    size_t size)
{
	static struct child_case c;

	memset(&c, 0, sizeof(c));
	c.tasklet_op = held;
	c.handler_op = wanted;
	return run_in_child(interrupt_the_holder, &c, out, size);
}

static void assert_recursion_abort(int status, const char *out,
				   const char *lock)
{
	char want[128];

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "possible recursive locking detected"));
	snprintf(want, sizeof(want), "(%s), at: take_held_lock+0x", lock);
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), "(%s), at: hold_without_masking+0x", lock);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "by the code this IRQ handler "
				    "interrupted: that code must mask "
				    "interrupts (the _irqsave forms)"));
}

/* D12 with a hardirq: a tasklet holds a spin lock without masking, an
 * interrupt on its worker runs a handler that takes it: the kernel would
 * spin forever; usoftirq prints "possible recursive locking detected"
 * naming the lock and both places, says why, and aborts. */
static void test_handler_taking_held_spinlock_aborts(void **state)
{
	char out[8192];
	int status;

	(void)state;
	status = run_case(SPIN, SPIN, out, sizeof(out));
	assert_recursion_abort(status, out, "&priv->lock");
}

/* D12 for rwlocks: a held write lock taken again by the handler, for
 * writing or for reading, aborts the same way; a held read lock taken for
 * reading by the handler nests and does not. */
static void test_handler_taking_held_rwlock(void **state)
{
	char out[8192];
	int status;

	(void)state;
	status = run_case(WRITE, WRITE, out, sizeof(out));
	assert_recursion_abort(status, out, "&priv->rwlock");
	status = run_case(WRITE, READ, out, sizeof(out));
	assert_recursion_abort(status, out, "&priv->rwlock");
	status = run_case(READ, READ, out, sizeof(out));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_null(strstr(out, "recursive"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handler_taking_held_spinlock_aborts),
		cmocka_unit_test(test_handler_taking_held_rwlock),
		cmocka_unit_test(test_irqs_on_then_hardirq_is_inconsistent),
		cmocka_unit_test(test_hardirq_then_irqs_on_is_inconsistent),
		cmocka_unit_test(test_irqsave_elsewhere_is_consistent),
		cmocka_unit_test(test_softirq_and_bh_on_is_inconsistent),
		cmocka_unit_test(test_rwlock_usages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
