/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The metrics endpoint's text (daemon/prom.c) and the status page
 * (daemon/status_page.c) from a state store: values read from records and
 * attrs, every sample under the family its TYPE line opened, counters
 * named as each format wants, label values escaped, a child's malformed
 * histogram left out rather than exposed wrong, and names that look like
 * markup shown as text on the page.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/prom.h"
#include "daemon/state.h"
#include "daemon/state_json.h"
#include "daemon/status.h"
#include "ipc_msg.h"
#include "check_run.h"
#include "state_feed.h"

#define VS1 "[10.0.0.1]:tcp:80"

static void
feed(struct state_store *st, const struct ipc_obj *objs, size_t n)
{
	state_feed(st, 3, objs, n);
}

static const struct ipc_obj vrrp_lab[] = {
	{ "vrrp_instance", "VI_1", "MASTER", "higher priority", 3, 0, 150, 100,
	    "interface=eth0\nvrid=51\nversion=2\nfamily=inet\npriority=150\n"
	    "adverts_sent=42\nadverts_received=7\ntransitions=3\n"
	    "drops_bad_ttl=2\ndrops_auth=1\nadvert_int_ms=1000" },
	{ "vrrp_instance", "we\"ird\\x\ny", "BACKUP", "", 3, 0, 100, 100,
	    "transitions=oops" },
	{ "vrrp_sync_group", "G1", "MASTER", "", 3, 0, IPC_OBJ_NO_WEIGHT, 100,
	    "members=VI_1" },
};

static const struct ipc_obj chk_lab[] = {
	{ "virtual_server", VS1, "up", "", 3, 0, 4, 100,
	    "real_servers=2\nreal_servers_up=1\nquorum_up=1\n"
	    "check_latency_buckets=0.001:1 0.01:3 +Inf:4\n"
	    "check_latency_sum_seconds=0.0125\ncheck_latency_count=4\n"
	    "ipvs_bytes_in=100\nipvs_bytes_out=200\nipvs_bytes_sideways=9" },
	{ "real_server", VS1 " / [10.0.0.2]:80", "up", "", 3, 0, 3, 100,
	    "weight=3\nlast_latency_us=812\nfailures_timeout=5\nchecks=40" },
	{ "real_server", VS1 " / [10.0.0.3]:80", "down", "connect refused",
	    3, 0, IPC_OBJ_NO_WEIGHT, 100, "weight=1\nfailures_connect=9" },
	/* a histogram going down: not exposed */
	{ "virtual_server", "fwmark 7", "down", "", 3, 0, 0, 0,
	    "check_latency_buckets=0.001:5 +Inf:4" },
	{ "real_server", "fwmark 7 / [10.0.0.9]:0", "starting", "", 3, 0,
	    IPC_OBJ_NO_WEIGHT, 0, "" },
};

static struct state_store vst, cst;
static struct prom_child kids[2];
static struct prom_view view;

static void
setup(void)
{
	state_init(&vst);
	state_init(&cst);
	feed(&vst, vrrp_lab, sizeof(vrrp_lab) / sizeof(vrrp_lab[0]));
	feed(&cst, chk_lab, sizeof(chk_lab) / sizeof(chk_lab[0]));
	kids[0] = (struct prom_child){ "vrrp", &vst, 1, 2, 3 };
	kids[1] = (struct prom_child){ "checker", &cst, 0, 0, 0 };
	view = (struct prom_view){ .children = kids, .nchildren = 2,
	    .generation = 3, .reloads = 2, .reloads_rejected = 1,
	    .started = 1000, .http_requests = 5, .version = PACKAGE_VERSION };
}

static void
teardown(void)
{
	state_fini(&vst);
	state_fini(&cst);
}

static char *
render(int om)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(prom_render(fp, &view, om), 0);
	fclose(fp);
	return buf;
}

static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

#define LINE(t, l) ck_assert_msg(has_line(t, l), "missing line: %s", l)
#define NO_LINE(t, l) ck_assert_msg(!has_line(t, l), "unexpected: %s", l)

/* Every sample belongs to the family the last TYPE line opened, and no
 * family is opened twice. */
static void
check_families(const char *text, int om)
{
	char fam[256] = "", seen[8192] = " ";
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char line[1024];

		ck_assert_uint_lt(n, sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		if (strncmp(line, "# TYPE ", 7) == 0) {
			char key[300];

			ck_assert_int_eq(sscanf(line + 7, "%255s", fam), 1);
			snprintf(key, sizeof(key), " %s ", fam);
			ck_assert_msg(strstr(seen, key) == NULL,
			    "family %s opened twice", fam);
			ck_assert_uint_lt(strlen(seen) + strlen(key),
			    sizeof(seen));
			strcat(seen, key + 1);
		} else if (line[0] != '#' && line[0] != '\0') {
			ck_assert_msg(fam[0] != '\0' &&
			    strncmp(line, fam, strlen(fam)) == 0,
			    "sample outside its family %s: %s", fam, line);
		}
		p += n + (nl != NULL);
	}
	if (om) {
		size_t len = strlen(text);

		ck_assert(len >= 6 && strcmp(text + len - 6, "# EOF\n") == 0);
	}
}

START_TEST(prometheus_text)
{
	char *t = render(0);

	check_families(t, 0);
	LINE(t, "# TYPE vigil_vrrp_instance_adverts_sent_total counter");
	LINE(t, "vigil_vrrp_instance_adverts_sent_total{instance=\"VI_1\"} 42");
	LINE(t, "vigil_vrrp_instance_state{instance=\"VI_1\",state=\"MASTER\"} 1");
	LINE(t, "vigil_vrrp_instance_state{instance=\"VI_1\",state=\"BACKUP\"} 0");
	LINE(t, "vigil_vrrp_instance_state{instance=\"we\\\"ird\\\\x\\ny\","
	    "state=\"BACKUP\"} 1");
	LINE(t, "vigil_vrrp_instance_effective_priority{instance=\"VI_1\"} 150");
	LINE(t, "vigil_vrrp_instance_priority{instance=\"VI_1\"} 150");
	LINE(t, "vigil_vrrp_instance_advert_interval_seconds{instance=\"VI_1\"} "
	    "1");
	LINE(t, "vigil_vrrp_instance_drops_total{instance=\"VI_1\","
	    "reason=\"bad_ttl\"} 2");
	LINE(t, "vigil_vrrp_instance_drops_total{instance=\"VI_1\","
	    "reason=\"auth\"} 1");
	LINE(t, "vigil_vrrp_instance_info{instance=\"VI_1\",interface=\"eth0\","
	    "vrid=\"51\",version=\"2\",family=\"inet\"} 1");
	LINE(t, "vigil_vrrp_sync_group_state{group=\"G1\",state=\"MASTER\"} 1");
	/* a child's bad counter is left out */
	ck_assert_ptr_null(strstr(t, "transitions_total{instance=\"we"));
	LINE(t, "vigil_vrrp_instance_transitions_total{instance=\"VI_1\"} 3");

	LINE(t, "vigil_virtual_server_quorum_up{virtual_server=\"" VS1 "\"} 1");
	LINE(t, "vigil_virtual_server_quorum_up{virtual_server=\"fwmark 7\"} 0");
	LINE(t, "vigil_virtual_server_real_servers_up{virtual_server=\"" VS1
	    "\"} 1");
	/* counted from the real servers when the child does not say */
	LINE(t, "vigil_virtual_server_real_servers_up{virtual_server="
	    "\"fwmark 7\"} 0");
	LINE(t, "# TYPE vigil_virtual_server_check_latency_seconds histogram");
	LINE(t, "vigil_virtual_server_check_latency_seconds_bucket{"
	    "virtual_server=\"" VS1 "\",le=\"0.001\"} 1");
	LINE(t, "vigil_virtual_server_check_latency_seconds_bucket{"
	    "virtual_server=\"" VS1 "\",le=\"+Inf\"} 4");
	LINE(t, "vigil_virtual_server_check_latency_seconds_sum{"
	    "virtual_server=\"" VS1 "\"} 0.0125");
	LINE(t, "vigil_virtual_server_check_latency_seconds_count{"
	    "virtual_server=\"" VS1 "\"} 4");
	ck_assert_ptr_null(strstr(t, "check_latency_seconds_bucket{"
	    "virtual_server=\"fwmark 7\""));
	LINE(t, "vigil_virtual_server_ipvs_bytes_total{virtual_server=\"" VS1
	    "\",direction=\"out\"} 200");
	ck_assert_ptr_null(strstr(t, "sideways"));

	LINE(t, "vigil_real_server_up{virtual_server=\"" VS1 "\","
	    "real_server=\"[10.0.0.2]:80\"} 1");
	LINE(t, "vigil_real_server_up{virtual_server=\"" VS1 "\","
	    "real_server=\"[10.0.0.3]:80\"} 0");
	LINE(t, "vigil_real_server_weight{virtual_server=\"" VS1 "\","
	    "real_server=\"[10.0.0.3]:80\"} 0");
	LINE(t, "vigil_real_server_failures_total{virtual_server=\"" VS1 "\","
	    "real_server=\"[10.0.0.3]:80\",reason=\"connect\"} 9");
	LINE(t, "vigil_real_server_last_check_latency_seconds{virtual_server=\""
	    VS1 "\",real_server=\"[10.0.0.2]:80\"} 0.000812");
	LINE(t, "vigil_real_server_checks_total{virtual_server=\"" VS1 "\","
	    "real_server=\"[10.0.0.2]:80\"} 40");

	LINE(t, "vigil_config_generation 3");
	LINE(t, "vigil_reloads_total 2");
	LINE(t, "vigil_reloads_rejected_total 1");
	LINE(t, "vigil_child_up{child=\"checker\"} 0");
	LINE(t, "vigil_child_restarts_total{child=\"vrrp\"} 2");
	LINE(t, "vigil_build_info{version=\"" PACKAGE_VERSION "\"} 1");
	ck_assert_ptr_null(strstr(t, "# EOF"));
	free(t);
}
END_TEST

START_TEST(openmetrics_text)
{
	char *t = render(1);

	check_families(t, 1);
	/* counter families are named without _total, their samples with */
	LINE(t, "# TYPE vigil_vrrp_instance_adverts_sent counter");
	LINE(t, "vigil_vrrp_instance_adverts_sent_total{instance=\"VI_1\"} 42");
	LINE(t, "# TYPE vigil_build info");
	LINE(t, "vigil_build_info{version=\"" PACKAGE_VERSION "\"} 1");
	LINE(t, "# UNIT vigil_virtual_server_check_latency_seconds seconds");
	LINE(t, "# UNIT vigil_virtual_server_ipvs_bytes bytes");
	free(t);
}
END_TEST

START_TEST(accept_header)
{
	ck_assert(!prom_wants_openmetrics(NULL));
	ck_assert(!prom_wants_openmetrics("text/plain;version=0.0.4;q=0.5,*/*"));
	ck_assert(prom_wants_openmetrics("application/openmetrics-text;"
	    "version=1.0.0,text/plain;q=0.5"));
}
END_TEST

START_TEST(empty_store)
{
	struct state_store empty;
	struct prom_child one = { "vrrp", &empty, 0, 0, 0 };
	struct prom_view v = { .children = &one, .nchildren = 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	state_init(&empty);
	fp = open_memstream(&buf, &len);
	ck_assert_int_eq(prom_render(fp, &v, 0), 0);
	fclose(fp);
	check_families(buf, 0);
	ck_assert_ptr_null(strstr(buf, "vigil_vrrp"));
	LINE(buf, "vigil_child_up{child=\"vrrp\"} 0");
	free(buf);
	state_fini(&empty);
}
END_TEST

static const struct ipc_obj hostile[] = {
	{ "vrrp_instance", "<script>alert(1)</script>", "MASTER",
	    "why & \"how\"", 3, 0, 150, 100, "" },
	{ "virtual_server", VS1, "up", "", 3, 0, 4, 100, "" },
	{ "real_server", VS1 " / [10.0.0.3]:80", "down", "connect refused",
	    3, 0, IPC_OBJ_NO_WEIGHT, 100, "" },
};

/* The status page of what st holds, as the listener renders it (to
 * free). */
static char *
page_of(struct state_store *st, const char *host)
{
	json_t *d = state_json_doc(3, STATE_JSON_ALL);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_int_eq(state_json_add_store(d, st, STATE_JSON_ALL, NULL), 0);
	fp = open_memstream(&buf, &len);
	ck_assert_int_eq(status_page_render(fp, d, host), 0);
	fclose(fp);
	json_decref(d);
	return buf;
}

START_TEST(status_page_text)
{
	struct state_store st;
	char *buf;

	state_init(&st);
	feed(&st, hostile, sizeof(hostile) / sizeof(hostile[0]));
	buf = page_of(&st, "lb<1>");
	ck_assert(strncmp(buf, "<!DOCTYPE html>", 15) == 0);
	ck_assert_ptr_nonnull(strstr(buf, "<title>vigil on lb&lt;1&gt;</title>"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
	ck_assert_ptr_null(strstr(buf, "<script>alert"));
	ck_assert_ptr_nonnull(strstr(buf, "why &amp; &quot;how&quot;"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "<span class=\"st st-MASTER\">MASTER</span>"));
	ck_assert_ptr_nonnull(strstr(buf, "<td>[10.0.0.3]:80</td>"));
	ck_assert_ptr_nonnull(strstr(buf, "<td>connect refused</td>"));
	ck_assert_ptr_nonnull(strstr(buf, "fetch('/state.json'"));
	/* nothing from elsewhere */
	ck_assert_ptr_null(strstr(buf, "http://"));
	ck_assert_ptr_null(strstr(buf, "https://"));
	ck_assert_ptr_null(strstr(buf, " src="));
	ck_assert_ptr_null(strstr(buf, "<form"));
	free(buf);
	state_fini(&st);
}
END_TEST

/* A state is a child's word: whatever it holds, the badge's class stays
 * one attribute value; a runtime change shows beside the weight. */
static const struct ipc_obj odd_states[] = {
	{ "virtual_server", VS1, "up", "", 3, 0, 4, 100, "" },
	{ "real_server", VS1 " / [10.0.0.2]:80", "up\"><b onclick=x>", "",
	    3, 0, 0, 100, "weight=3" },
	{ "real_server", VS1 " / [10.0.0.3]:80", "up", "", 3, 0, 5, 100,
	    "weight=1" },
};

START_TEST(status_page_badges_and_overrides)
{
	struct state_store st;
	char *buf;

	state_init(&st);
	feed(&st, odd_states, sizeof(odd_states) / sizeof(odd_states[0]));
	ck_assert_int_eq(state_override_set(&st, "real_server",
	    VS1 " / [10.0.0.2]:80", 7, IPC_OBJ_DRAIN), 0);
	ck_assert_int_eq(state_override_set(&st, "real_server",
	    VS1 " / [10.0.0.3]:80", 5, 0), 0);
	buf = page_of(&st, "lb1");
	ck_assert_ptr_nonnull(strstr(buf, "<span class=\"st st-up---b-onclick-"
	    "x-\">up&quot;&gt;&lt;b onclick=x&gt;</span>"));
	ck_assert_ptr_null(strstr(buf, "<b onclick"));
	/* the drained one is in the table at 0, the set one at 5 */
	ck_assert_ptr_nonnull(strstr(buf, "<td>0 (drained, weight=7)</td>"));
	ck_assert_ptr_nonnull(strstr(buf, "<td>5 (weight=5)</td>"));
	/* the script says it the same way */
	ck_assert_ptr_nonnull(strstr(buf, "['drained','added','removed']"));
	free(buf);
	state_fini(&st);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("prom");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, prometheus_text);
	tcase_add_test(tc, openmetrics_text);
	tcase_add_test(tc, accept_header);
	tcase_add_test(tc, empty_store);
	tcase_add_test(tc, status_page_text);
	tcase_add_test(tc, status_page_badges_and_overrides);
	suite_add_tcase(s, tc);
	return check_run(s);
}
