/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One run of one checker against one target: a probe. The engine
 * (healthcheck/engine.c) schedules probes, bounds how many run at once and
 * each one's time; a checker kind (healthcheck/check_*.c, one per
 * keepalived checker) does the conversation. Everything is non-blocking.
 *
 * A kind's start() begins the check and returns 0; it later calls
 * chk_probe_done() exactly once (never from inside start(): a failure at
 * once is start() returning -1 after chk_probe_fail-ing). The engine's
 * timer bounds the whole probe: on expiry it calls the kind's cancel()
 * and records "timeout". cancel() must release everything the probe holds
 * (fd, TLS, buffers, scripts) without calling done. A kind that keeps
 * timers of its own (SMTP_CHECK's hosts one after the other, UDP_CHECK
 * taking silence for success, MISC_CHECK's SIGTERM grace) may set
 * p->timeout in start() to a later backstop: the engine arms its timer
 * after start() returns.
 *
 * Replies are read into buffers of at most CHK_REPLY_MAX bytes (unless the
 * checker's configuration says otherwise): a reply that does not fit
 * fails the check, it is never kept growing.
 */
#ifndef VIGIL_CHK_PROBE_H
#define VIGIL_CHK_PROBE_H

#include <stdint.h>
#include <sys/time.h>

#include "addr.h"
#include "healthcheck/config.h"
#include "runas.h"

struct event_base;
struct script_runner;

#define CHK_REPLY_MAX (64u * 1024)
#define CHK_REASON_LEN 192

/* What every probe of the child shares. */
struct chk_env {
	struct event_base *base;
	struct script_runner *scripts;	/* MISC_CHECK, notify */
	const struct chk_conf *conf;	/* the running generation: SSL block */
	struct runas_defaults runas;	/* who scripts run as (script_user,
					 * enable_script_security) */
	int rs_init_notifies;		/* global_defs: notify_up for the
					 * real servers up from the start */
	void *kinds[CHK_KIND_MAX];	/* a kind's shared state (PING's raw
					 * sockets, the TLS context), made
					 * on first use, freed by kind_free */
};

struct chk_probe;
typedef void chk_probe_done_fn(struct chk_probe *p, void *arg);

struct chk_probe {
	struct chk_env *env;
	const struct chk_checker_conf *conf;	/* effective settings */
	const struct chk_conf_conn *conn;	/* conf->conn, or an SMTP host */
	const struct chk_rs_conf *rs;
	const struct chk_vs_conf *vs;		/* one of the VSs it serves */
	struct vg_addr addr;		/* connect_ip, else the real server */
	unsigned port;			/* connect_port, else the rs port */
	char name[56];			/* "[10.1.0.7]:80", for logs */
	uint64_t started;		/* monotonic usec */
	uint64_t timeout;		/* usec: connect_timeout, misc timeout */
	int fd;				/* -1: none; closed by the engine
					 * after done/cancel if still open */
	void *kstate;			/* the kind's own state */

	/* the result, set by chk_probe_done / chk_probe_fail */
	int ok;
	int weight;			/* MISC dynamic / FILE: new weight,
					 * CHK_INT_UNSET if none */
	char *reason;			/* why it failed ("status 503,
					 * expected 200"), or "": a buffer
					 * of CHK_REASON_LEN held only while
					 * the probe runs; in done() the last
					 * result's (copy it there) */

	/* the engine's */
	chk_probe_done_fn *done;
	void *done_arg;
	struct probe_evs *evs;		/* timeout and finish, from a pool
					 * while it runs; NULL when idle */
	int running;
};

struct chk_kind {
	enum chk_checker_kind kind;
	const char *name;		/* "TCP_CHECK" */
	int (*start)(struct chk_probe *p);
	void (*cancel)(struct chk_probe *p);
	/* optional: free env->kinds[kind] */
	void (*kind_free)(struct chk_env *env);
	/* file descriptors a probe holds while it runs (0: PING, FILE) */
	unsigned fds;
	/* optional: free p->kstate that a kind keeps from one run of the
	 * probe to the next (so that a run allocates nothing); called by
	 * chk_probe_release() when p->kstate is not NULL */
	void (*release)(struct chk_probe *p);
	/* optional: free what the kind pools for probes in flight (its
	 * pool grows to the most ever in flight at once) */
	void (*kind_trim)(void);
};

/* The kind for k, or NULL if vigil has none yet. */
const struct chk_kind *chk_kind_find(enum chk_checker_kind k);

/*
 * A non-blocking socket of type (SOCK_STREAM / SOCK_DGRAM) and protocol,
 * bound as conn says (bindto, bind_port, bind_if, fwmark), connect()ed to
 * p->addr:p->port (EINPROGRESS is success). p->fd holds it. 0, or -1 with
 * p->reason set.
 */
int chk_probe_socket(struct chk_probe *p, int type, int protocol);

/* The result. done runs from the loop, after the caller returns. */
void chk_probe_done(struct chk_probe *p, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set the failure reason without finishing (start() returning -1). */
void chk_probe_fail(struct chk_probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A check decided without I/O of its own (TRACK_FILE's read, BFD_CHECK's
 * session looked up): its state, size bytes zeroed with a struct
 * chk_later first, as p->kstate (kept from run to run), and an event
 * that runs cb(-1, EV_TIMEOUT, p) in the next turn of the loop, so that
 * the result comes back as an I/O check's does. chk_later_start: 0, or
 * -1 with the reason set ("cannot schedule WHAT"); the other two are the
 * kind's cancel and release.
 */
struct event;
struct chk_later {
	struct event *ev;
};
int chk_later_start(struct chk_probe *p, size_t size,
    void (*cb)(int, short, void *), const char *what);
void chk_later_cancel(struct chk_probe *p);
void chk_later_release(struct chk_probe *p);

/* Make p a probe of checker ck of real server rs under vs: target
 * (connect_ip / connect_port, else the real server's), name, timeout
 * (connect_timeout; MISC_CHECK: its timeout), no result. p holds no
 * events yet (fields the engine owns are cleared). */
void chk_probe_init(struct chk_probe *p, struct chk_env *env,
    const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    const struct chk_checker_conf *ck);

/* Start p (kind, target and timeout set); 0, or -1 if it failed at once
 * (p->reason says why; done is not called). */
int chk_probe_start(struct chk_probe *p, chk_probe_done_fn *done,
    void *arg);
/* Stop p if it runs; done is not called. */
void chk_probe_cancel(struct chk_probe *p);
/* Cancel p and free what its runs kept (its events, the kind's kstate);
 * p may be started again afterwards. */
void chk_probe_release(struct chk_probe *p);
/* 1 while p runs (started, done not yet called). */
int chk_probe_running(const struct chk_probe *p);

/* A timeout of usec for event_add(): one of libevent's common timeouts
 * (O(1) for many timers of that duration) for the first durations asked
 * for, a plain one after. */
struct timeval chk_timeout_tv(struct event_base *base, uint64_t usec);

/* Free the pool of events probes take while they run (it grows to the
 * most probes ever in flight at once; a start's burst leaves it large). */
void chk_probe_trim(void);

/* strerror(err) as log lines read it: "connection refused". */
const char *chk_probe_strerror(int err, char *buf, size_t len);

#endif
