/* SPDX-License-Identifier: MIT */
/* Must not compile: BUILD_BUG_ON() of a true constant condition. */
#include <linux/build_bug.h>

void check(void);

void check(void)
{
	BUILD_BUG_ON(sizeof(int) == 4);
}
