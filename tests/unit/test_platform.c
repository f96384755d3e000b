/* SPDX-License-Identifier: MIT */
/*
 * The platform bus: binding when either side registers, the probe and
 * remove calls and their order, matching by name and by id_table, probe
 * failures (dd.c's message, the next driver tried, -ENODEV and -ENXIO
 * silent), registration errors, re-registration, a driver serving several
 * machines, the lifetimes of concurrent unregistrations (gated, never
 * slept on), contract violations, resource and IRQ lookup, and a whole
 * driver on a simulated register-mapped device.
 *
 * Every machine here has no workers: interrupts run only when the test
 * delivers them with usoftirq_cpu_run_irqs(), so every count is exact.
 */
#include "test_util.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Event log: what probe() and remove() saw, in order                  */
/* ------------------------------------------------------------------ */

#define MAX_EVENTS 32

static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static char events[MAX_EVENTS][80];
static unsigned int nevents;

static void events_reset(void)
{
	pthread_mutex_lock(&ev_lock);
	nevents = 0;
	pthread_mutex_unlock(&ev_lock);
}

/* "<what> <dev.driver_name> <dev_name>" */
static void event(const char *what, const struct usoftirq_device *dev)
{
	const char *drv = __atomic_load_n(&dev->driver_name, __ATOMIC_ACQUIRE);

	pthread_mutex_lock(&ev_lock);
	if (nevents < MAX_EVENTS)
		snprintf(events[nevents], sizeof(events[0]), "%s %s %s", what,
			 drv ? drv : "-", usoftirq_dev_name(dev));
	nevents++;
	pthread_mutex_unlock(&ev_lock);
}

/* Assert the log is exactly the NULL-terminated list given. */
#define assert_events(...) check_events((const char *[]){ __VA_ARGS__, NULL })

static void check_events(const char **want)
{
	unsigned int n = 0;

	pthread_mutex_lock(&ev_lock);
	for (; want[n]; n++) {
		assert_true(n < nevents);
		assert_string_equal(events[n], want[n]);
	}
	assert_int_equal(nevents, n);
	pthread_mutex_unlock(&ev_lock);
}

/* ------------------------------------------------------------------ */
/* Test devices and drivers                                            */
/* ------------------------------------------------------------------ */

/**
 * struct tdev - a platform device and how the test drivers treat it.
 * @probe_ret: what probe() returns.
 * @remove_ret: what remove() returns.
 * @gate_probe: probe() opens @entered and waits for @release.
 * @gate_remove: remove() does the same.
 * @in_remove: called in remove() after the gate, if set.
 */
struct tdev {
	struct usoftirq_platform_device pdev;
	int probe_ret;
	int remove_ret;
	bool gate_probe;
	bool gate_remove;
	void (*in_remove)(struct tdev *td);
	struct gate entered;
	struct gate release;
};

static struct tdev *tdev_of(struct usoftirq_platform_device *pdev)
{
	return (struct tdev *)((char *)pdev - offsetof(struct tdev, pdev));
}

static void tdev_init(struct tdev *td, const char *name, int id)
{
	memset(td, 0, sizeof(*td));
	td->pdev.name = name;
	td->pdev.id = id;
	gate_init(&td->entered, "entered");
	gate_init(&td->release, "release");
}

static void tdev_destroy(struct tdev *td)
{
	gate_destroy(&td->entered);
	gate_destroy(&td->release);
}

static void hold(struct tdev *td, bool gated)
{
	if (!gated)
		return;
	gate_open(&td->entered);
	gate_pass(&td->release);
}

static int t_probe(struct usoftirq_platform_device *pdev)
{
	struct tdev *td = tdev_of(pdev);

	event("probe", &pdev->dev);
	hold(td, td->gate_probe);
	if (!td->probe_ret)
		pdev->dev.driver_data = td;
	return td->probe_ret;
}

static int t_remove(struct usoftirq_platform_device *pdev)
{
	struct tdev *td = tdev_of(pdev);

	event("remove", &pdev->dev);
	hold(td, td->gate_remove);
	if (td->in_remove)
		td->in_remove(td);
	return td->remove_ret;
}

static void t_remove_new(struct usoftirq_platform_device *pdev)
{
	event("remove_new", &pdev->dev);
}

static struct usoftirq_platform_driver mydrv = {
	.probe = t_probe,
	.remove = t_remove,
	.driver.name = "mydrv",
};

static const struct usoftirq_platform_device_id chip_ids[] = {
	{ "chip-a", 0xa },
	{ "chip-b", 0xb },
	{ "", 0 },
};

static struct usoftirq_platform_driver chipdrv = {
	.probe = t_probe,
	.remove_new = t_remove_new,
	.driver.name = "chipdrv",
	.id_table = chip_ids,
};

static int setup(void **state)
{
	*state = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	events_reset();
	capture_start();
	return 0;
}

static int teardown(void **state)
{
	capture_stop();
	return teardown_machine(state);
}

/* ------------------------------------------------------------------ */
/* Binding and unbinding                                               */
/* ------------------------------------------------------------------ */

/* Driver first: registering the device probes it, in the registering
 * thread, with dev.name "name.id", dev.machine set and the driver's name
 * in dev.driver_name during probe; unregistering calls remove() and
 * clears the binding. */
static void test_device_register_probes_matching_driver(void **state)
{
	struct usoftirq_machine *m = *state;
	struct tdev d;

	tdev_init(&d, "mydrv", 0);
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	assert_events("probe mydrv mydrv.0");
	assert_string_equal(d.pdev.dev.name, "mydrv.0");
	assert_ptr_equal(d.pdev.dev.machine, m);
	assert_string_equal(d.pdev.dev.driver_name, "mydrv");
	assert_ptr_equal(d.pdev.dev.driver_data, &d);
	assert_true(usoftirq_platform_device_bound(&d.pdev));

	usoftirq_platform_device_unregister(&d.pdev);
	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0");
	assert_null(d.pdev.dev.driver_name);
	assert_null(d.pdev.dev.driver_data);
	assert_null(d.pdev.dev.name);
	assert_false(usoftirq_platform_device_bound(&d.pdev));
	usoftirq_platform_driver_unregister(&mydrv);
	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0");
	assert_int_equal(captured_total(), 0);
	tdev_destroy(&d);
}

/* Devices first: registering the driver probes every matching unbound
 * device in registration order; unregistering it removes them all and
 * leaves them registered, unbound, ready for the next registration. */
static void test_driver_register_binds_every_match(void **state)
{
	struct usoftirq_machine *m = *state;
	struct tdev a, b, other;

	tdev_init(&a, "mydrv", 1);
	tdev_init(&b, "mydrv", USOFTIRQ_PLATFORM_DEVID_NONE);
	tdev_init(&other, "otherdrv", 0);
	assert_int_equal(usoftirq_platform_device_register(m, &a.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &other.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &b.pdev), 0);
	assert_events(NULL);
	assert_false(usoftirq_platform_device_bound(&a.pdev));

	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_events("probe mydrv mydrv.1", "probe mydrv mydrv");
	assert_false(usoftirq_platform_device_bound(&other.pdev));

	usoftirq_platform_driver_unregister(&mydrv);
	assert_events("probe mydrv mydrv.1", "probe mydrv mydrv",
		      "remove mydrv mydrv.1", "remove mydrv mydrv");
	assert_false(usoftirq_platform_device_bound(&a.pdev));
	assert_false(usoftirq_platform_device_bound(&b.pdev));
	assert_string_equal(a.pdev.dev.name, "mydrv.1");

	/* Re-registration binds them again. */
	events_reset();
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_events("probe mydrv mydrv.1", "probe mydrv mydrv");
	usoftirq_platform_device_unregister(&a.pdev);
	usoftirq_platform_device_unregister(&b.pdev);
	usoftirq_platform_device_unregister(&other.pdev);
	usoftirq_platform_driver_unregister(&mydrv);
	assert_events("probe mydrv mydrv.1", "probe mydrv mydrv",
		      "remove mydrv mydrv.1", "remove mydrv mydrv");
	tdev_destroy(&a);
	tdev_destroy(&b);
	tdev_destroy(&other);
}

/* An id_table replaces the name match: its names bind (with id_entry set
 * for platform_get_device_id()), the driver's own name does not; the
 * void remove_new() form is called on unbind. */
static void test_id_table_matching(void **state)
{
	struct usoftirq_machine *m = *state;
	struct tdev a, b, byname;

	tdev_init(&a, "chip-a", 0);
	tdev_init(&b, "chip-b", 3);
	tdev_init(&byname, "chipdrv", 0);
	assert_int_equal(usoftirq_platform_driver_register(&chipdrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &a.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &byname.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &b.pdev), 0);
	assert_events("probe chipdrv chip-a.0", "probe chipdrv chip-b.3");
	assert_int_equal(usoftirq_platform_get_device_id(&a.pdev)->driver_data,
			 0xa);
	assert_ptr_equal(usoftirq_platform_get_device_id(&b.pdev),
			 &chip_ids[1]);
	assert_null(usoftirq_platform_get_device_id(&byname.pdev));
	assert_false(usoftirq_platform_device_bound(&byname.pdev));

	usoftirq_platform_device_unregister(&b.pdev);
	usoftirq_platform_driver_unregister(&chipdrv);
	assert_events("probe chipdrv chip-a.0", "probe chipdrv chip-b.3",
		      "remove_new chipdrv chip-b.3",
		      "remove_new chipdrv chip-a.0");
	usoftirq_platform_device_unregister(&a.pdev);
	usoftirq_platform_device_unregister(&byname.pdev);
	tdev_destroy(&a);
	tdev_destroy(&b);
	tdev_destroy(&byname);
}

/* A probe error is reported with dd.c's text (driver name in the prefix,
 * as dev->driver is set during probe), leaves the device unbound with no
 * driver name or data, and the next matching driver is tried. */
static void test_probe_failure_tries_next_driver(void **state)
{
	static const struct usoftirq_platform_device_id ids[] = {
		{ "mydrv", 0 },
		{ "", 0 },
	};
	struct usoftirq_platform_driver second = {
		.probe = t_probe,
		.remove_new = t_remove_new,
		.driver.name = "second",
		.id_table = ids,
	};
	struct usoftirq_machine *m = *state;
	struct tdev d;

	tdev_init(&d, "mydrv", 0);
	d.probe_ret = -EINVAL;
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	assert_events("probe mydrv mydrv.0");
	assert_false(usoftirq_platform_device_bound(&d.pdev));
	assert_null(d.pdev.dev.driver_name);
	assert_null(d.pdev.dev.driver_data);
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 1);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 0),
			    "mydrv mydrv.0: probe with driver mydrv failed "
			    "with error -22");

	/* A driver registered later gets its chance; then the device is
	 * bound, so re-registering the first driver does not probe it. */
	d.probe_ret = 0;
	assert_int_equal(usoftirq_platform_driver_register(&second), 0);
	assert_true(usoftirq_platform_device_bound(&d.pdev));
	usoftirq_platform_driver_unregister(&mydrv);
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_events("probe mydrv mydrv.0", "probe second mydrv.0");

	/* Drivers are tried in registration order: "second" now comes
	 * before the re-registered "mydrv"; when both fail, both are
	 * reported and the device stays registered, unbound. */
	usoftirq_platform_device_unregister(&d.pdev);
	d.probe_ret = -EINVAL;
	events_reset();
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	assert_events("probe second mydrv.0", "probe mydrv mydrv.0");
	assert_false(usoftirq_platform_device_bound(&d.pdev));
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 3);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 1),
			    "second mydrv.0: probe with driver second failed "
			    "with error -22");
	usoftirq_platform_device_unregister(&d.pdev);
	usoftirq_platform_driver_unregister(&mydrv);
	usoftirq_platform_driver_unregister(&second);
	tdev_destroy(&d);
}

/* dd.c logs -ENODEV, -ENXIO (and -EPROBE_DEFER) at debug level only. */
static void test_probe_rejecting_match_is_silent(void **state)
{
	static const int quiet[] = { -ENODEV, -ENXIO, -USOFTIRQ_EPROBE_DEFER };
	struct usoftirq_machine *m = *state;
	struct tdev d;

	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	for (unsigned int i = 0; i < 3; i++) {
		tdev_init(&d, "mydrv", (int)i);
		d.probe_ret = quiet[i];
		assert_int_equal(usoftirq_platform_device_register(m, &d.pdev),
				 0);
		assert_false(usoftirq_platform_device_bound(&d.pdev));
		usoftirq_platform_device_unregister(&d.pdev);
		tdev_destroy(&d);
	}
	assert_int_equal(nevents, 3);
	assert_int_equal(captured_total(), 0);
	usoftirq_platform_driver_unregister(&mydrv);
}

/* The int-returning remove(): a non-zero value is reported, ignored. */
static void test_remove_error_is_reported_and_ignored(void **state)
{
	struct usoftirq_machine *m = *state;
	struct tdev d;

	tdev_init(&d, "mydrv", 7);
	d.remove_ret = -EBUSY;
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	usoftirq_platform_device_unregister(&d.pdev);
	assert_events("probe mydrv mydrv.7", "remove mydrv mydrv.7");
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 1);
	assert_string_equal(
		captured_text(USOFTIRQ_REPORT_DEVICE, 0),
		"mydrv mydrv.7: remove callback returned a non-zero "
		"value. This will be ignored.");
	assert_null(d.pdev.usoftirq_priv);
	usoftirq_platform_driver_unregister(&mydrv);
	tdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* Registration errors and re-registration                             */
/* ------------------------------------------------------------------ */

static void test_registration_errors(void **state)
{
	struct usoftirq_machine *m = *state;
	struct usoftirq_platform_driver twin = { .driver.name = "mydrv" };
	struct usoftirq_platform_driver both = {
		.remove = t_remove,
		.remove_new = t_remove_new,
		.driver.name = "both",
	};
	struct usoftirq_platform_driver anon = { .probe = t_probe };
	struct tdev d, dup, noname;

	tdev_init(&d, "mydrv", 0);
	tdev_init(&dup, "mydrv", 0);
	tdev_init(&noname, NULL, 0);
	assert_int_equal(usoftirq_platform_device_register(NULL, &d.pdev),
			 -EINVAL);
	assert_int_equal(usoftirq_platform_device_register(m, &noname.pdev),
			 -EINVAL);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), -EBUSY);
	assert_int_equal(usoftirq_platform_device_register(m, &dup.pdev),
			 -EEXIST);
	assert_null(dup.pdev.usoftirq_priv);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 0),
			    "sysfs: cannot create duplicate filename "
			    "'/devices/platform/mydrv.0'");

	assert_int_equal(usoftirq_platform_driver_register(&anon), -EINVAL);
	assert_int_equal(usoftirq_platform_driver_register(&both), -EINVAL);
	assert_int_equal(captured(USOFTIRQ_REPORT_INVALID_ARGUMENT), 1);
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), -EBUSY);
	assert_int_equal(usoftirq_platform_driver_register(&twin), -EBUSY);
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 3);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 2),
			    "Error: Driver 'mydrv' is already registered, "
			    "aborting...");
	assert_null(twin.usoftirq_priv);
	assert_events("probe mydrv mydrv.0");

	/* The name is free again once its device is unregistered. */
	usoftirq_platform_device_unregister(&d.pdev);
	assert_int_equal(usoftirq_platform_device_register(m, &dup.pdev), 0);
	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0",
		      "probe mydrv mydrv.0");
	usoftirq_platform_device_unregister(&dup.pdev);
	usoftirq_platform_driver_unregister(&mydrv);
	tdev_destroy(&d);
	tdev_destroy(&dup);
	tdev_destroy(&noname);
}

/* A driver registered while no machine exists binds devices of several
 * machines; each device's IRQs are its own machine's (dev.machine). */
static void test_driver_serves_several_machines(void **state)
{
	struct usoftirq_machine *m1, *m2;
	struct tdev a, b;

	(void)state;
	events_reset();
	assert_null(usoftirq_machine_default());
	tdev_init(&a, "mydrv", 0);
	tdev_init(&b, "mydrv", 0);
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	m1 = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	m2 = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	/* The same name on two machines is two devices. */
	assert_int_equal(usoftirq_platform_device_register(m1, &a.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m2, &b.pdev), 0);
	assert_events("probe mydrv mydrv.0", "probe mydrv mydrv.0");
	assert_ptr_equal(a.pdev.dev.machine, m1);
	assert_ptr_equal(b.pdev.dev.machine, m2);

	usoftirq_platform_driver_unregister(&mydrv);
	assert_int_equal(nevents, 4);
	usoftirq_platform_device_unregister(&a.pdev);
	usoftirq_platform_device_unregister(&b.pdev);
	usoftirq_machine_destroy(m1);
	usoftirq_machine_destroy(m2);
	tdev_destroy(&a);
	tdev_destroy(&b);
}

/* ------------------------------------------------------------------ */
/* Concurrent unregistrations                                          */
/* ------------------------------------------------------------------ */

/**
 * struct racer - a call made in a helper thread whose tid is known.
 * @call: the helper thread.
 * @started: opened (with @tid set) just before the call.
 */
struct racer {
	struct bg_call call;
	struct tdev *d;
	struct gate started;
	_Atomic int tid;
};

static void racer_start(struct racer *r, struct tdev *d, void (*fn)(void *))
{
	r->d = d;
	gate_init(&r->started, "started");
	bg_call_start(&r->call, fn, r);
}

static void racer_join(struct racer *r)
{
	bg_call_join(&r->call);
	gate_destroy(&r->started);
}

static void announce(struct racer *r)
{
	atomic_store(&r->tid, (int)syscall(SYS_gettid));
	gate_open(&r->started);
}

static void unregister_device_bg(void *arg)
{
	struct racer *r = arg;

	announce(r);
	usoftirq_platform_device_unregister(&r->d->pdev);
}

static void unregister_driver_bg(void *arg)
{
	struct racer *r = arg;

	announce(r);
	usoftirq_platform_driver_unregister(&mydrv);
}

static void register_device_bg(void *arg)
{
	struct racer *r = arg;

	announce(r);
	(void)usoftirq_platform_device_register(usoftirq_machine_default(),
						&r->d->pdev);
}

/* Wait until @r's thread sleeps (on a device lock, its only blocking
 * point once started). */
static void wait_blocked(struct racer *r)
{
	gate_pass(&r->started);
	wait_futex_blocked(atomic_load(&r->tid), 0);
	assert_false(bg_call_returned(&r->call));
}

/* The device is unregistered while its driver's unregistration is inside
 * remove() in another thread: the device's unregistration waits for that
 * remove, does not call remove() again, and both return. */
static void test_device_unregister_during_driver_unregister(void **state)
{
	struct usoftirq_machine *m = *state;
	struct racer drv_side, dev_side;
	struct tdev d;

	tdev_init(&d, "mydrv", 0);
	d.gate_remove = true;
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	racer_start(&drv_side, &d, unregister_driver_bg);
	gate_pass(&d.entered); /* remove() is running */
	racer_start(&dev_side, &d, unregister_device_bg);
	wait_blocked(&dev_side);
	assert_false(bg_call_returned(&drv_side.call));

	gate_open(&d.release);
	racer_join(&drv_side);
	racer_join(&dev_side);
	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0");
	assert_null(d.pdev.usoftirq_priv);
	assert_null(mydrv.usoftirq_priv);
	assert_null(d.pdev.dev.driver_name);
	tdev_destroy(&d);
}

/* Unregistering a device whose probe runs in another thread waits for the
 * probe, then removes the device it bound. */
static void test_device_unregister_waits_for_probe(void **state)
{
	struct usoftirq_machine *m = *state;
	struct racer reg, unreg;
	struct tdev d;

	usoftirq_machine_set_default(m);
	tdev_init(&d, "mydrv", 0);
	d.gate_probe = true;
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	racer_start(&reg, &d, register_device_bg);
	gate_pass(&d.entered); /* probe() is running */
	racer_start(&unreg, &d, unregister_device_bg);
	wait_blocked(&unreg);

	gate_open(&d.release);
	racer_join(&reg);
	racer_join(&unreg);
	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0");
	assert_null(d.pdev.usoftirq_priv);
	usoftirq_platform_driver_unregister(&mydrv);
	usoftirq_machine_set_default(NULL);
	tdev_destroy(&d);
}

/* Unregistering a driver while it probes a device in another thread
 * waits for the probe and removes the device; the device stays
 * registered. */
static void test_driver_unregister_waits_for_probe(void **state)
{
	struct usoftirq_machine *m = *state;
	struct racer reg, unreg;
	struct tdev d;

	usoftirq_machine_set_default(m);
	tdev_init(&d, "mydrv", 0);
	d.gate_probe = true;
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	racer_start(&reg, &d, register_device_bg);
	gate_pass(&d.entered);
	racer_start(&unreg, &d, unregister_driver_bg);
	wait_blocked(&unreg);

	gate_open(&d.release);
	racer_join(&reg);
	racer_join(&unreg);
	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0");
	assert_false(usoftirq_platform_device_bound(&d.pdev));
	assert_non_null(d.pdev.usoftirq_priv);
	usoftirq_platform_device_unregister(&d.pdev);
	usoftirq_machine_set_default(NULL);
	tdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* Resources and IRQ lookup                                            */
/* ------------------------------------------------------------------ */

#define MEM USOFTIRQ_IORESOURCE_MEM
#define IRQ USOFTIRQ_IORESOURCE_IRQ

static struct usoftirq_resource lookup_res[] = {
	{ 0x10000000, 0x10000fff, "regs", MEM },
	{ 5, 5, "rx", IRQ },
	{ 0x10001000, 0x100010ff, "fifo", MEM },
	{ 0, 0, "zero", IRQ },
	{ 7, 7, "tx", IRQ | USOFTIRQ_IORESOURCE_IRQ_HIGHLEVEL },
	{ 999, 999, "far", IRQ | USOFTIRQ_IORESOURCE_IRQ_HIGHEDGE },
};

static usoftirq_irqreturn_t quiet_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return USOFTIRQ_IRQ_HANDLED;
}

static void test_get_resource(void **state)
{
	struct usoftirq_resource *r = lookup_res;
	struct tdev d;

	tdev_init(&d, "res", 0);
	d.pdev.resource = lookup_res;
	d.pdev.num_resources = 6;
	assert_int_equal(usoftirq_platform_device_register(*state, &d.pdev), 0);
	assert_ptr_equal(usoftirq_platform_get_resource(&d.pdev, MEM, 0),
			 &r[0]);
	assert_ptr_equal(usoftirq_platform_get_resource(&d.pdev, MEM, 1),
			 &r[2]);
	assert_null(usoftirq_platform_get_resource(&d.pdev, MEM, 2));
	assert_ptr_equal(usoftirq_platform_get_resource(&d.pdev, IRQ, 0),
			 &r[1]);
	assert_ptr_equal(usoftirq_platform_get_resource(&d.pdev, IRQ, 3),
			 &r[5]);
	assert_null(usoftirq_platform_get_resource(&d.pdev, IRQ, 4));
	assert_null(usoftirq_platform_get_resource(&d.pdev,
						   USOFTIRQ_IORESOURCE_IO, 0));
	assert_ptr_equal(usoftirq_platform_get_resource_byname(&d.pdev, MEM,
							       "fifo"),
			 &r[2]);
	assert_null(
		usoftirq_platform_get_resource_byname(&d.pdev, IRQ, "regs"));
	assert_null(usoftirq_platform_get_resource_byname(&d.pdev, MEM, "x"));
	assert_int_equal(captured_total(), 0);
	usoftirq_platform_device_unregister(&d.pdev);
	tdev_destroy(&d);
}

/* platform_get_irq(): the line; the kernel's dev_err_probe() text for a
 * missing one (prefixed "platform" on an unbound device); line 0 warned
 * about and refused; trigger bits applied to the line, or -ENXIO when the
 * line does not exist. The _optional form reports nothing itself. */
static void test_get_irq(void **state)
{
	struct usoftirq_machine *m = *state;
	char table[1024];
	int token;
	struct tdev d;

	tdev_init(&d, "res", 0);
	d.pdev.resource = lookup_res;
	d.pdev.num_resources = 6;
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	assert_int_equal(usoftirq_platform_get_irq(&d.pdev, 0), 5);
	assert_int_equal(usoftirq_platform_get_irq_optional(&d.pdev, 4),
			 -ENXIO);
	assert_int_equal(captured_total(), 0);

	assert_int_equal(usoftirq_platform_get_irq(&d.pdev, 4), -ENXIO);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 0),
			    "platform res.0: error -ENXIO: IRQ index 4 not "
			    "found");
	assert_int_equal(usoftirq_platform_get_irq(&d.pdev, 1), -EINVAL);
	assert_int_equal(captured(USOFTIRQ_REPORT_WARN), 1);
	assert_non_null(strstr(captured_text(USOFTIRQ_REPORT_WARN, 0),
			       ": 0 is an invalid IRQ number"));
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 1),
			    "platform res.0: error -EINVAL: IRQ index 1 not "
			    "found");
	/* Line 999 does not exist on this machine: its trigger bits cannot
	 * be applied. */
	assert_int_equal(usoftirq_platform_get_irq(&d.pdev, 3), -ENXIO);
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 3);

	assert_int_equal(
		usoftirq_request_irq(m, 7, quiet_handler, 0, "tx", &token), 0);
	assert_int_equal(usoftirq_platform_get_irq(&d.pdev, 2), 7);
	usoftirq_interrupts_format(m, table, sizeof(table));
	assert_non_null(strstr(table, " 7-level     tx"));
	(void)usoftirq_free_irq(m, 7, &token);

	assert_int_equal(usoftirq_platform_get_irq_byname(&d.pdev, "rx"), 5);
	assert_int_equal(usoftirq_platform_get_irq_byname(&d.pdev, "zero"),
			 -EINVAL);
	assert_int_equal(usoftirq_platform_get_irq_byname(&d.pdev, "nope"),
			 -ENXIO);
	assert_int_equal(captured(USOFTIRQ_REPORT_WARN), 2);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DEVICE, 4),
			    "platform res.0: error -ENXIO: IRQ nope not found");
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 5);
	usoftirq_platform_device_unregister(&d.pdev);
	tdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* A whole driver on a register-mapped device                          */
/* ------------------------------------------------------------------ */

#define FLOW_PHYS 0x10000000ull
#define FLOW_IRQ 5
#define REG_STATUS 0x0
#define REG_DATA 0x4
#define DATA_RESET 0x1234abcdu

static const struct usoftirq_mmio_reg flow_regs[] = {
	{ .name = "STATUS",
	  .offset = REG_STATUS,
	  .width = 4,
	  .kind = USOFTIRQ_MMIO_W1C },
	{ .name = "DATA",
	  .offset = REG_DATA,
	  .width = 4,
	  .kind = USOFTIRQ_MMIO_PLAIN,
	  .reset = DATA_RESET },
};

struct flow_priv {
	char *base;
	_Atomic int handled;
	_Atomic uint32_t status;
};

static struct flow_priv *flow_bound;

/* The seed's shape: read the cause, acknowledge it, account for it. */
static usoftirq_irqreturn_t flow_irq(int irq, void *dev_id)
{
	struct flow_priv *fp = dev_id;
	uint32_t st = usoftirq_readl(fp->base + REG_STATUS);

	(void)irq;
	if (!st)
		return USOFTIRQ_IRQ_NONE;
	usoftirq_writel(st, fp->base + REG_STATUS);
	atomic_store(&fp->status, st);
	atomic_fetch_add(&fp->handled, 1);
	return USOFTIRQ_IRQ_HANDLED;
}

static int flow_probe(struct usoftirq_platform_device *pdev)
{
	struct flow_priv *fp;
	int irq, err;

	irq = usoftirq_platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	fp = usoftirq_devm_kmalloc(&pdev->dev, sizeof(*fp),
				   USOFTIRQ_GFP_KERNEL | USOFTIRQ_GFP_ZERO);
	if (!fp)
		return -ENOMEM;
	fp->base = usoftirq_devm_platform_ioremap_resource(pdev, 0);
	if (usoftirq_is_err(fp->base))
		return (int)usoftirq_ptr_err(fp->base);
	err = usoftirq_devm_request_irq(&pdev->dev, (unsigned int)irq, flow_irq,
					0, "flow", fp);
	if (err)
		return err;
	pdev->dev.driver_data = fp;
	flow_bound = fp;
	event("probe", &pdev->dev);
	return 0;
}

static void flow_remove(struct usoftirq_platform_device *pdev)
{
	event("remove", &pdev->dev);
}

static struct usoftirq_platform_driver flowdrv = {
	.probe = flow_probe,
	.remove_new = flow_remove,
	.driver.name = "flow",
};

static uint32_t flow_reg(struct usoftirq_mmio_device *md, unsigned int off)
{
	uint64_t v;

	usoftirq_mmio_lock(md);
	v = usoftirq_mmio_reg_value(md, off);
	usoftirq_mmio_unlock(md);
	return (uint32_t)v;
}

/* Probe maps the registers and requests the line with devm_ calls; a
 * pulse runs the handler, which clears the status; unregistering frees
 * it all: the line has no action left and the mapping is gone. */
static void test_driver_on_mmio_device(void **state)
{
	struct usoftirq_resource res[] = {
		{ FLOW_PHYS, FLOW_PHYS + 0xff, NULL, MEM },
		{ FLOW_IRQ, FLOW_IRQ, NULL, IRQ },
	};
	struct usoftirq_machine *m = *state;
	struct usoftirq_mmio_device *md;
	char table[1024];
	unsigned long bad;
	char *base;
	int token;
	struct tdev d;

	assert_int_equal(usoftirq_mmio_device_create(&md, "flowdev", 0x100,
						     flow_regs, 2, NULL),
			 0);
	assert_int_equal(usoftirq_mmio_attach(m, md, FLOW_PHYS), 0);
	tdev_init(&d, "flow", USOFTIRQ_PLATFORM_DEVID_NONE);
	d.pdev.resource = res;
	d.pdev.num_resources = 2;
	assert_int_equal(usoftirq_platform_driver_register(&flowdrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &d.pdev), 0);
	assert_true(usoftirq_platform_device_bound(&d.pdev));
	base = flow_bound->base;
	assert_int_equal(usoftirq_readl(base + REG_DATA), DATA_RESET);

	usoftirq_mmio_lock(md);
	usoftirq_mmio_reg_set(md, REG_STATUS, 0x3);
	usoftirq_mmio_unlock(md);
	assert_int_equal(usoftirq_irq_pulse(m, FLOW_IRQ), 0);
	assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	assert_int_equal(atomic_load(&flow_bound->handled), 1);
	assert_int_equal(atomic_load(&flow_bound->status), 0x3);
	assert_int_equal(flow_reg(md, REG_STATUS), 0);
	usoftirq_interrupts_format(m, table, sizeof(table));
	assert_non_null(strstr(table, "-edge      flow"));

	usoftirq_platform_device_unregister(&d.pdev);
	assert_events("probe flow flow", "remove flow flow");
	usoftirq_interrupts_format(m, table, sizeof(table));
	assert_null(strstr(table, "flow"));
	/* The line is free: a non-shared request takes it. */
	assert_int_equal(usoftirq_request_irq(m, FLOW_IRQ, quiet_handler, 0,
					      "after", &token),
			 0);
	assert_string_equal(usoftirq_free_irq(m, FLOW_IRQ, &token), "after");
	/* The mapping is gone: an access is reported and reads all ones. */
	bad = usoftirq_report_count(USOFTIRQ_REPORT_MMIO_BAD_ACCESS);
	assert_int_equal(usoftirq_readl(base + REG_DATA), 0xffffffffu);
	assert_int_equal(usoftirq_report_count(USOFTIRQ_REPORT_MMIO_BAD_ACCESS),
			 bad + 1);
	assert_int_equal(captured(USOFTIRQ_REPORT_DEVICE), 0);
	/* Destroying a device still mapped would abort: nothing is. */
	usoftirq_mmio_detach(md);
	usoftirq_mmio_device_destroy(md);
	usoftirq_platform_driver_unregister(&flowdrv);
	tdev_destroy(&d);
}

/* ------------------------------------------------------------------ */
/* Contract violations                                                 */
/* ------------------------------------------------------------------ */

static void unregister_self(struct tdev *td)
{
	usoftirq_platform_device_unregister(&td->pdev);
}

static void child_unregister_from_remove(void *arg)
{
	struct usoftirq_machine *m;
	struct tdev d;

	(void)arg;
	(void)usoftirq_machine_create(
		&m, &(struct usoftirq_machine_config){
			    .ncpus = 1, .flags = USOFTIRQ_MACHINE_NO_WORKERS });
	tdev_init(&d, "mydrv", 0);
	d.in_remove = unregister_self;
	(void)usoftirq_platform_driver_register(&mydrv);
	(void)usoftirq_platform_device_register(m, &d.pdev);
	usoftirq_platform_driver_unregister(&mydrv);
}

static void child_unregister_unregistered(void *arg)
{
	struct tdev d;

	(void)arg;
	tdev_init(&d, "ghost", 0);
	usoftirq_platform_device_unregister(&d.pdev);
}

static void child_register_with_bh_disabled(void *arg)
{
	struct usoftirq_machine *m;
	struct tdev d;

	(void)arg;
	(void)usoftirq_machine_create(
		&m, &(struct usoftirq_machine_config){
			    .ncpus = 1, .flags = USOFTIRQ_MACHINE_NO_WORKERS });
	(void)usoftirq_thread_bind(m, 0);
	tdev_init(&d, "mydrv", 0);
	usoftirq_local_bh_disable();
	(void)usoftirq_platform_device_register(m, &d.pdev);
}

static void expect_abort(void (*fn)(void *), const char *message)
{
	char err[2048];
	int status;

	capture_stop();
	status = run_in_child(fn, NULL, err, sizeof(err));
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	if (!strstr(err, message))
		fail_msg("expected \"%s\" in:\n%s", message, err);
}

static void test_contract_violations_abort(void **state)
{
	(void)state;
	expect_abort(child_unregister_from_remove,
		     "usoftirq_platform_device_unregister() called from the "
		     "probe, remove or devm release of mydrv.0, whose device "
		     "lock the caller holds");
	expect_abort(child_unregister_unregistered,
		     "usoftirq_platform_device_unregister(ghost): the device "
		     "is not registered");
	expect_abort(child_register_with_bh_disabled,
		     "usoftirq_platform_device_register() must be called "
		     "from task context");
}

/* Destroying a machine with devices still registered reports each one and
 * unregisters it first: remove() runs and managed IRQs are freed while the
 * machine still works (no "IRQ still requested" report follows); the
 * process-wide driver stays registered. */
static void test_machine_destroy_unregisters_devices(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	struct tdev a, b;
	int token;

	(void)state;
	events_reset();
	capture_start();
	tdev_init(&a, "mydrv", 0);
	tdev_init(&b, "otherdrv", 0);
	assert_int_equal(usoftirq_platform_driver_register(&mydrv), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &a.pdev), 0);
	assert_int_equal(usoftirq_platform_device_register(m, &b.pdev), 0);
	assert_int_equal(usoftirq_devm_request_irq(&a.pdev.dev, 3,
						   quiet_handler, 0, NULL,
						   &token),
			 0);
	usoftirq_machine_destroy(m);
	capture_stop();

	assert_events("probe mydrv mydrv.0", "remove mydrv mydrv.0");
	assert_int_equal(captured(USOFTIRQ_REPORT_DESTROY_PENDING), 2);
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DESTROY_PENDING, 0),
			    "machine destroyed with platform device mydrv.0 "
			    "still registered: unregistering it; unregister "
			    "devices before destroying the machine");
	assert_string_equal(captured_text(USOFTIRQ_REPORT_DESTROY_PENDING, 1),
			    "machine destroyed with platform device "
			    "otherdrv.0 still registered: unregistering it; "
			    "unregister devices before destroying the "
			    "machine");
	assert_null(a.pdev.usoftirq_priv);
	assert_null(b.pdev.usoftirq_priv);
	assert_non_null(mydrv.usoftirq_priv);
	usoftirq_platform_driver_unregister(&mydrv);
	tdev_destroy(&a);
	tdev_destroy(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_device_register_probes_matching_driver),
		T(test_driver_register_binds_every_match),
		T(test_id_table_matching),
		T(test_probe_failure_tries_next_driver),
		T(test_probe_rejecting_match_is_silent),
		T(test_remove_error_is_reported_and_ignored),
		T(test_registration_errors),
		cmocka_unit_test(test_driver_serves_several_machines),
		T(test_device_unregister_during_driver_unregister),
		T(test_device_unregister_waits_for_probe),
		T(test_driver_unregister_waits_for_probe),
		T(test_get_resource),
		T(test_get_irq),
		T(test_driver_on_mmio_device),
		T(test_contract_violations_abort),
		cmocka_unit_test(test_machine_destroy_unregisters_devices),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
