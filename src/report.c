/* SPDX-License-Identifier: MIT */
/*
 * Reports and fatal errors.
 *
 * Reports can be made from hardirq handlers, which run inside a signal
 * handler, so nothing here allocates, locks or calls stdio: messages are
 * formatted by a small printf subset into stack buffers and written with
 * write(2), or handed to the user's handler.
 *
 * Line format (the kernel's "WARNING: CPU: 0 PID: 1 ..." header, shortened
 * to one line):
 *
 *   usoftirq: [WARNING: ]CPU: <vcpu> PID: <tid> Comm: <name>: <text>
 *   usoftirq: <second line of text>   (for multi-line texts)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "machine.h"
#include "report.h"
#include "thread.h"

static const char *const kind_names[USOFTIRQ_REPORT_NR_KINDS] = {
	[USOFTIRQ_REPORT_TASKLET_SCHED_NOT_SET] = "TASKLET_SCHED_NOT_SET",
	[USOFTIRQ_REPORT_TASKLET_KILL_FROM_INTERRUPT] =
		"TASKLET_KILL_FROM_INTERRUPT",
	[USOFTIRQ_REPORT_TASKLET_SELF_WAIT] = "TASKLET_SELF_WAIT",
	[USOFTIRQ_REPORT_TASKLET_WAIT_DEADLOCK] = "TASKLET_WAIT_DEADLOCK",
	[USOFTIRQ_REPORT_TASKLET_KILL_DISABLED] = "TASKLET_KILL_DISABLED",
	[USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE] =
		"TASKLET_UNBALANCED_ENABLE",
	[USOFTIRQ_REPORT_SLEEP_IN_ATOMIC] = "SLEEP_IN_ATOMIC",
	[USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK] = "SOFTIRQ_PREEMPT_LEAK",
	[USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER] = "SOFTIRQ_NO_HANDLER",
	[USOFTIRQ_REPORT_BH_IN_HARDIRQ] = "BH_IN_HARDIRQ",
	[USOFTIRQ_REPORT_BH_UNBALANCED] = "BH_UNBALANCED",
	[USOFTIRQ_REPORT_PREEMPT_UNBALANCED] = "PREEMPT_UNBALANCED",
	[USOFTIRQ_REPORT_DESTROY_PENDING] = "DESTROY_PENDING",
	[USOFTIRQ_REPORT_INVALID_ARGUMENT] = "INVALID_ARGUMENT",
	[USOFTIRQ_REPORT_BH_ENABLE_IRQS_OFF] = "BH_ENABLE_IRQS_OFF",
	[USOFTIRQ_REPORT_IRQ_REQUEST_INVALID] = "IRQ_REQUEST_INVALID",
	[USOFTIRQ_REPORT_IRQ_FLAGS_MISMATCH] = "IRQ_FLAGS_MISMATCH",
	[USOFTIRQ_REPORT_IRQ_REQUEST_FAILED] = "IRQ_REQUEST_FAILED",
	[USOFTIRQ_REPORT_IRQ_UNBALANCED_ENABLE] = "IRQ_UNBALANCED_ENABLE",
	[USOFTIRQ_REPORT_IRQ_ENABLE_BEFORE_SETUP] = "IRQ_ENABLE_BEFORE_SETUP",
	[USOFTIRQ_REPORT_IRQ_FREE_FROM_INTERRUPT] = "IRQ_FREE_FROM_INTERRUPT",
	[USOFTIRQ_REPORT_IRQ_FREE_ALREADY_FREE] = "IRQ_FREE_ALREADY_FREE",
	[USOFTIRQ_REPORT_IRQ_WAKE_THREAD_NO_THREAD] =
		"IRQ_WAKE_THREAD_NO_THREAD",
	[USOFTIRQ_REPORT_IRQ_HANDLER_ENABLED_IRQS] = "IRQ_HANDLER_ENABLED_IRQS",
	[USOFTIRQ_REPORT_IRQ_NOBODY_CARED] = "IRQ_NOBODY_CARED",
	[USOFTIRQ_REPORT_IRQ_BOGUS_RETURN] = "IRQ_BOGUS_RETURN",
	[USOFTIRQ_REPORT_IRQ_LEVEL_STUCK] = "IRQ_LEVEL_STUCK",
	[USOFTIRQ_REPORT_IRQ_SELF_WAIT] = "IRQ_SELF_WAIT",
	[USOFTIRQ_REPORT_LOCK_INCONSISTENT] = "LOCK_INCONSISTENT",
	[USOFTIRQ_REPORT_LOCK_RECURSION] = "LOCK_RECURSION",
	[USOFTIRQ_REPORT_MMIO_BAD_ACCESS] = "MMIO_BAD_ACCESS",
	[USOFTIRQ_REPORT_MMIO_REENTRY] = "MMIO_REENTRY",
	[USOFTIRQ_REPORT_DEVICE] = "DEVICE",
	[USOFTIRQ_REPORT_MUTEX_MISUSE] = "MUTEX_MISUSE",
	[USOFTIRQ_REPORT_WARN] = "WARN",
	[USOFTIRQ_REPORT_MUTEX_IN_INTERRUPT] = "MUTEX_IN_INTERRUPT",
};

static _Atomic unsigned long report_counts[USOFTIRQ_REPORT_NR_KINDS];
/* "Once" bits for reports made by threads that have no machine. */
static _Atomic uint64_t reported_once_global;

struct report_handler {
	usoftirq_report_fn fn;
	void *arg;
};
/* Published whole with release, read with acquire. */
static _Atomic(struct report_handler *) report_handler;
static struct report_handler handler_slots[2];
static unsigned int handler_slot;

const char *usoftirq_report_kind_name(enum usoftirq_report_kind kind)
{
	return (unsigned int)kind < USOFTIRQ_REPORT_NR_KINDS ?
		       kind_names[kind] :
		       "UNKNOWN";
}

unsigned long usoftirq_report_count(enum usoftirq_report_kind kind)
{
	if ((unsigned int)kind >= USOFTIRQ_REPORT_NR_KINDS)
		return 0;
	return atomic_load_explicit(&report_counts[kind], memory_order_relaxed);
}

void usoftirq_set_report_handler(usoftirq_report_fn fn, void *arg)
{
	struct report_handler *h = NULL;

	if (fn) {
		/* Two slots, so a report in progress on another thread keeps
		 * a consistent pair while the next one is written. */
		handler_slot ^= 1;
		h = &handler_slots[handler_slot];
		h->fn = fn;
		h->arg = arg;
	}
	atomic_store_explicit(&report_handler, h, memory_order_release);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static bool first_time(struct usoftirq_machine *m,
		       enum usoftirq_report_kind kind)
{
	_Atomic uint64_t *once = m ? &m->reported_once : &reported_once_global;
	uint64_t bit = 1ull << kind;

	return !(atomic_fetch_or_explicit(once, bit, memory_order_relaxed) &
		 bit);
}

/* For reports made by threads that have no machine. */
static _Atomic uint64_t ratelimit_global_ns;

/* At most one report a second per machine, as __might_resched(). */
static bool ratelimit_allows(struct usoftirq_machine *m)
{
	_Atomic uint64_t *stamp = m ? &m->sleep_report_ns :
				      &ratelimit_global_ns;
	uint64_t now = usoftirq__now_ns();
	uint64_t last = atomic_load_explicit(stamp, memory_order_relaxed);

	if (last && now - last < 1000000000u)
		return false;
	return atomic_compare_exchange_strong_explicit(
		stamp, &last, now, memory_order_relaxed, memory_order_relaxed);
}

/* Prefix every line of @text; the first gets the context header. */
static size_t build_line(char *line, size_t size, const char *header,
			 const char *text)
{
	size_t len = usoftirq__format(line, size, "usoftirq: %s", header);

	for (const char *p = text; *p; p++) {
		if (len + 12 >= size)
			break;
		line[len++] = *p;
		if (*p == '\n' && p[1])
			len += usoftirq__format(line + len, size - len,
						"usoftirq: ");
	}
	if (len + 1 < size)
		line[len++] = '\n';
	line[len < size ? len : size - 1] = '\0';
	return len;
}

static void deliver(struct usoftirq_report *r, char *line, size_t len)
{
	struct report_handler *h =
		atomic_load_explicit(&report_handler, memory_order_acquire);

	r->line = line;
	if (h)
		h->fn(r, h->arg);
	else
		write_all(STDERR_FILENO, line, len);
}

void usoftirq__report(enum usoftirq_report_kind kind,
		      enum usoftirq_report_level level,
		      const struct usoftirq_tasklet *tasklet,
		      unsigned int flags, const char *fmt, ...)
{
	struct usoftirq__thread *th = usoftirq__self();
	struct usoftirq_machine *m = usoftirq__thread_machine(th);
	struct usoftirq__cpu *cpu = usoftirq__this_cpu(th);
	char text[1024], header[160], line[1600], comm[17] = "";
	struct usoftirq_report r;
	va_list ap;
	int saved = errno;

	atomic_fetch_add_explicit(&report_counts[kind], 1,
				  memory_order_relaxed);
	if (((flags & USOFTIRQ__REPORT_ONCE) && !first_time(m, kind)) ||
	    ((flags & USOFTIRQ__REPORT_RATELIMIT) && !ratelimit_allows(m)))
		return;
	va_start(ap, fmt);
	usoftirq__vformat(text, sizeof(text), fmt, ap);
	va_end(ap);
	(void)prctl(PR_GET_NAME, comm);
	r = (struct usoftirq_report){
		.kind = kind,
		.level = level,
		.cpu = cpu ? (int)cpu->index : -1,
		.tid = usoftirq__thread_tid(th),
		.comm = comm,
		.tasklet = tasklet,
		.text = text,
	};
	usoftirq__format(header, sizeof(header), "%sCPU: %d PID: %d Comm: %s: ",
			 level == USOFTIRQ_REPORT_WARNING ? "WARNING: " : "",
			 r.cpu, r.tid, comm);
	deliver(&r, line, build_line(line, sizeof(line), header, text));
	errno = saved;
}

void usoftirq_warn(const char *file, int line, const void *caller,
		   const char *fmt, ...)
{
	char msg[768] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		usoftirq__vformat(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	if (caller)
		usoftirq__report(USOFTIRQ_REPORT_WARN, USOFTIRQ_REPORT_WARNING,
				 NULL, 0, "at %s:%d %pS%s%s", file, line,
				 caller, msg[0] ? ": " : "", msg);
	else
		usoftirq__report(USOFTIRQ_REPORT_WARN, USOFTIRQ_REPORT_WARNING,
				 NULL, 0, "at %s:%d%s%s", file, line,
				 msg[0] ? ": " : "", msg);
}

/* ------------------------------------------------------------------ */
/* Fatal errors                                                        */
/* ------------------------------------------------------------------ */

void usoftirq__fatal(const char *file, int line, const char *fmt, ...)
{
	char msg[512], out[700];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	usoftirq__vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = usoftirq__format(out, sizeof(out), "usoftirq: fatal: %s (%s:%d)\n",
			     msg, file, line);
	write_all(STDERR_FILENO, out, n < sizeof(out) ? n : sizeof(out) - 1);
	abort();
}

const char *usoftirq__errno_name(int err)
{
	switch (err) {
	case EPERM:
		return "EPERM";
	case ESRCH:
		return "ESRCH";
	case EINTR:
		return "EINTR";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case EFAULT:
		return "EFAULT";
	case EINVAL:
		return "EINVAL";
	case ENOSYS:
		return "ENOSYS";
	case EDEADLK:
		return "EDEADLK";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case EBUSY:
		return "EBUSY";
	case ENOTCONN:
		return "ENOTCONN";
	case ENOENT:
		return "ENOENT";
	case ENODEV:
		return "ENODEV";
	case ENXIO:
		return "ENXIO";
	default:
		return "errno";
	}
}

void usoftirq__die(const char *file, int line, const char *what, int err)
{
	usoftirq__fatal(file, line, "%s failed: %s (%d)", what,
			usoftirq__errno_name(err), err);
}
