/* SPDX-License-Identifier: GPL-2.0-or-later */
/* HTTP_GET / SSL_GET specific keywords and their url { } blocks. */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif

#include "config_priv.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#ifdef HAVE_PCRE2
#include "healthcheck/http_regex.h"
#endif

static void *
url_open(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent)
{
	(void)kw;
	(void)parent;
	return chk_conf_obj_new(cx, n, sizeof(struct chk_url_conf),
	    offsetof(struct chk_url_conf, loc));
}

#ifdef HAVE_PCRE2
/* What keepalived only logs when it compiles a url's regex: said at the
 * url block's line. A regex that does not compile stays: the url fails,
 * saying why, until it is fixed. */
static void
url_check_regex(struct conf_ctx *cx, const struct conf_node *n,
    const struct chk_url_conf *u)
{
	struct http_regex *re;
	const char *bad;
	char err[160];
	size_t len;

	if (u->regex_options != NULL && (bad = http_regex_unknown_option(
	    u->regex_options, &len)) != NULL)
		conf_warn(cx, n, "regex_options: unknown option %.*s - "
		    "ignored", (int)(len > 40 ? 40 : len), bad);
	if (u->regex == NULL)
		return;
	re = http_regex_compile(u->regex, u->regex_options, 0, 0, err,
	    sizeof(err));
	if (re == NULL)
		conf_warn(cx, n, "%s; url %s fails until it is fixed", err,
		    u->path);
	http_regex_free(re);
}
#endif

static int
url_close(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj)
{
	struct chk_checker_conf *ck = parent;
	struct chk_url_conf *u = obj, **pp;

	(void)kw;
	if (u->path == NULL) {
		conf_warn(cx, n, "url without a path - ignoring it");
		return 0;
	}
	if (u->regex_min_offset != 0 && u->regex_max_offset != 0 &&
	    u->regex_max_offset < u->regex_min_offset) {
		conf_error(cx, n, "regex_max_offset %u is below "
		    "regex_min_offset %u", u->regex_max_offset,
		    u->regex_min_offset);
		return -1;
	}
#ifdef HAVE_PCRE2
	url_check_regex(cx, n, u);
#endif
	for (pp = &ck->u.http.urls; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = u;
	ck->u.http.nurls++;
	return 0;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static int
set_digest(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_url_conf *u = obj;
	const char *s = n->argv[1];
	unsigned i;

	(void)kw;
	if (strlen(s) != 32)
		goto bad;
	for (i = 0; i < 16; i++) {
		int hi = hexval((unsigned char)s[2 * i]);
		int lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			goto bad;
		u->digest[i] = (unsigned char)(hi << 4 | lo);
	}
	u->has_digest = 1;
	return 0;
bad:
	conf_error(cx, n, "expected an MD5 digest of 32 hex digits, got %s", s);
	return -1;
}

static int
set_status(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_url_conf *u = obj;
	unsigned i;
	long long lo, hi, v;

	(void)kw;
	for (i = 1; i < n->argc; i++) {
		char buf[32];
		const char *dash = strchr(n->argv[i], '-');
		size_t len;

		if (dash == NULL) {
			if (conf_parse_ll(n->argv[i], CHK_STATUS_MIN,
			    CHK_STATUS_MAX, &lo) == -1)
				goto bad;
			hi = lo;
		} else {
			len = (size_t)(dash - n->argv[i]);
			if (len == 0 || len >= sizeof(buf))
				goto bad;
			memcpy(buf, n->argv[i], len);
			buf[len] = '\0';
			if (conf_parse_ll(buf, CHK_STATUS_MIN, CHK_STATUS_MAX,
			    &lo) == -1 || conf_parse_ll(dash + 1,
			    CHK_STATUS_MIN, CHK_STATUS_MAX, &hi) == -1 ||
			    hi < lo)
				goto bad;
		}
		for (v = lo; v <= hi; v++)
			u->status[v / 8] |= (unsigned char)(1u << (v % 8));
	}
	u->has_status = 1;
	return 0;
bad:
	conf_error(cx, n, "expected status codes or ranges within %d-%d, "
	    "got %s", CHK_STATUS_MIN, CHK_STATUS_MAX, n->argv[i]);
	return -1;
}

static int
set_regex_stack(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_url_conf *u = obj;
	long long a, b;

	(void)kw;
	if (conf_parse_ll(n->argv[1], 1, 4294967295LL, &a) == -1 ||
	    conf_parse_ll(n->argv[2], 1, 4294967295LL, &b) == -1 || b < a) {
		conf_error(cx, n, "expected START MAX in bytes with START <= "
		    "MAX, got %s %s", n->argv[1], n->argv[2]);
		return -1;
	}
	u->regex_stack_start = (unsigned)a;
	u->regex_stack_max = (unsigned)b;
	return 0;
}

/* regex: kept in the configuration (dumps, reload diffs) in every build;
 * without PCRE2 the checker does not match it, and says so here. */
static int
set_regex(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
#ifndef HAVE_PCRE2
	conf_warn(cx, n, "not supported yet (built without PCRE2); "
	    "the url is checked without it");
#endif
	return conf_set_strv(cx, n, kw, obj);
}

static int
set_http_proto(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct chk_checker_conf *ck = obj;
	const char *s = n->argv[1];

	(void)kw;
	if (strcmp(s, "1.0") == 0)
		ck->u.http.proto = CHK_HTTP_10;
	else if (strcmp(s, "1.0C") == 0 || strcmp(s, "1.0c") == 0)
		ck->u.http.proto = CHK_HTTP_10C;
	else if (strcmp(s, "1.1") == 0)
		ck->u.http.proto = CHK_HTTP_11;
	else {
		conf_error(cx, n, "expected 1.0|1.0C|1.1, got %s", s);
		return -1;
	}
	return 0;
}

#define U(f) offsetof(struct chk_url_conf, f)
#define H(f) offsetof(struct chk_checker_conf, u.http.f)

static const struct conf_kw url_kw[] = {
	CONF_KW_STR("path", U(path)),
	CONF_KW("digest", 1, 1, set_digest, 0),
	CONF_KW("status_code", 1, CONF_ARGS_ANY, set_status, 0),
	CONF_KW_STR("virtualhost", U(virtualhost)),
	CONF_KW("regex", 1, CONF_ARGS_ANY, set_regex, U(regex)),
	CONF_KW_FLAG("regex_no_match", U(regex_no_match)),
	CONF_KW("regex_options", 1, CONF_ARGS_ANY, conf_set_strv,
	    U(regex_options)),
	CONF_KW("regex_stack", 2, 2, set_regex_stack, 0),
	CONF_KW_UINT("regex_min_offset", U(regex_min_offset), 0, 4294967295LL),
	CONF_KW_UINT("regex_max_offset", U(regex_max_offset), 0, 4294967295LL),
	CONF_KW_END
};

/* Both HTTP_GET and SSL_GET, as keepalived accepts them. */
static const struct conf_kw http_kw[] = {
	CONF_KW_BLOCK("url", 0, 0, 0, CHK_CTX_URL, url_open, url_close, 0),
	CONF_KW("http_protocol", 1, 1, set_http_proto, 0),
	CONF_KW_FLAG("fast_recovery", H(fast_recovery)),
	CONF_KW_FLAG("enable_sni", H(enable_sni)),
	CONF_KW_FLAG("tls_compliant", H(tls_compliant)),
	CONF_KW_STR("virtualhost", H(virtualhost)),
	CONF_KW_END
};

int
chk_conf_register_http(struct conf_registry *r, const char *ctx)
{
	if (conf_registry_add(r, CONF_OWNER_CHECK, ctx, http_kw) == -1)
		return -1;
	if (conf_registry_find(r, CHK_CTX_URL, "path", NULL) != NULL)
		return 0;
	return conf_registry_add(r, CONF_OWNER_CHECK, CHK_CTX_URL, url_kw);
}

void
chk_conf_http_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck)
{
	struct chk_url_conf *u;
	const char *vh = ck->u.http.virtualhost;
	int v;

	if (vh == NULL)
		vh = rs->checks->virtualhost;
	if (vh == NULL)
		vh = vs->virtualhost;
	ck->u.http.virtualhost = (char *)vh;
	for (u = ck->u.http.urls; u != NULL; u = u->next) {
		if (u->virtualhost == NULL)
			u->virtualhost = (char *)vh;
		if (!u->has_status)
			for (v = 200; v <= 299; v++)
				u->status[v / 8] |= (unsigned char)(1u << (v % 8));
	}
}
