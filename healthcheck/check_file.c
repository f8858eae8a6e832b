/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FILE_CHECK: the value of a tracked file, read as keepalived 2.2.7 reads
 * it (at most 127 bytes, strtol base 0: "12", "0x1f", "-3"; a missing,
 * empty or unreadable file is 0; a number outside 32 bits is ignored and
 * the last value kept), times the weight, negated with "reverse":
 *	weight 0: a non-zero value is down (reverse: a zero value is);
 *	otherwise value * weight is added to the real server's weight
 *	(p->weight = configured weight + it), down only when the product
 *	reaches the lowest 32-bit value (keepalived's fault marker).
 * The weight and reverse are the FILE_CHECK's own when given (any weight
 * but the default 1, or reverse), else the track_file block's.
 *
 * keepalived watches the file with inotify; here it is read at each run
 * of the check (every delay_loop). The result is handed back from the
 * loop through the kind's own event, never from start().
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "healthcheck/check_proto.h"
#include "healthcheck/probe.h"

#define FILE_READ_MAX	128

/* env->kinds[CHK_FILE] */
struct file_shared {
	chk_track_file_lookup_fn *lookup;
	void *arg;
};

/* kstate */
struct file_state {
	struct chk_later later;	/* hands the result back from the loop */
	int64_t last;		/* last good value read */
};

int
chk_file_set_lookup(struct chk_env *env, chk_track_file_lookup_fn *fn,
    void *arg)
{
	struct file_shared *sh = env->kinds[CHK_FILE];

	if (sh == NULL) {
		if ((sh = calloc(1, sizeof(*sh))) == NULL)
			return -1;
		env->kinds[CHK_FILE] = sh;
	}
	sh->lookup = fn;
	sh->arg = arg;
	return 0;
}

/* The file's value; *last is kept when the number is out of range. */
static int64_t
file_value(const char *path, int64_t last)
{
	char buf[FILE_READ_MAX];
	ssize_t n;
	long long v;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, NULL, 0);
	if (errno != 0 || v < (long long)INT32_MIN ||
	    v > (long long)INT32_MAX + 1)
		return last;
	return v;
}

static void
file_result(evutil_socket_t fd, short what, void *arg)
{
	struct chk_probe *p = arg;
	const struct chk_checker_conf *ck = p->conf;
	struct file_shared *sh = p->env->kinds[CHK_FILE];
	struct file_state *s = p->kstate;
	struct chk_track_file tf;
	int64_t v, status;
	int weight, mult;

	(void)fd;
	(void)what;
	memset(&tf, 0, sizeof(tf));
	tf.weight = 1;
	if (sh == NULL || sh->lookup == NULL ||
	    sh->lookup(sh->arg, ck->u.file.track_file, &tf) < 0) {
		if (ck->u.file.track_file[0] != '/') {
			chk_probe_done(p, 0, "track_file %s not found",
			    ck->u.file.track_file);
			return;
		}
		tf.path = ck->u.file.track_file;
		tf.weight = 1;
		tf.reverse = 0;
	}
	weight = tf.weight;
	mult = tf.reverse ? -1 : 1;
	if (ck->u.file.weight != 1 || ck->u.file.reverse) {
		weight = ck->u.file.weight;
		mult = ck->u.file.reverse ? -1 : 1;
	}
	v = s->last = file_value(tf.path, s->last);
	if (weight == 0) {
		if ((v != 0) == (mult == 1)) {
			chk_probe_done(p, 0, "%s holds %lld", tf.path,
			    (long long)v);
			return;
		}
		chk_probe_done(p, 1, NULL);
		return;
	}
	status = v * weight * mult;
	if (status <= INT32_MIN) {
		chk_probe_done(p, 0, "%s holds %lld: weight %lld is the "
		    "fault value", tf.path, (long long)v, (long long)status);
		return;
	}
	if (status > INT32_MAX)
		status = INT32_MAX;
	status += p->rs->weight;
	p->weight = status > INT32_MAX ? INT32_MAX : status < INT32_MIN ?
	    INT32_MIN : (int)status;
	chk_probe_done(p, 1, NULL);
}

static int
file_start(struct chk_probe *p)
{
	if (p->conf->u.file.track_file == NULL) {
		chk_probe_fail(p, "no track_file");
		return -1;
	}
	return chk_later_start(p, sizeof(struct file_state), file_result,
	    "the read");
}

static void
file_kind_free(struct chk_env *env)
{
	free(env->kinds[CHK_FILE]);
	env->kinds[CHK_FILE] = NULL;
}

const struct chk_kind chk_kind_file = {
	.kind = CHK_FILE,
	.name = "FILE_CHECK",
	.start = file_start,
	.cancel = chk_later_cancel,
	.release = chk_later_release,
	.kind_free = file_kind_free,
	.fds = 0,
};
