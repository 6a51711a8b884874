/* SPDX-License-Identifier: MIT */
/*
 * main.c - wage-server: arguments, configuration check (-n), signals, and
 * the order of start-up and shutdown.
 * Start: config → policy → store → data key (refused when missing while
 * the database holds cases) → token key file → start-up txn (case format,
 * token key left in meta by older versions deleted, policy text) → auth → due
 * dates recomputed → writer → sweep (its first pass at once) → listener
 * → READY. SIGHUP and every crl_reload_seconds: the CRL read again
 * (auth_crl_reload). Stop (SIGINT/SIGTERM): stop the sweep → close socket →
 * drain writer → stop every aio → close the environment.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "audit.h"
#include "auth.h"
#include "calendar.h"
#include "casecache.h"
#include "caserec.h"
#include "checkpoint.h"
#include "minwage.h"
#include "config.h"
#include "fileio.h"
#include "log.h"
#include "ops.h"
#include "policy.h"
#include "rpc.h"
#include "seal.h"
#include "store.h"
#include "sweep.h"

#define DEFAULT_CONFIG "/etc/wage-server/wage-server.conf"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: wage-server [-n] [-v] [-c CONFIG]\n"
	    "       wage-server [-c CONFIG] backup DIR\n"
	    "       wage-server [-c CONFIG] verify\n"
	    "       wage-server [-c CONFIG] migrate\n"
	    "       wage-server [-c CONFIG] rotate-token-key\n"
	    "  -c CONFIG  configuration file (default %s)\n"
	    "  -n         check the configuration and policy, then exit\n"
	    "  -v         verbose (debug) logging\n"
	    "  backup DIR copy the database (compacted) into the new\n"
	    "             directory DIR while the server runs, then verify\n"
	    "             the copy's audit chain\n"
	    "  verify     verify the database's audit chain, replay and\n"
	    "             indexes, and print the report as JSON\n"
	    "  migrate    convert a database written by an older version\n"
	    "             to the current case format (the server also does\n"
	    "             this at start), then verify it\n"
	    "  rotate-token-key\n"
	    "             replace the session token key file with a new\n"
	    "             random key (atomically); at the server's next\n"
	    "             start every session ends and clients log in again\n",
	    DEFAULT_CONFIG);
	exit(2);
}

struct startup {
	struct store_job          job;
	struct checkpoint_signer *signer;
	const struct policy      *policy;
	const char               *text;
	size_t                    len;
	unsigned char             key[32];
	size_t                    migrated, steps; /* cases converted */
	int                       dropped_key; /* token key found in meta */
};

/* A database in an older case format is converted before anything reads
 * it (caserec.h); in the same txn as the rest of start-up. */
static int
migrate_apply(struct store_txn *txn, size_t *ncases, size_t *nsteps)
{
	size_t reindexed;
	int    format, rc;

	*ncases = *nsteps = 0;
	if ((rc = caserec_format(txn, &format)) != WAGE_OK) {
		log_warnx("the database's case format is unknown to this "
		          "version");
		return (rc);
	}
	if (format == 0) {
		char f = '0' + CASEREC_FORMAT;

		rc = store_meta_put(txn, "case_format", &f, 1);
	} else if (format != CASEREC_FORMAT) {
		rc = caserec_migrate(txn, ncases, nsteps);
	}
	/* Indexes of an older version are written anew (the heads stay). */
	if (rc == WAGE_OK &&
	    (rc = caserec_reindex(txn, &reindexed)) == WAGE_OK &&
	    reindexed > 0) {
		log_info("the indexes of %zu case(s) were written anew "
		         "(index version %d)",
		    reindexed, CASEREC_INDEX_VERSION);
	}
	return (rc);
}

/* Runs in the start-up write txn: the case format, the token key of older
 * versions deleted, and the policy text. */
static int
startup_apply(struct store_txn *txn, struct store_job *job)
{
	struct startup *st = (struct startup *) (void *) job;
	MDB_val         v;
	int             rc;

	if ((rc = migrate_apply(txn, &st->migrated, &st->steps)) != WAGE_OK) {
		return (rc);
	}
	/* Older versions kept the token key here, in clear: whoever had a
	 * copy of the database could mint tokens. It lives in its own file
	 * now; the stored one goes (its tokens are refused from now on). */
	rc = store_meta_get(txn, "token_key", &v);
	if (rc == WAGE_OK) {
		if ((rc = store_del(txn, DB_META, "token_key", 9)) !=
		    WAGE_OK) {
			return (rc);
		}
		st->dropped_key = 1;
	} else if (rc != WAGE_E_NOT_FOUND) {
		return (rc);
	}
	/* Cases keep the policy they began under: keep every version. */
	rc = store_get(txn, DB_POLICIES, st->policy->hash_hex, 64, &v);
	if (rc == WAGE_E_NOT_FOUND) {
		rc = store_put(txn, DB_POLICIES, st->policy->hash_hex, 64,
		    st->text, st->len);
	}
	return (rc);
}

static int
migrate_job(struct store_txn *txn, struct store_job *job)
{
	struct startup *st = (struct startup *) (void *) job;

	return (migrate_apply(txn, &st->migrated, &st->steps));
}

/* verify_db prints the audit report of the environment in dir; with a
 * signer, stored checkpoints are checked too. */
static int
verify_db(const char *dir, struct checkpoint_signer *signer)
{
	struct store     *st;
	struct wage_error err;
	struct store_txn *txn;
	json_t           *rep = NULL;
	int               rc;

	if ((rc = store_open(&st, dir, (size_t) 1 << 20, 8, &err)) !=
	    WAGE_OK) {
		fprintf(stderr, "wage-server: %s\n", err.message);
		return (1);
	}
	if ((rc = store_read_begin(st, &txn)) == WAGE_OK) {
		int format = CASEREC_FORMAT;

		MDB_val iv;

		if (caserec_format(txn, &format) == WAGE_OK && format == 1) {
			fprintf(stderr,
			    "wage-server: %s holds cases in the format of an "
			    "older version: run 'wage-server migrate' (or "
			    "start the server) first\n",
			    dir);
			store_read_end(txn);
			store_close(st);
			return (1);
		}
		if (format == CASEREC_FORMAT &&
		    store_db_count(txn, DB_CASES) > 0 &&
		    (store_meta_get(txn, "index_version", &iv) != WAGE_OK ||
		        iv.mv_size != 1 ||
		        ((const char *) iv.mv_data)[0] !=
		            '0' + CASEREC_INDEX_VERSION)) {
			fprintf(stderr,
			    "wage-server: %s has the indexes of an older "
			    "version: run 'wage-server migrate' (or start the "
			    "server) first\n",
			    dir);
			store_read_end(txn);
			store_close(st);
			return (1);
		}
		rc = audit_verify(txn, signer, &rep);
		store_read_end(txn);
	}
	store_close(st);
	if (rc != WAGE_OK || rep == NULL) {
		fprintf(stderr, "wage-server: verify %s: %s\n", dir,
		    wage_err_name(rc));
		return (1);
	}
	json_dumpf(rep, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	putchar('\n');
	rc = json_is_true(json_object_get(rep, "valid")) ? 0 : 1;
	json_decref(rep);
	return (rc);
}

/* migrate_db converts the database in dir to the current case format
 * (with the server stopped), then verifies it. */
static int
migrate_db(const char *dir, struct checkpoint_signer *signer)
{
	struct startup    st;
	struct store     *s;
	struct wage_error err;
	int               rc;

	if (store_open(&s, dir, (size_t) 1 << 20, 8, &err) != WAGE_OK) {
		fprintf(stderr, "wage-server: %s\n", err.message);
		return (1);
	}
	memset(&st, 0, sizeof(st));
	rc = store_write_now(s, migrate_job, &st.job);
	store_close(s);
	if (rc != WAGE_OK) {
		fprintf(stderr, "wage-server: migrate %s: %s\n", dir,
		    wage_err_name(rc));
		return (1);
	}
	fprintf(stderr,
	    "wage-server: %zu case(s) with %zu step(s) converted to case "
	    "format %d\n",
	    st.migrated, st.steps, CASEREC_FORMAT);
	return (verify_db(dir, signer));
}

/* backup_db copies the live environment with mdb_env_copy2. */
static int
backup_db(const char *db, const char *dest, struct checkpoint_signer *signer)
{
	struct store     *st;
	struct wage_error err;
	char              path[4096];
	int               mrc, try;

	if (mkdir(dest, 0700) != 0) {
		fprintf(stderr,
		    "wage-server: backup: %s: %s (give a new "
		    "directory)\n",
		    dest, strerror(errno));
		return (1);
	}
	if (store_open(&st, db, (size_t) 1 << 20, 8, &err) != WAGE_OK) {
		fprintf(stderr, "wage-server: backup: %s\n", err.message);
		return (1);
	}
	/* A read txn's snapshot: consistent while the server writes. When
	 * the server grew its map meanwhile, adopt the size and start over. */
	for (try = 0; try < 5; try++) {
		mrc = mdb_env_copy2(store_env(st), dest, MDB_CP_COMPACT);
		if (mrc != MDB_MAP_RESIZED) {
			break;
		}
		snprintf(path, sizeof(path), "%s/data.mdb", dest);
		unlink(path);
		mdb_env_set_mapsize(store_env(st), 0);
	}
	store_close(st);
	if (mrc != 0) {
		fprintf(stderr, "wage-server: backup to %s: %s\n", dest,
		    mdb_strerror(mrc));
		return (1);
	}
	fprintf(
	    stderr, "wage-server: backup written to %s; verifying it\n", dest);
	return (verify_db(dest, signer));
}

struct recompute {
	struct store_job job;
	struct server   *srv;
	int              ncases;
};

/* Due dates follow the calendar: when it changed since the last start,
 * derive them again and audit each change. */
static int
recompute_apply(struct store_txn *txn, struct store_job *job)
{
	struct recompute *rc = (struct recompute *) (void *) job;
	const char       *h  = calendar_hash(rc->srv->calendar);
	MDB_val           v;
	char              reason[200];
	int               r;

	r = store_meta_get(txn, "calendar_hash", &v);
	if (r == WAGE_OK && v.mv_size == strlen(h) &&
	    memcmp(v.mv_data, h, v.mv_size) == 0) {
		return (WAGE_OK);
	}
	if (r != WAGE_OK && r != WAGE_E_NOT_FOUND) {
		return (r);
	}
	snprintf(
	    reason, sizeof(reason), "holiday calendar changed (now %.16s)", h);
	if ((r = ops_recompute_clocks(rc->srv, txn, reason, &rc->ncases)) !=
	    WAGE_OK) {
		return (r);
	}
	return (store_meta_put(txn, "calendar_hash", h, strlen(h)));
}

static int
batch_hook(struct store_txn *txn, void *arg)
{
	return (checkpoint_maybe(txn, arg, 0));
}

static int
final_checkpoint(struct store_txn *txn, struct store_job *job)
{
	struct startup *st = (struct startup *) (void *) job;

	return (checkpoint_maybe(txn, st->signer, 1));
}

/* data_key_load: a database that holds cases holds sealed personal data,
 * which only its data key opens. A new key then would make every sealed
 * field unreadable, so a missing key file stops the start; only a
 * database with no cases may have its key made. Exits on failure. */
static void
data_key_load(
    const struct config *cfg, struct store *s, unsigned char key[SEAL_KEY_LEN])
{
	struct store_txn *txn;
	size_t            ncases;
	int               rc;

	rc = seal_key_load(cfg->data_key, key, 0, stderr);
	if (rc == 0) {
		return;
	}
	if (rc != SEAL_KEY_MISSING) {
		fatalx("%s: cannot use the data key", cfg->data_key);
	}
	if (store_read_begin(s, &txn) != WAGE_OK) {
		fatalx("store: cannot read %s", cfg->db);
	}
	ncases = store_db_count(txn, DB_CASES);
	store_read_end(txn);
	if (ncases > 0) {
		fatalx("%s: the data key file is missing, but the database %s "
		       "holds %zu case(s) whose ID numbers and phones only "
		       "that key opens; restore the file from its backup "
		       "(a new key would not open them); not starting",
		    cfg->data_key, cfg->db, ncases);
	}
	if (seal_key_load(cfg->data_key, key, 1, stderr) != 0) {
		fatalx("%s: cannot make the data key", cfg->data_key);
	}
	log_info("%s: new data key made for the new database %s; back it up "
	         "apart from the database",
	    cfg->data_key, cfg->db);
}

/* check_keys (-n and start): each key file that exists must be private
 * and well formed. One that does not is made at start (the data key only
 * while the database holds no cases: data_key_load). Returns the number
 * of errors, each printed. */
static int
check_keys(const struct config *cfg)
{
	const char *const paths[] = { cfg->data_key, cfg->token_key };
	unsigned char     key[SEAL_KEY_LEN];
	int               i, rc, errors = 0;

	for (i = 0; i < 2; i++) {
		rc = seal_key_load(paths[i], key, 0, stderr);
		mbedtls_platform_zeroize(key, sizeof(key));
		if (rc != 0 && rc != SEAL_KEY_MISSING) {
			errors++;
		}
	}
	return (errors);
}

/* rotate_token_key puts a new random token key in its file. */
static int
rotate_token_key(const char *path)
{
	unsigned char key[SEAL_KEY_LEN];
	int           rc;

	rc = seal_key_replace(path, key, stderr);
	mbedtls_platform_zeroize(key, sizeof(key));
	if (rc != 0) {
		return (1);
	}
	fprintf(stderr,
	    "wage-server: new session token key written to %s; restart the "
	    "server to use it: every session issued before then ends and "
	    "clients log in again\n",
	    path);
	return (0);
}

/*
 * crl_reload reads the CRL file again (SIGHUP: loud, logged either way;
 * timer: logged only when it fails). A CRL that does not load or verify
 * leaves the one in force, with one line naming the file and why.
 */
static void
crl_reload(struct auth *a, const char *path, int loud)
{
	struct wage_error err;
	size_t            n;

	if (auth_crl_reload(a, path, &n, &err) != WAGE_OK) {
		log_warnx("crl: %s; the CRL loaded before stays in force",
		    err.message);
		return;
	}
	if (loud) {
		log_info(
		    "crl: %s reloaded: %zu certificate(s) revoked", path, n);
	} else {
		log_debug(
		    "crl: %s reloaded: %zu certificate(s) revoked", path, n);
	}
}

int
main(int argc, char **argv)
{
	const char       *cfgpath = DEFAULT_CONFIG;
	struct config     cfg;
	struct policy    *policy   = NULL;
	struct calendar  *calendar = NULL;
	struct minwage   *minwage  = NULL;
	struct server     srv;
	struct startup    st;
	struct rpc       *rpc = NULL;
	struct rpc_tls    tls;
	struct sweep     *sweep = NULL;
	struct actor      sys;
	struct wage_error err;
	sigset_t          set;
	char             *text;
	size_t            len;
	time_t            next_crl;
	int               ch, check_only = 0, verbose = 0, nerr = 0, sig, rc;

	while ((ch = getopt(argc, argv, "c:nv")) != -1) {
		switch (ch) {
		case 'c':
			cfgpath = optarg;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc &&
	    !(optind + 2 == argc && strcmp(argv[optind], "backup") == 0) &&
	    !(optind + 1 == argc && strcmp(argv[optind], "verify") == 0) &&
	    !(optind + 1 == argc && strcmp(argv[optind], "migrate") == 0) &&
	    !(optind + 1 == argc &&
	        strcmp(argv[optind], "rotate-token-key") == 0)) {
		usage();
	}
	log_init(1, verbose);
	if (config_load(cfgpath, &cfg, stderr) != 0) {
		fatalx("%s: configuration has errors", cfgpath);
	}
	if (optind < argc && strcmp(argv[optind], "rotate-token-key") == 0) {
		rc = rotate_token_key(cfg.token_key);
		config_fini(&cfg);
		return (rc);
	}
	if (optind < argc) {
		struct checkpoint_signer *sg = NULL;

		if (checkpoint_signer_load(
		        &sg, cfg.key, cfg.cert, 1, 1, &err) != WAGE_OK) {
			fatalx("%s", err.message);
		}
		if (strcmp(argv[optind], "backup") == 0) {
			rc = backup_db(cfg.db, argv[optind + 1], sg);
		} else if (strcmp(argv[optind], "migrate") == 0) {
			rc = migrate_db(cfg.db, sg);
		} else {
			rc = verify_db(cfg.db, sg);
		}
		checkpoint_signer_free(sg);
		config_fini(&cfg);
		return (rc);
	}
	if ((text = fileio_load(cfg.policy, &len)) == NULL) {
		fatal("%s: cannot read policy", cfg.policy);
	}
	if (policy_load_buffer(
	        cfg.policy, text, len, &policy, stderr, &nerr) != 0) {
		fatalx("%s: policy has %d error(s); not starting", cfg.policy,
		    nerr);
	}
	if (calendar_load_dir(cfg.calendar, &calendar, stderr, &nerr) !=
	    WAGE_OK) {
		fatalx("%s: calendars have %d error(s); not starting",
		    cfg.calendar, nerr);
	}
	if (minwage_load_dir(cfg.minimum_wage, &minwage, stderr, &nerr) !=
	    WAGE_OK) {
		fatalx("%s: minimum-wage tables have %d error(s); not "
		       "starting",
		    cfg.minimum_wage, nerr);
	}
	if (config_check_secret(cfg.key, stderr) != 0) {
		fatalx("%s: refusing a key file others can read", cfg.key);
	}
	if (check_keys(&cfg) != 0) {
		fatalx("%s: key files have errors; not starting", cfgpath);
	}
	if (cfg.crl != NULL) {
		/* The CRL as a reload would take it: parsed, signed by the
		 * CA (a dummy token key: nothing is issued). */
		struct auth  *ca;
		unsigned char zero[32];

		memset(zero, 0, sizeof(zero));
		if (auth_alloc(&ca, cfg.ca, cfg.crl, zero, sizeof(zero), 1,
		        &err) != WAGE_OK) {
			fatalx("auth: %s", err.message);
		}
		auth_free(ca);
	}
	if (check_only) {
		printf("configuration OK: %s; policy %s version %s (%s); "
		       "calendars %s; minimum wages %s\n",
		    cfgpath, policy->name, policy->version, policy->hash_hex,
		    cfg.calendar, cfg.minimum_wage);
		calendar_free(calendar);
		minwage_free(minwage);
		free(text);
		policy_free(policy);
		config_fini(&cfg);
		return (0);
	}
	/* Signals are taken by sigwait below; threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&srv, 0, sizeof(srv));
	srv.policy   = policy;
	srv.calendar = calendar;
	srv.minwage  = minwage;
	if (cfg.case_cache > 0 &&
	    (srv.cases = casecache_new(cfg.case_cache)) == NULL) {
		fatalx(
		    "out of memory for a case cache of %zu", cfg.case_cache);
	}
	rc = store_open(&srv.store, cfg.db, cfg.mapsize_mb * 1024 * 1024,
	    (unsigned) cfg.workers + 16, &err);
	if (rc != WAGE_OK) {
		fatalx("store: %s", err.message);
	}
	data_key_load(&cfg, srv.store, srv.data_key);
	audit_request_key(srv.data_key, srv.digest_key);
	memset(&st, 0, sizeof(st));
	if ((rc = seal_key_load(cfg.token_key, st.key, 1, stderr)) != 0) {
		fatalx("%s: cannot use the token key", cfg.token_key);
	}
	st.policy = policy;
	st.text   = text;
	st.len    = len;
	if ((rc = store_write_now(srv.store, startup_apply, &st.job)) !=
	    WAGE_OK) {
		fatalx("store: start-up transaction failed: %s",
		    wage_err_name(rc));
	}
	free(text);
	if (st.dropped_key) {
		log_info("the session token key kept in the database by an "
		         "older version was deleted; the key is now %s: "
		         "sessions issued before end, clients log in again",
		    cfg.token_key);
	}
	if (st.migrated > 0) {
		log_info("database converted to case format %d: %zu case(s), "
		         "%zu step(s)",
		    CASEREC_FORMAT, st.migrated, st.steps);
	}
	rc = auth_alloc(&srv.auth, cfg.ca, cfg.crl, st.key, sizeof(st.key),
	    cfg.session_ttl, &err);
	mbedtls_platform_zeroize(st.key, sizeof(st.key));
	if (rc != WAGE_OK) {
		fatalx("auth: %s", err.message);
	}
	ops_init(&srv, NULL, 0);
	{
		struct recompute rcj;

		memset(&rcj, 0, sizeof(rcj));
		rcj.srv = &srv;
		if (store_write_now(srv.store, recompute_apply, &rcj.job) !=
		    WAGE_OK) {
			fatalx("store: recomputing due dates failed");
		}
		if (rcj.ncases > 0) {
			log_info("calendar changed: due dates of %d case(s) "
			         "recomputed and audited",
			    rcj.ncases);
		}
	}
	if (checkpoint_signer_load(&srv.signer, cfg.key, cfg.cert,
	        cfg.checkpoint_events, cfg.checkpoint_seconds,
	        &err) != WAGE_OK) {
		fatalx("checkpoints: %s", err.message);
	}
	store_set_batch_hook(srv.store, batch_hook, srv.signer);
	if (store_writer_start(srv.store) != WAGE_OK) {
		fatalx("store: cannot start the writer");
	}
	/* The automatic events (sweep.h): a pass now, on its own thread,
	 * after the start-up txn and the due dates recomputed above; then
	 * every sweep_interval seconds. */
	if (auth_server_actor(cfg.cert, &sys, &err) != WAGE_OK) {
		fatalx("sweep: %s", err.message);
	}
	if (sweep_start(&sweep, &srv, &sys, cfg.sweep_interval) != WAGE_OK) {
		fatalx("sweep: cannot start");
	}
	tls.ca   = cfg.ca;
	tls.crl  = cfg.crl;
	tls.cert = cfg.cert;
	tls.key  = cfg.key;
	if (rpc_open(&rpc, cfg.listen, &tls, (size_t) cfg.workers, &srv,
	        &err) != WAGE_OK) {
		fatalx("rpc: %s", err.message);
	}
	log_info("READY %s policy %s %s (%s) db %s", cfg.listen, policy->name,
	    policy->version, policy->hash_hex, cfg.db);
	/* No signal handler runs: the signals stay blocked and this thread
	 * takes them one at a time, so that the CRL is read again here, on
	 * an ordinary thread, never in a handler. The timeout is the CRL
	 * timer (crl_reload_seconds). */
	next_crl = time(NULL) + cfg.crl_reload_seconds;
	for (;;) {
		struct timespec wait = { 0, 0 };
		time_t          now;

		if (cfg.crl != NULL && cfg.crl_reload_seconds > 0) {
			now         = time(NULL);
			wait.tv_sec = next_crl > now ? next_crl - now : 0;
			sig         = sigtimedwait(&set, NULL, &wait);
		} else {
			sig = sigwaitinfo(&set, NULL);
		}
		if (sig < 0) {
			if (errno == EAGAIN) {
				crl_reload(srv.auth, cfg.crl, 0);
				next_crl = time(NULL) + cfg.crl_reload_seconds;
			}
			continue; /* EINTR */
		}
		if (sig == SIGUSR1) {
			rpc_log_states(rpc);
			continue;
		}
		if (sig == SIGHUP) {
			if (cfg.crl != NULL) {
				crl_reload(srv.auth, cfg.crl, 1);
				next_crl = time(NULL) + cfg.crl_reload_seconds;
			}
			log_info("SIGHUP: policy reload is not supported yet; "
			         "restart to load a new policy");
			continue;
		}
		break;
	}
	log_info("signal %d: shutting down", sig);
	/* Its writes in flight are answered by the writer, still running. */
	sweep_stop(sweep);
	rpc_stop(rpc);
	store_writer_stop(srv.store);
	rpc_close(rpc);
	/* A last signed checkpoint covers every event written. */
	memset(&st, 0, sizeof(st));
	st.signer = srv.signer;
	if (store_write_now(srv.store, final_checkpoint, &st.job) != WAGE_OK) {
		log_warnx("shutdown: could not write the final checkpoint");
	}
	checkpoint_signer_free(srv.signer);
	auth_free(srv.auth);
	ops_fini(&srv);
	casecache_free(srv.cases);
	store_close(srv.store);
	calendar_free(calendar);
	minwage_free(minwage);
	mbedtls_platform_zeroize(srv.data_key, sizeof(srv.data_key));
	mbedtls_platform_zeroize(srv.digest_key, sizeof(srv.digest_key));
	policy_free(policy);
	config_fini(&cfg);
	log_info("stopped");
	return (0);
}
