/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/stddef.h>: the UAPI header of the same name (which
 * glibc reaches through <linux/posix_types.h>), then NULL and offsetof()
 * from <stddef.h>, bool/true/false from <stdbool.h>, sizeof_field(),
 * offsetofend(), struct_group() and DECLARE_FLEX_ARRAY().
 *
 * Difference from the kernel: the kernel defines false and true as enum
 * constants; here they are <stdbool.h>'s macros, which user-space code
 * included in the same program expects.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_STDDEF_H
#define USOFTIRQ_KCOMPAT_LINUX_STDDEF_H

#if defined(__has_include_next)
#if __has_include_next(<linux/stddef.h>)
#include_next <linux/stddef.h>
#endif
#endif

#include <stdbool.h>
#include <stddef.h>

#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) \
	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

#ifdef __struct_group
#define struct_group(NAME, MEMBERS...) \
	__struct_group(/* no tag */, NAME, /* no attrs */, MEMBERS)
#define struct_group_attr(NAME, ATTRS, MEMBERS...) \
	__struct_group(/* no tag */, NAME, ATTRS, MEMBERS)
#define struct_group_tagged(TAG, NAME, MEMBERS...) \
	__struct_group(TAG, NAME, /* no attrs */, MEMBERS)
#endif
#ifdef __DECLARE_FLEX_ARRAY
#define DECLARE_FLEX_ARRAY(TYPE, NAME) __DECLARE_FLEX_ARRAY(TYPE, NAME)
#endif

#endif /* USOFTIRQ_KCOMPAT_LINUX_STDDEF_H */
