/* SPDX-License-Identifier: MIT */
/*
 * kfifo: a ring of fixed-size elements, lock-free for one producer and
 * one consumer, as the kernel's: the producer (which may be a hardirq
 * handler, since no call here blocks, locks or allocates) publishes
 * elements with a release store of the in index; the consumer reads them
 * after an acquire load of it, and frees the slots with a release store
 * of the out index. The indices run freely and are compared through their
 * difference, so the size is a power of two. Several producers or several
 * consumers need a lock around their side, as in the kernel.
 *
 * The kernel spelling (DECLARE_KFIFO, kfifo_in() and friends, typed by
 * macros) is in <linux/kfifo.h>. See docs/waitqueues.md.
 */
#ifndef USOFTIRQ_KFIFO_H
#define USOFTIRQ_KFIFO_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/**
 * struct usoftirq_kfifo - the ring (the kernel's struct __kfifo).
 * @data: private: the buffer, NULL before init and after free.
 * @mask: private: size - 1.
 * @esize: private: element size in bytes.
 * @in: private: elements ever put in (written by the producer only).
 * @usoftirq_out_cache: private: the producer's last reading of @out.
 * @usoftirq_pad: private: keeps the two sides on different cache lines.
 * @usoftirq_c_data, @usoftirq_c_mask, @usoftirq_c_esize: private: the
 *	consumer's copy of the geometry (taken on its first use).
 * @out: private: elements ever taken out (written by the consumer only).
 * @usoftirq_in_cache: private: the consumer's last reading of @in.
 *
 * Unlike the kernel's, the producer's and the consumer's words are at
 * least a cache line apart, whatever the alignment of the ring, and each
 * side reads the other's index only when its cached reading does not
 * allow the operation: a push and a pop that find room and data touch
 * only their own line and the elements (as Concurrency Kit's ck_ring).
 */
struct usoftirq_kfifo {
	/* Producer side. */
	void *data;
	unsigned int mask;
	unsigned int esize;
	unsigned int in;
	unsigned int usoftirq_out_cache;
	char usoftirq_pad[64];
	/* Consumer side. */
	void *usoftirq_c_data;
	unsigned int usoftirq_c_mask;
	unsigned int usoftirq_c_esize;
	unsigned int out;
	unsigned int usoftirq_in_cache;
};

/**
 * usoftirq_kfifo_alloc() - allocate a ring of @size elements of @esize
 * bytes each.
 * @fifo: the ring.
 * @size: elements; rounded up to a power of two, as the kernel's
 *	kfifo_alloc() does.
 * @esize: bytes per element.
 *
 * Context: task context (allocates).
 * Return: 0; -EINVAL if @size is 0 or above 2^31, or @esize is 0 or too
 * large; -ENOMEM. On error the ring is left empty with no buffer.
 */
USOFTIRQ_API int usoftirq_kfifo_alloc(struct usoftirq_kfifo *fifo,
				      unsigned int size, size_t esize);

/**
 * usoftirq_kfifo_free() - free the buffer of an allocated ring.
 * @fifo: the ring; left with no buffer.
 *
 * Context: task context, with neither side active.
 */
USOFTIRQ_API void usoftirq_kfifo_free(struct usoftirq_kfifo *fifo);

/**
 * usoftirq_kfifo_init() - use a caller's buffer as the ring.
 * @fifo: the ring.
 * @buffer: room for @size elements.
 * @size: elements (not bytes: the kernel-spelled kfifo_init() divides its
 *	byte count by the element size); rounded down to a power of two, as
 *	the kernel's does.
 * @esize: bytes per element.
 *
 * Context: any (async-signal-safe), with neither side active.
 * Return: 0, or -EINVAL if @buffer is NULL, @size rounds down to fewer
 * than 2 elements, or @esize is 0.
 */
USOFTIRQ_API int usoftirq_kfifo_init(struct usoftirq_kfifo *fifo, void *buffer,
				     unsigned int size, size_t esize);

/**
 * usoftirq_kfifo_in() - copy up to @n elements in (producer side).
 * @fifo: the ring.
 * @buf: @n elements.
 * @n: how many.
 *
 * No lock, no system call: two loads, the copy, one release store.
 *
 * Context: any, async-signal-safe. One producer at a time.
 * Return: elements copied (fewer than @n if the ring filled up).
 */
USOFTIRQ_API unsigned int usoftirq_kfifo_in(struct usoftirq_kfifo *fifo,
					    const void *buf, unsigned int n);

/**
 * usoftirq_kfifo_out() - copy up to @n elements out (consumer side).
 * @fifo: the ring.
 * @buf: room for @n elements, or NULL to discard them.
 * @n: how many.
 *
 * Context: any, async-signal-safe. One consumer at a time.
 * Return: elements taken out.
 */
USOFTIRQ_API unsigned int usoftirq_kfifo_out(struct usoftirq_kfifo *fifo,
					     void *buf, unsigned int n);

/**
 * usoftirq_kfifo_out_peek() - copy up to @n elements out without removing
 * them (consumer side).
 *
 * Context: any, async-signal-safe. One consumer at a time.
 * Return: elements copied.
 */
USOFTIRQ_API unsigned int usoftirq_kfifo_out_peek(struct usoftirq_kfifo *fifo,
						  void *buf, unsigned int n);

/**
 * usoftirq_kfifo_skip() - remove up to @n elements without copying them
 * (consumer side; the kernel's kfifo_skip_count()).
 *
 * Context: any, async-signal-safe. One consumer at a time.
 * Return: elements removed.
 */
USOFTIRQ_API unsigned int usoftirq_kfifo_skip(struct usoftirq_kfifo *fifo,
					      unsigned int n);

/*
 * Snapshots, callable from either side and from signal handlers. With the
 * other side active the answer may be stale by the time it is used, but
 * it is always within [0, size]: len() never exceeds the size, even if
 * both sides move while it reads. size() is 0 for a ring with no buffer.
 */
USOFTIRQ_API unsigned int usoftirq_kfifo_len(const struct usoftirq_kfifo *fifo);
USOFTIRQ_API unsigned int
usoftirq_kfifo_avail(const struct usoftirq_kfifo *fifo);
USOFTIRQ_API unsigned int
usoftirq_kfifo_size(const struct usoftirq_kfifo *fifo);
USOFTIRQ_API bool usoftirq_kfifo_is_empty(const struct usoftirq_kfifo *fifo);
USOFTIRQ_API bool usoftirq_kfifo_is_full(const struct usoftirq_kfifo *fifo);

/**
 * usoftirq_kfifo_reset() - empty the ring and restart its indices at 0.
 *
 * Context: any, with neither side active.
 */
USOFTIRQ_API void usoftirq_kfifo_reset(struct usoftirq_kfifo *fifo);

/**
 * usoftirq_kfifo_reset_out() - discard everything in the ring (consumer
 * side; safe while the producer is active, as the kernel's).
 *
 * Context: any, async-signal-safe. One consumer at a time.
 */
USOFTIRQ_API void usoftirq_kfifo_reset_out(struct usoftirq_kfifo *fifo);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_KFIFO_H */
