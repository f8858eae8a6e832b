/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The listener of bench/checks: accept and close on PORT as fast as one
 * process can, counting; on SIGUSR1 the count is written to FILE (through
 * FILE.tmp and a rename, so a reader never sees half of it).
 * Usage: accept_close PORT FILE
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t report;

static void
on_usr1(int sig)
{
	(void)sig;
	report = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sigaction sa;
	unsigned long long n = 0;
	char tmp[4096];
	int s, c, one = 1;
	FILE *fp;

	if (argc != 3)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: accept returns */
	sigaction(SIGUSR1, &sa, NULL);
	sin.sin_port = htons((uint16_t)atoi(argv[1]));
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(s, 65535) < 0)
		return 1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	for (;;) {
		if ((c = accept(s, NULL, NULL)) >= 0) {
			close(c);
			n++;
		}
		if (report) {
			report = 0;
			if ((fp = fopen(tmp, "w")) != NULL) {
				fprintf(fp, "%llu\n", n);
				fclose(fp);
				rename(tmp, argv[2]);
			}
		}
	}
}
