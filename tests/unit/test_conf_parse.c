/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration language core: reader, preprocessor, lexer, tree.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "check_run.h"

#define SAMPLES TEST_SRCDIR "/tests/samples/keepalived"

static char tmpdir[PATH_MAX];

/* ---- helpers ---------------------------------------------------------- */

struct res {
	int rc;
	struct conf_tree *t;
	struct conf_diag d;
	char *diag;		/* every message, conf_diag_print format */
	size_t dlen;
	FILE *fp;
};

static void
res_begin(struct res *r)
{
	memset(r, 0, sizeof(*r));
	r->fp = open_memstream(&r->diag, &r->dlen);
	ck_assert_ptr_nonnull(r->fp);
	r->d.emit = conf_diag_print;
	r->d.arg = r->fp;
}

static void
res_end(struct res *r)
{
	fclose(r->fp);
	r->fp = NULL;
}

static void
res_free(struct res *r)
{
	conf_tree_free(r->t);
	free(r->diag);
}

static struct res
load_lim(const char *text, const char *id, const struct conf_limits *lim)
{
	struct conf_load_opts o = { 0 };
	struct res r;

	o.config_id = id != NULL ? id : "main";
	o.random_seed = 42;
	if (lim != NULL)
		o.limits = *lim;
	res_begin(&r);
	r.rc = conf_load_buffer("test.conf", text, strlen(text), &o, &r.d,
	    &r.t);
	res_end(&r);
	return r;
}

static struct res
load(const char *text)
{
	return load_lim(text, NULL, NULL);
}

static struct res
load_path(const char *path)
{
	struct conf_load_opts o = { 0 };
	struct res r;

	o.config_id = "main";
	res_begin(&r);
	r.rc = conf_load_file(path, &o, &r.d, &r.t);
	res_end(&r);
	return r;
}

static char *
print_tree(const struct conf_tree *t)
{
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	conf_tree_print(t, fp);
	fclose(fp);
	return s;
}

/* load text, which must succeed, and compare its printed form */
static void
expect_print(const char *text, const char *want, const char *id)
{
	struct res r = load_lim(text, id, NULL);
	char *s;

	ck_assert_msg(r.rc == 0, "load failed: %s", r.diag);
	s = print_tree(r.t);
	ck_assert_str_eq(s, want);
	free(s);
	res_free(&r);
}

/* load text, which must fail with a message containing want */
static void
expect_error(const char *text, const char *want)
{
	struct res r = load(text);

	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_null(r.t);
	ck_assert_uint_gt(r.d.nerr, 0);
	ck_assert_msg(strstr(r.diag, want) != NULL, "wanted '%s' in '%s'",
	    want, r.diag);
	res_free(&r);
}

static char *
write_file(const char *name, const char *text)
{
	static char path[PATH_MAX + 64];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p);
}

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_conf_parse.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* every argv is NULL-terminated, at any depth */
static int
terminated(const struct conf_node *n)
{
	for (; n != NULL; n = n->next)
		if (n->argv[n->argc] != NULL || !terminated(n->child))
			return 0;
	return 1;
}

static int
node_eq(const struct conf_node *a, const struct conf_node *b)
{
	return conf_nodes_equal(a, b) == 1 && terminated(a) && terminated(b);
}

/* conf_tree_decode_each's statements against a tree's, one by one */
struct each_seen {
	const struct conf_node *at;	/* the next one expected */
	unsigned calls;
};

static void
each_seen(void *arg, const struct conf_node *n)
{
	struct each_seen *e = arg;
	struct conf_node one;

	e->calls++;
	ck_assert_ptr_nonnull(e->at);
	ck_assert_ptr_null(n->next);
	one = *e->at;
	one.next = NULL;
	ck_assert(node_eq(&one, n));
	e->at = e->at->next;
}

/* The tree of buf decoded in steps of budget 0 (a top-level statement a
 * step): -1 where conf_tree_decode fails; the steps that left more to
 * come in *steps. */
static int
decode_in_steps(const void *buf, size_t len, struct conf_tree **out,
    unsigned *steps)
{
	struct conf_decoder *d;
	int rc;

	*out = NULL;
	*steps = 0;
	if (conf_tree_decode_begin(buf, len, &d) < 0)
		return -1;
	while ((rc = conf_tree_decode_step(d, 0)) > 0)
		(*steps)++;
	if (rc < 0) {
		/* a failed step fails the end too */
		ck_assert_int_eq(conf_tree_decode_end(d, out), -1);
		ck_assert_ptr_null(*out);
		return -1;
	}
	return conf_tree_decode_end(d, out);
}

static unsigned
count_top(const struct conf_node *n)
{
	unsigned k = 0;

	for (; n != NULL; n = n->next)
		k++;
	return k;
}

/* print -> reload gives the same tree; encode -> decode too */
static void
check_roundtrip(const struct conf_tree *t)
{
	struct conf_tree *t2 = NULL;
	struct res r;
	char *s = print_tree(t);
	void *buf;
	size_t len;

	r = load(s);
	ck_assert_msg(r.rc == 0, "reload failed: %s\n%s", r.diag, s);
	ck_assert_msg(node_eq(t->first, r.t->first), "print round trip "
	    "differs:\n%s", s);
	res_free(&r);
	free(s);

	ck_assert_int_eq(conf_tree_encode(t, &buf, &len), 0);
	ck_assert_int_eq(conf_tree_decode(buf, len, &t2), 0);
	ck_assert(node_eq(t->first, t2->first));
	ck_assert_uint_eq(t2->nnodes, t->nnodes);
	/* decoded a statement at a time: the same statements, in order */
	{
		struct each_seen e = { .at = t2->first };
		struct arena *words = arena_new();

		ck_assert_ptr_nonnull(words);
		ck_assert_int_eq(conf_tree_decode_each(buf, len, words,
		    each_seen, &e), 0);
		ck_assert_ptr_null(e.at);
		arena_free(words);
	}
	/* decoded in steps: a statement a step, the same tree */
	{
		struct conf_tree *t3;
		unsigned steps;

		ck_assert_int_eq(decode_in_steps(buf, len, &t3, &steps), 0);
		ck_assert_uint_eq(steps, count_top(t2->first));
		ck_assert(node_eq(t2->first, t3->first));
		ck_assert_uint_eq(t3->nnodes, t2->nnodes);
		conf_tree_free(t3);
	}
	conf_tree_free(t2);
	free(buf);
}

/* ---- grammar ------------------------------------------------------------ */

START_TEST(test_blocks)
{
	expect_print("a 1 2\nb {\n c\n d { e }\n}\n",
	    "a 1 2\nb {\n    c\n    d {\n        e\n    }\n}\n", NULL);
	/* '{' on the next line, '}' after items, items on the '{' line */
	expect_print("vrrp_instance VI\n{\n state MASTER }\n"
	    "virtual_ipaddress { 10.0.0.1 10.0.0.2 }\nempty {\n}\n",
	    "vrrp_instance VI {\n    state MASTER\n}\nvirtual_ipaddress {\n"
	    "    10.0.0.1 10.0.0.2\n}\nempty {\n}\n", NULL);
	/* braces glued to words are tokens; several blocks on one line */
	expect_print("a{b}c{d}\n", "a {\n    b\n}\nc {\n    d\n}\n", NULL);
}
END_TEST

START_TEST(test_tree_shape)
{
	struct res r = load("x 1\n\nblk a {\n  k v\n}\ny\n");
	const struct conf_node *n;

	ck_assert_int_eq(r.rc, 0);
	n = r.t->first;
	ck_assert_str_eq(n->argv[0], "x");
	ck_assert_uint_eq(n->loc.line, 1);
	ck_assert_str_eq(n->loc.file, "test.conf");
	ck_assert(!n->block);
	n = n->next;
	ck_assert_uint_eq(n->argc, 2);
	ck_assert_str_eq(n->argv[1], "a");
	ck_assert_ptr_null(n->argv[2]);
	ck_assert(n->block);
	ck_assert_uint_eq(n->loc.line, 3);
	ck_assert_str_eq(n->child->argv[1], "v");
	ck_assert_uint_eq(n->child->loc.line, 4);
	ck_assert_str_eq(n->next->argv[0], "y");
	ck_assert_ptr_null(n->next->next);
	ck_assert_uint_eq(r.t->nnodes, 4);
	res_free(&r);
}
END_TEST

/* top_done: what it was handed (printed), and keeps statements not
 * starting with "drop" */
struct tops {
	FILE *fp;
	unsigned calls;
};

static int
top_seen(void *arg, const struct conf_node *n)
{
	struct tops *t = arg;
	struct conf_tree one = { .first = (struct conf_node *)n };

	t->calls++;
	ck_assert_ptr_null(n->next);
	conf_tree_print(&one, t->fp);
	return strncmp(n->argv[0], "drop", 4) != 0;
}

/* top_drop: drops the statements starting with "drop" before they are
 * handed to top_done */
static int
top_dropped(void *arg, const struct conf_node *n)
{
	(void)arg;
	return strncmp(n->argv[0], "drop", 4) == 0;
}

/* top_done that keeps everything: what is dropped is top_drop's doing */
static int
top_seen_all(void *arg, const struct conf_node *n)
{
	(void)top_seen(arg, n);
	return 1;
}

/* Load src with o (top_done: top_seen with t); what it was handed is in
 * *seen (to free). */
static void
load_tops(struct res *r, const struct conf_load_opts *o, struct tops *t,
    const char *src, char **seen)
{
	size_t len = 0;

	t->calls = 0;
	*seen = NULL;
	t->fp = open_memstream(seen, &len);
	res_begin(r);
	r->rc = conf_load_buffer("test.conf", src, strlen(src), o, &r->d,
	    &r->t);
	res_end(r);
	fclose(t->fp);
}

/* test_top_done's text loaded with o: its five statements handed over,
 * what the tree keeps, the line of one inside a kept block */
static void
load_dropping(struct res *r, const struct conf_load_opts *o, struct tops *t,
    const char *text, const char *handed, const char *kept_want)
{
	char *seen, *kept;

	load_tops(r, o, t, text, &seen);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(t->calls, 5);
	ck_assert_str_eq(seen, handed);
	kept = print_tree(r->t);
	ck_assert_str_eq(kept, kept_want);
	ck_assert_uint_eq(r->t->first->child->next->child->loc.line, 5);
	free(kept);
	free(seen);
}

/*
 * With top_done, each top-level statement is handed over whole once its
 * block is closed (a '{' on the next line still belongs to it), in file
 * order; the dropped ones leave the tree, the kept ones stay whole. After
 * an error nothing more is handed over.
 */
START_TEST(test_top_done)
{
	static const char text[] =
	    "keep1 a\n{\n  k 1\n  sub {\n    x y\n  }\n}\n"
	    "drop1 {\n  k 2\n  sub { z }\n}\n"
	    "keep2\ndrop2 b\n{\n}\nkeep3 {\n  last 1\n}\n";
	static const char bad[] = "a {\n}\nb {\n}\n}\nc 1\n";
	/* what top_done is handed, what the tree keeps */
	static const char handed[] = "keep1 a {\n    k 1\n    sub {\n        x y\n"
	    "    }\n}\ndrop1 {\n    k 2\n    sub {\n        z\n    }\n}\n"
	    "keep2\ndrop2 b {\n}\nkeep3 {\n    last 1\n}\n";
	static const char kept_want[] = "keep1 a {\n    k 1\n    sub {\n        x y\n"
	    "    }\n}\nkeep2\nkeep3 {\n    last 1\n}\n";
	struct conf_load_opts o = { .config_id = "main" };
	struct tops t = { 0 };
	char *seen = NULL, *kept;
	struct res r;

	o.top_done = top_seen;
	o.top_arg = &t;
	load_dropping(&r, &o, &t, text, handed, kept_want);
	res_free(&r);

	/* an error in the second statement: only the first is handed */
	load_tops(&r, &o, &t, bad, &seen);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_uint_eq(t.calls, 1);
	ck_assert_str_eq(seen, "a {\n}\n");
	free(seen);
	res_free(&r);

	/* top_drop: every statement handed whole all the same, the dropped
	 * ones (whatever top_done says) leave the tree; the kept ones share
	 * one copy of each word, as a plain load's */
	o.top_done = top_seen_all;
	o.top_drop = top_dropped;
	load_dropping(&r, &o, &t, text, handed, kept_want);
	/* "1" of "k 1" and of "last 1": one copy */
	ck_assert_ptr_eq(r.t->first->child->argv[1],
	    r.t->first->next->next->child->argv[1]);
	res_free(&r);
	o.top_done = top_seen;
	o.top_drop = NULL;

	/* top_keep: every statement handed, in order, and every one kept
	 * where it was built: the tree of a plain load, locations too */
	o.top_keep = 1;
	load_tops(&r, &o, &t, text, &seen);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(t.calls, 5);
	kept = print_tree(r.t);
	ck_assert_str_eq(kept, seen);
	{
		struct res plain = load(text);

		ck_assert_int_eq(plain.rc, 0);
		ck_assert(node_eq(plain.t->first, r.t->first));
		ck_assert_uint_eq(r.t->nnodes, plain.t->nnodes);
		ck_assert_uint_eq(r.t->first->next->next->loc.line, 12);
		ck_assert_uint_eq(r.t->first->next->next->next->loc.line, 13);
		res_free(&plain);
	}
	check_roundtrip(r.t);
	free(kept);
	free(seen);
	res_free(&r);

	/* and with an error, none after it */
	load_tops(&r, &o, &t, bad, &seen);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_null(r.t);
	ck_assert_uint_eq(t.calls, 1);
	free(seen);
	res_free(&r);
}
END_TEST

/* Every keyword naming a script is one (its line is read with escapes),
 * and no other word is. */
START_TEST(test_script_keywords)
{
	static const char *const yes[] = {
		"lvs_notify_fifo_script", "misc_path", "notify",
		"notify_backup", "notify_deleted", "notify_down",
		"notify_fault", "notify_fifo_script", "notify_master",
		"notify_master_rx_lower_pri", "notify_stop", "notify_up",
		"quorum_down", "quorum_up", "regex", "script",
		"shutdown_script", "startup_script", "vrrp_notify_fifo_script",
	};
	static const char *const no[] = {
		"real_server", "virtual_server", "notify_upx", "notif",
		"regexp", "scripts", "vrrp_script", "weight", "misc_dynamic",
		"", "n", "quorum", "lvs_sched", "startup",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(conf_script_kw(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(!conf_script_kw(no[i]), "%s", no[i]);
}
END_TEST

/*
 * Words are split as keepalived 2.2.7 splits them (checked against it):
 * a '"' at the start of a word quotes up to the next '"' and ends the word
 * there; a '"' inside an unquoted word ends it; single quotes and
 * backslashes are ordinary characters; an unquoted '#' or '!' ends the
 * line.
 */
START_TEST(test_quotes_escapes)
{
	struct res r = load("s \"a b\" 'c  d' ab\"c d\"ef \"x'y\" \"\" "
	    "\"30\"0 \\x33 a\\\\b\n"
	    "t \"{ not a block }\" \"# not # comment\" \"!\" it's\n"
	    "u \"a\tb\" \"\"\"\" a'b'c\n");
	const struct conf_node *n;

	ck_assert_msg(r.rc == 0, "%s", r.diag);
	n = r.t->first;
	ck_assert_uint_eq(n->argc, 13);
	ck_assert_str_eq(n->argv[1], "a b");
	ck_assert_str_eq(n->argv[2], "'c");
	ck_assert_str_eq(n->argv[3], "d'");
	ck_assert_str_eq(n->argv[4], "ab");
	ck_assert_str_eq(n->argv[5], "c d");
	ck_assert_str_eq(n->argv[6], "ef");
	ck_assert_str_eq(n->argv[7], "x'y");
	ck_assert_str_eq(n->argv[8], "");
	ck_assert_str_eq(n->argv[9], "30");
	ck_assert_str_eq(n->argv[10], "0");
	ck_assert_str_eq(n->argv[11], "\\x33");
	ck_assert_str_eq(n->argv[12], "a\\\\b");
	n = n->next;
	ck_assert_uint_eq(n->argc, 5);
	ck_assert_str_eq(n->argv[1], "{ not a block }");
	ck_assert_str_eq(n->argv[2], "# not # comment");
	ck_assert_str_eq(n->argv[3], "!");
	ck_assert_str_eq(n->argv[4], "it's");
	ck_assert(!n->block);
	n = n->next;
	ck_assert_uint_eq(n->argc, 5);
	ck_assert_str_eq(n->argv[1], "a\tb");
	ck_assert_str_eq(n->argv[2], "");
	ck_assert_str_eq(n->argv[3], "");
	ck_assert_str_eq(n->argv[4], "a'b'c");
	check_roundtrip(r.t);
	res_free(&r);
}
END_TEST

/*
 * The line of a script keyword (first word of a statement) is read again
 * with quotes and escapes, as keepalived does; other lines are not.
 */
START_TEST(test_script_lines)
{
	struct res r = load("notify_fault \"/bin/echo \\\"q\\\" x\\ y\" u\n"
	    "notify_stop /bin/echo\\ z 'a b'c\n"
	    "s { script \"a\\tb\" \\x41 }\n"
	    "x notify a\\x41 'b c'\n");
	const struct conf_node *n;

	ck_assert_msg(r.rc == 0, "%s", r.diag);
	n = r.t->first;
	ck_assert_uint_eq(n->argc, 3);
	ck_assert_str_eq(n->argv[1], "/bin/echo \"q\" x y");
	ck_assert_str_eq(n->argv[2], "u");
	n = n->next;
	ck_assert_uint_eq(n->argc, 3);
	ck_assert_str_eq(n->argv[1], "/bin/echo z");
	ck_assert_str_eq(n->argv[2], "a bc");
	n = n->next;
	ck_assert_str_eq(n->child->argv[1], "a\tb");
	ck_assert_str_eq(n->child->argv[2], "A");
	n = n->next;
	ck_assert_uint_eq(n->argc, 5);
	ck_assert_str_eq(n->argv[2], "a\\x41");
	ck_assert_str_eq(n->argv[3], "'b");
	check_roundtrip(r.t);
	res_free(&r);
	expect_error("notify \"a\\000b\"\n", "test.conf:1: error: a NUL "
	    "character");
	expect_error("script 'abc\n", "unterminated quoted string (missing ')");
	expect_error("script a\\\n", "test.conf:1: error: '\\' at end of line");
}
END_TEST

START_TEST(test_comments)
{
	/* "\#" is a '#' after comment removal, and so ends the line */
	expect_print("# whole line\n! bang line\na b # trailing\nc d! e\n"
	    "f \\# \\!g\nf2 x\\#y z\n   ! indented\nh {   # open\n  i ! x\n}\n",
	    "a b\nc d\nf\nf2 x\nh {\n    i\n}\n", NULL);
}
END_TEST

START_TEST(test_conditionals)
{
	const char *text = "@main a 1\n@backup a 2\n@^main b 1\n@^backup b 2\n"
	    "@main\n@other c\nd {\n\t@main\te\n}\n";

	expect_print(text, "a 1\nb 2\nd {\n    e\n}\n", "main");
	expect_print(text, "a 2\nb 1\nd {\n}\n", "backup");
	expect_print(text, "b 1\nb 2\nd {\n}\n", "nothing");
}
END_TEST

START_TEST(test_definitions)
{
	expect_print("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
	    "$ADDRESS_BASE_SUB=0\n${ADDRESS_BASE}.100/32\n"
	    "$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n",
	    "10.2.0.100/32\n10.2.10.100/32\n", NULL);
	/* $X followed by blank, ',' or ')'; glued $X is not a reference */
	expect_print("$X=1\n$EMPTY=\na $X $X,b ($X) $Xy ${X}y [$EMPTY]\n",
	    "a 1 1,b (1) \"$Xy\" 1y \"[$EMPTY]\"\n", NULL);
	expect_print("$E=\na ${E}b\n", "a b\n", NULL);
	/* undefined names stay as they are; unquoted, the braces of
	 * ${UNDEF} are braces (as keepalived reads them) */
	expect_print("s \"run ${UNDEF} $NOPE\" \"${UNDEF}\"\n",
	    "s \"run ${UNDEF} $NOPE\" \"${UNDEF}\"\n", NULL);
	expect_print("s a${UNDEF}b\n", "s \"a$\" {\n    UNDEF\n}\nb\n", NULL);
	/* conditional definitions and a definition producing @id */
	expect_print("@main $P=240\n@backup $P=200\npriority $P\n"
	    "$IF_MAIN=@main\n$IF_MAIN prio 1\n", "priority 240\nprio 1\n",
	    "main");
	expect_print("@main $P=240\n@backup $P=200\npriority $P\n"
	    "$IF_MAIN=@main\n$IF_MAIN prio 1\n", "priority 200\n", "backup");
	/* "$NAME =" is not a definition */
	expect_print("$A =1\n", "\"$A\" =1\n", NULL);
}
END_TEST

START_TEST(test_multiline)
{
	expect_print("$INSTANCE= \\\nvrrp_instance VI_${NUM} { \\\n"
	    "    interface eth0.${NUM} \\\n    @main priority 130 \\\n"
	    "    @backup priority 120 \\\n  # comment line \\\n"
	    "    virtual_ipaddress { \\\n      10.0.${NUM}.254/24 \\\n"
	    "    } \\\n}\n$NUM=0\n$INSTANCE\n$NUM=1\n$INSTANCE\n",
	    "vrrp_instance VI_0 {\n    interface eth0.0\n    priority 130\n"
	    "    virtual_ipaddress {\n        10.0.0.254/24\n    }\n}\n"
	    "vrrp_instance VI_1 {\n    interface eth0.1\n    priority 130\n"
	    "    virtual_ipaddress {\n        10.0.1.254/24\n    }\n}\n",
	    "main");
	/* nested multi-line definitions, redefinitions inside them */
	expect_print("$RS= \\\nreal_server 10.${VS}.${RN} 80 { \\\n"
	    "  weight 1 \\\n}\n$VS_T= \\\nvirtual_server 10.${VS} { \\\n"
	    "  $RN=1 \\\n  $RS \\\n  $RN=2 \\\n  $RS \\\n}\n$VS=7\n$VS_T\n",
	    "virtual_server 10.7 {\n    real_server 10.7.1 80 {\n"
	    "        weight 1\n    }\n    real_server 10.7.2 80 {\n"
	    "        weight 1\n    }\n}\n", NULL);
	/* a multi-line definition is only replaced at the end of a line */
	expect_print("$M= \\\na \\\nb\n$M x\nz $M\n",
	    "\"$M\" x\nz a\nb\n", NULL);
	/* a dropped conditional definition line starts no definition: the
	 * next line is an ordinary line, as keepalived reads it */
	expect_print("@other $M= \\\n  a\nc\n", "a\nc\n", "main");
	/* an empty line (blank, blanks only, or only a comment) ends a
	 * multi-line definition; a comment line ending in '\\' continues it */
	expect_print("$M=a \\\n\nb\n$M\n", "b\na\n", NULL);
	expect_print("$M=a \\\n   \nb\n$M\n", "b\na\n", NULL);
	expect_print("$M=a \\\n# c\nb\n$M\n", "b\na\n", NULL);
	expect_print("$M=a \\\n# c \\\nb\n$M\n", "a\nb\n", NULL);
	expect_print("$M=\\\n\nb\n$M x\n", "b\nx\n", NULL);
}
END_TEST

START_TEST(test_predefined)
{
	struct res r;
	char *path, dir[PATH_MAX];
	long v;

	/* an unquoted '#' or '!' from ${_HASH} or ${_BANG} ends the line */
	path = write_file("pwd.conf", "p ${_PWD}\ni ${_INSTANCE}\n"
	    "h \"x${_HASH}y\" \"${_BANG}\" x${_HASH}y z\n"
	    "g a ${_BANG} b\n");
	r = load_path(path);
	ck_assert_msg(r.rc == 0, "%s", r.diag);
	ck_assert_ptr_nonnull(realpath(tmpdir, dir));
	ck_assert_str_eq(r.t->first->argv[1], dir);
	ck_assert_str_eq(r.t->first->next->argv[1], "main");
	ck_assert_str_eq(r.t->first->next->next->argv[1], "x#y");
	ck_assert_str_eq(r.t->first->next->next->argv[2], "!");
	ck_assert_str_eq(r.t->first->next->next->argv[3], "x");
	ck_assert_uint_eq(r.t->first->next->next->argc, 4);
	ck_assert_uint_eq(r.t->first->next->next->next->argc, 2);
	res_free(&r);

	r = load("~SEQ(I,1,50) r ${_RANDOM} ${_RANDOM 10 20} ${_RANDOM 7}\n");
	ck_assert_int_eq(r.rc, 0);
	for (const struct conf_node *n = r.t->first; n; n = n->next) {
		v = strtol(n->argv[1], NULL, 10);
		ck_assert(v >= 0 && v <= 32767);
		v = strtol(n->argv[2], NULL, 10);
		ck_assert(v >= 10 && v <= 20);
		v = strtol(n->argv[3], NULL, 10);
		ck_assert(v >= 7 && v <= 32767);
	}
	res_free(&r);
	/* same seed, same values */
	{
		struct res a = load("r ${_RANDOM} ${_RANDOM}\n");
		struct res b = load("r ${_RANDOM} ${_RANDOM}\n");

		ck_assert(node_eq(a.t->first, b.t->first));
		res_free(&a);
		res_free(&b);
	}
	/* a predefined name can be overridden */
	expect_print("$_HASH=hash\nh ${_HASH}\n", "h hash\n", NULL);
}
END_TEST

START_TEST(test_seq)
{
	expect_print("~SEQ(S, 0, 3) ip 10.0.${S}.1\n",
	    "ip 10.0.0.1\nip 10.0.1.1\nip 10.0.2.1\nip 10.0.3.1\n", NULL);
	expect_print("~SEQ(S,3) a$S\n~SEQ(S,-2) b$S\n~SEQ(S, 5, 3) c$S\n",
	    "a1\na2\na3\nb-1\nb-2\nc5\nc4\nc3\n", NULL);
	expect_print("~SEQ(S,4,-2,0) $S\n", "4\n2\n0\n", NULL);
	expect_print("~SEQx(S, 144, 16, 192) fe80::${S}:1\n",
	    "fe80::90:1\nfe80::a0:1\nfe80::b0:1\nfe80::c0:1\n", NULL);
	expect_print("~SEQx(A, 0x90, 0x10, 0xa0) ~SEQx(B, 0x12, -1, 0x11) "
	    "x:${A}:${B}\n", "x:90:12\nx:90:11\nx:a0:12\nx:a0:11\n", NULL);
	/* parameters may be definitions; the body may produce blocks */
	expect_print("$N=2\n~SEQ(I, $N) b$I { x }\n",
	    "b1 {\n    x\n}\nb2 {\n    x\n}\n", NULL);
	/* with a multi-line definition */
	expect_print("$B= \\\nblk ${I} { \\\n  v ${I} \\\n}\n~SEQ(I,1,2) $B\n",
	    "blk 1 {\n    v 1\n}\nblk 2 {\n    v 2\n}\n", NULL);
}
END_TEST

START_TEST(test_lst)
{
	expect_print("~LST(V, a, b , c) x $V\n", "x a\nx b\nx c\n", NULL);
	expect_print("~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}\n",
	    "192.168.10.1\n192.168.20.4\n", NULL);
	expect_print("~LST(A, 1, 2) ~LST(B, 5,6) ${A}.${B}\n",
	    "1.5\n1.6\n2.5\n2.6\n", NULL);
	expect_print("~LST({A, B}, {10,1},{5,6}) ~SEQ(C,1,2) ${C}.${A}.${B}\n",
	    "1.10.1\n2.10.1\n1.5.6\n2.5.6\n", NULL);
}
END_TEST

/* ---- includes ------------------------------------------------------------ */

START_TEST(test_include)
{
	struct res r;
	char *path, sub[PATH_MAX + 8];
	char *s;

	snprintf(sub, sizeof(sub), "%s/sub", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	write_file("sub/a.conf", "a 1\ninclude b.conf\n");
	write_file("sub/b.conf", "b 2\n");
	write_file("sub/c1.inc", "c 1\n");
	write_file("sub/c2.inc", "c 2\n");
	write_file("sub/d.conf", "d 1\n");
	path = write_file("main.conf", "top {\ninclude sub/a.conf\n}\n"
	    "includea sub/*.inc\ninclude sub/{d,nothing}.conf\n"
	    "$INC=include\n$INC x\n@main include sub/d.conf\nlast\n");
	r = load_path(path);
	ck_assert_msg(r.rc == 0, "%s", r.diag);
	s = print_tree(r.t);
	/* include lines are seen after substitution and conditionals */
	ck_assert_str_eq(s, "top {\n    a 1\n    b 2\n}\nc 1\nc 2\nd 1\n"
	    "d 1\nlast\n");
	free(s);
	ck_assert_str_eq(r.t->first->child->next->loc.file + strlen(
	    r.t->first->child->next->loc.file) - 10, "sub/b.conf");
	ck_assert_uint_eq(r.t->first->child->next->loc.line, 1);
	/* includeb of a missing alternative is an error; include warns */
	ck_assert_uint_eq(r.d.nwarn, 2);
	ck_assert_ptr_nonnull(strstr(r.diag, "main.conf:7: warning: include: "
	    "no file matches 'x'"));
	ck_assert_ptr_nonnull(strstr(r.diag, "main.conf:5: warning: include: "
	    "no file matches brace alternative"));
	res_free(&r);

	path = write_file("m2.conf", "includeb sub/{d,nothing}.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "m2.conf:1: error: includeb: "
	    "no file matches brace alternative"));
	res_free(&r);
}
END_TEST

/* Where keepalived 2.2.7 itself was the oracle (tests/integration/grammar.sh) */
START_TEST(test_keepalived_reading)
{
	struct res r;
	char *path;

	/* only one @id prefix is taken off */
	expect_print("@main @main a 1\n@main @other b 2\n",
	    "\"@main\" a 1\n\"@other\" b 2\n", "main");
	/* a @id taken off by substitution is checked again */
	expect_print("$C=@other\n$C a\n$D=@main\n$D b\n", "b\n", "main");
	/* single quotes do not hide a comment; double quotes do */
	expect_print("a \"x#y\" # c\n", "a \"x#y\"\n", NULL);
	expect_print("b 'x#y'\n", "b \"'x\"\n", NULL);
	/* CRLF line endings: a definition still continues */
	expect_print("$M=a \\\r\nb\r\n$M\r\n", "a\nb\n", NULL);

	/* include lines after ~SEQ, @id, $NAME and multi-line definitions */
	write_file("k1.inc", "k 1\n");
	write_file("k2.inc", "k 2\n");
	path = write_file("k.conf", "~SEQ(i, 2) include k${i}.inc\n"
	    "@main include k1.inc\n@other include k2.inc\n"
	    "$F=k2.inc\ninclude $F\n$I=include k1.inc \\\nlast\n$I\n");
	r = load_path(path);
	ck_assert_msg(r.rc == 0, "%s", r.diag);
	ck_assert_str_eq(r.t->first->argv[1], "1");
	ck_assert_str_eq(r.t->first->next->argv[1], "2");
	ck_assert_str_eq(r.t->first->next->next->argv[1], "1");
	ck_assert_str_eq(r.t->first->next->next->next->argv[1], "2");
	ck_assert_str_eq(r.t->first->next->next->next->next->argv[1], "1");
	ck_assert_str_eq(r.t->first->next->next->next->next->next->argv[0],
	    "last");
	ck_assert_uint_eq(r.d.nwarn, 0);
	res_free(&r);
	/* an include made by substitution is checked like any other */
	path = write_file("k3.conf", "$F=nothing.inc\nincludea $F\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "k3.conf:2: error: includea: no "
	    "file matches 'nothing.inc'"));
	res_free(&r);
}
END_TEST

START_TEST(test_include_missing)
{
	struct res r;
	char *path;

	path = write_file("m.conf", "a\ninclude missing.conf\n"
	    "includer missing*.conf\nb\n");
	r = load_path(path);
	ck_assert_msg(r.rc == 0, "%s", r.diag);
	ck_assert_uint_eq(r.d.nwarn, 2);
	ck_assert_ptr_nonnull(strstr(r.diag, "m.conf:2: warning: include: no "
	    "file matches 'missing.conf'"));
	ck_assert_ptr_nonnull(strstr(r.diag, "m.conf:3: warning"));
	res_free(&r);

	path = write_file("m.conf", "a\nincludea missing.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "m.conf:2: error: includea: no "
	    "file matches 'missing.conf'"));
	res_free(&r);

	path = write_file("m.conf", "includem missing.conf\n"
	    "includew miss*.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_uint_eq(r.d.nerr, 2);
	res_free(&r);

	/* include_check makes plain include strict */
	path = write_file("m.conf", "global_defs {\n include_check\n}\n"
	    "include missing.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "m.conf:4: error"));
	res_free(&r);

	/* the top-level file itself */
	r = load_path("/nonexistent/vigil.conf");
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "cannot open '/nonexistent/"
	    "vigil.conf'"));
	res_free(&r);
}
END_TEST

START_TEST(test_include_loop)
{
	struct res r;
	char *path;

	write_file("b.conf", "b\ninclude c.conf\n");
	write_file("c.conf", "c\n\ninclude a.conf\n");
	path = write_file("a.conf", "a\ninclude b.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_msg(strstr(r.diag, "c.conf:3: error: include loop") != NULL,
	    "%s", r.diag);
	res_free(&r);

	path = write_file("self.conf", "x\ninclude self.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "self.conf:2: error: include "
	    "loop"));
	res_free(&r);

	/* the same file twice, not nested, is fine */
	write_file("leaf.conf", "leaf\n");
	path = write_file("twice.conf", "include leaf.conf\ninclude leaf.conf\n");
	r = load_path(path);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.t->nnodes, 2);
	res_free(&r);
}
END_TEST

START_TEST(test_include_depth)
{
	struct conf_load_opts o = { 0 };
	struct res r;
	char name[32], text[PATH_MAX + 16];
	int i;

	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(text, sizeof(text), "l%d\ninclude d%d.conf\n", i, i + 1);
		write_file(name, text);
	}
	write_file("d6.conf", "end\n");
	o.config_id = "x";
	o.limits.include_depth = 4;
	res_begin(&r);
	snprintf(text, sizeof(text), "%s/d0.conf", tmpdir);
	r.rc = conf_load_file(text, &o, &r.d, &r.t);
	res_end(&r);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_msg(strstr(r.diag, "d3.conf:2: error: includes nested deeper "
	    "than 4") != NULL, "%s", r.diag);
	res_free(&r);

	/* no_include */
	o.no_include = 1;
	o.limits.include_depth = 0;
	res_begin(&r);
	r.rc = conf_load_buffer("fz", "include /etc/passwd\n", 20, &o, &r.d,
	    &r.t);
	res_end(&r);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "fz:1: error: include: includes "
	    "are not allowed"));
	res_free(&r);
}
END_TEST

/* ---- bad input ------------------------------------------------------------- */

START_TEST(test_bad_blocks)
{
	expect_error("a {\n  b\n\nc {\n", "test.conf:4: error: block 'c' is "
	    "not closed");
	expect_error("a {\n  b\n\nc {\n", "test.conf:1: error: block 'a' is "
	    "not closed");
	expect_error("a\n}\n", "test.conf:2: error: unexpected '}'");
	expect_error("a { }\n}\n", "test.conf:2: error: unexpected '}'");
	expect_error("{\n}\n", "test.conf:1: error: '{' without a statement");
	expect_error("a { b }\n{ c }\n", "test.conf:2: error: '{' without");
	expect_error("s \"abc\n", "test.conf:1: error: unterminated quoted "
	    "string");
	/* the words before an open '"' stay, the rest of the line goes */
	expect_error("s a \"abc\n", "test.conf:1: error: unterminated quoted "
	    "string (missing \")");
	expect_error("x\ns a\\\n", "test.conf:2: error: '\\' at end of line");
}
END_TEST

START_TEST(test_deep_nesting)
{
	struct conf_limits lim = { 0 };
	char *text = malloc(200 * 4 + 1), *p = text;
	struct res r;
	int i;

	for (i = 0; i < 200; i++)
		p += sprintf(p, "b {\n");
	r = load(text);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:65: error: blocks "
	    "nested deeper than 64 levels"));
	res_free(&r);
	lim.nesting = 3;
	r = load_lim("a {\nb {\nc {\n} } }\n", NULL, &lim);
	ck_assert_int_eq(r.rc, 0);
	res_free(&r);
	r = load_lim("a {\nb {\nc { d { } } } }\n", NULL, &lim);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:3: error: blocks nested"));
	res_free(&r);
	free(text);
}
END_TEST

START_TEST(test_long_lines)
{
	struct conf_limits lim = { 0 };
	char *text = malloc(70000 + 16);
	struct res r;

	memcpy(text, "a\nb ", 4);
	memset(text + 4, 'x', 70000);
	strcpy(text + 70004, "\nc\n");
	r = load(text);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:2: error: line too long "
	    "(70002 bytes, limit 65536)"));
	res_free(&r);
	free(text);
	/* expansion past the limit */
	lim.line_len = 64;
	r = load_lim("$A=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n$B=$A $A $A\nv $B\n",
	    NULL, &lim);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:3: error: line too long "
	    "after substitution"));
	res_free(&r);
}
END_TEST

START_TEST(test_binary)
{
	static const char bin[] = "ok 1\nbad \x01\x02\xff\n";
	static const char nul[] = "a\nb\0c\n";
	struct res r;

	r = load(bin);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:2: error: binary data "
	    "(byte 0x01"));
	res_free(&r);
	{
		struct conf_load_opts o = { .config_id = "x" };

		res_begin(&r);
		r.rc = conf_load_buffer("n.conf", nul, sizeof(nul) - 1, &o,
		    &r.d, &r.t);
		res_end(&r);
	}
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "n.conf:2: error: binary data "
	    "(byte 0x00"));
	res_free(&r);
	/* a file with binary content */
	{
		FILE *fp;
		char p[PATH_MAX + 16];
		unsigned i;

		snprintf(p, sizeof(p), "%s/bin.conf", tmpdir);
		fp = fopen(p, "w");
		for (i = 0; i < 4096; i++)
			fputc((int)((i * 2654435761u) >> 13) & 0xff, fp);
		fclose(fp);
		r = load_path(p);
		ck_assert_int_eq(r.rc, -1);
		ck_assert_ptr_nonnull(strstr(r.diag, "bin.conf:"));
		ck_assert_ptr_nonnull(strstr(r.diag, "binary data"));
		res_free(&r);
	}
}
END_TEST

START_TEST(test_self_reference)
{
	expect_error("$A=$A x\nv $A\n", "test.conf:2: error: $A: "
	    "substitution nested deeper than 32 levels");
	expect_error("$A=${B}\n$B=${A}\nv $A\n", "test.conf:3: error:");
	/* exponential growth with empty values is bounded too */
	expect_error("$A0=\n$A1=${A0}${A0}\n$A2=${A1}${A1}\n$A3=${A2}${A2}\n"
	    "$A4=${A3}${A3}\n$A5=${A4}${A4}\n$A6=${A5}${A5}\n$A7=${A6}${A6}\n"
	    "$A8=${A7}${A7}\n$A9=${A8}${A8}\n$B0=${A9}${A9}\n$B1=${B0}${B0}\n"
	    "$B2=${B1}${B1}\n$B3=${B2}${B2}\n$B4=${B3}${B3}\n$B5=${B4}${B4}\n"
	    "$B6=${B5}${B5}\n$B7=${B6}${B6}\n$B8=${B7}${B7}\n$B9=${B8}${B8}\n"
	    "$C0=${B9}${B9}\nv ${C0}\n", "test.conf:22: error: too many "
	    "substitutions");
	/* a multi-line definition that uses itself */
	expect_error("$M= \\\na \\\n$M\n$M\n", "substitution");
}
END_TEST

START_TEST(test_bad_seq)
{
	struct conf_limits lim = { 0 };
	struct res r;

	expect_error("~SEQ(I, 0, 100000000) a $I\n", "test.conf:1: error: "
	    "~SEQ would produce too many lines");
	expect_error("~SEQ(I, -9223372036854775807, 9223372036854775807) a\n",
	    "~SEQ would produce too many lines");
	expect_error("~SEQ(I, 1000) ~SEQ(J, 1000) ~SEQ(K, 1000) a\n",
	    "test.conf:1: error: ~SEQ would produce too many lines");
	expect_error("x\n~SEQ(I, 1, 0, 5) a\n", "test.conf:2: error: ~SEQ: "
	    "step 0");
	expect_error("~SEQ(I, 5, 1, 1) a\n", "step 1 cannot go from 5 to 1");
	expect_error("~SEQ I, 5) a\n", "test.conf:1: error: bad ~SEQ");
	expect_error("~SEQ(I 5) a\n", "bad ~SEQ");
	expect_error("~SEQ(I, x) a\n", "bad ~SEQ");
	expect_error("~SEQ(I, 1, 2, 3, 4) a\n", "bad ~SEQ");
	expect_error("~SEQ(I, 5 a\n", "bad ~SEQ");
	expect_error("~SEQ(9I, 5) a\n", "bad ~SEQ");
	expect_error("~SEQ(I, 99999999999999999999) a\n", "bad ~SEQ");
	expect_error("~SEQx(I, -5, 5) a\n", "~SEQx is only valid for positive");
	expect_error("~LST(I) a\n", "test.conf:1: error: bad ~LST");
	expect_error("~LST({A,B}, {1}) a\n", "bad ~LST");
	expect_error("~LST({A,B}, {1,2} x) a\n", "bad ~LST");
	/* total lines */
	lim.total_lines = 100;
	r = load_lim("~SEQ(I, 1000) a\n", NULL, &lim);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:1: error: more than "
	    "100 lines"));
	res_free(&r);
	lim.total_lines = 0;
	lim.seq_lines = 10;
	r = load_lim("~SEQ(I, 5) a\n~SEQ(I, 5) b\n~SEQ(I, 5) c\n", NULL, &lim);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_ptr_nonnull(strstr(r.diag, "test.conf:3: error: ~SEQ would"));
	res_free(&r);
}
END_TEST

START_TEST(test_too_many_errors)
{
	struct res r = load("~SEQ(I, 10000) }\n");

	ck_assert_int_eq(r.rc, -1);
	ck_assert_uint_le(r.d.nerr, 60);
	ck_assert_ptr_nonnull(strstr(r.diag, "too many errors"));
	res_free(&r);
}
END_TEST

START_TEST(test_diag_print)
{
	struct conf_loc loc = { "f.conf", 3 };
	struct conf_diag d = { 0 };
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	conf_diag_print(fp, CONF_ERR, &loc, "bad thing");
	conf_diag_print(fp, CONF_WARN, &loc, "odd thing");
	conf_diag_print(fp, CONF_ERR, NULL, "no place");
	d.emit = conf_diag_print;
	d.arg = fp;
	conf_diag_report(&d, CONF_WARN, &loc, "%s %d", "x", 7);
	conf_diag_report(&d, CONF_ERR, NULL, "%0600d", 1);
	fclose(fp);
	ck_assert_uint_eq(d.nerr, 1);
	ck_assert_uint_eq(d.nwarn, 1);
	ck_assert(strncmp(s, "f.conf:3: error: bad thing\nf.conf:3: warning: "
	    "odd thing\nerror: no place\nf.conf:3: warning: x 7\nerror: 000",
	    strlen("f.conf:3: error: bad thing\nf.conf:3: warning: odd thing\n"
	    "error: no place\nf.conf:3: warning: x 7\nerror: 000")) == 0);
	ck_assert_uint_eq(n, 95 + 608);
	free(s);
}
END_TEST

/* ---- samples, round trips, encoding --------------------------------------- */

START_TEST(test_samples)
{
	DIR *dir = opendir(SAMPLES);
	struct dirent *e;
	int count = 0;

	ck_assert_msg(dir != NULL, "%s: samples missing", SAMPLES);
	while ((e = readdir(dir)) != NULL) {
		char path[PATH_MAX];
		struct res r;

		if (strncmp(e->d_name, "keepalived.conf.", 16) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", SAMPLES, e->d_name);
		r = load_path(path);
		ck_assert_msg(r.rc == 0 && r.d.nerr == 0 && r.d.nwarn == 0,
		    "%s: %s", path, r.diag);
		ck_assert_uint_gt(r.t->nnodes, 0);
		check_roundtrip(r.t);
		res_free(&r);
		count++;
	}
	closedir(dir);
	ck_assert_int_gt(count, 10);
}
END_TEST

START_TEST(test_roundtrip_odd)
{
	struct res r = load("\"@kw\" \"~x\" \"include\" \"$A\" \"a\\b c\" a\\b\n"
	    "includex a\n\"a b\" { \"{\" \"}\" \"#\" \"!\" \"\\\\\" \"'\" \"\" }\n"
	    "\"\377\tx\" x=y a,b (c) <d> e|f it's\n\"include_check\" x\n");

	ck_assert_msg(r.rc == 0, "%s", r.diag);
	check_roundtrip(r.t);
	ck_assert_str_eq(r.t->first->argv[4], "a\\b c");
	ck_assert_str_eq(r.t->first->argv[5], "a\\b");
	res_free(&r);
}
END_TEST

START_TEST(test_nodes_equal)
{
	static const char *const differ[] = {
		"a 1\n", "a 2\n", "a 1 2\n", "b 1\n", "a 1 {\n}\n",
		"a 1 {\n x\n}\n", "a 1 {\n y\n}\n", "a 1\nb\n",
	};
	struct res r[sizeof(differ) / sizeof(differ[0])];
	struct res x = load("# same words, other lines\n\n\na    1\n");
	struct arena *ar = arena_new();
	struct conf_node *deep1 = NULL, *deep2 = NULL;
	static char *words[] = { "k", NULL };
	size_t i, j;

	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
		r[i] = load(differ[i]);
	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
		for (j = 0; j < sizeof(differ) / sizeof(differ[0]); j++)
			ck_assert_int_eq(conf_nodes_equal(r[i].t->first,
			    r[j].t->first), i == j);
	/* locations do not matter */
	ck_assert_int_eq(conf_nodes_equal(r[0].t->first, x.t->first), 1);
	/* a chain nested 200000 deep compares without recursion */
	for (i = 0; i < 200000; i++) {
		struct conf_node *n1 = arena_alloc(ar, sizeof(*n1));
		struct conf_node *n2 = arena_alloc(ar, sizeof(*n2));

		n1->argc = n2->argc = 1;
		n1->argv = n2->argv = words;
		n1->block = n2->block = 1;
		n1->child = deep1;
		n2->child = deep2;
		deep1 = n1;
		deep2 = n2;
	}
	ck_assert_int_eq(conf_nodes_equal(deep1, deep2), 1);
	deep2->child->child->block = 0;
	ck_assert_int_eq(conf_nodes_equal(deep1, deep2), 0);
	arena_free(ar);
	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
		res_free(&r[i]);
	res_free(&x);
}
END_TEST

START_TEST(test_empty)
{
	/* an empty file (or only comments) is a valid, empty configuration;
	 * it prints, encodes and decodes to an empty tree */
	const char *inputs[] = { "", "\n\n", "# nothing\n! here\n" };

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct res r = load(inputs[i]);

		ck_assert_msg(r.rc == 0, "%s", r.diag);
		ck_assert_ptr_null(r.t->first);
		check_roundtrip(r.t);
		res_free(&r);
	}
}
END_TEST

/* The encoder numbers words by address: a tree whose equal words are
 * separate copies (put together by hand, not loaded) still decodes to
 * the same words, and a loaded tree's shared words stay one copy. */
START_TEST(test_encode_by_address)
{
	char w1[] = "weight", w2[] = "weight", one[] = "1", file[] = "f.conf";
	char *argv1[] = { w1, one, NULL }, *argv2[] = { w2, one, NULL };
	struct conf_node b = { .loc = { file, 3 }, .argc = 2, .argv = argv2 };
	struct conf_node a = { .loc = { file, 2 }, .argc = 2, .argv = argv1,
	    .next = &b };
	struct conf_tree t = { .first = &a, .nnodes = 2 }, *t2 = NULL;
	struct res r = load("a weight 1\nb { weight 1 }\n");
	void *buf;
	size_t len;

	ck_assert_int_eq(conf_tree_encode(&t, &buf, &len), 0);
	ck_assert_int_eq(conf_tree_decode(buf, len, &t2), 0);
	ck_assert(node_eq(t.first, t2->first));
	ck_assert_str_eq(t2->first->next->argv[0], "weight");
	ck_assert_uint_eq(t2->first->next->loc.line, 3);
	ck_assert_str_eq(t2->first->next->loc.file, "f.conf");
	conf_tree_free(t2);
	free(buf);

	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(conf_tree_encode(r.t, &buf, &len), 0);
	ck_assert_int_eq(conf_tree_decode(buf, len, &t2), 0);
	ck_assert(node_eq(r.t->first, t2->first));
	ck_assert_ptr_eq(t2->first->argv[1], t2->first->next->child->argv[0]);
	ck_assert_ptr_eq(t2->first->argv[2], t2->first->next->child->argv[1]);
	conf_tree_free(t2);
	free(buf);
	res_free(&r);
}
END_TEST

START_TEST(test_decode_garbage)
{
	struct res r = load("a 1 2\nb \"x y\" {\n c {\n  d\n }\n e\n}\nf\n");
	struct conf_tree *t;
	unsigned char *buf, *copy;
	size_t len, i, bit;

	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(conf_tree_encode(r.t, (void **)&buf, &len), 0);
	copy = malloc(len);
	/* every truncation fails, also a statement at a time (after
	 * handing over what came before it, never more than there is) */
	for (i = 0; i < len; i++) {
		struct each_seen e = { .at = r.t->first };
		struct arena *words = arena_new();

		memcpy(copy, buf, i);
		ck_assert_int_eq(conf_tree_decode(copy, i, &t), -1);
		ck_assert_ptr_null(t);
		ck_assert_int_eq(conf_tree_decode_each(copy, i, words,
		    each_seen, &e), -1);
		ck_assert_uint_lt(e.calls, 3);
		arena_free(words);
		/* in steps too, after at most the statements before */
		{
			unsigned steps;

			ck_assert_int_eq(decode_in_steps(copy, i, &t, &steps),
			    -1);
			ck_assert_uint_lt(steps, 3);
		}
	}
	/* trailing garbage fails */
	{
		unsigned char *big = malloc(len + 1);

		memcpy(big, buf, len);
		big[len] = 0;
		ck_assert_int_eq(conf_tree_decode(big, len + 1, &t), -1);
		free(big);
	}
	/* every single bit flip: fails or gives a sane tree, never crashes */
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(copy, buf, len);
			struct conf_tree *t3;
			unsigned steps;
			int rc;

			copy[i] ^= (unsigned char)(1u << bit);
			rc = conf_tree_decode(copy, len, &t);
			/* in steps: the same verdict, the same tree */
			ck_assert_int_eq(decode_in_steps(copy, len, &t3,
			    &steps), rc);
			if (rc == 0) {
				char *s = print_tree(t);

				ck_assert(node_eq(t->first, t3->first));
				free(s);
				conf_tree_free(t);
				conf_tree_free(t3);
			}
		}
	}
	/* a flipped magic or version fails */
	memcpy(copy, buf, len);
	copy[0] ^= 1;
	ck_assert_int_eq(conf_tree_decode(copy, len, &t), -1);
	memcpy(copy, buf, len);
	copy[4] ^= 2;
	ck_assert_int_eq(conf_tree_decode(copy, len, &t), -1);
	ck_assert_int_eq(conf_tree_decode(NULL, 0, &t), -1);
	free(copy);
	free(buf);
	res_free(&r);
}
END_TEST

START_TEST(test_big_config)
{
	size_t cap = 16u << 20, n = 0;
	char *text = malloc(cap);
	struct res r;
	int i;

	for (i = 0; i < 10000; i++)
		n += (size_t)snprintf(text + n, cap - n,
		    "virtual_server 10.%d.%d.1 80 {\n    delay_loop 6\n"
		    "    lb_algo rr\n    protocol TCP\n"
		    "    real_server 192.168.%d.%d 80 {\n        weight 1\n"
		    "        TCP_CHECK {\n            connect_timeout 3\n"
		    "        }\n    }\n}\n", i / 256, i % 256, i / 256, i % 256);
	r = load(text);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.t->nnodes, 10000 * 8);
	res_free(&r);
	free(text);
	/* the same generated */
	r = load("$RS= \\\nreal_server 192.168.${I}.${J} 80 { \\\n weight 1 \\\n}"
	    "\n~SEQ(I, 0, 39) ~SEQ(J, 0, 249) $RS\n");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.t->nnodes, 40 * 250 * 2);
	res_free(&r);
}
END_TEST

static Suite *
conf_parse_suite(void)
{
	Suite *s = suite_create("conf_parse");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_tree_shape);
	tcase_add_test(tc, test_encode_by_address);
	tcase_add_test(tc, test_top_done);
	tcase_add_test(tc, test_script_keywords);
	tcase_add_test(tc, test_quotes_escapes);
	tcase_add_test(tc, test_script_lines);
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_conditionals);
	tcase_add_test(tc, test_definitions);
	tcase_add_test(tc, test_multiline);
	tcase_add_test(tc, test_predefined);
	tcase_add_test(tc, test_seq);
	tcase_add_test(tc, test_lst);
	tcase_add_test(tc, test_include);
	tcase_add_test(tc, test_include_missing);
	tcase_add_test(tc, test_keepalived_reading);
	tcase_add_test(tc, test_include_loop);
	tcase_add_test(tc, test_include_depth);
	tcase_add_test(tc, test_bad_blocks);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_binary);
	tcase_add_test(tc, test_self_reference);
	tcase_add_test(tc, test_bad_seq);
	tcase_add_test(tc, test_too_many_errors);
	tcase_add_test(tc, test_diag_print);
	tcase_add_test(tc, test_samples);
	tcase_add_test(tc, test_roundtrip_odd);
	tcase_add_test(tc, test_nodes_equal);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_decode_garbage);
	tcase_add_test(tc, test_big_config);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(conf_parse_suite());
}
