/* SPDX-License-Identifier: MIT */
/* The RX demo's summary, and the check of its books. */
#include <stdio.h>

#include "harness.h"

static void print_setup(const struct rxdemo_run *r)
{
	printf("\n%u vCPUs, interrupt on vCPU %u; %.0f words/s in bursts of "
	       "%u for %.2f s (took %.2f s); device FIFO %u words\n",
	       usoftirq_machine_ncpus(r->m), r->opt.irq_cpu, r->opt.rate,
	       r->opt.burst, r->opt.duration_s, r->elapsed_s,
	       r->opt.fifo_depth);
}

static void print_words(const struct rxdemo_run *r)
{
	const struct rxdemo_books *b = &r->books;

	printf("\nwords\n"
	       "  generated                  %10lu\n"
	       "  delivered to process_rx_data %8lu\n"
	       "  dropped by the driver      %10lu  (its ring was full)\n"
	       "  hardware FIFO overruns     %10lu\n"
	       "  read by the reader thread  %10lu  in %lu wake-ups",
	       r->gst.generated, b->delivered, r->drv_st.dropped,
	       r->dst.overruns, b->read, b->reader_wakeups);
	if (b->reader_overflow)
		printf(" (%lu not queued: reader queue full)",
		       b->reader_overflow);
	printf("\n");
	if (r->dst.underflows)
		printf("  reads of an empty FIFO     %10lu\n",
		       r->dst.underflows);
	if (r->gst.late_bursts)
		printf("  late generator bursts      %10lu  (the generator "
		       "thread could not keep the rate)\n",
		       r->gst.late_bursts);
}

static void print_interrupts(const struct rxdemo_run *r)
{
	const struct rxdemo_driver_stats *d = &r->drv_st;

	printf("\ninterrupts and bottom halves\n"
	       "  line assertions (device)   %10lu\n"
	       "  handler runs               %10lu  (%lu found no work)\n"
	       "  %-26s %10lu  scheduled %lu, coalesced %lu\n",
	       r->dst.irq_asserts, r->irq_st.runs, r->irq_st.unhandled,
	       r->drv->bh_name, d->bh_runs, d->bh_schedules,
	       d->bh_schedules > d->bh_runs ? d->bh_schedules - d->bh_runs : 0);
}

static void print_latency(const struct rxdemo_run *r)
{
	const struct rxdemo_books *b = &r->books;

	if (!b->lat_samples) {
		printf("\nIRQ -> %s latency: no samples\n", r->drv->bh_name);
		return;
	}
	printf("\nIRQ -> %s latency (%lu samples): p50 %.0f us, p99 %.0f us, "
	       "max %.0f us\n",
	       r->drv->bh_name, b->lat_samples, (double)b->lat_p50_ns / 1e3,
	       (double)b->lat_p99_ns / 1e3, (double)b->lat_max_ns / 1e3);
}

static void print_tables(const struct rxdemo_run *r)
{
	if (!r->opt.tables)
		return;
	printf("\n/proc/softirqs\n%s\n/proc/interrupts\n%s",
	       r->softirqs ? r->softirqs : "(out of memory)\n",
	       r->interrupts ? r->interrupts : "(out of memory)\n");
}

/* One line per rule of the books; returns whether it holds. In the
 * human summary every rule is printed; otherwise only a failed one, on
 * stderr. */
static bool check(const struct rxdemo_run *r, bool ok, const char *rule)
{
	if (r->opt.summary != RXDEMO_SUMMARY_KV)
		printf("  %-6s %s\n", ok ? "ok" : "FAILED", rule);
	else if (!ok)
		fprintf(stderr, "rxdemo: books: FAILED %s\n", rule);
	return ok;
}

static bool check_books(const struct rxdemo_run *r)
{
	const struct rxdemo_books *b = &r->books;
	unsigned long sum = b->delivered + r->drv_st.dropped + r->dst.overruns;
	bool ok = true;

	if (r->opt.summary != RXDEMO_SUMMARY_KV)
		printf("\nbooks: generated %lu = delivered %lu + dropped %lu + "
		       "overruns %lu (= %lu)\n",
		       r->gst.generated, b->delivered, r->drv_st.dropped,
		       r->dst.overruns, sum);
	ok &= check(r, r->drained, "the driver drained everything in time");
	ok &= check(r, sum == r->gst.generated,
		    "generated = delivered + dropped + overruns");
	ok &= check(r,
		    r->dst.pushed == r->gst.generated &&
			    r->gst.rejected == r->dst.overruns,
		    "the device received every generated word; its rejects "
		    "are the overruns");
	ok &= check(r, b->out_of_order == 0,
		    "process_rx_data saw a strictly increasing sequence "
		    "(no duplicate, no reordering)");
	ok &= check(r,
		    b->reader_out_of_order == 0 &&
			    b->read + b->reader_overflow == b->delivered,
		    "the reader got every delivered word, in order");
	return ok;
}

/* The summary as one line of key=value pairs (--summary-format=kv). */
static void print_kv(const struct rxdemo_run *r, bool ok)
{
	const struct rxdemo_books *b = &r->books;
	const struct rxdemo_driver_stats *d = &r->drv_st;

	printf("rxdemo rate=%.0f burst=%u duration_s=%g fifo_depth=%u "
	       "vcpus=%u irq_cpu=%u elapsed_s=%.3f generated=%lu "
	       "delivered=%lu dropped=%lu overruns=%lu late_bursts=%lu "
	       "underflows=%lu irq_asserts=%lu handler_runs=%lu "
	       "unhandled=%lu irqs=%lu bh_schedules=%lu bh_runs=%lu "
	       "coalesced=%lu read=%lu reader_wakeups=%lu "
	       "reader_overflow=%lu lat_samples=%lu lat_p50_ns=%llu "
	       "lat_p99_ns=%llu lat_max_ns=%llu drained=%d balanced=%d\n",
	       r->opt.rate, r->opt.burst, r->opt.duration_s, r->opt.fifo_depth,
	       usoftirq_machine_ncpus(r->m), r->opt.irq_cpu, r->elapsed_s,
	       r->gst.generated, b->delivered, d->dropped, r->dst.overruns,
	       r->gst.late_bursts, r->dst.underflows, r->dst.irq_asserts,
	       r->irq_st.runs, r->irq_st.unhandled, d->irqs, d->bh_schedules,
	       d->bh_runs,
	       d->bh_schedules > d->bh_runs ? d->bh_schedules - d->bh_runs : 0,
	       b->read, b->reader_wakeups, b->reader_overflow, b->lat_samples,
	       (unsigned long long)b->lat_p50_ns,
	       (unsigned long long)b->lat_p99_ns,
	       (unsigned long long)b->lat_max_ns, r->drained ? 1 : 0,
	       ok ? 1 : 0);
}

bool rxdemo_report(const struct rxdemo_run *r)
{
	bool human = r->opt.summary != RXDEMO_SUMMARY_KV;
	bool ok;

	if (human) {
		print_setup(r);
		print_words(r);
		print_interrupts(r);
		print_latency(r);
		print_tables(r);
	}
	ok = check_books(r);
	if (human)
		printf("%s\n", ok ? "\nThe books balance." :
				    "\nThe books do NOT balance.");
	if (r->opt.summary != RXDEMO_SUMMARY_HUMAN)
		print_kv(r, ok);
	return ok;
}
