/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/device.h>: struct device and struct device_driver,
 * dev_name(), dev_set_drvdata(), dev_get_drvdata(), the managed-resource
 * calls devm_add_action(), devm_add_action_or_reset(),
 * devm_ioremap_resource(), devm_ioremap(), devm_iounmap(), devm_kmalloc(),
 * devm_kzalloc(), devm_kmalloc_array(), devm_kcalloc(), devm_kstrdup(),
 * devm_kmemdup(), devm_kfree(); and the device log: dev_printk(),
 * dev_emerg(), dev_alert(), dev_crit(), dev_err(), dev_warn(),
 * dev_notice(), dev_info(), dev_dbg(), dev_vdbg(), their _once and
 * _ratelimited forms, dev_fmt(), and dev_err_probe().
 *
 * struct device is struct usoftirq_device (<usoftirq/device.h>), the one
 * embedded in struct platform_device, so &pdev->dev is a struct device *
 * in both spellings. Its resources are released newest first when its
 * driver detaches, as the kernel's devres are. The spelling is a macro on
 * the tag, device -> usoftirq_device (likewise device_driver), which also
 * renames any other identifier "device" in the files that use it.
 *
 * The log prefixes messages with the driver and device names, "mydrv
 * mydev.0: message", as the kernel's does (usoftirq_dev_printk()). As
 * with pr_debug(), dev_dbg() prints only in files that define DEBUG
 * before the first include (dev_vdbg() also needs VERBOSE_DEBUG), and
 * otherwise checks the format and evaluates nothing. Define dev_fmt()
 * before the first include to prefix every message of a file.
 *
 * Differences from the kernel: the _ratelimited forms print every time
 * (there is no rate limit); the allocations are the library's
 * (usoftirq_devm_kmalloc()), aligned for any type; a GFP_KERNEL one from
 * atomic context is reported as the kernel's might_sleep() reports it,
 * and one from a hardirq handler is refused (reported, NULL), since a
 * device's resource list is not async-signal-safe.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_DEVICE_H
#define USOFTIRQ_KCOMPAT_LINUX_DEVICE_H

#include <string.h>

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/types.h>
/* As in the kernel, where device.h reaches wait.h through completion.h:
 * drivers use wait_queue_head_t having included only device headers. */
#include <linux/wait.h>

#include <usoftirq/device.h>

#define device usoftirq_device
#define device_driver usoftirq_device_driver

#define dev_name usoftirq_dev_name

static inline void usoftirq__kc_dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline void *usoftirq__kc_dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

#define dev_set_drvdata usoftirq__kc_dev_set_drvdata
#define dev_get_drvdata usoftirq__kc_dev_get_drvdata

#define devm_add_action usoftirq_devm_add_action
#define devm_add_action_or_reset usoftirq_devm_add_action_or_reset

/*
 * devm_ioremap_resource() - map a memory resource until the device's
 * resources are released; an error pointer (IS_ERR()) on failure, which
 * is reported with the kernel's message.
 */
#define devm_ioremap_resource usoftirq_devm_ioremap_resource
#define devm_ioremap usoftirq_devm_ioremap
#define devm_ioremap_uc usoftirq_devm_ioremap
#define devm_ioremap_wc usoftirq_devm_ioremap
#define devm_iounmap usoftirq_devm_iounmap

/* ------------------------------------------------------------------ */
/* Managed allocations                                                 */
/* ------------------------------------------------------------------ */

static inline void *usoftirq__kc_devm_kzalloc(struct device *dev, size_t size,
					      gfp_t gfp)
{
	return usoftirq_devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

/* devm_kmalloc_array() - @n elements of @size bytes; NULL on overflow. */
static inline void *usoftirq__kc_devm_kmalloc_array(struct device *dev,
						    size_t n, size_t size,
						    gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return usoftirq_devm_kmalloc(dev, bytes, gfp);
}

static inline void *usoftirq__kc_devm_kcalloc(struct device *dev, size_t n,
					      size_t size, gfp_t gfp)
{
	return usoftirq__kc_devm_kmalloc_array(dev, n, size, gfp | __GFP_ZERO);
}

static inline void *usoftirq__kc_devm_kmemdup(struct device *dev,
					      const void *src, size_t len,
					      gfp_t gfp)
{
	void *p = usoftirq_devm_kmalloc(dev, len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

static inline char *usoftirq__kc_devm_kstrdup(struct device *dev, const char *s,
					      gfp_t gfp)
{
	return s ? (char *)usoftirq__kc_devm_kmemdup(dev, s, strlen(s) + 1,
						     gfp) :
		   NULL;
}

#define devm_kmalloc usoftirq_devm_kmalloc
#define devm_kzalloc usoftirq__kc_devm_kzalloc
#define devm_kmalloc_array usoftirq__kc_devm_kmalloc_array
#define devm_kcalloc usoftirq__kc_devm_kcalloc
#define devm_kmemdup usoftirq__kc_devm_kmemdup
#define devm_kstrdup usoftirq__kc_devm_kstrdup
#define devm_kfree usoftirq_devm_kfree

/* ------------------------------------------------------------------ */
/* The device log                                                      */
/* ------------------------------------------------------------------ */

#ifndef dev_fmt
#define dev_fmt(fmt) fmt
#endif

#define dev_printk(level, dev, fmt, ...) \
	usoftirq_dev_printk(level, (dev), fmt, ##__VA_ARGS__)
#define dev_emerg(dev, fmt, ...) \
	dev_printk(KERN_EMERG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...) \
	dev_printk(KERN_ALERT, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...) \
	dev_printk(KERN_CRIT, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) \
	dev_printk(KERN_ERR, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) \
	dev_printk(KERN_WARNING, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) \
	dev_printk(KERN_NOTICE, dev, dev_fmt(fmt), ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) \
	dev_printk(KERN_INFO, dev, dev_fmt(fmt), ##__VA_ARGS__)

/* dev_no_printk() - check the format, print nothing, evaluate nothing. */
#define dev_no_printk(level, dev, fmt, ...)                         \
	({                                                          \
		if (0)                                              \
			dev_printk(level, dev, fmt, ##__VA_ARGS__); \
		0;                                                  \
	})

#ifdef DEBUG
#define dev_dbg(dev, fmt, ...) \
	dev_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#else
#define dev_dbg(dev, fmt, ...) \
	dev_no_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#endif

#ifdef VERBOSE_DEBUG
#define dev_vdbg dev_dbg
#else
#define dev_vdbg(dev, fmt, ...) \
	dev_no_printk(KERN_DEBUG, dev, dev_fmt(fmt), ##__VA_ARGS__)
#endif

#define dev_emerg_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_emerg(dev, fmt, ##__VA_ARGS__))
#define dev_alert_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_alert(dev, fmt, ##__VA_ARGS__))
#define dev_crit_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_crit(dev, fmt, ##__VA_ARGS__))
#define dev_err_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_err(dev, fmt, ##__VA_ARGS__))
#define dev_warn_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_warn(dev, fmt, ##__VA_ARGS__))
#define dev_notice_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_notice(dev, fmt, ##__VA_ARGS__))
#define dev_info_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_info(dev, fmt, ##__VA_ARGS__))
#define dev_dbg_once(dev, fmt, ...) \
	usoftirq__kc_once(dev_dbg(dev, fmt, ##__VA_ARGS__))

#define dev_emerg_ratelimited dev_emerg
#define dev_alert_ratelimited dev_alert
#define dev_crit_ratelimited dev_crit
#define dev_err_ratelimited dev_err
#define dev_warn_ratelimited dev_warn
#define dev_notice_ratelimited dev_notice
#define dev_info_ratelimited dev_info
#define dev_dbg_ratelimited dev_dbg

/*
 * dev_err_probe() - log a probe failure and return @err, for
 * "return dev_err_probe(dev, ret, "...")": "error -EINVAL: ..." at
 * KERN_ERR; nothing for -ENOMEM, a debug message for -EPROBE_DEFER.
 */
#define dev_err_probe(dev, err, fmt, ...) \
	usoftirq_dev_err_probe((dev), (err), dev_fmt(fmt), ##__VA_ARGS__)

#endif /* USOFTIRQ_KCOMPAT_LINUX_DEVICE_H */
