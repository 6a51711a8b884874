#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/clocks/run.sh SERVER WAGECTL CLOCKTOOL SHIFTCLOCK_SO
#
# The legal clocks against a real wage-server over mutual TLS with the
# shipped policy (2026.2), the official calendars (policies/calendar) and
# the Shandong minimum-wage table:
#   - cases filed with past `received` dates (a collective case of 12
#     workers, a poverty-alleviated worker, migrant workers, plain cases),
#     some long overdue; their intake clocks run from `received`, the
#     acceptance clock in working days (办案规则 Art 80, to confirm);
#   - acceptance (accept: tribunal mediation; accept_arbitration) starts
#     the award clock (45 days from acceptance, Art 43), the service on
#     the respondent and the tribunal's notice (5 working days each);
#   - `wagectl --json due` (default, --within N, --overdue, --mine,
#     --limit) lists
#     the right clocks in the right order (priority: collective,
#     poverty_alleviated, migrant, none; then the due date; then the id),
#     with due dates and days left worked out here by CLOCKTOOL from the
#     schedules read as text, not by the server's code;
#   - a union station sees only its own organisation's cases, a Qingdao
#     clerk none of Jinan's; auditor and admin have no work list;
#   - assign and claim feed --mine (name and organisation must match);
#   - an extension by anyone but the chair is FORBIDDEN, one above 15
#     days INVALID_ARGUMENT, a second one ILLEGAL_TRANSITION, and none of
#     them changes the case;
#   - suspend/resume moves the award's due date: the server is restarted
#     "6 days later" and "9 days later" (SHIFTCLOCK_SO, an LD_PRELOAD shim
#     that moves time() only), so the suspended days really pass;
#   - an award at exactly 12 x the monthly minimum wage is final, one fen
#     above is not; the award itself opens no window: the challenge
#     windows (Arts 48-50) run from each party's receipt of the award
#     (serve), the employer's served days later than the worker's;
#   - a year with no schedule: with cn-2026.yaml taken away, 2026 counts
#     the statutory holidays of policies/calendar/statutory-holidays.yaml
#     (National Day, the Spring Festival) and weekends, provisionally; put
#     back, the next start recomputes the due dates;
#   - the worker's side ends tribunal mediation the day it began, and the
#     award clock of acceptance keeps running; the chair's extension after
#     the 45 days ran out is refused.
#   - an automatic event (server/sweep.c), with the fixture policy
#     tests/data/policies/clocks-auto-award.yaml and a sweep every second:
#     a non-final award is left alone while its challenge window runs (day
#     +10) and takes effect by itself once it ran out (day +30): the
#     server fires award_effective_auto as the system actor, history and
#     the audit chain (on the server and exported, offline) show it, the
#     case leaves the work list, and later passes do nothing more.
# "Today" (Asia/Shanghai) is read once after the start: a run across
# midnight there (16:00 UTC) may report false failures.
# Output: failures as they happen, then `clocks: N passed, M failed`; the
# exit status is non-zero on any failure. Set VERBOSE=1 to see each check.
# Needs POSIX sh, coreutils, grep, awk, sort and diff.

set -u
if [ $# -ne 4 ]; then
	echo "usage: $0 SERVER WAGECTL CLOCKTOOL SHIFTCLOCK_SO" >&2
	exit 2
fi
SERVER=$1
WAGECTL=$2
TOOL=$3
SHIFT=$4
case $SHIFT in
/*) ;;
*) SHIFT=$(pwd)/$SHIFT ;;
esac
for f in "$SERVER" "$WAGECTL" "$TOOL" "$SHIFT"; do
	if [ ! -f "$f" ]; then
		echo "clocks: $f is missing: run make clocks" >&2
		exit 2
	fi
done
LC_ALL=C
export LC_ALL
CAL=policies/calendar
T=$(mktemp -d "${TMPDIR:-/tmp}/wage-clocks.XXXXXX") || exit 2
# shellcheck disable=SC2034 # SPID: lib.sh's start_server and stop_server
SPID=""
. tests/lib.sh
cleanup() { stop_server; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

PASS=0
FAIL=0
ok() {
	PASS=$((PASS + 1))
	if [ -n "${VERBOSE:-}" ]; then echo "clocks: ok   $1"; fi
}
bad() {
	FAIL=$((FAIL + 1))
	echo "clocks: FAIL $1"
}
# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
# check_files NAME GOT_FILE WANT_FILE
check_files() {
	if diff -u "$3" "$2" >"$T/diff" 2>&1; then
		ok "$1"
	else
		bad "$1 (- want, + got):"
		sed 's/^/    /' "$T/diff"
	fi
}

# ---- the server, its PKI, and wagectl per role ----------------------

mkpki "$T/pki"
PORT=$(freeport 5)
mkconf "$T/conf" "$PORT"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt

# start_at DAYS [CONF]: start the server (configuration CONF, default
# $T/conf) as if DAYS days from now (0: plainly), wait for READY, and use
# fresh session files.
start_at() {
	if [ "$1" -eq 0 ]; then
		start_server "${2:-$T/conf}" "$T/log"
	else
		start_server "${2:-$T/conf}" "$T/log" LD_PRELOAD="$SHIFT" \
			WAGE_TEST_DAYS_AHEAD="$1" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
	fi || {
		echo "clocks: the server did not start (day +$1)" >&2
		exit 1
	}
	XDG_RUNTIME_DIR=$T/sess.$1
	mkdir -p "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
	export XDG_RUNTIME_DIR
}

# ctl ROLE ARGS...: wagectl --json as that role; output in $T/out,
# stderr in $T/err, exit status in $RC.
ctl() {
	r=$1
	shift
	WAGE_CERT=$T/pki/$r.crt WAGE_KEY=$T/pki/$r.key \
		"$WAGECTL" --json "$@" >"$T/out" 2>"$T/err"
	RC=$?
}
# ctl_ok NAME ROLE ARGS...: as ctl, counted as a check that it worked.
ctl_ok() {
	n=$1
	shift
	ctl "$@"
	if [ "$RC" -eq 0 ]; then
		ok "$n"
	else
		bad "$n: exit $RC: $(cat "$T/err")"
	fi
}
# refused NAME CODE FIELD ROLE ARGS...: exit 1 with that error code (and
# field, unless -).
refused() {
	n=$1
	code=$2
	field=$3
	shift 3
	ctl "$@"
	if [ "$RC" -ne 1 ] || ! grep -q "^error: $code: " "$T/err"; then
		bad "$n: want $code, got exit $RC: $(cat "$T/err")"
	elif [ "$field" != - ] && ! grep -q "(field: $field)" "$T/err"; then
		bad "$n: want field $field: $(cat "$T/err")"
	else
		ok "$n"
	fi
}
get() { "$TOOL" get "$T/out" "$1"; }

# ---- filings -----------------------------------------------------------

CC=$("$TOOL" credit 91370100MA3C5XY80)
GC=$("$TOOL" credit 91370000163044512)
NAMES="王强 刘伟 张磊 赵军 孙涛 周勇 吴斌 郑刚 冯超 陈亮 褚杰 卫东"
UNION_REP='{"kind": "union", "organisation": "济南市历下区总工会工会驿站",
 "name": "陈静", "authority": {"scope": ["file", "mediate", "arbitrate",
 "receive_payment"], "document": "授权委托书 2026-历下-017"}}'

# mkcase FILE RECEIVED CHANNEL WORKERS MIGRANT POVERTY ITEMS SEQ: a filing
# in 370102; union_station filings carry the union's power of attorney;
# 10+ workers elect representatives 0, 1 and 2. SEQ keeps ID numbers
# apart between cases.
mkcase() {
	f=$1 received=$2 channel=$3 n=$4 mig=$5 pov=$6 items=$7 seq=$8
	{
		echo "{\"channel\": \"$channel\", \"received\": \"$received\","
		echo " \"region\": \"370102\", \"claimants\": ["
		i=0
		for name in $NAMES; do
			[ $i -lt "$n" ] || break
			id=$("$TOOL" idnum 370124 "1980$(printf %02d $((i + 1)))15" \
				$((seq * 20 + i)))
			[ $i -eq 0 ] || echo ","
			printf '{"name": "%s", "id_number": "%s", ' "$name" "$id"
			printf '"phone": "139100%05d", ' $((seq * 20 + i))
			printf '"migrant_worker": %s, "poverty_alleviated": %s}' \
				"$mig" "$pov"
			i=$((i + 1))
		done
		echo "],"
		echo " \"respondent\": {\"name\": \"济南某建筑劳务有限公司\","
		echo "  \"credit_code\": \"$CC\"},"
		echo " \"project\": {\"name\": \"历下区某安置房项目\","
		echo "  \"general_contractor\": {\"name\": \"山东某建工集团有限公司\","
		echo "  \"credit_code\": \"$GC\"}},"
		echo " \"claim\": {\"items\": $items,"
		echo "  \"period\": {\"from\": \"2024-01\", \"to\": \"2024-06\"}},"
		echo " \"facts\": \"被拖欠工资。\""
		if [ "$channel" = union_station ]; then
			echo ", \"representative\": $UNION_REP"
		fi
		# Filed more than the policy's 30 days after it arrived: a
		# clerk's late record, with a reason (issue 13, part 9).
		if [ "$channel" = walk_in ] && [ "$(expr "$received" \< \
		    "$("$TOOL" plus "$("$TOOL" today)" -30)")" = 1 ]; then
			echo ", \"received_reason\": \"纸质申请书补录\""
		fi
		if [ "$n" -ge 10 ]; then
			echo ", \"representatives\": [0, 1, 2]"
		fi
		echo "}"
	} >"$f"
}

# file_case NAME ROLE FILE: file it; the new id in $ID.
file_case() {
	ctl_ok "file $1" "$2" file "$3"
	ID=$(get id)
	check "file $1: received kept" "$(get received)" \
		"$(grep -o '"received": "[0-9-]*"' "$3" | cut -d'"' -f4)"
}

start_at 0
TODAY=$("$TOOL" today)
D1=$("$TOOL" plus "$TODAY" -1)
D2=$("$TOOL" plus "$TODAY" -2)
D3=$("$TOOL" plus "$TODAY" -3)
WAGES='[{"kind": "wages", "amount_fen": 1860000}]'

mkcase "$T/col.json" "$D1" union_station 12 true false \
	'[{"kind": "wages", "amount_fen": 25800000}]' 1
mkcase "$T/pov.json" 2024-02-05 walk_in 1 false true "$WAGES" 2
mkcase "$T/mig.json" "$D3" walk_in 1 true false "$WAGES" 3
mkcase "$T/pln.json" 2024-08-20 walk_in 1 false false "$WAGES" 4
mkcase "$T/upl.json" "$TODAY" union_station 1 false false "$WAGES" 5
mkcase "$T/mig2.json" 2024-09-26 walk_in 1 true false "$WAGES" 6
mkcase "$T/arb.json" "$D2" walk_in 1 false false "$WAGES" 7
mkcase "$T/awd.json" "$D2" walk_in 1 true false \
	'[{"kind": "wages", "amount_fen": 2640000},
	  {"kind": "overtime", "amount_fen": 2640001}]' 8
mkcase "$T/awd1.json" "$D2" walk_in 1 true false \
	'[{"kind": "wages", "amount_fen": 2640000}]' 9

file_case collective union "$T/col.json"
COL=$ID
file_case poverty clerk "$T/pov.json"
POV=$ID
file_case migrant clerk "$T/mig.json"
MIG=$ID
file_case plain clerk "$T/pln.json"
PLN=$ID
file_case "union plain" union "$T/upl.json"
UPL=$ID
file_case "migrant 2024" clerk "$T/mig2.json"
MIG2=$ID

# ---- intake clocks from `received`, by hand ---------------------------

ctl_ok "show poverty" clerk show "$POV"
check "poverty: collective flag off" "$(get priority.collective)" false
check "poverty: flag" "$(get priority.poverty_alleviated)" true
check "poverty: acceptance from received" "$(get clocks.acceptance.start)" \
	2024-02-05
check "poverty: acceptance in working days" "$(get clocks.acceptance.unit)" \
	working_days
# Mon 02-05 + 5 working days: 02-06, 02-07, 02-08, 02-09, then the Spring
# Festival break (02-10..02-17), then Sun 02-18, a working weekend. (In 5
# calendar days, DOMAIN.md's worked example, the date is the same: Sat
# 02-10 rolls over the break to 02-18.)
check "poverty: acceptance due" "$(get clocks.acceptance.due)" 2024-02-18
check "poverty: clocktool agrees (working days)" \
	"$(get clocks.acceptance.due)" \
	"$("$TOOL" due "$CAL" 2024-02-05 5 working_days | cut -d' ' -f1)"
# + 30 = Wed 03-06.
check "poverty: fast_track due" "$(get clocks.fast_track.due)" 2024-03-06
check "poverty: acceptance days left" "$(get clocks.acceptance.days_left)" \
	"$("$TOOL" diff "$TODAY" 2024-02-18)"
check "poverty: overdue" "$(get overdue)" true
check "poverty: fast_track is a target" "$(get clocks.fast_track.target)" \
	true
ctl_ok "show plain" clerk show "$PLN"
# Tue 08-20 + 5 working days: 08-21, 08-22, 08-23, 08-26, 08-27 (in
# calendar days it would be Sun 08-25, so Mon 08-26). + 30 = Thu 09-19.
check "plain: acceptance due" "$(get clocks.acceptance.due)" 2024-08-27
check "plain: fast_track due" "$(get clocks.fast_track.due)" 2024-09-19
ctl_ok "show collective" union show "$COL"
check "collective: flag" "$(get priority.collective)" true
check "collective: acceptance from received" \
	"$(get clocks.acceptance.start)" "$D1"

# ---- the work list ------------------------------------------------------

: >"$T/exp.all"
# expect ID RANK CLOCK START LENGTH UNIT [FROM TO]...: one expected entry
# "rank due id clock days_left order" (days left as of $NOW; order: the
# clock's place in the policy's clocks:).
NOW=$TODAY
CLOCK_ORDER="acceptance mediation payment award service_respondent defence
tribunal fast_track inspection_accept inspection_investigate order_payment
challenge_worker challenge_employer challenge_nonfinal_worker
challenge_nonfinal_employer suit_after_set_aside"
expect() {
	e_id=$1 e_rank=$2 e_clock=$3
	shift 3
	e_due=$("$TOOL" due "$CAL" "$@" | cut -d' ' -f1)
	e_ord=$(echo $CLOCK_ORDER | tr ' ' '\n' | grep -n "^$e_clock\$" |
		cut -d: -f1)
	echo "$e_rank $e_due $e_id $e_clock $("$TOOL" diff "$NOW" "$e_due")" \
		"$e_ord" >>"$T/exp.all"
}
# want FILTER_AWK: the expected entries the filter keeps, in the order
# the server must give (rank, due date, id; the clocks of one case due
# the same day, such as service_respondent and tribunal, in the policy's
# order), as clocktool entries prints them.
want() {
	awk "$1" "$T/exp.all" | sort -k1,1n -k2,2 -k3,3 -k6,6n | awk '
	    BEGIN { l[0] = "collective"; l[1] = "poverty_alleviated";
	            l[2] = "migrant"; l[3] = "none" }
	    { print $3, $4, $2, $5, l[$1] }'
}
# check_due NAME ROLE FILTER_AWK [due options...]
check_due() {
	n=$1 role=$2 filter=$3
	shift 3
	ctl_ok "$n: due" "$role" due "$@"
	"$TOOL" entries "$T/out" >"$T/got"
	want "$filter" >"$T/want"
	check_files "$n: entries in order" "$T/got" "$T/want"
	check "$n: as_of" "$(get as_of)" "$NOW"
	check "$n: total" "$(get total)" "$(wc -l <"$T/want" | tr -d ' ')"
}

for c in "$COL 0 $D1" "$POV 1 2024-02-05" "$MIG 2 $D3" "$PLN 3 2024-08-20" \
	"$UPL 3 $TODAY" "$MIG2 2 2024-09-26"; do
	set -- $c
	expect "$1" "$2" acceptance "$3" 5 working_days
	expect "$1" "$2" fast_track "$3" 30 calendar_days
done
check_due "clerk, within 3650" clerk '$5 <= 3650' --within 3650
check_due "clerk, default (within 7)" clerk '$5 <= 7'
check_due "clerk, within 0" clerk '$5 <= 0' --within 0
check_due "clerk, overdue" clerk '$5 < 0' --overdue
# --limit: the first 3 in the same order; total still counts them all.
ctl_ok "clerk, limit 3: due" clerk due --within 3650 --limit 3
want '$5 <= 3650' >"$T/want"
head -3 "$T/want" >"$T/want3"
"$TOOL" entries "$T/out" >"$T/got"
check_files "clerk, limit 3: the first three" "$T/got" "$T/want3"
check "clerk, limit 3: truncated" "$(get truncated)" true
check "clerk, limit 3: total" "$(get total)" "$(wc -l <"$T/want" | tr -d ' ')"
# The union station: only the cases it filed.
check_due "union, within 3650" union \
	"\$3 == \"$COL\" || \$3 == \"$UPL\"" --within 3650
# The Qingdao clerk sees nothing of Jinan's.
check_due "Qingdao clerk" clerk_qd '0' --within 3650
refused "auditor has no work list" FORBIDDEN - auditor due
refused "admin has no work list" FORBIDDEN - admin due
refused "due --within -1" INVALID_ARGUMENT within clerk due --within -1

# ---- assignment: --mine --------------------------------------------------

ctl_ok "assign poverty to 李明" clerk act "$POV" assign \
	--set assignee=李明 --set assignee_org=济南市劳动人事争议仲裁院
# Same name, another office: not the mediator's case.
ctl_ok "assign plain to another 李明" clerk act "$PLN" assign \
	--set assignee=李明 --set assignee_org=青岛市劳动人事争议仲裁院
# Accepted, the tribunal mediates (Art 42) inside the 45 days of
# acceptance (Art 43): the award clock starts today, not when mediation
# ends, with the service on the respondent (Art 30) and the tribunal's
# notice (Art 32); the 15 days of 案前调解 (clock mediation) are not run.
ctl_ok "accept migrant" clerk act "$MIG" accept
ctl_ok "mediator claims migrant" mediator act "$MIG" claim
ctl_ok "show migrant" mediator show "$MIG"
check "migrant: in tribunal mediation" "$(get state)" mediation
check "migrant: assigned name" "$(get assigned.name)" 李明
check "migrant: assigned role" "$(get assigned.role)" mediator
check "migrant: acceptance stopped" "$(get clocks.acceptance.state)" stopped
check "migrant: award clock from acceptance" "$(get clocks.award.start)" \
	"$TODAY"
check "migrant: award due (45)" "$(get clocks.award.due)" \
	"$("$TOOL" due "$CAL" "$TODAY" 45 calendar_days | cut -d' ' -f1)"
for c in service_respondent tribunal; do
	check "migrant: $c from acceptance" "$(get clocks.$c.start)" "$TODAY"
	check "migrant: $c due (5 working days)" "$(get clocks.$c.due)" \
		"$("$TOOL" due "$CAL" "$TODAY" 5 working_days | cut -d' ' -f1)"
done
check "migrant: no 案前调解 clock" "$(get clocks.mediation)" absent
# The work list now: migrant's acceptance is stopped; the award, the
# service on the respondent and the tribunal's notice run.
grep -v " $MIG acceptance " "$T/exp.all" >"$T/exp.tmp"
mv "$T/exp.tmp" "$T/exp.all"
expect "$MIG" 2 award "$TODAY" 45 calendar_days
expect "$MIG" 2 service_respondent "$TODAY" 5 working_days
expect "$MIG" 2 tribunal "$TODAY" 5 working_days
check_due "mediator, mine" mediator \
	"\$3 == \"$POV\" || \$3 == \"$MIG\"" --mine --within 3650
check_due "mediator, all" mediator '$5 <= 3650' --within 3650
check_due "clerk, mine (nothing assigned)" clerk '0' --mine --within 3650

# ---- extension (Art 43): the chair, once, at most 15 days -----------------

file_case arbitration clerk "$T/arb.json"
ARB=$ID
ctl_ok "accept for arbitration" clerk act "$ARB" accept_arbitration \
	--set reason=申请人不同意调解
AWARD45=$("$TOOL" due "$CAL" "$TODAY" 45 calendar_days | cut -d' ' -f1)
AWARD55=$("$TOOL" due "$CAL" "$TODAY" 55 calendar_days | cut -d' ' -f1)
# 1: a due date in a year with no schedule yet (weekends only).
PROV45=$("$TOOL" due "$CAL" "$TODAY" 45 calendar_days | cut -d' ' -f2)
PROV45=$(if [ "$PROV45" = 1 ]; then echo true; else echo false; fi)
ctl_ok "show arbitration" clerk show "$ARB"
check "award clock from today" "$(get clocks.award.start)" "$TODAY"
check "award due (45)" "$(get clocks.award.due)" "$AWARD45"
check "award due provisional or not" "$(get clocks.award.provisional)" \
	"$PROV45"
REV=$(get revision)
refused "arbitrator extends" FORBIDDEN event arbitrator act "$ARB" extend \
	--set days=10 --set reason=案情复杂
refused "clerk extends" FORBIDDEN event clerk act "$ARB" extend \
	--set days=10 --set reason=案情复杂
refused "chair extends by 16" INVALID_ARGUMENT fields.days chair act \
	"$ARB" extend --set days=16 --set reason=案情复杂
ctl_ok "show after refusals" clerk show "$ARB"
check "refusals changed nothing: revision" "$(get revision)" "$REV"
check "refusals changed nothing: due" "$(get clocks.award.due)" "$AWARD45"
ctl_ok "chair extends by 10" chair act "$ARB" extend --set days=10 \
	--set reason=案情复杂
ctl_ok "show extended" clerk show "$ARB"
check "award due (45 + 10)" "$(get clocks.award.due)" "$AWARD55"
check "extended days" "$(get clocks.award.extended_days)" 10
REV=$(get revision)
refused "chair extends again" ILLEGAL_TRANSITION event chair act "$ARB" \
	extend --set days=5 --set reason=仍需调查
ctl_ok "show after second extension" clerk show "$ARB"
check "second extension changed nothing: revision" "$(get revision)" "$REV"
check "second extension changed nothing: due" "$(get clocks.award.due)" \
	"$AWARD55"
ctl_ok "arbitrator suspends" arbitrator act "$ARB" suspend \
	--set reason=等待工伤认定结论
ctl_ok "show suspended" clerk show "$ARB"
check "award suspended" "$(get clocks.award.state)" suspended
check "suspended today: due unchanged" "$(get clocks.award.due)" "$AWARD55"
refused "suspend twice" ILLEGAL_TRANSITION event arbitrator act "$ARB" \
	suspend --set reason=x

# ---- the award (Art 47): 12 x the minimum wage in force -------------------

# 370102 历下区 is tier 1: 12 x 2200 yuan (from 2023-10-01) = 2640000 fen.
file_case award clerk "$T/awd.json"
AWD=$ID
ctl_ok "accept award case" clerk act "$AWD" accept_arbitration \
	--set reason=申请人不同意调解
refused "resume a running clock" ILLEGAL_TRANSITION event arbitrator act \
	"$AWD" resume
ctl_ok "award" arbitrator act "$AWD" award --set amount_fen=5280001 \
	--set award_date="$TODAY"
ctl_ok "show award" arbitrator show "$AWD"
check "award state" "$(get state)" awarded
check "award limit" "$(get award.limit_fen)" 2640000
check "award minimum wage" "$(get award.minimum_wage_fen)" 220000
check "item at 12 x is final" "$(get award.items.0.final)" true
check "item one fen above is not" "$(get award.items.1.final)" false
check "award clock stopped" "$(get clocks.award.state)" stopped
for c in service_respondent tribunal; do
	check "award stops $c" "$(get clocks.$c.state)" stopped
done
# The award opens no window by itself (Arts 48-50: from receipt).
for c in challenge_worker challenge_employer challenge_nonfinal_worker \
	challenge_nonfinal_employer; do
	check "$c not open before service" "$(get clocks.$c)" absent
done
# serve_award NAME ID PARTY DATE: the award served on PARTY, received DATE.
serve_award() {
	ctl_ok "$1" clerk act "$2" serve --set document=award --set party="$3" \
		--set method=direct --set served_on="$4"
}
# check_window NAME CLOCK LENGTH FROM: a party's window runs from FROM,
# as a window of that party.
check_window() {
	d=$("$TOOL" due "$CAL" "$4" "$3" calendar_days | cut -d' ' -f1)
	check "$1: $2 runs" "$(get clocks.$2.state)" running
	check "$1: $2 from the party's receipt" "$(get clocks.$2.start)" "$4"
	check "$1: $2 due" "$(get clocks.$2.due)" "$d"
	check "$1: $2 days left" "$(get clocks.$2.days_left)" \
		"$("$TOOL" diff "$NOW" "$d")"
	check "$1: $2 is a window" "$(get clocks.$2.window)" true
}
# A mixed award served on the worker today opens the worker's windows
# only: the employer's wait for the employer's own receipt (day +6).
serve_award "serve the award on the worker" "$AWD" worker "$TODAY"
ctl_ok "show award served on the worker" arbitrator show "$AWD"
check_window "mixed, worker served" challenge_worker 15 "$TODAY"
check_window "mixed, worker served" challenge_nonfinal_worker 15 "$TODAY"
check "mixed, worker served: worker's party" \
	"$(get clocks.challenge_worker.party)" worker
check "mixed, worker served: no set-aside window yet" \
	"$(get clocks.challenge_employer)" absent
check "mixed, worker served: no employer suit window yet" \
	"$(get clocks.challenge_nonfinal_employer)" absent
REV=$(get revision)
refused "serve the award on the worker twice" ILLEGAL_TRANSITION \
	fields.document clerk act "$AWD" serve --set document=award \
	--set party=worker --set method=direct --set served_on="$TODAY"
ctl_ok "show after serving twice" arbitrator show "$AWD"
check "serving twice changed nothing" "$(get revision)" "$REV"
file_case "award, final only" clerk "$T/awd1.json"
AWD1=$ID
ctl_ok "accept final-only case" clerk act "$AWD1" accept_arbitration \
	--set reason=申请人不同意调解
ctl_ok "award final only" arbitrator act "$AWD1" award \
	--set amount_fen=2640000 --set award_date="$TODAY"
serve_award "final only: serve the worker" "$AWD1" worker "$TODAY"
serve_award "final only: serve the employer" "$AWD1" employer "$TODAY"
ctl_ok "show final only" arbitrator show "$AWD1"
check "final only: item final" "$(get award.items.0.final)" true
check_window "final only" challenge_worker 15 "$TODAY"
check_window "final only" challenge_employer 30 "$TODAY"
check "final only: the employer's party" \
	"$(get clocks.challenge_employer.party)" employer
check "final only: no non-final window (worker)" \
	"$(get clocks.challenge_nonfinal_worker)" absent
check "final only: no non-final window (employer)" \
	"$(get clocks.challenge_nonfinal_employer)" absent

# The arbitrator's work list now holds everything of 3701xx still running.
expect "$ARB" 3 fast_track "$D2" 30 calendar_days
expect "$ARB" 3 award "$TODAY" 55 calendar_days
expect "$ARB" 3 service_respondent "$TODAY" 5 working_days
expect "$ARB" 3 tribunal "$TODAY" 5 working_days
for c in "$AWD" "$AWD1"; do
	expect "$c" 2 fast_track "$D2" 30 calendar_days
	expect "$c" 2 challenge_worker "$TODAY" 15 calendar_days
done
expect "$AWD" 2 challenge_nonfinal_worker "$TODAY" 15 calendar_days
expect "$AWD1" 2 challenge_employer "$TODAY" 30 calendar_days
check_due "arbitrator, all" arbitrator '$5 <= 3650' --within 3650

# ---- suspension: days that pass do not count -----------------------------

# Six days later, still suspended: the due date has moved by six days.
stop_server
start_at 6
NOW=$("$TOOL" today 6)
D6=$NOW
DUE6=$("$TOOL" due "$CAL" "$TODAY" 55 calendar_days "$TODAY" "$D6" |
	cut -d' ' -f1)
ctl_ok "day +6: show" clerk show "$ARB"
check "day +6: still suspended" "$(get clocks.award.state)" suspended
check "day +6: due moved by the open suspension" \
	"$(get clocks.award.due)" "$DUE6"
check "day +6: days left" "$(get clocks.award.days_left)" \
	"$("$TOOL" diff "$NOW" "$DUE6")"
ctl_ok "day +6: resume" arbitrator act "$ARB" resume --set reason=已取得结论
ctl_ok "day +6: show resumed" clerk show "$ARB"
check "day +6: running" "$(get clocks.award.state)" running
check "day +6: due after resume" "$(get clocks.award.due)" "$DUE6"
ctl_ok "day +6: due" clerk due --within 3650
check "day +6: as_of" "$(get as_of)" "$NOW"
# The employer receives the mixed award six days after the worker: its
# windows run from its own receipt; the worker's keep theirs.
serve_award "day +6: serve the award on the employer" "$AWD" employer "$D6"
ctl_ok "day +6: show award" arbitrator show "$AWD"
check_window "day +6, employer served" challenge_employer 30 "$D6"
check_window "day +6, employer served" challenge_nonfinal_employer 15 "$D6"
check_window "day +6, employer served" challenge_worker 15 "$TODAY"
check_window "day +6, employer served" challenge_nonfinal_worker 15 "$TODAY"

# Nine days later: the suspension is closed, the due date stays.
stop_server
start_at 9
NOW=$("$TOOL" today 9)
ctl_ok "day +9: show" clerk show "$ARB"
check "day +9: due kept" "$(get clocks.award.due)" "$DUE6"
check "day +9: days left" "$(get clocks.award.days_left)" \
	"$("$TOOL" diff "$NOW" "$DUE6")"
ctl_ok "day +9: poverty still overdue" clerk show "$POV"
check "day +9: acceptance days left" \
	"$(get clocks.acceptance.days_left)" "$("$TOOL" diff "$NOW" 2024-02-18)"

# ---- a year with no schedule: the statutory holidays ----------------------

# The same server and database with the 2026 schedule taken away: 2026 is
# counted on weekends and the holidays the law fixes, provisionally.
stop_server
mkdir "$T/cal-no2026"
cp "$CAL/cn-2024.yaml" "$CAL/cn-2025.yaml" "$CAL/statutory-holidays.yaml" \
	"$T/cal-no2026/"
mkconf "$T/conf-no2026" "$PORT" "calendar: $T/cal-no2026"
start_at 9 "$T/conf-no2026"
mkcase "$T/nd.json" 2026-09-26 walk_in 1 false false "$WAGES" 10
mkcase "$T/sf.json" 2026-02-11 walk_in 1 false false "$WAGES" 11
mkcase "$T/ft.json" 2026-09-01 walk_in 1 false false "$WAGES" 12
file_case "national day 2026" clerk "$T/nd.json"
ND=$ID
file_case "spring festival 2026" clerk "$T/sf.json"
SF=$ID
file_case "fast track over national day 2026" clerk "$T/ft.json"
FT=$ID
# Acceptance, 5 working days. Sat 09-26: Mon 09-28, 09-29, 09-30, then
# National Day 10-01..10-03 and the weekend, Mon 10-05, Tue 10-06
# (weekends alone: 10-02; the schedule: 10-09).
ctl_ok "no 2026 schedule: show national day" clerk show "$ND"
check "no 2026 schedule: acceptance over National Day" \
	"$(get clocks.acceptance.due)" 2026-10-06
check "no 2026 schedule: clocktool agrees" "$(get clocks.acceptance.due)" \
	"$("$TOOL" due "$T/cal-no2026" 2026-09-26 5 working_days |
		cut -d' ' -f1)"
check "no 2026 schedule: provisional" \
	"$(get clocks.acceptance.provisional)" true
# Wed 02-11: Thu 02-12, Fri 02-13, then the weekend and Spring Festival
# eve Mon 02-16 to Thu 02-19 (初三), Fri 02-20, Mon 02-23, Tue 02-24
# (weekends alone: 02-18; the schedule, 02-14 a working Saturday and
# 02-15..02-23 off: 02-25).
ctl_ok "no 2026 schedule: show spring festival" clerk show "$SF"
check "no 2026 schedule: acceptance over the Spring Festival" \
	"$(get clocks.acceptance.due)" 2026-02-24
check "no 2026 schedule: clocktool agrees on the Spring Festival" \
	"$(get clocks.acceptance.due)" \
	"$("$TOOL" due "$T/cal-no2026" 2026-02-11 5 working_days |
		cut -d' ' -f1)"
check "no 2026 schedule: Spring Festival provisional" \
	"$(get clocks.acceptance.provisional)" true
# Calendar days roll over the rest days (民事诉讼法 Art 85): Tue 09-01 +
# 30 (the fast-track target) is Thu 10-01, National Day 10-01..10-03 and
# the weekend, so Mon 10-05 (the schedule: 10-08).
ctl_ok "no 2026 schedule: show fast track" clerk show "$FT"
check "no 2026 schedule: fast track rolls over National Day" \
	"$(get clocks.fast_track.due)" 2026-10-05
check "no 2026 schedule: clocktool agrees on the fast track" \
	"$(get clocks.fast_track.due)" \
	"$("$TOOL" due "$T/cal-no2026" 2026-09-01 30 calendar_days |
		cut -d' ' -f1)"
check "no 2026 schedule: fast track provisional" \
	"$(get clocks.fast_track.provisional)" true
ctl_ok "no 2026 schedule: poverty (2024) unchanged" clerk show "$POV"
check "no 2026 schedule: 2024 due kept" "$(get clocks.acceptance.due)" \
	2024-02-18
check "no 2026 schedule: 2024 not provisional" \
	"$(get clocks.acceptance.provisional)" false

# The schedule comes back: the next start recomputes, firm.
stop_server
start_at 9
ctl_ok "2026 schedule back: show national day" clerk show "$ND"
check "2026 schedule back: National Day due" "$(get clocks.acceptance.due)" \
	2026-10-09
check "2026 schedule back: not provisional" \
	"$(get clocks.acceptance.provisional)" false
ctl_ok "2026 schedule back: show spring festival" clerk show "$SF"
check "2026 schedule back: Spring Festival due" \
	"$(get clocks.acceptance.due)" 2026-02-25
check "2026 schedule back: Spring Festival not provisional" \
	"$(get clocks.acceptance.provisional)" false
ctl_ok "2026 schedule back: show fast track" clerk show "$FT"
check "2026 schedule back: fast track due" "$(get clocks.fast_track.due)" \
	2026-10-08
check "2026 schedule back: fast track not provisional" \
	"$(get clocks.fast_track.provisional)" false

# ---- mediation is voluntary; the extension comes in time ------------------

# The worker's side leaves tribunal mediation on the day it began (Arts 5,
# 14); the award clock of acceptance runs on (Art 43).
NOW=$("$TOOL" today 9)
mkcase "$T/vol.json" "$NOW" union_station 1 true false "$WAGES" 9
file_case "voluntary mediation" union "$T/vol.json"
VOL=$ID
ctl_ok "voluntary: accept" clerk act "$VOL" accept
ctl_ok "voluntary: the union ends mediation the same day" union act "$VOL" \
	apply_arbitration --set reason=劳动者不愿继续调解
ctl_ok "voluntary: show" clerk show "$VOL"
check "voluntary: in arbitration" "$(get state)" arbitration
check "voluntary: award clock runs on" "$(get clocks.award.state)" running
check "voluntary: award clock from acceptance" "$(get clocks.award.start)" \
	"$NOW"
check "voluntary: award due (45 from acceptance)" \
	"$(get clocks.award.due)" \
	"$("$TOOL" due "$CAL" "$NOW" 45 calendar_days | cut -d' ' -f1)"

# Art 43: the chair extends the award period before it runs out, not after.
mkcase "$T/late.json" "$NOW" walk_in 1 false false "$WAGES" 10
file_case "late extension" clerk "$T/late.json"
LATE=$ID
ctl_ok "late: accept for arbitration" clerk act "$LATE" accept_arbitration \
	--set reason=申请人不同意调解
LATEDUE=$("$TOOL" due "$CAL" "$NOW" 45 calendar_days | cut -d' ' -f1)
stop_server
start_at 70
ctl_ok "day +70: show late" clerk show "$LATE"
check "day +70: award due" "$(get clocks.award.due)" "$LATEDUE"
check "day +70: award overdue" "$(get clocks.award.overdue)" true
REV=$(get revision)
refused "day +70: chair extends after the 45 days ran out" \
	ILLEGAL_TRANSITION event chair act "$LATE" extend --set days=10 \
	--set reason=案情复杂
ctl_ok "day +70: show after the refusal" clerk show "$LATE"
check "late extension changed nothing: revision" "$(get revision)" "$REV"
check "late extension changed nothing: due" "$(get clocks.award.due)" \
	"$LATEDUE"
ctl_ok "audit chain verifies" auditor audit verify

# ---- automatic events: a non-final award takes effect by itself ----------

# A server of its own (database db-auto) with the fixture policy
# tests/data/policies/clocks-auto-award.yaml: the shipped one plus
# award_effective_auto (awarded -> closed_awarded; automatic: true,
# after_expiry_all: [challenge_nonfinal]: Art 50, no suit within the 15
# days), a sweep every second.
stop_server
mkconf "$T/conf-auto" "$PORT" "db: $T/db-auto" \
	"policy: $(pwd)/tests/data/policies/clocks-auto-award.yaml" \
	"calendar: $(pwd)/$CAL" "minimum_wage: $(pwd)/policies/minimum-wage" \
	"sweep_interval: 1"
# start_auto DAYS: that server as if DAYS days from now, with sessions of
# its own (its token key is another database's).
start_auto() {
	start_at "$1" "$T/conf-auto"
	XDG_RUNTIME_DIR=$T/sess-auto.$1
	mkdir -p "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
}
# sweeps: the passes the server's log reports so far; fired: the events
# it fired. wait_sweeps N: until N passes are done (bounded: 15 s).
sweeps() { grep -c '^sweep: [0-9]* case(s) in a state' "$T/log"; }
fired() { grep -c '^sweep: WA[0-9-]*: [a-z_]* fired ' "$T/log"; }
wait_sweeps() {
	_n=0
	until [ "$(sweeps)" -ge "$1" ]; do
		_n=$((_n + 1))
		if [ $_n -gt 600 ] || ! server_running; then
			bad "the server's sweep did not run $1 time(s):"
			sed 's/^/    | /' "$T/log" | tail -5
			return 1
		fi
		sleep 0.025
	done
}

start_auto 0
NOW=$TODAY
mkcase "$T/auto.json" "$NOW" walk_in 1 true false \
	'[{"kind": "wages", "amount_fen": 2640001}]' 13
file_case "automatic: non-final award" clerk "$T/auto.json"
AUTO=$ID
ctl_ok "automatic: accept for arbitration" clerk act "$AUTO" \
	accept_arbitration --set reason=申请人不同意调解
ctl_ok "automatic: award, one fen above 12 x" arbitrator act "$AUTO" award \
	--set amount_fen=2640001 --set award_date="$NOW"
ctl_ok "automatic: show the award" clerk show "$AUTO"
check "automatic: not final" "$(get award.items.0.final)" false
check "automatic: the window runs" \
	"$(get clocks.challenge_nonfinal.state)" running
AUTODUE=$("$TOOL" due "$CAL" "$NOW" 15 calendar_days | cut -d' ' -f1)
check "automatic: window due" "$(get clocks.challenge_nonfinal.due)" \
	"$AUTODUE"
ctl_ok "automatic: the policy shows the event" clerk policy
check "automatic: policy.get marks it automatic" \
	"$(get events.33.name) $(get events.33.automatic)" \
	"award_effective_auto true"
check "automatic: policy.get names its clocks" \
	"$(get events.33.after_expiry_all.0)" challenge_nonfinal
refused "automatic: nobody fires it by hand" FORBIDDEN event clerk act \
	"$AUTO" award_effective_auto

# Ten days on, the window still runs: passes come and go, nothing moves.
stop_server
start_auto 10
NOW=$("$TOOL" today 10)
wait_sweeps 2
check "day +10: no event fired" "$(fired)" 0
if grep -q '^sweep: 1 case(s) in a state an automatic event leaves, 0 fired' \
	"$T/log"; then
	ok "day +10: the pass saw the case and left it"
else
	bad "day +10: no pass saw the case: $(grep '^sweep' "$T/log" | tail -1)"
fi
ctl_ok "day +10: show" clerk show "$AUTO"
check "day +10: still awarded" "$(get state)" awarded
check "day +10: revision" "$(get revision)" 3
check "day +10: days left in the window" \
	"$(get clocks.challenge_nonfinal.days_left)" \
	"$("$TOOL" diff "$NOW" "$AUTODUE")"
ctl_ok "day +10: due" clerk due --within 3650
check "day +10: due lists the window, unmarked" \
	"$(get entries.0.id) $(get entries.0.clock) $(get entries.0.automatic)" \
	"$AUTO challenge_nonfinal absent"

# Thirty days on, the window ran out with no suit: the first pass makes the
# award effective, as the server; the next ones find nothing to do.
stop_server
start_auto 30
NOW=$("$TOOL" today 30)
if [ "$("$TOOL" diff "$NOW" "$AUTODUE")" -lt 0 ]; then
	ok "day +30: the window ($AUTODUE) has run out"
else
	bad "day +30: the window ($AUTODUE) has not run out by $NOW"
fi
wait_sweeps 1
check "day +30: the first pass fired one event" "$(fired)" 1
if grep -q \
	"^sweep: $AUTO: award_effective_auto fired (awarded -> closed_awarded)" \
	"$T/log"; then
	ok "day +30: the log names the case and the event"
else
	bad "day +30: no log line for $AUTO: $(grep '^sweep' "$T/log")"
fi
ctl_ok "day +30: show" clerk show "$AUTO"
check "day +30: closed by itself" "$(get state)" closed_awarded
check "day +30: revision" "$(get revision)" 4
check "day +30: the window stopped" "$(get clocks.challenge_nonfinal.state)" \
	stopped
ctl_ok "day +30: history" clerk history "$AUTO"
check "day +30: history: the event" "$(get events.3.event)" \
	award_effective_auto
check "day +30: history: from, to" "$(get events.3.from) $(get events.3.to)" \
	"awarded closed_awarded"
check "day +30: history: by the server" \
	"$(get events.3.actor.name) $(get events.3.actor.role)" \
	"wage-server system"
check "day +30: history: nothing after it" "$(get events.4)" absent
ctl_ok "day +30: due" clerk due --within 3650
if "$TOOL" entries "$T/out" | grep -q "^$AUTO "; then
	bad "day +30: the closed case is still on the work list"
else
	ok "day +30: the closed case is off the work list"
fi
ctl_ok "day +30: audit chain verifies" auditor audit verify
ctl_ok "day +30: audit export" auditor audit export "$T/auto-audit.jsonl"
ctl_ok "day +30: the export verifies offline" auditor audit verify \
	"$T/auto-audit.jsonl" --ca "$T/pki/ca.crt"
# A second pass (the sweep runs every second): nothing more.
wait_sweeps "$(($(sweeps) + 1))"
check "day +30: a later pass fired nothing more" "$(fired)" 1
ctl_ok "day +30: show after another pass" clerk show "$AUTO"
check "day +30: revision unchanged" "$(get revision)" 4
stop_server
check "day +30: the server stops cleanly with its sweep" "$SERVER_RC" 0

echo "clocks: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
