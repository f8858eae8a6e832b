/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vigild's command line: keepalived's options, same letters and meaning. */
#ifndef VIGIL_OPTIONS_H
#define VIGIL_OPTIONS_H

#include <stdio.h>
#include <sys/types.h>

#define VIGIL_CONF_DEFAULT "/etc/vigil/vigil.conf"
#define VIGIL_CONF_KEEPALIVED "/etc/keepalived/keepalived.conf"
#define VIGIL_WATCHDOG_MS_DEFAULT 10000
#define OPTIONS_CHILD_FD 3

/* The bit of an option that restricts vigild to one subsystem's child
 * (struct subsys only_opt). */
#define OPT_ONLY_BIT(letter) (1u << ((unsigned)(letter) - 'A'))
enum {
	OPT_RUN_VRRP = OPT_ONLY_BIT('P'),	/* -P given */
	OPT_RUN_CHECK = OPT_ONLY_BIT('C'),	/* -C given */
};

struct options {
	const char *conf_file;	/* NULL: default search */
	unsigned only;		/* OPT_RUN_*: restrict children; 0 = as the config needs */
	unsigned skip;		/* OPT_ONLY_BIT(-B...): children not run */
	int all_children;	/* --all: start children even with no config */
	int log_console;	/* -l */
	int log_detail;		/* -D, repeatable */
	int log_facility;	/* -S, LOG_DAEMON by default */
	int no_syslog;		/* -G */
	int umask_set;
	mode_t umask;		/* -u */
	int release_vips;	/* -X */
	int dont_release_vrrp;	/* -V */
	int dont_release_ipvs;	/* -I */
	int dont_respawn;	/* -R */
	int dont_fork;		/* -n */
	int dump_conf;		/* -d */
	const char *pid_file;	/* -p */
	const char *vrrp_pid_file;	/* -r */
	const char *checkers_pid_file;	/* -c */
	const char *bfd_pid_file;	/* -b */
	int address_monitoring;	/* -a */
	int snmp;		/* -x */
	const char *snmp_socket;	/* -A */
	int core_dump;		/* -m */
	const char *core_pattern;	/* -M */
	int all_config;		/* -e: missing include files are errors */
	const char *config_id;	/* -i */
	unsigned watchdog_ms;	/* --child-watchdog; 0: off */
	int config_test;	/* -t */
	const char *config_test_log;	/* -t=FILE */
	/* set when the process only answers and exits (-v, -h, --signum) */
	int exit_now;
	int exit_code;
	/* the command line, for starting children */
	int argc;
	char **argv;
	/*
	 * --child NAME:PID (internal): run as the child of subsystem NAME
	 * for parent PID, on the ipc socket at fd OPTIONS_CHILD_FD. The
	 * parent starts its children by executing itself again with the
	 * command line it was given plus this option, so a child holds only
	 * what it builds from its own part of the configuration.
	 */
	char child[32];
	pid_t child_parent;
};

/*
 * Parse argv. On a bad option, prints the problem and a usage hint to err
 * and returns -1. -v, -h and --signum print to out and set exit_now.
 */
int options_parse(struct options *o, int argc, char **argv, FILE *out,
    FILE *err);
/* The config file to use: -f, else /etc/vigil/vigil.conf if it exists,
 * else /etc/keepalived/keepalived.conf. */
const char *options_conf_file(const struct options *o);
/* Signal number for a keepalived --signum name (STOP, RELOAD, DATA, STATS,
 * STATS_CLEAR, JSON); -1 if unknown. */
int options_signum(const char *name);
void options_usage(FILE *fp, const char *prog);
/* The pid file of subsystem s's child: the one given (-r, -c, by the
 * subsystem's -P/-C letter), else the subsystem's own default. */
struct subsys;
const char *options_child_pid_file(const struct options *o,
    const struct subsys *s);
/* Does vigild run the child of the subsystem whose -P/-C letter is
 * only_opt (0: none), as far as -P/-C say? */
int options_runs(const struct options *o, char only_opt);
/* The same for subsystem s, its skip option (-B) too. */
int options_runs_sub(const struct options *o, const struct subsys *s);

/*
 * 0, or -1 with a message to err when two of the pid files (-p, -r, -c,
 * after defaults are filled in and paths made absolute) are the same path.
 * A file one of them names only in use for a child that -P/-C rules out
 * (NULL) is not compared.
 */
int options_check_pid_files(const struct options *o, FILE *err);

#endif
