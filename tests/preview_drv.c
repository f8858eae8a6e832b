/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * preview_drv RUNNING NEW: what a reload from RUNNING to NEW would log, as
 * vigilctl diff NEW prints it when vigild runs RUNNING (conf_preview.c's
 * code on its own). Exit 0, 1 if the reload would be rejected, 2 if
 * RUNNING does not load.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "daemon/conf_preview.h"
#include "daemon/vconfig.h"

int
main(int argc, char **argv)
{
	struct conf_diag d = { .emit = conf_diag_print, .arg = stderr };
	struct conf_load_opts lo;
	struct vigil_config *cur;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: preview_drv RUNNING NEW\n");
		return 2;
	}
	memset(&lo, 0, sizeof(lo));
	if (vconfig_load(argv[1], &lo, &d, &cur) < 0)
		return 2;
	cur->generation = 1;
	rc = conf_preview_file(cur, argv[2], &lo, stdout);
	vconfig_free(cur);
	vconfig_registry_release();
	return rc < 0 ? 1 : 0;
}
