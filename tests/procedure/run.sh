#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/procedure/run.sh SERVER WAGECTL CLOCKTOOL SHIFTCLOCK_SO
#
# The procedure of issue 9 (policy 2026.2), point by point, against a real
# wage-server over mutual TLS with its own PKI and LMDB (tests/lib.sh),
# the shipped policy, the official calendars and the Shandong minimum
# wage, driven by wagectl as each role. One section per numbered point:
#    1. the award clock (Art 43) starts at acceptance; tribunal mediation
#       runs inside it; 案前调解 has its own 15 days, after which the
#       acceptance clock starts again;
#    2. the worker's side (union, legal aid) leaves mediation on day 0;
#    3. acceptance is 5 working days (办案规则 Art 80), suspended by a
#       request for materials and counted again from the supplement;
#    4. the chair extends the award period on its last day, not after;
#    5. a hearing at least 5 days ahead (Art 35); serving the application
#       on the employer stops service_respondent, starts its defence;
#    6. each party's windows run from its own receipt of the award; a suit
#       on the last day of a window, and not the day after; public notice
#       is deemed served 30 days after publication;
#    7. a non-final award takes effect by itself (the server's sweep)
#       only once both parties' windows pass with no suit; enforcement
#       only of an award in force; a closed case keeps its running
#       windows (show, due);
#    8. a wholly final award is in force when made, a non-final one not;
#       each item as awarded, each worker apart: in a collective case
#       one worker's item at the limit and another's above make the award
#       mixed, and a stated kind that differs from the rule is flagged;
#    9. amounts and dates against the claim, what is owed and today;
#   10. a collective case without representatives; consent to change the
#       claim;
#   11. labour inspection: refer, accept, order to pay, the police only
#       after the order's date, and never by arbitration staff;
#   12. the limitation year (one check: the last day is in time, a month
#       later is not); 13. a year with no schedule (one check).
# Each limit is checked on both sides. The server's "today" is moved with
# SHIFTCLOCK_SO (LD_PRELOAD: time() only, WAGE_TEST_DAYS_AHEAD days
# ahead), restarting it on the same database; day N below means N days
# after the server's today at the start, in Asia/Shanghai. Every refusal
# must name the field and the rule and leave the case as it was (state
# and revision). Dates are worked out here (TZ=Asia/Shanghai date, and
# CLOCKTOOL reading the schedules and the minimum-wage table as text),
# never by the server's code and never hard-coded in the future.
#
# Output: one line per check (ok, FAIL, SKIP, or XFAIL for a known server
# bug, named in the line), then `procedure: N passed, M failed`; the exit
# status is non-zero on any failure. A run across midnight in Shanghai
# (16:00 UTC) fails its "server's today" checks. PROCEDURE_BASE=N (>= 0)
# runs it as if day 0 were N days from today (e.g. before a holiday).
# Needs POSIX sh, coreutils (GNU date), grep and awk.

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
		echo "procedure: $f is missing: run make procedure" >&2
		exit 2
	fi
done
LC_ALL=C
export LC_ALL
CAL=policies/calendar
MINWAGE=policies/minimum-wage/shandong.yaml
T=$(mktemp -d "${TMPDIR:-/tmp}/wage-procedure.XXXXXX") || exit 2
# shellcheck disable=SC2034 # SPID: lib.sh's start_server and stop_server
SPID=""
. tests/lib.sh
cleanup() { stop_server; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- checks ------------------------------------------------------------

PASS=0
FAIL=0
XFAILS=0
XFAIL_WHY=""
ok() {
	PASS=$((PASS + 1))
	echo "procedure: ok    $1"
}
bad() {
	if [ -n "$XFAIL_WHY" ]; then
		XFAILS=$((XFAILS + 1))
		echo "procedure: XFAIL $1 [known server bug: $XFAIL_WHY]"
	else
		FAIL=$((FAIL + 1))
		echo "procedure: FAIL  $1"
	fi
}
skip() { echo "procedure: SKIP  $1"; }
# check NAME GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}

# ---- dates ---------------------------------------------------------------

# day N: the date N days after day 0 (the server's today at the start).
day() { TZ=Asia/Shanghai date -d "$DAY0 + $1 days" +%F; }
# days_to DATE: how many days after day 0 DATE is.
days_to() { "$TOOL" diff "$DAY0" "$1"; }
# due START N UNIT [FROM TO]...: the last day of the period (CLOCKTOOL).
due() { "$TOOL" due "$CAL" "$@" | cut -d' ' -f1; }

# ---- the server, its PKI, and wagectl per role ----------------------

mkpki "$T/pki" || {
	echo "procedure: cannot make the PKI" >&2
	exit 1
}
PORT=$(freeport 9)
mkconf "$T/conf" "$PORT"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt
NOW_AT=""
# PROCEDURE_BASE=N: day 0 is N days from today, to try the suite's dates
# around other weekdays and holidays; not before today (N >= 0): the
# certificates are issued today and are not valid before.
BASE=${PROCEDURE_BASE:-0}
case $BASE in
*[!0-9]* | "")
	echo "procedure: PROCEDURE_BASE must be a number of days >= 0" >&2
	exit 2
	;;
esac

# ctl ROLE ARGS...: wagectl --json as that role; output in $T/out,
# stderr in $T/err, exit status in $RC.
ctl() {
	ctl_r=$1
	shift
	WAGE_CERT=$T/pki/$ctl_r.crt WAGE_KEY=$T/pki/$ctl_r.key \
		"$WAGECTL" --json "$@" >"$T/out" 2>"$T/err"
	RC=$?
}
get() { "$TOOL" get "$T/out" "$1"; }

# stop: stop the server, if one runs; a check that it stopped cleanly
# (exit 0: under SANITIZE=1 a leak or an error found makes it fail).
stop() {
	[ -n "$NOW_AT" ] || return 0
	stop_server
	check "day $NOW_AT: the server stops cleanly" "$SERVER_RC" 0
	NOW_AT=""
}

# at N: the server runs as on day N (restarted on the same database when
# it ran on another day), with fresh session files; checks that the
# server's today is day N.
at() {
	[ "$NOW_AT" != "$1" ] || return 0
	stop
	if [ $(($1 + BASE)) -eq 0 ]; then
		start_server "$T/conf" "$T/log"
	else
		start_server "$T/conf" "$T/log" LD_PRELOAD="$SHIFT" \
			WAGE_TEST_DAYS_AHEAD=$(($1 + BASE)) \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
	fi || {
		echo "procedure: the server did not start (day $1)" >&2
		exit 1
	}
	NOW_AT=$1
	XDG_RUNTIME_DIR=$T/sess.$1
	mkdir -p "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
	export XDG_RUNTIME_DIR
	ctl clerk due --within 0
	if [ -z "${DAY0:-}" ]; then
		DAY0=$(get as_of)
		check "day 0: the server's today is Shanghai's" "$DAY0" \
			"$(TZ=Asia/Shanghai date -d "$BASE days" +%F)"
	else
		check "day $1: the server's today" "$(get as_of)" "$(day "$1")"
	fi
	TODAY=$(day "$1")
}

# show ID: the case as the clerk sees it, in $T/out.
show() {
	ctl clerk show "$1"
	if [ "$RC" -ne 0 ]; then
		bad "show $1: exit $RC: $(cat "$T/err")"
	fi
}
# act NAME STATE ROLE ID EVENT [ARGS...]: ROLE fires EVENT on ID, which
# is allowed and leads to STATE.
act() {
	a_n=$1 a_want=$2 a_r=$3 a_id=$4
	shift 4
	ctl "$a_r" act "$a_id" "$@"
	if [ "$RC" -ne 0 ]; then
		bad "$a_n: exit $RC: $(cat "$T/err")"
	else
		check "$a_n" "$(get state)" "$a_want"
	fi
}
# refuse NAME CODE FIELD RULE ROLE ID EVENT [ARGS...]: ROLE fires EVENT on
# ID and is refused with CODE (an extended regular expression: A|B), the
# error naming FIELD and (unless RULE is -) containing RULE; the case
# keeps its state and revision.
refuse() {
	f_n=$1 f_code=$2 f_field=$3 f_rule=$4 f_r=$5 f_id=$6
	shift 6
	show "$f_id"
	f_before="$(get state) revision $(get revision)"
	ctl "$f_r" act "$f_id" "$@"
	f_rc=$RC
	cp "$T/err" "$T/refusal"
	show "$f_id"
	f_after="$(get state) revision $(get revision)"
	if [ "$f_rc" -ne 1 ] ||
		! grep -Eq "^error: ($f_code): " "$T/refusal"; then
		bad "$f_n: want $f_code, got exit $f_rc: $(cat "$T/refusal")"
	elif ! grep -qF "(field: $f_field)" "$T/refusal"; then
		bad "$f_n: want field $f_field: $(cat "$T/refusal")"
	elif [ "$f_rule" != - ] &&
		! grep -qF -- "$f_rule" "$T/refusal"; then
		bad "$f_n: want the rule '$f_rule' named: $(cat "$T/refusal")"
	elif [ "$f_after" != "$f_before" ]; then
		bad "$f_n: the case changed: $f_before -> $f_after"
	else
		ok "$f_n"
	fi
}

# ---- filings -------------------------------------------------------------

CC=$("$TOOL" credit 91370100MA3C5XY80)
GC=$("$TOOL" credit 91370000163044512)
UNION_REP='{"kind": "union", "organisation": "济南市历下区总工会工会驿站",
 "name": "陈静", "authority": {"scope": ["file", "mediate", "arbitrate",
 "receive_payment"], "document": "授权委托书 2026-历下-017"}}'
AID_REP='{"kind": "legal_aid", "organisation": "济南市法律援助中心",
 "name": "赵磊", "authority": {"scope": ["file", "mediate", "arbitrate",
 "receive_payment"], "document": "法律援助公函 2026-济-031"}}'
SEQ=0

# newcase NAME RECEIVED AMOUNT_FEN [CHANNEL [EXTRA_JSON_MEMBERS]]: one
# worker of 370102 (历下区) claiming AMOUNT_FEN of wages, filed by the
# clerk (walk_in), the union station (union_station) or legal aid
# (legal_aid); the new id in $ID. A check.
newcase() {
	nc_name=$1 nc_recv=$2 nc_amt=$3 nc_ch=${4:-walk_in} nc_extra=${5:-}
	SEQ=$((SEQ + 1))
	case $nc_ch in
	union_station) nc_role=union nc_rep=", \"representative\": $UNION_REP" ;;
	legal_aid) nc_role=legal_aid nc_rep=", \"representative\": $AID_REP" ;;
	*) nc_role=clerk nc_rep="" ;;
	esac
	nc_id=$("$TOOL" idnum 370124 19850315 "$SEQ")
	# A complaint claims wages owed before it arrived; one filed more
	# than the policy's 30 days after it arrived is a clerk's late
	# record, with a reason (issue 13, part 9).
	nc_from=2024-01 nc_to=2024-06
	case $nc_recv in
	2023-*) nc_from=2023-01 nc_to=2023-06 ;;
	esac
	if [ "$nc_role" = clerk ] &&
	    [ "$(expr "$nc_recv" \< "$("$TOOL" plus "$TODAY" -30)")" = 1 ]; then
		nc_extra="$nc_extra, \"received_reason\": \"纸质申请书补录\""
	fi
	cat >"$T/case.json" <<EOF
{"channel": "$nc_ch", "received": "$nc_recv", "region": "370102",
 "claimants": [{"name": "李建国", "id_number": "$nc_id",
  "phone": "139100$(printf %05d "$SEQ")", "migrant_worker": true,
  "poverty_alleviated": false}],
 "respondent": {"name": "济南某建筑劳务有限公司", "credit_code": "$CC"},
 "project": {"name": "历下区某安置房项目",
  "general_contractor": {"name": "山东某建工集团有限公司",
   "credit_code": "$GC"}},
 "claim": {"items": [{"kind": "wages", "amount_fen": $nc_amt}],
  "period": {"from": "$nc_from", "to": "$nc_to"}},
 "facts": "被拖欠工资。"$nc_rep$nc_extra}
EOF
	ctl "$nc_role" file "$T/case.json"
	ID=
	if [ "$RC" -ne 0 ]; then
		bad "file $nc_name: exit $RC: $(cat "$T/err")"
	else
		ID=$(get id)
		check "file $nc_name ($ID, received $nc_recv)" \
			"$(get received)" "$nc_recv"
	fi
}

# awarded NAME CLAIM AWARD: a walk-in case of today accepted for
# arbitration and awarded AWARD fen (claim CLAIM) today; id in $ID.
awarded() {
	newcase "$1" "$TODAY" "$2"
	act "$1: accept for arbitration" arbitration clerk "$ID" \
		accept_arbitration --set reason=申请人不同意调解
	act "$1: award of $3 fen" awarded arbitrator "$ID" award \
		--set amount_fen="$3" --set award_date="$TODAY"
}
# serve NAME ID DOCUMENT PARTY DATE [METHOD]: the clerk serves DOCUMENT on
# PARTY, received DATE (by METHOD, default direct); the state stays.
serve() {
	ctl clerk act "$2" serve --set document="$3" --set party="$4" \
		--set method="${6:-direct}" --set served_on="$5"
	if [ "$RC" -ne 0 ]; then
		bad "$1: exit $RC: $(cat "$T/err")"
	else
		ok "$1"
	fi
}

COURT=济南市历下区人民法院
CLAIM=1860000 # 18600 yuan, tests/data/cases/single-worker.json

at 0
# The final-award limit of 370102 on day 0 (Art 47; 办案规则 Art 50): 12
# months of its minimum wage, from the table read as text.
if ! "$TOOL" minwage "$MINWAGE" 370102 "$DAY0" >"$T/minwage" ||
	! read -r LIMIT MONTHLY TIER <"$T/minwage"; then
	echo "procedure: no minimum wage for 370102 on $DAY0" >&2
	exit 1
fi
NONFINAL=$((LIMIT + 1))
echo "procedure: day 0 is $DAY0; 370102 minimum wage $MONTHLY fen a" \
	"month (tier $TIER), final-award limit $LIMIT fen"

# ---- 1. the award clock starts at acceptance (Art 43) ----------------------

at 0
D45=$(due "$DAY0" 45 calendar_days)
newcase "1 accept" "$DAY0" "$CLAIM"
S1A=$ID
act "1: accept leads to tribunal mediation" mediation clerk "$S1A" accept
show "$S1A"
check "1: acceptance stops its clock" "$(get clocks.acceptance.state)" \
	stopped
check "1: the award clock starts at acceptance" \
	"$(get clocks.award.start)" "$DAY0"
check "1: the award is due 45 days after acceptance" \
	"$(get clocks.award.due)" "$D45"
check "1: no 案前调解 clock in tribunal mediation" \
	"$(get clocks.mediation)" absent
newcase "1 accept_arbitration" "$DAY0" "$CLAIM"
S1B=$ID
act "1: accept_arbitration leads to arbitration" arbitration clerk "$S1B" \
	accept_arbitration --set reason=申请人不同意调解
show "$S1B"
check "1: accept_arbitration starts the award clock" \
	"$(get clocks.award.start)" "$DAY0"
check "1: accept_arbitration: due 45 days after acceptance" \
	"$(get clocks.award.due)" "$D45"
# 案前调解 (Art 14): with the worker's consent, 15 days of its own.
newcase "1 pre-mediation" "$DAY0" "$CLAIM"
S1P=$ID
refuse "1: pre_mediation without the worker's consent" INVALID_ARGUMENT \
	fields.mediation_consent - clerk "$S1P" pre_mediation
act "1: pre_mediation with consent" pre_mediation clerk "$S1P" \
	pre_mediation --set mediation_consent=调解同意书-2026-001
M15=$(due "$DAY0" 15 calendar_days)
show "$S1P"
check "1: pre_mediation stops acceptance" \
	"$(get clocks.acceptance.state)" stopped
check "1: pre_mediation's own clock from day 0" \
	"$(get clocks.mediation.start)" "$DAY0"
check "1: pre_mediation due in 15 days" "$(get clocks.mediation.due)" "$M15"
check "1: no award clock before acceptance" "$(get clocks.award)" absent
newcase "1 pre-mediation to its end" "$DAY0" "$CLAIM"
S1Q=$ID
act "1: pre_mediation (to run out)" pre_mediation clerk "$S1Q" \
	pre_mediation --set mediation_consent=调解同意书-2026-002

at 3
act "1: day 3: mediation fails" arbitration mediator "$S1A" \
	mediation_failed --set reason=调解不成
show "$S1A"
check "1: day 3: the award clock keeps its start" \
	"$(get clocks.award.start)" "$DAY0"
check "1: day 3: the award clock keeps its due date" \
	"$(get clocks.award.due)" "$D45"
check "1: day 3: the award clock runs" "$(get clocks.award.state)" running
act "1: day 3: the tribunal mediates again" mediation arbitrator "$S1A" \
	start_mediation --set reason=庭前调解
act "1: day 3: and the worker leaves it" arbitration clerk "$S1A" \
	apply_arbitration --set reason=劳动者要求裁决
show "$S1A"
check "1: day 3: mediation inside the 45 days: due kept" \
	"$(get clocks.award.due)" "$D45"
act "1: day 3: pre-mediation ends" intake mediator "$S1P" \
	pre_mediation_ended --set reason=调解不成
show "$S1P"
check "1: day 3: pre-mediation's clock stops" \
	"$(get clocks.mediation.state)" stopped
check "1: day 3: acceptance counts again from the end" \
	"$(get clocks.acceptance.start)" "$(day 3)"
check "1: day 3: acceptance runs" "$(get clocks.acceptance.state)" running
check "1: day 3: acceptance due 5 working days later" \
	"$(get clocks.acceptance.due)" "$(due "$(day 3)" 5 working_days)"
act "1: day 3: accepted after pre-mediation" mediation clerk "$S1P" accept
show "$S1P"
check "1: day 3: the award clock from acceptance, not from filing" \
	"$(get clocks.award.start)" "$(day 3)"
check "1: day 3: due 45 days after acceptance" "$(get clocks.award.due)" \
	"$(due "$(day 3)" 45 calendar_days)"

at "$(days_to "$M15")"
show "$S1Q"
check "1: pre-mediation's last day: not overdue" \
	"$(get clocks.mediation.overdue)" false
check "1: pre-mediation's last day: 0 days left" \
	"$(get clocks.mediation.days_left)" 0
at $(($(days_to "$M15") + 1))
show "$S1Q"
check "1: the day after: overdue" "$(get clocks.mediation.overdue)" true

# ---- 2. the worker's side leaves mediation on day 0 (Arts 5, 14) -----------

at 0
for side in union_station legal_aid; do
	role=$(if [ $side = union_station ]; then echo union; else
		echo legal_aid; fi)
	newcase "2 $role, tribunal mediation" "$DAY0" "$CLAIM" $side
	S2=$ID
	act "2: $role: accepted, mediation" mediation clerk "$S2" accept
	act "2: $role ends tribunal mediation on day 0" arbitration "$role" \
		"$S2" apply_arbitration --set reason=劳动者不愿继续调解
	show "$S2"
	check "2: $role: the award clock from acceptance runs on" \
		"$(get clocks.award.start) $(get clocks.award.state)" \
		"$DAY0 running"
	newcase "2 $role, pre-mediation" "$DAY0" "$CLAIM" $side
	S2=$ID
	act "2: $role asks for pre-mediation" pre_mediation "$role" "$S2" \
		pre_mediation --set mediation_consent=调解同意书-2026-010
	act "2: $role ends pre-mediation on day 0" intake "$role" "$S2" \
		pre_mediation_ended --set reason=劳动者不愿继续调解
	show "$S2"
	check "2: $role: acceptance counts again from day 0" \
		"$(get clocks.acceptance.start) $(get clocks.acceptance.state)" \
		"$DAY0 running"
done
newcase "2 staff" "$DAY0" "$CLAIM"
act "2: staff case accepted" mediation clerk "$ID" accept
refuse "2: the arbitrator cannot leave mediation for the worker" FORBIDDEN \
	event - arbitrator "$ID" apply_arbitration --set reason=x

# ---- 3. acceptance: 5 working days from complete materials ---------------

at 0
# Thu 2026-09-24, before Mid-Autumn (09-25..27) and National Day
# (10-01..07): Mon 09-28, 09-29, 09-30, Thu 10-08, Fri 10-09.
newcase "3 before the 2026 holidays" 2026-09-24 "$CLAIM"
show "$ID"
check "3: acceptance in working days" "$(get clocks.acceptance.unit)" \
	working_days
check "3: 2026-09-24 + 5 working days" "$(get clocks.acceptance.due)" \
	2026-10-09
check "3: 2026-09-24: the calendar agrees" "$(get clocks.acceptance.due)" \
	"$(due 2026-09-24 5 working_days)"
# Fri 2025-09-26: Sun 09-28 (a working Sunday), 09-29, 09-30, then
# National Day 10-01..08, Thu 10-09, Fri 10-10.
newcase "3 over a working weekend, 2025" 2025-09-26 "$CLAIM"
show "$ID"
check "3: 2025-09-26 + 5 working days" "$(get clocks.acceptance.due)" \
	2025-10-10
check "3: 2025-09-26: the calendar agrees" "$(get clocks.acceptance.due)" \
	"$(due 2025-09-26 5 working_days)"
check "3: 2025-09-26: long overdue" "$(get clocks.acceptance.overdue)" true
A5=$(due "$DAY0" 5 working_days)
newcase "3 received today" "$DAY0" "$CLAIM"
S3T=$ID
show "$S3T"
check "3: day 0 + 5 working days" "$(get clocks.acceptance.due)" "$A5"
newcase "3 materials incomplete" "$DAY0" "$CLAIM"
S3M=$ID
act "3: request_materials (补正)" intake clerk "$S3M" request_materials \
	--set materials=劳动合同及工资条
show "$S3M"
check "3: acceptance suspended" "$(get clocks.acceptance.state)" suspended

# The materials come two working days later: those days do not count.
SUPP=$(due "$DAY0" 2 working_days)
N=$(days_to "$SUPP")
at "$N"
A5S=$(due "$DAY0" 5 working_days "$DAY0" "$SUPP")
show "$S3M"
check "3: day $N: still suspended" "$(get clocks.acceptance.state)" \
	suspended
check "3: day $N: the working days waiting do not count" \
	"$(get clocks.acceptance.due)" "$A5S"
check "3: day $N: so the due date has moved" \
	"$([ "$(days_to "$A5S")" -gt "$(days_to "$A5")" ] && echo later)" later
act "3: day $N: the materials are complete" intake clerk "$S3M" \
	supplement --set materials=已补交劳动合同
show "$S3M"
check "3: day $N: acceptance counts from completion" \
	"$(get clocks.acceptance.start) $(get clocks.acceptance.state)" \
	"$SUPP running"
check "3: day $N: due 5 working days after completion" \
	"$(get clocks.acceptance.due)" "$(due "$SUPP" 5 working_days)"

at "$(days_to "$A5")"
show "$S3T"
check "3: acceptance's last day: not overdue, 0 left" \
	"$(get clocks.acceptance.overdue) $(get clocks.acceptance.days_left)" \
	"false 0"
at $(($(days_to "$A5") + 1))
show "$S3T"
check "3: the day after: overdue" "$(get clocks.acceptance.overdue)" true

# ---- 4. the chair extends before the 45 days run out (Art 43) ------------

at 0
newcase "4 extended on its last day" "$DAY0" "$CLAIM"
S4A=$ID
act "4: accepted" arbitration clerk "$S4A" accept_arbitration \
	--set reason=申请人不同意调解
newcase "4 extended too late" "$DAY0" "$CLAIM"
S4B=$ID
act "4: accepted (too late)" arbitration clerk "$S4B" accept_arbitration \
	--set reason=申请人不同意调解
refuse "4: an extension of 16 days" INVALID_ARGUMENT fields.days - chair \
	"$S4A" extend --set days=16 --set reason=案情复杂
D60=$(due "$DAY0" 60 calendar_days)
at "$(days_to "$D45")"
show "$S4A"
check "4: the 45th day: 0 days left" "$(get clocks.award.days_left)" 0
act "4: the chair extends on the last day" arbitration chair "$S4A" extend \
	--set days=15 --set reason=案情复杂
show "$S4A"
check "4: the extension adds its days" "$(get clocks.award.due)" "$D60"
check "4: extended by 15" "$(get clocks.award.extended_days)" 15
at $(($(days_to "$D45") + 1))
refuse "4: the day after the 45 days: no extension" ILLEGAL_TRANSITION \
	event 第43条 chair "$S4B" extend --set days=15 --set reason=案情复杂
show "$S4B"
check "4: the unextended award period is overdue" \
	"$(get clocks.award.overdue)" true
show "$S4A"
check "4: the extended one is not" \
	"$(get clocks.award.overdue) $(get clocks.award.due)" "false $D60"

# ---- 5. hearing notice (Art 35); service and defence (Art 30) ------------

at 0
newcase "5 hearing and service" "$DAY0" "$CLAIM"
S5=$ID
act "5: accepted" arbitration clerk "$S5" accept_arbitration \
	--set reason=申请人不同意调解
refuse "5: a hearing 4 days ahead" INVALID_ARGUMENT fields.hearing_date \
	第35条 arbitrator "$S5" hearing_scheduled --set hearing_date="$(day 4)"
act "5: a hearing 5 days ahead" arbitration arbitrator "$S5" \
	hearing_scheduled --set hearing_date="$(day 5)"
refuse "5: the application served on the worker" INVALID_ARGUMENT \
	fields.party - clerk "$S5" serve --set document=application_copy \
	--set party=worker --set method=direct --set served_on="$DAY0"
refuse "5: service recorded for tomorrow" INVALID_ARGUMENT \
	fields.served_on - clerk "$S5" serve --set document=application_copy \
	--set party=employer --set method=direct --set served_on="$(day 1)"
SR5=$(due "$DAY0" 5 working_days)
show "$S5"
check "5: service on the respondent runs from acceptance" \
	"$(get clocks.service_respondent.start) $(get clocks.service_respondent.due)" \
	"$DAY0 $SR5"
check "5: no defence before service" "$(get clocks.defence)" absent
newcase "5 never served" "$DAY0" "$CLAIM"
S5N=$ID
act "5: accepted (never served)" arbitration clerk "$S5N" \
	accept_arbitration --set reason=申请人不同意调解

at 2
DF=$(due "$(day 2)" 10 working_days)
serve "5: day 2: the application served on the employer" "$S5" \
	application_copy employer "$(day 2)"
show "$S5"
check "5: service stops service_respondent" \
	"$(get clocks.service_respondent.state)" stopped
check "5: the employer's defence from its receipt" \
	"$(get clocks.defence.start) $(get clocks.defence.state)" \
	"$(day 2) running"
check "5: defence: 10 working days" "$(get clocks.defence.due)" "$DF"
check "5: defence is the employer's window" \
	"$(get clocks.defence.party) $(get clocks.defence.window)" \
	"employer true"
refuse "5: the application served twice" ILLEGAL_TRANSITION \
	fields.document - clerk "$S5" serve --set document=application_copy \
	--set party=employer --set method=direct --set served_on="$(day 2)"

at "$(days_to "$SR5")"
show "$S5N"
check "5: service_respondent's last day: not overdue" \
	"$(get clocks.service_respondent.overdue) $(get clocks.service_respondent.days_left)" \
	"false 0"
at $(($(days_to "$SR5") + 1))
show "$S5N"
check "5: the day after, not served: overdue" \
	"$(get clocks.service_respondent.overdue)" true
at "$(days_to "$DF")"
show "$S5"
check "5: defence's last day: runs, 0 left" \
	"$(get clocks.defence.state) $(get clocks.defence.days_left)" \
	"running 0"
at $(($(days_to "$DF") + 1))
show "$S5"
check "5: the day after: the window has ended, nobody is late" \
	"$(get clocks.defence.state) $(get clocks.defence.days_left) $(get clocks.defence.overdue)" \
	"ended absent absent"

# ---- 6. each party's windows from its own receipt (Arts 48-50) -----------

at 0
S6=""
for c in A B C D F; do
	awarded "6$c" "$NONFINAL" "$NONFINAL"
	S6="$S6 $ID"
	serve "6$c: the award served on the worker on day 0" "$ID" award \
		worker "$DAY0"
done
# shellcheck disable=SC2086 # the ids, one word each
set -- $S6
S6A=$1 S6B=$2 S6C=$3 S6D=$4 S6F=$5
awarded "6 public notice" "$NONFINAL" "$NONFINAL"
S6P=$ID
serve "6 public notice: on the worker, day 0" "$S6P" award worker "$DAY0"
serve "6 public notice: on the employer, published day 0" "$S6P" award \
	employer "$DAY0" public_notice
show "$S6P"
check "6: public notice: published day 0" "$(get service.1.published)" \
	"$DAY0"
check "6: public notice: deemed served 30 days later" \
	"$(get service.1.served_on)" "$(day 30)"
check "6: public notice: the employer's window from day 30" \
	"$(get clocks.challenge_nonfinal_employer.start)" "$(day 30)"
check "6: public notice: its due date" \
	"$(get clocks.challenge_nonfinal_employer.due)" \
	"$(due "$(day 30)" 15 calendar_days)"
check "6: public notice: the worker's window from day 0" \
	"$(get clocks.challenge_nonfinal_worker.start)" "$DAY0"

W=$(due "$DAY0" 15 calendar_days)
E=$(due "$(day 3)" 15 calendar_days)
at 3
for id in $S6; do
	serve "6 ($id): the award served on the employer on day 3" "$id" \
		award employer "$(day 3)"
done
show "$S6A"
check "6: the worker's window from its receipt (day 0)" \
	"$(get clocks.challenge_nonfinal_worker.start) $(get clocks.challenge_nonfinal_worker.due)" \
	"$DAY0 $W"
check "6: the employer's window from its receipt (day 3)" \
	"$(get clocks.challenge_nonfinal_employer.start) $(get clocks.challenge_nonfinal_employer.due)" \
	"$(day 3) $E"

at "$(days_to "$W")"
act "6: the worker sues on the last day of its window" in_court clerk \
	"$S6A" suit --set party_document=起诉状-2026-001 --set party=worker --set court="$COURT" --set filed_on="$W"
at $(($(days_to "$W") + 1))
refuse "6: the worker sues the day after its window ended" \
	ILLEGAL_TRANSITION event challenge_nonfinal_worker clerk "$S6B" suit \
	--set party_document=起诉状-2026-001 --set party=worker --set court="$COURT" --set filed_on="$TODAY"
if [ "$(days_to "$E")" -ge "$(($(days_to "$W") + 1))" ]; then
	act "6: that day the employer's window still runs: it sues" in_court \
		clerk "$S6B" suit --set party_document=起诉状-2026-001 --set party=employer --set court="$COURT" \
		--set filed_on="$TODAY"
else
	refuse "6: that day the employer's window has ended too" \
		ILLEGAL_TRANSITION event challenge_nonfinal_employer clerk \
		"$S6B" suit --set party_document=起诉状-2026-001 --set party=employer --set court="$COURT" \
		--set filed_on="$TODAY"
fi
# The suit counts on the day it was filed with the court, not on the day
# the commission records it.
act "6: a suit filed on the last day, recorded the day after" in_court \
	clerk "$S6F" suit --set party_document=起诉状-2026-001 --set party=worker --set court="$COURT" \
	--set filed_on="$W"
at "$(days_to "$E")"
act "6: the employer sues on the last day of its window" in_court clerk \
	"$S6C" suit --set party_document=起诉状-2026-001 --set party=employer --set court="$COURT" --set filed_on="$E"
at $(($(days_to "$E") + 1))
refuse "6: the employer sues the day after its window ended" \
	ILLEGAL_TRANSITION event challenge_nonfinal_employer clerk "$S6D" suit \
	--set party_document=起诉状-2026-001 --set party=employer --set court="$COURT" --set filed_on="$TODAY"
refuse "6: the worker too" ILLEGAL_TRANSITION event \
	challenge_nonfinal_worker clerk "$S6D" suit --set party_document=起诉状-2026-001 --set party=worker \
	--set court="$COURT" --set filed_on="$TODAY"

# ---- 7. an unchallenged non-final award takes effect (Art 50) -------------

at 0
# An automatic sweep may come: `wagectl policy` then shows award_effective
# with automatic: true, and the server must fire it by itself.
ctl clerk policy
AUTO=$(get events.award_effective.automatic)
[ "$AUTO" = true ] || AUTO=false
echo "procedure: award_effective automatic: $AUTO"
awarded "7 non-final" "$NONFINAL" "$NONFINAL"
S7A=$ID
show "$S7A"
check "7: above the limit: not final" "$(get award.items.0.final)" false
check "7: the limit of the award date" "$(get award.limit_fen)" "$LIMIT"
refuse "7: enforcement of an award not in force" ILLEGAL_TRANSITION \
	event - clerk "$S7A" enforcement --set court="$COURT"
refuse "7: award_effective before service" ILLEGAL_TRANSITION event \
	第50条 clerk "$S7A" award_effective
serve "7: served on the worker, day 0" "$S7A" award worker "$DAY0"
serve "7: served on the employer, day 0" "$S7A" award employer "$DAY0"
awarded "7 employer served later" "$NONFINAL" "$NONFINAL"
S7B=$ID
serve "7 later: served on the worker, day 0" "$S7B" award worker "$DAY0"
# Final awards in force when made, then closed: their windows run on.
awarded "7 final, closed" "$LIMIT" "$LIMIT"
S7C=$ID
serve "7 final, closed: on the worker" "$S7C" award worker "$DAY0"
serve "7 final, closed: on the employer" "$S7C" award employer "$DAY0"
act "7: final award in force" effective clerk "$S7C" final_award_effective
act "7: close_awarded" closed_awarded clerk "$S7C" close_awarded
awarded "7 final, paid" "$LIMIT" "$LIMIT"
S7D=$ID
serve "7 final, paid: on the worker" "$S7D" award worker "$DAY0"
serve "7 final, paid: on the employer" "$S7D" award employer "$DAY0"
act "7: final award in force (paid)" effective clerk "$S7D" \
	final_award_effective
act "7: confirm_paid in full" closed_paid clerk "$S7D" confirm_paid \
	--set party_document=收条-2026-001 --set amount_paid_fen="$LIMIT" --set paid_on="$DAY0"
W30=$(due "$DAY0" 30 calendar_days)
for c in "$S7C closed_awarded" "$S7D closed_paid"; do
	# shellcheck disable=SC2086 # id and state, one word each
	set -- $c
	show "$1"
	check "7: $2: the worker's window runs on" \
		"$(get state) $(get clocks.challenge_worker.state) $(get clocks.challenge_worker.due)" \
		"$2 running $W"
	check "7: $2: the employer's window runs on" \
		"$(get clocks.challenge_employer.state) $(get clocks.challenge_employer.due)" \
		"running $W30"
done
ctl clerk due --within 3650 --limit 1000
"$TOOL" entries "$T/out" >"$T/due"
for c in "$S7C closed_awarded" "$S7D closed_paid"; do
	# shellcheck disable=SC2086 # id and state, one word each
	set -- $c
	check "7: $2: due lists its windows and nothing else" \
		"$(awk -v id="$1" '$1 == id { printf "%s %s;", $2, $3 }' \
			"$T/due")" \
		"challenge_worker $W;challenge_employer $W30;"
done

at 3
serve "7 later: served on the employer, day 3" "$S7B" award employer \
	"$(day 3)"
at "$(days_to "$W")"
if [ "$AUTO" = true ]; then
	show "$S7A"
	check "7: the window's last day: not in force yet" "$(get state)" \
		awarded
else
	refuse "7: award_effective on the window's last day" \
		ILLEGAL_TRANSITION event challenge_nonfinal_worker clerk \
		"$S7A" award_effective
fi
at $(($(days_to "$W") + 1))
if [ "$AUTO" = true ]; then
	show "$S7A"
	check "7: the day after: in force by itself" "$(get state)" effective
else
	act "7: the day after, no suit: the clerk makes it effective" \
		effective clerk "$S7A" award_effective
fi
act "7: enforcement of the award in force" closed_court clerk "$S7A" \
	enforcement --set court="$COURT"
ctl clerk due --within 3650 --limit 1000
"$TOOL" entries "$T/out" >"$T/due"
check "7: final, closed: the worker's window ended, off the list" \
	"$(awk -v id="$S7C" '$1 == id { printf "%s;", $2 }' "$T/due")" \
	"challenge_employer;"
# Art 50: in force only when the 15 days pass with no suit, for each
# party; the employer received the award on day 3.
if [ "$AUTO" = true ]; then
	show "$S7B"
	check "7: the employer's window still runs: not in force" \
		"$(get state)" awarded
else
	refuse "7: award_effective while the employer's window runs" \
		ILLEGAL_TRANSITION event challenge_nonfinal_employer clerk \
		"$S7B" award_effective
fi
XFAIL_WHY=""

# ---- 8. final or not (Art 47): 12 x the minimum wage, each item ----------

at 0
awarded "8 final" "$LIMIT" "$LIMIT"
S8F=$ID
show "$S8F"
check "8: at the limit: final" "$(get award.items.0.final)" true
act "8: a wholly final award is in force when made" effective clerk \
	"$S8F" final_award_effective
awarded "8 non-final" "$NONFINAL" "$NONFINAL"
S8N=$ID
show "$S8N"
check "8: one fen above: not final" "$(get award.items.0.final)" false
refuse "8: final_award_effective on a non-final award" \
	ILLEGAL_TRANSITION event "Art 47" clerk "$S8N" final_award_effective
# DOMAIN.md: each item as awarded (单项裁决数额), not as claimed: the
# award's items (field items, award_items) carry what is awarded.
awarded_items() { # NAME CLAIM AMOUNT ITEMS: like awarded, with items
	newcase "$1" "$TODAY" "$2"
	act "$1: accept for arbitration" arbitration clerk "$ID" \
		accept_arbitration --set reason=申请人不同意调解
	act "$1: award of $3 fen, item by item" awarded arbitrator "$ID" \
		award --set amount_fen="$3" --set award_date="$TODAY" \
		--set items="$4"
}
awarded_items "8 claimed above, awarded at the limit" "$NONFINAL" "$LIMIT" \
	"[{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": $LIMIT, \"stated\": \"final\"}]"
S8X=$ID
show "$S8X"
check "8: awarded at the limit, claimed above it: final" \
	"$(get award.items.0.final) $(get award.kind)" "true final"
act "8: final as awarded: in force when made" effective clerk "$S8X" \
	final_award_effective
# A collective case (tests/data/cases/collective-12.json, 12 workers):
# worker 0's item at the limit (final), worker 1's one fen above (not
# final), each tested on its own; the award is mixed. The award states
# both final: the second is flagged, the rule's kind counts.
"$TOOL" jedit tests/data/cases/collective-12.json \
	received="\"$TODAY\"" >"$T/two.json"
ctl union file "$T/two.json"
if [ "$RC" -ne 0 ]; then
	bad "8: file a collective case: exit $RC: $(cat "$T/err")"
else
	S8M=$(get id)
	ok "8: a collective case of 12 workers ($S8M)"
	act "8 collective: accept" arbitration clerk "$S8M" \
		accept_arbitration --set reason=申请人不同意调解
	ITEMS2="[{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": $LIMIT, \"stated\": \"final\"}, {\"worker\": 1, \"kind\": \"wages\", \"amount_fen\": $NONFINAL, \"stated\": \"final\"}]"
	refuse "8: items naming a 13th worker" INVALID_ARGUMENT \
		"fields.items[2].worker" - arbitrator "$S8M" award \
		--set amount_fen=$((LIMIT + NONFINAL)) \
		--set award_date="$TODAY" --set items="[{\"worker\": 0, \"kind\": \"wages\", \"amount_fen\": $((LIMIT - 1)), \"stated\": \"final\"}, {\"worker\": 1, \"kind\": \"wages\", \"amount_fen\": $NONFINAL, \"stated\": \"final\"}, {\"worker\": 12, \"kind\": \"wages\", \"amount_fen\": 1, \"stated\": \"final\"}]"
	act "8 collective: the award" awarded arbitrator "$S8M" award \
		--set amount_fen=$((LIMIT + NONFINAL)) --set award_date="$TODAY" \
		--set items="$ITEMS2"
	show "$S8M"
	check "8: worker 0 at the limit: final; worker 1 above: not final" \
		"$(get award.items.0.final) $(get award.items.1.final)" \
		"true false"
	check "8: the award is mixed" "$(get award.kind)" mixed
	check "8: the stated kind of worker 1's item differs: flagged" \
		"$(get award.items.0.mismatch) $(get award.items.1.mismatch) $(get award.mismatch)" \
		"false true true"
	refuse "8: final_award_effective on a mixed award" \
		ILLEGAL_TRANSITION event "Art 47" clerk "$S8M" \
		final_award_effective
	serve "8 mixed: on the worker" "$S8M" award worker "$DAY0"
	show "$S8M"
	check "8: a mixed award opens the worker's windows of both kinds" \
		"$(get clocks.challenge_worker.state) $(get clocks.challenge_nonfinal_worker.state)" \
		"running running"
fi

# ---- 9. amounts and dates ---------------------------------------------------

at 0
newcase "9 award" "$DAY0" "$CLAIM"
S9=$ID
act "9: accepted" arbitration clerk "$S9" accept_arbitration \
	--set reason=申请人不同意调解
refuse "9: an award above the claim" INVALID_ARGUMENT fields.amount_fen \
	"the claim" arbitrator "$S9" award --set amount_fen=$((CLAIM + 1)) \
	--set award_date="$DAY0"
refuse "9: an award dated tomorrow" INVALID_ARGUMENT fields.award_date - \
	arbitrator "$S9" award --set amount_fen="$CLAIM" \
	--set award_date="$(day 1)"
act "9: the whole claim, dated today" awarded arbitrator "$S9" award \
	--set amount_fen="$CLAIM" --set award_date="$DAY0"
refuse "9: paid more than the award" INVALID_ARGUMENT \
	fields.amount_paid_fen "the award" clerk "$S9" confirm_paid \
	--set party_document=收条-2026-001 --set amount_paid_fen=$((CLAIM + 1)) --set paid_on="$DAY0"
refuse "9: paid tomorrow" INVALID_ARGUMENT fields.paid_on - clerk "$S9" \
	confirm_paid --set party_document=收条-2026-001 --set amount_paid_fen="$CLAIM" --set paid_on="$(day 1)"
refuse "9: 1 yuan of 18600 without a reason" INVALID_ARGUMENT \
	fields.reason "payment in part" clerk "$S9" confirm_paid \
	--set party_document=收条-2026-001 --set amount_paid_fen=100 --set paid_on="$DAY0"
act "9: 1 yuan of 18600 with a reason" closed_paid clerk "$S9" \
	confirm_paid --set party_document=收条-2026-001 --set amount_paid_fen=100 --set paid_on="$DAY0" \
	--set reason=用人单位已注销，仅追回部分
show "$S9"
check "9: the payment in part is recorded" \
	"$(get payment.partial) $(get payment.amount_paid_fen) $(get payment.unpaid_fen)" \
	"true 100 $((CLAIM - 100))"
# An agreement before acceptance, its pay-by date a clock.
newcase "9 agreement" "$DAY0" "$CLAIM"
S9A=$ID
act "9: pre-mediation" pre_mediation clerk "$S9A" pre_mediation \
	--set mediation_consent=调解同意书-2026-020
refuse "9: an agreement above the claim" INVALID_ARGUMENT \
	fields.amount_fen "the claim" mediator "$S9A" \
	pre_mediation_agreement --set amount_fen=$((CLAIM + 1)) \
	--set pay_by="$(day 2)"
refuse "9: pay by yesterday" INVALID_ARGUMENT fields.pay_by - mediator \
	"$S9A" pre_mediation_agreement --set amount_fen=1800000 \
	--set pay_by="$(day -1)"
act "9: pay by day 2" agreed mediator "$S9A" pre_mediation_agreement \
	--set amount_fen=1800000 --set pay_by="$(day 2)"
show "$S9A"
check "9: the payment clock runs to the pay-by date" \
	"$(get clocks.payment.due)" "$(day 2)"
refuse "9: payment_default before the pay-by date" ILLEGAL_TRANSITION \
	event payment clerk "$S9A" payment_default --set reason=未按期履行
newcase "9 agreement paid" "$DAY0" "$CLAIM"
S9B=$ID
act "9: pre-mediation (paid)" pre_mediation clerk "$S9B" pre_mediation \
	--set mediation_consent=调解同意书-2026-021
act "9: agreed (paid) today" agreed mediator "$S9B" \
	pre_mediation_agreement --set amount_fen=1800000 --set pay_by="$DAY0"
refuse "9: paid more than the agreement" INVALID_ARGUMENT \
	fields.amount_paid_fen "the agreement" clerk "$S9B" \
	confirm_paid --set party_document=收条-2026-001 --set amount_paid_fen=1800001 --set paid_on="$DAY0"
act "9: paid as agreed" closed_paid clerk "$S9B" confirm_paid \
	--set party_document=收条-2026-001 --set amount_paid_fen=1800000 --set paid_on="$DAY0"
show "$S9B"
check "9: paid in full" "$(get payment.partial) $(get payment.unpaid_fen)" \
	"false 0"
at 2
refuse "9: payment_default on the pay-by date" ILLEGAL_TRANSITION event \
	payment clerk "$S9A" payment_default --set reason=未按期履行
at 3
act "9: payment_default the day after" intake clerk "$S9A" \
	payment_default --set reason=未按期履行
show "$S9A"
check "9: acceptance counts again from the default" \
	"$(get clocks.acceptance.start) $(get clocks.acceptance.state)" \
	"$(day 3) running"

# ---- 10. a collective case (Art 7; 办案规则 Art 63) -----------------------

at 0
"$TOOL" jedit tests/data/cases/collective-12.json -representatives \
	received="\"$DAY0\"" >"$T/collective.json"
ctl union file "$T/collective.json"
if [ "$RC" -ne 0 ]; then
	bad "10: a collective case without representatives: exit $RC: $(cat "$T/err")"
else
	S10=$(get id)
	ok "10: a collective case without representatives is filed ($S10)"
	show "$S10"
	check "10: 12 workers, collective, no representatives" \
		"$(get priority.workers) $(get priority.collective) $(get representatives)" \
		"12 true absent"
	act "10: accepted" arbitration clerk "$S10" accept_arbitration \
		--set reason=申请人不同意调解
	at 2
	refuse "10: change_claim without the workers' consent" \
		INVALID_ARGUMENT fields.consent "Art 63" clerk "$S10" \
		change_claim --set reason=增加加班费请求 --set kind=overtime \
		--set claim_fen=2500000
	act "10: change_claim with consent" arbitration clerk "$S10" \
		change_claim --set reason=增加加班费请求 --set kind=overtime \
		--set claim_fen=2500000 \
		--set consent=集体同意书-2026-003 \
		--set party_document=变更仲裁请求申请书-2026-003
	show "$S10"
	check "10: the 45 days count again from the change" \
		"$(get clocks.award.start) $(get clocks.award.due)" \
		"$(day 2) $(due "$(day 2)" 45 calendar_days)"
fi

# ---- 11. labour inspection (劳动保障监察) --------------------------------------

at 0
newcase "11 inspection" "$DAY0" "$CLAIM"
S11=$ID
refuse "11: the arbitrator cannot refer to inspection" FORBIDDEN event - \
	arbitrator "$S11" refer_inspection --set reason=x
act "11: the clerk refers it to labour inspection" inspection clerk "$S11" \
	refer_inspection --set reason=拖欠农民工工资，移送监察
show "$S11"
check "11: the inspection body's 5 working days start" \
	"$(get clocks.inspection_accept.start) $(get clocks.inspection_accept.due)" \
	"$DAY0 $(due "$DAY0" 5 working_days)"
check "11: acceptance stops" "$(get clocks.acceptance.state)" stopped
refuse "11: the clerk cannot take the inspection's decisions" FORBIDDEN \
	event - clerk "$S11" inspection_accept
act "11: the inspector accepts" inspection inspector "$S11" \
	inspection_accept
show "$S11"
check "11: the investigation's 60 working days start" \
	"$(get clocks.inspection_investigate.start) $(get clocks.inspection_investigate.due)" \
	"$DAY0 $(due "$DAY0" 60 working_days)"
refuse "11: an order to pay by yesterday" INVALID_ARGUMENT fields.pay_by - \
	inspector "$S11" order_payment --set amount_fen="$CLAIM" \
	--set pay_by="$(day -1)"
act "11: the inspector orders payment by day 7" ordered inspector "$S11" \
	order_payment --set amount_fen="$CLAIM" --set pay_by="$(day 7)"
show "$S11"
check "11: the order's clock runs to day 7" \
	"$(get clocks.order_payment.due) $(get clocks.inspection_investigate.state)" \
	"$(day 7) stopped"
refuse "11: police referral before the date" ILLEGAL_TRANSITION event \
	order_payment inspector "$S11" refer_police --set reason=拒不支付
newcase "11 arbitration staff" "$DAY0" "$CLAIM"
S11B=$ID
act "11: accepted for arbitration" arbitration clerk "$S11B" \
	accept_arbitration --set reason=申请人不同意调解
at 7
refuse "11: police referral on the order's date" ILLEGAL_TRANSITION \
	event order_payment inspector "$S11" refer_police --set reason=拒不支付
at 8
for r in clerk arbitrator chair; do
	refuse "11: the $r cannot refer an ordered case to the police" \
		FORBIDDEN event - "$r" "$S11" refer_police --set reason=拒不支付
done
refuse "11: nor the clerk an arbitration case" \
	"FORBIDDEN|ILLEGAL_TRANSITION" event - clerk "$S11B" refer_police \
	--set reason=拒不支付
act "11: the inspector refers it after the date" closed_police inspector \
	"$S11" refer_police --set reason=逾期仍拒不支付

# ---- 12. the limitation year (Art 27): one check ----------------------------

at 0
newcase "12 a year to the day" "$DAY0" "$CLAIM" walk_in \
	", \"employment_ended\": \"$(TZ=Asia/Shanghai date -d "$DAY0 - 1 year" +%F)\""
show "$ID"
check "12: received on the year's last day: no warning" \
	"$(get limitation)" absent
newcase "12 a year and a month" "$DAY0" "$CLAIM" walk_in \
	", \"employment_ended\": \"$(TZ=Asia/Shanghai date -d "$DAY0 - 1 year - 1 month" +%F)\""
refuse "12: a late complaint goes on only once acknowledged" \
	ILLEGAL_TRANSITION event "Art 27" clerk "$ID" accept

# ---- 13. a year with no schedule: one check ---------------------------------

# 2023 has no schedule in policies/calendar: weekends only, provisional.
newcase "13 in 2023" 2023-12-27 "$CLAIM"
show "$ID"
check "13: a year with no schedule: provisional" \
	"$(get clocks.acceptance.due) $(get clocks.acceptance.provisional)" \
	"$(due 2023-12-27 5 working_days) true"

at 0
ctl auditor audit verify
if [ "$RC" -eq 0 ]; then ok "the audit chain verifies"; else
	bad "the audit chain verifies: exit $RC: $(cat "$T/err")"
fi

stop
if [ "$XFAILS" -gt 0 ]; then
	echo "procedure: $XFAILS known server bug(s): the XFAIL lines above"
fi
echo "procedure: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
