/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State dumps (SIGUSR1), in two files as keepalived's (supervisor_int.h:
 * DUMP_MAIN, /tmp/vigil.data, keepalived.data's shape with the parent's
 * part; DUMP_CHECK, /tmp/vigil_check.data, keepalived_check.data's): each
 * keepalived's sections (dump_ka.c), then the parent's own state of the
 * children it covers, their configuration, and each one's reply to
 * IPC_DUMP_REQ (children that do not answer within dump_wait_usec(), a
 * bound growing with their stores and moved by a child that holds its
 * snapshot, are marked as such). Statistics (SIGUSR2,
 * /tmp/vigil.stats): keepalived's per-instance blocks, then the parent's
 * counters. The JSON dump (keepalived's SIGJSON, /tmp/vigil.json). Both
 * of the latter are written once the children have sent fresh counters.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump_ka.h"
#include "global_conf.h"
#include "ipc.h"
#include "ipc_msg.h"
#include "log.h"
#include "loop.h"
#include "offload.h"
#include "refresh.h"
#include "subsys.h"
#include "supervisor.h"
#include "supervisor_int.h"
#include "healthcheck/config.h"
#include "vconfig.h"
#include "vrrp/config.h"

/* Write through a temporary file and rename, so readers never see half a
 * dump and a link planted at the path is replaced, not followed. */
static FILE *
dump_open(const char *path, char *tmp, size_t tmplen)
{
	FILE *fp;
	int fd;

	snprintf(tmp, tmplen, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		log_err("dump: cannot create %s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return NULL;
	}
	return fp;
}

static void
dump_close(FILE *fp, const char *tmp, const char *path)
{
	if (fclose(fp) != 0 || rename(tmp, path) < 0) {
		log_err("dump: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return;
	}
	log_info("dumped to %s", path);
}

/* The data dump file a child's part goes to. */
static int
dump_file_of(const struct slot *s)
{
	return s->sub->owner == CONF_OWNER_CHECK ? DUMP_CHECK : DUMP_MAIN;
}

void
dump_data_path(const struct supervisor *sv, int which, char *buf,
    size_t len)
{
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	const char *base = which == DUMP_CHECK ? VIGIL_CHECK_DATA_FILE :
	    VIGIL_DATA_FILE;
	char inst[128];
	size_t n;

	if (g == NULL || !g->data_use_instance || g->instance == NULL ||
	    g->instance[0] == '\0') {
		snprintf(buf, len, "%s", base);
		return;
	}
	/* keepalived's open_dump_file(): the name before the extension;
	 * a '/' would leave /tmp */
	snprintf(inst, sizeof(inst), "%s", g->instance);
	for (char *p = inst; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
	n = strlen(base) - strlen(".data");
	snprintf(buf, len, "%.*s.%s.data", (int)n, base, inst);
}

/* The children a file covers (the main one lists them all). */
static void
dump_children(const struct supervisor *sv, FILE *fp, int which)
{
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct slot *s = &sv->slots[i];

		if (which == DUMP_CHECK && dump_file_of(s) != DUMP_CHECK)
			continue;
		fprintf(fp, " Child %s: %s", s->sub->name,
		    s->pid != 0 ? "running" : s->wanted ? "restarting" :
		    "not needed");
		if (s->pid != 0)
			fprintf(fp, ", pid %d, configuration generation %u",
			    (int)s->pid, s->gen_acked);
		fprintf(fp, ", restarts %u\n", s->starts > 0 ? s->starts - 1 : 0);
	}
}

/* One file of SIGUSR1's data dump: keepalived's sections, the store, the
 * configuration and what each child it covers sent (in the parent, or in
 * a forked copy of it). */
static int
data_render(FILE *fp, void *arg)
{
	const struct dump_file *df = arg;
	const struct supervisor *sv = df->sv;
	unsigned owners = 0;

	if (df->which == DUMP_CHECK)
		dump_ka_check_data(fp, sv);
	else
		dump_ka_data(fp, sv);
	fprintf(fp, "------< vigild parent (pid %d) >------\n", (int)sv->pid);
	fprintf(fp, " Configuration file = %s\n", sv->cfg->path);
	fprintf(fp, " Configuration generation = %u\n", sv->cfg->generation);
	if (df->which == DUMP_MAIN) {
		fprintf(fp, " Reloads = %u (%u rejected)\n", sv->reloads,
		    sv->reloads_rejected);
		fprintf(fp, " Uptime = %lld s\n",
		    (long long)(time(NULL) - sv->started));
		owners |= CONF_OWNER_BIT(CONF_OWNER_GLOBAL);
	}
	dump_children(sv, fp, df->which);
	for (unsigned i = 0; i < sv->nslots; i++)
		if (dump_file_of(&sv->slots[i]) == df->which) {
			state_dump(&sv->slots[i].st, sv->slots[i].sub->name,
			    fp);
			owners |= CONF_OWNER_BIT(sv->slots[i].sub->owner);
		}
	vconfig_dump_owners(sv->cfg, owners, fp);
	for (unsigned i = 0; i < sv->nslots; i++) {
		const struct slot *s = &sv->slots[i];

		if (dump_file_of(s) != df->which)
			continue;
		if (s->dump != NULL)
			fwrite(s->dump, 1, s->dump_len, fp);
		else if (s->dump_pending)
			fprintf(fp, "------< %s child >------\n no reply within "
			    "%.0f s\n", s->sub->name,
			    (sv->dump_until - sv->dump_asked) / 1e6);
	}
	return ferror(fp) ? -1 : 0;
}

static void
data_rendered(void *arg, const char *buf, size_t len, const char *why)
{
	struct dump_file *df = arg;
	char tmp[DUMP_PATH_MAX + 8];
	FILE *fp;

	df->render = NULL;
	if (buf == NULL) {
		log_err("dump: cannot write %s: rendering it %s", df->path,
		    why);
		return;
	}
	if ((fp = dump_open(df->path, tmp, sizeof(tmp))) == NULL)
		return;
	fwrite(buf, 1, len, fp);
	dump_close(fp, tmp, df->path);
}

/* The checker's file is written when the configuration runs it. */
static int
dump_file_wanted(const struct supervisor *sv, int which)
{
	if (which == DUMP_MAIN)
		return 1;
	for (unsigned i = 0; i < sv->nslots; i++)
		if (dump_file_of(&sv->slots[i]) == which &&
		    sv->slots[i].wanted)
			return 1;
	return 0;
}

static void
dump_write(struct supervisor *sv)
{
	char tmp[DUMP_PATH_MAX + 8];
	FILE *fp;

	loop_timer_stop(sv->dump_timer);
	/* the checker's file first: one who sees the main one in place
	 * finds it (in place; forked copies end in their own order) */
	for (int w = DUMP_FILES - 1; w >= 0; w--) {
		struct dump_file *df = &sv->dump_files[w];

		df->sv = sv;
		df->which = w;
		df->path[0] = '\0';
		if (!dump_file_wanted(sv, w))
			continue;
		dump_data_path(sv, w, df->path, sizeof(df->path));
		/* a large store renders in a forked copy, which has its
		 * own copy of the children's texts (offload.h) */
		if (offload_worth(sv) && (df->render = offload_start(sv->base,
		    sv->reaper, data_render, data_rendered, df, 0)) != NULL)
			continue;
		if ((fp = dump_open(df->path, tmp, sizeof(tmp))) != NULL) {
			data_render(fp, df);
			dump_close(fp, tmp, df->path);
		}
	}
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		free(s->dump);
		s->dump = NULL;
		s->dump_len = 0;
		s->dump_pending = 0;
	}
}

int
dump_rendering(const struct supervisor *sv)
{
	for (int w = 0; w < DUMP_FILES; w++)
		if (sv->dump_files[w].render != NULL)
			return 1;
	return 0;
}

int
dump_busy(const struct supervisor *sv)
{
	return loop_timer_pending(sv->dump_timer) || dump_rendering(sv);
}

void
dump_timeout(struct loop_timer *t, void *arg)
{
	dump_write(arg);
}

static void
dump_maybe_done(struct supervisor *sv)
{
	if (!loop_timer_pending(sv->dump_timer))
		return;
	for (unsigned i = 0; i < sv->nslots; i++)
		if (sv->slots[i].dump_pending && sv->slots[i].dump == NULL)
			return;
	dump_write(sv);
}

uint64_t
dump_wait_usec(const struct supervisor *sv)
{
	size_t objs = 0;
	uint64_t t;

	for (unsigned i = 0; i < sv->nslots; i++)
		if (sv->slots[i].st.objs.n > objs)
			objs = sv->slots[i].st.objs.n;	/* they answer side
							 * by side */
	t = DUMP_WAIT_USEC + (uint64_t)objs * DUMP_OBJ_USEC;
	return t < DUMP_WAIT_MAX_USEC ? t : DUMP_WAIT_MAX_USEC;
}

void
dump_request(struct supervisor *sv)
{
	int asked = 0;

	if (dump_busy(sv)) {
		log_info("state dump already in progress; SIGUSR1 ignored");
		return;
	}
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		/* a fresh snapshot first: ipc keeps the order, so the store
		 * is current when the dump reply arrives */
		if (s->gen_acked != 0)
			(void)slot_snapshot_ask(s);
		if (s->ipc != NULL &&
		    ipc_send(s->ipc, IPC_DUMP_REQ, NULL, 0) == 0) {
			s->dump_pending = 1;
			s->dump_asked++;
			asked++;
		}
	}
	if (asked == 0) {
		dump_write(sv);
		return;
	}
	sv->dump_asked = loop_now_usec();
	sv->dump_until = sv->dump_asked + dump_wait_usec(sv);
	loop_timer_start(sv->dump_timer, sv->dump_until - sv->dump_asked, 0);
}

void
dump_held(struct slot *s)
{
	struct supervisor *sv = s->sv;
	uint64_t now = loop_now_usec(), until;

	if (!loop_timer_pending(sv->dump_timer) || !s->dump_pending ||
	    s->dump != NULL)
		return;
	/* the child writes its part once the snapshot it holds is taken */
	until = s->held_until + dump_wait_usec(sv);
	if (until > sv->dump_asked + DUMP_WAIT_MAX_USEC)
		until = sv->dump_asked + DUMP_WAIT_MAX_USEC;
	if (until <= sv->dump_until)
		return;
	sv->dump_until = until;
	loop_timer_start(sv->dump_timer, until > now ? until - now : 0, 0);
}

void
dump_reply(struct slot *s, const void *data, size_t len)
{
	if (!s->dump_pending || s->dump != NULL) {
		/* the answer to a request that already timed out */
		log_info("%s child: late state dump reply dropped",
		    s->sub->name);
		return;
	}
	s->dump = malloc(len > 0 ? len : 1);
	if (s->dump == NULL) {
		log_err("state dump: out of memory for the %s child's %zu "
		    "bytes", s->sub->name, len);
		s->dump_pending = 0;
	} else {
		memcpy(s->dump, data, len);
		s->dump_len = len;
	}
	dump_maybe_done(s->sv);
}

/* The child went away: do not wait for its reply. */
void
dump_slot_gone(struct slot *s)
{
	s->held_until = 0;	/* no snapshot comes from it now */
	if (!s->dump_pending || s->dump != NULL)
		return;
	s->dump_pending = 0;
	dump_maybe_done(s->sv);
}

static void
stats_write(void *arg, int timed_out)
{
	struct supervisor *sv = arg;
	char tmp[sizeof(VIGIL_STATS_FILE) + 8];
	FILE *fp = dump_open(VIGIL_STATS_FILE, tmp, sizeof(tmp));

	(void)timed_out;
	if (fp == NULL)
		return;
	dump_ka_stats(fp, sv);
	fprintf(fp, "------< vigild statistics (pid %d) >------\n",
	    (int)getpid());
	fprintf(fp, " Uptime = %lld s\n", (long long)(time(NULL) - sv->started));
	fprintf(fp, " Reloads = %u\n", sv->reloads);
	fprintf(fp, " Reloads rejected = %u\n", sv->reloads_rejected);
	dump_children(sv, fp, DUMP_MAIN);
	dump_close(fp, tmp, VIGIL_STATS_FILE);
}

void
dump_stats_write(struct supervisor *sv)
{
	stats_write(sv, 0);
}

void
dump_stats(struct supervisor *sv)
{
	if (refresh_request(sv, 0, 0, stats_write, sv) < 0)
		stats_write(sv, 1);
}

static void
json_write(void *arg, int timed_out)
{
	struct supervisor *sv = arg;
	const struct global_conf *g = sv->cfg->conf[CONF_OWNER_GLOBAL];
	char tmp[sizeof(VIGIL_JSON_FILE) + 8];
	FILE *fp = dump_open(VIGIL_JSON_FILE, tmp, sizeof(tmp));

	(void)timed_out;
	if (fp == NULL)
		return;
	if (dump_ka_json(fp, sv, g != NULL ? g->json_version : 1) < 0) {
		log_err("dump: cannot write %s: out of memory",
		    VIGIL_JSON_FILE);
		fclose(fp);
		unlink(tmp);
		return;
	}
	dump_close(fp, tmp, VIGIL_JSON_FILE);
}

void
dump_json_write(struct supervisor *sv)
{
	json_write(sv, 0);
}

void
dump_json(struct supervisor *sv)
{
	if (refresh_request(sv, 0, 0, json_write, sv) < 0)
		json_write(sv, 1);
}

static void
stats_cleared(void *arg, int status, const char *text, size_t len)
{
	(void)arg;
	while (len > 0 && text[len - 1] == '\n')
		len--;
	if (status != IPC_CMD_OK)
		log_warn("statistics clear: the VRRP child answered %s: %.*s",
		    ipc_cmd_status_name(status), (int)len, text);
	else
		log_info("statistics clear: VRRP child: %.*s", (int)len,
		    text);
}

/* keepalived's STATS_CLEAR: the statistics file is written with the
 * counters as they are, then they start again from 0. */
static void
stats_clear(void *arg, int timed_out)
{
	struct supervisor *sv = arg;
	char *const argv[] = { "stats-clear", NULL };

	stats_write(sv, timed_out);
	sv->reloads = 0;
	sv->reloads_rejected = 0;
	for (unsigned i = 0; i < sv->nslots; i++) {
		struct slot *s = &sv->slots[i];

		s->starts = s->pid != 0 ? 1 : 0;
		if (s->sub->owner == CONF_OWNER_VRRP &&
		    slot_command(s, 1, argv, stats_cleared, NULL) < 0)
			log_warn("statistics clear: the VRRP child is not "
			    "running; its counters start again with it");
	}
	log_info("statistics written to %s and cleared", VIGIL_STATS_FILE);
}

void
dump_stats_clear(struct supervisor *sv)
{
	if (refresh_request(sv, 0, 0, stats_clear, sv) < 0)
		stats_clear(sv, 1);
}
