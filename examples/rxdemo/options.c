/* SPDX-License-Identifier: MIT */
/* Command-line options of the RX demo examples. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <usoftirq.h>

#include "harness.h"

static void usage(FILE *f, const char *prog, const char *title)
{
	fprintf(f,
		"%s\n\n"
		"usage: %s [options]\n"
		"  --rate=WORDS_PER_S   generator rate (default 100000)\n"
		"  --burst=WORDS        words per burst (default 16)\n"
		"  --duration=SECONDS   how long to generate (default 3)\n"
		"  --fifo-depth=WORDS   device FIFO depth (default %u)\n"
		"  --cpus=N             vCPUs (default: one per CPU)\n"
		"  --irq-cpu=N          vCPU the interrupt goes to (default 0)\n"
		"  --seed=N             generator jitter seed (default 1)\n"
		"  --jitter=FRACTION    burst time jitter, 0..1 (default 0.2)\n"
		"  --quiet              no progress line, no /proc tables\n"
		"  --summary-format=F   human (default): the tables; kv: one\n"
		"                       line instead, 'rxdemo key=value ...'\n"
		"                       (generated, delivered, dropped,\n"
		"                       overruns, late_bursts, irqs, bh_runs,\n"
		"                       coalesced, lat_p50_ns, lat_p99_ns,\n"
		"                       ..., balanced=0|1); both: the tables,\n"
		"                       then that line\n"
		"  --help               this text\n"
		"\n"
		"Runs the driver against the simulated RX FIFO device, then\n"
		"prints the books and exits non-zero unless\n"
		"generated = delivered + dropped + overruns, in order.\n",
		title, prog, USOFTIRQ_RXDEV_FIFO_DEPTH_DEFAULT);
}

static bool parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= min && v <= max))
		return false;
	*out = v;
	return true;
}

static bool parse_uint(const char *s, unsigned long min, unsigned long max,
		       unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (end == s || *end || v < min || v > max)
		return false;
	*out = (unsigned int)v;
	return true;
}

enum {
	OPT_RATE = 1,
	OPT_BURST,
	OPT_DURATION,
	OPT_FIFO,
	OPT_CPUS,
	OPT_IRQ_CPU,
	OPT_SEED,
	OPT_JITTER,
	OPT_QUIET,
	OPT_SUMMARY,
	OPT_HELP
};

static const struct option long_options[] = {
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "fifo-depth", required_argument, NULL, OPT_FIFO },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "irq-cpu", required_argument, NULL, OPT_IRQ_CPU },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "jitter", required_argument, NULL, OPT_JITTER },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "summary-format", required_argument, NULL, OPT_SUMMARY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static bool parse_summary(const char *s, enum rxdemo_summary_format *out)
{
	static const char *const names[] = {
		[RXDEMO_SUMMARY_HUMAN] = "human",
		[RXDEMO_SUMMARY_KV] = "kv",
		[RXDEMO_SUMMARY_BOTH] = "both",
	};

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*out = (enum rxdemo_summary_format)i;
			return true;
		}
	}
	return false;
}

static bool apply_option(int c, const char *arg, struct rxdemo_options *opt)
{
	unsigned int seed;

	switch (c) {
	case OPT_RATE:
		return parse_double(arg, 1, 1e9, &opt->rate);
	case OPT_BURST:
		return parse_uint(arg, 1, 1u << 20, &opt->burst);
	case OPT_DURATION:
		return parse_double(arg, 0.001, 3600, &opt->duration_s);
	case OPT_FIFO:
		return parse_uint(arg, 1, 1u << 20, &opt->fifo_depth);
	case OPT_CPUS:
		return parse_uint(arg, 0, USOFTIRQ_MAX_CPUS, &opt->ncpus);
	case OPT_IRQ_CPU:
		return parse_uint(arg, 0, USOFTIRQ_MAX_CPUS - 1, &opt->irq_cpu);
	case OPT_SEED:
		if (!parse_uint(arg, 0, 0xffffffffu, &seed))
			return false;
		opt->seed = seed;
		return true;
	case OPT_JITTER:
		return parse_double(arg, 0, 1, &opt->jitter);
	case OPT_QUIET:
		opt->progress = false;
		opt->tables = false;
		return true;
	case OPT_SUMMARY:
		return parse_summary(arg, &opt->summary);
	default:
		return false;
	}
}

int rxdemo_parse_options(int argc, char **argv, const char *title,
			 struct rxdemo_options *opt)
{
	int c;

	*opt = (struct rxdemo_options){
		.rate = 100000,
		.burst = 16,
		.duration_s = 3,
		.fifo_depth = USOFTIRQ_RXDEV_FIFO_DEPTH_DEFAULT,
		.seed = 1,
		.jitter = 0.2,
		.progress = true,
		.tables = true,
		.summary = RXDEMO_SUMMARY_HUMAN,
	};
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		if (c == OPT_HELP) {
			usage(stdout, argv[0], title);
			return 0;
		}
		if (c == '?' || !apply_option(c, optarg, opt)) {
			if (c != '?')
				fprintf(stderr, "%s: bad value '%s'\n", argv[0],
					optarg);
			usage(stderr, argv[0], title);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0],
			argv[optind]);
		return 2;
	}
	return -1;
}
