/* SPDX-License-Identifier: MIT */
/*
 * Machines: creation and destruction, the default machine, binding
 * threads to vCPUs, quiescing, and stepping a vCPU by hand.
 *
 * Mapping real CPUs to vCPUs: vCPU n's worker is pinned to the n-th CPU of
 * the creating thread's affinity mask (wrapping around when there are more
 * vCPUs than CPUs). A thread that is not bound uses, at each call, the vCPU
 * whose worker is pinned to the CPU it runs on; CPUs that carry no worker
 * are spread over the vCPUs round-robin, so every CPU maps somewhere.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <unistd.h>

#include "futex.h"
#include "irq.h"
#include "machine.h"
#include "mmio.h"
#include "platform.h"
#include "report.h"
#include "tasklet.h"

#define MACHINE_FLAGS                                            \
	(USOFTIRQ_MACHINE_NO_WORKERS | USOFTIRQ_MACHINE_NO_PIN | \
	 USOFTIRQ_MACHINE_NO_DEFAULT | USOFTIRQ_MACHINE_NO_IDLE_SPIN)

/* The default machine. Release/acquire: publishes a fully built machine. */
static _Atomic(struct usoftirq_machine *) default_machine;

struct usoftirq_machine *usoftirq__default_machine(void)
{
	return atomic_load_explicit(&default_machine, memory_order_acquire);
}

struct usoftirq_machine *usoftirq_machine_default(void)
{
	return usoftirq__default_machine();
}

void usoftirq_machine_set_default(struct usoftirq_machine *m)
{
	atomic_store_explicit(&default_machine, m, memory_order_release);
}

struct usoftirq_machine *usoftirq_machine_current(void)
{
	return usoftirq__thread_machine(usoftirq__self());
}

/* ------------------------------------------------------------------ */
/* CPU mapping                                                         */
/* ------------------------------------------------------------------ */

struct usoftirq__cpu *usoftirq__machine_host_cpu(struct usoftirq_machine *m,
						 int host_cpu)
{
	if (host_cpu < 0 || (unsigned int)host_cpu >= m->host_to_vcpu_len)
		return &m->cpus[0];
	return &m->cpus[m->host_to_vcpu[host_cpu]];
}

static int build_cpu_map(struct usoftirq_machine *m, const cpu_set_t *allowed)
{
	int ncpu = CPU_COUNT(allowed);
	unsigned int next_spread = 0;
	int *host = NULL;
	int k = 0;

	m->host_to_vcpu_len = CPU_SETSIZE;
	m->host_to_vcpu = calloc(CPU_SETSIZE, sizeof(*m->host_to_vcpu));
	host = calloc((size_t)(ncpu ? ncpu : 1), sizeof(*host));
	if (!m->host_to_vcpu || !host) {
		free(host);
		return -ENOMEM;
	}
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, allowed))
			host[k++] = c;
	/* Every CPU first maps round-robin; worker CPUs then map to theirs. */
	for (int c = 0; c < CPU_SETSIZE; c++)
		m->host_to_vcpu[c] = (uint16_t)(next_spread++ % m->ncpus);
	for (unsigned int v = 0; v < m->ncpus && k > 0; v++) {
		m->cpus[v].host_cpu = host[v % (unsigned int)k];
		if (v < (unsigned int)k)
			m->host_to_vcpu[host[v]] = (uint16_t)v;
	}
	free(host);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Creation and destruction                                            */
/* ------------------------------------------------------------------ */

static void machine_free(struct usoftirq_machine *m)
{
	usoftirq__mmio_machine_gone(m);
	usoftirq__irq_free_machine(m);
	for (unsigned int i = 0; i < m->ncpus; i++)
		usoftirq__cpu_free(&m->cpus[i]);
	free(m->host_to_vcpu);
	free(m->cpus);
	free(m);
}

static int machine_alloc(struct usoftirq_machine **out, unsigned int ncpus,
			 unsigned int flags, const cpu_set_t *allowed)
{
	struct usoftirq_machine *m = calloc(1, sizeof(*m));
	void *cpus = NULL;
	int err;

	if (!m)
		return -ENOMEM;
	if (posix_memalign(&cpus, USOFTIRQ__CACHELINE,
			   ncpus * sizeof(struct usoftirq__cpu))) {
		free(m);
		return -ENOMEM;
	}
	m->ncpus = ncpus;
	m->flags = flags;
	m->cpus = cpus;
	memset(cpus, 0, ncpus * sizeof(struct usoftirq__cpu));
	err = 0;
	for (unsigned int i = 0; i < ncpus; i++)
		if (usoftirq__cpu_init(&m->cpus[i], m, i))
			err = -ENOMEM;
	usoftirq__softirq_init(m);
	if (!err)
		err = build_cpu_map(m, allowed);
	if (err) {
		machine_free(m);
		return err;
	}
	*out = m;
	return 0;
}

/* Fill in the defaults of @cfg and check it. */
static int resolve_config(struct usoftirq_machine_config *cfg,
			  const cpu_set_t *allowed)
{
	if (cfg->ncpus > USOFTIRQ_MAX_CPUS ||
	    cfg->nr_irqs > USOFTIRQ_MAX_IRQS ||
	    cfg->idle_spin_ns > USOFTIRQ_IDLE_SPIN_NS_MAX ||
	    (cfg->flags & ~MACHINE_FLAGS))
		return -EINVAL;
	if (cfg->flags & USOFTIRQ_MACHINE_NO_IDLE_SPIN)
		cfg->idle_spin_ns = 0;
	else if (cfg->idle_spin_ns == 0 && CPU_COUNT(allowed) > 1)
		cfg->idle_spin_ns = USOFTIRQ_IDLE_SPIN_NS_DEFAULT;
	/* (On one CPU nobody could produce work while a worker watches.) */
	if (cfg->ncpus == 0)
		cfg->ncpus = (unsigned int)CPU_COUNT(allowed);
	if (cfg->ncpus == 0)
		cfg->ncpus = 1;
	if (cfg->nr_irqs == 0)
		cfg->nr_irqs = USOFTIRQ_NR_IRQS_DEFAULT;
	if (cfg->flags & USOFTIRQ_MACHINE_NO_WORKERS)
		cfg->irq_signal = 0;
	else if (cfg->irq_signal == 0)
		cfg->irq_signal = SIGRTMIN + USOFTIRQ_IRQ_SIGNAL_OFFSET;
	else if (cfg->irq_signal < SIGRTMIN || cfg->irq_signal > SIGRTMAX)
		return -EINVAL;
	return 0;
}

static int claim_irq_signal(int sig)
{
	int err;

	if (!sig)
		return 0;
	err = usoftirq__irq_signal_acquire(sig);
	if (err == -EBUSY)
		usoftirq__report(
			USOFTIRQ_REPORT_INVALID_ARGUMENT, USOFTIRQ_REPORT_ERR,
			NULL, 0,
			"usoftirq_machine_create: signal %d (SIGRTMIN+%d) "
			"already has a handler in this process; choose "
			"another hardirq signal with "
			"usoftirq_machine_config.irq_signal",
			sig, sig - SIGRTMIN);
	return err;
}

static int machine_start(struct usoftirq_machine *m,
			 const struct usoftirq_machine_config *cfg)
{
	int err = usoftirq__irq_init_machine(m, cfg->nr_irqs);

	if (err)
		return err;
	m->pid = (int)getpid();
	m->idle_spin_ns = cfg->idle_spin_ns;
	m->irq_signal = cfg->irq_signal;
	err = claim_irq_signal(m->irq_signal);
	if (err) {
		m->irq_signal = 0;
		return err;
	}
	if (!(cfg->flags & USOFTIRQ_MACHINE_NO_WORKERS)) {
		err = usoftirq__workers_start(m);
		if (err) {
			usoftirq__irq_signal_release(m->irq_signal);
			return err;
		}
	}
	return 0;
}

int usoftirq_machine_create(struct usoftirq_machine **out,
			    const struct usoftirq_machine_config *config)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct usoftirq_machine *m;
	struct usoftirq_machine *none = NULL;
	cpu_set_t allowed;
	int err;

	if (config)
		cfg = *config;
	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
		CPU_ZERO(&allowed);
		CPU_SET(0, &allowed);
	}
	err = resolve_config(&cfg, &allowed);
	if (err)
		return err;
	usoftirq__symbols_refresh();
	err = machine_alloc(&m, cfg.ncpus, cfg.flags, &allowed);
	if (err)
		return err;
	err = machine_start(m, &cfg);
	if (err) {
		machine_free(m);
		return err;
	}
	if (!(cfg.flags & USOFTIRQ_MACHINE_NO_DEFAULT))
		atomic_compare_exchange_strong_explicit(&default_machine, &none,
							m, memory_order_acq_rel,
							memory_order_acquire);
	*out = m;
	return 0;
}

static void unbind_caller_from(struct usoftirq_machine *m)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (th->machine == m && !th->worker_cpu)
		usoftirq_thread_unbind();
}

void usoftirq_machine_destroy(struct usoftirq_machine *m)
{
	struct usoftirq_machine *self = m;
	unsigned int bound;

	if (!m)
		return;
	usoftirq__assert_task_context("usoftirq_machine_destroy");
	unbind_caller_from(m);
	bound = atomic_load_explicit(&m->bound_threads, memory_order_acquire);
	if (bound)
		usoftirq__fatal(
			__FILE__, __LINE__,
			"usoftirq_machine_destroy: %u thread(s) are still "
			"bound to the machine; they must call "
			"usoftirq_thread_unbind() first",
			bound);
	/* Devices still registered first (their drivers' remove() and devm
	 * releases need a working machine), then IRQs, while the workers
	 * still run their handlers. */
	usoftirq__platform_machine_destroy(m);
	usoftirq__irq_free_all(m);
	atomic_compare_exchange_strong_explicit(&default_machine, &self, NULL,
						memory_order_acq_rel,
						memory_order_acquire);
	if (!(m->flags & USOFTIRQ_MACHINE_NO_WORKERS))
		usoftirq__workers_stop(m);
	if (m->irq_signal)
		usoftirq__irq_signal_release(m->irq_signal);
	for (unsigned int i = 0; i < m->ncpus; i++)
		usoftirq__tasklets_drop_cpu(&m->cpus[i]);
	machine_free(m);
}

unsigned int usoftirq_machine_ncpus(const struct usoftirq_machine *m)
{
	if (!m)
		m = usoftirq_machine_current();
	return m ? m->ncpus : 1;
}

int usoftirq_machine_worker_tid(const struct usoftirq_machine *m,
				unsigned int cpu)
{
	if (cpu >= m->ncpus)
		return -EINVAL;
	if (m->flags & USOFTIRQ_MACHINE_NO_WORKERS)
		return -ENODEV;
	return atomic_load_explicit(&m->cpus[cpu].worker_tid,
				    memory_order_acquire);
}

int usoftirq_machine_worker_host_cpu(const struct usoftirq_machine *m,
				     unsigned int cpu)
{
	if (cpu >= m->ncpus)
		return -EINVAL;
	if (m->flags & (USOFTIRQ_MACHINE_NO_WORKERS | USOFTIRQ_MACHINE_NO_PIN))
		return -ENOENT;
	return m->cpus[cpu].host_cpu >= 0 ? m->cpus[cpu].host_cpu : -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Binding                                                             */
/* ------------------------------------------------------------------ */

void usoftirq__machine_bind_count(struct usoftirq_machine *m, int delta)
{
	atomic_fetch_add_explicit(&m->bound_threads, (unsigned int)delta,
				  memory_order_acq_rel);
}

int usoftirq_thread_bind(struct usoftirq_machine *m, unsigned int cpu)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (!m || cpu >= m->ncpus)
		return -EINVAL;
	if (th->worker_cpu || th->bh_held ||
	    (th->preempt_count & USOFTIRQ_SOFTIRQ_MASK))
		return -EBUSY;
	if (th->machine)
		usoftirq_thread_unbind();
	th->machine = m;
	th->bound_cpu = &m->cpus[cpu];
	usoftirq__machine_bind_count(m, 1);
	return 0;
}

void usoftirq_thread_unbind(void)
{
	struct usoftirq__thread *th = usoftirq__self();

	if (!th->machine || th->worker_cpu || th->bh_held)
		return;
	usoftirq__machine_bind_count(th->machine, -1);
	th->machine = NULL;
	th->bound_cpu = NULL;
}

/* ------------------------------------------------------------------ */
/* Stepping and quiescing                                              */
/* ------------------------------------------------------------------ */

bool usoftirq_cpu_run_softirqs(struct usoftirq_machine *m, unsigned int cpu)
{
	struct usoftirq__thread *th = usoftirq__self();
	bool more;

	if (!m || cpu >= m->ncpus)
		usoftirq__fatal(__FILE__, __LINE__,
				"usoftirq_cpu_run_softirqs: no vCPU %u", cpu);
	usoftirq__assert_task_context("usoftirq_cpu_run_softirqs");
	usoftirq__bh_enter(th, &m->cpus[cpu]);
	/* A step is where the kernel's spinning pass would have met a
	 * tasklet re-initialised while parked (src/tasklet.c). */
	if (m->cpus[cpu].parked.count)
		usoftirq__tasklets_sweep_parked(&m->cpus[cpu]);
	more = usoftirq__softirq_loop(th, &m->cpus[cpu]);
	usoftirq__bh_release(th);
	/* Budget spent: the rest goes to the worker, as the kernel's
	 * wakeup_softirqd() (a no-op without workers). */
	if (more)
		usoftirq__cpu_wake_worker(&m->cpus[cpu]);
	return more;
}

/*
 * Quiesce waiters and vCPUs becoming idle form a Dekker pair: the waiter
 * registers (seq_cst RMW) and then checks every vCPU (seq_cst loads); a
 * vCPU becomes idle with a seq_cst RMW (the worker's sleep CAS, the BH
 * unlock) and then loads the waiter count here. One of the two sees the
 * other, so a waiter never sleeps through the last vCPU going idle.
 */
void usoftirq__machine_notify_idle(struct usoftirq_machine *m)
{
	if (atomic_load_explicit(&m->quiesce_waiters, memory_order_seq_cst)) {
		atomic_fetch_add_explicit(&m->idle_seq, 1,
					  memory_order_seq_cst);
		usoftirq__futex_wake(&m->idle_seq, INT_MAX);
	}
}

static bool machine_idle(const struct usoftirq_machine *m)
{
	for (unsigned int i = 0; i < m->ncpus; i++)
		if (!usoftirq__cpu_is_idle(&m->cpus[i]))
			return false;
	return true;
}

static void quiesce_by_stepping(struct usoftirq_machine *m)
{
	bool ran;

	do {
		ran = false;
		for (unsigned int i = 0; i < m->ncpus; i++) {
			if (usoftirq__cpu_is_idle(&m->cpus[i]))
				continue;
			(void)usoftirq_cpu_run_irqs(m, i);
			ran = true;
		}
	} while (ran);
}

void usoftirq_machine_quiesce(struct usoftirq_machine *m)
{
	uint32_t seq;

	usoftirq__assert_task_context("usoftirq_machine_quiesce");
	usoftirq__might_sleep(__FILE__, __LINE__, __builtin_return_address(0));
	if (m->flags & USOFTIRQ_MACHINE_NO_WORKERS) {
		quiesce_by_stepping(m);
		return;
	}
	atomic_fetch_add_explicit(&m->quiesce_waiters, 1, memory_order_seq_cst);
	for (;;) {
		seq = atomic_load_explicit(&m->idle_seq, memory_order_seq_cst);
		if (!machine_idle(m)) {
			usoftirq__futex_wait(&m->idle_seq, seq);
			continue;
		}
		/*
		 * The scan looks at one vCPU at a time, so work could move
		 * from a vCPU not yet scanned to one already scanned. Work
		 * only moves while its source vCPU is busy, and that vCPU
		 * bumps idle_seq when it becomes idle again: an unchanged
		 * idle_seq proves the scan saw one consistent moment.
		 */
		if (atomic_load_explicit(&m->idle_seq, memory_order_seq_cst) ==
		    seq)
			break;
	}
	atomic_fetch_sub_explicit(&m->quiesce_waiters, 1, memory_order_seq_cst);
}
