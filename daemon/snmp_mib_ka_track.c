/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * KEEPALIVED-MIB's tracking tables as keepalived 2.2.7 serves them:
 * what each VRRP instance and sync group tracks (interfaces, scripts,
 * files, processes, BFD sessions: vrrpTrackedInterfaceTable,
 * vrrpTrackedScriptTable, vrrpTrackedFileTable, vrrpTrackedProcessTable,
 * vrrpTrackedBfdTable and their vrrpSync* twins), indexed (instance or
 * group position, line position); and the tracked objects themselves
 * (vrrpScriptTable, vrrpFileTable, vrrpProcessTable), indexed by their
 * position among those a tracking line names (keepalived drops the
 * others), with their state from the VRRP child's vrrp_script,
 * vrrp_track_file and vrrp_track_process records; vrrpBfdTable lists
 * every bfd_instance the VRRP child follows (tracked or not, as
 * keepalived), indexed by its position among them, vrrpBfdResult 1 while
 * the VRRP child's vrrp_track_bfd record says up, else 0 (never told:
 * down, as keepalived starts its sessions).
 *
 * keepalived's choices kept: an interface line without weight shows 0;
 * a script line shows its own weight (else the script's), a file,
 * process or BFD line the file's, process's or bfd_instance's own
 * weight and reverse, whatever the line says.
 */
#include "autoconfig.h"

#include <limits.h>
#include <string.h>

#include "ipc_msg.h"
#include "bfd/config.h"
#include "snmp_int.h"
#include "vrrp/config.h"

#define KA 1, 3, 6, 1, 4, 1, 9586, 100, 5

static const oid oid_tif_entry[] = { KA, 2, 4, 1 };
static const oid oid_tsc_entry[] = { KA, 2, 5, 1 };
static const oid oid_script_entry[] = { KA, 2, 9, 1 };
static const oid oid_tfile_entry[] = { KA, 2, 12, 1 };
static const oid oid_file_entry[] = { KA, 2, 13, 1 };
static const oid oid_sg_tif_entry[] = { KA, 2, 14, 1 };
static const oid oid_sg_tsc_entry[] = { KA, 2, 15, 1 };
static const oid oid_sg_tfile_entry[] = { KA, 2, 16, 1 };
static const oid oid_tproc_entry[] = { KA, 2, 20, 1 };
static const oid oid_proc_entry[] = { KA, 2, 21, 1 };
static const oid oid_sg_tproc_entry[] = { KA, 2, 22, 1 };
static const oid oid_tbfd_entry[] = { KA, 2, 17, 1 };
static const oid oid_bfd_entry[] = { KA, 2, 18, 1 };
static const oid oid_sg_tbfd_entry[] = { KA, 2, 19, 1 };


static const struct vrrp_script_conf *
find_script(const struct vrrp_conf *c, const char *name)
{
	for (const struct vrrp_script_conf *s = c->scripts.first; s != NULL;
	    s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static const struct vrrp_track_file_conf *
find_file(const struct vrrp_conf *c, const char *name)
{
	for (const struct vrrp_track_file_conf *f = c->track_files.first;
	    f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static const struct vrrp_track_process_conf *
find_proc(const struct vrrp_conf *c, const char *name)
{
	for (const struct vrrp_track_process_conf *p =
	    c->track_processes.first; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* ---- the lines of an instance or sync group ----------------------------- */

struct lines {
	const struct vrrp_conf_list *ifs, *scripts, *files, *procs, *bfds;
};

struct tables {
	const oid *tif, *tsc, *tfile, *tproc, *tbfd;	/* entry OIDs, 12 */
	unsigned tif_col;	/* the interface table's first column */
};

static const struct tables inst_tables = {
	oid_tif_entry, oid_tsc_entry, oid_tfile_entry, oid_tproc_entry,
	oid_tbfd_entry, 1
};
static const struct tables group_tables = {
	oid_sg_tif_entry, oid_sg_tsc_entry, oid_sg_tfile_entry,
	oid_sg_tproc_entry, oid_sg_tbfd_entry, 1
};

/* One tracking line's row: its object's name, weight and reverse in
 * the columns from col on, at the next index of idx's owner. */
static void
track_row(struct snmp_view *w, const oid *entry, size_t el, unsigned col,
    oid *idx, const char *name, int weight, int reverse)
{
	idx[1]++;
	snmp_put_str(w, entry, el, col, idx, 2, name);
	snmp_put_int(w, entry, el, col + 1, idx, 2, ASN_INTEGER, weight);
	snmp_put_int(w, entry, el, col + 2, idx, 2, ASN_INTEGER,
	    SNMP_TV(reverse));
}

static void
track_lines(struct snmp_view *w, const struct snmp_ctx *ctx,
    const struct lines *l, const struct tables *t, oid owner)
{
	const struct vrrp_conf *c = ctx->vrrp;
	const size_t el = OID_LENGTH(oid_tif_entry);
	oid idx[2] = { owner, 0 };
	const struct vrrp_conf_track *ln;

	for (ln = l->ifs->first; ln != NULL; ln = ln->next)
		track_row(w, t->tif, el, t->tif_col, idx, ln->name,
		    ln->weight_set ? ln->weight : 0, ln->reverse);
	idx[1] = 0;
	for (ln = l->scripts->first; ln != NULL; ln = ln->next) {
		const struct vrrp_script_conf *s = find_script(c, ln->name);

		if (s != NULL)	/* else keepalived drops the line */
			track_row(w, t->tsc, el, 2, idx, s->name,
			    ln->weight_set ? ln->weight : s->weight,
			    ln->reverse ? 1 : ln->noreverse ? 0 :
			    s->weight_reverse);
	}
	idx[1] = 0;
	for (ln = l->files->first; ln != NULL; ln = ln->next) {
		const struct vrrp_track_file_conf *f = find_file(c, ln->name);

		if (f != NULL)
			track_row(w, t->tfile, el, 2, idx, f->name, f->weight,
			    f->weight_reverse);
	}
	idx[1] = 0;
	for (ln = l->procs->first; ln != NULL; ln = ln->next) {
		const struct vrrp_track_process_conf *p = find_proc(c,
		    ln->name);

		if (p != NULL)
			track_row(w, t->tproc, el, 2, idx, p->name, p->weight,
			    p->weight_reverse);
	}
	idx[1] = 0;
	for (ln = l->bfds->first; ln != NULL; ln = ln->next) {
		const struct bfd_instance_conf *b = ctx->bfd != NULL ?
		    bfd_conf_find(ctx->bfd, ln->name) : NULL;

		if (b != NULL)
			track_row(w, t->tbfd, el, 2, idx, b->name, b->weight,
			    b->weight_reverse);
	}
}

/* ---- the tracked objects ------------------------------------------------- */

/* vrrpScriptResult: init 1, bad 2, good 3, unknown 4, initfailed 5 */
static int
script_result(const struct state_obj *o)
{
	if (o == NULL || strcmp(o->state, "init") == 0 ||
	    strcmp(o->state, "not started") == 0)
		return 1;
	if (strcmp(o->state, "good") == 0)
		return 3;
	if (strcmp(o->state, "bad") == 0)
		return 2;
	if (strcmp(o->state, "disabled") == 0)
		return 5;
	return 4;
}

static void
scripts(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct vrrp_conf *c = ctx->vrrp;
	const size_t el = OID_LENGTH(oid_script_entry);
	oid idx[1] = { 0 };

	for (const struct vrrp_script_conf *s = c->scripts.first; s != NULL;
	    s = s->next) {
		const struct state_obj *o;

		if (!vrrp_conf_tracked(c, VRRP_IX_SCRIPT, s->name))
			continue;
		o = snmp_obj(ctx->vrrp_st, "vrrp_script", s->name);
		idx[0]++;
		snmp_put_str(w, oid_script_entry, el, 2, idx, 1,
		    s->name);
		snmp_put_str(w, oid_script_entry, el, 3, idx, 1,
		    snmp_cmd_str(w, s->script));
		snmp_put_int(w, oid_script_entry, el, 4, idx, 1, ASN_INTEGER,
		    (int64_t)(s->interval / 1000000));
		snmp_put_int(w, oid_script_entry, el, 5, idx, 1, ASN_INTEGER,
		    s->weight);
		snmp_put_int(w, oid_script_entry, el, 6, idx, 1, ASN_INTEGER,
		    script_result(o));
		snmp_put_int(w, oid_script_entry, el, 7, idx, 1, ASN_GAUGE,
		    s->rise);
		snmp_put_int(w, oid_script_entry, el, 8, idx, 1, ASN_GAUGE,
		    s->fall);
		snmp_put_int(w, oid_script_entry, el, 9, idx, 1, ASN_INTEGER,
		    SNMP_TV(s->weight_reverse));
	}
}

static void
files(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct vrrp_conf *c = ctx->vrrp;
	const size_t el = OID_LENGTH(oid_file_entry);
	oid idx[1] = { 0 };

	for (const struct vrrp_track_file_conf *f = c->track_files.first;
	    f != NULL; f = f->next) {
		const struct state_obj *o;

		if (!vrrp_conf_tracked(c, VRRP_IX_TRACK_FILE, f->name))
			continue;
		o = snmp_obj(ctx->vrrp_st, "vrrp_track_file", f->name);
		idx[0]++;
		snmp_put_str(w, oid_file_entry, el, 2, idx, 1, f->name);
		snmp_put_str(w, oid_file_entry, el, 3, idx, 1, f->file);
		snmp_put_int(w, oid_file_entry, el, 4, idx, 1, ASN_INTEGER,
		    snmp_attr_num(o, "value", f->init_file ? f->init_value :
		    0));
		snmp_put_int(w, oid_file_entry, el, 5, idx, 1, ASN_INTEGER,
		    f->weight);
		snmp_put_int(w, oid_file_entry, el, 6, idx, 1, ASN_INTEGER,
		    SNMP_TV(f->weight_reverse));
	}
}

/* The parameters as one string, space-separated. */
static const char *
proc_params(struct snmp_view *w, const struct vrrp_track_process_conf *p)
{
	size_t len = 1;
	char *buf;

	for (unsigned i = 0; i < p->nparams; i++)
		len += strlen(p->params[i]) + 1;
	if ((buf = arena_alloc(w->arena, len)) == NULL)
		return NULL;
	buf[0] = '\0';
	for (unsigned i = 0; i < p->nparams; i++) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, p->params[i]);
	}
	return buf;
}

static void
processes(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct vrrp_conf *c = ctx->vrrp;
	const size_t el = OID_LENGTH(oid_proc_entry);
	oid idx[1] = { 0 };

	for (const struct vrrp_track_process_conf *p =
	    c->track_processes.first; p != NULL; p = p->next) {
		const struct state_obj *o;

		if (!vrrp_conf_tracked(c, VRRP_IX_TRACK_PROCESS, p->name))
			continue;
		o = snmp_obj(ctx->vrrp_st, "vrrp_track_process", p->name);
		idx[0]++;
		snmp_put_str(w, oid_proc_entry, el, 2, idx, 1, p->name);
		snmp_put_str(w, oid_proc_entry, el, 3, idx, 1, p->process);
		snmp_put_str(w, oid_proc_entry, el, 4, idx, 1,
		    proc_params(w, p));
		/* keepalived numbers initial 2, partial 3 */
		snmp_put_int(w, oid_proc_entry, el, 5, idx, 1, ASN_INTEGER,
		    p->param_match == VRRP_PMATCH_INITIAL ? 2 :
		    p->param_match == VRRP_PMATCH_PARTIAL ? 3 :
		    p->param_match == VRRP_PMATCH_EXACT ? 1 : 0);
		snmp_put_int(w, oid_proc_entry, el, 6, idx, 1, ASN_INTEGER,
		    p->weight);
		snmp_put_int(w, oid_proc_entry, el, 7, idx, 1, ASN_INTEGER,
		    SNMP_TV(p->weight_reverse));
		snmp_put_int(w, oid_proc_entry, el, 8, idx, 1, ASN_GAUGE,
		    p->quorum);
		snmp_put_int(w, oid_proc_entry, el, 9, idx, 1, ASN_INTEGER,
		    (int64_t)p->quorum_max);
		/* microseconds, as keepalived keeps them */
		snmp_put_int(w, oid_proc_entry, el, 10, idx, 1, ASN_GAUGE,
		    (int64_t)p->fork_delay);
		snmp_put_int(w, oid_proc_entry, el, 11, idx, 1, ASN_GAUGE,
		    (int64_t)p->terminate_delay);
		snmp_put_int(w, oid_proc_entry, el, 12, idx, 1, ASN_INTEGER,
		    SNMP_TV(p->full_command || p->nparams > 0 ||
		    p->param_match != VRRP_PMATCH_NONE));
		snmp_put_int(w, oid_proc_entry, el, 13, idx, 1, ASN_INTEGER,
		    snmp_attr_num(o, "count", 0));
		snmp_put_int(w, oid_proc_entry, el, 14, idx, 1, ASN_INTEGER,
		    SNMP_TV(o != NULL && strcmp(o->state, "up") == 0));
	}
}

static void
bfds(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const size_t el = OID_LENGTH(oid_bfd_entry);
	oid idx[1] = { 0 };

	if (ctx->bfd == NULL)
		return;
	for (const struct bfd_instance_conf *b = ctx->bfd->first; b != NULL;
	    b = b->next) {
		const struct state_obj *o;

		if (!b->vrrp)
			continue;	/* the checker's only */
		o = snmp_obj(ctx->vrrp_st, "vrrp_track_bfd", b->name);
		idx[0]++;
		snmp_put_str(w, oid_bfd_entry, el, 2, idx, 1, b->name);
		snmp_put_int(w, oid_bfd_entry, el, 3, idx, 1, ASN_INTEGER,
		    o != NULL && strcmp(o->state, "up") == 0);
		snmp_put_int(w, oid_bfd_entry, el, 4, idx, 1, ASN_INTEGER,
		    b->weight);
		snmp_put_int(w, oid_bfd_entry, el, 5, idx, 1, ASN_INTEGER,
		    SNMP_TV(b->weight_reverse));
	}
}

void
snmp_mib_ka_track(struct snmp_view *w, const struct snmp_ctx *ctx)
{
	const struct vrrp_conf *c = ctx->vrrp;
	oid n = 0;

	if (c == NULL)
		return;
	for (const struct vrrp_instance_conf *i = c->instances.first;
	    i != NULL; i = i->next) {
		const struct lines l = { &i->track_if, &i->track_script,
		    &i->track_file, &i->track_process, &i->track_bfd };

		track_lines(w, ctx, &l, &inst_tables, ++n);
	}
	n = 0;
	for (const struct vrrp_sync_group_conf *g = c->sync_groups.first;
	    g != NULL; g = g->next) {
		const struct lines l = { &g->track_if, &g->track_script,
		    &g->track_file, &g->track_process, &g->track_bfd };

		track_lines(w, ctx, &l, &group_tables, ++n);
	}
	scripts(w, ctx);
	files(w, ctx);
	processes(w, ctx);
	bfds(w, ctx);
}
