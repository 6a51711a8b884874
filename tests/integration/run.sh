#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/integration/run.sh SERVER WAGECTL TESTBIN_DIR
#
# The integration suite: the real wage-server over real mutual TLS with a
# real LMDB, driven through wagectl and, for what wagectl cannot send, the
# C client library (TESTBIN_DIR/test_e2e). Everything lives in one mktemp
# directory removed at exit; the servers started here are stopped by pid.
#
# Setup makes a PKI with tests/lib.sh's mkpki (a CA, the server's
# certificate, one client certificate per role, a clerk of another city)
# and adds a second legal-aid organisation, a certificate revoked before
# start, one revoked during the run, and a second CA with its own clerk;
# then it writes a configuration on a free loopback port (mkconf, freeport),
# starts the server and waits for its READY line (start_server).
#
# Each test runs in a subshell and stops at its first failed check, naming
# the step. Every refusal also checks that nothing changed (the case as the
# clerk sees it, the audit chain's event count, case count and head) and
# that the next request still works. Output: one line per test, then
# `integration: N passed, M failed`; the exit status is non-zero on failure.
#
# Needs only POSIX sh, coreutils (timeout, mktemp, sleep with fractions)
# and grep; JSON is read with TESTBIN_DIR/tool_json, plain TCP sent with
# TESTBIN_DIR/tool_net (no jq, python3 or bash).

set -u

# Stage 1 (as make calls it): copy what is under test into a fresh temp
# dir and go on from there, so that a rebuild or an edit in the work tree
# during the run (other sessions share it) cannot change what runs, and
# start again as `sh run.sh` with no server path on the command line.
if [ "${ITEST_STAGED:-}" != 1 ]; then
	if [ $# -ne 3 ]; then
		echo "usage: $0 SERVER WAGECTL TESTBIN_DIR" >&2
		exit 2
	fi
	for f in "$1" "$2" "$3/tool_json" "$3/tool_net" "$3/test_e2e"; do
		if [ ! -x "$f" ]; then
			echo "integration: $f is missing: run make integration" >&2
			exit 2
		fi
	done
	T=$(mktemp -d "${TMPDIR:-/tmp}/wage-itest.XXXXXX") || exit 2
	mkdir -p "$T/bin" "$T/data" &&
	    cp "$1" "$T/bin/itest-server" &&
	    cp "$2" "$T/bin/itest-wagectl" &&
	    cp "$3/tool_json" "$3/tool_net" "$3/test_e2e" "$T/bin/" &&
	    cp tests/lib.sh "$T/bin/lib.sh" &&
	    cp -R policies "$T/data/policies" &&
	    cp -R tests/data/cases tests/data/integration "$T/data/" || {
		echo "integration: cannot stage the binaries in $T" >&2
		rm -rf "$T"
		exit 2
	}
	ITEST_STAGED=1 ITEST_DIR=$T exec sh "$0"
	echo "integration: cannot re-run $0" >&2
	exit 2
fi

T=$ITEST_DIR
# shellcheck disable=SC2034 # SERVER: lib.sh's start_server
SERVER=$T/bin/itest-server
WAGECTL=$T/bin/itest-wagectl
TB=$T/bin
CASES=$T/data/cases
IDATA=$T/data/integration
POLICY=$T/data/policies/wage-dispute.yaml
JSON=$TB/tool_json
NET=$TB/tool_net
PKI=$T/pki
PKI2=$T/pki-other
mkdir -p "$T/sess" "$T/state" "$T/logs" "$T/run" "$T/work"
OUT=$T/work/out
ERR=$T/work/err
# mkpki, pki_issue, mkconf, freeport, start_server, stop_server,
# server_running: the copy staged with the binaries.
# shellcheck source=tests/lib.sh
. "$T/bin/lib.sh"

# Stop every server this run started (by the pid start_server recorded
# beside its log), then remove the directory.
cleanup() {
	for _log in "$T"/*.log.new; do
		[ -f "$_log.pid" ] && stop_server "$_log"
	done
	if [ -n "${KEEP_ITEST_DIR:-}" ]; then
		echo "integration: kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'echo "integration: interrupted (SIGINT)" >&2; exit 130' INT
trap 'echo "integration: interrupted (SIGTERM)" >&2; exit 143' TERM
trap 'echo "integration: interrupted (SIGHUP)" >&2; exit 129' HUP

# ---- failing ------------------------------------------------------------

# fail prints why the current test failed and ends it (tests are
# subshells). The last wagectl stderr is shown when there is one.
fail() {
	echo "    FAIL: $*"
	if [ -s "$ERR" ]; then
		sed -n '1,5s/^/    | wagectl stderr: /p' "$ERR"
	fi
	exit 1
}

# ---- JSON ---------------------------------------------------------------

# jget PATH FILE prints the value at PATH (strings raw); status 1 if absent.
jget() {
	"$JSON" get "$1" "$2"
}

# expect_json FILE PATH VALUE STEP: the value at PATH is VALUE.
expect_json() {
	_v=$("$JSON" get "$2" "$1") || fail "$4: '$2' is missing in the reply: $(head -c 400 "$1")"
	[ "$_v" = "$3" ] || fail "$4: '$2' is '$_v', expected '$3'"
}

# ---- dates --------------------------------------------------------------

# The server's "today" is the civil date in Asia/Shanghai (UTC+8), not the
# date of this machine's zone: between 16:00 and 24:00 UTC the two differ.
# Every date a test sends is worked out from it when it is sent, never
# written down (a written date goes stale).

# day N: the date N days from today (N may be negative) in Asia/Shanghai.
day() {
	TZ=Asia/Shanghai date -d "${1:-0} days" +%F
}

# days TEXT: TEXT with every @today@, @today+N@ and @today-N@ replaced by
# that date (day).
days() {
	_ds=$1 _do=
	while :; do
		case $_ds in
		*@today*@*) ;;
		*) break ;;
		esac
		_do=$_do${_ds%%@today*}
		_ds=${_ds#*@today}
		_dn=${_ds%%@*}
		_ds=${_ds#*@}
		_do=$_do$(day "${_dn:-0}")
	done
	printf '%s' "$_do$_ds"
}

# ---- clocks -------------------------------------------------------------

# clock_get FILE CLOCK MEMBER prints MEMBER of the clock named CLOCK in the
# case view FILE; status 1 if the case has no such clock, or the clock no
# such member.
clock_get() {
	_ci=0
	for _cn in $("$JSON" each clocks clock "$1"); do
		if [ "$_cn" = "$2" ]; then
			jget "clocks.$_ci.$3" "$1"
			return
		fi
		_ci=$((_ci + 1))
	done
	return 1
}

# expect_clock FILE CLOCK MEMBER VALUE STEP: MEMBER of clock CLOCK is VALUE.
expect_clock() {
	_v=$(clock_get "$1" "$2" "$3") || fail "$5: clock '$2' has no '$3' in the case: $(head -c 400 "$1")"
	[ "$_v" = "$4" ] || fail "$5: clock '$2': '$3' is '$_v', expected '$4'"
}

# ---- servers ------------------------------------------------------------

# Server NAME (main, short) has its configuration in $T/NAME.conf, its
# database in $T/db-NAME and its port in $T/run/NAME.port. tests/lib.sh
# starts and stops it: the log of each start is $T/NAME.log.new (with
# lib.sh's pid and exit-status files beside it), appended to $T/NAME.log.

# server_conf NAME PORT TTL: the configuration of server NAME.
server_conf() {
	mkconf "$T/$1.conf" "$2" "crl: $PKI/crl.pem" "db: $T/db-$1" \
	    "policy: $POLICY" "session_ttl: $3" "workers: 16"
	echo "$2" >"$T/run/$1.port"
}

# server_start NAME: start server NAME from its configuration and wait
# (bounded) for READY on its log.
server_start() {
	if start_server "$T/$1.conf" "$T/$1.log.new" 2>/dev/null; then
		cat "$T/$1.log.new" >>"$T/$1.log"
		return 0
	fi
	cat "$T/$1.log.new" >>"$T/$1.log"
	echo "    server $1 did not become ready; its log:"
	sed 's/^/    | /' "$T/$1.log.new"
	return 1
}

# server_start_free NAME TTL N: configure NAME on a free port (lib.sh's
# freeport, from N) and start it. A free port can be taken between the
# look and the bind: retry on another.
server_start_free() {
	for _try in 1 2 3; do
		server_conf "$1" "$(freeport $(($3 * 3 + _try)))" "$2"
		server_start "$1" && return 0
		grep -q 'listen' "$T/$1.log.new" || return 1
	done
	return 1
}

# server_stop NAME: SIGTERM, then wait (bounded) for it to exit 0.
server_stop() {
	[ -f "$T/$1.log.new.pid" ] || return 1
	stop_server "$T/$1.log.new"
	cat "$T/$1.log.new" >>"$T/$1.log"
	: >"$T/$1.log.new"
	if [ "$SERVER_RC" != 0 ]; then
		echo "    server $1 did not stop cleanly (status '$SERVER_RC')"
		return 1
	fi
	return 0
}

server_alive() {
	server_running "$T/$1.log.new"
}

# ---- wagectl ------------------------------------------------------------

URL=
# ctl WHO ARGS...: wagectl as the certificate $PKI/WHO, with its own
# session file, against $URL. Output in $OUT and $ERR; status is wagectl's
# (124 if it had to be killed: every call is bounded).
ctl() {
	_who=$1
	shift
	ctl_cert "$PKI/$_who" "$T/sess/$_who" "$@"
}

# ctl_cert BASE SESSION ARGS...: wagectl with the certificate BASE.crt.
ctl_cert() {
	_base=$1 _sess=$2
	shift 2
	SNAP_VALID=
	WAGE_SERVER=$URL WAGE_CA=$PKI/ca.crt WAGE_CERT=$_base.crt \
	    WAGE_KEY=$_base.key WAGE_TOKEN_FILE=$_sess \
	    timeout -k 5 60 "$WAGECTL" --timeout 10000 "$@" \
	    >"$OUT" 2>"$ERR" </dev/null
}

# ok STEP WHO ARGS...: the call succeeds.
ok() {
	_step=$1
	shift
	ctl "$@"
	_rc=$?
	[ $_rc -eq 0 ] || fail "$_step: 'wagectl $*' exited $_rc, expected 0"
}

# refused STEP CODE FIELD WHO ARGS...: wagectl exits 1 with error CODE on
# field FIELD ("-": no field check). Its stderr is kept in $REFUSAL.
REFUSAL=$T/work/refusal
refused() {
	_step=$1 _code=$2 _field=$3
	shift 3
	ctl "$@"
	_rc=$?
	cp "$ERR" "$REFUSAL"
	[ $_rc -eq 1 ] || fail "$_step: 'wagectl $*' exited $_rc, expected 1 ($_code); stdout: $(head -c 200 "$OUT")"
	grep -q "^error: $_code: " "$ERR" || fail "$_step: expected error $_code"
	if [ "$_field" != - ]; then
		grep -qF "(field: $_field)" "$ERR" || fail "$_step: expected $_code on field '$_field'"
	fi
}

# snap ID NAME: save what must not change: the case as SNAP_AS sees it
# (ID "-": no case) and the audit chain's events, cases and head.
SNAP_AS=clerk
snap() {
	if [ "$1" != - ]; then
		ok "snapshot of case $1" "$SNAP_AS" --json show "$1"
		cp "$OUT" "$T/work/snap.$2.case"
	fi
	ok "audit snapshot" auditor --json audit verify
	[ "$(jget valid "$OUT")" = true ] || fail "the audit chain does not verify: $(head -c 400 "$OUT")"
	{
		jget events "$OUT"
		jget cases "$OUT"
		jget head "$OUT"
	} >"$T/work/snap.$2.audit"
}

# refuse ID STEP CODE FIELD WHO ARGS...: refused as in `refused`, and
# afterwards the case ID (or, for "-", no case) and the audit chain are as
# they were, and WHO's next request works.
SNAP_VALID=
SNAP_VALID_AS=
refuse() {
	_rid=$1
	shift
	# Right after a refusal of the same case, its "after" is our "before".
	if [ "$SNAP_VALID" = "$_rid" ] && [ "$SNAP_AS" = "$SNAP_VALID_AS" ]; then
		cp "$T/work/snap.after.audit" "$T/work/snap.before.audit"
		[ "$_rid" = - ] ||
		    cp "$T/work/snap.after.case" "$T/work/snap.before.case"
	else
		snap "$_rid" before
	fi
	refused "$@"
	snap "$_rid" after
	if [ "$_rid" != - ] &&
	    ! cmp -s "$T/work/snap.before.case" "$T/work/snap.after.case"; then
		fail "$1: case $_rid changed although the request was refused"
	fi
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" ||
	    fail "$1: the audit chain moved although the request was refused ($(tr '\n' ' ' <"$T/work/snap.before.audit") -> $(tr '\n' ' ' <"$T/work/snap.after.audit"))"
	ok "$1: the next request" "$4" whoami
	SNAP_VALID=$_rid
	SNAP_VALID_AS=$SNAP_AS
}

# file_case STEP WHO FILE: file FILE (a path, or - with the JSON in
# $T/work/filing.json); prints nothing, leaves the id in $T/work/id.
file_case() {
	_src=$3
	[ "$_src" = - ] && _src=$T/work/filing.json
	ok "$1" "$2" --json file "$_src"
	jget id "$OUT" >"$T/work/id" || fail "$1: no id in the reply"
	expect_json "$OUT" state intake "$1"
	expect_json "$OUT" revision 1 "$1"
}

# edit PATH JSON [PATH JSON...]: $T/work/filing.json from $BASE with the
# members set (JSON "DELETE": removed).
edit() {
	cp "$BASE" "$T/work/filing.json"
	while [ $# -ge 2 ]; do
		if [ "$2" = DELETE ]; then
			"$JSON" del "$1" "$T/work/filing.json" >"$T/work/filing.tmp"
		else
			"$JSON" set "$1" "$2" "$T/work/filing.json" >"$T/work/filing.tmp"
		fi || fail "edit: cannot set '$1' in $BASE"
		mv "$T/work/filing.tmp" "$T/work/filing.json"
		shift 2
	done
}

# act STEP WHO ID EVENT TO REV [--set ...]: fire EVENT; the case moves to
# TO at revision REV, in the reply and in what the clerk then reads.
act() {
	_step=$1 _who=$2 _id=$3 _ev=$4 _to=$5 _rev=$6
	shift 6
	ok "$_step" "$_who" --json act "$_id" "$_ev" "$@"
	expect_json "$OUT" state "$_to" "$_step"
	expect_json "$OUT" revision "$_rev" "$_step"
	ok "$_step: read back" "${ACT_VIEWER:-clerk}" --json show "$_id"
	expect_json "$OUT" state "$_to" "$_step: read back"
	expect_json "$OUT" revision "$_rev" "$_step: read back"
}

# list_all WHO FILE [list options]: every case WHO lists, following the
# cursor (limit 7 to make several pages), one "id state revision" a line.
list_all() {
	_lw=$1 _lf=$2
	shift 2
	: >"$_lf"
	_after=
	_pages=0
	while :; do
		if [ -n "$_after" ]; then
			ok "list page $_pages" "$_lw" --json list --limit 7 --after "$_after" "$@"
		else
			ok "list page 0" "$_lw" --json list --limit 7 "$@"
		fi
		"$JSON" each cases id "$OUT" >"$T/work/l.ids"
		"$JSON" each cases state "$OUT" >"$T/work/l.states"
		"$JSON" each cases revision "$OUT" >"$T/work/l.revs"
		paste -d ' ' "$T/work/l.ids" "$T/work/l.states" "$T/work/l.revs" >>"$_lf"
		_after=$(jget next "$OUT")
		[ "$_after" = null ] && break
		_pages=$((_pages + 1))
		[ $_pages -lt 200 ] || fail "list_all: more than 200 pages"
	done
	sort "$_lf" -o "$_lf"
}

# ---- PKI and the main server --------------------------------------------

setup() {
	(
		set -e
		# Every role, and clerk_qd: a clerk of Qingdao (370200).
		mkpki "$PKI" "wage-server integration CA"
		AY=济南市劳动人事争议仲裁院
		pki_issue "$PKI" legal_aid2 legal_aid 王磊 \
		    济南市历下区法律援助工作站 370102
		pki_issue "$PKI" revoked clerk 马超 "$AY" 370100
		# Issue 13, part 7: a Qingdao union certificate whose O is
		# the Jinan union station's name.
		pki_issue "$PKI" union_qd union 孙强 济南市历下区总工会工会驿站 \
		    370200
		pki_issue "$PKI" late clerk 黄丽 "$AY" 370100
		# Revoked before the server starts: TLS must refuse it.
		"$WAGECTL" pki revoke "$PKI" "$PKI/revoked.crt" >/dev/null
		# A second CA, with a clerk of the same name as ours.
		"$WAGECTL" pki init "$PKI2" --name "some other CA" >/dev/null
		pki_issue "$PKI2" clerk clerk 王芳 "$AY" 370100
	) >"$T/logs/setup.log" 2>&1 || {
		echo "integration: setup: making the PKI failed:"
		sed 's/^/    | /' "$T/logs/setup.log"
		return 1
	}
	server_start_free main 3600 0 || return 1
	URL=tls+tcp://127.0.0.1:$(cat "$T/run/main.port")
}

# ---- the tests ----------------------------------------------------------

# 1. One worker, filed by the union, through tribunal mediation, a 调解书
# the employer goes back on before service (Art 42), hearing, extension and
# a final award served on each party (each party's window opens on its own
# receipt, Arts 48-49) to closed_awarded, where the windows run on; history
# links and audit verify.
t_lifecycle() {
	snap - start
	file_case "file" union "$CASES/single-worker.json"
	id=$(cat "$T/work/id")
	echo "$id" >"$T/state/lifecycle.id"
	ok "union reads it back" union --json show "$id"
	expect_json "$OUT" state intake "union reads it back"
	expect_json "$OUT" priority.collective false "priority"
	expect_json "$OUT" priority.workers 1 "priority"
	act "accept" clerk "$id" accept mediation 2
	ok "show accepted" clerk --json show "$id"
	expect_clock "$OUT" award state running "accept starts the 45 days (Art 43)"
	expect_clock "$OUT" acceptance state stopped "accept stops the acceptance clock"
	act "mediation_agreement" mediator "$id" mediation_agreement mediated 3 \
	    --set amount_fen=1860000 --set pay_by="$(day 20)"
	ok "show mediated" clerk --json show "$id"
	expect_clock "$OUT" payment state running "the 调解书's pay-by date is a clock"
	expect_clock "$OUT" payment due "$(day 20)" "the payment clock runs to pay_by"
	# The employer goes back on the 调解书 before it is served: the case
	# is arbitrated (Art 42). (payment_default now leads back to intake,
	# and only once the pay-by date has passed: see refuse-transition.)
	act "settlement_refused" union "$id" settlement_refused arbitration 4 \
	    --set reason=用人单位在调解书送达前反悔
	ok "show after the refusal" clerk --json show "$id"
	expect_clock "$OUT" payment state stopped "settlement_refused stops the payment clock"
	expect_clock "$OUT" award state running "the 45 days run on in arbitration"
	act "hearing_scheduled" arbitrator "$id" hearing_scheduled arbitration 5 \
	    --set hearing_date="$(day 5)"
	act "extend" chair "$id" extend arbitration 6 \
	    --set days=15 --set reason=案情复杂需延长
	act "award" arbitrator "$id" award awarded 7 \
	    --set amount_fen=1860000 --set award_date="$(day 0)" --set final=true
	ok "show awarded" clerk --json show "$id"
	expect_clock "$OUT" award state stopped "the award stops the 45 days"
	clock_get "$OUT" challenge_worker state >/dev/null &&
	    fail "award: the worker's window opened before the award was served on the worker"
	# Served on the worker today: the worker's window (15 days, Art 48)
	# runs from the worker's receipt; the employer's not yet.
	act "serve the award on the worker" clerk "$id" serve awarded 8 \
	    --set document=award --set party=worker --set method=direct \
	    --set served_on="$(day 0)"
	ok "show served on the worker" clerk --json show "$id"
	expect_clock "$OUT" challenge_worker state running "the worker's window after service"
	expect_clock "$OUT" challenge_worker start "$(day 0)" "the worker's window runs from receipt"
	expect_clock "$OUT" challenge_worker party worker "the worker's window"
	expect_clock "$OUT" challenge_worker window true "the worker's window"
	clock_get "$OUT" challenge_employer state >/dev/null &&
	    fail "the employer's window opened on the worker's receipt"
	refuse "$id" "the award served on the worker twice" ILLEGAL_TRANSITION fields.document clerk act "$id" serve --set document=award --set party=worker --set method=direct --set served_on="$(day 0)"
	act "serve the award on the employer" arbitrator "$id" serve awarded 9 \
	    --set document=award --set party=employer --set method=post \
	    --set served_on="$(day 0)"
	ok "show served on both" clerk --json show "$id"
	expect_clock "$OUT" challenge_employer state running "the employer's window after service"
	expect_clock "$OUT" challenge_employer party employer "the employer's window"
	act "final_award_effective" clerk "$id" final_award_effective effective 10
	act "close_awarded" clerk "$id" close_awarded closed_awarded 11
	ok "show closed" clerk --json show "$id"
	expect_json "$OUT" phase closed "closed case"
	[ "$("$JSON" len steps "$OUT")" = 10 ] ||
	    fail "show: expected 10 steps on the case"
	# A terminal state stops the commission's clocks, not the parties'
	# windows: they run on after closure, and are never overdue.
	expect_clock "$OUT" challenge_worker state running "the worker's window after closure"
	expect_clock "$OUT" challenge_worker overdue false "the worker's window after closure"
	expect_clock "$OUT" challenge_employer state running "the employer's window after closure"
	expect_clock "$OUT" fast_track state stopped "closure stops the commission's clocks"
	# and the closed case stays in the work list while a window runs.
	ok "the work list" clerk --json due --within 40
	"$JSON" each entries id "$OUT" >"$T/work/due.ids"
	"$JSON" each entries clock "$OUT" >"$T/work/due.clocks"
	paste -d ' ' "$T/work/due.ids" "$T/work/due.clocks" |
	    grep -qx "$id challenge_worker" ||
	    fail "due: the closed case $id is not listed for the worker's window"
	# History: one event per step, in order, each linked to the last.
	ok "history" clerk --json history "$id"
	cp "$OUT" "$T/work/history.json"
	n=$("$JSON" len events "$T/work/history.json")
	[ "$n" = 11 ] || fail "history: $n events, expected 11 (file + 10 acts)"
	i=0
	for ev in file accept mediation_agreement settlement_refused \
	    hearing_scheduled extend award serve serve final_award_effective \
	    close_awarded; do
		expect_json "$T/work/history.json" "events.$i.event" "$ev" "history event $i"
		expect_json "$T/work/history.json" "events.$i.revision" $((i + 1)) "history event $i"
		expect_json "$T/work/history.json" "events.$i.case" "$id" "history event $i"
		if [ $i -gt 0 ]; then
			p=$(jget "events.$((i - 1)).hash" "$T/work/history.json")
			expect_json "$T/work/history.json" "events.$i.prev" "$p" "history: event $i links to event $((i - 1))"
			ps=$(jget "events.$((i - 1)).seq" "$T/work/history.json")
			expect_json "$T/work/history.json" "events.$i.seq" $((ps + 1)) "history: seq follows"
		else
			# The first event links to the chain head before it.
			expect_json "$T/work/history.json" events.0.prev "$(sed -n 3p "$T/work/snap.start.audit")" "history: the filing links to the head before it"
		fi
		i=$((i + 1))
	done
	ok "audit verify" auditor --json audit verify
	expect_json "$OUT" valid true "audit verify"
	expect_json "$OUT" events $(($(sed -n 1p "$T/work/snap.start.audit") + 11)) "audit verify: 11 new events"
	expect_json "$OUT" head "$(jget events.10.hash "$T/work/history.json")" "audit verify: head is the last event"
	ok "chair verifies too" chair --json audit verify
	expect_json "$OUT" valid true "chair: audit verify"
}

# 2. Twelve workers filed by the union: a collective case; a 调解书 with
# the workers' consent, served on both parties (then it takes effect and
# stops the 45 days, Art 42); closes paid.
t_collective() {
	file_case "file" union "$CASES/collective-12.json"
	id=$(cat "$T/work/id")
	echo "$id" >"$T/state/collective.id"
	ok "show" clerk --json show "$id"
	expect_json "$OUT" priority.collective true "priority"
	expect_json "$OUT" priority.workers 12 "priority"
	expect_json "$OUT" priority.migrant true "priority"
	expect_json "$OUT" priority.poverty_alleviated true "priority"
	[ "$("$JSON" len claimants "$OUT")" = 12 ] || fail "show: expected 12 claimants"
	expect_json "$OUT" claim.total_fen 27960000 "claim total (12 x 21500.00 + 12 x 1800.00 yuan)"
	ok "union lists it" union --json list --limit 100
	"$JSON" each cases id "$OUT" >"$T/work/l.ids"
	"$JSON" each cases workers "$OUT" >"$T/work/l.workers"
	paste -d ' ' "$T/work/l.ids" "$T/work/l.workers" | grep -qx "$id 12" ||
	    fail "union list: $id is missing or not listed with 12 workers"
	act "accept" clerk "$id" accept mediation 2
	# A collective agreement needs the workers' consent (办案规则 Art 63).
	refuse "$id" "mediation_agreement without consent" INVALID_ARGUMENT fields.consent mediator act "$id" mediation_agreement --set amount_fen=27960000 --set pay_by="$(day 30)"
	# No more than the claim (Art 28).
	refuse "$id" "mediation_agreement above the claim" INVALID_ARGUMENT fields.amount_fen mediator act "$id" mediation_agreement --set amount_fen=27960001 --set pay_by="$(day 30)" --set consent=同意书-2026-历下-017
	act "mediation_agreement" mediator "$id" mediation_agreement mediated 3 \
	    --set amount_fen=27960000 --set pay_by="$(day 30)" \
	    --set consent=同意书-2026-历下-017
	# The 调解书 takes effect when both parties have signed for it.
	act "serve the 调解书 on the worker" clerk "$id" serve mediated 4 \
	    --set document=settlement --set party=worker --set method=direct \
	    --set served_on="$(day 0)"
	ok "show served on the worker" clerk --json show "$id"
	jget settlement.effective "$OUT" >/dev/null &&
	    fail "the 调解书 took effect on the worker's receipt alone"
	expect_clock "$OUT" award state running "the 45 days run until both have the 调解书"
	act "serve the 调解书 on the employer" mediator "$id" serve mediated 5 \
	    --set document=settlement --set party=employer --set method=direct \
	    --set served_on="$(day 0)"
	ok "show served on both" clerk --json show "$id"
	expect_json "$OUT" settlement.effective "$(day 0)" "the 调解书 is effective from the last receipt"
	expect_clock "$OUT" award state stopped "an effective 调解书 stops the 45 days"
	# A payment is not dated before the agreement it pays, and one in part
	# says why.
	refuse "$id" "confirm_paid dated before the agreement" INVALID_ARGUMENT fields.paid_on mediator act "$id" confirm_paid --set amount_paid_fen=27960000 --set paid_on="$(day -1)"
	refuse "$id" "confirm_paid in part without a reason" INVALID_ARGUMENT fields.reason mediator act "$id" confirm_paid --set amount_paid_fen=27000000 --set paid_on="$(day 0)"
	act "confirm_paid" mediator "$id" confirm_paid closed_paid 6 \
	    --set amount_paid_fen=27960000 --set paid_on="$(day 0)" --set party_document=收条-2026-001
	ok "show paid" clerk --json show "$id"
	expect_json "$OUT" payment.unpaid_fen 0 "paid in full"
	ok "history" clerk --json history "$id"
	[ "$("$JSON" len events "$OUT")" = 6 ] || fail "history: expected 6 events"
	# The union acted for all twelve: the filing names them.
	expect_json "$OUT" events.0.on_behalf_of.count 12 "history: on behalf of 12 workers"
	ok "audit verify" auditor --json audit verify
	expect_json "$OUT" valid true "audit verify"
}

# 2b. The award of the twelve workers' case, item by item (Art 47): each
# worker's items apart (worker 0's final, worker 1's not: mixed), the kind
# the award states beside the rule's and a difference shown; refusals name
# their field and change nothing; the items from a file (@FILE) or inline.
t_award_items() {
	file_case "file" union "$CASES/collective-12.json"
	id=$(cat "$T/work/id")
	act "accept_arbitration" clerk "$id" accept_arbitration arbitration 2 \
	    --set reason=劳动者不同意调解
	# The award is dated on the day the award period began (today).
	ok "show" clerk --json show "$id"
	"$JSON" each clocks clock "$OUT" >"$T/work/clocks"
	_n=$(grep -nx award "$T/work/clocks" | cut -d: -f1)
	[ -n "$_n" ] || fail "show: no award clock"
	day=$(jget "clocks.$((_n - 1)).start" "$OUT")
	# 370102 is tier 1: 12 x 2200 yuan = 2640000 fen is the limit.
	cat >"$T/work/items.json" <<-EOF
	[{"worker": 0, "kind": "wages", "amount_fen": 2150000, "stated": "final"},
	 {"worker": 0, "kind": "overtime", "amount_fen": 180000, "stated": "final"},
	 {"worker": 1, "kind": "wages", "amount_fen": 2640001, "stated": "final"}]
	EOF
	one='[{"worker":0,"kind":"wages","amount_fen":100,"stated":"final"}]'
	refuse "$id" "award: amount_fen not the items' sum" INVALID_ARGUMENT \
	    fields.amount_fen arbitrator act "$id" award --set amount_fen=1 \
	    --set award_date="$day" --set items=@"$T/work/items.json"
	refuse "$id" "award: worker 12 of 12" INVALID_ARGUMENT \
	    'fields.items[0].worker' arbitrator act "$id" award \
	    --set amount_fen=100 --set award_date="$day" \
	    --set 'items=[{"worker":12,"kind":"wages","amount_fen":100,"stated":"final"}]'
	refuse "$id" "award: above the overtime claimed" INVALID_ARGUMENT \
	    'fields.items[0].amount_fen' arbitrator act "$id" award \
	    --set amount_fen=2160001 --set award_date="$day" \
	    --set 'items=[{"worker":0,"kind":"overtime","amount_fen":2160001,"stated":"nonfinal"}]'
	# (2160001 fen: one above the overtime claimed, within the whole
	# claim, so the item's own bound is the one that refuses it.)
	refuse "$id" "award: dated before acceptance" INVALID_ARGUMENT \
	    fields.award_date arbitrator act "$id" award --set amount_fen=100 \
	    --set award_date=2026-11-19 --set "items=$one"
	refuse "$id" "award: a stated kind that is not one" INVALID_ARGUMENT \
	    'fields.items[0].stated' arbitrator act "$id" award \
	    --set amount_fen=100 --set award_date="$day" \
	    --set 'items=[{"worker":0,"kind":"wages","amount_fen":100,"stated":"yes"}]'
	ctl arbitrator act "$id" award --set amount_fen=100 \
	    --set award_date="$day" --set 'items=[{"worker":0'
	_rc=$?
	[ $_rc -eq 2 ] || fail "items not JSON: wagectl exited $_rc, expected 2"
	grep -q "items: not JSON" "$ERR" || fail "items not JSON: $(cat "$ERR")"
	act "award" arbitrator "$id" award awarded 3 --set amount_fen=4970001 \
	    --set award_date="$day" --set items=@"$T/work/items.json"
	ok "show the award" clerk --json show "$id"
	expect_json "$OUT" award.kind mixed "award"
	expect_json "$OUT" award.limit_fen 2640000 "award"
	expect_json "$OUT" award.amount_fen 4970001 "award"
	expect_json "$OUT" award.workers.0.kind final "worker 0"
	expect_json "$OUT" award.workers.1.kind nonfinal "worker 1"
	expect_json "$OUT" award.items.0.final true "item 0"
	expect_json "$OUT" award.items.2.final false "item 2"
	expect_json "$OUT" award.items.2.stated final "item 2"
	expect_json "$OUT" award.items.2.mismatch true "item 2"
	expect_json "$OUT" award.mismatch true "award"
	# No window before the award is served (policy 2026.2: each party's
	# windows run from its own receipt).
	"$JSON" each clocks clock "$OUT" >"$T/work/clocks"
	grep -q "^challenge_" "$T/work/clocks" &&
	    fail "award: a window opened before the award was served"
	act "serve the award on the worker" clerk "$id" serve awarded 4 \
	    --set document=award --set party=worker --set method=direct \
	    --set served_on="$day"
	act "serve the award on the employer" clerk "$id" serve awarded 5 \
	    --set document=award --set party=employer --set method=post \
	    --set served_on="$day"
	# Final and non-final items: the windows of Arts 48, 49 and 50, for
	# each party.
	ok "show the windows" clerk --json show "$id"
	"$JSON" each clocks clock "$OUT" >"$T/work/clocks"
	for c in challenge_worker challenge_employer challenge_nonfinal_worker \
	    challenge_nonfinal_employer; do
		grep -qx "$c" "$T/work/clocks" || fail "award: no $c clock"
	done
	ok "show the award as text" clerk show "$id"
	grep -q "^award items (mixed)" "$OUT" || fail "show: no award items"
	grep -q "王强.*final.*wages" "$OUT" ||
	    fail "show: worker 0 (王强) not among the award items"
	[ "$(grep -c -- "<- MISMATCH" "$OUT")" = 1 ] ||
	    fail "show: expected one item marked MISMATCH"
	grep -q "^award MISMATCH .*items\[2\]" "$OUT" ||
	    fail "show: the mismatch is not explained"
}

# 3a. A role the event is not for.
t_refuse_role() {
	BASE=$CASES/single-worker.json
	file_case "file" union "$BASE"
	id=$(cat "$T/work/id")
	act "accept" clerk "$id" accept mediation 2
	refuse "$id" "union fires mediation_agreement" FORBIDDEN event union act "$id" mediation_agreement --set amount_fen=100 --set pay_by="$(day 30)"
	refuse "$id" "clerk fires mediation_agreement" FORBIDDEN event clerk act "$id" mediation_agreement --set amount_fen=100 --set pay_by="$(day 30)"
	act "mediation_failed" mediator "$id" mediation_failed arbitration 3 --set reason=调解不成
	refuse "$id" "union fires award" FORBIDDEN event union act "$id" award --set amount_fen=100 --set award_date="$(day 0)"
	refuse "$id" "mediator fires award" FORBIDDEN event mediator act "$id" award --set amount_fen=100 --set award_date="$(day 0)"
	refuse "$id" "arbitrator fires extend" FORBIDDEN event arbitrator act "$id" extend --set days=5 --set reason=x
	refuse "$id" "legal aid (not of this case) fires award" OUT_OF_SCOPE id legal_aid act "$id" award --set amount_fen=100 --set award_date="$(day 0)"
	refuse - "union may not read the audit chain" FORBIDDEN op union audit verify
	refuse - "mediator may not file" FORBIDDEN op mediator file "$BASE"
	refuse - "admin may not file" FORBIDDEN op admin file "$BASE"
}

# 3b. A clerk of Qingdao (370200) and cases of Jinan (3701xx).
t_refuse_region() {
	BASE=$CASES/single-worker.json
	file_case "file" union "$BASE"
	id=$(cat "$T/work/id")
	refuse "$id" "Qingdao clerk shows a Jinan case" OUT_OF_SCOPE id clerk_qd show "$id"
	refuse "$id" "Qingdao clerk reads its history" OUT_OF_SCOPE id clerk_qd history "$id"
	refuse "$id" "Qingdao clerk accepts a Jinan case" OUT_OF_SCOPE id clerk_qd act "$id" accept --revision 1
	refuse "$id" "Qingdao clerk accepts (revision read by wagectl)" OUT_OF_SCOPE id clerk_qd act "$id" accept
	refuse - "Qingdao clerk lists Jinan's region" OUT_OF_SCOPE region clerk_qd list --region 370102
	BASE=$IDATA/walk-in.json
	edit region '"370102"'
	refuse - "Qingdao clerk files in Jinan" OUT_OF_SCOPE region clerk_qd file "$T/work/filing.json"
	# Its own city works, and Jinan does not see it.
	edit region '"370202"'
	file_case "Qingdao clerk files in Qingdao" clerk_qd -
	qid=$(cat "$T/work/id")
	ok "Qingdao list" clerk_qd --json list --limit 100
	"$JSON" each cases id "$OUT" >"$T/work/qd.ids"
	grep -qx "$qid" "$T/work/qd.ids" || fail "Qingdao list: its own case $qid is missing"
	grep -qx "$id" "$T/work/qd.ids" && fail "Qingdao list shows the Jinan case $id"
	"$JSON" each cases region "$OUT" | grep -v '^3702' && fail "Qingdao list shows a case outside 3702xx"
	SNAP_AS=clerk_qd
	refuse "$qid" "Jinan clerk shows a Qingdao case" OUT_OF_SCOPE id clerk show "$qid"
	refuse "$qid" "Jinan clerk acts on a Qingdao case" OUT_OF_SCOPE id clerk act "$qid" accept --revision 1
	refuse "$qid" "the Jinan union shows a Qingdao case" OUT_OF_SCOPE id union show "$qid"
	refuse - "Jinan clerk lists Qingdao's region" OUT_OF_SCOPE region clerk list --region 370200
	list_all clerk "$T/work/jinan.list"
	grep -q "^$qid " "$T/work/jinan.list" && fail "Jinan clerk's list shows the Qingdao case $qid"
	ACT_VIEWER=clerk_qd
	act "Qingdao clerk accepts its own case" clerk_qd "$qid" accept mediation 2
}

# 3c. Organisations: union and legal aid see only their own cases.
t_refuse_org() {
	BASE=$CASES/single-worker.json
	file_case "union files" union "$BASE"
	uid=$(cat "$T/work/id")
	refuse "$uid" "other legal-aid office shows the union's case" OUT_OF_SCOPE id legal_aid2 show "$uid"
	refuse "$uid" "other legal-aid office reads its history" OUT_OF_SCOPE id legal_aid2 history "$uid"
	refuse "$uid" "other legal-aid office acts on it" OUT_OF_SCOPE id legal_aid2 act "$uid" supplement --set materials=补充 --revision 1
	refuse "$uid" "legal aid shows the union's case" OUT_OF_SCOPE id legal_aid show "$uid"
	# Legal aid files for a worker, as its own organisation.
	edit channel '"legal_aid"' representative.kind '"legal_aid"' \
	    representative.organisation '"济南市法律援助中心"' \
	    representative.name '"赵磊"'
	file_case "legal aid files" legal_aid -
	lid=$(cat "$T/work/id")
	refuse "$lid" "union shows legal aid's case" OUT_OF_SCOPE id union show "$lid"
	refuse "$lid" "union acts on legal aid's case" OUT_OF_SCOPE id union act "$lid" withdraw --set reason=x --revision 1
	# A clerk files for a worker the union represents: the union sees it.
	BASE=$CASES/single-worker.json
	file_case "clerk files, the union represents" clerk "$BASE"
	rid=$(cat "$T/work/id")
	ok "union shows the case it represents" union --json show "$rid"
	expect_json "$OUT" filed_by.role clerk "the represented case"
	refuse "$rid" "other legal-aid office shows it" OUT_OF_SCOPE id legal_aid2 show "$rid"
	# A representative must be the filer itself.
	edit representative.organisation '"济南市法律援助中心"'
	refuse - "union files naming another organisation as representative" INVALID_ARGUMENT representative.organisation union file "$T/work/filing.json"
	# Lists: every case the union lists was filed or represented by it.
	list_all union "$T/work/union.list"
	grep -q "^$uid " "$T/work/union.list" || fail "union list: its case $uid is missing"
	grep -q "^$rid " "$T/work/union.list" || fail "union list: the case $rid it represents is missing"
	grep -q "^$lid " "$T/work/union.list" && fail "union list shows legal aid's case $lid"
	while read -r cid _ _; do
		ok "union's listed case $cid" clerk --json show "$cid"
		f=$(jget filed_by.org "$OUT")
		r=$(jget representative.organisation "$OUT" 2>/dev/null)
		[ "$f" = 济南市历下区总工会工会驿站 ] || [ "$r" = 济南市历下区总工会工会驿站 ] ||
		    fail "union list shows $cid, filed by '$f', represented by '$r'"
	done <"$T/work/union.list"
	list_all legal_aid "$T/work/la.list"
	grep -q "^$lid " "$T/work/la.list" || fail "legal aid list: its case $lid is missing"
	grep -q "^$uid " "$T/work/la.list" && fail "legal aid list shows the union's case"
	list_all legal_aid2 "$T/work/la2.list"
	[ -s "$T/work/la2.list" ] && fail "the other legal-aid office lists cases it has nothing to do with: $(cat "$T/work/la2.list")"
	:
}

# 3c'. Issue 13, part 7: an organisation's name does not reach past its
# region. A union certificate of Qingdao (370200) whose O equals the Jinan
# union station's sees nothing of that station's cases.
t_refuse_org_region() {
	BASE=$CASES/single-worker.json
	file_case "the Jinan union files" union "$BASE"
	uid=$(cat "$T/work/id")
	refuse "$uid" "Qingdao union of the same name shows it" OUT_OF_SCOPE id union_qd show "$uid"
	refuse "$uid" "Qingdao union of the same name reads its history" OUT_OF_SCOPE id union_qd history "$uid"
	refuse "$uid" "Qingdao union of the same name acts on it" OUT_OF_SCOPE id union_qd act "$uid" withdraw --set reason=x --revision 1
	refuse "$uid" "Qingdao union of the same name acts (revision read by wagectl)" OUT_OF_SCOPE id union_qd act "$uid" withdraw --set reason=x
	list_all union_qd "$T/work/union_qd.list"
	[ -s "$T/work/union_qd.list" ] &&
	    fail "the Qingdao union lists Jinan's cases: $(cat "$T/work/union_qd.list")"
	ok "Qingdao union's work list" union_qd --json due --within 3650
	"$JSON" each entries id "$OUT" >"$T/work/union_qd.due"
	[ -s "$T/work/union_qd.due" ] &&
	    fail "the Qingdao union's work list shows Jinan's cases: $(tr '\n' ' ' <"$T/work/union_qd.due")"
	# The Jinan station itself still sees and lists its case.
	ok "the Jinan union shows its case" union --json show "$uid"
	list_all union "$T/work/union.list"
	grep -q "^$uid " "$T/work/union.list" ||
	    fail "the Jinan union's list: its case $uid is missing"
	ok "the Jinan union's work list" union --json due --within 3650
	grep -q "$uid" "$OUT" ||
	    fail "the Jinan union's work list: its case $uid is missing"
}

# 3d. Events a state does not allow (or not yet).
t_refuse_transition() {
	BASE=$IDATA/walk-in.json
	file_case "file" clerk "$BASE"
	id=$(cat "$T/work/id")
	refuse "$id" "mediation_agreement in intake" ILLEGAL_TRANSITION event mediator act "$id" mediation_agreement --set amount_fen=100 --set pay_by="$(day 30)"
	refuse "$id" "award_effective in intake" ILLEGAL_TRANSITION event clerk act "$id" award_effective
	refuse "$id" "an event the policy does not have" ILLEGAL_TRANSITION event clerk act "$id" approve_everything
	act "refuse" clerk "$id" refuse closed_refused 2 --set reason=不属于受案范围
	refuse "$id" "accept on a closed case" ILLEGAL_TRANSITION event clerk act "$id" accept
	refuse "$id" "withdraw on a closed case" ILLEGAL_TRANSITION event clerk act "$id" withdraw --set reason=x
	if [ -s "$T/state/lifecycle.id" ]; then
		lid=$(cat "$T/state/lifecycle.id")
		refuse "$lid" "accept on the closed lifecycle case" ILLEGAL_TRANSITION event clerk act "$lid" accept
	fi
	# Transfer (办案规则 Art 9) is for an accepted case; before acceptance
	# the clerk forwards it to the competent department (条例 Art 10).
	file_case "file (to forward)" clerk "$BASE"
	fid=$(cat "$T/work/id")
	refuse "$fid" "transfer in intake" ILLEGAL_TRANSITION event clerk act "$fid" transfer --set receiving_body=历下区劳动保障监察大队 --set reason=不属于本委管辖
	act "forward" clerk "$fid" forward closed_transferred 2 \
	    --set receiving_body=历下区劳动保障监察大队 --set reason=不属于本委管辖
	refuse "$fid" "transfer on a forwarded case" ILLEGAL_TRANSITION event clerk act "$fid" transfer --set receiving_body=x --set reason=x
	# Mediation before acceptance (Art 14) needs the worker's consent; an
	# agreement's default (Art 15) and a payment order (Art 16) wait for
	# its pay-by date to pass, and on that day itself it has not.
	file_case "file (pre-mediation)" clerk "$BASE"
	pid=$(cat "$T/work/id")
	refuse "$pid" "pre_mediation without consent" INVALID_ARGUMENT fields.mediation_consent clerk act "$pid" pre_mediation
	act "pre_mediation" clerk "$pid" pre_mediation pre_mediation 2 \
	    --set mediation_consent=调解同意书-2026-0001
	act "pre_mediation_agreement" mediator "$pid" pre_mediation_agreement \
	    agreed 3 --set amount_fen=1045050 --set pay_by="$(day 0)"
	refuse "$pid" "payment_default on the pay-by day" ILLEGAL_TRANSITION event clerk act "$pid" payment_default --set reason=用人单位未按调解协议履行
	grep -q 'payment clock has run out' "$REFUSAL" ||
	    fail "payment_default: the refusal does not name the payment clock: $(cat "$REFUSAL")"
	refuse "$pid" "payment_order on the pay-by day" ILLEGAL_TRANSITION event clerk act "$pid" payment_order --set court=济南市历下区人民法院
	act "confirm_paid" clerk "$pid" confirm_paid closed_paid 4 \
	    --set amount_paid_fen=1045050 --set paid_on="$(day 0)" --set party_document=收条-2026-002
	refuse - "a case that does not exist" NOT_FOUND id clerk show WA2026-999999
	refuse - "act on a case that does not exist" NOT_FOUND id clerk act WA2026-999999 accept --revision 1
	refuse - "a malformed case id" INVALID_ARGUMENT id clerk show 'WA2026-00001x'
}

# 3e. A revision that is not the case's.
t_refuse_stale() {
	BASE=$IDATA/walk-in.json
	file_case "file" clerk "$BASE"
	id=$(cat "$T/work/id")
	act "accept" clerk "$id" accept mediation 2
	refuse "$id" "act with revision 1 on revision 2" STALE_REVISION revision mediator act "$id" mediation_failed --set reason=x --revision 1
	refuse "$id" "act with a future revision" STALE_REVISION revision mediator act "$id" mediation_failed --set reason=x --revision 3
	# A write that lost a race is refused, not applied twice.
	act "mediation_failed at the right revision" mediator "$id" mediation_failed arbitration 3 --set reason=调解不成 --revision 2
	refuse "$id" "the same request again" STALE_REVISION revision mediator act "$id" mediation_failed --set reason=调解不成 --revision 2
}

# 3f. Filings that must be refused, from tests/data/integration/bad-filings.tsv.
t_refuse_filings() {
	n=0
	while IFS='	' read -r who base path value code field; do
		case $who in '#'* | '') continue ;; esac
		BASE=$T/data/$base
		edit "$path" "$value"
		refuse - "filing with $path=$value" "$code" "$field" "$who" file "$T/work/filing.json"
		n=$((n + 1))
	done <"$IDATA/bad-filings.tsv"
	[ $n -ge 10 ] || fail "bad-filings.tsv: only $n scenarios read"
	# And the unedited filings are fine (the scenarios differ by one field).
	BASE=$IDATA/walk-in.json
	edit facts '"对照：未改动的申请"'
	file_case "the unedited walk-in filing" clerk -
	# A clerk's late record of a paper complaint, with its reason.
	edit received '"2026-09-01"' received_reason '"纸质申请书补录"'
	file_case "a clerk's late record, with a reason" clerk -
	ok "the late record" clerk --json show "$(cat "$T/work/id")"
	expect_json "$OUT" received 2026-09-01 "the late record"
	expect_json "$OUT" received_reason 纸质申请书补录 "the late record"
}

# 3g. Event fields that must be refused, from bad-events.tsv.
t_refuse_fields() {
	BASE=$IDATA/walk-in.json
	file_case "file (for mediation)" clerk "$BASE"
	med=$(cat "$T/work/id")
	act "accept" clerk "$med" accept mediation 2
	file_case "file (for arbitration)" clerk "$BASE"
	arb=$(cat "$T/work/id")
	act "accept_arbitration" clerk "$arb" accept_arbitration arbitration 2 --set reason=劳动者不同意调解
	n=0
	while IFS='	' read -r state who event sets code field; do
		case $state in '#'* | '') continue ;; esac
		case $state in
		mediation) cid=$med ;;
		arbitration) cid=$arb ;;
		*) fail "bad-events.tsv: unknown state '$state'" ;;
		esac
		# sets: space-separated k=v ("-": none); no spaces in values;
		# @today+N@ and the like are dates from today.
		args=
		[ "$sets" != - ] && for kv in $(days "$sets"); do args="$args --set $kv"; done
		# shellcheck disable=SC2086
		refuse "$cid" "$who $event $sets in $state" "$code" "$field" "$who" act "$cid" "$event" $args
		n=$((n + 1))
	done <"$IDATA/bad-events.tsv"
	[ $n -ge 30 ] || fail "bad-events.tsv: only $n scenarios read"
	# The same events with good fields go through.
	act "good mediation_agreement" mediator "$med" mediation_agreement mediated 3 --set amount_fen=100 --set pay_by="$(day 30)"
	act "good extend" chair "$arb" extend arbitration 3 --set days=15 --set reason=案情复杂
	act "good hearing_scheduled (5 days ahead)" arbitrator "$arb" \
	    hearing_scheduled arbitration 4 --set hearing_date="$(day 5)"
	act "good add_party" clerk "$arb" add_party arbitration 5 \
	    --set new_party=济南某劳务派遣有限公司 --set reason=追加用工单位
	# The application served on the employer: the 5 days to serve it stop,
	# the employer's 10 days to answer (a window, Art 30) start.
	act "good serve" clerk "$arb" serve arbitration 6 \
	    --set document=application_copy --set party=employer \
	    --set method=direct --set served_on="$(day 0)"
	ok "show served" clerk --json show "$arb"
	expect_clock "$OUT" service_respondent state stopped "serving the application stops service_respondent"
	expect_clock "$OUT" defence state running "serving the application starts the employer's defence window"
	expect_clock "$OUT" defence party employer "the defence window"
	expect_clock "$OUT" defence window true "the defence window"
	expect_json "$OUT" service.0.document application_copy "the service list"
	expect_json "$OUT" service.0.party employer "the service list"
}

# 3h. Who sees what: auditor (masked, read-only), admin (no case content),
# clerk and union (whole ID numbers).
t_views() {
	BASE=$CASES/single-worker.json
	file_case "file" union "$BASE"
	id=$(cat "$T/work/id")
	full=$(jget claimants.0.id_number "$BASE")
	phone=$(jget claimants.0.phone "$BASE")
	ok "clerk shows" clerk --json show "$id"
	expect_json "$OUT" claimants.0.id_number "$full" "clerk sees the whole ID number"
	expect_json "$OUT" claimants.0.phone "$phone" "clerk sees the whole phone"
	ok "union shows" union --json show "$id"
	expect_json "$OUT" claimants.0.id_number "$full" "union sees the whole ID number"
	ok "auditor shows" auditor --json show "$id"
	m=$(jget claimants.0.id_number "$OUT")
	case $m in *'********'*) ;; *) fail "auditor sees ID number '$m', expected it masked" ;; esac
	grep -q "$full" "$OUT" && fail "auditor's view of the case contains the whole ID number"
	grep -q "$phone" "$OUT" && fail "auditor's view of the case contains the whole phone number"
	expect_json "$OUT" next '[]' "auditor may fire no event"
	ok "auditor shows (table)" auditor show "$id"
	grep -q '370124\*\*\*\*\*\*\*\*2314' "$OUT" || fail "auditor's table does not show the masked ID number"
	grep -q "$full" "$OUT" && fail "auditor's table shows the whole ID number"
	ok "auditor lists" auditor --json list --limit 100
	grep -q "$id" "$OUT" || fail "auditor list: $id missing"
	ok "auditor reads history" auditor --json history "$id"
	grep -q "$full" "$OUT" && fail "the history shows the whole ID number to the auditor"
	refuse "$id" "auditor acts" FORBIDDEN op auditor act "$id" accept --revision 1
	refuse "$id" "auditor files" FORBIDDEN op auditor file "$BASE"
	ok "auditor verifies" auditor --json audit verify
	expect_json "$OUT" valid true "auditor: audit verify"
	refuse "$id" "admin shows a case" FORBIDDEN op admin show "$id"
	refuse "$id" "admin lists cases" FORBIDDEN op admin list
	refuse "$id" "admin reads a history" FORBIDDEN op admin history "$id"
	refuse "$id" "admin acts" FORBIDDEN op admin act "$id" accept --revision 1
	ok "admin verifies" admin --json audit verify
	expect_json "$OUT" valid true "admin: audit verify"
	grep -q "$full" "$OUT" && fail "admin's audit verify shows an ID number"
	ok "admin whoami" admin --json whoami
	expect_json "$OUT" scope none "admin sees no cases"
	expect_json "$OUT" role admin "admin whoami"
}

# 3i. Labour inspection (劳动保障监察) over TLS: a clerk refers the case,
# the inspector of the region (吴军, 370100) takes it on and orders payment;
# the inspector sees its region's cases and no other; an auditor acts on
# none; the police referral (刑法 Art 276-1) waits for the order's pay-by
# date to pass, and on that day itself is refused with nothing changed.
t_inspection() {
	BASE=$CASES/single-worker.json
	file_case "file" union "$BASE"
	id=$(cat "$T/work/id")
	ok "inspector whoami" inspector --json whoami
	expect_json "$OUT" role inspector "inspector whoami"
	expect_json "$OUT" region 370100 "inspector whoami"
	ok "inspector shows a case of its region" inspector --json show "$id"
	expect_json "$OUT" state intake "the inspector's view"
	expect_json "$OUT" region 370102 "the inspector's view"
	list_all inspector "$T/work/insp.list"
	grep -q "^$id " "$T/work/insp.list" || fail "inspector list: $id of 370102 is missing"
	BASE=$IDATA/walk-in.json
	edit region '"370202"'
	file_case "Qingdao clerk files in Qingdao" clerk_qd -
	qid=$(cat "$T/work/id")
	SNAP_AS=clerk_qd
	refuse "$qid" "Jinan inspector shows a Qingdao case" OUT_OF_SCOPE id inspector show "$qid"
	SNAP_AS=clerk
	grep -q "^$qid " "$T/work/insp.list" && fail "inspector list shows the Qingdao case $qid"
	refuse "$id" "inspector refers the case itself" FORBIDDEN event inspector act "$id" refer_inspection --set reason=x
	refuse "$id" "inspector accepts for arbitration" FORBIDDEN event inspector act "$id" accept
	refuse "$id" "inspector files" FORBIDDEN op inspector file "$BASE"
	act "refer_inspection" clerk "$id" refer_inspection inspection 2 \
	    --set reason=用人单位拒不支付农民工工资
	ok "show referred" inspector --json show "$id"
	expect_json "$OUT" phase inspection "referred"
	expect_clock "$OUT" inspection_accept state running "the referral starts inspection_accept"
	expect_clock "$OUT" acceptance state stopped "the referral stops the acceptance clock"
	refuse "$id" "auditor accepts the inspection" FORBIDDEN op auditor act "$id" inspection_accept
	refuse "$id" "clerk accepts the inspection" FORBIDDEN event clerk act "$id" inspection_accept
	refuse "$id" "refer_police before an order to pay" ILLEGAL_TRANSITION event inspector act "$id" refer_police --set reason=拒不支付
	act "inspection_accept" inspector "$id" inspection_accept inspection 3
	ok "show accepted" inspector --json show "$id"
	expect_clock "$OUT" inspection_accept state stopped "inspection_accept stops its clock"
	expect_clock "$OUT" inspection_investigate state running "inspection_accept starts the 60 working days"
	refuse "$id" "order to pay above the claim" INVALID_ARGUMENT fields.amount_fen inspector act "$id" order_payment --set amount_fen=1860001 --set pay_by="$(day 0)"
	refuse "$id" "order to pay by a past date" INVALID_ARGUMENT fields.pay_by inspector act "$id" order_payment --set amount_fen=1860000 --set pay_by="$(day -1)"
	act "order_payment" inspector "$id" order_payment ordered 4 \
	    --set amount_fen=1860000 --set pay_by="$(day 0)"
	ok "show ordered" inspector --json show "$id"
	expect_clock "$OUT" order_payment state running "the order's pay-by date is a clock"
	expect_clock "$OUT" order_payment due "$(day 0)" "the order_payment clock runs to pay_by"
	expect_clock "$OUT" inspection_investigate state stopped "the order ends the investigation clock"
	refuse "$id" "refer_police on the order's pay-by day" ILLEGAL_TRANSITION event inspector act "$id" refer_police --set reason=逾期仍不支付
	grep -q 'order_payment clock has run out' "$REFUSAL" ||
	    fail "refer_police: the refusal does not name the order_payment clock: $(cat "$REFUSAL")"
	refuse "$id" "clerk refers to the police" FORBIDDEN event clerk act "$id" refer_police --set reason=x
	refuse "$id" "auditor refers to the police" FORBIDDEN op auditor act "$id" refer_police --set reason=x
	ok "inspector's work list" inspector --json due
	grep -q "$id" "$OUT" || fail "inspector's work list: $id (order_payment due today) is missing"
	act "confirm_paid" inspector "$id" confirm_paid closed_paid 5 \
	    --set amount_paid_fen=1860000 --set paid_on="$(day 0)" --set party_document=收条-2026-003
	ok "history" inspector --json history "$id"
	[ "$("$JSON" len events "$OUT")" = 5 ] || fail "history: expected 5 events"
	expect_json "$OUT" events.2.actor.role inspector "history: inspection_accept by the inspector"
	ok "audit verify" auditor --json audit verify
	expect_json "$OUT" valid true "audit verify"
}

# 4a. No client certificate at all.
t_tls_no_cert() {
	snap - before
	WAGE_SERVER=$URL WAGE_CA=$PKI/ca.crt WAGE_TOKEN_FILE=$T/sess/nocert \
	    timeout -k 5 60 env -u WAGE_CERT -u WAGE_KEY "$WAGECTL" \
	    --timeout 5000 whoami >"$OUT" 2>"$ERR" </dev/null
	rc=$?
	[ $rc -eq 3 ] || fail "whoami without a certificate exited $rc, expected 3"
	WAGE_SERVER=$URL WAGE_CA=$PKI/ca.crt WAGE_TOKEN_FILE=$T/sess/nocert \
	    timeout -k 5 60 env -u WAGE_CERT -u WAGE_KEY "$WAGECTL" \
	    --timeout 5000 file "$CASES/single-worker.json" >"$OUT" 2>"$ERR" </dev/null
	rc=$?
	[ $rc -eq 3 ] || fail "file without a certificate exited $rc, expected 3"
	snap - after
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" || fail "the audit chain moved"
}

# 4b. A certificate from another CA (same subject as our clerk).
t_tls_other_ca() {
	snap - before
	ctl_cert "$PKI2/clerk" "$T/sess/other" whoami
	rc=$?
	[ $rc -eq 3 ] || fail "whoami with another CA's certificate exited $rc, expected 3"
	grep -q '^error: TLS: ' "$ERR" || fail "expected a TLS error"
	ctl_cert "$PKI2/clerk" "$T/sess/other" file "$CASES/single-worker.json"
	rc=$?
	[ $rc -eq 3 ] || fail "file with another CA's certificate exited $rc, expected 3"
	snap - after
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" || fail "the audit chain moved"
	ok "the clerk still works" clerk whoami
}

# 4c. Plain TCP to the TLS port.
t_tls_plain_tcp() {
	snap - before
	port=$(cat "$T/run/main.port")
	"$NET" plain "$port" >"$OUT" 2>"$ERR"
	rc=$?
	[ $rc -eq 0 ] || fail "plain TCP: $(cat "$OUT" "$ERR")"
	server_alive main || fail "the server died after plain TCP"
	snap - after
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" || fail "the audit chain moved"
	ok "the clerk still works" clerk whoami
}

# 4d. A certificate revoked before the server started.
t_tls_revoked() {
	snap - before
	ctl revoked whoami
	rc=$?
	[ $rc -eq 3 ] || fail "whoami with a revoked certificate exited $rc, expected 3"
	ctl revoked file "$CASES/single-worker.json"
	rc=$?
	[ $rc -eq 3 ] || fail "file with a revoked certificate exited $rc, expected 3"
	snap - after
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" || fail "the audit chain moved"
	ok "the clerk still works" clerk whoami
}

# 4e. A request over the transport limit (2 x 256 KiB): the server drops
# the connection; wagectl must give up within its --timeout, not hang.
t_oversized_request() {
	snap - before
	{
		printf '{"facts":"'
		head -c 600000 /dev/zero | tr '\0' x
		printf '"}'
	} >"$T/work/huge.json"
	# A hang does not come every time: three rounds.
	for round in 1 2 3; do
		start=$(date +%s)
		WAGE_SERVER=$URL WAGE_CA=$PKI/ca.crt WAGE_CERT=$PKI/clerk.crt \
		    WAGE_KEY=$PKI/clerk.key WAGE_TOKEN_FILE=$T/sess/clerk \
		    timeout -k 2 6 "$WAGECTL" --timeout 2000 file \
		    "$T/work/huge.json" >"$OUT" 2>"$ERR" </dev/null
		rc=$?
		took=$(($(date +%s) - start))
		[ $rc -ne 124 ] && [ $rc -ne 137 ] ||
		    fail "round $round: wagectl --timeout 2000 file (600 kB) hung: killed after ${took}s"
		[ $rc -eq 1 ] || [ $rc -eq 3 ] ||
		    fail "round $round: wagectl file (600 kB) exited $rc, expected 1 (TOO_LARGE) or 3"
	done
	# Between 256 and 512 KiB the server answers TOO_LARGE.
	{
		printf '{"facts":"'
		head -c 300000 /dev/zero | tr '\0' x
		printf '"}'
	} >"$T/work/large.json"
	refused "300 kB filing" TOO_LARGE - clerk file "$T/work/large.json"
	server_alive main || fail "the server died"
	snap - after
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" || fail "the audit chain moved"
}

# 5 and 6 through the C library: see test_e2e.c.
e2e() { # GROUP [URL]
	ITEST_SERVER=${2:-$URL} ITEST_CA=$PKI/ca.crt ITEST_PKI=$PKI \
	    ITEST_STATE=$T/state ITEST_SESSION=$T/sess/union \
	    timeout -k 5 90 "$TB/test_e2e" "$1" </dev/null
}

# 5a. Sessions of 1 second on a second server: the old token is
# TOKEN_EXPIRED, the library and wagectl log in again by themselves.
t_token_expiry() {
	server_start_free short 1 1 || fail "the short-session server did not start"
	surl=tls+tcp://127.0.0.1:$(cat "$T/run/short.port")
	e2e expiry "$surl" >"$T/work/e2e-expiry.log" 2>&1
	rc=$?
	sed 's/^/    | /' "$T/work/e2e-expiry.log"
	[ $rc -eq 0 ] || { server_stop short; fail "test_e2e expiry failed"; }
	# wagectl with the expired session file: works, and renews the file.
	cp "$T/state/expired.token" "$T/sess/expired"
	URL=$surl
	ctl_cert "$PKI/clerk" "$T/sess/expired" --json whoami
	rc=$?
	URL=tls+tcp://127.0.0.1:$(cat "$T/run/main.port")
	[ $rc -eq 0 ] || { server_stop short; fail "wagectl with an expired session exited $rc, expected 0"; }
	expect_json "$OUT" role clerk "wagectl whoami after renewal"
	cmp -s "$T/state/expired.token" "$T/sess/expired" &&
	    { server_stop short; fail "wagectl did not write the new session to its file"; }
	server_stop short || fail "the short-session server did not stop cleanly"
}

# 5b. A token whose certificate is revoked after login, then restart.
t_token_revoked() {
	e2e revoke-save >"$T/work/e2e-save.log" 2>&1 ||
	    { sed 's/^/    | /' "$T/work/e2e-save.log"; fail "test_e2e revoke-save failed"; }
	"$WAGECTL" pki revoke "$PKI" "$PKI/late.crt" >/dev/null 2>"$ERR" ||
	    fail "pki revoke late.crt failed"
	server_stop main || fail "stopping the server"
	server_start main || fail "restarting the server"
	e2e revoke-check >"$T/work/e2e-check.log" 2>&1
	rc=$?
	sed 's/^/    | /' "$T/work/e2e-check.log"
	[ $rc -eq 0 ] || fail "test_e2e revoke-check failed"
	ctl late whoami
	rc=$?
	[ $rc -eq 3 ] || fail "wagectl with the revoked certificate exited $rc, expected 3"
}

# hup_crl STEP PATTERN: SIGHUP to the main server, then wait (bounded:
# 15 s) for one more log line matching PATTERN (grep -E) than before.
hup_crl() {
	_hlog=$T/main.log.new
	_hn=$(grep -cE "$2" "$_hlog")
	kill -HUP "$(cat "$_hlog.pid")" || fail "$1: kill -HUP failed"
	_hi=0
	until [ "$(grep -cE "$2" "$_hlog")" -gt "$_hn" ]; do
		_hi=$((_hi + 1))
		[ $_hi -le 600 ] && server_alive main ||
		    fail "$1: no log line /$2/ after SIGHUP: $(tail -n 3 "$_hlog")"
		sleep 0.025
	done
}

# 5c. Issue 13: a certificate revoked while the server runs loses its
# session at SIGHUP (the CRL read again), with no restart: its token is
# refused CERT_REVOKED (also from the server's token cache: the token was
# checked before) and so is a fresh login; nothing changes. A corrupt CRL,
# or one of another CA, leaves the CRL in force (one log line each).
t_crl_reload() {
	pki_issue "$PKI" hup clerk 何静 济南市劳动人事争议仲裁院 370100 ||
	    fail "pki issue hup"
	rm -f "$T/sess/hup"
	file_case "the clerk files a case" hup "$CASES/single-worker.json"
	id=$(cat "$T/work/id")
	ok "the clerk reads it" hup --json show "$id"
	ok "the clerk again, with the session file" hup whoami
	snap "$id" before
	"$WAGECTL" pki revoke "$PKI" "$PKI/hup.crt" >/dev/null 2>"$ERR" ||
	    fail "pki revoke hup.crt failed"
	hup_crl "reload" "crl: .*/crl\.pem reloaded: [0-9]+ certificate"
	refused "the session's token after SIGHUP" CERT_REVOKED token \
	    hup --json act "$id" accept
	refused "the session's token, a read" CERT_REVOKED token \
	    hup --json show "$id"
	rm -f "$T/sess/hup"
	refused "a fresh login after SIGHUP" CERT_REVOKED certificate \
	    hup whoami
	snap "$id" after
	cmp -s "$T/work/snap.before.case" "$T/work/snap.after.case" ||
	    fail "case $id changed although the revoked clerk was refused"
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" ||
	    fail "the audit chain moved although the revoked clerk was refused"
	ok "another clerk still works" clerk --json show "$id"
	# A corrupt CRL: refused, logged, the CRL in force stays.
	cp "$PKI/crl.pem" "$T/work/crl.good"
	printf -- '-----BEGIN X509 CRL-----\nnot a CRL\n-----END X509 CRL-----\n' \
	    >"$PKI/crl.pem"
	hup_crl "corrupt CRL" "crl: cannot load CRL .*/crl\.pem: .*; the CRL loaded before stays in force"
	[ "$(grep -c 'cannot load CRL' "$T/main.log.new")" -eq 1 ] ||
	    fail "corrupt CRL: expected one log line"
	refused "revoked, after a corrupt CRL" CERT_REVOKED certificate \
	    hup whoami
	ok "another clerk, after a corrupt CRL" clerk whoami
	# A CRL of another CA (an empty one): not ours, refused.
	cp "$PKI2/crl.pem" "$PKI/crl.pem"
	hup_crl "foreign CRL" "crl: cannot load CRL .*/crl\.pem: not issued by this deployment's CA; the CRL loaded before stays in force"
	refused "revoked, after a foreign CRL" CERT_REVOKED certificate \
	    hup whoami
	ok "another clerk, after a foreign CRL" clerk whoami
	# An unreadable one: gone.
	rm -f "$PKI/crl.pem"
	hup_crl "missing CRL" "crl: cannot load CRL .*/crl\.pem: .*; the CRL loaded before stays in force"
	refused "revoked, after a missing CRL" CERT_REVOKED certificate \
	    hup whoami
	cp "$T/work/crl.good" "$PKI/crl.pem"
	hup_crl "the good CRL back" "crl: .*/crl\.pem reloaded: [0-9]+ certificate"
	refused "revoked, with the good CRL back" CERT_REVOKED certificate \
	    hup whoami
	ok "another clerk, at the end" clerk whoami
	server_alive main || fail "the server died"
}

# 7. Paging: 25 cases in one district, pages of 10, cursors, filters.
t_paging() {
	BASE=$IDATA/walk-in.json
	edit region '"370103"'
	: >"$T/work/filed.ids"
	i=0
	while [ $i -lt 25 ]; do
		ok "file $i" clerk --json file "$T/work/filing.json"
		jget id "$OUT" >>"$T/work/filed.ids" || fail "file $i: no id"
		i=$((i + 1))
	done
	sort -o "$T/work/filed.ids" "$T/work/filed.ids"
	[ "$(sort -u "$T/work/filed.ids" | wc -l)" -eq 25 ] || fail "25 filings did not get 25 ids"
	ok "first page" clerk --json list --region 370103 --limit 10
	[ "$("$JSON" len cases "$OUT")" = 10 ] || fail "first page: expected 10 cases"
	next=$(jget next "$OUT")
	[ -n "$next" ] && [ "$next" != null ] || fail "first page: no next cursor"
	cp "$OUT" "$T/work/page0.json"
	: >"$T/work/seen.ids"
	"$JSON" each cases id "$OUT" >>"$T/work/seen.ids"
	pages=1
	while [ "$next" != null ]; do
		ok "page $pages" clerk --json list --region 370103 --limit 10 --after "$next"
		"$JSON" each cases id "$OUT" >>"$T/work/seen.ids"
		next=$(jget next "$OUT")
		pages=$((pages + 1))
		[ $pages -le 10 ] || fail "more than 10 pages for 25 cases"
	done
	dup=$(sort "$T/work/seen.ids" | uniq -d)
	[ -z "$dup" ] || fail "cases listed twice: $dup"
	sort -o "$T/work/seen.ids" "$T/work/seen.ids"
	cmp -s "$T/work/seen.ids" "$T/work/filed.ids" ||
	    fail "the pages do not hold exactly the 25 filed cases: $(diff "$T/work/filed.ids" "$T/work/seen.ids" | tr '\n' ' ')"
	[ $pages -ge 3 ] || fail "25 cases in pages of 10 took $pages pages"
	"$JSON" each cases region "$T/work/page0.json" | grep -vx 370103 &&
	    fail "list --region 370103 shows another region"
	# State filter: accept 5 of them.
	head -n 5 "$T/work/filed.ids" >"$T/work/accepted.ids"
	while read -r cid; do
		ok "accept $cid" clerk act "$cid" accept
	done <"$T/work/accepted.ids"
	list_all clerk "$T/work/med.list" --region 370103 --state mediation
	cut -d ' ' -f 1 "$T/work/med.list" >"$T/work/med.ids"
	cmp -s "$T/work/med.ids" "$T/work/accepted.ids" ||
	    fail "--state mediation: expected exactly the 5 accepted cases, got $(tr '\n' ' ' <"$T/work/med.ids")"
	grep -v ' mediation 2$' "$T/work/med.list" && fail "--state mediation lists a case not in mediation at revision 2"
	list_all clerk "$T/work/intake.list" --region 370103 --state intake
	[ "$(wc -l <"$T/work/intake.list")" -eq 20 ] || fail "--state intake: expected 20 cases, got $(wc -l <"$T/work/intake.list")"
	grep -v ' intake 1$' "$T/work/intake.list" && fail "--state intake lists a case not in intake"
	# Cursors: a tampered one, one of another listing, one of another
	# actor, and garbage are all refused.
	c0=$(jget next "$T/work/page0.json")
	first=$(printf '%s' "$c0" | cut -c1)
	rest=$(printf '%s' "$c0" | cut -c2-)
	if [ "$first" = A ]; then t=B; else t=A; fi
	refuse - "a tampered cursor" INVALID_ARGUMENT after clerk list --region 370103 --limit 10 --after "$t$rest"
	refuse - "a cursor that is not base64" INVALID_ARGUMENT after clerk list --region 370103 --limit 10 --after '!!not-a-cursor!!'
	ok "a page of the mediation listing" clerk --json list --region 370103 --state mediation --limit 2
	mc=$(jget next "$OUT")
	[ "$mc" != null ] || fail "mediation listing: expected a next cursor"
	refuse - "another listing's cursor" INVALID_ARGUMENT after clerk list --region 370103 --limit 10 --after "$mc"
	ok "a page of the union's listing" union --json list --limit 1
	uc=$(jget next "$OUT")
	[ "$uc" != null ] || fail "union listing: expected a next cursor"
	refuse - "another actor's cursor" INVALID_ARGUMENT after clerk list --limit 10 --after "$uc"
	refuse - "limit 0" INVALID_ARGUMENT limit clerk list --limit 0
	refuse - "limit 101" INVALID_ARGUMENT limit clerk list --limit 101
	refuse - "an unknown state" INVALID_ARGUMENT state clerk list --state nonsense
	refuse - "a malformed region" INVALID_ARGUMENT region clerk list --region 3701
	ok "limit 100" clerk --json list --region 370103 --limit 100
	[ "$("$JSON" len cases "$OUT")" = 25 ] || fail "limit 100: expected all 25 cases"
	expect_json "$OUT" next null "limit 100: no next page"
}

# 8. Stop and start on the same database: nothing lost, chain continues.
t_restart() {
	list_all clerk "$T/work/before.jinan"
	list_all clerk_qd "$T/work/before.qingdao"
	[ "$(wc -l <"$T/work/before.jinan")" -ge 25 ] || fail "expected the earlier tests' cases before the restart"
	snap - before
	if [ -s "$T/state/lifecycle.id" ]; then
		ok "show the lifecycle case" clerk --json show "$(cat "$T/state/lifecycle.id")"
		cp "$OUT" "$T/work/before.case"
	fi
	server_stop main || fail "SIGTERM: the server did not stop cleanly"
	grep -q '^stopped' "$T/main.log" || fail "the server's log has no 'stopped' line"
	server_start main || fail "the server did not start again on the same database"
	list_all clerk "$T/work/after.jinan"
	list_all clerk_qd "$T/work/after.qingdao"
	cmp -s "$T/work/before.jinan" "$T/work/after.jinan" ||
	    fail "Jinan's cases differ after the restart: $(diff "$T/work/before.jinan" "$T/work/after.jinan" | head -5 | tr '\n' ' ')"
	cmp -s "$T/work/before.qingdao" "$T/work/after.qingdao" ||
	    fail "Qingdao's cases differ after the restart"
	snap - after
	cmp -s "$T/work/snap.before.audit" "$T/work/snap.after.audit" ||
	    fail "audit verify differs after the restart: $(tr '\n' ' ' <"$T/work/snap.before.audit") -> $(tr '\n' ' ' <"$T/work/snap.after.audit")"
	if [ -s "$T/work/before.case" ]; then
		ok "show the lifecycle case again" clerk --json show "$(cat "$T/state/lifecycle.id")"
		cmp -s "$T/work/before.case" "$OUT" || fail "the lifecycle case reads differently after the restart"
	fi
	# The session taken before the restart still works.
	ok "the clerk's old session" clerk whoami
	# New writes continue the chain from the old head.
	head=$(sed -n 3p "$T/work/snap.before.audit")
	events=$(sed -n 1p "$T/work/snap.before.audit")
	BASE=$IDATA/walk-in.json
	file_case "file after the restart" clerk "$BASE"
	id=$(cat "$T/work/id")
	ok "history of the new case" clerk --json history "$id"
	expect_json "$OUT" events.0.prev "$head" "the new event links to the old head"
	expect_json "$OUT" events.0.seq $((events + 1)) "the new event's seq follows"
	act "accept after the restart" clerk "$id" accept mediation 2
	ok "audit verify" auditor --json audit verify
	expect_json "$OUT" valid true "audit verify after the restart"
	expect_json "$OUT" events $((events + 2)) "audit verify: two more events"
}

# 9. Eight wagectl processes at once: four filings, four accepts.
t_concurrency() {
	BASE=$IDATA/walk-in.json
	: >"$T/work/conc.ids"
	for i in 1 2 3 4; do
		file_case "file $i" clerk "$BASE"
		cat "$T/work/id" >>"$T/work/conc.ids"
	done
	snap - before
	pids=
	i=0
	for cid in $(cat "$T/work/conc.ids"); do
		i=$((i + 1))
		(
			OUT=$T/work/conc.act$i.out ERR=$T/work/conc.act$i.err
			ctl clerk --json act "$cid" accept --revision 1
		) &
		pids="$pids $!"
		(
			OUT=$T/work/conc.file$i.out ERR=$T/work/conc.file$i.err
			ctl clerk --json file "$BASE"
		) &
		pids="$pids $!"
	done
	bad=0
	for p in $pids; do
		wait "$p" || bad=$((bad + 1))
	done
	for f in "$T"/work/conc.*.err; do
		[ -s "$f" ] && sed "s|^|    | $(basename "$f"): |" "$f"
	done
	[ $bad -eq 0 ] || fail "$bad of 8 parallel wagectl processes failed"
	for i in 1 2 3 4; do
		expect_json "$T/work/conc.act$i.out" state mediation "parallel accept $i"
		expect_json "$T/work/conc.file$i.out" state intake "parallel file $i"
	done
	for cid in $(cat "$T/work/conc.ids"); do
		ok "show $cid" clerk --json show "$cid"
		expect_json "$OUT" revision 2 "$cid after a parallel accept"
	done
	ok "audit verify" auditor --json audit verify
	expect_json "$OUT" valid true "audit verify after parallel writes"
	expect_json "$OUT" events $(($(sed -n 1p "$T/work/snap.before.audit") + 8)) "audit verify: 8 more events"
	expect_json "$OUT" cases $(($(sed -n 2p "$T/work/snap.before.audit") + 4)) "audit verify: 4 more cases"
	# Four processes race to accept one case at revision 1: exactly one
	# wins, the others get STALE_REVISION, and one event is written.
	file_case "file the contested case" clerk "$BASE"
	cid=$(cat "$T/work/id")
	snap "$cid" race
	pids=
	for i in 1 2 3 4; do
		(
			OUT=$T/work/race$i.out ERR=$T/work/race$i.err
			ctl clerk --json act "$cid" accept --revision 1
			echo $? >"$T/work/race$i.rc"
		) &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p"
	done
	won=0
	for i in 1 2 3 4; do
		case $(cat "$T/work/race$i.rc") in
		0) won=$((won + 1)) ;;
		1) grep -q '^error: STALE_REVISION: ' "$T/work/race$i.err" ||
		    fail "race $i: refused with $(head -c 200 "$T/work/race$i.err"), expected STALE_REVISION" ;;
		*) fail "race $i: wagectl exited $(cat "$T/work/race$i.rc"): $(head -c 200 "$T/work/race$i.err")" ;;
		esac
	done
	[ $won -eq 1 ] || fail "$won of 4 racing accepts at revision 1 succeeded, expected exactly 1"
	ok "the contested case" clerk --json show "$cid"
	expect_json "$OUT" revision 2 "the contested case after the race"
	expect_json "$OUT" state mediation "the contested case after the race"
	[ "$("$JSON" len steps "$OUT")" = 1 ] || fail "the contested case has more than one step"
	ok "audit verify" auditor --json audit verify
	expect_json "$OUT" valid true "audit verify after the race"
	expect_json "$OUT" events $(($(sed -n 1p "$T/work/snap.race.audit") + 1)) "audit verify: one event for the race"
}

# ---- running ------------------------------------------------------------

PASS=0
FAILED=0
FAILED_NAMES=

report() { # ok|FAIL NAME [detail]
	if [ "$1" = ok ]; then
		PASS=$((PASS + 1))
		echo "integration: ok   $2${3:+ ($3)}"
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES="$FAILED_NAMES $2"
		echo "integration: FAIL $2${3:+ ($3)}"
	fi
}

ms() {
	date +%s%3N
}

run_test() { # NAME FUNCTION
	_t0=$(ms)
	(
		: >"$ERR"
		"$2"
	) >"$T/logs/$1.log" 2>&1
	_rc=$?
	_dt=$(($(ms) - _t0))
	if [ $_rc -eq 0 ]; then
		report ok "$1" "${_dt} ms"
	else
		report FAIL "$1" "${_dt} ms"
		sed 's/^/  /' "$T/logs/$1.log"
	fi
	if ! server_alive main; then
		echo "integration: the main server is gone after $1; its log:"
		sed 's/^/  | /' "$T/main.log" "$T/main.log.new" | tail -n 20
		if ! server_start main; then
			echo "integration: cannot restart it: stopping"
			return 1
		fi
	fi
	return 0
}

# run_cmocka NAME GROUP: one result line per cmocka test of GROUP.
run_cmocka() {
	_t0=$(ms)
	e2e "$2" >"$T/logs/$1.log" 2>&1
	_rc=$?
	_dt=$(($(ms) - _t0))
	_n=0
	while read -r _tag _name; do
		case $_tag in
		OK)
			report ok "$1/$_name"
			_n=$((_n + 1))
			;;
		FAILED)
			report FAIL "$1/$_name"
			_n=$((_n + 1))
			;;
		esac
	done <<EOF
$(sed -n -e 's/^\[       OK \] \(test_[a-z0-9_]*\)$/OK \1/p' \
	    -e 's/^\[  FAILED  \] \(test_[a-z0-9_]*\)$/FAILED \1/p' \
	    "$T/logs/$1.log" | awk '!seen[$2]++')
EOF
	if [ $_rc -ne 0 ]; then
		[ $_n -gt 0 ] && grep -q '^\[  FAILED  \] test_' "$T/logs/$1.log" ||
		    report FAIL "$1" "test_e2e $2 exited $_rc"
		sed 's/^/  /' "$T/logs/$1.log" | grep -v '^  \[ *\(RUN\|OK\) *\]'
	fi
	echo "integration: $1 took ${_dt} ms"
}

T0=$(ms)
if ! setup; then
	echo "integration: setup failed"
	echo "integration: 0 passed, 1 failed"
	exit 1
fi
echo "integration: server ready at $URL (PKI, config and db in $T)"

run_test lifecycle t_lifecycle &&
run_test collective t_collective &&
run_test refuse-role t_refuse_role &&
run_test refuse-region t_refuse_region &&
run_test refuse-org t_refuse_org &&
run_test refuse-org-region t_refuse_org_region &&
run_test refuse-transition t_refuse_transition &&
run_test refuse-stale t_refuse_stale &&
run_test refuse-filings t_refuse_filings &&
run_test refuse-fields t_refuse_fields &&
run_test views t_views &&
run_test inspection t_inspection &&
run_test tls-no-cert t_tls_no_cert &&
run_test tls-other-ca t_tls_other_ca &&
run_test tls-plain-tcp t_tls_plain_tcp &&
run_test tls-revoked t_tls_revoked &&
ctl union whoami && # a wagectl session file for test_token_forged
run_cmocka e2e protocol &&
run_test token-expiry t_token_expiry &&
run_test token-revoked t_token_revoked &&
run_test crl-reload t_crl_reload &&
run_test paging t_paging &&
run_test concurrency t_concurrency &&
run_test restart t_restart &&
run_test oversized-request t_oversized_request &&
run_test award-items t_award_items || {
	echo "integration: stopped early"
	FAILED=$((FAILED + 1))
}

# Finally: the chain holds and the server stops cleanly.
if server_alive main; then
	if ctl auditor --json audit verify && [ "$(jget valid "$OUT")" = true ]; then
		report ok final-audit-verify "$(jget events "$OUT") events, $(jget cases "$OUT") cases"
	else
		report FAIL final-audit-verify "$(head -c 300 "$OUT" "$ERR")"
	fi
	if server_stop main; then
		report ok final-sigterm
	else
		report FAIL final-sigterm
		sed 's/^/  | /' "$T/main.log" | tail -n 20
	fi
fi

echo "integration: took $(($(ms) - T0)) ms${FAILED_NAMES:+; failed:$FAILED_NAMES}"
echo "integration: $PASS passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
