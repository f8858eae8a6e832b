/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scripts the health checks run: notify_up / notify_down of a real
 * server, quorum_up / quorum_down of a virtual server. Never waited for:
 * the script runner reaps them (a minute at most each).
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "healthcheck/engine.h"
#include "log.h"
#include "runas.h"
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
	char why[160];
	char **argv;

	if (s->cmd == NULL || e->env.scripts == NULL)
		return;
	if ((argv = runas_argv_new(s->cmd)) == NULL) {
		log_warn("%s: '%s' is empty or unbalanced; not run", what,
		    s->cmd);
		return;
	}
	/* the line's user, else script_user; enable_script_security */
	if (runas_resolve(&e->env.runas, argv, s->user, s->group, &o.uid,
	    &o.gid, why, sizeof(why)) < 0) {
		log_warn("%s: %s not run: %s", what, s->cmd, why);
		free(argv);
		return;
	}
	o.argv = argv;
	log_info("%s: running %s", what, s->cmd);
	if (script_start(e->env.scripts, &o, script_done, NULL) == NULL)
		log_warn("%s: %s could not be started", what, s->cmd);
	free(argv);
}
