#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/bodies/run.sh SERVER WAGECTL CLOCKTOOL
#
# The bodies around a case (issue 10): 移送 between two cities' offices
# (劳动人事争议仲裁办案规则 第9条), and a project's contracting chain
# (保障农民工工资支付条例 第29、30、36条), against a real wage-server over mutual TLS with its own PKI and
# LMDB (tests/lib.sh) and the shipped policy, driven by wagectl as the
# clerks of 济南 (370100) and 青岛 (370200):
#  - a transfer names a real region other than the case's own;
#  - while it is pending, the case stays Jinan's (its region, its
#    listing) and Qingdao sees it too (get, list, due), with 5 working
#    days to decide; nobody sees it twice (a provincial clerk's list), and
#    the provincial report counts it once;
#  - only the receiving office accepts or returns it; the sender cannot;
#  - returned with a reason: it is Jinan's again, Qingdao sees it no more;
#  - accepted: it is Qingdao's (region, award clock from its acceptance),
#    Jinan sees it no more, the union station that filed it still does;
#  - the audit chain and the indexes agree after every step;
#  - a three-level chain (developer, general contractor, subcontractor):
#    the general contractor pays a subcontractor's workers first (第30条),
#    the employer stays liable; work let to an unqualified body (第36条);
#    a developer behind with the project money advances the wages (第29条);
#    `related` lists the cases on the same project and against the same
#    general contractor, only those the reader may see.
# Output: one line per check, then `bodies: N passed, M failed`.
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
suite_begin bodies
suite_server 21
# A provincial clerk and auditor (370000): they see both cities.
pki_issue "$T/pki" clerk_sd clerk 高峰 山东省劳动人事争议仲裁院 370000 &&
	pki_issue "$T/pki" auditor_sd auditor 马丽 山东省人力资源和社会保障厅 \
		370000 || exit 1

get() { "$TOOL" get "$T/out" "$1"; }
# sees ROLE ID: whether ROLE may read case ID ("yes", or the error code).
sees() {
	ctl "$1" --json show "$2"
	if [ "$RC" -eq 0 ]; then
		echo yes
	else
		sed -n 's/^error: \([A-Z_]*\):.*/\1/p' "$T/err" | head -1
	fi
}
# listed ROLE ID: how often ROLE's case list names ID.
listed() {
	ctl "$1" list
	grep -c "$2" "$T/out"
}
# state_rev ID: the case's state and revision, read by the provincial clerk.
state_rev() {
	ctl clerk_sd --json show "$1"
	echo "$(get state) $(get revision)"
}
verify() {
	ctl auditor_sd audit verify
	if grep -q "indexes agree" "$T/out"; then
		ok "$1: the audit chain holds, the indexes agree"
	else
		bad "$1: audit verify: $(cat "$T/out" "$T/err")"
	fi
}
# refused NAME CODE FIELD ROLE ID EVENT ARGS...: refused, case unchanged.
refused() {
	r_n=$1 r_code=$2 r_field=$3 r_role=$4 r_id=$5
	shift 5
	r_before=$(state_rev "$r_id")
	ctl "$r_role" act "$r_id" "$@"
	r_rc=$RC
	cp "$T/err" "$T/refusal"
	r_after=$(state_rev "$r_id")
	if [ "$r_rc" -eq 1 ] && grep -q "^error: $r_code: " "$T/refusal" &&
		grep -qF "(field: $r_field)" "$T/refusal" &&
		[ "$r_before" = "$r_after" ]; then
		ok "$r_n"
	else
		bad "$r_n: exit $r_rc, $r_before -> $r_after: $(cat "$T/refusal")"
	fi
}

TODAY=$(TZ=Asia/Shanghai date +%F)
"$TOOL" jedit tests/data/cases/single-worker.json \
	received="\"$TODAY\"" >"$T/case.json"
ctl union --json file "$T/case.json"
CASE=$(get id)
check "a union station of 370102 files a case ($CASE)" "$RC" 0
ctl clerk --json act "$CASE" accept_arbitration --set reason=申请人不同意调解
check "济南 accepts it for arbitration" "$(get state)" arbitration
check "青岛 does not see it" "$(sees clerk_qd "$CASE")" OUT_OF_SCOPE

# ---- sending -----------------------------------------------------------
refused "a transfer to the case's own region" INVALID_ARGUMENT \
	fields.receiving_region clerk "$CASE" transfer \
	--set receiving_body=历下区仲裁委 --set receiving_region=370102 \
	--set reason=不属本会管辖
refused "a transfer to no real region" INVALID_ARGUMENT \
	fields.receiving_region clerk "$CASE" transfer \
	--set receiving_body=某仲裁委 --set receiving_region=990000 \
	--set reason=不属本会管辖
refused "青岛 cannot send Jinan's case" OUT_OF_SCOPE id clerk_qd "$CASE" \
	transfer --set receiving_body=x --set receiving_region=370200 \
	--set reason=x
ctl clerk --json act "$CASE" transfer \
	--set receiving_body=青岛市劳动人事争议仲裁委员会 \
	--set receiving_region=370200 --set reason=用人单位注册地及用工地均在青岛
check "济南 transfers it to 青岛" "$(get state)" transferring
ctl clerk --json show "$CASE"
check "pending: still Jinan's region, 青岛 named as receiver" \
	"$(get region) $(get transfer.status) $(get transfer.to_region)" \
	"370102 pending 370200"
WANT=$("$TOOL" due policies/calendar "$TODAY" 5 working_days | cut -d' ' -f1)
check "青岛 has 5 working days to decide" \
	"$(get clocks.transfer_acceptance.state) $(get clocks.transfer_acceptance.due)" \
	"running $WANT"
check "青岛 sees the case sent to it" "$(sees clerk_qd "$CASE")" yes
check "青岛's list holds it once" "$(listed clerk_qd "$CASE")" 1
ctl clerk_qd due --within 30
if grep -q "$CASE" "$T/out"; then
	ok "青岛's due list holds it"
else
	bad "青岛's due list: $(cat "$T/out" "$T/err")"
fi
check "济南's list still holds it once" "$(listed clerk "$CASE")" 1
check "the province's list holds it once" "$(listed clerk_sd "$CASE")" 1
ctl auditor_sd --json report campaign --from "$TODAY" --to "$TODAY"
check "the province's report counts it once" "$(get total.received)" 1
verify "pending"
refused "the sender cannot accept its own transfer" OUT_OF_SCOPE event \
	clerk "$CASE" accept_transfer
refused "nor return it" OUT_OF_SCOPE event clerk "$CASE" return_transfer \
	--set reason=x
refused "a return needs a reason" INVALID_ARGUMENT fields.reason \
	clerk_qd "$CASE" return_transfer

# ---- returned ------------------------------------------------------------
ctl clerk_qd --json act "$CASE" return_transfer \
	--set reason=用工地在济南，本会无管辖权
check "青岛 returns it" "$(get state)" arbitration
ctl clerk --json show "$CASE"
check "returned: Jinan's, the return and its reason on record" \
	"$(get region) $(get transfers.0.status) $(get transfers.0.return_reason)" \
	"370102 returned 用工地在济南，本会无管辖权"
check "青岛 sees it no more" "$(sees clerk_qd "$CASE")" OUT_OF_SCOPE
verify "returned"

# ---- accepted ------------------------------------------------------------
ctl clerk --json act "$CASE" transfer \
	--set receiving_body=青岛市劳动人事争议仲裁委员会 \
	--set receiving_region=370200 --set reason=经核实用工地在青岛
check "sent again" "$(get state)" transferring
ctl clerk_qd --json act "$CASE" accept_transfer
check "青岛 accepts it" "$(get state)" arbitration
ctl clerk_qd --json show "$CASE"
check "accepted: 青岛's region, both transfers on record" \
	"$(get region) $(get transfers.1.status) $(get transfers.1.from_region)" \
	"370200 accepted 370102"
check "the 45 days count from 青岛's acceptance" \
	"$(get clocks.award.start) $(get clocks.transfer_acceptance.state)" \
	"$TODAY stopped"
check "济南 sees it no more" "$(sees clerk "$CASE")" OUT_OF_SCOPE
check "the union station that filed it still does" \
	"$(sees union "$CASE")" yes
check "青岛's list holds it" "$(listed clerk_qd "$CASE")" 1
ctl auditor_sd --json report campaign --from "$TODAY" --to "$TODAY"
check "the province's report still counts it once" \
	"$(get total.received)" 1
verify "accepted"


# ---- the contracting chain ------------------------------------------------
DEV=$("$TOOL" credit 91370100MA3D0EW01)
GC=$("$TOOL" credit 91370000163044512)
SUB=$("$TOOL" credit 91370100MA3C5XY80)
SUB2=$("$TOOL" credit 91370100MA3C5XY81)
OTHER=$("$TOOL" credit 91370100MA3Y7QW00)
ID_A=$("$TOOL" idnum 370124 19850315 31)
# chain_case FILE RESPONDENT_NAME RESPONDENT_CODE PROJECT EXTRA: a filing.
chain_case() {
	cat >"$1" <<EOF
{"channel": "walk_in", "region": "370102",
 "claimants": [{"name": "李建国", "id_number": "$ID_A",
  "claims": [{"kind": "wages", "amount_fen": 1860000}],
  "period": {"from": "$(TZ=Asia/Shanghai date +%Y-%m)",
             "to": "$(TZ=Asia/Shanghai date +%Y-%m)"}}],
 "respondent": {"name": "$2", "credit_code": "$3"},
 "project": {"name": "$4",
  "developer": {"name": "济南某置业有限公司", "credit_code": "$DEV"},
  "general_contractor": {"name": "山东某建工集团有限公司",
                         "credit_code": "$GC"},
  "subcontractor": {"name": "$2", "credit_code": "$3"}$5},
 "facts": "分包单位拖欠工资。"}
EOF
}
chain_case "$T/a.json" 济南某劳务有限公司 "$SUB" 历下区某安置房项目 ""
ctl clerk --json file "$T/a.json"
CA=$(get id)
ctl clerk --json show "$CA"
check "three levels: developer, general contractor, subcontractor" \
	"$(get contracting.chain.0.role) $(get contracting.chain.1.role) $(get contracting.chain.2.role) $(get contracting.chain.3.role)" \
	"developer general_contractor subcontractor absent"
check "the general contractor pays the subcontractor's workers first" \
	"$(get contracting.pays_first.credit_code) $(get contracting.pays_first.basis)" \
	"$GC 保障农民工工资支付条例 第30条"
check "the employer stays liable, the one who paid recovers" \
	"$(get contracting.also.0.credit_code) $(get contracting.also.1.role)" \
	"$SUB absent"
chain_case "$T/b.json" 济南另一劳务有限公司 "$SUB2" 历下区某安置房项目 ""
ctl clerk --json file "$T/b.json"
CB=$(get id)
cat >"$T/c.json" <<EOF
{"channel": "walk_in", "region": "370102",
 "claimants": [{"name": "王强", "id_number": "$ID_A",
  "claims": [{"kind": "wages", "amount_fen": 500000}],
  "period": {"from": "$(TZ=Asia/Shanghai date +%Y-%m)",
             "to": "$(TZ=Asia/Shanghai date +%Y-%m)"}}],
 "respondent": {"name": "山东某建工集团有限公司", "credit_code": "$GC"},
 "project": {"name": "槐荫区某商业综合体",
  "general_contractor": {"name": "山东某建工集团有限公司",
                         "credit_code": "$GC"}},
 "facts": "总承包单位直接招用，拖欠工资。"}
EOF
ctl clerk --json file "$T/c.json"
CC=$(get id)
ctl clerk --json show "$CC"
check "the general contractor as employer pays its own" \
	"$(get contracting.pays_first.credit_code) $(get contracting.pays_first.basis) $(get contracting.also.0)" \
	"$GC 保障农民工工资支付条例 第3条；劳动法 第50条 absent"
chain_case "$T/d.json" 济南某商贸有限公司 "$OTHER" 市中区某学校项目 \
	', "unqualified_contractor": true, "developer_arrears": true'
ctl clerk --json file "$T/d.json"
CD=$(get id)
ctl clerk --json show "$CD"
check "work let to an unqualified body: the general contractor pays" \
	"$(get contracting.pays_first.credit_code) $(get contracting.pays_first.basis)" \
	"$GC 保障农民工工资支付条例 第36条"
check "a developer behind with the project money advances the wages" \
	"$(get contracting.also.1.credit_code) $(get contracting.also.1.basis)" \
	"$DEV 保障农民工工资支付条例 第29条"
ctl clerk --json related "$CA"
# The case transferred to 青岛 above is against the same employer: out of
# 济南's scope now, counted, not shown.
check "related: the same project, the same general contractor" \
	"$(get related.0.id)=$(get related.0.relation) $(get related.1.id)=$(get related.1.relation) $(get related.2.id)=$(get related.2.relation) $(get related.3.id) $(get outside_your_scope)" \
	"$CB=same_project $CC=same_general_contractor $CD=same_general_contractor absent 1"
ctl clerk related "$CA"
if grep -q "pays first: 山东某建工集团有限公司" "$T/out" &&
	grep -q "$CB" "$T/out"; then
	ok "wagectl related prints who pays first and the cases"
else
	bad "wagectl related: $(cat "$T/out" "$T/err")"
fi
ctl union --json related "$CB"
if [ "$RC" -eq 1 ] && grep -q "OUT_OF_SCOPE" "$T/err"; then
	ok "the union station cannot ask about a case it did not file"
else
	bad "union related $CB: exit $RC: $(cat "$T/out" "$T/err")"
fi
"$TOOL" jedit "$T/b.json" channel='"union_station"' \
	representative='{"kind": "union", "organisation": "济南市历下区总工会工会驿站", "name": "陈静", "authority": {"scope": ["file"], "document": "授权委托书 2026-历下-040"}}' \
	>"$T/ub.json"
ctl union --json file "$T/ub.json"
UB=$(get id)
ctl union --json related "$UB"
check "the union station sees only the case it filed; the rest counted" \
	"$(get related.0.id) $(get related.1.id) $(get outside_your_scope)" \
	"$CASE absent 4"
verify "the chain"

checks_end
