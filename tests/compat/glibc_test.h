/* SPDX-License-Identifier: MIT */
/*
 * The translation units of compat_glibc. Each includes the kcompat headers
 * and a wide set of glibc and UAPI headers in one order, uses a few names
 * of each, and returns 0, or the line of the first check that failed. Any
 * clash between the two families fails the build.
 */
#ifndef USOFTIRQ_TEST_GLIBC_TEST_H
#define USOFTIRQ_TEST_GLIBC_TEST_H

/* kcompat_then_glibc.c: every kcompat header, then glibc and UAPI. */
int kcompat_then_glibc_check(void);
/* glibc_then_kcompat.c: glibc and UAPI (and <stdatomic.h>), then kcompat. */
int glibc_then_kcompat_check(void);
/* glibc_only.c: glibc headers only; ours are reached through glibc's. */
int glibc_only_check(void);

#define CHECK(cond)                      \
	do {                             \
		if (!(cond))             \
			return __LINE__; \
	} while (0)

#endif /* USOFTIRQ_TEST_GLIBC_TEST_H */
