/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "autoconfig.h"

#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "subsys.h"

enum {
	LOPT_ALL = 256,
	LOPT_SIGNUM,
	LOPT_WATCHDOG,
	LOPT_CHILD,
};

static const struct option long_opts[] = {
	{ "use-file", required_argument, NULL, 'f' },
	{ "vrrp", no_argument, NULL, 'P' },
	{ "check", no_argument, NULL, 'C' },
	{ "no_bfd", no_argument, NULL, 'B' },
	{ "all", no_argument, NULL, LOPT_ALL },
	{ "log-console", no_argument, NULL, 'l' },
	{ "log-detail", no_argument, NULL, 'D' },
	{ "log-facility", required_argument, NULL, 'S' },
	{ "no-syslog", no_argument, NULL, 'G' },
	{ "umask", required_argument, NULL, 'u' },
	{ "release-vips", no_argument, NULL, 'X' },
	{ "dont-release-vrrp", no_argument, NULL, 'V' },
	{ "dont-release-ipvs", no_argument, NULL, 'I' },
	{ "dont-respawn", no_argument, NULL, 'R' },
	{ "dont-fork", no_argument, NULL, 'n' },
	{ "dump-conf", no_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "vrrp_pid", required_argument, NULL, 'r' },
	{ "checkers_pid", required_argument, NULL, 'c' },
	{ "address-monitoring", no_argument, NULL, 'a' },
	{ "bfd_pid", required_argument, NULL, 'b' },
	{ "snmp", no_argument, NULL, 'x' },
	{ "snmp-agent-socket", required_argument, NULL, 'A' },
	{ "namespace", required_argument, NULL, 's' },
	{ "core-dump", no_argument, NULL, 'm' },
	{ "core-dump-pattern", optional_argument, NULL, 'M' },
	{ "all-config", no_argument, NULL, 'e' },
	{ "config-id", required_argument, NULL, 'i' },
	{ "signum", required_argument, NULL, LOPT_SIGNUM },
	{ "child-watchdog", required_argument, NULL, LOPT_WATCHDOG },
	/* internal: how the parent starts a child (see options.h) */
	{ "child", required_argument, NULL, LOPT_CHILD },
	{ "config-test", optional_argument, NULL, 't' },
	{ "genhash", no_argument, NULL, 'T' },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char short_opts[] = "f:PCBlDS:Gu:XVIRndp:r:c:ab:xA:s:mM::ei:t::Tvh";

/* --child NAME:PID */
static int
parse_child(struct options *o, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	char *end;
	long pid;

	if (colon == NULL || colon == arg ||
	    (size_t)(colon - arg) >= sizeof(o->child))
		return -1;
	errno = 0;
	pid = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || pid <= 0 ||
	    pid > 0x7fffffffL)
		return -1;
	memcpy(o->child, arg, (size_t)(colon - arg));
	o->child[colon - arg] = '\0';
	o->child_parent = (pid_t)pid;
	return 0;
}

void
options_usage(FILE *fp, const char *prog)
{
	fprintf(fp,
	    "Usage: %s [OPTION...]\n"
	    "  -f, --use-file=FILE          Use the specified configuration file\n"
	    "                                default '" VIGIL_CONF_DEFAULT "', else\n"
	    "                                '" VIGIL_CONF_KEEPALIVED "'\n"
	    "  -P, --vrrp                   Only run the VRRP subsystem\n"
	    "  -C, --check                  Only run the health-checker subsystem\n"
	    "      --all                    Run every child, even one with no configuration\n"
	    "  -l, --log-console            Log messages to the console (stderr)\n"
	    "  -D, --log-detail             Detailed log messages (repeat for more)\n"
	    "  -S, --log-facility=([0-7]|local[0-7]|user|daemon)\n"
	    "                               syslog facility (default daemon)\n"
	    "  -G, --no-syslog              Don't log via syslog\n"
	    "  -u, --umask=MASK             umask for file creation (numeric)\n"
	    "  -X, --release-vips           Remove a non-MASTER instance's VIPs even if\n"
	    "                               not added by this vigild\n"
	    "  -V, --dont-release-vrrp      Don't remove VRRP VIPs and routes on stop\n"
	    "  -I, --dont-release-ipvs      Don't remove the IPVS table on stop\n"
	    "  -R, --dont-respawn           Don't respawn child processes\n"
	    "      --child-watchdog=SECS    Restart a child silent for SECS seconds\n"
	    "                               (default 10, 0 = off)\n"
	    "  -n, --dont-fork              Don't fork the daemon process\n"
	    "  -d, --dump-conf              Dump the configuration data\n"
	    "  -p, --pid=FILE               pid file of the parent process\n"
	    "  -r, --vrrp_pid=FILE          pid file of the VRRP child\n"
	    "  -c, --checkers_pid=FILE      pid file of the checkers child\n"
	    "  -a, --address-monitoring     Report address additions/deletions seen via netlink\n"
	    "                               (not supported yet)\n"
	    "  -x, --snmp                   Enable the SNMP subsystem (every MIB)\n"
	    "  -A, --snmp-agent-socket=FILE Socket of the SNMP master agent\n"
	    "  -m, --core-dump              Produce a core dump on abnormal termination\n"
	    "  -M, --core-dump-pattern[=P]  Also set kernel.core_pattern to P (default 'core')\n"
	    "  -e, --all-config             Error if any configuration file is missing\n"
	    "  -i, --config-id=ID           Skip lines beginning '@' that don't match ID and\n"
	    "                               lines beginning '@^' that do (default: node name)\n"
	    "      --signum=SIGFUNC         Print the signal number of STOP, RELOAD, DATA,\n"
	    "                               STATS, STATS_CLEAR or JSON\n"
	    "  -t, --config-test[=LOG_FILE] Check the configuration and exit (0 valid, 1 not);\n"
	    "                               messages to stderr, or to LOG_FILE\n"
	    "  -v, --version                Display the version number\n"
	    "  -h, --help                   Display this help message\n"
	    "  -B, --no_bfd                 Don't run the BFD subsystem\n"
	    "  -b, --bfd_pid=FILE           Use specified pidfile for the BFD child\n"
	    "\n"
	    "Accepted for compatibility, with no effect in vigil:\n"
	    "Not supported:\n"
	    "  -s, --namespace=NAME         start vigild inside the namespace (ip netns exec)\n"
	    "  -T, --genhash                no genhash mode; use vigil-genhash(1)\n",
	    prog);
}

int
options_signum(const char *name)
{
	if (strcasecmp(name, "STOP") == 0)
		return SIGTERM;
	if (strcasecmp(name, "RELOAD") == 0)
		return SIGHUP;
	if (strcasecmp(name, "DATA") == 0)
		return SIGUSR1;
	if (strcasecmp(name, "STATS") == 0)
		return SIGUSR2;
	if (strcasecmp(name, "STATS_CLEAR") == 0)
		return SIGRTMAX - 1;
	if (strcasecmp(name, "JSON") == 0)
		return SIGRTMIN + 2;
	return -1;
}

static int
parse_umask(const char *s, mode_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v > 0777)
		return -1;
	*out = (mode_t)v;
	return 0;
}

/* "0", or seconds with decimals from 0.5 to 3600 -> milliseconds */
static int
parse_seconds_ms(const char *s, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v == 0 ||
	    (v >= 0.5 && v <= 3600)))
		return -1;
	*ms = (unsigned)(v * 1000 + 0.5);
	return 0;
}

int
options_parse(struct options *o, int argc, char **argv, FILE *out, FILE *err)
{
	const char *prog = argc > 0 ? argv[0] : "vigild";
	int c, sig;

	memset(o, 0, sizeof(*o));
	o->argc = argc;
	o->argv = argv;
	o->log_facility = LOG_DAEMON;
	o->watchdog_ms = VIGIL_WATCHDOG_MS_DEFAULT;
	optind = 1;
	opterr = 0;

	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->conf_file = optarg;
			break;
		case 'P':
			o->only |= OPT_RUN_VRRP;
			break;
		case 'C':
			o->only |= OPT_RUN_CHECK;
			break;
		case 'B':
			o->skip |= OPT_ONLY_BIT('B');
			break;
		case 'b':
			o->bfd_pid_file = optarg;
			break;
		case LOPT_ALL:
			o->all_children = 1;
			break;
		case 'l':
			o->log_console = 1;
			break;
		case 'D':
			o->log_detail++;
			break;
		case 'S':
			o->log_facility = log_parse_facility(optarg);
			if (o->log_facility < 0) {
				fprintf(err, "%s: --log-facility: expected 0-7, "
				    "local0-local7, user or daemon, got '%s'\n",
				    prog, optarg);
				return -1;
			}
			break;
		case 'G':
			o->no_syslog = 1;
			break;
		case 'u':
			if (parse_umask(optarg, &o->umask) < 0) {
				fprintf(err, "%s: --umask: expected a numeric mask "
				    "(e.g. 022), got '%s'\n", prog, optarg);
				return -1;
			}
			o->umask_set = 1;
			break;
		case 'X':
			o->release_vips = 1;
			break;
		case 'V':
			o->dont_release_vrrp = 1;
			break;
		case 'I':
			o->dont_release_ipvs = 1;
			break;
		case 'R':
			o->dont_respawn = 1;
			break;
		case 'n':
			o->dont_fork = 1;
			break;
		case 'd':
			o->dump_conf = 1;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'r':
			o->vrrp_pid_file = optarg;
			break;
		case 'c':
			o->checkers_pid_file = optarg;
			break;
		case 'a':
			o->address_monitoring = 1;
			break;
		case 'x':
			o->snmp = 1;
			break;
		case 'A':
			o->snmp_socket = optarg;
			break;
		case 's':
			fprintf(err, "%s: --namespace is not supported; run vigild "
			    "with 'ip netns exec %s vigild ...'\n", prog, optarg);
			return -1;
		case 'm':
			o->core_dump = 1;
			break;
		case 'M':
			o->core_dump = 1;
			o->core_pattern = optarg != NULL ? optarg : "core";
			break;
		case 'e':
			o->all_config = 1;
			break;
		case 'i':
			o->config_id = optarg;
			break;
		case LOPT_CHILD:
			if (parse_child(o, optarg) < 0) {
				fprintf(err, "%s: --child is vigild's own: "
				    "expected NAME:PARENT-PID, got '%s'\n",
				    prog, optarg);
				return -1;
			}
			break;
		case LOPT_WATCHDOG:
			if (parse_seconds_ms(optarg, &o->watchdog_ms) < 0) {
				fprintf(err, "%s: --child-watchdog: expected "
				    "seconds (0 or 0.5-3600), got '%s'\n", prog,
				    optarg);
				return -1;
			}
			break;
		case LOPT_SIGNUM:
			sig = options_signum(optarg);
			if (sig < 0) {
				fprintf(err, "%s: --signum: unknown signal function "
				    "'%s' (expected STOP, RELOAD, DATA, STATS, "
				    "STATS_CLEAR or JSON)\n", prog, optarg);
				return -1;
			}
			fprintf(out, "%d\n", sig);
			o->exit_now = 1;
			return 0;
		case 't':
			o->config_test = 1;
			/* -t=FILE as well as -tFILE and --config-test=FILE */
			if (optarg != NULL && optarg[0] == '=')
				optarg++;
			o->config_test_log = optarg != NULL && *optarg != '\0' ?
			    optarg : NULL;
			break;
		case 'T':
			fprintf(err, "%s: --genhash is not supported; vigil-genhash "
			    "takes keepalived's genhash options and prints a "
			    "url block's digest line\n", prog);
			return -1;
		case 'v':
			fprintf(out, "vigild %s\n", PACKAGE_VERSION);
			o->exit_now = 1;
			return 0;
		case 'h':
			options_usage(out, prog);
			o->exit_now = 1;
			return 0;
		case '?':
		default:
			if (optopt != 0 && optopt < 256)
				fprintf(err, "%s: invalid or incomplete option "
				    "'-%c'\n", prog, optopt);
			else
				fprintf(err, "%s: invalid option '%s'\n", prog,
				    argv[optind - 1]);
			fprintf(err, "Try '%s --help' for more information.\n",
			    prog);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(err, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		fprintf(err, "Try '%s --help' for more information.\n", prog);
		return -1;
	}
	return 0;
}

const char *
options_conf_file(const struct options *o)
{
	if (o->conf_file != NULL)
		return o->conf_file;
	if (access(VIGIL_CONF_DEFAULT, F_OK) == 0)
		return VIGIL_CONF_DEFAULT;
	return VIGIL_CONF_KEEPALIVED;
}

const char *
options_child_pid_file(const struct options *o, const struct subsys *s)
{
	const char *given = NULL;

	switch (s->only_opt) {
	case 'P':
		given = o->vrrp_pid_file;
		break;
	case 'C':
		given = o->checkers_pid_file;
		break;
	}
	if (s->skip_opt == 'B')
		given = o->bfd_pid_file;
	return given != NULL ? given : s->pid_file;
}

int
options_runs(const struct options *o, char only_opt)
{
	return o->only == 0 ||
	    (only_opt != 0 && (o->only & OPT_ONLY_BIT(only_opt)) != 0);
}

int
options_runs_sub(const struct options *o, const struct subsys *s)
{
	return options_runs(o, s->only_opt) && (s->skip_opt == 0 ||
	    (o->skip & OPT_ONLY_BIT(s->skip_opt)) == 0);
}

int
options_check_pid_files(const struct options *o, FILE *err)
{
	const char *path[4] = { o->pid_file, o->vrrp_pid_file,
	    o->checkers_pid_file, o->bfd_pid_file };
	static const char *const opt[4] = { "-p", "-r", "-c", "-b" };
	static const char *const who[4] = { "parent", "VRRP child",
	    "checker child", "BFD child" };

	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (path[i] != NULL && path[j] != NULL &&
			    strcmp(path[i], path[j]) == 0) {
				fprintf(err, "vigild: the %s (%s) and %s (%s) "
				    "pid files are the same file %s: give each "
				    "its own\n", who[i], opt[i], who[j], opt[j],
				    path[i]);
				return -1;
			}
	return 0;
}
