/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for what runs after the parser: the keyword registry
 * dispatch and every keyword handler of global_defs, VRRP and the checker
 * configuration, then the cross-object checks, the reload diffs (against
 * itself and against a fixed valid generation, both ways) and the dumps.
 * Links only lib/ and the config files of vrrp/ and healthcheck/.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "global_conf.h"
#include "healthcheck/config.h"
#include "vrrp/config.h"

struct gen {
	struct conf_tree *tree;
	struct arena *arena;
	struct global_conf *global;
	struct vrrp_conf *vrrp;
	struct chk_conf *chk;
	int chk_ok;		/* finalized without error: diff allowed */
};

static FILE *devnull;
static int verbose;	/* FUZZ_APPLY_VERBOSE set: print diagnostics */
static struct conf_registry *registry;
static struct gen fixed;

/* A small valid configuration the fuzzed one is diffed against. */
static const char fixed_text[] =
	"global_defs {\n"
	"  router_id fixed\n"
	"}\n"
	"vrrp_script chk {\n"
	"  script \"/bin/true\"\n"
	"  interval 2\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"  state MASTER\n"
	"  interface eth0\n"
	"  virtual_router_id 51\n"
	"  priority 100\n"
	"  advert_int 1\n"
	"  virtual_ipaddress {\n"
	"    192.168.200.16/24 dev eth0 label eth0:1\n"
	"  }\n"
	"  track_script {\n"
	"    chk\n"
	"  }\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"  interface eth1\n"
	"  virtual_router_id 52\n"
	"  priority 90\n"
	"  virtual_ipaddress {\n"
	"    fe80::10/64\n"
	"  }\n"
	"}\n"
	"virtual_server_group G1 {\n"
	"  10.0.0.1-5 80\n"
	"  fwmark 7\n"
	"}\n"
	"virtual_server 10.0.0.10 80 {\n"
	"  delay_loop 6\n"
	"  lb_algo rr\n"
	"  lb_kind NAT\n"
	"  protocol TCP\n"
	"  real_server 10.0.1.1 80 {\n"
	"    weight 1\n"
	"    HTTP_GET {\n"
	"      url {\n"
	"        path /\n"
	"        status_code 200\n"
	"      }\n"
	"      connect_timeout 3\n"
	"    }\n"
	"  }\n"
	"  real_server 10.0.1.2 80 {\n"
	"    TCP_CHECK {\n"
	"      connect_timeout 3\n"
	"    }\n"
	"  }\n"
	"}\n"
	"virtual_server group G1 {\n"
	"  protocol TCP\n"
	"  real_server 10.0.2.1 80 {\n"
	"    MISC_CHECK {\n"
	"      misc_path \"/bin/true\"\n"
	"    }\n"
	"  }\n"
	"}\n";

static void
load_opts(struct conf_load_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->config_id = "main";
	o->random_seed = 1;
	o->no_include = 1;
	o->limits.include_depth = 2;
	o->limits.include_files = 2;
	o->limits.nesting = 16;
	o->limits.line_len = 4096;
	o->limits.def_len = 8192;
	o->limits.subst_depth = 8;
	o->limits.seq_lines = 2000;
	o->limits.total_lines = 20000;
}

static void
gen_free(struct gen *g)
{
	conf_tree_free(g->tree);
	arena_free(g->arena);
	memset(g, 0, sizeof(*g));
}

/* Build one generation from text; 0 if the tree loaded (even when the
 * handlers reported errors: what they built is still diffed/dumped). */
static int
gen_build(struct gen *g, const char *text, size_t len, unsigned mask,
    struct conf_diag *d)
{
	struct conf_load_opts o;
	void *roots[CONF_OWNER_MAX] = { NULL };

	memset(g, 0, sizeof(*g));
	load_opts(&o);
	if (conf_load_buffer("fuzz.conf", text, len, &o, d, &g->tree) != 0)
		return -1;
	mask |= CONF_OWNER_BIT(CONF_OWNER_GLOBAL);
	if ((g->arena = arena_new()) == NULL ||
	    (g->global = global_conf_new(g->arena)) == NULL)
		abort();
	if ((mask & CONF_OWNER_BIT(CONF_OWNER_VRRP)) &&
	    (g->vrrp = vrrp_conf_new(g->arena)) == NULL)
		abort();
	if ((mask & CONF_OWNER_BIT(CONF_OWNER_CHECK)) &&
	    (g->chk = chk_conf_new(g->arena)) == NULL)
		abort();
	roots[CONF_OWNER_GLOBAL] = g->global;
	roots[CONF_OWNER_VRRP] = g->vrrp;
	roots[CONF_OWNER_CHECK] = g->chk;
	(void)conf_apply(registry, g->tree, mask, roots, g->arena, d);
	if (g->vrrp != NULL)
		(void)vrrp_conf_check(g->vrrp, d);
	if (g->chk != NULL)
		g->chk_ok = chk_conf_finalize(g->chk, d) == 0;
	return 0;
}

static void
vrrp_cb(void *arg, const struct vrrp_conf_diff_ev *ev)
{
	unsigned *n = arg;

	(*n)++;
	if (ev->kind == CONF_DIFF_UNCHANGED &&
	    !vrrp_conf_instance_equal(ev->old, ev->new))
		abort();
	(void)conf_diff_kind_name(ev->kind);
}

static void
chk_cb(void *arg, const struct chk_conf_diff_ev *ev)
{
	char buf[256];
	unsigned *n = arg;

	(*n)++;
	if (!ev->is_rs) {
		if (ev->vs_old != NULL)
			chk_conf_vs_name(ev->vs_old, buf, sizeof(buf));
		if (ev->vs_new != NULL)
			chk_conf_vs_name(ev->vs_new, buf, sizeof(buf));
	}
}

/* A reload's lines (conf_diff_text): each is a bounded, non-empty
 * string. */
static void
line_cb(void *arg, unsigned flags, const char *line)
{
	unsigned *n = arg;

	(void)flags;
	if (line == NULL || line[0] == '\0' || strlen(line) >= 1024)
		abort();
	(*n)++;
}

static unsigned
total(const struct conf_diff_count *c)
{
	return c->added + c->removed + c->changed + c->unchanged;
}

/* What a -> b adds, b -> a removes; changed and unchanged agree. Aborts
 * with both sets of counts if not. */
static void
mirror(const char *what, const struct conf_diff_count *ab,
    const struct conf_diff_count *ba)
{
	if (ab->added == ba->removed && ab->removed == ba->added &&
	    ab->changed == ba->changed && ab->unchanged == ba->unchanged)
		return;
	fprintf(stderr, "%s diff not symmetric: a->b %u/%u/%u/%u "
	    "b->a %u/%u/%u/%u\n", what, ab->added, ab->removed, ab->changed,
	    ab->unchanged, ba->added, ba->removed, ba->changed,
	    ba->unchanged);
	abort();
}

/* Nothing added, removed or changed. */
static void
same(const char *what, const struct conf_diff_count *c)
{
	if (c->added == 0 && c->removed == 0 && c->changed == 0)
		return;
	fprintf(stderr, "%s self-diff: %u added %u removed %u changed\n",
	    what, c->added, c->removed, c->changed);
	abort();
}

/*
 * Diff a -> b and b -> a: what one direction adds the other removes, and
 * the changed/unchanged counts agree; the callback sees every object.
 */
static void
diff(const struct gen *a, const struct gen *b)
{
	struct vrrp_conf_diff vab, vba;
	struct chk_conf_diff cab, cba;
	unsigned n1 = 0, n2 = 0;

	if (vrrp_conf_diff(a->vrrp, b->vrrp, &vab, vrrp_cb, &n1) == 0 &&
	    vrrp_conf_diff(b->vrrp, a->vrrp, &vba, vrrp_cb, &n2) == 0) {
		mirror("vrrp", &vab.instances, &vba.instances);
		if (n1 != total(&vab.instances) || n2 != n1)
			abort();
		/* at least a line per instance added, removed or changed */
		n1 = 0;
		if (vrrp_conf_diff_text(a->vrrp, b->vrrp, line_cb, &n1) == 0 &&
		    n1 < vab.instances.added + vab.instances.removed +
		    vab.instances.changed)
			abort();
	}
	if (!a->chk_ok || !b->chk_ok)
		return;
	n1 = n2 = 0;
	if (chk_conf_diff(a->chk, b->chk, &cab, chk_cb, &n1) == 0 &&
	    chk_conf_diff(b->chk, a->chk, &cba, chk_cb, &n2) == 0) {
		mirror("virtual server", &cab.vs, &cba.vs);
		mirror("real server", &cab.rs, &cba.rs);
		if (n1 != total(&cab.vs) + total(&cab.rs) || n2 != n1)
			abort();
		n1 = 0;
		(void)chk_conf_diff_text(a->chk, b->chk, line_cb, &n1);
		if (n1 != total(&cab.vs) + total(&cab.rs) - cab.vs.unchanged -
		    cab.rs.unchanged)
			abort();
	}
}

/* A configuration diffed against itself is unchanged everywhere. */
static void
diff_self(const struct gen *g)
{
	struct vrrp_conf_diff vd;
	struct chk_conf_diff cd;
	unsigned n = 0;

	if (vrrp_conf_diff(g->vrrp, g->vrrp, &vd, vrrp_cb, &n) == 0)
		same("vrrp", &vd.instances);
	/* no change, no line */
	n = 0;
	if (vrrp_conf_diff_text(g->vrrp, g->vrrp, line_cb, &n) == 0 && n > 0)
		abort();
	if (!g->chk_ok)
		return;
	n = 0;
	if (chk_conf_diff(g->chk, g->chk, &cd, chk_cb, &n) == 0) {
		same("virtual server", &cd.vs);
		same("real server", &cd.rs);
	}
	n = 0;
	if (chk_conf_diff_text(g->chk, g->chk, line_cb, &n) == 0 && n > 0)
		abort();
}

/*
 * global_conf_dump prints configuration text (vigild -d): loading it again
 * gives the same settings, so a second dump is identical.
 */
static void
global_roundtrip(const struct gen *g)
{
	struct conf_diag d = { 0 };
	struct gen g2;
	char *t1 = NULL, *t2 = NULL;
	size_t l1 = 0, l2 = 0;
	FILE *fp;

	if ((fp = open_memstream(&t1, &l1)) == NULL)
		abort();
	global_conf_dump(g->global, fp);
	fclose(fp);
	if (gen_build(&g2, t1, l1, CONF_OWNERS_ALL, &d) != 0 || d.nerr != 0) {
		fprintf(stderr, "global_conf_dump output does not load:\n%s", t1);
		d.emit = conf_diag_print;
		d.arg = stderr;
		gen_free(&g2);
		(void)gen_build(&g2, t1, l1, CONF_OWNERS_ALL, &d);
		abort();
	}
	if ((fp = open_memstream(&t2, &l2)) == NULL)
		abort();
	global_conf_dump(g2.global, fp);
	fclose(fp);
	if (l1 != l2 || memcmp(t1, t2, l1) != 0) {
		fprintf(stderr, "global_conf_dump round trip differs:\n%s"
		    "---\n%s", t1, t2);
		abort();
	}
	gen_free(&g2);
	free(t1);
	free(t2);
}

static void
init(void)
{
	struct conf_diag d = { 0 };

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	verbose = getenv("FUZZ_APPLY_VERBOSE") != NULL;
	if ((registry = conf_registry_new()) == NULL ||
	    global_conf_register(registry) < 0 ||
	    vrrp_conf_register(registry) < 0 ||
	    chk_conf_register(registry) < 0)
		abort();
	if (gen_build(&fixed, fixed_text, sizeof(fixed_text) - 1,
	    CONF_OWNERS_ALL, &d) != 0 ||
	    d.nerr != 0 || !fixed.chk_ok) {
		d.emit = conf_diag_print;
		d.arg = stderr;
		(void)gen_build(&fixed, fixed_text, sizeof(fixed_text) - 1,
		    CONF_OWNERS_ALL, &d);
		fprintf(stderr, "fuzz_apply: fixed configuration invalid\n");
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_diag d = { 0 };
	struct gen g;

	if (registry == NULL)
		init();
	if (verbose) {
		d.emit = conf_diag_print;
		d.arg = stderr;
	}
	if (gen_build(&g, (const char *)data, size, CONF_OWNERS_ALL, &d) != 0)
		return 0;
	diff_self(&g);
	diff(&g, &fixed);
	diff(&g, &g);
	if (d.nerr == 0)
		global_roundtrip(&g);
	global_conf_dump(g.global, devnull);
	vrrp_conf_dump(g.vrrp, devnull);
	chk_conf_dump(g.chk, devnull);
	(void)vrrp_conf_find_instance(g.vrrp, "VI_1");
	gen_free(&g);

	/* what one child builds: its own owner and global_defs only (the
	 * same input loaded once, so it loads again) */
	memset(&d, 0, sizeof(d));
	if (gen_build(&g, (const char *)data, size, CONF_OWNER_BIT(size % 2 ?
	    CONF_OWNER_VRRP : CONF_OWNER_CHECK), &d) != 0)
		abort();
	diff_self(&g);
	global_conf_dump(g.global, devnull);
	if (g.vrrp != NULL)
		vrrp_conf_dump(g.vrrp, devnull);
	if (g.chk != NULL)
		chk_conf_dump(g.chk, devnull);
	gen_free(&g);
	return 0;
}
