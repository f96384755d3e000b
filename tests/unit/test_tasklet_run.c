/* SPDX-License-Identifier: MIT */
/*
 * Tasklet scheduling and execution: properties P1 to P6 of
 * include/usoftirq/tasklet.h, the legacy and static initialisers, and the
 * context a callback runs in.
 *
 * Machines without workers are stepped with usoftirq_cpu_run_softirqs(), so
 * that every order asserted here is the only one possible. Where a callback
 * must really run concurrently with the test (P3 from another thread, P4),
 * the machine has workers and the callback is held on a gate.
 */
#include "test_util.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - (size_t)offsetof(type, member)))

static int teardown(void **state)
{
	capture_stop();
	return teardown_machine(state);
}

#define STEPPED(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_stepped, teardown)
#define WORKERS(f) \
	cmocka_unit_test_setup_teardown(f, setup_machine_2cpu, teardown)

static unsigned int stat_of(struct usoftirq_machine *m, unsigned int cpu,
			    unsigned int nr)
{
	return usoftirq_softirq_stat(m, cpu, nr);
}

/* ------------------------------------------------------------------ */
/* P1, P2, P3                                                          */
/* ------------------------------------------------------------------ */

#define P1_ROUNDS 1000

struct p1_data {
	long payload; /* plain: written by the scheduler */
	long seen[P1_ROUNDS]; /* plain: written by the callback */
};

static void p1_copy_payload(struct probe *p, int run)
{
	struct p1_data *d = p->arg;

	if (run < P1_ROUNDS)
		d->seen[run] = d->payload;
}

/* P1: each schedule is followed by a run that sees the scheduler's writes. */
static void test_p1_runs_after_schedule_and_sees_prior_writes(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct p1_data d;
	static struct probe p;

	probe_init(&p, 0);
	p.hook = p1_copy_payload;
	p.arg = &d;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	for (int i = 0; i < P1_ROUNDS; i++) {
		d.payload = 1000 + i;
		usoftirq_tasklet_schedule(&p.t);
		gate_pass(&p.done);
	}
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), P1_ROUNDS);
	for (int i = 0; i < P1_ROUNDS; i++)
		assert_int_equal(d.seen[i], 1000 + i);
	probe_destroy(&p);
}

static void *schedule_thread(void *arg)
{
	usoftirq_tasklet_schedule(arg);
	return NULL;
}

/* P2: N schedules, from several threads, before the run make one run. */
static void test_p2_schedules_before_run_coalesce(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	for (int i = 0; i < 10; i++)
		usoftirq_tasklet_schedule(&p.t);
	for (int i = 0; i < 4; i++)
		run_in_thread(schedule_thread, &p.t);
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_TASKLET_SOFTIRQ), 1);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

static void reschedule_self_three_times(struct probe *p, int run)
{
	if (run != 0)
		return;
	for (int i = 0; i < 3; i++)
		usoftirq_tasklet_schedule(&p->t);
}

/* P3: schedules from the callback itself make exactly one more run, after. */
static void test_p3_schedule_from_own_callback_runs_once_more(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	p.hook = reschedule_self_three_times;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(atomic_load(&p.max_inside), 1);
	assert_true(p.run[1].enter_seq > p.run[0].exit_seq);
	/* The second run came in the next pass of the loop, as the kernel. */
	assert_int_equal(stat_of(m, 0, USOFTIRQ_TASKLET_SOFTIRQ), 2);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* P3: schedules from another thread during a run make one more run, after. */
static void test_p3_schedule_from_other_thread_runs_once_more(void **state)
{
	struct usoftirq_machine *m = *state;
	unsigned long scheduled_at;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.entered);
	assert_true(usoftirq_tasklet_is_running(&p.t));
	assert_false(usoftirq_tasklet_is_scheduled(&p.t));
	scheduled_at = test_seq();
	for (int i = 0; i < 3; i++)
		usoftirq_tasklet_schedule(&p.t);
	usoftirq_tasklet_hi_schedule(&p.t);
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_true(usoftirq_tasklet_is_running(&p.t));
	assert_int_equal(probe_started(&p), 1);
	gate_open(&p.release);
	gate_pass(&p.done);
	gate_pass(&p.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_started(&p), 2);
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(atomic_load(&p.max_inside), 1);
	assert_true(p.run[0].enter_seq < scheduled_at);
	assert_true(p.run[1].enter_seq > p.run[0].exit_seq);
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* P4                                                                  */
/* ------------------------------------------------------------------ */

/* P4: scheduled on vCPU 1 while running on vCPU 0, it waits for that run. */
static void test_p4_never_concurrent_with_itself(void **state)
{
	struct usoftirq_machine *m = *state;
	unsigned long released_at;
	static struct probe p;

	probe_init(&p, 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.entered);

	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	/* vCPU 1 has dequeued it, found RUN set and parked it (D1). */
	wait_tasklet_state(&p.t, TEST_TASKLET_PARKED);
	assert_true(usoftirq_tasklet_is_running(&p.t));
	assert_true(usoftirq_tasklet_is_scheduled(&p.t));
	assert_int_equal(probe_started(&p), 1);
	assert_int_equal(stat_of(m, 1, USOFTIRQ_TASKLET_SOFTIRQ), 1);

	released_at = test_seq();
	gate_open(&p.release);
	gate_pass(&p.done);
	gate_pass(&p.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(atomic_load(&p.max_inside), 1);
	assert_true(p.run[1].enter_seq > released_at);
	assert_true(p.run[1].enter_seq > p.run[0].exit_seq);
	assert_int_equal(p.run[0].cpu, 0);
	assert_int_equal(p.run[0].tid, usoftirq_machine_worker_tid(m, 0));
	assert_int_equal(p.run[1].cpu, 1);
	assert_int_equal(p.run[1].tid, usoftirq_machine_worker_tid(m, 1));
	assert_int_equal(tasklet_state(&p.t), 0);
	probe_destroy(&p);
}

/* P4: different tasklets run concurrently on different vCPUs. */
static void test_p4_different_tasklets_run_concurrently(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&a.t);
	gate_pass(&a.entered);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&b.t);
	/* b runs to completion on vCPU 1 while a is held on vCPU 0. */
	gate_pass(&b.done);
	assert_true(usoftirq_tasklet_is_running(&a.t));
	assert_int_equal(probe_finished(&a), 0);
	assert_int_equal(probe_finished(&b), 1);
	assert_int_equal(b.run[0].cpu, 1);
	gate_open(&a.release);
	gate_pass(&a.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&a), 1);
	assert_int_equal(a.run[0].cpu, 0);
	probe_destroy(&a);
	probe_destroy(&b);
}

/* ------------------------------------------------------------------ */
/* P5                                                                  */
/* ------------------------------------------------------------------ */

/* P5: a tasklet runs only when, and on, the vCPU that scheduled it. */
static void test_p5_runs_on_scheduling_vcpu_stepped(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_started(&p), 0);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(p.run[0].cpu, 1);

	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_int_equal(probe_started(&p), 1);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(p.run[1].cpu, 0);
	probe_destroy(&p);
}

/* P5: on a machine with workers, the scheduling vCPU's worker runs it. */
static void test_p5_runs_on_scheduling_vcpu_worker(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	for (unsigned int i = 0; i < 4; i++) {
		unsigned int cpu = (i + 1) % 2;

		assert_int_equal(usoftirq_thread_bind(m, cpu), 0);
		usoftirq_tasklet_schedule(&p.t);
		gate_pass(&p.done);
		assert_int_equal(probe_finished(&p), (int)i + 1);
		assert_int_equal(p.run[i].cpu, cpu);
		assert_int_equal(p.run[i].tid,
				 usoftirq_machine_worker_tid(m, cpu));
	}
	usoftirq_machine_quiesce(m);
	probe_destroy(&p);
}

static _Atomic unsigned long net_rx_seq, sched_seq;

static void net_rx_action(void)
{
	atomic_store(&net_rx_seq, test_seq());
}

static void sched_action(void)
{
	atomic_store(&sched_seq, test_seq());
}

static void open_vectors(struct usoftirq_machine *m)
{
	atomic_store(&net_rx_seq, 0);
	atomic_store(&sched_seq, 0);
	assert_int_equal(usoftirq_open_softirq(m, USOFTIRQ_NET_RX_SOFTIRQ,
					       net_rx_action),
			 0);
	assert_int_equal(usoftirq_open_softirq(m, USOFTIRQ_SCHED_SOFTIRQ,
					       sched_action),
			 0);
}

/* P5: in one pass, HI tasklets, then NET_RX, then tasklets, then SCHED. */
static void test_p5_hi_before_other_vectors_before_tasklet(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe normal, hi;

	probe_init(&normal, 0);
	probe_init(&hi, 0);
	open_vectors(m);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&normal.t);
	usoftirq_tasklet_hi_schedule(&hi.t);
	usoftirq_raise_softirq(USOFTIRQ_SCHED_SOFTIRQ);
	usoftirq_raise_softirq(USOFTIRQ_NET_RX_SOFTIRQ);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&hi), 1);
	assert_int_equal(probe_finished(&normal), 1);
	assert_true(hi.run[0].enter_seq < atomic_load(&net_rx_seq));
	assert_true(atomic_load(&net_rx_seq) < normal.run[0].enter_seq);
	assert_true(normal.run[0].exit_seq < atomic_load(&sched_seq));
	/* One pass: each vector counted once. */
	assert_int_equal(stat_of(m, 0, USOFTIRQ_HI_SOFTIRQ), 1);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_NET_RX_SOFTIRQ), 1);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_TASKLET_SOFTIRQ), 1);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_SCHED_SOFTIRQ), 1);
	probe_destroy(&normal);
	probe_destroy(&hi);
}

/* P5: tasklets of one priority run in the order they were scheduled. */
static void test_p5_fifo_within_priority(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe n[3], h[2];

	for (int i = 0; i < 3; i++)
		probe_init(&n[i], 0);
	for (int i = 0; i < 2; i++)
		probe_init(&h[i], 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&n[0].t);
	usoftirq_tasklet_hi_schedule(&h[0].t);
	usoftirq_tasklet_schedule(&n[1].t);
	usoftirq_tasklet_hi_schedule(&h[1].t);
	usoftirq_tasklet_schedule(&n[2].t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	for (int i = 0; i < 3; i++)
		assert_int_equal(probe_finished(&n[i]), 1);
	for (int i = 0; i < 2; i++)
		assert_int_equal(probe_finished(&h[i]), 1);
	assert_true(h[0].run[0].exit_seq < h[1].run[0].enter_seq);
	assert_true(h[1].run[0].exit_seq < n[0].run[0].enter_seq);
	assert_true(n[0].run[0].exit_seq < n[1].run[0].enter_seq);
	assert_true(n[1].run[0].exit_seq < n[2].run[0].enter_seq);
	for (int i = 0; i < 3; i++)
		probe_destroy(&n[i]);
	for (int i = 0; i < 2; i++)
		probe_destroy(&h[i]);
}

/* P5: scheduled normal, then hi-scheduled before it runs: runs normal. */
static void test_p5_first_schedule_decides_priority_normal(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	open_vectors(m);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	usoftirq_tasklet_hi_schedule(&p.t);
	usoftirq_raise_softirq(USOFTIRQ_NET_RX_SOFTIRQ);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_true(atomic_load(&net_rx_seq) < p.run[0].enter_seq);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_HI_SOFTIRQ), 0);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_TASKLET_SOFTIRQ), 1);
	probe_destroy(&p);
}

/* P5: hi-scheduled, then scheduled normal before it runs: runs at HI. */
static void test_p5_first_schedule_decides_priority_hi(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	open_vectors(m);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_hi_schedule(&p.t);
	usoftirq_tasklet_schedule(&p.t);
	usoftirq_raise_softirq(USOFTIRQ_NET_RX_SOFTIRQ);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_true(p.run[0].exit_seq < atomic_load(&net_rx_seq));
	assert_int_equal(stat_of(m, 0, USOFTIRQ_HI_SOFTIRQ), 1);
	assert_int_equal(stat_of(m, 0, USOFTIRQ_TASKLET_SOFTIRQ), 0);
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* P6                                                                  */
/* ------------------------------------------------------------------ */

struct p6_seen {
	bool scheduled;
	bool running;
	bool trylock;
	int count;
	bool scheduled_after_reschedule;
	bool running_after_reschedule;
};

static void p6_look_and_reschedule(struct probe *p, int run)
{
	struct p6_seen *s = p->arg;

	if (run != 0)
		return;
	s->scheduled = usoftirq_tasklet_is_scheduled(&p->t);
	s->running = usoftirq_tasklet_is_running(&p->t);
	s->trylock = usoftirq_tasklet_trylock(&p->t);
	s->count = usoftirq_tasklet_count(&p->t);
	usoftirq_tasklet_schedule(&p->t);
	s->scheduled_after_reschedule = usoftirq_tasklet_is_scheduled(&p->t);
	s->running_after_reschedule = usoftirq_tasklet_is_running(&p->t);
}

/* P6: inside the callback SCHED is clear and RUN set; it may reschedule. */
static void test_p6_sched_clear_run_set_inside_callback(void **state)
{
	struct usoftirq_machine *m = *state;
	struct p6_seen seen = { 0 };
	static struct probe p;

	probe_init(&p, 0);
	p.hook = p6_look_and_reschedule;
	p.arg = &seen;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_int_equal(tasklet_state(&p.t), TEST_TASKLET_SCHED);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 2);
	assert_int_equal(p.run[0].state & TEST_TASKLET_SCHED, 0);
	assert_int_equal(p.run[0].state & TEST_TASKLET_RUN, TEST_TASKLET_RUN);
	assert_false(seen.scheduled);
	assert_true(seen.running);
	assert_false(seen.trylock);
	assert_int_equal(seen.count, 0);
	assert_true(seen.scheduled_after_reschedule);
	assert_true(seen.running_after_reschedule);
	/* The rescheduled run saw the same, and RUN is clear after it. */
	assert_int_equal(p.run[1].state & TEST_TASKLET_SCHED, 0);
	assert_int_equal(p.run[1].state & TEST_TASKLET_RUN, TEST_TASKLET_RUN);
	assert_false(usoftirq_tasklet_is_running(&p.t));
	assert_false(usoftirq_tasklet_is_scheduled(&p.t));
	probe_destroy(&p);
}

/* ------------------------------------------------------------------ */
/* Initialisers                                                        */
/* ------------------------------------------------------------------ */

static _Atomic int legacy_calls;
static _Atomic unsigned long legacy_data;

static void legacy_func(unsigned long data)
{
	atomic_store(&legacy_data, data);
	atomic_fetch_add(&legacy_calls, 1);
}

/* tasklet_init(): the legacy func is called with the data given. */
static void test_init_legacy_func_called_with_data(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct usoftirq_tasklet t;

	atomic_store(&legacy_calls, 0);
	atomic_store(&legacy_data, 0);
	usoftirq_tasklet_init(&t, legacy_func, 0xfeedul);
	assert_false(t.use_callback);
	assert_ptr_equal(t.func, legacy_func);
	assert_int_equal(t.data, 0xfeedul);
	assert_int_equal(usoftirq_tasklet_count(&t), 0);
	assert_int_equal(tasklet_state(&t), 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&legacy_calls), 1);
	assert_int_equal(atomic_load(&legacy_data), 0xfeedul);
}

static _Atomic int old_a_calls, old_b_calls;
static _Atomic unsigned long old_a_data = 1, old_b_data = 1;

static void old_a(unsigned long data)
{
	atomic_store(&old_a_data, data);
	atomic_fetch_add(&old_a_calls, 1);
}

static void old_b(unsigned long data)
{
	atomic_store(&old_b_data, data);
	atomic_fetch_add(&old_b_calls, 1);
}

static struct usoftirq_tasklet old_static = USOFTIRQ_TASKLET_INIT_OLD(old_a);
static struct usoftirq_tasklet old_static_disabled =
	USOFTIRQ_TASKLET_INIT_DISABLED_OLD(old_b);

/* The _OLD static initialisers call func with 0; _DISABLED has count 1. */
static void test_static_init_old_calls_func_with_zero(void **state)
{
	struct usoftirq_machine *m = *state;

	assert_false(old_static.use_callback);
	assert_int_equal(usoftirq_tasklet_count(&old_static), 0);
	assert_int_equal(usoftirq_tasklet_count(&old_static_disabled), 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&old_static);
	usoftirq_tasklet_schedule(&old_static_disabled);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&old_a_calls), 1);
	assert_int_equal(atomic_load(&old_a_data), 0);
	assert_int_equal(atomic_load(&old_b_calls), 0);
	usoftirq_tasklet_enable(&old_static_disabled);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&old_b_calls), 1);
	assert_int_equal(atomic_load(&old_b_data), 0);
	assert_int_equal(tasklet_state(&old_static_disabled), 0);
	/* Leave it as it was declared, for a rerun of the test. */
	usoftirq_tasklet_disable_nosync(&old_static_disabled);
}

static struct usoftirq_tasklet *_Atomic static_cb_arg;
static _Atomic int static_cb_calls;

static void static_cb(struct usoftirq_tasklet *t)
{
	atomic_store(&static_cb_arg, t);
	atomic_fetch_add(&static_cb_calls, 1);
}

static struct usoftirq_tasklet cb_static = USOFTIRQ_TASKLET_INIT(static_cb);
static struct usoftirq_tasklet cb_static_disabled =
	USOFTIRQ_TASKLET_INIT_DISABLED(static_cb);

/* The callback static initialisers pass the tasklet; _DISABLED waits. */
static void test_static_init_callback_gets_tasklet(void **state)
{
	struct usoftirq_machine *m = *state;

	atomic_store(&static_cb_calls, 0);
	assert_true(cb_static.use_callback);
	assert_int_equal(cb_static.data, 0);
	assert_int_equal(usoftirq_tasklet_count(&cb_static_disabled), 1);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&cb_static_disabled);
	usoftirq_tasklet_schedule(&cb_static);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&static_cb_calls), 1);
	assert_ptr_equal(atomic_load(&static_cb_arg), &cb_static);
	usoftirq_tasklet_enable(&cb_static_disabled);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(atomic_load(&static_cb_calls), 2);
	assert_ptr_equal(atomic_load(&static_cb_arg), &cb_static_disabled);
	usoftirq_tasklet_disable_nosync(&cb_static_disabled);
}

struct device {
	int id;
	struct usoftirq_tasklet tasklet; /* deliberately not first */
	_Atomic int seen_id;
	struct usoftirq_tasklet *_Atomic seen_tasklet;
};

static void device_callback(struct usoftirq_tasklet *t)
{
	struct device *dev = container_of(t, struct device, tasklet);

	atomic_store(&dev->seen_tasklet, t);
	atomic_store(&dev->seen_id, dev->id);
}

/* tasklet_setup(): the callback gets the tasklet; container_of() works. */
static void test_setup_callback_gets_tasklet_container_of(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct device dev;

	memset(&dev, 0, sizeof(dev));
	dev.id = 42;
	usoftirq_tasklet_setup(&dev.tasklet, device_callback);
	assert_true(dev.tasklet.use_callback);
	assert_int_equal(dev.tasklet.data, 0);
	assert_int_equal(usoftirq_tasklet_count(&dev.tasklet), 0);
	assert_int_equal(usoftirq_thread_bind(m, 1), 0);
	usoftirq_tasklet_schedule(&dev.tasklet);
	assert_false(usoftirq_cpu_run_softirqs(m, 1));
	assert_ptr_equal(atomic_load(&dev.seen_tasklet), &dev.tasklet);
	assert_int_equal(atomic_load(&dev.seen_id), 42);
}

/* ------------------------------------------------------------------ */
/* Context inside the callback                                         */
/* ------------------------------------------------------------------ */

/* On a worker the callback serves a softirq with preempt_count 0x100. */
static void test_context_on_worker_is_serving_softirq(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	gate_pass(&p.done);
	usoftirq_machine_quiesce(m);
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(p.run[0].tid, usoftirq_machine_worker_tid(m, 0));
	assert_true(p.run[0].serving_softirq);
	assert_int_equal(p.run[0].preempt_count, USOFTIRQ_SOFTIRQ_OFFSET);
	probe_destroy(&p);
}

/* Stepping a vCPU runs the callback in the caller, also at 0x100. */
static void test_context_when_stepped_is_serving_softirq(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_tasklet_schedule(&p.t);
	assert_false(usoftirq_cpu_run_softirqs(m, 0));
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(p.run[0].tid, (int)gettid());
	assert_true(p.run[0].serving_softirq);
	assert_int_equal(p.run[0].preempt_count, USOFTIRQ_SOFTIRQ_OFFSET);
	assert_int_equal(usoftirq_preempt_count(), 0);
	probe_destroy(&p);
}

/* local_bh_enable() runs what became pending, in the caller, at 0x101. */
static void test_context_from_local_bh_enable_is_0x101(void **state)
{
	struct usoftirq_machine *m = *state;
	static struct probe p;

	probe_init(&p, 0);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	usoftirq_local_bh_disable();
	usoftirq_tasklet_schedule(&p.t);
	/* The worker cannot take vCPU 0 while this section holds it. */
	assert_int_equal(probe_started(&p), 0);
	usoftirq_local_bh_enable();
	assert_int_equal(probe_finished(&p), 1);
	assert_int_equal(p.run[0].tid, (int)gettid());
	assert_true(p.run[0].serving_softirq);
	assert_int_equal(p.run[0].preempt_count,
			 USOFTIRQ_SOFTIRQ_OFFSET + USOFTIRQ_PREEMPT_OFFSET);
	assert_int_equal(usoftirq_preempt_count(), 0);
	probe_destroy(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		WORKERS(test_p1_runs_after_schedule_and_sees_prior_writes),
		STEPPED(test_p2_schedules_before_run_coalesce),
		STEPPED(test_p3_schedule_from_own_callback_runs_once_more),
		WORKERS(test_p3_schedule_from_other_thread_runs_once_more),
		WORKERS(test_p4_never_concurrent_with_itself),
		WORKERS(test_p4_different_tasklets_run_concurrently),
		STEPPED(test_p5_runs_on_scheduling_vcpu_stepped),
		WORKERS(test_p5_runs_on_scheduling_vcpu_worker),
		STEPPED(test_p5_hi_before_other_vectors_before_tasklet),
		STEPPED(test_p5_fifo_within_priority),
		STEPPED(test_p5_first_schedule_decides_priority_normal),
		STEPPED(test_p5_first_schedule_decides_priority_hi),
		STEPPED(test_p6_sched_clear_run_set_inside_callback),
		STEPPED(test_init_legacy_func_called_with_data),
		STEPPED(test_static_init_old_calls_func_with_zero),
		STEPPED(test_static_init_callback_gets_tasklet),
		STEPPED(test_setup_callback_gets_tasklet_container_of),
		WORKERS(test_context_on_worker_is_serving_softirq),
		STEPPED(test_context_when_stepped_is_serving_softirq),
		WORKERS(test_context_from_local_bh_enable_is_0x101),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
