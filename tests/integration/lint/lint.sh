#!/bin/sh
# vigilctl lint A B: a director pair checked offline, as an admin runs it
# before copying a configuration to the second director. Each broken pair
# NAME_a.conf / NAME_b.conf gives exactly the findings in NAME.expect
# (both files' lines in each), exit status 1; the good pair none, exit 0.
# No daemon, no namespace: the interfaces the files name need not exist.
. "$(dirname "$0")/../common.sh"
SCENARIO_DIR=$(cd "$(dirname "$0")" && pwd)

cleanup() { rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
	echo "not ok - $*"
	exit 1
}

: "${VIGILCTL:=$top_builddir/daemon/vigilctl}"
lint() { "$VIGILCTL" lint "$@"; }

# relative names, as an admin types them: the findings name them so
cd "$SCENARIO_DIR" || fail "cannot enter $SCENARIO_DIR"

lint good_a.conf good_b.conf >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "good pair: exit $rc: $(cat "$T/out" "$T/err")"
[ -s "$T/out" ] && fail "good pair has findings: $(cat "$T/out")"
grep -q "good_a.conf, good_b.conf: 0 finding(s)" "$T/err" ||
    fail "good pair: no count: $(cat "$T/err")"
pass "a good pair (other priorities, peers naming each other, other interface names) has no finding, exit 0"

for c in vrid_clash prio_tie masters vips auth timing unicast servers vrid; do
	lint "${c}_a.conf" "${c}_b.conf" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || fail "$c: exit $rc, expected 1: $(cat "$T/err")"
	diff -u "$c.expect" "$T/out" >"$T/diff" ||
	    fail "$c: findings differ from $c.expect: $(cat "$T/diff")"
	# every finding names a line of each file
	while IFS= read -r line; do
		echo "$line" | grep -q "^${c}_[ab]\.conf:[0-9]*: " ||
		    fail "$c: finding does not start at a file:line: $line"
		echo "$line" | grep -q "${c}_[ab]\.conf:[0-9]*[^0-9].*${c}_[ab]\.conf" ||
		    fail "$c: finding does not name the other file: $line"
	done <"$T/out"
	n=$(wc -l <"$T/out")
	grep -q "${c}_a.conf, ${c}_b.conf: $n finding(s)" "$T/err" ||
	    fail "$c: count of $n not reported: $(cat "$T/err")"
	pass "$c: $n finding(s), each at both files' lines, exit 1"
done

# --json (vigilctl's own, or lint's): the same findings as one document;
# each "other" is the other file's place its message names
command -v jq >/dev/null || fail "jq is not installed (tools/setup installs it)"
for c in vrid_clash prio_tie auth unicast servers; do
	"$VIGILCTL" --json lint "${c}_a.conf" "${c}_b.conf" >"$T/json" 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || fail "$c --json: exit $rc, expected 1: $(cat "$T/err")"
	jq -r '.findings[] | "\(.file):\(.line): \(.message)"' "$T/json" \
	    >"$T/out" || fail "$c --json: not JSON: $(cat "$T/json")"
	diff -u "$c.expect" "$T/out" >"$T/diff" ||
	    fail "$c --json: findings differ from $c.expect: $(cat "$T/diff")"
	[ "$(jq -c '[.version, .files, .count]' "$T/json")" = \
	    "[1,[\"${c}_a.conf\",\"${c}_b.conf\"],$(wc -l <"$c.expect")]" ] ||
	    fail "$c --json: header: $(jq -c '[.version, .files, .count]' "$T/json")"
	bad=$(jq -r '.findings[] | select(.other != null) |
	    select(. as $f | .message | contains("\($f.other.file):\($f.other.line)") | not) |
	    .message' "$T/json") || fail "$c --json: jq failed on $(cat "$T/json")"
	[ -z "$bad" ] || fail "$c --json: other place not in the message: $bad"
	[ "$(jq '[.findings[] | select(.other != null)] | length' "$T/json")" -gt 0 ] ||
	    fail "$c --json: no finding names the other file's place"
done
"$VIGILCTL" lint --json -i lb1 -j lb1 shared.conf shared.conf >"$T/json" 2>/dev/null
[ "$(jq -r '.findings[0] | "\(.line) \(.other.file):\(.other.line)"' "$T/json")" = \
    "5 shared.conf:5" ] || fail "lint --json -i -j: $(cat "$T/json")"
"$VIGILCTL" lint --json good_a.conf good_b.conf >"$T/json" 2>/dev/null ||
    fail "good pair --json: not exit 0"
[ "$(jq -c '[.count, .findings]' "$T/json")" = "[0,[]]" ] ||
    fail "good pair --json: $(cat "$T/json")"
pass "--json: the same findings with each file's place, the other side's place as an object"

# what each broken pair is about, spelled out (the .expect files hold the
# whole text)
grep -q "^vrid_clash_a.conf:4: VRID 51 clash on eth0: instance VI_1 here and instance VI_WEB at vrid_clash_b.conf:4" vrid_clash.expect &&
grep -q "^prio_tie_a.conf:4: VI_1: priority 100 ties with prio_tie_b.conf:8" prio_tie.expect &&
grep -q "^masters_a.conf:2: VI_1: state MASTER here and at masters_b.conf:5, with nopreempt" masters.expect &&
grep -q "^vips_a.conf:7: VI_1: VIP 192.0.2.11/24 is missing from vips_b.conf:1" vips.expect &&
grep -q "^vips_a.conf:8: VI_1: VIP 192.0.2.12/24 has prefix /25 at vips_b.conf:7" vips.expect &&
grep -q "^vips_b.conf:8: VI_1: VIP 192.0.2.13/24 is missing from vips_a.conf:1" vips.expect &&
grep -q "^auth_a.conf:6: VI_1: auth_type PASS here, none at auth_b.conf:1" auth.expect &&
grep -q "^auth_a.conf:19: VI_2: auth_pass differs from auth_b.conf:15" auth.expect &&
grep -q "^timing_a.conf:5: VI_1: VRRP version 3 here, 2 at timing_b.conf:2" timing.expect &&
grep -q "^timing_a.conf:6: VI_1: advert_int 1 s here, 2 s at timing_b.conf:8" timing.expect &&
grep -q "^unicast_a.conf:5: VI_1: unicast_src_ip 10.0.0.1 is not a unicast_peer of unicast_b.conf:7" unicast.expect &&
grep -q "^unicast_a.conf:17: VI_2: unicast here, multicast at unicast_b.conf:14" unicast.expect &&
grep -q "^unicast_a.conf:29: VI_3: unicast_peer 10.0.0.9 is also the only unicast_peer at unicast_b.conf:27" unicast.expect &&
grep -q "^servers_a.conf:14: virtual server \[192.0.2.10\]:tcp:443 is missing from servers_b.conf" servers.expect &&
grep -q "^servers_a.conf:9: virtual server \[192.0.2.10\]:tcp:80: real server \[10.0.1.11\]:80 is missing from the same virtual server at servers_b.conf:1" servers.expect &&
grep -q "^servers_b.conf:9: virtual server \[192.0.2.10\]:tcp:80: real server \[10.0.1.12\]:80 is missing from the same virtual server at servers_a.conf:1" servers.expect &&
grep -q "^vrid_a.conf:3: VI_1: VRID 51 here, VRID 61 at vrid_b.conf:3" vrid.expect &&
grep -q "^vrid_a.conf:11: VI_3: VRID 53 on eth0 has no instance in vrid_b.conf" vrid.expect ||
    fail "an .expect file lost the finding it is about"
pass "the expected findings say what each broken pair is about"

# one file for both directors: -i/-j pick each side's @config-id lines
lint -i lb1 -j lb2 shared.conf shared.conf >"$T/out" 2>"$T/err" ||
    fail "shared.conf as lb1 and lb2: $(cat "$T/out" "$T/err")"
lint -i lb1 -j lb1 shared.conf shared.conf >"$T/out" 2>"$T/err" &&
    fail "shared.conf as lb1 twice: no finding"
grep -q "^shared.conf:5: VI_1: priority 150 ties with shared.conf:5" "$T/out" ||
    fail "shared.conf as lb1 twice: $(cat "$T/out")"
pass "-i/-j lint one file's two @config-id sides"

# a file that does not load: the loader's errors, exit 2, no findings
lint good_a.conf unloadable.conf >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || fail "unloadable: exit $rc, expected 2"
[ -s "$T/out" ] && fail "unloadable: findings printed: $(cat "$T/out")"
grep -q "^unloadable.conf:3: error: virtual_router_id: expected 1-255, got 300" "$T/err" ||
    fail "unloadable: loader error missing: $(cat "$T/err")"
lint good_a.conf >"$T/out" 2>"$T/err"
[ $? -eq 2 ] || fail "one file: not a usage error"
grep -q "usage: vigilctl lint" "$T/err" || fail "one file: no usage: $(cat "$T/err")"
pass "a file that does not load, or one file only: exit 2 with the reason"

done_testing
