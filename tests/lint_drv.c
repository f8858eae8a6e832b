/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint_drv [-i ID_A] [-j ID_B] A B: vigilctl lint's code on its own. */
#include "autoconfig.h"

#include <stdio.h>

#include "daemon/lint.h"

int
main(int argc, char **argv)
{
	return lint_main(argc, argv, stdout, stderr);
}
