/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The url blocks' regex on a streamed body (PCRE2), as keepalived matches
 * it: the match must start at or after regex_min_offset and at or before
 * regex_max_offset (offsets into the body; 0: no bound). Body bytes pass
 * through a window of at most HTTP_REGEX_WINDOW bytes; PCRE2's partial
 * matching keeps only what a match could still need, so a body of any
 * length is searched in bounded memory. Builds without PCRE2 (configure
 * --disable-regex) have http_regex_compile fail with "not supported".
 */
#ifndef VIGIL_HTTP_REGEX_H
#define VIGIL_HTTP_REGEX_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_REGEX_WINDOW (64u * 1024)

struct http_regex;

/* 1 when built with PCRE2. */
int http_regex_supported(void);

/* Compile pattern with options (space-separated keepalived names, may be
 * NULL); stack_start/stack_max: regex_stack (0: PCRE2's default). NULL on
 * error with err filled. */
struct http_regex *http_regex_compile(const char *pattern,
    const char *options, unsigned stack_start, unsigned stack_max,
    char *err, size_t errlen);
void http_regex_free(struct http_regex *re);
/* The first option name in options keepalived does not know (len set),
 * or NULL. Compiling ignores such names, as keepalived does. */
const char *http_regex_unknown_option(const char *options, size_t *len);
const char *http_regex_pattern(const struct http_regex *re);
const char *http_regex_options(const struct http_regex *re);
unsigned http_regex_stack_max(const struct http_regex *re);

/* One body searched. */
struct http_regex_run;

struct http_regex_run *http_regex_run_new(const struct http_regex *re,
    uint64_t min_offset, uint64_t max_offset);
void http_regex_run_free(struct http_regex_run *m);
/* Start over on a new body (same regex and offsets). */
void http_regex_run_reset(struct http_regex_run *m);
void http_regex_feed(struct http_regex_run *m, const unsigned char *data,
    size_t len);
/* The body ended: 1 matched (within the offsets), 0 not. */
int http_regex_finish(struct http_regex_run *m);

#endif
