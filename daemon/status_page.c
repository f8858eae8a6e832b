/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status page (status.h). The server renders the same tables the
 * script draws from /state.json, so the first view and every later one
 * look alike; the script builds its nodes with textContent only (names
 * and reasons come from configurations and checks, never markup).
 */
#include "status.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "state_json.h"
#include "supervisor_int.h"

/* ---- helpers -------------------------------------------------------------- */

static void
esc(FILE *fp, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* A number as text, "" when absent. */
static const char *
num(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(o, key);

	buf[0] = '\0';
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	return buf;
}

static const char *
when(const json_t *o, char *buf, size_t len)
{
	const json_t *v = json_object_get(o, "since");
	time_t t;
	struct tm tm;

	buf[0] = '\0';
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return buf;
	t = (time_t)json_integer_value(v);
	if (gmtime_r(&t, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
	return buf;
}

/* The class of a state's badge: its name with blanks (and anything else
 * that is no letter, digit, '-' or '_': a state is a child's word, never
 * markup) as dashes. */
static void
badge(FILE *fp, const char *state)
{
	fputs("<span class=\"st st-", fp);
	for (const char *p = state; *p != '\0'; p++)
		fputc((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' ? *p : '-', fp);
	fputs("\">", fp);
	esc(fp, state);
	fputs("</span>", fp);
}

static void
td(FILE *fp, const char *text)
{
	fputs("<td>", fp);
	esc(fp, text);
	fputs("</td>", fp);
}

/* The weight cell: the weight in the table (or "out"), then the runtime
 * change that made it so, as vigilctl's OVERRIDE column says it. */
static void
weight_cell(FILE *fp, const json_t *rs)
{
	const json_t *ov = json_object_get(rs, "override");
	static const char *const flags[] = { "drained", "added", "removed" };
	const json_t *w = json_object_get(ov, "weight");
	char buf[32];
	int n = 0;

	fputs("<td>", fp);
	esc(fp, json_is_true(json_object_get(rs, "in_table")) ?
	    num(rs, "weight", buf, sizeof(buf)) : "out");
	for (size_t i = 0; json_is_object(ov) &&
	    i < sizeof(flags) / sizeof(flags[0]); i++)
		if (json_is_true(json_object_get(ov, flags[i])))
			fprintf(fp, "%s%s", n++ > 0 ? ", " : " (", flags[i]);
	if (json_is_integer(w))
		fprintf(fp, "%sweight=%lld", n++ > 0 ? ", " : " (",
		    (long long)json_integer_value(w));
	fputs(n > 0 ? ")</td>" : "</td>", fp);
}

static void
words(const json_t *arr, char *buf, size_t len)
{
	size_t i, off = 0;
	const json_t *v;

	buf[0] = '\0';
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		int n;

		if (s == NULL)
			continue;
		n = snprintf(buf + off, len - off, "%s%s", off > 0 ? " " : "",
		    s);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}

/* ---- the sections --------------------------------------------------------- */

static void
vrrp_rows(FILE *fp, const json_t *doc)
{
	const json_t *arr = json_object_get(doc, "vrrp_instances"), *vi;
	char a[32], b[32], c[32], when_s[32], vips[512];
	size_t i;

	fputs("<section id=\"vrrp\"><h2>VRRP instances</h2>", fp);
	if (json_array_size(arr) == 0) {
		fputs("<p class=\"none\">none</p></section>\n", fp);
		return;
	}
	fputs("<table><thead><tr><th>Instance</th><th>State</th>"
	    "<th>Priority</th><th>Interface</th><th>VRID</th><th>Master</th>"
	    "<th>Virtual IPs</th><th>Since</th><th>Why</th></tr></thead>"
	    "<tbody>\n", fp);
	json_array_foreach(arr, i, vi) {
		fputs("<tr>", fp);
		td(fp, str(vi, "name"));
		fputs("<td>", fp);
		badge(fp, str(vi, "state"));
		fputs("</td>", fp);
		num(vi, "effective_priority", a, sizeof(a));
		num(vi, "priority", b, sizeof(b));
		if (b[0] != '\0' && strcmp(a, b) != 0) {
			char both[80];

			snprintf(both, sizeof(both), "%s (configured %s)", a, b);
			td(fp, both);
		} else {
			td(fp, a);
		}
		td(fp, str(vi, "interface"));
		td(fp, num(vi, "vrid", c, sizeof(c)));
		td(fp, str(vi, "master"));
		words(json_object_get(vi, "vips"), vips, sizeof(vips));
		td(fp, vips);
		td(fp, when(vi, when_s, sizeof(when_s)));
		td(fp, str(vi, "detail"));
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></section>\n", fp);
}

static void
group_rows(FILE *fp, const json_t *doc)
{
	const json_t *arr = json_object_get(doc, "vrrp_sync_groups"), *g;
	char members[512], when_s[32];
	size_t i;

	if (json_array_size(arr) == 0)
		return;
	fputs("<section id=\"groups\"><h2>Sync groups</h2><table><thead><tr>"
	    "<th>Group</th><th>State</th><th>Members</th><th>Since</th>"
	    "<th>Why</th></tr></thead><tbody>\n", fp);
	json_array_foreach(arr, i, g) {
		fputs("<tr>", fp);
		td(fp, str(g, "name"));
		fputs("<td>", fp);
		badge(fp, str(g, "state"));
		fputs("</td>", fp);
		words(json_object_get(g, "members"), members, sizeof(members));
		td(fp, members);
		td(fp, when(g, when_s, sizeof(when_s)));
		td(fp, str(g, "detail"));
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></section>\n", fp);
}

static void
rs_rows(FILE *fp, const json_t *vs)
{
	const json_t *arr = json_object_get(vs, "real_servers"), *rs;
	char lat[48], when_s[32];
	size_t i;

	fputs("<table class=\"rs\"><thead><tr><th>Real server</th>"
	    "<th>State</th><th>Weight</th><th>Last check</th>"
	    "<th>Last failure</th><th>Since</th></tr></thead><tbody>\n", fp);
	json_array_foreach(arr, i, rs) {
		const json_t *us = json_object_get(rs, "last_latency_us");
		const char *last = str(rs, "last_result");

		fputs("<tr>", fp);
		td(fp, str(rs, "real"));
		fputs("<td>", fp);
		badge(fp, str(rs, "state"));
		fputs("</td>", fp);
		weight_cell(fp, rs);
		lat[0] = '\0';
		if (json_is_integer(us))
			snprintf(lat, sizeof(lat), "%s%s%.1f ms", last,
			    last[0] != '\0' ? ", " : "",
			    (double)json_integer_value(us) / 1000.0);
		else
			snprintf(lat, sizeof(lat), "%s", last);
		td(fp, lat);
		td(fp, str(rs, "detail"));
		td(fp, when(rs, when_s, sizeof(when_s)));
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table>\n", fp);
}

static void
vs_blocks(FILE *fp, const json_t *doc)
{
	const json_t *arr = json_object_get(doc, "virtual_servers"), *vs;
	size_t i;

	fputs("<section id=\"vs\"><h2>Virtual servers</h2>", fp);
	if (json_array_size(arr) == 0)
		fputs("<p class=\"none\">none</p>", fp);
	json_array_foreach(arr, i, vs) {
		char up[32], n[32], ws[32];

		fputs("<div class=\"vs\"><h3>", fp);
		esc(fp, str(vs, "name"));
		fputc(' ', fp);
		badge(fp, str(vs, "state"));
		fputs("</h3><p class=\"sum\">", fp);
		/* the child's own summary, else what the counts say */
		num(vs, "real_servers_up", up, sizeof(up));
		num(vs, "real_servers", n, sizeof(n));
		if (str(vs, "detail")[0] != '\0')
			esc(fp, str(vs, "detail"));
		else if (up[0] != '\0' && n[0] != '\0')
			fprintf(fp, "%s of %s real servers up, weight %s", up,
			    n, num(vs, "weight_sum", ws, sizeof(ws)));
		fputs("</p>\n", fp);
		rs_rows(fp, vs);
		fputs("</div>\n", fp);
	}
	fputs("</section>\n", fp);
}

static void
summary(FILE *fp, const json_t *doc)
{
	const json_t *d = json_object_get(doc, "daemon"), *ch;
	char g[32], up[32];
	size_t i;
	long long s = json_integer_value(json_object_get(d, "uptime_seconds"));

	num(doc, "generation", g, sizeof(g));
	snprintf(up, sizeof(up), "%lldd %lldh %lldm", s / 86400,
	    s / 3600 % 24, s / 60 % 60);
	fprintf(fp, "configuration generation %s, up %s, ", g, up);
	fprintf(fp, "%lld reload(s); children:",
	    (long long)json_integer_value(json_object_get(d, "reloads")));
	json_array_foreach(json_object_get(doc, "children"), i, ch) {
		fputs(i > 0 ? ", " : " ", fp);
		esc(fp, str(ch, "name"));
		fputc(' ', fp);
		esc(fp, str(ch, "state"));
	}
}

/* ---- the page --------------------------------------------------------------- */

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2329;"
	"background:#f4f6f8}"
	"header{background:#1d2329;color:#fff;padding:10px 20px}"
	"header h1{margin:0;font-size:20px}header p{margin:2px 0;color:#c9d1d9}"
	"main{padding:10px 20px}h2{font-size:17px;margin:18px 0 6px}"
	"h3{font-size:15px;margin:12px 0 4px}"
	"table{border-collapse:collapse;background:#fff;margin-bottom:8px}"
	"th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;"
	"vertical-align:top}th{background:#eaeef2}"
	".st{display:inline-block;padding:0 6px;border-radius:3px;"
	"font-weight:600;background:#8c959f;color:#fff}"
	".st-MASTER,.st-up{background:#1a7f37}.st-BACKUP{background:#0969da}"
	".st-FAULT,.st-down,.st-STOP{background:#cf222e}"
	".st-starting,.st-INIT{background:#9a6700}"
	".vs{background:#fff;border:1px solid #d0d7de;padding:4px 12px;"
	"margin-bottom:10px}.sum{margin:0 0 6px}.none{color:#57606a}"
	"#live{font-size:12px}.stale{color:#ff8182}";

/* Draws the same tables as the C above from /state.json. */
static const char script[] =
	"(function(){'use strict';\n"
	"function el(t,c,x){var e=document.createElement(t);"
	"if(c)e.className=c;if(x!==undefined&&x!==null)e.textContent=String(x);"
	"return e;}\n"
	"function badge(s){return el('span','st st-'+String(s).replace(/ /g,'-'),s);}\n"
	"function when(o){if(typeof o.since!=='number'||o.since<=0)return '';"
	"return new Date(o.since*1000).toISOString().replace('T',' ')"
	".replace(/\\.\\d+Z$/,'Z');}\n"
	"function n(v){return typeof v==='number'?String(v):'';}\n"
	"function row(cells){var tr=el('tr');cells.forEach(function(c){"
	"var td=el('td');if(c instanceof Node)td.appendChild(c);"
	"else td.textContent=c;tr.appendChild(td);});return tr;}\n"
	"function table(heads,rows,cls){var t=el('table',cls),h=el('thead'),"
	"r=el('tr'),b=el('tbody');heads.forEach(function(x){"
	"r.appendChild(el('th',null,x));});h.appendChild(r);t.appendChild(h);"
	"rows.forEach(function(x){b.appendChild(x);});t.appendChild(b);"
	"return t;}\n"
	"function section(id,title){var s=el('section');s.id=id;"
	"s.appendChild(el('h2',null,title));return s;}\n"
	"function vrrp(d){var s=section('vrrp','VRRP instances'),"
	"a=d.vrrp_instances||[];if(!a.length){s.appendChild(el('p','none',"
	"'none'));return s;}s.appendChild(table(['Instance','State','Priority',"
	"'Interface','VRID','Master','Virtual IPs','Since','Why'],"
	"a.map(function(v){var p=n(v.effective_priority),c=n(v.priority);"
	"return row([v.name,badge(v.state),c&&c!==p?p+' (configured '+c+')':p,"
	"v.interface||'',n(v.vrid),v.master||'',(v.vips||[]).join(' '),"
	"when(v),v.detail||'']);})));return s;}\n"
	"function groups(d){var a=d.vrrp_sync_groups||[];if(!a.length)"
	"return null;var s=section('groups','Sync groups');"
	"s.appendChild(table(['Group','State','Members','Since','Why'],"
	"a.map(function(g){return row([g.name,badge(g.state),"
	"(g.members||[]).join(' '),when(g),g.detail||'']);})));return s;}\n"
	"function weight(r){var w=r.in_table?n(r.weight):'out',o=r.override,"
	"a=[];if(o&&typeof o==='object'){['drained','added','removed']"
	".forEach(function(k){if(o[k]===true)a.push(k);});"
	"if(typeof o.weight==='number')a.push('weight='+o.weight);}"
	"return a.length?w+' ('+a.join(', ')+')':w;}\n"
	"function rs(v){return table(['Real server','State','Weight',"
	"'Last check','Last failure','Since'],(v.real_servers||[]).map("
	"function(r){var l=r.last_result||'';if(typeof r.last_latency_us==="
	"'number')l=(l?l+', ':'')+(r.last_latency_us/1000).toFixed(1)+' ms';"
	"return row([r.real||r.name,badge(r.state),weight(r),l,"
	"r.detail||'',when(r)]);}),'rs');}\n"
	"function vss(d){var s=section('vs','Virtual servers'),"
	"a=d.virtual_servers||[];if(!a.length)s.appendChild(el('p','none',"
	"'none'));a.forEach(function(v){var b=el('div','vs'),h=el('h3',null,"
	"v.name+' ');h.appendChild(badge(v.state));b.appendChild(h);"
	"var t=v.detail||'';if(!t&&typeof v.real_servers_up==='number'&&"
	"typeof v.real_servers==='number')t=v.real_servers_up+' of '+"
	"v.real_servers+' real servers up, weight '+n(v.weight_sum);"
	"b.appendChild(el('p','sum',t));"
	"b.appendChild(rs(v));s.appendChild(b);});return s;}\n"
	"function summary(d){var x=d.daemon||{},s=x.uptime_seconds||0,"
	"t='configuration generation '+n(d.generation)+', up '+"
	"Math.floor(s/86400)+'d '+Math.floor(s/3600)%24+'h '+"
	"Math.floor(s/60)%60+'m, '+(x.reloads||0)+' reload(s); children:';"
	"(d.children||[]).forEach(function(c,i){t+=(i?', ':' ')+c.name+' '+"
	"c.state;});return t;}\n"
	"function draw(d){var m=document.getElementById('main'),f="
	"document.createDocumentFragment();f.appendChild(vrrp(d));"
	"var g=groups(d);if(g)f.appendChild(g);f.appendChild(vss(d));"
	"while(m.firstChild)m.removeChild(m.firstChild);m.appendChild(f);"
	"document.getElementById('summary').textContent=summary(d);}\n"
	"var live=document.getElementById('live');\n"
	"function poll(){fetch('/state.json',{cache:'no-store'}).then("
	"function(r){if(!r.ok)throw new Error('HTTP '+r.status);"
	"return r.json();}).then(function(d){draw(d);live.className='';"
	"live.textContent='live: updated '+new Date().toLocaleTimeString();"
	"}).catch(function(e){live.className='stale';live.textContent="
	"'not updating: '+e.message;}).then(function(){"
	"setTimeout(poll,POLL_MS);});}\n"
	"setTimeout(poll,POLL_MS);})();\n";

int
status_page_render(FILE *fp, const json_t *doc, const char *host)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>vigil on ", fp);
	esc(fp, host);
	fprintf(fp, "</title><noscript><meta http-equiv=\"refresh\" "
	    "content=\"%d\"></noscript><style>%s</style></head>\n<body>"
	    "<header><h1>vigil on ", STATUS_NOSCRIPT_REFRESH, style);
	esc(fp, host);
	fputs("</h1><p id=\"summary\">", fp);
	summary(fp, doc);
	fprintf(fp, "</p><p id=\"live\">read-only<noscript>; this page "
	    "reloads itself every %d s</noscript></p></header>\n"
	    "<main id=\"main\">\n", STATUS_NOSCRIPT_REFRESH);
	vrrp_rows(fp, doc);
	group_rows(fp, doc);
	vs_blocks(fp, doc);
	fprintf(fp, "</main>\n<script>var POLL_MS=%d;\n%s</script>\n"
	    "</body></html>\n", STATUS_POLL_MS, script);
	return ferror(fp) ? -1 : 0;
}

int
status_page(FILE *fp, const struct supervisor *sv)
{
	json_t *doc = state_json(sv, STATE_JSON_ALL, NULL);
	char host[256];
	int rc;

	if (doc == NULL)
		return -1;
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "this host");
	host[sizeof(host) - 1] = '\0';
	rc = status_page_render(fp, doc, host);
	json_decref(doc);
	return rc;
}

int
status_json(FILE *fp, const struct supervisor *sv)
{
	json_t *doc = state_json(sv, STATE_JSON_ALL, NULL);
	int rc;

	if (doc == NULL)
		return -1;
	rc = json_dumpf(doc, fp, JSON_COMPACT) == 0 && fputc('\n', fp) != EOF ?
	    0 : -1;
	json_decref(doc);
	return rc;
}
