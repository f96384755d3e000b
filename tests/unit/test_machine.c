/* SPDX-License-Identifier: MIT */
/*
 * Machine lifecycle: creation and destruction in a loop, vCPU count,
 * worker thread names and pinning, the default machine, binding, the
 * worker-less mode, and the destroy report for tasklets left scheduled.
 */
#include "test_util.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static int runs;

static void count_run(struct usoftirq_tasklet *t)
{
	(void)t;
	__atomic_fetch_add(&runs, 1, __ATOMIC_RELAXED);
}

static void read_comm(int tid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, (int)size, f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Each test gets a fresh machine: create and destroy many times. */
static void test_create_destroy_many_times(void **state)
{
	(void)state;
	for (int i = 0; i < 200; i++) {
		struct usoftirq_machine *m = test_machine(3, 0);

		assert_int_equal(usoftirq_machine_ncpus(m), 3);
		assert_ptr_equal(usoftirq_machine_default(), m);
		usoftirq_machine_destroy(m);
		assert_null(usoftirq_machine_default());
	}
}

/* ncpus 0 means one vCPU per CPU in the caller's affinity mask. */
static void test_default_ncpus_is_affinity_mask(void **state)
{
	struct usoftirq_machine *m = test_machine(0, 0);
	cpu_set_t set;

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	assert_int_equal(usoftirq_machine_ncpus(m), CPU_COUNT(&set));
	usoftirq_machine_destroy(m);
}

static void test_bad_config_is_rejected(void **state)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m = NULL;

	(void)state;
	cfg.ncpus = USOFTIRQ_MAX_CPUS + 1;
	assert_int_equal(usoftirq_machine_create(&m, &cfg), -EINVAL);
	cfg.ncpus = 1;
	cfg.flags = 1u << 20;
	assert_int_equal(usoftirq_machine_create(&m, &cfg), -EINVAL);
	cfg.flags = 0;
	cfg.idle_spin_ns = USOFTIRQ_IDLE_SPIN_NS_MAX + 1;
	assert_int_equal(usoftirq_machine_create(&m, &cfg), -EINVAL);
	assert_null(m);
}

/*
 * Whatever a worker does when it runs out of work, sleep at once or watch
 * its pending mask first (here for the longest time allowed, so that the
 * schedules and the final stop all arrive while it watches), every
 * schedule runs and destroy stops it.
 */
static void run_with_idle_spin(unsigned int flags, unsigned int spin_ns)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m = NULL;
	struct usoftirq_tasklet t;

	cfg.ncpus = 1;
	cfg.flags = flags;
	cfg.idle_spin_ns = spin_ns;
	assert_int_equal(usoftirq_machine_create(&m, &cfg), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_setup(&t, count_run);
	runs = 0;
	for (int i = 0; i < 100; i++) {
		usoftirq_tasklet_schedule(&t);
		usoftirq_machine_quiesce(m);
	}
	assert_int_equal(__atomic_load_n(&runs, __ATOMIC_RELAXED), 100);
	usoftirq_tasklet_kill(&t);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

static void test_idle_spin_settings_all_run_every_schedule(void **state)
{
	(void)state;
	run_with_idle_spin(USOFTIRQ_MACHINE_NO_IDLE_SPIN, 0);
	run_with_idle_spin(USOFTIRQ_MACHINE_NO_IDLE_SPIN, 5000);
	run_with_idle_spin(0, 0);
	run_with_idle_spin(0, USOFTIRQ_IDLE_SPIN_NS_MAX);
}

/* Workers are named ksoftirqd/N and pinned where the mask allows. */
static void test_workers_named_and_pinned(void **state)
{
	struct usoftirq_machine *m = test_machine(2, 0);
	cpu_set_t allowed;
	char comm[32], want[32];

	(void)state;
	assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
	for (unsigned int c = 0; c < 2; c++) {
		int tid = usoftirq_machine_worker_tid(m, c);
		int host = usoftirq_machine_worker_host_cpu(m, c);
		cpu_set_t actual;

		assert_true(tid > 0);
		read_comm(tid, comm, sizeof(comm));
		snprintf(want, sizeof(want), "ksoftirqd/%u", c);
		assert_string_equal(comm, want);
		assert_true(host >= 0);
		assert_true(CPU_ISSET(host, &allowed));
		assert_int_equal(
			sched_getaffinity(tid, sizeof(actual), &actual), 0);
		assert_int_equal(CPU_COUNT(&actual), 1);
		assert_true(CPU_ISSET(host, &actual));
	}
	assert_int_equal(usoftirq_machine_worker_tid(m, 2), -EINVAL);
	usoftirq_machine_destroy(m);
}

static void test_no_pin_leaves_workers_unpinned(void **state)
{
	struct usoftirq_machine *m = test_machine(2, USOFTIRQ_MACHINE_NO_PIN);

	(void)state;
	assert_int_equal(usoftirq_machine_worker_host_cpu(m, 0), -ENOENT);
	usoftirq_machine_destroy(m);
}

/* The first machine is the default; later ones are not, until set. */
static void test_default_machine_rules(void **state)
{
	struct usoftirq_machine *a = test_machine(1, 0);
	struct usoftirq_machine *b = test_machine(1, 0);
	struct usoftirq_machine *c =
		test_machine(1, USOFTIRQ_MACHINE_NO_DEFAULT);

	(void)state;
	assert_ptr_equal(usoftirq_machine_default(), a);
	assert_ptr_equal(usoftirq_machine_current(), a);
	usoftirq_machine_set_default(b);
	assert_ptr_equal(usoftirq_machine_current(), b);
	assert_int_equal(usoftirq_thread_bind(c, 0), 0);
	assert_ptr_equal(usoftirq_machine_current(), c);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(b);
	assert_null(usoftirq_machine_default());
	usoftirq_machine_destroy(c);
	usoftirq_machine_destroy(a);
}

static void test_bind_rejects_bad_cpu(void **state)
{
	struct usoftirq_machine *m = test_machine(2, 0);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 2), -EINVAL);
	assert_int_equal(usoftirq_thread_bind(NULL, 0), -EINVAL);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	assert_int_equal(usoftirq_smp_processor_id(), 1);
	usoftirq_local_bh_disable();
	assert_int_equal(usoftirq_thread_bind(m, 0), -EBUSY);
	usoftirq_local_bh_enable();
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* Without workers nothing runs until the owner steps the vCPU. */
static void test_stepped_machine_runs_only_when_stepped(void **state)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	struct usoftirq_tasklet t;

	(void)state;
	runs = 0;
	assert_int_equal(usoftirq_machine_worker_tid(m, 0), -ENODEV);
	usoftirq_tasklet_setup(&t, count_run);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&t);
	assert_true(usoftirq_tasklet_is_scheduled(&t));
	assert_int_equal(usoftirq_local_softirq_pending(),
			 1u << USOFTIRQ_TASKLET_SOFTIRQ);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(runs, 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(runs, 1);
	assert_false(usoftirq_tasklet_is_scheduled(&t));
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

/* Destroy names each tasklet still scheduled and resets it. */
static void test_destroy_reports_pending_tasklets(void **state)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	struct usoftirq_tasklet queued, parked;

	(void)state;
	usoftirq_tasklet_setup(&queued, count_run);
	usoftirq_tasklet_setup(&parked, count_run);
	usoftirq_tasklet_disable_nosync(&parked);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&parked);
	(void)usoftirq_cpu_run_softirqs(m, 0); /* parks it: disabled */
	usoftirq_tasklet_schedule(&queued);
	usoftirq_thread_unbind();

	capture_start();
	usoftirq_machine_destroy(m);
	capture_stop();
	assert_int_equal(captured(USOFTIRQ_REPORT_DESTROY_PENDING), 2);
	assert_non_null(
		strstr(captured_text(USOFTIRQ_REPORT_DESTROY_PENDING, 0),
		       "count_run"));
	assert_non_null(strstr(
		captured_text(USOFTIRQ_REPORT_DESTROY_PENDING, 0), "queued"));
	assert_non_null(
		strstr(captured_text(USOFTIRQ_REPORT_DESTROY_PENDING, 1),
		       "parked while disabled"));
	assert_false(usoftirq_tasklet_is_scheduled(&queued));
	assert_false(usoftirq_tasklet_is_scheduled(&parked));

	/* The reset tasklet runs on the next machine. */
	runs = 0;
	m = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	usoftirq_tasklet_schedule(&queued);
	usoftirq_machine_quiesce(m);
	assert_int_equal(runs, 1);
	usoftirq_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_destroy_many_times),
		cmocka_unit_test(test_default_ncpus_is_affinity_mask),
		cmocka_unit_test(test_bad_config_is_rejected),
		cmocka_unit_test(
			test_idle_spin_settings_all_run_every_schedule),
		cmocka_unit_test(test_workers_named_and_pinned),
		cmocka_unit_test(test_no_pin_leaves_workers_unpinned),
		cmocka_unit_test(test_default_machine_rules),
		cmocka_unit_test(test_bind_rejects_bad_cpu),
		cmocka_unit_test(test_stepped_machine_runs_only_when_stepped),
		cmocka_unit_test(test_destroy_reports_pending_tasklets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
