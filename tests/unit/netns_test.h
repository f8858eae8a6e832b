/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers of the tests that run the VRRP kernel side against the kernel:
 * a network namespace of the test's own (unshared at start, gone with the
 * process; SKIP (77) without root), a veth pair veth0/veth1 made afresh
 * for each test, commands run and their output read back.
 */
#ifndef VIGIL_TEST_NETNS_TEST_H
#define VIGIL_TEST_NETNS_TEST_H

#include <check.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "vrrp/vip.h"

static inline int __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The output of a command (at most 1 MiB); free it. */
static inline char * __attribute__((format(printf, 1, 2)))
sh_out(const char *fmt, ...)
{
	char cmd[1024], *buf;
	size_t len = 0, n;
	va_list ap;
	FILE *fp;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	buf = calloc(1, 1u << 20);
	ck_assert_ptr_nonnull(buf);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	while (len + 1 < (1u << 20) && (n = fread(buf + len, 1,
	    (1u << 20) - 1 - len, fp)) > 0)
		len += n;
	pclose(fp);
	return buf;
}

/* Whether the line of text holding key also holds every one of words
 * (NULL-terminated). */
static inline int
line_has(const char *text, const char *key, ...)
{
	const char *p = strstr(text, key), *end, *w;
	char line[1024];
	va_list ap;
	int ok = 1;

	if (p == NULL)
		return 0;
	while (p > text && p[-1] != '\n')
		p--;
	end = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", end != NULL ? (int)(end - p) :
	    (int)strlen(p), p);
	va_start(ap, key);
	while (ok && (w = va_arg(ap, const char *)) != NULL)
		if (strstr(line, w) == NULL) {
			fprintf(stderr, "'%s' not in: %s\n", w, line);
			ok = 0;
		}
	va_end(ap);
	return ok;
}

/* Whether the line of text holding key holds word, quietly. */
static inline int
line_has_word(const char *text, const char *key, const char *word)
{
	const char *p = strstr(text, key), *end;

	if (p == NULL)
		return 0;
	end = strchr(p, '\n');
	while (p > text && p[-1] != '\n')
		p--;
	p = strstr(p, word);
	return p != NULL && (end == NULL || p < end);
}

static inline unsigned
count(const char *text, const char *s)
{
	unsigned n = 0;

	for (; (text = strstr(text, s)) != NULL; text += strlen(s))
		n++;
	return n;
}

static inline int
idx(const char *name)
{
	return (int)if_nametoindex(name);
}

static inline unsigned
sysctl_get(const char *ifname, const char *what)
{
	char path[256], buf[16] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", ifname,
	    what);
	if ((fp = fopen(path, "r")) == NULL)
		return 99;
	if (fgets(buf, sizeof(buf), fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	return (unsigned)atoi(buf);
}

static inline struct vrrp_kernel *
kernel(void)
{
	struct vrrp_kernel *k = vrrp_kernel_new(0, 0);

	ck_assert_ptr_nonnull(k);
	return k;
}

static inline void
net_setup(void)
{
	sh("ip link del veth0 2>/dev/null");
	ck_assert_int_eq(sh("ip link add veth0 type veth peer name veth1 && "
	    "ip link set veth0 up && ip link set veth1 up"), 0);
}

static inline void
net_teardown(void)
{
	sh("ip link del veth0 2>/dev/null; ip link del vethx 2>/dev/null");
}

/* Into a network namespace of our own with lo up; 0, or 77 (SKIP). */
static inline int
netns_enter(const char *test)
{
	if (geteuid() != 0) {
		fprintf(stderr, "%s: needs root\n", test);
		return 77;
	}
	if (unshare(CLONE_NEWNET) == -1) {
		fprintf(stderr, "%s: unshare: %s\n", test, strerror(errno));
		return 77;
	}
	if (system("ip link set lo up") != 0) {
		fprintf(stderr, "%s: ip(8) does not work\n", test);
		return 77;
	}
	log_init(test, LOG_F_STDERR, LOG_DAEMON, 0);
	return 0;
}

#endif
