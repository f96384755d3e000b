/* SPDX-License-Identifier: MIT */
/*
 * The bare futex calls the floors and peers are built from (private
 * futexes, no timeout). Kept separate from the library's own helpers so
 * that a floor measures the system call and nothing of usoftirq.
 */
#ifndef BENCH_FUTEX_H
#define BENCH_FUTEX_H

#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Sleep while *@word == @val (returns at once if it differs). */
static inline void bench_futex_wait(void *word, uint32_t val)
{
	(void)syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

/* Wake up to @n threads sleeping on @word. */
static inline void bench_futex_wake(void *word, int n)
{
	(void)syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

#endif /* BENCH_FUTEX_H */
