/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run a Check suite; the exit status tells the test harness the result. */
#ifndef VIGIL_TEST_CHECK_RUN_H
#define VIGIL_TEST_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int
check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
