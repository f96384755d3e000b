/* SPDX-License-Identifier: MIT */
/*
 * Simulated register-mapped devices: register table checks, the bus
 * (attach, overlap, detach), ioremap() and iounmap(), each register kind's
 * behaviour, every kind of bad access reported with its text and not
 * performed, re-entry, the PROT_NONE reservation (a direct dereference
 * faults), iounmap() waiting for an access in progress, accesses from a
 * hardirq handler, and concurrent accesses from many threads.
 */
#include "test_util.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PHYS 0x40000000u
#define TDEV_SIZE 0x40

/* Register offsets of the test device. */
#define R_CTRL 0x00 /* PLAIN 32, write hook */
#define R_ID 0x04 /* READ_ONLY 32 */
#define R_STATUS 0x08 /* W1C 32, write hook */
#define R_DATA 0x0c /* FIFO_POP 32 */
#define R_COUNTER 0x10 /* CALLBACK 64: read it, write adds */
#define R_DOORBELL 0x18 /* CALLBACK 32, write only */
#define R_SNAPSHOT 0x1c /* CALLBACK 32, read only */
#define R_B0 0x20 /* PLAIN 8 */
#define R_H0 0x22 /* PLAIN 16 */
#define R_Q0 0x28 /* PLAIN 64 */
#define R_REENTER 0x30 /* CALLBACK 32: reads its own device */
#define R_GATED 0x34 /* CALLBACK 32: read waits on a gate */
/* No register at 0x24..0x27 and 0x38..0x3f. */

#define ID_VALUE 0xc0ffee01u

/** struct tmodel - the test device's model state (device lock held). */
struct tmodel {
	uint32_t fifo[8];
	unsigned int fifo_len, pops;
	unsigned int ctrl_hooks, status_hooks, doorbells;
	uint64_t last_hook_value;
	uint64_t counter;
	void *base; /* for R_REENTER */
	uint32_t reenter_saw;
	bool gate_reads;
	struct gate entered, release;
};

static struct tmodel *model(struct usoftirq_mmio_device *dev)
{
	return usoftirq_mmio_device_priv(dev);
}

static void ctrl_hook(struct usoftirq_mmio_device *dev,
		      const struct usoftirq_mmio_reg *reg, uint64_t value)
{
	model(dev)->ctrl_hooks++;
	model(dev)->last_hook_value = value;
}

static void status_hook(struct usoftirq_mmio_device *dev,
			const struct usoftirq_mmio_reg *reg, uint64_t value)
{
	model(dev)->status_hooks++;
	model(dev)->last_hook_value = value;
}

static uint64_t fifo_read(struct usoftirq_mmio_device *dev,
			  const struct usoftirq_mmio_reg *reg)
{
	struct tmodel *t = model(dev);

	t->pops++;
	return t->pops <= t->fifo_len ? t->fifo[t->pops - 1] : 0;
}

static uint64_t counter_read(struct usoftirq_mmio_device *dev,
			     const struct usoftirq_mmio_reg *reg)
{
	return model(dev)->counter;
}

static void counter_write(struct usoftirq_mmio_device *dev,
			  const struct usoftirq_mmio_reg *reg, uint64_t value)
{
	model(dev)->counter += value;
}

static void doorbell_write(struct usoftirq_mmio_device *dev,
			   const struct usoftirq_mmio_reg *reg, uint64_t value)
{
	model(dev)->doorbells++;
	model(dev)->last_hook_value = value;
}

static uint64_t snapshot_read(struct usoftirq_mmio_device *dev,
			      const struct usoftirq_mmio_reg *reg)
{
	return 0xffff00000000ull | (uint32_t)model(dev)->counter;
}

static uint64_t reenter_read(struct usoftirq_mmio_device *dev,
			     const struct usoftirq_mmio_reg *reg)
{
	struct tmodel *t = model(dev);

	t->reenter_saw = usoftirq_readl((char *)t->base + R_ID);
	return 7;
}

static uint64_t gated_read(struct usoftirq_mmio_device *dev,
			   const struct usoftirq_mmio_reg *reg)
{
	struct tmodel *t = model(dev);

	if (t->gate_reads) {
		gate_open(&t->entered);
		gate_pass(&t->release);
	}
	return 0x5a5a;
}

static const struct usoftirq_mmio_reg tregs[] = {
	{ "CTRL", R_CTRL, 4, USOFTIRQ_MMIO_PLAIN, 0x11223344, NULL, ctrl_hook },
	{ "ID", R_ID, 4, USOFTIRQ_MMIO_READ_ONLY, ID_VALUE, NULL, NULL },
	{ "STATUS", R_STATUS, 4, USOFTIRQ_MMIO_W1C, 0xff, NULL, status_hook },
	{ "DATA", R_DATA, 4, USOFTIRQ_MMIO_FIFO_POP, 0, fifo_read, NULL },
	{ "COUNTER", R_COUNTER, 8, USOFTIRQ_MMIO_CALLBACK, 0, counter_read,
	  counter_write },
	{ "DOORBELL", R_DOORBELL, 4, USOFTIRQ_MMIO_CALLBACK, 0, NULL,
	  doorbell_write },
	{ "SNAPSHOT", R_SNAPSHOT, 4, USOFTIRQ_MMIO_CALLBACK, 0, snapshot_read,
	  NULL },
	{ "B0", R_B0, 1, USOFTIRQ_MMIO_PLAIN, 0xa5, NULL, NULL },
	{ "H0", R_H0, 2, USOFTIRQ_MMIO_PLAIN, 0xbeef, NULL, NULL },
	{ "Q0", R_Q0, 8, USOFTIRQ_MMIO_PLAIN, 0x0123456789abcdefull, NULL,
	  NULL },
	{ "REENTER", R_REENTER, 4, USOFTIRQ_MMIO_CALLBACK, 0, reenter_read,
	  NULL },
	{ "GATED", R_GATED, 4, USOFTIRQ_MMIO_CALLBACK, 0, gated_read, NULL },
};

#define NTREGS (sizeof(tregs) / sizeof(tregs[0]))

/* ------------------------------------------------------------------ */
/* Fixture: a machine, the test device on its bus, mapped              */
/* ------------------------------------------------------------------ */

struct fix {
	struct usoftirq_machine *m;
	struct usoftirq_mmio_device *dev;
	struct tmodel t;
	char *base;
};

static struct fix *fix_create(unsigned int flags)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->m = test_machine(1, flags);
	gate_init(&f->t.entered, "entered");
	gate_init(&f->t.release, "release");
	assert_int_equal(usoftirq_mmio_device_create(&f->dev, "tdev", TDEV_SIZE,
						     tregs, NTREGS, &f->t),
			 0);
	assert_int_equal(usoftirq_mmio_attach(f->m, f->dev, PHYS), 0);
	f->base = usoftirq_ioremap(f->m, PHYS, TDEV_SIZE);
	assert_non_null(f->base);
	f->t.base = f->base;
	return f;
}

static void fix_destroy(struct fix *f)
{
	usoftirq_iounmap(f->base);
	usoftirq_mmio_device_destroy(f->dev);
	usoftirq_machine_destroy(f->m);
	gate_destroy(&f->t.entered);
	gate_destroy(&f->t.release);
	free(f);
}

static int setup(void **state)
{
	*state = fix_create(USOFTIRQ_MACHINE_NO_WORKERS);
	capture_start();
	return 0;
}

static int teardown(void **state)
{
	capture_stop();
	fix_destroy(*state);
	return 0;
}

/* Assert that the @n-th captured report of @kind reads as @fmt says. */
__attribute__((format(printf, 3, 4))) static void
expect_text(enum usoftirq_report_kind kind, unsigned int n, const char *fmt,
	    ...)
{
	char want[CAPTURE_TEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	assert_non_null(captured_text(kind, n));
	assert_string_equal(captured_text(kind, n), want);
}

#define BAD USOFTIRQ_REPORT_MMIO_BAD_ACCESS

/* ------------------------------------------------------------------ */
/* Register tables and the bus                                         */
/* ------------------------------------------------------------------ */

static int try_table(size_t size, const struct usoftirq_mmio_reg *regs,
		     unsigned int n)
{
	struct usoftirq_mmio_device *d = NULL;
	int err = usoftirq_mmio_device_create(&d, "bad", size, regs, n, NULL);

	usoftirq_mmio_device_destroy(d);
	return err;
}

/* Every malformed table is refused with -EINVAL; a good one is taken. */
static void test_create_checks_table(void **state)
{
	struct usoftirq_mmio_reg r[2] = {
		{ "A", 0, 4, USOFTIRQ_MMIO_PLAIN, 0, NULL, NULL },
		{ "B", 4, 4, USOFTIRQ_MMIO_PLAIN, 0, NULL, NULL },
	};

	(void)state;
	assert_int_equal(try_table(8, r, 2), 0);
	assert_int_equal(try_table(0, r, 0), -EINVAL);
	assert_int_equal(try_table(12, r, 2), -EINVAL); /* size % 8 */
	assert_int_equal(try_table(8, NULL, 1), -EINVAL);
	r[1].offset = 2; /* overlaps A */
	r[1].width = 2;
	assert_int_equal(try_table(8, r, 2), -EINVAL);
	r[1].offset = 6;
	assert_int_equal(try_table(8, r, 2), 0);
	r[1].width = 4; /* misaligned for its width */
	assert_int_equal(try_table(16, r, 2), -EINVAL);
	r[1].offset = 8; /* beyond the size */
	assert_int_equal(try_table(8, r, 2), -EINVAL);
	r[1].offset = 4;
	r[1].width = 3;
	assert_int_equal(try_table(8, r, 2), -EINVAL);
	r[1].width = 4;
	r[1].reset = 0x100000000ull; /* does not fit 32 bits */
	assert_int_equal(try_table(8, r, 2), -EINVAL);
	r[1].reset = 0;
	r[1].kind = USOFTIRQ_MMIO_FIFO_POP; /* without @read */
	assert_int_equal(try_table(8, r, 2), -EINVAL);
	r[1].kind = USOFTIRQ_MMIO_CALLBACK; /* without either */
	assert_int_equal(try_table(8, r, 2), -EINVAL);
	r[1].kind = USOFTIRQ_MMIO_PLAIN;
	r[1].name = NULL;
	assert_int_equal(try_table(8, r, 2), -EINVAL);
}

/* Overlapping ranges are -EBUSY, adjacent ones fine; detach frees the
 * range; a bad address or a device already attached is -EINVAL. */
static void test_attach_overlap_detach(void **state)
{
	struct fix *f = *state;
	struct usoftirq_mmio_device *a, *b;
	static const struct usoftirq_mmio_reg r = {
		"R", 0, 4, USOFTIRQ_MMIO_PLAIN, 0, NULL, NULL
	};

	assert_int_equal(
		usoftirq_mmio_device_create(&a, "a", 0x2000, &r, 1, NULL), 0);
	assert_int_equal(usoftirq_mmio_device_create(&b, "b", 8, &r, 1, NULL),
			 0);
	assert_int_equal(usoftirq_mmio_attach(f->m, a, PHYS), -EBUSY);
	assert_int_equal(usoftirq_mmio_attach(f->m, a, PHYS + 0x10), -EINVAL);
	assert_int_equal(usoftirq_mmio_attach(f->m, a, PHYS - 0x1000),
			 -EBUSY); /* ends inside tdev */
	assert_int_equal(usoftirq_mmio_attach(f->m, a, PHYS - 0x2000), 0);
	assert_int_equal(usoftirq_mmio_attach(f->m, a, PHYS - 0x4000),
			 -EINVAL); /* already attached */
	assert_int_equal(usoftirq_mmio_attach(f->m, b, PHYS - 0x1000), -EBUSY);
	usoftirq_mmio_detach(a);
	assert_int_equal(usoftirq_mmio_attach(f->m, b, PHYS - 0x1000), 0);
	assert_null(usoftirq_ioremap(f->m, PHYS - 0x2000, 8));
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 1);
	usoftirq_mmio_device_destroy(b); /* detaches */
	assert_int_equal(usoftirq_mmio_attach(f->m, a, PHYS - 0x2000), 0);
	usoftirq_mmio_device_destroy(a);
	assert_string_equal(usoftirq_mmio_device_name(f->dev), "tdev");
	assert_ptr_equal(usoftirq_mmio_device_priv(f->dev), &f->t);
}

/* ioremap() needs one device covering the whole range; the address keeps
 * the page offset of the bus address; a range inside a device maps its
 * registers at their offsets; a bad iounmap() is reported. */
static void test_ioremap_ranges(void **state)
{
	struct fix *f = *state;
	char *p;

	assert_null(usoftirq_ioremap(f->m, PHYS, TDEV_SIZE + 8));
	assert_null(usoftirq_ioremap(f->m, PHYS + 0x1000, 4));
	assert_null(usoftirq_ioremap(f->m, PHYS, 0));
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 3);
	expect_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, 1,
		    "usoftirq_ioremap(0x%x, 0x4): no device on the bus covers "
		    "this range",
		    PHYS + 0x1000);
	expect_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, 2,
		    "usoftirq_ioremap(0x%x, 0x0): empty or wrapping range",
		    PHYS);
	/* Without a machine (the kernel spelling passes the thread's). */
	assert_null(usoftirq_ioremap(NULL, PHYS, 4));
	expect_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, 3,
		    "usoftirq_ioremap(0x%x, 0x4): no machine: the calling "
		    "thread is bound to none and there is no default machine "
		    "(create one first)",
		    PHYS);

	p = usoftirq_ioremap(f->m, PHYS + R_Q0, 8);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 4096, R_Q0);
	assert_true(usoftirq_readq(p) == 0x0123456789abcdefull);
	/* Past the end of this mapping, though the device goes on. */
	assert_int_equal(usoftirq_readl(p + 8), UINT32_MAX);
	expect_text(BAD, 0, "readl at %p: address not mapped", (void *)(p + 8));
	usoftirq_iounmap(p);
	usoftirq_iounmap(p);
	usoftirq_iounmap(f->base + 4);
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 6);
	expect_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, 4,
		    "usoftirq_iounmap(%p): not an address returned by "
		    "usoftirq_ioremap(), or already unmapped",
		    (void *)p);
	usoftirq_iounmap(NULL); /* a no-op, as in the kernel */
	assert_int_equal(captured_total(), 7);
}

/* A device larger than one slot of the arena maps whole. */
static void test_ioremap_large_device(void **state)
{
	struct fix *f = *state;
	static const struct usoftirq_mmio_reg r[] = {
		{ "FIRST", 0, 8, USOFTIRQ_MMIO_PLAIN, 1, NULL, NULL },
		{ "MID", 0x10008, 8, USOFTIRQ_MMIO_PLAIN, 2, NULL, NULL },
		{ "LAST", 0x2fff8, 8, USOFTIRQ_MMIO_PLAIN, 3, NULL, NULL },
	};
	struct usoftirq_mmio_device *big;
	char *p, *q;

	assert_int_equal(usoftirq_mmio_device_create(&big, "big", 0x30000, r, 3,
						     NULL),
			 0);
	assert_int_equal(usoftirq_mmio_attach(f->m, big, 0x80000000u), 0);
	p = usoftirq_ioremap(f->m, 0x80000000u, 0x30000);
	q = usoftirq_ioremap(f->m, 0x80010008u, 8);
	assert_non_null(p);
	assert_non_null(q);
	usoftirq_writeq(42, p + 0x2fff8);
	assert_int_equal(usoftirq_readq(p), 1);
	assert_int_equal(usoftirq_readq(p + 0x10008), 2);
	assert_int_equal(usoftirq_readq(q), 2);
	assert_int_equal(usoftirq_readq(p + 0x2fff8), 42);
	usoftirq_iounmap(p);
	usoftirq_iounmap(q);
	usoftirq_mmio_device_destroy(big);
	assert_int_equal(captured_total(), 0);
}

/* ------------------------------------------------------------------ */
/* Register kinds                                                      */
/* ------------------------------------------------------------------ */

/* PLAIN: reset values, every width, write then read back, hook called
 * after the store with the value written. */
static void test_plain(void **state)
{
	struct fix *f = *state;

	assert_int_equal(usoftirq_readl(f->base + R_CTRL), 0x11223344);
	assert_int_equal(usoftirq_readb(f->base + R_B0), 0xa5);
	assert_int_equal(usoftirq_readw(f->base + R_H0), 0xbeef);
	assert_true(usoftirq_readq(f->base + R_Q0) == 0x0123456789abcdefull);
	usoftirq_writel(0xdeadbeef, f->base + R_CTRL);
	usoftirq_writeb(0x5a, f->base + R_B0);
	usoftirq_writew(0x1234, f->base + R_H0);
	usoftirq_writeq(0xfedcba9876543210ull, f->base + R_Q0);
	assert_int_equal(f->t.ctrl_hooks, 1);
	assert_int_equal(f->t.last_hook_value, 0xdeadbeef);
	assert_int_equal(usoftirq_readl(f->base + R_CTRL), 0xdeadbeef);
	assert_int_equal(usoftirq_readb(f->base + R_B0), 0x5a);
	assert_int_equal(usoftirq_readw(f->base + R_H0), 0x1234);
	assert_true(usoftirq_readq(f->base + R_Q0) == 0xfedcba9876543210ull);
	assert_int_equal(captured_total(), 0);
}

/* READ_ONLY reads its value; a write is reported and changes nothing. */
static void test_read_only(void **state)
{
	struct fix *f = *state;

	assert_int_equal(usoftirq_readl(f->base + R_ID), ID_VALUE);
	usoftirq_writel(1, f->base + R_ID);
	assert_int_equal(usoftirq_readl(f->base + R_ID), ID_VALUE);
	assert_int_equal(captured(BAD), 1);
	expect_text(BAD, 0,
		    "writel(0x1) at %p: write to a read-only register (device "
		    "tdev, register ID, offset 0x4)",
		    (void *)(f->base + R_ID));
}

/* W1C: a write clears the bits written as 1, keeps the others, and calls
 * the hook with the value written. */
static void test_w1c(void **state)
{
	struct fix *f = *state;

	assert_int_equal(usoftirq_readl(f->base + R_STATUS), 0xff);
	usoftirq_writel(0x0f, f->base + R_STATUS);
	assert_int_equal(usoftirq_readl(f->base + R_STATUS), 0xf0);
	usoftirq_writel(0x30, f->base + R_STATUS);
	assert_int_equal(usoftirq_readl(f->base + R_STATUS), 0xc0);
	usoftirq_writel(0, f->base + R_STATUS);
	assert_int_equal(usoftirq_readl(f->base + R_STATUS), 0xc0);
	assert_int_equal(f->t.status_hooks, 3);
	assert_int_equal(f->t.last_hook_value, 0);
	assert_int_equal(captured_total(), 0);
}

/* FIFO_POP: each read pops through the callback; a write is reported and
 * pops nothing. */
static void test_fifo_pop(void **state)
{
	struct fix *f = *state;

	f->t.fifo[0] = 10;
	f->t.fifo[1] = 20;
	f->t.fifo_len = 2;
	assert_int_equal(usoftirq_readl(f->base + R_DATA), 10);
	usoftirq_writel(3, f->base + R_DATA);
	assert_int_equal(f->t.pops, 1);
	assert_int_equal(usoftirq_readl(f->base + R_DATA), 20);
	assert_int_equal(f->t.pops, 2);
	expect_text(BAD, 0,
		    "writel(0x3) at %p: write to a FIFO register (reads pop "
		    "it) (device tdev, register DATA, offset 0xc)",
		    (void *)(f->base + R_DATA));
	assert_int_equal(captured_total(), 1);
}

/* CALLBACK: reads and writes go to the callbacks (the result truncated to
 * the register width); a missing callback makes the access a bad one. */
static void test_callback(void **state)
{
	struct fix *f = *state;

	usoftirq_writeq(5, f->base + R_COUNTER);
	usoftirq_writeq(0x100000000ull, f->base + R_COUNTER);
	assert_true(usoftirq_readq(f->base + R_COUNTER) == 0x100000005ull);
	assert_int_equal(usoftirq_readl(f->base + R_SNAPSHOT), 5);
	usoftirq_writel(9, f->base + R_DOORBELL);
	assert_int_equal(f->t.doorbells, 1);
	assert_int_equal(f->t.last_hook_value, 9);
	assert_int_equal(captured_total(), 0);

	assert_int_equal(usoftirq_readl(f->base + R_DOORBELL), UINT32_MAX);
	usoftirq_writel(1, f->base + R_SNAPSHOT);
	assert_int_equal(f->t.doorbells, 1);
	assert_true(f->t.counter == 0x100000005ull);
	expect_text(BAD, 0,
		    "readl at %p: read of a write-only register (device tdev, "
		    "register DOORBELL, offset 0x18)",
		    (void *)(f->base + R_DOORBELL));
	expect_text(BAD, 1,
		    "writel(0x1) at %p: write to a read-only register (device "
		    "tdev, register SNAPSHOT, offset 0x1c)",
		    (void *)(f->base + R_SNAPSHOT));
}

/* ------------------------------------------------------------------ */
/* Bad accesses                                                        */
/* ------------------------------------------------------------------ */

/* Wrong width, misaligned, no register: reported, all ones read, nothing
 * written, no callback called. */
static void test_bad_width_alignment_offset(void **state)
{
	struct fix *f = *state;

	f->t.fifo_len = 1;
	assert_int_equal(usoftirq_readw(f->base + R_CTRL), 0xffff);
	assert_int_equal(usoftirq_readb(f->base + R_DATA), 0xff);
	assert_true(usoftirq_readq(f->base + R_CTRL) == UINT64_MAX);
	usoftirq_writew(0, f->base + R_CTRL + 2);
	usoftirq_writel(0, f->base + R_CTRL + 2);
	assert_int_equal(usoftirq_readl(f->base + 0x24), UINT32_MAX);
	usoftirq_writeq(1, f->base + 0x38);
	assert_int_equal(usoftirq_readl(f->base + R_CTRL), 0x11223344);
	assert_int_equal(f->t.pops, 0);
	assert_int_equal(f->t.ctrl_hooks, 0);
	assert_int_equal(captured(BAD), 7);
	expect_text(BAD, 0,
		    "readw at %p: wrong width: 2-byte access to a 4-byte "
		    "register (device tdev, register CTRL, offset 0x0)",
		    (void *)f->base);
	expect_text(BAD, 1,
		    "readb at %p: wrong width: 1-byte access to a 4-byte "
		    "register (device tdev, register DATA, offset 0xc)",
		    (void *)(f->base + R_DATA));
	expect_text(BAD, 3,
		    "writew(0x0) at %p: wrong width: 2-byte access to a 4-byte "
		    "register (device tdev, register CTRL, offset 0x2)",
		    (void *)(f->base + 2));
	expect_text(BAD, 4,
		    "writel(0x0) at %p: misaligned 4-byte access (device "
		    "tdev, register CTRL, offset 0x2)",
		    (void *)(f->base + 2));
	expect_text(BAD, 5,
		    "readl at %p: no register at this offset (device tdev, "
		    "register none, offset 0x24)",
		    (void *)(f->base + 0x24));
	expect_text(BAD, 6,
		    "writeq(0x1) at %p: no register at this offset (device "
		    "tdev, register none, offset 0x38)",
		    (void *)(f->base + 0x38));
}

/* An address in no mapping, anywhere, is reported and never touched; after
 * iounmap() the old address is unmapped too. */
static void test_unmapped(void **state)
{
	struct fix *f = *state;
	uint32_t local = 0x77;
	char *old = f->base;

	assert_int_equal(usoftirq_readl(&local), UINT32_MAX);
	usoftirq_writel(1, &local);
	assert_int_equal(local, 0x77);
	assert_int_equal(usoftirq_readl(NULL), UINT32_MAX);
	usoftirq_iounmap(f->base);
	f->base = NULL;
	assert_int_equal(usoftirq_readl(old + R_ID), UINT32_MAX);
	assert_int_equal(captured(BAD), 4);
	expect_text(BAD, 1, "writel(0x1) at %p: address not mapped",
		    (void *)&local);
	expect_text(BAD, 2, "readl at (nil): address not mapped");
	expect_text(BAD, 3, "readl at %p: address not mapped",
		    (void *)(old + R_ID));
}

static void deref_child(void *arg)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	static const struct usoftirq_mmio_reg r = {
		"R", 0, 4, USOFTIRQ_MMIO_PLAIN, 0, NULL, NULL
	};
	struct usoftirq_mmio_device *d;
	struct usoftirq_machine *m;
	volatile uint32_t *p;

	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS;
	if (usoftirq_machine_create(&m, &cfg) ||
	    usoftirq_mmio_device_create(&d, "d", 8, &r, 1, NULL) ||
	    usoftirq_mmio_attach(m, d, PHYS))
		_exit(2);
	p = usoftirq_ioremap(m, PHYS, 8);
	if (!p || usoftirq_readl(p) != 0)
		_exit(3);
	(void)*p; /* must fault: PROT_NONE */
	_exit(4);
}

/* Dereferencing an __iomem pointer directly dies of SIGSEGV at once. */
static void test_direct_dereference_faults(void **state)
{
	char out[512];
	int status;

	(void)state;
	status = run_in_child(deref_child, NULL, out, sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
}

/* ------------------------------------------------------------------ */
/* Re-entry and contracts                                              */
/* ------------------------------------------------------------------ */

/* A callback that reads its own device: the inner access is reported and
 * ignored (all ones), the outer one completes. */
static void test_reentry(void **state)
{
	struct fix *f = *state;

	assert_int_equal(usoftirq_readl(f->base + R_REENTER), 7);
	assert_int_equal(f->t.reenter_saw, UINT32_MAX);
	assert_int_equal(captured(USOFTIRQ_REPORT_MMIO_REENTRY), 1);
	assert_int_equal(captured_total(), 1);
	expect_text(USOFTIRQ_REPORT_MMIO_REENTRY, 0,
		    "readl at %p: re-entry from the device's own callback, "
		    "ignored (device tdev, register ID, offset 0x4)",
		    (void *)(f->base + R_ID));
	/* The device is usable afterwards. */
	assert_int_equal(usoftirq_readl(f->base + R_ID), ID_VALUE);
}

static uint64_t locking_read(struct usoftirq_mmio_device *dev,
			     const struct usoftirq_mmio_reg *reg)
{
	usoftirq_mmio_lock(dev);
	return 0;
}

static void lock_in_callback_child(void *arg)
{
	static const struct usoftirq_mmio_reg r = {
		"LOCKER", 0, 4, USOFTIRQ_MMIO_CALLBACK, 0, locking_read, NULL
	};
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_mmio_device *d;
	struct usoftirq_machine *m;
	void *p;

	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS;
	if (usoftirq_machine_create(&m, &cfg) ||
	    usoftirq_mmio_device_create(&d, "locker", 8, &r, 1, NULL) ||
	    usoftirq_mmio_attach(m, d, PHYS))
		_exit(2);
	p = usoftirq_ioremap(m, PHYS, 8);
	if (*(bool *)arg) {
		(void)usoftirq_readl(p);
	} else {
		usoftirq_mmio_device_destroy(d);
	}
	_exit(3);
}

/* Taking the device lock inside its own callback, or destroying a device
 * that is still mapped, is a contract violation: fatal, with a message. */
static void test_contract_violations_abort(void **state)
{
	bool in_callback = true;
	char out[1024];
	int status;

	(void)state;
	status = run_in_child(lock_in_callback_child, &in_callback, out,
			      sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "usoftirq_mmio_lock: the calling thread "
				    "already holds the lock of device locker"));
	in_callback = false;
	status = run_in_child(lock_in_callback_child, &in_callback, out,
			      sizeof(out));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "usoftirq_mmio_device_destroy: device "
				    "locker is still mapped (1 mapping(s))"));
}

/* A machine destroyed with a device on its bus detaches it, reporting. */
static void test_machine_destroy_detaches(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	static const struct usoftirq_mmio_reg r = {
		"R", 0, 4, USOFTIRQ_MMIO_PLAIN, 0, NULL, NULL
	};
	struct usoftirq_mmio_device *d;

	(void)state;
	assert_int_equal(
		usoftirq_mmio_device_create(&d, "orphan", 8, &r, 1, NULL), 0);
	assert_int_equal(usoftirq_mmio_attach(m, d, 0x1000), 0);
	usoftirq_machine_destroy(m);
	expect_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, 0,
		    "usoftirq_machine_destroy: device orphan is still attached "
		    "at bus address 0x1000; detached");
	usoftirq_mmio_device_destroy(d);
}

/* ------------------------------------------------------------------ */
/* Unmapping during an access                                          */
/* ------------------------------------------------------------------ */

struct unmap_race {
	struct fix *f;
	uint32_t value;
	_Atomic int unmapper_tid;
	struct gate unmapper_started;
};

static void gated_reader(void *arg)
{
	struct unmap_race *r = arg;

	r->value = usoftirq_readl(r->f->base + R_GATED);
}

static void unmapper(void *arg)
{
	struct unmap_race *r = arg;

	atomic_store(&r->unmapper_tid, (int)gettid());
	gate_open(&r->unmapper_started);
	usoftirq_iounmap(r->f->base);
}

/* iounmap() waits for an access in progress through the mapping; the
 * access completes normally; the address is unmapped afterwards. */
static void test_iounmap_waits_for_access(void **state)
{
	struct fix *f = *state;
	struct unmap_race r = { .f = f };
	struct bg_call reader, unmap;
	char *old = f->base;

	gate_init(&r.unmapper_started, "unmapper started");
	f->t.gate_reads = true;
	bg_call_start(&reader, gated_reader, &r);
	gate_pass(&f->t.entered);
	bg_call_start(&unmap, unmapper, &r);
	gate_pass(&r.unmapper_started);
	(void)wait_futex_blocked(atomic_load(&r.unmapper_tid), 0);
	assert_false(bg_call_returned(&unmap));
	gate_open(&f->t.release);
	bg_call_join(&reader);
	bg_call_join(&unmap);
	assert_int_equal(r.value, 0x5a5a);
	f->base = NULL;
	assert_int_equal(usoftirq_readl(old + R_ID), UINT32_MAX);
	assert_int_equal(captured(BAD), 1);
	gate_destroy(&r.unmapper_started);
}

/* ------------------------------------------------------------------ */
/* Hardirq handlers and concurrency                                    */
/* ------------------------------------------------------------------ */

#define LINE 5

struct irq_ctx {
	struct fix *f;
	_Atomic uint32_t id;
	_Atomic bool in_hardirq;
	_Atomic unsigned long runs;
	struct gate done;
};

static usoftirq_irqreturn_t reading_handler(int irq, void *dev_id)
{
	struct irq_ctx *c = dev_id;

	atomic_store(&c->in_hardirq, usoftirq_in_hardirq());
	atomic_store(&c->id, usoftirq_readl(c->f->base + R_ID));
	usoftirq_writel(0xabcd, c->f->base + R_CTRL);
	gate_open(&c->done);
	return USOFTIRQ_IRQ_HANDLED;
}

/* A hardirq handler (in the worker's signal handler) reads and writes
 * registers. */
static void test_access_from_hardirq(void **state)
{
	struct fix *f = fix_create(0);
	struct irq_ctx c = { .f = f };

	(void)state;
	gate_init(&c.done, "handler ran");
	assert_int_equal(usoftirq_request_irq(f->m, LINE, reading_handler, 0,
					      "tdev", &c),
			 0);
	assert_int_equal(usoftirq_irq_pulse(f->m, LINE), 0);
	gate_pass(&c.done);
	assert_true(atomic_load(&c.in_hardirq));
	assert_int_equal(atomic_load(&c.id), ID_VALUE);
	assert_int_equal(usoftirq_readl(f->base + R_CTRL), 0xabcd);
	/* The run that opened the gate may still be returning. */
	usoftirq_synchronize_irq(f->m, LINE);
	assert_ptr_equal(usoftirq_free_irq(f->m, LINE, &c), "tdev");
	gate_destroy(&c.done);
	fix_destroy(f);
}

#define THREADS 4
#define WRITES 20000

static void *counting_thread(void *arg)
{
	struct fix *f = arg;

	for (int i = 0; i < WRITES; i++) {
		usoftirq_writeq(1, f->base + R_COUNTER);
		(void)usoftirq_readl(f->base + R_SNAPSHOT);
	}
	return NULL;
}

static usoftirq_irqreturn_t counting_handler(int irq, void *dev_id)
{
	struct irq_ctx *c = dev_id;

	usoftirq_writeq(1, c->f->base + R_COUNTER);
	atomic_fetch_add(&c->runs, 1);
	gate_open(&c->done);
	return USOFTIRQ_IRQ_HANDLED;
}

/* Threads and a hardirq handler increment a counter register, a plain
 * read-modify-write in the model made atomic by the device lock: the
 * total is exact. */
static void test_concurrent_counter(void **state)
{
	struct fix *f = fix_create(0);
	struct irq_ctx c = { .f = f };
	pthread_t t[THREADS];

	(void)state;
	gate_init(&c.done, "handler ran");
	assert_int_equal(usoftirq_request_irq(f->m, LINE, counting_handler, 0,
					      "tdev", &c),
			 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, counting_thread, f), 0);
	for (int i = 0; i < WRITES / 10; i++)
		assert_int_equal(usoftirq_irq_pulse(f->m, LINE), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	gate_pass(&c.done);
	usoftirq_synchronize_irq(f->m, LINE);
	/* After free_irq() no handler runs any more: the books are closed. */
	assert_ptr_equal(usoftirq_free_irq(f->m, LINE, &c), "tdev");
	assert_true(atomic_load(&c.runs) > 0);
	assert_true(usoftirq_readq(f->base + R_COUNTER) ==
		    (uint64_t)THREADS * WRITES + atomic_load(&c.runs));
	gate_destroy(&c.done);
	fix_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_checks_table),
		cmocka_unit_test_setup_teardown(test_attach_overlap_detach,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ioremap_ranges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ioremap_large_device,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_w1c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_pop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_width_alignment_offset,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmapped, setup, teardown),
		cmocka_unit_test(test_direct_dereference_faults),
		cmocka_unit_test_setup_teardown(test_reentry, setup, teardown),
		cmocka_unit_test(test_contract_violations_abort),
		cmocka_unit_test_setup_teardown(test_machine_destroy_detaches,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_iounmap_waits_for_access,
						setup, teardown),
		cmocka_unit_test(test_access_from_hardirq),
		cmocka_unit_test(test_concurrent_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
