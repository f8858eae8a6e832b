/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every keyword of keepalived 2.2.7 (tests/unit/keepalived_keywords.txt) is
 * recognised by vigil's keyword registry in the same block, so an existing
 * keepalived.conf never meets "unknown keyword"; and configurations using
 * rarely seen keywords of each subsystem load without a single warning.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon/vconfig.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "vrrp/config.h"
#include "check_run.h"

#define KW_FILE TEST_SRCDIR "/tests/unit/keepalived_keywords.txt"
#define KW_LINE_MAX 512

/* Resolve a '/'-joined chain of block keywords ("-" is the top level) to the
 * registry context holding its children. Returns NULL and names the first
 * link that failed in why. */
static const char *
kw_context(const struct conf_registry *reg, const char *path, char *why,
    size_t whylen)
{
	static char buf[KW_LINE_MAX];
	const char *ctx = "";
	char *save = NULL, *part;

	if (strcmp(path, "-") == 0)
		return "";
	snprintf(buf, sizeof(buf), "%s", path);
	for (part = strtok_r(buf, "/", &save); part != NULL;
	    part = strtok_r(NULL, "/", &save)) {
		const struct conf_kw *kw = conf_registry_find(reg, ctx, part,
		    NULL);

		if (kw == NULL) {
			snprintf(why, whylen, "block '%s' unknown in context "
			    "'%s'", part, ctx);
			return NULL;
		}
		if ((kw->flags & (CONF_F_BLOCK | CONF_F_BLOCK_OPT)) == 0 &&
		    (kw->flags & CONF_F_UNSUPPORTED) == 0) {
			snprintf(why, whylen, "'%s' is not a block keyword",
			    part);
			return NULL;
		}
		if (kw->flags & CONF_F_UNSUPPORTED) {
			/* the whole block is skipped with one warning: its
			 * children are recognised as part of it */
			snprintf(why, whylen, "unsupported");
			return NULL;
		}
		ctx = kw->block != NULL ? kw->block : kw->name;
	}
	return ctx;
}

START_TEST(test_every_keepalived_keyword_known)
{
	const struct conf_registry *reg = vconfig_registry();
	FILE *fp = fopen(KW_FILE, "r");
	char line[KW_LINE_MAX], why[256], first[400];
	char *missing = NULL;
	size_t mlen = 0;
	FILE *mfp;
	unsigned total = 0, nmiss = 0, nskip = 0;

	ck_assert_ptr_nonnull(reg);
	ck_assert_msg(fp != NULL, "cannot open %s", KW_FILE);
	mfp = open_memstream(&missing, &mlen);
	ck_assert_ptr_nonnull(mfp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char path[KW_LINE_MAX], name[KW_LINE_MAX];
		const char *ctx;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		ck_assert_msg(sscanf(line, "%511s %511s", path, name) == 2,
		    "malformed line: %s", line);
		total++;
		why[0] = '\0';
		ctx = kw_context(reg, path, why, sizeof(why));
		if (ctx == NULL && strcmp(why, "unsupported") == 0) {
			nskip++;
			continue;
		}
		if (ctx != NULL &&
		    conf_registry_find(reg, ctx, name, NULL) != NULL)
			continue;
		nmiss++;
		fprintf(mfp, "  %s %s", path, name);
		if (ctx == NULL)
			fprintf(mfp, "   (%s)", why);
		else
			fprintf(mfp, "   (context '%s')", ctx);
		fputc('\n', mfp);
	}
	fclose(fp);
	fclose(mfp);
	if (nmiss > 0)
		fprintf(stderr, "%u of %u keepalived keywords unknown to "
		    "vigil:\n%s", nmiss, total, missing);
	snprintf(first, sizeof(first), "%s", missing != NULL ? missing : "");
	free(missing);
	if (nskip > 0)
		fprintf(stderr, "%u keywords are inside blocks vigil accepts "
		    "and skips as unsupported\n", nskip);
	ck_assert_uint_gt(total, 400);
	ck_assert_msg(nmiss == 0, "%u of %u keepalived keywords are not "
	    "recognised (listed on stderr); first:\n%s", nmiss, total, first);
}
END_TEST

/* ---- rarely used keywords load cleanly ---------------------------------- */

struct diag_buf {
	char text[4096];
	size_t len;
};

static void
diag_collect(void *arg, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	struct diag_buf *b = arg;
	int n;

	if (b->len >= sizeof(b->text) - 1)
		return;
	n = snprintf(b->text + b->len, sizeof(b->text) - b->len,
	    "%s:%u: %s: %s\n", loc != NULL ? loc->file : "-",
	    loc != NULL ? loc->line : 0, sev == CONF_ERR ? "error" : "warning",
	    msg);
	if (n > 0)
		b->len += (size_t)n < sizeof(b->text) - b->len ?
		    (size_t)n : sizeof(b->text) - b->len - 1;
}

/* Parse text and apply every owner's keywords; return warnings + errors,
 * with the messages in b. */
static unsigned
apply_text(const char *text, struct diag_buf *b)
{
	struct conf_diag d = { .emit = diag_collect, .arg = b };
	struct conf_load_opts lo = { .no_include = 1 };
	struct conf_tree *t = NULL;
	struct arena *a = arena_new();
	void *roots[CONF_OWNER_MAX] = { NULL };

	ck_assert_ptr_nonnull(a);
	b->len = 0;
	b->text[0] = '\0';
	if (conf_load_buffer("rare.conf", text, strlen(text), &lo, &d,
	    &t) == 0) {
		roots[CONF_OWNER_GLOBAL] = global_conf_new(a);
		roots[CONF_OWNER_VRRP] = vrrp_conf_new(a);
		roots[CONF_OWNER_CHECK] = chk_conf_new(a);
		ck_assert_ptr_nonnull(roots[CONF_OWNER_GLOBAL]);
		ck_assert_ptr_nonnull(roots[CONF_OWNER_VRRP]);
		ck_assert_ptr_nonnull(roots[CONF_OWNER_CHECK]);
		conf_apply(vconfig_registry(), t, CONF_OWNERS_ALL, roots, a,
		    &d);
	}
	conf_tree_free(t);
	arena_free(a);
	return d.nwarn + d.nerr;
}

static const char rare_global[] =
    "global_defs {\n"
    "  router_id LVS_RARE\n"
    "  vrrp_garp_interval 0.001\n"
    "  vrrp_gna_interval 0.000001\n"
    "  vrrp_min_garp true\n"
    "  vrrp_higher_prio_send_advert\n"
    "  vrrp_down_timer_adverts 5\n"
    "  checker_log_all_failures\n"
    "  lvs_flush_on_stop\n"
    "  smtp_alert_checker false\n"
    "  script_user root\n"
    "  notify_fifo /run/vigil.fifo\n"
    "}\n";

static const char rare_vrrp[] =
    "vrrp_script chk_x {\n"
    "  script \"/bin/true\"\n"
    "  init_fail\n"
    "}\n"
    "vrrp_instance VI_R {\n"
    "  interface lo\n"
    "  virtual_router_id 77\n"
    "  priority 100\n"
    "  advert_int 1\n"
    "  nopreempt\n"
    "  garp_lower_prio_repeat 2\n"
    "  down_timer_adverts 4\n"
    "  higher_prio_send_advert\n"
    "  notify_master_rx_lower_pri /bin/true\n"
    "  track_script {\n"
    "    chk_x\n"
    "  }\n"
    "  virtual_ipaddress {\n"
    "    192.0.2.10/32\n"
    "  }\n"
    "}\n";

static const char rare_check[] =
    "virtual_server 192.0.2.20 80 {\n"
    "  delay_loop 5\n"
    "  lvs_sched rr\n"
    "  lvs_method NAT\n"
    "  protocol TCP\n"
    "  omega\n"
    "  quorum_up /bin/true\n"
    "  hysteresis 1\n"
    "  weight 2\n"
    "  real_server 192.0.2.21 80 {\n"
    "    uthreshold 100\n"
    "    lthreshold 10\n"
    "    HTTP_GET {\n"
    "      fast_recovery\n"
    "      log_all_failures\n"
    "      url {\n"
    "        path /\n"
    "        status_code 200-299\n"
    "      }\n"
    "    }\n"
    "    UDP_CHECK {\n"
    "      require_reply\n"
    "      min_reply_length 1\n"
    "    }\n"
    "  }\n"
    "}\n";

START_TEST(test_rare_keywords_load_cleanly)
{
	static const char *const confs[] = { rare_global, rare_vrrp,
	    rare_check };
	static const char *const names[] = { "global", "vrrp", "check" };
	struct diag_buf b;
	size_t i;

	for (i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		unsigned n = apply_text(confs[i], &b);

		ck_assert_msg(n == 0, "%s: %u diagnostics:\n%s", names[i], n,
		    b.text);
	}
}
END_TEST

/* Keywords this test made vigil learn do what keepalived does with them. */
/*
 * Keywords keepalived acts on whose effect vigil does not build yet: each
 * still parses (its syntax errors report) and warns "not supported yet"
 * once, at its own line.
 */
static const struct {
	const char *text;
	unsigned line;		/* of the one warning */
} not_yet[] = {
	{ "global_defs {\n  nftables_ipvs\n}\n", 2 },
	{ "global_defs {\n  nftables_ipvs_priority 5\n}\n", 2 },
	{ "global_defs {\n  nftables_ipvs_start_fwmark 100\n}\n", 2 },
};

/* Their neighbours, which do work: no diagnostic. */
static const char works_global[] =
    "global_defs {\n"
    "  dynamic_interfaces\n"
    "  vmac_prefix vr\n"
    "  vmac_addr_prefix va\n"
    "  default_interface eth0\n"
    "  reload_check_config /run/x.log\n"
    "  reload_time_file /run/x\n"
    "  reload_repeat\n"
    "  reload_file\n"
    "}\n"
    "vrrp_instance VI_W {\n"
    "  interface lo\n"
    "  virtual_router_id 9\n"
    "  use_vmac_addr\n"
    "  virtual_ipaddress {\n"
    "    192.0.2.9/32\n"
    "    192.0.2.10/32 dev eth1\n"
    "  }\n"
    "}\n";

/* A bad value is still an error, never only the warning. */
static const char *const not_yet_bad[] = {
	"global_defs {\n  disable_local_igmp maybe\n}\n",
	"global_defs {\n  dynamic_interfaces sometimes\n}\n",
	"global_defs {\n  process_name\n}\n",
	"global_defs {\n  process_monitor_rcv_bufs lots\n}\n",
	"global_defs {\n  startup_script_timeout 5000\n}\n",
	"global_defs {\n  checker_rt_priority 100\n}\n",
	"global_defs {\n  reload_time_file relative/at\n}\n",
	"interface_up_down_delays {\n  eth0 soon\n}\n",
	"track_group {\n  group {\n    VI_1\n  }\n}\n",
};

static unsigned
count(const char *text, const char *what)
{
	unsigned n = 0;

	while ((text = strstr(text, what)) != NULL) {
		n++;
		text += strlen(what);
	}
	return n;
}

START_TEST(test_not_yet_keywords_warn_at_their_line)
{
	struct diag_buf b;
	char want[64];
	unsigned n;
	size_t i;

	for (i = 0; i < sizeof(not_yet) / sizeof(not_yet[0]); i++) {
		n = apply_text(not_yet[i].text, &b);
		snprintf(want, sizeof(want), "rare.conf:%u: warning: ",
		    not_yet[i].line);
		ck_assert_msg(n == 1 && strstr(b.text, want) == b.text &&
		    strstr(b.text, "not supported yet; ignored\n") != NULL,
		    "%s: %u diagnostics, expected one '%snot supported "
		    "yet':\n%s", not_yet[i].text, n, want, b.text);
	}
	n = apply_text(works_global, &b);
	ck_assert_msg(n == 0, "%u diagnostics:\n%s", n, b.text);
	/* what vigil's process model leaves out is said, at the line */
	n = apply_text("global_defs {\n  tmp_config_directory /run/x\n}\n",
	    &b);
	ck_assert_msg(n == 1 && strstr(b.text, "rare.conf:2: warning: "
	    "tmp_config_directory: no use in vigil: its children read no "
	    "copy of the configuration") == b.text, "%s", b.text);
	n = apply_text("global_defs {\n  config_save_dir /run/x\n}\n", &b);
	ck_assert_msg(n == 1 && strstr(b.text, "rare.conf:2: warning: "
	    "config_save_dir: each configuration loaded is saved in /run/x; "
	    "the children's dumps before and after a reload") == b.text &&
	    strstr(b.text, "not supported yet") != NULL, "%s", b.text);
	for (i = 0; i < sizeof(not_yet_bad) / sizeof(not_yet_bad[0]); i++) {
		apply_text(not_yet_bad[i], &b);
		ck_assert_msg(count(b.text, ": error: ") == 1,
		    "%s: expected one error:\n%s", not_yet_bad[i], b.text);
	}
}
END_TEST

START_TEST(test_added_checker_keywords_take_effect)
{
	static const char text[] =
	    "net_namespace_ipvs lvs_ns\n"
	    "global_defs {\n"
	    "  lvs_process_name old_name\n"
	    "  lvs_flush_onstop\n"
	    "  checker_rlimit_rtime 5000\n"
	    "}\n"
	    "virtual_server 192.0.2.30 25 {\n"
	    "  weight 7\n"
	    "  real_server 192.0.2.31 25 {\n"
	    "    SMTP_CHECK {\n"
	    "      host {\n"
	    "        connect_ip 192.0.2.32\n"
	    "        retry 4\n"
	    "        delay_loop 9\n"
	    "      }\n"
	    "    }\n"
	    "  }\n"
	    "  real_server 192.0.2.33 25 {\n"
	    "    weight 3\n"
	    "  }\n"
	    "  protocol TCP\n"
	    "}\n";
	struct diag_buf b = { .len = 0 };
	struct conf_diag d = { .emit = diag_collect, .arg = &b };
	struct conf_load_opts lo = { .no_include = 1 };
	struct conf_tree *t = NULL;
	struct arena *a = arena_new();
	void *roots[CONF_OWNER_MAX] = { NULL };
	struct chk_conf *c;
	const struct chk_rs_conf *rs;
	const struct chk_checker_conf *ck;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(conf_load_buffer("added.conf", text, strlen(text), &lo,
	    &d, &t), 0);
	roots[CONF_OWNER_GLOBAL] = global_conf_new(a);
	roots[CONF_OWNER_CHECK] = c = chk_conf_new(a);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(conf_apply(vconfig_registry(), t,
	    CONF_OWNER_BIT(CONF_OWNER_GLOBAL) | CONF_OWNER_BIT(CONF_OWNER_CHECK),
	    roots, a, &d), 0);
	ck_assert_uint_eq(chk_conf_finalize(c, &d), 0);
	/* the three old spellings each warn once, and still parse */
	ck_assert_msg(d.nwarn == 3, "%u warnings:\n%s", d.nwarn, b.text);
	ck_assert_ptr_nonnull(strstr(b.text,
	    "added.conf:3: warning: 'lvs_process_name' is deprecated"));
	ck_assert_ptr_nonnull(strstr(b.text,
	    "added.conf:5: warning: 'checker_rlimit_rtime' is deprecated"));
	ck_assert_int_eq(c->g.lvs_flush_on_stop, 1);
	ck_assert_uint_eq(c->g.checker_rlimit_rttime, 5000);
	ck_assert_str_eq(c->g.net_namespace_ipvs, "lvs_ns");

	ck_assert_ptr_nonnull(c->vs);
	rs = c->vs->rs;
	ck_assert_ptr_nonnull(rs);
	ck_assert_int_eq(rs->weight, 7);	/* the virtual server's */
	ck_assert_int_eq(rs->next->weight, 3);	/* its own */
	ck = rs->checks->list;
	ck_assert_ptr_nonnull(ck);
	/* retry/delay_loop inside host { } set the SMTP_CHECK's */
	ck_assert_int_eq(ck->retry, 4);
	ck_assert_uint_eq(ck->delay_loop, 9000000);
	ck_assert_uint_eq(ck->u.smtp.nhosts, 1);

	conf_tree_free(t);
	arena_free(a);
}
END_TEST

/* The harness above does notice an unknown keyword. */
START_TEST(test_unknown_keyword_is_reported)
{
	struct diag_buf b;

	ck_assert_uint_eq(apply_text("global_defs {\n  no_such_keyword 1\n"
	    "}\n", &b), 1);
	ck_assert_ptr_nonnull(strstr(b.text, "no_such_keyword"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("keywords");
	TCase *tc = tcase_create("keepalived");
	int rc;

	tcase_add_test(tc, test_every_keepalived_keyword_known);
	tcase_add_test(tc, test_rare_keywords_load_cleanly);
	tcase_add_test(tc, test_added_checker_keywords_take_effect);
	tcase_add_test(tc, test_not_yet_keywords_warn_at_their_line);
	tcase_add_test(tc, test_unknown_keyword_is_reported);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	vconfig_registry_release();
	return rc;
}
