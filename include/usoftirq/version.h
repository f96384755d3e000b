/* SPDX-License-Identifier: MIT */
/*
 * usoftirq version. These three macros are the single source of the
 * project version: CMakeLists.txt parses them (cmake/UsoftirqVersion.cmake).
 */
#ifndef USOFTIRQ_VERSION_H
#define USOFTIRQ_VERSION_H

#define USOFTIRQ_VERSION_MAJOR 0
#define USOFTIRQ_VERSION_MINOR 1
#define USOFTIRQ_VERSION_PATCH 0

/** USOFTIRQ_VERSION_NUMBER - the version as one comparable integer. */
#define USOFTIRQ_VERSION_NUMBER                                           \
	((USOFTIRQ_VERSION_MAJOR << 16) | (USOFTIRQ_VERSION_MINOR << 8) | \
	 USOFTIRQ_VERSION_PATCH)

#endif /* USOFTIRQ_VERSION_H */
