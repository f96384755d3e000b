/* SPDX-License-Identifier: MIT */
/* System call counting with a perf tracepoint counter; see syscount.h. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscount.h"

static const char *const id_paths[] = {
	"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
	"/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
};

static long tracepoint_id(void)
{
	for (size_t i = 0; i < sizeof(id_paths) / sizeof(id_paths[0]); i++) {
		FILE *f = fopen(id_paths[i], "r");
		long id;

		if (!f)
			continue;
		if (fscanf(f, "%ld", &id) != 1)
			id = -1;
		fclose(f);
		if (id >= 0)
			return id;
	}
	return -1;
}

bool bench_syscount_open(struct bench_syscount *c)
{
	struct perf_event_attr attr;
	long id = tracepoint_id();

	c->fd = -1;
	c->baseline = 0;
	c->why[0] = '\0';
	if (id < 0) {
		snprintf(c->why, sizeof(c->why),
			 "tracepoint raw_syscalls:sys_enter not found "
			 "(tracefs not mounted?)");
		return false;
	}
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = (uint64_t)id;
	attr.disabled = 1;
	c->fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (c->fd < 0) {
		snprintf(c->why, sizeof(c->why), "perf_event_open: %s",
			 strerror(errno));
		return false;
	}
	bench_syscount_start(c);
	c->baseline = 0;
	c->baseline = bench_syscount_stop(c);
	return true;
}

void bench_syscount_start(struct bench_syscount *c)
{
	if (c->fd < 0)
		return;
	(void)ioctl(c->fd, PERF_EVENT_IOC_RESET, 0);
	(void)ioctl(c->fd, PERF_EVENT_IOC_ENABLE, 0);
}

uint64_t bench_syscount_stop(struct bench_syscount *c)
{
	uint64_t n = 0;

	if (c->fd < 0)
		return 0;
	(void)ioctl(c->fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(c->fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return 0;
	return n >= c->baseline ? n - c->baseline : 0;
}

void bench_syscount_close(struct bench_syscount *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
