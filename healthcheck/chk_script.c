/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scripts the health checks run: notify_up / notify_down of a real
 * server, quorum_up / quorum_down of a virtual server. Never waited for:
 * the script runner reaps them (a minute at most each).
 */
#include "autoconfig.h"

#include "arena.h"
#include "healthcheck/engine.h"
#include "log.h"
#include "script.h"

static void
script_done(struct script_run *run, enum script_result res, int status,
    void *arg)
{
	(void)run;
	(void)res;
	(void)status;
	(void)arg;
}

void
chk_engine_script(struct chk_engine *e, const struct chk_conf_script *s,
    const char *what)
{
	struct script_opts o = { .uid = (uid_t)-1, .gid = (gid_t)-1,
	    .timeout_usec = 60ULL * 1000000 };
	struct arena *a;
	char **argv;

	if (s->cmd == NULL || e->env.scripts == NULL)
		return;
	if (s->user != NULL && script_lookup_user(s->user, s->group, &o.uid,
	    &o.gid) < 0) {
		log_warn("%s: user %s unknown; not run", what, s->user);
		return;
	}
	if ((a = arena_new()) == NULL)
		return;
	if ((argv = script_split(a, s->cmd)) != NULL) {
		o.argv = argv;
		log_info("%s: running %s", what, s->cmd);
		if (script_start(e->env.scripts, &o, script_done, NULL) == NULL)
			log_warn("%s: %s could not be started", what, s->cmd);
	}
	arena_free(a);
}
