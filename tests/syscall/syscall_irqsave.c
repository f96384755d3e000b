/* SPDX-License-Identifier: MIT */
/*
 * Proof that the interrupt-masking fast paths make no system call: one
 * million spin_lock_irqsave()/spin_unlock_irqrestore() pairs and one
 * million local_irq_save()/local_irq_restore() pairs, on a thread bound to
 * a vCPU of a machine with workers, without a single system call (the
 * product's performance table: "spin_lock_irqsave + restore ... no system
 * call"; docs/contexts.md: "None of these makes a system call").
 *
 * Two independent witnesses, each with a control run that proves it can
 * see a system call:
 *
 *  seccomp   The loop runs in a thread that has entered seccomp strict
 *            mode, where any system call but read, write, _exit and
 *            sigreturn kills the thread with SIGKILL (strict mode kills
 *            the calling thread, not the process). The loop thread
 *            reports its result with write() and leaves with SYS_exit
 *            (the thread only); a thread that was killed reports
 *            nothing, and the process exits with EXIT_KILLED. Control:
 *            the same with one getppid() per iteration must be killed.
 *
 *  strace    The program runs under "strace -f". The loop thread marks the
 *            loop's start and end with a failing write(-1, "...") each;
 *            the system calls strace saw that thread make between the two
 *            marks must be none, for N = 1,000,000 as for N = 0, and the
 *            thread's whole life must make as many system calls with
 *            N = 1,000,000 as with N = 0. Control: a loop of 1000
 *            getppid() calls shows exactly 1000. Exits 77 (CTest's skip
 *            code for this test) when strace is not installed.
 *
 * Usage: syscall_irqsave seccomp
 *        syscall_irqsave strace [path-to-strace]
 *        syscall_irqsave loop <n> <irqsave|getppid>   (run by the above)
 *
 * Exit status: 0 pass, 1 fail, 77 skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <usoftirq.h>

#define LOOPS 1000000ul
#define CONTROL_LOOPS 1000ul
#define EXIT_SKIP 77
#define EXIT_KILLED 3 /* the loop thread died without reporting */

#define MARK_BEGIN "usoftirq-loop-begin"
#define MARK_END "usoftirq-loop-end"

enum loop_kind { LOOP_IRQSAVE, LOOP_GETPPID };

struct loop {
	struct usoftirq_machine *m;
	unsigned long n;
	enum loop_kind kind;
	bool seccomp; /* enter strict mode before the loop */
	int report_fd; /* the thread writes its result here */
};

/* What the loop thread writes to report_fd. */
struct loop_result {
	unsigned long counted;
	unsigned int preempt_count;
	bool irqs_disabled;
};

static usoftirq_spinlock_t lock = USOFTIRQ_SPINLOCK_INIT(lock);
static unsigned long counter; /* under @lock */

static void irqsave_pair(void)
{
	unsigned long flags = usoftirq_spin_lock_irqsave(&lock);

	counter++;
	usoftirq_spin_unlock_irqrestore(&lock, flags);
	flags = usoftirq_local_irq_save();
	usoftirq_local_irq_restore(flags);
}

static void run_loop(const struct loop *l)
{
	for (unsigned long i = 0; i < l->n; i++) {
		if (l->kind == LOOP_IRQSAVE)
			irqsave_pair();
		else
			(void)syscall(SYS_getppid);
	}
}

/* A marker strace shows as write(-1, "usoftirq-loop-...", n) = -EBADF. */
static void mark(const char *what)
{
	ssize_t r = write(-1, what, strlen(what));

	(void)r;
}

static void *loop_thread(void *arg)
{
	const struct loop *l = arg;
	struct loop_result res;
	ssize_t w;

	if (usoftirq_thread_bind(l->m, 0) != 0)
		abort();
	/* Warm-up: the first lock caches the thread id (gettid) and records
	 * the lock's lockdep usage; the fast path is what follows. */
	irqsave_pair();
	counter = 0;
	if (l->seccomp && prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0)
		abort();
	mark(MARK_BEGIN);
	run_loop(l);
	mark(MARK_END);
	res.counted = counter;
	res.preempt_count = usoftirq_preempt_count();
	res.irqs_disabled = usoftirq_irqs_disabled();
	usoftirq_thread_unbind();
	w = write(l->report_fd, &res, sizeof(res));
	(void)w;
	if (l->seccomp)
		syscall(SYS_exit, 0); /* exit_group is not allowed */
	return NULL;
}

/* Run the loop in a new thread of a machine with one worker; 0 if the
 * thread ran it completely and left the lock and masks as it found them,
 * EXIT_KILLED if it died (seccomp) before reporting, 1 otherwise. */
static int run_on_machine(unsigned long n, enum loop_kind kind, bool seccomp)
{
	struct usoftirq_machine_config cfg = USOFTIRQ_MACHINE_CONFIG_INIT;
	struct loop l = { .n = n, .kind = kind, .seccomp = seccomp };
	struct loop_result res = { 0 };
	int fds[2], err;
	pthread_t t;

	cfg.ncpus = 1;
	if (usoftirq_machine_create(&l.m, &cfg) != 0 || pipe(fds) != 0)
		return 1;
	l.report_fd = fds[1];
	if (pthread_create(&t, NULL, loop_thread, &l) != 0 ||
	    pthread_join(t, NULL) != 0)
		return 1;
	/* The thread is gone: whatever it wrote is in the pipe, so a read
	 * that would block means it wrote nothing. */
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0)
		return 1;
	if (read(fds[0], &res, sizeof(res)) != (ssize_t)sizeof(res)) {
		/* Killed while bound to vCPU 0: the machine's bookkeeping
		 * of that thread cannot be trusted; leave it. */
		return EXIT_KILLED;
	}
	err = 0;
	usoftirq_machine_destroy(l.m);
	if (kind == LOOP_IRQSAVE &&
	    (res.counted != n || res.preempt_count || res.irqs_disabled))
		err = 1;
	return err;
}

/* ------------------------------------------------------------------ */
/* seccomp                                                             */
/* ------------------------------------------------------------------ */

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static int seccomp_child_status(unsigned long n, enum loop_kind kind)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(run_on_machine(n, kind, true));
	return wait_child(pid);
}

static int run_seccomp(void)
{
	int status = seccomp_child_status(LOOPS, LOOP_IRQSAVE);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("FAIL: %lu irqsave/irqrestore pairs under seccomp "
		       "strict mode: %s %d (exit %d: the loop thread was "
		       "killed, a system call was made)\n",
		       LOOPS, WIFSIGNALED(status) ? "killed by signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) :
					     WEXITSTATUS(status),
		       EXIT_KILLED);
		return 1;
	}
	printf("ok: %lu spin_lock_irqsave/irqrestore and local_irq_save/"
	       "restore pairs under seccomp strict mode\n",
	       LOOPS);
	status = seccomp_child_status(1, LOOP_GETPPID);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_KILLED) {
		printf("FAIL: control: one getppid() under seccomp strict "
		       "mode did not kill the loop thread (status %#x)\n",
		       status);
		return 1;
	}
	printf("ok: control: one getppid() under seccomp strict mode kills "
	       "the loop thread\n");
	return 0;
}

/* ------------------------------------------------------------------ */
/* strace                                                              */
/* ------------------------------------------------------------------ */

/* What strace saw of the loop thread. */
struct traced {
	long tid; /* the thread that wrote the begin mark, or 0 */
	long in_loop; /* its system calls between the marks */
	long total; /* all its system calls */
	bool ended; /* the end mark was seen */
};

static bool find_strace(const char *configured, char *path, size_t size)
{
	const char *dirs[] = { "/usr/bin", "/bin", "/usr/local/bin" };

	if (configured && *configured && access(configured, X_OK) == 0) {
		snprintf(path, size, "%s", configured);
		return true;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, size, "%s/strace", dirs[i]);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* Run "strace -f -qq -o @out self loop @n @kind"; its exit status. */
static int run_traced(const char *strace, const char *self, const char *out,
		      unsigned long n, const char *kind)
{
	char count[32];
	pid_t pid;

	snprintf(count, sizeof(count), "%lu", n);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(strace, strace, "-f", "-qq", "-o", out, self, "loop",
		      count, kind, (char *)NULL);
		_exit(127);
	}
	return wait_child(pid);
}

/*
 * One strace line: "<pid> <syscall>(...) = ...", or "<pid> <... x
 * resumed> ...", or "<pid> --- SIG... ---" / "+++ exited ... +++". Only
 * lines that start a system call count as one. Returns the pid and sets
 * @rest to what follows it.
 */
static long line_pid(const char *line, const char **rest)
{
	char *end;
	long pid = strtol(line, &end, 10);

	while (*end == ' ')
		end++;
	*rest = end;
	return pid;
}

static bool starts_syscall(const char *rest)
{
	return strncmp(rest, "<...", 4) != 0 && strncmp(rest, "---", 3) != 0 &&
	       strncmp(rest, "+++", 3) != 0;
}

/* First pass: the marked thread, and its system calls between the marks
 * (strace writes each thread's lines in the order it made them). */
static void find_loop(FILE *f, struct traced *t)
{
	char line[4096];
	const char *rest;
	bool inside = false;

	while (fgets(line, sizeof(line), f)) {
		long pid = line_pid(line, &rest);

		if (!t->tid && strstr(rest, "\"" MARK_BEGIN "\"")) {
			t->tid = pid;
			inside = true;
		} else if (pid == t->tid && starts_syscall(rest)) {
			if (strstr(rest, "\"" MARK_END "\"")) {
				inside = false;
				t->ended = true;
			} else if (inside) {
				t->in_loop++;
			}
		}
	}
}

/* Second pass: every system call of that thread. */
static void count_thread(FILE *f, struct traced *t)
{
	char line[4096];
	const char *rest;

	while (fgets(line, sizeof(line), f))
		if (line_pid(line, &rest) == t->tid && starts_syscall(rest))
			t->total++;
}

static bool parse_trace(const char *out, struct traced *t)
{
	FILE *f = fopen(out, "r");

	memset(t, 0, sizeof(*t));
	if (!f)
		return false;
	find_loop(f, t);
	rewind(f);
	if (t->tid)
		count_thread(f, t);
	fclose(f);
	return t->tid && t->ended;
}

static int trace_once(const char *strace, const char *self, unsigned long n,
		      const char *kind, struct traced *t)
{
	char out[] = "/tmp/usoftirq-strace-XXXXXX";
	int fd = mkstemp(out), status;

	if (fd < 0)
		return 1;
	close(fd);
	status = run_traced(strace, self, out, n, kind);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    !parse_trace(out, t)) {
		printf("FAIL: strace run of \"loop %lu %s\" (status %#x) "
		       "shows no complete loop; trace left in %s\n",
		       n, kind, status, out);
		return 1;
	}
	unlink(out);
	printf("   loop %lu %s: thread %ld made %ld system calls in the "
	       "loop, %ld in its life\n",
	       n, kind, t->tid, t->in_loop, t->total);
	return 0;
}

static int run_strace(const char *configured)
{
	struct traced none, full, control;
	char strace[512], self[512];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!find_strace(configured, strace, sizeof(strace))) {
		printf("SKIP: strace is not installed\n");
		return EXIT_SKIP;
	}
	if (len <= 0)
		return 1;
	self[len] = '\0';
	if (trace_once(strace, self, CONTROL_LOOPS, "getppid", &control) ||
	    trace_once(strace, self, 0, "irqsave", &none) ||
	    trace_once(strace, self, LOOPS, "irqsave", &full))
		return 1;
	if (control.in_loop != (long)CONTROL_LOOPS) {
		printf("FAIL: control: strace saw %ld of %lu getppid() calls\n",
		       control.in_loop, CONTROL_LOOPS);
		return 1;
	}
	if (none.in_loop != 0 || full.in_loop != 0 ||
	    full.total != none.total) {
		printf("FAIL: system calls in the irqsave loop: %ld with N=0, "
		       "%ld with N=%lu; in the thread's life %ld and %ld\n",
		       none.in_loop, full.in_loop, LOOPS, none.total,
		       full.total);
		return 1;
	}
	printf("ok: no system call in %lu irqsave/irqrestore pairs under "
	       "strace (the thread makes %ld with N=0 and with N=%lu)\n",
	       LOOPS, full.total, LOOPS);
	return 0;
}

/* ------------------------------------------------------------------ */

static int run_loop_command(const char *n, const char *kind)
{
	enum loop_kind k = strcmp(kind, "getppid") == 0 ? LOOP_GETPPID :
							  LOOP_IRQSAVE;

	return run_on_machine(strtoul(n, NULL, 10), k, false);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "seccomp") == 0)
		return run_seccomp();
	if (argc >= 2 && strcmp(argv[1], "strace") == 0)
		return run_strace(argc >= 3 ? argv[2] : NULL);
	if (argc == 4 && strcmp(argv[1], "loop") == 0)
		return run_loop_command(argv[2], argv[3]);
	fprintf(stderr,
		"usage: %s seccomp | strace [strace-path] | loop <n> "
		"<irqsave|getppid>\n",
		argv[0]);
	return 2;
}
