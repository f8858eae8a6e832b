/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TLS for SSL_GET: one context per checker child, made from the top-level
 * SSL block (ca: verify the server against it; certificate, key,
 * password: a client certificate), and connections over non-blocking
 * sockets whose every step says whether it wants the socket readable or
 * writable. Builds without OpenSSL (configure --disable-ssl) keep the API;
 * making a context fails with "not supported (built without OpenSSL)".
 */
#ifndef VIGIL_HTTP_TLS_H
#define VIGIL_HTTP_TLS_H

#include <stddef.h>

#include "healthcheck/config.h"

enum http_io {
	HTTP_IO_OK = 0,
	HTTP_IO_WANT_READ,
	HTTP_IO_WANT_WRITE,
	HTTP_IO_EOF,
	HTTP_IO_ERROR,		/* err says why */
};

struct http_tls_ctx;
struct http_tls;

/* ssl: the SSL block, or NULL (no verification, no client certificate,
 * as keepalived's default context). NULL on error, err filled. */
struct http_tls_ctx *http_tls_ctx_new(const struct chk_ssl_conf *ssl,
    char *err, size_t errlen);
void http_tls_ctx_free(struct http_tls_ctx *c);
/* Was c made from these settings? */
int http_tls_ctx_same(const struct http_tls_ctx *c,
    const struct chk_ssl_conf *ssl);

/* A client on connected socket fd; sni: server name to send, or NULL;
 * compliant: end with a close_notify (tls_compliant), else quietly. */
struct http_tls *http_tls_new(struct http_tls_ctx *c, int fd,
    const char *sni, int compliant, char *err, size_t errlen);
enum http_io http_tls_handshake(struct http_tls *t, char *err,
    size_t errlen);
enum http_io http_tls_write(struct http_tls *t, const void *buf,
    size_t len, size_t *done, char *err, size_t errlen);
/* HTTP_IO_EOF: the peer ended the stream (close_notify or a plain
 * close). */
enum http_io http_tls_read(struct http_tls *t, void *buf, size_t len,
    size_t *got, char *err, size_t errlen);
/* Bytes OpenSSL already holds for the next read (no socket event will
 * say so). */
int http_tls_pending(const struct http_tls *t);
/* Shut down (as the flag given to http_tls_new says) and free. */
void http_tls_free(struct http_tls *t);

#endif
