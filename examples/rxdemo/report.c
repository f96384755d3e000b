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

/* One line per rule of the books; returns whether it holds. */
static bool check(bool ok, const char *rule)
{
	printf("  %-6s %s\n", ok ? "ok" : "FAILED", rule);
	return ok;
}

static bool check_books(const struct rxdemo_run *r)
{
	const struct rxdemo_books *b = &r->books;
	unsigned long sum = b->delivered + r->drv_st.dropped + r->dst.overruns;
	bool ok = true;

	printf("\nbooks: generated %lu = delivered %lu + dropped %lu + "
	       "overruns %lu (= %lu)\n",
	       r->gst.generated, b->delivered, r->drv_st.dropped,
	       r->dst.overruns, sum);
	ok &= check(r->drained, "the driver drained everything in time");
	ok &= check(sum == r->gst.generated,
		    "generated = delivered + dropped + overruns");
	ok &= check(r->dst.pushed == r->gst.generated &&
			    r->gst.rejected == r->dst.overruns,
		    "the device received every generated word; its rejects "
		    "are the overruns");
	ok &= check(b->out_of_order == 0,
		    "process_rx_data saw a strictly increasing sequence "
		    "(no duplicate, no reordering)");
	ok &= check(b->reader_out_of_order == 0 &&
			    b->read + b->reader_overflow == b->delivered,
		    "the reader got every delivered word, in order");
	return ok;
}

bool rxdemo_report(const struct rxdemo_run *r)
{
	bool ok;

	print_setup(r);
	print_words(r);
	print_interrupts(r);
	print_latency(r);
	print_tables(r);
	ok = check_books(r);
	printf("%s\n",
	       ok ? "\nThe books balance." : "\nThe books do NOT balance.");
	return ok;
}
