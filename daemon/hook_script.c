/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "supervisor_int.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "global_conf.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "runas.h"
#include "script.h"
#include "vconfig.h"

struct hook_wait {
	int done;
	enum script_result res;
	int status;
};

static void
hook_done(struct script_run *run, enum script_result res, int status,
    void *arg)
{
	struct hook_wait *w = arg;

	(void)run;
	w->done = 1;
	w->res = res;
	w->status = status;
}

/*
 * global_defs' startup_script (before any child starts) or shutdown_script
 * (after every child has stopped), as keepalived runs them: once, as the
 * line's user (else script_user, else the default script user), waited
 * for at most its timeout, then killed. Its own loop and reaper: the
 * parent's are not there yet, or no longer.
 */
void
supervisor_hook_script(const struct vigil_config *cfg, int shutdown)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	const char *kw = shutdown ? "shutdown_script" : "startup_script";
	const struct global_script *s;
	struct runas_defaults d = { NULL, NULL, 0 };
	struct hook_wait w = { 0, SCRIPT_SIGNALED, 0 };
	struct event_base *base = NULL;
	struct reaper *r = NULL;
	struct script_runner *sr = NULL;
	struct script_opts o;
	char **argv = NULL, why[512];
	unsigned timeout;
	uid_t uid;
	gid_t gid;

	if (g == NULL)
		return;
	s = shutdown ? &g->shutdown_script : &g->startup_script;
	timeout = shutdown ? g->shutdown_script_timeout :
	    g->startup_script_timeout;
	if (s->path == NULL)
		return;
	if ((argv = runas_argv_new(s->path)) == NULL) {
		log_err("%s %s: not a command line", kw, s->path);
		return;
	}
	if (runas_defaults_set(&d, g) < 0) {
		log_err("%s %s: out of memory", kw, s->path);
		goto out;
	}
	if (runas_resolve(&d, argv, s->user, s->group, &uid, &gid, why,
	    sizeof(why)) < 0) {
		log_err("%s %s: not run: %s", kw, s->path, why);
		goto out;
	}
	base = loop_new();
	r = base != NULL ? reaper_new(base) : NULL;
	sr = r != NULL ? script_runner_new(base, r) : NULL;
	if (sr == NULL) {
		log_err("%s %s: cannot set up a loop to run it", kw, s->path);
		goto out;
	}
	o = (struct script_opts){ .argv = argv, .uid = uid, .gid = gid,
	    .timeout_usec = (uint64_t)timeout * 1000000 };
	if (script_start(sr, &o, hook_done, &w) == NULL) {
		log_err("%s %s: cannot start it", kw, s->path);
		goto out;
	}
	log_info("%s %s: running (at most %u s)", kw, s->path, timeout);
	while (!w.done && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	if (!w.done) {
		log_err("%s %s: the loop waiting for it failed; killed", kw,
		    s->path);
		goto out;
	}
	switch (w.res) {
	case SCRIPT_EXITED:
		if (w.status == 0)
			log_info("%s %s: done", kw, s->path);
		else
			log_warn("%s %s: exited with status %d", kw, s->path,
			    w.status);
		break;
	case SCRIPT_SIGNALED:
		log_warn("%s %s: killed by signal %d", kw, s->path, w.status);
		break;
	case SCRIPT_TIMEOUT:
		log_warn("%s %s: still running after %u s: killed", kw,
		    s->path, timeout);
		break;
	case SCRIPT_EXEC_FAILED:
		log_err("%s %s: cannot run it: %s", kw, s->path,
		    strerror(w.status));
		break;
	}
out:
	if (sr != NULL)
		script_runner_free(sr);
	if (r != NULL)
		reaper_free(r);
	if (base != NULL)
		event_base_free(base);
	runas_defaults_clear(&d);
	free(argv);
}
