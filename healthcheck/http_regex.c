/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Regex on a streamed HTTP body (see http_regex.h). The window holds
 * body bytes [base, base + len); a search starts at `start` in it.
 * After a partial match only the bytes from its start (less the
 * pattern's look-behind) are kept; after no match only the look-behind.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/http_regex.h"

#ifdef HAVE_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct http_regex {
	char *pattern, *options;
	pcre2_code *code;
	uint32_t lookbehind;
	unsigned stack_max;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jstack;
};

struct http_regex_run {
	const struct http_regex *re;
	pcre2_match_data *md;
	uint64_t min_offset, max_offset;
	uint64_t base;			/* body offset of buf[0] */
	size_t len, start;
	int matched, over;		/* over: no match can come any more */
	unsigned char buf[HTTP_REGEX_WINDOW];
};

static const struct {
	const char *name;
	uint32_t bit;
} regex_opts[] = {
	{ "allow_empty_class", PCRE2_ALLOW_EMPTY_CLASS },
	{ "alt_bsux", PCRE2_ALT_BSUX },
	{ "auto_callout", PCRE2_AUTO_CALLOUT },
	{ "caseless", PCRE2_CASELESS },
	{ "dollar_endonly", PCRE2_DOLLAR_ENDONLY },
	{ "dotall", PCRE2_DOTALL },
	{ "dupnames", PCRE2_DUPNAMES },
	{ "extended", PCRE2_EXTENDED },
	{ "firstline", PCRE2_FIRSTLINE },
	{ "match_unset_backref", PCRE2_MATCH_UNSET_BACKREF },
	{ "multiline", PCRE2_MULTILINE },
	{ "never_ucp", PCRE2_NEVER_UCP },
	{ "never_utf", PCRE2_NEVER_UTF },
	{ "no_auto_capture", PCRE2_NO_AUTO_CAPTURE },
	{ "no_auto_possess", PCRE2_NO_AUTO_POSSESS },
	{ "no_dotstar_anchor", PCRE2_NO_DOTSTAR_ANCHOR },
	{ "no_start_optimize", PCRE2_NO_START_OPTIMIZE },
	{ "ucp", PCRE2_UCP },
	{ "ungreedy", PCRE2_UNGREEDY },
	{ "utf", PCRE2_UTF },
	{ "never_backslash_c", PCRE2_NEVER_BACKSLASH_C },
	{ "alt_circumflex", PCRE2_ALT_CIRCUMFLEX },
	{ "alt_verbnames", PCRE2_ALT_VERBNAMES },
	{ "use_offset_limit", PCRE2_USE_OFFSET_LIMIT },
};

int
http_regex_supported(void)
{
	return 1;
}

static size_t
option_index(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(regex_opts) / sizeof(regex_opts[0]); i++)
		if (strlen(regex_opts[i].name) == n &&
		    strncmp(regex_opts[i].name, p, n) == 0)
			break;
	return i;
}

const char *
http_regex_unknown_option(const char *options, size_t *len)
{
	const char *p = options;
	size_t n;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (option_index(p, n) == sizeof(regex_opts) /
		    sizeof(regex_opts[0])) {
			*len = n;
			return p;
		}
		p += n;
	}
	return NULL;
}

static int
parse_options(const char *s, uint32_t *bits, char *err, size_t errlen)
{
	const char *p = s;
	size_t n, i;

	*bits = 0;
	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		i = option_index(p, n);
		/* keepalived ignores names it does not know; the
		 * configuration warns of them */
		if (i < sizeof(regex_opts) / sizeof(regex_opts[0]))
			*bits |= regex_opts[i].bit;
		p += n;
	}
	return 0;
}

struct http_regex *
http_regex_compile(const char *pattern, const char *options,
    unsigned stack_start, unsigned stack_max, char *err, size_t errlen)
{
	struct http_regex *re;
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE eoff;
	uint32_t bits;
	int ecode;

	if (parse_options(options, &bits, err, errlen) == -1)
		return NULL;
	if ((re = calloc(1, sizeof(*re))) == NULL ||
	    (re->pattern = strdup(pattern)) == NULL ||
	    (options != NULL && (re->options = strdup(options)) == NULL)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    bits, &ecode, &eoff, NULL);
	if (re->code == NULL) {
		pcre2_get_error_message(ecode, msg, sizeof(msg));
		snprintf(err, errlen, "regex \"%.40s\" at offset %zu: %s",
		    pattern, (size_t)eoff, (char *)msg);
		goto fail;
	}
	(void)pcre2_pattern_info(re->code, PCRE2_INFO_MAXLOOKBEHIND,
	    &re->lookbehind);
	if (re->lookbehind > HTTP_REGEX_WINDOW / 2)
		re->lookbehind = HTTP_REGEX_WINDOW / 2;
	/* JIT when the library has it; the interpreter otherwise */
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE |
	    PCRE2_JIT_PARTIAL_HARD);
	re->stack_max = stack_max;
	if (stack_max > 0) {
		re->mctx = pcre2_match_context_create(NULL);
		re->jstack = pcre2_jit_stack_create(stack_start, stack_max,
		    NULL);
		if (re->mctx != NULL && re->jstack != NULL)
			pcre2_jit_stack_assign(re->mctx, NULL, re->jstack);
	}
	return re;
fail:
	http_regex_free(re);
	return NULL;
}

void
http_regex_free(struct http_regex *re)
{
	if (re == NULL)
		return;
	pcre2_jit_stack_free(re->jstack);
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re->options);
	free(re);
}

const char *
http_regex_pattern(const struct http_regex *re)
{
	return re->pattern;
}

const char *
http_regex_options(const struct http_regex *re)
{
	return re->options;
}

unsigned
http_regex_stack_max(const struct http_regex *re)
{
	return re->stack_max;
}

struct http_regex_run *
http_regex_run_new(const struct http_regex *re, uint64_t min_offset,
    uint64_t max_offset)
{
	struct http_regex_run *m = malloc(sizeof(*m));

	if (m == NULL)
		return NULL;
	m->re = re;
	m->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (m->md == NULL) {
		free(m);
		return NULL;
	}
	m->min_offset = min_offset;
	m->max_offset = max_offset;
	http_regex_run_reset(m);
	return m;
}

void
http_regex_run_free(struct http_regex_run *m)
{
	if (m == NULL)
		return;
	pcre2_match_data_free(m->md);
	free(m);
}

void
http_regex_run_reset(struct http_regex_run *m)
{
	m->base = 0;
	m->len = m->start = 0;
	m->matched = m->over = 0;
}

/* Drop the first n bytes of the window. */
static void
drop(struct http_regex_run *m, size_t n)
{
	memmove(m->buf, m->buf + n, m->len - n);
	m->len -= n;
	m->base += n;
	m->start = m->start > n ? m->start - n : 0;
}

/* Search the window; final: no more bytes will come. */
static void
search(struct http_regex_run *m, int final)
{
	const struct http_regex *re = m->re;
	size_t start = m->start, keep, lb = re->lookbehind;
	PCRE2_SIZE *ov;
	int rc;

	if (m->min_offset > m->base && m->min_offset - m->base > start)
		start = (size_t)(m->min_offset - m->base);
	if (start > m->len) {
		/* min_offset not reached yet: keep only the look-behind */
		if (m->len > lb)
			drop(m, m->len - lb);
		return;
	}
	if (m->max_offset != 0 && m->base + start > m->max_offset) {
		m->over = 1;
		return;
	}
	rc = pcre2_match(re->code, m->buf, m->len, start,
	    final ? 0 : PCRE2_PARTIAL_HARD, m->md, re->mctx);
	ov = pcre2_get_ovector_pointer(m->md);
	if (rc >= 0) {
		m->over = 1;
		m->matched = m->max_offset == 0 ||
		    m->base + ov[0] <= m->max_offset;
		return;
	}
	if (rc == PCRE2_ERROR_PARTIAL && !final) {
		keep = ov[0] > lb ? ov[0] - lb : 0;
		if (keep == 0 && m->len == sizeof(m->buf)) {
			/* a partial match longer than the window: give
			 * it up, as keepalived does */
			drop(m, m->len - lb);
			m->start = m->len;
		} else {
			start = ov[0] - keep;
			drop(m, keep);
			m->start = start;
		}
		return;
	}
	if (rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL) {
		m->over = 1;		/* a matching error: no match */
		return;
	}
	/* no match starts in the window: keep the look-behind only */
	keep = m->len > lb ? m->len - lb : 0;
	drop(m, keep);
	m->start = m->len;
}

void
http_regex_feed(struct http_regex_run *m, const unsigned char *data,
    size_t len)
{
	uint64_t skip_to;
	size_t n;

	while (len > 0 && !m->over) {
		/* bytes well before min_offset need not be kept */
		skip_to = m->min_offset > m->re->lookbehind ?
		    m->min_offset - m->re->lookbehind : 0;
		if (m->len == 0 && m->base < skip_to) {
			n = skip_to - m->base < len ?
			    (size_t)(skip_to - m->base) : len;
			m->base += n;
			data += n;
			len -= n;
			continue;
		}
		n = sizeof(m->buf) - m->len < len ? sizeof(m->buf) - m->len :
		    len;
		memcpy(m->buf + m->len, data, n);
		m->len += n;
		data += n;
		len -= n;
		search(m, 0);
	}
}

int
http_regex_finish(struct http_regex_run *m)
{
	if (!m->over)
		search(m, 1);
	m->over = 1;
	return m->matched;
}

#else /* !HAVE_PCRE2 */

int
http_regex_supported(void)
{
	return 0;
}

struct http_regex *
http_regex_compile(const char *pattern, const char *options,
    unsigned stack_start, unsigned stack_max, char *err, size_t errlen)
{
	(void)pattern;
	(void)options;
	(void)stack_start;
	(void)stack_max;
	snprintf(err, errlen, "regex: not supported (built without PCRE2)");
	return NULL;
}

const char *
http_regex_unknown_option(const char *options, size_t *len)
{
	(void)options;
	*len = 0;
	return NULL;
}

void http_regex_free(struct http_regex *re) { (void)re; }
const char *http_regex_pattern(const struct http_regex *re)
{ (void)re; return ""; }
const char *http_regex_options(const struct http_regex *re)
{ (void)re; return NULL; }
unsigned http_regex_stack_max(const struct http_regex *re)
{ (void)re; return 0; }
struct http_regex_run *
http_regex_run_new(const struct http_regex *re, uint64_t a, uint64_t b)
{ (void)re; (void)a; (void)b; return NULL; }
void http_regex_run_free(struct http_regex_run *m) { (void)m; }
void http_regex_run_reset(struct http_regex_run *m) { (void)m; }
void http_regex_feed(struct http_regex_run *m, const unsigned char *d,
    size_t len) { (void)m; (void)d; (void)len; }
int http_regex_finish(struct http_regex_run *m) { (void)m; return 0; }

#endif
