/* SPDX-License-Identifier: MIT */
/*
 * Definitions shared by every usoftirq public header: the export marker,
 * C++ linkage guards and the kernel-shaped atomic counter type that
 * struct usoftirq_tasklet embeds.
 */
#ifndef USOFTIRQ_COMMON_H
#define USOFTIRQ_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include <usoftirq/version.h>

#if defined(__GNUC__)
#define USOFTIRQ_API __attribute__((visibility("default")))
#else
#define USOFTIRQ_API
#endif

#ifdef __cplusplus
#define USOFTIRQ_BEGIN_DECLS extern "C" {
#define USOFTIRQ_END_DECLS }
#else
#define USOFTIRQ_BEGIN_DECLS
#define USOFTIRQ_END_DECLS
#endif

USOFTIRQ_BEGIN_DECLS

/**
 * struct usoftirq_atomic - an int accessed only through atomic operations.
 * @counter: the value; read it with __atomic_load_n() (or the kernel-compat
 *           atomic_read()), never with a plain access while other threads
 *           may write it.
 *
 * Same shape as the kernel's atomic_t, so that driver code can read
 * tasklet->count exactly as it does in the kernel.
 */
typedef struct usoftirq_atomic {
	int counter;
} usoftirq_atomic_t;

/** usoftirq_version_string() - the library's version, "MAJOR.MINOR.PATCH". */
USOFTIRQ_API const char *usoftirq_version_string(void);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_COMMON_H */
