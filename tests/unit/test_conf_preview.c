/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The words of a reload (conf_preview.c over each subsystem's
 * conf_diff_text): what vigilctl diff prints and the reload logs, line by
 * line, for instances, VIPs, virtual and real servers; and the reload's
 * log bound.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "daemon/conf_preview.h"
#include "daemon/vconfig.h"
#include "log.h"

struct lines {
	char *v[64];
	unsigned n;
};

static void
collect(void *arg, unsigned flags, const char *line)
{
	struct lines *l = arg;

	(void)flags;
	ck_assert_uint_lt(l->n, 64);
	l->v[l->n++] = strdup(line);
}

static void
lines_free(struct lines *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static struct vigil_config *
load(const char *text)
{
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct conf_tree *tree;
	struct vigil_config *c;

	ck_assert_int_eq(conf_load_buffer("t.conf", text, strlen(text), NULL,
	    &d, &tree), 0);
	ck_assert_int_eq(vconfig_from_tree(vigil_subsystems,
	    vconfig_registry(), tree, CONF_OWNERS_ALL, "t.conf", &d, &c), 0);
	return c;
}

/* The lines for old -> new must be exactly want (NULL-ended). */
static void
expect(const char *old, const char *new, const char *const *want)
{
	struct vigil_config *a = load(old), *b = load(new);
	struct lines l = { .n = 0 };
	unsigned i;

	ck_assert_int_eq(conf_preview(a, b, collect, &l), 0);
	for (i = 0; want[i] != NULL; i++) {
		ck_assert_msg(i < l.n, "line %u missing: %s", i, want[i]);
		ck_assert_str_eq(l.v[i], want[i]);
	}
	ck_assert_msg(l.n == i, "%u lines, expected %u (extra: %s)", l.n, i,
	    l.n > i ? l.v[i] : "");
	lines_free(&l);
	/* and nothing at all against itself */
	ck_assert_int_eq(conf_preview(b, b, collect, &l), 0);
	ck_assert_msg(l.n == 0, "self diff says: %s", l.n ? l.v[0] : "");
	vconfig_free(a);
	vconfig_free(b);
}

#define VI(name, vrid, extra)						\
	"vrrp_instance " name " {\n interface eth0\n virtual_router_id "	\
	vrid "\n" extra "}\n"

START_TEST(instances_and_vips)
{
	static const char *const want[] = {
		"instance VI_3: removed (interface eth0, VRID 53): a master "
		    "sends priority 0 and releases its VIPs",
		"instance VI_3: VIP 10.0.0.30/32 removed",
		"instance VI_1: changed: priority 100 -> 150, advert_int 1 -> "
		    "2 s, nopreempt set, auth_pass changed",
		"instance VI_1: VIP 10.0.0.2/24 removed",
		"instance VI_1: VIP 10.0.0.3/24 added",
		"instance VI_1: excluded VIP 10.0.9.1/32 added",
		"instance VI_2: changed: renamed from VI_OLD, tracking "
		    "changed, notify scripts changed, other settings changed",
		"instance VI_4: added (interface eth0, VRID 54, priority 90, "
		    "state MASTER)",
		"instance VI_4: VIP 10.0.0.40/32 added",
		NULL
	};

	expect(VI("VI_1", "51", " priority 100\n authentication {\n"
	    "  auth_type PASS\n  auth_pass one\n }\n"
	    " virtual_ipaddress {\n  10.0.0.1/24\n  10.0.0.2/24\n }\n")
	    VI("VI_OLD", "52", " garp_master_delay 5\n"
	    " virtual_ipaddress {\n  10.0.0.20\n }\n")
	    VI("VI_3", "53", " virtual_ipaddress {\n  10.0.0.30\n }\n"),
	    VI("VI_1", "51", " priority 150\n advert_int 2\n nopreempt\n"
	    " authentication {\n  auth_type PASS\n  auth_pass two\n }\n"
	    " virtual_ipaddress {\n  10.0.0.1/24\n  10.0.0.3/24\n }\n"
	    " virtual_ipaddress_excluded {\n  10.0.9.1\n }\n")
	    VI("VI_2", "52", " garp_master_delay 7\n"
	    " track_interface {\n  eth1\n }\n notify_master /bin/true\n"
	    " virtual_ipaddress {\n  10.0.0.20\n }\n")
	    VI("VI_4", "54", " state MASTER\n priority 90\n"
	    " virtual_ipaddress {\n  10.0.0.40\n }\n"), want);
}
END_TEST

/* the instance's own link asked otherwise: said once, made anew */
START_TEST(own_link)
{
	static const char *const want[] = {
		"instance VI_1: changed: its VMAC or ipvlan changed (made "
		    "anew)",
		"instance VI_2: changed: source address changed, its VMAC or "
		    "ipvlan changed (made anew)",
		NULL
	};

	expect(VI("VI_1", "51", " use_vmac\n")
	    VI("VI_2", "52", " use_ipvlan ipv1 10.0.0.5/24\n"),
	    VI("VI_1", "51", " use_vmac vm1\n")
	    VI("VI_2", "52", " use_ipvlan ipv1 10.0.0.6/24 private\n"), want);
}
END_TEST

/* an instance without an interface moved to another VRF and address */
START_TEST(no_interface_vrf)
{
	static const char *const want[] = {
		"instance U: changed: source address changed, vrf blue -> red",
		NULL
	};
#define NOIF(src, vrf) "vrrp_instance U {\n virtual_router_id 9\n" \
	" unicast_src_ip " src "\n unicast_peer {\n  10.1.1.2\n }\n" \
	" vrf " vrf "\n virtual_ipaddress {\n  10.1.9.1 dev eth1\n }\n}\n"

	expect(NOIF("10.1.1.1", "blue"), NOIF("10.1.2.1", "red"), want);
#undef NOIF
}
END_TEST

START_TEST(groups_and_statics)
{
	static const char *const want[] = {
		"instance VI_1: changed: sync group none -> G1",
		"instance VI_2: changed: sync group none -> G1",
		"sync group G1: added (2 instance(s))",
		"static address 192.168.9.1/32 dev eth0 removed",
		"static address 192.168.9.2/32 dev eth0 added",
		"static route '10.9.0.0/16 via 10.0.0.254' removed",
		"static route '10.8.0.0/16 via 10.0.0.254' added",
		"global_defs: changed",
		"vrrp_script chk_b: changed",
		"track_file tf_new: added",
		"vrrp_script chk_a: removed",
		NULL
	};
	const char *insts = VI("VI_1", "51", " virtual_ipaddress {\n"
	    "  10.0.0.1\n }\n") VI("VI_2", "52", " virtual_ipaddress {\n"
	    "  10.0.0.2\n }\n");

	char old[1024], new[1024];

	snprintf(old, sizeof(old), "%s%s", insts,
	    "global_defs {\n router_id a\n}\n"
	    "vrrp_script chk_a {\n script /bin/true\n}\n"
	    "vrrp_script chk_b {\n script /bin/true\n interval 2\n}\n"
	    "static_ipaddress {\n 192.168.9.1 dev eth0\n}\n"
	    "static_routes {\n 10.9.0.0/16 via 10.0.0.254\n}\n");
	snprintf(new, sizeof(new), "%s%s", insts,
	    "global_defs {\n router_id b\n}\n"
	    "vrrp_script chk_b {\n script /bin/true\n interval 3\n}\n"
	    "track_file tf_new {\n file /tmp/x\n}\n"
	    "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n}\n"
	    "static_ipaddress {\n 192.168.9.2 dev eth0\n}\n"
	    "static_routes {\n 10.8.0.0/16 via 10.0.0.254\n}\n");
	expect(old, new, want);
}
END_TEST

#define RS(addr, body) " real_server " addr " 80 {\n" body " }\n"
#define TCP "  TCP_CHECK {\n  }\n"

START_TEST(virtual_and_real_servers)
{
	static const char *const want[] = {
		"virtual server [10.0.0.1]:tcp:80: changed: lb_algo rr -> wrr, "
		    "persistence_timeout; IPVS service edited",
		"virtual server [10.0.0.1]:tcp:80: real server [10.0.1.1]:80: "
		    "changed: weight 1 -> 3, checkers",
		"virtual server [10.0.0.1]:tcp:80: real server [10.0.1.3]:80: "
		    "added (weight 1, 1 check(s)): IPVS destination once its "
		    "checks pass",
		"virtual server [10.0.0.1]:tcp:80: real server [10.0.1.2]:80: "
		    "removed: IPVS destination deleted",
		"virtual server [10.0.0.2]:tcp:80: changed: quorum",
		"virtual server [10.0.0.4]:tcp:80: added (lb_algo wlc, lb_kind "
		    "DR, 1 real server(s)): IPVS service added",
		"virtual server [10.0.0.4]:tcp:80: real server [10.0.1.9]:80: "
		    "added (weight 2, 1 check(s)): IPVS destination added",
		"virtual server [10.0.0.3]:tcp:80: real server [10.0.1.5]:80: "
		    "removed: IPVS destination deleted",
		"virtual server [10.0.0.3]:tcp:80: removed: IPVS service and "
		    "its destinations deleted",
		NULL
	};

	expect("virtual_server 10.0.0.1 80 {\n lb_algo rr\n protocol TCP\n"
	    RS("10.0.1.1", "  weight 1\n" TCP) RS("10.0.1.2", TCP) "}\n"
	    "virtual_server 10.0.0.2 80 {\n protocol TCP\n"
	    RS("10.0.1.4", TCP) "}\n"
	    "virtual_server 10.0.0.3 80 {\n protocol TCP\n"
	    RS("10.0.1.5", TCP) "}\n",
	    "virtual_server 10.0.0.1 80 {\n lb_algo wrr\n protocol TCP\n"
	    " persistence_timeout 60\n"
	    RS("10.0.1.1", "  weight 3\n  TCP_CHECK {\n   connect_port 81\n"
	    "  }\n") RS("10.0.1.3", "  TCP_CHECK {\n   alpha\n  }\n") "}\n"
	    "virtual_server 10.0.0.2 80 {\n protocol TCP\n quorum 2\n"
	    RS("10.0.1.4", TCP) "}\n"
	    "virtual_server 10.0.0.4 80 {\n lb_algo wlc\n lb_kind DR\n"
	    " protocol TCP\n" RS("10.0.1.9", "  weight 2\n" TCP) "}\n", want);
}
END_TEST

/* The reload logs the same lines, "reload: " in front, and bounds the
 * bulk of them: 600 real servers added give 500 lines and a count. */
START_TEST(log_bounded)
{
	const char *old;
	char *new, tmpl[] = "/tmp/test_conf_preview.XXXXXX", line[512];
	size_t at = 0, len = 600 * 64 + 256;
	struct vigil_config *a, *b;
	unsigned nrs = 0, nvi = 0, summary = 0;
	int fd, saved;
	FILE *fp;

	old = VI("VI_1", "51", " priority 100\n");
	new = malloc(len);
	ck_assert_ptr_nonnull(new);
	at += (size_t)snprintf(new + at, len - at, "%s",
	    VI("VI_1", "51", " priority 101\n")
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n");
	for (unsigned i = 0; i < 600; i++)
		at += (size_t)snprintf(new + at, len - at,
		    " real_server 10.1.%u.%u 80 {\n }\n", i / 250, i % 250 + 1);
	snprintf(new + at, len - at, "}\n");
	a = load(old);
	b = load(new);
	free(new);

	fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	unlink(tmpl);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_init("t", LOG_F_STDERR, LOG_DAEMON, 0);
	conf_preview_log(a, b);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);

	lseek(fd, 0, SEEK_SET);
	fp = fdopen(fd, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strstr(line, "reload: instance VI_1: changed: priority "
		    "100 -> 101") != NULL)
			nvi++;
		else if (strstr(line, "reload: virtual server ") != NULL)
			nrs++;
		else if (strstr(line, "reload: 101 more virtual or real "
		    "server change(s) not logged") != NULL)
			summary++;
	}
	fclose(fp);
	ck_assert_uint_eq(nvi, 1);
	/* the virtual server and 499 real servers, then the count of the
	 * 101 left */
	ck_assert_uint_eq(nrs, CONF_PREVIEW_LOG_BULK);
	ck_assert_uint_eq(summary, 1);
	vconfig_free(a);
	vconfig_free(b);
}
END_TEST

/* Every owner's configuration as text. */
static char *
dump_text(const struct vigil_config *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(fp);
	vconfig_dump_parts(vigil_subsystems, c, fp);
	fclose(fp);
	return text;
}

/* b is a: no line of a reload's words between them, the same dump. */
static void
same_config(const struct vigil_config *a, const struct vigil_config *b,
    const char *what)
{
	struct lines l = { .n = 0 };
	char *ta, *tb;

	ck_assert_int_eq(conf_preview(a, b, collect, &l), 0);
	ck_assert_msg(l.n == 0, "%s differs: %s", what, l.n > 0 ? l.v[0] : "");
	ta = dump_text(a);
	tb = dump_text(b);
	ck_assert_str_eq(ta, tb);
	free(ta);
	free(tb);
}

/*
 * A build in pieces (vconfig_build_step: the VRRP child's reload) gives
 * what the build in one piece gives, one statement a step: nothing
 * changes between the two (no line of the reload's words, the same
 * dump); an error in a statement of a later piece rejects the whole.
 */
START_TEST(built_in_pieces)
{
	static const char text[] =
	    "global_defs {\n router_id r1\n}\n"
	    "vrrp_script chk {\n script \"/bin/true\"\n}\n"
	    VI("VI_1", "51", " priority 100\n track_script {\n  chk\n }\n"
	    " virtual_ipaddress {\n  10.0.0.1/24\n }\n")
	    VI("VI_2", "52", " priority 150\n virtual_ipaddress {\n"
	    "  10.0.0.2/24\n }\n")
	    "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n"
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
	    " real_server 10.1.0.1 80 {\n  TCP_CHECK {\n  }\n }\n}\n";
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct vigil_config *whole = load(text), *parts;
	struct vconfig_build b;
	struct conf_tree *tree;
	unsigned steps = 1;

	ck_assert_int_eq(conf_load_buffer("t.conf", text, strlen(text), NULL,
	    &d, &tree), 0);
	ck_assert_int_eq(vconfig_build_begin(&b, vigil_subsystems,
	    vconfig_registry(), tree, CONF_OWNERS_ALL, "t.conf", &d), 0);
	while (vconfig_build_step(&b, 0))
		steps++;
	/* six top-level statements, one a step */
	ck_assert_uint_eq(steps, 6);
	ck_assert_int_eq(vconfig_build_end(&b, &parts), 0);
	same_config(whole, parts, "the pieces' build");
	vconfig_free(parts);
	vconfig_free(whole);

	/* an error in the last piece: rejected, nothing built */
	static const char bad[] = VI("VI_1", "51", "")
	    VI("VI_2", "300", "");
	struct conf_diag q = { 0 };

	ck_assert_int_eq(conf_load_buffer("t.conf", bad, strlen(bad), NULL,
	    &q, &tree), 0);
	ck_assert_int_eq(vconfig_build_begin(&b, vigil_subsystems,
	    vconfig_registry(), tree, CONF_OWNERS_ALL, "t.conf", &q), 0);
	ck_assert_int_eq(vconfig_build_step(&b, 0), 1);
	ck_assert_uint_eq(q.nerr, 0);
	ck_assert_int_eq(vconfig_build_step(&b, 0), 0);
	ck_assert_uint_gt(q.nerr, 0);
	ck_assert_int_eq(vconfig_build_end(&b, &parts), -1);
	ck_assert_ptr_null(parts);
}
END_TEST

/* text into a file of its own; its path (free it, unlink it) */
static char *
text_file(const char *text)
{
	char *path = strdup("/tmp/test_conf_preview.XXXXXX");
	int fd;

	ck_assert_ptr_nonnull(path);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static struct vigil_config *
load_with(int run, const char *path)
{
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct vigil_config *c = NULL;

	ck_assert_int_eq(run ? vconfig_load_run(path, NULL, &d, &c) :
	    vconfig_load(path, NULL, &d, &c), 0);
	return c;
}

static unsigned
top_count(const struct vigil_config *c, const char *kw)
{
	unsigned n = 0;

	for (const struct conf_node *x = c->tree->first; x != NULL;
	    x = x->next)
		n += strcmp(x->argv[0], kw) == 0;
	return n;
}

/*
 * The parent's start and reload load (vconfig_load_run): each child's part
 * encoded a statement at a time as the file is read is, byte for byte,
 * what vconfig_encode gives from the whole tree, and the typed
 * configuration is the same; the checkers' statements are not kept in
 * the tree, but one naming a script is (host checks look at its line),
 * and a file whose last statement went (a virtual_server) is not refused
 * for a bare word before it.
 */
START_TEST(run_load_parts)
{
	static const char text[] =
	    "global_defs {\n router_id r1\n}\n"
	    "vrrp_script chk {\n script \"/bin/true\"\n}\n"
	    VI("VI_1", "51", " priority 100\n track_script {\n  chk\n }\n"
	    " virtual_ipaddress {\n  10.0.0.1/24\n }\n")
	    "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
	    " real_server 10.1.0.1 80 {\n  TCP_CHECK {\n  }\n }\n}\n"
	    VI("VI_2", "52", " priority 150\n virtual_ipaddress {\n"
	    "  10.0.0.2/24\n }\n")
	    "virtual_server 10.0.0.2 80 {\n protocol TCP\n"
	    " real_server 10.1.0.2 80 {\n  MISC_CHECK {\n"
	    "   misc_path \"/bin/true\"\n  }\n }\n}\n"
	    "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n"
	    "stray_word\n"
	    "virtual_server 10.0.0.3 80 {\n protocol TCP\n"
	    " real_server 10.1.0.3 80 {\n  TCP_CHECK {\n  }\n }\n}\n";
	char *path = text_file(text), buf[256];
	struct vigil_config *whole = load_with(0, path), *run = load_with(1,
	    path);
	unsigned parts = 0;

	for (const struct subsys *const *s = vigil_subsystems; *s != NULL;
	    s++) {
		void *enc;
		size_t len;

		if ((*s)->proc == NULL)
			continue;
		parts++;
		ck_assert_ptr_null(whole->part[(*s)->owner]);
		ck_assert_ptr_nonnull(run->part[(*s)->owner]);
		ck_assert_int_eq(vconfig_encode(vconfig_registry(), whole, *s,
		    &enc, &len), 0);
		ck_assert_msg(len == run->part_len[(*s)->owner] &&
		    memcmp(enc, run->part[(*s)->owner], len) == 0,
		    "the %s child's part differs (%zu bytes against %zu)",
		    (*s)->name, run->part_len[(*s)->owner], len);
		free(enc);
	}
	ck_assert_uint_ge(parts, 2);
	same_config(whole, run, "the streaming load");
	ck_assert_uint_eq(top_count(whole, "virtual_server"), 3);
	ck_assert_uint_eq(top_count(run, "virtual_server"), 1);
	ck_assert_uint_eq(top_count(run, "vrrp_instance"), 2);
	ck_assert_uint_eq(top_count(run, "stray_word"), 1);
	ck_assert_int_eq(run->last_dropped, 1);
	ck_assert_ptr_null(conf_reload_refusal(whole, buf, sizeof(buf)));
	ck_assert_ptr_null(conf_reload_refusal(run, buf, sizeof(buf)));
	vconfig_free(whole);
	vconfig_free(run);
	unlink(path);
	free(path);

	/* a file cut short after a dropped statement is refused still */
	static const char cut[] =
	    "virtual_server 10.0.0.3 80 {\n protocol TCP\n}\nvirtual_ser\n";
	path = text_file(cut);
	run = load_with(1, path);
	ck_assert_int_eq(run->last_dropped, 0);
	ck_assert_ptr_nonnull(conf_reload_refusal(run, buf, sizeof(buf)));
	vconfig_free(run);
	unlink(path);
	free(path);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("conf_preview");
	TCase *tc = tcase_create("words");
	int rc;

	tcase_add_test(tc, instances_and_vips);
	tcase_add_test(tc, own_link);
	tcase_add_test(tc, no_interface_vrf);
	tcase_add_test(tc, groups_and_statics);
	tcase_add_test(tc, virtual_and_real_servers);
	tcase_add_test(tc, log_bounded);
	tcase_add_test(tc, built_in_pieces);
	tcase_add_test(tc, run_load_parts);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	vconfig_registry_release();
	return rc;
}
