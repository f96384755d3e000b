/* SPDX-License-Identifier: MIT */
/*
 * The /proc/interrupts table and the line books: usoftirq_interrupts_format()
 * prints the kernel's show_interrupts() layout (a header of CPU columns,
 * then per line the per-vCPU counts, the chip, the line number with its
 * flow type, and the actions' names), only for lines with an action or a
 * count, widening the number column for large machines, and truncating
 * like snprintf(); usoftirq_irq_stat() gives the per-vCPU counts and the
 * books of usoftirq_irq_get_stats() add up (pulses = coalesced + consumed
 * + dropped + pending; runs = the sum of the per-vCPU counts).
 *
 * Expected tables are written out by hand, column by column, from the
 * kernel's format strings ("%*d: ", "%10u ", " %8s", " %*lu", "-%-8s",
 * "  %s", ", %s").
 */
#include "irq_test_util.h"

#include <string.h>

static struct usoftirq_machine *stepped(unsigned int nr_irqs)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m = NULL;

	cfg.ncpus = 2;
	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS;
	cfg.nr_irqs = nr_irqs;
	assert_int_equal(usoftirq_machine_create(&m, &cfg), 0);
	capture_start();
	return m;
}

static void finish(struct usoftirq_machine *m)
{
	capture_stop();
	assert_int_equal(captured_total(), 0);
	usoftirq_machine_destroy(m);
}

/* @n interrupts on @irq, delivered on vCPU @cpu. */
static void interrupt_on(struct usoftirq_machine *m, unsigned int irq,
			 unsigned int cpu, int n)
{
	assert_int_equal(usoftirq_irq_set_affinity(m, irq, cpu), 0);
	for (int i = 0; i < n; i++) {
		assert_int_equal(usoftirq_irq_pulse(m, irq), 0);
		assert_int_equal(usoftirq_cpu_run_irqs(m, cpu), 1);
	}
}

static void request(struct usoftirq_machine *m, unsigned int irq,
		    unsigned long flags, const char *name, struct irq_dev *d)
{
	irq_dev_init(d, m, irq);
	assert_int_equal(usoftirq_request_irq(m, irq, irq_dev_primary, flags,
					      name, d),
			 0);
}

static const char expected_table[] =
	"           CPU0       CPU1       \n"
	"  5:          2          1  usoftirq   5-edge      mydev\n"
	"  7:          0          1  usoftirq   7-level     a, b\n"
	"  9:          0          0  usoftirq   9-level     idle\n"
	" 12:          1          0  usoftirq  12-edge    \n";

/* The whole table: per-vCPU counts, edge and level lines (from the
 * request's IRQF_TRIGGER_* or usoftirq_irq_set_type()), shared actions in
 * request order, a requested line that never fired, a freed line that
 * keeps its counts but no name; lines with neither are not shown. */
static void test_interrupts_table(void **state)
{
	struct usoftirq_machine *m = stepped(0);
	struct irq_dev mydev, a, b, idle, gone;
	char table[1024];
	int len;

	(void)state;
	request(m, 5, 0, "mydev", &mydev);
	request(m, 7, USOFTIRQ_IRQF_SHARED | USOFTIRQ_IRQF_TRIGGER_HIGH, "a",
		&a);
	request(m, 7, USOFTIRQ_IRQF_SHARED, "b", &b);
	request(m, 9, 0, "idle", &idle);
	assert_int_equal(
		usoftirq_irq_set_type(m, 9, USOFTIRQ_IRQ_TYPE_LEVEL_LOW), 0);
	request(m, 12, 0, "gone", &gone);
	interrupt_on(m, 5, 0, 2);
	interrupt_on(m, 5, 1, 1);
	interrupt_on(m, 7, 1, 1);
	interrupt_on(m, 12, 0, 1);
	assert_string_equal(usoftirq_free_irq(m, 12, &gone), "gone");

	len = usoftirq_interrupts_format(m, table, sizeof(table));
	assert_string_equal(table, expected_table);
	assert_int_equal(len, (int)strlen(expected_table));

	assert_string_equal(usoftirq_free_irq(m, 5, &mydev), "mydev");
	assert_string_equal(usoftirq_free_irq(m, 7, &a), "a");
	assert_string_equal(usoftirq_free_irq(m, 7, &b), "b");
	assert_string_equal(usoftirq_free_irq(m, 9, &idle), "idle");
	irq_dev_destroy(&mydev);
	irq_dev_destroy(&a);
	irq_dev_destroy(&b);
	irq_dev_destroy(&idle);
	irq_dev_destroy(&gone);
	finish(m);
}

/* Like snprintf(): the return value is the whole table's length whatever
 * the buffer, the buffer is always terminated, NULL with size 0 measures. */
static void test_interrupts_table_truncates(void **state)
{
	struct usoftirq_machine *m = stepped(0);
	static const char header[] = "           CPU0       CPU1       \n";
	char small[10];
	struct irq_dev d;
	int len;

	(void)state;
	assert_int_equal(usoftirq_interrupts_format(m, NULL, 0),
			 (int)strlen(header));
	request(m, 5, 0, "mydev", &d);
	len = usoftirq_interrupts_format(m, NULL, 0);
	assert_int_equal(len, (int)strlen(header) +
				      (int)strlen("  5:          0          0 "
						  " usoftirq   5-edge      "
						  "mydev\n"));
	memset(small, 'x', sizeof(small));
	assert_int_equal(usoftirq_interrupts_format(m, small, sizeof(small)),
			 len);
	assert_string_equal(small, "         ");
	assert_string_equal(usoftirq_free_irq(m, 5, &d), "mydev");
	irq_dev_destroy(&d);
	finish(m);
}

/* show_interrupts() widens the number column by one per decade of
 * nr_irqs from 1000 on: with 1024 lines, four digits. */
static void test_interrupts_table_widens_for_many_lines(void **state)
{
	struct usoftirq_machine *m = stepped(USOFTIRQ_MAX_IRQS);
	char table[512];
	struct irq_dev d, last;

	(void)state;
	request(m, 5, 0, "five", &d);
	request(m, USOFTIRQ_MAX_IRQS, 0, "last", &last);
	interrupt_on(m, USOFTIRQ_MAX_IRQS, 1, 3);
	(void)usoftirq_interrupts_format(m, table, sizeof(table));
	assert_string_equal(
		table,
		"            CPU0       CPU1       \n"
		"   5:          0          0  usoftirq    5-edge      five\n"
		"1024:          0          3  usoftirq 1024-edge      last\n");
	assert_string_equal(usoftirq_free_irq(m, 5, &d), "five");
	assert_string_equal(usoftirq_free_irq(m, USOFTIRQ_MAX_IRQS, &last),
			    "last");
	irq_dev_destroy(&d);
	irq_dev_destroy(&last);
	finish(m);
}

/* The books: every edge is coalesced, consumed, dropped (still pending
 * when the last action was freed) or pending; the runs are the sum of the
 * per-vCPU counts, and only the lines' own. */
static void test_books_add_up(void **state)
{
	struct usoftirq_machine *m = stepped(0);
	struct usoftirq_irq_stats st;
	struct irq_dev d, other;

	(void)state;
	request(m, 5, 0, "d", &d);
	request(m, 6, 0, "other", &other);
	interrupt_on(m, 5, 0, 4);
	interrupt_on(m, 5, 1, 2);
	interrupt_on(m, 6, 1, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(usoftirq_irq_pulse(m, 5), 0);
	st = irq_stats(m, 5);
	assert_int_equal(st.pulses, 9);
	assert_int_equal(st.consumed, 6);
	assert_int_equal(st.coalesced, 2);
	assert_int_equal(st.pending, 1);
	assert_int_equal(st.dropped, 0);
	assert_true(irq_books_balance(&st));
	assert_int_equal(st.runs, 6);
	assert_int_equal(usoftirq_irq_stat(m, 5, 0) +
				 usoftirq_irq_stat(m, 5, 1),
			 st.runs);
	assert_int_equal(usoftirq_irq_stat(m, 5, 0), 4);
	assert_int_equal(usoftirq_irq_stat(m, 6, 0), 0);
	assert_int_equal(usoftirq_irq_stat(m, 6, 1), 1);

	/* Disabled with an edge pending, then freed: the edge is dropped. */
	usoftirq_disable_irq(m, 5);
	assert_string_equal(usoftirq_free_irq(m, 5, &d), "d");
	st = irq_stats(m, 5);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.dropped, 1);
	assert_true(irq_books_balance(&st));
	assert_int_equal(usoftirq_cpu_run_irqs(m, 1), 0);
	assert_int_equal(irq_probe_finished(&d.primary), 6);
	assert_string_equal(usoftirq_free_irq(m, 6, &other), "other");
	irq_dev_destroy(&d);
	irq_dev_destroy(&other);
	finish(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interrupts_table),
		cmocka_unit_test(test_interrupts_table_truncates),
		cmocka_unit_test(test_interrupts_table_widens_for_many_lines),
		cmocka_unit_test(test_books_add_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
