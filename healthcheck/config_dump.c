/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Human-readable summary of the health-check configuration. */
#include "config_priv.h"

#include <string.h>
#include <sys/socket.h>

const char *
chk_conf_vs_name(const struct chk_vs_conf *vs, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	switch (vs->kind) {
	case CHK_VS_ADDR:
		snprintf(buf, len, "[%s]:%s:%u",
		    addr_ntop(&vs->addr, a, sizeof(a)),
		    chk_conf_proto_name(vs->protocol), vs->port);
		break;
	case CHK_VS_FWMARK:
		snprintf(buf, len, "fwmark %u%s", vs->fwmark,
		    vs->family == AF_INET6 ? " (inet6)" : "");
		break;
	case CHK_VS_GROUP:
		snprintf(buf, len, "group %s:%s", vs->group_name,
		    chk_conf_proto_name(vs->protocol));
		break;
	}
	return buf;
}

/* pre, then s as a word that reads back the same (conf_print_word) */
static void
word(FILE *fp, const char *pre, const char *s)
{
	fputs(pre, fp);
	conf_print_word(fp, s);
}

/* the same, or "-" when there is no value */
static void
word_or_dash(FILE *fp, const char *pre, const char *s)
{
	if (s != NULL)
		word(fp, pre, s);
	else
		fprintf(fp, "%s-", pre);
}

static const char *
secs(char *buf, size_t len, unsigned long long usec)
{
	if (usec == CHK_TIMER_UNSET)
		snprintf(buf, len, "-");
	else if (usec % 1000000 == 0)
		snprintf(buf, len, "%llus", usec / 1000000);
	else
		snprintf(buf, len, "%llu.%06llus", usec / 1000000,
		    usec % 1000000);
	return buf;
}

static void
dump_fwd(FILE *fp, const struct chk_conf_fwd_method *f)
{
	static const char *const tun[] = { "ipip", "gue", "gre" };
	static const char *const csum[] = { "", " nocsum", " csum",
	    " remcsum" };

	fputs(chk_conf_fwd_name(f->method), fp);
	if (f->method != CHK_FWD_TUN)
		return;
	fprintf(fp, " type %s", tun[f->tun_type]);
	if (f->tun_type == CHK_TUN_GUE)
		fprintf(fp, " port %u", f->tun_port);
	fputs(csum[f->tun_csum], fp);
}

/* "<ind><kw> CMD [user USER[:GROUP]]", CMD quoted as kw's line reads it */
static void
dump_script(FILE *fp, const char *ind, const char *kw,
    const struct chk_conf_script *s)
{
	if (s == NULL || s->cmd == NULL)
		return;
	fprintf(fp, "%s%s ", ind, kw);
	conf_print_arg(fp, kw, s->cmd);
	if (s->user != NULL) {
		word(fp, " user ", s->user);
		if (s->group != NULL)
			word(fp, ":", s->group);
	}
	fputc('\n', fp);
}

static void
dump_status(FILE *fp, const struct chk_url_conf *u)
{
	int v, start = -1;

	fputs("          status_code", fp);
	for (v = CHK_STATUS_MIN; v <= CHK_STATUS_MAX + 1; v++) {
		int on = v <= CHK_STATUS_MAX &&
		    (u->status[v / 8] & (1u << (v % 8)));

		if (on && start < 0)
			start = v;
		if (!on && start >= 0) {
			if (start == v - 1)
				fprintf(fp, " %d", start);
			else
				fprintf(fp, " %d-%d", start, v - 1);
			start = -1;
		}
	}
	fputc('\n', fp);
}

static void
dump_checker(FILE *fp, const struct chk_rs_conf *rs,
    const struct chk_checker_conf *ck)
{
	char a[ADDR_STRLEN], t1[32], t2[32], t3[32], t4[32];
	const struct chk_url_conf *u;
	const struct chk_conf_smtp_host *h;
	unsigned i;

	fprintf(fp, "      %s", chk_conf_checker_kind_name(ck->kind));
	if (ck->kind != CHK_MISC && ck->kind != CHK_FILE)
		fprintf(fp, " -> [%s]:%u", addr_ntop(chk_conf_conn_addr(
		    &ck->conn, rs), a, sizeof(a)), chk_conf_conn_port(
		    &ck->conn, ck->kind, rs));
	fprintf(fp, " timeout %s delay_loop %s retry %d delay_before_retry "
	    "%s warmup %s%s\n", secs(t1, sizeof(t1), ck->conn.connect_timeout),
	    secs(t2, sizeof(t2), ck->delay_loop), ck->retry,
	    secs(t3, sizeof(t3), ck->delay_before_retry),
	    secs(t4, sizeof(t4), ck->warmup), ck->alpha == 1 ? " alpha" : "");
	if (!addr_is_unset(&ck->conn.bindto) || ck->conn.bind_port != 0)
		fprintf(fp, "        bindto %s port %u\n",
		    addr_ntop(&ck->conn.bindto, a, sizeof(a)),
		    ck->conn.bind_port);
	switch (ck->kind) {
	case CHK_HTTP:
	case CHK_SSL:
		for (u = ck->u.http.urls; u != NULL; u = u->next) {
			word(fp, "        url ", u->path);
			if (u->virtualhost != NULL)
				word(fp, " host ", u->virtualhost);
			fputc('\n', fp);
			if (u->has_digest) {
				fputs("          digest ", fp);
				for (i = 0; i < 16; i++)
					fprintf(fp, "%02x", u->digest[i]);
				fputc('\n', fp);
			}
			dump_status(fp, u);
			if (u->regex != NULL) {
				fprintf(fp, "          regex%s ",
				    u->regex_no_match ? " (no match)" : "");
				conf_print_arg(fp, "regex", u->regex);
				fputc('\n', fp);
			}
		}
		break;
	case CHK_SMTP:
		if (ck->u.smtp.helo_name != NULL) {
			word(fp, "        helo_name ", ck->u.smtp.helo_name);
			fputc('\n', fp);
		}
		for (h = ck->u.smtp.hosts; h != NULL; h = h->next)
			fprintf(fp, "        host [%s]:%u\n",
			    addr_ntop(chk_conf_conn_addr(&h->conn, rs), a,
			    sizeof(a)), chk_conf_conn_port(&h->conn, CHK_SMTP,
			    rs));
		break;
	case CHK_DNS:
		fprintf(fp, "        type %u name ", ck->u.dns.type);
		if (ck->u.dns.name != NULL)
			conf_print_word(fp, ck->u.dns.name);
		fputc('\n', fp);
		break;
	case CHK_UDP:
		fprintf(fp, "        payload %zu bytes, require_reply %s, "
		    "reply length %u-%u\n", ck->u.udp.payload_len,
		    ck->u.udp.require_reply ? "yes" : "no",
		    ck->u.udp.min_reply_length, ck->u.udp.max_reply_length);
		break;
	case CHK_MISC:
		dump_script(fp, "        ", "misc_path", &ck->u.misc.script);
		fprintf(fp, "        misc_timeout %s%s\n",
		    secs(t1, sizeof(t1), ck->u.misc.timeout),
		    ck->u.misc.dynamic ? " dynamic" : "");
		break;
	case CHK_FILE:
		fputs("        track_file ", fp);
		if (ck->u.file.track_file != NULL)
			conf_print_word(fp, ck->u.file.track_file);
		fprintf(fp, " weight %d%s%s\n", ck->u.file.weight,
		    ck->u.file.reverse ? " reverse" : "",
		    ck->u.file.dynamic ? " dynamic" : "");
		break;
	default:
		break;
	}
}

static void
dump_rs(FILE *fp, const struct chk_rs_conf *rs)
{
	const struct chk_checker_conf *ck;
	char a[ADDR_STRLEN];

	fprintf(fp, "    real_server [%s]:%u weight %d method ",
	    addr_ntop(&rs->addr, a, sizeof(a)), rs->port, rs->weight);
	dump_fwd(fp, &rs->fwd);
	fprintf(fp, "%s%s (line %u)\n",
	    rs->inhibit_on_failure == 1 ? " inhibit_on_failure" : "",
	    rs->checks->alpha == 1 ? " alpha" : "", rs->loc.line);
	if (rs->uthreshold || rs->lthreshold)
		fprintf(fp, "      thresholds %u-%u\n", rs->lthreshold,
		    rs->uthreshold);
	dump_script(fp, "      ", "notify_up", rs->notify_up);
	dump_script(fp, "      ", "notify_down", rs->notify_down);
	for (ck = rs->checks->list; ck != NULL; ck = ck->next)
		dump_checker(fp, rs, ck);
}

static void
dump_vs(FILE *fp, const struct chk_vs_conf *vs)
{
	const struct chk_rs_conf *rs;
	char name[ADDR_STRLEN + 32], a[ADDR_STRLEN], t[32];

	if (vs->kind == CHK_VS_GROUP) {
		/* the group's name as a word: chk_conf_vs_name() is for logs */
		word(fp, "virtual_server group ", vs->group_name);
		fprintf(fp, ":%s", chk_conf_proto_name(vs->protocol));
	} else
		fprintf(fp, "virtual_server %s",
		    chk_conf_vs_name(vs, name, sizeof(name)));
	fprintf(fp, " (%s, line %u)\n",
	    vs->family == AF_INET6 ? "inet6" : "inet", vs->loc.line);
	fputs("    sched ", fp);
	conf_print_word(fp, vs->sched);
	fprintf(fp, "%s%s%s%s%s method ",
	    vs->flags & CHK_VS_F_HASHED ? " hashed" : "",
	    vs->flags & CHK_VS_F_ONEPACKET ? " ops" : "",
	    vs->flags & CHK_VS_F_FLAG1 ? " flag-1" : "",
	    vs->flags & CHK_VS_F_FLAG2 ? " flag-2" : "",
	    vs->flags & CHK_VS_F_FLAG3 ? " flag-3" : "");
	dump_fwd(fp, &vs->fwd);
	fprintf(fp, " delay_loop %s\n", secs(t, sizeof(t), vs->delay_loop));
	if (vs->persistence_timeout) {
		fprintf(fp, "    persistence %us", vs->persistence_timeout);
		if (vs->persistence_engine != NULL)
			word(fp, " engine ", vs->persistence_engine);
		fputc('\n', fp);
	}
	fprintf(fp, "    quorum %u hysteresis %u%s%s%s\n", vs->quorum,
	    vs->hysteresis, vs->alpha ? " alpha" : "",
	    vs->omega ? " omega" : "", vs->ha_suspend ? " ha_suspend" : "");
	dump_script(fp, "    ", "quorum_up", &vs->quorum_up);
	dump_script(fp, "    ", "quorum_down", &vs->quorum_down);
	if (vs->sorry.set) {
		fprintf(fp, "    sorry_server [%s]:%u method ",
		    addr_ntop(&vs->sorry.addr, a, sizeof(a)), vs->sorry.port);
		dump_fwd(fp, &vs->sorry.fwd);
		fprintf(fp, "%s\n", vs->sorry.inhibit ? " inhibit" : "");
	}
	fprintf(fp, "    %u real server%s\n", vs->nrs, vs->nrs == 1 ? "" : "s");
	for (rs = vs->rs; rs != NULL; rs = rs->next)
		dump_rs(fp, rs);
}

void
chk_conf_dump(const struct chk_conf *c, FILE *fp)
{
	const struct chk_vsg_conf *g;
	const struct chk_conf_vsg_entry *e;
	const struct chk_vs_conf *vs;
	char a[ADDR_STRLEN], b[ADDR_STRLEN];

	fprintf(fp, "------< Health checkers: %u virtual server%s, %u group%s "
	    ">------\n", c->nvs, c->nvs == 1 ? "" : "s", c->ngroups,
	    c->ngroups == 1 ? "" : "s");
	if (c->g.lvs_flush || c->g.lvs_flush_on_stop)
		fprintf(fp, "lvs_flush %s, flush_on_stop %s\n",
		    c->g.lvs_flush ? "yes" : "no",
		    c->g.lvs_flush_on_stop == 2 ? "VS" :
		    c->g.lvs_flush_on_stop ? "yes" : "no");
	if (c->ssl.set) {
		word_or_dash(fp, "SSL ca ", c->ssl.ca);
		word_or_dash(fp, " certificate ", c->ssl.certificate);
		word_or_dash(fp, " key ", c->ssl.key);
		fputc('\n', fp);
	}
	for (g = c->groups; g != NULL; g = g->next) {
		word(fp, "virtual_server_group ", g->name);
		fputc('\n', fp);
		for (e = g->entries; e != NULL; e = e->next) {
			if (e->is_fwmark)
				fprintf(fp, "    fwmark %u\n", e->fwmark);
			else if (addr_cmp(&e->lo, &e->hi) == 0)
				fprintf(fp, "    %s port %u\n",
				    addr_ntop(&e->lo, a, sizeof(a)), e->port);
			else
				fprintf(fp, "    %s-%s port %u\n",
				    addr_ntop(&e->lo, a, sizeof(a)),
				    addr_ntop(&e->hi, b, sizeof(b)), e->port);
		}
	}
	for (vs = c->vs; vs != NULL; vs = vs->next)
		dump_vs(fp, vs);
}
