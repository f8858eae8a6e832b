/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health-check engine: what the checker child runs.
 *
 *   check (engine.c)  one per distinct check (address, port, effective
 *                     checker settings): its next run in the engine's
 *                     schedule, a probe from the engine's pool while it
 *                     runs. Real
 *                     servers of several virtual servers that name the
 *                     same check subscribe to one; its result serves them
 *                     all. Retry / delay_before_retry and alpha live here
 *                     (they are checker settings, part of the identity).
 *   real server (rs.c) up when every one of its checks is up; weight
 *                     (MISC dynamic), inhibit_on_failure, notify_up/down,
 *                     its destination in the desired table.
 *   virtual server (vs.c) quorum with hysteresis, quorum_up/down, the
 *                     sorry server; its service in the desired table.
 *
 * Probes in flight are bounded by the open-files limit; checks due when
 * no descriptor is free wait in a queue, first come first served.
 */
#ifndef VIGIL_CHK_ENGINE_H
#define VIGIL_CHK_ENGINE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/util.h>

#include "healthcheck/chk_sched.h"
#include "healthcheck/config.h"
#include "healthcheck/dataplane.h"
#include "healthcheck/probe.h"
#include "htab.h"
#include "notify_fifo.h"

struct chk_engine;
struct chk_rsrun;
struct chk_vsrun;
struct chk_ovr;
struct smtp_alert;

/* A cumulative latency histogram (one per virtual server): the upper
 * bounds in usec are chk_hist_le[]; the last bucket is +Inf. */
#define CHK_HIST_BUCKETS 10
extern const uint64_t chk_hist_le[CHK_HIST_BUCKETS - 1];
struct chk_hist {
	uint64_t count[CHK_HIST_BUCKETS];	/* per bucket (not cumulative) */
	uint64_t sum_us;
};
void chk_hist_add(struct chk_hist *h, uint64_t usec);

/* Why a check failed, counted per check (docs/state.md failures_*). */
enum chk_fail {
	CHK_FAIL_TIMEOUT = 0,
	CHK_FAIL_CONNECT,
	CHK_FAIL_RESET,
	CHK_FAIL_STATUS,
	CHK_FAIL_DIGEST,
	CHK_FAIL_REGEX,
	CHK_FAIL_TLS,
	CHK_FAIL_SCRIPT,
	CHK_FAIL_REPLY,		/* anything else the peer answered wrong */
	CHK_FAIL_MAX
};
/* The class of a failure reason ("timeout after 5.0 s" -> timeout). */
enum chk_fail chk_fail_class(enum chk_checker_kind kind, const char *reason);
const char *chk_fail_name(enum chk_fail f);

/* One checker of one real server: its link to the check it uses. */
struct chk_sub {
	LIST_ENTRY(chk_sub) link;	/* in the check's subscribers */
	struct chk_check *check;
	struct chk_rsrun *rs;
	const struct chk_checker_conf *conf;
};

/* What a check that ever failed keeps: its failures by class and the
 * last failure's reason ("" once it succeeds again). Made on its first
 * failure: most checks never fail and hold none. */
struct chk_check_fails {
	uint32_t n[CHK_FAIL_MAX];
	char reason[];
};

/* A check's retries count up to this (retry past it: as many). */
#define CHK_RETRIES_MAX ((1u << 23) - 1)

/*
 * A check: what lasts between its runs (72 bytes, an 80-byte heap chunk;
 * most checks have one real server). What a run needs (target, buffers,
 * events, the kind's conversation) is a struct chk_probe taken from the
 * engine's pool of probes when it starts and given back when it ends: the
 * pool grows to the most probes ever in flight at once, which the
 * descriptor budget bounds. Its next run waits in the engine's schedule
 * (chk_sched.h).
 */
struct chk_check {
	struct htab_node hnode;		/* in the engine's checks */
	const struct chk_checker_conf *conf;	/* a subscriber's: what
					 * its probes run */
	LIST_HEAD(, chk_sub) subs;
	union {
		struct chk_probe *probe;	/* running: from the pool */
		void *kstate;		/* idle: what the kind keeps from
					 * one run to the next (NULL: none) */
	} r;
	union {
		struct chk_sched_node sched;	/* its next run */
		struct chk_check *qnext;	/* waiting for a descriptor */
	} w;
	struct chk_check_fails *fails;	/* NULL: it never failed */
	unsigned long long runs;
	uint32_t last;			/* wall clock (s) of the last result */
	uint32_t latency;		/* usec, last probe (saturated) */
	int weight;			/* last dynamic weight; CHK_INT_UNSET */
	unsigned retries:23;		/* failures counted against retry
					 * (CHK_RETRIES_MAX at most) */
	unsigned running:1, queued:1, up:1, has_result:1, last_ok:1,
	    fresh:1;
	unsigned flipped:1;		/* the last result changed up */
	unsigned decided:1;		/* a result past its retries */
	unsigned alpha_start:1;		/* started down (alpha), state
					 * unknown */
};

/* The last failure's reason while it fails, else NULL. */
static inline const char *
chk_check_reason(const struct chk_check *c)
{
	return c->fails != NULL && c->fails->reason[0] != '\0' ?
	    c->fails->reason : NULL;
}
/* More than one real server uses it. */
static inline int
chk_check_shared(const struct chk_check *c)
{
	return LIST_FIRST(&c->subs) != NULL &&
	    LIST_NEXT(LIST_FIRST(&c->subs), link) != NULL;
}

/* Its kind (NULL: vigil has none yet), failures of every class, and
 * "[10.1.0.7]:80" (its target, for logs) into buf. */
const struct chk_kind *chk_check_kind(const struct chk_check *c);
unsigned long long chk_check_failures(const struct chk_check *c);
const char *chk_check_target(const struct chk_check *c, char *buf,
    size_t len);
#define CHK_TARGET_LEN 56

struct chk_rsrun {
	struct htab_node hnode;		/* in its virtual server's index */
	TAILQ_ENTRY(chk_rsrun) link;
	struct chk_vsrun *vs;
	const struct chk_rs_conf *conf;
	struct chk_ovr *ovr;		/* runtime override; NULL: none */
	struct dp_counters *ipvs;	/* its destination's, last read;
					 * made when the kernel first
					 * reports them (chk_stats.c) */
	/* 120 bytes, a 128-byte heap chunk: what follows is packed */
	uint32_t since;			/* wall clock (s) of its last change */
	unsigned transitions;
	unsigned nsubs;
	int weight;			/* effective when up */
	uint32_t pidx;			/* while pending: its place in the
					 * engine's queue (pendq) */
	signed char up;			/* 1, 0, -1: not decided yet */
	unsigned char ipvs_known;	/* ipvs holds what the kernel said */
	unsigned char pending:1;	/* waiting for its checks (start,
					 * reload) */
	unsigned char many:1;		/* more than one checker: s.many */
	/* decided before its checks are attached (chk_rs_start), as they
	 * will start: up holds that state until they are */
	unsigned char early:1;
	unsigned char handed:2;		/* its handed-over state + 1 (0:
					 * none) */
	union {
		struct chk_sub one;	/* a real server with one checker
					 * (most have one) */
		struct chk_sub *many;	/* one per checker */
	} s;
};
/* Its checkers' links to their checks (rs->nsubs of them). */
static inline struct chk_sub *
chk_rs_subs(const struct chk_rsrun *rs)
{
	return rs->many ? rs->s.many : (struct chk_sub *)&rs->s.one;
}
TAILQ_HEAD(chk_rslist, chk_rsrun);

struct chk_vsrun {
	struct htab_node hnode;		/* in the engine's vsruns */
	TAILQ_ENTRY(chk_vsrun) link;
	struct chk_engine *eng;
	const struct chk_vs_conf *conf;
	struct htab rsidx;		/* by (address, port) */
	struct chk_rslist rs;
	unsigned nrs;
	struct dp_svc *svc;
	int quorum_up;			/* -1 until first evaluated */
	int sorry_in;			/* quorum lost: the sorry server in */
	int sorry_set;			/* sorry_dest is in the table */
	struct dp_dest sorry_dest;
	long weight_sum;
	unsigned nup;
	int suspended;			/* ha_suspend: address not here */
	unsigned npending;		/* real servers waiting for checks */
	time_t since;
	struct chk_hist hist;		/* latencies of its checks */
	struct dp_counters ipvs;	/* its service's, last read */
	unsigned char ipvs_known;
	struct dp_counters sorry_ipvs;	/* its sorry server's, last read */
	unsigned char sorry_ipvs_known;
	unsigned char held;		/* its reports wait (hold_reports) */
	unsigned char dest_recheck;	/* a reload touched a real server
					 * sharing an IPVS destination */
	unsigned long stats_round;	/* chk_stats.c: the round that read it */
	char name[128];
};

/* What the engine tells its owner (the child): an object changed. */
struct chk_engine_hooks {
	void (*rs_changed)(void *arg, const struct chk_rsrun *rs);
	void (*vs_changed)(void *arg, const struct chk_vsrun *vs);
	void *arg;
	/* optional: rs leaves at runtime (remove-real); called before it
	 * is freed */
	void (*rs_gone)(void *arg, const struct chk_rsrun *rs);
	/* optional: a reload changed the real server "[addr]:port" of vs,
	 * so its runtime override (drain, weight, added, removed) went */
	void (*ovr_dropped)(void *arg, const struct chk_vsrun *vs,
	    const struct vg_addr *addr, unsigned port);
	/* optional: every check a start or reload made has its first
	 * result (the start's transient buffers are gone by now) */
	void (*settled)(void *arg);
};

/* A last known state handed over (respawn): 1 up, 0 down, -1 unknown. */
typedef int chk_engine_known_fn(void *arg, const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs);

struct chk_engine *chk_engine_new(struct event_base *base,
    struct script_runner *scripts, const struct dp_backend_ops *dp,
    const struct chk_engine_hooks *hooks);
/* What every probe of e shares (for chk_proto_setup()). */
struct chk_env *chk_engine_env(struct chk_engine *e);
/* Start on a configuration (first start); known may be NULL. The
 * checks are made in slices between turns of the loop (a virtual server
 * is first evaluated once all its real servers have theirs). 0 or -1. */
int chk_engine_start(struct chk_engine *e, const struct chk_conf *c,
    chk_engine_known_fn *known, void *arg);
/*
 * Move from old to new: unchanged real servers keep their state and their
 * checks' schedule; changed ones keep their state and restart their
 * checks; added ones start after their warmup; removed ones stop. What
 * refers to old is dropped before this returns; new checks are made in
 * slices between turns of the loop. 0 or -1.
 */
int chk_engine_reload(struct chk_engine *e, const struct chk_conf *old,
    const struct chk_conf *new);
/* The same, counting what changed in d (if not NULL) in the same pass
 * over the two configurations. */
struct chk_conf_diff;
int chk_engine_reload_diff(struct chk_engine *e, const struct chk_conf *old,
    const struct chk_conf *new, struct chk_conf_diff *d);
/* Stop every check (omega: run notify_down / quorum_down scripts) and
 * free. flush: remove what the backend installed. Returns the number of
 * scripts it started (the caller lets them finish: script_runner_finish). */
unsigned chk_engine_free(struct chk_engine *e, int flush);

void chk_engine_dump(const struct chk_engine *e, FILE *fp);
/* Every virtual and real server, for a snapshot. */
void chk_engine_walk(const struct chk_engine *e,
    void (*vsfn)(void *arg, const struct chk_vsrun *vs),
    void (*rsfn)(void *arg, const struct chk_rsrun *rs), void *arg);

/* ---- between the engine's files ---------------------------------------- */

struct chk_engine {
	struct chk_env env;
	struct chk_engine_hooks hooks;
	struct dp_table *dp;
	struct chk_addrwatch *aw;	/* ha_suspend; NULL: none asks */
	struct htab checks;		/* by key */
	struct htab vsruns;		/* by configuration pointer */
	TAILQ_HEAD(, chk_vsrun) vslist;
	struct chk_sched *sched;	/* every check's next run */
	struct chk_check *qhead, **qtail;	/* waiting for a descriptor,
					 * first come first served */
	struct chk_probe_slot *pool;	/* probes no check runs */
	unsigned npool, nslots;		/* in the pool; in the pool or
					 * running */
	/* real servers to attach (start, reload), in order from pend_head
	 * to pend_tail; NULL: one that left the queue. Freed once empty:
	 * held only while a start or reload attaches. */
	struct chk_rsrun **pendq;
	uint32_t pend_head, pend_tail, pend_cap;
	struct event *slice;
	struct event *commit;
	unsigned inflight, inflight_fds, max_fds, nqueued;
	unsigned nchecks, nrs, nvs, npending;
	unsigned nfresh;		/* checks without a first result */
	/* the start or the last reload: real servers it attached, checks
	 * it made; reloaded: a reload has run (its milestones say so) */
	unsigned batch_rs, batch_new;
	int reloaded;
	int undecided;			/* virtual servers wait for their
					 * first decision (engine_decide) */
	/* a start's first decisions: their reports to the parent wait
	 * until the table is handed to the backend (the parent taking
	 * 110,000 records competes for the CPU) */
	int hold_reports;
	/* engine_decide's first decisions: quorum lines logged at notice
	 * (the first CHK_FIRST_LOG), and those left at debug, [down, up] */
	unsigned first_logged, first_quiet[2];
	/* the wall clock read once for a start, a slice or a reload
	 * (chk_engine_clock_hold): time() is a system call where there is
	 * no vDSO, 37 us under User-Mode Linux, and 100,000 real servers
	 * read it twice each; 0: read it each time */
	time_t clock;
	unsigned long long probes, queued_total;
	unsigned long vs_freed;		/* virtual servers freed, ever */
	int stopping;
	unsigned stop_scripts;		/* scripts started while stopping */
	int emfile_logged;
	struct htab ovrs;		/* runtime overrides (override.c) */
	TAILQ_HEAD(, chk_ovr) ovrlist;
	unsigned novrs;
	struct notify_fifo fifo[2];	/* notify_fifo, lvs_notify_fifo */
	struct smtp_alert *smtp;	/* NULL until configured */
	int mail_checker, mail_global;	/* smtp_alert_checker, smtp_alert */
	int no_checker_emails;
};

/* engine.c */
/* The wall clock (s): held by a start, a slice or a reload, else read. */
static inline time_t
chk_engine_now(const struct chk_engine *e)
{
	return e->clock != 0 ? e->clock : time(NULL);
}
/* Hold it for what follows; give back what chk_engine_clock_hold returned
 * to chk_engine_clock_release (holds nest). */
time_t chk_engine_clock_hold(struct chk_engine *e);
void chk_engine_clock_release(struct chk_engine *e, time_t held);
/* Every check reads its configuration from a subscriber of the current
 * generation (after a reload); a probe in flight on the old one runs
 * again. */
void chk_engine_repoint(struct chk_engine *e);
int chk_check_attach(struct chk_engine *e, struct chk_sub *s, int initial_up);
/* The state a checker ck of real server rc would start in, attached now:
 * its check's when one runs (shared), else initial_up's (a handed-over
 * state; -1: none), else up unless alpha. */
int chk_check_initial(const struct chk_engine *e,
    const struct chk_checker_conf *ck, const struct chk_rs_conf *rc,
    int initial_up);
void chk_check_detach(struct chk_sub *s);
/* The desired table changed: commit at the end of this loop turn. */
void chk_engine_touch(struct chk_engine *e);
void chk_engine_script(struct chk_engine *e, const struct chk_conf_script *s,
    const char *what);
/* A notify fifo's script (notify_fifo_run_fn; arg: the engine). */
int chk_engine_fifo_script(void *arg, const char *what, const char *cmd,
    const char *user, const char *group, const char *path);

/* engine_load.c */
/* A real server leaves the queue of those waiting for their checks. */
void chk_engine_unpend(struct chk_rsrun *rs);
/* The engine's slice event: attaches the next real servers' checks. */
void chk_engine_slice_cb(evutil_socket_t fd, short what, void *arg);

/* chk_fifo.c: the notify fifos' lines ("RS [10.9.0.12]:tcp:80
 * [10.9.1.100]:tcp:80 DOWN", "VS [10.9.1.100]:tcp:80 UP") */
#define CHK_FIFO_LINE 512
struct vigil_config;
/* Open, keep or close them as the configuration says. 0 or -1. */
int chk_fifo_apply(struct chk_engine *e, const struct vigil_config *cfg);
void chk_fifo_rs(struct chk_engine *e, const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, int up);
void chk_fifo_vs(struct chk_engine *e, const struct chk_vs_conf *vs, int up);
void chk_fifo_close(struct chk_engine *e);
/* keepalived's names of a virtual server ("[10.9.1.100]:tcp:80",
 * "FWM 5", "[G1]:0") and of a real server of it ("[10.9.0.12]:tcp:80"),
 * as the fifo lines and the e-mail alerts print them */
void chk_vs_text(const struct chk_vs_conf *vs, char *buf, size_t len);
void chk_rs_text(const struct chk_vs_conf *vs, const struct chk_rs_conf *rs,
    char *buf, size_t len);

/* chk_mail.c: keepalived's e-mail alerts of the checker (lib/smtp_alert):
 * a real server's check going up or down ("[router_id] Realserver
 * [10.9.0.12]:tcp:80 of virtual server [10.9.1.100]:tcp:80 - DOWN"),
 * quorum gained or lost, a real server removed or shut down. */
int chk_mail_apply(struct chk_engine *e, const struct vigil_config *cfg);
/* Check c of rs went up or down; rs was up (1), down (0) or undecided
 * (-1) before. */
void chk_mail_check(struct chk_rsrun *rs, const struct chk_check *c,
    int rs_was);
/* Quorum gained or lost; first decided down with a sorry server to take
 * over (starting); shut down under omega (stopping). */
enum chk_mail_when { CHK_MAIL_CHANGE, CHK_MAIL_STARTING, CHK_MAIL_STOPPING };
void chk_mail_quorum(struct chk_vsrun *vs, long sum, enum chk_mail_when when);
/* A live real server leaves: removed (reload, remove-real) or shut down
 * under omega. */
void chk_mail_rs_gone(struct chk_rsrun *rs, int stopping);
/* At stop: what is queued is sent for CHK_MAIL_STOP_USEC at most. */
#define CHK_MAIL_STOP_USEC 1000000ULL
void chk_mail_free(struct chk_engine *e);

/* A real server waits for its checks to be attached (slices). */
void chk_engine_pend(struct chk_engine *e, struct chk_rsrun *rs);

/* rs.c */
void chk_rs_index_init(struct htab *h);
struct chk_rsrun *chk_rs_new(struct chk_vsrun *vs,
    const struct chk_rs_conf *conf, int known);
/* Subscribe its checkers (the initial state of a new check: the real
 * server's). 0 or -1. */
int chk_rs_attach(struct chk_rsrun *rs);
/* Its first decision before its checks are attached: the state they
 * will start in (chk_check_initial: up unless alpha, or the handed-over
 * state), logged and reported as that first decision; its virtual
 * server's first decision puts it in the desired table. Again on a
 * reload that changes it before it is attached. */
void chk_rs_start(struct chk_rsrun *rs);
void chk_rs_detach(struct chk_rsrun *rs);
void chk_rs_free(struct chk_rsrun *rs, int remove);
/* One of its checks has a result (changed: its state changed). */
void chk_rs_update(struct chk_rsrun *rs, const struct chk_check *c,
    int changed);
/* The first result of an alpha check that started it down is a failure
 * past its retries: notify_down, as keepalived does. */
void chk_rs_first_down(struct chk_rsrun *rs, const struct chk_check *c);
/* A start's (or reload's) first quorum decisions logged at notice; the
 * others at debug, counted in one line (chk_vs_first_logged()). */
#define CHK_FIRST_LOG 32
/* That line, once the first decisions are made. */
void chk_vs_first_logged(struct chk_engine *e);
/* Its destination as the virtual server's state wants it (shared with
 * other real servers: as all of them want it, config.h's dest_share). */
void chk_rs_apply(struct chk_rsrun *rs);
/* The real server of vs, but except, whose IPVS destination is (a, port)
 * (DR and TUN take the virtual server's port), or NULL. */
struct chk_rsrun *chk_rs_dest_find(const struct chk_vsrun *vs,
    const struct vg_addr *a, unsigned port, const struct chk_rsrun *except);
/* A reload gave rs a configuration whose IPVS destination port (DR and
 * TUN: the virtual server's) differs from old_port: the entry there goes
 * and vs's real servers decide theirs again. */
void chk_rs_dest_moved(struct chk_rsrun *rs, unsigned old_port);
struct chk_rsrun *chk_rs_find(const struct chk_vsrun *vs,
    const struct vg_addr *addr, unsigned port);
void chk_rs_name(const struct chk_rsrun *rs, char *buf, size_t len);
/* Its name in log lines: chk_rs_name(), followed by its IPVS destination
 * where that has another port (DR / TUN: the virtual server's, on a
 * fwmark none), the port keepalived 2.2.7's lines give it:
 * "[10.0.0.100]:tcp:80 / [10.0.0.1]:8080 (IPVS [10.0.0.1]:80)". */
void chk_rs_logname(const struct chk_rsrun *rs, char *buf, size_t len);
/* The same from its parts: "<virtual server> / [address]:port". */
void chk_rs_name_of(const char *vs, const struct vg_addr *addr, unsigned port,
    char *buf, size_t len);
/* Why it is down: "TCP_CHECK [10.1.0.7]:80: connection refused". */
const char *chk_rs_reason(const struct chk_rsrun *rs, char *buf, size_t len);
/* Its first failed check, or NULL (none failed, or detached: reload). */
const struct chk_check *chk_rs_failed(const struct chk_rsrun *rs);
#define CHK_RS_REASON_LEN (CHK_REASON_LEN + 128)
void chk_rs_dump(const struct chk_rsrun *rs, FILE *fp);
/* Decide again (an override changed): table, report, quorum. */
void chk_rs_reeval(struct chk_rsrun *rs);

/* vs.c */
struct chk_vsrun *chk_vs_new(struct chk_engine *e,
    const struct chk_vs_conf *conf);
void chk_vs_free(struct chk_vsrun *vs);
/* A reload matched it to conf: its service and sorry server again, and
 * its real servers' destinations when its settings changed (changed). */
void chk_vs_reconf(struct chk_vsrun *vs, const struct chk_vs_conf *conf,
    int changed);
/* A real server went up or down or changed weight. */
void chk_vs_eval(struct chk_vsrun *vs, int init);
struct chk_vsrun *chk_vs_find(const struct chk_engine *e,
    const struct chk_vs_conf *conf);
void chk_vs_dump(const struct chk_vsrun *vs, FILE *fp);

/*
 * override.c: runtime overrides (vigilctl drain / set-weight / add-real /
 * remove-real). One per (virtual server, real server); it outlives the
 * real server's run state across reloads and goes when the configuration
 * changes that real server (or its virtual server), or when undone.
 * Precedence: drain beats everything (weight 0); set-weight replaces the
 * configured weight; a dynamic weight from the checks (misc_dynamic,
 * FILE_CHECK) acts on top.
 */
struct chk_ovr {
	struct htab_node hnode;		/* in the engine's ovrs */
	TAILQ_ENTRY(chk_ovr) link;
	struct chk_vsrun *vs;
	struct vg_addr addr;
	unsigned port;
	unsigned drained:1, runtime:1, removed:1;
	int weight;			/* set-weight; CHK_INT_UNSET: none */
	int rt_weight;			/* runtime: the weight given to
					 * add-real; CHK_INT_UNSET: VS's */
	char *check;			/* runtime: the check as given; NULL:
					 * a copy of the first real server's */
	struct chk_rs_conf *conf;	/* runtime: its configuration */
	struct arena *arena;		/* holds conf when check is given */
	struct chk_rsrun *rs;		/* its run state, NULL: none */
};

/* The override of (vs, addr, port), or NULL. */
struct chk_ovr *chk_ovr_find(const struct chk_engine *e,
    const struct chk_vsrun *vs, const struct vg_addr *addr, unsigned port);
/* Drain (1) or undrain (0) rs. */
void chk_ovr_drain(struct chk_rsrun *rs, int drain);
/* set-weight; CHK_INT_UNSET: back to the configured weight. */
void chk_ovr_weight(struct chk_rsrun *rs, int weight);
/*
 * add-real: a real server of vs made at runtime, with weight (or
 * CHK_INT_UNSET: the virtual server's default) and check, a checker block
 * in the configuration's syntax ("TCP_CHECK { connect_timeout 2 }"), or
 * NULL: a copy of the checkers of vs's first real server (connecting to
 * the new one), or a TCP_CHECK on its port when vs has none. known: its
 * last known state (1 up, 0 down, -1 unknown). Errors are written to err.
 * Returns it, or NULL.
 */
struct chk_rsrun *chk_ovr_add_real(struct chk_vsrun *vs,
    const struct vg_addr *addr, unsigned port, int weight,
    const char *check, int known, FILE *err);
/* remove-real: a runtime real server goes; a configured one leaves until
 * the configuration changes it or a reload. */
void chk_ovr_remove_real(struct chk_rsrun *rs);
/* Whether the configured real server rc of vs was removed at runtime. */
int chk_ovr_removed(const struct chk_vsrun *vs, const struct chk_rs_conf *rc);
/* The configuration changed the real server (vs, addr, port): its
 * override goes (a runtime one with the same address is freed). */
void chk_ovr_conf_changed(struct chk_vsrun *vs, const struct vg_addr *addr,
    unsigned port);
/* vs is going: its overrides go with it (its real servers are freed). */
void chk_ovr_vs_gone(struct chk_vsrun *vs);
/* After a reload: runtime real servers copying the first real server's
 * checkers take them from the new configuration. */
void chk_ovr_reload(struct chk_engine *e);
/* After a reload: a real server added at runtime whose IPVS destination
 * a configured one now takes (DR and TUN: the virtual server's port) is
 * removed, warned naming both; the configured one keeps the entry. */
void chk_ovr_reload_shared(struct chk_engine *e);
/* The effective weight of rs before the checks' dynamic weight. */
int chk_ovr_base_weight(const struct chk_rsrun *rs);
void chk_ovr_free_all(struct chk_engine *e);

#endif
