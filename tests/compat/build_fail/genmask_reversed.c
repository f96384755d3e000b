/* SPDX-License-Identifier: MIT */
/* Must not compile: GENMASK() with its bounds swapped. */
#include <linux/bits.h>

unsigned long mask(void);

unsigned long mask(void)
{
	return GENMASK(3, 7);
}
