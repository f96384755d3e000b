/* SPDX-License-Identifier: MIT */
/*
 * <linux/kfifo.h> in the kernel spelling: DECLARE_KFIFO with INIT_KFIFO,
 * DEFINE_KFIFO at file scope and in a function, DECLARE_KFIFO_PTR with
 * kfifo_alloc() (size rounded up) and kfifo_init() (bytes, rounded down),
 * struct kfifo of bytes; kfifo_put/get/peek of typed elements,
 * kfifo_in/out/out_peek of arrays with partial transfers, the size
 * queries, reset, skip, the _spinlocked forms; wrap-around of the free
 * running indices; and one producer in a hardirq handler with one
 * consumer in a tasklet, without a lock, as the kernel allows.
 */
#include <linux/interrupt.h>
#include <linux/kfifo.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "test_util.h"

#include <string.h>

struct sample {
	u16 id;
	u32 value;
};

static DEFINE_KFIFO(global_fifo, int, 8);

static void test_declare_and_init(void **state)
{
	DECLARE_KFIFO(fifo, struct sample, 4);
	DEFINE_KFIFO(local, u8, 16);
	struct sample s = { .id = 1, .value = 10 }, out;

	(void)state;
	INIT_KFIFO(fifo);
	assert_true(kfifo_initialized(&fifo));
	assert_int_equal(kfifo_size(&fifo), 4);
	assert_int_equal(kfifo_esize(&fifo), sizeof(struct sample));
	assert_int_equal(kfifo_recsize(&fifo), 0);
	assert_true(kfifo_is_empty(&fifo));
	assert_int_equal(kfifo_avail(&fifo), 4);
	for (u16 i = 0; i < 4; i++) {
		s.id = i;
		assert_int_equal(kfifo_put(&fifo, s), 1);
	}
	assert_true(kfifo_is_full(&fifo));
	assert_int_equal(kfifo_put(&fifo, s), 0); /* full: not added */
	assert_int_equal(kfifo_len(&fifo), 4);
	assert_int_equal(kfifo_peek(&fifo, &out), 1);
	assert_int_equal(out.id, 0);
	assert_int_equal(kfifo_get(&fifo, &out), 1);
	assert_int_equal(out.id, 0);
	assert_int_equal(kfifo_get(&fifo, &out), 1);
	assert_int_equal(out.id, 1);
	kfifo_skip(&fifo);
	assert_int_equal(kfifo_get(&fifo, &out), 1);
	assert_int_equal(out.id, 3);
	assert_int_equal(kfifo_get(&fifo, &out), 0);

	assert_int_equal(kfifo_size(&local), 16);
	assert_int_equal(kfifo_size(&global_fifo), 8);
	assert_int_equal(kfifo_put(&global_fifo, -5), 1);
	assert_int_equal(kfifo_len(&global_fifo), 1);
	kfifo_reset(&global_fifo);
	assert_true(kfifo_is_empty(&global_fifo));
}

static void test_in_out_partial_and_wrap(void **state)
{
	DECLARE_KFIFO(fifo, u32, 8);
	u32 in[6], out[8];
	unsigned int total_in = 0, total_out = 0;

	(void)state;
	INIT_KFIFO(fifo);
	/* Many rounds of 6 in and 6 out move the indices around the ring
	 * and past the end of the buffer repeatedly. */
	for (u32 round = 0; round < 100; round++) {
		for (u32 i = 0; i < 6; i++)
			in[i] = round * 6 + i;
		total_in += kfifo_in(&fifo, in, 6);
		assert_int_equal(kfifo_out_peek(&fifo, out, 1), 1);
		assert_int_equal(out[0], round * 6);
		total_out += kfifo_out(&fifo, out, 8);
		for (u32 i = 0; i < 6; i++)
			assert_int_equal(out[i], round * 6 + i);
	}
	assert_int_equal(total_in, 600);
	assert_int_equal(total_out, 600);
	/* Partial: 10 offered, 8 fit; 3 asked, 3 given. */
	for (u32 i = 0; i < 6; i++)
		in[i] = i;
	assert_int_equal(kfifo_in(&fifo, in, 6), 6);
	assert_int_equal(kfifo_in(&fifo, in, 4), 2);
	assert_int_equal(kfifo_out(&fifo, out, 3), 3);
	assert_int_equal(kfifo_avail(&fifo), 3);
	kfifo_reset_out(&fifo);
	assert_true(kfifo_is_empty(&fifo));
}

static void test_alloc_rounds_up_init_rounds_down(void **state)
{
	DECLARE_KFIFO_PTR(fifo, u64);
	struct kfifo bytes;
	u64 buffer[12], v;
	unsigned char c[5];

	(void)state;
	assert_int_equal(kfifo_alloc(&fifo, 5, GFP_KERNEL), 0);
	assert_int_equal(kfifo_size(&fifo), 8);
	assert_int_equal(kfifo_esize(&fifo), 8);
	assert_int_equal(kfifo_put(&fifo, 0x1122334455667788ull), 1);
	assert_int_equal(kfifo_get(&fifo, &v), 1);
	assert_true(v == 0x1122334455667788ull);
	kfifo_free(&fifo);

	/* 12 elements of 8 bytes given as 96 bytes: 8 are used. */
	assert_int_equal(kfifo_init(&fifo, buffer, sizeof(buffer)), 0);
	assert_int_equal(kfifo_size(&fifo), 8);
	assert_int_equal(kfifo_init(&fifo, buffer, 8), -EINVAL); /* one */

	assert_int_equal(kfifo_alloc(&bytes, 100, GFP_KERNEL), 0);
	assert_int_equal(kfifo_size(&bytes), 128);
	assert_int_equal(kfifo_in(&bytes, "hello", 5), 5);
	assert_int_equal(kfifo_out(&bytes, c, sizeof(c)), 5);
	assert_memory_equal(c, "hello", 5);
	kfifo_free(&bytes);
}

static void test_spinlocked_forms(void **state)
{
	DECLARE_KFIFO(fifo, int, 4);
	DEFINE_SPINLOCK(lock);
	int in[2] = { 7, 8 }, out[2] = { 0, 0 };

	(void)state;
	INIT_KFIFO(fifo);
	assert_int_equal(kfifo_in_spinlocked(&fifo, in, 2, &lock), 2);
	assert_false(kfifo_is_empty_spinlocked(&fifo, &lock));
	assert_false(kfifo_is_full_spinlocked(&fifo, &lock));
	assert_int_equal(kfifo_out_spinlocked(&fifo, out, 1, &lock), 1);
	assert_int_equal(kfifo_in_spinlocked_noirqsave(&fifo, in, 1, &lock), 1);
	assert_int_equal(
		kfifo_out_spinlocked_noirqsave(&fifo, &out[1], 1, &lock), 1);
	assert_int_equal(out[0], 7);
	assert_int_equal(out[1], 8);
	assert_int_equal(kfifo_out_locked(&fifo, out, 2, &lock), 1);
	assert_int_equal(out[0], 7);
	assert_false(spin_is_locked(&lock));
	assert_false(irqs_disabled());
}

/* ------------------------------------------------------------------ */
/* A hardirq producer and a tasklet consumer                           */
/* ------------------------------------------------------------------ */

#define IRQ 9
#define WORDS 1000

struct pipe {
	DECLARE_KFIFO(fifo, u32, 16);
	struct tasklet_struct bh;
	u32 next_in;
	u32 next_out;
	unsigned int dropped;
	bool in_order;
};

static irqreturn_t producer(int irq, void *dev_id)
{
	struct pipe *p = dev_id;

	(void)irq;
	/* Up to 5 words per interrupt. */
	for (int i = 0; i < 5 && p->next_in < WORDS; i++) {
		if (!kfifo_put(&p->fifo, p->next_in))
			break;
		p->next_in++;
	}
	tasklet_schedule(&p->bh);
	return IRQ_HANDLED;
}

static void consumer(struct tasklet_struct *t)
{
	struct pipe *p = from_tasklet(p, t, bh);
	u32 words[3];
	unsigned int n;

	while ((n = kfifo_out(&p->fifo, words, 3)) > 0)
		for (unsigned int i = 0; i < n; i++)
			if (words[i] != p->next_out++)
				p->in_order = false;
}

static void test_hardirq_producer_tasklet_consumer(void **state)
{
	struct usoftirq_machine *m;
	struct pipe p;

	(void)state;
	m = test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS |
				    USOFTIRQ_MACHINE_NO_DEFAULT);
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	memset(&p, 0, sizeof(p));
	p.in_order = true;
	INIT_KFIFO(p.fifo);
	tasklet_setup(&p.bh, consumer);
	assert_int_equal(request_irq(IRQ, producer, 0, "producer", &p), 0);
	while (p.next_out < WORDS) {
		assert_int_equal(usoftirq_irq_pulse(m, IRQ), 0);
		assert_int_equal(usoftirq_cpu_run_irqs(m, 0), 1);
	}
	assert_int_equal(p.next_in, WORDS);
	assert_true(p.in_order);
	assert_true(kfifo_is_empty(&p.fifo));
	assert_string_equal(free_irq(IRQ, &p), "producer");
	tasklet_kill(&p.bh);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declare_and_init),
		cmocka_unit_test(test_in_out_partial_and_wrap),
		cmocka_unit_test(test_alloc_rounds_up_init_rounds_down),
		cmocka_unit_test(test_spinlocked_forms),
		cmocka_unit_test(test_hardirq_producer_tasklet_consumer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
