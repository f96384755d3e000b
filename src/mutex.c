/* SPDX-License-Identifier: MIT */
/*
 * Sleeping mutexes: the library's futex lock (src/lock.h: @word is 0 free,
 * 1 held, 2 held with sleepers, after Drepper's "Futexes Are Tricky"),
 * plus the owner's thread id and call site for reports.
 *
 * @owner (0, or the holder's kernel thread id) and @owner_ip are written
 * only by the holder: set right after taking @word, cleared right before
 * releasing it. They are relaxed atomics: other threads read them only
 * for reports and tests, and a thread reading its own id there knows it
 * holds the mutex (nobody else writes its id), which is what the
 * recursion and wrong-owner checks rely on.
 *
 * Fast paths: lock is one CAS on @word plus two plain stores, unlock one
 * exchange plus two plain stores; no system call unless the lock is
 * contended (a thread's id is read once per thread with gettid() and then
 * cached). The might_sleep() check is a thread-local load.
 */
#include <errno.h>

#include <usoftirq/sleep.h>

#include "lock.h"
#include "report.h"
#include "thread.h"
#include "wait.h"

#define CALLER __builtin_return_address(0)

void usoftirq_mutex_init(struct usoftirq_mutex *lock, const char *name)
{
	__atomic_store_n(&lock->word, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_ip, NULL, __ATOMIC_RELAXED);
	lock->name = name ? name : "mutex";
}

static const char *mutex_name(const struct usoftirq_mutex *lock)
{
	return lock->name ? lock->name : "mutex";
}

static int owner_of(const struct usoftirq_mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
}

static void set_owner(struct usoftirq_mutex *lock, int tid, const void *ip)
{
	__atomic_store_n(&lock->owner, tid, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_ip, ip, __ATOMIC_RELAXED);
}

/*
 * The caller holds @lock and asks for it again: no event can end the
 * wait, so report it as lockdep would and abort (the kernel hangs).
 */
__attribute__((noreturn)) static void die_recursive(struct usoftirq_mutex *lock,
						    int me, const void *ip)
{
	struct usoftirq__thread *th = usoftirq__self();
	char here[160], held[160];

	usoftirq__report(
		USOFTIRQ_REPORT_MUTEX_MISUSE, USOFTIRQ_REPORT_BUG, th->running,
		0,
		"possible recursive locking detected\n"
		"thread %d is trying to acquire mutex:\n"
		"(%s), at: %s\n"
		"but task is already holding mutex:\n"
		"(%s), at: %s\n"
		" *** DEADLOCK ***%s",
		me, mutex_name(lock),
		usoftirq__symbolize(ip, here, sizeof(here), USOFTIRQ__SYM_FULL),
		mutex_name(lock),
		usoftirq__symbolize(__atomic_load_n(&lock->owner_ip,
						    __ATOMIC_RELAXED),
				    held, sizeof(held), USOFTIRQ__SYM_FULL),
		(th->preempt_count & USOFTIRQ_HARDIRQ_MASK) ?
			"\nby the code this IRQ handler interrupted" :
			"");
	usoftirq__fatal(__FILE__, __LINE__,
			"deadlock on mutex %s (see the report above)",
			mutex_name(lock));
}

/* The common start of the sleeping lock calls; returns the caller's id. */
static int lock_begin(struct usoftirq_mutex *lock, const void *ip)
{
	struct usoftirq__thread *th = usoftirq__self();
	int me = usoftirq__thread_tid(th);

	usoftirq__might_sleep(__FILE__, __LINE__, ip);
	if (usoftirq__unlikely(owner_of(lock) == me))
		die_recursive(lock, me, ip);
	return me;
}

void usoftirq_mutex_lock(struct usoftirq_mutex *lock)
{
	int me = lock_begin(lock, CALLER);

	usoftirq__lock(&lock->word);
	set_owner(lock, me, CALLER);
}

/*
 * The slow path of src/lock.c, with a sleep a signal can end: mark the
 * word "held with sleepers" and sleep while it stays so. Acquire: pairs
 * with the release in usoftirq__unlock().
 */
static int lock_slow_interruptible(struct usoftirq_mutex *lock)
{
	while (__atomic_exchange_n(&lock->word, 2, __ATOMIC_ACQUIRE) != 0)
		if (usoftirq__futex_wait_until(&lock->word, 2, 0) == -EINTR)
			return -EINTR;
	return 0;
}

int usoftirq_mutex_lock_interruptible(struct usoftirq_mutex *lock)
{
	int me = lock_begin(lock, CALLER);

	if (!usoftirq__lock_try(&lock->word) &&
	    lock_slow_interruptible(lock) != 0)
		return -EINTR;
	set_owner(lock, me, CALLER);
	return 0;
}

/*
 * mutex_trylock() and mutex_unlock() "must not be used in interrupt
 * context" (their kernel-doc in kernel/locking/mutex.c): a mutex's owner
 * is a task, and a softirq or hardirq borrows whatever task it
 * interrupted. The kernel does not check it; here it is reported once
 * per machine (the call then proceeds, as in the kernel). A BH-disabled
 * section is task context for this purpose, as it is for the kernel's
 * owner tracking.
 */
static void check_not_in_interrupt(const struct usoftirq_mutex *lock,
				   const char *call, const void *ip)
{
	struct usoftirq__thread *th = usoftirq__self();
	char here[160];

	if (usoftirq__likely(!(th->preempt_count & (USOFTIRQ_HARDIRQ_MASK |
						    USOFTIRQ_SOFTIRQ_OFFSET))))
		return;
	usoftirq__report(
		USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT, USOFTIRQ_REPORT_WARNING,
		th->running, USOFTIRQ__REPORT_ONCE,
		"%s() of mutex %s in %s context at %s: mutexes must not be "
		"used in interrupt context (a mutex's owner is a task); use "
		"a spinlock, or defer the work to a task",
		call, mutex_name(lock),
		(th->preempt_count & USOFTIRQ_HARDIRQ_MASK) ? "hardirq" :
							      "softirq",
		usoftirq__symbolize(ip, here, sizeof(here),
				    USOFTIRQ__SYM_FULL));
}

bool usoftirq_mutex_trylock(struct usoftirq_mutex *lock)
{
	check_not_in_interrupt(lock, "mutex_trylock", CALLER);
	if (!usoftirq__lock_try(&lock->word))
		return false;
	set_owner(lock, usoftirq__thread_tid(usoftirq__self()), CALLER);
	return true;
}

static void report_bad_unlock(struct usoftirq_mutex *lock, int me, bool held,
			      int owner, const void *ip)
{
	char here[160], whose[96];

	if (held)
		usoftirq__format(whose, sizeof(whose),
				 "thread %d; released anyway, as the kernel "
				 "does",
				 owner);
	usoftirq__report(
		USOFTIRQ_REPORT_MUTEX_MISUSE, USOFTIRQ_REPORT_WARNING,
		usoftirq__self()->running, 0,
		"DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current)\n"
		"mutex_unlock() of mutex %s by thread %d at %s, %s%s",
		mutex_name(lock), me,
		usoftirq__symbolize(ip, here, sizeof(here), USOFTIRQ__SYM_FULL),
		held ? "which is held by " : "which is not locked; ignored",
		held ? whose : "");
}

void usoftirq_mutex_unlock(struct usoftirq_mutex *lock)
{
	int me = usoftirq__thread_tid(usoftirq__self());
	int owner = owner_of(lock);
	bool held;

	check_not_in_interrupt(lock, "mutex_unlock", CALLER);
	if (usoftirq__unlikely(owner != me)) {
		held = usoftirq__lock_is_held(&lock->word);
		report_bad_unlock(lock, me, held, owner, CALLER);
		/* The kernel releases a mutex for whoever unlocks it. */
		if (!held)
			return;
	}
	set_owner(lock, 0, NULL);
	usoftirq__unlock(&lock->word);
}

bool usoftirq_mutex_is_locked(struct usoftirq_mutex *lock)
{
	return usoftirq__lock_is_held(&lock->word);
}
