/* SPDX-License-Identifier: MIT */
/* Must not compile: container_of() with a pointer of another type. */
#include <linux/container_of.h>

struct pair {
	int a;
	long b;
};

struct pair *owner(int *pa);

struct pair *owner(int *pa)
{
	return container_of(pa, struct pair, b);
}
