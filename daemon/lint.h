/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Lint a director pair offline: two configurations that are meant to back
 * each other up, compared for what keepalived would only show at run time
 * (VRID clashes, priority ties, two MASTERs with nopreempt, VIP,
 * authentication, version and advert_int mismatches, unicast peers that
 * do not name each other, virtual and real servers on one side only).
 *
 * Each finding is one line, compiler style: the first file's location,
 * what is wrong, and the second file's location in the text
 *   a.conf:11: VI_1: priority 150 ties with b.conf:11 (...)
 * No host checks: the files may come from other machines.
 */
#ifndef VIGIL_LINT_H
#define VIGIL_LINT_H

#include <stdio.h>

#include "conf.h"
#include "subsys.h"

/* Findings of the pair a, b to out; returns their number. */
unsigned lint_pair(const struct vigil_config *a, const struct vigil_config *b,
    FILE *out);

/*
 * Load both files with the normal loader (ids_a / ids_b: their @config-id,
 * NULL: the host's) and lint them. Loader diagnostics go to err. With json,
 * out gets one document instead of lines:
 *   { "version": 1, "files": [A, B], "count": N, "findings": [
 *     { "file": A, "line": 11, "message": "...",
 *       "other": { "file": B, "line": 11 } } ] }
 * ("other": the other file's place the finding names, when it names one).
 * Returns the number of findings, or -1 if a file does not load.
 */
int lint_files(const char *path_a, const char *id_a, const char *path_b,
    const char *id_b, int json, FILE *out, FILE *err);

/*
 * vigilctl lint [--json] [-i ID_A] [-j ID_B] FILE_A FILE_B, argv[0] being
 * "lint" (json: vigilctl's own --json was given): findings to out, loader
 * diagnostics and the count to err. Exit status: 0 no finding, 1
 * findings, 2 a file does not load or bad usage.
 */
int lint_main(int argc, char **argv, int json, FILE *out, FILE *err);
void lint_usage(FILE *fp);

#endif
