/* SPDX-License-Identifier: MIT */
/*
 * Mappings: usoftirq_ioremap(), usoftirq_iounmap(), and the translation of
 * an __iomem address into (device, offset) done by every register access.
 *
 * The arena. At the first ioremap() the process reserves one range of
 * address space with mmap(PROT_NONE): nothing can be read or written
 * there, so a driver that dereferences an __iomem pointer directly faults
 * at once. The arena is cut into NSLOTS slots of SLOT_SIZE bytes; a
 * mapping occupies one or more consecutive slots, and starts in its first
 * slot at the page offset of its bus address, as the kernel's ioremap()
 * keeps the offset within the page. Translating an address is then an
 * array index: no search, no lock, nothing a signal handler cannot do.
 *
 * Slots are static and never freed. Each one has:
 *   state  SLOT_FREE <-> SLOT_MAPPED. FREE -> MAPPED by ioremap() after it
 *          filled in the fields (release store); MAPPED -> FREE by
 *          iounmap() (seq_cst store). Only under the bus mutex.
 *   users  the accesses using the slot right now (count in bits 0..30),
 *          plus USERS_WAITER (bit 31): an iounmap() sleeps until the count
 *          drops to 0.
 *   fields device, start address, size, device offset of the start;
 *          written only while the slot is FREE and drained, read only by
 *          an access that saw MAPPED.
 *
 * Why unmapping is safe: an access increments users, then loads state;
 * iounmap() stores FREE, then loads users. All four are seq_cst, so one of
 * the two sees the other (a Dekker pair): either the access sees FREE and
 * reports an unmapped address, or iounmap() sees the access counted and
 * waits for it to leave. When iounmap() returns no access is still using
 * the device through that mapping, and the device may be destroyed.
 *
 * Reuse. Slots are handed out next-fit, round the arena, so an address
 * that was just unmapped stays unmapped (and is reported as such) for as
 * long as possible before another mapping takes its slot.
 */
#include <errno.h>
#include <limits.h>
#include <sys/mman.h>

#include "futex.h"
#include "mmio.h"
#include "report.h"
#include "thread.h"

/*
 * 64 KiB per slot: larger than the register block of any device modelled
 * here (rxdev has 32 bytes), so one mapping is one slot; 1024 slots is
 * 64 MiB of reserved (never committed) address space, more mappings than
 * any test or demo keeps alive. Larger mappings take consecutive slots.
 */
#define SLOT_SHIFT 16
#define SLOT_SIZE ((uintptr_t)1 << SLOT_SHIFT)
#define NSLOTS 1024u
#define ARENA_SIZE (NSLOTS * SLOT_SIZE)
#define MMIO_PAGE 4096u

enum slot_state {
	SLOT_FREE = 0,
	SLOT_MAPPED = 1,
};

#define USERS_WAITER (1u << 31)

/*
 * One slot per cache line: accesses to different mappings, which
 * increment and decrement different users words, do not share a line.
 */
struct slot {
	_Atomic uint32_t users;
	_Atomic uint32_t state;
	struct usoftirq_mmio_device *dev;
	uintptr_t start;
	uint64_t size;
	uint64_t dev_offset;
	unsigned int first;
	unsigned int count;
} usoftirq__cacheline_aligned;

static struct slot slots[NSLOTS];

/*
 * Base of the arena, 0 until the first ioremap() reserves it (once, under
 * the bus mutex). Release store there, acquire load in every lookup: the
 * lookup only needs the value, but the pairing keeps the slot fields that
 * ioremap() wrote before publishing ordered for ThreadSanitizer too.
 */
static _Atomic uintptr_t arena;
/* Next-fit cursor; bus mutex. */
static unsigned int next_slot;

/* ------------------------------------------------------------------ */
/* Lookup (any context)                                                */
/* ------------------------------------------------------------------ */

static void slot_leave(struct slot *s)
{
	/* Release: everything the access did happens before the drain's
	 * seq_cst load in iounmap() that sees the count drop. */
	uint32_t old =
		atomic_fetch_sub_explicit(&s->users, 1, memory_order_release);

	if (old == (USERS_WAITER | 1))
		usoftirq__futex_wake(&s->users, INT_MAX);
}

bool usoftirq__mmio_resolve(uintptr_t addr, unsigned int width,
			    struct usoftirq__mmio_where *w)
{
	uintptr_t base = atomic_load_explicit(&arena, memory_order_acquire);
	struct slot *s;

	if (!base || addr < base || addr - base >= ARENA_SIZE)
		return false;
	s = &slots[(addr - base) >> SLOT_SHIFT];
	/* seq_cst: the access half of the Dekker pair with iounmap(). */
	atomic_fetch_add_explicit(&s->users, 1, memory_order_seq_cst);
	/* seq_cst (includes acquire): pairs with the release store of
	 * SLOT_MAPPED in ioremap(), which makes the fields readable. */
	if (atomic_load_explicit(&s->state, memory_order_seq_cst) !=
		    SLOT_MAPPED ||
	    addr < s->start || addr - s->start >= s->size ||
	    s->size - (addr - s->start) < width) {
		slot_leave(s);
		return false;
	}
	w->dev = s->dev;
	w->offset = s->dev_offset + (addr - s->start);
	w->slot = s;
	return true;
}

void usoftirq__mmio_release(struct usoftirq__mmio_where *w)
{
	slot_leave(w->slot);
}

/* ------------------------------------------------------------------ */
/* Mapping (task context, bus mutex held)                              */
/* ------------------------------------------------------------------ */

static uintptr_t arena_get(void)
{
	uintptr_t base = atomic_load_explicit(&arena, memory_order_relaxed);
	void *p;

	if (base)
		return base;
	p = mmap(NULL, ARENA_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		usoftirq__report(
			USOFTIRQ_REPORT_INVALID_ARGUMENT, USOFTIRQ_REPORT_ERR,
			NULL, 0,
			"usoftirq_ioremap: cannot reserve %lu bytes of "
			"address space for mappings: %s",
			(unsigned long)ARENA_SIZE, usoftirq__errno_name(errno));
		return 0;
	}
	/* Release: pairs with the acquire load in usoftirq__mmio_resolve(). */
	atomic_store_explicit(&arena, (uintptr_t)p, memory_order_release);
	return (uintptr_t)p;
}

static bool slots_free(unsigned int first, unsigned int count)
{
	for (unsigned int i = first; i < first + count; i++)
		/* Relaxed: state only changes under the bus mutex we hold. */
		if (atomic_load_explicit(&slots[i].state,
					 memory_order_relaxed) != SLOT_FREE)
			return false;
	return true;
}

/* Next-fit search for @count consecutive free slots; NSLOTS if none. */
static unsigned int slots_find(unsigned int count)
{
	for (unsigned int n = 0; n < NSLOTS; n++) {
		unsigned int first = (next_slot + n) % NSLOTS;

		if (first + count <= NSLOTS && slots_free(first, count)) {
			next_slot = (first + count) % NSLOTS;
			return first;
		}
	}
	return NSLOTS;
}

static void slots_fill(unsigned int first, unsigned int count,
		       struct usoftirq_mmio_device *dev, uintptr_t start,
		       uint64_t phys, uint64_t size)
{
	for (unsigned int i = first; i < first + count; i++) {
		struct slot *s = &slots[i];

		s->dev = dev;
		s->start = start;
		s->size = size;
		s->dev_offset = phys - dev->phys;
		s->first = first;
		s->count = count;
		/* Release: pairs with the seq_cst (acquire) load of state in
		 * usoftirq__mmio_resolve(); the fields above are complete. */
		atomic_store_explicit(&s->state, SLOT_MAPPED,
				      memory_order_release);
	}
}

static void *map_range(struct usoftirq_mmio_device *dev, uint64_t phys,
		       uint64_t size)
{
	uintptr_t base = arena_get();
	uint64_t span = phys % MMIO_PAGE + size;
	uint64_t count = (span + SLOT_SIZE - 1) >> SLOT_SHIFT;
	unsigned int first;
	uintptr_t start;

	if (!base)
		return NULL;
	first = count <= NSLOTS ? slots_find((unsigned int)count) : NSLOTS;
	if (first == NSLOTS) {
		usoftirq__report(USOFTIRQ_REPORT_INVALID_ARGUMENT,
				 USOFTIRQ_REPORT_ERR, NULL, 0,
				 "usoftirq_ioremap(0x%lx, 0x%lx): no room left "
				 "for the mapping of device %s",
				 (unsigned long)phys, (unsigned long)size,
				 dev->name);
		return NULL;
	}
	start = base + first * SLOT_SIZE + phys % MMIO_PAGE;
	slots_fill(first, (unsigned int)count, dev, start, phys, size);
	dev->mappings++;
	return (void *)start;
}

/* Why ioremap() found nothing: no machine at all (the kernel spelling
 * uses the calling thread's), an empty or wrapping range, or no device. */
static void report_unmappable(const struct usoftirq_machine *m, uint64_t phys,
			      size_t size)
{
	const char *why = "no device on the bus covers this range";

	if (!m)
		why = "no machine: the calling thread is bound to none and "
		      "there is no default machine (create one first)";
	else if (!size || phys + size <= phys)
		why = "empty or wrapping range";
	usoftirq__report(USOFTIRQ_REPORT_INVALID_ARGUMENT, USOFTIRQ_REPORT_ERR,
			 NULL, 0, "usoftirq_ioremap(0x%lx, 0x%zx): %s",
			 (unsigned long)phys, size, why);
}

void *usoftirq_ioremap(struct usoftirq_machine *m, uint64_t phys, size_t size)
{
	struct usoftirq_mmio_device *dev = NULL;
	void *addr = NULL;

	usoftirq__assert_task_context("usoftirq_ioremap");
	usoftirq__mmio_bus_lock();
	if (m && size && phys + size > phys)
		dev = usoftirq__mmio_bus_find(m, phys, size);
	if (dev)
		addr = map_range(dev, phys, size);
	usoftirq__mmio_bus_unlock();
	if (!dev)
		report_unmappable(m, phys, size);
	return addr;
}

/* ------------------------------------------------------------------ */
/* Unmapping                                                           */
/* ------------------------------------------------------------------ */

/* Wait until no access uses @s (its state is already FREE). */
static void slot_drain(struct slot *s)
{
	for (;;) {
		/* seq_cst: the iounmap() half of the Dekker pair (after the
		 * seq_cst store of FREE); acquire part pairs with the
		 * release decrement in slot_leave(). */
		uint32_t u =
			atomic_load_explicit(&s->users, memory_order_seq_cst);

		if ((u & ~USERS_WAITER) == 0)
			break;
		if (!(u & USERS_WAITER) &&
		    !atomic_compare_exchange_strong_explicit(
			    &s->users, &u, u | USERS_WAITER,
			    memory_order_seq_cst, memory_order_seq_cst))
			continue;
		usoftirq__futex_wait(&s->users, u | USERS_WAITER);
	}
	/* Relaxed: the bit only tells leaving accesses to wake somebody. */
	atomic_fetch_and_explicit(&s->users, ~USERS_WAITER,
				  memory_order_relaxed);
}

/* The first slot of the mapping that starts at @addr, or NULL. */
static struct slot *mapping_at(uintptr_t addr)
{
	uintptr_t base = atomic_load_explicit(&arena, memory_order_relaxed);
	struct slot *s;

	if (!base || addr < base || addr - base >= ARENA_SIZE)
		return NULL;
	s = &slots[(addr - base) >> SLOT_SHIFT];
	if (atomic_load_explicit(&s->state, memory_order_relaxed) !=
		    SLOT_MAPPED ||
	    s->start != addr || &slots[s->first] != s)
		return NULL;
	return s;
}

void usoftirq_iounmap(void *addr)
{
	struct slot *s;

	if (!addr)
		return;
	usoftirq__assert_task_context("usoftirq_iounmap");
	usoftirq__mmio_bus_lock();
	s = mapping_at((uintptr_t)addr);
	if (s) {
		unsigned int first = s->first;
		unsigned int count = s->count;

		for (unsigned int i = first; i < first + count; i++)
			/* seq_cst: Dekker pair with usoftirq__mmio_resolve(). */
			atomic_store_explicit(&slots[i].state, SLOT_FREE,
					      memory_order_seq_cst);
		for (unsigned int i = first; i < first + count; i++)
			slot_drain(&slots[i]);
		s->dev->mappings--;
	}
	usoftirq__mmio_bus_unlock();
	if (!s)
		usoftirq__report(
			USOFTIRQ_REPORT_INVALID_ARGUMENT, USOFTIRQ_REPORT_ERR,
			NULL, 0,
			"usoftirq_iounmap(%p): not an address returned "
			"by usoftirq_ioremap(), or already unmapped",
			addr);
}
