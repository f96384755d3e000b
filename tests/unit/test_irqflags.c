/* SPDX-License-Identifier: MIT */
/*
 * Local interrupt masking (kernel-semantics 6.3, Appendix B, and the
 * "handler enabled interrupts" row of section 8): local_irq_save() and
 * restore nest, local_irq_disable()/enable(), irqs_disabled(), and the
 * masking done by the _irqsave and _irq lock forms; a hardirq that
 * arrives on a worker while it masks interrupts does not run its handler
 * there and then, but exactly once when the outermost restore (or enable)
 * unmasks, in hardirq context on that worker; a handler that enables
 * interrupts is reported once and interrupts are disabled again.
 *
 * Masked sections run in a tasklet on vCPU 0's worker, which is where the
 * line's interrupts are delivered. Most of them raise the line themselves:
 * a signal a thread sends to itself is delivered when the sending system
 * call returns, so the interrupt certainly arrives inside the section.
 * Under ThreadSanitizer a signal is only handed to the program at the
 * next intercepted call; the section makes one (a sem_post) after the
 * pulse, so there too it arrives while masked. One test instead raises
 * the line from the test thread while the tasklet waits, masked, on a
 * gate, and observes through /proc that the signal has been handled.
 */
#include "irq_test_util.h"

#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define IRQ 5
#define HARDIRQ_IN_SOFTIRQ (USOFTIRQ_HARDIRQ_OFFSET | USOFTIRQ_SOFTIRQ_OFFSET)

/* ------------------------------------------------------------------ */
/* Without interrupts                                                  */
/* ------------------------------------------------------------------ */

/* local_irq_save() returns the previous state and nests; only the
 * outermost restore enables; local_irq_disable()/enable() do not nest. */
static void test_save_and_restore_nest(void **state)
{
	unsigned long outer, inner;

	(void)state;
	assert_false(usoftirq_irqs_disabled());
	outer = usoftirq_local_irq_save();
	assert_false(usoftirq_irqs_disabled_flags(outer));
	assert_true(usoftirq_irqs_disabled());
	inner = usoftirq_local_irq_save();
	assert_true(usoftirq_irqs_disabled_flags(inner));
	usoftirq_local_irq_restore(inner);
	assert_true(usoftirq_irqs_disabled());
	usoftirq_local_irq_restore(outer);
	assert_false(usoftirq_irqs_disabled());

	usoftirq_local_irq_disable();
	usoftirq_local_irq_disable();
	assert_true(usoftirq_irqs_disabled());
	usoftirq_local_irq_enable();
	assert_false(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 0);
}

struct holder {
	usoftirq_spinlock_t *lock;
	struct gate held, release;
	pthread_t thread;
};

static void *hold_lock(void *arg)
{
	struct holder *h = arg;

	usoftirq_spin_lock(h->lock);
	gate_open(&h->held);
	gate_pass(&h->release);
	usoftirq_spin_unlock(h->lock);
	return NULL;
}

/* The _irqsave and _irq lock forms mask interrupts and add one to
 * preempt_count while held; unlock_irqrestore() gives back the saved
 * state (still masked inside an outer save); a failed trylock_irqsave()
 * leaves both as they were. */
static void test_irq_lock_forms_mask_while_held(void **state)
{
	usoftirq_spinlock_t lock, busy;
	unsigned long flags, outer;
	struct holder h;

	(void)state;
	usoftirq_spin_lock_init(&lock, "lock");
	usoftirq_spin_lock_init(&busy, "busy");
	flags = usoftirq_spin_lock_irqsave(&lock);
	assert_false(usoftirq_irqs_disabled_flags(flags));
	assert_true(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_spin_unlock_irqrestore(&lock, flags);
	assert_false(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 0);

	outer = usoftirq_local_irq_save();
	flags = usoftirq_spin_lock_irqsave(&lock);
	usoftirq_spin_unlock_irqrestore(&lock, flags);
	assert_true(usoftirq_irqs_disabled());
	usoftirq_local_irq_restore(outer);

	usoftirq_spin_lock_irq(&lock);
	assert_true(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 1);
	usoftirq_spin_unlock_irq(&lock);
	assert_false(usoftirq_irqs_disabled());

	h.lock = &busy;
	gate_init(&h.held, "held");
	gate_init(&h.release, "release");
	assert_int_equal(pthread_create(&h.thread, NULL, hold_lock, &h), 0);
	gate_pass(&h.held);
	assert_false(usoftirq_spin_trylock_irqsave(&busy, &flags));
	assert_false(usoftirq_irqs_disabled());
	assert_int_equal(usoftirq_preempt_count(), 0);
	gate_open(&h.release);
	assert_int_equal(pthread_join(h.thread, NULL), 0);
	assert_true(usoftirq_spin_trylock_irqsave(&busy, &flags));
	assert_true(usoftirq_irqs_disabled());
	usoftirq_spin_unlock_irqrestore(&busy, flags);
	assert_false(usoftirq_irqs_disabled());
	gate_destroy(&h.held);
	gate_destroy(&h.release);
}

/* ------------------------------------------------------------------ */
/* Interrupts arriving while masked                                    */
/* ------------------------------------------------------------------ */

enum lock_kind { NO_LOCK, SPIN, READ, WRITE };

/* One way of masking interrupts around a critical section. */
struct mask_form {
	const char *name;
	enum lock_kind lock;
	void (*enter)(struct mask_form *f);
	void (*leave)(struct mask_form *f);
	/* The deferred handler's preempt_count, run at @leave from a
	 * tasklet: the unlock forms restore interrupts before they drop
	 * the lock's preempt count, as the kernel's do. */
	unsigned int handler_pc;
	unsigned long flags;
};

static usoftirq_spinlock_t spin = USOFTIRQ_SPINLOCK_INIT(spin);
static usoftirq_rwlock_t rw = USOFTIRQ_RWLOCK_INIT(rw);

static void save(struct mask_form *f)
{
	f->flags = usoftirq_local_irq_save();
}

static void restore(struct mask_form *f)
{
	usoftirq_local_irq_restore(f->flags);
}

static void disable(struct mask_form *f)
{
	(void)f;
	usoftirq_local_irq_disable();
}

static void enable(struct mask_form *f)
{
	(void)f;
	usoftirq_local_irq_enable();
}

static void spin_save(struct mask_form *f)
{
	f->flags = usoftirq_spin_lock_irqsave(&spin);
}

static void spin_restore(struct mask_form *f)
{
	usoftirq_spin_unlock_irqrestore(&spin, f->flags);
}

static void spin_irq(struct mask_form *f)
{
	(void)f;
	usoftirq_spin_lock_irq(&spin);
}

static void spin_unirq(struct mask_form *f)
{
	(void)f;
	usoftirq_spin_unlock_irq(&spin);
}

static void read_save(struct mask_form *f)
{
	f->flags = usoftirq_read_lock_irqsave(&rw);
}

static void read_restore(struct mask_form *f)
{
	usoftirq_read_unlock_irqrestore(&rw, f->flags);
}

static void read_irq(struct mask_form *f)
{
	(void)f;
	usoftirq_read_lock_irq(&rw);
}

static void read_unirq(struct mask_form *f)
{
	(void)f;
	usoftirq_read_unlock_irq(&rw);
}

static void write_save(struct mask_form *f)
{
	f->flags = usoftirq_write_lock_irqsave(&rw);
}

static void write_restore(struct mask_form *f)
{
	usoftirq_write_unlock_irqrestore(&rw, f->flags);
}

static void write_irq(struct mask_form *f)
{
	(void)f;
	usoftirq_write_lock_irq(&rw);
}

static void write_unirq(struct mask_form *f)
{
	(void)f;
	usoftirq_write_unlock_irq(&rw);
}

#define LOCKED_PC (HARDIRQ_IN_SOFTIRQ + USOFTIRQ_PREEMPT_OFFSET)

static struct mask_form forms[] = {
	{ "local_irq_save", NO_LOCK, save, restore, HARDIRQ_IN_SOFTIRQ, 0 },
	{ "local_irq_disable", NO_LOCK, disable, enable, HARDIRQ_IN_SOFTIRQ,
	  0 },
	{ "spin_lock_irqsave", SPIN, spin_save, spin_restore, LOCKED_PC, 0 },
	{ "spin_lock_irq", SPIN, spin_irq, spin_unirq, LOCKED_PC, 0 },
	{ "read_lock_irqsave", READ, read_save, read_restore, LOCKED_PC, 0 },
	{ "read_lock_irq", READ, read_irq, read_unirq, LOCKED_PC, 0 },
	{ "write_lock_irqsave", WRITE, write_save, write_restore, LOCKED_PC,
	  0 },
	{ "write_lock_irq", WRITE, write_irq, write_unirq, LOCKED_PC, 0 },
};

#define NR_FORMS (sizeof(forms) / sizeof(forms[0]))

/* The handler takes the lock the interrupted section used. */
static void take_form_lock(struct irq_probe *p, int run)
{
	const struct mask_form *f = p->arg;

	(void)run;
	switch (f->lock) {
	case SPIN:
		usoftirq_spin_lock(&spin);
		usoftirq_spin_unlock(&spin);
		break;
	case READ:
		usoftirq_read_lock(&rw);
		usoftirq_read_unlock(&rw);
		break;
	case WRITE:
		usoftirq_write_lock(&rw);
		usoftirq_write_unlock(&rw);
		break;
	case NO_LOCK:
		break;
	}
}

/* What a masked section in a tasklet saw. */
struct section {
	struct usoftirq_machine *m;
	struct irq_dev *dev;
	struct mask_form *outer, *inner; /* inner may be NULL */
	struct gate delivery_point;
	int pulse_ret;
	int runs_masked; /* handler runs seen while masked */
	int runs_after_inner; /* after the inner leave, outer still held */
	int runs_unmasked; /* right after the outermost leave */
	unsigned long unmask_seq; /* test_seq() just before it */
};

static int handler_runs(struct section *s)
{
	return irq_probe_started(&s->dev->primary);
}

/* The tasklet: mask, raise the line, look, unmask, look. Records only:
 * the test thread asserts. */
static void masked_section(struct probe *p, int run)
{
	struct section *s = p->arg;

	(void)run;
	s->outer->enter(s->outer);
	if (s->inner)
		s->inner->enter(s->inner);
	s->pulse_ret = usoftirq_irq_pulse(s->m, IRQ);
	gate_open(&s->delivery_point);
	s->runs_masked = handler_runs(s);
	if (s->inner) {
		s->inner->leave(s->inner);
		s->runs_after_inner = handler_runs(s);
	}
	s->unmask_seq = test_seq();
	s->outer->leave(s->outer);
	s->runs_unmasked = handler_runs(s);
}

static void run_section(struct usoftirq_machine *m, struct section *s)
{
	struct probe t;

	probe_init(&t, 0);
	t.hook = masked_section;
	t.arg = s;
	gate_init(&s->delivery_point, "delivery point");
	usoftirq_tasklet_schedule(&t.t);
	gate_pass(&t.done);
	usoftirq_tasklet_kill(&t.t);
	gate_destroy(&s->delivery_point);
	probe_destroy(&t);
	(void)m;
}

static struct usoftirq_machine *machine_with_line(struct irq_dev *d)
{
	struct usoftirq_machine *m = test_machine(2, 0);

	capture_start();
	irq_dev_init(d, m, IRQ);
	d->primary.hook = take_form_lock;
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, irq_dev_primary, 0, "line", d), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	return m;
}

static void finish(struct usoftirq_machine *m, struct irq_dev *d)
{
	assert_string_equal(usoftirq_free_irq(m, IRQ, d), "line");
	irq_dev_destroy(d);
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* A hardirq arriving inside each masking form does not run while masked;
 * the form's end (restore, enable, unlock_irqrestore, unlock_irq) runs
 * the handler once, right there, in hardirq context on the same worker,
 * on top of the tasklet; the handler can take the section's lock. */
static void test_hardirq_in_masked_section_runs_at_unmask(void **state)
{
	struct irq_dev d;
	struct usoftirq_machine *m = machine_with_line(&d);
	int worker0 = usoftirq_machine_worker_tid(m, 0);

	(void)state;
	for (unsigned int i = 0; i < NR_FORMS; i++) {
		struct section s = { .m = m, .dev = &d, .outer = &forms[i] };
		int n = (int)i;

		d.primary.arg = &forms[i];
		run_section(m, &s);
		print_message("%s\n", forms[i].name);
		assert_int_equal(s.pulse_ret, 0);
		assert_int_equal(s.runs_masked, n);
		assert_int_equal(s.runs_unmasked, n + 1);
		assert_true(s.unmask_seq < d.primary.run[n].enter_seq);
		assert_int_equal(d.primary.run[n].tid, worker0);
		assert_int_equal(d.primary.run[n].cpu, 0);
		assert_true(d.primary.run[n].irqs_disabled);
		assert_int_equal(d.primary.run[n].preempt_count,
				 forms[i].handler_pc);
	}
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_stats(m, IRQ).runs, NR_FORMS);
	assert_int_equal(captured_total(), 0);
	finish(m, &d);
}

/* Nested masking: the inner restore or unlock_irqrestore (given a
 * "disabled" state) does not unmask, so the handler waits for the
 * outermost one, and runs once. */
static void test_nested_saves_run_handler_at_outermost_restore(void **state)
{
	struct irq_dev d;
	struct usoftirq_machine *m = machine_with_line(&d);
	struct mask_form outer = { "save", NO_LOCK, save, restore, 0, 0 };
	struct mask_form inner = { "save", NO_LOCK, save, restore, 0, 0 };
	struct mask_form inner_lock = { "spin_lock_irqsave", SPIN, spin_save,
					spin_restore,	     0,	   0 };
	struct section s1 = {
		.m = m, .dev = &d, .outer = &outer, .inner = &inner
	};
	struct section s2 = {
		.m = m, .dev = &d, .outer = &outer, .inner = &inner_lock
	};

	(void)state;
	d.primary.arg = &inner_lock;
	run_section(m, &s1);
	assert_int_equal(s1.runs_masked, 0);
	assert_int_equal(s1.runs_after_inner, 0);
	assert_int_equal(s1.runs_unmasked, 1);
	assert_true(s1.unmask_seq < d.primary.run[0].enter_seq);

	run_section(m, &s2);
	assert_int_equal(s2.runs_masked, 1);
	assert_int_equal(s2.runs_after_inner, 1);
	assert_int_equal(s2.runs_unmasked, 2);
	assert_true(s2.unmask_seq < d.primary.run[1].enter_seq);
	assert_int_equal(d.primary.run[1].preempt_count, HARDIRQ_IN_SOFTIRQ);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_stats(m, IRQ).runs, 2);
	assert_int_equal(captured_total(), 0);
	finish(m, &d);
}

/* What the waiting tasklet records. */
struct waiting_section {
	struct irq_dev *dev;
	struct gate masked, release;
	int runs_masked, runs_unmasked;
	unsigned long unmask_seq;
};

static void wait_masked(struct probe *p, int run)
{
	struct waiting_section *w = p->arg;
	unsigned long flags = usoftirq_spin_lock_irqsave(&spin);

	(void)run;
	gate_open(&w->masked);
	gate_pass(&w->release);
	w->runs_masked = irq_probe_started(&w->dev->primary);
	w->unmask_seq = test_seq();
	usoftirq_spin_unlock_irqrestore(&spin, flags);
	w->runs_unmasked = irq_probe_started(&w->dev->primary);
}

/* An interrupt raised by another thread while the worker sits inside
 * spin_lock_irqsave(): the signal is delivered and handled (seen through
 * /proc: no longer pending, and the worker back asleep on its gate), the
 * handler has not run and the edge is still pending; it runs once at
 * unlock_irqrestore(). */
static void test_interrupt_from_other_thread_waits_for_restore(void **state)
{
	struct irq_dev d;
	struct usoftirq_machine *m = machine_with_line(&d);
	int worker0 = usoftirq_machine_worker_tid(m, 0);
	struct waiting_section w = { .dev = &d };
	struct usoftirq_irq_stats st;
	struct probe t;

	(void)state;
	d.primary.arg = &forms[2];
	gate_init(&w.masked, "masked");
	gate_init(&w.release, "release");
	probe_init(&t, 0);
	t.hook = wait_masked;
	t.arg = &w;
	usoftirq_tasklet_schedule(&t.t);
	gate_pass(&w.masked);
	(void)wait_futex_blocked(worker0, 0);

	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	wait_signal_handled(worker0, usoftirq_machine_irq_signal(m));
	assert_int_equal(irq_probe_started(&d.primary), 0);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.pending, 1);
	assert_int_equal(st.consumed, 0);

	gate_open(&w.release);
	gate_pass(&t.done);
	assert_int_equal(w.runs_masked, 0);
	assert_int_equal(w.runs_unmasked, 1);
	assert_true(w.unmask_seq < d.primary.run[0].enter_seq);
	assert_int_equal(d.primary.run[0].tid, worker0);
	assert_int_equal(d.primary.run[0].preempt_count, LOCKED_PC);
	usoftirq_synchronize_irq(m, IRQ);
	st = irq_stats(m, IRQ);
	assert_int_equal(st.consumed, 1);
	assert_int_equal(st.runs, 1);
	assert_int_equal(captured_total(), 0);
	usoftirq_tasklet_kill(&t.t);
	probe_destroy(&t);
	gate_destroy(&w.masked);
	gate_destroy(&w.release);
	finish(m, &d);
}

/* ------------------------------------------------------------------ */
/* A handler that enables interrupts                                   */
/* ------------------------------------------------------------------ */

static void enable_interrupts(struct irq_probe *p, int run)
{
	(void)p;
	(void)run;
	usoftirq_local_irq_enable();
}

/* 6.3 and section 8: a handler that returns with interrupts enabled gets
 * the kernel's WARN_ONCE "irq %u handler %pS enabled interrupts", and
 * interrupts are disabled again before the next action of the line. */
static void test_handler_enabling_interrupts_is_reported(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS);
	const char *text;
	struct irq_dev a, b;

	(void)state;
	capture_start();
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&b, m, IRQ);
	a.primary.hook = enable_interrupts;
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary,
					      USOFTIRQ_IRQF_SHARED, "a", &a),
			 0);
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary,
					      USOFTIRQ_IRQF_SHARED, "b", &b),
			 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
		assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
		assert_true(b.primary.run[i].irqs_disabled);
	}
	assert_false(usoftirq_irqs_disabled());
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS), 1);
	assert_int_equal(usoftirq_report_count(
				 USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS) -
				 before,
			 2);
	text = captured_text(USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS, 0);
	assert_non_null(strstr(text, "irq 5 handler irq_dev_primary+0x0/0x"));
	assert_non_null(strstr(text, " enabled interrupts"));
	assert_int_equal(captured_total(), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	assert_string_equal(usoftirq_free_irq(m, IRQ, &b), "b");
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	capture_stop();
	usoftirq_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_and_restore_nest),
		cmocka_unit_test(test_irq_lock_forms_mask_while_held),
		cmocka_unit_test(test_hardirq_in_masked_section_runs_at_unmask),
		cmocka_unit_test(
			test_nested_saves_run_handler_at_outermost_restore),
		cmocka_unit_test(
			test_interrupt_from_other_thread_waits_for_restore),
		cmocka_unit_test(test_handler_enabling_interrupts_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
