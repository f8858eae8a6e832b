/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for what reaches the control socket and what the JSON
 * rendering takes from children: the input is read as a control request
 * payload (daemon/ctl_proto.c), as a reply payload (vigilctl's side), as
 * attrs to type (daemon/state_json.c) and as names an operator types
 * (daemon/objname.c). Nothing may crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/ctl_proto.h"
#include "daemon/objname.h"
#include "daemon/state_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request rq;
	char err[256], *s, b[OBJNAME_REAL_MAX], vs[256], real[256];
	const char *text;
	json_t *root, *st;
	int status;

	if (ctl_request_decode(data, size, &rq, err, sizeof(err)) == 0) {
		if (rq.argc < 1 || rq.argc > CTL_MAX_ARGS ||
		    rq.argv[rq.argc] != NULL)
			abort();
		ctl_request_free(&rq);
	}
	root = ctl_reply_decode(data, size, &status, &text, &st, err,
	    sizeof(err));
	json_decref(root);
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	json_decref(state_json_attrs(s));
	objname_real(s, b, sizeof(b));
	objname_rs_split(s, vs, sizeof(vs), real, sizeof(real));
	objname_vs_match("[10.0.0.1]:tcp:80", s);
	objname_vs_match(s, "10.0.0.1:80/tcp");
	objname_vs_match(s, "group g");
	free(s);
	return 0;
}
