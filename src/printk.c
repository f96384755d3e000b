/* SPDX-License-Identifier: MIT */
/*
 * printk(): the kernel log for ported code. Async-signal-safe: messages
 * are formatted into a stack buffer (src/format.c) and written with one
 * write(2), or handed to the user's handler.
 */
#include <stdatomic.h>
#include <errno.h>
#include <unistd.h>

#include <usoftirq/printk.h>

#include "report.h"

#define PRINTK_MAX 1024

static _Atomic int console_loglevel = 7;
static uint64_t log_start_ns;

/* The level of the calling thread's last line, which KERN_CONT continues
 * (the kernel attaches a continuation to the same task's record). */
static __thread int last_level
	__attribute__((tls_model("initial-exec"))) = USOFTIRQ_LOGLEVEL_DEFAULT;

struct printk_handler {
	usoftirq_printk_fn fn;
	void *arg;
};
static _Atomic(struct printk_handler *) printk_handler;
static struct printk_handler handler_slots[2];
static unsigned int handler_slot;

__attribute__((constructor)) static void printk_init(void)
{
	log_start_ns = usoftirq__now_ns();
}

void usoftirq_set_console_loglevel(int level)
{
	atomic_store_explicit(&console_loglevel, level, memory_order_relaxed);
}

void usoftirq_set_printk_handler(usoftirq_printk_fn fn, void *arg)
{
	struct printk_handler *h = NULL;

	if (fn) {
		/* Two slots: a message in flight keeps a consistent pair. */
		handler_slot ^= 1;
		h = &handler_slots[handler_slot];
		h->fn = fn;
		h->arg = arg;
	}
	atomic_store_explicit(&printk_handler, h, memory_order_release);
}

/* Strip a KERN_* prefix; *level is its digit, or -1 for KERN_CONT. */
static const char *parse_level(const char *fmt, int *level)
{
	*level = USOFTIRQ_LOGLEVEL_DEFAULT;
	while (fmt[0] == USOFTIRQ_KERN_SOH[0] && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			*level = fmt[1] - '0';
		else if (fmt[1] == 'c')
			*level = -1;
		fmt += 2;
	}
	return fmt;
}

static void emit(int level, bool cont, const char *text, size_t len)
{
	struct printk_handler *h =
		atomic_load_explicit(&printk_handler, memory_order_acquire);
	char line[PRINTK_MAX + 32];
	uint64_t ns = usoftirq__now_ns() - log_start_ns;
	size_t n;
	int saved = errno;

	if (h) {
		h->fn(level, text, h->arg);
		return;
	}
	if (cont)
		n = usoftirq__format(line, sizeof(line), "%s", text);
	else
		n = usoftirq__format(line, sizeof(line), "[%5lu.%06lu] %s",
				     (unsigned long)(ns / 1000000000u),
				     (unsigned long)(ns / 1000u % 1000000u),
				     text);
	(void)len;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	while (write(STDERR_FILENO, line, n) < 0 && errno == EINTR)
		;
	errno = saved;
}

int usoftirq_vprintk(const char *fmt, va_list ap)
{
	char text[PRINTK_MAX];
	int level;
	bool cont;
	size_t n;

	fmt = parse_level(fmt, &level);
	cont = level < 0;
	if (cont)
		level = last_level;
	else
		last_level = level;
	n = usoftirq__vformat(text, sizeof(text) - 1, fmt, ap);
	if (n >= sizeof(text) - 1)
		n = sizeof(text) - 2;
	if (level >=
	    atomic_load_explicit(&console_loglevel, memory_order_relaxed))
		return (int)n;
	if (!cont && (n == 0 || text[n - 1] != '\n')) {
		text[n] = '\n';
		text[n + 1] = '\0';
	}
	emit(level, cont, text, n);
	return (int)n;
}

int usoftirq_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = usoftirq_vprintk(fmt, ap);
	va_end(ap);
	return n;
}
