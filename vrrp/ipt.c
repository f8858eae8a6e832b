/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VIP firewalling with iptables and ipsets (vrrp/ipt.h).
 *
 * The rules are written in the form `iptables -S` prints them, so the
 * rules already there (left by an earlier run under -V, or by a crash)
 * are recognised and not added twice. The iptables binaries are run
 * (libiptc is not packaged for building against); the sets go through
 * libipset, in-process.
 *
 * Running the binary: at the start and the stop, a bounded one-off: one
 * `iptables -S` and one `iptables-restore --noflush` a family, the two
 * families' side by side, waited for (IPT_WAIT_MS at most, killed past
 * it); two process lifetimes in all, once. Per
 * VIP change (no ipsets) never waited for: the change goes to
 * iptables-restore through the non-blocking script runner (lib/script.h),
 * one run at a time in the order asked, the changes asked meanwhile
 * batched into the next run.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "script.h"
#include "vrrp/ipt.h"

#ifdef HAVE_LIBIPSET
#include <libipset/ipset.h>
#include <libipset/session.h>
#include <libipset/types.h>
#endif

#define IPT_WAIT_MS	2000	/* one binary at the start or the stop; its
				 * -w 1 waits for the xtables lock well
				 * inside it */
#define IPT_RUN_USEC	(5 * 1000000ULL)	/* one batch of VIP changes */
#define IPT_SETNAME_MAX	30	/* keepalived's limit (IPSET_MAXNAMELEN 32) */

extern char **environ;

/* a rule as `iptables -S` prints it, without its "-A " */
struct ipt_line {
	char *text;
	int ours;	/* added, or found and taken on, by this run */
};

struct ipt_fam {
	int on;
	const char *bin, *restore;	/* "iptables", "iptables-restore" */
	struct ipt_line *lines;
	unsigned n, cap;
	char *pend;			/* a batch waiting for the runner */
	size_t plen, pcap;
};

struct vrrp_ipt {
	char *in, *out;
	int no_sets, chains_given;
	unsigned fams, vmac_fams;
	char *given[5];			/* as the configuration names them */
	char sets[5][IPT_SETNAME_MAX + 8];
	struct ipt_fam fam[2];		/* [0] IPv4, [1] IPv6 */
	struct script_runner *sr;
	struct script_run *run;
	int run_fam, run_fd;
#ifdef HAVE_LIBIPSET
	struct ipset *ipset;
#endif
};

enum { SET_ADDR, SET_ADDR6, SET_IF6, SET_IGMP, SET_MLD };

/* family k (0 IPv4, 1 IPv6) as a VRRP_IPT_* bit */
#define FAM_BIT(k)	((k) == 0 ? VRRP_IPT_V4 : VRRP_IPT_V6)

/* ---- names --------------------------------------------------------------- */

static void
name_from(char *out, const char *base, const char *suffix, int drop6)
{
	size_t l = strlen(base);

	if (drop6 && l > 0 && base[l - 1] == '6')
		l--;
	if (l > IPT_SETNAME_MAX - strlen(suffix))
		l = IPT_SETNAME_MAX - strlen(suffix);
	snprintf(out, IPT_SETNAME_MAX + 8, "%.*s%s", (int)l, base, suffix);
}

/* keepalived's names: those given, the others derived from the first
 * (or "keepalived") as its vrrp_ipsets handler derives them. -1 if one
 * given is too long. */
static int
set_names(struct vrrp_ipt *i)
{
	/* set k not given: from set `from`, a final 6 dropped or not, and
	 * the suffix */
	static const struct { unsigned from; int drop6; const char *sfx; }
	    d[5] = {
		[SET_ADDR6] = { SET_ADDR, 0, "6" },
		[SET_IF6] = { SET_ADDR6, 1, "_if6" },
		[SET_IGMP] = { SET_ADDR, 0, "_igmp" },
		[SET_MLD] = { SET_ADDR, 0, "_mld" },
	};

	for (unsigned k = 0; k < 5; k++) {
		if (i->given[k] != NULL &&
		    strlen(i->given[k]) > IPT_SETNAME_MAX) {
			log_err("vrrp_ipsets: set name %s: longer than %u "
			    "characters", i->given[k], IPT_SETNAME_MAX);
			return -1;
		}
		if (i->given[k] != NULL || k == SET_ADDR)
			snprintf(i->sets[k], sizeof(i->sets[k]), "%s",
			    i->given[k] != NULL ? i->given[k] : "keepalived");
		else
			name_from(i->sets[k], i->sets[d[k].from], d[k].sfx,
			    d[k].drop6);
	}
	return 0;
}

/* ---- running the binaries ------------------------------------------------ */

static int
mem_file(const char *name, const char *text, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A binary under way at the start or the stop: argv (searched in PATH)
 * with in on its standard input, its output and errors into a memfd.
 * The two families' run side by side, each waited for until IPT_WAIT_MS
 * after the batch began (killed past it).
 */
struct ipt_proc {
	pid_t pid;		/* -1: none */
	int ofd;
	const char *name;
};

static int
proc_start(struct ipt_proc *p, char *const argv[], const char *in)
{
	posix_spawn_file_actions_t fa;
	int ifd = mem_file("vigil-ipt-in", in != NULL ? in : "",
	    in != NULL ? strlen(in) : 0);
	int r;

	p->pid = -1;
	p->name = argv[0];
	p->ofd = memfd_create("vigil-ipt-out", MFD_CLOEXEC);
	if (ifd < 0 || p->ofd < 0) {
		log_err("%s: %s", argv[0], strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, ifd, 0);
	posix_spawn_file_actions_adddup2(&fa, p->ofd, 1);
	posix_spawn_file_actions_adddup2(&fa, p->ofd, 2);
	r = posix_spawnp(&p->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		log_err("%s: cannot run it: %s", argv[0], strerror(r));
		p->pid = -1;
		goto fail;
	}
	close(ifd);
	return 0;
fail:
	if (ifd >= 0)
		close(ifd);
	if (p->ofd >= 0)
		close(p->ofd);
	p->ofd = -1;
	return -1;
}

/* Wait for p (started since t0); its output into *out (NUL-terminated,
 * malloc'd). The exit status, or -1 (none started, killed: logged). */
static int
proc_wait(struct ipt_proc *p, const struct timespec *t0, char **out)
{
	struct timespec now, nap = { 0, 1000000 };
	int status = -1;

	*out = NULL;
	if (p->pid < 0)
		return -1;
	for (;;) {
		pid_t w = waitpid(p->pid, &status, WNOHANG);

		if (w == p->pid)
			break;
		if (w < 0 && errno != EINTR) {
			log_err("%s: %s", p->name, strerror(errno));
			status = -1;
			goto done;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0->tv_sec) * 1000 +
		    (now.tv_nsec - t0->tv_nsec) / 1000000 > IPT_WAIT_MS) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			log_err("%s: no answer in %u ms, killed", p->name,
			    IPT_WAIT_MS);
			status = -1;
			goto done;
		}
		nanosleep(&nap, NULL);
	}
	status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	{
		off_t sz = lseek(p->ofd, 0, SEEK_END);

		if (sz >= 0 && (*out = malloc((size_t)sz + 1)) != NULL) {
			ssize_t got = pread(p->ofd, *out, (size_t)sz, 0);

			(*out)[got > 0 ? got : 0] = '\0';
		}
	}
done:
	close(p->ofd);
	p->ofd = -1;
	p->pid = -1;
	return status;
}

/* ---- the rules a family knows -------------------------------------------- */

static struct ipt_line *
line_find(struct ipt_fam *f, const char *text)
{
	for (unsigned k = 0; k < f->n; k++)
		if (strcmp(f->lines[k].text, text) == 0)
			return &f->lines[k];
	return NULL;
}

static struct ipt_line *
line_add(struct ipt_fam *f, const char *text)
{
	if (f->n == f->cap) {
		unsigned cap = f->cap != 0 ? 2 * f->cap : 16;
		struct ipt_line *l = realloc(f->lines, cap * sizeof(*l));

		if (l == NULL)
			return NULL;
		f->lines = l;
		f->cap = cap;
	}
	if ((f->lines[f->n].text = strdup(text)) == NULL)
		return NULL;
	f->lines[f->n].ours = 0;
	return &f->lines[f->n++];
}

static void
line_del(struct ipt_fam *f, struct ipt_line *l)
{
	free(l->text);
	*l = f->lines[--f->n];
}

static void
lines_free(struct ipt_fam *f)
{
	for (unsigned k = 0; k < f->n; k++)
		free(f->lines[k].text);
	free(f->lines);
	f->lines = NULL;
	f->n = f->cap = 0;
}

/* `iptables -S`, started. */
static int
list_start(struct ipt_fam *f, struct ipt_proc *p)
{
	char *const argv[] = { (char *)f->bin, "-w", "1", "-S", NULL };

	return proc_start(p, argv, NULL);
}

/* Its end: the rules of the filter table into f->lines; whether the
 * chains exist. 0 or -1 (logged). */
static int
list_end(struct vrrp_ipt *i, struct ipt_fam *f, struct ipt_proc *p,
    const struct timespec *t0)
{
	char *out, *s, *nl;
	int found_in = 0, found_out = i->out == NULL;

	if (p->pid < 0)
		return -1;
	if (proc_wait(p, t0, &out) != 0) {
		log_err("%s -S failed: %s", f->bin, out != NULL ? out : "");
		free(out);
		return -1;
	}
	lines_free(f);
	for (s = out; s != NULL && *s != '\0'; s = nl != NULL ? nl + 1 : NULL) {
		size_t cl;

		if ((nl = strchr(s, '\n')) != NULL)
			*nl = '\0';
		if (strncmp(s, "-A ", 3) == 0) {
			if (line_add(f, s + 3) == NULL)
				break;
			continue;
		}
		if (strncmp(s, "-P ", 3) != 0 && strncmp(s, "-N ", 3) != 0)
			continue;
		s += 3;
		cl = strcspn(s, " ");
		if (strlen(i->in) == cl && strncmp(s, i->in, cl) == 0)
			found_in = 1;
		if (i->out != NULL && strlen(i->out) == cl &&
		    strncmp(s, i->out, cl) == 0)
			found_out = 1;
	}
	free(out);
	if (!found_in || !found_out) {
		log_err("vrrp_iptables: %s chain %s does not exist", f->bin,
		    !found_in ? i->in : i->out);
		return -1;
	}
	return 0;
}

static int
buf_add(char **b, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
buf_add(char **b, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*b != NULL ? *b + *len : NULL,
		    *b != NULL ? *cap - *len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -1;
		if (*b != NULL && *len + (size_t)n < *cap) {
			*len += (size_t)n;
			return 0;
		}
		size_t c = *cap + (size_t)n + 256;
		char *nb = realloc(*b, c);

		if (nb == NULL)
			return -1;
		*b = nb;
		*cap = c;
	}
}

/*
 * Ask for rule text (CHAIN SPEC) in f: added (at the head of its chain
 * when head) if not there yet, deleted if there; the command goes into
 * the batch b. The rule is taken as done: a batch that fails is logged.
 */
static int
rule(struct ipt_fam *f, char **b, size_t *len, size_t *cap, int add,
    int head, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static int
rule(struct ipt_fam *f, char **b, size_t *len, size_t *cap, int add,
    int head, const char *fmt, ...)
{
	char text[512], chain[64];
	struct ipt_line *l;
	size_t cl;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	l = line_find(f, text);
	if (add) {
		if (l != NULL) {
			l->ours = 1;
			return 0;
		}
		if ((l = line_add(f, text)) == NULL)
			return -1;
		l->ours = 1;
		if (!head)
			return buf_add(b, len, cap, "-A %s\n", text);
		cl = strcspn(text, " ");
		snprintf(chain, sizeof(chain), "%.*s", (int)cl, text);
		return buf_add(b, len, cap, "-I %s 1%s\n", chain, text + cl);
	}
	if (l == NULL)
		return 0;
	line_del(f, l);
	return buf_add(b, len, cap, "-D %s\n", text);
}

/* iptables-restore --noflush on the batch, started (nothing when the
 * batch is empty: p->pid -1). 0 or -1. */
static int
restore_start(struct ipt_fam *f, const char *batch, struct ipt_proc *p)
{
	char *const argv[] = { (char *)f->restore, "-w", "1", "--noflush",
		NULL };
	char *in = NULL;
	size_t len = 0, cap = 0;
	int r;

	p->pid = -1;
	p->ofd = -1;
	if (batch == NULL || *batch == '\0')
		return 0;
	if (buf_add(&in, &len, &cap, "*filter\n%sCOMMIT\n", batch) == -1)
		return -1;
	r = proc_start(p, argv, in);
	free(in);
	return r;
}

/* Its end. 0 or -1 (logged). */
static int
restore_end(struct ipt_fam *f, struct ipt_proc *p, const struct timespec *t0)
{
	char *out;
	int r;

	if (p->pid < 0)
		return 0;
	if ((r = proc_wait(p, t0, &out)) != 0)
		log_err("%s: %s", f->restore, out != NULL && *out != '\0' ?
		    out : "failed");
	free(out);
	return r == 0 ? 0 : -1;
}

/* Both families' batches b[k] (of the families on), side by side. */
static int
restore_both(struct vrrp_ipt *i, char *const b[2])
{
	struct ipt_proc p[2];
	struct timespec t0;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned k = 0; k < 2; k++)
		if (restore_start(&i->fam[k], i->fam[k].on ? b[k] : NULL,
		    &p[k]) == -1)
			r = -1;
	for (unsigned k = 0; k < 2; k++)
		if (restore_end(&i->fam[k], &p[k], &t0) == -1)
			r = -1;
	return r;
}

/* ---- the rules of the sets, or of one VIP -------------------------------- */

/* The rules matching the sets of family k (0 IPv4, 1 IPv6), into the
 * batch. */
static int
set_rules(struct vrrp_ipt *i, unsigned k, char **b, size_t *len,
    size_t *cap, int add)
{
	struct ipt_fam *f = &i->fam[k];
	const char *in = i->in, *out = i->out;
	int r = 0;

	/* the VMACs' IGMP / MLD drop first: keepalived makes it when the
	 * VMAC is made, before any VIP is blocked */
	if (out != NULL && (i->vmac_fams & FAM_BIT(k)))
		r |= k == 0 ? rule(f, b, len, cap, add, 0, "%s -p igmp -m set "
		    "--match-set %s dst,dst -j DROP", out, i->sets[SET_IGMP]) :
		    rule(f, b, len, cap, add, 0, "%s -p ipv6-icmp -m set "
		    "--match-set %s dst,dst -m icmp6 --icmpv6-type 143 -j DROP",
		    out, i->sets[SET_MLD]);
	if (!(i->fams & FAM_BIT(k)))
		return r;
	if (k == 0) {
		r |= rule(f, b, len, cap, add, 0, "%s -m set --match-set %s "
		    "dst -j DROP", in, i->sets[SET_ADDR]);
		if (out != NULL)
			r |= rule(f, b, len, cap, add, 0, "%s -m set "
			    "--match-set %s src -j DROP", out,
			    i->sets[SET_ADDR]);
		return r;
	}
	/* neighbour solicitations and advertisements go through; the
	 * link-local set first, as keepalived's */
	for (unsigned d = 0; d < 2; d++) {
		const char *chain = d == 0 ? in : out;

		if (chain == NULL)
			continue;
		for (unsigned s = 0; s < 2; s++) {
			const char *set = i->sets[s == 0 ? SET_IF6 : SET_ADDR6];
			const char *dir = s == 0 ? (d == 0 ? "dst,src" :
			    "src,dst") : (d == 0 ? "dst" : "src");

			r |= rule(f, b, len, cap, add, 0, "%s -p ipv6-icmp -m "
			    "set --match-set %s %s -m icmp6 --icmpv6-type 135 "
			    "-j ACCEPT", chain, set, dir);
			r |= rule(f, b, len, cap, add, 0, "%s -p ipv6-icmp -m "
			    "set --match-set %s %s -m icmp6 --icmpv6-type 136 "
			    "-j ACCEPT", chain, set, dir);
			r |= rule(f, b, len, cap, add, 0, "%s -m set "
			    "--match-set %s %s -j DROP", chain, set, dir);
		}
	}
	return r;
}

/* The rules of one VIP (no ipsets), keepalived's, in the order it leaves
 * them at the head of the chains: for IPv6 the neighbour discovery
 * accepts above the drop. Inserted at the head last first. */
static int
vip_rules(struct vrrp_ipt *i, const struct vg_addr *a, const char *ifname,
    int add)
{
	unsigned k = a->family == AF_INET6;
	struct ipt_fam *f = &i->fam[k];
	char ab[ADDR_STRLEN], dev_in[40] = "", dev_out[40] = "";
	const char *pl = k ? "128" : "32";
	int r = 0;

	addr_ntop(a, ab, sizeof(ab));
	if (ifname != NULL) {
		snprintf(dev_in, sizeof(dev_in), " -i %s", ifname);
		snprintf(dev_out, sizeof(dev_out), " -o %s", ifname);
	}
	for (unsigned d = 0; d < 2; d++) {
		const char *chain = d == 0 ? i->in : i->out;
		const char *dir = d == 0 ? "-d" : "-s";
		const char *dev = d == 0 ? dev_in : dev_out;

		if (chain == NULL)
			continue;
		r |= rule(f, &f->pend, &f->plen, &f->pcap, add, 1,
		    "%s %s %s/%s%s -j DROP", chain, dir, ab, pl, dev);
		if (!k)
			continue;
		r |= rule(f, &f->pend, &f->plen, &f->pcap, add, 1, "%s %s "
		    "%s/%s%s -p ipv6-icmp -m icmp6 --icmpv6-type 136 -j ACCEPT",
		    chain, dir, ab, pl, dev);
		r |= rule(f, &f->pend, &f->plen, &f->pcap, add, 1, "%s %s "
		    "%s/%s%s -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT",
		    chain, dir, ab, pl, dev);
	}
	return r;
}

/* ---- the batches of VIP changes (no ipsets) ------------------------------ */

static void run_next(struct vrrp_ipt *i);

static void
run_done(struct script_run *run, enum script_result res, int status,
    void *arg)
{
	struct vrrp_ipt *i = arg;

	(void)run;
	if (res != SCRIPT_EXITED || status != 0)
		log_err("%s: a batch of VIP rules failed (%s %d)",
		    i->fam[i->run_fam].restore, res == SCRIPT_EXITED ?
		    "exit" : res == SCRIPT_TIMEOUT ? "timeout" : "signal",
		    status);
	close(i->run_fd);
	i->run = NULL;
	i->run_fd = -1;
	run_next(i);
}

/* Start the next batch unless one runs. The batch is a memfd the program
 * reads by its /proc path (the runner marks our descriptors
 * close-on-exec; the file stays open here until the run ends). */
static void
run_next(struct vrrp_ipt *i)
{
	char path[64], *in = NULL;
	size_t len = 0, cap = 0;
	struct ipt_fam *f = NULL;
	unsigned k;

	if (i->run != NULL)
		return;
	for (k = 0; k < 2 && f == NULL; k++)
		if (i->fam[k].plen > 0)
			f = &i->fam[k];
	if (f == NULL)
		return;
	if (buf_add(&in, &len, &cap, "*filter\n%sCOMMIT\n", f->pend) == -1 ||
	    (i->run_fd = mem_file("vigil-ipt", in, len)) < 0) {
		log_err("%s: cannot hand over a batch of VIP rules: %s",
		    f->restore, strerror(errno));
		free(in);
		return;
	}
	free(in);
	f->plen = 0;
	f->pend[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/fd/%d", (long)getpid(),
	    i->run_fd);
	{
		char *const argv[] = { (char *)f->restore, "-w", "1",
			"--noflush", path, NULL };
		struct script_opts o = { argv, (uid_t)-1, (gid_t)-1,
			IPT_RUN_USEC, 0, NULL };

		i->run_fam = (int)(f - i->fam);
		if ((i->run = script_start(i->sr, &o, run_done, i)) == NULL) {
			log_err("%s: cannot run it", f->restore);
			close(i->run_fd);
			i->run_fd = -1;
		}
	}
}

/* ---- ipset --------------------------------------------------------------- */

#ifdef HAVE_LIBIPSET
static int
ipset_custom_err(struct ipset *ipset, void *p, int status, const char *msg,
    ...) __attribute__((format(printf, 4, 5)));

static int
ipset_custom_err(struct ipset *ipset, void *p, int status, const char *msg,
    ...)
{
	char b[256];
	va_list ap;

	(void)ipset, (void)p, (void)status;
	va_start(ap, msg);
	vsnprintf(b, sizeof(b), msg, ap);
	va_end(ap);
	log_err("ipset: %s", b);
	return -1;
}

static int
ipset_std_err(struct ipset *ipset, void *p)
{
	struct ipset_session *s = ipset_session(ipset);
	const char *m = ipset_session_report_msg(s);

	(void)p;
	if (ipset_session_report_type(s) == IPSET_ERROR)
		log_err("ipset: %s", m != NULL ? m : "error");
	ipset_session_report_reset(s);
	return -1;
}

static int
ipset_out(struct ipset_session *s, void *p, const char *fmt, ...)
{
	(void)s, (void)p, (void)fmt;
	return 0;
}

/* One ipset command, as its command line would be (words split on
 * spaces). 0 or -1 (logged). */
static int
ipset_do(struct vrrp_ipt *i, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
ipset_do(struct vrrp_ipt *i, const char *fmt, ...)
{
	char line[256], *argv[16], *save = NULL;
	int argc = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[argc++] = "ipset";
	for (char *w = strtok_r(line, " ", &save); w != NULL && argc < 15;
	    w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return ipset_parse_argv(i->ipset, argc, argv) == 0 ? 0 : -1;
}

static int
sets_open(struct vrrp_ipt *i)
{
	ipset_load_types();
	if ((i->ipset = ipset_init()) == NULL) {
		log_err("vrrp_ipsets: cannot start an ipset session");
		return -1;
	}
	ipset_custom_printf(i->ipset, ipset_custom_err, ipset_std_err,
	    ipset_out, NULL);
	return 0;
}

static void
sets_close(struct vrrp_ipt *i)
{
	if (i->ipset != NULL)
		ipset_fini(i->ipset);
	i->ipset = NULL;
}

/* Make (emptied if there) or destroy the sets of the families on. */
static int
sets_make(struct vrrp_ipt *i, int make)
{
	static const struct { unsigned set, k; const char *type; } s[] = {
		/* keepalived's order: the VMACs' sets come with the VMACs,
		 * before the first VIP is blocked */
		{ SET_IGMP, 0, "hash:net,iface" },
		{ SET_MLD, 1, "hash:net,iface" },
		{ SET_ADDR, 0, "hash:ip" }, { SET_ADDR6, 1, "hash:ip" },
		{ SET_IF6, 1, "hash:net,iface" },
	};
	int r = 0;

	for (unsigned n = 0; n < sizeof(s) / sizeof(s[0]); n++) {
		const char *name = i->sets[s[n].set];
		unsigned k = s[n].k;
		int vmac = s[n].set == SET_IGMP || s[n].set == SET_MLD;

		if (!i->fam[k].on || (vmac && (!(i->vmac_fams & FAM_BIT(k)) ||
		    i->out == NULL)) || (!vmac && !(i->fams & FAM_BIT(k))))
			continue;
		if (!make)
			r |= ipset_do(i, "destroy %s", name);
		else if (ipset_do(i, "create %s %s family %s -exist", name,
		    s[n].type, k ? "inet6" : "inet") == -1 ||
		    ipset_do(i, "flush %s", name) == -1)
			r = -1;
	}
	return r;
}
#endif

/* ---- the interface ------------------------------------------------------- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int
streq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int
vrrp_ipt_same(const struct vrrp_ipt *i, const struct vrrp_ipt_params *p)
{
	int chains = p->in != NULL;

	if (i->chains_given != chains || i->no_sets != p->no_sets ||
	    i->fams != p->fams || i->vmac_fams != p->vmac_fams)
		return 0;
	if (chains && (!streq(i->in, p->in) || !streq(i->out, p->out)))
		return 0;
	for (unsigned k = 0; k < 5; k++)
		if (!streq(i->given[k], p->sets[k]))
			return 0;
	return 1;
}

/* The batches of VIP changes still waiting, side by side. */
static void
pend_flush(struct vrrp_ipt *i)
{
	char *b[2] = { i->fam[0].pend, i->fam[1].pend };

	restore_both(i, b);
	for (unsigned k = 0; k < 2; k++)
		if (i->fam[k].pend != NULL) {
			i->fam[k].plen = 0;
			i->fam[k].pend[0] = '\0';
		}
}

/* Take the rules away (and the sets); the batches still waiting first.
 * What is there now is listed again: a rule taken away by hand is not
 * asked for again (a delete of a missing rule fails the whole batch). */
static void
ipt_remove(struct vrrp_ipt *i)
{
	struct ipt_proc p[2];
	struct timespec t0;
	char *b[2] = { NULL, NULL };

	pend_flush(i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned k = 0; k < 2; k++)
		if (!i->fam[k].on || list_start(&i->fam[k], &p[k]) == -1)
			p[k].pid = -1;
	for (unsigned k = 0; k < 2; k++) {
		struct ipt_fam *f = &i->fam[k];
		struct ipt_line *saved = f->lines;
		unsigned sn = f->n;
		size_t len = 0, cap = 0;
		int listed;

		if (!f->on)
			continue;
		f->lines = NULL;
		f->n = f->cap = 0;
		listed = list_end(i, f, &p[k], &t0) == 0;
		for (unsigned n = 0; n < sn; n++)
			if (saved[n].ours && (!listed ||
			    line_find(f, saved[n].text) != NULL))
				buf_add(&b[k], &len, &cap, "-D %s\n",
				    saved[n].text);
		for (unsigned n = 0; n < sn; n++)
			free(saved[n].text);
		free(saved);
	}
	restore_both(i, b);
	free(b[0]);
	free(b[1]);
#ifdef HAVE_LIBIPSET
	/* the rules no longer hold the sets */
	if (!i->no_sets && i->ipset != NULL)
		sets_make(i, 0);
#endif
}

void
vrrp_ipt_free(struct vrrp_ipt *i, int keep)
{
	if (i == NULL)
		return;
	if (i->sr != NULL) {
		/* a batch under way ends first (bounded by its timeout) */
		if (i->run != NULL)
			script_runner_finish(i->sr, IPT_RUN_USEC);
		else
			script_runner_free(i->sr);
		if (i->run_fd >= 0)
			close(i->run_fd);
	}
	if (!keep)
		ipt_remove(i);
	else
		pend_flush(i);
#ifdef HAVE_LIBIPSET
	sets_close(i);
#endif
	for (unsigned k = 0; k < 2; k++) {
		lines_free(&i->fam[k]);
		free(i->fam[k].pend);
	}
	free(i->in);
	free(i->out);
	for (unsigned k = 0; k < 5; k++)
		free(i->given[k]);
	free(i);
}

/* What is there (both families side by side), then the sets and their
 * rules. 0 or -1 (logged). */
static int
ipt_setup(struct vrrp_ipt *i)
{
	struct ipt_proc p[2];
	struct timespec t0;
	char *b[2] = { NULL, NULL };
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned k = 0; k < 2; k++)
		if (!((i->fams | i->vmac_fams) & FAM_BIT(k)) ||
		    list_start(&i->fam[k], &p[k]) == -1)
			p[k].pid = -1;
	for (unsigned k = 0; k < 2; k++)
		if ((i->fams | i->vmac_fams) & FAM_BIT(k)) {
			if (list_end(i, &i->fam[k], &p[k], &t0) == -1)
				r = -1;
			else
				i->fam[k].on = 1;
		}
	if (r == -1 || i->no_sets)
		return r;
#ifdef HAVE_LIBIPSET
	if (sets_make(i, 1) == -1)
		return -1;
#endif
	for (unsigned k = 0; k < 2 && r == 0; k++) {
		size_t len = 0, cap = 0;

		if (i->fam[k].on && set_rules(i, k, &b[k], &len, &cap, 1) != 0)
			r = -1;
	}
	if (r == 0)
		r = restore_both(i, b);
	free(b[0]);
	free(b[1]);
	return r;
}

struct vrrp_ipt *
vrrp_ipt_new(const struct vrrp_ipt_params *p)
{
	struct vrrp_ipt *i = calloc(1, sizeof(*i));

	if (i == NULL)
		return NULL;
	i->run_fd = -1;
	i->chains_given = p->in != NULL;
	i->in = strdup(p->in != NULL ? p->in : "INPUT");
	i->out = p->in != NULL ? dup_or_null(p->out) : strdup("OUTPUT");
	i->no_sets = p->no_sets;
	i->fams = p->fams;
	i->vmac_fams = p->vmac_fams;
	for (unsigned k = 0; k < 5; k++)
		i->given[k] = dup_or_null(p->sets[k]);
	i->fam[0].bin = "iptables";
	i->fam[0].restore = "iptables-restore";
	i->fam[1].bin = "ip6tables";
	i->fam[1].restore = "ip6tables-restore";
	if (i->in == NULL || set_names(i) == -1)
		goto fail;
	if (!i->no_sets) {
#ifdef HAVE_LIBIPSET
		if (sets_open(i) == -1)
			goto fail;
#else
		log_err("vrrp_iptables: ipsets wanted but this build has no "
		    "libipset (configured with --disable-ipset)");
		goto fail;
#endif
	} else if ((i->sr = script_runner_new(p->base, p->reaper)) == NULL)
		goto fail;
	if (ipt_setup(i) == -1)
		goto fail;
	log_info("VIP firewalling with iptables: chains %s%s%s, %s",
	    i->in, i->out != NULL ? " and " : "", i->out != NULL ? i->out : "",
	    i->no_sets ? "a rule per VIP" : "ipsets");
	return i;
fail:
	vrrp_ipt_free(i, 0);
	return NULL;
}

int
vrrp_ipt_addr(struct vrrp_ipt *i, const struct vg_addr *a,
    const char *ifname, int add)
{
	int ll = a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6);
	unsigned k = a->family == AF_INET6;
	char ab[ADDR_STRLEN];

	if (!i->fam[k].on || !(i->fams & FAM_BIT(k)))
		return 0;
	if (ll && ifname == NULL) {
		log_err("iptables: %s: no interface for a link-local VIP",
		    addr_ntop(a, ab, sizeof(ab)));
		return -1;
	}
	if (i->no_sets) {
		if (vip_rules(i, a, ll ? ifname : NULL, add) != 0)
			return -1;
		run_next(i);
		return 0;
	}
#ifdef HAVE_LIBIPSET
	addr_ntop(a, ab, sizeof(ab));
	if (ll)
		return ipset_do(i, "%s %s %s,%s -exist", add ? "add" : "del",
		    i->sets[SET_IF6], ab, ifname);
	return ipset_do(i, "%s %s %s -exist", add ? "add" : "del",
	    i->sets[k ? SET_ADDR6 : SET_ADDR], ab);
#else
	return -1;
#endif
}

int
vrrp_ipt_vmac(struct vrrp_ipt *i, const char *ifname, unsigned fams,
    int add)
{
	int r = 0;

	if (i->out == NULL)
		return 0;
	for (unsigned k = 0; k < 2; k++) {
		struct ipt_fam *f = &i->fam[k];

		if (!f->on || !(i->vmac_fams & fams & FAM_BIT(k)))
			continue;
		if (i->no_sets) {
			r |= k == 0 ? rule(f, &f->pend, &f->plen, &f->pcap, add,
			    0, "%s -o %s -p igmp -j DROP", i->out, ifname) :
			    rule(f, &f->pend, &f->plen, &f->pcap, add, 0,
			    "%s -o %s -p ipv6-icmp -m icmp6 --icmpv6-type 143 "
			    "-j DROP", i->out, ifname);
			continue;
		}
#ifdef HAVE_LIBIPSET
		r |= ipset_do(i, "%s %s %s,%s -exist", add ? "add" : "del",
		    i->sets[k ? SET_MLD : SET_IGMP], k ? "::/0" : "0.0.0.0/0",
		    ifname);
#endif
	}
	if (i->no_sets)
		run_next(i);
	return r != 0 ? -1 : 0;
}
