/* SPDX-License-Identifier: MIT */
/*
 * Peer: a libuv loop on its own thread with a uv_async_t, woken from
 * other threads with uv_async_send() (libuv's documented cross-thread
 * wake-up, async-signal-safe, coalescing). Built only when libuv is found
 * (BENCH_HAVE_LIBUV); the programs report the peer as skipped otherwise.
 */
#ifndef BENCH_PEER_UV_H
#define BENCH_PEER_UV_H

#include <stdbool.h>
#include <sys/types.h>

struct uvp;

/* Whether this build has the libuv peer. */
bool uvp_available(void);

/* Start a loop thread pinned to @cpu whose async callback calls @fn(@arg).
 * With @run false no thread runs the loop: sends stay pending (for the
 * coalesced-send cost). NULL if libuv is missing. */
struct uvp *uvp_start(int cpu, bool run, void (*fn)(void *arg), void *arg);

/* uv_async_send() on the peer's handle. */
void uvp_send(struct uvp *p);

/* Run a loop started with @run false once, in the caller, without
 * waiting: pending sends call the callback. */
void uvp_poll(struct uvp *p);

/* The loop thread's id (0 without a thread). */
pid_t uvp_tid(const struct uvp *p);

void uvp_stop(struct uvp *p);

#endif /* BENCH_PEER_UV_H */
