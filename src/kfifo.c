/* SPDX-License-Identifier: MIT */
/*
 * kfifo: the kernel's lock-free single-producer single-consumer ring
 * (lib/kfifo.c), with C11 orders where the kernel has smp_wmb().
 *
 * Theory of operation
 * -------------------
 * @in counts the elements ever put in, @out those ever taken out. Both run
 * freely and wrap at 2^32; the ring holds @in - @out elements (unsigned
 * difference), which is correct across the wrap as long as the size is a
 * power of two no larger than 2^31, and slot i lives at (i & @mask).
 *
 * Ownership: only the producer writes @in, only the consumer writes @out.
 * Each side reads its own index with a relaxed load (nobody else writes
 * it) and the other side's with an acquire load.
 *
 *   producer                            consumer
 *   o = load(out, acquire)   ......     store(out, o + n, release)
 *   copy elements into free slots       copy elements out of used slots
 *   store(in, i + n, release) ......    i = load(in, acquire)
 *
 * The release store of @in pairs with the consumer's acquire load of it:
 * a consumer that sees the new @in sees the elements copied before it.
 * The release store of @out pairs with the producer's acquire load of it:
 * a producer that sees the new @out overwrites slots only after the
 * consumer's copy out of them is complete.
 *
 * No call here locks, allocates or makes a system call except alloc and
 * free, so in, out and the snapshots are async-signal-safe: a hardirq
 * handler may be the producer while the thread it interrupted is the
 * consumer (the handler and the thread touch different indices). Two
 * producers (or two consumers) need a lock around their side, as in the
 * kernel; a handler interrupting the producer thread on the same ring is
 * such a second producer.
 *
 * Invariants: 0 <= in - out <= mask + 1 at every instant; mask + 1 is a
 * power of two in [2, 2^31]; data holds (mask + 1) * esize bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <usoftirq/kfifo.h>

#include "internal.h"

/* The largest ring: the free-running difference must stay below 2^32. */
#define KFIFO_MAX_SIZE (1u << 31)

_Static_assert(sizeof(unsigned int) == 4, "kfifo indices are 32 bits");

/* Largest power of two <= @n, for 1 <= n. */
static unsigned int rounddown_pow_of_two(unsigned int n)
{
	return 1u << (31 - __builtin_clz(n));
}

/* Smallest power of two >= @n, for 1 <= n <= 2^31. */
static unsigned int roundup_pow_of_two(unsigned int n)
{
	return n <= 1 ? 1 : 1u << (32 - __builtin_clz(n - 1));
}

static void set_empty(struct usoftirq_kfifo *fifo, void *data,
		      unsigned int size, size_t esize)
{
	/* Relaxed: init, alloc and reset run with neither side active. */
	__atomic_store_n(&fifo->in, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fifo->out, 0, __ATOMIC_RELAXED);
	fifo->usoftirq_out_cache = 0;
	fifo->usoftirq_in_cache = 0;
	fifo->mask = size ? size - 1 : 0;
	fifo->esize = (unsigned int)esize;
	fifo->data = data;
	fifo->usoftirq_c_mask = fifo->mask;
	fifo->usoftirq_c_esize = fifo->esize;
	fifo->usoftirq_c_data = data;
}

/* Both sizes acceptable, and the buffer's byte size representable. */
static bool geometry_ok(unsigned int size, size_t esize)
{
	return size >= 2 && size <= KFIFO_MAX_SIZE && esize > 0 &&
	       esize <= UINT32_MAX && esize <= SIZE_MAX / size;
}

int usoftirq_kfifo_alloc(struct usoftirq_kfifo *fifo, unsigned int size,
			 size_t esize)
{
	void *data;

	set_empty(fifo, NULL, 0, 0);
	if (size == 0 || size > KFIFO_MAX_SIZE)
		return -EINVAL;
	size = roundup_pow_of_two(size);
	if (!geometry_ok(size, esize))
		return -EINVAL;
	data = calloc(size, esize);
	if (!data)
		return -ENOMEM;
	set_empty(fifo, data, size, esize);
	return 0;
}

void usoftirq_kfifo_free(struct usoftirq_kfifo *fifo)
{
	free(fifo->data);
	set_empty(fifo, NULL, 0, 0);
}

int usoftirq_kfifo_init(struct usoftirq_kfifo *fifo, void *buffer,
			unsigned int size, size_t esize)
{
	set_empty(fifo, NULL, 0, 0);
	if (!buffer || size == 0)
		return -EINVAL;
	size = rounddown_pow_of_two(size);
	if (size > KFIFO_MAX_SIZE || !geometry_ok(size, esize))
		return -EINVAL;
	set_empty(fifo, buffer, size, esize);
	return 0;
}

static void die_not_ready(const struct usoftirq_kfifo *fifo, const char *call)
{
	usoftirq__fatal(__FILE__, __LINE__,
			"%s() on kfifo %p, which was never initialised "
			"or has been freed",
			call, (const void *)fifo);
}

/*
 * The consumer's copy of the geometry. The kernel-spelled INIT_KFIFO()
 * and DEFINE_KFIFO() fill in only the producer's fields, so the consumer
 * takes its copy on first use (the ring is set up before either side
 * runs, as the kernel requires).
 */
static void consumer_geometry(struct usoftirq_kfifo *fifo)
{
	if (usoftirq__unlikely(!fifo->usoftirq_c_data)) {
		if (!fifo->data)
			die_not_ready(fifo, "kfifo_out");
		fifo->usoftirq_c_mask = fifo->mask;
		fifo->usoftirq_c_esize = fifo->esize;
		fifo->usoftirq_c_data = fifo->data;
	}
}

/* The part of @n elements from ring index @at that fits before the end
 * of a ring of @mask + 1 elements. */
static unsigned int first_part(unsigned int mask, unsigned int at,
			       unsigned int n)
{
	unsigned int first = mask + 1 - (at & mask);

	return first < n ? first : n;
}

/*
 * memcpy() of @n elements of @esize bytes. One element of a common size
 * is copied by an inlined move: a push or pop of one word then costs no
 * library call (the kernel's kfifo_put()/kfifo_get() are inline for the
 * same reason).
 */
static inline void copy_elems(void *dst, const void *src, size_t esize,
			      unsigned int n)
{
	if (n == 1) {
		switch (esize) {
		case 1:
			__builtin_memcpy(dst, src, 1);
			return;
		case 2:
			__builtin_memcpy(dst, src, 2);
			return;
		case 4:
			__builtin_memcpy(dst, src, 4);
			return;
		case 8:
			__builtin_memcpy(dst, src, 8);
			return;
		case 16:
			__builtin_memcpy(dst, src, 16);
			return;
		}
	}
	memcpy(dst, src, n * esize);
}

/* Copy @n elements from @src into the producer's ring at index @at. */
static void copy_in(const struct usoftirq_kfifo *fifo, const void *src,
		    unsigned int n, unsigned int at)
{
	size_t esize = fifo->esize;
	unsigned int first = first_part(fifo->mask, at, n);

	copy_elems((char *)fifo->data + (at & fifo->mask) * esize, src, esize,
		   first);
	if (n > first)
		memcpy(fifo->data, (const char *)src + first * esize,
		       (n - first) * esize);
}

/* Copy @n elements from the consumer's ring at index @at to @dst. */
static void copy_out(const struct usoftirq_kfifo *fifo, void *dst,
		     unsigned int n, unsigned int at)
{
	size_t esize = fifo->usoftirq_c_esize;
	unsigned int mask = fifo->usoftirq_c_mask;
	const char *data = fifo->usoftirq_c_data;
	unsigned int first = first_part(mask, at, n);

	copy_elems(dst, data + (at & mask) * esize, esize, first);
	if (n > first)
		memcpy((char *)dst + first * esize, data, (n - first) * esize);
}

/*
 * Room for up to @n elements at index @in, from the cached reading of
 * @out, reading @out again only if the cache does not give @n. A cached
 * reading only lags (the consumer only adds to @out), so it can only
 * understate the room; one that looks ahead of @in is from before a
 * reset, and is read again too.
 */
static unsigned int producer_room(struct usoftirq_kfifo *fifo, unsigned int in,
				  unsigned int n)
{
	unsigned int size = fifo->mask + 1;
	unsigned int used = in - fifo->usoftirq_out_cache;

	if (used > size || size - used < n) {
		/* Acquire: pairs with the release store of @out in
		 * usoftirq_kfifo_out(); the consumer is done with the
		 * freed slots. */
		fifo->usoftirq_out_cache =
			__atomic_load_n(&fifo->out, __ATOMIC_ACQUIRE);
		used = in - fifo->usoftirq_out_cache;
	}
	return size - used;
}

unsigned int usoftirq_kfifo_in(struct usoftirq_kfifo *fifo, const void *buf,
			       unsigned int n)
{
	unsigned int in, room;

	if (usoftirq__unlikely(!fifo->data))
		die_not_ready(fifo, "kfifo_in");
	/* Relaxed: only the producer (this side) writes @in. */
	in = __atomic_load_n(&fifo->in, __ATOMIC_RELAXED);
	room = producer_room(fifo, in, n);
	if (n > room)
		n = room;
	if (!n)
		return 0;
	copy_in(fifo, buf, n, in);
	/* Release: pairs with the acquire load of @in in consumer_ready();
	 * the elements are in place before the consumer can see them. */
	__atomic_store_n(&fifo->in, in + n, __ATOMIC_RELEASE);
	return n;
}

/*
 * Elements ready at index @out, up to @n, from the cached reading of @in,
 * reading @in again only if the cache does not give @n (a reading behind
 * @out, after kfifo_reset_out() or kfifo_skip(), is read again too).
 */
static unsigned int consumer_ready(struct usoftirq_kfifo *fifo,
				   unsigned int out, unsigned int n)
{
	unsigned int size = fifo->usoftirq_c_mask + 1;
	unsigned int ready = fifo->usoftirq_in_cache - out;

	if (ready > size || ready < n) {
		/* Acquire: pairs with the release store of @in in
		 * usoftirq_kfifo_in(); the elements below @in are in
		 * place. */
		fifo->usoftirq_in_cache =
			__atomic_load_n(&fifo->in, __ATOMIC_ACQUIRE);
		ready = fifo->usoftirq_in_cache - out;
	}
	return ready;
}

/*
 * Copy up to @n elements out without consuming them; *@out_idx receives
 * the consumer's index. Consumer side.
 */
static unsigned int out_peek(struct usoftirq_kfifo *fifo, void *buf,
			     unsigned int n, unsigned int *out_idx)
{
	unsigned int out, ready;

	consumer_geometry(fifo);
	/* Relaxed: only the consumer (this side) writes @out. */
	out = __atomic_load_n(&fifo->out, __ATOMIC_RELAXED);
	ready = consumer_ready(fifo, out, n);
	if (n > ready)
		n = ready;
	if (n && buf)
		copy_out(fifo, buf, n, out);
	*out_idx = out;
	return n;
}

unsigned int usoftirq_kfifo_out(struct usoftirq_kfifo *fifo, void *buf,
				unsigned int n)
{
	unsigned int out;

	n = out_peek(fifo, buf, n, &out);
	/* Release: pairs with the acquire load of @out in
	 * usoftirq_kfifo_in(); the copy out is complete before the producer
	 * may reuse the slots. */
	if (n)
		__atomic_store_n(&fifo->out, out + n, __ATOMIC_RELEASE);
	return n;
}

unsigned int usoftirq_kfifo_out_peek(struct usoftirq_kfifo *fifo, void *buf,
				     unsigned int n)
{
	unsigned int out;

	return out_peek(fifo, buf, n, &out);
}

unsigned int usoftirq_kfifo_skip(struct usoftirq_kfifo *fifo, unsigned int n)
{
	return usoftirq_kfifo_out(fifo, NULL, n);
}

unsigned int usoftirq_kfifo_len(const struct usoftirq_kfifo *fifo)
{
	/*
	 * @out first, then @in: both only grow, and in >= out at every
	 * instant, so the difference cannot go negative. Acquire on @out
	 * keeps the load of @in after it; the other side may move between
	 * the two loads, so clamp to the size.
	 */
	unsigned int out = __atomic_load_n(&fifo->out, __ATOMIC_ACQUIRE);
	unsigned int in = __atomic_load_n(&fifo->in, __ATOMIC_ACQUIRE);
	unsigned int len = in - out;

	return len > fifo->mask + 1 ? fifo->mask + 1 : len;
}

unsigned int usoftirq_kfifo_avail(const struct usoftirq_kfifo *fifo)
{
	return usoftirq_kfifo_size(fifo) - usoftirq_kfifo_len(fifo);
}

unsigned int usoftirq_kfifo_size(const struct usoftirq_kfifo *fifo)
{
	return fifo->data ? fifo->mask + 1 : 0;
}

bool usoftirq_kfifo_is_empty(const struct usoftirq_kfifo *fifo)
{
	return usoftirq_kfifo_len(fifo) == 0;
}

bool usoftirq_kfifo_is_full(const struct usoftirq_kfifo *fifo)
{
	return fifo->data && usoftirq_kfifo_len(fifo) == fifo->mask + 1;
}

void usoftirq_kfifo_reset(struct usoftirq_kfifo *fifo)
{
	/* Neither side active (the kernel's rule): the caches go too. */
	__atomic_store_n(&fifo->in, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&fifo->out, 0, __ATOMIC_RELAXED);
	fifo->usoftirq_out_cache = 0;
	fifo->usoftirq_in_cache = 0;
}

void usoftirq_kfifo_reset_out(struct usoftirq_kfifo *fifo)
{
	/* Consumer side: drop everything published so far. Acquire pairs
	 * with the producer's release of @in (not strictly needed, nothing
	 * is read); release pairs with its acquire load of @out, as in
	 * usoftirq_kfifo_out(). */
	__atomic_store_n(&fifo->out,
			 __atomic_load_n(&fifo->in, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
}
