/* SPDX-License-Identifier: MIT */
/*
 * caseview.h - a case as one actor sees it (the result of case.get).
 *
 * Threads: any request thread, inside the caller's read txn.
 */
#ifndef WAGE_CASEVIEW_H
#define WAGE_CASEVIEW_H

#include <jansson.h>
#include <stdint.h>

#include "ops_int.h"

/*
 * caseview_build: the view of case head doc (borrowed, may be shared: it
 * is not changed) for actor a under policy p (NULL: no clocks or next
 * events): a new object, or NULL (logged) when a sealed field does not
 * open or memory ran out. Without the steps.
 */
json_t *caseview_build(const struct server *srv, const struct policy *p,
    const struct actor *a, const json_t *doc);

/*
 * caseview_respondent: what of case doc (borrowed) the employer's side may
 * be shown, e.g. with the application copy served on it: the case, the
 * parties, the claim and the facts, the award or agreement; no ID number,
 * phone or internal record (clocks, steps, notes, who filed), and a
 * confidential complainant (劳动保障监察条例 第9条) by position only. A new
 * object, "view": "respondent"; NULL when memory ran out.
 */
json_t *caseview_respondent(const struct server *srv, const json_t *doc);

/*
 * caseview_render: the encoded view of case doc (a decoded head at
 * revision rev, read in txn) for actor a, with its recorded steps joined
 * in: from the case cache, or built now and kept there. *text is new
 * (free it), *n its length. WAGE_OK or WAGE_E_INTERNAL.
 */
int caseview_render(struct server *srv, struct store_txn *txn,
    const struct actor *a, const json_t *doc, uint64_t rev, char **text,
    size_t *n);

#endif /* WAGE_CASEVIEW_H */
