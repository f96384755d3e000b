/* SPDX-License-Identifier: MIT */
/*
 * The RX FIFO device: creation checks, register semantics (status latch
 * held up by a non-empty FIFO, write-1-to-clear, FIFO order, underflow),
 * exact overrun accounting, the interrupt line following
 * IRQ_STATUS & IRQ_CTRL exactly, a hardirq handler draining the FIFO, and
 * a driver shaped like the seed's (mask in the handler, clear, drain,
 * re-enable from the tasklet) that must never stall with data in the FIFO.
 */
#include "test_util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define PHYS 0x50000000u
#define LINE 7

#define STATUS USOFTIRQ_RXDEV_IRQ_STATUS
#define CTRL USOFTIRQ_RXDEV_IRQ_CTRL
#define CLEAR USOFTIRQ_RXDEV_IRQ_CLEAR
#define COUNT USOFTIRQ_RXDEV_RX_FIFO_COUNT
#define DATA USOFTIRQ_RXDEV_RX_DATA
#define RX_IRQ USOFTIRQ_RXDEV_RX_IRQ
#define OVERRUN USOFTIRQ_RXDEV_OVERRUN

struct rig {
	struct usoftirq_machine *m;
	struct usoftirq_rxdev *d;
	char *regs;
};

static void rig_create(struct rig *r, unsigned int ncpus, unsigned int flags,
		       unsigned int depth)
{
	struct usoftirq_rxdev_config cfg = { depth, LINE, PHYS, NULL };

	r->m = test_machine(ncpus, flags);
	assert_int_equal(usoftirq_rxdev_create(&r->d, r->m, &cfg), 0);
	r->regs = usoftirq_ioremap(r->m, PHYS, USOFTIRQ_RXDEV_SIZE);
	assert_non_null(r->regs);
}

static void rig_destroy(struct rig *r)
{
	usoftirq_iounmap(r->regs);
	usoftirq_rxdev_destroy(r->d);
	usoftirq_machine_destroy(r->m);
}

static uint32_t rd(struct rig *r, unsigned int off)
{
	return usoftirq_readl(r->regs + off);
}

static void wr(struct rig *r, uint32_t v, unsigned int off)
{
	usoftirq_writel(v, r->regs + off);
}

static void stats(struct rig *r, struct usoftirq_rxdev_stats *st)
{
	usoftirq_rxdev_get_stats(r->d, st);
}

/* ------------------------------------------------------------------ */
/* Creation and registers                                              */
/* ------------------------------------------------------------------ */

/* Bad line, address or depth: -EINVAL; a taken range: -EBUSY. */
static void test_create_checks(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	struct usoftirq_rxdev_config cfg = { 0, LINE, PHYS, "rx0" };
	struct usoftirq_rxdev *a, *b;

	(void)state;
	assert_int_equal(usoftirq_rxdev_create(&a, m, &cfg), 0);
	assert_string_equal(usoftirq_mmio_device_name(usoftirq_rxdev_mmio(a)),
			    "rx0");
	assert_int_equal(usoftirq_rxdev_create(&b, m, &cfg), -EBUSY);
	cfg.phys = PHYS + 0x800;
	assert_int_equal(usoftirq_rxdev_create(&b, m, &cfg), -EINVAL);
	cfg.phys = PHYS + 0x1000;
	cfg.irq = 0;
	assert_int_equal(usoftirq_rxdev_create(&b, m, &cfg), -EINVAL);
	cfg.irq = usoftirq_machine_nr_irqs(m) + 1;
	assert_int_equal(usoftirq_rxdev_create(&b, m, &cfg), -EINVAL);
	cfg.irq = LINE + 1;
	cfg.fifo_depth = (1u << 24) + 1;
	assert_int_equal(usoftirq_rxdev_create(&b, m, &cfg), -EINVAL);
	cfg.fifo_depth = 0;
	cfg.name = NULL;
	assert_int_equal(usoftirq_rxdev_create(&b, m, &cfg), 0);
	assert_string_equal(usoftirq_mmio_device_name(usoftirq_rxdev_mmio(b)),
			    "rxdev");
	usoftirq_rxdev_destroy(b);
	usoftirq_rxdev_destroy(a);
	usoftirq_machine_destroy(m);
}

/* FIFO order, COUNT, the RX_IRQ latch (cleared only once the FIFO is
 * empty), underflow, and the access rules of each register. */
static void test_registers(void **state)
{
	struct usoftirq_rxdev_stats st;
	struct rig r;

	(void)state;
	rig_create(&r, 1, USOFTIRQ_MACHINE_NO_WORKERS, 0);
	assert_int_equal(rd(&r, STATUS), 0);
	assert_int_equal(rd(&r, CTRL), 0);
	assert_int_equal(rd(&r, COUNT), 0);
	for (uint32_t w = 100; w < 103; w++)
		assert_int_equal(usoftirq_rxdev_push(r.d, w), 0);
	assert_int_equal(rd(&r, STATUS), RX_IRQ);
	assert_int_equal(rd(&r, COUNT), 3);
	/* A clear while data remains leaves RX_IRQ up. */
	wr(&r, RX_IRQ, CLEAR);
	assert_int_equal(rd(&r, STATUS), RX_IRQ);
	assert_int_equal(rd(&r, DATA), 100);
	assert_int_equal(rd(&r, DATA), 101);
	assert_int_equal(rd(&r, COUNT), 1);
	assert_int_equal(rd(&r, DATA), 102);
	/* Drained after the clear: the bit drops. */
	assert_int_equal(rd(&r, STATUS), 0);
	assert_int_equal(rd(&r, DATA), 0);
	/* Drained without a clear: the latch stays until cleared. */
	assert_int_equal(usoftirq_rxdev_push(r.d, 7), 0);
	assert_int_equal(rd(&r, DATA), 7);
	assert_int_equal(rd(&r, STATUS), RX_IRQ);
	wr(&r, RX_IRQ, CLEAR);
	assert_int_equal(rd(&r, STATUS), 0);
	wr(&r, RX_IRQ | OVERRUN, CTRL);
	assert_int_equal(rd(&r, CTRL), RX_IRQ | OVERRUN);
	stats(&r, &st);
	assert_int_equal(st.pushed, 4);
	assert_int_equal(st.popped, 4);
	assert_int_equal(st.underflows, 1);
	assert_int_equal(st.overruns, 0);

	capture_start();
	wr(&r, 0, STATUS);
	wr(&r, 1, COUNT);
	wr(&r, 1, DATA);
	assert_int_equal(rd(&r, CLEAR), UINT32_MAX);
	assert_int_equal(usoftirq_readw(r.regs + CTRL), 0xffff);
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_MMIO_BAD_ACCESS), 5);
	assert_non_null(
		strstr(captured_text(USOFTIRQ_REPORT_MMIO_BAD_ACCESS, 3),
		       "read of a write-only register (device rxdev, "
		       "register IRQ_CLEAR, offset 0x8)"));
	stats(&r, &st);
	assert_int_equal(st.popped, 4);
	rig_destroy(&r);
}

/* A full FIFO loses the new word: OVERRUN latches, the counter counts it,
 * the oldest words stay, and the books balance at every step. */
static void test_overrun_accounting(void **state)
{
	struct usoftirq_rxdev_stats st;
	struct rig r;

	(void)state;
	rig_create(&r, 1, USOFTIRQ_MACHINE_NO_WORKERS, 4);
	for (uint32_t w = 0; w < 10; w++)
		assert_int_equal(usoftirq_rxdev_push(r.d, w),
				 w < 4 ? 0 : -ENOSPC);
	stats(&r, &st);
	assert_int_equal(st.pushed, 10);
	assert_int_equal(st.overruns, 6);
	assert_int_equal(rd(&r, STATUS), RX_IRQ | OVERRUN);
	wr(&r, OVERRUN, CLEAR);
	assert_int_equal(rd(&r, STATUS), RX_IRQ);
	assert_int_equal(rd(&r, DATA), 0);
	assert_int_equal(rd(&r, DATA), 1);
	stats(&r, &st);
	assert_int_equal(st.pushed, st.overruns + st.popped + rd(&r, COUNT));
	assert_int_equal(usoftirq_rxdev_push(r.d, 10), 0);
	assert_int_equal(usoftirq_rxdev_push(r.d, 11), 0);
	assert_int_equal(usoftirq_rxdev_push(r.d, 12), -ENOSPC);
	for (uint32_t w = 2; w < 4; w++)
		assert_int_equal(rd(&r, DATA), w);
	assert_int_equal(rd(&r, DATA), 10);
	assert_int_equal(rd(&r, DATA), 11);
	stats(&r, &st);
	assert_int_equal(st.pushed, 13);
	assert_int_equal(st.overruns, 7);
	assert_int_equal(st.popped, 6);
	assert_int_equal(rd(&r, COUNT), 0);
	assert_int_equal(st.pushed, st.overruns + st.popped);
	assert_int_equal(st.underflows, 0);
	rig_destroy(&r);
}

/* ------------------------------------------------------------------ */
/* The interrupt line                                                  */
/* ------------------------------------------------------------------ */

struct seen {
	struct rig *r;
	unsigned int runs;
	uint32_t status, ctrl;
};

/* Records what it saw, then masks the device (which drops the line). */
static usoftirq_irqreturn_t masking_handler(int irq, void *dev_id)
{
	struct seen *s = dev_id;

	s->runs++;
	s->status = rd(s->r, STATUS);
	s->ctrl = rd(s->r, CTRL);
	wr(s->r, 0, CTRL);
	return USOFTIRQ_IRQ_HANDLED;
}

/* Enable @ctrl, deliver, and return the number of handler runs. */
static int enable_and_step(struct rig *r, uint32_t ctrl)
{
	wr(r, ctrl, CTRL);
	return usoftirq_cpu_run_irqs(r->m, 0);
}

/* The line is up exactly while STATUS & CTRL != 0: a stepped machine runs
 * the handler once per assertion, never while the product is 0. */
static void test_line_follows_status_and_ctrl(void **state)
{
	struct usoftirq_rxdev_stats st;
	struct usoftirq_irq_stats is;
	struct rig r;
	struct seen s = { &r, 0, 0, 0 };
	char table[512];

	(void)state;
	rig_create(&r, 1, USOFTIRQ_MACHINE_NO_WORKERS, 2);
	assert_int_equal(usoftirq_request_irq(r.m, LINE, masking_handler, 0,
					      "rx", &s),
			 0);
	assert_int_equal(usoftirq_rxdev_push(r.d, 1), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(r.m, 0), 0); /* CTRL 0 */
	assert_int_equal(enable_and_step(&r, OVERRUN), 0); /* no overrun */
	assert_int_equal(enable_and_step(&r, RX_IRQ), 1);
	assert_int_equal(s.status, RX_IRQ);
	assert_int_equal(s.ctrl, RX_IRQ);
	assert_int_equal(usoftirq_cpu_run_irqs(r.m, 0), 0); /* masked now */

	wr(&r, OVERRUN, CTRL);
	assert_int_equal(usoftirq_rxdev_push(r.d, 2), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(r.m, 0), 0);
	assert_int_equal(usoftirq_rxdev_push(r.d, 3), -ENOSPC);
	assert_int_equal(usoftirq_cpu_run_irqs(r.m, 0), 1);
	assert_int_equal(s.status, RX_IRQ | OVERRUN);
	assert_int_equal(s.ctrl, OVERRUN);

	/* Cleared and drained: enabling everything raises nothing. */
	wr(&r, OVERRUN | RX_IRQ, CLEAR);
	assert_int_equal(rd(&r, DATA), 1);
	assert_int_equal(rd(&r, DATA), 2);
	assert_int_equal(enable_and_step(&r, RX_IRQ | OVERRUN), 0);
	/* With the line enabled, data raises it at once. */
	assert_int_equal(usoftirq_rxdev_push(r.d, 4), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(r.m, 0), 1);
	assert_int_equal(s.runs, 3);

	stats(&r, &st);
	assert_int_equal(st.irq_asserts, 3);
	assert_true(st.last_assert_ns > 0);
	assert_int_equal(usoftirq_irq_get_stats(r.m, LINE, &is), 0);
	assert_int_equal(is.runs, 3);
	assert_int_equal(is.unhandled, 0);
	usoftirq_interrupts_format(r.m, table, sizeof(table));
	assert_non_null(strstr(table, "7-level"));
	assert_ptr_equal(usoftirq_free_irq(r.m, LINE, &s), "rx");
	rig_destroy(&r);
}

/* A device destroyed with its line up drops the line. */
static void test_destroy_drops_line(void **state)
{
	struct rig r;
	struct seen s = { &r, 0, 0, 0 };

	(void)state;
	rig_create(&r, 1, USOFTIRQ_MACHINE_NO_WORKERS, 0);
	assert_int_equal(usoftirq_request_irq(r.m, LINE, masking_handler, 0,
					      "rx", &s),
			 0);
	wr(&r, RX_IRQ, CTRL);
	assert_int_equal(usoftirq_rxdev_push(r.d, 1), 0);
	usoftirq_iounmap(r.regs);
	usoftirq_rxdev_destroy(r.d);
	assert_int_equal(usoftirq_cpu_run_irqs(r.m, 0), 0);
	assert_int_equal(s.runs, 0);
	assert_ptr_equal(usoftirq_free_irq(r.m, LINE, &s), "rx");
	usoftirq_machine_destroy(r.m);
}

/* ------------------------------------------------------------------ */
/* Drivers                                                             */
/* ------------------------------------------------------------------ */

#define RING 256

/**
 * struct drv - a driver of the device.
 * @seed_shaped: the seed's shape (mask, clear, drain in the handler; the
 *	tasklet processes and re-enables); otherwise the handler drains and
 *	clears after draining, with the line never masked.
 */
struct drv {
	struct rig *r;
	bool seed_shaped;
	struct usoftirq_tasklet tasklet;
	usoftirq_spinlock_t lock;
	uint32_t ring[RING];
	int head, tail;
	unsigned long dropped, irqs, none;
	/* One word pushed from inside the driver, at its worst moment. */
	bool inject;
	uint32_t inject_word;
	/* Books of processing, written by one context at a time. */
	uint32_t expect;
	_Atomic unsigned long processed, errors;
	struct gate word_done;
};

static void process_word(struct drv *d, uint32_t w)
{
	if (w != d->expect)
		atomic_fetch_add(&d->errors, 1);
	d->expect = w + 1;
	atomic_fetch_add(&d->processed, 1);
	gate_open(&d->word_done);
}

/*
 * The hardware delivers a word at the driver's worst moment: after its
 * last look at RX_FIFO_COUNT and before it clears (or re-enables).
 */
static void maybe_inject(struct drv *d)
{
	if (!d->inject)
		return;
	d->inject = false;
	(void)usoftirq_rxdev_push(d->r->d, d->inject_word);
}

static void drain_into_ring(struct drv *d)
{
	unsigned long flags = usoftirq_spin_lock_irqsave(&d->lock);

	while (rd(d->r, COUNT)) {
		int next = (d->head + 1) % RING;

		if (next == d->tail) {
			(void)rd(d->r, DATA);
			d->dropped++;
			continue;
		}
		d->ring[d->head] = rd(d->r, DATA);
		d->head = next;
	}
	usoftirq_spin_unlock_irqrestore(&d->lock, flags);
}

static void rx_tasklet(struct usoftirq_tasklet *t)
{
	struct drv *d =
		(struct drv *)((char *)t - offsetof(struct drv, tasklet));
	unsigned long flags = usoftirq_spin_lock_irqsave(&d->lock);

	while (d->head != d->tail) {
		uint32_t w = d->ring[d->tail];

		d->tail = (d->tail + 1) % RING;
		usoftirq_spin_unlock_irqrestore(&d->lock, flags);
		process_word(d, w);
		flags = usoftirq_spin_lock_irqsave(&d->lock);
	}
	usoftirq_spin_unlock_irqrestore(&d->lock, flags);
	if (d->seed_shaped) {
		maybe_inject(d);
		wr(d->r, RX_IRQ, CTRL);
	}
}

static usoftirq_irqreturn_t rx_handler(int irq, void *dev_id)
{
	struct drv *d = dev_id;
	uint32_t status = rd(d->r, STATUS);

	if (!(status & RX_IRQ)) {
		d->none++;
		return USOFTIRQ_IRQ_NONE;
	}
	d->irqs++;
	if (d->seed_shaped) {
		wr(d->r, 0, CTRL);
		wr(d->r, RX_IRQ, CLEAR);
		drain_into_ring(d);
	} else {
		drain_into_ring(d);
		maybe_inject(d);
		wr(d->r, RX_IRQ, CLEAR);
	}
	usoftirq_tasklet_schedule(&d->tasklet);
	return USOFTIRQ_IRQ_HANDLED;
}

static struct drv *drv_create(struct rig *r, bool seed_shaped)
{
	struct drv *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->r = r;
	d->seed_shaped = seed_shaped;
	usoftirq_spin_lock_init(&d->lock, "drv->lock");
	usoftirq_tasklet_setup(&d->tasklet, rx_tasklet);
	gate_init(&d->word_done, "word processed");
	assert_int_equal(
		usoftirq_request_irq(r->m, LINE, rx_handler, 0, "rx", d), 0);
	wr(r, RX_IRQ, CTRL);
	return d;
}

/* After free_irq(): no handler can schedule the tasklet any more. */
static void drv_destroy(struct drv *d)
{
	usoftirq_tasklet_kill(&d->tasklet);
	gate_destroy(&d->word_done);
	free(d);
}

/* Books of a run that pushed @pushed words and lost none. */
static void check_books(struct drv *d, unsigned long pushed)
{
	struct usoftirq_rxdev_stats st;

	assert_int_equal(atomic_load(&d->processed), pushed);
	assert_int_equal(atomic_load(&d->errors), 0);
	assert_int_equal(d->dropped, 0);
	stats(d->r, &st);
	assert_int_equal(st.pushed, pushed);
	assert_int_equal(st.popped, pushed);
	assert_int_equal(st.overruns, 0);
	assert_int_equal(st.underflows, 0);
	assert_int_equal(rd(d->r, COUNT), 0);
}

/*
 * Stepped, deterministic: words 0..2 are in the FIFO, and word 3 arrives
 * at the driver's worst moment. The line must come back (or stay up) for
 * it: exactly two handler runs, every word processed, nothing left.
 */
static void run_stepped(bool seed_shaped)
{
	struct drv *d;
	struct rig r;
	int runs = 0, n, steps = 0;

	rig_create(&r, 1, USOFTIRQ_MACHINE_NO_WORKERS, 8);
	d = drv_create(&r, seed_shaped);
	for (uint32_t w = 0; w < 3; w++)
		assert_int_equal(usoftirq_rxdev_push(r.d, w), 0);
	d->inject = true;
	d->inject_word = 3;
	while ((n = usoftirq_cpu_run_irqs(r.m, 0)) > 0 && ++steps < 10)
		runs += n;
	assert_int_equal(n, 0);
	assert_int_equal(runs, 2);
	assert_int_equal(d->irqs, 2);
	assert_false(d->inject);
	check_books(d, 4);
	assert_int_equal(rd(&r, STATUS), 0);
	assert_ptr_equal(usoftirq_free_irq(r.m, LINE, d), "rx");
	drv_destroy(d);
	rig_destroy(&r);
}

/* The seed's shape: the word arrives after the drain, before the tasklet
 * re-enables; the re-enable raises the line again. */
static void test_seed_shape_reenable_sees_late_word(void **state)
{
	(void)state;
	run_stepped(true);
}

/* Clear after drain: the word arrives after the last count read, before
 * the clear; a non-empty FIFO keeps RX_IRQ and the line up. */
static void test_clear_after_drain_keeps_line_up(void **state)
{
	(void)state;
	run_stepped(false);
}

#define BURSTS 400

/*
 * Push BURSTS bursts of 1..16 words while the driver runs, letting at most
 * two bursts be outstanding (so neither FIFO nor ring can overflow), and
 * wait, word by word through a gate, until every word was processed. A
 * driver that stalls with data in the FIFO hangs here (the CTest timeout
 * fails the test).
 */
static void run_driver(bool seed_shaped)
{
	unsigned long pushed = 0, waited = 0, prev_burst = 0;
	struct drv *d;
	struct rig r;

	rig_create(&r, 2, 0, 64);
	d = drv_create(&r, seed_shaped);
	for (unsigned int b = 0; b < BURSTS; b++) {
		unsigned int n = 1 + (b * 7) % 16;

		for (; waited < pushed - prev_burst; waited++)
			gate_pass(&d->word_done);
		prev_burst = n;
		for (unsigned int i = 0; i < n; i++)
			assert_int_equal(
				usoftirq_rxdev_push(r.d, (uint32_t)pushed++),
				0);
	}
	for (; waited < pushed; waited++)
		gate_pass(&d->word_done);
	/* Free the line first: after that no handler runs, and the books
	 * the handler keeps are final. */
	usoftirq_synchronize_irq(r.m, LINE);
	assert_ptr_equal(usoftirq_free_irq(r.m, LINE, d), "rx");
	assert_true(d->irqs > 0);
	check_books(d, pushed);
	drv_destroy(d);
	rig_destroy(&r);
}

/* The seed's driver, threaded: handler masks, clears, drains; the tasklet
 * re-enables; words arrive in bursts while it works. */
static void test_seed_shaped_driver_never_stalls(void **state)
{
	(void)state;
	run_driver(true);
}

/* A handler that drains in hardirq context and clears after draining,
 * never masking: still no word is left behind. */
static void test_hardirq_drains_fifo(void **state)
{
	(void)state;
	run_driver(false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_checks),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_overrun_accounting),
		cmocka_unit_test(test_line_follows_status_and_ctrl),
		cmocka_unit_test(test_destroy_drops_line),
		cmocka_unit_test(test_seed_shape_reenable_sees_late_word),
		cmocka_unit_test(test_clear_after_drain_keeps_line_up),
		cmocka_unit_test(test_seed_shaped_driver_never_stalls),
		cmocka_unit_test(test_hardirq_drains_fifo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
