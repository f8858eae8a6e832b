/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scripts the health checks run: notify_up / notify_down of a real
 * server, quorum_up / quorum_down of a virtual server (never waited for:
 * the script runner reaps them, a minute at most each), and the scripts
 * reading the notify fifos (notify_fifo_script, lvs_notify_fifo_script:
 * no time limit).
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

/* cmd (as user/group: the line's, else script_user;
 * enable_script_security) with extra words after its own. 0 or -1. */
static int
run_script(struct chk_engine *e, const char *cmd, const char *user,
    const char *group, const char *what, const char *const *extra,
    size_t nextra, uint64_t timeout_usec)
{
	struct script_opts o = { .uid = (uid_t)-1, .gid = (gid_t)-1,
	    .timeout_usec = timeout_usec };
	char why[160];
	char **argv, **full;
	int rc = -1;

	if (cmd == NULL || e->env.scripts == NULL)
		return 0;
	if ((argv = runas_argv_new(cmd)) == NULL) {
		log_warn("%s: '%s' is empty or unbalanced; not run", what,
		    cmd);
		return -1;
	}
	full = nextra > 0 ? runas_argv_append(argv, extra, nextra) : argv;
	if (full == NULL) {
		log_err("%s: out of memory; %s not run", what, cmd);
		goto out;
	}
	if (runas_resolve(&e->env.runas, full, user, group, &o.uid,
	    &o.gid, why, sizeof(why)) < 0) {
		log_warn("%s: %s not run: %s", what, cmd, why);
		goto out;
	}
	o.argv = full;
	log_info("%s: running %s", what, cmd);
	if (script_start(e->env.scripts, &o, script_done, NULL) == NULL)
		log_warn("%s: %s could not be started", what, cmd);
	else {
		rc = 0;
		if (e->stopping)
			e->stop_scripts++;
	}
out:
	if (full != argv)
		free(full);
	free(argv);
	return rc;
}

void
chk_engine_script(struct chk_engine *e, const struct chk_conf_script *s,
    const char *what)
{
	if (s == NULL)
		return;
	(void)run_script(e, s->cmd, s->user, s->group, what, NULL, 0,
	    60ULL * 1000000);
}

int
chk_engine_fifo_script(void *arg, const char *what, const char *cmd,
    const char *user, const char *group, const char *path)
{
	const char *extra[1] = { path };

	return run_script(arg, cmd, user, group, what, extra, 1, 0);
}
