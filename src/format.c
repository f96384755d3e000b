/* SPDX-License-Identifier: MIT */
/*
 * A printf subset that is async-signal-safe: no allocation, no locale, no
 * stdio. Used for reports (which can come from hardirq handlers) and for
 * usoftirq_printk(), the kernel-compat printk().
 *
 * Supported: flags - 0 # + and space; width and precision, as digits or
 * '*'; length modifiers hh h l ll z t j; conversions d i u x X o c s p %,
 * with C's semantics (the output is byte for byte snprintf()'s). As the
 * kernel's vsprintf, %p may be followed by an extension letter: %pS and
 * %pF print "symbol+0xoff/0xsize", %ps and %pf print the symbol name, %pK
 * and %pB print the plain pointer. Floating point is not supported (the
 * kernel has none either) and prints as "%?".
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "report.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left, plus, space, alt;
	char pad;
	int width;
	int precision; /* -1: none */
	char length; /* 'H' hh, 'h', 'l', 'L' ll, 'z', 't', 'j', 0 */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_str(struct out *o, const struct spec *sp, const char *s)
{
	/* A precision bounds the read too: the field need not be
	 * NUL-terminated. */
	int n = sp->precision >= 0 ? (int)strnlen(s, (size_t)sp->precision) :
				     (int)strlen(s);

	if (!sp->left)
		out_repeat(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_repeat(o, ' ', sp->width - n);
}

/* Digits of @v in @base, most significant first, into @digits. */
static int to_digits(char *digits, unsigned long long v, unsigned int base,
		     bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	int n = 0;

	do {
		rev[n++] = set[v % base];
		v /= base;
	} while (v);
	for (int i = 0; i < n; i++)
		digits[i] = rev[n - 1 - i];
	return n;
}

static void out_number(struct out *o, const struct spec *sp,
		       unsigned long long v, bool neg, bool is_signed,
		       unsigned int base, bool upper)
{
	char digits[24], sign[3] = "";
	/* As C: zero with precision 0 prints no digit. */
	int n = (v == 0 && sp->precision == 0) ?
			0 :
			to_digits(digits, v, base, upper);
	int zeros = sp->precision > n ? sp->precision - n : 0;
	int width;

	if (neg)
		strcpy(sign, "-");
	else if (is_signed && sp->plus)
		strcpy(sign, "+");
	else if (is_signed && sp->space)
		strcpy(sign, " ");
	if (sp->alt && base == 16 && v)
		strcpy(sign + strlen(sign), upper ? "0X" : "0x");
	else if (sp->alt && base == 8 && (n == 0 || digits[0] != '0'))
		zeros = zeros ? zeros : 1;
	width = sp->width - n - zeros - (int)strlen(sign);
	if (sp->pad == '0' && sp->precision < 0 && !sp->left) {
		zeros += width;
		width = 0;
	}
	if (!sp->left)
		out_repeat(o, ' ', width);
	for (const char *s = sign; *s; s++)
		out_char(o, *s);
	out_repeat(o, '0', zeros);
	for (int i = 0; i < n; i++)
		out_char(o, digits[i]);
	if (sp->left)
		out_repeat(o, ' ', width);
}

static const char *parse_int(const char *f, int *value, va_list *ap)
{
	if (*f == '*') {
		*value = va_arg(*ap, int);
		return f + 1;
	}
	*value = 0;
	while (*f >= '0' && *f <= '9')
		*value = *value * 10 + (*f++ - '0');
	return f;
}

static const char *parse_length(const char *f, struct spec *sp)
{
	switch (*f) {
	case 'h':
		sp->length = f[1] == 'h' ? 'H' : 'h';
		return f + (f[1] == 'h' ? 2 : 1);
	case 'l':
		sp->length = f[1] == 'l' ? 'L' : 'l';
		return f + (f[1] == 'l' ? 2 : 1);
	case 'z':
	case 't':
	case 'j':
		sp->length = *f;
		return f + 1;
	default:
		return f;
	}
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .pad = ' ', .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->pad = '0';
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	f = parse_int(f, &sp->width, ap);
	if (sp->width < 0) {
		sp->left = true;
		sp->width = -sp->width;
	}
	if (*f == '.') {
		f = parse_int(f + 1, &sp->precision, ap);
		if (sp->precision < 0)
			sp->precision = -1;
	}
	return parse_length(f, sp);
}

static long long signed_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
		return va_arg(*ap, ssize_t);
	case 't':
		return va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long unsigned_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	case 't':
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* %p and the kernel's %p extensions; returns the format after them. */
static const char *out_pointer(struct out *o, const struct spec *sp,
			       const char *f, va_list *ap)
{
	const void *p = va_arg(*ap, const void *);
	struct spec hex = { .alt = true, .pad = ' ', .precision = -1 };
	char sym[160];

	switch (*f) {
	case 'S':
	case 'F':
		out_str(o, sp,
			usoftirq__symbolize(p, sym, sizeof(sym),
					    USOFTIRQ__SYM_FULL));
		return f + 1;
	case 's':
	case 'f':
		out_str(o, sp,
			usoftirq__symbolize(p, sym, sizeof(sym),
					    USOFTIRQ__SYM_NAME));
		return f + 1;
	case 'K':
	case 'B':
		f++;
		break;
	default:
		break;
	}
	hex.width = sp->width;
	hex.left = sp->left;
	if (!p) /* as glibc */
		out_str(o, sp, "(nil)");
	else
		out_number(o, &hex, (uintptr_t)p, false, false, 16, false);
	return f;
}

/* One conversion at @f (after the spec); returns the format after it. */
static const char *out_conversion(struct out *o, const struct spec *sp,
				  const char *f, va_list *ap)
{
	char c[1];
	long long v;
	const char *s;

	switch (*f) {
	case 'd':
	case 'i':
		v = signed_arg(sp, ap);
		out_number(o, sp,
			   v < 0 ? 0ull - (unsigned long long)v :
				   (unsigned long long)v,
			   v < 0, true, 10, false);
		break;
	case 'u':
		out_number(o, sp, unsigned_arg(sp, ap), false, false, 10,
			   false);
		break;
	case 'x':
	case 'X':
		out_number(o, sp, unsigned_arg(sp, ap), false, false, 16,
			   *f == 'X');
		break;
	case 'o':
		out_number(o, sp, unsigned_arg(sp, ap), false, false, 8, false);
		break;
	case 'p':
		return out_pointer(o, sp, f + 1, ap);
	case 's':
		s = va_arg(*ap, const char *);
		out_str(o, sp, s ? s : "(null)");
		break;
	case 'c':
		/* Width and '-' apply, as in C; a NUL is output too. */
		c[0] = (char)va_arg(*ap, int);
		if (!sp->left)
			out_repeat(o, ' ', sp->width - 1);
		out_char(o, c[0]);
		if (sp->left)
			out_repeat(o, ' ', sp->width - 1);
		break;
	case '\0':
		return f;
	default:
		out_char(o, '%');
		out_char(o, '?');
	}
	return f + 1;
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
		} else if (fmt[1] == '%') {
			out_char(&o, '%');
			fmt += 2;
		} else {
			fmt = parse_spec(fmt + 1, &sp, &args);
			fmt = out_conversion(&o, &sp, fmt, &args);
		}
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
