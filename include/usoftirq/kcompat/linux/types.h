/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/types.h>: the UAPI header of the same name first
 * (__u8 ... __u64, __le16 ... __be64, __bitwise; glibc itself includes it,
 * from <signal.h> for instance), then the kernel's own types: u8 ... u64,
 * s8 ... s64, bool, the C and POSIX types the kernel's header also
 * provides (size_t, ssize_t, loff_t, uintptr_t, int32_t ..., from glibc,
 * so the two never disagree), atomic_t, atomic64_t, phys_addr_t,
 * dma_addr_t, resource_size_t, gfp_t, umode_t, DECLARE_BITMAP() and the
 * list heads (struct list_head, struct hlist_head, struct hlist_node).
 *
 * atomic_t is usoftirq_atomic_t, the counter type the library's tasklets
 * embed, so that atomic_read(&t->count) works on a tasklet.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_TYPES_H
#define USOFTIRQ_KCOMPAT_LINUX_TYPES_H

#if defined(__has_include_next)
#if __has_include_next(<linux/types.h>)
#include_next <linux/types.h>
#endif
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <usoftirq/common.h>

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

typedef unsigned short umode_t;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef phys_addr_t resource_size_t;

#ifndef aligned_u64
#define aligned_u64 __aligned_u64
#endif

typedef usoftirq_atomic_t atomic_t;
typedef struct usoftirq__kc_atomic64 {
	s64 counter;
} atomic64_t;

#define DECLARE_BITMAP(name, bits)                              \
	unsigned long name[((bits) + __SIZEOF_LONG__ * 8 - 1) / \
			   (__SIZEOF_LONG__ * 8)]

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif /* USOFTIRQ_KCOMPAT_LINUX_TYPES_H */
