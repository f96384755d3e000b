/* SPDX-License-Identifier: MIT */
/*
 * Messages about devices: dev_printk() and dev_err_probe() for drivers
 * (drivers/base/core.c), and the same prefix for the driver-model
 * messages the library itself makes, which are reports of kind
 * %USOFTIRQ_REPORT_DEVICE.
 *
 * The prefix is the kernel's "%s %s: " of dev_driver_string() and
 * dev_name(): the bound (or probing) driver's name, else the bus name
 * ("platform"), else an empty string. Everything here is
 * async-signal-safe: the device's name fields are read with single loads,
 * text is formatted on the stack by src/format.c and written by printk or
 * the report path.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <usoftirq/printk.h>

#include "platform.h"

#define DEV_MSG_MAX 768
#define DEV_PREFIX_MAX 192

const char *usoftirq__dev_prefix(const struct usoftirq_device *dev, char *buf,
				 size_t size)
{
	/* Acquire: pairs with the release store at bind and unbind, so the
	 * name's characters are seen. */
	const char *drv = __atomic_load_n(&dev->driver_name, __ATOMIC_ACQUIRE);

	if (!drv)
		drv = dev->bus_name ? dev->bus_name : "";
	usoftirq__format(buf, size, "%s %s", drv, usoftirq_dev_name(dev));
	return buf;
}

/* Names the kernel's %pe knows and src/report.c does not. */
static const char *extra_errno_name(int err)
{
	switch (err) {
	case EIO:
		return "EIO";
	case EEXIST:
		return "EEXIST";
	case ENOSPC:
		return "ENOSPC";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case USOFTIRQ_EPROBE_DEFER:
		return "EPROBE_DEFER";
	default:
		return NULL;
	}
}

const char *usoftirq__errname(int err, char *buf, size_t size)
{
	const char *name = NULL;

	if (err < 0) {
		name = extra_errno_name(-err);
		if (!name && strcmp(usoftirq__errno_name(-err), "errno"))
			name = usoftirq__errno_name(-err);
	}
	if (name)
		usoftirq__format(buf, size, "-%s", name);
	else
		usoftirq__format(buf, size, "%d", err);
	return buf;
}

/* The digit of a KERN_* prefix, or 0 for none (KERN_DEFAULT). */
static char level_digit(const char *level)
{
	if (level && level[0] == USOFTIRQ_KERN_SOH[0] && level[1] >= '0' &&
	    level[1] <= '7')
		return level[1];
	return 0;
}

/* printk() reads the level from its format, so each level has its own. */
static void printk_at(char digit, const char *prefix, const char *text)
{
	switch (digit) {
	case '0':
		usoftirq_printk(USOFTIRQ_KERN_EMERG "%s: %s", prefix, text);
		break;
	case '1':
		usoftirq_printk(USOFTIRQ_KERN_ALERT "%s: %s", prefix, text);
		break;
	case '2':
		usoftirq_printk(USOFTIRQ_KERN_CRIT "%s: %s", prefix, text);
		break;
	case '3':
		usoftirq_printk(USOFTIRQ_KERN_ERR "%s: %s", prefix, text);
		break;
	case '4':
		usoftirq_printk(USOFTIRQ_KERN_WARNING "%s: %s", prefix, text);
		break;
	case '5':
		usoftirq_printk(USOFTIRQ_KERN_NOTICE "%s: %s", prefix, text);
		break;
	case '6':
		usoftirq_printk(USOFTIRQ_KERN_INFO "%s: %s", prefix, text);
		break;
	case '7':
		usoftirq_printk(USOFTIRQ_KERN_DEBUG "%s: %s", prefix, text);
		break;
	default:
		usoftirq_printk("%s: %s", prefix, text);
		break;
	}
}

/* __dev_printk(): the prefix, or the kernel's text for a NULL device. */
static void dev_printk_text(char digit, const struct usoftirq_device *dev,
			    const char *text)
{
	char prefix[DEV_PREFIX_MAX];

	if (dev)
		usoftirq__dev_prefix(dev, prefix, sizeof(prefix));
	else
		usoftirq__format(prefix, sizeof(prefix), "(NULL device *)");
	printk_at(digit, prefix, text);
}

void usoftirq_dev_printk(const char *level, const struct usoftirq_device *dev,
			 const char *fmt, ...)
{
	char text[DEV_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	usoftirq__vformat(text, sizeof(text), fmt, ap);
	va_end(ap);
	dev_printk_text(level_digit(level), dev, text);
}

int usoftirq_dev_err_probe(const struct usoftirq_device *dev, int err,
			   const char *fmt, ...)
{
	char msg[DEV_MSG_MAX], text[DEV_MSG_MAX + 32], name[24];
	va_list ap;

	/* "Don't print anything on -ENOMEM, there's already enough output". */
	if (err == -ENOMEM)
		return err;
	va_start(ap, fmt);
	usoftirq__vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	usoftirq__format(text, sizeof(text), "error %s: %s",
			 usoftirq__errname(err, name, sizeof(name)), msg);
	dev_printk_text(err == -USOFTIRQ_EPROBE_DEFER ? '7' : '3', dev, text);
	return err;
}

/* ------------------------------------------------------------------ */
/* The library's own driver-model messages                             */
/* ------------------------------------------------------------------ */

static void dev_vreport(enum usoftirq_report_level level,
			const struct usoftirq_device *dev, const char *errval,
			const char *fmt, va_list ap)
{
	char prefix[DEV_PREFIX_MAX], msg[DEV_MSG_MAX];

	usoftirq__vformat(msg, sizeof(msg), fmt, ap);
	usoftirq__dev_prefix(dev, prefix, sizeof(prefix));
	if (errval)
		usoftirq__report(USOFTIRQ_REPORT_DEVICE, level, NULL, 0,
				 "%s: error %s: %s", prefix, errval, msg);
	else
		usoftirq__report(USOFTIRQ_REPORT_DEVICE, level, NULL, 0,
				 "%s: %s", prefix, msg);
}

void usoftirq__dev_report(enum usoftirq_report_level level,
			  const struct usoftirq_device *dev, const char *fmt,
			  ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_vreport(level, dev, NULL, fmt, ap);
	va_end(ap);
}

int usoftirq__dev_report_errval(const struct usoftirq_device *dev, int err,
				const char *fmt, ...)
{
	char name[24];
	va_list ap;

	if (err == -ENOMEM || err == -USOFTIRQ_EPROBE_DEFER)
		return err;
	va_start(ap, fmt);
	dev_vreport(USOFTIRQ_REPORT_ERR, dev,
		    usoftirq__errname(err, name, sizeof(name)), fmt, ap);
	va_end(ap);
	return err;
}
