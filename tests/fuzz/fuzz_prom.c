/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the metrics endpoint's renderings of what children
 * report: the input is cut into IPC_STATE messages (a 2-byte length
 * before each, as fuzz_state) fed to one state store, which is rendered
 * as Prometheus text, as OpenMetrics and as the status page. Whatever a
 * child sends, every line of the metrics text is a comment or a vigil_
 * sample (a name or reason never breaks out of its label), and nothing
 * crashes or leaks.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/prom.h"
#include "daemon/state.h"
#include "daemon/state_json.h"
#include "daemon/status.h"
#include "ipc_msg.h"
#include "state_frames.h"

static void
check_lines(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			abort();	/* the text ends with a newline */
		if (*p != '#' && strncmp(p, "vigil_", 6) != 0)
			abort();
		p = nl + 1;
	}
}

static void
render(const struct prom_view *v, int om)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return;
	if (prom_render(fp, v, om) < 0)
		abort();
	fclose(fp);
	check_lines(buf, len);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_store st;
	struct prom_child ch = { "checker", &st, 1, 0, 1 };
	struct prom_view v = { .children = &ch, .nchildren = 1 };
	json_t *doc;

	state_init(&st);
	state_frames_feed(&st, data, size);
	render(&v, 0);
	render(&v, 1);
	doc = state_json_doc(1, STATE_JSON_ALL);
	if (doc != NULL && state_json_add_store(doc, &st, STATE_JSON_ALL,
	    NULL) == 0) {
		FILE *fp = fopen("/dev/null", "w");

		if (fp != NULL) {
			status_page_render(fp, doc, "fuzz");
			fclose(fp);
		}
	}
	json_decref(doc);
	state_fini(&st);
	return 0;
}
