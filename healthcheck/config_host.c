/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host checks of the checkers' configuration (vigild -t, start, reload):
 * MISC_CHECK scripts, real servers' notify_up/notify_down, virtual
 * servers' quorum_up/quorum_down and lvs_notify_fifo_script can be run
 * (lib/script_check.c).
 */
#include "config.h"

#include "conf.h"
#include "global_conf.h"
#include "script_check.h"
#include "subsys.h"

/* A script named by keyword kw of the block at loc: checked quietly
 * first, reported at kw's own line when something is wrong. */
static unsigned
check_script(const struct vigil_config *c, const struct global_conf *g,
    const char *kw, const struct chk_conf_script *s,
    const struct conf_loc *loc, struct conf_diag *d)
{
	struct conf_diag probe = { 0 };

	if (s == NULL || s->cmd == NULL || script_check_host(g, kw, s->cmd, s->user,
	    s->group, loc, &probe) == 0)
		return 0;
	return script_check_host(g, kw, s->cmd, s->user, s->group,
	    vconfig_loc_in(c, loc, kw), d);
}

unsigned
chk_conf_host_check(const void *conf, const struct vigil_config *c,
    struct conf_diag *d)
{
	const struct chk_conf *cc = conf;
	const struct global_conf *g = c != NULL ?
	    c->conf[CONF_OWNER_GLOBAL] : NULL;
	const struct chk_vs_conf *vs;
	const struct chk_rs_conf *rs;
	const struct chk_checker_conf *ck, *done;
	unsigned nerr = 0;

	for (vs = cc->vs; vs != NULL; vs = vs->next) {
		nerr += check_script(c, g, "quorum_up", &vs->quorum_up, &vs->loc,
		    d);
		nerr += check_script(c, g, "quorum_down", &vs->quorum_down,
		    &vs->loc, d);
		done = NULL;
		for (rs = vs->rs; rs != NULL; rs = rs->next) {
			nerr += check_script(c, g, "notify_up", rs->notify_up,
			    &rs->loc, d);
			nerr += check_script(c, g, "notify_down", rs->notify_down,
			    &rs->loc, d);
			/* a list real servers share (config_rs.c): once,
			 * at the first one's lines */
			if (rs->checks->list == done)
				continue;
			done = rs->checks->list;
			for (ck = done; ck != NULL; ck = ck->next)
				if (ck->kind == CHK_MISC)
					nerr += check_script(c, g, "misc_path",
					    &ck->u.misc.script, &ck->loc, d);
		}
	}
	if (cc->g.lvs_notify_fifo_script.cmd != NULL) {
		const struct conf_node *n = c != NULL ? vconfig_find(c,
		    "global_defs", "lvs_notify_fifo_script") : NULL;

		nerr += check_script(c, g, "lvs_notify_fifo_script",
		    &cc->g.lvs_notify_fifo_script, n != NULL ? &n->loc : NULL,
		    d);
	}
	return nerr;
}
