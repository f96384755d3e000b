/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <asm/barrier.h>: the memory barriers, as C11 fences and
 * __atomic operations: mb()/rmb()/wmb() and their smp_ forms,
 * dma_rmb()/dma_wmb(), smp_mb__before_atomic()/smp_mb__after_atomic(),
 * smp_store_mb(), smp_store_release(), smp_load_acquire(),
 * smp_acquire__after_ctrl_dep(), smp_mb__after_spinlock(),
 * smp_cond_load_relaxed() and smp_cond_load_acquire().
 *
 * There is no device memory here, so mb() is smp_mb() and so on. smp_rmb()
 * is an acquire fence and smp_wmb() a release fence, which order at least
 * what the kernel's do. smp_mb__before_atomic() and smp_mb__after_atomic()
 * are full fences because the non-value-returning atomics (atomic_inc(),
 * set_bit() ...) are relaxed here, as they are on weakly ordered CPUs.
 *
 * ThreadSanitizer does not model stand-alone fences, and GCC rejects them
 * in ThreadSanitizer builds; there, and only there, the fences become
 * read-modify-writes of one shared word (see below), which it does model.
 */
#ifndef USOFTIRQ_KCOMPAT_ASM_BARRIER_H
#define USOFTIRQ_KCOMPAT_ASM_BARRIER_H

#include <asm/processor.h>
#include <linux/compiler.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define USOFTIRQ__KC_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define USOFTIRQ__KC_TSAN 1
#endif

#ifdef USOFTIRQ__KC_TSAN
/*
 * Under ThreadSanitizer a fence is a read-modify-write of one word shared
 * by the whole program (a weak definition, merged by the linker), with the
 * fence's ordering: ThreadSanitizer models that, and GCC refuses
 * stand-alone fences there (-Wtsan). It orders at least what the fence
 * does.
 */
__attribute__((__weak__,
	       __visibility__("default"))) int usoftirq__kc_tsan_fence_word = 0;
#define usoftirq__kc_fence(mo) \
	((void)__atomic_fetch_add(&usoftirq__kc_tsan_fence_word, 0, mo))
#else
#define usoftirq__kc_fence(mo) __atomic_thread_fence(mo)
#endif

#define smp_mb() usoftirq__kc_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() usoftirq__kc_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() usoftirq__kc_fence(__ATOMIC_RELEASE)
#define mb() smp_mb()
#define rmb() smp_rmb()
#define wmb() smp_wmb()
#define dma_rmb() smp_rmb()
#define dma_wmb() smp_wmb()
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()
#define smp_mb__after_spinlock() smp_mb()
#define smp_acquire__after_ctrl_dep() smp_rmb()

#define smp_store_mb(var, value)        \
	do {                            \
		WRITE_ONCE(var, value); \
		smp_mb();               \
	} while (0)

#define smp_store_release(p, v) \
	usoftirq__kc_with_id(usoftirq__kc_store_release, p, v)
#define usoftirq__kc_store_release(n, p, v)                                \
	do {                                                               \
		__unqual_scalar_typeof(*(p)) usoftirq__kc_v##n = (v);      \
		compiletime_assert_atomic_type(*(p));                      \
		__atomic_store((p), &usoftirq__kc_v##n, __ATOMIC_RELEASE); \
	} while (0)

#define smp_load_acquire(p) usoftirq__kc_with_id(usoftirq__kc_load_acquire, p)
#define usoftirq__kc_load_acquire(n, p)                                   \
	({                                                                \
		__unqual_scalar_typeof(*(p)) usoftirq__kc_v##n;           \
		compiletime_assert_atomic_type(*(p));                     \
		__atomic_load((p), &usoftirq__kc_v##n, __ATOMIC_ACQUIRE); \
		usoftirq__kc_v##n;                                        \
	})

/*
 * smp_cond_load_relaxed()/smp_cond_load_acquire() - spin until cond_expr,
 * in which VAL names the value loaded from *ptr, is true; the last VAL.
 */
#define smp_cond_load_relaxed(ptr, cond_expr)       \
	({                                          \
		__unqual_scalar_typeof(*(ptr)) VAL; \
		for (;;) {                          \
			VAL = READ_ONCE(*(ptr));    \
			if (cond_expr)              \
				break;              \
			cpu_relax();                \
		}                                   \
		VAL;                                \
	})
#define smp_cond_load_acquire(ptr, cond_expr)        \
	({                                           \
		__unqual_scalar_typeof(*(ptr)) VAL;  \
		for (;;) {                           \
			VAL = smp_load_acquire(ptr); \
			if (cond_expr)               \
				break;               \
			cpu_relax();                 \
		}                                    \
		VAL;                                 \
	})

#endif /* USOFTIRQ_KCOMPAT_ASM_BARRIER_H */
