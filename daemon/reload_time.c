/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entry of reload_time_file (reload_time.h): exactly one of three
 * shapes, read by hand (strptime skips blanks and takes one digit where
 * two are asked for), each field checked against its range so that the
 * message says which one is wrong.
 */
#include "autoconfig.h"

#include "reload_time.h"

#include <stdio.h>
#include <string.h>

#define FORMATS "HH:MM:SS, YY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM:SS, " \
	"each with an optional Z at the end for UTC"
#define SKIPPED "does not exist in local time (a daylight saving change " \
	"skips it)"

/* By length without the Z; D is a digit, anything else itself. */
static const struct {
	const char *shape;
	const char *name;
	size_t year;		/* digits of the year; 0: a time of day */
} forms[] = {
	{ "DD:DD:DD", "HH:MM:SS", 0 },
	{ "DD-DD-DD DD:DD:DD", "YY-MM-DD HH:MM:SS", 2 },
	{ "DDDD-DD-DD DD:DD:DD", "YYYY-MM-DD HH:MM:SS", 4 },
};

static int
num(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

static int
days_in(int year, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (mon == 2 && ((year % 4 == 0 && year % 100 != 0) ||
	    year % 400 == 0))
		return 29;
	return days[mon - 1];
}

/* tm's day and time of day as a time_t: in UTC, or in local time where
 * that time exists there, the earlier one in an hour a daylight saving
 * change repeats (-1: a daylight saving change skips it). mktime with
 * tm_isdst -1 picks either, and normalises a skipped time into another
 * hour: each of summer and standard time is tried, and a result counts
 * only when it reads back as tm. */
static int
to_time(const struct tm *tm, int utc, time_t *out)
{
	int found = 0;

	if (utc) {
		struct tm t = *tm;

		*out = timegm(&t);
		return 0;
	}
	for (int isdst = 1; isdst >= 0; isdst--) {
		struct tm t = *tm, back;
		time_t w;

		t.tm_isdst = isdst;
		w = mktime(&t);
		if (localtime_r(&w, &back) == NULL ||
		    back.tm_year != tm->tm_year || back.tm_mon != tm->tm_mon ||
		    back.tm_mday != tm->tm_mday ||
		    back.tm_hour != tm->tm_hour || back.tm_min != tm->tm_min ||
		    back.tm_sec != tm->tm_sec)
			continue;
		if (!found || w < *out)
			*out = w;
		found = 1;
	}
	return found ? 0 : -1;
}

/* The day after tm's (the time of day kept). */
static void
next_day(struct tm *tm)
{
	struct tm t = *tm;

	t.tm_mday++;
	t.tm_isdst = 0;
	(void)timegm(&t);	/* normalises the date */
	tm->tm_year = t.tm_year;
	tm->tm_mon = t.tm_mon;
	tm->tm_mday = t.tm_mday;
}

static const char *
stamp(const struct tm *tm, int utc, char *buf, size_t len)
{
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d%s",
	    tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
	    tm->tm_min, tm->tm_sec, utc ? " UTC" : "");
	return buf;
}

int
reload_time_parse(const char *text, time_t now, struct reload_time *rt,
    char *why, size_t len)
{
	size_t n = strlen(text), f, k;
	int utc = 0, year = 0, mon = 0, day = 0, hh, mm, ss, gap;
	const char *t;
	struct tm tm;
	char buf[64];

	if (n > 0 && text[n - 1] == 'Z') {
		utc = 1;
		n--;
	}
	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		if (strlen(forms[f].shape) == n)
			break;
	if (f == sizeof(forms) / sizeof(forms[0])) {
		snprintf(why, len, "expected " FORMATS);
		return -1;
	}
	for (k = 0; k < n; k++) {
		char want = forms[f].shape[k];
		int digit = text[k] >= '0' && text[k] <= '9';

		if (want == 'D' ? digit : text[k] == want)
			continue;
		snprintf(why, len, "character %zu: expected %s (the format "
		    "%s%s)", k + 1, want == 'D' ? "a digit" : want == ' ' ?
		    "one space" : want == ':' ? "':'" : "'-'", forms[f].name,
		    utc ? "Z" : "");
		return -1;
	}
	t = text;
	if (forms[f].year > 0) {
		year = num(text, forms[f].year);
		if (forms[f].year == 2)	/* as strptime's %y */
			year += year < 69 ? 2000 : 1900;
		mon = num(text + forms[f].year + 1, 2);
		day = num(text + forms[f].year + 4, 2);
		t = text + forms[f].year + 7;
	}
	hh = num(t, 2);
	mm = num(t + 3, 2);
	ss = num(t + 6, 2);
	if (hh > 23 || mm > 59 || ss > 59) {
		snprintf(why, len, "%s %02d is not 00-%d", hh > 23 ? "hour" :
		    mm > 59 ? "minute" : "second", hh > 23 ? hh : mm > 59 ?
		    mm : ss, hh > 23 ? 23 : 59);
		return -1;
	}
	if (forms[f].year > 0 && (mon < 1 || mon > 12)) {
		snprintf(why, len, "month %02d is not 01-12", mon);
		return -1;
	}
	if (forms[f].year > 0 && (day < 1 || day > days_in(year, mon))) {
		snprintf(why, len, "day %02d: %04d-%02d has %d days", day, year,
		    mon, days_in(year, mon));
		return -1;
	}
	if (forms[f].year == 0) {	/* today, where the entry's time is */
		if (utc)
			gmtime_r(&now, &tm);
		else
			localtime_r(&now, &tm);
	} else {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = year - 1900;
		tm.tm_mon = mon - 1;
		tm.tm_mday = day;
	}
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	gap = to_time(&tm, utc, &rt->when) < 0;
	if (forms[f].year > 0 && (gap || rt->when <= now)) {
		snprintf(why, len, "%s %s", stamp(&tm, utc, buf, sizeof(buf)),
		    gap ? SKIPPED : "is in the past");
		return -1;
	}
	/* a time of day passed today (its first time, in an hour a daylight
	 * saving change repeats), or not there today: the next day's where
	 * it is. A change skips it on one day, so the day after has it */
	for (k = 0; k < 2 && (gap || rt->when <= now); k++) {
		next_day(&tm);
		gap = to_time(&tm, utc, &rt->when) < 0;
	}
	if (gap || rt->when <= now) {
		snprintf(why, len, "%s %s", stamp(&tm, utc, buf, sizeof(buf)),
		    gap ? SKIPPED : "is in the past");
		return -1;
	}
	rt->dated = forms[f].year > 0;
	return 0;
}

const char *
reload_time_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}
