/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP engine's start and reload in parts (proc_ops.start_part,
 * reload_part: the child at a thousand instances under vrrp_rt_priority
 * must block now and then) against the kernel, in a network namespace of
 * its own (netns_test.h): cut into one instance a part, with turns of the
 * loop between the parts, they end where the start and the reload in one
 * piece end (each instance's state, priority, sync group, transitions
 * and the VIPs in the kernel), and the reload keeps what did not change
 * (no transition, its VIPs in place).
 */
#define _GNU_SOURCE
#include <check.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/vconfig.h"
#include "loop.h"
#include "proc.h"
#include "vrrp/engine.h"
#include "vrrp/engine_priv.h"
#include "vrrp/work.h"

#include "netns_test.h"
#include "check_run.h"

#define NINST 12

/*
 * Generation a: VI_0..VI_11 on veth0, VI_0..VI_3 address owners (MASTER
 * at once), the others BACKUP waiting for a master; one VIP each.
 * Generation b: VI_1 gets a second VIP, VI_5 another priority, VI_11 goes,
 * VI_12 comes (an owner), VI_6 and VI_7 form a sync group (changed too).
 */
static char *
gen(int b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fprintf(f, "global_defs {\n router_id parts\n}\n");
	for (int i = 0; i < NINST + 1; i++) {
		int owner = i < 4 || i == NINST;

		if ((b && i == NINST - 1) || (!b && i == NINST))
			continue;
		fprintf(f, "vrrp_instance VI_%d {\n interface veth0\n"
		    " state %s\n virtual_router_id %d\n priority %d\n"
		    " advert_int 1\n virtual_ipaddress {\n  10.7.0.%d/24\n",
		    i, owner ? "MASTER" : "BACKUP", i + 1, owner ? 255 :
		    b && i == 5 ? 120 : 100, i + 1);
		if (b && i == 1)
			fprintf(f, "  10.7.1.2/24\n");
		fprintf(f, " }\n");
		/* VI_1's route and rule change with the reload: the old
		 * ones out (a batch), the new ones in with its VIPs */
		if (i == 1)
			fprintf(f, " virtual_routes {\n  10.9.%d.0/24 dev "
			    "veth0\n }\n virtual_rules {\n  from 10.9.%d.1 "
			    "table %d\n }\n", b + 1, b + 1, 101 + b);
		fprintf(f, "}\n");
	}
	if (b)
		fprintf(f, "vrrp_sync_group G {\n group {\n  VI_6\n  VI_7\n"
		    " }\n}\n");
	fclose(f);
	return buf;
}

static struct vigil_config *
load(int b)
{
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct conf_tree *tree;
	struct vigil_config *c;
	char *text = gen(b);

	ck_assert_int_eq(conf_load_buffer("t.conf", text, strlen(text), NULL,
	    &d, &tree), 0);
	ck_assert_int_eq(vconfig_from_tree(vigil_subsystems,
	    vconfig_registry(), tree, CONF_OWNERS_ALL, "t.conf", &d, &c), 0);
	free(text);
	return c;
}

/* Turns of the loop until the work queue (VIPs, GARPs) is empty. */
static void
drain(struct event_base *base, struct vrrp_engine *e)
{
	for (int i = 0; i < 1000; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		if (vrrp_work_pending(e->work) == 0)
			return;
	}
	ck_abort_msg("the work queue did not drain");
}

/* Each instance (state, priorities, group, transitions), then the
 * addresses of veth0 in the kernel. */
static char *
state_of(const struct vrrp_engine *e)
{
	char *buf = NULL, *ip;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	for (const struct vrrp_inst *vi = e->insts; vi != NULL; vi = vi->next)
		fprintf(f, "%s %s prio %u/%u group %s transitions %llu "
		    "vips_held %d\n", vi->name, vrrp_state_name(vi->state),
		    vi->prio, vi->base_prio, vi->sync != NULL ?
		    vi->sync->name : "-", (unsigned long long)vi->transitions,
		    vi->vips_held);
	ip = sh_out("ip -4 -o addr show dev veth0 | awk '{ print $4 }' | "
	    "sort");
	fprintf(f, "%s", ip);
	free(ip);
	ip = sh_out("ip -4 route show dev veth0 | grep '^10\\.9\\.' | "
	    "awk '{ print \"route\", $1 }'; ip -4 rule show | "
	    "grep 'from 10\\.9\\.' | awk '{ print \"rule\", $3, $5 }'");
	fprintf(f, "%s", ip);
	free(ip);
	fclose(f);
	return buf;
}

/*
 * Start on generation a and reload to b, in parts of budget usec (0: one
 * instance a part; UINT64_MAX: one piece), a turn of the loop between
 * parts; the state after the start and after the reload, and how many
 * parts each took.
 */
static void
run(uint64_t budget, char **started, char **reloaded, unsigned *nstart,
    unsigned *nreload)
{
	struct vigil_config *a = load(0), *b = load(1);
	struct event_base *base = loop_new();
	struct proc_env env = { .base = base };
	struct vrrp_engine *e;
	char msg[256];
	void *cursor = NULL;
	int rc;

	ck_assert_ptr_nonnull(base);
	net_setup();
	/* the instances start as the link is: up (its carrier comes a
	 * moment after it is set up) */
	for (int i = 0; i < 200 && sh("ip -o link show veth0 | "
	    "grep -q 'state UP'") != 0; i++)
		usleep(10000);
	ck_assert_int_eq(sh("ip -o link show veth0 | grep -q 'state UP'"), 0);
	e = vrrp_engine_start_begin(&env, a, NULL);
	ck_assert_ptr_nonnull(e);
	*nstart = 0;
	do {
		rc = vrrp_engine_start_part(e, budget);
		(*nstart)++;
		event_base_loop(base, EVLOOP_NONBLOCK);
	} while (rc > 0);
	ck_assert_int_eq(rc, 0);
	drain(base, e);
	*started = state_of(e);

	*nreload = 0;
	do {
		rc = vrrp_engine_reload_part(e, a, b, msg, sizeof(msg),
		    &cursor, budget);
		(*nreload)++;
		if (rc > 0)
			event_base_loop(base, EVLOOP_NONBLOCK);
	} while (rc > 0);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(cursor);
	ck_assert_str_eq(msg, "VRRP instances: 7 unchanged, 4 changed, "
	    "1 added, 1 removed");
	drain(base, e);
	*reloaded = state_of(e);

	vrrp_engine_stop(e);
	event_base_free(base);
	vconfig_free(a);
	vconfig_free(b);
	net_teardown();
}

START_TEST(parts_end_where_one_piece_ends)
{
	char *s1, *r1, *sp, *rp;
	unsigned n1, m1, np, mp;

	run(UINT64_MAX, &s1, &r1, &n1, &m1);
	run(0, &sp, &rp, &np, &mp);
	ck_assert_uint_eq(n1, 1);
	ck_assert_uint_eq(m1, 1);
	/* one instance a part: NINST added, then their groups, then each
	 * looked at to start it; the NINST + 1 the diff names, then what
	 * concerns them all, then the NINST there looked at to start the
	 * one added */
	ck_assert_uint_eq(np, 2 * NINST + 1);
	ck_assert_uint_eq(mp, (NINST + 1) + 1 + NINST);
	ck_assert_str_eq(sp, s1);
	ck_assert_str_eq(rp, r1);

	/* and what that is: the owners MASTER with their VIPs, the others
	 * waiting; after the reload, nothing unchanged moved (one
	 * transition each: INIT to MASTER or BACKUP), VI_1 holds its new
	 * VIP, VI_11's is gone, VI_12 took over with its own */
	ck_assert_ptr_nonnull(strstr(s1, "VI_0 MASTER prio 255/255 group - "
	    "transitions 1 vips_held 1\n"));
	ck_assert_ptr_nonnull(strstr(s1, "VI_5 BACKUP prio 100/100 group - "
	    "transitions 1 vips_held 0\n"));
	ck_assert_ptr_nonnull(strstr(s1, "10.7.0.1/24\n"));
	ck_assert_ptr_null(strstr(s1, "10.7.0.5/24\n"));
	ck_assert_ptr_nonnull(strstr(r1, "VI_0 MASTER prio 255/255 group - "
	    "transitions 1 vips_held 1\n"));
	ck_assert_ptr_nonnull(strstr(r1, "VI_1 MASTER prio 255/255 group - "
	    "transitions 1 vips_held 1\n"));
	ck_assert_ptr_nonnull(strstr(r1, "VI_5 BACKUP prio 120/120 group - "
	    "transitions 1 vips_held 0\n"));
	ck_assert_ptr_nonnull(strstr(r1, "VI_6 BACKUP prio 100/100 group G "));
	ck_assert_ptr_nonnull(strstr(r1, "VI_12 MASTER prio 255/255 group - "
	    "transitions 1 vips_held 1\n"));
	ck_assert_ptr_null(strstr(r1, "VI_11 "));
	ck_assert_ptr_nonnull(strstr(r1, "10.7.1.2/24\n"));
	ck_assert_ptr_nonnull(strstr(r1, "10.7.0.13/24\n"));
	/* VI_1's route and rule: the old ones gone, the new ones in */
	ck_assert_ptr_nonnull(strstr(s1, "route 10.9.1.0/24\n"));
	ck_assert_ptr_nonnull(strstr(s1, "rule 10.9.1.1 101\n"));
	ck_assert_ptr_null(strstr(r1, "10.9.1."));
	ck_assert_ptr_nonnull(strstr(r1, "route 10.9.2.0/24\n"));
	ck_assert_ptr_nonnull(strstr(r1, "rule 10.9.2.1 102\n"));
	free(s1);
	free(r1);
	free(sp);
	free(rp);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vrrp_parts");
	TCase *tc = tcase_create("parts");
	int rc = netns_enter("test_vrrp_parts");

	if (rc != 0)
		return rc;
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parts_end_where_one_piece_ends);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	vconfig_registry_release();
	return rc;
}
