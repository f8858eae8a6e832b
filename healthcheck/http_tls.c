/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TLS for SSL_GET over non-blocking sockets (see http_tls.h). */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck/http_tls.h"

#ifdef HAVE_OPENSSL
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

struct http_tls_ctx {
	SSL_CTX *ctx;
	char *ca, *certificate, *key, *password;
};

struct http_tls {
	SSL *ssl;
	int compliant;
	int failed;		/* a fatal error: no shutdown */
};

static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static char *
dup_or_null(const char *s, int *oom)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = 1;
	return d;
}

/* The first queued OpenSSL error as text, the queue emptied. */
static const char *
ssl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();
	const char *r;

	if (e == 0) {
		snprintf(buf, len, "unknown error");
		return buf;
	}
	r = ERR_reason_error_string(e);
	if (r != NULL)
		snprintf(buf, len, "%s", r);
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

struct http_tls_ctx *
http_tls_ctx_new(const struct chk_ssl_conf *ssl, char *err, size_t errlen)
{
	struct http_tls_ctx *c = calloc(1, sizeof(*c));
	char rb[128];
	int oom = 0;

	ERR_clear_error();
	if (c == NULL || (c->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		snprintf(err, errlen, "cannot make a TLS context");
		goto fail;
	}
	if (ssl != NULL && ssl->set) {
		c->ca = dup_or_null(ssl->ca, &oom);
		c->certificate = dup_or_null(ssl->certificate, &oom);
		c->key = dup_or_null(ssl->key, &oom);
		c->password = dup_or_null(ssl->password, &oom);
		if (oom) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (c->password != NULL)
		SSL_CTX_set_default_passwd_cb_userdata(c->ctx, c->password);
	if (c->certificate != NULL && SSL_CTX_use_certificate_chain_file(
	    c->ctx, c->certificate) != 1) {
		snprintf(err, errlen, "SSL certificate %s: %s",
		    c->certificate, ssl_reason(rb, sizeof(rb)));
		goto fail;
	}
	if (c->key != NULL && SSL_CTX_use_PrivateKey_file(c->ctx, c->key,
	    SSL_FILETYPE_PEM) != 1) {
		snprintf(err, errlen, "SSL key %s: %s", c->key,
		    ssl_reason(rb, sizeof(rb)));
		goto fail;
	}
	if (c->ca != NULL) {
		if (SSL_CTX_load_verify_locations(c->ctx, c->ca, NULL) != 1) {
			snprintf(err, errlen, "SSL ca %s: %s", c->ca,
			    ssl_reason(rb, sizeof(rb)));
			goto fail;
		}
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	} else
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	return c;
fail:
	http_tls_ctx_free(c);
	return NULL;
}

void
http_tls_ctx_free(struct http_tls_ctx *c)
{
	if (c == NULL)
		return;
	SSL_CTX_free(c->ctx);
	free(c->ca);
	free(c->certificate);
	free(c->key);
	if (c->password != NULL) {
		memset(c->password, 0, strlen(c->password));
		free(c->password);
	}
	free(c);
}

int
http_tls_ctx_same(const struct http_tls_ctx *c, const struct chk_ssl_conf *ssl)
{
	static const struct chk_ssl_conf none;

	if (ssl == NULL || !ssl->set)
		ssl = &none;
	return str_same(c->ca, ssl->ca) &&
	    str_same(c->certificate, ssl->certificate) &&
	    str_same(c->key, ssl->key) && str_same(c->password, ssl->password);
}

struct http_tls *
http_tls_new(struct http_tls_ctx *c, int fd, const char *sni, int compliant,
    char *err, size_t errlen)
{
	struct http_tls *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(t->ssl, fd) != 1) {
		snprintf(err, errlen, "cannot start TLS");
		http_tls_free(t);
		return NULL;
	}
	t->compliant = compliant;
	if (sni != NULL && *sni != '\0')
		(void)SSL_set_tlsext_host_name(t->ssl, sni);
	/* tls_compliant: we end with a close_notify, as keepalived does;
	 * a server ending without one is read as having ended (keepalived
	 * reads a reply to whatever error ends it) */
	if (!compliant)
		SSL_set_quiet_shutdown(t->ssl, 1);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	SSL_set_options(t->ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	return t;
}

/* What SSL_get_error says, as an enum http_io with a reason. */
static enum http_io
io_result(struct http_tls *t, int rc, int reading, char *err, size_t errlen)
{
	char rb[128];
	long v;

	switch (SSL_get_error(t->ssl, rc)) {
	case SSL_ERROR_NONE:
		return HTTP_IO_OK;
	case SSL_ERROR_WANT_READ:
		return HTTP_IO_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return HTTP_IO_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return HTTP_IO_EOF;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			if (errno == 0 || rc == 0) {
				if (reading)
					return HTTP_IO_EOF;
				snprintf(err, errlen, "connection closed by "
				    "the server");
			} else
				snprintf(err, errlen, "%s", strerror(errno));
			t->failed = 1;
			return HTTP_IO_ERROR;
		}
		break;
	default:
		break;
	}
	t->failed = 1;
	v = SSL_get_verify_result(t->ssl);
	if (v != X509_V_OK)
		snprintf(err, errlen, "certificate verify failed (%s)",
		    X509_verify_cert_error_string(v));
	else
		snprintf(err, errlen, "%s", ssl_reason(rb, sizeof(rb)));
	ERR_clear_error();
	return HTTP_IO_ERROR;
}

enum http_io
http_tls_handshake(struct http_tls *t, char *err, size_t errlen)
{
	enum http_io r;
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_connect(t->ssl);
	if (rc == 1)
		return HTTP_IO_OK;
	r = io_result(t, rc, 0, err, errlen);
	if (r == HTTP_IO_EOF) {
		snprintf(err, errlen, "connection closed by the server");
		r = HTTP_IO_ERROR;
	}
	return r;
}

enum http_io
http_tls_write(struct http_tls *t, const void *buf, size_t len, size_t *done,
    char *err, size_t errlen)
{
	enum http_io r;
	int rc;

	*done = 0;
	ERR_clear_error();
	errno = 0;
	rc = SSL_write(t->ssl, buf, len > 65536 ? 65536 : (int)len);
	if (rc > 0) {
		*done = (size_t)rc;
		return HTTP_IO_OK;
	}
	r = io_result(t, rc, 0, err, errlen);
	if (r == HTTP_IO_EOF) {
		snprintf(err, errlen, "connection closed by the server");
		r = HTTP_IO_ERROR;
	}
	return r;
}

enum http_io
http_tls_read(struct http_tls *t, void *buf, size_t len, size_t *got,
    char *err, size_t errlen)
{
	int rc;

	*got = 0;
	ERR_clear_error();
	errno = 0;
	rc = SSL_read(t->ssl, buf, len > 65536 ? 65536 : (int)len);
	if (rc > 0) {
		*got = (size_t)rc;
		return HTTP_IO_OK;
	}
	return io_result(t, rc, 1, err, errlen);
}

int
http_tls_pending(const struct http_tls *t)
{
	return SSL_pending(t->ssl) > 0;
}

void
http_tls_free(struct http_tls *t)
{
	if (t == NULL)
		return;
	if (t->ssl != NULL) {
		/* one try: a non-blocking close_notify, or the quiet end */
		if (!t->failed && SSL_is_init_finished(t->ssl))
			(void)SSL_shutdown(t->ssl);
		ERR_clear_error();
		SSL_free(t->ssl);
	}
	free(t);
}

#else /* !HAVE_OPENSSL */

struct http_tls_ctx *
http_tls_ctx_new(const struct chk_ssl_conf *ssl, char *err, size_t errlen)
{
	(void)ssl;
	snprintf(err, errlen, "not supported (built without OpenSSL)");
	return NULL;
}

void http_tls_ctx_free(struct http_tls_ctx *c) { (void)c; }
int http_tls_ctx_same(const struct http_tls_ctx *c,
    const struct chk_ssl_conf *ssl) { (void)c; (void)ssl; return 0; }

struct http_tls *
http_tls_new(struct http_tls_ctx *c, int fd, const char *sni, int compliant,
    char *err, size_t errlen)
{
	(void)c;
	(void)fd;
	(void)sni;
	(void)compliant;
	snprintf(err, errlen, "not supported (built without OpenSSL)");
	return NULL;
}

enum http_io http_tls_handshake(struct http_tls *t, char *err, size_t n)
{ (void)t; snprintf(err, n, "no TLS"); return HTTP_IO_ERROR; }
enum http_io http_tls_write(struct http_tls *t, const void *b, size_t l,
    size_t *d, char *err, size_t n)
{ (void)t; (void)b; (void)l; *d = 0; snprintf(err, n, "no TLS");
  return HTTP_IO_ERROR; }
enum http_io http_tls_read(struct http_tls *t, void *b, size_t l,
    size_t *g, char *err, size_t n)
{ (void)t; (void)b; (void)l; *g = 0; snprintf(err, n, "no TLS");
  return HTTP_IO_ERROR; }
int http_tls_pending(const struct http_tls *t) { (void)t; return 0; }
void http_tls_free(struct http_tls *t) { (void)t; }

#endif
