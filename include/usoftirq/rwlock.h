/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer spin locks (the kernel's rwlock_t): many readers or one
 * writer, with the same context forms as spin locks (_bh, _irq,
 * _irqsave). As in the kernel, readers may nest and a reader never waits
 * for a writer that is only waiting (so a hardirq handler taking the read
 * lock cannot deadlock against a waiting writer on its own vCPU); writers
 * can therefore be starved by a continuous stream of readers.
 *
 * Like spin locks, they spin briefly and then sleep on a futex, take part
 * in the lockdep usage checks (a lock written with interrupts enabled and
 * read in a hardirq handler is reported as an inconsistent lock state),
 * and a writer re-taking its own lock is reported and aborts.
 */
#ifndef USOFTIRQ_RWLOCK_H
#define USOFTIRQ_RWLOCK_H

#include <usoftirq/common.h>

USOFTIRQ_BEGIN_DECLS

/**
 * struct usoftirq_rwlock - a reader-writer lock.
 * @word: private: reader count, WAITERS (bit 30), WRITER (bit 31).
 * @writer: private: thread id of the writer, 0 if none.
 * @name: private: the name for reports.
 * @usage: private: lockdep usage bits.
 * @writer_ip: private: where the writer took it.
 * @usage_ip: private: where each usage was first seen.
 */
typedef struct usoftirq_rwlock {
	unsigned int word;
	int writer;
	const char *name;
	unsigned int usage;
	const void *writer_ip;
	const void *usage_ip[4];
} usoftirq_rwlock_t;

/** USOFTIRQ_RWLOCK_INIT() - static initialiser; @lockname names it. */
#define USOFTIRQ_RWLOCK_INIT(lockname)         \
	{                                      \
		0, 0, #lockname, 0, NULL,      \
		{                              \
			NULL, NULL, NULL, NULL \
		}                              \
	}

/** usoftirq_rwlock_init() - initialise; @name is used in reports. */
USOFTIRQ_API void usoftirq_rwlock_init(usoftirq_rwlock_t *lock,
				       const char *name);

/* Each form adds PREEMPT_OFFSET like the spin lock forms, and the _bh,
 * _irq and _irqsave forms do what the spin lock ones do. Context: any for
 * the plain and interrupt forms, task or softirq for the _bh forms. */
USOFTIRQ_API void usoftirq_read_lock(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_read_unlock(usoftirq_rwlock_t *lock);
USOFTIRQ_API bool usoftirq_read_trylock(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_lock(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_unlock(usoftirq_rwlock_t *lock);
USOFTIRQ_API bool usoftirq_write_trylock(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_read_lock_bh(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_read_unlock_bh(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_lock_bh(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_unlock_bh(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_read_lock_irq(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_read_unlock_irq(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_lock_irq(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_unlock_irq(usoftirq_rwlock_t *lock);
USOFTIRQ_API unsigned long usoftirq_read_lock_irqsave(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_read_unlock_irqrestore(usoftirq_rwlock_t *lock,
						  unsigned long flags);
USOFTIRQ_API unsigned long usoftirq_write_lock_irqsave(usoftirq_rwlock_t *lock);
USOFTIRQ_API void usoftirq_write_unlock_irqrestore(usoftirq_rwlock_t *lock,
						   unsigned long flags);

USOFTIRQ_END_DECLS

#endif /* USOFTIRQ_RWLOCK_H */
