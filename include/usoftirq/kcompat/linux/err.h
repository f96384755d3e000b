/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/err.h>: error codes carried in pointers.
 * ERR_PTR(-ENOMEM) is a pointer into the last page of the address space,
 * which no object occupies; IS_ERR() recognises it and PTR_ERR() gives the
 * code back. MAX_ERRNO, IS_ERR_VALUE(), ERR_PTR(), PTR_ERR(), IS_ERR(),
 * IS_ERR_OR_NULL(), ERR_CAST() and PTR_ERR_OR_ZERO() behave as the
 * kernel's.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_ERR_H
#define USOFTIRQ_KCOMPAT_LINUX_ERR_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) \
	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *__must_check usoftirq__kc_err_ptr(long error)
{
	return (void *)error;
}

static inline long __must_check usoftirq__kc_ptr_err(const void *ptr)
{
	return (long)ptr;
}

static inline bool __must_check usoftirq__kc_is_err(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool __must_check usoftirq__kc_is_err_or_null(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

/* ERR_CAST() - an error pointer of one type as a pointer of another. */
static inline void *__must_check usoftirq__kc_err_cast(const void *ptr)
{
	return (void *)ptr;
}

/* PTR_ERR_OR_ZERO() - the error code of ptr, or 0 if it is not one. */
static inline int __must_check usoftirq__kc_ptr_err_or_zero(const void *ptr)
{
	return usoftirq__kc_is_err(ptr) ? (int)usoftirq__kc_ptr_err(ptr) : 0;
}

#define ERR_PTR usoftirq__kc_err_ptr
#define PTR_ERR usoftirq__kc_ptr_err
#define IS_ERR usoftirq__kc_is_err
#define IS_ERR_OR_NULL usoftirq__kc_is_err_or_null
#define ERR_CAST usoftirq__kc_err_cast
#define PTR_ERR_OR_ZERO usoftirq__kc_ptr_err_or_zero

#endif /* USOFTIRQ_KCOMPAT_LINUX_ERR_H */
