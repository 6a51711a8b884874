#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/claims/run.sh SERVER WAGECTL CLOCKTOOL
#
# Each worker's own claims (issue 10), against a real wage-server over
# mutual TLS with its own PKI and LMDB (tests/lib.sh) and the shipped
# policy, driven by wagectl:
#  - a case of three workers, each with their own claim items and months,
#    filed as a union station: the case's items are the workers' totals by
#    kind, its months their span; `show` lists each worker's amount;
#  - ID numbers and phones typed with spaces, dashes and full-width digits
#    are stored normalised, and the reply lists which were;
#  - a wrong ID number says what is wrong with it; nothing is filed;
#  - the same filing sent again with its idempotency key files nothing
#    and names the case it filed; the audit chain and the indexes agree;
#  - the same workers filed again against the same employer while their
#    case is open: flagged with that case (duplicates), until the filer
#    links it or confirms a separate claim with a reason; the same credit
#    code under another name is flagged;
#  - in arbitration, a changed claim names its worker (required when
#    there are several), and an award cannot give a worker more of a kind
#    than that worker claimed, whatever the case's total; a payment's
#    share per worker stays within what that worker was awarded;
#  - a single worker's common claim is that worker's own;
#  - a confidential complainant (劳动保障监察条例 第9条) is named to the
#    clerk, and never by name or number in what an auditor reads (the
#    case, listings, history, the audit export, reports) or in the view
#    for the respondent.
# Output: one line per check, then `claims: N passed, M failed`.
set -u
if [ $# -ne 3 ]; then
	echo "usage: $0 SERVER WAGECTL CLOCKTOOL" >&2
	exit 2
fi
SERVER=$1
WAGECTL=$2
TOOL=$3
LC_ALL=C.UTF-8
export LC_ALL
. tests/lib.sh
suite_begin claims
suite_server 19

# ctl (tests/lib.sh) runs wagectl as a role; get reads its JSON output.
get() { "$TOOL" get "$T/out" "$1"; }
ncases() {
	ctl clerk list
	grep -c 'WA20[0-9][0-9]-' "$T/out"
}

MONTH=$(TZ=Asia/Shanghai date +%Y-%m)
PREV=$(TZ=Asia/Shanghai date -d "$(date +%Y-%m-15) - 1 month" +%Y-%m)
ID0=$("$TOOL" idnum 370124 19850315 1)
ID1=$("$TOOL" idnum 370124 19900601 2)
ID2=$("$TOOL" idnum 370124 19781120 3)
# ID1 as typed: "370124 1990-0601 ..." with full-width digits in the middle.
ID1_TYPED=$(printf '%s %s-%s %s' "$(echo "$ID1" | cut -c1-6)" \
	"$(echo "$ID1" | cut -c7-10 | sed 'y/0123456789/０１２３４５６７８９/')" \
	"$(echo "$ID1" | cut -c11-14)" "$(echo "$ID1" | cut -c15-18)")
REP='{"kind": "union", "organisation": "济南市历下区总工会工会驿站",
 "name": "陈静", "authority": {"scope": ["file", "mediate", "arbitrate"],
 "document": "授权委托书 2026-历下-031"}}'

crew() { # KEY: the three-worker filing, with idempotency key KEY (or none)
	c_key=""
	[ -n "$1" ] && c_key=", \"idempotency_key\": \"$1\""
	cat <<EOF
{"channel": "union_station", "region": "370102",
 "claimants": [
  {"name": "赵一", "id_number": "$ID0", "migrant_worker": true,
   "claims": [{"kind": "wages", "amount_fen": 600000}],
   "period": {"from": "$PREV", "to": "$PREV"}},
  {"name": "钱二", "id_number": "$ID1_TYPED", "phone": "138 0013 8000",
   "migrant_worker": true,
   "claims": [{"kind": "wages", "amount_fen": 900000},
              {"kind": "overtime", "amount_fen": 45050}],
   "period": {"from": "$PREV", "to": "$MONTH"}},
  {"name": "孙三", "id_number": "$ID2", "migrant_worker": true,
   "claims": [{"kind": "wages", "amount_fen": 300000}],
   "period": {"from": "$MONTH", "to": "$MONTH"}}],
 "respondent": {"name": "济南某建筑劳务有限公司",
  "credit_code": "91370100MA3C5XY809"},
 "facts": "三名工人工资被拖欠。", "representative": $REP$c_key}
EOF
}

# ---- each worker's own claims ----------------------------------------
KEY=$(printf 'crew-%s' "$$" | sha256sum | cut -c1-64)
crew "$KEY" >"$T/crew.json"
ctl union --json file "$T/crew.json"
if [ "$RC" -ne 0 ]; then
	bad "file the crew: exit $RC: $(cat "$T/err")"
	echo "claims: $PASS passed, $((FAIL)) failed"
	exit 1
fi
CASE=$(get id)
ok "three workers with their own claims filed as $CASE"
check "the reply lists what was typed otherwise" \
	"$(get normalised.0) $(get normalised.1)" \
	"claimants[1].id_number claimants[1].phone"
ctl union --json show "$CASE"
check "the case's items are the workers' totals by kind" \
	"$(get claim.items.0.kind)=$(get claim.items.0.amount_fen) $(get claim.items.1.kind)=$(get claim.items.1.amount_fen) total=$(get claim.total_fen)" \
	"wages=1800000 overtime=45050 total=1845050"
check "the case's months are the workers' span" \
	"$(get claim.period.from)..$(get claim.period.to)" "$PREV..$MONTH"
check "each worker keeps their own total" \
	"$(get claimants.0.total_fen) $(get claimants.1.total_fen) $(get claimants.2.total_fen)" \
	"600000 945050 300000"
ctl clerk --json show "$CASE"
check "the typed ID number and phone are stored normalised" \
	"$(get claimants.1.id_number) $(get claimants.1.phone)" \
	"$ID1 13800138000"
ctl clerk show "$CASE"
if grep -q "钱二.*9450.50.*$PREV\.\.$MONTH" "$T/out"; then
	ok "show lists each worker's amount and months"
else
	bad "show: $(grep -A5 claimants "$T/out")"
fi

# ---- a wrong number says what is wrong ------------------------------
BEFORE=$(ncases)
BADID=$(echo "$ID0" | cut -c1-17)
crew "" | sed "s/\"$ID0\"/\"$BADID\"/" >"$T/bad.json"
ctl union file "$T/bad.json"
if [ "$RC" -ne 0 ] && grep -q "claimants\[0\].id_number" "$T/err" &&
	grep -q "has 17 characters" "$T/err"; then
	ok "a 17-character ID number: the field and what is wrong"
else
	bad "a 17-character ID number: exit $RC: $(cat "$T/err")"
fi
check "nothing was filed" "$(ncases)" "$BEFORE"

# ---- the same filing again ----------------------------------------------
ctl union --json file "$T/crew.json"
check "the same key again: the case it filed, nothing new" \
	"$RC $(get id) $(get already_filed)" "0 $CASE true"
check "no case was added" "$(ncases)" "$BEFORE"
ctl legal_aid --json file "$T/crew.json"
if [ "$RC" -ne 0 ] && grep -q "representative.organisation" "$T/err"; then
	ok "another organisation cannot file as the union"
else
	bad "legal aid with the union's representative: $RC $(cat "$T/err")"
fi
"$TOOL" jedit "$T/crew.json" -representative -idempotency_key channel='"walk_in"' \
	>"$T/walkin.json"
# ---- duplicates: a worker's open case against the same employer ------
ctl clerk --json file "$T/walkin.json"
DUP=$(get id)
check "the same workers again, against the same employer: filed, flagged with $CASE" \
	"$RC $(get duplicates.cases.0.case) $(get duplicates.cases.0.claimants.0) $(get duplicates.cases.0.claimants.2) $(get duplicates.resolved)" \
	"0 $CASE 0 2 false"
ctl clerk show "$DUP"
if grep -q "duplicate.*unresolved.*$CASE" "$T/out"; then
	ok "show names the open case until the filer answers"
else
	bad "show of a flagged case: $(grep -i dup "$T/out")"
fi
ctl clerk act "$DUP" resolve_duplicate --set duplicate_resolution=separate
if [ "$RC" -eq 1 ] && grep -qF "(field: fields.reason)" "$T/err"; then
	ok "answered later: a separate claim needs its reason"
else
	bad "resolve_duplicate without a reason: exit $RC: $(cat "$T/err")"
fi
ctl clerk --json act "$DUP" resolve_duplicate \
	--set duplicate_resolution=link
ctl clerk --json show "$DUP"
check "answered later: linked, by whom, the state unchanged" \
	"$(get duplicates.resolved) $(get duplicates.resolution) $(get duplicates.by.name) $(get state)" \
	"true link 王芳 intake"
ctl clerk act "$DUP" resolve_duplicate --set duplicate_resolution=link
if [ "$RC" -eq 1 ] && grep -q "^error: ILLEGAL_TRANSITION: " "$T/err"; then
	ok "answered once: again is refused"
else
	bad "resolve_duplicate twice: exit $RC: $(cat "$T/err")"
fi
"$TOOL" jedit "$T/walkin.json" \
	duplicate="{\"of\": \"$CASE\", \"resolution\": \"separate\"}" \
	>"$T/sep.json"
ctl clerk file "$T/sep.json"
if [ "$RC" -eq 1 ] && grep -qF "(field: duplicate.reason)" "$T/err"; then
	ok "a separate claim needs its reason"
else
	bad "separate without a reason: exit $RC: $(cat "$T/err")"
fi
"$TOOL" jedit "$T/walkin.json" \
	duplicate="{\"of\": \"$CASE\", \"resolution\": \"separate\", \"reason\": \"另一项目的工资\"}" \
	respondent.name='"济南某建筑劳务公司"' >"$T/sep.json"
ctl clerk --json file "$T/sep.json"
PART=$(get id)
check "naming one of the two open cases leaves it unresolved" \
	"$RC $(get duplicates.cases.1.case) $(get duplicates.resolved)" \
	"0 $DUP false"
"$TOOL" jedit "$T/sep.json" \
	duplicate="{\"of\": [\"$CASE\", \"$DUP\", \"$PART\"], \"resolution\": \"separate\", \"reason\": \"另一项目的工资\"}" \
	>"$T/sep2.json"
ctl clerk --json file "$T/sep2.json"
SEP=$(get id)
check "naming both: confirmed at filing as a separate claim" \
	"$RC $(get duplicates.resolved)" "0 true"
check "the credit code's other name is flagged" \
	"$(get respondent_other_names.0.case) $(get respondent_other_names.0.name)" \
	"$CASE 济南某建筑劳务有限公司"
ctl clerk --json show "$SEP"
check "the case keeps the answer and the flag" \
	"$(get duplicate.of.0) $(get duplicate.resolution) $(get respondent.other_names.0.case)" \
	"$CASE separate $CASE"
ctl auditor audit verify
if grep -q "indexes agree" "$T/out"; then
	ok "audit verify: the chain holds and the indexes agree"
else
	bad "audit verify: $(cat "$T/out" "$T/err")"
fi

# ---- in arbitration: a worker's claim changed, an award held to it -----
ctl clerk --json show "$CASE"
ctl clerk --json act "$CASE" accept_arbitration --set reason=申请人不同意调解
check "accepted for arbitration" "$(get state)" arbitration
ctl clerk act "$CASE" change_claim --set reason=增加加班费 \
	--set kind=overtime --set claim_fen=20000
if [ "$RC" -eq 1 ] && grep -q "fields.worker" "$T/err"; then
	ok "a changed claim on a case of three needs the worker"
else
	bad "change_claim without worker: exit $RC: $(cat "$T/err")"
fi
ctl clerk --json act "$CASE" change_claim --set reason=增加加班费 \
	--set kind=overtime --set claim_fen=20000 --set worker=2 \
	--set party_document=变更仲裁请求申请书-孙三
ctl clerk --json show "$CASE"
check "worker 2's overtime is added; the case's totals follow" \
	"$(get claimants.2.total_fen) $(get claim.items.1.amount_fen) $(get claim.total_fen)" \
	"320000 65050 1865050"
TODAY=$(TZ=Asia/Shanghai date +%F)
ctl arbitrator act "$CASE" award --set award_date="$TODAY" \
	--set amount_fen=600001 \
	--set items='[{"worker": 0, "kind": "wages", "amount_fen": 600001, "stated": "final"}]'
if [ "$RC" -eq 1 ] && grep -q "claimants\[0\]" "$T/err" &&
	grep -q "6000.01" "$T/err"; then
	ok "an award above worker 0's own claim is refused, naming the worker"
else
	bad "award above a worker's claim: exit $RC: $(cat "$T/err")"
fi
ctl arbitrator act "$CASE" award --set award_date="$TODAY" \
	--set amount_fen=100 \
	--set items='[{"worker": 0, "kind": "overtime", "amount_fen": 100, "stated": "final"}]'
if [ "$RC" -eq 1 ] && grep -q "claimed nothing of kind overtime" "$T/err"; then
	ok "overtime for a worker who claimed none is refused"
else
	bad "award of an unclaimed kind to a worker: exit $RC: $(cat "$T/err")"
fi
ctl arbitrator --json act "$CASE" award --set award_date="$TODAY" \
	--set amount_fen=665050 --set items='[{"worker": 0, "kind": "wages", "amount_fen": 600000, "stated": "final"}, {"worker": 1, "kind": "overtime", "amount_fen": 45050, "stated": "final"}, {"worker": 2, "kind": "overtime", "amount_fen": 20000, "stated": "final"}]'
check "an award within each worker's claim" "$RC $(get state)" "0 awarded"
# Each worker's share of a payment: within what that worker was awarded.
ctl clerk act "$CASE" confirm_paid --set amount_paid_fen=600001 \
	--set paid_on="$TODAY" --set party_document=收条-赵一 \
	--set paid_workers='[{"worker": 0, "amount_fen": 600001}]'
if [ "$RC" -eq 1 ] &&
	grep -qF "(field: fields.paid_workers[0].amount_fen)" "$T/err" &&
	grep -q "600000 fen awarded to that worker" "$T/err"; then
	ok "a worker paid more than awarded to that worker: refused"
else
	bad "paid_workers above a worker's award: exit $RC: $(cat "$T/err")"
fi
ctl clerk act "$CASE" confirm_paid --set amount_paid_fen=665050 \
	--set paid_on="$TODAY" --set party_document=收条-三人 \
	--set paid_workers='[{"worker": 0, "amount_fen": 600000}]'
if [ "$RC" -eq 1 ] && grep -qF "(field: fields.paid_workers)" "$T/err"; then
	ok "the workers' shares must add up to the payment"
else
	bad "paid_workers not adding up: exit $RC: $(cat "$T/err")"
fi
ctl clerk --json act "$CASE" confirm_paid --set amount_paid_fen=645050 \
	--set paid_on="$TODAY" --set party_document=收条-赵一钱二 \
	--set reason=孙三加班费未付 \
	--set paid_workers='[{"worker": 0, "amount_fen": 600000}, {"worker": 1, "amount_fen": 45050}]'
ctl clerk --json show "$CASE"
check "paid in part: each worker's share and what is still unpaid" \
	"$(get state) $(get payment.workers.0.unpaid_fen) $(get payment.workers.1.unpaid_fen) $(get payment.unpaid_fen)" \
	"closed_paid 0 0 20000"
ctl clerk --json report campaign --from "$PREV-01" --to "$TODAY"
check "the report counts the workers a payment reached, and what it recovered" \
	"$(get total.workers_paid) $(get total.recovered_fen)" "2 645050"

# ---- one worker, a common claim -----------------------------------------
"$TOOL" jedit tests/data/cases/single-worker.json \
	received="\"$TODAY\"" >"$T/one.json"
ctl union --json file "$T/one.json"
ONE=$(get id)
ctl union --json show "$ONE"
check "one worker's claim is that worker's own" \
	"$(get claim.per_worker) $(get claimants.0.total_fen) $(get claimants.0.claims.0.amount_fen)" \
	"true 1860000 1860000"

# ---- a confidential complainant (劳动保障监察条例 第9条) ------------------
IDC=$("$TOOL" idnum 370124 19880808 4)
ID5=$("$TOOL" idnum 370124 19920202 5)
cat >"$T/conf.json" <<EOF
{"channel": "union_station", "region": "370102", "representative": $REP,
 "claimants": [
  {"name": "周密保", "id_number": "$IDC", "phone": "13912345678",
   "confidential": true,
   "claims": [{"kind": "wages", "amount_fen": 500000}],
   "period": {"from": "$PREV", "to": "$PREV"}},
  {"name": "吴公开", "id_number": "$ID5",
   "claims": [{"kind": "wages", "amount_fen": 400000}],
   "period": {"from": "$PREV", "to": "$PREV"}}],
 "respondent": {"name": "济南某建筑劳务有限公司",
  "credit_code": "91370100MA3C5XY809"},
 "facts": "工资被拖欠，申请人要求对用人单位保密身份。"}
EOF
ctl union --json file "$T/conf.json"
CONF=$(get id)
check "a case with a confidential complainant is filed ($CONF)" "$RC" 0
ctl clerk --json act "$CONF" accept_arbitration --set reason=不同意调解
ctl clerk --json show "$CONF"
check "the clerk sees the complainant" \
	"$(get claimants.0.name) $(get claimants.0.id_number)" "周密保 $IDC"
ctl auditor --json show "$CONF"
check "the auditor does not: no name, no ID number, no phone" \
	"$(get claimants.0.name) $(get claimants.0.id_number) $(get claimants.0.phone) $(get claimants.0.id_hint)" \
	"（保密） absent absent absent"
check "the auditor sees the other worker" "$(get claimants.1.name)" "吴公开"
# Never by name or number in anything the auditor or the respondent side
# reads: the case, its list entry, its history, the audit export, the
# reports; the view prepared for the respondent.
IDC_TAIL=$(echo "$IDC" | cut -c11-18)
leaks() { # FILE: names the complainant or their number?
	grep -q "周密保\|$IDC_TAIL\|13912345678" "$1"
}
for what in "show $CONF" "list" "history $CONF" \
	"report campaign --from $PREV-01 --to $(TZ=Asia/Shanghai date +%F)" \
	"report employers"; do
	# shellcheck disable=SC2086 # the words of the command
	ctl auditor --json $what
	if [ "$RC" -ne 0 ]; then
		bad "auditor $what: exit $RC: $(cat "$T/err")"
	elif leaks "$T/out"; then
		bad "auditor $what names the confidential complainant"
	else
		ok "auditor $what: the complainant is not named"
	fi
done
ctl auditor audit export "$T/export.jsonl"
if [ "$RC" -eq 0 ] && [ -s "$T/export.jsonl" ] &&
	! leaks "$T/export.jsonl"; then
	ok "the audit export does not name the complainant"
else
	bad "audit export: exit $RC $(cat "$T/err")"
fi
ctl clerk show "$CONF" --for-respondent
cp "$T/out" "$T/resp.json"
if [ "$RC" -eq 0 ] && ! leaks "$T/resp.json" &&
	[ "$(get view) $(get claimants.0.name) $(get claimants.1.name)" = \
		"respondent （保密） 吴公开" ] &&
	! grep -q "id_number\|phone\|$ID5" "$T/resp.json"; then
	ok "the respondent's view: the complainant by position, no numbers"
else
	bad "the respondent's view: exit $RC: $(cat "$T/resp.json" "$T/err")"
fi
ctl clerk list
if grep -q "（保密）" "$T/out" && ! grep -q "周密保" "$T/out"; then
	ok "listings show the first claimant as （保密）"
else
	bad "list: $(grep "$CONF" "$T/out")"
fi

# ---- a case is always read whole (issue 13, part 8) -------------------
"$TOOL" jedit tests/data/cases/single-worker.json \
	received="\"$(TZ=Asia/Shanghai date +%F)\"" >"$T/long.json"
ctl union --json file "$T/long.json"
LONG=$(get id)
TEXT=$(awk 'BEGIN { for (i = 0; i < 3990; i++) printf "材"; }')
n=0
while [ $n -lt 200 ]; do
	ctl union --json act "$LONG" supplement --set materials="$TEXT"
	[ "$RC" -eq 0 ] || break
	n=$((n + 1))
done
if [ "$RC" -eq 1 ] && grep -qF "(field: fields)" "$T/err" &&
	grep -q "768 KB one case may hold" "$T/err" && [ $n -gt 30 ]; then
	ok "after $n long supplements the next is refused: the case would outgrow a reply"
else
	bad "long supplements: $n accepted, then exit $RC: $(cat "$T/err")"
fi
ctl clerk --json show "$LONG"
check "the case is still read whole, every step with it" \
	"$RC $(get revision) $(get steps.$((n - 1)).event)" "0 $((n + 1)) supplement"
ctl clerk --json act "$LONG" accept_arbitration --set reason=不同意调解
check "and short events still go on" "$RC $(get state)" "0 arbitration"
ctl clerk --json call case.history "{\"id\": \"$LONG\", \"limit\": 10}"
P1=$(get next)
check "its history comes in pages" \
	"$(get events.9.seq) $(get events.10.seq)" "$P1 absent"
ctl clerk --json call case.history \
	"{\"id\": \"$LONG\", \"limit\": 10, \"after\": $P1}"
check "the next page goes on after it" \
	"$(get events.0.seq)" "$((P1 + 1))"
ctl clerk --json history "$LONG"
check "wagectl history reads every page" \
	"$(get events.$((n + 1)).event) $(get events.$((n + 2)).event) $(get next)" \
	"accept_arbitration absent null"

checks_end
