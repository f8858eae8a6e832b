#!/bin/sh
# make installcheck (make distcheck runs it): what make install placed.
# Arguments are the install directories, DESTDIR already in front:
#   installcheck.sh SBINDIR BINDIR MANDIR EXAMPLEDIR UNITDIR|- SBINDIR_AS_CONFIGURED
# The programs run, the man pages are there, the example configuration
# loads, and the unit names the installed vigild.
set -u
sbindir=$1 bindir=$2 mandir=$3 exampledir=$4 unitdir=$5 sbin_conf=$6
n=0
fail() { echo "not ok - $*"; exit 1; }
pass() { n=$((n + 1)); echo "ok $n - $*"; }

for f in "$sbindir/vigild" "$sbindir/vigilctl" "$bindir/vigil-genhash"; do
	[ -x "$f" ] || fail "$f not installed"
done
"$sbindir/vigild" --version | grep -q "^vigild " || fail "vigild --version"
"$sbindir/vigilctl" --version | grep -q "^vigilctl " || fail "vigilctl --version"
"$bindir/vigil-genhash" --help >/dev/null 2>&1 || fail "vigil-genhash --help"
pass "vigild, vigilctl and vigil-genhash are installed and run"

for m in man8/vigild.8 man8/vigilctl.8 man5/vigil.conf.5 man1/vigil-genhash.1; do
	[ -s "$mandir/$m" ] || fail "man page $m not installed"
done
pass "the man pages are installed"

[ -s "$exampledir/vigil.conf" ] || fail "no example configuration in $exampledir"
# it loads (offline: the pair lint of the example with itself loads it
# twice; its only findings are the ties a file with itself has)
"$sbindir/vigilctl" lint "$exampledir/vigil.conf" "$exampledir/vigil.conf" \
    >/dev/null 2>&1
rc=$?
[ $rc -le 1 ] || fail "the example configuration does not load (vigilctl lint exit $rc)"
pass "the example configuration is installed and loads"

if [ "$unitdir" != - ]; then
	u="$unitdir/vigild.service"
	[ -s "$u" ] || fail "$u not installed"
	grep -q "@" "$u" && fail "$u keeps an unsubstituted @...@: $(grep @ "$u")"
	grep -q "^ExecStart=$sbin_conf/vigild --dont-fork$" "$u" || fail "$u: ExecStart does not name $sbin_conf/vigild"
	grep -q "^Type=notify$" "$u" || fail "$u: not Type=notify"
	grep -q "^WatchdogSec=" "$u" || fail "$u: no WatchdogSec"
	grep -q "^ExecReload=/bin/kill -HUP \$MAINPID$" "$u" || fail "$u: reload is not SIGHUP"
	pass "the systemd unit is installed with the installed vigild's path"
fi
echo "1..$n"
