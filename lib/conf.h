/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration language (keepalived.conf syntax).
 *
 * Stages, each in its own file:
 *   conf_read.c   files, include/includer/includem/includew/includeb/includea
 *                 with globs relative to the including file, include_check
 *   conf_pre.c    @id / @^id conditionals, $NAME definitions (multi-line,
 *                 recursive), predefined ${_PWD} ${_INSTANCE} ${_RANDOM}
 *                 ${_HASH} ${_BANG}, ~SEQ / ~SEQx / ~LST
 *   conf_lex.c    words, quoted strings with escapes, comments, braces;
 *                 every token carries file:line
 *   conf_tree.c   statements and { } blocks -> struct conf_node tree
 *   conf_registry.c  keyword tables registered per subsystem; dispatch of a
 *                 tree onto them, building typed config structs
 *   conf_value.c  typed value parsers and generic setters for keyword tables
 *
 * Every expansion is bounded (struct conf_limits); passing a bound is an
 * error at file:line, never a hang or an out-of-memory.
 */
#ifndef VIGIL_CONF_H
#define VIGIL_CONF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

/* ---- locations and diagnostics ---------------------------------------- */

struct conf_loc {
	const char *file;	/* interned, lives as long as the tree */
	unsigned line;
};

enum conf_sev { CONF_WARN, CONF_ERR };

/*
 * Collects diagnostics. emit (optional) receives every message already
 * formatted without location; loc may be NULL for messages not tied to a
 * line. Counters are always kept.
 */
struct conf_diag {
	void (*emit)(void *arg, enum conf_sev sev, const struct conf_loc *loc,
	    const char *msg);
	void *arg;
	unsigned nerr;
	unsigned nwarn;
};

void conf_diag_report(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void conf_diag_vreport(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* The same, the message prefixed with "kw: " when kw is not NULL. */
void conf_diag_vreport_kw(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *kw, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* An emit function printing "file:line: error: msg" to the FILE in arg. */
void conf_diag_print(void *file, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg);

/* ---- the tree ------------------------------------------------------------ */

struct conf_node {
	struct conf_loc loc;
	unsigned argc;		/* >= 1 */
	/* beside argc: a node is 48 bytes, not 56 (a large file has
	 * hundreds of thousands) */
	unsigned block : 1;	/* the statement opened a { } block (maybe empty) */
	char **argv;		/* argv[0] is the keyword; argv[argc] == NULL;
				 * equal words of a tree are one copy: never
				 * written to */
	struct conf_node *child;	/* first statement inside { }, or NULL */
	struct conf_node *next;		/* next sibling */
};

struct conf_tree {
	struct arena *arena;	/* owns every node, string and file name */
	struct conf_node *first;	/* first top-level statement */
	size_t nnodes;
};

/* ---- loading ------------------------------------------------------------- */

/* Zero means "use the default" (shown). */
struct conf_limits {
	unsigned include_depth;		/* 32: nested include files */
	unsigned include_files;		/* 10000: files opened in one load */
	unsigned nesting;		/* 64: { } depth */
	size_t line_len;		/* 65536: bytes in one physical or expanded line */
	size_t def_len;			/* 1 MiB: bytes in one definition or expansion result */
	unsigned subst_depth;		/* 32: recursive $NAME replacement rounds */
	unsigned long seq_lines;	/* 1000000: lines produced by ~SEQ/~LST in one load */
	unsigned long total_lines;	/* 4000000: logical lines in one load */
};

struct conf_load_opts {
	/* @id conditionals; NULL: first label of uname's node name */
	const char *config_id;
	struct conf_limits limits;
	/* seed for ${_RANDOM}; 0: time-based (global_defs random_seed overrides) */
	unsigned long random_seed;
	/* include lines are an error (untrusted input, fuzzing) */
	int no_include;
	/* vigild -e: every include behaves as includea (missing = error) */
	int include_check_all;
	/*
	 * Optional: called with each top-level statement once it is
	 * complete (its block closed), in file order, while no error has
	 * been reported. Return 1 to keep it in the tree, 0 to drop it: its
	 * nodes are then reused and nothing may point to them after the
	 * call (its words and file names stay, as long as the tree). vigild
	 * -t builds the typed configuration this way without holding every
	 * statement of a large file at once.
	 */
	int (*top_done)(void *arg, const struct conf_node *n);
	void *top_arg;
	/* with top_done: every statement is kept, whatever top_done
	 * returns, built where the tree keeps it (no copy) */
	int top_keep;
	/*
	 * Optional, with top_done and without top_keep: called first with
	 * each complete top-level statement. Returning 1 drops it whatever
	 * top_done returns, and then its words too live only during the
	 * top_done call: they are not entered in the tree's one copy of
	 * each distinct word (vigild -t drops the checkers' statements,
	 * nearly every word of a large file, most of them addresses seen
	 * once). Returning 0 keeps the usual contract.
	 */
	int (*top_drop)(void *arg, const struct conf_node *n);
	/*
	 * Optional: every file read is written to it as it is read (the
	 * copy config_save_dir keeps): a line "# FILE" when it is opened,
	 * its bytes, a line "!" when it is closed (keepalived's markers).
	 */
	FILE *copy;
};

/*
 * Parse a file (and what it includes) into a tree. Returns 0 and sets *out
 * when no error was reported (warnings are allowed), else -1 with *out NULL.
 * Every problem is reported through d with file:line.
 */
int conf_load_file(const char *path, const struct conf_load_opts *opts,
    struct conf_diag *d, struct conf_tree **out);
/* Same, from memory; name is used as the file name in locations, and
 * relative includes resolve against the current directory. */
int conf_load_buffer(const char *name, const char *buf, size_t len,
    const struct conf_load_opts *opts, struct conf_diag *d,
    struct conf_tree **out);
void conf_tree_free(struct conf_tree *t);

/*
 * 1 if two statement lists (and everything below them) have the same
 * words and block structure, locations aside; 0 if not; -1 if out of
 * memory. Iterative: any depth.
 */
int conf_nodes_equal(const struct conf_node *a, const struct conf_node *b);

/* 1 if the statements of keyword w are read with escapes (notify_up,
 * misc_path, script...: the keywords naming a script to run). */
int conf_script_kw(const char *w);

/* Print one argument of a plain keyword so that it reads back as the same
 * word (quoted when it holds blanks, braces, comment characters...). */
void conf_print_word(FILE *fp, const char *s);
/*
 * The same for a word on the line of keyword kw: on the line of a script
 * keyword (notify_master, script, misc_path, regex...) words are read with
 * escapes and are printed with them. kw NULL: s is the first word of its
 * line (a list item), where '@', '~' and "include" are also quoted.
 */
void conf_print_arg(FILE *fp, const char *kw, const char *s);

/* Print the tree back as normalised configuration text (vigild -d). */
void conf_tree_print(const struct conf_tree *t, FILE *fp);

/*
 * Flat, self-contained encoding of a tree, for handing a new configuration
 * to a child over ipc. conf_tree_encode returns a malloc()ed buffer.
 * conf_tree_decode validates everything (it may be fed garbage) and returns
 * -1 on a malformed buffer.
 */
int conf_tree_encode(const struct conf_tree *t, void **buf, size_t *len);
/*
 * The same encoding a top-level statement at a time, for a load that
 * encodes each statement as it is read and need not keep it (struct
 * conf_load_opts' top_done): add n and everything below it (not n->next),
 * in order; end gives the buffer conf_tree_encode would give for a tree
 * of the statements added, and frees the encoder (as free does without a
 * buffer). Strings are known by address, as in conf_tree_encode: the
 * words of the statements added must stay (a load's words do, as long as
 * its tree, whether its nodes are kept or not) until end. -1: out of
 * memory (the encoder is then only good for free or end, which fails).
 */
struct conf_encoder;
int conf_encoder_new(struct conf_encoder **out);
int conf_encoder_add(struct conf_encoder *k, const struct conf_node *n);
int conf_encoder_end(struct conf_encoder *k, void **buf, size_t *len);
void conf_encoder_free(struct conf_encoder *k);
int conf_tree_decode(const void *buf, size_t len, struct conf_tree **out);
/*
 * The same in steps, for a child that must not run long without a break
 * (the VRRP child under vrrp_rt_priority): begin reads the header and the
 * strings (-1: malformed, or out of memory); each step decodes top-level
 * statements until budget usec have passed at the end of one (at least
 * one): 1 more to come, 0 all decoded, -1 malformed. end decodes what is
 * left and gives the tree (0) or -1, and frees the decoder, as abort
 * does without a tree. buf must stay until then. The tree is the one
 * conf_tree_decode gives, whatever the steps.
 */
struct conf_decoder;
int conf_tree_decode_begin(const void *buf, size_t len,
    struct conf_decoder **out);
int conf_tree_decode_step(struct conf_decoder *d, uint64_t budget);
int conf_tree_decode_end(struct conf_decoder *d, struct conf_tree **out);
void conf_tree_decode_abort(struct conf_decoder *d);
/*
 * The same without keeping the tree: each top-level statement is handed
 * to each() (n->next NULL) as soon as it is decoded, in order; its nodes
 * are reused for the next one, and its words live in words (an arena of
 * the caller's) afterwards. A child that builds its typed configuration
 * and drops the tree never holds the whole tree, and builds each
 * statement while it is still in the processor's caches. Returns -1 on a
 * malformed buffer, found before or after some statements were handed.
 */
int conf_tree_decode_each(const void *buf, size_t len, struct arena *words,
    void (*each)(void *arg, const struct conf_node *n), void *arg);

/* ---- keyword registry ---------------------------------------------------- */

/*
 * Who owns a keyword: whose typed config it builds. global_defs is owner
 * 0; every subsystem numbers itself in its own directory (CONF_OWNER_VRRP
 * in vrrp/config.h, ...), below CONF_OWNER_MAX, and vigild refuses a table
 * of subsystems where two share a number (subsys_registry_new).
 */
enum conf_owner {
	CONF_OWNER_GLOBAL = 0,	/* global_defs and the like, read by all */
	CONF_OWNER_MAX = 8
};
#define CONF_OWNER_BIT(o) (1u << (o))
#define CONF_OWNERS_ALL ((1u << CONF_OWNER_MAX) - 1)

struct conf_ctx;
struct conf_kw;

/* Leaf keyword, or one item line of a CONF_F_LIST block. Return 0, or -1
 * after reporting the error with conf_error(). */
typedef int conf_set_fn(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj);
/* Block keyword: make the object its children write into. NULL after
 * reporting an error skips the block. */
typedef void *conf_open_fn(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent);
/* Block keyword at its closing brace: validate and link obj into parent. */
typedef int conf_close_fn(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *parent, void *obj);

enum {
	/* Children are keywords looked up in context kw->block. Without
	 * CONF_F_BLOCK_OPT the { } is required. */
	CONF_F_BLOCK = 1u << 0,
	CONF_F_BLOCK_OPT = 1u << 1,
	/* Children are free-form item lines: kw->set is called for each with
	 * the item line as the node (argv[0] is the first word of the item). */
	CONF_F_LIST = 1u << 2,
	/* Recognised but the feature is not built: warn and skip (block too). */
	CONF_F_UNSUPPORTED = 1u << 3,
	/* Deprecated spelling: warn, then handle normally. */
	CONF_F_DEPRECATED = 1u << 4,
	/* Keyword has no effect in vigil (e.g. a keepalived build option):
	 * accept silently. */
	CONF_F_IGNORED = 1u << 5,
	/* Parsed and checked as usual (its syntax errors report), but what
	 * it does is not built yet: warns "not supported yet" at file:line.
	 * With CONF_F_IGNORED its handler only checks the value. */
	CONF_F_NOT_YET = 1u << 6,
};

#define CONF_ARGS_ANY (-1)

struct conf_kw {
	const char *name;	/* NULL ends a table */
	unsigned flags;
	short min_args;		/* arguments after the keyword */
	short max_args;		/* CONF_ARGS_ANY: no limit */
	conf_set_fn *set;	/* leaf / list item handler (or NULL) */
	size_t off;		/* for generic setters: offset in obj */
	long long lo, hi;	/* for generic numeric setters: range */
	const char *block;	/* CONF_F_BLOCK: context of the children;
				 * NULL: the keyword's own name */
	conf_open_fn *open;	/* NULL: children write into the parent obj */
	conf_close_fn *close;
	const char *expect;	/* what a valid value looks like, for errors */
};

/*
 * Rows of keyword tables, one set for every subsystem (designated
 * initializers: what a row leaves out is 0/NULL). nm: the keyword; mn..mx:
 * its argument count; fn: the handler; o: the offset it writes at in the
 * object; l..h: the range of numeric setters (or a value for fn).
 */
#define CONF_KW(nm, mn, mx, fn, o) \
	{ .name = (nm), .min_args = (mn), .max_args = (mx), .set = (fn), \
	  .off = (o) }
#define CONF_KW_RANGE(nm, mn, mx, fn, o, l, h) \
	{ .name = (nm), .min_args = (mn), .max_args = (mx), .set = (fn), \
	  .off = (o), .lo = (l), .hi = (h) }
/* An old spelling: warns, then does the same. */
#define CONF_KW_DEPRECATED(nm, mn, mx, fn, o, l, h) \
	{ .name = (nm), .flags = CONF_F_DEPRECATED, .min_args = (mn), \
	  .max_args = (mx), .set = (fn), .off = (o), .lo = (l), .hi = (h) }
/* The generic setters, with the arguments they take. */
#define CONF_KW_FLAG(nm, o)		CONF_KW(nm, 0, 1, conf_set_flag, o)
#define CONF_KW_STR(nm, o)		CONF_KW(nm, 1, 1, conf_set_str, o)
#define CONF_KW_CPUS(nm, o, om) \
	CONF_KW_RANGE(nm, 1, CONF_ARGS_ANY, conf_set_cpus, o, om, 0)
#define CONF_KW_INT(nm, o, l, h) \
	CONF_KW_RANGE(nm, 1, 1, conf_set_int, o, l, h)
#define CONF_KW_UINT(nm, o, l, h) \
	CONF_KW_RANGE(nm, 1, 1, conf_set_uint, o, l, h)
#define CONF_KW_TIMER(nm, o, l, h) \
	CONF_KW_RANGE(nm, 1, 1, conf_set_timer, o, l, h)
/* A block of item lines, each handed to fn. */
#define CONF_KW_LIST(nm, fn, o, l, h) \
	{ .name = (nm), .flags = CONF_F_LIST, .set = (fn), .off = (o), \
	  .lo = (l), .hi = (h) }
/* A { } block (more flags in fl) whose children are looked up in context
 * ctx (NULL: the keyword), written into the object op makes (NULL: the
 * parent's) and cl links; l: a value for op and cl. */
#define CONF_KW_BLOCK(nm, fl, mn, mx, ctx, op, cl, l) \
	{ .name = (nm), .flags = CONF_F_BLOCK | (fl), .min_args = (mn), \
	  .max_args = (mx), .block = (ctx), .open = (op), .close = (cl), \
	  .lo = (l) }
/* Recognised, not built (more flags in fl: CONF_F_BLOCK, CONF_F_LIST). */
#define CONF_KW_UNSUP(nm, fl, mn, mx) \
	{ .name = (nm), .flags = CONF_F_UNSUPPORTED | (fl), .min_args = (mn), \
	  .max_args = (mx) }
/* Parsed and checked by fn like a supported keyword, then warned "not
 * supported yet": the value is checked, never stored (CONF_F_NOT_YET). */
#define CONF_KW_NOT_YET(nm, mn, mx, fn) \
	{ .name = (nm), .flags = CONF_F_NOT_YET | CONF_F_IGNORED, \
	  .min_args = (mn), .max_args = (mx), .set = (fn) }
/* The same, the value stored by fn at o (l..h its range) for the dump and
 * the host checks. */
#define CONF_KW_NOT_YET_KEPT(nm, mn, mx, fn, o, l, h) \
	{ .name = (nm), .flags = CONF_F_NOT_YET, .min_args = (mn), \
	  .max_args = (mx), .set = (fn), .off = (o), .lo = (l), .hi = (h) }
#define CONF_KW_END { .name = NULL }
/* A table of one keyword (conf_registry_add_each). */
#define CONF_KW_ONE(...) { __VA_ARGS__, CONF_KW_END }

struct conf_registry;

struct conf_registry *conf_registry_new(void);
void conf_registry_free(struct conf_registry *r);
/*
 * Add a NULL-terminated table of keywords valid in context ("" is the top
 * level; a block's children use the block's context name). Several owners
 * may add to one context (global_defs). A keyword registered by owner X
 * inside a block opened by owner Y writes into X's root object. Returns -1
 * if a keyword is already registered in that context.
 */
int conf_registry_add(struct conf_registry *r, enum conf_owner owner,
    const char *context, const struct conf_kw *table);
/* Look up a keyword (for tests and for vigild --list-keywords). */
const struct conf_kw *conf_registry_find(const struct conf_registry *r,
    const char *context, const char *name, enum conf_owner *owner);
/* Call fn for every registered keyword with its context and owner, in no
 * particular order (tests check that each keyword is covered). */
typedef void conf_registry_walk_fn(void *arg, const char *context,
    const struct conf_kw *kw, enum conf_owner owner);
void conf_registry_walk(const struct conf_registry *r,
    conf_registry_walk_fn *fn, void *arg);
/*
 * Add n one-keyword tables (each { keyword, end }) to context, skipping a
 * keyword already registered there by another owner (global_defs, which
 * several owners share). Returns 0 or -1.
 */
int conf_registry_add_each(struct conf_registry *r, enum conf_owner owner,
    const char *context, const struct conf_kw (*tables)[2], size_t n);

/*
 * Walk the tree and run the handlers of the owners in owner_mask, whose
 * root objects are roots[owner]; keywords of other owners are skipped
 * silently. Unknown keywords are warnings; handler errors are errors.
 * Returns the number of errors reported (0: the config is usable).
 */
unsigned conf_apply(const struct conf_registry *r, const struct conf_tree *t,
    unsigned owner_mask, void *roots[CONF_OWNER_MAX], struct arena *arena,
    struct conf_diag *d);

/* For handlers. */
struct arena *conf_arena(struct conf_ctx *cx);
void *conf_root(struct conf_ctx *cx, enum conf_owner owner);
struct conf_diag *conf_diag_of(struct conf_ctx *cx);
/* Zeroed memory / a copy of s in the config arena, or NULL after
 * reporting "out of memory" at n. */
void *conf_alloc(struct conf_ctx *cx, const struct conf_node *n, size_t size);
char *conf_strdup(struct conf_ctx *cx, const struct conf_node *n,
    const char *s);
/* "file:line: keyword: message" */
void conf_error(struct conf_ctx *cx, const struct conf_node *n,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void conf_warn(struct conf_ctx *cx, const struct conf_node *n,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- reload diffs --------------------------------------------------------- */

/*
 * How an object of the old configuration relates to the new one. Every
 * subsystem diffs alike:
 *	int X_conf_diff(const struct X_conf *old, const struct X_conf *new,
 *	    struct X_conf_diff *out, X_conf_diff_fn *cb, void *arg);
 * out (optional) counts each kind per object type, cb (optional) is called
 * as cb(arg, ev) once per object with ev->kind first in the event.
 */
enum conf_diff_kind {
	CONF_DIFF_ADDED = 0,	/* only in the new configuration */
	CONF_DIFF_REMOVED,	/* only in the old one */
	CONF_DIFF_CHANGED,	/* same identity, settings differ */
	CONF_DIFF_UNCHANGED,
};

struct conf_diff_count {
	unsigned added, removed, changed, unchanged;
};

/* "added", "removed", "changed", "unchanged" */
const char *conf_diff_kind_name(enum conf_diff_kind k);
void conf_diff_count_add(struct conf_diff_count *c, enum conf_diff_kind k);

/* ---- typed values (conf_value.c) ----------------------------------------- */

/* Parsers: 0 on success, -1 if s is not a valid value (nothing reported). */
int conf_parse_bool(const char *s, int *out);	/* on|off|true|false|yes|no */
int conf_parse_ll(const char *s, long long lo, long long hi, long long *out);
/* <TIMER>: seconds with up to 6 decimals -> microseconds */
int conf_parse_timer(const char *s, unsigned long long *usec);
/* Strings of two configurations equal (both NULL counts as equal). */
int conf_str_eq(const char *a, const char *b);

/* Generic setters for keyword tables (nginx style): write at kw->off. */
conf_set_fn conf_set_flag;	/* no argument: int = 1; or one <BOOL> */
conf_set_fn conf_set_int;	/* int in [kw->lo, kw->hi] */
conf_set_fn conf_set_uint;	/* unsigned in [kw->lo, kw->hi] */
conf_set_fn conf_set_timer;	/* unsigned long long usec, lo/hi in usec */
conf_set_fn conf_set_str;	/* char *, arena copy of argv[1] */
conf_set_fn conf_set_strv;	/* char *, the arguments joined by spaces */
conf_set_fn conf_set_cpus;	/* CPU numbers: strv at kw->off, an unsigned
				 * long long mask at kw->lo (CONF_KW_CPUS) */
/* Check a value without storing it (CONF_F_IGNORED, obj NULL): a <UINT>
 * from kw->lo to kw->hi; no argument or one <BOOL>. */
conf_set_fn conf_check_uint;
conf_set_fn conf_check_bool;
conf_set_fn conf_set_unsupported;	/* warn "not supported yet" */

#endif
