/* SPDX-License-Identifier: MIT */
/*
 * Handlers that misbehave (kernel-semantics 6.1 and the "nobody cared" and
 * "bogus return" rows of section 8, from kernel/irq/spurious.c): a line
 * whose handlers return IRQ_NONE in more than 99,900 of 100,000 runs is
 * reported ("nobody cared") and disabled, exactly at the 100,000th run,
 * and 99,900 is still fine; a handler returning something else than
 * NONE/HANDLED/WAKE_THREAD is reported ("bogus return value") once per
 * line; and usoftirq's own report for a level line whose handlers never
 * clear the cause (the kernel would loop in hardirq forever): reported and
 * disabled after 100,000 consecutive runs.
 *
 * Long runs are made cheaply: the handler raises its own line again
 * (an edge during a run makes one more run), so one delivery from the
 * test runs up to the per-entry budget of handler runs.
 */
#include "irq_test_util.h"

#include <stdatomic.h>
#include <string.h>

#define IRQ 5
#define WINDOW 100000 /* note_interrupt()'s window */
#define LIMIT 99900 /* unhandled runs allowed in a window */

static struct usoftirq_machine *stepped(void)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);

	capture_start();
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	capture_stop();
	usoftirq_machine_destroy(m);
}

/* A device that fires @left more times on its own, answering @ret each
 * time; a separate counter says how many answers remain @ret before
 * switching to IRQ_HANDLED. */
struct chatty {
	struct usoftirq_machine *m;
	_Atomic long refire; /* runs still to trigger another run */
	_Atomic long none_left; /* runs still to answer with @ret */
	usoftirq_irqreturn_t ret;
	_Atomic long runs;
};

static usoftirq_irqreturn_t chatty_handler(int irq, void *dev_id)
{
	struct chatty *c = dev_id;

	atomic_fetch_add(&c->runs, 1);
	if (atomic_fetch_sub(&c->refire, 1) > 0)
		(void)usoftirq_irq_pulse(c->m, (unsigned int)irq);
	if (atomic_fetch_sub(&c->none_left, 1) > 0)
		return c->ret;
	return USOFTIRQ_IRQ_HANDLED;
}

/* Deliver until the line goes quiet: the total number of runs. */
static long run_until_quiet(struct usoftirq_machine *m)
{
	long total = 0;
	int n;

	while ((n = usoftirq_cpu_run_irqs(m, 0)) > 0)
		total += n;
	assert_true(n == 0);
	return total;
}

/* @runs runs of the chatty handler, the first @none of them IRQ_NONE. */
static long fire(struct chatty *c, long runs, long none)
{
	atomic_store(&c->refire, runs - 1);
	atomic_store(&c->none_left, none);
	c->ret = USOFTIRQ_IRQ_NONE;
	assert_int_equal(usoftirq_irq_pulse(c->m, IRQ), 0);
	return run_until_quiet(c->m);
}

/* note_interrupt(): in a window of 100,000 runs, 99,900 unhandled are
 * tolerated; in the next window 100,000 unhandled runs make the kernel's
 * "nobody cared" report at the last run, and the line is disabled (depth
 * 1): further edges wait, enable_irq() brings it back. */
static void test_nobody_cared_disables_line(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct chatty c = { .m = m };

	(void)state;
	assert_int_equal(usoftirq_request_irq(m, IRQ, chatty_handler, 0,
					      "chatty", &c),
			 0);
	assert_int_equal(fire(&c, WINDOW, LIMIT), WINDOW);
	assert_int_equal(captured_total(), 0);
	assert_int_equal(irq_stats(m, IRQ).unhandled, LIMIT);

	assert_int_equal(fire(&c, WINDOW - 1, WINDOW), WINDOW - 1);
	assert_int_equal(captured_total(), 0);
	assert_int_equal(fire(&c, 5, 5), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_NOBODY_CARED), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_NOBODY_CARED, 0),
			    "irq 5: nobody cared (try booting with the "
			    "\"irqpoll\" option)\nDisabling IRQ #5");
	assert_int_equal(irq_stats(m, IRQ).runs, 2 * WINDOW);
	assert_int_equal(irq_stats(m, IRQ).unhandled, LIMIT + WINDOW);
	assert_int_equal(atomic_load(&c.runs), 2 * WINDOW);

	/* Disabled: the edge the last run raised waits for enable_irq(). */
	assert_int_equal(irq_stats(m, IRQ).pending, 1);
	atomic_store(&c.refire, 0);
	atomic_store(&c.none_left, 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(run_until_quiet(m), 1);
	assert_int_equal(captured_total(), 1);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &c), "chatty");
	finish(m);
}

/* bad_action_ret(): anything above IRQ_HANDLED | IRQ_WAKE_THREAD is
 * reported as "irq event %d: bogus return value %x", once per line. */
static void test_bogus_return_reported_once(void **state)
{
	struct usoftirq_machine *m = stepped();
	struct irq_dev d;

	(void)state;
	irq_dev_init(&d, m, IRQ);
	d.primary.ret = (usoftirq_irqreturn_t)4;
	assert_int_equal(usoftirq_request_irq(m, IRQ, irq_dev_primary, 0,
					      "bogus", &d),
			 0);
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_BOGUS_RETURN), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_IRQ_BOGUS_RETURN, 0),
			    "irq event 5: bogus return value 4");
	d.primary.ret = (usoftirq_irqreturn_t)0x11;
	assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(captured_total(), 1);
	assert_int_equal(irq_stats(m, IRQ).unhandled, 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, &d), "bogus");
	irq_dev_destroy(&d);
	finish(m);
}

static usoftirq_irqreturn_t never_clears_cause(int irq, void *dev_id)
{
	_Atomic long *runs = dev_id;

	(void)irq;
	atomic_fetch_add(runs, 1);
	return USOFTIRQ_IRQ_HANDLED;
}

/* A level line still asserted after 100,000 consecutive runs, never
 * deasserted, is reported and disabled, after exactly that many runs. */
static void test_stuck_level_reported_and_disabled(void **state)
{
	struct usoftirq_machine *m = stepped();
	_Atomic long runs = 0;

	(void)state;
	assert_int_equal(usoftirq_request_irq(m, IRQ, never_clears_cause,
					      USOFTIRQ_IRQF_TRIGGER_HIGH,
					      "stuck", (void *)&runs),
			 0);
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, true), 0);
	assert_int_equal(run_until_quiet(m), WINDOW);
	assert_int_equal(atomic_load(&runs), WINDOW);
	assert_int_equal(captured(USOFTIRQ_REPORT_IRQ_LEVEL_STUCK), 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_IRQ_LEVEL_STUCK, 0),
		"irq 5: level-triggered line still asserted after 100000 "
		"consecutive handler runs: its handlers return without "
		"clearing the cause; disabling the line");
	assert_int_equal(captured_total(), 1);

	/* The device finally drops the level: nothing to replay. */
	assert_int_equal(usoftirq_irq_set_level(m, IRQ, false), 0);
	usoftirq_enable_irq(m, IRQ);
	assert_int_equal(run_until_quiet(m), 0);
	assert_string_equal(usoftirq_free_irq(m, IRQ, (void *)&runs), "stuck");
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nobody_cared_disables_line),
		cmocka_unit_test(test_bogus_return_reported_once),
		cmocka_unit_test(test_stuck_level_reported_and_disabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
