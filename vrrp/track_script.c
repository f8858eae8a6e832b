/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vrrp_script: run at its interval through lib's script runner (never
 * blocking; the timeout kills it), counted as keepalived counts: the
 * result climbs to rise - 1 on successes and jumps to rise + fall - 1
 * once up; a failure steps it down to rise, then drops it to 0. Up while
 * result >= rise. Until its first result a script is in INIT (no weight,
 * and weight-0 lines hold the instance); init_fail starts it down.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loop.h"
#include "proc.h"
#include "script.h"
#include "str.h"
#include "vrrp/config.h"
#include "vrrp/track_priv.h"

#define TSCRIPT_GRACE_USEC 2000000u	/* SIGTERM -> SIGKILL */

struct tscript *
tscript_new(struct vrrp_track *t, const struct vrrp_script_conf *c)
{
	struct tscript *s;
	char why[256];
	int fail = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->t = t;
	s->o.name = str_dup_opt(c->name, &fail);
	s->cmd = str_dup_opt(c->script, &fail);
	s->user = str_dup_opt(c->user, &fail);
	s->group = str_dup_opt(c->group, &fail);
	if (fail || s->o.name == NULL) {
		tscript_free(s);
		return NULL;
	}
	s->o.weight = c->weight;
	s->o.reverse = c->weight_reverse;
	s->interval = c->interval > 0 ? c->interval : 1000000;
	s->timeout = c->timeout > 0 ? c->timeout : s->interval;
	s->rise = c->rise > 0 ? c->rise : 1;
	s->fall = c->fall > 0 ? c->fall : 1;
	s->init_fail = c->init_fail;
	s->last_status = -1;
	if (s->init_fail) {
		s->result = 0;
		s->has_result = 1;
	} else
		s->result = s->rise - 1;
	s->argv = runas_argv_new(s->cmd);
	if (s->argv == NULL) {
		log_warn("%s:%u: vrrp_script %s: cannot split '%s' into "
		    "words; disabled", c->loc.file, c->loc.line, s->o.name,
		    s->cmd != NULL ? s->cmd : "");
		s->o.disabled = 1;
	} else if (runas_resolve(&t->runas, s->argv, s->user, s->group, &s->uid,
	    &s->gid, why, sizeof(why)) < 0) {
		log_warn("%s:%u: vrrp_script %s: disabled: %s", c->loc.file,
		    c->loc.line, s->o.name, why);
		s->o.disabled = 1;
	}
	return s;
}

int
tscript_same(const struct tscript *s, const struct vrrp_script_conf *c)
{
	uint64_t timeout = c->timeout > 0 ? c->timeout : c->interval;

	return str_eq(s->cmd, c->script) &&
	    str_eq(s->user, c->user) &&
	    str_eq(s->group, c->group) &&
	    s->interval == (c->interval > 0 ? c->interval : 1000000) &&
	    s->timeout == (timeout > 0 ? timeout : s->interval) &&
	    s->rise == (c->rise > 0 ? c->rise : 1) &&
	    s->fall == (c->fall > 0 ? c->fall : 1) &&
	    s->init_fail == c->init_fail;
}

/* One result, counted as keepalived counts; tell the engine when the
 * script goes up or down (or reports its first result). */
static void
tscript_result(struct tscript *s, int ok, const char *how)
{
	int was_up = s->up, first = !s->has_result;

	if (ok) {
		if (s->result < s->rise - 1)
			s->result++;
		else
			s->result = s->rise + s->fall - 1;
	} else {
		if (s->result > s->rise)
			s->result--;
		else
			s->result = 0;
	}
	s->up = s->result >= s->rise;
	s->has_result = 1;
	if (!first && s->up == was_up)
		return;
	if (first)
		log_info("vrrp_script %s: first result: %s (%s)", s->o.name,
		    s->up ? "up" : "down", how);
	else if (s->up)
		log_info("vrrp_script %s: down -> up: %s (%d success%s in a "
		    "row, rise %d)", s->o.name, how, s->rise,
		    s->rise == 1 ? "" : "es", s->rise);
	else
		log_info("vrrp_script %s: up -> down: %s (%d failure%s in a "
		    "row, fall %d)", s->o.name, how, s->fall,
		    s->fall == 1 ? "" : "s", s->fall);
	vrrp_track_notify(s->t);
}

static void
trun_unlink(struct trun *r)
{
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		r->t->runs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
}

static void
tscript_done(struct script_run *run, enum script_result res, int status,
    void *arg)
{
	struct trun *r = arg;
	struct tscript *s = r->s;
	char how[96];
	int ok = 0;

	(void)run;
	trun_unlink(r);
	free(r);
	if (s == NULL)
		return;		/* its tracker went away meanwhile */
	s->run = NULL;
	s->runs++;
	switch (res) {
	case SCRIPT_EXITED:
		ok = status == 0;
		snprintf(how, sizeof(how), "exited with status %d", status);
		if (status != s->last_status && s->last_status != -1)
			log_info("vrrp_script %s: now returning %d", s->o.name,
			    status);
		s->last_status = status;
		break;
	case SCRIPT_SIGNALED:
		snprintf(how, sizeof(how), "killed by signal %d", status);
		break;
	case SCRIPT_TIMEOUT:
		snprintf(how, sizeof(how), "timed out after %.3g s",
		    (double)s->timeout / 1e6);
		break;
	case SCRIPT_EXEC_FAILED:
		snprintf(how, sizeof(how), "could not run %s: %s", s->argv[0],
		    strerror(status));
		break;
	}
	tscript_result(s, ok, how);
}

static void
tscript_tick(struct loop_timer *lt, void *arg)
{
	struct tscript *s = arg;
	struct script_opts o;
	struct trun *r;

	(void)lt;
	loop_timer_start(s->timer, s->interval, 0);
	if (s->run != NULL) {
		if (s->skipped++ == 0 || log_detail() > 0)
			log_info("vrrp_script %s: still running after %.3g s; "
			    "this run skipped", s->o.name,
			    (double)s->interval / 1e6);
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		tscript_result(s, 0, "out of memory");
		return;
	}
	memset(&o, 0, sizeof(o));
	o.argv = s->argv;
	o.uid = s->uid;
	o.gid = s->gid;
	o.timeout_usec = s->timeout;
	o.grace_usec = TSCRIPT_GRACE_USEC;
	r->s = s;
	r->t = s->t;
	s->run = script_start(s->t->sr, &o, tscript_done, r);
	if (s->run == NULL) {
		free(r);
		tscript_result(s, 0, "could not start it");
		return;
	}
	r->next = s->t->runs;
	if (r->next != NULL)
		r->next->prev = r;
	s->t->runs = r;
}

void
tscript_start(struct tscript *s)
{
	if (s->timer == NULL &&
	    (s->timer = loop_timer_new(s->t->env->base, tscript_tick, s)) ==
	    NULL) {
		log_err("vrrp_script %s: out of memory", s->o.name);
		return;
	}
	loop_timer_start(s->timer, 0, 0);
}

void
tscript_free(struct tscript *s)
{
	struct trun *r;

	if (s == NULL)
		return;
	if (s->run != NULL) {
		for (r = s->t->runs; r != NULL; r = r->next)
			if (r->s == s)
				r->s = NULL;
		script_kill(s->run);
	}
	if (s->timer != NULL)
		loop_timer_free(s->timer);
	free(s->argv);
	free(s->o.name);
	free(s->cmd);
	free(s->user);
	free(s->group);
	free(s);
}

void
tscript_runs_free(struct vrrp_track *t)
{
	struct trun *r;

	while ((r = t->runs) != NULL) {
		t->runs = r->next;
		free(r);
	}
}

void
tscript_dump(const struct tscript *s, FILE *fp)
{
	fprintf(fp, " VRRP script = %s\n", s->o.name);
	fprintf(fp, "   Command = %s\n", s->cmd);
	fprintf(fp, "   Interval = %.3f s, timeout = %.3f s\n",
	    (double)s->interval / 1e6, (double)s->timeout / 1e6);
	fprintf(fp, "   Weight = %d%s, rise = %d, fall = %d\n", s->o.weight,
	    s->o.reverse ? " reverse" : "", s->rise, s->fall);
	fprintf(fp, "   Status = %s%s, result %d, runs %u, skipped %u\n",
	    s->o.disabled ? "disabled" : !s->has_result ? "INIT" :
	    s->up ? "GOOD" : "BAD", s->run != NULL ? " (running)" : "",
	    s->result, s->runs, s->skipped);
}
