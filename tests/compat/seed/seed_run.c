/* SPDX-License-Identifier: MIT */
/*
 * compat_seed_complete_example: the seed document's Complete Example
 * (seed_driver.c), unmodified, driving a simulated device end to end.
 *
 *   machine, 2 vCPUs -> RX FIFO device on its bus, interrupt line SEED_IRQ
 *                    -> platform device SEED_DEVICE_NAME (MEM + IRQ)
 *                    -> the example's driver: probe() maps the registers,
 *                       requests the interrupt, sets up the tasklet
 *   "firmware"       -> enables the receive interrupt in the device, which
 *                       the example's probe() leaves masked
 *   generator thread -> words into the device's FIFO
 *   hardirq handler  -> masks the device, drains the FIFO into the
 *                       driver's ring, schedules the tasklet
 *   tasklet          -> process_rx_data() (below) for each word, then
 *                       wakes rx_wait and re-enables the device interrupt
 *   reader thread    -> blocked in wait_event_interruptible() on rx_wait
 *
 * The generator runs at a rate the driver keeps up with, so nothing may
 * be lost: every generated word reaches process_rx_data() exactly once,
 * in the order generated, in softirq context; the device counts no
 * overrun and no underflow; the reader, woken by the tasklet, sees the
 * last word; and usoftirq reports nothing (no sleep in atomic context, no
 * bad register access, no tasklet or IRQ misuse).
 *
 * The run is timed by the generator alone. The harness waits for the
 * driver on semaphores that process_rx_data() and the reader post, never
 * with a sleep; the waits are bounded by a generous deadline that only a
 * hang reaches, and reaching it fails the test. All checks are made after
 * the tear-down, so a failure leaves no thread behind.
 */
#include "test_util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "seed_harness.h"

#define NCPUS 2
#define SEED_IRQ 5
#define SEED_PHYS 0x10000000ull

/*
 * The device's FIFO depth. A handler drains at most one FIFO into the
 * example's ring, and the tasklet empties the ring before it re-enables
 * the interrupt, so a depth below the ring's capacity (255 words: 256
 * slots, one kept free) means the example's silent "buffer full" drop can
 * never happen. Three quarters of that capacity, so that the bottom half
 * may fall FIFO_DEPTH / RATE = 64 ms behind before the device overruns:
 * room for a loaded machine or a sanitizer build.
 */
#define FIFO_DEPTH 192
/* A few thousand words a second in bursts of a few: far below what the
 * driver sustains, so that any loss is a bug. */
#define RATE 3000.0
#define BURST 3
#define DURATION_NS (300ull * 1000000ull)
/* Bursts shifted by up to half an interval, so that they do not arrive in
 * step with the driver; any fixed seed gives a reproducible schedule. */
#define JITTER 0.5
#define JITTER_SEED 2024
#define FIRST_SEQ 1u
/* How long the driver and the reader get to catch up with the generator:
 * only a hang takes that long. */
#define WAIT_TIMEOUT_S 30

/* ------------------------------------------------------------------ */
/* The consumer: process_rx_data()                                     */
/* ------------------------------------------------------------------ */

/*
 * What process_rx_data() saw. Only the example's tasklet writes them, and
 * it never runs concurrently with itself; they are atomics because the
 * harness and the reader read them while it runs.
 */
static struct {
	atomic_ulong delivered;
	atomic_ulong gaps; /* words more than 1 after the previous: loss */
	atomic_ulong out_of_order; /* words not after the previous */
	atomic_ulong outside_softirq; /* calls not in softirq context */
	_Atomic uint32_t last;
	sem_t progress; /* posted after each word */
} books;

void process_rx_data(uint32_t data)
{
	uint32_t step =
		data - atomic_load_explicit(&books.last, memory_order_relaxed);

	if (!usoftirq_in_serving_softirq())
		atomic_fetch_add(&books.outside_softirq, 1);
	if (step == 0 || step > UINT32_MAX / 2)
		atomic_fetch_add(&books.out_of_order, 1);
	else if (step > 1)
		atomic_fetch_add(&books.gaps, 1);
	atomic_store_explicit(&books.last, data, memory_order_relaxed);
	atomic_fetch_add_explicit(&books.delivered, 1, memory_order_release);
	sem_post(&books.progress); /* async-signal-safe; never sleeps */
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

static atomic_uint reports;

/* Count every report, and print it as the default handler does (with
 * write(2): reports may come from a hardirq handler). */
static void count_report(const struct usoftirq_report *report, void *arg)
{
	ssize_t n = write(STDERR_FILENO, report->line, strlen(report->line));

	(void)n;
	(void)arg;
	atomic_fetch_add(&reports, 1);
}

/* ------------------------------------------------------------------ */
/* Waiting                                                             */
/* ------------------------------------------------------------------ */

/* The deadline of the waits for the driver (sem_timedwait() measures it
 * on CLOCK_REALTIME). */
static struct timespec wait_deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_TIMEOUT_S;
	return ts;
}

/*
 * wait_count() - wait until *@count reaches @target; whoever increments it
 * posts @sem afterwards.
 *
 * Return: true, or false if @deadline passed first.
 */
static bool wait_count(sem_t *sem, atomic_ulong *count, unsigned long target,
		       const struct timespec *deadline)
{
	while (atomic_load_explicit(count, memory_order_acquire) < target) {
		if (sem_timedwait(sem, deadline) && errno == ETIMEDOUT)
			break;
	}
	return atomic_load_explicit(count, memory_order_acquire) >= target;
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

/*
 * A task blocked in the driver's wait queue, as a read() of the device
 * would be. Each time the tasklet's wake_up_interruptible() finds it with
 * new words delivered, it notes how many and posts @progress.
 */
struct reader {
	pthread_t thread;
	struct usoftirq_platform_device *pdev;
	atomic_ulong seen; /* words delivered as of its last wake-up */
	atomic_ulong wakeups;
	atomic_ulong interrupted; /* waits ended by a signal */
	atomic_bool stop;
	sem_t started, progress;
};

static bool reader_has_news(void *arg)
{
	struct reader *rd = arg;

	return atomic_load(&rd->stop) ||
	       atomic_load(&books.delivered) != atomic_load(&rd->seen);
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;

	sem_post(&rd->started);
	while (!atomic_load(&rd->stop)) {
		if (seed_driver_wait(rd->pdev, reader_has_news, rd)) {
			atomic_fetch_add(&rd->interrupted, 1);
			continue;
		}
		atomic_fetch_add(&rd->wakeups, 1);
		atomic_store_explicit(&rd->seen, atomic_load(&books.delivered),
				      memory_order_release);
		sem_post(&rd->progress);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* One run                                                             */
/* ------------------------------------------------------------------ */

struct run {
	struct usoftirq_machine *m;
	struct usoftirq_rxdev *dev;
	struct usoftirq_resource res[2];
	struct usoftirq_platform_device pdev;
	struct reader reader;
	bool driver_registered, device_registered, reader_running;
	/* Results. */
	const char *failed; /* the first call that failed, or NULL */
	int err;
	bool bound;
	bool delivered_in_time, reader_in_time;
	struct usoftirq_generator_stats gen;
	struct usoftirq_rxdev_stats rx;
	struct usoftirq_irq_stats irq;
	unsigned long reader_seen, reader_wakeups;
};

/* Record the first failed call; true if @err is 0. */
static bool check(struct run *r, const char *what, int err)
{
	if (err && !r->failed) {
		r->failed = what;
		r->err = err;
		fprintf(stderr, "seed: %s failed: %s\n", what, strerror(-err));
	}
	return !err;
}

/* The device as board code declares it: its registers and its line. */
static bool register_device_and_driver(struct run *r)
{
	r->res[0] = (struct usoftirq_resource){
		.start = SEED_PHYS,
		.end = SEED_PHYS + USOFTIRQ_RXDEV_SIZE - 1,
		.name = "regs",
		.flags = USOFTIRQ_IORESOURCE_MEM,
	};
	r->res[1] = (struct usoftirq_resource){
		.start = SEED_IRQ,
		.end = SEED_IRQ,
		.name = "rx",
		.flags = USOFTIRQ_IORESOURCE_IRQ |
			 USOFTIRQ_IORESOURCE_IRQ_HIGHLEVEL,
	};
	r->pdev = (struct usoftirq_platform_device){
		.name = SEED_DEVICE_NAME,
		.id = USOFTIRQ_PLATFORM_DEVID_NONE,
		.num_resources = 2,
		.resource = r->res,
	};
	if (!check(r, "usoftirq_platform_device_register",
		   usoftirq_platform_device_register(r->m, &r->pdev)))
		return false;
	r->device_registered = true;
	/* Binds the device: the example's probe() runs here. */
	if (!check(r, "usoftirq_platform_driver_register",
		   usoftirq_platform_driver_register(seed_driver())))
		return false;
	r->driver_registered = true;
	r->bound = usoftirq_platform_device_bound(&r->pdev);
	return check(r, "probe (see the messages above)",
		     r->bound ? 0 : -ENODEV);
}

/*
 * The example's probe() maps the registers and requests the interrupt,
 * but never enables the interrupt in the device, whose IRQ_CTRL is 0 after
 * reset: no interrupt would ever come. (Its tasklet writes IRQ_ENABLE
 * back, but only after a first interrupt.) So the harness enables it once
 * after probe(), as firmware or the rest of the driver would, through a
 * mapping of its own.
 */
static int enable_rx_interrupt(struct run *r)
{
	char *regs = usoftirq_ioremap(r->m, SEED_PHYS, USOFTIRQ_RXDEV_SIZE);

	if (!regs)
		return -ENOMEM;
	usoftirq_writel(SEED_IRQ_ENABLE, regs + USOFTIRQ_RXDEV_IRQ_CTRL);
	usoftirq_iounmap(regs);
	return 0;
}

static int reader_start(struct run *r)
{
	struct reader *rd = &r->reader;
	int err;

	rd->pdev = &r->pdev;
	err = pthread_create(&rd->thread, NULL, reader_main, rd);
	if (err)
		return -err;
	r->reader_running = true;
	/* Let it reach the wait before any word is generated. */
	while (sem_wait(&rd->started))
		;
	return 0;
}

/* Note what the reader saw, then stop it (the driver must still be
 * bound: the reader stands in its wait queue). */
static void reader_stop(struct run *r)
{
	struct reader *rd = &r->reader;

	r->reader_seen = atomic_load(&rd->seen);
	r->reader_wakeups = atomic_load(&rd->wakeups);
	atomic_store(&rd->stop, true);
	seed_driver_wake(&r->pdev);
	pthread_join(rd->thread, NULL);
	r->reader_running = false;
}

/* Generate for DURATION_NS, then wait for the driver, then the reader,
 * to catch up with every word. */
static int generate_and_deliver(struct run *r)
{
	struct usoftirq_generator_config gc = {
		.rate = RATE,
		.burst = BURST,
		.duration_ns = DURATION_NS,
		.jitter = JITTER,
		.seed = JITTER_SEED,
		.first_seq = FIRST_SEQ,
	};
	struct usoftirq_generator *g;
	struct timespec deadline;
	int err =
		usoftirq_generator_start(&g, &gc, usoftirq_rxdev_sink, r->dev);

	if (err)
		return err;
	usoftirq_generator_wait(g);
	usoftirq_generator_get_stats(g, &r->gen);
	usoftirq_generator_stop(g);

	deadline = wait_deadline();
	r->delivered_in_time = wait_count(&books.progress, &books.delivered,
					  r->gen.generated, &deadline);
	r->reader_in_time = wait_count(&r->reader.progress, &r->reader.seen,
				       r->gen.generated, &deadline);
	return 0;
}

/*
 * Unbind and destroy everything. Before the device is unbound the harness
 * disables its line (disable_irq(): masked at the interrupt controller,
 * and a handler still running has returned), because the example's
 * remove() alone does not stop its bottom half: it masks IRQ_CTRL and
 * kills the tasklet, but a handler that started just before the mask (on
 * a vCPU's worker, in parallel with this thread) can schedule the tasklet
 * again once tasklet_kill() has returned, and that tasklet would write
 * IRQ_CTRL and run after the managed release freed struct my_device. The
 * end of a run can have such a handler: a word that arrives while the
 * handler drains the FIFO leaves RX_IRQ latched, which costs one more
 * interrupt after the tasklet's last re-enable (docs/devices.md), and
 * that tasklet has already delivered the last word. A kernel driver has
 * the same window and closes it by freeing or disabling its interrupt
 * before tasklet_kill(). The line stays disabled: the release frees its
 * last action, which shuts it down.
 */
static void tear_down(struct run *r)
{
	if (r->reader_running)
		reader_stop(r);
	if (r->bound)
		usoftirq_disable_irq(r->m, SEED_IRQ);
	if (r->driver_registered)
		usoftirq_platform_driver_unregister(seed_driver());
	if (r->device_registered)
		usoftirq_platform_device_unregister(&r->pdev);
	if (r->dev)
		usoftirq_rxdev_destroy(r->dev);
	if (r->m)
		usoftirq_machine_destroy(r->m);
}

static void run(struct run *r)
{
	struct usoftirq_machine_config mc = { .ncpus = NCPUS };
	struct usoftirq_rxdev_config dc = {
		.fifo_depth = FIFO_DEPTH,
		.irq = SEED_IRQ,
		.phys = SEED_PHYS,
	};

	atomic_store(&books.last, FIRST_SEQ - 1);
	sem_init(&books.progress, 0, 0);
	sem_init(&r->reader.started, 0, 0);
	sem_init(&r->reader.progress, 0, 0);
	usoftirq_set_report_handler(count_report, NULL);

	if (!check(r, "usoftirq_machine_create",
		   usoftirq_machine_create(&r->m, &mc)))
		goto out;
	if (!check(r, "usoftirq_rxdev_create",
		   usoftirq_rxdev_create(&r->dev, r->m, &dc)))
		goto out;
	if (!register_device_and_driver(r))
		goto out;
	if (!check(r, "enabling the receive interrupt", enable_rx_interrupt(r)))
		goto out;
	if (!check(r, "starting the reader", reader_start(r)))
		goto out;
	check(r, "usoftirq_generator_start", generate_and_deliver(r));
	reader_stop(r);
	usoftirq_rxdev_get_stats(r->dev, &r->rx);
	usoftirq_irq_get_stats(r->m, SEED_IRQ, &r->irq);
out:
	tear_down(r);
	usoftirq_set_report_handler(NULL, NULL);
	sem_destroy(&r->reader.progress);
	sem_destroy(&r->reader.started);
	sem_destroy(&books.progress);
}

/* ------------------------------------------------------------------ */
/* The test                                                            */
/* ------------------------------------------------------------------ */

static void seed_complete_example_runs_end_to_end(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	unsigned long delivered;

	(void)state;
	assert_non_null(r);
	run(r);
	delivered = atomic_load(&books.delivered);
	printf("seed Complete Example: %lu words generated, %lu delivered to "
	       "process_rx_data() (%lu gaps, %lu out of order, %lu outside "
	       "softirq context)\n",
	       r->gen.generated, delivered, atomic_load(&books.gaps),
	       atomic_load(&books.out_of_order),
	       atomic_load(&books.outside_softirq));
	printf("device: %lu pushed, %lu popped, %lu overruns, %lu underflows, "
	       "%lu interrupts raised, %lu handler runs\n",
	       r->rx.pushed, r->rx.popped, r->rx.overruns, r->rx.underflows,
	       r->rx.irq_asserts, r->irq.runs);
	printf("reader: woken %lu times in wait_event_interruptible(), saw "
	       "%lu words; %u usoftirq reports\n",
	       r->reader_wakeups, r->reader_seen, atomic_load(&reports));
	fflush(stdout);

	assert_null(r->failed);
	assert_true(r->bound);
	assert_true(r->gen.generated > 0);
	assert_int_equal(r->gen.rejected, 0);
	assert_true(r->delivered_in_time);
	assert_int_equal(delivered, r->gen.generated);
	assert_int_equal(atomic_load(&books.gaps), 0);
	assert_int_equal(atomic_load(&books.out_of_order), 0);
	assert_int_equal(atomic_load(&books.last),
			 FIRST_SEQ + (uint32_t)(r->gen.generated - 1));
	assert_int_equal(atomic_load(&books.outside_softirq), 0);
	assert_int_equal(r->rx.pushed, r->gen.generated);
	assert_int_equal(r->rx.popped, r->gen.generated);
	assert_int_equal(r->rx.overruns, 0);
	assert_int_equal(r->rx.underflows, 0);
	assert_true(r->irq.runs > 0);
	assert_true(r->reader_in_time);
	assert_int_equal(r->reader_seen, r->gen.generated);
	assert_true(r->reader_wakeups > 0);
	assert_int_equal(atomic_load(&reports), 0);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_complete_example_runs_end_to_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
