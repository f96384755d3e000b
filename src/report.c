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
};

static _Atomic unsigned long report_counts[USOFTIRQ_REPORT_NR_KINDS];
/* "Once" bits for reports made by threads that have no machine. */
static _Atomic uint32_t reported_once_global;

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
/* A printf subset                                                     */
/* ------------------------------------------------------------------ */

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_str(struct out *o, const char *s, int width, bool left)
{
	int n = (int)strlen(s);

	if (!left)
		out_pad(o, ' ', width - n);
	while (*s)
		out_char(o, *s++);
	if (left)
		out_pad(o, ' ', width - n);
}

static void out_num(struct out *o, unsigned long long v, bool neg,
		    unsigned int base, int width, char pad, bool left)
{
	char digits[24];
	int n = 0, len;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		digits[n++] = '-';
	len = n;
	if (!left)
		out_pad(o, pad, width - len);
	while (n)
		out_char(o, digits[--n]);
	if (left)
		out_pad(o, ' ', width - len);
}

struct spec {
	bool left;
	char pad;
	int width;
	int longs;
	bool size_t_mod;
};

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){ .pad = ' ' };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->pad = '0';
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	for (;; f++) {
		if (*f == 'l')
			sp->longs++;
		else if (*f == 'z')
			sp->size_t_mod = true;
		else
			break;
	}
	return f;
}

static void out_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	long long v;

	if (sp->size_t_mod)
		v = (long long)va_arg(*ap, ssize_t);
	else if (sp->longs >= 2)
		v = va_arg(*ap, long long);
	else if (sp->longs == 1)
		v = va_arg(*ap, long);
	else
		v = va_arg(*ap, int);
	out_num(o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v,
		v < 0, 10, sp->width, sp->pad, sp->left);
}

static void out_unsigned(struct out *o, const struct spec *sp,
			 unsigned int base, va_list *ap)
{
	unsigned long long v;

	if (sp->size_t_mod)
		v = va_arg(*ap, size_t);
	else if (sp->longs >= 2)
		v = va_arg(*ap, unsigned long long);
	else if (sp->longs == 1)
		v = va_arg(*ap, unsigned long);
	else
		v = va_arg(*ap, unsigned int);
	out_num(o, v, false, base, sp->width, sp->pad, sp->left);
}

static void out_conversion(struct out *o, char c, const struct spec *sp,
			   va_list *ap)
{
	const char *s;

	switch (c) {
	case 'd':
	case 'i':
		out_signed(o, sp, ap);
		break;
	case 'u':
		out_unsigned(o, sp, 10, ap);
		break;
	case 'x':
		out_unsigned(o, sp, 16, ap);
		break;
	case 'p':
		out_str(o, "0x", 0, false);
		out_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, 0, ' ',
			false);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		out_str(o, s ? s : "(null)", sp->width, sp->left);
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	default:
		out_char(o, '%');
		out_char(o, c);
	}
}

size_t usoftirq__vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt, &sp);
		if (*fmt)
			out_conversion(&o, *fmt++, &sp, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t usoftirq__format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = usoftirq__vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
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
	_Atomic uint32_t *once = m ? &m->reported_once : &reported_once_global;
	uint32_t bit = 1u << kind;

	return !(atomic_fetch_or_explicit(once, bit, memory_order_relaxed) &
		 bit);
}

/* At most one report a second per machine, as __might_resched(). */
static bool ratelimit_allows(struct usoftirq_machine *m)
{
	uint64_t now = usoftirq__now_ns();
	uint64_t last;

	if (!m)
		return true;
	last = atomic_load_explicit(&m->sleep_report_ns, memory_order_relaxed);
	if (last && now - last < 1000000000u)
		return false;
	return atomic_compare_exchange_strong_explicit(&m->sleep_report_ns,
						       &last, now,
						       memory_order_relaxed,
						       memory_order_relaxed);
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
		      const struct usoftirq_tasklet *tasklet, unsigned int flags,
		      const char *fmt, ...)
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

static const char *errno_name(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EDEADLK: return "EDEADLK";
	case ETIMEDOUT: return "ETIMEDOUT";
	default: return "errno";
	}
}

void usoftirq__die(const char *file, int line, const char *what, int err)
{
	usoftirq__fatal(file, line, "%s failed: %s (%d)", what, errno_name(err),
			err);
}
