/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * global_defs: the settings every process reads (identity, mail, scripts,
 * SNMP, reload behaviour), as keepalived.conf defines them. The VRRP and
 * LVS keywords of global_defs are registered by their own subsystems.
 */
#include "global_conf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define G(f) offsetof(struct global_conf, f)

static struct global_conf *
gc(void *obj)
{
	return obj;
}

static char *
gc_dup(struct conf_ctx *cx, const struct conf_node *n, const char *s)
{
	char *p = arena_strdup(conf_arena(cx), s);

	if (p == NULL)
		conf_error(cx, n, "out of memory");
	return p;
}

/* A name of a user or group: what useradd accepts, or a number. */
static int
valid_name(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > 32 || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && strchr("._-$", s[i]) == NULL)
			return 0;
	return 1;
}

/* ---- handlers ------------------------------------------------------------ */

static int
set_email(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	unsigned i;

	(void)kw;
	/* every word of an item line is an address, as keepalived reads it */
	for (i = 0; i < n->argc; i++) {
		struct global_email *e;
		size_t len = strlen(n->argv[i]);

		if (len == 0 || len > 254) {
			conf_error(cx, n, "expected an email address, got '%s'",
			    n->argv[i]);
			return -1;
		}
		e = arena_alloc(conf_arena(cx), sizeof(*e));
		if (e == NULL || (e->addr = gc_dup(cx, n, n->argv[i])) == NULL)
			return -1;
		if (g->emails_tail == NULL)
			g->emails_tail = &g->emails;
		*g->emails_tail = e;
		g->emails_tail = &e->next;
		g->nemails++;
	}
	return 0;
}

static int
valid_host(const char *s)
{
	size_t len = strlen(s), i;

	if (len == 0 || len > 253 || s[0] == '-' || s[0] == '.')
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && strchr(".-_", s[i]) == NULL)
			return 0;
	return 1;
}

static int
set_smtp_server(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	struct vg_addr a;
	unsigned port = 25;

	(void)kw;
	memset(&a, 0, sizeof(a));
	if (addr_parse(n->argv[1], &a) == -1 && !valid_host(n->argv[1])) {
		conf_error(cx, n, "expected an IP address or host name, got %s",
		    n->argv[1]);
		return -1;
	}
	if (n->argc > 2 && (addr_parse_port(n->argv[2], &port) == -1 ||
	    port == 0)) {
		conf_error(cx, n, "expected a port 1-65535, got %s", n->argv[2]);
		return -1;
	}
	if ((g->smtp_server = gc_dup(cx, n, n->argv[1])) == NULL)
		return -1;
	g->smtp_addr = a;
	g->smtp_port = port;
	return 0;
}

/* SCRIPT|FIFO [username [groupname]] into the global_script at kw->off */
static int
set_script(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_script *s = (void *)((char *)obj + kw->off), v;

	memset(&v, 0, sizeof(v));
	if (n->argv[1][0] == '\0') {
		conf_error(cx, n, "expected a script or file name, got ''");
		return -1;
	}
	if (n->argc > 2 && !valid_name(n->argv[2])) {
		conf_error(cx, n, "expected a user name, got %s", n->argv[2]);
		return -1;
	}
	if (n->argc > 3 && !valid_name(n->argv[3])) {
		conf_error(cx, n, "expected a group name, got %s", n->argv[3]);
		return -1;
	}
	if ((v.path = gc_dup(cx, n, n->argv[1])) == NULL ||
	    (n->argc > 2 && (v.user = gc_dup(cx, n, n->argv[2])) == NULL) ||
	    (n->argc > 3 && (v.group = gc_dup(cx, n, n->argv[3])) == NULL))
		return -1;
	*s = v;
	return 0;
}

/* keepalived enables script security whatever the argument says; vigil
 * reads on/off words and takes anything else as on. */
static int
set_script_security(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	int v = 1;

	(void)kw;
	if (n->argc == 2 && conf_parse_bool(n->argv[1], &v) == -1) {
		conf_warn(cx, n, "'%s' is not on or off; script security "
		    "enabled, as keepalived does", n->argv[1]);
		v = 1;
	}
	g->enable_script_security = v;
	return 0;
}

static int
set_script_user(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);

	(void)kw;
	if (!valid_name(n->argv[1])) {
		conf_error(cx, n, "expected a user name, got %s", n->argv[1]);
		return -1;
	}
	if (n->argc > 2 && !valid_name(n->argv[2])) {
		conf_error(cx, n, "expected a group name, got %s", n->argv[2]);
		return -1;
	}
	if ((g->script_user = gc_dup(cx, n, n->argv[1])) == NULL)
		return -1;
	g->script_group = NULL;
	if (n->argc > 2 && (g->script_group = gc_dup(cx, n, n->argv[2])) == NULL)
		return -1;
	return 0;
}

static int
set_max_auto_priority(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	long long v = 99;	/* no value: the highest realtime priority */

	(void)kw;
	if (n->argc > 1 && conf_parse_ll(n->argv[1], -1, 99, &v) == -1) {
		conf_error(cx, n, "expected -1-99, got %s", n->argv[1]);
		return -1;
	}
	gc(obj)->max_auto_priority = (int)v;
	return 0;
}

static const struct {
	const char *name;
	int bit;
} umask_bits[] = {
	{ "IRUSR", S_IRUSR }, { "IWUSR", S_IWUSR }, { "IXUSR", S_IXUSR },
	{ "IRGRP", S_IRGRP }, { "IWGRP", S_IWGRP }, { "IXGRP", S_IXGRP },
	{ "IROTH", S_IROTH }, { "IWOTH", S_IWOTH }, { "IXOTH", S_IXOTH },
};

/* NUMBER (hex, octal or decimal) or BITS like "IWGRP|IWOTH" (the '|' may
 * be surrounded by blanks, i.e. spread over several words). */
static int
set_umask(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	char buf[256], *tok, *save = NULL, *end;
	size_t off = 0, i, l;
	unsigned w;
	int mask = 0;

	(void)kw;
	for (w = 1; w < n->argc; w++) {
		l = strlen(n->argv[w]);
		if (off + l + 2 > sizeof(buf))
			goto bad;
		memcpy(buf + off, n->argv[w], l);
		off += l;
		buf[off++] = ' ';
	}
	buf[off > 0 ? off - 1 : 0] = '\0';
	if (isdigit((unsigned char)buf[0])) {
		long v;

		errno = 0;
		v = strtol(buf, &end, 0);
		if (errno != 0 || *end != '\0' || v < 0 || v > 0777)
			goto bad;
		mask = (int)v;
	} else {
		for (tok = strtok_r(buf, "| ", &save); tok != NULL;
		    tok = strtok_r(NULL, "| ", &save)) {
			for (i = 0; i < sizeof(umask_bits) / sizeof(umask_bits[0]);
			    i++)
				if (strcmp(tok, umask_bits[i].name) == 0)
					break;
			if (i == sizeof(umask_bits) / sizeof(umask_bits[0]))
				goto bad;
			mask |= umask_bits[i].bit;
		}
	}
	g->umask = mask;
	g->umask_set = 1;
	return 0;
bad:
	conf_error(cx, n, "expected a mode 0-0777 or bits like IWGRP|IWOTH, "
	    "got %s", n->argv[1]);
	return -1;
}

/* control_socket_mode: an octal mode, 0600 to 0777 (the owner keeps
 * read and write). */
static int
set_control_mode(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	char *end;
	long v;

	(void)kw;
	errno = 0;
	v = strtol(n->argv[1], &end, 8);
	if (errno != 0 || *end != '\0' || end == n->argv[1] || v < 0600 ||
	    v > 0777) {
		conf_error(cx, n, "control_socket_mode: expected an octal mode "
		    "from 0600 to 0777, got %s", n->argv[1]);
		return -1;
	}
	g->control_socket_mode = (unsigned)v;
	return 0;
}

static int
set_include_check(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	static const struct {
		const char *name;
		unsigned bits;
	} opt[] = {
		{ "readable", GLOBAL_INC_READABLE },
		{ "match", GLOBAL_INC_MATCH | GLOBAL_INC_READABLE },
		{ "wildcard_match", GLOBAL_INC_WILDCARD | GLOBAL_INC_READABLE },
		{ "brace_match", GLOBAL_INC_BRACE | GLOBAL_INC_READABLE },
	};
	struct global_conf *g = gc(obj);
	unsigned v = 0, w;
	size_t i;

	(void)kw;
	if (n->argc == 1) {
		v = GLOBAL_INC_ALL;
		goto done;
	}
	for (w = 1; w < n->argc; w++) {
		const char *s = n->argv[w];
		char sign = 0;

		if (*s == '+' || *s == '-') {
			sign = *s++;
			if (w == 1)	/* relative to what was set before */
				v = g->include_check;
		}
		for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
			if (strcmp(s, opt[i].name) == 0)
				break;
		if (i == sizeof(opt) / sizeof(opt[0])) {
			conf_error(cx, n, "expected readable, match, "
			    "wildcard_match or brace_match, got %s", n->argv[w]);
			return -1;
		}
		if (sign == '-')	/* removing match leaves readable */
			v &= ~(opt[i].bits & ~(i == 0 ? 0u : GLOBAL_INC_READABLE));
		else
			v |= opt[i].bits;
	}
done:
	g->include_check = v;
	g->include_check_set = 1;
	return 0;
}

static int
set_random_seed(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	long long v;

	(void)kw;
	if (conf_parse_ll(n->argv[1], 0, UINT_MAX, &v) == -1) {
		conf_error(cx, n, "expected 0-%u, got %s", UINT_MAX, n->argv[1]);
		return -1;
	}
	gc(obj)->random_seed = (unsigned long)v;
	gc(obj)->random_seed_set = 1;
	return 0;
}

/*
 * tmp_config_directory DIR: where keepalived writes the copy of the
 * configuration its children read. vigil's children read no file: the
 * parent sends each its part over the ipc socket. Kept for the dump;
 * the warning says why nothing else is done.
 */
static int
set_tmp_config_dir(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	if (conf_set_str(cx, n, kw, obj) < 0)
		return -1;
	conf_warn(cx, n, "no use in vigil: its children read no copy of the "
	    "configuration (the parent sends each its part over ipc); %s "
	    "is not written to", n->argv[1]);
	return 0;
}

/*
 * config_save_dir DIR: the parent saves each configuration it loads
 * there (daemon/config_save.c). keepalived's children also write their
 * data dump before and after each reload there: vigil's do not yet.
 */
static int
set_config_save_dir(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	if (conf_set_str(cx, n, kw, obj) < 0)
		return -1;
	conf_warn(cx, n, "each configuration loaded is saved in %s; the "
	    "children's dumps before and after a reload "
	    "(keepalived_vrrp.PID.N.pre, .post) are not supported yet",
	    n->argv[1]);
	return 0;
}

static int
set_reload_check_config(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);

	(void)kw;
	g->reload_check_config = 1;
	g->reload_check_log = NULL;
	if (n->argc > 1 && (g->reload_check_log = gc_dup(cx, n, n->argv[1])) ==
	    NULL)
		return -1;
	return 0;
}

static int
set_abs_path(struct conf_ctx *cx, const struct conf_node *n, char **out)
{
	if (n->argv[1][0] != '/') {
		conf_error(cx, n, "expected an absolute path name, got %s",
		    n->argv[1]);
		return -1;
	}
	return (*out = gc_dup(cx, n, n->argv[1])) == NULL ? -1 : 0;
}

static int
set_reload_time_file(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	(void)kw;
	return set_abs_path(cx, n, &gc(obj)->reload_time_file);
}

static int
set_reload_file(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);

	(void)kw;
	g->reload_file = NULL;
	if (n->argc > 1 && set_abs_path(cx, n, &g->reload_file) == -1)
		return -1;
	g->reload_file_set = 1;
	return 0;
}

static int
set_snmp_rfc(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	int v = 1;

	(void)kw;
	if (n->argc > 1 && conf_parse_bool(n->argv[1], &v) == -1) {
		conf_error(cx, n, "expected on|off|true|false|yes|no, got %s",
		    n->argv[1]);
		return -1;
	}
	g->enable_snmp_rfcv2 = g->enable_snmp_rfcv3 = v;
	return 0;
}

/* metrics_listen ADDR:PORT, an IPv6 address in brackets: [::1]:9650 */
static int
set_metrics_listen(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = gc(obj);
	const char *s = n->argv[1], *colon, *a = s;
	size_t alen;
	struct vg_addr addr;
	unsigned port;

	(void)kw;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || end[1] != ':')
			goto bad;
		a = s + 1;
		alen = (size_t)(end - a);
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			goto bad;
		alen = (size_t)(colon - s);
		if (memchr(s, ':', alen) != NULL) {
			conf_error(cx, n, "an IPv6 address goes in brackets, "
			    "as in [::1]:9650; got %s", s);
			return -1;
		}
	}
	memset(&addr, 0, sizeof(addr));
	if (addr_parse_len(a, alen, &addr) == -1 ||
	    addr_parse_port(colon + 1, &port) == -1 || port == 0)
		goto bad;
	if ((g->metrics_listen = gc_dup(cx, n, s)) == NULL)
		return -1;
	g->metrics_addr = addr;
	g->metrics_port = port;
	return 0;
bad:
	conf_error(cx, n, "expected ADDRESS:PORT (port 1-65535, an IPv6 "
	    "address in brackets), got %s", s);
	return -1;
}

/* ---- tables ---------------------------------------------------------------- */

/* A process name as the kernel keeps it (comm): longer than 15
 * characters is cut, with a warning, as keepalived does. */
#define PROC_COMM_MAX 15

static int
set_process_name(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	char **p = (char **)(void *)((char *)obj + kw->off);

	if (conf_set_str(cx, n, kw, obj) == -1)
		return -1;
	if (strlen(*p) > PROC_COMM_MAX) {
		conf_warn(cx, n, "%s: more than %d characters, cut to %.*s",
		    *p, PROC_COMM_MAX, PROC_COMM_MAX, *p);
		(*p)[PROC_COMM_MAX] = '\0';
	}
	return 0;
}

/* process_names: the children's keepalived names (a vrrp_process_name or
 * checker_process_name after it still wins; one before it does not) */
static int
set_process_names(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = obj;
	static char vrrp[] = "keepalived_vrrp", lvs[] = "keepalived_lvs",
	    bfd[] = "keepalived_bfd";

	(void)cx;
	(void)n;
	(void)kw;
	g->vrrp_process_name = vrrp;
	g->checker_process_name = lvs;
	g->bfd_process_name = bfd;
	return 0;
}

const char *
global_process_name(const struct global_conf *g, const char *role)
{
	if (g == NULL)
		return NULL;
	if (strcmp(role, "vigild") == 0)
		return g->process_name;
	if (strcmp(role, "vrrp") == 0)
		return g->vrrp_process_name;
	if (strcmp(role, "checker") == 0)
		return g->checker_process_name;
	if (strcmp(role, "bfd") == 0)
		return g->bfd_process_name;
	return NULL;
}

/* net_namespace NAME: the first one counts, as keepalived's */
static int
set_net_namespace(struct conf_ctx *cx, const struct conf_node *n,
    const struct conf_kw *kw, void *obj)
{
	struct global_conf *g = obj;

	if (strchr(n->argv[1], '/') != NULL || strcmp(n->argv[1], ".") == 0 ||
	    strcmp(n->argv[1], "..") == 0) {
		conf_error(cx, n, "expected a name in /run/netns, got %s",
		    n->argv[1]);
		return -1;
	}
	if (g->net_namespace != NULL) {
		conf_warn(cx, n, "a second net_namespace (%s): ignored, the "
		    "first (%s) counts", n->argv[1], g->net_namespace);
		return 0;
	}
	return conf_set_str(cx, n, kw, obj);
}

static const struct conf_kw top_kw[] = {
	CONF_KW_BLOCK("global_defs", 0, 0, 0, NULL, NULL, NULL, 0),
	CONF_KW_STR("instance", G(instance)),
	/* pid files in VIGIL_PID_SUBDIR (daemon/vigild.c) */
	CONF_KW_FLAG("use_pid_dir", G(use_pid_dir)),
	/* seconds a stopping child gets before SIGKILL (0: none) */
	CONF_KW_UINT("child_wait_time", G(child_wait_time), 0, UINT_MAX),
	/* the parent enters it (daemon/netns.c) */
	CONF_KW("net_namespace", 1, 1, set_net_namespace, G(net_namespace)),
	/* keepalived withholds ipsets in a namespace on Linux before 3.13
	 * unless given; vigil always uses them there (ipsets are per
	 * namespace since 3.13) */
	CONF_KW_FLAG("namespace_with_ipsets", G(namespace_with_ipsets)),
	CONF_KW_END
};

/* one table per keyword, see global_conf_register() */
static const struct conf_kw defs_kw[][2] = {
	/* identity and mail */
	CONF_KW_ONE(CONF_KW_STR("router_id", G(router_id))),
	CONF_KW_ONE(CONF_KW_LIST("notification_email", set_email, 0, 0, 0)),
	CONF_KW_ONE(CONF_KW_STR("notification_email_from", G(email_from))),
	CONF_KW_ONE(CONF_KW("smtp_server", 1, 2, set_smtp_server, 0)),
	CONF_KW_ONE(CONF_KW_STR("smtp_helo_name", G(smtp_helo_name))),
	CONF_KW_ONE(CONF_KW_UINT("smtp_connect_timeout",
	    G(smtp_connect_timeout), 1, 86400)),
	CONF_KW_ONE(CONF_KW_FLAG("smtp_alert", G(smtp_alert))),
	CONF_KW_ONE(CONF_KW_FLAG("no_checker_emails", G(no_checker_emails))),
	CONF_KW_ONE(CONF_KW_FLAG("rs_init_notifies", G(rs_init_notifies))),

	/* scripts */
	CONF_KW_ONE(CONF_KW("script_user", 1, 2, set_script_user, 0)),
	CONF_KW_ONE(CONF_KW("enable_script_security", 0, 1,
	    set_script_security, 0)),
	CONF_KW_ONE(CONF_KW("notify_fifo", 1, 3, set_script, G(notify_fifo))),
	CONF_KW_ONE(CONF_KW("notify_fifo_script", 1, 3, set_script,
	    G(notify_fifo_script))),
	/* run by the parent (daemon/hook_script.c) */
	CONF_KW_ONE(CONF_KW("startup_script", 1, 3, set_script,
	    G(startup_script))),
	CONF_KW_ONE(CONF_KW_UINT("startup_script_timeout",
	    G(startup_script_timeout), 1, 1000)),
	CONF_KW_ONE(CONF_KW("shutdown_script", 1, 3, set_script,
	    G(shutdown_script))),
	CONF_KW_ONE(CONF_KW_UINT("shutdown_script_timeout",
	    G(shutdown_script_timeout), 1, 1000)),

	/* scheduling: kept for the dump; not acted on yet (they warn) */
	/* the VRRP child's (vrrp/process.c) */
	CONF_KW_ONE(CONF_KW("max_auto_priority", 0, 1, set_max_auto_priority,
	    0)),
	CONF_KW_ONE(CONF_KW_UINT("min_auto_priority_delay",
	    G(min_auto_priority_delay), 1, 10000000)),

	/* SNMP */
	CONF_KW_ONE(CONF_KW_STR("snmp_socket", G(snmp_socket))),
	CONF_KW_ONE(CONF_KW_FLAG("enable_snmp_vrrp", G(enable_snmp_vrrp))),
	CONF_KW_ONE(CONF_KW_DEPRECATED("enable_snmp_keepalived", 0, 1,
	    conf_set_flag, G(enable_snmp_vrrp), 0, 0)),
	CONF_KW_ONE(CONF_KW("enable_snmp_rfc", 0, 1, set_snmp_rfc, 0)),
	CONF_KW_ONE(CONF_KW_FLAG("enable_snmp_rfcv2", G(enable_snmp_rfcv2))),
	CONF_KW_ONE(CONF_KW_FLAG("enable_snmp_rfcv3", G(enable_snmp_rfcv3))),
	CONF_KW_ONE(CONF_KW_FLAG("enable_traps", G(enable_traps))),

	/* processes and files */
	CONF_KW_ONE(CONF_KW("process_names", 0, 0, set_process_names, 0)),
	CONF_KW_ONE(CONF_KW("process_name", 1, 1, set_process_name,
	    G(process_name))),
	CONF_KW_ONE(CONF_KW("vrrp_process_name", 1, 1, set_process_name,
	    G(vrrp_process_name))),
	CONF_KW_ONE(CONF_KW("checker_process_name", 1, 1, set_process_name,
	    G(checker_process_name))),
	CONF_KW_ONE(CONF_KW("bfd_process_name", 1, 1, set_process_name,
	    G(bfd_process_name))),
	CONF_KW_ONE(CONF_KW_DEPRECATED("lvs_process_name", 1, 1,
	    set_process_name, G(checker_process_name), 0, 0)),
	CONF_KW_ONE(CONF_KW("umask", 1, CONF_ARGS_ANY, set_umask, 0)),
	CONF_KW_ONE(CONF_KW("tmp_config_directory", 1, 1, set_tmp_config_dir,
	    G(tmp_config_directory))),
	/* the parent's: daemon/config_save.c */
	CONF_KW_ONE(CONF_KW("config_save_dir", 1, 1, set_config_save_dir,
	    G(config_save_dir))),
	CONF_KW_ONE(CONF_KW_FLAG("data_use_instance", G(data_use_instance))),
	CONF_KW_ONE(CONF_KW_UINT("json_version", G(json_version), 1, 2)),
	/* vigil's own: the parent's metrics and status page listener */
	CONF_KW_ONE(CONF_KW("metrics_listen", 1, 1, set_metrics_listen, 0)),
	CONF_KW_ONE(CONF_KW_UINT("process_monitor_rcv_bufs",
	    G(process_monitor_rcv_bufs), 0, UINT_MAX)),
	CONF_KW_ONE(CONF_KW_FLAG("process_monitor_rcv_bufs_force",
	    G(process_monitor_rcv_bufs_force))),

	/* configuration reading and reloads */
	CONF_KW_ONE(CONF_KW("random_seed", 1, 1, set_random_seed, 0)),
	CONF_KW_ONE(CONF_KW("include_check", 0, 4, set_include_check, 0)),
	/* the parent's: daemon/reload.c (reload_check_config, reload_file),
	 * daemon/reload_watch.c (reload_time_file, reload_repeat) */
	CONF_KW_ONE(CONF_KW("reload_check_config", 0, 1,
	    set_reload_check_config, 0)),
	CONF_KW_ONE(CONF_KW("reload_time_file", 1, 1, set_reload_time_file,
	    0)),
	CONF_KW_ONE(CONF_KW("reload_repeat", 0, 0, conf_set_flag,
	    G(reload_repeat))),
	CONF_KW_ONE(CONF_KW("reload_file", 0, 1, set_reload_file, 0)),

	/* operations: vigil's own */
	CONF_KW_ONE(CONF_KW_STR("control_socket", G(control_socket))),
	CONF_KW_ONE(CONF_KW("control_socket_mode", 1, 1, set_control_mode,
	    0)),
	CONF_KW_ONE(CONF_KW_STR("control_socket_group",
	    G(control_socket_group))),

	/* features vigil does not build */
	CONF_KW_ONE(CONF_KW_UNSUP("enable_dbus", 0, 0, 1)),
	CONF_KW_ONE(CONF_KW_UNSUP("dbus_service_name", 0, 1, 1)),
};

int
global_conf_register(struct conf_registry *r)
{
	if (conf_registry_add(r, CONF_OWNER_GLOBAL, "", top_kw) == -1)
		return -1;
	/* one keyword at a time: one another owner already took stays its */
	return conf_registry_add_each(r, CONF_OWNER_GLOBAL, "global_defs",
	    defs_kw, sizeof(defs_kw) / sizeof(defs_kw[0]));
}

struct global_conf *
global_conf_new(struct arena *a)
{
	struct global_conf *g = arena_alloc(a, sizeof(*g));

	if (g == NULL)
		return NULL;
	g->child_wait_time = 5;
	g->emails_tail = &g->emails;
	g->smtp_port = 25;
	g->smtp_connect_timeout = 30;
	g->smtp_alert = -1;
	g->startup_script_timeout = 10;
	g->shutdown_script_timeout = 10;
	g->min_auto_priority_delay = 1000000;
	g->umask = S_IWGRP | S_IWOTH;
	g->control_socket_mode = 0660;
	return g;
}

/* ---- dump ----------------------------------------------------------------- */

static void
dump_str(FILE *fp, const char *kw, const char *v)
{
	if (v == NULL)
		return;
	fprintf(fp, "    %s ", kw);
	conf_print_arg(fp, kw, v);
	fputc('\n', fp);
}

/* " value" on the line of kw, if there is a value */
static void
dump_more(FILE *fp, const char *kw, const char *v)
{
	if (v == NULL)
		return;
	fputc(' ', fp);
	conf_print_arg(fp, kw, v);
}

static void
dump_flag(FILE *fp, const char *kw, int v)
{
	if (v > 0)
		fprintf(fp, "    %s\n", kw);
}

static void
dump_script(FILE *fp, const char *kw, const struct global_script *s)
{
	if (s->path == NULL)
		return;
	fprintf(fp, "    %s ", kw);
	conf_print_arg(fp, kw, s->path);
	dump_more(fp, kw, s->user);
	dump_more(fp, kw, s->group);
	fputc('\n', fp);
}

void
global_conf_dump(const struct global_conf *g, FILE *fp)
{
	const struct global_email *e;
	char abuf[ADDR_STRLEN];

	dump_str(fp, "instance", g->instance);
	dump_str(fp, "net_namespace", g->net_namespace);
	if (g->namespace_with_ipsets)
		fprintf(fp, "namespace_with_ipsets\n");
	if (g->use_pid_dir)
		fprintf(fp, "use_pid_dir\n");
	fprintf(fp, "child_wait_time %u\n", g->child_wait_time);
	fprintf(fp, "global_defs {\n");
	dump_str(fp, "router_id", g->router_id);
	if (g->emails != NULL) {
		fprintf(fp, "    notification_email {\n");
		for (e = g->emails; e != NULL; e = e->next) {
			fputs("        ", fp);
			conf_print_arg(fp, NULL, e->addr);
			fputc('\n', fp);
		}
		fprintf(fp, "    }\n");
	}
	dump_str(fp, "notification_email_from", g->email_from);
	if (g->smtp_server != NULL) {
		fputs("    smtp_server ", fp);
		conf_print_word(fp, addr_is_unset(&g->smtp_addr) ?
		    g->smtp_server : addr_ntop(&g->smtp_addr, abuf,
		    sizeof(abuf)));
		fprintf(fp, " %u\n", g->smtp_port);
	}
	dump_str(fp, "smtp_helo_name", g->smtp_helo_name);
	fprintf(fp, "    smtp_connect_timeout %u\n", g->smtp_connect_timeout);
	if (g->smtp_alert >= 0)
		fprintf(fp, "    smtp_alert %s\n", g->smtp_alert ? "on" : "off");
	dump_flag(fp, "no_checker_emails", g->no_checker_emails);
	dump_flag(fp, "rs_init_notifies", g->rs_init_notifies);
	if (g->script_user != NULL) {
		fputs("    script_user", fp);
		dump_more(fp, "script_user", g->script_user);
		dump_more(fp, "script_user", g->script_group);
		fputc('\n', fp);
	}
	dump_flag(fp, "enable_script_security", g->enable_script_security);
	dump_script(fp, "notify_fifo", &g->notify_fifo);
	dump_script(fp, "notify_fifo_script", &g->notify_fifo_script);
	dump_script(fp, "startup_script", &g->startup_script);
	if (g->startup_script.path != NULL)
		fprintf(fp, "    startup_script_timeout %u\n",
		    g->startup_script_timeout);
	dump_script(fp, "shutdown_script", &g->shutdown_script);
	if (g->shutdown_script.path != NULL)
		fprintf(fp, "    shutdown_script_timeout %u\n",
		    g->shutdown_script_timeout);
	if (g->max_auto_priority != 0)
		fprintf(fp, "    max_auto_priority %d\n", g->max_auto_priority);
	fprintf(fp, "    min_auto_priority_delay %u\n",
	    g->min_auto_priority_delay);
	dump_str(fp, "snmp_socket", g->snmp_socket);
	dump_flag(fp, "enable_snmp_vrrp", g->enable_snmp_vrrp);
	dump_flag(fp, "enable_snmp_rfcv2", g->enable_snmp_rfcv2);
	dump_flag(fp, "enable_snmp_rfcv3", g->enable_snmp_rfcv3);
	dump_flag(fp, "enable_traps", g->enable_traps);
	fprintf(fp, "    umask 0%03o\n", (unsigned)g->umask);
	dump_str(fp, "tmp_config_directory", g->tmp_config_directory);
	dump_str(fp, "config_save_dir", g->config_save_dir);
	dump_flag(fp, "data_use_instance", g->data_use_instance);
	if (g->json_version != 0)
		fprintf(fp, "    json_version %u\n", g->json_version);
	dump_str(fp, "metrics_listen", g->metrics_listen);
	if (g->random_seed_set)
		fprintf(fp, "    random_seed %lu\n", g->random_seed);
	if (g->include_check_set) {
		fprintf(fp, "    include_check");
		if (g->include_check & GLOBAL_INC_READABLE)
			fprintf(fp, " readable");
		if (g->include_check & GLOBAL_INC_MATCH)
			fprintf(fp, " match");
		if (g->include_check & GLOBAL_INC_WILDCARD)
			fprintf(fp, " wildcard_match");
		if (g->include_check & GLOBAL_INC_BRACE)
			fprintf(fp, " brace_match");
		fprintf(fp, "\n");
	}
	if (g->reload_check_config) {
		fputs("    reload_check_config", fp);
		dump_more(fp, "reload_check_config", g->reload_check_log);
		fputc('\n', fp);
	}
	dump_str(fp, "reload_time_file", g->reload_time_file);
	dump_flag(fp, "reload_repeat", g->reload_repeat);
	if (g->reload_file_set) {
		fputs("    reload_file", fp);
		dump_more(fp, "reload_file", g->reload_file);
		fputc('\n', fp);
	}
	dump_str(fp, "control_socket", g->control_socket);
	fprintf(fp, "    control_socket_mode 0%03o\n", g->control_socket_mode);
	dump_str(fp, "control_socket_group", g->control_socket_group);
	fprintf(fp, "}\n");
}
