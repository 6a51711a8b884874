#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/represent/run.sh SERVER WAGECTL TOOL_JSON CLOCKTOOL SHIFTCLOCK_SO
#
# Issue 10, representation (劳动争议调解仲裁法 Art 24; 特别授权 as in 民事诉讼法
# Art 62), against a real wage-server over mutual TLS with its own PKI and
# LMDB (tests/lib.sh) and the shipped policy, driven by wagectl as each
# role:
#   1. a legal-aid centre appointed to a walk-in case gains access; with a
#      power of attorney for "file" only it is refused a settlement and a
#      withdrawal, the refusal naming the power and the scope; appointed
#      anew (replaced) with the power, it settles, and the audit event says
#      for whom and under which power;
#   2. a clerk cannot withdraw for the worker: only record the worker's
#      signed application (party_document), the audit naming the worker in
#      person;
#   3. the union station that filed loses access at once when it is
#      replaced; the representative removed loses it at once too (show and
#      list); the history keeps both;
#   4. an expired power of attorney is refused (the server's today moved
#      with SHIFTCLOCK_SO), and one that ran out cannot be appointed;
#   5. the elected representatives of a collective case change only with
#      the workers' consent;
#   6. the policy shows each event's power;
#   7. a case filed under policy 2026.2 (tests/data/policies/
#      wage-dispute-2026.2.yaml, as shipped before) goes on under its own
#      rules once the server runs the shipped policy: its representative
#      still sees it and acts, a clerk's withdrawal needs no document there
#      (2026.2 had no party_document), and the audit chain verifies.
# Every refusal must name its field, change nothing (state and revision),
# and the server must go on serving.
#
# Output: one line per check, then `represent: N passed, M failed`; the
# exit status is non-zero on any failure.

set -u
if [ $# -ne 5 ]; then
	echo "usage: $0 SERVER WAGECTL TOOL_JSON CLOCKTOOL SHIFTCLOCK_SO" >&2
	exit 2
fi
SERVER=$1
WAGECTL=$2
TJ=$3
TOOL=$4
SHIFT=$5
case $SHIFT in
/*) ;;
*) SHIFT=$(pwd)/$SHIFT ;;
esac
for f in "$SERVER" "$WAGECTL" "$TJ" "$TOOL" "$SHIFT"; do
	if [ ! -f "$f" ]; then
		echo "represent: $f is missing: run make represent" >&2
		exit 2
	fi
done
LC_ALL=C.UTF-8
export LC_ALL
T=$(mktemp -d "${TMPDIR:-/tmp}/wage-represent.XXXXXX") || exit 2
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
	echo "represent: ok    $1"
}
bad() {
	FAIL=$((FAIL + 1))
	echo "represent: FAIL  $1"
}
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
day() { TZ=Asia/Shanghai date -d "${1:-0} days" +%F; }

mkpki "$T/pki" || {
	echo "represent: cannot make the PKI" >&2
	exit 1
}
PORT=$(freeport 11)
mkconf "$T/conf" "$PORT"
export WAGE_SERVER=tls+tcp://127.0.0.1:$PORT WAGE_CA=$T/pki/ca.crt
XDG_RUNTIME_DIR=$T/sess
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR

# ctl ROLE ARGS...: wagectl --json as ROLE; stdout in $T/out, stderr in
# $T/err, exit status in $RC.
ctl() {
	ctl_r=$1
	shift
	WAGE_CERT=$T/pki/$ctl_r.crt WAGE_KEY=$T/pki/$ctl_r.key \
		"$WAGECTL" --json "$@" >"$T/out" 2>"$T/err"
	RC=$?
}
get() { "$TJ" get "$1" "$T/out" 2>/dev/null || echo absent; }
# state_of ID: "STATE revision N" as the clerk sees it.
state_of() {
	ctl clerk show "$1"
	echo "$(get state) revision $(get revision)"
}

# act NAME ROLE ID EVENT [ARGS...]: allowed.
act() {
	a_n=$1 a_r=$2
	shift 2
	ctl "$a_r" act "$@"
	if [ "$RC" -eq 0 ]; then ok "$a_n"; else bad "$a_n: exit $RC: $(cat "$T/err")"; fi
}
# refuse NAME CODE FIELD TEXT ROLE ID EVENT [ARGS...]: refused with CODE
# naming FIELD and TEXT (- for none), and the case unchanged.
refuse() {
	f_n=$1 f_code=$2 f_field=$3 f_text=$4 f_r=$5 f_id=$6
	shift 6
	f_before=$(state_of "$f_id")
	ctl "$f_r" act "$f_id" "$@"
	f_rc=$RC
	cp "$T/err" "$T/refusal"
	f_after=$(state_of "$f_id")
	if [ "$f_rc" -ne 1 ] || ! grep -q "^error: $f_code: " "$T/refusal"; then
		bad "$f_n: want $f_code, got exit $f_rc: $(cat "$T/refusal")"
	elif ! grep -qF "(field: $f_field)" "$T/refusal"; then
		bad "$f_n: want field $f_field: $(cat "$T/refusal")"
	elif [ "$f_text" != - ] && ! grep -qF -- "$f_text" "$T/refusal"; then
		bad "$f_n: want '$f_text' in: $(cat "$T/refusal")"
	elif [ "$f_after" != "$f_before" ]; then
		bad "$f_n: the case changed: $f_before -> $f_after"
	else
		ok "$f_n"
	fi
}
# sees NAME ROLE ID yes|no: case.get by ROLE succeeds, or is OUT_OF_SCOPE.
sees() {
	ctl "$2" show "$3"
	if [ "$4" = yes ]; then
		if [ "$RC" -eq 0 ]; then ok "$1"; else bad "$1: exit $RC: $(cat "$T/err")"; fi
	elif [ "$RC" -eq 1 ] && grep -q "^error: OUT_OF_SCOPE: " "$T/err"; then
		ok "$1"
	else
		bad "$1: want OUT_OF_SCOPE, got exit $RC: $(cat "$T/err")"
	fi
}
# listed ROLE ID: "yes" when ROLE's case list holds ID.
listed() {
	ctl "$1" list
	if grep -q "\"$2\"" "$T/out"; then echo yes; else echo no; fi
}

# newcase ROLE CHANNEL [REPRESENTATIVE_JSON [N]]: one worker (or N, 12 for
# a collective case) of 370102; the id in $ID.
newcase() {
	n_r=$1 n_ch=$2 n_rep=${3:-} n_n=${4:-1}
	{
		echo "{\"channel\": \"$n_ch\", \"region\": \"370102\","
		echo " \"claimants\": ["
		i=0
		while [ $i -lt "$n_n" ]; do
			[ $i -eq 0 ] || echo ","
			SEQ=$((SEQ + 1))
			echo "{\"name\": \"工人$i\", \"migrant_worker\": true,"
			echo " \"id_number\": \"$("$TOOL" idnum 370124 19850315 "$SEQ")\"}"
			i=$((i + 1))
		done
		echo "],"
		echo " \"respondent\": {\"name\": \"济南某建筑劳务有限公司\","
		echo "  \"credit_code\": \"91370100MA3C5XY809\"},"
		echo " \"claim\": {\"items\": [{\"kind\": \"wages\","
		echo "  \"amount_fen\": 1860000}], \"period\": {\"from\": "
		echo "  \"2026-01\", \"to\": \"2026-03\"}},"
		echo " \"facts\": \"被拖欠工资三个月。\""
		if [ -n "$n_rep" ]; then echo ", \"representative\": $n_rep"; fi
		if [ "$n_n" -ge 10 ]; then echo ", \"representatives\": [0, 1, 2]"; fi
		echo "}"
	} >"$T/case.json"
	ctl "$n_r" file "$T/case.json"
	ID=$(get id)
	if [ "$RC" -ne 0 ]; then
		bad "file ($n_r, $n_ch): exit $RC: $(cat "$T/err")"
	fi
}

SEQ=0
AID=济南市法律援助中心
UNION=济南市历下区总工会工会驿站
UNION_REP="{\"kind\": \"union\", \"organisation\": \"$UNION\",
 \"name\": \"陈静\", \"authority\": {\"scope\": [\"file\", \"mediate\"],
 \"document\": \"授权委托书 2026-历下-017\"}}"
# appoint ID SCOPE [ARGS...]: the clerk records the legal-aid centre's
# power of attorney for the worker of ID.
appoint() {
	ap_id=$1 ap_scope=$2
	shift 2
	ctl clerk act "$ap_id" appoint_representative --set rep_kind=legal_aid \
		--set rep_organisation=$AID --set rep_name=赵磊 \
		--set rep_scope="$ap_scope" \
		--set rep_document=法律援助公函-2026-济-031 "$@"
}

start_server "$T/conf" "$T/log" || exit 1

# ---- 1. appointment to a walk-in case; the power of attorney ---------

newcase clerk walk_in
W1=$ID
sees "1: legal aid does not see a walk-in case it does not represent" \
	legal_aid "$W1" no
check "1: ... nor lists it" "$(listed legal_aid "$W1")" no
refuse "1: an appointment names the powers it grants" INVALID_ARGUMENT \
	fields.rep_scope "change_claim" clerk "$W1" appoint_representative \
	--set rep_kind=legal_aid --set rep_organisation=$AID \
	--set rep_name=赵磊 --set rep_scope=file,everything \
	--set rep_document=公函-1
printf '法律援助公函 2026-济-031 (scan)\n' >"$T/poa.pdf"
appoint "$W1" file --set rep_valid_from="$(day 0)" \
	--set rep_valid_until="$(day 90)" \
	--set rep_document_sha256=@"$T/poa.pdf"
if [ "$RC" -eq 0 ]; then ok "1: the clerk records the power of attorney (file)"; else bad "1: appoint: $(cat "$T/err")"; fi
sees "1: the legal-aid centre appointed sees the case" legal_aid "$W1" yes
check "1: ... its record" "$(get representative.organisation) \
$(get representative.valid_until) $(get representative.authority.scope)" \
	"$AID $(day 90) [\"file\"]"
check "1: ... the signed document's SHA-256, computed by wagectl" \
	"$(get representative.authority.document_sha256)" \
	"$(sha256sum "$T/poa.pdf" | cut -d' ' -f1)"
check "1: ... and lists it" "$(listed legal_aid "$W1")" yes
ctl clerk act "$W1" accept_arbitration
refuse "1: legal aid with 'file' only may not settle" FORBIDDEN event \
	"settle needs special authority; the power of attorney covers: file" \
	legal_aid "$W1" settle --set reason=自行和解 --set amount_fen=1000000
grep -qF "授权委托书的权限为: 申请(file)；和解(settle)需要特别授权" "$T/refusal" &&
	ok "1: ... the refusal in Chinese too" ||
	bad "1: ... the refusal in Chinese: $(cat "$T/refusal")"
refuse "1: ... nor withdraw" FORBIDDEN event \
	"withdraw needs special authority; the power of attorney covers: file" \
	legal_aid "$W1" withdraw --set reason=撤回
refuse "1: ... nor concede part of the claim" FORBIDDEN event \
	"concede needs special authority" legal_aid "$W1" concede \
	--set reason=放弃 --set amount_fen=100000
appoint "$W1" file,mediate,settle --set reason=扩大授权
if [ "$RC" -eq 0 ]; then ok "1: a new power of attorney with settle (replaces the old)"; else bad "1: re-appoint: $(cat "$T/err")"; fi
ctl clerk show "$W1"
check "1: the old power is kept, ended today" \
	"$(get representatives_past.0.authority.scope) $(get representatives_past.0.ended_on)" \
	"[\"file\"] $(day 0)"
act "1: with the power, legal aid settles" legal_aid "$W1" settle \
	--set reason=自行和解 --set amount_fen=1000000
check "1: ... and the case is closed" "$(state_of "$W1")" \
	"closed_withdrawn revision 5"
ctl auditor history "$W1"
check "1: the audit: for the worker, under the power settle" \
	"$(get events.4.on_behalf_of.representative) $(get events.4.on_behalf_of.power) $(get events.4.on_behalf_of.power_of_attorney)" \
	"$AID settle 法律援助公函-2026-济-031"

# ---- 2. staff never act for a party -----------------------------------

newcase clerk walk_in
W2=$ID
refuse "2: the clerk cannot withdraw for the worker" INVALID_ARGUMENT \
	fields.party_document "staff do not act for a party" clerk "$W2" \
	withdraw --set reason=劳动者要求撤回
act "2: the clerk records the worker's signed withdrawal" clerk "$W2" \
	withdraw --set reason=劳动者要求撤回 \
	--set party_document=撤回仲裁申请书-2026-001
ctl auditor history "$W2"
check "2: the audit: the worker in person, with the document" \
	"$(get events.1.on_behalf_of.party) $(get events.1.on_behalf_of.in_person) $(get events.1.on_behalf_of.document) $(get events.1.on_behalf_of.office)" \
	"worker true 撤回仲裁申请书-2026-001 absent"
check "2: ... and the actor is the clerk who recorded it" \
	"$(get events.1.actor.role)" clerk
newcase clerk walk_in
ctl clerk act "$ID" accept_arbitration
refuse "2: the clerk cannot settle for the worker either" INVALID_ARGUMENT \
	fields.party_document - clerk "$ID" settle --set reason=和解 \
	--set amount_fen=100000

# ---- 3. replacement and removal: access follows the representative ------

newcase union union_station "$UNION_REP"
U3=$ID
sees "3: the union station that filed sees its case" union "$U3" yes
appoint "$U3" file,mediate,withdraw
if [ "$RC" -eq 0 ]; then ok "3: legal aid replaces the union station"; else bad "3: replace: $(cat "$T/err")"; fi
sees "3: the union station replaced no longer sees it" union "$U3" no
check "3: ... nor lists it" "$(listed union "$U3")" no
refuse "3: ... nor acts on it" OUT_OF_SCOPE id - union "$U3" withdraw \
	--set reason=撤回
sees "3: legal aid sees it" legal_aid "$U3" yes
check "3: ... and lists it" "$(listed legal_aid "$U3")" yes
refuse "3: removal needs the worker's signed revocation" INVALID_ARGUMENT \
	fields.party_document - clerk "$U3" remove_representative \
	--set reason=劳动者解除委托
act "3: the clerk records the removal" clerk "$U3" remove_representative \
	--set reason=劳动者解除委托 --set party_document=解除委托书-2026-001
sees "3: the removed legal-aid centre loses access at once" legal_aid \
	"$U3" no
check "3: ... and it is off its list" "$(listed legal_aid "$U3")" no
sees "3: the union station still does not see it" union "$U3" no
ctl clerk show "$U3"
check "3: the history keeps both, with why they ended" \
	"$(get representatives_past.0.organisation) $(get representatives_past.0.ended_by) $(get representatives_past.1.organisation) $(get representatives_past.1.ended_by) $(get representative)" \
	"$UNION replaced $AID removed absent"
refuse "3: nothing left to remove" ILLEGAL_TRANSITION event \
	"no representative" clerk "$U3" remove_representative \
	--set reason=x --set party_document=y
act "3: the worker withdraws through the clerk" clerk "$U3" withdraw \
	--set reason=撤回 --set party_document=撤回申请书-2026-002
ctl auditor audit verify
if [ "$RC" -eq 0 ]; then ok "3: the audit chain and the indexes verify"; else bad "3: audit verify: exit $RC: $(cat "$T/err") $(cat "$T/out")"; fi

# ---- 4. validity dates --------------------------------------------------

newcase clerk walk_in
W4=$ID
refuse "4: a power of attorney that ran out is not appointed" \
	INVALID_ARGUMENT fields.rep_valid_until "ran out" clerk "$W4" \
	appoint_representative --set rep_kind=legal_aid \
	--set rep_organisation=$AID --set rep_name=赵磊 --set rep_scope=file \
	--set rep_document=公函-2 --set rep_valid_until="$(day -1)"
appoint "$W4" file,withdraw --set rep_valid_until="$(day 1)"
if [ "$RC" -eq 0 ]; then ok "4: appointed until tomorrow"; else bad "4: appoint: $(cat "$T/err")"; fi
stop_server
check "4: the server stops cleanly" "$SERVER_RC" 0
start_server "$T/conf" "$T/log" LD_PRELOAD="$SHIFT" WAGE_TEST_DAYS_AHEAD=3 \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" || exit 1
refuse "4: three days on, the expired power is refused" FORBIDDEN event \
	"ran out on $(day 1)" legal_aid "$W4" withdraw --set reason=撤回
refuse "4: ... for any act under it" FORBIDDEN event "ran out" legal_aid \
	"$W4" supplement --set materials=工资条
stop_server
start_server "$T/conf" "$T/log" || exit 1

# ---- 5. the elected representatives of a collective case -------------

newcase clerk walk_in "" 12
C5=$ID
ctl clerk show "$C5"
check "5: three elected at filing" "$(get representatives.2.claimant)" 2
refuse "5: changing them needs the workers' consent" INVALID_ARGUMENT \
	fields.consent - clerk "$C5" elect_representatives \
	--set representatives=3,4,5
refuse "5: 3 to 5 of them" INVALID_ARGUMENT fields.representatives \
	"3 to 5" clerk "$C5" elect_representatives --set representatives=3,4 \
	--set consent=同意书-2026-005
act "5: with consent" clerk "$C5" elect_representatives \
	--set representatives=3,4,5,6 --set consent=推举代表变更同意书-2026-005
ctl clerk show "$C5"
check "5: the new ones, the old kept" \
	"$(get representatives.0.name) $(get representatives.3.name) $(get representatives_past_elected.0.representatives.0.name)" \
	"工人3 工人6 工人0"
newcase clerk walk_in
refuse "5: not in a case of one worker" ILLEGAL_TRANSITION event \
	"collective" clerk "$ID" elect_representatives \
	--set representatives=0,1,2 --set consent=x

# ---- 6. the policy says what each act needs --------------------------

ctl clerk policy
if grep -q '"name": *"settle"' "$T/out" && grep -q '"power": *"settle"' "$T/out" &&
	grep -q '"power": *"receive_payment"' "$T/out"; then
	ok "6: policy shows the powers"
else
	bad "6: policy shows the powers: $(head -c 300 "$T/out")"
fi
ctl clerk whoami
check "6: the server still serves" "$RC" 0

stop_server
check "the server stops cleanly" "$SERVER_RC" 0

# ---- 7. cases filed under 2026.2 go on under it ----------------------

mkconf "$T/conf22" "$PORT" "db: $T/db22" \
	"policy: $(pwd)/tests/data/policies/wage-dispute-2026.2.yaml" \
	"calendar: $(pwd)/policies/calendar" \
	"minimum_wage: $(pwd)/policies/minimum-wage"
mkconf "$T/conf23" "$PORT" "db: $T/db22"
start_server "$T/conf22" "$T/log22" || exit 1
ctl clerk policy
check "7: the server runs 2026.2" "$(get version)" 2026.2
newcase union union_station "$UNION_REP"
O7=$ID
newcase union union_station "$UNION_REP"
O8=$ID
ctl clerk act "$O7" accept_arbitration
stop_server
start_server "$T/conf23" "$T/log23" || exit 1
ctl clerk policy
check "7: then the shipped policy" "$(get version)" 2026.3
sees "7: the union station still sees its 2026.2 case" union "$O7" yes
act "7: and acts on it (its own rules: no power named)" union "$O7" \
	concede --set reason=放弃部分请求 --set amount_fen=100000
act "7: a clerk's withdrawal under 2026.2 needs no document" clerk "$O8" \
	withdraw --set reason=撤回
ctl auditor history "$O8"
check "7: ... and is the office's act, as 2026.2 recorded it" \
	"$(get events.1.on_behalf_of.office)" 济南市劳动人事争议仲裁院
ctl auditor audit verify
if [ "$RC" -eq 0 ]; then ok "7: the audit chain verifies across the move"; else bad "7: audit verify: exit $RC: $(cat "$T/err")"; fi
stop_server
check "7: the server stops cleanly" "$SERVER_RC" 0

echo "represent: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
