/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine driven without sockets, timers or a kernel: each
 * event of RFC 5798 6.4 (and keepalived's FAULT, preempt_delay, adoption
 * of VIPs found in place) and what it makes the child do, with the reason
 * each transition gives.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/fsm.h"
#include "vrrp/sync.h"
#include "check_run.h"

/* What the state machine asked for. */
struct rec {
	uint64_t now;
	unsigned sent, last_prio;
	unsigned sent_prio0;
	uint64_t adver_usec;		/* 0: stopped */
	uint64_t down_usec;		/* 0: stopped */
	unsigned down_sets;
	int vips;			/* in the kernel */
	unsigned vips_adds, vips_dels;
	unsigned announces, lower;
	unsigned changes;
	enum vrrp_state from, to;
	char why[VRRP_WHY_LEN];
	char seq[512];			/* the effects, in order */
};

static struct rec R;

/* One effect, appended to R.seq ("send adver vips+ changed announce"). */
static void
seq_add(const char *what)
{
	size_t n = strlen(R.seq);

	snprintf(R.seq + n, sizeof(R.seq) - n, "%s%s", n > 0 ? " " : "",
	    what);
}

static uint64_t
t_now(void *arg)
{
	(void)arg;
	return R.now;
}

static void
t_send(void *arg, struct vrrp_inst *vi, unsigned prio)
{
	(void)arg;
	(void)vi;
	seq_add(prio == 0 ? "send0" : "send");
	R.sent++;
	R.last_prio = prio;
	if (prio == 0)
		R.sent_prio0++;
}

static void
t_adver(void *arg, struct vrrp_inst *vi, uint64_t usec)
{
	(void)arg;
	(void)vi;
	seq_add(usec > 0 ? "adver" : "adver-stop");
	R.adver_usec = usec;
}

static void
t_down(void *arg, struct vrrp_inst *vi, uint64_t usec)
{
	(void)arg;
	(void)vi;
	R.down_usec = usec;
	if (usec > 0)
		R.down_sets++;
}

static void
t_vips(void *arg, struct vrrp_inst *vi, int add)
{
	(void)arg;
	(void)vi;
	seq_add(add ? "vips+" : "vips-");
	R.vips = add;
	if (add)
		R.vips_adds++;
	else
		R.vips_dels++;
}

static void
t_announce(void *arg, struct vrrp_inst *vi)
{
	(void)arg;
	(void)vi;
	seq_add("announce");
	R.announces++;
}

static void
t_lower(void *arg, struct vrrp_inst *vi)
{
	(void)arg;
	(void)vi;
	R.lower++;
}

static void
t_changed(void *arg, struct vrrp_inst *vi, enum vrrp_state old)
{
	(void)arg;
	seq_add("changed");
	R.changes++;
	R.from = old;
	R.to = vi->state;
	snprintf(R.why, sizeof(R.why), "%s", vi->why);
}

static const struct vrrp_fsm_ops ops = {
	.now = t_now, .send_advert = t_send, .adver_timer = t_adver,
	.down_timer = t_down, .vips = t_vips, .announce = t_announce,
	.lower_prio = t_lower, .changed = t_changed,
};
static const struct vrrp_fsm F = { &ops, NULL, 0 };
/* vigild -X */
static const struct vrrp_fsm FX = { &ops, NULL, 1 };

static struct vrrp_instance_conf C;

static struct vrrp_inst *
mk(unsigned version, unsigned prio, unsigned advert_cs)
{
	struct vrrp_inst *vi;

	memset(&R, 0, sizeof(R));
	R.now = 1000000;
	memset(&C, 0, sizeof(C));
	C.name = (char *)"VI_1";
	C.p.vrid = 51;
	C.p.family = AF_INET;
	C.p.version = version;
	C.p.priority = prio;
	C.p.advert_int = advert_cs * 10000ULL;
	C.p.state = VRRP_INIT_BACKUP;
	C.p.down_timer_adverts = VRRP_UNSET;
	C.p.lower_prio_no_advert = VRRP_UNSET;
	C.p.higher_prio_send_advert = VRRP_UNSET;
	vi = vrrp_inst_new(&C, NULL);
	ck_assert_ptr_nonnull(vi);
	addr_parse("10.0.0.5", &vi->src);
	return vi;
}

static struct vrrp_fsm_adv
adv(unsigned prio, unsigned adver_cs, const char *src)
{
	struct vrrp_fsm_adv a;

	memset(&a, 0, sizeof(a));
	a.priority = prio;
	a.adver_int = adver_cs;
	ck_assert_int_eq(addr_parse(src, &a.src), 0);
	return a;
}

START_TEST(priorities)
{
	ck_assert_uint_eq(vrrp_inst_eff_prio(100, 20), 120);
	ck_assert_uint_eq(vrrp_inst_eff_prio(100, -200), 1);
	ck_assert_uint_eq(vrrp_inst_eff_prio(250, 20), 254);
	ck_assert_uint_eq(vrrp_inst_eff_prio(255, -50), 255);
}
END_TEST

START_TEST(start_backup_then_master)
{
	struct vrrp_inst *vi = mk(2, 100, 100);

	vrrp_fsm_start(&F, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.to, VRRP_STATE_BACKUP);
	ck_assert_ptr_nonnull(strstr(R.why, "start"));
	/* 3 x 1 s + (256 - 100) / 256 s */
	ck_assert_uint_eq(R.down_usec, 3000000 + 609375);
	ck_assert_uint_eq(R.sent, 0);
	ck_assert_int_eq(R.vips, 0);

	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.from, VRRP_STATE_BACKUP);
	ck_assert_str_eq(R.why, "master down timer expired (3.61 s)");
	ck_assert_int_eq(R.vips, 1);
	ck_assert_uint_eq(R.sent, 1);
	ck_assert_uint_eq(R.last_prio, 100);
	ck_assert_uint_eq(R.adver_usec, 1000000);
	ck_assert_uint_eq(R.down_usec, 0);
	ck_assert_uint_eq(R.announces, 1);

	vrrp_fsm_adver_timer(&F, vi);
	ck_assert_uint_eq(R.sent, 2);
	vrrp_inst_free(vi);
}
END_TEST

/*
 * Becoming MASTER, the advert leaves before anything else the takeover
 * costs: the VIPs (rtnetlink), the state report and log, the GARPs. Also
 * when a sync group moves its members, and for the address owner.
 */
START_TEST(takeover_advert_first)
{
	struct vrrp_inst *vi = mk(2, 100, 100);

	vrrp_fsm_start(&F, vi, 0);
	R.seq[0] = '\0';
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_str_eq(R.seq, "send adver vips+ changed announce");
	vrrp_inst_free(vi);

	/* a sync group moving it */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&F, vi, 0);
	R.seq[0] = '\0';
	vrrp_fsm_force(&F, vi, VRRP_STATE_MASTER, "sync group",
	    VRRP_REASON_PRIORITY);
	ck_assert_str_eq(R.seq, "send adver vips+ changed announce");
	vrrp_inst_free(vi);

	/* the address owner at start */
	vi = mk(3, 255, 100);
	C.p.state = VRRP_INIT_MASTER;
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_str_eq(R.seq, "send adver vips+ changed announce");
	vrrp_inst_free(vi);

	/* stopping: the priority 0 advert before the VIPs go */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_down_timer(&F, vi);
	R.seq[0] = '\0';
	vrrp_fsm_stop(&F, vi, 0, "stopping");
	ck_assert_str_eq(R.seq, "send0 adver-stop vips- changed");
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(start_owner)
{
	struct vrrp_inst *vi = mk(3, 255, 100);

	C.p.state = VRRP_INIT_MASTER;
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_ptr_nonnull(strstr(R.why, "address owner"));
	ck_assert_uint_eq(R.last_prio, 255);
	ck_assert_int_eq(R.vips, 1);
	vrrp_inst_free(vi);

	/* state MASTER below 255 waits as a backup */
	vi = mk(3, 200, 100);
	C.p.state = VRRP_INIT_MASTER;
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(backup_higher_resets_lower_preempts)
{
	struct vrrp_inst *vi = mk(2, 100, 100);
	struct vrrp_fsm_adv a;

	vrrp_fsm_start(&F, vi, 0);
	a = adv(150, 100, "10.0.0.9");
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 1);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(vi->master_prio, 150);

	/* lower priority, preempt: the timer is left to run out */
	a = adv(50, 100, "10.0.0.9");
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 0);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	/* says so (SNMP's newMasterReason: preempted) */
	ck_assert_ptr_nonnull(strstr(R.why,
	    ", preempting a lower priority master"));
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PREEMPTED);
	vrrp_inst_free(vi);
}
END_TEST

/*
 * newMasterReason (RFC 6527) as keepalived keeps it: set on each entry
 * to MASTER from why (priority 0 heard, a lower priority master
 * preempted or the address owner, the master unheard), and kept after
 * leaving MASTER until the next entry. The source of the last advert
 * taken as BACKUP (keepalived's master_saddr, vrrpOperMasterIpAddr)
 * stays through MASTER; a priority 0 advert is not one.
 */
START_TEST(master_reason_and_heard_kept)
{
	struct vrrp_inst *vi = mk(2, 100, 100);
	struct vrrp_fsm_adv a;
	char s[ADDR_STRLEN];

	ck_assert_int_eq(vi->master_reason, VRRP_REASON_NOT_MASTER);
	ck_assert(addr_is_unset(&vi->heard_addr));
	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_NO_RESPONSE);
	ck_assert(addr_is_unset(&vi->heard_addr));

	/* a higher master: BACKUP, the reason stays */
	a = adv(200, 100, "10.0.0.2");
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_NO_RESPONSE);
	/* heard as BACKUP: 10.0.0.2; its priority 0 from another source
	 * leaves it */
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_str_eq(addr_ntop(&vi->heard_addr, s, sizeof(s)),
	    "10.0.0.2");
	a = adv(0, 100, "10.0.0.3");
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_str_eq(addr_ntop(&vi->heard_addr, s, sizeof(s)),
	    "10.0.0.2");
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PRIORITY);
	/* MASTER: still the last master heard, not our own address */
	ck_assert_str_eq(addr_ntop(&vi->heard_addr, s, sizeof(s)),
	    "10.0.0.2");
	ck_assert_str_eq(addr_ntop(&vi->master_addr, s, sizeof(s)),
	    "10.0.0.5");

	/* stopped and started again: both kept */
	vrrp_fsm_stop(&F, vi, 0, "stopping");
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PRIORITY);
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PRIORITY);
	ck_assert_str_eq(addr_ntop(&vi->heard_addr, s, sizeof(s)),
	    "10.0.0.2");
	vrrp_inst_free(vi);

	/* the address owner at start: preempted */
	vi = mk(3, 255, 100);
	C.p.state = VRRP_INIT_MASTER;
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PREEMPTED);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(nopreempt_and_preempt_delay)
{
	struct vrrp_inst *vi = mk(2, 100, 100);
	struct vrrp_fsm_adv a = adv(50, 100, "10.0.0.9");

	C.p.nopreempt = 1;
	vrrp_fsm_start(&F, vi, 0);
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 1);
	vrrp_inst_free(vi);

	vi = mk(2, 100, 100);
	C.p.preempt_delay = 30000000;	/* 30 s */
	vrrp_fsm_start(&F, vi, 0);
	a = adv(50, 100, "10.0.0.9");
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 1);	/* not yet */
	R.now += 31000000;
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 0);	/* now it preempts */
	vrrp_inst_free(vi);
}
END_TEST

/* set-preempt (SNMP vrrpInstancePreempt) overrides the configuration
 * both ways */
START_TEST(preempt_set_at_runtime)
{
	struct vrrp_inst *vi = mk(2, 100, 100);
	struct vrrp_fsm_adv a = adv(50, 100, "10.0.0.9");

	C.p.nopreempt = 1;
	vi->preempt_set = 1;		/* on */
	vrrp_fsm_start(&F, vi, 0);
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 0);	/* preempts */
	vrrp_inst_free(vi);

	vi = mk(2, 100, 100);
	C.p.nopreempt = 0;
	vi->preempt_set = 2;		/* off */
	vrrp_fsm_start(&F, vi, 0);
	a = adv(50, 100, "10.0.0.9");
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_sets, 1);	/* waits for the master */
	ck_assert(!vrrp_inst_preempt(vi));
	vi->preempt_set = 0;
	ck_assert(vrrp_inst_preempt(vi));
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(backup_priority0_skew)
{
	struct vrrp_inst *vi = mk(2, 100, 100);
	struct vrrp_fsm_adv a = adv(0, 100, "10.0.0.9");

	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.down_usec, 609375);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_ptr_nonnull(strstr(R.why, "priority 0"));
	ck_assert_ptr_nonnull(strstr(R.why, "(0.61 s)"));
	vrrp_inst_free(vi);
}
END_TEST

static struct vrrp_inst *
master(unsigned version, unsigned prio)
{
	struct vrrp_inst *vi = mk(version, prio, 100);

	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	R.sent = 0;
	return vi;
}

START_TEST(master_higher_goes_backup)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv a = adv(200, 100, "10.0.0.2");

	ck_assert_uint_eq(vi->became_master, 1);
	ck_assert_uint_eq(vi->released_master, 0);
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_str_eq(R.why, "higher priority advert from 10.0.0.2 "
	    "(200 > 100)");
	/* keepalived's "Released master" */
	ck_assert_uint_eq(vi->released_master, 1);
	ck_assert_uint_eq(vi->became_master, 1);
	ck_assert_int_eq(R.vips, 0);
	ck_assert_uint_eq(R.adver_usec, 0);
	ck_assert_uint_eq(R.down_usec, 3609375);
	ck_assert_uint_eq(R.sent, 0);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(master_equal_priority_address)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv a = adv(100, 100, "10.0.0.1");

	/* lower address: we stay and answer */
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(R.sent, 1);
	a = adv(100, 100, "10.0.0.6");
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_str_eq(R.why, "advert of equal priority 100 from a higher "
	    "address 10.0.0.6");
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(master_lower_answers)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv a = adv(50, 100, "10.0.0.9");

	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(R.sent, 1);
	ck_assert_uint_eq(R.last_prio, 100);
	ck_assert_uint_eq(R.lower, 1);
	vi->lower_prio_no_advert = 1;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.sent, 1);

	/* priority 0 from another: answer at once, timer restarted */
	a = adv(0, 100, "10.0.0.9");
	R.adver_usec = 0;
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(R.sent, 2);
	ck_assert_uint_eq(R.adver_usec, 1000000);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(stop_sends_priority0)
{
	struct vrrp_inst *vi = master(2, 100);

	vrrp_fsm_stop(&F, vi, 0, "stopping");
	ck_assert_int_eq(vi->state, VRRP_STATE_STOP);
	ck_assert_uint_eq(R.sent_prio0, 1);
	/* stopping is no release (keepalived counts BACKUP and FAULT) */
	ck_assert_uint_eq(vi->released_master, 0);
	ck_assert_int_eq(R.vips, 0);
	ck_assert_uint_eq(R.adver_usec, 0);
	vrrp_inst_free(vi);

	/* -V: nothing sent, VIPs left */
	vi = master(2, 100);
	R.vips_dels = 0;
	vrrp_fsm_stop(&F, vi, 1, "stopping");
	ck_assert_uint_eq(R.sent_prio0, 0);
	ck_assert_uint_eq(R.vips_dels, 0);
	ck_assert_ptr_nonnull(strstr(R.why, "VIPs left in place"));
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(v3_learns_interval)
{
	struct vrrp_inst *vi = mk(3, 100, 100);
	struct vrrp_fsm_adv a = adv(200, 50, "10.0.0.9");

	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(vi->master_adver_int, 50);
	/* 3 x 0.5 s + (256 - 100) x 0.5 / 256 s */
	ck_assert_uint_eq(R.down_usec, 1500000 + 304687);
	vrrp_inst_free(vi);

	/* v2 keeps its own */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_uint_eq(vi->master_adver_int, 100);

	/* centisecond adverts */
	vrrp_inst_free(vi);
	vi = mk(3, 100, 1);
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_uint_eq(R.down_usec, 30000 + 6093);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(fault_and_back)
{
	struct vrrp_inst *vi = master(2, 100);

	vrrp_inst_set_tracking(vi, 1, 0, "track_script chk_nginx is down");
	vrrp_fsm_update(&F, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_FAULT);
	ck_assert_str_eq(R.why, "track_script chk_nginx is down");
	ck_assert_uint_eq(vi->released_master, 1);
	ck_assert_uint_eq(R.sent_prio0, 1);
	ck_assert_int_eq(R.vips, 0);
	ck_assert_uint_eq(R.adver_usec, 0);
	ck_assert_uint_eq(R.down_usec, 0);

	vrrp_inst_set_tracking(vi, 0, 0, NULL);
	vrrp_fsm_update(&F, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_ptr_nonnull(strstr(R.why, "fault cleared"));
	/* FAULT -> BACKUP leaves no MASTER */
	ck_assert_uint_eq(vi->released_master, 1);
	ck_assert_uint_gt(R.down_usec, 0);

	/* an interface down at start: FAULT at once */
	vrrp_inst_free(vi);
	vi = mk(2, 100, 100);
	vi->if_fault = 1;
	snprintf(vi->fault_why, sizeof(vi->fault_why), "interface eth0 is "
	    "down");
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_FAULT);
	ck_assert_str_eq(R.why, "interface eth0 is down");
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(priority_tracking_moves_election)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv a = adv(90, 100, "10.0.0.9");

	/* weight -20: 80 now loses to the peer's 90 */
	ck_assert_int_eq(vrrp_inst_set_tracking(vi, 0, -20, NULL), 1);
	vrrp_fsm_update(&F, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	vrrp_fsm_adver_timer(&F, vi);
	ck_assert_uint_eq(R.last_prio, 80);
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(adopt_kept_then_master)
{
	struct vrrp_inst *vi = mk(2, 100, 100);

	vrrp_fsm_start(&F, vi, 1);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_ptr_nonnull(strstr(R.why, "already in place"));
	ck_assert_uint_eq(R.vips_dels, 0);
	ck_assert_int_eq(vi->vips_held, 1);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_uint_eq(R.vips_dels, 0);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(adopt_released_on_higher_master)
{
	struct vrrp_inst *vi = mk(2, 100, 100);
	struct vrrp_fsm_adv a = adv(150, 100, "10.0.0.9");

	vrrp_fsm_start(&F, vi, 1);
	vrrp_fsm_recv(&F, vi, &a);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(R.vips_dels, 1);
	ck_assert_int_eq(vi->vips_held, 0);
	vrrp_inst_free(vi);
}
END_TEST

/*
 * -X: an instance that does not hold its VIPs (BACKUP, FAULT) asks for
 * them to be removed on every transition to BACKUP or FAULT, on stop and
 * on removal, so that one added by hand goes; without it nothing is asked.
 * The adoption at start keeps them, and -V's keep wins at stop.
 */
static struct vrrp_inst *
backup_not_holding(const struct vrrp_fsm *f)
{
	struct vrrp_inst *vi = mk(2, 100, 100);

	vrrp_fsm_start(f, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(vi->vips_held, 0);
	return vi;
}

/* BACKUP -> FAULT -> BACKUP of an instance not holding its VIPs: the
 * number of removals asked for, checking each comes before the report */
static unsigned
fault_and_back_dels(const struct vrrp_fsm *f)
{
	struct vrrp_inst *vi = backup_not_holding(f);
	unsigned dels;

	R.vips_dels = 0;
	R.seq[0] = '\0';
	vrrp_inst_set_tracking(vi, 1, 0, "track_file tf has value 1");
	vrrp_fsm_update(f, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_FAULT);
	ck_assert_uint_eq(R.sent_prio0, 0);
	if (R.vips_dels > 0)
		ck_assert_str_eq(R.seq, "adver-stop vips- changed");
	else
		ck_assert_str_eq(R.seq, "adver-stop changed");
	vrrp_inst_set_tracking(vi, 0, 0, NULL);
	vrrp_fsm_update(f, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(vi->vips_held, 0);
	dels = R.vips_dels;
	vrrp_inst_free(vi);
	return dels;
}

START_TEST(release_vips_not_held)
{
	struct vrrp_inst *vi;

	/* -X: FAULT and BACKUP each ask, never an add */
	ck_assert_uint_eq(fault_and_back_dels(&FX), 2);
	ck_assert_uint_eq(R.vips_adds, 0);
	/* without: nothing held, nothing asked */
	ck_assert_uint_eq(fault_and_back_dels(&F), 0);

	/* the first BACKUP at start, VIPs not found in place */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&FX, vi, 0);
	ck_assert_uint_eq(R.vips_dels, 1);
	vrrp_inst_free(vi);
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&F, vi, 0);
	ck_assert_uint_eq(R.vips_dels, 0);
	vrrp_inst_free(vi);

	/* FAULT at start */
	vi = mk(2, 100, 100);
	vi->if_fault = 1;
	vrrp_fsm_start(&FX, vi, 0);
	ck_assert_int_eq(vi->state, VRRP_STATE_FAULT);
	ck_assert_uint_eq(R.vips_dels, 1);
	vrrp_inst_free(vi);

	/* adopted at start: kept while the down timer runs, -X or not */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&FX, vi, 1);
	ck_assert_ptr_nonnull(strstr(R.why, "already in place"));
	ck_assert_uint_eq(R.vips_dels, 0);
	ck_assert_int_eq(vi->vips_held, 1);
	vrrp_inst_free(vi);

	/* a BACKUP stopped (or removed by a reload) */
	vi = backup_not_holding(&FX);
	R.vips_dels = 0;
	vrrp_fsm_stop(&FX, vi, 0, "stopping");
	ck_assert_int_eq(vi->state, VRRP_STATE_STOP);
	ck_assert_uint_eq(R.vips_dels, 1);
	ck_assert_uint_eq(R.sent_prio0, 0);
	vrrp_inst_free(vi);
	vi = backup_not_holding(&F);
	vrrp_fsm_stop(&F, vi, 0, "stopping");
	ck_assert_uint_eq(R.vips_dels, 0);
	vrrp_inst_free(vi);

	/* -V with -X: keep wins at stop */
	vi = backup_not_holding(&FX);
	R.vips_dels = 0;
	vrrp_fsm_stop(&FX, vi, 1, "stopping");
	ck_assert_uint_eq(R.vips_dels, 0);
	vrrp_inst_free(vi);

	/* a MASTER going BACKUP removes once, as without -X */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&FX, vi, 0);
	vrrp_fsm_down_timer(&FX, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	R.vips_dels = 0;
	{
		struct vrrp_fsm_adv a = adv(200, 100, "10.0.0.2");

		vrrp_fsm_recv(&FX, vi, &a);
	}
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(R.vips_dels, 1);
	ck_assert_int_eq(R.vips, 0);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(retime_on_reload)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv a = adv(150, 100, "10.0.0.9");
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.9");

	C.p.advert_int = 2000000;
	ck_assert_int_eq(vrrp_inst_rebind(vi, &C, NULL), 0);
	vrrp_fsm_retime(&F, vi);
	ck_assert_uint_eq(R.adver_usec, 2000000);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	vrrp_inst_free(vi);

	/* as keepalived's reload: the reason stays, the master heard goes */
	vi = mk(2, 100, 100);
	vrrp_fsm_start(&F, vi, 0);
	vrrp_fsm_recv(&F, vi, &a);
	vrrp_fsm_recv(&F, vi, &z);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PRIORITY);
	ck_assert(!addr_is_unset(&vi->heard_addr));
	ck_assert_int_eq(vrrp_inst_rebind(vi, &C, NULL), 0);
	ck_assert_int_eq(vi->master_reason, VRRP_REASON_PRIORITY);
	ck_assert(addr_is_unset(&vi->heard_addr));
	vrrp_inst_free(vi);
}
END_TEST

/* ---- vigilctl vrrp force-backup / release ------------------------------------ */

START_TEST(force_backup_hands_over_and_holds)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv low = adv(50, 100, "10.0.0.9");
	struct vrrp_fsm_adv stop = adv(0, 100, "10.0.0.9");

	vrrp_fsm_force_backup(&F, vi, "forced to backup by vigilctl");
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.from, VRRP_STATE_MASTER);
	ck_assert_str_eq(R.why, "forced to backup by vigilctl");
	/* a priority 0 advert: the backup takes over after Skew_Time */
	ck_assert_uint_eq(R.sent_prio0, 1);
	ck_assert_uint_eq(vi->prio0_tx, 1);
	ck_assert_int_eq(R.vips, 0);
	ck_assert_uint_eq(R.adver_usec, 0);
	ck_assert_int_eq(vi->forced_backup, 1);

	/* the peer (lower priority) takes over: no preemption */
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &low);
	ck_assert_uint_eq(R.down_sets, 1);
	ck_assert_uint_eq(vi->master_prio, 50);
	/* the master stops: no take-over after Skew_Time either */
	vrrp_fsm_recv(&F, vi, &stop);
	ck_assert_uint_eq(R.down_usec, 3000000 + 609375);
	ck_assert_uint_eq(vi->prio0_rx, 1);
	R.changes = 0;
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_uint_eq(R.changes, 0);
	ck_assert_int_eq(R.vips, 0);
	ck_assert_uint_gt(R.down_usec, 0);	/* still watching */
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);

	/* released with no master heard: MASTER at once */
	vrrp_fsm_release(&F, vi, "released by vigilctl");
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(vi->forced_backup, 0);
	ck_assert_ptr_nonnull(strstr(R.why, "released by vigilctl"));
	ck_assert_int_eq(R.vips, 1);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(release_preempts_lower_master)
{
	struct vrrp_inst *vi = master(2, 100);
	struct vrrp_fsm_adv low = adv(50, 100, "10.0.0.9");

	vrrp_fsm_force_backup(&F, vi, "forced to backup by vigilctl");
	vrrp_fsm_recv(&F, vi, &low);
	vrrp_fsm_release(&F, vi, "released by vigilctl");
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	/* preempt: the lower master's adverts no longer hold us back */
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &low);
	ck_assert_uint_eq(R.down_sets, 0);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_MASTER);
	vrrp_inst_free(vi);

	/* nopreempt: released, it stays BACKUP behind the lower master */
	vi = master(2, 100);
	C.p.nopreempt = 1;
	vrrp_fsm_force_backup(&F, vi, "forced to backup by vigilctl");
	vrrp_fsm_recv(&F, vi, &low);
	vrrp_fsm_release(&F, vi, "released by vigilctl");
	R.down_sets = 0;
	vrrp_fsm_recv(&F, vi, &low);
	ck_assert_uint_eq(R.down_sets, 1);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	vrrp_inst_free(vi);
}
END_TEST

START_TEST(force_backup_before_start_and_in_fault)
{
	struct vrrp_inst *vi = mk(3, 255, 100);

	/* handed over to a respawned child: the address owner waits too,
	 * and VIPs found in place go */
	C.p.state = VRRP_INIT_MASTER;
	vrrp_fsm_force_backup(&F, vi, "forced to backup by vigilctl");
	ck_assert_int_eq(vi->state, VRRP_STATE_INIT);
	vrrp_fsm_start(&F, vi, 1);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	ck_assert_ptr_nonnull(strstr(R.why, "forced to backup"));
	ck_assert_uint_eq(R.vips_dels, 1);
	ck_assert_int_eq(vi->vips_held, 0);
	ck_assert_uint_eq(R.sent, 0);
	vrrp_inst_free(vi);

	/* in FAULT: comes back as BACKUP and stays */
	vi = master(2, 100);
	vrrp_inst_set_tracking(vi, 1, 0, "track_interface eth1 is down");
	vrrp_fsm_update(&F, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_FAULT);
	vrrp_fsm_force_backup(&F, vi, "forced to backup by vigilctl");
	vrrp_inst_set_tracking(vi, 0, 0, NULL);
	vrrp_fsm_update(&F, vi, "tracking changed");
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	vrrp_fsm_down_timer(&F, vi);
	ck_assert_int_eq(vi->state, VRRP_STATE_BACKUP);
	vrrp_inst_free(vi);
}
END_TEST

/* ---- sync groups ------------------------------------------------------------ */

static struct vrrp_instance_conf C2;
static struct vrrp_sync_group_conf G;
static struct vrrp_sync *SG;

static void
t_changed_sync(void *arg, struct vrrp_inst *vi, enum vrrp_state old)
{
	t_changed(arg, vi, old);
	if (vi->sync != NULL)
		vrrp_sync_member_changed(vi->sync, arg, vi, old, NULL, NULL);
}

static const struct vrrp_fsm_ops sops = {
	.now = t_now, .send_advert = t_send, .adver_timer = t_adver,
	.down_timer = t_down, .vips = t_vips, .announce = t_announce,
	.changed = t_changed_sync,
};
static struct vrrp_fsm SF;

static void
pair(struct vrrp_inst **a, struct vrrp_inst **b)
{
	*a = mk(2, 100, 100);
	C2 = C;
	C2.name = (char *)"VI_2";
	C2.p.vrid = 52;
	*b = vrrp_inst_new(&C2, NULL);
	addr_parse("10.0.0.5", &(*b)->src);
	memset(&G, 0, sizeof(G));
	G.name = (char *)"G1";
	G.members.n = 2;
	SG = vrrp_sync_new(&G);
	vrrp_sync_add(SG, *a);
	vrrp_sync_add(SG, *b);
	SF.ops = &sops;
	SF.arg = &SF;
	vrrp_fsm_start(&SF, *a, 0);
	vrrp_fsm_start(&SF, *b, 0);
}

START_TEST(sync_master_together)
{
	struct vrrp_inst *a, *b;
	struct vrrp_fsm_adv h = adv(200, 100, "10.0.0.9");
	struct vrrp_fsm_adv z = adv(0, 100, "10.0.0.9");

	pair(&a, &b);
	/* the master stopped: a takes over for priority(1) */
	vrrp_fsm_recv(&SF, a, &z);
	vrrp_fsm_down_timer(&SF, a);
	ck_assert_int_eq(a->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(b->state, VRRP_STATE_MASTER);
	ck_assert_ptr_nonnull(strstr(b->why, "sync group G1: VI_1 is MASTER"));
	ck_assert_int_eq(SG->state, VRRP_STATE_MASTER);
	/* the member the group moved takes the mover's reason */
	ck_assert_int_eq(a->master_reason, VRRP_REASON_PRIORITY);
	ck_assert_int_eq(b->master_reason, VRRP_REASON_PRIORITY);

	/* one hears a higher master: both go back */
	vrrp_fsm_recv(&SF, b, &h);
	ck_assert_int_eq(b->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(a->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(SG->state, VRRP_STATE_BACKUP);
	vrrp_sync_free(SG);
	vrrp_inst_free(a);
	vrrp_inst_free(b);
}
END_TEST

START_TEST(sync_fault_together)
{
	struct vrrp_inst *a, *b;

	pair(&a, &b);
	vrrp_fsm_down_timer(&SF, a);
	vrrp_inst_set_tracking(a, 1, 0, "track_interface eth1 is down");
	vrrp_sync_faults(SG, &SF, "tracking changed");
	ck_assert_int_eq(a->state, VRRP_STATE_FAULT);
	ck_assert_int_eq(b->state, VRRP_STATE_FAULT);
	ck_assert_str_eq(b->why, "sync group G1: VI_1 is in FAULT");
	ck_assert_int_eq(SG->state, VRRP_STATE_FAULT);

	vrrp_inst_set_tracking(a, 0, 0, NULL);
	vrrp_sync_faults(SG, &SF, "tracking changed");
	ck_assert_int_eq(a->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(SG->state, VRRP_STATE_BACKUP);
	vrrp_sync_free(SG);
	vrrp_inst_free(a);
	vrrp_inst_free(b);
}
END_TEST

START_TEST(sync_member_removed)
{
	struct vrrp_inst *a, *b;

	pair(&a, &b);
	vrrp_sync_remove(SG, a);
	ck_assert_uint_eq(SG->n, 1);
	ck_assert_ptr_null(a->sync);
	vrrp_inst_free(a);
	/* the group goes on with the member left */
	vrrp_fsm_down_timer(&SF, b);
	ck_assert_int_eq(b->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(SG->state, VRRP_STATE_MASTER);
	vrrp_sync_free(SG);
	vrrp_inst_free(b);
}
END_TEST

START_TEST(sync_force_backup_moves_group)
{
	struct vrrp_inst *a, *b;
	struct vrrp_fsm_adv low = adv(50, 100, "10.0.0.9");

	pair(&a, &b);
	vrrp_fsm_down_timer(&SF, a);
	ck_assert_int_eq(b->state, VRRP_STATE_MASTER);
	R.sent_prio0 = 0;
	vrrp_sync_force_backup(&SF, b, "forced to backup by vigilctl");
	ck_assert_int_eq(a->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(a->forced_backup, 1);
	/* each master hands over with a priority 0 advert */
	ck_assert_uint_eq(R.sent_prio0, 2);
	ck_assert_int_eq(SG->state, VRRP_STATE_BACKUP);

	/* neither takes over nor preempts while forced */
	vrrp_fsm_recv(&SF, a, &low);
	vrrp_fsm_down_timer(&SF, b);
	ck_assert_int_eq(a->state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(b->state, VRRP_STATE_BACKUP);

	/* released through the other member: b found no master and takes
	 * over at once, a follows with the group */
	vrrp_sync_release(&SF, a, "released by vigilctl");
	ck_assert_int_eq(a->forced_backup, 0);
	ck_assert_int_eq(b->forced_backup, 0);
	ck_assert_int_eq(b->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(a->state, VRRP_STATE_MASTER);
	ck_assert_int_eq(SG->state, VRRP_STATE_MASTER);
	vrrp_sync_free(SG);
	vrrp_inst_free(a);
	vrrp_inst_free(b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("vrrp_fsm");
	TCase *tc = tcase_create("fsm");

	tcase_add_test(tc, priorities);
	tcase_add_test(tc, start_backup_then_master);
	tcase_add_test(tc, start_owner);
	tcase_add_test(tc, takeover_advert_first);
	tcase_add_test(tc, backup_higher_resets_lower_preempts);
	tcase_add_test(tc, master_reason_and_heard_kept);
	tcase_add_test(tc, nopreempt_and_preempt_delay);
	tcase_add_test(tc, preempt_set_at_runtime);
	tcase_add_test(tc, backup_priority0_skew);
	tcase_add_test(tc, master_higher_goes_backup);
	tcase_add_test(tc, master_equal_priority_address);
	tcase_add_test(tc, master_lower_answers);
	tcase_add_test(tc, stop_sends_priority0);
	tcase_add_test(tc, v3_learns_interval);
	tcase_add_test(tc, fault_and_back);
	tcase_add_test(tc, priority_tracking_moves_election);
	tcase_add_test(tc, adopt_kept_then_master);
	tcase_add_test(tc, adopt_released_on_higher_master);
	tcase_add_test(tc, release_vips_not_held);
	tcase_add_test(tc, retime_on_reload);
	tcase_add_test(tc, sync_master_together);
	tcase_add_test(tc, sync_fault_together);
	tcase_add_test(tc, sync_member_removed);
	tcase_add_test(tc, force_backup_hands_over_and_holds);
	tcase_add_test(tc, release_preempts_lower_master);
	tcase_add_test(tc, force_backup_before_start_and_in_fault);
	tcase_add_test(tc, sync_force_backup_moves_group);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	log_init("test_vrrp_fsm", LOG_F_STDERR, LOG_DAEMON, 0);
	return check_run(suite());
}
