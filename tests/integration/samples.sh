#!/bin/sh
# keepalived's own sample configurations load with at most warnings and
# what this host lacks (their interfaces and scripts: "error: host: ...");
# broken copies of them are rejected with file:line.
. "$(dirname "$0")/lib.sh"

SAMPLES="$top_srcdir/tests/samples/keepalived"
[ -d "$SAMPLES" ] || fail "$SAMPLES missing"

n=0
for f in "$SAMPLES"/keepalived.conf.*; do
	[ -f "$f" ] || continue
	"$VIGILD" -t -f "$f" 2>"$T/out"
	grep ': error: ' "$T/out" | grep -v ': error: host: ' >"$T/err"
	[ -s "$T/err" ] && fail "$(basename "$f") rejected: $(head -5 "$T/err")"
	n=$((n + 1))
done
[ $n -ge 20 ] || fail "only $n samples found"
pass "all $n keepalived sample configurations are accepted"

# Break each sample in two ways: drop its last closing brace; put an invalid
# value on a known keyword line.
n=0
for f in "$SAMPLES"/keepalived.conf.*; do
	[ -f "$f" ] || continue
	b="$T/$(basename "$f")"
	last=$(grep -n '}' "$f" | tail -1 | cut -d: -f1)
	sed "${last}s/}//" "$f" >"$b"
	"$VIGILD" -t -f "$b" 2>"$T/out" && fail "$(basename "$f") without its last brace accepted"
	grep -q "$(basename "$f"):[0-9]*: error" "$T/out" || fail "missing brace in $(basename "$f") not located: $(cat "$T/out")"
	n=$((n + 1))
done
pass "$n samples without their last closing brace are rejected with file:line"

n=0
for f in "$SAMPLES"/keepalived.conf.*; do
	line=$(grep -n -E '^[[:space:]]*(delay_loop|virtual_router_id|priority|weight|connect_timeout)[[:space:]]' "$f" | head -1 | cut -d: -f1)
	[ -n "$line" ] || continue
	b="$T/$(basename "$f")"
	sed -E "${line}s/^([[:space:]]*[a-z_]+)[[:space:]].*/\\1 not-a-number/" "$f" >"$b"
	"$VIGILD" -t -f "$b" 2>"$T/out" && fail "$(basename "$f") with a bad value at line $line accepted"
	grep -q "$(basename "$f"):$line: error" "$T/out" || fail "bad value in $(basename "$f") not reported at line $line: $(cat "$T/out")"
	n=$((n + 1))
done
[ $n -ge 10 ] || fail "only $n samples could be broken"
pass "$n samples with a bad value are rejected at the right line"

done_testing
