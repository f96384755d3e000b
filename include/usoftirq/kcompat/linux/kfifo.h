/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/kfifo.h>: typed rings of elements, as the kernel's
 * macros build them over struct __kfifo, here struct usoftirq_kfifo
 * (<usoftirq/kfifo.h>, same fields: in, out, mask, esize, data).
 *
 * Declaring: DECLARE_KFIFO(fifo, type, size) (an embedded buffer of @size
 * elements, a power of two) with INIT_KFIFO(), DEFINE_KFIFO() (declared
 * and initialised), DECLARE_KFIFO_PTR(fifo, type) (a buffer allocated with
 * kfifo_alloc() or given with kfifo_init()), struct kfifo (a byte fifo of
 * the _PTR kind), STRUCT_KFIFO(), STRUCT_KFIFO_PTR().
 *
 * Using, with @fifo a pointer to the fifo: kfifo_alloc(), kfifo_free(),
 * kfifo_init(), kfifo_in(), kfifo_out(), kfifo_out_peek(), kfifo_put(),
 * kfifo_get(), kfifo_peek(), kfifo_len(), kfifo_avail(), kfifo_size(),
 * kfifo_esize(), kfifo_recsize(), kfifo_is_empty(), kfifo_is_full(),
 * kfifo_initialized(), kfifo_reset(), kfifo_reset_out(), kfifo_skip(),
 * kfifo_in_spinlocked(), kfifo_out_spinlocked(),
 * kfifo_in_spinlocked_noirqsave(), kfifo_out_spinlocked_noirqsave(),
 * kfifo_is_empty_spinlocked(), kfifo_is_full_spinlocked(), and the older
 * kfifo_in_locked()/kfifo_out_locked().
 *
 * As in the kernel, the element type is checked: kfifo_put() takes a
 * value of it, kfifo_get() and kfifo_peek() a pointer to it, kfifo_in()
 * and kfifo_out() a pointer to an array of it, and counts are in
 * elements. kfifo_alloc() rounds the size up to a power of two,
 * kfifo_init() takes a buffer size in bytes and rounds the element count
 * down. One producer and one consumer need no lock (the library's ring
 * is lock-free with the right barriers, and a hardirq handler may be the
 * producer); more on one side use the _spinlocked forms. kfifo_out(),
 * kfifo_get() and kfifo_peek() results must be used (__must_check).
 *
 * Not provided: the record fifos (DECLARE_KFIFO with a record size,
 * kfifo_rec_ptr_1 ...), kfifo_to_user()/kfifo_from_user() and the DMA
 * helpers.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_KFIFO_H
#define USOFTIRQ_KCOMPAT_LINUX_KFIFO_H

#include <string.h>

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <usoftirq/kfifo.h>

#define __kfifo usoftirq_kfifo

/*
 * The union gives the typed macros their types: @type and @const_type the
 * element type, @ptr and @ptr_const the type kfifo_in()/kfifo_out()
 * buffers point to (void for struct kfifo).
 */
#define __STRUCT_KFIFO_COMMON(datatype, ptrtype) \
	union {                                  \
		struct usoftirq_kfifo kfifo;     \
		datatype *type;                  \
		const datatype *const_type;      \
		ptrtype *ptr;                    \
		ptrtype const *ptr_const;        \
	}

#define __STRUCT_KFIFO(type, size, ptrtype)                                    \
	{                                                                      \
		__STRUCT_KFIFO_COMMON(type, ptrtype);                          \
		type buf[((size) < 2) || ((size) & ((size)-1)) ? -1 : (size)]; \
	}
#define STRUCT_KFIFO(type, size) struct __STRUCT_KFIFO(type, size, type)

#define __STRUCT_KFIFO_PTR(type, ptrtype)             \
	{                                             \
		__STRUCT_KFIFO_COMMON(type, ptrtype); \
		type buf[0];                          \
	}
#define STRUCT_KFIFO_PTR(type) struct __STRUCT_KFIFO_PTR(type, type)

/* struct kfifo - a byte fifo whose buffer is allocated or given. */
struct kfifo __STRUCT_KFIFO_PTR(unsigned char, void);

#define DECLARE_KFIFO_PTR(fifo, type) STRUCT_KFIFO_PTR(type) fifo
#define DECLARE_KFIFO(fifo, type, size) STRUCT_KFIFO(type, size) fifo

/* __is_kfifo_ptr() - true for a fifo without an embedded buffer. */
#define __is_kfifo_ptr(fifo) \
	(sizeof(*(fifo)) == sizeof(STRUCT_KFIFO_PTR(__typeof__(*(fifo)->type))))

/* INIT_KFIFO() - make a DECLARE_KFIFO() fifo empty and usable. */
#define INIT_KFIFO(fifo)                                                \
	do {                                                            \
		__typeof__(&(fifo)) usoftirq__kc_f = &(fifo);           \
		struct usoftirq_kfifo *usoftirq__kc_k =                 \
			&usoftirq__kc_f->kfifo;                         \
		memset(usoftirq__kc_k, 0, sizeof(*usoftirq__kc_k));     \
		usoftirq__kc_k->mask =                                  \
			__is_kfifo_ptr(usoftirq__kc_f) ?                \
				0 :                                     \
				ARRAY_SIZE(usoftirq__kc_f->buf) - 1;    \
		usoftirq__kc_k->esize = sizeof(*usoftirq__kc_f->buf);   \
		usoftirq__kc_k->data = __is_kfifo_ptr(usoftirq__kc_f) ? \
					       NULL :                   \
					       usoftirq__kc_f->buf;     \
	} while (0)

/* DEFINE_KFIFO() - declare and initialise a fifo (also at file scope). */
#define DEFINE_KFIFO(fifo, type, size) \
	DECLARE_KFIFO(fifo, type, size) = {                               \
		.kfifo = {                                                \
			.in = 0,                                          \
			.out = 0,                                         \
			.mask = __is_kfifo_ptr(&(fifo)) ?                 \
					0 :                               \
					ARRAY_SIZE((fifo).buf) - 1,       \
			.esize = sizeof(*(fifo).buf),                     \
			.data = __is_kfifo_ptr(&(fifo)) ? NULL : (fifo).buf, \
		},                                                        \
	}

/* A result the caller must use, as the kernel's kfifo_out() family's. */
static inline unsigned int __must_check
usoftirq__kc_kfifo_uint_must_check(unsigned int val)
{
	return val;
}

static inline int __must_check usoftirq__kc_kfifo_int_must_check(int val)
{
	return val;
}

#define kfifo_initialized(fifo) (!!(fifo)->kfifo.mask)
#define kfifo_esize(fifo) ((fifo)->kfifo.esize)
#define kfifo_recsize(fifo) 0
#define kfifo_size(fifo) usoftirq_kfifo_size(&(fifo)->kfifo)
#define kfifo_len(fifo) usoftirq_kfifo_len(&(fifo)->kfifo)
#define kfifo_avail(fifo) usoftirq_kfifo_avail(&(fifo)->kfifo)
#define kfifo_is_empty(fifo) usoftirq_kfifo_is_empty(&(fifo)->kfifo)
#define kfifo_is_full(fifo) usoftirq_kfifo_is_full(&(fifo)->kfifo)
#define kfifo_reset(fifo) usoftirq_kfifo_reset(&(fifo)->kfifo)

/* kfifo_reset_out() - drop the contents (consumer side only). */
#define kfifo_reset_out(fifo)                                           \
	do {                                                            \
		struct usoftirq_kfifo *usoftirq__kc_k = &(fifo)->kfifo; \
		__atomic_store_n(&usoftirq__kc_k->out,                  \
				 __atomic_load_n(&usoftirq__kc_k->in,   \
						 __ATOMIC_ACQUIRE),     \
				 __ATOMIC_RELEASE);                     \
	} while (0)

/* kfifo_skip() - drop the oldest element (consumer side only). */
#define kfifo_skip(fifo)                                          \
	do {                                                      \
		if (!usoftirq_kfifo_is_empty(&(fifo)->kfifo))     \
			__atomic_fetch_add(&(fifo)->kfifo.out, 1, \
					   __ATOMIC_RELEASE);     \
	} while (0)

#define kfifo_is_empty_spinlocked(fifo, lock)                  \
	({                                                     \
		unsigned long usoftirq__kc_fl;                 \
		bool usoftirq__kc_r;                           \
		spin_lock_irqsave(lock, usoftirq__kc_fl);      \
		usoftirq__kc_r = kfifo_is_empty(fifo);         \
		spin_unlock_irqrestore(lock, usoftirq__kc_fl); \
		usoftirq__kc_r;                                \
	})
#define kfifo_is_full_spinlocked(fifo, lock)                   \
	({                                                     \
		unsigned long usoftirq__kc_fl;                 \
		bool usoftirq__kc_r;                           \
		spin_lock_irqsave(lock, usoftirq__kc_fl);      \
		usoftirq__kc_r = kfifo_is_full(fifo);          \
		spin_unlock_irqrestore(lock, usoftirq__kc_fl); \
		usoftirq__kc_r;                                \
	})

/* ------------------------------------------------------------------ */
/* Buffers                                                             */
/* ------------------------------------------------------------------ */

/* kfifo_alloc() - a buffer of @size elements, rounded up to a power of 2. */
#define kfifo_alloc(fifo, size, gfp_mask)                                     \
	usoftirq__kc_kfifo_int_must_check(({                                  \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);               \
		(void)(gfp_t)(gfp_mask);                                      \
		__is_kfifo_ptr(usoftirq__kc_f) ?                              \
			usoftirq_kfifo_alloc(&usoftirq__kc_f->kfifo, (size),  \
					     sizeof(*usoftirq__kc_f->type)) : \
			-EINVAL;                                              \
	}))

#define kfifo_free(fifo)                                             \
	do {                                                         \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);      \
		if (__is_kfifo_ptr(usoftirq__kc_f))                  \
			usoftirq_kfifo_free(&usoftirq__kc_f->kfifo); \
	} while (0)

/* kfifo_init() - use @buffer of @size bytes; the element count is
 * rounded down to a power of 2. */
#define kfifo_init(fifo, buffer, size)                                         \
	({                                                                     \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);                \
		__is_kfifo_ptr(usoftirq__kc_f) ?                               \
			usoftirq_kfifo_init(                                   \
				&usoftirq__kc_f->kfifo, (buffer),              \
				(unsigned int)((size) /                        \
					       sizeof(*usoftirq__kc_f->type)), \
				sizeof(*usoftirq__kc_f->type)) :               \
			-EINVAL;                                               \
	})

/* ------------------------------------------------------------------ */
/* Elements in and out                                                 */
/* ------------------------------------------------------------------ */

/* kfifo_put() - add the value @val; 1 if added, 0 if the fifo was full. */
#define kfifo_put(fifo, val)                                                   \
	({                                                                     \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);                \
		__typeof__(*usoftirq__kc_f->const_type) usoftirq__kc_v =       \
			(val);                                                 \
		usoftirq_kfifo_in(&usoftirq__kc_f->kfifo, &usoftirq__kc_v, 1); \
	})

/* kfifo_get() - take one element into *@val; 1 if there was one. */
#define kfifo_get(fifo, val)                                                   \
	usoftirq__kc_kfifo_uint_must_check(({                                  \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);                \
		__typeof__(usoftirq__kc_f->ptr) usoftirq__kc_v = (val);        \
		usoftirq_kfifo_out(&usoftirq__kc_f->kfifo, usoftirq__kc_v, 1); \
	}))

/* kfifo_peek() - copy the oldest element into *@val without taking it. */
#define kfifo_peek(fifo, val)                                           \
	usoftirq__kc_kfifo_uint_must_check(({                           \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);         \
		__typeof__(usoftirq__kc_f->ptr) usoftirq__kc_v = (val); \
		usoftirq_kfifo_out_peek(&usoftirq__kc_f->kfifo,         \
					usoftirq__kc_v, 1);             \
	}))

/* kfifo_in() - add up to @n elements from @buf; the number added. */
#define kfifo_in(fifo, buf, n)                                                \
	({                                                                    \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);               \
		__typeof__(usoftirq__kc_f->ptr_const) usoftirq__kc_b = (buf); \
		usoftirq_kfifo_in(&usoftirq__kc_f->kfifo, usoftirq__kc_b,     \
				  (n));                                       \
	})

/* kfifo_out() - take up to @n elements into @buf; the number taken. */
#define kfifo_out(fifo, buf, n)                                            \
	usoftirq__kc_kfifo_uint_must_check(({                              \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);            \
		__typeof__(usoftirq__kc_f->ptr) usoftirq__kc_b = (buf);    \
		usoftirq_kfifo_out(&usoftirq__kc_f->kfifo, usoftirq__kc_b, \
				   (n));                                   \
	}))

/* kfifo_out_peek() - copy up to @n elements without taking them. */
#define kfifo_out_peek(fifo, buf, n)                                    \
	usoftirq__kc_kfifo_uint_must_check(({                           \
		__typeof__((fifo) + 1) usoftirq__kc_f = (fifo);         \
		__typeof__(usoftirq__kc_f->ptr) usoftirq__kc_b = (buf); \
		usoftirq_kfifo_out_peek(&usoftirq__kc_f->kfifo,         \
					usoftirq__kc_b, (n));           \
	}))

/* The _spinlocked forms: kfifo_in()/kfifo_out() under spin_lock_irqsave(). */
#define kfifo_in_spinlocked(fifo, buf, n, lock)                \
	({                                                     \
		unsigned long usoftirq__kc_fl;                 \
		unsigned int usoftirq__kc_r;                   \
		spin_lock_irqsave(lock, usoftirq__kc_fl);      \
		usoftirq__kc_r = kfifo_in(fifo, buf, n);       \
		spin_unlock_irqrestore(lock, usoftirq__kc_fl); \
		usoftirq__kc_r;                                \
	})
#define kfifo_in_spinlocked_noirqsave(fifo, buf, n, lock) \
	({                                                \
		unsigned int usoftirq__kc_r;              \
		spin_lock(lock);                          \
		usoftirq__kc_r = kfifo_in(fifo, buf, n);  \
		spin_unlock(lock);                        \
		usoftirq__kc_r;                           \
	})
#define kfifo_out_spinlocked(fifo, buf, n, lock)               \
	usoftirq__kc_kfifo_uint_must_check(({                  \
		unsigned long usoftirq__kc_fl;                 \
		unsigned int usoftirq__kc_r;                   \
		spin_lock_irqsave(lock, usoftirq__kc_fl);      \
		usoftirq__kc_r = kfifo_out(fifo, buf, n);      \
		spin_unlock_irqrestore(lock, usoftirq__kc_fl); \
		usoftirq__kc_r;                                \
	}))
#define kfifo_out_spinlocked_noirqsave(fifo, buf, n, lock) \
	usoftirq__kc_kfifo_uint_must_check(({              \
		unsigned int usoftirq__kc_r;               \
		spin_lock(lock);                           \
		usoftirq__kc_r = kfifo_out(fifo, buf, n);  \
		spin_unlock(lock);                         \
		usoftirq__kc_r;                            \
	}))
#define kfifo_in_locked(fifo, buf, n, lock) \
	kfifo_in_spinlocked(fifo, buf, n, lock)
#define kfifo_out_locked(fifo, buf, n, lock) \
	kfifo_out_spinlocked(fifo, buf, n, lock)

#endif /* USOFTIRQ_KCOMPAT_LINUX_KFIFO_H */
