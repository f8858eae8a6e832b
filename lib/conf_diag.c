/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration diagnostics: compiler-style "file:line: error: message".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"
#include "conf_int.h"

void
conf_diag_vreport(struct conf_diag *d, enum conf_sev sev,
    const struct conf_loc *loc, const char *fmt, va_list ap)
{
	char sbuf[512], *msg = sbuf;
	va_list aq;
	int n;

	if (d == NULL)
		return;
	if (sev == CONF_ERR)
		d->nerr++;
	else
		d->nwarn++;
	if (d->emit == NULL)
		return;

	va_copy(aq, ap);
	n = vsnprintf(sbuf, sizeof(sbuf), fmt, aq);
	va_end(aq);
	if (n < 0) {
		msg = "(unprintable message)";
	} else if ((size_t)n >= sizeof(sbuf)) {
		msg = malloc((size_t)n + 1);
		if (msg != NULL)
			vsnprintf(msg, (size_t)n + 1, fmt, ap);
		else
			msg = sbuf;	/* truncated is better than nothing */
	}
	d->emit(d->arg, sev, loc, msg);
	if (msg != sbuf && n >= 0 && (size_t)n >= sizeof(sbuf))
		free(msg);
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
