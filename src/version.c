/* SPDX-License-Identifier: MIT */
#include <usoftirq/common.h>

#define USOFTIRQ__STR2(x) #x
#define USOFTIRQ__STR(x) USOFTIRQ__STR2(x)

const char *usoftirq_version_string(void)
{
	return USOFTIRQ__STR(USOFTIRQ_VERSION_MAJOR) "." USOFTIRQ__STR(
		USOFTIRQ_VERSION_MINOR) "." USOFTIRQ__STR(USOFTIRQ_VERSION_PATCH);
}
