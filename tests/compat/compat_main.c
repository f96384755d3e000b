/* SPDX-License-Identifier: MIT */
/*
 * compat_spellings: the kernel spelling (kernel_side.c) and the prefixed
 * spelling (prefixed_side.c), linked into one program, reach the same
 * functions, constants, tasklets and locks. Each test steps a machine
 * without workers, so every run happens in this thread, when asked.
 */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "compat_test.h"

static unsigned int printk_calls;
static int printk_level;
static char printk_text[256];

static void printk_capture(int level, const char *text, void *arg)
{
	(void)arg;
	printk_calls++;
	printk_level = level;
	snprintf(printk_text, sizeof(printk_text), "%s", text);
}

static int setup_bound(void **state)
{
	setup_machine_stepped(state);
	assert_int_equal(usoftirq_thread_bind(*state, 0), 0);
	kside_reset_runs();
	return 0;
}

static const struct compat_sym *find_sym(const struct compat_sym *syms,
					 size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(syms[i].kernel_name, name) == 0)
			return &syms[i];
	return NULL;
}

static void test_kernel_names_are_the_library_functions(void **state)
{
	const struct compat_sym *k, *p;
	size_t nk = kside_symbols(&k), np = pside_symbols(&p);

	(void)state;
	assert_int_equal(nk, np);
	for (size_t i = 0; i < nk; i++) {
		const struct compat_sym *want =
			find_sym(p, np, k[i].kernel_name);

		if (!want)
			fail_msg("%s: no prefixed counterpart",
				 k[i].kernel_name);
		if (k[i].fn != want->fn)
			fail_msg("%s is not the library function",
				 k[i].kernel_name);
	}
}

static void test_kernel_constants_equal_prefixed_ones(void **state)
{
	const struct compat_const *k, *p;
	size_t nk = kside_constants(&k), np = pside_constants(&p);

	(void)state;
	assert_int_equal(nk, np);
	for (size_t i = 0; i < nk; i++) {
		assert_string_equal(k[i].kernel_name, p[i].kernel_name);
		if (k[i].value != p[i].value)
			fail_msg("%s: kernel spelling %lld, prefixed %lld",
				 k[i].kernel_name, k[i].value, p[i].value);
	}
}

static long long kconst(const char *name)
{
	const struct compat_const *k;
	size_t n = kside_constants(&k);

	for (size_t i = 0; i < n; i++)
		if (strcmp(k[i].kernel_name, name) == 0)
			return k[i].value;
	fail_msg("no constant %s", name);
	return -1;
}

/* The numbers of include/linux/interrupt.h and include/linux/preempt.h. */
static void test_kernel_constants_have_the_kernels_values(void **state)
{
	(void)state;
	assert_int_equal(kconst("HI_SOFTIRQ"), 0);
	assert_int_equal(kconst("TIMER_SOFTIRQ"), 1);
	assert_int_equal(kconst("NET_RX_SOFTIRQ"), 3);
	assert_int_equal(kconst("TASKLET_SOFTIRQ"), 6);
	assert_int_equal(kconst("RCU_SOFTIRQ"), 9);
	assert_int_equal(kconst("NR_SOFTIRQS"), 10);
	assert_int_equal(kconst("TASKLET_STATE_SCHED"), 0);
	assert_int_equal(kconst("TASKLET_STATE_RUN"), 1);
	assert_int_equal(kconst("PREEMPT_MASK"), 0xff);
	assert_int_equal(kconst("SOFTIRQ_MASK"), 0xff00);
	assert_int_equal(kconst("HARDIRQ_MASK"), 0xf0000);
	assert_int_equal(kconst("NMI_MASK"), 0xf00000);
	assert_int_equal(kconst("SOFTIRQ_OFFSET"), 0x100);
	assert_int_equal(kconst("SOFTIRQ_DISABLE_OFFSET"), 0x200);
	assert_int_equal(kconst("HARDIRQ_OFFSET"), 0x10000);
	assert_int_equal(kconst("SOFTIRQ_LOCK_OFFSET"), 0x201);
}

/* struct tasklet_struct IS struct usoftirq_tasklet: one object, two APIs. */
static void test_declare_tasklet_runs_when_prefixed_api_schedules(void **state)
{
	void *t = kside_tasklet(KSIDE_DECLARED);
	const struct compat_run *r = kside_last_run(KSIDE_DECLARED);

	assert_true(kside_use_callback(t));
	assert_int_equal(kside_atomic_read_count(t), 0);
	pside_tasklet_schedule(t);
	assert_true(kside_test_sched_bit(t));
	assert_false(usoftirq_cpu_run_softirqs(*state, 0));
	assert_int_equal(r->runs, 1);
	assert_ptr_equal(r->tasklet, t);
	assert_true(r->serving_softirq);
	assert_false(r->sched_bit); /* cleared before the callback */
	assert_true(r->run_bit); /* held during the callback */
	assert_false(pside_tasklet_is_scheduled(t));
}

static void test_declare_tasklet_old_calls_func_with_zero(void **state)
{
	void *t = kside_tasklet(KSIDE_DECLARED_OLD);
	const struct compat_run *r = kside_last_run(KSIDE_DECLARED_OLD);

	assert_false(kside_use_callback(t));
	assert_int_equal(kside_data(t), 0);
	kside_tasklet_schedule(t);
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_int_equal(r->runs, 1);
	assert_int_equal(r->data, 0);
	assert_true(r->serving_softirq);
}

static void check_starts_disabled(void *m, enum kside_tasklet which)
{
	void *t = kside_tasklet(which);
	const struct compat_run *r = kside_last_run(which);

	assert_int_equal(kside_atomic_read_count(t), 1);
	assert_int_equal(pside_tasklet_count(t), 1);
	kside_tasklet_schedule(t);
	(void)usoftirq_cpu_run_softirqs(m, 0);
	assert_int_equal(r->runs, 0);
	assert_true(kside_test_sched_bit(t));
	kside_tasklet_enable(t);
	assert_int_equal(kside_atomic_read_count(t), 0);
	(void)usoftirq_cpu_run_softirqs(m, 0);
	assert_int_equal(r->runs, 1);
	assert_false(kside_test_sched_bit(t));
}

static void test_declare_tasklet_disabled_starts_with_count_one(void **state)
{
	check_starts_disabled(*state, KSIDE_DISABLED);
	assert_ptr_equal(kside_last_run(KSIDE_DISABLED)->tasklet,
			 kside_tasklet(KSIDE_DISABLED));
}

static void
test_declare_tasklet_disabled_old_starts_with_count_one(void **state)
{
	check_starts_disabled(*state, KSIDE_DISABLED_OLD);
	assert_int_equal(kside_last_run(KSIDE_DISABLED_OLD)->data, 0);
}

/* test_bit(TASKLET_STATE_SCHED, &t->state) reads the library's state. */
static void test_sched_bit_read_with_test_bit_follows_the_library(void **state)
{
	struct usoftirq_tasklet *t = kside_tasklet(KSIDE_DECLARED);

	assert_false(kside_test_sched_bit(t));
	usoftirq_tasklet_disable_nosync(t);
	usoftirq_tasklet_schedule(t);
	assert_true(kside_test_sched_bit(t));
	(void)usoftirq_cpu_run_softirqs(*state, 0); /* parked: disabled */
	assert_true(kside_test_sched_bit(t));
	assert_true(usoftirq_tasklet_is_scheduled(t));
	usoftirq_tasklet_enable(t);
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_false(kside_test_sched_bit(t));
	assert_int_equal(kside_last_run(KSIDE_DECLARED)->runs, 1);
}

static void test_from_tasklet_finds_the_embedding_object(void **state)
{
	void *t = kside_tasklet(KSIDE_EMBEDDED);
	const struct compat_run *r = kside_last_run(KSIDE_EMBEDDED);

	pside_tasklet_schedule(t);
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_int_equal(r->runs, 1);
	assert_int_equal(r->owner_id, 42);
}

static void test_spinlock_of_kernel_spelling_is_a_library_lock(void **state)
{
	void *lock = kside_spinlock();

	(void)state;
	assert_string_equal(pside_spinlock_name(lock), "k_lock");
	assert_false(kside_spin_is_locked());
	pside_spin_lock(lock);
	assert_true(kside_spin_is_locked());
	assert_true(pside_spin_is_held_by_me(lock));
	assert_int_equal(kside_preempt_count(), 1);
	pside_spin_unlock(lock);
	assert_false(kside_spin_is_locked());
	assert_int_equal(kside_preempt_count(), 0);
}

static void test_open_softirq_handler_runs_on_prefixed_raise(void **state)
{
	kside_open_softirq(kconst("NET_RX_SOFTIRQ"));
	pside_raise_softirq((unsigned int)kconst("NET_RX_SOFTIRQ"));
	assert_int_equal(pside_local_softirq_pending(),
			 1u << kconst("NET_RX_SOFTIRQ"));
	(void)usoftirq_cpu_run_softirqs(*state, 0);
	assert_int_equal(kside_softirq_runs(), 1);
	assert_int_equal(kside_softirq_cpu(), 0);
	assert_int_equal(pside_local_softirq_pending(), 0);
}

static void test_bh_disable_in_one_spelling_is_seen_by_the_other(void **state)
{
	(void)state;
	kside_local_bh_disable();
	assert_true(pside_in_softirq());
	assert_false(pside_in_serving_softirq());
	assert_int_equal(pside_preempt_count(), 0x200);
	kside_local_bh_enable();
	assert_false(pside_in_softirq());
	assert_int_equal(kside_preempt_count(), 0);
}

/* kernel_side.c defines DEBUG and a pr_fmt() before its includes. */
static void test_pr_debug_prints_where_debug_is_defined(void **state)
{
	(void)state;
	printk_calls = 0;
	usoftirq_set_console_loglevel(8);
	usoftirq_set_printk_handler(printk_capture, NULL);
	kside_pr_debug(7);
	usoftirq_set_printk_handler(NULL, NULL);
	usoftirq_set_console_loglevel(7);
	assert_int_equal(printk_calls, 1);
	assert_int_equal(printk_level, 7);
	assert_string_equal(printk_text, "kside: debug value 7\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_names_are_the_library_functions),
		cmocka_unit_test(test_kernel_constants_equal_prefixed_ones),
		cmocka_unit_test(test_kernel_constants_have_the_kernels_values),
		cmocka_unit_test_setup_teardown(
			test_declare_tasklet_runs_when_prefixed_api_schedules,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_declare_tasklet_old_calls_func_with_zero,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_declare_tasklet_disabled_starts_with_count_one,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_declare_tasklet_disabled_old_starts_with_count_one,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_sched_bit_read_with_test_bit_follows_the_library,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_from_tasklet_finds_the_embedding_object,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_spinlock_of_kernel_spelling_is_a_library_lock,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_open_softirq_handler_runs_on_prefixed_raise,
			setup_bound, teardown_machine),
		cmocka_unit_test_setup_teardown(
			test_bh_disable_in_one_spelling_is_seen_by_the_other,
			setup_bound, teardown_machine),
		cmocka_unit_test(test_pr_debug_prints_where_debug_is_defined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
