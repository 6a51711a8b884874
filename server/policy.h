/* SPDX-License-Identifier: MIT */
/*
 * policy.h - the case workflow read from a YAML policy file
 * (policies/wage-dispute.yaml): roles, the operations each role may call,
 * how each role's visibility is scoped, the states, the typed fields events
 * carry, and the events with their from/to states, roles, required and
 * optional fields and legal basis.
 *
 * A loaded policy is immutable and may be shared between threads.
 * The policy's identity is the SHA-256 of the file's bytes (hash_hex).
 */
#ifndef WAGE_POLICY_H
#define WAGE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Roles are fixed by the certificate OU; the policy says what they may do. */
enum policy_role {
	ROLE_CLERK = 0,
	ROLE_MEDIATOR,
	ROLE_ARBITRATOR,
	ROLE_CHAIR,
	ROLE_UNION,
	ROLE_LEGAL_AID,
	ROLE_AUDITOR,
	ROLE_ADMIN,
	ROLE_INSPECTOR, /* labour inspection (劳动保障监察) */
	ROLE__COUNT
};

#define ROLE_BIT(r) (1u << (r))

/*
 * ROLE_SYSTEM: the server itself, when it fires an automatic event on its
 * own (sweep.c). Outside 0..ROLE__COUNT: no certificate carries it
 * (policy_role_from_name never returns it), no policy names it, no role
 * mask holds it; policy_role_name calls it "system".
 */
#define ROLE_SYSTEM 99

enum policy_ftype {
	PF_TEXT = 0, /* multi-line free text, WAGE_MAX_TEXT_CHARS */
	PF_STRING,   /* one-line text, WAGE_MAX_SHORT_CHARS */
	PF_DATE,     /* "YYYY-MM-DD" */
	PF_FEN,      /* integer amount in fen, > 0 */
	PF_INT,      /* integer within [min, max] */
	PF_BOOL,     /* true / false */
	PF_ENUM,     /* one of values[] */
	/* The items of an award, per worker, each {worker, kind,
	 * amount_fen, stated} (award.h: award_items_check). */
	PF_AWARD_ITEMS,
	/* What each worker got, {worker, amount_fen} each, one a worker
	 * (caserules.c: a payment's share per worker). */
	PF_WORKER_AMOUNTS,
	PF__COUNT
};

struct policy_field {
	char             *name;
	char             *label; /* may be NULL */
	enum policy_ftype type;
	char            **values; /* PF_ENUM: allowed values */
	size_t            nvalues;
	long long         min, max; /* PF_INT bounds (inclusive) */
	/* PF_DATE: bounds relative to the day the event is recorded, e.g.
	 * a hearing at least 5 days ahead (Art 35), an award date not in
	 * the future; has_*: whether the bound is set. bound_basis names
	 * the rule, shown when a date is refused. */
	bool  has_min_days, has_max_days;
	int   min_days, max_days;
	char *bound_basis;
	/* PF_FEN: the amount may not exceed what was claimed (1) or what is
	 * owed under the agreement or award (2); 0: no bound. */
	int at_most;
};

#define FIELD_AT_MOST_CLAIMED 1
#define FIELD_AT_MOST_OWED    2

/*
 * Legal clocks (DOMAIN.md "Counting time"). A clock counts `length` days in
 * `unit` from the day of the event that starts it (that day not counted).
 * States (on entry) and events act on clocks by name.
 */
enum policy_clock_action {
	CLK_START = 0, /* start, or start again from today if stopped */
	CLK_STOP,      /* the clock's purpose is met: no longer due */
	CLK_SUSPEND,   /* 中止: days from now until resume do not count */
	CLK_RESUME,    /* end the open suspension */
	CLK_RESTART,   /* count again from today (办案规则 Art 46) */
	CLK_EXTEND,    /* add the event's `days` field, within the limits */
	CLK__COUNT
};

struct policy_clock {
	char *name;
	char *label;  /* may be NULL */
	int   length; /* 1..3650 */
	int   unit;   /* enum calendar_unit: 0 calendar days, 1 working */
	char *basis;  /* legal basis, required */
	bool  target; /* a policy target (e.g. fast track), not statutory */
	int   extend_max_days;  /* most days one extension may add; 0: none */
	int   extend_max_times; /* how many extensions; 0: none */
	/* A party's window (to sue, to apply to set aside, to answer): it
	 * runs on after the case closes, and when it ends it is over, not
	 * overdue: nobody at the commission is late. */
	bool window;
	int  party; /* enum policy_party: whose clock it is; 0: the body's */
	/* The clock runs to the date in this field of the event that
	 * starts it (e.g. pay_by), not for `length` days; NULL: length. */
	char *until;
};

/* The parties a document is served on and a window belongs to. */
enum policy_party {
	PARTY_NONE = 0,
	PARTY_WORKER,
	PARTY_EMPLOYER,
	PARTY__COUNT
};

/* policy_party_name: "worker", "employer" ("" for PARTY_NONE). */
const char *policy_party_name(int party);

/* policy_party_from_name: PARTY_WORKER / PARTY_EMPLOYER, or -1. */
int policy_party_from_name(const char *name);

/* Clock actions of a state (on entry) or an event: indexes into clocks[]. */
struct policy_clock_ops {
	size_t *idx[CLK__COUNT];
	size_t  n[CLK__COUNT];
};

struct policy_state {
	char *name;
	char *label; /* may be NULL */
	char *phase; /* intake, mediation, arbitration, closed */
	bool  initial;
	bool  terminal;
	struct policy_clock_ops on_entry; /* clocks acted on when entered */
};

struct policy_event {
	char    *name;
	char    *label; /* may be NULL */
	size_t  *from;  /* indexes into states[] */
	size_t   nfrom;
	size_t   to;      /* index into states[] */
	uint32_t roles;   /* ROLE_BIT mask */
	size_t *requires; /* indexes into fields[] */
	size_t                  nrequires;
	size_t                 *optional; /* indexes into fields[] */
	size_t                  noptional;
	char                   *basis;  /* legal basis, required, non-empty */
	struct policy_clock_ops clocks; /* clock actions of the event */
	/* The event is allowed only once one of these clocks has run out
	 * (e.g. going to arbitration when mediation took over 15 days). */
	size_t *after_expiry; /* indexes into clocks[] */
	size_t  nafter_expiry;
	/* Allowed only while each of these clocks runs and has not run out
	 * (e.g. Art 43: the chair extends the award period before the 45
	 * days end). */
	size_t *before_expiry; /* indexes into clocks[] */
	size_t  nbefore_expiry;
	/* On a collective case (10+ workers) the event needs the represented
	 * workers' recorded consent (办案规则 Art 63): field `consent`. */
	bool collective_consent;
	/* Assignment: 0 none; 1 the actor takes the case; 2 the case goes to
	 * the person named by the fields `assignee` and `assignee_org`. */
	int assign;
	/* Records the award: classify claim items against the final-award
	 * limit (Art 47) and start the challenge clocks. */
	bool award;
	/* Acknowledges the limitation warning (Art 27). */
	bool ack_limitation;
	/* Records service (送达) of a document on a party: fields party,
	 * document, method, served_on; see struct policy_service. */
	bool service;
	/* Records a mediation agreement or 调解书 (amount_fen, pay_by): what
	 * is owed afterwards. */
	bool agreement;
	/* Records a payment (amount_paid_fen, paid_on) against what is owed;
	 * less than owed needs a reason (paid in part). */
	bool payment;
	/* Allowed only when the award is of one of these kinds: bit 0 final,
	 * bit 1 non-final, bit 2 mixed (Art 47); 0: no condition. */
	unsigned award_kinds;
	/* Allowed only while a window among these runs for the party named
	 * by field `party` (or for anyone, when the event has no `party`):
	 * a suit (Art 48, 50) or a set-aside application (Art 49). */
	size_t *within_window; /* indexes into clocks[] */
	size_t  nwithin_window;
	/* Allowed only while the 调解书 is not yet in force (1: a party may
	 * still go back on it, Art 42) or only once it is (2: enforcement,
	 * Art 51); 0: no condition. */
	int settlement;
	/* Changes the claim (办案规则 Art 46): the claim item of the field
	 * `kind` becomes `claim_fen` (added when the claim had none). */
	bool claim_change;
	/* A party went back on the 调解书 before it took effect (Art 42): it
	 * is void, kept under "settlements_void" with its receipts, and a
	 * later agreement is served afresh. */
	bool settlement_void;
	/* The server fires it by itself, as ROLE_SYSTEM, once the case is in
	 * one of its from states and every guard passes (sweep.c); it
	 * requires no field. roles (may be empty) may fire it by hand. */
	bool automatic;
	/* Allowed only once every one of these clocks has started and run
	 * out (e.g. Art 50: a non-final award takes effect when the 15 days
	 * pass with no suit). */
	size_t *after_expiry_all; /* indexes into clocks[] */
	size_t  nafter_expiry_all;
	/* 移送 (办案规则 第9条): sends the case to another body, or accepts
	 * or returns it as the receiving body: enum transfer_kind
	 * (transfer.h); 0: none. */
	int transfer;
	/* Answers the duplicates flag of a filing (filing.h): field
	 * duplicate_resolution link or separate (reason required). */
	bool duplicate_resolve;
	/* Representation (Art 24; 特别授权 as in 民事诉讼法 Art 62):
	 * power: the special authority a representative (union, legal aid)
	 * needs in its power of attorney to do this act for the worker, as
	 * POLICY_POWER_* + 1; 0: none named (represent.c). */
	int power;
	/* The act is a party's own: staff only record it, with the party's
	 * signed document in the field party_doc (an index into fields[],
	 * when has_party_doc); on_behalf_of names the party in person. */
	bool   has_party_doc;
	size_t party_doc;
	int    party; /* whose act: PARTY_WORKER (default) or EMPLOYER */
	/* Changes the representation: 1 appoint (or replace) the
	 * representative, 2 remove it, 3 change the elected representatives
	 * of a collective case; 0 none. */
	int representation;
};

#define REPRESENTATION_APPOINT 1
#define REPRESENTATION_REMOVE  2
#define REPRESENTATION_ELECT   3

/*
 * The powers a power of attorney may grant (授权委托书的权限), in the
 * order they are listed: file, mediate, arbitrate, settle, withdraw,
 * concede, change_claim, receive_payment, appeal. policy_power_names is
 * NULL-terminated; policy_power_find returns an index or -1;
 * policy_power_label the Chinese name ("和解") or "".
 */
#define POLICY_NPOWERS 9
extern const char *const policy_power_names[POLICY_NPOWERS + 1];
int                      policy_power_find(const char *name);
const char              *policy_power_label(int power);

#define AWARD_KIND_FINAL    1u
#define AWARD_KIND_NONFINAL 2u
#define AWARD_KIND_MIXED    4u

/*
 * Service (送达): the documents served on the parties, whom each goes to,
 * what receipt does to the clocks, and the public-notice rule. Each
 * party's receipt is its own: windows run from it (Arts 48-50).
 */
struct policy_document {
	char    *name;
	char    *label;
	char    *basis;
	unsigned to; /* bit (1 << party) for each party it is served on */
	/* Clock actions on a party's receipt, on the day of receipt. */
	struct policy_clock_ops on_receipt[PARTY__COUNT];
	/* Clock actions when every party has received it, on the last day
	 * of receipt (e.g. a 调解书 takes effect, Art 42). */
	struct policy_clock_ops on_all_received;
	bool takes_effect; /* a 调解书: effective when all have received it */
	bool opens_windows; /* the award: each party's windows (Arts 48-50) */
};

struct policy_service {
	struct policy_document *documents;
	size_t                  ndocuments;
	char *public_notice_method; /* the method value of 公告送达 */
	int   public_notice_days;   /* deemed served this many days later */
	char *public_notice_basis;
};

struct policy_op {
	char    *name; /* "case.file" etc. */
	uint32_t roles;
};

struct policy {
	char                *name;
	char                *version;
	char                 hash_hex[65]; /* SHA-256 of the file's bytes */
	struct policy_state *states;
	size_t               nstates;
	struct policy_field *fields;
	size_t               nfields;
	struct policy_event *events;
	size_t               nevents;
	struct policy_op    *ops;
	size_t               nops;
	uint32_t scope_region; /* roles that see the cases of their region */
	uint32_t scope_org;    /* roles that see their organisation's cases */
	uint32_t unmasked;     /* roles that see ID numbers and phones whole */
	/* Filing (issue 13, part 9): 'received' more than
	 * filing_max_days_back days before today needs a received_reason,
	 * and only roles in filing_backdate_roles may give one. -1: the
	 * policy sets no bound (older policies). */
	int                  filing_max_days_back;
	uint32_t             filing_backdate_roles;
	char                *filing_basis;
	size_t               initial; /* index of the initial state */
	struct policy_clock *clocks;
	size_t               nclocks;
	/* Work-list order: case priority flags (collective, migrant,
	 * poverty_alleviated), most urgent first. */
	char **priority;
	size_t npriority;
	/* Award (Art 47-50): the clocks started when an award is recorded:
	 * by indexes into clocks[]; SIZE_MAX when not configured. */
	size_t clock_challenge_worker;   /* final award: worker may sue */
	size_t clock_challenge_employer; /* final award: set aside */
	size_t clock_challenge_nonfinal; /* non-final award: either party */
	/* Per party (when set, instead of clock_challenge_nonfinal). */
	size_t clock_challenge_nonfinal_party[PARTY__COUNT];
	/* award_clocks.from: the windows start on each party's receipt of
	 * the award (service) rather than on the award date. */
	bool                  windows_from_service;
	struct policy_service service; /* ndocuments 0: no service section */
};

/* policy_document_find returns the document called name, or NULL. */
const struct policy_document *policy_document_find(
    const struct policy *p, const char *name);

/* policy_clock_find returns the index of clock name, or -1. */
long policy_clock_find(const struct policy *p, const char *name);

/*
 * policy_load_buffer parses and checks a policy held in buf (len bytes);
 * name is used in diagnostics ("name:line: what is wrong"). Every error
 * found is printed to diag (may be NULL), one per line, and the count is
 * stored in *nerrors (may be NULL). Returns 0 and sets *out on success;
 * returns -1 with *out NULL if any error was found or memory ran out.
 * The caller frees *out with policy_free.
 */
int policy_load_buffer(const char *name, const char *buf, size_t len,
    struct policy **out, FILE *diag, int *nerrors);

/* policy_load_file reads path whole and calls policy_load_buffer. */
int policy_load_file(
    const char *path, struct policy **out, FILE *diag, int *nerrors);

/* policy_free releases p and everything it owns; NULL is allowed. */
void policy_free(struct policy *p);

/* policy_state_find returns the index of state name, or -1. */
long policy_state_find(const struct policy *p, const char *name);

/* policy_event_find returns the event called name, or NULL. */
const struct policy_event *policy_event_find(
    const struct policy *p, const char *name);

/* policy_field_find returns the index of field name, or -1. */
long policy_field_find(const struct policy *p, const char *name);

/* policy_ftype_name returns "text", "award_items" etc., or "?". */
const char *policy_ftype_name(int type);

/* policy_op_allowed: may role call op? Ops not listed are allowed to none. */
bool policy_op_allowed(const struct policy *p, const char *op, int role);

/* policy_role_from_name returns the role for "clerk" etc., or -1. */
int policy_role_from_name(const char *name);

/* policy_role_name returns "clerk" etc., "system" for ROLE_SYSTEM, or "?"
 * for a bad value. */
const char *policy_role_name(int role);

#endif /* WAGE_POLICY_H */
