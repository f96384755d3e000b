/* SPDX-License-Identifier: MIT */
/*
 * compat_glibc, glibc headers only: nothing of ours is included by name,
 * yet glibc includes <linux/types.h>, <linux/errno.h>, <linux/limits.h>,
 * <linux/stddef.h> and (through <sys/sysinfo.h>) <linux/kernel.h>, and
 * with the kcompat directory on the include path it finds ours. The
 * program must compile and glibc must behave exactly as without them.
 */
#include "glibc_headers.h"

#include "glibc_test.h"

/* Proof that glibc's own includes reached the kcompat headers. */
#ifndef USOFTIRQ_KCOMPAT_LINUX_TYPES_H
#error "glibc did not reach kcompat <linux/types.h>"
#endif
#ifndef USOFTIRQ_KCOMPAT_LINUX_ERRNO_H
#error "glibc did not reach kcompat <linux/errno.h>"
#endif
#ifndef USOFTIRQ_KCOMPAT_LINUX_LIMITS_H
#error "glibc did not reach kcompat <linux/limits.h>"
#endif
#ifndef USOFTIRQ_KCOMPAT_LINUX_STDDEF_H
#error "glibc did not reach kcompat <linux/stddef.h>"
#endif
#ifndef USOFTIRQ_KCOMPAT_LINUX_KERNEL_H
#error "glibc did not reach kcompat <linux/kernel.h>"
#endif

static int compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int glibc_only_check(void)
{
	int v[] = { 3, 1, 2 };
	struct sysinfo si;
	struct utsname uts;
	char path[PATH_MAX];
	int fd;

	CHECK(EAGAIN == 11 && EWOULDBLOCK == EAGAIN && ENOSYS == 38);
	CHECK(PATH_MAX == 4096 && NAME_MAX == 255 && PIPE_BUF == 4096);
	CHECK(sizeof(__u32) == 4 && sizeof(__le64) == 8);
	CHECK(sysinfo(&si) == 0 && uname(&uts) == 0);
	CHECK(getcwd(path, sizeof(path)) != NULL);
	qsort(v, 3, sizeof(v[0]), compare_ints);
	CHECK(v[0] == 1 && v[2] == 3);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(close(fd) == 0);
	errno = 0;
	CHECK(close(-1) == -1 && errno == EBADF);
	return 0;
}
