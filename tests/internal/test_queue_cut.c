/* SPDX-License-Identifier: MIT */
/*
 * White-box: a tasklet queue cut by an unfinished enqueue.
 *
 * cds_wfcq_enqueue() makes two writes: it exchanges the queue tail (a full
 * barrier), then stores the link from the previous node. A raiser that
 * finds the vector already pending trusts it without another fence
 * (usoftirq__cpu_raise_after_mb()), so the owner may take the vector while
 * the link is still invisible: the queue is cut just before the new node.
 * The owner must then raise the vector again and retry, or the tasklet
 * would stay SCHED forever (the lost run stress_tasklet once hit).
 *
 * No timing can reproduce the store-buffer window on demand, so the tests
 * make the cut by hand: they perform the first half of an enqueue, raise,
 * step the vCPU, check that the vector is still pending and nothing was
 * lost, then store the link and step again. A machine without workers
 * makes every step deterministic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <urcu/uatomic.h>
#include <urcu/wfcqueue.h>

#include "cpu.h"
#include "machine.h"
#include "tasklet.h"

static unsigned int runs_a, runs_b;
static char order[8];
static unsigned int norder;

static void note_run(char who)
{
	if (norder < sizeof(order) - 1)
		order[norder++] = who;
}

static void count_a(struct usoftirq_tasklet *t)
{
	(void)t;
	runs_a++;
	note_run('a');
}

static void count_b(struct usoftirq_tasklet *t)
{
	(void)t;
	runs_b++;
	note_run('b');
}

struct fixture {
	struct usoftirq_machine *m;
	struct usoftirq__cpu *cpu;
	struct usoftirq_tasklet a, b;
	struct cds_wfcq_node *open_cut; /* previous node of an open cut */
};

static struct cds_wfcq_node *node_of(struct usoftirq_tasklet *t)
{
	return (struct cds_wfcq_node *)(void *)&t->next;
}

static int setup(void **state)
{
	static struct fixture f;
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;

	cfg.ncpus = 1;
	cfg.flags = USOFTIRQ_MACHINE_NO_WORKERS | USOFTIRQ_MACHINE_NO_DEFAULT;
	assert_int_equal(usoftirq_machine_create(&f.m, &cfg), 0);
	assert_int_equal(usoftirq_thread_bind(f.m, 0), 0);
	f.cpu = &f.m->cpus[0];
	usoftirq_tasklet_setup(&f.a, count_a);
	usoftirq_tasklet_setup(&f.b, count_b);
	f.open_cut = NULL;
	runs_a = runs_b = 0;
	memset(order, 0, sizeof(order));
	norder = 0;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* After a failed assertion: close the cut, raise (the raise may be
	 * what was lost) and run what is left, or the kills below would
	 * wait for runs nobody steps. */
	if (f->open_cut)
		CMM_STORE_SHARED(f->open_cut->next, node_of(&f->b));
	usoftirq__cpu_raise(f->cpu, USOFTIRQ_TASKLET_SOFTIRQ, false);
	usoftirq_machine_quiesce(f->m);
	usoftirq_tasklet_kill(&f->a);
	usoftirq_tasklet_kill(&f->b);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(f->m);
	return 0;
}

static uint32_t tasklet_bit(void)
{
	return 1u << USOFTIRQ_TASKLET_SOFTIRQ;
}

/*
 * What tasklet_schedule() does for @t up to the middle of the enqueue:
 * SCHED set, the queue tail exchanged, the raise trusted on a set bit.
 * Returns the previous node, whose link the test stores later.
 */
static struct cds_wfcq_node *half_schedule(struct fixture *f,
					   struct usoftirq_tasklet *t)
{
	struct cds_wfcq_node *prev;

	__atomic_fetch_or(&t->state, USOFTIRQ__T_SCHED, __ATOMIC_SEQ_CST);
	t->usoftirq_priv.cpu = f->cpu;
	t->usoftirq_priv.queue = USOFTIRQ__TQ_NORMAL;
	cds_wfcq_node_init(node_of(t));
	prev = uatomic_xchg(&f->cpu->tail[USOFTIRQ__TQ_NORMAL].p, node_of(t));
	usoftirq__cpu_raise_after_mb(f->cpu, USOFTIRQ_TASKLET_SOFTIRQ, false);
	f->open_cut = prev;
	return prev;
}

static void finish_schedule(struct fixture *f, struct cds_wfcq_node *prev,
			    struct usoftirq_tasklet *t)
{
	CMM_STORE_SHARED(prev->next, node_of(t));
	f->open_cut = NULL;
}

/*
 * The cut is behind a queued tasklet: the dequeue meets it. The node
 * before a cut cannot leave the queue either (the queue head must take
 * its link), so both wait for the link, then run in order.
 */
static void test_cut_after_a_queued_tasklet_is_retried(void **state)
{
	struct fixture *f = *state;
	struct cds_wfcq_node *prev;

	usoftirq_tasklet_schedule(&f->a);
	prev = half_schedule(f, &f->b);
	assert_ptr_equal(prev, node_of(&f->a));

	/* The loop spends its budget retrying the cut: more work left. */
	assert_true(usoftirq_cpu_run_softirqs(f->m, 0));
	assert_int_equal(runs_a + runs_b, 0);
	assert_true(usoftirq__cpu_peek_pending(f->cpu) & tasklet_bit());
	assert_true(f->cpu->queue_cut);

	finish_schedule(f, prev, &f->b);
	assert_false(usoftirq_cpu_run_softirqs(f->m, 0));
	assert_string_equal(order, "ab");
	assert_false(usoftirq__cpu_peek_pending(f->cpu) & tasklet_bit());
	assert_false(__atomic_load_n(&f->b.state, __ATOMIC_SEQ_CST) &
		     USOFTIRQ__T_SCHED);
}

/* The cut is right after the queue head: the splice meets it. */
static void test_cut_at_the_head_is_retried(void **state)
{
	struct fixture *f = *state;
	struct cds_wfcq_node *prev;

	/* Another raise of the vector, so that the half enqueue finds it
	 * pending, as a concurrent schedule would have left it. */
	usoftirq__cpu_raise(f->cpu, USOFTIRQ_TASKLET_SOFTIRQ, false);
	prev = half_schedule(f, &f->b);
	assert_ptr_equal(prev, &f->cpu->head[USOFTIRQ__TQ_NORMAL].node);

	assert_true(usoftirq_cpu_run_softirqs(f->m, 0));
	assert_int_equal(runs_b, 0);
	assert_true(usoftirq__cpu_peek_pending(f->cpu) & tasklet_bit());

	finish_schedule(f, prev, &f->b);
	assert_false(usoftirq_cpu_run_softirqs(f->m, 0));
	assert_int_equal(runs_b, 1);
	assert_false(usoftirq__cpu_peek_pending(f->cpu) & tasklet_bit());
}

/* A schedule behind the cut, made while it is open, runs in order too. */
static void test_schedule_behind_a_cut_runs_after_it(void **state)
{
	struct fixture *f = *state;
	struct cds_wfcq_node *prev;

	usoftirq__cpu_raise(f->cpu, USOFTIRQ_TASKLET_SOFTIRQ, false);
	prev = half_schedule(f, &f->b);
	usoftirq_tasklet_schedule(&f->a);

	assert_true(usoftirq_cpu_run_softirqs(f->m, 0));
	assert_int_equal(runs_a + runs_b, 0);

	finish_schedule(f, prev, &f->b);
	assert_false(usoftirq_cpu_run_softirqs(f->m, 0));
	assert_string_equal(order, "ba");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_cut_after_a_queued_tasklet_is_retried, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_cut_at_the_head_is_retried,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_schedule_behind_a_cut_runs_after_it, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
