/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MISC_CHECK: run misc_path (lib/script.h: own process group, as the
 * checker's "user", else global_defs' script_user, else keepalived's
 * default, refused as root from an unsafe path under
 * enable_script_security: lib/runas.h) and judge its exit as keepalived 2.2.7 does:
 *	0			up (misc_dynamic: the weight configured)
 *	2..255 with misc_dynamic	up, weight = status - 2
 *	1, or 2..255 without	down ("exited with status N")
 *	a signal		down
 * After misc_timeout (default: delay_loop) the script's group gets
 * SIGTERM, then SIGKILL 2 s later, and the check fails ("timed out").
 */
#include "autoconfig.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "healthcheck/check_proto.h"
#include "healthcheck/probe.h"
#include "runas.h"
#include "script.h"
#include "script_check.h"

#define MISC_GRACE_USEC	2000000ULL	/* SIGTERM -> SIGKILL, as keepalived */

/* kstate, kept from one run to the next; outlives the probe while a
 * cancelled script still runs (the runner calls back when it is gone) */
struct misc_state {
	struct chk_probe *p;	/* NULL: released, free when no run is left */
	struct arena *arena;	/* argv */
	char **argv;
	const char *cmd;	/* the misc_path argv was made from */
	struct script_run *run;	/* the current run, NULL if none */
	unsigned outstanding;	/* runs not called back yet */
};

static void
misc_free(struct misc_state *s)
{
	arena_free(s->arena);
	free(s);
}

static void
misc_done(struct script_run *run, enum script_result res, int status,
    void *arg)
{
	struct misc_state *s = arg;
	struct chk_probe *p = s->p;
	const struct chk_checker_conf *ck;
	char eb[96];

	s->outstanding--;
	if (p == NULL) {
		if (s->outstanding == 0)
			misc_free(s);
		return;
	}
	if (run != s->run)
		return;		/* a cancelled run */
	s->run = NULL;
	ck = p->conf;
	switch (res) {
	case SCRIPT_EXITED:
		if (status == 0) {
			if (ck->u.misc.dynamic)
				p->weight = p->rs->weight;
			chk_probe_done(p, 1, NULL);
		} else if (ck->u.misc.dynamic && status >= 2 &&
		    status <= 255) {
			p->weight = status - 2;
			chk_probe_done(p, 1, NULL);
		} else {
			chk_probe_done(p, 0, "%s exited with status %d",
			    s->argv[0], status);
		}
		return;
	case SCRIPT_SIGNALED:
		chk_probe_done(p, 0, "%s killed by signal %d", s->argv[0],
		    status);
		return;
	case SCRIPT_TIMEOUT:
		chk_probe_done(p, 0, "%s timed out after %.1f s", s->argv[0],
		    (double)ck->u.misc.timeout / 1e6);
		return;
	case SCRIPT_EXEC_FAILED:
		chk_probe_done(p, 0, "cannot run %s: %s", s->argv[0],
		    chk_probe_strerror(status, eb, sizeof(eb)));
		return;
	}
	chk_probe_done(p, 0, "%s: unknown result", s->argv[0]);
}

/* argv and user, made on the first run (and again if misc_path changed) */
static int
misc_prepare(struct chk_probe *p, struct misc_state *s)
{
	const struct chk_conf_script *sc = &p->conf->u.misc.script;

	if (s->argv != NULL && s->cmd == sc->cmd)
		return 0;
	arena_free(s->arena);
	s->argv = NULL;
	if ((s->arena = arena_new()) == NULL) {
		chk_probe_fail(p, "out of memory");
		return -1;
	}
	if ((s->argv = script_split(s->arena, sc->cmd)) == NULL ||
	    s->argv[0] == NULL) {
		s->argv = NULL;
		chk_probe_fail(p, "misc_path '%s' is empty or unbalanced",
		    sc->cmd);
		return -1;
	}
	s->cmd = sc->cmd;
	return 0;
}

static int
misc_start(struct chk_probe *p)
{
	const struct chk_checker_conf *ck = p->conf;
	const struct chk_conf_script *sc = &ck->u.misc.script;
	struct misc_state *s = p->kstate;
	struct script_opts o;
	char why[160];
	uint64_t tmo;

	if (ck->u.misc.script.cmd == NULL) {
		chk_probe_fail(p, "no misc_path");
		return -1;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL) {
			chk_probe_fail(p, "out of memory");
			return -1;
		}
		p->kstate = s;
	}
	s->p = p;	/* each run may have another probe (the engine's pool) */
	if (misc_prepare(p, s) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	/* the user, script_user or the default; enable_script_security */
	if (runas_resolve(&p->env->runas, s->argv, sc->user, sc->group,
	    &o.uid, &o.gid, why, sizeof(why)) < 0) {
		chk_probe_fail(p, "%s", why);
		return -1;
	}
	tmo = ck->u.misc.timeout != CHK_TIMER_UNSET && ck->u.misc.timeout != 0 ?
	    ck->u.misc.timeout : ck->delay_loop;
	o.argv = s->argv;
	o.timeout_usec = tmo;
	o.grace_usec = MISC_GRACE_USEC;
	s->run = script_start(p->env->scripts, &o, misc_done, s);
	if (s->run == NULL) {
		char eb[96];

		chk_probe_fail(p, "cannot run %s: %s", s->argv[0],
		    chk_probe_strerror(errno, eb, sizeof(eb)));
		return -1;
	}
	s->outstanding++;
	/* the runner's timeout and grace decide; the engine's is a backstop */
	p->timeout = tmo + MISC_GRACE_USEC + 1000000;
	return 0;
}

static void
misc_cancel(struct chk_probe *p)
{
	struct misc_state *s = p->kstate;

	if (s == NULL || s->run == NULL)
		return;
	script_kill(s->run);	/* its callback comes later: ignored */
	s->run = NULL;
}

static void
misc_release(struct chk_probe *p)
{
	struct misc_state *s = p->kstate;

	if (s == NULL)
		return;
	misc_cancel(p);
	p->kstate = NULL;
	s->p = NULL;
	if (s->outstanding == 0)
		misc_free(s);
}

static void
misc_kind_free(struct chk_env *env)
{
	free(env->kinds[CHK_MISC]);
	env->kinds[CHK_MISC] = NULL;
}

const struct chk_kind chk_kind_misc = {
	.kind = CHK_MISC,
	.name = "MISC_CHECK",
	.start = misc_start,
	.cancel = misc_cancel,
	.release = misc_release,
	.kind_free = misc_kind_free,
	.fds = 1,		/* the exec-status pipe while the script runs */
};
