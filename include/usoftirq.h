/* SPDX-License-Identifier: MIT */
/*
 * usoftirq: the Linux kernel's bottom halves in user space.
 *
 * This umbrella header includes the whole prefixed API. Kernel spellings
 * (<linux/interrupt.h> and friends) come only from the kcompat include
 * directory; see docs/kcompat.md.
 */
#ifndef USOFTIRQ_H
#define USOFTIRQ_H

#include <usoftirq/common.h>
#include <usoftirq/version.h>
#include <usoftirq/machine.h>
#include <usoftirq/context.h>
#include <usoftirq/softirq.h>
#include <usoftirq/tasklet.h>
#include <usoftirq/spinlock.h>
#include <usoftirq/rwlock.h>
#include <usoftirq/irqflags.h>
#include <usoftirq/irq.h>
#include <usoftirq/device.h>
#include <usoftirq/mmio.h>
#include <usoftirq/platform.h>
#include <usoftirq/rxdev.h>
#include <usoftirq/generator.h>
#include <usoftirq/report.h>
#include <usoftirq/printk.h>
#include <usoftirq/kfifo.h>
#include <usoftirq/waitqueue.h>
#include <usoftirq/sleep.h>

#endif /* USOFTIRQ_H */
