/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vigild: parse the command line, load and validate the configuration,
 * detach, and hand over to the supervisor.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "global_conf.h"
#include "log.h"
#include "netns.h"
#include "options.h"
#include "pidfile.h"
#include "proc.h"
#include "reload.h"
#include "snmp.h"
#include "supervisor.h"
#include "vconfig.h"

/* -t: every problem to stderr (or the file given), exit 0 if usable. */
/*
 * use_pid_dir, or an instance name (which implies it, as keepalived's
 * does): the pid files the command line does not name go in
 * VIGIL_PID_SUBDIR, named after the instance when there is one (pbuf,
 * vbuf, cbuf and bbuf, PATH_MAX each, hold them). Returns 1 when vigild made
 * that directory (it removes it on exit), 0, or -1.
 */
/* the pid directory's namespace part (a copy: the configuration it
 * comes from is replaced at a reload) */
static char *pid_netns;

static int
pid_dir_defaults(struct options *o, const struct vigil_config *cfg,
    int parent_given, char *pbuf, char *vbuf, char *cbuf, char *bbuf)
{
	const struct global_conf *g = cfg->conf[CONF_OWNER_GLOBAL];
	int made;

	/* net_namespace implies the directory, as in keepalived, and
	 * a directory of the namespace's in it */
	if (g == NULL || (!g->use_pid_dir && g->instance == NULL &&
	    g->net_namespace == NULL))
		return 0;
	if (g->net_namespace != NULL &&
	    (pid_netns = strdup(g->net_namespace)) == NULL) {
		log_err("out of memory");
		return -1;
	}
	if ((made = pidfile_dir_make(pid_netns)) < 0) {
		log_err("cannot make %s%s%s for the pid files (%s): %s",
		    VIGIL_PID_SUBDIR, pid_netns != NULL ? "/" : "",
		    pid_netns != NULL ? pid_netns : "", g->use_pid_dir ?
		    "use_pid_dir" : g->instance != NULL ? "instance" :
		    "net_namespace", strerror(errno));
		return -1;
	}
	if (!parent_given && pidfile_dir_name(pbuf, PATH_MAX, "vigild",
	    g->instance, pid_netns) == 0)
		o->pid_file = pbuf;
	if (o->vrrp_pid_file == NULL && pidfile_dir_name(vbuf, PATH_MAX,
	    "vigild-vrrp", g->instance, pid_netns) == 0)
		o->vrrp_pid_file = vbuf;
	if (o->checkers_pid_file == NULL && pidfile_dir_name(cbuf, PATH_MAX,
	    "vigild-checkers", g->instance, pid_netns) == 0)
		o->checkers_pid_file = cbuf;
	if (o->bfd_pid_file == NULL && pidfile_dir_name(bbuf, PATH_MAX,
	    "vigild-bfd", g->instance, pid_netns) == 0)
		o->bfd_pid_file = bbuf;
	return made;
}

static void
pid_dir_done(int made)
{
	if (made >= 1 && pidfile_dir_remove(pid_netns, made) < 0)
		log_warn("cannot remove %s%s%s: %s", VIGIL_PID_SUBDIR,
		    pid_netns != NULL ? "/" : "",
		    pid_netns != NULL ? pid_netns : "", strerror(errno));
}

static int
config_test(const struct options *o, const char *path,
    const struct conf_load_opts *lo)
{
	FILE *out = stderr;
	struct conf_diag d = { .emit = conf_diag_print };
	struct vigil_config *cfg;
	int rc;

	if (o->config_test_log != NULL) {
		out = fopen(o->config_test_log, "we");
		if (out == NULL) {
			fprintf(stderr, "vigild: -t: cannot open %s: %s\n",
			    o->config_test_log, strerror(errno));
			return 1;
		}
	}
	d.arg = out;
	rc = vconfig_load_test(path, lo, &d, &cfg);
	/* what this host lacks counts as an error here only */
	if (rc == 0 && vconfig_check_host(cfg, &d) > 0)
		rc = -1;
	if (rc == 0 && o->dump_conf)
		vconfig_dump(cfg, stdout);
	vconfig_free(cfg);
	vconfig_verdict(out, path, rc == 0, &d);
	if (out != stderr)
		fclose(out);
	vconfig_registry_release();
	return rc == 0 ? 0 : 1;
}

/*
 * Fork into the background. The launcher waits on a pipe until the daemon
 * says it is running (or dies), so its exit status tells the truth.
 * Returns the write end of the pipe in the daemon (-1 on failure).
 */
static int
detach(int keep_stderr)
{
	int ready[2];
	pid_t pid;
	char c = 0;
	int fd;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(ready[1]);
		while (read(ready[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(c == 'R' ? 0 : 1);
	}
	close(ready[0]);
	if (setsid() < 0 || chdir("/") < 0)
		return -1;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (!keep_stderr)
		dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return ready[1];
}

/* An absolute path that still names what the user gave: relative paths
 * get the current directory in front, symbolic links stay links (a
 * reload re-reads whatever the link points to then). */
static const char *
absolute(const char *path, char *buf, size_t len)
{
	char cwd[PATH_MAX];

	if (path == NULL || path[0] == '/')
		return path;
	if (getcwd(cwd, sizeof(cwd)) == NULL ||
	    snprintf(buf, len, "%s/%s", cwd, path) >= (int)len)
		return NULL;
	return buf;
}

static void
setup_core_dumps(const struct options *o)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	FILE *fp;

	if (!o->core_dump)
		return;
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		log_warn("-m: cannot raise the core size limit: %s",
		    strerror(errno));
	if (o->core_pattern == NULL)
		return;
	fp = fopen("/proc/sys/kernel/core_pattern", "we");
	if (fp == NULL || fprintf(fp, "%s\n", o->core_pattern) < 0 ||
	    fclose(fp) != 0)
		log_warn("-M: cannot set kernel.core_pattern: %s",
		    strerror(errno));
}

/* The log destinations the options ask for. */
static unsigned
log_flags(const struct options *o)
{
	unsigned logf = (o->no_syslog ? 0 : LOG_F_SYSLOG) |
	    (o->log_console ? LOG_F_STDERR : 0);

	if (logf == 0 && o->dont_fork)
		logf = LOG_F_STDERR;
	return logf;
}

/*
 * The parent's pid file, then that of each child the subsystems' table
 * has and -P/-C do not rule out: -r/-c, or the subsystem's own default.
 * The children's supervisor (slot.c) names the same paths, from the same
 * options_child_pid_file().
 */
static void
pidfile_list(const struct options *o, const struct vigil_config *cfg,
    struct pidfiles *pf)
{
	char who[32];

	pidfiles_init(pf);
	pidfiles_add(pf, "parent", o->pid_file);
	for (const struct subsys *const *s = vigil_subsystems; *s != NULL;
	    s++) {
		if ((*s)->proc == NULL || (*s)->pid_file == NULL ||
		    !options_runs_sub(o, *s))
			continue;
		/* a child one may turn off (-B) takes its pid file only when
		 * the configuration runs it: vigilds started side by side
		 * with -p, -r and -c each, as before it existed, still
		 * start */
		if ((*s)->skip_opt != 0 && !o->all_children &&
		    vconfig_objects(*s, cfg, NULL, NULL) == 0)
			continue;
		snprintf(who, sizeof(who), "%s child", (*s)->name);
		if (pidfiles_add(pf, who, options_child_pid_file(o, *s)) < 0)
			log_err("more children than pid files; %s has none",
			    who);
	}
}

/* --child NAME:PID: the parent executed us to run one subsystem. */
static int
child_main(const struct options *o)
{
	const struct subsys *sub = NULL;
	unsigned flags = 0;
	sigset_t none;

	/* only the ipc socket is ours; nothing else leaks in */
	close_range(OPTIONS_CHILD_FD + 1, ~0U, 0);
	log_init("vigild", log_flags(o), o->log_facility, o->log_detail);
	for (const struct subsys *const *s = vigil_subsystems; *s != NULL; s++)
		if ((*s)->proc != NULL && strcmp((*s)->name, o->child) == 0)
			sub = *s;
	if (sub == NULL) {
		log_err("--child: no subsystem named '%s'", o->child);
		return 1;
	}
	sigemptyset(&none);
	if (o->dont_release_vrrp)
		flags |= PROC_F_DONT_RELEASE_VRRP;
	if (o->dont_release_ipvs)
		flags |= PROC_F_DONT_RELEASE_IPVS;
	if (o->release_vips)
		flags |= PROC_F_RELEASE_VIPS;
	snmp_child_options(o->snmp, o->snmp_socket);
	return proc_main(vigil_subsystems, sub, OPTIONS_CHILD_FD, &none,
	    o->child_parent, flags);
}

int
main(int argc, char **argv)
{
	static char conf_buf[PATH_MAX], pid_buf[PATH_MAX], vrrp_buf[PATH_MAX],
	    chk_buf[PATH_MAX], bfd_buf[PATH_MAX];
	struct options o;
	struct conf_load_opts lo;
	struct conf_diag d = { .emit = supervisor_log_diag };
	struct vigil_config *cfg;
	struct pidfiles pf;
	char err[PATH_MAX * 2 + 128];
	const char *path;
	char *reload_file;
	unsigned logf, nhost;
	int ready = -1, bad, pid_given, pid_dir;
	int rc;

	/* Started with standard input, output or error closed, the files
	 * opened next (pid files, sockets) would take their numbers and be
	 * written to as if they were them. */
	for (;;) {
		int fd = open("/dev/null", O_RDWR);

		if (fd > STDERR_FILENO)
			close(fd);
		if (fd < 0 || fd > STDERR_FILENO)
			break;
	}
	if (options_parse(&o, argc, argv, stdout, stderr) < 0)
		return 1;
	if (o.exit_now)
		return o.exit_code;
	if (o.child[0] != '\0')
		return child_main(&o);

	memset(&lo, 0, sizeof(lo));
	lo.config_id = o.config_id;
	lo.include_check_all = o.all_config;

	if (o.config_test)
		return config_test(&o, options_conf_file(&o), &lo);

	/* Nothing inherited from whoever started us reaches the children. */
	close_range(STDERR_FILENO + 1, ~0U, 0);
	logf = log_flags(&o);
	log_init("vigild", logf, o.log_facility, o.log_detail);
	if (o.umask_set)
		umask(o.umask);

	/* Paths are used after chdir("/"): make them absolute now. The pid
	 * file of a child that -P/-C rule out is not used. */
	path = absolute(options_conf_file(&o), conf_buf, sizeof(conf_buf));
	pid_given = o.pid_file != NULL;
	o.pid_file = absolute(o.pid_file != NULL ? o.pid_file :
	    VIGIL_PID_PARENT, pid_buf, sizeof(pid_buf));
	bad = path == NULL || o.pid_file == NULL;
	if (o.vrrp_pid_file != NULL)
		bad |= (o.vrrp_pid_file = absolute(o.vrrp_pid_file, vrrp_buf,
		    sizeof(vrrp_buf))) == NULL;
	if (o.checkers_pid_file != NULL)
		bad |= (o.checkers_pid_file = absolute(o.checkers_pid_file,
		    chk_buf, sizeof(chk_buf))) == NULL;
	if (o.bfd_pid_file != NULL)
		bad |= (o.bfd_pid_file = absolute(o.bfd_pid_file,
		    bfd_buf, sizeof(bfd_buf))) == NULL;
	if (bad) {
		log_err("cannot make the configuration or pid file path "
		    "absolute: %s", strerror(errno));
		return 1;
	}
	if (options_check_pid_files(&o, stderr) < 0)
		return 1;
	log_info("starting vigild %s, configuration %s", PACKAGE_VERSION, path);
	if (o.address_monitoring)
		log_warn("-a: address monitoring is not supported yet; ignored");
	if (o.release_vips)
		log_info("-X: an instance going to BACKUP or FAULT, stopping "
		    "or removed has its VIPs removed whether it holds them or "
		    "not%s", o.dont_release_vrrp ? " (-V: kept on stop)" : "");
	if (vconfig_load_run(path, &lo, &d, &cfg) < 0) {
		log_err("%s: %u error(s); not starting (check with: vigild -t "
		    "-f %s)", path, d.nerr, path);
		vconfig_registry_release();
		return 1;
	}
	/* before any socket is opened or child started */
	if (vigild_netns_enter(cfg) < 0) {
		log_err("not starting");
		vconfig_free(cfg);
		vconfig_registry_release();
		return 1;
	}
	if ((pid_dir = pid_dir_defaults(&o, cfg, pid_given, pid_buf, vrrp_buf,
	    chk_buf, bfd_buf)) < 0) {
		vconfig_free(cfg);
		vconfig_registry_release();
		return 1;
	}
	if (!reload_check_wanted(cfg))
		vconfig_host_log(cfg, &d);
	else if ((nhost = vconfig_check_host(cfg, &d)) > 0) {
		/* keepalived's children stop on any error under it */
		log_err("%s: %u problem(s) on this host, errors under "
		    "reload_check_config; not starting (check with: vigild -t "
		    "-f %s)", path, nhost, path);
		vconfig_free(cfg);
		vconfig_registry_release();
		pid_dir_done(pid_dir);
		return 1;
	}
#ifndef HAVE_SNMP
	if (snmp_feed_wanted(&o, cfg) || o.snmp_socket != NULL)
		log_warn("SNMP (-x, -A or enable_snmp_*) asked for, but this "
		    "vigild was built without it (--disable-snmp); ignored");
#endif
	if (o.dump_conf)
		vconfig_dump(cfg, stderr);

	/* the parent's pid file and those of the children it may run are
	 * locked until vigild exits */
	pidfile_list(&o, cfg, &pf);
	if (pidfiles_lock(&pf, err, sizeof(err)) < 0) {
		log_err("%s; not starting", err);
		vconfig_free(cfg);
		vconfig_registry_release();
		pid_dir_done(pid_dir);
		return 1;
	}
	/* a reload_file left by a vigild stopped while reading goes; only
	 * now that the pid files are ours: the file of a vigild running on
	 * them (maybe in the middle of a reload) is not this one's to
	 * remove */
	if ((reload_file = reload_file_path(cfg, o.pid_file)) != NULL) {
		reload_file_remove(reload_file);
		free(reload_file);
	}
	setup_core_dumps(&o);
	if (!o.dont_fork && (ready = detach(o.log_console)) < 0) {
		log_err("cannot detach: %s", strerror(errno));
		pidfiles_release(&pf);
		vconfig_free(cfg);
		vconfig_registry_release();
		pid_dir_done(pid_dir);
		return 1;
	}
	if (pidfiles_store(&pf, o.pid_file, getpid()) < 0) {
		log_err("cannot write pid file %s: %s", o.pid_file,
		    strerror(errno));
		pidfiles_release(&pf);
		vconfig_free(cfg);
		vconfig_registry_release();
		pid_dir_done(pid_dir);
		return 1;
	}
	if (ready >= 0) {
		/* the launcher may return now */
		if (write(ready, "R", 1) < 0)
			log_warn("cannot tell the launcher we are running");
		close(ready);
	}

	rc = supervisor_run(&o, &lo, cfg, &pf);

	pidfiles_release(&pf);
	pid_dir_done(pid_dir);
	vconfig_registry_release();
	return rc;
}
