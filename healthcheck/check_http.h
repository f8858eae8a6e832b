/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP_GET and SSL_GET (healthcheck/check_http.c). The kinds themselves
 * are in the kinds table; this header is for the one other user of the
 * code, vigil-genhash, which watches a run to print what it read.
 */
#ifndef VIGIL_CHECK_HTTP_H
#define VIGIL_CHECK_HTTP_H

#include <stddef.h>

#include "healthcheck/http_reply.h"
#include "healthcheck/probe.h"

struct chk_http_observer {
	/* bytes as they arrive (after TLS), before they are parsed */
	void (*on_bytes)(void *arg, const unsigned char *data, size_t len,
	    const struct http_reply *r);
	/* one url's reply was read (before its checks): the MD5 of its body
	 * is computed whether the url has a digest or not */
	void (*on_reply)(void *arg, const struct chk_url_conf *url,
	    const struct http_reply *r, const unsigned char md5[16]);
	void *arg;
};

/* Watch every run of kind (CHK_HTTP or CHK_SSL) in env; o must outlive
 * the runs. 0, or -1 (out of memory). */
int chk_http_observe(struct chk_env *env, enum chk_checker_kind kind,
    const struct chk_http_observer *o);

/* "200-299", "200,301-302" for reasons. */
const char *chk_http_status_str(const struct chk_url_conf *u, char *buf,
    size_t len);

#endif
