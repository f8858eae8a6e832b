/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chk_probe CONF: load CONF as vigild -t does (every subsystem's keywords),
 * run every checker of every real server once, all at the same time in
 * one loop, and print one line per checker, in configuration order:
 *
 *	OK TCP_CHECK [10.0.0.2]:80
 *	FAIL TCP_CHECK [10.0.0.2]:80: connection refused
 *	OK MISC_CHECK [10.0.0.2]:80 weight 3	(a checker that sets it)
 *
 * Exits 0 when the configuration loaded (whatever the checks said), 1 if
 * it did not. For the checker kinds' integration tests; not installed.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "daemon/vconfig.h"
#include "healthcheck/check_proto.h"
#include "healthcheck/config.h"
#include "healthcheck/probe.h"
#include "log.h"
#include "loop.h"
#include "reap.h"
#include "script.h"

struct run {
	struct chk_probe p;
	int finished;
	char reason[CHK_REASON_LEN];	/* p.reason is only valid in done */
};

static unsigned pending;

static void
probe_done(struct chk_probe *p, void *arg)
{
	struct run *r = arg;

	snprintf(r->reason, sizeof(r->reason), "%s", p->reason);
	r->finished = 1;
	pending--;
}

static unsigned
count_checkers(const struct chk_conf *c)
{
	unsigned n = 0;

	for (const struct chk_vs_conf *vs = c->vs; vs != NULL; vs = vs->next)
		for (const struct chk_rs_conf *rs = vs->rs; rs != NULL;
		    rs = rs->next)
			n += rs->checks->n;
	return n;
}

static void
print_result(const struct run *r)
{
	const char *kind = chk_conf_checker_kind_name(r->p.conf->kind);

	if (r->p.ok && r->p.weight != CHK_INT_UNSET)
		printf("OK %s %s weight %d\n", kind, r->p.name, r->p.weight);
	else if (r->p.ok)
		printf("OK %s %s\n", kind, r->p.name);
	else
		printf("FAIL %s %s: %s\n", kind, r->p.name, r->reason);
}

int
main(int argc, char **argv)
{
	struct conf_load_opts lo = { 0 };
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct vigil_config *cfg;
	const struct chk_conf *c;
	struct chk_env env;
	struct reaper *reaper;
	struct run *runs;
	unsigned n, i = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: chk_probe CONF\n");
		return 2;
	}
	log_init("chk_probe", LOG_F_STDERR, LOG_DAEMON, 0);
	if (vconfig_load(argv[1], &lo, &d, &cfg) != 0)
		return 1;
	c = cfg->conf[CONF_OWNER_CHECK];
	memset(&env, 0, sizeof(env));
	env.conf = c;
	if ((env.base = loop_new()) == NULL ||
	    (reaper = reaper_new(env.base)) == NULL ||
	    (env.scripts = script_runner_new(env.base, reaper)) == NULL) {
		fprintf(stderr, "chk_probe: cannot set up the loop\n");
		return 1;
	}
	/* MISC_CHECK's script_user, FILE_CHECK's track_file blocks */
	(void)chk_proto_setup(&env, cfg);
	n = c != NULL ? count_checkers(c) : 0;
	runs = calloc(n + 1, sizeof(*runs));
	if (runs == NULL)
		return 1;
	for (const struct chk_vs_conf *vs = c != NULL ? c->vs : NULL;
	    vs != NULL; vs = vs->next)
		for (const struct chk_rs_conf *rs = vs->rs; rs != NULL;
		    rs = rs->next)
			for (const struct chk_checker_conf *ck = rs->checks->list;
			    ck != NULL; ck = ck->next)
				chk_probe_init(&runs[i++].p, &env, vs, rs, ck);
	for (i = 0; i < n; i++) {
		pending++;
		if (chk_probe_start(&runs[i].p, probe_done, &runs[i]) < 0) {
			snprintf(runs[i].reason, sizeof(runs[i].reason), "%s",
			    runs[i].p.reason);
			runs[i].finished = 1;
			pending--;
		}
	}
	/* every probe is bounded by its timeout: the loop ends */
	while (pending > 0 && event_base_loop(env.base, EVLOOP_ONCE) == 0)
		;
	for (i = 0; i < n; i++) {
		print_result(&runs[i]);
		chk_probe_release(&runs[i].p);
	}
	for (unsigned k = 0; k < CHK_KIND_MAX; k++) {
		const struct chk_kind *kd = chk_kind_find(k);

		if (kd != NULL && kd->kind_free != NULL)
			kd->kind_free(&env);
	}
	free(runs);
	chk_proto_clear(&env);
	script_runner_free(env.scripts);
	reaper_free(reaper);
	event_base_free(env.base);
	vconfig_free(cfg);
	vconfig_registry_release();
	return 0;
}
