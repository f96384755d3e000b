/* SPDX-License-Identifier: MIT */
/* Must not compile: min() of a signed and an unsigned variable. */
#include <linux/minmax.h>

int mixed(int i, unsigned int u);

int mixed(int i, unsigned int u)
{
	return (int)min(i, u);
}
