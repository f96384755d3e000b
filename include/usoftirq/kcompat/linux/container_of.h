/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/container_of.h>: container_of(), container_of_const()
 * and typeof_member().
 *
 * container_of() checks, as the kernel's does, that ptr points to the type
 * of the member (or is void *), and is a plain expression rather than a
 * statement expression, so it may also appear in static initialisers.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_CONTAINER_OF_H
#define USOFTIRQ_KCOMPAT_LINUX_CONTAINER_OF_H

#include <linux/build_bug.h>
#include <linux/stddef.h>

#define typeof_member(T, m) __typeof__(((T *)0)->m)

/**
 * container_of() - the object that contains a member.
 * @ptr: pointer to the member.
 * @type: the type of the containing object.
 * @member: the name of the member in @type.
 */
#define container_of(ptr, type, member)                                        \
	((type *)(void *)((char *)(ptr)-offsetof(type, member) +               \
			  BUILD_BUG_ON_ZERO(                                   \
				  !__same_type(*(ptr), ((type *)0)->member) && \
				  !__same_type(*(ptr), void))))

/* container_of_const() - container_of() that keeps a const pointer const. */
/* clang-format off */
#define container_of_const(ptr, type, member)                             \
	_Generic((ptr),                                                   \
		 const __typeof__(*(ptr)) *:                              \
			((const type *)container_of(ptr, type, member)),  \
		 default: ((type *)container_of(ptr, type, member)))
/* clang-format on */

#endif /* USOFTIRQ_KCOMPAT_LINUX_CONTAINER_OF_H */
