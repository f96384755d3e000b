/* SPDX-License-Identifier: MIT */
/*
 * Requesting and freeing interrupt lines (kernel-semantics 6.2, 6.5, 6.6
 * and the IRQ rows of section 8): request_threaded_irq()'s checks in the
 * kernel's order with its return codes and messages, shared lines and
 * dev_id, the flags sharers must agree on, IRQF_NO_AUTOEN, free_irq()
 * returning the name, freeing an already-free IRQ and freeing from
 * interrupt context, and the devm_ forms.
 *
 * Every test uses its own machine without workers: nothing runs until the
 * test delivers a line with usoftirq_cpu_run_irqs(), so every count is
 * exact.
 */
#include "irq_test_util.h"

#include <errno.h>
#include <string.h>

#define IRQ 5
#define OTHER_IRQ 6
#define COND_ONESHOT USOFTIRQ_IRQF_COND_ONESHOT

static struct usoftirq_machine *stepped(void)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);

	capture_start();
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	capture_stop();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* Deliver one edge on @irq (whose target is vCPU 0); the runs it made. */
static int pulse_and_run(struct usoftirq_machine *m, unsigned int irq)
{
	assert_int_equal(usoftirq_irq_pulse(m, irq), 0);
	return usoftirq_cpu_run_irqs(m, 0);
}

static usoftirq_irqreturn_t never_called(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return USOFTIRQ_IRQ_HANDLED;
}

/* ------------------------------------------------------------------ */
/* Argument checks                                                     */
/* ------------------------------------------------------------------ */

/* 6.2: IRQ_NOTCONNECTED gives -ENOTCONN before any flag check; then the
 * flag combinations, a line that does not exist, and no handler at all
 * give -EINVAL, silently; none of them takes the line. */
static void test_request_checks_arguments_in_kernel_order(void **state)
{
	struct usoftirq_machine *m = stepped();
	unsigned int last = usoftirq_machine_nr_irqs(m);
	static int dev;

	(void)state;
	assert_int_equal(last, USOFTIRQ_NR_IRQS_DEFAULT);
	assert_int_equal(usoftirq_request_irq(m, USOFTIRQ_IRQ_NOTCONNECTED,
					      never_called,
					      USOFTIRQ_IRQF_SHARED, "x", NULL),
			 -ENOTCONN);
	assert_int_equal(usoftirq_request_irq(m, IRQ, never_called,
					      USOFTIRQ_IRQF_SHARED, "x", NULL),
			 -EINVAL);
	assert_int_equal(usoftirq_request_irq(m, IRQ, never_called,
					      USOFTIRQ_IRQF_SHARED |
						      USOFTIRQ_IRQF_NO_AUTOEN,
					      "x", &dev),
			 -EINVAL);
	assert_int_equal(usoftirq_request_irq(m, IRQ, never_called,
					      USOFTIRQ_IRQF_COND_SUSPEND, "x",
					      &dev),
			 -EINVAL);
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, never_called,
				     USOFTIRQ_IRQF_SHARED |
					     USOFTIRQ_IRQF_COND_SUSPEND |
					     USOFTIRQ_IRQF_NO_SUSPEND,
				     "x", &dev),
		-EINVAL);
	assert_int_equal(usoftirq_request_irq(m, 0, never_called, 0, "x", &dev),
			 -EINVAL);
	assert_int_equal(usoftirq_request_irq(m, last + 1, never_called, 0, "x",
					      &dev),
			 -EINVAL);
	assert_int_equal(usoftirq_request_threaded_irq(m, IRQ, NULL, NULL, 0,
						       "x", &dev),
			 -EINVAL);
	/* A line that does not exist is refused before the handler=NULL
	 * check, so that check's message does not appear. */
	assert_int_equal(usoftirq_request_threaded_irq(m, last + 1, NULL,
						       irq_dev_thread, 0, "x",
						       &dev),
			 -EINVAL);
	assert_int_equal(captured_total(), 0);

	/* The line is still free, the highest line exists. */
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, never_called, 0, "x", &dev), 0);
	assert_int_equal(
		usoftirq_request_irq(m, last, never_called, 0, "y", &dev), 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &dev), "x");
	assert_string_equal(usoftirq_free_irq(m, last, &dev), "y");
	finish(m);
}

/* 6.2 and section 8: handler == NULL without IRQF_ONESHOT is -EINVAL with
 * the kernel's "Threaded irq requested with handler=NULL and !ONESHOT"
 * message, and no thread is created; with IRQF_ONESHOT the default primary
 * handler wakes the thread. */
static void test_null_handler_needs_oneshot(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	assert_int_equal(usoftirq_request_threaded_irq(
				 m, IRQ, NULL, irq_dev_thread, 0, "thr", &d),
			 -EINVAL);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_REQUEST_INVALID), 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_REQUEST_INVALID, 0),
		"Threaded irq requested with handler=NULL and !ONESHOT for "
		"thr (irq 5)");
	assert_int_equal(threads_named("irq/5-thr"), 0);
	assert_int_equal(pulse_and_run(m, IRQ), 0);

	assert_int_equal(
		usoftirq_request_threaded_irq(m, IRQ, NULL, irq_dev_thread,
					      USOFTIRQ_IRQF_ONESHOT, "thr", &d),
		0);
	assert_int_equal(threads_named("irq/5-thr"), 1);
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&d.thread), 1);
	assert_int_equal(captured_total(), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "thr");
	irq_dev_destroy(&d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Sharing                                                             */
/* ------------------------------------------------------------------ */

/* Section 8: a second request of a line that is not shared fails with
 * -EBUSY and the kernel's "Flags mismatch" message (new action first; the
 * request_irq() form adds IRQF_COND_ONESHOT); IRQF_PROBE_SHARED silences
 * the message. The first action keeps the line. */
static void test_second_non_shared_request_is_busy(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev a, b;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&b, m, IRQ);
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary, 0,
					      "first", &a),
			 0);
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary, 0,
					      "second", &b),
			 -EBUSY);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH), 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH, 0),
		"Flags mismatch irq 5. 00200000 (second) vs. 00200000 (first)");
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary,
					      USOFTIRQ_IRQF_PROBE_SHARED,
					      "probe", &b),
			 -EBUSY);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH), 1);

	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 1);
	assert_int_equal(irq_probe_finished(&b.primary), 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "first");
	assert_int_equal(captured_total(), 1);
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	finish(m);
}

static int request_shared(struct usoftirq_machine *m, unsigned long flags,
			  const char *name, struct irq_dev *d)
{
	return usoftirq_request_irq(m, IRQ, irq_dev_primary,
				    USOFTIRQ_IRQF_SHARED | flags, name, d);
}

/* 6.2: sharers must all say IRQF_SHARED and agree on the trigger type and
 * IRQF_PERCPU; a sharer that gives no trigger takes the line's (and the
 * message shows it). Each refusal is -EBUSY with "Flags mismatch". */
static void test_sharers_must_agree_on_trigger_and_percpu(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev a, b, c;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&b, m, IRQ);
	irq_dev_init(&c, m, IRQ);
	assert_int_equal(request_shared(m, USOFTIRQ_IRQF_TRIGGER_HIGH, "a", &a),
			 0);
	assert_int_equal(request_shared(m, 0, "b", &b), 0);
	assert_int_equal(request_shared(m, USOFTIRQ_IRQF_TRIGGER_RISING, "c",
					&c),
			 -EBUSY);
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary, 0, "c",
					      &c),
			 -EBUSY);
	assert_int_equal(request_shared(m,
					USOFTIRQ_IRQF_TRIGGER_HIGH |
						USOFTIRQ_IRQF_PERCPU,
					"c", &c),
			 -EBUSY);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH), 3);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH, 0),
		"Flags mismatch irq 5. 00200081 (c) vs. 00200084 (a)");
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH, 1),
		"Flags mismatch irq 5. 00200004 (c) vs. 00200084 (a)");
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH, 2),
		"Flags mismatch irq 5. 00200484 (c) vs. 00200084 (a)");

	/* Both sharers run on every interrupt; c never does. */
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 1);
	assert_int_equal(irq_probe_finished(&b.primary), 1);
	assert_int_equal(irq_probe_finished(&c.primary), 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	assert_string_equal(usoftirq_free_irq(m, IRQ, &b), "b");
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	irq_dev_destroy(&c);
	finish(m);
}

/* 6.2, 6.4: sharers must agree on IRQF_ONESHOT, except that request_irq()
 * (IRQF_COND_ONESHOT) joins a ONESHOT line. */
static void test_sharers_must_agree_on_oneshot(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev a, b, c;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&b, m, IRQ);
	irq_dev_init(&c, m, IRQ);
	assert_int_equal(usoftirq_request_threaded_irq(
				 m, IRQ, NULL, irq_dev_thread,
				 USOFTIRQ_IRQF_SHARED | USOFTIRQ_IRQF_ONESHOT,
				 "a", &a),
			 0);
	assert_int_equal(usoftirq_request_threaded_irq(
				 m, IRQ, irq_dev_primary, irq_dev_thread,
				 USOFTIRQ_IRQF_SHARED, "b", &b),
			 -EBUSY);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH, 0),
		"Flags mismatch irq 5. 00000080 (b) vs. 00002080 (a)");
	assert_int_equal(threads_named("irq/5-b"), 0);
	assert_int_equal(request_shared(m, 0, "c", &c), 0);
	assert_int_equal(captured_total(), 1);

	/* One interrupt: the default primary wakes a's thread, c's handler
	 * runs in hardirq context. */
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	usoftirq_synchronize_irq(m, IRQ);
	assert_int_equal(irq_probe_finished(&a.thread), 1);
	assert_int_equal(irq_probe_finished(&c.primary), 1);
	assert_true(c.primary.run[0].in_hardirq);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	assert_string_equal(usoftirq_free_irq(m, IRQ, &c), "c");
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	irq_dev_destroy(&c);
	finish(m);
}

/* 6.1, 6.5: every action of a shared line runs on each interrupt with its
 * own dev_id; the results are OR-ed (a run is unhandled only if every
 * handler said IRQ_NONE); free_irq() removes the action whose dev_id it is
 * given and returns the very name pointer given at request; after the last
 * one the line is shut down. */
static void test_shared_line_runs_all_and_frees_by_dev_id(void **state)
{
	struct usoftirq_machine *m = stepped();
	static const char name_a[] = "a", name_b[] = "b";
	struct irq_dev a, b;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&b, m, IRQ);
	a.primary.ret = USOFTIRQ_IRQ_NONE;
	assert_int_equal(request_shared(m, 0, name_a, &a), 0);
	assert_int_equal(request_shared(m, 0, name_b, &b), 0);

	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 1);
	assert_int_equal(irq_probe_finished(&b.primary), 1);
	assert_int_equal(a.primary.run[0].irq, IRQ);
	assert_true(a.primary.run[0].enter_seq < b.primary.run[0].enter_seq);
	assert_int_equal(irq_stats(m, IRQ).unhandled, 0);
	b.primary.ret = USOFTIRQ_IRQ_NONE;
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_stats(m, IRQ).unhandled, 1);

	assert_ptr_equal(usoftirq_free_irq(m, IRQ, &a), name_a);
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 2);
	assert_int_equal(irq_probe_finished(&b.primary), 3);
	assert_ptr_equal(usoftirq_free_irq(m, IRQ, &b), name_b);
	assert_int_equal(pulse_and_run(m, IRQ), 0);
	assert_int_equal(irq_probe_finished(&b.primary), 3);
	assert_int_equal(irq_stats(m, IRQ).runs, 3);
	assert_int_equal(captured_total(), 0);
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

/* 6.5 and section 8: freeing a line nobody requested, a dev_id that is not
 * on the line, or an action twice, prints "Trying to free already-free
 * IRQ %d" and returns NULL; the line's real action is untouched. */
static void test_free_of_already_free_irq_warns(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev a, stranger;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&stranger, m, IRQ);
	assert_null(usoftirq_free_irq(m, IRQ, &a));
	assert_int_equal(request_shared(m, 0, "a", &a), 0);
	assert_null(usoftirq_free_irq(m, IRQ, &stranger));
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	assert_null(usoftirq_free_irq(m, IRQ, &a));
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE), 3);
	for (unsigned int i = 0; i < 3; i++)
		assert_string_equal(
			captured_text(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE, i),
			"Trying to free already-free IRQ 5");
	assert_int_equal(captured_total(), 3);
	irq_dev_destroy(&a);
	irq_dev_destroy(&stranger);
	finish(m);
}

static void free_own_line(struct irq_probe *p, int run)
{
	struct irq_dev *d = (struct irq_dev *)(void *)p;

	(void)run;
	p->arg = (void *)usoftirq_free_irq(d->m, d->irq, d);
}

/* 6.5 and section 8: free_irq() from interrupt context (a handler, or a
 * BH-disabled section) prints "Trying to free IRQ %d from IRQ context!";
 * usoftirq then returns NULL without freeing (waiting there would
 * deadlock), so the action keeps running until freed from task context. */
static void test_free_from_interrupt_context_warns(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	d.primary.hook = free_own_line;
	d.primary.arg = &d;
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary, 0,
					      "self", &d),
			 0);
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_null(d.primary.arg);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_FROM_INTERRUPT), 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_FREE_FROM_INTERRUPT, 0),
		"Trying to free IRQ 5 from IRQ context!");

	d.primary.hook = NULL;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	assert_null(usoftirq_free_irq(m, IRQ, &d));
	usoftirq_local_bh_enable();
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_FROM_INTERRUPT), 2);

	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 2);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "self");
	assert_int_equal(captured_total(), 2);
	irq_dev_destroy(&d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* IRQF_NO_AUTOEN and enable_irq() before request                      */
/* ------------------------------------------------------------------ */

/* 6.2: with IRQF_NO_AUTOEN the line starts disabled (depth 1): nothing
 * runs until one enable_irq(); a second enable is unbalanced. */
static void test_no_autoen_needs_one_enable(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary,
					      USOFTIRQ_IRQF_NO_AUTOEN, "late",
					      &d),
			 0);
	assert_int_equal(pulse_and_run(m, IRQ), 0);
	assert_int_equal(irq_probe_started(&d.primary), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(captured_total(), 0);
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&d.primary), 1);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE,
					  0),
			    "Unbalanced enable for IRQ 5");
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "late");
	irq_dev_destroy(&d);
	finish(m);
}

/* 6.5 and section 8: enable_irq() on a line nobody requested prints
 * "enable_irq before setup/request_irq: irq %u" and changes nothing (the
 * kernel returns right after the WARN), so calling it twice prints that
 * twice and no "Unbalanced enable"; a later request starts normally. */
static void test_enable_before_request_warns_and_changes_nothing(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	usoftirq_enable_irq(m, IRQ);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_ENABLE_BEFORE_SETUP), 2);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_ENABLE_BEFORE_SETUP, 0),
		"enable_irq before setup/request_irq: irq 5");
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE), 0);
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, irq_dev_primary, 0, "d", &d), 0);
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "d");
	assert_int_equal(captured_total(), 2);
	irq_dev_destroy(&d);
	finish(m);
}

/* ------------------------------------------------------------------ */
/* devm_                                                               */
/* ------------------------------------------------------------------ */

static bool interrupts_table_has(struct usoftirq_machine *m, const char *s)
{
	char table[4096];

	assert_true(usoftirq_interrupts_format(m, table, sizeof(table)) <
		    (int)sizeof(table));
	return strstr(table, s) != NULL;
}

/* 6.6: devm_request_irq() with a NULL name uses the device's name; the
 * request is freed when the device's resources are released (a threaded
 * one with its thread), after which free_irq() finds nothing. */
static void test_devm_request_freed_at_release(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_device dev;
	struct irq_dev a, t;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&t, m, OTHER_IRQ);
	t.primary.ret = USOFTIRQ_IRQ_WAKE_THREAD;
	usoftirq_device_init(&dev, m, "mydev");
	assert_int_equal(usoftirq_devm_request_irq(&dev, IRQ, irq_dev_primary,
						   0, NULL, &a),
			 0);
	assert_int_equal(usoftirq_devm_request_threaded_irq(
				 &dev, OTHER_IRQ, irq_dev_primary,
				 irq_dev_thread, 0, "thr", &t),
			 0);
	assert_true(interrupts_table_has(m, "5-edge      mydev\n"));
	assert_int_equal(threads_named("irq/6-thr"), 1);
	assert_int_equal(pulse_and_run(m, IRQ), 1);
	assert_int_equal(irq_probe_finished(&a.primary), 1);

	assert_int_equal(usoftirq_devres_release_all(&dev), 2);
	assert_int_equal(threads_named("irq/6-thr"), 0);
	assert_false(interrupts_table_has(m, "mydev"));
	assert_int_equal(pulse_and_run(m, IRQ), 0);
	assert_int_equal(irq_probe_finished(&a.primary), 1);
	assert_null(usoftirq_free_irq(m, IRQ, &a));
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE), 1);
	irq_dev_destroy(&a);
	irq_dev_destroy(&t);
	finish(m);
}

/* 6.6: devm_free_irq() frees early, so release finds nothing; freeing a
 * request the device does not manage is reported. */
static void test_devm_free_early(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_device dev;
	struct irq_dev a;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	usoftirq_device_init(&dev, m, "mydev");
	assert_int_equal(usoftirq_devm_request_irq(&dev, IRQ, irq_dev_primary,
						   0, "a", &a),
			 0);
	usoftirq_devm_free_irq(&dev, IRQ, &a);
	assert_int_equal(captured_total(), 0);
	assert_int_equal(pulse_and_run(m, IRQ), 0);
	assert_int_equal(usoftirq_devres_release_all(&dev), 0);

	usoftirq_devm_free_irq(&dev, IRQ, &a);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE,
					  0),
			    "devm_free_irq(mydev, 5): no such managed IRQ");
	irq_dev_destroy(&a);
	finish(m);
}

/* 6.6 (6.18): a failed devm request reports, through dev_err_probe(),
 * "request_irq(%u) %ps %ps %s" after the device prefix and the symbolic
 * error (a device with neither driver nor bus has an empty driver string,
 * hence the leading space, as in the kernel), leaves nothing to release,
 * and the kernel's own request message still comes first. */
static void test_devm_request_failure_reported(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct usoftirq_device dev;
	struct irq_dev a, b;

	(void)state;
	irq_dev_init(&a, m, IRQ);
	irq_dev_init(&b, m, IRQ);
	usoftirq_device_init(&dev, m, "mydev");
	assert_int_equal(
		usoftirq_request_irq(m, IRQ, irq_dev_primary, 0, "a", &a), 0);
	assert_int_equal(usoftirq_devm_request_irq(&dev, IRQ, irq_dev_primary,
						   0, "b", &b),
			 -EBUSY);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_REQUEST_FAILED), 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_REQUEST_FAILED, 0),
		" mydev: error -EBUSY: request_irq(5) irq_dev_primary 0x0 b");
	assert_int_equal(usoftirq_devm_request_threaded_irq(
				 &dev, IRQ, NULL, irq_dev_thread, 0, NULL, &b),
			 -EINVAL);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_REQUEST_FAILED, 1),
		" mydev: error -EINVAL: request_irq(5) 0x0 irq_dev_thread mydev");
	assert_int_equal(usoftirq_devres_release_all(&dev), 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &a), "a");
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_checks_arguments_in_kernel_order),
		cmocka_unit_test(test_null_handler_needs_oneshot),
		cmocka_unit_test(test_second_non_shared_request_is_busy),
		cmocka_unit_test(test_sharers_must_agree_on_trigger_and_percpu),
		cmocka_unit_test(test_sharers_must_agree_on_oneshot),
		cmocka_unit_test(test_shared_line_runs_all_and_frees_by_dev_id),
		cmocka_unit_test(test_free_of_already_free_irq_warns),
		cmocka_unit_test(test_free_from_interrupt_context_warns),
		cmocka_unit_test(test_no_autoen_needs_one_enable),
		cmocka_unit_test(
			test_enable_before_request_warns_and_changes_nothing),
		cmocka_unit_test(test_devm_request_freed_at_release),
		cmocka_unit_test(test_devm_free_early),
		cmocka_unit_test(test_devm_request_failure_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
