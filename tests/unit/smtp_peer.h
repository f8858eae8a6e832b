/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A scripted SMTP peer for the unit tests: a forked process on a
 * loopback listener that answers each connection in turn (or, silent,
 * holds it and never speaks) and records every line it receives in a
 * file the test reads once it ended it.
 */
#ifndef VIGIL_TEST_SMTP_PEER_H
#define VIGIL_TEST_SMTP_PEER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct peer {
	pid_t pid;
	unsigned port;
	char file[64];		/* what it received */
	int lfd;
};

enum peer_mode {
	PEER_OK,		/* every command accepted */
	PEER_RCPT_550,		/* the first RCPT refused */
	PEER_MULTILINE,		/* multi-line greeting and HELO reply */
	PEER_SILENT,		/* accepts, never greets */
};

static int
listen_any(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(fd, 128), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
say(int fd, const char *s)
{
	(void)!write(fd, s, strlen(s));
}

/* One line (CRLF kept) into buf; its length, 0 at the end. */
static size_t
get_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		if (read(fd, buf + n, 1) != 1)
			break;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	return n;
}

/* One connection's dialogue, recorded in out. */
static void
peer_conn(int fd, enum peer_mode mode, FILE *out)
{
	char line[2048];
	int rcpts = 0;

	say(fd, mode == PEER_MULTILINE ? "220-mx.test hello\r\n"
	    "220-more\r\n220 mx.test ESMTP\r\n" : "220 mx.test ESMTP\r\n");
	while (get_line(fd, line, sizeof(line)) > 0) {
		fputs(line, out);
		if (strncmp(line, "HELO", 4) == 0)
			say(fd, mode == PEER_MULTILINE ? "250-mx.test\r\n"
			    "250 OK\r\n" : "250 mx.test\r\n");
		else if (strncmp(line, "MAIL", 4) == 0)
			say(fd, "250 2.1.0 Ok\r\n");
		else if (strncmp(line, "RCPT", 4) == 0)
			say(fd, mode == PEER_RCPT_550 && rcpts++ == 0 ?
			    "550 5.1.1 no such user\r\n" : "250 2.1.5 Ok\r\n");
		else if (strncmp(line, "DATA", 4) == 0) {
			say(fd, "354 End data with <CR><LF>.<CR><LF>\r\n");
			while (get_line(fd, line, sizeof(line)) > 0) {
				fputs(line, out);
				if (strcmp(line, ".\r\n") == 0)
					break;
			}
			say(fd, "250 2.0.0 Ok: queued\r\n");
		} else if (strncmp(line, "QUIT", 4) == 0) {
			say(fd, "221 2.0.0 Bye\r\n");
			break;
		} else
			say(fd, "500 what\r\n");
	}
	fflush(out);
	close(fd);
}

/* Connections one after the other until killed (at most 30 s). */
static void
peer_serve(int lfd, enum peer_mode mode, const char *file)
{
	FILE *out = fopen(file, "w");
	int fd;

	alarm(30);
	if (out == NULL)
		_exit(1);
	/* each line as it comes: the test may end the peer right after
	 * the client saw the last reply */
	setvbuf(out, NULL, _IOLBF, 0);
	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		if (mode == PEER_SILENT)
			continue;	/* held open, never answered */
		peer_conn(fd, mode, out);
	}
	_exit(1);
}

static void
peer_start(struct peer *p, enum peer_mode mode)
{
	snprintf(p->file, sizeof(p->file), "/tmp/test_smtp_alert.%d",
	    (int)getpid());
	p->lfd = listen_any(&p->port);
	p->pid = fork();
	ck_assert_int_ge(p->pid, 0);
	if (p->pid == 0) {
		/* Check's handler would take the test's group with it */
		signal(SIGTERM, SIG_DFL);
		peer_serve(p->lfd, mode, p->file);
	}
}

/* Its transcript, once it ended. */
static char *
peer_end(struct peer *p)
{
	char *s = calloc(1, 65536);
	int st, fd;
	ssize_t n;

	kill(p->pid, SIGTERM);
	waitpid(p->pid, &st, 0);
	close(p->lfd);
	ck_assert_ptr_nonnull(s);
	fd = open(p->file, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, s, 65535);
		s[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	unlink(p->file);
	return s;
}

#endif
