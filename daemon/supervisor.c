/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "supervisor.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conf_preview.h"
#include "control.h"
#include "global_conf.h"
#include "log.h"
#include "offload.h"
#include "loop.h"
#include "metrics.h"
#include "notify.h"
#include "options.h"
#include "pidfile.h"
#include "reap.h"
#include "refresh.h"
#include "reload.h"
#include "reload_time.h"
#include "route.h"
#include "snmp.h"
#include "supervisor_int.h"
#include "vconfig.h"

void
supervisor_log_diag(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	int prio = sev == CONF_ERR ? LOG_ERR : LOG_WARNING;

	if (loc != NULL && loc->file != NULL)
		log_msg(prio, "%s:%u: %s", loc->file, loc->line, msg);
	else
		log_msg(prio, "%s", msg);
}

static int
slot_wanted(const struct supervisor *sv, const struct slot *s)
{
	const struct options *o = sv->opts;

	/* the agent runs when asked for, whatever -P/-C run */
	if (snmp_feed_is(s))
		return snmp_feed_wanted(o, sv->cfg);
	if (!options_runs_sub(o, s->sub))
		return 0;
	if (o->all_children)
		return 1;
	return vconfig_objects(s->sub, sv->cfg, NULL, NULL) > 0;
}

/* The store follows the configuration: objects it names appear, objects
 * it dropped go. */
static void
sync_states(struct supervisor *sv, struct reload_parts *parts)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		/* a child that will not run has no objects to show */
		if (!slot_wanted(sv, s)) {
			state_fini(&s->st);
			state_init(&s->st);
			continue;
		}
		if ((parts != NULL && parts->names[s->sub->owner] != NULL ?
		    state_names_sync(&s->st, parts->names[s->sub->owner],
		    sv->cfg->generation) :
		    state_conf_sync(&s->st, s->sub, sv->cfg)) < 0)
			log_err("%s child: out of memory following the "
			    "configuration in the state store", s->sub->name);
	}
}

void
supervisor_child_gone(struct supervisor *sv)
{
	for (unsigned i = 0; i < sv->nslots; i++)
		if (sv->slots[i].pid != 0)
			return;
	if (sv->stopping)
		event_base_loopexit(sv->base, NULL);
}

/* Start what the config needs, stop what it no longer needs. */
static void
sync_children(struct supervisor *sv)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		s->wanted = slot_wanted(sv, s);
		if (s->wanted && s->pid == 0) {
			/* a reload may have fixed what made it die: no
			 * need to sit out the back-off */
			s->quick_deaths = 0;
			slot_start(s);
		} else if (!s->wanted && s->pid != 0) {
			log_info("%s child: no longer needed by the "
			    "configuration; stopping it", s->sub->name);
			slot_stop(s, "not needed");
		} else if (!s->wanted)
			loop_timer_stop(s->respawn);
	}
	for (unsigned i = 0; i < sv->nslots; i++)
		if (sv->slots[i].wanted)
			return;
	log_warn("the configuration needs no child (no VRRP instance, "
	    "no virtual server); vigild idles until a reload");
}

void
supervisor_reload_reject(struct supervisor *sv, unsigned nerr,
    const char *refused, const char *first, char *msg, size_t msglen)
{
	struct vigil_config *cur = sv->cfg;

	sv->reloads_rejected++;
	if (refused != NULL && refused[0] != '\0')
		snprintf(msg, msglen, "reload rejected: %s: %s; still running "
		    "configuration generation %u", cur->path, refused,
		    cur->generation);
	else
		snprintf(msg, msglen, "reload rejected: %u error(s) in %s; "
		    "still running configuration generation %u%s%s", nerr,
		    cur->path, cur->generation, first != NULL &&
		    first[0] != '\0' ? "; the first: " : "", first != NULL ?
		    first : "");
	log_err("%s", msg);
	notify_ready(cur->generation);
}

/* The parent's name (comm): global_defs' process_name, or vigild. */
static void
parent_set_name(const struct vigil_config *c)
{
	const char *name = global_process_name(c->conf[CONF_OWNER_GLOBAL],
	    "vigild");

	prctl(PR_SET_NAME, name != NULL ? name : "vigild");
}

struct vigil_config *
supervisor_reload_send(struct supervisor *sv, struct vigil_config *next,
    unsigned nwarn, char *msg, size_t msglen)
{
	struct vigil_config *old = sv->cfg;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	next->generation = old->generation + 1;
	sv->cfg = next;
	sv->reloads++;
	parent_set_name(next);
	snprintf(msg, msglen, "configuration generation %u loaded (%u "
	    "warning(s))", next->generation, nwarn);
	log_info("%s", msg);
	/* children the new configuration still needs get it over ipc
	 * first (their parts encoded while the parse read the file); the
	 * others are started and stopped once the parse is done */
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		if (slot_wanted(sv, s))
			slot_send_reload(s, sv->cfg);
	}
	log_debug("sent the children their part in %.1f ms",
	    subsys_ms_since(&t0));
	return old;
}

void
supervisor_reload_finish(struct supervisor *sv, struct vigil_config *old,
    struct reload_parts *parts)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	vconfig_free(old);
	if (sv->opts->dump_conf)
		vconfig_dump(sv->cfg, stderr);
	/* the store follows once the children have their part: it is
	 * bookkeeping, not on the way of the reload */
	sync_states(sv, parts);
	log_debug("freed the old generation and synced the store in %.1f ms",
	    subsys_ms_since(&t0));
	sync_children(sv);
	metrics_configure(sv);
	control_configure(sv);
	reload_watch_configure(sv);
	notify_ready(sv->cfg->generation);
	log_debug("ran generation %u in the parent in %.1f ms",
	    sv->cfg->generation, subsys_ms_since(&t0));
}

static void
supervisor_stop(struct supervisor *sv, const char *why)
{
	if (sv->stopping)
		return;
	log_info("stopping (%s)", why);
	notify_stopping();
	sv->stopping = 1;
	/* no reload comes now: the file keeps its entry */
	reload_watch_free(sv);
	for (unsigned i = 0; i < sv->nslots; i++)
		slot_stop(&sv->slots[i], "vigild is stopping");
	supervisor_child_gone(sv);
}

static void
watchdog_tick(struct loop_timer *t, void *arg)
{
	struct supervisor *sv = arg;
	uint64_t now = loop_now_usec();
	uint64_t limit = (uint64_t)sv->opts->watchdog_ms * 1000;

	for (unsigned i = 0; i < sv->nslots; i++)
		slot_watchdog(&sv->slots[i], now, limit);
}

/* WatchdogSec=: the parent's loop turns, so it says so. */
static void
sd_watchdog_tick(struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	notify_watchdog();
}

static void
sd_watchdog_start(struct supervisor *sv)
{
	uint64_t usec = notify_watchdog_usec();

	if (usec == 0)
		return;
	if ((sv->sd_watchdog = loop_timer_new(sv->base, sd_watchdog_tick,
	    sv)) == NULL) {
		log_err("systemd watchdog: out of memory; no WATCHDOG=1 will "
		    "be sent and systemd will restart vigild");
		return;
	}
	/* twice per interval, as sd_watchdog_enabled(3) advises */
	loop_timer_start(sv->sd_watchdog, usec / 2 > 0 ? usec / 2 : 1, 1);
	log_info("systemd watchdog: WATCHDOG=1 every %.3g s (WatchdogSec "
	    "%.3g s)", (double)usec / 2e6, (double)usec / 1e6);
	notify_watchdog();
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct supervisor *sv = arg;

	if (sig == SIGHUP) {
		if (!sv->stopping && reload_request(sv, "SIGHUP", NULL,
		    NULL) < 0)
			log_err("reload (SIGHUP): cannot start it; still "
			    "running configuration generation %u",
			    sv->cfg->generation);
	} else if (sig == SIGTERM) {
		supervisor_stop(sv, "SIGTERM");
	} else if (sig == SIGINT) {
		supervisor_stop(sv, "SIGINT");
	} else if (sig == SIGUSR1) {
		dump_request(sv);
	} else if (sig == SIGUSR2) {
		dump_stats(sv);
	} else if (sig == options_signum("STATS_CLEAR")) {
		dump_stats_clear(sv);
	} else if (sig == options_signum("JSON")) {
		dump_json(sv);
	}
}

/* The parent's loop and everything on it (not the configuration). */
static void
supervisor_release(struct supervisor *sv)
{
	metrics_free(sv);
	control_stop(sv);
	reload_watch_free(sv);
	reload_fini(sv);
	refresh_fini(sv);
	route_fini(sv);
	for (unsigned i = 0; i < sv->nslots; i++)
		slot_fini(&sv->slots[i]);
	for (size_t i = 0; i < sizeof(sv->sigs) / sizeof(sv->sigs[0]); i++)
		if (sv->sigs[i] != NULL)
			event_free(sv->sigs[i]);
	for (int w = 0; w < DUMP_FILES; w++) {
		offload_cancel(sv->dump_files[w].render);
		sv->dump_files[w].render = NULL;
	}
	loop_timer_free(sv->dump_timer);
	loop_timer_free(sv->watchdog);
	loop_timer_free(sv->sd_watchdog);
	reaper_free(sv->reaper);
	event_base_free(sv->base);
}

int
supervisor_run(const struct options *o, const struct conf_load_opts *lo,
    struct vigil_config *cfg, struct pidfiles *pf)
{
	const int signals[] = { SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2,
	    options_signum("STATS_CLEAR"), options_signum("JSON") };
	struct supervisor sv = { .opts = o, .lo = lo, .cfg = cfg,
	    .pf = pf };
	sigset_t held, old_mask;
	int ok;

	sv.started = time(NULL);
	sv.pid = getpid();
	parent_set_name(cfg);
	signal(SIGPIPE, SIG_IGN);
	/* the signals vigild handles wait while startup_script runs, until
	 * their handlers are in place (keepalived's are set before it) */
	sigemptyset(&held);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaddset(&held, signals[i]);
	sigprocmask(SIG_BLOCK, &held, &old_mask);
	supervisor_hook_script(cfg, 0);
	sv.base = loop_new();
	if (sv.base == NULL) {
		log_err("cannot create the event loop");
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		vconfig_free(cfg);
		return 1;
	}
	sv.reaper = reaper_new(sv.base);
	sv.dump_timer = loop_timer_new(sv.base, dump_timeout, &sv);
	sv.watchdog = loop_timer_new(sv.base, watchdog_tick, &sv);
	ok = sv.reaper != NULL && sv.dump_timer != NULL && sv.watchdog != NULL &&
	    reload_init(&sv) == 0;
	for (size_t i = 0; ok && i < sizeof(signals) / sizeof(signals[0]); i++) {
		sv.sigs[i] = evsignal_new(sv.base, signals[i], on_signal, &sv);
		ok = sv.sigs[i] != NULL && event_add(sv.sigs[i], NULL) == 0;
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	for (const struct subsys *const *s = vigil_subsystems; ok && *s != NULL;
	    s++) {
		if ((*s)->proc == NULL)
			continue;
		if (sv.nslots == SLOT_MAX) {
			log_err("more subsystems than SLOT_MAX");
			ok = 0;
			break;
		}
		ok = slot_init(&sv.slots[sv.nslots++], &sv, *s) == 0;
	}
	if (!ok) {
		log_err("cannot set up the supervisor");
		sv.status = 1;
		goto out;
	}
	if (o->watchdog_ms > 0) {
		/* ping four times per limit; a child silent for the whole
		 * limit is killed */
		uint64_t tick = (uint64_t)o->watchdog_ms * 1000 / 4;

		loop_timer_start(sv.watchdog, tick > 0 ? tick : 1, 1);
	}

	sync_states(&sv, NULL);
	sync_children(&sv);
	metrics_configure(&sv);
	control_configure(&sv);
	reload_watch_configure(&sv);
	notify_ready(sv.cfg->generation);
	sd_watchdog_start(&sv);
	event_base_dispatch(sv.base);
	log_info("stopped");
out:
	/* from here a signal waits: no handler would take it (vigild is
	 * stopping; shutdown_script runs to its end or its timeout) */
	sigprocmask(SIG_BLOCK, &held, NULL);
	supervisor_release(&sv);
	supervisor_hook_script(sv.cfg, 1);
	vconfig_free(sv.cfg);
	return sv.status;
}
