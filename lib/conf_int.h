/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the configuration language core (conf_read.c, conf_pre.c,
 * conf_gen.c, conf_lex.c, conf_tree.c): the state of one load and the
 * calls the stages make into each other.
 *
 *   reader: physical lines, comments            -> cl_pre_line()
 *   preprocessor: @id, $NAME (conf_pre.c),
 *     ~SEQ/~LST (conf_gen.c)                     -> include lines back to
 *                                                   the reader, the rest
 *                                                   to cl_lex_line()
 *   lexer: words, quotes, braces                 -> cl_tree_*()
 *   tree: statements and blocks
 */
#ifndef VIGIL_CONF_INT_H
#define VIGIL_CONF_INT_H

#include "conf.h"

#define CL_MAX_ERRORS	50	/* give up after this many errors */

/* include_check bits */
#define CL_INC_READABLE	0x1u
#define CL_INC_MATCH	0x2u
#define CL_INC_WILDCARD	0x4u
#define CL_INC_BRACE	0x8u
#define CL_INC_ALL	0xfu

struct cl_file;			/* conf_read.c: one open file */
struct cl_defs;			/* conf_pre.c: the $NAME definitions */
struct cl_frame;		/* conf_tree.c: one open { } block */

struct conf_load {
	struct conf_diag *d;
	struct conf_limits lim;
	const char *config_id;
	int no_include;
	int include_check_all;	/* the top file starts with CL_INC_ALL */
	FILE *copy;		/* conf_load_opts.copy */
	struct conf_tree *tree;
	int abort;		/* a fatal bound was hit: stop everything */
	unsigned nerr;		/* errors reported by this load */

	/* reader */
	struct cl_file *file;	/* innermost file being read */
	unsigned depth;		/* include depth */
	unsigned nfiles;

	/* preprocessor */
	struct cl_defs *defs;
	unsigned long seq_lines;
	unsigned long total_lines;
	unsigned long long rng;

	/* lexer scratch */
	char *wbuf;
	size_t wcap;

	/* tree */
	struct strtab *strs;	/* one copy of each distinct word */
	struct cl_frame *frames;
	unsigned nframes, cframes;
	char **words;
	unsigned nwords, cwords;
	struct conf_loc stmt_loc;
	struct conf_node *last_stmt;	/* may take a '{' on the next line */
	/* where nodes go: the tree's arena, or with top_done a scratch
	 * arena reset after each top-level statement */
	struct arena *nodes;
	int (*top_done)(void *arg, const struct conf_node *n);
	void *top_arg;
	int top_keep;		/* nodes is the tree's arena: nothing copied */
	/* top_drop given: words go to the scratch arena with their
	 * statement, entered in strs only when it is not dropped */
	int (*top_drop)(void *arg, const struct conf_node *n);
	struct conf_node *pend;		/* top-level statement not complete */
	struct conf_node **pend_link;	/* the pointer to pend */
};

/* conf_diag.c */
void cl_error(struct conf_load *cl, const struct conf_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cl_warn(struct conf_load *cl, const struct conf_loc *loc,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* conf_read.c */
int cl_read_path(struct conf_load *cl, const char *path);
int cl_read_mem(struct conf_load *cl, const char *name, const char *buf,
    size_t len);
const char *cl_cur_dir(struct conf_load *cl);
void cl_read_free(struct conf_load *cl);
/* A line the preprocessor produced: 1 if it was an include line. */
int cl_read_include(struct conf_load *cl, const char *line, size_t len,
    const struct conf_loc *loc);

/* conf_pre.c */
int cl_pre_init(struct conf_load *cl, unsigned long seed);
void cl_pre_free(struct conf_load *cl);
/* One decommented physical line; cont: it ended in a '\' (removed). */
void cl_pre_physical(struct conf_load *cl, char *line, size_t len, int cont,
    const struct conf_loc *loc);
/* The file being read ended: close an open multi-line definition. */
void cl_pre_eof(struct conf_load *cl);
/* One logical line through conditionals, definitions, generators and
 * substitution; depth counts nested generators and re-scans. */
void cl_pre_line(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc, unsigned depth, int cont);
int cl_def_set(struct conf_load *cl, const char *name, size_t n,
    const char *val, size_t vlen);
/* Definitions replaced in a generator's parameters; malloc()ed or NULL
 * after an error was reported. */
char *cl_expand_params(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc);

/* conf_gen.c: ~SEQ / ~SEQx / ~LST lines */
void cl_gen_seq(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc, unsigned depth);
void cl_gen_lst(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc, unsigned depth);

/* conf_lex.c */
void cl_lex_line(struct conf_load *cl, const char *s, size_t len,
    const struct conf_loc *loc);
/* Split s into words like the lexer, braces being text; malloc()ed vector
 * of malloc()ed strings, NULL-terminated. Returns the count or -1. */
int cl_lex_words(const char *s, size_t len, char ***out);
/* 1 if a statement starting with this word is read with escapes */
int cl_lex_script_kw(const char *w, size_t len);
void cl_lex_words_free(char **v);

/* conf_tree.c */
void cl_tree_word(struct conf_load *cl, const char *w, size_t len,
    const struct conf_loc *loc);
void cl_tree_open(struct conf_load *cl, const struct conf_loc *loc);
void cl_tree_close(struct conf_load *cl, const struct conf_loc *loc);
void cl_tree_eol(struct conf_load *cl);

#endif
