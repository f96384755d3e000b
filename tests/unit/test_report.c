/* SPDX-License-Identifier: MIT */
/*
 * Reports and printk: the default report line on stderr, report counts,
 * kind names, what a report handler receives; printk's levels, newline,
 * console level, KERN_CONT and truncation; and the async-signal-safe
 * formatter behind both, compared byte for byte with snprintf().
 */
#include "test_util.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIMER USOFTIRQ_TIMER_SOFTIRQ
#define COMM "rpt-thread"

/* ------------------------------------------------------------------ */
/* Reports from a thread with a known name                             */
/* ------------------------------------------------------------------ */

/* What a report handler received. */
struct got_report {
	enum usoftirq_report_kind kind;
	enum usoftirq_report_level level;
	int cpu, tid;
	const struct usoftirq_tasklet *tasklet;
	char comm[32], text[1024], line[1600];
};

#define MAX_GOT 8
static struct got_report got[MAX_GOT];
static _Atomic unsigned int ngot;

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "(NULL)");
}

static void keep_report(const struct usoftirq_report *r, void *arg)
{
	unsigned int i = atomic_fetch_add(&ngot, 1);

	(void)arg;
	if (i >= MAX_GOT)
		return;
	got[i].kind = r->kind;
	got[i].level = r->level;
	got[i].cpu = r->cpu;
	got[i].tid = r->tid;
	got[i].tasklet = r->tasklet;
	copy(got[i].comm, sizeof(got[i].comm), r->comm);
	copy(got[i].text, sizeof(got[i].text), r->text);
	copy(got[i].line, sizeof(got[i].line), r->line);
}

static void keep_reports(void)
{
	atomic_store(&ngot, 0);
	usoftirq_set_report_handler(keep_report, NULL);
}

struct reporter {
	struct usoftirq_machine *m; /* bind to vCPU 1 of it, if set */
	void (*make)(struct reporter *r);
	int tid;
	int line;
};

/* Run @r->make in a thread named COMM, bound to vCPU 1 of @r->m. */
static void *reporter_main(void *arg)
{
	struct reporter *r = arg;

	(void)pthread_setname_np(pthread_self(), COMM);
	if (r->m && usoftirq_thread_bind(r->m, 1) != 0)
		return NULL;
	r->tid = (int)gettid();
	r->make(r);
	usoftirq_thread_unbind();
	return NULL;
}

static void unbalanced_preempt_enable(struct reporter *r)
{
	(void)r;
	usoftirq_preempt_enable();
}

static void sleep_with_bh_disabled(struct reporter *r)
{
	usoftirq_local_bh_disable();
	r->line = __LINE__ + 1;
	usoftirq_might_sleep();
	usoftirq_local_bh_enable();
}

/* The header of the default line, as documented in src/report.c. */
static void header(char *buf, size_t size, bool warning, int cpu, int tid)
{
	snprintf(buf, size, "usoftirq: %sCPU: %d PID: %d Comm: %s: ",
		 warning ? "WARNING: " : "", cpu, tid, COMM);
}

/* A WARNING report is one stderr line: "usoftirq: WARNING: CPU: <n> PID:
 * <tid> Comm: <name>: <text>", the same line a handler gets as @line. */
static void test_default_handler_writes_one_line(void **state)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	struct reporter r = { .m = m, .make = unbalanced_preempt_enable };
	char out[2048], want[2048];

	(void)state;
	keep_reports();
	run_in_thread(reporter_main, &r);
	usoftirq_set_report_handler(NULL, NULL);
	assert_int_equal(ngot, 1);

	stderr_capture_start();
	run_in_thread(reporter_main, &r);
	(void)stderr_capture_stop(out, sizeof(out));

	header(want, sizeof(want), true, 1, r.tid);
	strcat(want, got[0].text);
	strcat(want, "\n");
	assert_string_equal(out, want);
	assert_non_null(strstr(out, "preempt_enable() without a matching"));
	/* The handler's line carries the first thread's tid. */
	header(want, sizeof(want), true, 1, got[0].tid);
	strcat(want, got[0].text);
	strcat(want, "\n");
	assert_string_equal(got[0].line, want);
	usoftirq_machine_destroy(m);
}

/* A thread without any machine reports CPU -1. */
static void test_report_without_machine_says_cpu_minus_one(void **state)
{
	struct reporter r = { .make = unbalanced_preempt_enable };
	char out[2048], want[256];

	(void)state;
	assert_null(usoftirq_machine_default());
	stderr_capture_start();
	run_in_thread(reporter_main, &r);
	(void)stderr_capture_stop(out, sizeof(out));
	header(want, sizeof(want), true, -1, r.tid);
	assert_memory_equal(out, want, strlen(want));
	/* One line: its only newline is the last byte. */
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
}

/* A multi-line report (the BUG, which has no "WARNING: ") prints every
 * line with the "usoftirq: " prefix, the first after the header. */
static void test_multi_line_report_prefixes_every_line(void **state)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	struct reporter r = { .m = m, .make = sleep_with_bh_disabled };
	char out[2048], want[2048], *trace;
	size_t len;

	(void)state;
	stderr_capture_start();
	run_in_thread(reporter_main, &r);
	(void)stderr_capture_stop(out, sizeof(out));
	header(want, sizeof(want), false, 1, r.tid);
	len = strlen(want);
	snprintf(want + len, sizeof(want) - len,
		 "BUG: sleeping function called from invalid context at "
		 "%s:%d\n"
		 "usoftirq: in_atomic(): 1, irqs_disabled(): 0, non_block: 0, "
		 "pid: %d, name: %s\n"
		 "usoftirq: preempt_count: 200, expected: 0\n"
		 "usoftirq: Call Trace: sleep_with_bh_disabled+0x",
		 __FILE__, r.line, r.tid, COMM);
	assert_memory_equal(out, want, strlen(want));
	trace = out + strlen(want);
	assert_non_null(strchr(trace, '\n'));
	assert_string_equal(strchr(trace, '\n'), "\n");
	usoftirq_machine_destroy(m);
}

/* usoftirq_report_count() counts every report, those a once rule kept
 * from being printed included. */
static void test_report_count_includes_suppressed(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	unsigned long before =
		usoftirq_report_count(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER);

	(void)state;
	assert_int_equal(usoftirq_thread_bind(m, 0), 0);
	keep_reports();
	for (int i = 0; i < 3; i++) {
		usoftirq_raise_softirq(TIMER);
		assert_false(usoftirq_cpu_run_softirqs(m, 0));
	}
	usoftirq_set_report_handler(NULL, NULL);
	assert_int_equal(ngot, 1);
	assert_int_equal(
		usoftirq_report_count(USOFTIRQ_REPORT_SOFTIRQ_NO_HANDLER) -
			before,
		3);
	usoftirq_thread_unbind();
	usoftirq_machine_destroy(m);
}

#define KIND(k) [USOFTIRQ_REPORT_##k] = #k

/* Every kind has a distinct, non-empty, upper-case name, its enum name. */
static void test_kind_names(void **state)
{
	static const char *const names[] = {
		KIND(TASKLET_SCHED_NOT_SET),
		KIND(TASKLET_KILL_FROM_INTERRUPT),
		KIND(TASKLET_SELF_WAIT),
		KIND(TASKLET_WAIT_DEADLOCK),
		KIND(TASKLET_KILL_DISABLED),
		KIND(TASKLET_UNBALANCED_ENABLE),
		KIND(SLEEP_IN_ATOMIC),
		KIND(SOFTIRQ_PREEMPT_LEAK),
		KIND(SOFTIRQ_NO_HANDLER),
		KIND(BH_IN_HARDIRQ),
		KIND(BH_UNBALANCED),
		KIND(PREEMPT_UNBALANCED),
		KIND(DESTROY_PENDING),
		KIND(INVALID_ARGUMENT),
		KIND(BH_ENABLE_IRQS_OFF),
		KIND(IRQ_REQUEST_INVALID),
		KIND(IRQ_FLAGS_MISMATCH),
		KIND(IRQ_REQUEST_FAILED),
		KIND(IRQ_UNBALANCED_ENABLE),
		KIND(IRQ_ENABLE_BEFORE_SETUP),
		KIND(IRQ_FREE_FROM_INTERRUPT),
		KIND(IRQ_FREE_ALREADY_FREE),
		KIND(IRQ_WAKE_THREAD_NO_THREAD),
		KIND(IRQ_HANDLER_ENABLED_IRQS),
		KIND(IRQ_NOBODY_CARED),
		KIND(IRQ_BOGUS_RETURN),
		KIND(IRQ_LEVEL_STUCK),
		KIND(IRQ_SELF_WAIT),
		KIND(LOCK_INCONSISTENT),
		KIND(MMIO_BAD_ACCESS),
		KIND(MMIO_REENTRY),
		KIND(DEVICE),
		KIND(MUTEX_MISUSE),
		KIND(WARN),
		KIND(LOCK_RECURSION),
		KIND(MUTEX_IN_INTERRUPT),
	};

	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]),
			 USOFTIRQ_REPORT_NR_KINDS);
	for (unsigned int k = 0; k < USOFTIRQ_REPORT_NR_KINDS; k++) {
		const char *name = usoftirq_report_kind_name(k);

		assert_non_null(names[k]);
		assert_non_null(name);
		assert_true(name[0] != '\0');
		assert_int_equal(strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"),
				 strlen(name));
		assert_string_equal(name, names[k]);
		for (unsigned int j = 0; j < k; j++)
			assert_string_not_equal(name,
						usoftirq_report_kind_name(j));
	}
}

static void unbalanced_cb(struct usoftirq_tasklet *t)
{
	(void)t;
}

static struct usoftirq_tasklet report_tasklet;

/* TIMER handler that leaks a preempt count. */
static void leaky_handler(void)
{
	usoftirq_preempt_disable();
}

static void three_reports(struct reporter *r)
{
	usoftirq_tasklet_setup(&report_tasklet, unbalanced_cb);
	usoftirq_tasklet_enable(&report_tasklet); /* WARNING */
	usoftirq_raise_softirq(TIMER);
	(void)usoftirq_cpu_run_softirqs(r->m, 1); /* ERR */
	sleep_with_bh_disabled(r); /* BUG */
}

static void assert_got(unsigned int i, enum usoftirq_report_kind kind,
		       enum usoftirq_report_level level, int tid,
		       const struct usoftirq_tasklet *t)
{
	char want[1600];

	assert_int_equal(got[i].kind, kind);
	assert_int_equal(got[i].level, level);
	assert_int_equal(got[i].cpu, 1);
	assert_int_equal(got[i].tid, tid);
	assert_string_equal(got[i].comm, COMM);
	assert_ptr_equal(got[i].tasklet, t);
	assert_true(got[i].text[0] != '\0');
	header(want, sizeof(want), level == USOFTIRQ_REPORT_WARNING, 1, tid);
	assert_memory_equal(got[i].line, want, strlen(want));
}

/* A report handler gets kind, level, vCPU, tid, thread name, tasklet,
 * text and the printed line of each report. */
static void test_handler_receives_every_field(void **state)
{
	struct usoftirq_machine *m =
		test_machine(2, USOFTIRQ_MACHINE_NO_WORKERS);
	struct reporter r = { .m = m, .make = three_reports };

	(void)state;
	assert_int_equal(usoftirq_open_softirq(m, TIMER, leaky_handler), 0);
	keep_reports();
	run_in_thread(reporter_main, &r);
	usoftirq_set_report_handler(NULL, NULL);
	assert_int_equal(ngot, 3);
	assert_got(0, USOFTIRQ_REPORT_TASKLET_UNBALANCED_ENABLE,
		   USOFTIRQ_REPORT_WARNING, r.tid, &report_tasklet);
	assert_non_null(strstr(got[0].text, "unbalanced_cb"));
	assert_got(1, USOFTIRQ_REPORT_SOFTIRQ_PREEMPT_LEAK, USOFTIRQ_REPORT_ERR,
		   r.tid, NULL);
	assert_non_null(strstr(got[1].text, "huh, entered softirq 1 TIMER"));
	assert_got(2, USOFTIRQ_REPORT_SLEEP_IN_ATOMIC, USOFTIRQ_REPORT_BUG,
		   r.tid, NULL);
	assert_non_null(strstr(got[2].text, "BUG: sleeping function"));
	usoftirq_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* printk                                                              */
/* ------------------------------------------------------------------ */

struct logged {
	int level;
	char text[2048];
};

#define MAX_LOGGED 4
static struct logged logged[MAX_LOGGED];
static _Atomic unsigned int nlogged;

static void keep_log(int level, const char *text, void *arg)
{
	unsigned int i = atomic_fetch_add(&nlogged, 1);

	(void)arg;
	if (i >= MAX_LOGGED)
		return;
	logged[i].level = level;
	copy(logged[i].text, sizeof(logged[i].text), text);
}

static void log_start(void)
{
	atomic_store(&nlogged, 0);
	usoftirq_set_printk_handler(keep_log, NULL);
}

static void log_stop(void)
{
	usoftirq_set_printk_handler(NULL, NULL);
	usoftirq_set_console_loglevel(7);
}

/* Formatter cases that differ from snprintf(), listed by line. */
static unsigned int mismatches;

/* Compare what printk logged (@got_len returned) with snprintf()'s @want
 * (@want_len returned), plus the newline printk adds. */
static void same_as_snprintf(int line, const char *want, int want_len,
			     int got_len)
{
	const char *text = logged[0].text;
	size_t n = strlen(want);

	if (atomic_load(&nlogged) == 1 && got_len == want_len &&
	    strlen(text) == n + 1 && memcmp(text, want, n) == 0 &&
	    text[n] == '\n') {
		atomic_store(&nlogged, 0);
		return;
	}
	print_error("line %d: snprintf \"%s\" (%d), printk \"%.*s\" (%d)\n",
		    line, want, want_len, (int)strcspn(text, "\n"), text,
		    got_len);
	mismatches++;
	atomic_store(&nlogged, 0);
}

static char want_buf[2048];

/* printk and snprintf on the same literal format and arguments. */
#define SAME(...)                                                              \
	same_as_snprintf(                                                      \
		__LINE__,                                                      \
		(snprintf(want_buf, sizeof(want_buf), __VA_ARGS__), want_buf), \
		snprintf(NULL, 0, __VA_ARGS__), usoftirq_printk(__VA_ARGS__))

static void format_start(void)
{
	mismatches = 0;
	log_start();
}

static void format_end(void)
{
	log_stop();
	assert_int_equal(mismatches, 0);
}

/* %d %i %u %x %X %o %c %s %% print as snprintf() prints them. */
static void test_format_conversions(void **state)
{
	(void)state;
	format_start();
	SAME("%d %d %d", 0, 42, -42);
	SAME("%d %d", INT_MAX, INT_MIN);
	SAME("%i %i", 7, -7);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("%x %X %x", 0xdeadbeefu, 0xdeadbeefu, 0u);
	SAME("%o %o", 0777u, 0u);
	SAME("%c%c%c", 'a', 'Z', '!');
	SAME("%s|%s", "hello", "");
	SAME("100%%");
	SAME("%%%d%%", 5);
	SAME("%s=%d (%#x) %c%%", "n", 10, 10u, 'z');
	format_end();
}

/* Width and the '-', '0', '#', '+' and ' ' flags on signed and hex
 * conversions, and '#' on octal. */
static void test_format_width_and_flags(void **state)
{
	(void)state;
	format_start();
	SAME("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	SAME("[%1d] [%3d]", 12345, -12345);
	SAME("[%+d] [%+d] [%+d] [%+5d] [%-+5d]", 42, -42, 0, 42, 42);
	SAME("[% d] [% d] [% 5d] [%+05d]", 42, -42, 42, 42);
	SAME("[%#x] [%#X] [%#x] [%#10x] [%#010x] [%-#10x]", 255u, 255u, 0u,
	     255u, 255u, 255u);
	SAME("[%08X] [%8o] [%-8o]", 0xabcu, 8u, 8u);
	SAME("[%#o] [%#o] [%#5o]", 8u, 0u, 8u);
	SAME("[%10s] [%-10s]", "abc", "abc");
	format_end();
}

/* Precision on strings and numbers, alone and with a width. */
static void test_format_precision(void **state)
{
	(void)state;
	format_start();
	SAME("[%.3d] [%.3d] [%8.3d] [%-8.3d]", 7, -7, 7, -7);
	SAME("[%.5x] [%#.5x] [%.2u]", 0xabu, 0xabu, 12345u);
	SAME("[%.2s] [%10.2s] [%-10.2s] [%.10s]", "abc", "abc", "abc", "abc");
	SAME("[%.0s]", "abc");
	format_end();
}

/* '*' takes width and precision from the arguments; a negative width
 * means '-', a negative precision means none. */
static void test_format_star(void **state)
{
	(void)state;
	format_start();
	SAME("[%*d] [%-*d] [%*d]", 6, 42, 6, 42, -6, 42);
	SAME("[%.*d] [%.*d]", 4, 42, -1, 42);
	SAME("[%*.*s] [%.*s]", 8, 3, "abcdef", 2, "abc");
	format_end();
}

/* The length modifiers hh h l ll z t j convert and truncate as C does. */
static void test_format_length_modifiers(void **state)
{
	(void)state;
	format_start();
	SAME("%hhd %hhd %hhu %hhx", 300, 200, 511u, 0x1ffu);
	SAME("%hd %hu %hx", 70000, 70000u, 0x12345u);
	SAME("%ld %ld %lu %lx", LONG_MIN, LONG_MAX, ULONG_MAX, ULONG_MAX);
	SAME("%lld %llu %llo %llX", LLONG_MIN, ULLONG_MAX, ULLONG_MAX,
	     0x123456789abcdefull);
	SAME("%zu %zd %zx", SIZE_MAX, (ssize_t)-5, (size_t)0xabc);
	SAME("%td %td", (ptrdiff_t)-9, (ptrdiff_t)PTRDIFF_MAX);
	SAME("%jd %ju %jx", INTMAX_MIN, UINTMAX_MAX, (uintmax_t)255);
	SAME("[%-12ld] [%012lld]", -5l, -5ll);
	format_end();
}

/* A plain %p prints as snprintf() does, with width and '-'. */
static void test_format_pointer(void **state)
{
	void *p = (void *)(uintptr_t)0x7f00deadbeefull;

	(void)state;
	format_start();
	SAME("[%p]", p);
	SAME("[%20p] [%-20p]", p, p);
	SAME("[%p]", (void *)(uintptr_t)0x10);
	format_end();
}

/* %c honours the width and '-', as in C and the kernel's vsprintf. */
static void test_format_char_width(void **state)
{
	(void)state;
	format_start();
	SAME("[%3c] [%-3c] [%1c]", 'x', 'y', 'z');
	format_end();
}

/*
 * A zero printed with precision 0 has no digits in C ('#' with %o keeps
 * one "0"). The kernel's vsprintf prints "0" here; this test holds the
 * formatter to snprintf(), as its contract says.
 */
static void test_format_zero_with_precision_zero(void **state)
{
	(void)state;
	format_start();
	SAME("[%.0d] [%.0u] [%.0x] [%#.0o]", 0, 0u, 0u, 0u);
	SAME("[%5.0d] [%-3.0x]", 0, 0u);
	format_end();
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
/* '0' is ignored with '-' and with a precision, as C defines (GCC warns
 * about both combinations). */
static void test_format_ignored_zero_flag(void **state)
{
	(void)state;
	format_start();
	SAME("[%-05d] [%08.3d] [%08.3x] [%-#08x]", 42, 7, 0xau, 0xau);
	format_end();
}

/* '+' and ' ' apply to signed conversions only: on %u and %x they do
 * nothing, in C and in the kernel's vsprintf (GCC warns about them). */
static void test_format_sign_flags_on_unsigned(void **state)
{
	(void)state;
	format_start();
	SAME("[%+u] [% u] [%+x] [% x] [%+o]", 5u, 5u, 5u, 5u, 5u);
	format_end();
}

/* A NULL plain %p prints as snprintf() prints it. */
static void test_format_null_pointer(void **state)
{
	(void)state;
	format_start();
	SAME("[%p]", NULL);
	format_end();
}
#pragma GCC diagnostic pop

/* In a child: print "%.3s" of three bytes that end right before a page
 * that cannot be read. */
static void print_unterminated(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *abc;

	(void)arg;
	if (map == MAP_FAILED ||
	    mprotect(map + page, (size_t)page, PROT_NONE) != 0)
		_exit(2);
	abc = map + page - 3;
	memcpy(abc, "abc", 3);
	usoftirq_printk("[%.3s] [%.*s]", abc, 2, abc);
}

/* A precision bounds how much of a string is read, so a field that is not
 * NUL-terminated prints safely, as C and the kernel's vsprintf allow. */
static void test_format_precision_bounds_string_read(void **state)
{
	char out[256];
	int status;

	(void)state;
	status = run_in_child(print_unterminated, NULL, out, sizeof(out));
	if (WIFSIGNALED(status))
		print_error("the child died of signal %d: the formatter read "
			    "past the precision\n",
			    WTERMSIG(status));
	assert_false(WIFSIGNALED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(out, "] [abc] [ab]\n"));
}

/* ------------------------------------------------------------------ */
/* %pS and %ps                                                         */
/* ------------------------------------------------------------------ */

static __attribute__((noinline)) int symbol_target(int x)
{
	return x * 3 + 1;
}

/* Check that @s is "0x<hex>" up to a newline and return the value. */
static unsigned long hex_then_newline(const char *s)
{
	char *end;
	unsigned long v;

	assert_memory_equal(s, "0x", 2);
	v = strtoul(s + 2, &end, 16);
	assert_true(end > s + 2);
	assert_string_equal(end, "\n");
	return v;
}

/* %pS prints "name+0x<off>/0x<size>" of a static function, %ps its name;
 * an address in no function prints as %p. */
static void test_format_symbols(void **state)
{
	struct usoftirq_machine *m =
		test_machine(1, USOFTIRQ_MACHINE_NO_WORKERS);
	const char *fn = (const char *)(uintptr_t)symbol_target;
	static const char full[] = "symbol_target+0x0/";
	static const char inside[] = "symbol_target+0x1/";
	unsigned long size;
	char want[64];
	int heap;

	(void)state;
	assert_int_equal(symbol_target(1), 4);
	log_start();
	usoftirq_printk("%pS", (const void *)fn);
	usoftirq_printk("%ps", (const void *)fn);
	usoftirq_printk("%pS", (const void *)(fn + 1));
	usoftirq_printk("%pS", (void *)&heap);
	log_stop();
	assert_int_equal(nlogged, 4);
	assert_memory_equal(logged[0].text, full, strlen(full));
	size = hex_then_newline(logged[0].text + strlen(full));
	assert_true(size > 0);
	assert_string_equal(logged[1].text, "symbol_target\n");
	assert_memory_equal(logged[2].text, inside, strlen(inside));
	assert_int_equal(hex_then_newline(logged[2].text + strlen(inside)),
			 size);
	snprintf(want, sizeof(want), "%p\n", (void *)&heap);
	assert_string_equal(logged[3].text, want);
	usoftirq_machine_destroy(m);
}

/* ------------------------------------------------------------------ */
/* Levels, newline, console level, KERN_CONT, truncation               */
/* ------------------------------------------------------------------ */

/* A level prefix sets the level (KERN_ERR: 3) and is not printed; a
 * message without one has level 4; a missing newline is added, once. */
static void test_printk_levels_and_newline(void **state)
{
	(void)state;
	log_start();
	assert_int_equal(usoftirq_printk(USOFTIRQ_KERN_ERR "err %d", 1), 5);
	usoftirq_printk("plain\n");
	usoftirq_printk(USOFTIRQ_KERN_INFO "info\n");
	log_stop();
	assert_int_equal(nlogged, 3);
	assert_int_equal(logged[0].level, 3);
	assert_string_equal(logged[0].text, "err 1\n");
	assert_int_equal(logged[1].level, USOFTIRQ_LOGLEVEL_DEFAULT);
	assert_string_equal(logged[1].text, "plain\n");
	assert_int_equal(logged[2].level, 6);
	assert_string_equal(logged[2].text, "info\n");
}

/* KERN_DEBUG is dropped at the default console level 7 and shown after
 * usoftirq_set_console_loglevel(8); a lower console level drops more. */
static void test_console_loglevel(void **state)
{
	(void)state;
	log_start();
	usoftirq_printk(USOFTIRQ_KERN_DEBUG "hidden");
	assert_int_equal(nlogged, 0);
	usoftirq_set_console_loglevel(8);
	usoftirq_printk(USOFTIRQ_KERN_DEBUG "shown");
	assert_int_equal(nlogged, 1);
	assert_int_equal(logged[0].level, 7);
	assert_string_equal(logged[0].text, "shown\n");
	usoftirq_set_console_loglevel(4);
	usoftirq_printk(USOFTIRQ_KERN_WARNING "dropped");
	usoftirq_printk(USOFTIRQ_KERN_ERR "kept");
	log_stop();
	assert_int_equal(nlogged, 2);
	assert_string_equal(logged[1].text, "kept\n");
}

/* KERN_CONT adds no newline and, on stderr, no timestamp. */
static void test_printk_cont(void **state)
{
	char out[256];

	(void)state;
	log_start();
	usoftirq_printk(USOFTIRQ_KERN_CONT "tail");
	log_stop();
	assert_int_equal(nlogged, 1);
	assert_string_equal(logged[0].text, "tail");

	stderr_capture_start();
	usoftirq_printk(USOFTIRQ_KERN_CONT "more\n");
	(void)stderr_capture_stop(out, sizeof(out));
	assert_string_equal(out, "more\n");
}

/* A continuation of a line the console level drops is dropped with it,
 * as the kernel appends it to that line's record. */
static void test_printk_cont_of_dropped_line_is_dropped(void **state)
{
	(void)state;
	log_start();
	usoftirq_printk(USOFTIRQ_KERN_DEBUG "debug line");
	usoftirq_printk(USOFTIRQ_KERN_CONT " continued\n");
	log_stop();
	assert_int_equal(nlogged, 0);
}

/* On stderr a message is "[%5lu.%06lu] text", dmesg's timestamp. */
static void test_printk_default_sink_format(void **state)
{
	char out[256];
	size_t i = 1;

	(void)state;
	stderr_capture_start();
	usoftirq_printk(USOFTIRQ_KERN_ERR "hello %d", 5);
	(void)stderr_capture_stop(out, sizeof(out));
	assert_int_equal(out[0], '[');
	while (out[i] == ' ')
		i++;
	assert_true(out[i] >= '0' && out[i] <= '9');
	while (out[i] >= '0' && out[i] <= '9')
		i++;
	assert_true(i >= 6);
	assert_int_equal(out[i], '.');
	assert_int_equal(strspn(out + i + 1, "0123456789"), 6);
	assert_string_equal(out + i + 7, "] hello 5\n");
}

/* A message longer than 1023 bytes is cut to 1022 bytes plus the
 * newline; one of 1022 bytes is kept whole. */
static void test_printk_truncation(void **state)
{
	static char big[2001], fits[1023];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	memset(fits, 'b', sizeof(fits) - 1);
	log_start();
	assert_int_equal(usoftirq_printk("%s", big), 1022);
	assert_int_equal(usoftirq_printk("%s", fits), 1022);
	log_stop();
	assert_int_equal(nlogged, 2);
	assert_int_equal(strlen(logged[0].text), 1023);
	assert_int_equal(strspn(logged[0].text, "a"), 1022);
	assert_int_equal(logged[0].text[1022], '\n');
	assert_int_equal(strlen(logged[1].text), 1023);
	assert_memory_equal(logged[1].text, fits, 1022);
	assert_int_equal(logged[1].text[1022], '\n');
}

/* After every test, even a failed one: default sinks and console level. */
static int restore_sinks(void **state)
{
	(void)state;
	usoftirq_set_report_handler(NULL, NULL);
	usoftirq_set_printk_handler(NULL, NULL);
	usoftirq_set_console_loglevel(7);
	return 0;
}

#define TEST(f) cmocka_unit_test_teardown(f, restore_sinks)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_default_handler_writes_one_line),
		TEST(test_report_without_machine_says_cpu_minus_one),
		TEST(test_multi_line_report_prefixes_every_line),
		TEST(test_report_count_includes_suppressed),
		TEST(test_kind_names),
		TEST(test_handler_receives_every_field),
		TEST(test_format_conversions),
		TEST(test_format_width_and_flags),
		TEST(test_format_precision),
		TEST(test_format_star),
		TEST(test_format_length_modifiers),
		TEST(test_format_pointer),
		TEST(test_format_char_width),
		TEST(test_format_zero_with_precision_zero),
		TEST(test_format_ignored_zero_flag),
		TEST(test_format_sign_flags_on_unsigned),
		TEST(test_format_null_pointer),
		TEST(test_format_precision_bounds_string_read),
		TEST(test_format_symbols),
		TEST(test_printk_levels_and_newline),
		TEST(test_console_loglevel),
		TEST(test_printk_cont),
		TEST(test_printk_cont_of_dropped_line_is_dropped),
		TEST(test_printk_default_sink_format),
		TEST(test_printk_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
