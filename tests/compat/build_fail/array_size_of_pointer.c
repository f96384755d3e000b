/* SPDX-License-Identifier: MIT */
/* Must not compile: ARRAY_SIZE() of a pointer. */
#include <linux/kernel.h>

unsigned long count(int *p);

unsigned long count(int *p)
{
	return ARRAY_SIZE(p);
}
