/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control protocol's codec (daemon/ctl_proto.c): requests vigilctl
 * makes read back as sent; every malformed request (not JSON, another
 * version, a command that is no list of short strings, NULs, oversized) is
 * refused with a reason instead of read; replies carry status, text and
 * state, with text that is not UTF-8 made printable.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon/ctl_proto.h"
#include "ipc.h"
#include "ipc_msg.h"
#include "check_run.h"

static int
decode_str(const char *s, struct ctl_request *rq, char *err, size_t len)
{
	return ctl_request_decode(s, strlen(s), rq, err, len);
}

START_TEST(request_round_trip)
{
	char *argv[] = { "set-weight", "10.0.0.1:80", "[2001:db8::2]:80",
	    "7", NULL };
	struct ctl_request rq;
	char err[256];
	size_t len;
	char *s = ctl_request_encode(4, argv, 0, &len);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(ctl_request_decode(s, len, &rq, err, sizeof(err)), 0);
	ck_assert_int_eq(rq.argc, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(rq.argv[i], argv[i]);
	ck_assert_ptr_null(rq.argv[4]);
	ck_assert_int_eq(rq.refresh, 0);
	ctl_request_free(&rq);
	free(s);
	/* refresh defaults to on */
	ck_assert_int_eq(decode_str("{\"version\":1,\"command\":[\"status\"]}",
	    &rq, err, sizeof(err)), 0);
	ck_assert_int_eq(rq.refresh, 1);
	ctl_request_free(&rq);
	/* argc out of range is not encoded */
	ck_assert_ptr_null(ctl_request_encode(0, argv, 1, &len));
	ck_assert_ptr_null(ctl_request_encode(CTL_MAX_ARGS + 1, argv, 1,
	    &len));
}
END_TEST

START_TEST(request_refused)
{
	static const char *const bad[] = {
		"", "garbage", "\x01\x02\x03", "[1,2]", "null", "{}",
		"{\"version\":2,\"command\":[\"status\"]}",
		"{\"version\":\"1\",\"command\":[\"status\"]}",
		"{\"version\":1}",
		"{\"version\":1,\"command\":\"status\"}",
		"{\"version\":1,\"command\":[]}",
		"{\"version\":1,\"command\":[1]}",
		"{\"version\":1,\"command\":[\"a\\u0000b\"]}",
		"{\"version\":1,\"command\":[\"status\"],\"refresh\":1}",
		"{\"version\":1,\"version\":1,\"command\":[\"status\"]}",
		"{\"version\":1,\"command\":[\"status\"]",
	};
	struct ctl_request rq;
	char err[256], *big;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(decode_str(bad[i], &rq, err, sizeof(err)) == -1,
		    "accepted: %s", bad[i]);
		ck_assert_msg(err[0] != '\0', "no reason for: %s", bad[i]);
		ck_assert_ptr_null(rq.root);
	}
	/* 33 words */
	big = malloc(CTL_MAX_REQUEST * 2);
	n = (size_t)sprintf(big, "{\"version\":1,\"command\":[");
	for (int i = 0; i <= CTL_MAX_ARGS; i++)
		n += (size_t)sprintf(big + n, "%s\"w\"", i > 0 ? "," : "");
	strcpy(big + n, "]}");
	ck_assert_int_eq(decode_str(big, &rq, err, sizeof(err)), -1);
	/* a word of CTL_MAX_ARG + 1 bytes */
	n = (size_t)sprintf(big, "{\"version\":1,\"command\":[\"");
	memset(big + n, 'x', CTL_MAX_ARG + 1);
	strcpy(big + n + CTL_MAX_ARG + 1, "\"]}");
	ck_assert_int_eq(decode_str(big, &rq, err, sizeof(err)), -1);
	/* deep nesting and a request larger than the limit */
	memset(big, '[', CTL_MAX_REQUEST + 10);
	big[CTL_MAX_REQUEST + 10] = '\0';
	ck_assert_int_eq(decode_str(big, &rq, err, sizeof(err)), -1);
	memset(big, '[', 5000);
	big[5000] = '\0';
	ck_assert_int_eq(decode_str(big, &rq, err, sizeof(err)), -1);
	free(big);
}
END_TEST

START_TEST(reply_round_trip)
{
	json_t *state = json_pack("{s:i,s:[]}", "version", 1,
	    "vrrp_instances"), *root, *st;
	const char *text;
	char err[256], *s;
	int status;
	size_t len;

	s = ctl_reply_encode(CTL_ENOENT, "no such\xff thing", 14, state, &len);
	ck_assert_ptr_nonnull(s);
	root = ctl_reply_decode(s, len, &status, &text, &st, err, sizeof(err));
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(status, CTL_ENOENT);
	ck_assert_str_eq(text, "no such? thing");
	ck_assert(json_is_array(json_object_get(st, "vrrp_instances")));
	json_decref(root);
	free(s);
	json_decref(state);
	/* garbage, another version, an unknown status */
	ck_assert_ptr_null(ctl_reply_decode("xx", 2, &status, &text, &st,
	    err, sizeof(err)));
	s = "{\"version\":9,\"status\":\"ok\"}";
	ck_assert_ptr_null(ctl_reply_decode(s, strlen(s), &status, &text, &st,
	    err, sizeof(err)));
	s = "{\"version\":1,\"status\":\"maybe\"}";
	ck_assert_ptr_null(ctl_reply_decode(s, strlen(s), &status, &text, &st,
	    err, sizeof(err)));
}
END_TEST

START_TEST(statuses_and_frames)
{
	struct ipc_hdr h;
	size_t len;
	char *f;

	for (int i = 0; i < CTL_NSTATUS; i++) {
		ck_assert_ptr_nonnull(ctl_status_name(i));
		ck_assert_int_eq(ctl_status_from_name(ctl_status_name(i)), i);
	}
	ck_assert_ptr_null(ctl_status_name(CTL_NSTATUS));
	ck_assert_int_eq(ctl_status_exit(CTL_OK), 0);
	ck_assert_int_eq(ctl_status_exit(CTL_ENOENT), 3);
	ck_assert_int_eq(ctl_status_exit(CTL_EDENIED), 4);
	ck_assert_int_eq(ctl_status_from_ipc(IPC_CMD_EUNKNOWN), CTL_EUNKNOWN);
	ck_assert_int_eq(ctl_status_from_ipc(12345), CTL_EFAIL);
	f = ctl_frame(CTL_MSG_REQUEST, "abc", 3, &len);
	ck_assert_uint_eq(len, sizeof(h) + 3);
	memcpy(&h, f, sizeof(h));
	ck_assert_uint_eq(h.type, CTL_MSG_REQUEST);
	ck_assert_uint_eq(h.len, 3);
	ck_assert_int_eq(memcmp(f + sizeof(h), "abc", 3), 0);
	free(f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ctl_proto");
	TCase *tc = tcase_create("ctl_proto");

	tcase_add_test(tc, request_round_trip);
	tcase_add_test(tc, request_refused);
	tcase_add_test(tc, reply_round_trip);
	tcase_add_test(tc, statuses_and_frames);
	suite_add_tcase(s, tc);
	return check_run(s);
}
