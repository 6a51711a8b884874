/* SPDX-License-Identifier: MIT */
/*
 * sweep.c - the events the server fires by itself (sweep.h): the sweep
 * thread, its passes, and the check "would an automatic event fire on
 * this case now?" (sweep_pending), which case.due shows too.
 * A fired event goes the way of a case.act (ops_write.c, top comment):
 * op_case_act prepares it on this thread as it would on an nng thread,
 * with the server as the actor (role system: workflow_check lets it fire
 * exactly the automatic events, scope lets it see every case), then the
 * writer applies it (apply_case_act: the revision read must still be the
 * case's; audit event, head, indexes and step in one txn) and the replier
 * puts the new head in the cache (ops_write_committed).
 * Owns: the sweep thread and its passes. Must not: write but through the
 * writer, keep a read txn across a write, block an nng callback or the
 * writer, or log case content (ids, events and states only).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "casecache.h"
#include "caserec.h"
#include "log.h"
#include "ops_int.h"
#include "sweep.h"

#define SWEEP_BATCH 64 /* writes handed to the writer, then awaited */
#define EVENT_MAX   64 /* bytes of an event name (op_case_act's limit) */

struct sweep {
	struct server  *srv;
	struct actor    who;
	int             interval; /* seconds */
	pthread_t       thread;
	pthread_mutex_t mtx;
	pthread_cond_t  cv; /* stop (CLOCK_MONOTONIC) */
	atomic_int      stop;
};

/* A case with an automatic event to fire, found by the scan. */
struct cand {
	char     id[WAGE_CASE_ID_MAX + 1];
	char     event[EVENT_MAX + 1];
	uint64_t rev; /* as read: a write in between makes it stale */
};

struct cands {
	struct cand *v;
	size_t       n, cap;
};

/* One write of a pass. r first: the writer's job is r's first member,
 * so that ops_job_request (and this file) find the item from the job. */
struct item {
	struct ops_request r;
	struct batch      *b;
	int                rc;
};

/* The writes of one batch, and how many the writer has not answered. */
struct batch {
	pthread_mutex_t mtx;
	pthread_cond_t  cv;
	size_t          pending;
};

/*
 * Which events fire.
 */

static int
leaves(const struct policy_event *ev, long st)
{
	size_t i;

	for (i = 0; st >= 0 && i < ev->nfrom; i++) {
		if (ev->from[i] == (size_t) st) {
			return (1);
		}
	}
	return (0);
}

const struct policy_event *
sweep_pending(const struct caserules_env *env, const json_t *doc)
{
	static const struct actor  sys = { .name = "wage-server",
		 .role                           = ROLE_SYSTEM };
	const struct policy       *p   = env->policy;
	const struct policy_event *ev;
	struct wage_error          err;
	size_t                     i;
	long                       st;

	st = policy_state_find(
	    p, json_string_value(json_object_get(doc, "state")));
	for (i = 0; st >= 0 && i < p->nevents; i++) {
		ev = &p->events[i];
		/* The policy's order: the first whose guards pass. */
		if (ev->automatic && leaves(ev, st) &&
		    caserules_guards(env, doc, ev, NULL, &sys, &err) ==
		        WAGE_OK) {
			return (ev);
		}
	}
	return (NULL);
}

/*
 * The scan, in one read txn.
 */

struct scan {
	struct server    *srv;
	struct store_txn *txn;
	const atomic_int *stop;
	json_t           *hashes; /* of the stored policies */
	json_t           *states; /* name -> true: from states to scan */
	json_t           *ids;    /* case ids found in them */
};

static int
stopping(const atomic_int *stop)
{
	return (stop != NULL && atomic_load(stop) != 0);
}

static int
take_hash(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct scan *sc = arg;

	(void) v;
	return (json_array_append_new(sc->hashes,
	            json_stringn((const char *) k->mv_data, k->mv_size)) == 0
	        ? 0
	        : WAGE_E_INTERNAL);
}

static int
take_id(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct scan *sc = arg;
	char         id[WAGE_CASE_ID_MAX + 1];

	json_t      *sum;
	bool         once;

	if (stopping(sc->stop)) {
		return (STORE_SCAN_STOP);
	}
	if (caserec_key_id(k, id, sizeof(id)) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	/* A pending 移送's second entry: the case is met under its own. */
	sum  = json_loadb(v->mv_data, v->mv_size, 0, NULL);
	once = caserec_key_primary(DB_BY_STATE, k,
	    json_string_value(json_object_get(sum, "region")));
	json_decref(sum);
	if (!once) {
		return (0);
	}
	return (json_array_append_new(sc->ids, json_string(id)) == 0
	        ? 0
	        : WAGE_E_INTERNAL);
}

/* add_states: the from states of p's automatic events, into sc->states. */
static void
add_states(struct scan *sc, const struct policy *p)
{
	size_t i, j;

	for (i = 0; i < p->nevents; i++) {
		for (j = 0; p->events[i].automatic && j < p->events[i].nfrom;
		     j++) {
			json_object_set_new(sc->states,
			    p->states[p->events[i].from[j]].name, json_true());
		}
	}
}

static int
cands_add(struct cands *c, const char *id, const char *event, uint64_t rev)
{
	struct cand *nv;

	if (c->n == c->cap) {
		c->cap = c->cap > 0 ? c->cap * 2 : 16;
		if ((nv = realloc(c->v, c->cap * sizeof(*nv))) == NULL) {
			return (WAGE_E_INTERNAL);
		}
		c->v = nv;
	}
	snprintf(c->v[c->n].id, sizeof(c->v[c->n].id), "%s", id);
	snprintf(c->v[c->n].event, sizeof(c->v[c->n].event), "%s", event);
	c->v[c->n].rev = rev;
	c->n++;
	return (WAGE_OK);
}

/* check_case: does an automatic event fire on case id now? */
static int
check_case(struct scan *sc, const char *id, struct cands *out)
{
	struct caserules_env       env;
	const struct policy_event *ev;
	json_t                    *doc;
	MDB_val                    v;
	uint64_t                   rev;
	int                        rc;

	rc = caserec_head(sc->txn, id, &v);
	if (rc == WAGE_E_NOT_FOUND) {
		return (WAGE_OK); /* an index entry without a case: verify */
	}
	if (rc != WAGE_OK ||
	    (rc = caserec_head_revision(v.mv_data, v.mv_size, &rev)) !=
	        WAGE_OK) {
		return (rc);
	}
	/* Shared and read-only; caserules_guards does not change it. */
	if ((doc = casecache_get(
	         sc->srv->cases, id, rev, v.mv_data, v.mv_size)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	env.policy   = ops_policy_for(sc->srv, sc->txn,
	      json_string_value(json_object_get(doc, "policy")));
	env.calendar = sc->srv->calendar;
	env.minwage  = sc->srv->minwage;
	rc           = WAGE_OK;
	if (env.policy != NULL && (ev = sweep_pending(&env, doc)) != NULL) {
		rc = cands_add(out, id, ev->name, rev);
	}
	json_decref(doc);
	return (rc);
}

/*
 * scan: the cases with an automatic event to fire now, into out. Every
 * policy a case may follow is stored (main.c keeps each version), so the
 * states to look in are the from states of the automatic events of all.
 */
static int
scan(struct server *srv, const atomic_int *stop, struct cands *out,
    size_t *looked)
{
	struct scan          sc;
	const struct policy *p;
	const char          *state;
	json_t              *v;
	char                 prefix[128];
	size_t               i;
	void                *it;
	int                  n, rc;

	memset(&sc, 0, sizeof(sc));
	sc.srv    = srv;
	sc.stop   = stop;
	sc.hashes = json_array();
	sc.states = json_object();
	sc.ids    = json_array();
	if (sc.hashes == NULL || sc.states == NULL || sc.ids == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	if ((rc = store_read_begin(srv->store, &sc.txn)) != WAGE_OK) {
		goto out;
	}
	add_states(&sc, srv->policy);
	rc = store_scan(sc.txn, DB_POLICIES, NULL, 0, NULL, take_hash, &sc);
	json_array_foreach (sc.hashes, i, v) {
		if (rc == WAGE_OK &&
		    (p = ops_policy_for(srv, sc.txn, json_string_value(v))) !=
		        NULL) {
			add_states(&sc, p);
		}
	}
	/* state SEP region SEP id: the whole state name, then SEP. */
	for (it = json_object_iter(sc.states); rc == WAGE_OK && it != NULL;
	     it = json_object_iter_next(sc.states, it)) {
		state = json_object_iter_key(it);
		n = snprintf(prefix, sizeof(prefix), "%s" CASEREC_SEP, state);
		if (n > 0 && (size_t) n < sizeof(prefix)) {
			rc = store_scan(sc.txn, DB_BY_STATE, prefix,
			    (size_t) n, NULL, take_id, &sc);
		}
	}
	json_array_foreach (sc.ids, i, v) {
		if (rc != WAGE_OK || stopping(stop)) {
			break;
		}
		(*looked)++;
		rc = check_case(&sc, json_string_value(v), out);
	}
	store_read_end(sc.txn);
out:
	json_decref(sc.hashes);
	json_decref(sc.states);
	json_decref(sc.ids);
	return (rc);
}

/*
 * The writes.
 */

/* On the replier thread (or at once, if the writer has stopped). */
static void
item_done(struct store_job *job, int rc)
{
	struct item  *it = (struct item *) (void *) ops_job_request(job);
	struct batch *b  = it->b;

	if (rc != WAGE_OK && job->err.code != WAGE_OK) {
		it->r.err = job->err;
	}
	if (rc == WAGE_OK) {
		ops_write_committed(&it->r);
	}
	pthread_mutex_lock(&b->mtx);
	it->rc = rc;
	b->pending--;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mtx);
}

/*
 * prepare: the case.act of c, as the server, made as a request would be:
 * its arguments, the keyed digest of its body for the audit event, then
 * op_case_act (which reads the case again and checks everything). On
 * WAGE_OK it->r holds the prepared write.
 */
static int
prepare(struct server *srv, const struct actor *who, const struct cand *c,
    struct item *it)
{
	char *body;
	int   rc;

	it->r.srv   = srv;
	it->r.actor = *who;
	wage_err_clear(&it->r.err);
	it->r.req = json_pack("{s:s, s:{s:s, s:s, s:I}}", "op",
	    WAGE_OP_CASE_ACT, "args", "id", c->id, "event", c->event,
	    "revision", (json_int_t) c->rev);
	if (it->r.req == NULL) {
		return (WAGE_E_INTERNAL);
	}
	it->r.args = json_object_get(it->r.req, "args"); /* borrowed */
	body       = json_dumps(it->r.req, JSON_COMPACT | JSON_SORT_KEYS);
	if (body == NULL) {
		return (WAGE_E_INTERNAL);
	}
	rc = audit_request_digest(
	    srv->digest_key, body, strlen(body), it->r.digest);
	free(body);
	if (rc != WAGE_OK) {
		return (rc);
	}
	if ((rc = op_case_act(&it->r)) != WAGE_OK && it->r.err.code == 0) {
		wage_err_set(&it->r.err, rc, NULL, NULL);
	}
	return (rc);
}

static void
note_result(const struct cand *c, const struct item *it, int rc,
    struct sweep_counts *n)
{
	json_t *res = it->r.result;

	if (rc == WAGE_OK) {
		n->fired++;
		log_info("sweep: %s: %s fired (%s -> %s), audit seq %" PRId64,
		    c->id, c->event,
		    json_string_value(json_object_get(res, "from")),
		    json_string_value(json_object_get(res, "state")),
		    (int64_t) json_integer_value(
		        json_object_get(res, "audit_seq")));
	} else if (rc == WAGE_E_STALE_REVISION) {
		n->skipped++;
		log_info("sweep: %s: %s not fired: the case changed "
		         "meanwhile; next sweep",
		    c->id, c->event);
	} else {
		n->failed++;
		log_warnx("sweep: %s: %s not fired: %s: %s", c->id, c->event,
		    wage_err_name(rc), it->r.err.message);
	}
}

/* fire: the count events of cands, handed to the writer together, each
 * answered before fire returns. */
static void
fire(struct server *srv, const struct actor *who, const struct cand *cands,
    size_t count, struct sweep_counts *n)
{
	struct batch b;
	struct item *items;
	size_t       i;
	int          rc;

	if ((items = calloc(count, sizeof(*items))) == NULL) {
		n->failed += count;
		log_warnx("sweep: out of memory for %zu write(s)", count);
		return;
	}
	pthread_mutex_init(&b.mtx, NULL);
	pthread_cond_init(&b.cv, NULL);
	b.pending = 0;
	for (i = 0; i < count; i++) {
		items[i].b = &b;
		if ((rc = prepare(srv, who, &cands[i], &items[i])) !=
		    WAGE_OK) {
			items[i].rc = rc;
			continue;
		}
		items[i].r.job.apply = apply_case_act;
		items[i].r.job.done  = item_done;
		pthread_mutex_lock(&b.mtx);
		b.pending++;
		pthread_mutex_unlock(&b.mtx);
		/* item_done may run at once, on this thread. */
		store_submit(srv->store, &items[i].r.job);
	}
	pthread_mutex_lock(&b.mtx);
	while (b.pending > 0) {
		pthread_cond_wait(&b.cv, &b.mtx);
	}
	pthread_mutex_unlock(&b.mtx);
	for (i = 0; i < count; i++) {
		note_result(&cands[i], &items[i], items[i].rc, n);
		ops_request_reset(&items[i].r);
	}
	pthread_cond_destroy(&b.cv);
	pthread_mutex_destroy(&b.mtx);
	free(items);
}

int
sweep_run(struct server *srv, const struct actor *who, const atomic_int *stop,
    struct sweep_counts *out)
{
	struct sweep_counts n;
	struct cands        c = { NULL, 0, 0 };
	size_t              i, k;
	int                 rc;

	memset(&n, 0, sizeof(n));
	/* Read first, write after: no read txn is held while the writer
	 * works, and a case changed in between is stale, not overwritten. */
	if ((rc = scan(srv, stop, &c, &n.looked)) != WAGE_OK) {
		log_warnx("sweep: the scan failed: %s", wage_err_name(rc));
	}
	for (i = 0; rc == WAGE_OK && i < c.n && !stopping(stop);
	     i += SWEEP_BATCH) {
		k = c.n - i < SWEEP_BATCH ? c.n - i : SWEEP_BATCH;
		fire(srv, who, &c.v[i], k, &n);
	}
	free(c.v);
	log_info("sweep: %zu case(s) in a state an automatic event leaves, "
	         "%zu fired, %zu skipped (changed meanwhile), %zu failed%s",
	    n.looked, n.fired, n.skipped, n.failed,
	    stopping(stop) ? " (stopped)" : "");
	if (out != NULL) {
		*out = n;
	}
	return (rc);
}

/*
 * The thread.
 */

static void *
sweep_main(void *arg)
{
	struct sweep   *s = arg;
	struct timespec until;
	int             rc;

	for (;;) {
		sweep_run(s->srv, &s->who, &s->stop, NULL);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += s->interval;
		rc = 0;
		pthread_mutex_lock(&s->mtx);
		while (!atomic_load(&s->stop) && rc != ETIMEDOUT) {
			rc = pthread_cond_timedwait(&s->cv, &s->mtx, &until);
		}
		pthread_mutex_unlock(&s->mtx);
		if (atomic_load(&s->stop)) {
			break;
		}
	}
	return (NULL);
}

int
sweep_start(struct sweep **sp, struct server *srv, const struct actor *who,
    int interval)
{
	struct sweep      *s;
	pthread_condattr_t ca;

	*sp = NULL;
	if (interval < 1 || (s = calloc(1, sizeof(*s))) == NULL) {
		log_warnx("sweep_start: out of memory or bad interval");
		return (WAGE_E_INTERNAL);
	}
	s->srv      = srv;
	s->who      = *who;
	s->interval = interval;
	atomic_init(&s->stop, 0);
	pthread_mutex_init(&s->mtx, NULL);
	/* The interval is a duration: a wall clock set back or forward
	 * (or tests/clocks' shifted time()) does not change it. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&s->thread, NULL, sweep_main, s) != 0) {
		log_warn("sweep_start: pthread_create");
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mtx);
		free(s);
		return (WAGE_E_INTERNAL);
	}
	*sp = s;
	return (WAGE_OK);
}

void
sweep_stop(struct sweep *s)
{
	if (s == NULL) {
		return;
	}
	pthread_mutex_lock(&s->mtx);
	atomic_store(&s->stop, 1);
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mtx);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mtx);
	free(s);
}
