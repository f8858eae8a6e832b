/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP state machine: RFC 5798 6.4 (and RFC 3768 6.4 for v2), with
 * keepalived's FAULT state, preempt_delay, adoption of VIPs found in the
 * kernel at start, and its habit of answering a lower priority master at
 * once. Effects go through struct vrrp_fsm_ops (vrrp/fsm.h).
 */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "vrrp/config.h"
#include "vrrp/fsm.h"

#define USEC_PER_CS 10000ULL

static uint64_t
fsm_now(const struct vrrp_fsm *f)
{
	return f->ops->now != NULL ? f->ops->now(f->arg) : 0;
}

static void
fsm_send(const struct vrrp_fsm *f, struct vrrp_inst *vi, unsigned prio)
{
	if (prio == VRRP_PRIO_STOP)
		vi->prio0_tx++;
	if (f->ops->send_advert != NULL)
		f->ops->send_advert(f->arg, vi, prio);
}

static void
fsm_adver(const struct vrrp_fsm *f, struct vrrp_inst *vi, uint64_t usec)
{
	if (f->ops->adver_timer != NULL)
		f->ops->adver_timer(f->arg, vi, usec);
}

static void
fsm_down(const struct vrrp_fsm *f, struct vrrp_inst *vi, uint64_t usec,
    int skew)
{
	vi->down_armed = usec;
	vi->down_skew = skew;
	if (f->ops->down_timer != NULL)
		f->ops->down_timer(f->arg, vi, usec);
}

/* Add or remove vi's VIPs; removing, only those it holds unless -X
 * (release_vips) asks to remove them whatever it believes. */
static void
fsm_vips(const struct vrrp_fsm *f, struct vrrp_inst *vi, int add)
{
	if (!add && !vi->vips_held && !f->release_vips)
		return;
	if (f->ops->vips != NULL)
		f->ops->vips(f->arg, vi, add);
	vi->vips_held = add;
	if (!add)
		vi->adopting = 0;
}

/* Record the transition, log it both ways and report it. */
static void
fsm_set(const struct vrrp_fsm *f, struct vrrp_inst *vi, enum vrrp_state to,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
fsm_set(const struct vrrp_fsm *f, struct vrrp_inst *vi, enum vrrp_state to,
    const char *fmt, ...)
{
	enum vrrp_state old = vi->state;
	struct timespec now;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vi->why, sizeof(vi->why), fmt, ap);
	va_end(ap);
	vi->state = to;
	if (clock_gettime(CLOCK_REALTIME, &now) == 0) {
		vi->since = (uint64_t)now.tv_sec;
		vi->since_usec = (uint32_t)(now.tv_nsec / 1000);
	} else {
		vi->since = (uint64_t)time(NULL);
		vi->since_usec = 0;
	}
	vi->transitions++;
	/* keepalived counts a release when MASTER gives way to BACKUP or
	 * FAULT (vrrp_state_leave_master); stopping is not one */
	if (old == VRRP_STATE_MASTER && (to == VRRP_STATE_BACKUP ||
	    to == VRRP_STATE_FAULT))
		vi->released_master++;
	log_info("%s: %s -> %s: %s", vi->name, vrrp_state_name(old),
	    vrrp_state_name(to), vi->why);
	if (to == VRRP_STATE_MASTER || to == VRRP_STATE_BACKUP ||
	    to == VRRP_STATE_FAULT)
		log_info("(%s) Entering %s STATE", vi->name,
		    vrrp_state_name(to));
	if (f->ops->changed != NULL)
		f->ops->changed(f->arg, vi, old);
}

static const char *
fsm_ntop(const struct vg_addr *a, char *buf, size_t len)
{
	if (addr_is_unset(a))
		return "?";
	return addr_ntop(a, buf, len);
}

static int
fsm_v3(const struct vrrp_inst *vi)
{
	return vi->conf->p.version == 3;
}

static void
fsm_to_master(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why, enum vrrp_master_reason reason)
{
	fsm_down(f, vi, 0, 0);
	vi->master_addr = vi->src;
	vi->master_prio = vi->prio;
	vi->master_reason = reason;
	vi->became_master++;
	/*
	 * RFC 5798 6.4.1/6.4.2: send an advert, announce, arm the timer.
	 * The advert goes first, before anything else the takeover costs
	 * (the VIPs, the log, the report, the GARPs): the backups and the
	 * old master hear of the new one as soon as it can speak.
	 */
	fsm_send(f, vi, vi->prio);
	fsm_adver(f, vi, vi->adver_int * USEC_PER_CS);
	fsm_vips(f, vi, 1);
	vi->adopting = 0;
	fsm_set(f, vi, VRRP_STATE_MASTER, "%s", why);
	if (f->ops->announce != NULL)
		f->ops->announce(f->arg, vi);
}

/* keep: leave the VIPs in place (adopting at start). */
static void
fsm_to_backup(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why, int keep)
{
	fsm_adver(f, vi, 0);
	if (!keep)
		fsm_vips(f, vi, 0);
	fsm_down(f, vi, vrrp_inst_down_interval(vi), 0);
	fsm_set(f, vi, VRRP_STATE_BACKUP, "%s", why);
}

static void
fsm_to_fault(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why)
{
	/* a master that can still speak hands over at once */
	if (vi->state == VRRP_STATE_MASTER && !vi->if_fault)
		fsm_send(f, vi, VRRP_PRIO_STOP);
	fsm_adver(f, vi, 0);
	fsm_down(f, vi, 0, 0);
	fsm_vips(f, vi, 0);
	fsm_set(f, vi, VRRP_STATE_FAULT, "%s", why);
}

/* Initialize (RFC 5798 6.4.1), also after a fault clears. */
static void
fsm_init(const struct vrrp_fsm *f, struct vrrp_inst *vi, const char *ctx,
    int adopt)
{
	char why[VRRP_WHY_LEN];

	vi->master_adver_int = vi->adver_int;
	memset(&vi->master_addr, 0, sizeof(vi->master_addr));
	vi->master_prio = 0;
	if (vi->conf->p.state == VRRP_INIT_MASTER &&
	    vi->base_prio == VRRP_PRIO_OWNER && !vi->forced_backup) {
		snprintf(why, sizeof(why), "%s: address owner (priority 255)",
		    ctx);
		fsm_to_master(f, vi, why, VRRP_REASON_PREEMPTED);
		return;
	}
	if (adopt && vi->forced_backup) {
		/* VIPs found in place cannot be kept while forced */
		vi->vips_held = 1;
		snprintf(why, sizeof(why), "%s: forced to backup by vigilctl "
		    "(VIPs found in place removed)", ctx);
	} else if (adopt) {
		vi->vips_held = 1;
		vi->adopting = 1;
		snprintf(why, sizeof(why), "%s: VIPs already in place, kept "
		    "while the master down timer runs (%.2f s)", ctx,
		    (double)vrrp_inst_down_interval(vi) / 1e6);
	} else if (vi->forced_backup)
		snprintf(why, sizeof(why), "%s: forced to backup by vigilctl",
		    ctx);
	else
		snprintf(why, sizeof(why), "%s: waiting for a master (%.2f s)",
		    ctx, (double)vrrp_inst_down_interval(vi) / 1e6);
	fsm_to_backup(f, vi, why, adopt && !vi->forced_backup);
}

void
vrrp_fsm_start(const struct vrrp_fsm *f, struct vrrp_inst *vi, int adopt)
{
	vi->stopping = 0;
	vi->preempt_at = fsm_now(f) + vi->conf->p.preempt_delay;
	if (vrrp_inst_faulty(vi)) {
		/* the VIPs found in place cannot be kept in FAULT */
		vi->vips_held = adopt;
		fsm_to_fault(f, vi, vi->fault_why[0] != '\0' ? vi->fault_why :
		    "start: fault");
		return;
	}
	fsm_init(f, vi, "start", adopt);
}

void
vrrp_fsm_down_timer(const struct vrrp_fsm *f, struct vrrp_inst *vi)
{
	char why[VRRP_WHY_LEN];
	enum vrrp_master_reason reason = VRRP_REASON_NO_RESPONSE;

	if (vi->state != VRRP_STATE_BACKUP)
		return;
	if (vi->forced_backup) {
		/* no master: stay, and keep watching for one */
		if (!vi->forced_alone)
			log_warn("%s: master down timer expired (%.2f s) but "
			    "forced to backup by vigilctl: no master for "
			    "its VIPs until released", vi->name,
			    (double)vi->down_armed / 1e6);
		vi->forced_alone = 1;
		memset(&vi->master_addr, 0, sizeof(vi->master_addr));
		vi->master_prio = 0;
		fsm_down(f, vi, vrrp_inst_down_interval(vi), 0);
		return;
	}
	if (vi->down_skew)
		reason = VRRP_REASON_PRIORITY;
	else if (vrrp_inst_preempt(vi) && vi->master_prio > 0 &&
	    vi->master_prio < vi->prio)
		reason = VRRP_REASON_PREEMPTED;
	snprintf(why, sizeof(why), "master down timer expired (%.2f s)%s",
	    (double)vi->down_armed / 1e6, reason == VRRP_REASON_PRIORITY ?
	    " after the master stopped (priority 0)" :
	    reason == VRRP_REASON_PREEMPTED ?
	    ", preempting a lower priority master" : "");
	fsm_to_master(f, vi, why, reason);
}

void
vrrp_fsm_adver_timer(const struct vrrp_fsm *f, struct vrrp_inst *vi)
{
	if (vi->state != VRRP_STATE_MASTER)
		return;
	fsm_send(f, vi, vi->prio);
}

static void
fsm_learn(struct vrrp_inst *vi, const struct vrrp_fsm_adv *adv)
{
	/* v3 learns the master's interval; v2 checked it equals ours */
	if (fsm_v3(vi) && adv->adver_int > 0)
		vi->master_adver_int = adv->adver_int;
	vi->master_addr = adv->src;
	vi->master_prio = adv->priority;
}

static void
fsm_recv_backup(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const struct vrrp_fsm_adv *adv)
{
	char a[ADDR_STRLEN];
	int preempt = vrrp_inst_preempt(vi) && !vi->forced_backup &&
	    fsm_now(f) >= vi->preempt_at;

	if (adv->priority == VRRP_PRIO_STOP && vi->forced_backup) {
		log_info("%s: master %s stopped (priority 0); forced to "
		    "backup by vigilctl: not taking over", vi->name,
		    fsm_ntop(&adv->src, a, sizeof(a)));
		vi->master_prio = 0;
		fsm_down(f, vi, vrrp_inst_down_interval(vi), 0);
		return;
	}
	if (adv->priority == VRRP_PRIO_STOP) {
		/* RFC 5798 6.4.2: the master stopped, take over after
		 * Skew_Time */
		vi->master_prio = 0;
		fsm_down(f, vi, vrrp_inst_skew(vi), 1);
		log_info("%s: master %s stopped (priority 0), taking over in "
		    "%.2f s unless another master speaks", vi->name,
		    fsm_ntop(&adv->src, a, sizeof(a)),
		    (double)vi->down_armed / 1e6);
		return;
	}
	/* as keepalived's master_saddr: a priority 0 advert is not one */
	vi->heard_addr = adv->src;
	if (preempt && adv->priority < vi->prio) {
		/* lower priority master: let the down timer run out */
		if (vi->master_prio != adv->priority ||
		    addr_cmp(&vi->master_addr, &adv->src) != 0)
			log_info("%s: master %s has lower priority (%u < %u): "
			    "preempting when the master down timer expires",
			    vi->name, fsm_ntop(&adv->src, a, sizeof(a)),
			    adv->priority, vi->prio);
		vi->master_addr = adv->src;
		vi->master_prio = adv->priority;
		return;
	}
	fsm_learn(vi, adv);
	fsm_down(f, vi, vrrp_inst_down_interval(vi), 0);
	if (vi->forced_alone) {
		log_info("%s: master %s with priority %u is up", vi->name,
		    fsm_ntop(&adv->src, a, sizeof(a)), adv->priority);
		vi->forced_alone = 0;
	}
	if (vi->vips_held) {
		log_info("%s: master %s with priority %u is up: removing the "
		    "VIPs found in place at start", vi->name,
		    fsm_ntop(&adv->src, a, sizeof(a)), adv->priority);
		fsm_vips(f, vi, 0);
	}
}

static void
fsm_recv_master(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const struct vrrp_fsm_adv *adv)
{
	char a[ADDR_STRLEN], why[VRRP_WHY_LEN];
	int cmp;

	if (adv->priority == VRRP_PRIO_STOP) {
		/* RFC 5798 6.4.3: answer at once, restart the timer */
		fsm_send(f, vi, vi->prio);
		fsm_adver(f, vi, vi->adver_int * USEC_PER_CS);
		return;
	}
	cmp = addr_cmp(&adv->src, &vi->src);
	if (adv->priority > vi->prio ||
	    (adv->priority == vi->prio && cmp > 0)) {
		if (adv->priority > vi->prio)
			snprintf(why, sizeof(why), "higher priority advert "
			    "from %s (%u > %u)", fsm_ntop(&adv->src, a,
			    sizeof(a)), adv->priority, vi->prio);
		else
			snprintf(why, sizeof(why), "advert of equal priority "
			    "%u from a higher address %s", adv->priority,
			    fsm_ntop(&adv->src, a, sizeof(a)));
		if (vi->higher_prio_send_advert)
			fsm_send(f, vi, vi->prio);
		fsm_learn(vi, adv);
		fsm_to_backup(f, vi, why, 0);
		return;
	}
	if (cmp == 0 && adv->priority == vi->prio)
		return;		/* our own advert */
	/* a lower priority master: tell it at once (keepalived does) */
	log_info("%s: lower priority advert from %s (%u < %u): sending ours",
	    vi->name, fsm_ntop(&adv->src, a, sizeof(a)), adv->priority,
	    vi->prio);
	if (!vi->lower_prio_no_advert)
		fsm_send(f, vi, vi->prio);
	if (f->ops->lower_prio != NULL)
		f->ops->lower_prio(f->arg, vi);
}

void
vrrp_fsm_recv(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const struct vrrp_fsm_adv *adv)
{
	vi->rx++;
	if (adv->priority == VRRP_PRIO_STOP)
		vi->prio0_rx++;
	if (addr_cmp(&adv->src, &vi->src) != 0)
		vi->peer_heard = fsm_now(f);
	if (vi->state == VRRP_STATE_BACKUP)
		fsm_recv_backup(f, vi, adv);
	else if (vi->state == VRRP_STATE_MASTER)
		fsm_recv_master(f, vi, adv);
	else if (vi->state == VRRP_STATE_FAULT) {
		/* remember who is master for when the fault clears */
		vi->master_addr = adv->src;
		vi->master_prio = adv->priority;
	}
}

void
vrrp_fsm_update(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why)
{
	char buf[VRRP_WHY_LEN];
	int faulty = vrrp_inst_faulty(vi);

	switch (vi->state) {
	case VRRP_STATE_FAULT:
		if (faulty)
			return;
		snprintf(buf, sizeof(buf), "fault cleared (%s)", why);
		fsm_init(f, vi, buf, 0);
		return;
	case VRRP_STATE_MASTER:
	case VRRP_STATE_BACKUP:
		if (faulty)
			fsm_to_fault(f, vi, vi->fault_why[0] != '\0' ?
			    vi->fault_why : why);
		return;
	default:
		return;
	}
}

void
vrrp_fsm_force(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    enum vrrp_state to, const char *why, enum vrrp_master_reason reason)
{
	if (to == VRRP_STATE_MASTER && vi->state == VRRP_STATE_BACKUP) {
		if (vi->forced_backup) {
			log_info("%s: stays BACKUP: forced to backup by "
			    "vigilctl (%s)", vi->name, why);
			return;
		}
		fsm_to_master(f, vi, why, reason);
	} else if (to == VRRP_STATE_BACKUP &&
	    vi->state == VRRP_STATE_MASTER) {
		/* forced with its group: the peer takes over at once */
		if (vi->forced_backup)
			fsm_send(f, vi, VRRP_PRIO_STOP);
		fsm_to_backup(f, vi, why, 0);
	}
}

void
vrrp_fsm_force_backup(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why)
{
	vi->forced_backup = 1;
	if (vi->state != VRRP_STATE_MASTER)
		return;
	/* RFC 5798 6.4.3 on shutdown: the backup takes over after
	 * Skew_Time instead of Master_Down_Interval */
	fsm_send(f, vi, VRRP_PRIO_STOP);
	fsm_to_backup(f, vi, why, 0);
}

void
vrrp_fsm_release(const struct vrrp_fsm *f, struct vrrp_inst *vi,
    const char *why)
{
	char a[ADDR_STRLEN], buf[VRRP_WHY_LEN];
	int alone = vi->forced_alone;

	vi->forced_backup = 0;
	vi->forced_alone = 0;
	if (vi->state != VRRP_STATE_BACKUP)
		return;
	if (alone) {
		/* nobody took over: no reason to wait another
		 * Master_Down_Interval */
		snprintf(buf, sizeof(buf), "%s, and no master was heard",
		    why);
		fsm_to_master(f, vi, buf, VRRP_REASON_NO_RESPONSE);
		return;
	}
	if (vrrp_inst_preempt(vi) && vi->master_prio > 0 &&
	    vi->master_prio < vi->prio)
		log_info("%s: %s: master %s has lower priority (%u < %u): "
		    "preempting when the master down timer expires",
		    vi->name, why, fsm_ntop(&vi->master_addr, a, sizeof(a)),
		    vi->master_prio, vi->prio);
	else
		log_info("%s: %s: stays BACKUP (master %s, priority %u)",
		    vi->name, why, fsm_ntop(&vi->master_addr, a, sizeof(a)),
		    vi->master_prio);
}

void
vrrp_fsm_stop(const struct vrrp_fsm *f, struct vrrp_inst *vi, int keep,
    const char *why)
{
	if (vi->state == VRRP_STATE_STOP)
		return;
	vi->stopping = 1;
	if (vi->state == VRRP_STATE_MASTER && !keep)
		fsm_send(f, vi, VRRP_PRIO_STOP);
	fsm_adver(f, vi, 0);
	fsm_down(f, vi, 0, 0);
	if (!keep)
		fsm_vips(f, vi, 0);
	fsm_set(f, vi, VRRP_STATE_STOP, "%s%s", why,
	    keep && vi->vips_held ? " (VIPs left in place)" : "");
}

void
vrrp_fsm_retime(const struct vrrp_fsm *f, struct vrrp_inst *vi)
{
	if (!fsm_v3(vi))
		vi->master_adver_int = vi->adver_int;
	if (vi->state == VRRP_STATE_MASTER)
		fsm_adver(f, vi, vi->adver_int * USEC_PER_CS);
	else if (vi->state == VRRP_STATE_BACKUP && !vi->down_skew)
		fsm_down(f, vi, vrrp_inst_down_interval(vi), 0);
}
