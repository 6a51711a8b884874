#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/config/run.sh SERVER WAGECTL
#
# The configuration file (server/config.c) and `wage-server -n`, which
# checks it, the policy, the calendars, the minimum-wage tables and the
# key file, then exits: 0 and "configuration OK" on stdout when all is
# well; otherwise 1 with every problem on stderr as `file:line: what is
# wrong` (the line of the file the problem is in; a file that cannot be
# opened, a directory and the key file have no line: their path is named).
#   - deploy/wage-server.conf.example, its paths moved into the temp dir,
#     passes, names every key config.c knows, and -n writes nothing;
#   - a minimal configuration (tests/lib.sh's mkconf) passes, and the
#     calendars and tables default to beside the policy;
#   - unknown keys, numbers out of range or not numbers (each bound and
#     the value just past it), a listen URL that is not tls+tcp://, each
#     required key missing, YAML that is not one flat mapping of scalars,
#     several errors in one file (all reported, each with its line);
#   - a key file group or others may read or write, missing, not a regular
#     file, or (as root) owned by another user;
#   - a policy, a calendar and a minimum-wage table with errors (file:line
#     in each), and missing directories;
#   - usage errors exit 2.
# Everything lives in one mktemp directory, removed at exit; nothing
# listens and nothing goes over the network. Output: one line per check,
# then `config: N passed, M failed`; the exit status is non-zero on any
# failure. KEEP=1 keeps the temp dir.

set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 SERVER WAGECTL" >&2
	exit 2
fi
SERVER=$1
WAGECTL=$2
for f in "$SERVER" "$WAGECTL"; do
	if [ ! -x "$f" ]; then
		echo "config: $f is missing: run make config" >&2
		exit 2
	fi
done
if [ ! -f deploy/wage-server.conf.example ] || [ ! -d policies ]; then
	echo "config: run from the top of the source tree" >&2
	exit 2
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/wage-config.XXXXXX") || exit 2
# shellcheck source=tests/lib.sh # mkpki, mkconf
. tests/lib.sh
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

PASS=0
FAIL=0
ok() {
	PASS=$((PASS + 1))
	echo "config: ok   $1"
}
bad() {
	FAIL=$((FAIL + 1))
	echo "config: FAIL $1"
}

# n CONF: `wage-server -n -c CONF`; stdout in $T/out, stderr in $T/err,
# exit status in RC.
n() {
	"$SERVER" -n -c "$1" >"$T/out" 2>"$T/err" </dev/null
	RC=$?
}

# expect NAME WANT_RC FILE TEXT...: the last run exited WANT_RC and FILE
# ($T/out or $T/err) holds each TEXT (fixed strings, each on one line).
expect() {
	_name=$1 _want=$2 _file=$3
	shift 3
	if [ "$RC" -ne "$_want" ]; then
		bad "$_name: exit $RC, want $_want"
		sed 's/^/    | /' "$T/out" "$T/err" | head -8
		return 1
	fi
	for _t in "$@"; do
		if ! grep -qF -- "$_t" "$_file"; then
			bad "$_name: no \"$_t\" in:"
			sed 's/^/    | /' "$_file" | head -8
			return 1
		fi
	done
	# A refusal is never also an "OK".
	if [ "$_want" -ne 0 ] && grep -q 'configuration OK' "$T/out"; then
		bad "$_name: refused, yet stdout says configuration OK"
		return 1
	fi
	ok "$_name"
}

# refused NAME CONF TEXT...: -n exits 1 and stderr holds each TEXT.
refused() {
	_rn=$1 _rc=$2
	shift 2
	n "$_rc"
	expect "$_rn" 1 "$T/err" "$@"
}

# accepted NAME CONF: -n exits 0, says so on stdout, nothing on stderr.
accepted() {
	n "$2"
	if [ "$RC" -eq 0 ] && [ -s "$T/err" ]; then
		bad "$1: passed, but with something on stderr:"
		sed 's/^/    | /' "$T/err" | head -8
		return
	fi
	expect "$1" 0 "$T/out" "configuration OK: $2; policy wage-dispute"
}

# edit FILE SED_SCRIPT: FILE edited in place; a FAIL if nothing changed.
edit() {
	sed "$2" "$1" >"$1.new" || return 1
	if cmp -s "$1" "$1.new"; then
		bad "the edit '$2' changed nothing in $1"
	fi
	mv "$1.new" "$1"
}

# lineof FILE ERE: the number of the first line of FILE matching ERE.
lineof() {
	grep -nE -- "$2" "$1" | head -1 | cut -d: -f1
}

# ---- fixtures: a PKI, a copy of the policies -------------------------

mkpki "$T/pki" >"$T/pki.log" 2>&1 || {
	cat "$T/pki.log"
	bad "mkpki"
	echo "config: $PASS passed, $FAIL failed"
	exit 1
}
KEY=$T/pki/server.key
cp -R policies "$T/policies"
POL=$T/policies/wage-dispute.yaml
CAL=$T/policies/calendar
MW=$T/policies/minimum-wage
# conf FILE [KEY: VALUE...]: a good configuration with those lines (a
# line replaces the default of its key). Nothing listens on 7443: -n
# does not bind.
conf() {
	_cf=$1
	shift
	mkconf "$_cf" 7443 "policy: $POL" "$@"
}
conf "$T/good.conf"

# ---- the example configuration ---------------------------------------

EX=$T/example.conf
sed -e "s|/etc/wage-server/pki/|$T/pki/|" \
    -e "s|/var/lib/wage-server/|$T/var/|" \
    -e "s|/usr/local/share/wage-server/policies|$T/policies|" \
    deploy/wage-server.conf.example >"$EX"
if grep -E '^[a-z_]+: +/' "$EX" | grep -v ": $T/" >"$T/paths"; then
	bad "example: paths left outside the temp dir: $(tr '\n' ' ' <"$T/paths")"
fi
accepted "the example configuration (paths in the temp dir) passes -n" "$EX"
grep -qF "calendars $CAL; minimum wages $MW" "$T/out" ||
	bad "example: -n does not name the calendar and minimum-wage dirs"
if [ -e "$T/var" ]; then
	bad "example: -n created $(find "$T/var" | tr '\n' ' ')"
else
	ok "example: -n creates neither the database nor the data key"
fi
# Every key config.c knows (the list its unknown-key message gives) is
# in the example, and the example has no other.
conf "$T/probe.conf" "no_such_key: 1"
n "$T/probe.conf"
sed -n "s/.*unknown key 'no_such_key'; known: //p" "$T/err" |
	tr -d ' ' | tr ',' '\n' | sort >"$T/known"
sed -n 's/^\([a-z_]*\):.*/\1/p' "$EX" | sort >"$T/exkeys"
if [ ! -s "$T/known" ]; then
	bad "no list of known keys in: $(cat "$T/err")"
elif cmp -s "$T/known" "$T/exkeys"; then
	ok "the example shows each of the $(wc -l <"$T/known") keys config.c knows"
else
	bad "example keys differ from config.c's (- config.c, + example): $(diff "$T/known" "$T/exkeys" | grep '^[<>]' | tr '\n' ' ')"
fi

# ---- minimal configuration, defaults ---------------------------------

accepted "a minimal configuration (the six required keys) passes" \
    "$T/good.conf"
if grep -qF "calendars $CAL; minimum wages $MW" "$T/out"; then
	ok "calendars and minimum wages default to beside the policy"
else
	bad "defaults: $(cat "$T/out")"
fi

# ---- keys and values -------------------------------------------------

conf "$T/c" "bogus: 1"
refused "unknown key" "$T/c" \
    "$T/c:$(lineof "$T/c" '^bogus:'): unknown key 'bogus'; known: listen,"
conf "$T/c" "worker: 4"
refused "misspelt key (worker)" "$T/c" \
    "$T/c:$(lineof "$T/c" '^worker:'): unknown key 'worker'"

# Numbers: KEY VALUE OK|BAD, then the message for BAD.
while read -r key value verdict; do
	case $key in '#'* | '') continue ;; esac
	conf "$T/c" "$key: $value"
	case $key in
	mapsize_mb) msg="mapsize_mb must be an integer from 1 to 1048576" ;;
	session_ttl) msg="session_ttl must be seconds from 1 to 604800" ;;
	workers) msg="workers must be an integer from 1 to 4096" ;;
	case_cache) msg="case_cache must be a number of cases from 0 (none) to 1048576" ;;
	checkpoint_*) msg="$key must be an integer from 1 to 1000000" ;;
	sweep_interval) msg="sweep_interval must be seconds from 1 to 86400" ;;
	crl_reload_seconds) msg="crl_reload_seconds must be seconds from 0 (never; SIGHUP only) to 86400" ;;
	esac
	if [ "$verdict" = OK ]; then
		accepted "$key: $value is accepted" "$T/c"
	else
		refused "$key: $value is refused" "$T/c" \
		    "$T/c:$(lineof "$T/c" "^$key:"): $msg"
	fi
done <<'EOF'
mapsize_mb 1 OK
mapsize_mb 1048576 OK
mapsize_mb 0 BAD
mapsize_mb 1048577 BAD
mapsize_mb -1 BAD
mapsize_mb 12x BAD
mapsize_mb 0x10 BAD
mapsize_mb '' BAD
session_ttl 1 OK
session_ttl 604800 OK
session_ttl 0 BAD
session_ttl 604801 BAD
session_ttl 8h BAD
workers 1 OK
workers 4096 OK
workers 0 BAD
workers 4097 BAD
workers 1.5 BAD
workers 99999999999999999999 BAD
case_cache 0 OK
case_cache 1048576 OK
case_cache -1 BAD
case_cache 1048577 BAD
checkpoint_events 1 OK
checkpoint_events 1000000 OK
checkpoint_events 0 BAD
checkpoint_events 1000001 BAD
checkpoint_seconds 1 OK
checkpoint_seconds 1000000 OK
checkpoint_seconds 0 BAD
checkpoint_seconds 1000001 BAD
checkpoint_seconds five BAD
sweep_interval 1 OK
sweep_interval 86400 OK
sweep_interval 0 BAD
sweep_interval 86401 BAD
sweep_interval 1h BAD
crl_reload_seconds 0 OK
crl_reload_seconds 86400 OK
crl_reload_seconds -1 BAD
crl_reload_seconds 86401 BAD
crl_reload_seconds 5m BAD
EOF

# The CRL, checked as a reload would take it (issue 13): ours passes; a
# corrupt one, one of another CA, and a missing one are refused, naming
# the file.
conf "$T/c" "crl: $T/pki/crl.pem"
accepted "crl: the CA's own CRL" "$T/c"
printf -- '-----BEGIN X509 CRL-----\nnot a CRL\n-----END X509 CRL-----\n' \
    >"$T/bad-crl.pem"
conf "$T/c" "crl: $T/bad-crl.pem"
refused "crl: a corrupt CRL" "$T/c" "cannot load CRL $T/bad-crl.pem: "
"$WAGECTL" pki init "$T/pki-other" --name "some other CA" >/dev/null 2>&1 ||
    bad "pki init pki-other"
conf "$T/c" "crl: $T/pki-other/crl.pem"
refused "crl: a CRL of another CA" "$T/c" \
    "cannot load CRL $T/pki-other/crl.pem: not issued by this deployment's CA"
conf "$T/c" "crl: $T/pki/nocrl.pem"
refused "crl: a missing CRL" "$T/c" "cannot load CRL $T/pki/nocrl.pem: "

for url in tcp://127.0.0.1:7443 tls://127.0.0.1:7443 127.0.0.1:7443; do
	conf "$T/c" "listen: $url"
	refused "listen: $url is refused" "$T/c" \
	    "$T/c:$(lineof "$T/c" '^listen:'): listen must be a tls+tcp:// URL"
done

for key in listen ca cert key db policy; do
	conf "$T/c"
	grep -v "^$key:" "$T/c" >"$T/c.new" && mv "$T/c.new" "$T/c"
	refused "without '$key'" "$T/c" "$T/c:1: missing required key '$key'"
done
: >"$T/c"
refused "an empty file: each required key missing" "$T/c" \
    "$T/c:1: missing required key 'listen'" \
    "$T/c:1: missing required key 'ca'" \
    "$T/c:1: missing required key 'cert'" \
    "$T/c:1: missing required key 'key'" \
    "$T/c:1: missing required key 'db'" \
    "$T/c:1: missing required key 'policy'"

# Several errors in one file: each reported, with its own line, in order.
conf "$T/c" "typo_one: 1" "workers: 0" "session_ttl: -5" "typo_two: 2"
n "$T/c"
{
	echo "$T/c:$(lineof "$T/c" '^typo_one:'): unknown key 'typo_one'"
	echo "$T/c:$(lineof "$T/c" '^workers:'): workers must be"
	echo "$T/c:$(lineof "$T/c" '^session_ttl:'): session_ttl must be"
	echo "$T/c:$(lineof "$T/c" '^typo_two:'): unknown key 'typo_two'"
} >"$T/want"
grep -F "$T/c:" "$T/err" | grep -v ': configuration has errors$' >"$T/got"
if [ "$RC" -eq 1 ] && [ "$(wc -l <"$T/got")" -eq 4 ] &&
    awk 'NR == FNR { w[FNR] = $0; next }
	index($0, w[FNR]) != 1 { exit 1 }' "$T/want" "$T/got"; then
	ok "four errors in one file: four file:line reports, in order"
else
	bad "four errors in one file: exit $RC; want lines starting:"
	sed 's/^/    want | /' "$T/want"
	sed 's/^/    got  | /' "$T/err"
fi

# ---- YAML that is not one flat mapping of scalars ---------------------

printf 'listen:\n  host: 127.0.0.1\n' >"$T/c"
refused "a nested mapping" "$T/c" \
    "$T/c:2: values must be plain scalars, not mappings"
printf 'listen: tls+tcp://127.0.0.1:7443\nca:\n  - a.crt\n  - b.crt\n' \
    >"$T/c"
refused "a list" "$T/c" "$T/c:3: values must be plain scalars, not lists"
printf 'listen: &u tls+tcp://127.0.0.1:7443\nca: *u\n' >"$T/c"
refused "an alias" "$T/c" "$T/c:2: aliases are not allowed"
printf 'just some text\n' >"$T/c"
refused "a scalar, not a mapping" "$T/c" \
    "$T/c:1: expected a mapping of key: value"
printf 'listen: tls+tcp://127.0.0.1:7443\n\tca: x\n' >"$T/c"
refused "a YAML syntax error (tab indent) on line 2" "$T/c" "$T/c:2: "
refused "a file that does not exist" "$T/none.conf" \
    "$T/none.conf: cannot open: No such file or directory"

# ---- the key file -------------------------------------------------------

for mode in 640 604 644 620 602; do
	chmod "$mode" "$KEY"
	refused "a key file of mode $mode is refused" "$T/good.conf" \
	    "$KEY: group or others may read it: chmod 600 $KEY"
done
chmod 600 "$KEY"
accepted "the key file at mode 600 again" "$T/good.conf"

# The data key and the token key: checked by -n when they exist (the same
# rules as the server key), silently made at start when they do not.
for k in data_key token_key; do
	KF=$T/$k.file
	conf "$T/keys.conf" "$k: $KF"
	rm -f "$KF"
	accepted "$k: a missing file passes -n (made at start)" "$T/keys.conf"
	[ -e "$KF" ] && bad "$k: -n created $KF"
	printf '%064d\n' 0 >"$KF"
	chmod 640 "$KF"
	refused "$k: a file of mode 640 is refused" "$T/keys.conf" \
	    "$KF: group or others may read it: chmod 600 $KF"
	printf '0011\n' >"$KF"
	chmod 600 "$KF"
	refused "$k: a short key is refused" "$T/keys.conf" \
	    "$KF: a key file must hold 64 hexadecimal characters"
	printf '%064d\n' 0 >"$KF"
	accepted "$k: 64 hex characters at mode 600 pass" "$T/keys.conf"
done
conf "$T/c" "key: $T/pki/nokey.key"
refused "a key file that does not exist" "$T/c" \
    "$T/pki/nokey.key: No such file or directory"
conf "$T/c" "key: $T/pki"
refused "a key file that is a directory" "$T/c" \
    "$T/pki: not a regular file"
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp "$KEY" "$T/other.key"
	chmod 600 "$T/other.key"
	chown nobody "$T/other.key"
	conf "$T/c" "key: $T/other.key"
	refused "a key file owned by another user (nobody)" "$T/c" \
	    "$T/other.key: owned by another user"
else
	echo "config: skip a key file owned by another user (needs root)"
fi

# ---- the policy ---------------------------------------------------------

# break_policy NAME SED_SCRIPT: $T/bad/wage-dispute.yaml, the policy
# edited, with its calendars and tables beside it; the configuration
# $T/bad.conf uses it.
BP=$T/bad/wage-dispute.yaml
break_policy() {
	rm -rf "$T/bad"
	cp -R "$T/policies" "$T/bad"
	edit "$BP" "$1"
	conf "$T/bad.conf" "policy: $BP"
}
L=$(lineof "$POL" '^version:')
break_policy "${L}a\\
bogus_key: 1"
refused "policy: an unknown key" "$T/bad.conf" \
    "$BP:$((L + 1)): unknown key 'bogus_key' in the policy" \
    "$BP: policy has 1 error(s); not starting"
# The "to" of the event accept (intake -> mediation), found by its name:
# it is not the first event of the policy (2026.2: request_materials is).
E=$(lineof "$POL" '^  - name: accept( |$)')
L=$(awk -v e="$E" 'NR > e && /^    to: / { print NR; exit }' "$POL")
break_policy "${L}s/to: .*/to: nowhere/"
refused "policy: an event to a state that does not exist" "$T/bad.conf" \
    "$BP:$L: 'events.accept.to': unknown state 'nowhere'" \
    "$BP: policy has 1 error(s); not starting"
L=$(awk -v e="$E" 'NR > e && /^    basis: / { print NR; exit }' "$POL")
break_policy "${L}s/basis: .*/basis: \"\"/"
refused "policy: an event with an empty legal basis" "$T/bad.conf" \
    "$BP:$L: 'events.accept.basis' must not be empty"
conf "$T/c" "policy: $T/no-such-policy.yaml"
refused "policy: a file that does not exist" "$T/c" \
    "$T/no-such-policy.yaml: cannot read policy"

# ---- calendars ----------------------------------------------------------

# bad_dir: $T/bad, a copy of the policies; the configuration $T/bad.conf.
bad_dir() {
	rm -rf "$T/bad"
	cp -R "$T/policies" "$T/bad"
	conf "$T/bad.conf" "policy: $BP"
}
bad_dir
C26=$T/bad/calendar/cn-2026.yaml
L=$(lineof "$C26" '^holidays:')
edit "$C26" "${L}s/2026-01-02,/2026-13-02,/"
refused "calendar: a date that does not exist" "$T/bad.conf" \
    "$C26:$L: 'holidays' entries must be dates YYYY-MM-DD, not '2026-13-02'" \
    "$T/bad/calendar: calendars have 1 error(s); not starting"
bad_dir
printf 'year: 2027\nholidays: [2027-01-01]\nworkdays: []\nnote: x\n' \
    >"$T/bad/calendar/cn-2027.yaml"
refused "calendar: an unknown key" "$T/bad.conf" \
    "$T/bad/calendar/cn-2027.yaml:4: unknown key 'note'"
bad_dir
printf 'year: 2026\nholidays: [2026-01-01]\nworkdays: []\n' \
    >"$T/bad/calendar/cn-2027.yaml"
refused "calendar: a year that is not the file name's" "$T/bad.conf" \
    "$T/bad/calendar/cn-2027.yaml:1: year 2026 does not match the file name, which says 2027"
bad_dir
cp "$C26" "$T/bad/calendar/holidays-2027.yaml"
refused "calendar: a schedule not named cn-YYYY.yaml" "$T/bad.conf" \
    "$T/bad/calendar/holidays-2027.yaml:1: a holiday schedule must be named cn-YYYY.yaml"
# The table of statutory holidays: checked as strictly, and required.
bad_dir
ST=$T/bad/calendar/statutory-holidays.yaml
L=$(lineof "$ST" '^  2027:')
edit "$ST" "$((L + 3))s/dragon_boat: 2027-06-09/dragon_boat: 2028-05-28/"
refused "calendar: a lunar date not in its year" "$T/bad.conf" \
    "$ST:$((L + 3)): 2028-05-28 is not in 2027, the year it is listed under" \
    "$T/bad/calendar: calendars have 1 error(s); not starting"
bad_dir
L=$(lineof "$ST" '^  2030:')
edit "$ST" "$((L + 4))s/mid_autumn: 2030-09-12/mid_autumn: 2030-08-15/"
refused "calendar: a solar date for a lunar festival" "$T/bad.conf" \
    "$ST:$((L + 4)): 2030-08-15 cannot be 中秋 (Mid-Autumn, 八月十五), which falls between 09-07 and 10-08"
bad_dir
rm "$ST"
refused "calendar: the table of statutory holidays is missing" \
    "$T/bad.conf" \
    "$ST:1: missing: the table of statutory holidays is needed to count the years that have no schedule"
bad_dir
rm -r "$T/bad/calendar"
refused "calendar: the default directory is missing" "$T/bad.conf" \
    "$T/bad/calendar: cannot open the calendar directory: No such file or directory"
conf "$T/c" "calendar: $T/no-calendars"
refused "calendar: the configured directory is missing" "$T/c" \
    "$T/no-calendars: cannot open the calendar directory"
conf "$T/c" "calendar: $CAL" "minimum_wage: $MW"
accepted "calendar and minimum_wage set explicitly" "$T/c"

# ---- minimum-wage tables ----------------------------------------------

bad_dir
SD=$T/bad/minimum-wage/shandong.yaml
L=$(lineof "$SD" 'tiers: \{1: 2100,')
edit "$SD" "${L}s/{1: 2100,/{1: -5,/"
refused "minimum wage: a negative amount" "$T/bad.conf" \
    "$SD:$L: tier 1 must be a positive amount of yuan" \
    "$T/bad/minimum-wage: minimum-wage tables have 1 error(s); not starting"
bad_dir
cp "$SD" "$T/bad/minimum-wage/shandong2.yaml"
refused "minimum wage: two tables for one region" "$T/bad.conf" \
    "$T/bad/minimum-wage/shandong2.yaml:$(lineof "$SD" '^region:'): region 370000 overlaps region 370000 of $SD"
bad_dir
rm -r "$T/bad/minimum-wage"
refused "minimum wage: the default directory is missing" "$T/bad.conf" \
    "$T/bad/minimum-wage: cannot open the minimum-wage directory: No such file or directory"
conf "$T/c" "minimum_wage: $T/no-tables"
refused "minimum wage: the configured directory is missing" "$T/c" \
    "$T/no-tables: cannot open the minimum-wage directory"

# ---- usage ---------------------------------------------------------------

"$SERVER" -n -x -c "$T/good.conf" >"$T/out" 2>"$T/err" </dev/null
RC=$?
expect "an unknown option: exit 2 and the usage" 2 "$T/err" "usage: wage-server"
"$SERVER" -n -c "$T/good.conf" extra >"$T/out" 2>"$T/err" </dev/null
RC=$?
expect "an extra argument: exit 2 and the usage" 2 "$T/err" "usage: wage-server"
"$SERVER" -n -c >"$T/out" 2>"$T/err" </dev/null
RC=$?
expect "-c without a file: exit 2" 2 "$T/err" "usage: wage-server"

echo "config: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
