/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Global settings read by every process: the non-VRRP, non-LVS keywords
 * of global_defs and the top-level process options (instance,
 * use_pid_dir, child_wait_time). Owner CONF_OWNER_GLOBAL; the root object
 * handed to conf_apply() is a struct global_conf from global_conf_new().
 */
#ifndef VIGIL_GLOBAL_CONF_H
#define VIGIL_GLOBAL_CONF_H

#include <stdio.h>

#include "addr.h"
#include "arena.h"
#include "conf.h"

/* include_check bits (as the reader uses them) */
#define GLOBAL_INC_READABLE	0x1u
#define GLOBAL_INC_MATCH	0x2u
#define GLOBAL_INC_WILDCARD	0x4u
#define GLOBAL_INC_BRACE	0x8u
#define GLOBAL_INC_ALL		0xfu

/* A script or FIFO with the optional user/group to run it as (names; they
 * are resolved when used). */
struct global_script {
	char *path;		/* NULL: not configured */
	char *user;		/* NULL: script_user */
	char *group;		/* NULL: the user's group */
};

struct global_email {
	struct global_email *next;
	char *addr;
};

struct global_conf {
	/* top level */
	char *instance;			/* instance NAME */
	/* net_namespace NAME: vigild and its children run in the network
	 * namespace /run/netns/NAME (daemon/netns.c) */
	char *net_namespace;
	int namespace_with_ipsets;	/* keepalived's, for Linux < 3.13 */
	int use_pid_dir;
	unsigned child_wait_time;	/* seconds, default 5: a stopping
					 * child's time before SIGKILL */

	/* identity and mail */
	char *router_id;		/* NULL: local host name */
	struct global_email *emails;	/* notification_email, in order */
	struct global_email **emails_tail;
	unsigned nemails;
	char *email_from;		/* NULL: vigil@<host> */
	char *smtp_server;		/* host name or address as written */
	struct vg_addr smtp_addr;	/* set when smtp_server is an address */
	unsigned smtp_port;		/* default 25 */
	char *smtp_helo_name;
	unsigned smtp_connect_timeout;	/* seconds, default 30 */
	int smtp_alert;			/* -1: not set */
	int no_checker_emails;
	int rs_init_notifies;

	/* scripts */
	char *script_user;		/* NULL: default script user */
	char *script_group;
	int enable_script_security;
	struct global_script notify_fifo;
	struct global_script notify_fifo_script;
	struct global_script startup_script;
	unsigned startup_script_timeout;	/* seconds, default 10 */
	struct global_script shutdown_script;
	unsigned shutdown_script_timeout;	/* seconds, default 10 */

	/* scheduling */
	int max_auto_priority;		/* -1..99, default 0 (off) */
	unsigned min_auto_priority_delay;	/* usec, default 1000000 */

	/* track_process: the proc connector socket's SO_RCVBUF (0: the
	 * kernel's default), set with SO_RCVBUFFORCE when forced */
	unsigned process_monitor_rcv_bufs;
	int process_monitor_rcv_bufs_force;

	/* SNMP */
	char *snmp_socket;		/* NULL: unix:/var/agentx/master */
	int enable_snmp_vrrp;
	int enable_snmp_rfcv2;
	int enable_snmp_rfcv3;
	int enable_traps;

	/* process names (comm, at most 15 characters): the parent's and
	 * each child's; NULL: vigild, vigild-vrrp, vigild-checker */
	char *process_name;
	char *vrrp_process_name;
	char *checker_process_name;
	char *bfd_process_name;

	/* files */
	int umask;			/* default 022 */
	int umask_set;
	char *tmp_config_directory;
	char *config_save_dir;
	int data_use_instance;
	unsigned json_version;		/* 0: not set */

	/* vigil's own: the parent's HTTP listener (metrics, status page) */
	char *metrics_listen;		/* "ADDR:PORT" as written; NULL: off */
	struct vg_addr metrics_addr;
	unsigned metrics_port;

	/* configuration reading and reloads */
	unsigned long random_seed;
	int random_seed_set;
	unsigned include_check;		/* GLOBAL_INC_* */
	int include_check_set;
	int reload_check_config;
	char *reload_check_log;		/* reload_check_config LOG_FILE */
	char *reload_time_file;
	int reload_repeat;
	int reload_file_set;
	char *reload_file;		/* NULL with reload_file_set: default */

	/* operations (vigil's own keywords) */
	char *control_socket;		/* NULL: the pid file's path, .ctl
					 * for .pid; "none": no socket */
	unsigned control_socket_mode;	/* default 0660 */
	char *control_socket_group;	/* NULL: the socket stays root's */
};

/* Register global_defs (and the global top-level keywords). Keywords
 * already registered in global_defs by another owner are left to it. */
int global_conf_register(struct conf_registry *r);
/* A struct with every default set, allocated in a. */
struct global_conf *global_conf_new(struct arena *a);
/* Host checks of global_defs (lib/global_host.c): script_user, the
 * global scripts. conf is a struct global_conf; c the generation. */
struct vigil_config;
struct conf_diag;
unsigned global_conf_host_check(const void *conf,
    const struct vigil_config *c, struct conf_diag *d);
/* Print the settings as configuration text (for vigild -d). */
void global_conf_dump(const struct global_conf *g, FILE *fp);

/* The process name global_defs gives the process of role ("vigild" for
 * the parent, else a subsystem's name: "vrrp", "checker"); NULL: its
 * default. */
const char *global_process_name(const struct global_conf *g,
    const char *role);

#endif
