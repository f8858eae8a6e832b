/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MISC_CHECK: run misc_path (lib/script.h: own process group, as the
 * checker's "user", else global_defs' script_user, else keepalived's
 * default) and judge its exit as keepalived 2.2.7 does:
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
#include "script.h"
#include "script_check.h"

#define MISC_GRACE_USEC	2000000ULL	/* SIGTERM -> SIGKILL, as keepalived */

/* env->kinds[CHK_MISC] */
struct misc_shared {
	int set;		/* uid/gid below are known */
	uid_t uid;
	gid_t gid;
};

/* kstate, kept from one run to the next; outlives the probe while a
 * cancelled script still runs (the runner calls back when it is gone) */
struct misc_state {
	struct chk_probe *p;	/* NULL: released, free when no run is left */
	struct arena *arena;	/* argv */
	char **argv;
	const char *cmd;	/* the misc_path argv was made from */
	uid_t uid;
	gid_t gid;
	struct script_run *run;	/* the current run, NULL if none */
	unsigned outstanding;	/* runs not called back yet */
};

static struct misc_shared *
misc_shared(struct chk_env *env)
{
	struct misc_shared *sh = env->kinds[CHK_MISC];

	if (sh == NULL && (sh = calloc(1, sizeof(*sh))) != NULL)
		env->kinds[CHK_MISC] = sh;
	return sh;
}

int
chk_misc_set_script_user(struct chk_env *env, const char *user,
    const char *group)
{
	struct misc_shared *sh = misc_shared(env);

	if (sh == NULL)
		return -1;
	sh->set = 0;
	if (user == NULL)
		return 0;
	if (script_lookup_user(user, group, &sh->uid, &sh->gid) < 0)
		return -1;
	sh->set = 1;
	return 0;
}

/* The user a script without "user" runs as. */
static int
misc_default_user(struct chk_env *env, uid_t *uid, gid_t *gid)
{
	struct misc_shared *sh = misc_shared(env);

	if (sh != NULL && sh->set) {
		*uid = sh->uid;
		*gid = sh->gid;
		return 0;
	}
	if (getpwnam(SCRIPT_DEFAULT_USER) != NULL)
		return script_lookup_user(SCRIPT_DEFAULT_USER, NULL, uid, gid);
	*uid = (uid_t)-1;	/* root: as we are */
	*gid = (gid_t)-1;
	return 0;
}

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
	if (sc->user != NULL) {
		if (script_lookup_user(sc->user, sc->group, &s->uid,
		    &s->gid) < 0) {
			s->argv = NULL;
			chk_probe_fail(p, "user %s: unknown", sc->user);
			return -1;
		}
	} else if (misc_default_user(p->env, &s->uid, &s->gid) < 0) {
		s->argv = NULL;
		chk_probe_fail(p, "script_user: unknown");
		return -1;
	}
	s->cmd = sc->cmd;
	return 0;
}

static int
misc_start(struct chk_probe *p)
{
	const struct chk_checker_conf *ck = p->conf;
	struct misc_state *s = p->kstate;
	struct script_opts o;
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
		s->p = p;
		p->kstate = s;
	}
	if (misc_prepare(p, s) < 0)
		return -1;
	tmo = ck->u.misc.timeout != CHK_TIMER_UNSET && ck->u.misc.timeout != 0 ?
	    ck->u.misc.timeout : ck->delay_loop;
	memset(&o, 0, sizeof(o));
	o.argv = s->argv;
	o.uid = s->uid;
	o.gid = s->gid;
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
