/* SPDX-License-Identifier: MIT */
/*
 * The machine object behind struct usoftirq_machine, and the process-wide
 * default machine.
 */
#ifndef USOFTIRQ_MACHINE_INTERNAL_H
#define USOFTIRQ_MACHINE_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "cpu.h"

struct usoftirq__irq_desc;
struct usoftirq_mmio_device;

typedef void (*usoftirq__softirq_action)(void);

struct usoftirq_machine {
	unsigned int ncpus;
	unsigned int flags;
	struct usoftirq__cpu *cpus;
	/*
	 * Softirq handlers. Written by usoftirq_open_softirq() with release,
	 * read by the softirq loop with acquire, so a handler published while
	 * its vector is being raised is seen complete.
	 */
	_Atomic(usoftirq__softirq_action) softirq_vec[USOFTIRQ_NR_SOFTIRQS];
	/* Real CPU number -> vCPU index, for threads that are not bound. */
	uint16_t *host_to_vcpu;
	unsigned int host_to_vcpu_len;
	/* Threads bound with usoftirq_thread_bind() (not the workers). */
	_Atomic unsigned int bound_threads;
	/*
	 * Quiesce support: waiters register in quiesce_waiters; a vCPU that
	 * becomes idle while somebody waits bumps idle_seq and wakes them.
	 * See usoftirq__machine_notify_idle() for the pairing.
	 */
	_Atomic uint32_t quiesce_waiters;
	_Atomic uint32_t idle_seq;
	/* Workers that have started (creation waits on it as a futex). */
	_Atomic uint32_t workers_started;
	/* Report rate limits: one bit per report kind already printed. */
	_Atomic uint64_t reported_once;
	_Atomic uint64_t sleep_report_ns;
	/* Hardirqs: lines 1..nr_irqs (irq_descs[0] is unused), the signal
	 * that delivers them to the workers (0 without workers), and the
	 * process id the signal is addressed to (tgkill). */
	unsigned int nr_irqs;
	struct usoftirq__irq_desc *irq_descs;
	int irq_signal;
	int pid;
	/* How long an idle worker watches its pending mask before it sleeps
	 * (0: not at all); see src/worker.c. */
	unsigned int idle_spin_ns;
	/* The MMIO bus: the devices attached to this machine, linked through
	 * their bus_next (src/mmio_device.c, under its bus mutex). */
	struct usoftirq_mmio_device *mmio_devices;
};

_Static_assert(USOFTIRQ_REPORT_NR_KINDS <= 64, "once bits must fit");

/* src/machine.c */
struct usoftirq_machine *usoftirq__default_machine(void);
struct usoftirq__cpu *usoftirq__machine_host_cpu(struct usoftirq_machine *m,
						 int host_cpu);
void usoftirq__machine_notify_idle(struct usoftirq_machine *m);
void usoftirq__machine_bind_count(struct usoftirq_machine *m, int delta);

/* src/softirq.c */
void usoftirq__softirq_init(struct usoftirq_machine *m);

/* src/worker.c */
int usoftirq__workers_start(struct usoftirq_machine *m);
void usoftirq__workers_stop(struct usoftirq_machine *m);

#endif /* USOFTIRQ_MACHINE_INTERNAL_H */
