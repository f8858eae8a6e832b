#!/bin/sh
# How vigild reads the configuration language, case by case. Each case was
# run through keepalived 2.2.7 (keepalived -t -f FILE -i vm) when it was
# written; the expectations below are keepalived's reading, except where a
# comment says "vigil:" (a deliberate difference). keepalived is not run
# here. The oracle is an out-of-range value: "priority 300" is rejected
# wherever it is read as a statement, and its file:line is checked.
. "$(dirname "$0")/lib.sh"

G="$T/g"
mkdir -p "$G/inc/sub"

# vi NAME: a config whose vrrp_instance holds the lines read from stdin
vi() {
	{
		printf 'vrrp_instance VI {\n    interface eth0\n'
		printf '    virtual_router_id 51\n'
		printf '    virtual_ipaddress {\n        10.0.0.1\n    }\n'
		cat
		printf '}\n'
	} >"$G/$1.conf"
}
# top NAME: a config made of stdin alone
top() { cat >"$G/$1.conf"; }

# expect NAME accept|reject [TEXT]: vigild -t's verdict on NAME.conf; TEXT
# must then appear in its output (e.g. "NAME.conf:8: error: priority")
expect() {
	(cd "$G" && "$VIGILD" -t -i vm -f "$1.conf") >"$G/$1.out" 2>&1
	rc=$?
	case $2 in
	accept) [ $rc -eq 0 ] || fail "$1: rejected: $(cat "$G/$1.out")" ;;
	reject) [ $rc -ne 0 ] || fail "$1: accepted: $(cat "$G/$1.out")" ;;
	esac
	if [ $# -ge 3 ]; then
		grep -qF -- "$3" "$G/$1.out" ||
		    fail "$1: no '$3' in: $(cat "$G/$1.out")"
	fi
}
# p300 NAME LINE: "priority 300" was read at LINE of NAME.conf
p300() { expect "$1" reject "$1.conf:$2: error: priority: expected 1-255, got 300"; }

# ---- comments ------------------------------------------------------------
echo 'priority 300 # c' | vi c1; p300 c1 7
echo 'priority 300 ! c' | vi c2; p300 c2 7
echo 'priority 300#c' | vi c3; p300 c3 7
echo '# priority 300' | vi c4; expect c4 accept
echo '  ! priority 300' | vi c5; expect c5 accept
echo 'priority "300#c"' | vi c6; expect c6 reject "got 300#c"
# single quotes do not hide a comment: the line is "priority '300"
echo "priority '300#c'" | vi c7; expect c7 reject "c7.conf:7: error: priority: expected 1-255, got '300"
printf 'vrrp_instance VI { # c\n interface eth0\n virtual_router_id 51\n priority 300\n} ! c\n' | top c8
p300 c8 4
pass "comments: '#' and '!' anywhere outside double quotes"

# ---- quoting --------------------------------------------------------------
echo 'priority "300"' | vi q1; p300 q1 7
echo 'priority "1 2"' | vi q2; expect q2 reject "got 1 2"
echo 'priority "3 0' | vi q3; expect q3 reject "q3.conf:7: error: unterminated quoted string"
# a quoted word ends at its closing quote: "300"0 is 300 and 0; keepalived
# takes 300 and ignores the 0 (vigil warns about the word too many)
echo 'priority "300"0' | vi q4; p300 q4 7
expect q4 reject "q4.conf:7: warning: priority: expected 1 argument, got 2; ignoring '0'"
echo 'priority 30"0"' | vi q5
expect q5 accept "q5.conf:7: warning: priority: expected 1 argument, got 2; ignoring '0'"
# extra words after a value are ignored by keepalived -t (rc 0): a warning
echo 'advert_int 1 2 3' | vi q15
expect q15 accept "q15.conf:7: warning: advert_int: expected 1 argument, got 3; ignoring '2' and what follows"
# single quotes and backslashes are ordinary characters
echo "priority '300'" | vi q6; expect q6 reject "q6.conf:7: error: priority: expected 1-255, got '300'"
echo 'priority \x33' | vi q7; expect q7 reject 'q7.conf:7: error: priority: expected 1-255, got \x33'
printf 'global_defs {\n router_id it'"'"'s\n}\n' | top q8; expect q8 accept
# auth_pass '123456' is 8 characters, '1234567' is 9 and is truncated
printf "authentication {\nauth_type PASS\nauth_pass '123456'\n}\n" | vi q9
expect q9 accept "configuration is valid (0 error(s), 0 warning(s))"
printf "authentication {\nauth_type PASS\nauth_pass '1234567'\n}\n" | vi q10
expect q10 accept "q10.conf:9: warning: auth_pass: password longer than 8"
# an unquoted '#' or '!' made by substitution ends the line, even mid-word
echo 'priority 300${_HASH}x' | vi q11; p300 q11 7
echo 'priority 30${_HASH}0' | vi q12; expect q12 accept
echo 'priority 30 ${_BANG} 0' | vi q13; expect q13 accept
echo 'priority "30${_HASH}0"' | vi q14; expect q14 reject "got 30#0"
pass "double quotes make one word up to the closing quote; ' and \\ are plain"

# ---- braces ----------------------------------------------------------------
printf 'vrrp_instance VI\n{\n interface eth0\n virtual_router_id 51\n priority 300\n}\n' | top b1
p300 b1 5
printf 'vrrp_instance VI {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress { 10.0.0.1 }\n priority 300\n}\n' | top b2
p300 b2 5
printf 'vrrp_instance VI {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress\n {\n 10.0.0.1\n }\n priority 300\n}\n' | top b3
p300 b3 8
printf 'vrrp_instance VI {\n interface eth0\n virtual_router_id 51\n priority 300 }\n' | top b4
p300 b4 4
printf 'vrrp_instance VI {\n interface eth0\n virtual_router_id 51\n} bogus1\n' | top b5
expect b5 accept "b5.conf:4: warning: unknown keyword 'bogus1'"
printf '}\n' | top b6; expect b6 reject "b6.conf:1: error: unexpected '}'"
printf 'vrrp_instance VI {\n interface eth0\n virtual_router_id 51\n' | top b7
expect b7 reject "b7.conf:1: error: block 'vrrp_instance' is not closed"
printf '{\n}\n' | top b8; expect b8 reject "b8.conf:1: error: '{' without a statement"
pass "braces: next line, one-liners, text after '}', unbalanced"

# ---- @id conditionals ---------------------------------------------------------
echo '@vm priority 300' | vi i1; p300 i1 7
echo '@other priority 300' | vi i2; expect i2 accept
echo '@^vm priority 300' | vi i3; expect i3 accept
echo '@^other priority 300' | vi i4; p300 i4 7
echo '@vm' | vi i5; expect i5 accept
echo '@ priority 300' | vi i6; expect i6 accept
# one prefix only: the statement is "@vm priority 300"
echo '@vm @vm priority 300' | vi i7
expect i7 accept "i7.conf:7: warning: unknown keyword '@vm'"
printf '$X=@other\n$X priority 300\n' | vi i8; expect i8 accept
printf '$X=@vm\n$X priority 300\n' | vi i9; p300 i9 8
# a dropped line ending in '\' starts no definition
printf '@other $M=priority 1 \\\npriority 300\n' | vi i10; p300 i10 8
pass "@id and @^id, also after substitution; one prefix per line"

# ---- $NAME definitions ----------------------------------------------------------
printf '$P=300\npriority $P\n' | vi d1; p300 d1 8
printf '$P=300\npriority ${P}\n' | vi d2; p300 d2 8
printf '$P=30\npriority ${P}0\n' | vi d3; p300 d3 8
printf '$P=300\npriority $Px\n' | vi d4; expect d4 reject 'got $Px'
printf '$P = 300\npriority 1\n' | vi d5
expect d5 accept "d5.conf:7: warning: unknown keyword '\$P'"
printf '$P=1\n$P=300\npriority $P\n' | vi d6; p300 d6 9
printf '$A=$B\n$B=300\npriority $A\n' | vi d7; p300 d7 9
printf '$P=3\npriority ${P}${P}${P}\n' | vi d8; expect d8 reject "got 333"
printf '$P=3\npriority $P$P$P\n' | vi d9; expect d9 reject 'got $P$P3'
printf 'priority $UNDEF\n' | vi d10; expect d10 reject 'got $UNDEF'
printf '$P=\npriority $P\n' | vi d11; expect d11 reject "d11.conf:8: error: priority: expected 1 argument, got 0"
printf '$L=priority 300\n$L\n' | vi d12; p300 d12 8
# vigil: keepalived loops for ever on a definition that uses itself
printf '$A=x $A\n$A\n' | top d13; expect d13 reject "d13.conf:2: error: \$A: substitution nested deeper"
pass "definitions: forms, \${NAME} in words, redefinition, late binding"

# ---- multi-line definitions ----------------------------------------------------
printf '$M=priority 1 \\\nvirtual_router_id 300\n$M\n' | vi m1
expect m1 reject "m1.conf:9: error: virtual_router_id: expected 1-255, got 300"
# an empty line, a blank line or a comment line ends the definition ...
printf '$M=priority 1 \\\n\npriority 300\n$M\n' | vi m2; p300 m2 9
printf '$M=priority 1 \\\n   \npriority 300\n$M\n' | vi m3; p300 m3 9
printf '$M=priority 1 \\\n# c\npriority 300\n$M\n' | vi m4; p300 m4 9
# ... but a comment line ending in '\' continues it
printf '$M=priority 1 \\\n# c \\\npriority 300\n' | vi m5; expect m5 accept
printf '$M=priority 1 \\\n# c \\\npriority 300\n$M\n' | vi m6; p300 m6 10
printf '$M=priority 1 \\\r\npriority 300\r\n$M\r\n' | vi m7; p300 m7 9
printf '$M=priority 300 \\\nadvert_int 1\n$M x\n' | vi m8
expect m8 accept "m8.conf:9: warning: unknown keyword '\$M'"
# vigil: keepalived keeps the '\' in the word ("3\"); vigil says why
printf 'priority 3\\\n' | vi m9
expect m9 reject "m9.conf:7: error: '\\' at end of line"
pass "multi-line definitions end at an empty or comment line"

# ---- predefined -------------------------------------------------------------
printf 'bogus${_INSTANCE}\n' | top p1; expect p1 accept "unknown keyword 'bogusvm'"
printf 'bogus${_RANDOM 7 7}\n' | top p2; expect p2 accept "unknown keyword 'bogus7'"
printf 'bogus${_PWD}\n' | top p3; expect p3 accept "unknown keyword 'bogus$(cd "$G" && pwd -P)'"
printf '$_INSTANCE=Z\nbogus${_INSTANCE}\n' | top p4; expect p4 accept "unknown keyword 'bogusZ'"
pass "\${_INSTANCE} \${_RANDOM} \${_PWD}, and overriding them"

# ---- ~SEQ and ~LST ------------------------------------------------------------
echo '~SEQ(i, 10, -3, 4) priority 29$i' | vi s1; expect s1 reject "got 2910"
echo '~SEQ(i, 255, 256) priority $i' | vi s2; expect s2 reject "got 256"
echo '~SEQx(i, 9, 12) bogus$i' | top s3; expect s3 accept "unknown keyword 'bogusc'"
echo '~SEQ(i, -2) bogus$i' | top s4; expect s4 accept "unknown keyword 'bogus-2'"
echo '~SEQ(i, 1, 2) ~SEQ(j, 2) bogus${i}_$j' | top s5; expect s5 accept "unknown keyword 'bogus2_2'"
printf '$N=2\n~SEQ(i, $N) bogus$i\n' | top s6; expect s6 accept "unknown keyword 'bogus2'"
echo '~SEQ(i, 1, 0, 3) bogus$i' | top s7; expect s7 reject "s7.conf:1: error: ~SEQ: step 0"
echo '~SEQ(i) bogus$i' | top s8; expect s8 reject "s8.conf:1: error: bad ~SEQ"
echo '~LST({a, b}, {1, 2}, {3, 4}) bogus${a}_$b' | top s9; expect s9 accept "unknown keyword 'bogus3_4'"
echo '~LST(v) bogus$v' | top s10; expect s10 reject "s10.conf:1: error: bad ~LST"
pass "~SEQ ~SEQx ~LST: forms, negative steps, nesting, definitions"

# ---- include --------------------------------------------------------------
printf 'include sub/b.conf\n' >"$G/inc/a.conf"
printf 'bogus_b\n' >"$G/inc/sub/b.conf"
printf 'bogus_c\n' >"$G/inc/sub/c.conf"
printf 'include inc/a.conf\n' | top f1
expect f1 accept "inc/sub/b.conf:1: warning: unknown keyword 'bogus_b'"
printf 'include inc/sub/*.conf\n' | top f2; expect f2 accept "unknown keyword 'bogus_c'"
printf 'include inc/sub/{b,c}.conf\n' | top f3; expect f3 accept "unknown keyword 'bogus_c'"
printf 'include inc/missing.conf\n' | top f4; expect f4 accept "f4.conf:1: warning: include: no file matches"
printf 'includea inc/missing.conf\n' | top f5; expect f5 reject "f5.conf:1: error: includea: no file matches"
printf 'includew inc/x*.conf\n' | top f6; expect f6 reject "f6.conf:1: error: includew"
printf 'includeb inc/sub/{b,x}.conf\n' | top f7; expect f7 reject "f7.conf:1: error: includeb"
printf 'includer inc/missing.conf\n' | top f8; expect f8 accept
# include lines are seen after conditionals and substitution
printf '@vm include inc/a.conf\n' | top f9; expect f9 accept "unknown keyword 'bogus_b'"
printf '@other includea inc/missing.conf\n' | top f10; expect f10 accept
printf '$F=inc/a.conf\ninclude $F\n' | top f11; expect f11 accept "unknown keyword 'bogus_b'"
printf '$F=inc/missing.conf\nincludea $F\n' | top f12; expect f12 reject "f12.conf:2: error: includea"
printf '~SEQ(i, 1) include inc/a.conf\n' | top f13; expect f13 accept "unknown keyword 'bogus_b'"
printf 'global_defs {\ninclude inc/sub/b.conf\n}\n' | top f14
expect f14 accept "unknown keyword 'bogus_b' in global_defs"
pass "include family: relative to the includer, globs, braces, checks, substitution"

# ---- use_ipvlan and vrf ----------------------------------------------------
# keepalived reports each at the keyword's line, but an IPv4 ipvlan without
# its address at the end of the file (vigil: at the keyword's line)
echo 'use_ipvlan ipv1 10.0.0.5/24 private' | vi v1; expect v1 accept
echo 'use_ipvlan' | vi v2
expect v2 reject "v2.conf:7: error: use_ipvlan: VI is an IPv4 instance: the ipvlan needs an address"
printf 'use_ipvlan ipv1 10.0.0.5/24 private\nuse_ipvlan\n' | vi v3
expect v3 reject "v3.conf:8: error: use_ipvlan: given twice in VI"
echo 'use_ipvlan 10.0.0.5 10.0.0.6' | vi v4
expect v4 reject "v4.conf:7: error: use_ipvlan: address given twice ('10.0.0.6')"
echo 'use_ipvlan bridge vepa 10.0.0.5' | vi v5
expect v5 reject "v5.conf:7: error: use_ipvlan: mode given twice ('vepa')"
echo 'use_ipvlan 2001:db8::1' | vi v6
expect v6 reject "v6.conf:7: error: use_ipvlan: IPv6 address in an IPv4 instance (VI)"
echo 'use_ipvlan abcdefghijklmnopq 10.0.0.5' | vi v7
expect v7 reject "v7.conf:7: error: use_ipvlan: invalid interface name 'abcdefghijklmnopq'"
echo 'use_ipvlan 10.0.0.5/33' | vi v8
expect v8 reject "v8.conf:7: error: use_ipvlan: invalid address '10.0.0.5/33'"
printf 'use_vmac\nuse_ipvlan 10.0.0.5\n' | vi v9
expect v9 accept "warning: vrrp_instance: VI: use_vmac and use_ipvlan: the ipvlan is made"
echo 'vrf blue' | vi v10
expect v10 reject "v10.conf:7: error: vrf: VI has an interface"
pass "use_ipvlan's words and vrf's place, as keepalived 2.2.7 takes them"

# ---- a VIP's own VMAC ----------------------------------------------------------
# keepalived 2.2.7 -t: exit 5 for the first two ("use_vmac specified for
# VIP/eVIP ... and vrrp instance", "use_vmac_addr specified and use_vmac
# specified for VIP/eVIP ..."), 0 for the others (run with dev eth1 in a
# namespace holding eth0 and eth1; dev lo here, which the host has)
vm() {
	{
		printf 'vrrp_instance VI {\n    interface eth0\n    virtual_router_id 51\n'
		[ -n "$2" ] && printf '    %s\n' "$2"
		printf '    virtual_ipaddress {\n        10.0.0.1\n        %s\n    }\n}\n' "$3"
	} >"$G/$1.conf"
}
vm m1 use_vmac "10.0.0.2 use_vmac"
expect m1 reject "m1.conf:7: error: VI: use_vmac on 10.0.0.2 and on the instance"
vm m2 use_vmac_addr "10.0.1.2 dev lo use_vmac"
expect m2 reject "m2.conf:7: error: VI: use_vmac on 10.0.1.2 and use_vmac_addr on the instance"
vm m3 "" "10.0.1.2 dev lo use_vmac"; expect m3 accept
vm m4 use_vmac_addr "10.0.1.2 dev lo"; expect m4 accept
pass "use_vmac on a VIP and use_vmac_addr: refused where keepalived 2.2.7 refuses them"

# ---- IPv6 instances --------------------------------------------------------
# keepalived 2.2.7 (-t, exit 0) logs "(VI6) the first IPv6 VIP address
# should be link local"; with vrrp_strict its -t says config error (exit
# 5) but its daemon runs the instance: vigild -t warns in both
printf 'vrrp_instance VI6 {\n interface eth0\n virtual_router_id 53\n virtual_ipaddress {\n  fd00::1\n  fe80::1\n }\n}\n' | top i1
expect i1 accept "i1.conf:5: warning: VI6: the first IPv6 VIP address should be link local"
printf 'vrrp_instance VI6 {\n interface eth0\n virtual_router_id 53\n virtual_ipaddress {\n  fe80::1\n  fd00::1\n }\n}\n' | top i2
expect i2 accept
grep -q "link local" "$G/i2.out" && fail "i2: a link-local first VIP warned of: $(cat "$G/i2.out")"
printf 'global_defs {\n vrrp_strict\n}\nvrrp_instance VI6 {\n interface eth0\n virtual_router_id 53\n virtual_ipaddress {\n  fd00::1\n }\n}\n' | top i3
expect i3 accept "i3.conf:8: warning: VI6: the first IPv6 VIP address should be link local (vrrp_strict: keepalived -t refuses this"
pass "IPv6: a first VIP not link-local is warned of, in strict mode too (keepalived 2.2.7's daemon runs it)"

# ---- the file itself ------------------------------------------------------
printf 'vrrp_instance VI {\r\n interface eth0\r\n virtual_router_id 51\r\n priority 300\r\n}\r\n' | top e1
p300 e1 4
printf 'vrrp_instance\tVI\t{\n\tinterface\teth0\n\tvirtual_router_id\t51\n\tpriority\t300\n}' | top e2
p300 e2 4
printf 'bogus   \t\n' | top e3; expect e3 accept "unknown keyword 'bogus'"
# vigil: keepalived cuts lines at 1 KiB and reads the rest as a new line
awk 'BEGIN { s = "bogus"; for (i = 0; i < 3000; i++) s = s "x"; print s }' | top e4
expect e4 accept "e4.conf:1: warning: unknown keyword 'bogusxxxx"
pass "CRLF, tabs, trailing blanks, no final newline, long lines"

done_testing
