/* SPDX-License-Identifier: MIT */
/*
 * Internal side of usoftirq/report.h: making a report, and naming code
 * addresses for it.
 *
 * Everything here is async-signal-safe: reports are formatted by our own
 * printf subset into a stack buffer and written with write(2), and symbol
 * names come from a table built in advance (src/symbol.c).
 */
#ifndef USOFTIRQ_REPORT_INTERNAL_H
#define USOFTIRQ_REPORT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "internal.h"

/* Flags for usoftirq__report(). */
enum usoftirq__report_flags {
	/* Print only the first report of this kind per machine (WARN_ONCE). */
	USOFTIRQ__REPORT_ONCE = 1u << 0,
	/* Print at most once a second per machine (the might_sleep limit). */
	USOFTIRQ__REPORT_RATELIMIT = 1u << 1,
};

/**
 * usoftirq__report() - report a rule violation.
 * @kind: what was detected.
 * @level: its severity.
 * @tasklet: the tasklet concerned, or NULL.
 * @flags: enum usoftirq__report_flags.
 * @fmt: the message, a printf subset: %s %c %d %i %u %x %lu %ld %lx %zu
 *	%p with optional '0' flag, width and the 'l'/'z' modifiers.
 */
void usoftirq__report(enum usoftirq_report_kind kind,
		      enum usoftirq_report_level level,
		      const struct usoftirq_tasklet *tasklet,
		      unsigned int flags, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/**
 * usoftirq__format() - the printf subset of usoftirq__report(), into @buf.
 * @buf: destination, always NUL-terminated if @size > 0.
 * @size: its size.
 * @fmt: the format.
 * @ap: the arguments.
 *
 * Return: the length the full output would have (as vsnprintf()).
 */
size_t usoftirq__vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t usoftirq__format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Styles for usoftirq__symbolize(). */
enum usoftirq__sym_style {
	USOFTIRQ__SYM_NAME, /* "rx_func", for any address inside it (%ps) */
	USOFTIRQ__SYM_FULL, /* "rx_func+0x0/0x2c" as the kernel's %pS */
};

/**
 * usoftirq__symbolize() - the name of the function at @addr.
 * @addr: a code address.
 * @buf: where to write the name.
 * @size: its size.
 * @style: enum usoftirq__sym_style.
 *
 * Looks @addr up in the symbol table of the loaded objects (static
 * functions included, when the object has a .symtab); falls back to
 * "0x<address>". Async-signal-safe.
 *
 * Return: @buf.
 */
const char *usoftirq__symbolize(const void *addr, char *buf, size_t size,
				int style);

/** usoftirq__errno_name() - "EINVAL" for EINVAL, ...; "errno" if unknown. */
const char *usoftirq__errno_name(int err);

/**
 * usoftirq__symbols_refresh() - (re)build the symbol table if the set of
 * loaded objects changed since the last call. Not async-signal-safe; called
 * at machine creation.
 */
void usoftirq__symbols_refresh(void);

#endif /* USOFTIRQ_REPORT_INTERNAL_H */
