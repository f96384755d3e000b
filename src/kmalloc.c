/* SPDX-License-Identifier: MIT */
/*
 * kmalloc() and kfree() with the kernel's context rule (a GFP_KERNEL
 * allocation may sleep, so from atomic context it is reported as
 * might_sleep() reports it) and with what hardirq handlers need: they run
 * inside a signal handler, where malloc() and free() are not
 * async-signal-safe (the interrupted code may hold the allocator's lock).
 *
 * So every block carries a header saying where it came from:
 *  - outside hardirq handlers, malloc();
 *  - inside them, mmap() of whole pages, a plain system call.
 * kfree() inside a hardirq handler unmaps a mapped block at once and
 * hands a malloc() block to a lock-free stack, which the next kmalloc() or
 * kfree() made outside a hardirq handler drains into free(). The stack
 * is only ever pushed one node at a time and emptied whole (an exchange),
 * so it has no ABA problem.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <usoftirq/context.h>
#include <usoftirq/platform.h>

#include "thread.h"

#define KMALLOC_MAGIC 0x6b6d616c6c6f6321ull /* "kmalloc!" */
#define KMALLOC_FREED 0x6b66726565642121ull /* "kfreed!!" */

enum block_source {
	BLOCK_HEAP,
	BLOCK_MAPPED,
};

/*
 * The header before each block. Its size is a multiple of max_align_t's
 * alignment, so the block after it is aligned for any type.
 * @magic: KMALLOC_MAGIC while allocated.
 * @source: enum block_source.
 * @length: for a mapped block, the bytes mapped (header included).
 * @next: on the deferred-free stack.
 */
struct block {
	alignas(max_align_t) uint64_t magic;
	unsigned int source;
	size_t length;
	struct block *next;
};

_Static_assert(sizeof(struct block) % alignof(max_align_t) == 0,
	       "the payload after the header must be aligned for any type");

/* malloc() blocks freed by hardirq handlers, waiting for free(). */
static _Atomic(struct block *) deferred;
/* Read at load time: sysconf() is not on the async-signal-safe list. */
static size_t page_size;

__attribute__((constructor)) static void kmalloc_init(void)
{
	page_size = (size_t)sysconf(_SC_PAGESIZE);
}

static struct block *block_of(const void *p)
{
	return (struct block *)((uintptr_t)p - sizeof(struct block));
}

static void drain_deferred(void)
{
	struct block *b, *next;

	/* A plain load first: the stack is almost always empty. */
	if (!atomic_load_explicit(&deferred, memory_order_relaxed))
		return;
	/* Acquire: pairs with the release push, so the pusher's last uses
	 * of the block happen before free(). */
	b = atomic_exchange_explicit(&deferred, NULL, memory_order_acquire);
	for (; b; b = next) {
		next = b->next;
		free(b);
	}
}

static void defer_free(struct block *b)
{
	struct block *head =
		atomic_load_explicit(&deferred, memory_order_relaxed);

	do
		b->next = head;
	while (!atomic_compare_exchange_weak_explicit(&deferred, &head, b,
						      memory_order_release,
						      memory_order_relaxed));
}

/* mmap() is async-signal-safe; the pages come zeroed. */
static struct block *map_block(size_t size)
{
	size_t length = (sizeof(struct block) + size + page_size - 1) &
			~(page_size - 1);
	struct block *b;

	if (length < size)
		return NULL;
	b = mmap(NULL, length, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->source = BLOCK_MAPPED;
	b->length = length;
	return b;
}

static struct block *heap_block(size_t size, bool zero)
{
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = zero ? calloc(1, sizeof(*b) + size) : malloc(sizeof(*b) + size);
	if (b)
		b->source = BLOCK_HEAP;
	return b;
}

void *usoftirq_kmalloc(size_t size, unsigned int gfp)
{
	bool hardirq = usoftirq_in_hardirq();
	struct block *b;

	if (gfp & USOFTIRQ_GFP_KERNEL)
		usoftirq__might_sleep(__FILE__, __LINE__,
				      __builtin_return_address(0));
	if (!size)
		return USOFTIRQ_ZERO_SIZE_PTR;
	if (!hardirq)
		drain_deferred();
	b = hardirq ? map_block(size) :
		      heap_block(size, gfp & USOFTIRQ_GFP_ZERO);
	if (!b)
		return NULL;
	b->magic = KMALLOC_MAGIC;
	return b + 1;
}

void usoftirq_kfree(const void *p)
{
	struct block *b;
	bool hardirq;

	if (!p || p == USOFTIRQ_ZERO_SIZE_PTR)
		return;
	b = block_of(p);
	if (b->magic != KMALLOC_MAGIC)
		usoftirq__fatal(__FILE__, __LINE__,
				"usoftirq_kfree(%p): not a block from "
				"usoftirq_kmalloc(), or freed already",
				p);
	b->magic = KMALLOC_FREED;
	hardirq = usoftirq_in_hardirq();
	if (b->source == BLOCK_MAPPED) {
		if (munmap(b, b->length))
			USOFTIRQ__DIE("munmap(kmalloc block)", errno);
	} else if (hardirq) {
		defer_free(b);
	} else {
		free(b);
	}
	if (!hardirq)
		drain_deferred();
}
