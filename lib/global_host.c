/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host checks of global_defs: script_user and its group exist, and the
 * global scripts (notify_fifo_script, startup_script, shutdown_script)
 * can be run (lib/script_check.c).
 */
#include "global_conf.h"
#include "script.h"

#include <grp.h>
#include <pwd.h>

#include "conf.h"
#include "script_check.h"
#include "subsys.h"

static const struct conf_loc *
loc_of(const struct vigil_config *c, const char *kw)
{
	const struct conf_node *n = vconfig_find(c, "global_defs", kw);

	return n != NULL ? &n->loc : NULL;
}

static unsigned
check_script(const struct global_conf *g, const struct vigil_config *c,
    const char *kw, const struct global_script *s, struct conf_diag *d)
{
	if (s->path == NULL)
		return 0;
	return script_check_host(g, kw, s->path, s->user, s->group,
	    loc_of(c, kw), d);
}

unsigned
global_conf_host_check(const void *conf, const struct vigil_config *c,
    struct conf_diag *d)
{
	const struct global_conf *g = conf;
	unsigned nerr = 0;
	uid_t uid;
	gid_t gid;

	if (g->script_user != NULL &&
	    script_lookup_user(g->script_user, NULL, &uid, &gid) < 0) {
		conf_diag_report(d, CONF_ERR, loc_of(c, "script_user"),
		    "script_user: user '%s' does not exist", g->script_user);
		nerr++;
	}
	if (g->script_group != NULL &&
	    script_lookup_group(g->script_group, &gid) < 0) {
		conf_diag_report(d, CONF_ERR, loc_of(c, "script_user"),
		    "script_user: group '%s' does not exist", g->script_group);
		nerr++;
	}
	nerr += check_script(g, c, "notify_fifo_script",
	    &g->notify_fifo_script, d);
	nerr += check_script(g, c, "startup_script", &g->startup_script, d);
	nerr += check_script(g, c, "shutdown_script", &g->shutdown_script, d);
	return nerr;
}
