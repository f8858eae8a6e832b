/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the healthcheck/config*.c files only. */
#ifndef VIGIL_CHK_CONFIG_PRIV_H
#define VIGIL_CHK_CONFIG_PRIV_H

#include <stddef.h>

#include "config.h"

/* Keyword contexts (children of the blocks of the same name). */
#define CHK_CTX_VS	"virtual_server"
#define CHK_CTX_RS	"real_server"
#define CHK_CTX_SSL	"SSL"
#define CHK_CTX_URL	"url"
#define CHK_CTX_SMTP_HOST "SMTP_CHECK host"

#define CHK_TMAX (86400LL * 365 * 1000000)	/* longest timer: a year */
/* The timing keywords a virtual server, a real server and a checker share,
 * into the fields of the same names in struct T; the checker's
 * connect_timeout is in its struct chk_conf_conn. */
#define CHK_TIMING_KW(T)						\
	CONF_KW_INT("retry", offsetof(T, retry), 0, 2147483647LL),	\
	CONF_KW_TIMER("delay_before_retry",				\
	    offsetof(T, delay_before_retry), 0, CHK_TMAX),		\
	CONF_KW_TIMER("warmup", offsetof(T, warmup), 0, CHK_TMAX),	\
	CONF_KW_TIMER("delay_loop", offsetof(T, delay_loop), 1, CHK_TMAX)
#define CHK_CONNECT_TIMEOUT_KW(T)					\
	CONF_KW_TIMER("connect_timeout", offsetof(T, connect_timeout), 1, \
	    CHK_TMAX)

struct chk_conf *chk_conf_root(struct conf_ctx *cx);
/* Location of n with the file name copied into the config's arena. */
void chk_conf_loc(struct chk_conf *c, const struct conf_node *n,
    struct conf_loc *loc);
/* A zeroed object of size bytes whose struct conf_loc at loc_off is set to
 * n's location; NULL after reporting "out of memory". */
void *chk_conf_obj_new(struct conf_ctx *cx, const struct conf_node *n,
    size_t size, size_t loc_off);
/* "cmd [user [group]]" from argv[first]. */
int chk_conf_parse_script(struct conf_ctx *cx, const struct conf_node *n,
    unsigned first, struct chk_conf_script *s);
/* Address argv[i] and optional port argv[i + 1]. */
int chk_conf_parse_addr_port(struct conf_ctx *cx, const struct conf_node *n,
    unsigned i, struct vg_addr *addr, unsigned *port);
int chk_conf_parse_addr(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, struct vg_addr *addr);
int chk_conf_parse_port(struct conf_ctx *cx, const struct conf_node *n,
    const char *s, unsigned *port);

/* Setters for keyword tables, writing at kw->off. */
/* struct chk_conf_script; a second one is ignored with a warning */
conf_set_fn chk_conf_set_script;
/* the same into a const struct chk_conf_script * (made when given) */
conf_set_fn chk_conf_set_script_ptr;
conf_set_fn chk_conf_set_fwd;	/* struct chk_conf_fwd_method */
conf_set_fn chk_conf_set_addr;	/* struct vg_addr */
conf_set_fn chk_conf_set_port;	/* unsigned, 0-65535 */

/* Registration of each file's tables. */
int chk_conf_register_vs(struct conf_registry *r);
int chk_conf_register_rs(struct conf_registry *r);
int chk_conf_register_checkers(struct conf_registry *r);
int chk_conf_register_global(struct conf_registry *r);
/* HTTP_GET / SSL_GET specific keywords into context ctx (+ url). */
int chk_conf_register_http(struct conf_registry *r, const char *ctx);
void chk_conf_http_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck);

/* Unlink rs from vs (list and index). O(nrs). */
void chk_conf_vs_remove_rs(struct chk_vs_conf *vs, struct chk_rs_conf *rs);
/* An empty real server's checks (nothing inherited yet). */
void chk_conf_rs_checks_init(struct chk_rs_checks *k);
/* vs gets its index of real servers, sized for those its block n holds. */
void chk_conf_vs_rs_reserve(struct arena *a, struct chk_vs_conf *vs,
    const struct conf_node *n);

/* Give back a list of checkers nothing points to (a real server that
 * shares another's, a checker ignored): the next checker blocks reuse
 * them. */
void chk_conf_checker_spare(struct chk_conf *c, struct chk_checker_conf *ck);

/* Per-kind defaults and inheritance of one checker. */
void chk_conf_checker_finalize(const struct chk_vs_conf *vs,
    const struct chk_rs_conf *rs, struct chk_checker_conf *ck);

/* The virtual server of c (NULL: none) with the identity of vs, or NULL.
 * From the index chk_conf_finalize() builds: O(1). */
const struct chk_vs_conf *chk_conf_find_vs(const struct chk_conf *c,
    const struct chk_vs_conf *vs);

/*
 * How a reload compares two objects (config_diff.c): one layout per
 * struct, every field in declaration order with how it is compared.
 */
enum chk_conf_cmp {
	CHK_CMP_SKIP = 0,	/* identity, links, location: not a setting */
	CHK_CMP_MEM,		/* integers, enums, arrays: byte for byte */
	CHK_CMP_CSTR,		/* char array holding a string */
	CHK_CMP_STR,		/* char *, NULL equal to NULL only */
	CHK_CMP_ADDR,		/* struct vg_addr */
	CHK_CMP_BYTES,		/* pointer to as many bytes as the size_t at aux */
	CHK_CMP_SUB,		/* embedded struct, laid out by sub */
	CHK_CMP_PTR,		/* pointer to one struct laid out by sub */
	CHK_CMP_LIST,		/* list of structs laid out by sub, linked at aux */
	CHK_CMP_UNION,		/* union: variant[the int at aux] (NULL: none) */
};

struct chk_conf_layout;

struct chk_conf_field {
	const char *name;
	size_t off, size, align;
	enum chk_conf_cmp how;
	const struct chk_conf_layout *sub;
	const struct chk_conf_layout *const *variant;
	size_t aux;
};

struct chk_conf_layout {
	const char *name;
	size_t size, align;
	const struct chk_conf_field *fields;
	size_t nfields;
};

/* Virtual server settings (not its real servers); real server settings
 * with its checkers. */
extern const struct chk_conf_layout chk_conf_vs_layout, chk_conf_rs_layout,
    chk_conf_rs_checks_layout;
int chk_conf_layout_eq(const struct chk_conf_layout *l, const void *a,
    const void *b);

const char *chk_conf_fwd_name(enum chk_fwd f);

#endif
