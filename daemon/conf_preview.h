/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a reload changes, in words: the parent logs these lines when it
 * reloads ("reload: LINE") and vigilctl diff FILE shows them before one,
 * from one function per subsystem (struct subsys' conf_diff_text), so the
 * preview and the log say the same thing.
 */
#ifndef VIGIL_CONF_PREVIEW_H
#define VIGIL_CONF_PREVIEW_H

#include <stdio.h>

#include "conf.h"
#include "subsys.h"

/* Virtual and real server lines logged per reload before the rest is
 * only counted (the VRRP instances' are all logged). */
#define CONF_PREVIEW_LOG_BULK 500

/*
 * Every subsystem's lines for replacing old by new (either may be NULL),
 * in table order, then the top-level blocks no subsystem speaks for
 * (global_defs, vrrp_script, track_file, ...) compared as written
 * ("vrrp_script chk_web: changed"). 0, or -1 if out of memory.
 */
int conf_preview(const struct vigil_config *old, const struct vigil_config *new,
    subsys_line_fn *fn, void *arg);

/*
 * Why a configuration that loaded must still not replace the running one
 * (an empty file, one cut short while it is written), or NULL. The
 * reload and the preview refuse the same files.
 */
const char *conf_reload_refusal(const struct vigil_config *next, char *buf,
    size_t len);

/*
 * vigilctl diff: load path as a reload would (lo) and print to out what
 * replacing cur by it changes, one line each, then a summary line. A file
 * that does not load, or would be refused, prints its errors and why.
 * 0, or -1 when a reload to path would be rejected.
 */
int conf_preview_file(const struct vigil_config *cur, const char *path,
    const struct conf_load_opts *lo, FILE *out);

/* The reload's log of the same lines (at most CONF_PREVIEW_LOG_BULK
 * virtual and real server lines, then their count). */
void conf_preview_log(const struct vigil_config *old,
    const struct vigil_config *new);

#endif
