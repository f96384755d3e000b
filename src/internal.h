/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by every source file: branch hints, the die
 * macro for OS failures that cannot be reported, the cache-line size and
 * the monotonic clock. Never installed.
 *
 * Naming: public symbols are usoftirq_*, internal non-static symbols
 * usoftirq__* (hidden by -fvisibility=hidden), static helpers have plain
 * names.
 */
#ifndef USOFTIRQ_INTERNAL_H
#define USOFTIRQ_INTERNAL_H

#include <stdint.h>
#include <time.h>

#include <usoftirq.h>

#define usoftirq__likely(x) __builtin_expect(!!(x), 1)
#define usoftirq__unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Cache-line size of the x86-64 and arm64 machines we target. Per-vCPU
 * data that different threads write is separated by this much (see
 * src/cpu.h for what lives on which line and why).
 */
#define USOFTIRQ__CACHELINE 64
#define usoftirq__cacheline_aligned \
	__attribute__((aligned(USOFTIRQ__CACHELINE)))

/*
 * usoftirq__smp_mb_after_atomic() - a full barrier after an atomic
 * read-modify-write, as the kernel's smp_mb__after_atomic(). On x86 every
 * locked RMW is already one, so only the compiler is held back. Elsewhere
 * it is a seq_cst fence, except under ThreadSanitizer, which models no
 * standalone fence; every user names the RMW-only path it takes there.
 */
#if defined(__x86_64__) || defined(__i386__)
#define usoftirq__smp_mb_after_atomic() __asm__ __volatile__("" ::: "memory")
#elif defined(__SANITIZE_THREAD__)
#define usoftirq__smp_mb_after_atomic() ((void)0)
#else
#define usoftirq__smp_mb_after_atomic() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#define USOFTIRQ__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/**
 * usoftirq__die() - an OS primitive failed in a way no caller can handle.
 * @file: __FILE__ of the failing call.
 * @line: __LINE__ of the failing call.
 * @what: what was attempted.
 * @err: the errno value, or 0.
 *
 * Writes "usoftirq: fatal: <what> failed at <file>:<line>: <errno name>"
 * with write(2) and aborts. Async-signal-safe.
 */
__attribute__((noreturn)) void usoftirq__die(const char *file, int line,
					     const char *what, int err);

#define USOFTIRQ__DIE(what, err) \
	usoftirq__die(__FILE__, __LINE__, (what), (err))

/**
 * usoftirq__fatal() - a contract violation or impossible state: print
 * "usoftirq: fatal: <message> (<file>:<line>)" with write(2) and abort.
 * @file: __FILE__.
 * @line: __LINE__.
 * @fmt: the message (the printf subset of src/report.h).
 *
 * Used instead of assert() so that the check and its message stay in
 * release builds. Async-signal-safe.
 */
__attribute__((noreturn, format(printf, 3, 4))) void
usoftirq__fatal(const char *file, int line, const char *fmt, ...);

/**
 * usoftirq__now_ns() - CLOCK_MONOTONIC in nanoseconds (vDSO, no syscall).
 */
static inline uint64_t usoftirq__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/** usoftirq__cpu_relax() - a pause in a spin loop. */
static inline void usoftirq__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

#endif /* USOFTIRQ_INTERNAL_H */
