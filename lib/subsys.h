/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A subsystem, described once: the keywords it owns, the typed
 * configuration it builds from them, the objects that configuration gives
 * it to run, and the child that runs it. The parent keeps one table of
 * them (daemon/subsystems.c) and loops over it; each subsystem defines its
 * entry in its own directory.
 *
 * A configuration generation (struct vigil_config) is the parsed tree and
 * the typed configuration of every owner that was built from it, freed
 * together. The parent builds every owner's (to validate); a child builds
 * only its own from the part of the tree the parent sends it.
 */
#ifndef VIGIL_SUBSYS_H
#define VIGIL_SUBSYS_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"

struct arena;
struct proc_ops;
struct vigil_config;

/* Called for each object a configuration gives a subsystem to run. */
typedef void subsys_obj_fn(void *arg, const char *kind, const char *name);

/*
 * One line describing a change a reload makes ("instance VI_1: added
 * (interface eth0, VRID 51, priority 150)"). SUBSYS_LINE_BULK: one of
 * possibly very many (real servers), which a log may bound.
 */
#define SUBSYS_LINE_BULK 1u
typedef void subsys_line_fn(void *arg, unsigned flags, const char *line);

/* What changed in one object, for those lines: "priority 100 -> 150,
 * advert_int 1 -> 2 s". Zero it to start; what does not fit is cut. */
struct subsys_what {
	char buf[512];
	size_t at;
};
void subsys_what_add(struct subsys_what *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct subsys {
	const char *name;	/* "vrrp", "checker": log role, titles */
	enum conf_owner owner;	/* whose keywords, whose typed config */
	/* vigild's option restricting it to this subsystem's child (-P,
	 * -C); 0: none */
	char only_opt;
	/* vigild's option keeping its child from running (-B); 0: none.
	 * The same letter in lower case names its pid file (-b). */
	char skip_opt;
	/* default pid file of its child */
	const char *pid_file;
	int (*conf_register)(struct conf_registry *r);
	void *(*conf_new)(struct arena *a);
	/* after every keyword is applied: cross-checks; NULL: none */
	int (*conf_finalize)(void *conf, struct conf_diag *d);
	/* as configuration text (vigild -d, state dumps) */
	void (*conf_dump)(const void *conf, FILE *fp);
	/* Calls fn (if not NULL) for each object the configuration gives
	 * the child to run; returns how many (0: no child needed). */
	unsigned (*conf_objects)(const void *conf, subsys_obj_fn *fn,
	    void *arg);
	/*
	 * Host checks of a built configuration (vigild -t, start, reload):
	 * that the interfaces, scripts, users and groups it names exist
	 * and scripts are safe to run. c is the whole generation (its
	 * tree, global_defs in c->conf[CONF_OWNER_GLOBAL]). Reports each
	 * finding at file:line; returns the number of errors. NULL: none.
	 */
	unsigned (*conf_host_check)(const void *conf,
	    const struct vigil_config *c, struct conf_diag *d);
	/*
	 * What replacing the typed configuration old by new (either NULL:
	 * none) changes, one line per change, in order: the parent logs
	 * these on reload ("reload: LINE") and vigilctl diff shows them
	 * before one. 0, or -1 if out of memory. NULL: nothing to say.
	 */
	int (*conf_diff_text)(const void *old, const void *new,
	    subsys_line_fn *fn, void *arg);
	/* the child that runs it; NULL: read by others, runs nowhere */
	const struct proc_ops *proc;
	/* top-level keywords of other subsystems its child reads too (the
	 * checker's FILE_CHECK names VRRP's track_file blocks); NULL-ended,
	 * or NULL */
	const char *const *borrows;
	/* kinds of other children's objects whose states its child is
	 * told (IPC_PEER_STATE, struct proc_ops peer_state): the VRRP and
	 * checker children follow "bfd_instance"; NULL-ended, or NULL */
	const char *const *follows;
};

/* The global_defs subsystem (lib/global_conf.c): every child reads it. */
extern const struct subsys global_subsys;

struct vigil_config {
	/* owns its own arena; NULL in a child that dropped it once its
	 * typed configurations were built (struct proc_ops' drop_tree) */
	struct conf_tree *tree;
	struct arena *arena;	/* the typed configs below */
	unsigned owners;	/* CONF_OWNER_BIT()s that were built */
	unsigned generation;	/* 1 for the first load, +1 per reload */
	char *path;		/* the file it came from (arena) */
	void *conf[CONF_OWNER_MAX];	/* typed config per owner, or NULL */
	/* each child's part (vconfig_encode's encoding), made while the
	 * file was read (vconfig_load_stream with encode), or NULL */
	void *part[CONF_OWNER_MAX];
	size_t part_len[CONF_OWNER_MAX];
	/* the file's last top-level statement was not kept in tree */
	int last_dropped;
};

/* Subsystem tables are NULL-terminated arrays. */
typedef const struct subsys *const subsys_table[];

/* The registry of every keyword of the table's subsystems. */
struct conf_registry *subsys_registry_new(const struct subsys *const *tab);

/*
 * Build a generation from a tree (taking ownership of the tree, freed on
 * failure too) for the owners in the mask (global always). Returns 0 when
 * no error was reported.
 */
int vconfig_from_tree(const struct subsys *const *tab,
    const struct conf_registry *reg, struct conf_tree *tree, unsigned owners,
    const char *path, struct conf_diag *d, struct vigil_config **out);
/*
 * vconfig_from_tree in pieces, for a child whose loop must not stop that
 * long (the VRRP child's adverts): begin takes the tree (freed on failure
 * too); each step applies the next top-level statements, at least one
 * and until budget usec have passed (0: one; UINT64_MAX: all), and
 * returns 1 while some remain, 0 once all were; end applies what remains
 * and finalizes: 0 with *out, or -1 once an error was reported (in d,
 * which lives until the end). The result is vconfig_from_tree's however
 * the statements were cut. abort frees what was built.
 */
struct vconfig_build {
	const struct subsys *const *tab;
	const struct conf_registry *reg;
	struct conf_diag *d;
	struct vigil_config *c;
	struct conf_node *at;	/* the next statement to apply */
	unsigned nerr;		/* d's errors at the start */
	uint64_t usec;		/* the steps' time */
};
int vconfig_build_begin(struct vconfig_build *b,
    const struct subsys *const *tab, const struct conf_registry *reg,
    struct conf_tree *tree, unsigned owners, const char *path,
    struct conf_diag *d);
int vconfig_build_step(struct vconfig_build *b, uint64_t budget);
int vconfig_build_end(struct vconfig_build *b, struct vigil_config **out);
void vconfig_build_abort(struct vconfig_build *b);
/*
 * The same from an encoded tree (conf_tree_encode), built as it is
 * decoded, each top-level statement while it is in the processor's
 * caches, without keeping the tree (c->tree NULL), for a child that drops
 * it once built (struct proc_ops' drop_tree): the builders copy what they
 * keep of the words, which are freed. Returns 0, -1 when an error was
 * reported (in d), -2 when buf is malformed (nothing reported).
 */
int vconfig_from_encoded(const struct subsys *const *tab,
    const struct conf_registry *reg, const void *buf, size_t len,
    unsigned owners, const char *path, struct conf_diag *d,
    struct vigil_config **out);
void vconfig_free(struct vigil_config *c);
/*
 * The same from a file, each top-level statement applied as soon as it
 * is read, while it is still in the processor's caches (no second walk
 * over the tree). Those of the owners in drop_owners (vigild -t: the
 * checkers') are then dropped from the tree unless they name a script
 * (their nodes are reused), so the whole tree and the typed configuration
 * are never held at once; c->tree keeps what host checks look up, and
 * cannot be encoded for a child. With drop_owners 0 every statement is
 * kept (vconfig_load: lint, vigilctl diff) and the result is
 * vconfig_from_tree's. Diagnostics come out as vconfig_from_tree's would
 * (the text's own first, then the building's). Logs the time to read and
 * apply, then the time to finalize ("built the ... configuration").
 *
 * With encode (the parent's start and reload), each statement is also
 * encoded at once into the part of every child (the subsystems of tab
 * with proc) it goes to, c->part[] (what vconfig_encode would give from
 * the whole tree), and the statements of drop_owners leave the tree as
 * with -t, their words staying (the encoders know words by address):
 * the parent then never holds the tree of the checkers' statements (at
 * 10,000 virtual servers x 10, 34 MB of nodes against a 5 MB part).
 */
int vconfig_load_stream(const struct subsys *const *tab,
    const struct conf_registry *reg, const char *path,
    const struct conf_load_opts *lo, unsigned drop_owners, int encode,
    struct conf_diag *d, struct vigil_config **out);

/*
 * Encode the part of the tree the child of s needs: its own top-level
 * statements, global_defs and the statements it borrows. malloc()ed;
 * 0 or -1.
 */
int vconfig_encode(const struct conf_registry *reg,
    const struct vigil_config *c, const struct subsys *s, void **buf,
    size_t *len);
/*
 * The part of c for the child of s: the one encoded while c was read, or
 * vconfig_encode's from c->tree, given in *owned (free it after use;
 * NULL when the part is c's). 0 or -1.
 */
int vconfig_part(const struct conf_registry *reg,
    const struct vigil_config *c, const struct subsys *s, const void **buf,
    size_t *len, void **owned);
/* The owners whose typed configuration the child of s builds from what
 * vconfig_encode() sent it: its own and those of what it borrows. */
unsigned subsys_child_owners(const struct conf_registry *reg,
    const struct subsys *s);

/*
 * Every built owner's host checks (conf_host_check), in table order.
 * Returns the number of errors reported. Only -t refuses a configuration
 * for them; start and reload log them and go on.
 */
unsigned vconfig_host_check(const struct subsys *const *tab,
    const struct vigil_config *c, struct conf_diag *d);

/* The first statement kw inside a top-level block named block ("" or
 * NULL: at the top level), or NULL. For locations of global settings. */
const struct conf_node *vconfig_find(const struct vigil_config *c,
    const char *block, const char *kw);

/*
 * Where keyword kw stands inside the block that starts at block (found
 * anywhere in the tree; its first kw statement), else block itself. It
 * walks the tree: for error messages only.
 */
const struct conf_loc *vconfig_loc_in(const struct vigil_config *c,
    const struct conf_loc *block, const char *kw);

/* Objects the generation gives subsystem s to run (see conf_objects). */
unsigned vconfig_objects(const struct subsys *s, const struct vigil_config *c,
    subsys_obj_fn *fn, void *arg);

/* Milliseconds since t0 (CLOCK_MONOTONIC), for the phase timings logged
 * at debug level (bench/reload reads them). */
struct timespec;
double subsys_ms_since(const struct timespec *t0);

/* Every built owner's configuration as text. */
void vconfig_dump_parts(const struct subsys *const *tab,
    const struct vigil_config *c, FILE *fp);

#endif
