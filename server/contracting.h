/* SPDX-License-Identifier: MIT */
/*
 * contracting.h - who pays a construction project's workers first, under
 * 保障农民工工资支付条例 (the Regulations on Ensuring Payment of Wages to
 * Migrant Workers, 2020), chapter 4:
 *   第30条 a subcontractor's (or a sub-let project's) arrears are paid
 *          first by the general contractor (施工总承包单位先行清偿), who
 *          then recovers them;
 *   第36条 work subcontracted or passed on to a person or a body not
 *          qualified to employ: the general contractor (or the developer
 *          who let it) pays;
 *   第29条 a developer who did not pay the project money as agreed
 *          advances the wages owed, up to the money it still owes.
 * The employer (the respondent) stays liable: the one who pays first
 * recovers from it.
 *
 * Pure functions over a case document: thread-safe.
 */
#ifndef WAGE_CONTRACTING_H
#define WAGE_CONTRACTING_H

#include <jansson.h>

/*
 * contracting_view: for case doc (borrowed), the contracting chain and
 * who pays first: {chain: [{role, name, credit_code}], pays_first: {role,
 * name, credit_code, basis, why}, also: [{role, name, credit_code, basis,
 * why}]}; NULL (no new reference) when the case names no project with a
 * general contractor or a developer.
 */
json_t *contracting_view(const json_t *doc);

#endif /* WAGE_CONTRACTING_H */
