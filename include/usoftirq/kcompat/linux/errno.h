/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/errno.h>: the UAPI header of the same name (EPERM
 * ... EHWPOISON; glibc's <errno.h> includes it), then the kernel-internal
 * codes that never reach user space in the kernel but that ported driver
 * code returns and tests for: ERESTARTSYS, EPROBE_DEFER, ENOTSUPP,
 * ENOIOCTLCMD and the others, with the kernel's values.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_ERRNO_H
#define USOFTIRQ_KCOMPAT_LINUX_ERRNO_H

#if defined(__has_include_next)
#if __has_include_next(<linux/errno.h>)
#include_next <linux/errno.h>
#endif
#endif

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ENOIOCTLCMD 515
#define ERESTART_RESTARTBLOCK 516
#define EPROBE_DEFER 517
#define EOPENSTALE 518
#define ENOPARAM 519
#define EBADHANDLE 521
#define ENOTSYNC 522
#define EBADCOOKIE 523
#define ENOTSUPP 524
#define ETOOSMALL 525
#define ESERVERFAULT 526
#define EBADTYPE 527
#define EJUKEBOX 528
#define EIOCBQUEUED 529
#define ERECALLCONFLICT 530
#define ENOGRACE 531

#endif /* USOFTIRQ_KCOMPAT_LINUX_ERRNO_H */
