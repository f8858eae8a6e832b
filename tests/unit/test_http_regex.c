/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The url regex on a streamed body: matches across any cut of the body,
 * regex_min_offset / regex_max_offset as keepalived reads them, options,
 * bodies far longer than the window, and builds without PCRE2.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "healthcheck/http_regex.h"
#include "check_run.h"

/* Load text as t.conf with the checkers' keywords; the warnings, one a
 * line, in out. */
static unsigned
load_warnings(const char *text, char *out, size_t len)
{
	struct arena *a = arena_new();
	struct conf_registry *reg = conf_registry_new();
	struct conf_diag d;
	struct conf_tree *t = NULL;
	void *roots[CONF_OWNER_MAX] = { 0 };
	FILE *fp;

	out[0] = '\0';
	fp = fmemopen(out, len, "w");
	unsigned nerr;

	ck_assert_ptr_nonnull(fp);
	memset(&d, 0, sizeof(d));
	d.emit = conf_diag_print;
	d.arg = fp;
	ck_assert_int_eq(global_conf_register(reg), 0);
	ck_assert_int_eq(chk_conf_register(reg), 0);
	roots[CONF_OWNER_GLOBAL] = global_conf_new(a);
	roots[CONF_OWNER_CHECK] = chk_conf_new(a);
	ck_assert_int_eq(conf_load_buffer("t.conf", text, strlen(text), NULL,
	    &d, &t), 0);
	nerr = conf_apply(reg, t, CONF_OWNER_BIT(CONF_OWNER_GLOBAL) |
	    CONF_OWNER_BIT(CONF_OWNER_CHECK), roots, a, &d);
	nerr += chk_conf_finalize(roots[CONF_OWNER_CHECK], &d);
	fclose(fp);
	conf_tree_free(t);
	conf_registry_free(reg);
	arena_free(a);
	return nerr;
}

#define URL_CONF(body) \
	"virtual_server 10.0.0.1 80 {\n" \
	"  real_server 10.0.0.2 80 {\n" \
	"    HTTP_GET {\n" \
	"      url {\n" \
	"        path /\n" \
	body \
	"      }\n" \
	"    }\n" \
	"  }\n" \
	"  protocol TCP\n" \
	"}\n"

#ifdef HAVE_PCRE2
static int
match(const char *pattern, const char *opts, const char *body, size_t step,
    uint64_t min, uint64_t max)
{
	char err[128];
	struct http_regex *re = http_regex_compile(pattern, opts, 0, 0, err,
	    sizeof(err));
	struct http_regex_run *m;
	size_t off = 0, len = strlen(body), n;
	int r;

	ck_assert_msg(re != NULL, "%s", err);
	m = http_regex_run_new(re, min, max);
	ck_assert_ptr_nonnull(m);
	while (off < len) {
		n = len - off < step ? len - off : step;
		http_regex_feed(m, (const unsigned char *)body + off, n);
		off += n;
	}
	r = http_regex_finish(m);
	http_regex_run_free(m);
	http_regex_free(re);
	return r;
}

START_TEST(any_cut)
{
	static const char *body = "<html><body>status: all systems "
	    "operational</body></html>";
	size_t step;

	for (step = 1; step <= strlen(body); step++) {
		ck_assert_int_eq(match("systems\\s+operational", NULL, body,
		    step, 0, 0), 1);
		ck_assert_int_eq(match("degraded", NULL, body, step, 0, 0), 0);
		/* a greedy tail that only ends with the body */
		ck_assert_int_eq(match("operational.*", NULL, body, step, 0,
		    0), 1);
		ck_assert_int_eq(match("html>$", NULL, body, step, 0, 0), 1);
		ck_assert_int_eq(match("(?<=all )systems", NULL, body, step,
		    0, 0), 1);
	}
}
END_TEST

START_TEST(offsets)
{
	/* "OK" at body offsets 3 and 20 */
	static const char *body = "xxxOKxxxxxxxxxxxxxxxOKxxxx";
	size_t step;

	for (step = 1; step <= 8; step++) {
		ck_assert_int_eq(match("OK", NULL, body, step, 3, 0), 1);
		ck_assert_int_eq(match("OK", NULL, body, step, 4, 0), 1);
		ck_assert_int_eq(match("OK", NULL, body, step, 21, 0), 0);
		/* max_offset: the match may start at it, not after */
		ck_assert_int_eq(match("OK", NULL, body, step, 0, 3), 1);
		ck_assert_int_eq(match("OK", NULL, body, step, 0, 2), 0);
		ck_assert_int_eq(match("OK", NULL, body, step, 4, 19), 0);
		ck_assert_int_eq(match("OK", NULL, body, step, 4, 20), 1);
	}
}
END_TEST

START_TEST(options)
{
	char err[128];

	ck_assert_int_eq(http_regex_supported(), 1);
	ck_assert_int_eq(match("ok", NULL, "status OK", 3, 0, 0), 0);
	ck_assert_int_eq(match("ok", "caseless", "status OK", 3, 0, 0), 1);
	ck_assert_int_eq(match("^b", "multiline caseless", "a\nB", 1, 0, 0),
	    1);
	/* unknown names are ignored, as keepalived does; the configuration
	 * warns of them */
	ck_assert_int_eq(match("ok", "bogus caseless", "status OK", 3, 0, 0),
	    1);
	{
		size_t len;
		const char *bad = http_regex_unknown_option("caseless bogus "
		    "dotall", &len);

		ck_assert_ptr_nonnull(bad);
		ck_assert_int_eq(strncmp(bad, "bogus", len), 0);
		ck_assert_uint_eq(len, 5);
		ck_assert_ptr_null(http_regex_unknown_option("caseless  "
		    "multiline", &len));
	}
	ck_assert_ptr_null(http_regex_compile("(", NULL, 0, 0, err,
	    sizeof(err)));
	ck_assert_msg(strstr(err, "at offset 1") != NULL, "%s", err);
}
END_TEST

/* A body many times the window: found near the end, at no more memory. */
START_TEST(long_body)
{
	char err[128];
	struct http_regex *re = http_regex_compile("needle[0-9]+", NULL, 0, 0,
	    err, sizeof(err));
	struct http_regex_run *m = http_regex_run_new(re, 0, 0);
	static unsigned char chunk[10000];
	unsigned i;

	memset(chunk, 'h', sizeof(chunk));
	for (i = 0; i < 100; i++)
		http_regex_feed(m, chunk, sizeof(chunk));
	http_regex_feed(m, (const unsigned char *)"need", 4);
	http_regex_feed(m, (const unsigned char *)"le42", 4);
	ck_assert_int_eq(http_regex_finish(m), 1);

	http_regex_run_reset(m);
	for (i = 0; i < 100; i++)
		http_regex_feed(m, chunk, sizeof(chunk));
	ck_assert_int_eq(http_regex_finish(m), 0);
	/* a max_offset far behind: the search stops */
	http_regex_run_free(m);
	m = http_regex_run_new(re, 0, 10);
	for (i = 0; i < 100; i++)
		http_regex_feed(m, chunk, sizeof(chunk));
	http_regex_feed(m, (const unsigned char *)"needle1", 7);
	ck_assert_int_eq(http_regex_finish(m), 0);
	http_regex_run_free(m);
	http_regex_free(re);
}
END_TEST

/* What keepalived only logs is said at the url's line; nothing stops. */
START_TEST(config_warnings)
{
	char out[2048];

	ck_assert_uint_eq(load_warnings(URL_CONF(
	    "        regex ok\n"
	    "        regex_options caseless nonsense\n"), out, sizeof(out)),
	    0);
	ck_assert_msg(strstr(out, "t.conf:4: warning: url: regex_options: "
	    "unknown option nonsense - ignored") != NULL, "%s", out);
	ck_assert_uint_eq(load_warnings(URL_CONF(
	    "        regex \"(unclosed\"\n"), out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "t.conf:4: warning: url: regex \"(unclosed\""
	    " at offset 9: missing closing parenthesis; url / fails until it "
	    "is fixed") != NULL, "%s", out);
	ck_assert_uint_eq(load_warnings(URL_CONF(
	    "        regex \"fine\"\n"), out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "warning") == NULL, "%s", out);
}
END_TEST
#else
START_TEST(without_pcre2)
{
	char err[128];

	char out[2048];

	ck_assert_int_eq(http_regex_supported(), 0);
	ck_assert_ptr_null(http_regex_compile("x", NULL, 0, 0, err,
	    sizeof(err)));
	ck_assert_msg(strstr(err, "not supported") != NULL, "%s", err);
	ck_assert_uint_eq(load_warnings(URL_CONF("        regex ok\n"), out,
	    sizeof(out)), 0);
	ck_assert_msg(strstr(out, "t.conf:6: warning: regex: not supported "
	    "yet (built without PCRE2); the url is checked without it") !=
	    NULL, "%s", out);
}
END_TEST
#endif

static Suite *
suite(void)
{
	Suite *s = suite_create("http_regex");
	TCase *tc = tcase_create("core");

#ifdef HAVE_PCRE2
	tcase_add_test(tc, any_cut);
	tcase_add_test(tc, offsets);
	tcase_add_test(tc, options);
	tcase_add_test(tc, long_body);
	tcase_add_test(tc, config_warnings);
#else
	tcase_add_test(tc, without_pcre2);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}
