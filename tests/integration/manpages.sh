#!/bin/sh
# The man pages keep up with the programs: every option vigild --help
# lists is in vigild(8), every command vigilctl --help lists is in
# vigilctl(8), and both pages render without warnings. No daemon, no
# namespace.
. "$(dirname "$0")/common.sh"

cleanup() { rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
	echo "not ok - $*"
	exit 1
}

: "${VIGILCTL:=$top_builddir/daemon/vigilctl}"
MAN="$top_srcdir/man"

# man source as text: roff's \- is a -
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1"; }

"$VIGILD" --help >"$T/help" || fail "vigild --help"
plain "$MAN/vigild.8" >"$T/vigild.txt"
grep -o -- '--[a-z_-]*' "$T/help" | sort -u >"$T/long"
[ "$(wc -l <"$T/long")" -ge 30 ] || fail "vigild --help lists only $(wc -l <"$T/long") long options"
while read -r opt; do
	grep -q -- "$opt" "$T/vigild.txt" || fail "vigild(8) lacks $opt (vigild --help has it)"
done <"$T/long"
grep -o -- '^ *-[A-Za-z],' "$T/help" | tr -d ' ,' | sort -u >"$T/short"
while read -r opt; do
	grep -q -- "$opt\b" "$T/vigild.txt" || fail "vigild(8) lacks $opt (vigild --help has it)"
done <"$T/short"
pass "vigild(8) documents all $(wc -l <"$T/long") long and $(wc -l <"$T/short") short options of vigild --help"

"$VIGILCTL" --help >"$T/help" || fail "vigilctl --help"
plain "$MAN/vigilctl.8" >"$T/vigilctl.txt"
# the first word of each command line of the help
sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' "$T/help" | sort -u >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 10 ] || fail "vigilctl --help lists only $(wc -l <"$T/cmds") commands"
while read -r cmd; do
	# a command's own paragraph: ".TP" then "cmd ..." or ".B cmd"
	grep -q -- "^\(\.B \)\?$cmd\b" "$T/vigilctl.txt" ||
	    fail "vigilctl(8) has no paragraph for the command $cmd"
done <"$T/cmds"
pass "vigilctl(8) documents all $(wc -l <"$T/cmds") commands of vigilctl --help"

if command -v groff >/dev/null 2>&1; then
	for m in vigild.8 vigilctl.8 vigil.conf.5 vigil-genhash.1; do
		groff -man -Tutf8 -ww -z "$MAN/$m" 2>"$T/warn"
		[ -s "$T/warn" ] && fail "$m: groff warns: $(head -5 "$T/warn")"
	done
	pass "the man pages render without warnings"
fi
done_testing
