/* SPDX-License-Identifier: MIT */
/*
 * Managed resources of a platform device and the allocator under them:
 * the release order (exactly the reverse of acquisition, with a devm IRQ,
 * a devm mapping, allocations and devm actions interleaved), a failing
 * probe releasing everything it acquired, devm_kmalloc()/devm_kfree(),
 * devm_ioremap_resource()'s checks and messages, and usoftirq_kmalloc()'s
 * context rules: GFP_KERNEL from a tasklet is reported, GFP_ATOMIC is
 * not, and a hardirq handler may allocate and free.
 *
 * Machines have no workers: tasklets and interrupts run when the test
 * steps the vCPU, so every count is exact.
 */
#include "test_util.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#define PHYS 0x20000000ull
#define LINE 9
#define REG_DATA 0x0
#define DATA_RESET 0x5a5a0001u
#define MEM USOFTIRQ_IORESOURCE_MEM
#define IRQ USOFTIRQ_IORESOURCE_IRQ

static const struct usoftirq_mmio_reg regs[] = {
	{ .name = "DATA",
	  .offset = REG_DATA,
	  .width = 4,
	  .kind = USOFTIRQ_MMIO_PLAIN,
	  .reset = DATA_RESET },
};

struct fixture {
	struct usoftirq_machine *m;
	struct usoftirq_mmio_device *md;
};

static struct fixture fx;

static int setup(void **state)
{
	fx.m = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	assert_int_equal(usoftirq_mmio_device_create(&fx.md, "devmdev", 0x100,
						     regs, 1, NULL),
			 0);
	assert_int_equal(usoftirq_mmio_attach(fx.m, fx.md, PHYS), 0);
	capture_start();
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	capture_stop();
	usoftirq_mmio_detach(fx.md);
	usoftirq_mmio_device_destroy(fx.md);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(fx.m);
	return 0;
}

static struct usoftirq_resource resources[] = {
	{ PHYS, PHYS + 0xff, NULL, MEM },
	{ LINE, LINE, NULL, IRQ },
};

static void pdev_init(struct usoftirq_platform_device *pdev, const char *name)
{
	memset(pdev, 0, sizeof(*pdev));
	pdev->name = name;
	pdev->id = 0;
	pdev->resource = resources;
	pdev->num_resources = 2;
}

static usoftirq_irqreturn_t quiet_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return USOFTIRQ_IRQ_HANDLED;
}

/* ------------------------------------------------------------------ */
/* Release order                                                       */
/* ------------------------------------------------------------------ */

#define MAX_RELEASES 16

/**
 * struct release - what a devm action saw when it ran.
 * @name: the action's name.
 * @irq_held: LINE still had the device's action.
 * @mapped: the device's mapping still answered.
 */
struct release {
	const char *name;
	bool irq_held;
	bool mapped;
};

static struct release releases[MAX_RELEASES];
static unsigned int nreleases;
/* What the probe acquired, for the actions to look at. */
static char *mapped_base;
static unsigned char *early_alloc;

/* A non-shared request that probes the line without a message. */
static bool line_taken(void)
{
	int token;
	int err = usoftirq_request_irq(fx.m, LINE, quiet_handler,
				       USOFTIRQ_IRQF_PROBE_SHARED, "check",
				       &token);

	if (!err)
		(void)usoftirq_free_irq(fx.m, LINE, &token);
	return err == -EBUSY;
}

static bool mapping_answers(void)
{
	unsigned long bad =
		usoftirq_report_count(USOFTIRQ_REPORT_MMIO_BAD_ACCESS);
	uint32_t v = usoftirq_readl(mapped_base + REG_DATA);

	return v == DATA_RESET &&
	       usoftirq_report_count(USOFTIRQ_REPORT_MMIO_BAD_ACCESS) == bad;
}

static void record_release(void *data)
{
	if (nreleases < MAX_RELEASES)
		releases[nreleases] = (struct release){
			.name = data,
			.irq_held = line_taken(),
			.mapped = mapping_answers(),
		};
	nreleases++;
}

/* Reads the allocation made before it: still valid when it runs (under
 * AddressSanitizer, a use after free would abort the test). */
static void record_release_reading(void *data)
{
	for (unsigned int i = 0; i < 64; i++)
		if (early_alloc[i] != (unsigned char)i)
			fail_msg("allocation freed or damaged before %s",
				 (const char *)data);
	record_release(data);
}

/* Acquires, in this order: a1, IRQ, a2, mapping, a3, alloc, a4, zalloc,
 * a5; then returns what the device's probe_ret says. */
static int probe_ret;

static int acquire_probe(struct usoftirq_platform_device *pdev)
{
	struct usoftirq_device *dev = &pdev->dev;
	unsigned char *z;

	assert_int_equal(usoftirq_devm_add_action(dev, record_release, "a1"),
			 0);
	assert_int_equal(
		usoftirq_devm_request_irq(
			dev, (unsigned int)usoftirq_platform_get_irq(pdev, 0),
			quiet_handler, 0, "devm-order", dev),
		0);
	assert_int_equal(usoftirq_devm_add_action(dev, record_release, "a2"),
			 0);
	mapped_base = usoftirq_devm_platform_ioremap_resource(pdev, 0);
	assert_false(usoftirq_is_err(mapped_base));
	assert_int_equal(usoftirq_devm_add_action(dev, record_release, "a3"),
			 0);
	early_alloc = usoftirq_devm_kmalloc(dev, 64, USOFTIRQ_GFP_KERNEL);
	assert_non_null(early_alloc);
	for (unsigned int i = 0; i < 64; i++)
		early_alloc[i] = (unsigned char)i;
	assert_int_equal(
		usoftirq_devm_add_action(dev, record_release_reading, "a4"), 0);
	z = usoftirq_devm_kmalloc(dev, 4096,
				  USOFTIRQ_GFP_KERNEL | USOFTIRQ_GFP_ZERO);
	assert_non_null(z);
	for (unsigned int i = 0; i < 4096; i++)
		assert_int_equal(z[i], 0);
	assert_int_equal(usoftirq_devm_add_action(dev, record_release, "a5"),
			 0);
	return probe_ret;
}

/* remove() runs before any managed resource is released. */
static void order_remove(struct usoftirq_platform_device *pdev)
{
	(void)pdev;
	record_release("remove");
}

static struct usoftirq_platform_driver orderdrv = {
	.probe = acquire_probe,
	.remove_new = order_remove,
	.driver.name = "order",
};

static void assert_releases(bool removed)
{
	static const struct release want[] = {
		{ "remove", true, true }, { "a5", true, true },
		{ "a4", true, true },	  { "a3", true, true },
		{ "a2", true, false },	  { "a1", false, false },
	};
	const struct release *w = removed ? want : want + 1;
	unsigned int n = removed ? 6 : 5;

	assert_int_equal(nreleases, n);
	for (unsigned int i = 0; i < n; i++) {
		assert_string_equal(releases[i].name, w[i].name);
		assert_int_equal(releases[i].irq_held, w[i].irq_held);
		assert_int_equal(releases[i].mapped, w[i].mapped);
	}
}

/* Unbinding calls remove(), then releases exactly in reverse: each action
 * sees the IRQ and the mapping acquired before it still there, those
 * acquired after it already gone. */
static void test_release_order_is_reversed(void **state)
{
	struct usoftirq_platform_device pdev;

	(void)state;
	nreleases = 0;
	probe_ret = 0;
	pdev_init(&pdev, "order");
	assert_int_equal(usoftirq_platform_driver_register(&orderdrv), 0);
	assert_int_equal(usoftirq_platform_device_register(fx.m, &pdev), 0);
	assert_true(usoftirq_platform_device_bound(&pdev));
	assert_int_equal(nreleases, 0);
	assert_true(line_taken());
	assert_true(mapping_answers());

	usoftirq_platform_driver_unregister(&orderdrv);
	assert_releases(true);
	assert_false(line_taken());
	assert_null(pdev.dev.devres);
	/* a2 and a1 read through the unmapped address, as designed. */
	assert_int_equal(captured(USOFTIRQ_REPORT_MMIO_BAD_ACCESS), 2);
	assert_int_equal(captured_total(), 2);
	usoftirq_platform_device_unregister(&pdev);
}

/* A probe that fails after acquiring releases all of it in the same
 * order, prints dd.c's message, and leaves the device unbound. */
static void test_probe_failure_releases_everything(void **state)
{
	struct usoftirq_platform_device pdev;

	(void)state;
	nreleases = 0;
	probe_ret = -EIO;
	pdev_init(&pdev, "order");
	assert_int_equal(usoftirq_platform_driver_register(&orderdrv), 0);
	assert_int_equal(usoftirq_platform_device_register(fx.m, &pdev), 0);
	assert_false(usoftirq_platform_device_bound(&pdev));
	assert_null(pdev.dev.driver_name);
	assert_releases(false);
	assert_false(line_taken());
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 0),
			    "order order.0: probe with driver order failed "
			    "with error -5");
	/* The range is claimable again: the claim was released too. */
	probe_ret = 0;
	nreleases = 0;
	usoftirq_platform_driver_unregister(&orderdrv);
	assert_int_equal(usoftirq_platform_driver_register(&orderdrv), 0);
	assert_true(usoftirq_platform_device_bound(&pdev));
	usoftirq_platform_device_unregister(&pdev);
	usoftirq_platform_driver_unregister(&orderdrv);
	assert_releases(true);
}

/* ------------------------------------------------------------------ */
/* devm_kmalloc, devm_kfree, devm_ioremap_resource                     */
/* ------------------------------------------------------------------ */

static void test_devm_kmalloc_and_kfree(void **state)
{
	struct usoftirq_device dev;
	unsigned long warns = usoftirq_report_count(USOFTIRQ_REPORT_WARN);
	int stranger;
	void *a, *b;

	(void)state;
	usoftirq_device_init(&dev, fx.m, "plain");
	a = usoftirq_devm_kmalloc(&dev, 24, USOFTIRQ_GFP_KERNEL);
	b = usoftirq_devm_kmalloc(&dev, 100, USOFTIRQ_GFP_ATOMIC);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a % _Alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)b % _Alignof(max_align_t), 0);
	assert_ptr_equal(usoftirq_devm_kmalloc(&dev, 0, USOFTIRQ_GFP_KERNEL),
			 USOFTIRQ_ZERO_SIZE_PTR);
	usoftirq_devm_kfree(&dev, a);
	usoftirq_devm_kfree(&dev, NULL);
	usoftirq_devm_kfree(&dev, USOFTIRQ_ZERO_SIZE_PTR);
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_WARN), warns);
	/* Not (or no longer) a managed allocation of this device. */
	usoftirq_devm_kfree(&dev, a);
	usoftirq_devm_kfree(&dev, &stranger);
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_WARN),
			 warns + 2);
	assert_non_null(strstr(captured_text(USOFTIRQ_REPORT_WARN, 1),
			       "devm_kfree(plain, "));
	assert_int_equal(usoftirq_devres_release_all(&dev), 1);
}

/* lib/devres.c's checks, messages and ERR_PTR encodings. */
static void test_devm_ioremap_resource_errors(void **state)
{
	struct usoftirq_resource irq = { 5, 5, NULL, IRQ };
	struct usoftirq_resource nodev = { 0x30000000, 0x300000ff, NULL, MEM };
	struct usoftirq_resource part = { PHYS + 0x80, PHYS + 0x8f, NULL, MEM };
	struct usoftirq_platform_device pdev;
	struct usoftirq_resource *got = &irq;
	void *a, *p;

	(void)state;
	pdev_init(&pdev, "maps");
	assert_int_equal(usoftirq_platform_device_register(fx.m, &pdev), 0);
	p = usoftirq_devm_ioremap_resource(&pdev.dev, NULL);
	assert_true(usoftirq_is_err(p));
	assert_int_equal(usoftirq_ptr_err(p), -EINVAL);
	p = usoftirq_devm_ioremap_resource(&pdev.dev, &irq);
	assert_int_equal(usoftirq_ptr_err(p), -EINVAL);
	p = usoftirq_devm_platform_get_and_ioremap_resource(&pdev, 1, &got);
	assert_int_equal(usoftirq_ptr_err(p), -EINVAL);
	assert_null(got);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 0),
			    "platform maps.0: error -EINVAL: invalid resource "
			    "(null)");
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 1),
			    "platform maps.0: error -EINVAL: invalid resource "
			    "[irq 5]");

	a = usoftirq_devm_platform_get_and_ioremap_resource(&pdev, 0, &got);
	assert_false(usoftirq_is_err(a));
	assert_ptr_equal(got, &resources[0]);
	/* An overlapping range is claimed already. */
	p = usoftirq_devm_ioremap_resource(&pdev.dev, &part);
	assert_int_equal(usoftirq_ptr_err(p), -EBUSY);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 3),
			    "platform maps.0: error -EBUSY: can't request "
			    "region for resource [mem 0x20000080-0x2000008f]");
	/* No device answers there: ioremap reports it, dev_err_probe() is
	 * silent for -ENOMEM, and the claim is dropped again. */
	p = usoftirq_devm_ioremap_resource(&pdev.dev, &nodev);
	assert_int_equal(usoftirq_ptr_err(p), -ENOMEM);
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 4);
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 1);
	assert_int_equal(usoftirq_readl((char *)a + REG_DATA), DATA_RESET);
	/* Unregistering releases what the unbound device holds. */
	usoftirq_platform_device_unregister(&pdev);
	assert_null(pdev.dev.devres);
	pdev_init(&pdev, "maps");
	assert_int_equal(usoftirq_platform_device_register(fx.m, &pdev), 0);
	p = usoftirq_devm_ioremap_resource(&pdev.dev, &part);
	assert_false(usoftirq_is_err(p));
	usoftirq_platform_device_unregister(&pdev);
}

/* devm_ioremap() and devm_iounmap(), the kernel's pair without a claim. */
static void test_devm_ioremap_and_iounmap(void **state)
{
	struct usoftirq_device dev;
	unsigned long warns = usoftirq_report_count(USOFTIRQ_REPORT_WARN);
	void *a, *b;

	(void)state;
	usoftirq_device_init(&dev, fx.m, "plain");
	a = usoftirq_devm_ioremap(&dev, PHYS, 0x100);
	b = usoftirq_devm_ioremap(&dev, PHYS, 0x100);
	assert_non_null(a);
	assert_non_null(b);
	usoftirq_devm_iounmap(&dev, a);
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_WARN), warns);
	assert_int_equal(usoftirq_readl((char *)b + REG_DATA), DATA_RESET);
	assert_int_equal(usoftirq_devres_release_all(&dev), 1);
	/* Unmapped by the release: a second early unmap is warned about. */
	assert_null(usoftirq_devm_ioremap(&dev, 0x30000000, 0x100));
	a = usoftirq_ioremap(fx.m, PHYS, 0x100);
	usoftirq_devm_iounmap(&dev, a);
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_WARN),
			 warns + 1);
	assert_int_equal(usoftirq_devres_release_all(&dev), 0);
}

/* ------------------------------------------------------------------ */
/* kmalloc and its contexts                                            */
/* ------------------------------------------------------------------ */

struct alloc_try {
	unsigned int gfp;
	void *p;
};

static void kmalloc_in_tasklet(unsigned long data)
{
	struct alloc_try *a = (struct alloc_try *)data;

	a->p = usoftirq_kmalloc(32, a->gfp);
}

/* Run kmalloc_in_tasklet() on vCPU 0; the SLEEP_IN_ATOMIC reports made. */
static unsigned long alloc_in_tasklet(struct alloc_try *a)
{
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	struct usoftirq_tasklet t;

	usoftirq_tasklet_init(&t, kmalloc_in_tasklet, (unsigned long)a);
	assert_int_equal(usoftirq_thread_bind(fx.m, 0), 0);
	usoftirq_tasklet_schedule(&t);
	(void)usoftirq_cpu_run_softirqs(fx.m, 0);
	usoftirq_thread_unbind();
	assert_non_null(a->p);
	usoftirq_kfree(a->p);
	return usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC) - before;
}

static void test_kmalloc_gfp_kernel_in_tasklet_is_reported(void **state)
{
	struct alloc_try atomic_try = { USOFTIRQ_GFP_ATOMIC, NULL };
	struct alloc_try kernel_try = { USOFTIRQ_GFP_KERNEL, NULL };
	const char *text;

	(void)state;
	assert_int_equal(alloc_in_tasklet(&atomic_try), 0);
	assert_int_equal(alloc_in_tasklet(&kernel_try), 1);
	text = captured_text(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, 0);
	assert_non_null(text);
	assert_non_null(strstr(text, "BUG: sleeping function called from "
				     "invalid context at "));
	assert_non_null(strstr(text, "kmalloc.c:"));
	assert_non_null(strstr(text, "Call Trace: kmalloc_in_tasklet+0x"));
	/* Task context may sleep: nothing to report. */
	usoftirq_kfree(usoftirq_kmalloc(8, USOFTIRQ_GFP_KERNEL));
	assert_int_equal(captured(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC), 1);
}

static void test_kmalloc_basics(void **state)
{
	unsigned char *z;

	(void)state;
	assert_ptr_equal(usoftirq_kmalloc(0, USOFTIRQ_GFP_KERNEL),
			 USOFTIRQ_ZERO_SIZE_PTR);
	usoftirq_kfree(NULL);
	usoftirq_kfree(USOFTIRQ_ZERO_SIZE_PTR);
	assert_null(usoftirq_kmalloc(SIZE_MAX - 8, USOFTIRQ_GFP_KERNEL));
	z = usoftirq_kmalloc(1000, USOFTIRQ_GFP_KERNEL | USOFTIRQ_GFP_ZERO);
	assert_non_null(z);
	assert_int_equal((uintptr_t)z % _Alignof(max_align_t), 0);
	for (unsigned int i = 0; i < 1000; i++)
		assert_int_equal(z[i], 0);
	usoftirq_kfree(z);
}

/**
 * struct irq_alloc - what a hardirq handler allocated and freed.
 * @to_free: a block from task context, freed in the handler.
 * @got: GFP_ATOMIC allocation made in the handler.
 * @zeroed: it came zeroed.
 * @devm: devm_kmalloc() in the handler (refused: NULL).
 */
struct irq_alloc {
	struct usoftirq_device *dev;
	void *to_free;
	unsigned char *got;
	bool zeroed;
	void *devm;
};

static usoftirq_irqreturn_t alloc_handler(int irq, void *dev_id)
{
	struct irq_alloc *a = dev_id;

	(void)irq;
	a->got = usoftirq_kmalloc(200, USOFTIRQ_GFP_ATOMIC | USOFTIRQ_GFP_ZERO);
	a->zeroed = a->got != NULL;
	for (unsigned int i = 0; a->got && i < 200; i++)
		a->zeroed = a->zeroed && a->got[i] == 0;
	if (a->got)
		memset(a->got, 0xee, 200);
	usoftirq_kfree(a->to_free);
	a->devm = usoftirq_devm_kmalloc(a->dev, 16, USOFTIRQ_GFP_ATOMIC);
	return USOFTIRQ_IRQ_HANDLED;
}

/*
 * Bytes malloc() has handed out, to see the handler's free take effect.
 * The sanitizers replace malloc() (glibc's counters then stay flat), so
 * under them the check is left to their own accounting.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HEAP_COUNTED 0
#else
#define HEAP_COUNTED 1
#endif

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

#define BIG (64 * 1024) /* below malloc's mmap threshold: heap accounted */

/* A hardirq handler allocates with GFP_ATOMIC and frees without any
 * report; a malloc() block it frees is handed back at the next free made
 * outside a handler; managed memory is refused there. */
static void test_kmalloc_in_hardirq_handler(void **state)
{
	unsigned long sleeps =
		usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC);
	struct usoftirq_device dev;
	struct irq_alloc a = { .dev = &dev };
	size_t held;

	(void)state;
	usoftirq_device_init(&dev, fx.m, "irqdev");
	a.to_free = usoftirq_kmalloc(BIG, USOFTIRQ_GFP_KERNEL);
	assert_int_equal(usoftirq_request_irq(fx.m, LINE, alloc_handler, 0,
					      "alloc", &a),
			 0);
	assert_int_equal(usoftirq_irq_pulse(fx.m, LINE), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(fx.m, 0), 1);
	held = heap_in_use();
	(void)usoftirq_free_irq(fx.m, LINE, &a);
	assert_non_null(a.got);
	assert_true(a.zeroed);
	assert_int_equal((uintptr_t)a.got % _Alignof(max_align_t), 0);
	assert_int_equal(a.got[199], 0xee);
	/* Mapped in the handler, unmapped here; the deferred block goes. */
	usoftirq_kfree(a.got);
	if (HEAP_COUNTED)
		assert_true(heap_in_use() + BIG <= held);
	assert_null(a.devm);
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_INVALID_ARGUMENT, 0),
			    "usoftirq_devm_kmalloc(irqdev) in a hardirq "
			    "handler: managed memory cannot be allocated or "
			    "freed there in usoftirq (not async-signal-safe); "
			    "allocate in probe, or use usoftirq_kmalloc()");
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_SLEEP_IN_ATOMIC),
			 sleeps);
	assert_int_equal(usoftirq_devres_release_all(&dev), 0);
}

static void child_kfree_foreign(void *arg)
{
	static max_align_t not_ours[4];

	(void)arg;
	usoftirq_kfree(&not_ours[2]);
}

static void test_kfree_of_foreign_pointer_aborts(void **state)
{
	char err[1024];
	int status;

	(void)state;
	capture_stop();
	status = run_in_child(child_kfree_foreign, NULL, err, sizeof(err));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(err, "not a block from usoftirq_kmalloc(), or "
				    "freed already"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_release_order_is_reversed),
		T(test_probe_failure_releases_everything),
		T(test_devm_kmalloc_and_kfree),
		T(test_devm_ioremap_resource_errors),
		T(test_devm_ioremap_and_iounmap),
		T(test_kmalloc_gfp_kernel_in_tasklet_is_reported),
		T(test_kmalloc_basics),
		T(test_kmalloc_in_hardirq_handler),
		T(test_kfree_of_foreign_pointer_aborts),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
