/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Does a value in a dump read back as itself? The dumps print every
 * string value as a configuration word (conf_print_word, conf_print_arg):
 * these helpers read the word back with the real reader.
 */
#ifndef VIGIL_TEST_DUMP_READBACK_H
#define VIGIL_TEST_DUMP_READBACK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

/*
 * The text after the first occurrence of prefix in dump, up to the end of
 * its line, read as the arguments of keyword kw (script keywords read
 * with escapes): 1 if its first argument is want, else 0 (and the line
 * is printed to stderr).
 */
static inline int
dump_reads_back(const char *dump, const char *prefix, const char *kw,
    const char *want)
{
	struct conf_load_opts o;
	struct conf_diag d;
	struct conf_tree *t = NULL;
	const char *p = strstr(dump, prefix), *eol;
	char *line;
	int len, ok;

	if (p == NULL) {
		fprintf(stderr, "dump has no '%s':\n%s", prefix, dump);
		return 0;
	}
	p += strlen(prefix);
	eol = strchr(p, '\n');
	if (eol == NULL)
		eol = p + strlen(p);
	len = (int)(eol - p);
	line = malloc(strlen(kw) + (size_t)len + 3);
	if (line == NULL)
		return 0;
	sprintf(line, "%s %.*s\n", kw, len, p);
	memset(&o, 0, sizeof(o));
	memset(&d, 0, sizeof(d));
	o.config_id = "test";
	ok = conf_load_buffer("dump", line, strlen(line), &o, &d, &t) == 0 &&
	    t->first != NULL && t->first->argc > 1 &&
	    strcmp(t->first->argv[1], want) == 0;
	if (!ok)
		fprintf(stderr, "'%s' does not read back as '%s'\n", line, want);
	conf_tree_free(t);
	free(line);
	return ok;
}

#endif
