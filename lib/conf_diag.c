/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration diagnostics: compiler-style "file:line: error: message".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"
#include "conf_int.h"

/* Format into sbuf, or into a malloc()ed buffer when it does not fit. */
static char * __attribute__((format(printf, 3, 0)))
vformat(char *sbuf, size_t size, const char *fmt, va_list ap)
{
	va_list aq;
	char *big;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(sbuf, size, fmt, aq);
	va_end(aq);
	if (n < 0) {
		snprintf(sbuf, size, "(unprintable message)");
		return sbuf;
	}
	if ((size_t)n < size || (big = malloc((size_t)n + 1)) == NULL)
		return sbuf;	/* truncated is better than nothing */
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	return big;
}

static char * __attribute__((format(printf, 3, 4)))
format(char *sbuf, size_t size, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(sbuf, size, fmt, ap);
	va_end(ap);
	return s;
}

void
conf_diag_vreport_kw(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *kw, const char *fmt, va_list ap)
{
	char sbuf[512], kbuf[512], *msg, *full;

	if (d == NULL)
		return;
	if (sev == CONF_ERR)
		d->nerr++;
	else
		d->nwarn++;
	if (d->emit == NULL)
		return;
	msg = vformat(sbuf, sizeof(sbuf), fmt, ap);
	full = kw != NULL ? format(kbuf, sizeof(kbuf), "%s: %s", kw, msg) : msg;
	d->emit(d->arg, sev, loc, full);
	if (full != msg && full != kbuf)
		free(full);
	if (msg != sbuf)
		free(msg);
}

void
conf_diag_vreport(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *fmt, va_list ap)
{
	conf_diag_vreport_kw(d, sev, loc, NULL, fmt, ap);
}

void
conf_diag_report(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_diag_vreport(d, sev, loc, fmt, ap);
	va_end(ap);
}

void
conf_diag_print(void *file, enum conf_sev sev, const struct conf_loc *loc,
    const char *msg)
{
	FILE *fp = file != NULL ? file : stderr;
	const char *what = sev == CONF_ERR ? "error" : "warning";

	if (loc != NULL && loc->file != NULL)
		fprintf(fp, "%s:%u: %s: %s\n", loc->file, loc->line, what, msg);
	else
		fprintf(fp, "%s: %s\n", what, msg);
}

/* ---- the load's own reporting, with a cap on errors -------------------- */

static void __attribute__((format(printf, 4, 0)))
cl_vreport(struct conf_load *cl, enum conf_sev sev, const struct conf_loc *loc,
    const char *fmt, va_list ap)
{
	if (cl->abort)
		return;
	if (sev == CONF_ERR && cl->nerr >= CL_MAX_ERRORS) {
		conf_diag_report(cl->d, CONF_ERR, loc,
		    "too many errors (%u), giving up", cl->nerr);
		cl->nerr++;
		cl->abort = 1;
		return;
	}
	conf_diag_vreport(cl->d, sev, loc, fmt, ap);
	if (sev == CONF_ERR)
		cl->nerr++;
}

void
cl_error(struct conf_load *cl, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cl_vreport(cl, CONF_ERR, loc, fmt, ap);
	va_end(ap);
}

void
cl_warn(struct conf_load *cl, const struct conf_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cl_vreport(cl, CONF_WARN, loc, fmt, ap);
	va_end(ap);
}
