/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigilctl: see and steer a running vigild through its control socket
 * (docs/control.md, vigilctl(8)). One request, one reply; the exit code
 * says how it went.
 */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "ipc.h"
#include "lint.h"
#include "pidfile.h"
#include "vigilctl.h"

#define DEFAULT_SOCKET VIGIL_PID_DIR "/vigild.ctl"
#define SUBDIR_SOCKET VIGIL_PID_SUBDIR "/vigild.ctl"
#define DEFAULT_TIMEOUT_MS 30000
#define DUMP_TIMEOUT_MS 190000	/* dump: vigild waits up to 120 s for the
				 * parts, 60 s for the file */

struct opts {
	const char *socket;
	int json;
	int refresh;
	int timeout_ms;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vigilctl [-j] [-s SOCKET] [-t SECONDS] [--no-refresh] "
	    "COMMAND [ARG...]\n"
	    "read (the socket's group):\n"
	    "  status                      instances, virtual and real servers\n"
	    "  show vrrp|checks|ipvs [NAME]\n"
	    "  ping                        is vigild there?\n"
	    "steer (root):\n"
	    "  drain REAL [VS]             weight 0 in every VS holding REAL\n"
	    "  undrain REAL [VS]\n"
	    "  set-weight VS REAL W\n"
	    "  add-real VS REAL [weight W] [check ...]\n"
	    "  remove-real VS REAL\n"
	    "  vrrp force-backup INSTANCE  hand the VIPs to the peer, stay "
	    "BACKUP\n"
	    "  vrrp release INSTANCE\n"
	    "  vrrp set-priority INSTANCE P  base priority 1-254 until "
	    "a reload changes INSTANCE\n"
	    "  vrrp set-preempt INSTANCE on|off\n"
	    "  reload | reopen-logs\n"
	    "  dump [data|stats|json]      keepalived's SIGUSR1 / SIGUSR2 / "
	    "JSON dumps, as text\n"
	    "  diff [FILE]                 what a reload to FILE would change\n"
	    "offline (no vigild needed):\n"
	    "  lint [--json] [-i ID_A] [-j ID_B] FILE_A FILE_B   lint a director pair\n"
	    "REAL: addr:port or [v6]:port. VS: its name, addr:port[/proto], "
	    "'fwmark N', 'group NAME'.\n"
	    "-j, --json prints the reply as JSON (docs/json.md).\n");
}

/* ---- the exchange ---------------------------------------------------------- */

static int
wait_fd(int fd, short events, int64_t deadline_ms)
{
	struct timespec now;
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left;
	int rc;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = deadline_ms - ((int64_t)now.tv_sec * 1000 +
		    now.tv_nsec / 1000000);
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		rc = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static int
write_all(int fd, const char *buf, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) < 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_all(int fd, char *buf, size_t len, int64_t deadline)
{
	while (len > 0) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) < 0)
				return -1;
			continue;
		}
		if (n == 0)
			errno = ECONNRESET;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int64_t
deadline_after(int ms)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + ms;
}

/* Send the request, read the reply payload (malloc'd into *out). 0, or -1
 * with the cause printed. */
static int
exchange(const struct opts *o, int argc, char *const argv[], char **out,
    size_t *outlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int64_t deadline = deadline_after(o->timeout_ms);
	struct ipc_hdr h;
	size_t len, flen;
	char *req, *frame;
	int fd;

	if (o->socket[0] == '\0') {
		fprintf(stderr, "vigilctl: -s: an empty socket path\n");
		return -1;
	}
	if (strlen(o->socket) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "vigilctl: socket path too long: %s\n",
		    o->socket);
		return -1;
	}
	strcpy(sa.sun_path, o->socket);
	/* show ipvs's table is drawn by vigild from its store: at 100,000
	 * real servers a JSON document costs vigilctl seconds to read */
	if ((req = ctl_request_encode_text(argc, argv, o->refresh, !o->json &&
	    argc >= 2 && strcmp(argv[0], "show") == 0 &&
	    strcmp(argv[1], "ipvs") == 0, &len)) == NULL) {
		fprintf(stderr, "vigilctl: cannot encode the command (more "
		    "than %d words, or not UTF-8)\n", CTL_MAX_ARGS);
		return -1;
	}
	frame = ctl_frame(CTL_MSG_REQUEST, req, len, &flen);
	free(req);
	if (frame == NULL)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		if (e == ECONNREFUSED && stat(o->socket, &st) == 0 &&
		    !S_ISSOCK(st.st_mode))
			fprintf(stderr, "vigilctl: cannot connect to %s: it is "
			    "no socket (-s names vigild's control socket, "
			    "%s by default)\n", o->socket, DEFAULT_SOCKET);
		else
			fprintf(stderr, "vigilctl: cannot connect to %s: "
			    "%s%s\n", o->socket, strerror(e), e == ENOENT ||
			    e == ECONNREFUSED ? " (is vigild running? -s "
			    "names another socket)" : "");
		if (fd >= 0)
			close(fd);
		free(frame);
		return -1;
	}
	if (write_all(fd, frame, flen, deadline) < 0 ||
	    read_all(fd, (char *)&h, sizeof(h), deadline) < 0) {
		fprintf(stderr, "vigilctl: %s: %s\n", o->socket,
		    errno == ETIMEDOUT ? "no reply in time" : strerror(errno));
		close(fd);
		free(frame);
		return -1;
	}
	free(frame);
	if (h.type != CTL_MSG_REPLY || h.len > IPC_MAX_FRAME ||
	    (*out = malloc(h.len + 1)) == NULL) {
		fprintf(stderr, "vigilctl: %s: not a vigild reply\n", o->socket);
		close(fd);
		return -1;
	}
	if (read_all(fd, *out, h.len, deadline) < 0) {
		fprintf(stderr, "vigilctl: %s: reply cut short: %s\n",
		    o->socket, strerror(errno));
		free(*out);
		close(fd);
		return -1;
	}
	close(fd);
	(*out)[h.len] = '\0';
	*outlen = h.len;
	return 0;
}

/* ---- commands ---------------------------------------------------------------- */

static int
is_read(int argc, char *const argv[])
{
	return strcmp(argv[0], "status") == 0 ||
	    (strcmp(argv[0], "show") == 0 && argc > 1);
}

static void
print_state(int argc, char *const argv[], json_t *state)
{
	if (strcmp(argv[0], "status") == 0)
		vigilctl_show_status(stdout, state);
	else if (strcmp(argv[1], "vrrp") == 0)
		vigilctl_show_vrrp(stdout, state);
	else if (strcmp(argv[1], "checks") == 0)
		vigilctl_show_checks(stdout, state, argc > 2);
	else
		vigilctl_show_ipvs(stdout, state);
}

static int
run(const struct opts *o, int argc, char *const argv[])
{
	char *buf, err[256];
	const char *text;
	json_t *root, *state;
	size_t len;
	int status, tlen;

	if (exchange(o, argc, argv, &buf, &len) < 0)
		return VIGILCTL_EXIT_CONNECT;
	root = ctl_reply_decode(buf, len, &status, &text, &state, err,
	    sizeof(err));
	free(buf);
	if (root == NULL) {
		fprintf(stderr, "vigilctl: %s\n", err);
		return VIGILCTL_EXIT_CONNECT;
	}
	/* the children's text may end in newlines: one is printed */
	tlen = (int)strlen(text);
	while (tlen > 0 && text[tlen - 1] == '\n')
		tlen--;
	/* a read command's answer is its state (show ipvs: its table) */
	if (status == CTL_OK && is_read(argc, argv) && state == NULL &&
	    tlen == 0) {
		fprintf(stderr, "vigilctl: %s: a reply without the state it "
		    "asked for: not a vigild reply\n", o->socket);
		json_decref(root);
		return VIGILCTL_EXIT_CONNECT;
	}
	if (o->json) {
		json_dumpf(status == CTL_OK && is_read(argc, argv) &&
		    state != NULL ? state : root, stdout,
		    JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else if (status == CTL_OK && state != NULL) {
		print_state(argc, argv, state);
	} else if (status == CTL_OK) {
		if (tlen > 0)
			printf("%.*s\n", tlen, text);
	}
	if (status != CTL_OK)
		fprintf(stderr, "vigilctl: %.*s%s(%s)\n", tlen, text,
		    tlen > 0 ? " " : "", ctl_status_name(status));
	json_decref(root);
	return ctl_status_exit(status);
}

/* diff FILE: vigild reads it from "/"; a relative name is the caller's. */
static char *
absolute(char *p, char *buf, size_t len)
{
	char cwd[PATH_MAX];

	if (p[0] == '/')
		return p;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	if ((size_t)snprintf(buf, len, "%s/%s", cwd, p) >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return buf;
}

int
main(int argc, char *argv[])
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-refresh", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static char path[PATH_MAX];
	struct opts o = { .socket = getenv("VIGIL_CONTROL_SOCKET"),
	    .refresh = 1, .timeout_ms = DEFAULT_TIMEOUT_MS };
	char *end;
	long t;
	int c, timeout_set = 0;

	if (o.socket == NULL || o.socket[0] == '\0') {
		struct stat st;

		/* a vigild under use_pid_dir has its socket beside its pid
		 * file there */
		o.socket = DEFAULT_SOCKET;
		if (stat(DEFAULT_SOCKET, &st) < 0 &&
		    stat(SUBDIR_SOCKET, &st) == 0)
			o.socket = SUBDIR_SOCKET;
	}
	/* "+": options end at the command (its words may start with '-') */
	while ((c = getopt_long(argc, argv, "+js:t:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 's':
			o.socket = optarg;
			break;
		case 't':
			t = strtol(optarg, &end, 10);
			if (*end != '\0' || t < 1 || t > 3600) {
				fprintf(stderr, "vigilctl: -t: seconds from 1 "
				    "to 3600\n");
				return 2;
			}
			o.timeout_ms = (int)t * 1000;
			timeout_set = 1;
			break;
		case 'R':
			o.refresh = 0;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vigilctl %s (control protocol %d)\n",
			    PACKAGE_VERSION, CTL_PROTO_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[0], "lint") == 0)
		return lint_main(argc, argv, o.json, stdout, stderr);
	if (strcmp(argv[0], "diff") == 0 && argc == 2 &&
	    (argv[1] = absolute(argv[1], path, sizeof(path))) == NULL) {
		fprintf(stderr, "vigilctl: diff: cannot make the path "
		    "absolute: %s\n", strerror(errno));
		return 2;
	}
	/* a data dump waits for the children's parts, longer at scale
	 * (vigild's bound is at most 120 s) */
	if (!timeout_set && strcmp(argv[0], "dump") == 0)
		o.timeout_ms = DUMP_TIMEOUT_MS;
	if (argc > CTL_MAX_ARGS) {
		fprintf(stderr, "vigilctl: at most %d words\n", CTL_MAX_ARGS);
		return 2;
	}
	return run(&o, argc, argv);
}
