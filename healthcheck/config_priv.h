/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the healthcheck/config*.c files only. */
#ifndef VIGIL_CHK_CONFIG_PRIV_H
#define VIGIL_CHK_CONFIG_PRIV_H

#include "config.h"

/* Keyword contexts (children of the blocks of the same name). */
#define CHK_CTX_VS	"virtual_server"
#define CHK_CTX_RS	"real_server"
#define CHK_CTX_SSL	"SSL"
#define CHK_CTX_URL	"url"
#define CHK_CTX_SMTP_HOST "SMTP_CHECK host"

struct chk_conf *chk_root(struct conf_ctx *cx);
/* Location of n with the file name copied into the config's arena. */
void chk_loc(struct chk_conf *c, const struct conf_node *n,
    struct conf_loc *loc);
/* "cmd [user [group]]" from argv[first]. */
int chk_parse_script(struct conf_ctx *cx, const struct conf_node *n,
    unsigned first, struct chk_script *s);
/* "NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]". */
int chk_parse_fwd(struct conf_ctx *cx, const struct conf_node *n,
    unsigned first, struct chk_fwd_method *f);
/* Address argv[i] and optional port argv[i + 1]. */
int chk_parse_addr_port(struct conf_ctx *cx, const struct conf_node *n,
    unsigned i, struct vg_addr *addr, unsigned *port);
int chk_parse_addr(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, struct vg_addr *addr);
int chk_parse_port(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, unsigned *port);
/* Optional <BOOL> argument, default 1. */
int chk_parse_optbool(struct conf_ctx *cx, const struct conf_node *n,
    int *out);

/* Registration of each file's tables. */
int chk_conf_register_vs(struct conf_registry *r);
int chk_conf_register_rs(struct conf_registry *r);
int chk_conf_register_checkers(struct conf_registry *r);
int chk_conf_register_global(struct conf_registry *r);
/* HTTP_GET / SSL_GET specific keywords into context ctx (+ url). */
int chk_conf_register_http(struct conf_registry *r, const char *ctx);
void chk_http_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck);

/* Link rs into vs; -1 if (addr, port) is already there. */
int chk_vs_insert_rs(struct arena *a, struct chk_vs_conf *vs,
    struct chk_rs_conf *rs);
/* Unlink rs from vs (list and hash). O(nrs). */
void chk_vs_remove_rs(struct chk_vs_conf *vs, struct chk_rs_conf *rs);
void chk_rs_init(struct chk_rs_conf *rs);
void chk_checker_init(struct chk_checker_conf *ck, enum chk_checker_kind k);

/* Per-kind defaults and inheritance of one checker. */
void chk_checker_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck);

/* Virtual servers by identity key (open addressing, malloc()ed). */
struct chk_vs_index {
	const struct chk_vs_conf **slot;
	size_t size;
};
size_t chk_vs_key_hash(const struct chk_vs_conf *vs);
int chk_vs_key_eq(const struct chk_vs_conf *a, const struct chk_vs_conf *b);
int chk_vs_index_init(struct chk_vs_index *ix, unsigned n);
void chk_vs_index_free(struct chk_vs_index *ix);
/* Insert; returns the entry already there with the same key, or NULL. */
const struct chk_vs_conf *chk_vs_index_put(struct chk_vs_index *ix,
    const struct chk_vs_conf *vs);
const struct chk_vs_conf *chk_vs_index_get(const struct chk_vs_index *ix,
    const struct chk_vs_conf *vs);

const char *chk_proto_name(int proto);
const char *chk_fwd_name(enum chk_fwd f);

#endif
