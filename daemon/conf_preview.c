/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A reload's changes in words, for the reload's log and for vigilctl diff
 * (conf_preview.h).
 */
#include "autoconfig.h"

#include "conf_preview.h"

#include <string.h>
#include <time.h>

#include "log.h"
#include "vconfig.h"

int
conf_preview(const struct vigil_config *old, const struct vigil_config *new,
    subsys_line_fn *fn, void *arg)
{
	int rc = 0;

	for (const struct subsys *const *s = vigil_subsystems; *s != NULL;
	    s++) {
		const void *o = old != NULL ? old->conf[(*s)->owner] : NULL;
		const void *n = new != NULL ? new->conf[(*s)->owner] : NULL;

		if ((*s)->conf_diff_text == NULL || (o == NULL && n == NULL))
			continue;
		if ((*s)->conf_diff_text(o, n, fn, arg) < 0)
			rc = -1;
	}
	return rc;
}

const char *
conf_reload_refusal(const struct vigil_config *next, char *buf, size_t len)
{
	const struct conf_node *last = next->tree->first;
	enum conf_owner o;

	if (last == NULL)
		return "it has no configuration statements (empty, or being "
		    "rewritten?)";
	while (last->next != NULL)
		last = last->next;
	if (!last->block && last->argc == 1 &&
	    conf_registry_find(vconfig_registry(), "", last->argv[0], &o) ==
	    NULL) {
		snprintf(buf, len, "its last statement, '%s' at %s:%u, is no "
		    "keyword (a file cut short while it is written?)",
		    last->argv[0], last->loc.file, last->loc.line);
		return buf;
	}
	return NULL;
}

/* ---- vigilctl diff ------------------------------------------------------------ */

struct print {
	FILE *out;
	unsigned lines;
};

static void
print_line(void *arg, unsigned flags, const char *line)
{
	struct print *p = arg;

	(void)flags;
	fprintf(p->out, "%s\n", line);
	p->lines++;
}

int
conf_preview_file(const struct vigil_config *cur, const char *path,
    const struct conf_load_opts *lo, FILE *out)
{
	struct conf_diag d = { .emit = conf_diag_print, .arg = out };
	struct print p = { out, 0 };
	struct vigil_config *next;
	char buf[512];
	const char *why;

	if (vconfig_load(path, lo, &d, &next) < 0) {
		fprintf(out, "%s: %u error(s): a reload would be rejected; "
		    "configuration generation %u would keep running\n", path,
		    d.nerr, cur->generation);
		return -1;
	}
	if ((why = conf_reload_refusal(next, buf, sizeof(buf))) != NULL) {
		fprintf(out, "%s: %s: a reload would be rejected; "
		    "configuration generation %u would keep running\n", path,
		    why, cur->generation);
		vconfig_free(next);
		return -1;
	}
	if (conf_preview(cur, next, print_line, &p) < 0)
		fprintf(out, "out of memory: the changes above are not all\n");
	if (p.lines == 0)
		fprintf(out, "%s: no change to configuration generation %u "
		    "(%u warning(s))\n", path, cur->generation, d.nwarn);
	else
		fprintf(out, "%s: %u change(s) to configuration generation "
		    "%u (%u warning(s))\n", path, p.lines, cur->generation,
		    d.nwarn);
	vconfig_free(next);
	return 0;
}

/* ---- the reload's log ----------------------------------------------------------- */

struct logged {
	unsigned bulk, dropped;
};

static void
log_line(void *arg, unsigned flags, const char *line)
{
	struct logged *l = arg;

	if ((flags & SUBSYS_LINE_BULK) &&
	    l->bulk++ >= CONF_PREVIEW_LOG_BULK) {
		l->dropped++;
		return;
	}
	log_info("reload: %s", line);
}

void
conf_preview_log(const struct vigil_config *old, const struct vigil_config *new)
{
	struct logged l = { 0, 0 };
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (conf_preview(old, new, log_line, &l) < 0)
		log_err("reload: out of memory listing the changes; the "
		    "reload goes on");
	if (l.dropped > 0)
		log_info("reload: %u more virtual or real server change(s) "
		    "not logged (vigilctl diff lists every one before a "
		    "reload)", l.dropped);
	log_debug("listed the reload's changes in %.1f ms",
	    subsys_ms_since(&t0));
}
