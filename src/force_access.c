/*
 * force_access.c — da.may_access_force(force_id): may the current role see rows of a force?
 *
 * The row-level security policies of the warehouse call it once per row. It answers what
 * the 0.2 SQL function answered: true for a superuser or a BYPASSRLS role; otherwise true
 * when da.analyst_force maps a role that the current role is a member of (directly or
 * through other roles, as pg_has_role(..., 'MEMBER')) to this force or to every force
 * (force_id NULL there). A NULL argument asks "every force?", as the policies use it.
 *
 * Why C: on Citus the policy runs on the workers inside each shard query, where a per-row
 * read of the reference table da.analyst_force is a nested distributed query (refused by
 * default, ~35 us a row when allowed). Here the caller's forces are read once, through SPI,
 * and every further row is answered from memory.
 *
 * The cache is valid for one role and one snapshot: the answer is reused only while the
 * current user and the active snapshot's visibility (xmin, xmax, running transactions,
 * command id) are the same as when it was read. Any commit or abort of a transaction that
 * wrote moves xmax or the running set, so the next snapshot differs. It is also dropped at
 * the end of every transaction that wrote and at every subtransaction abort (which can hide
 * the rows of a transaction's own aborted part while the snapshot looks the same). Nothing
 * a session can set enters the key, so the cache can neither go stale nor be forged, and it
 * reads exactly what a per-row SQL lookup under the same snapshot would read.
 */
#include "da_stats.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(ds_may_access_force);

/* Citus refuses a distributed query (the reference table) inside a shard query unless this is on. */
#define CITUS_NESTED_GUC "citus.allow_nested_distributed_execution"

/*
 * Every name is schema-qualified and the operator spelled out, so the caller's search_path
 * cannot substitute anything; $1 is the caller, not the role the lookup runs as.
 */
#define FORCE_ACCESS_QUERY \
	"SELECT DISTINCT a.force_id FROM da.analyst_force a" \
	" JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) a.role_name" \
	" WHERE pg_catalog.pg_has_role($1, r.oid, 'MEMBER')"

typedef struct ForceAccessCache
{
	bool		valid;
	Oid			userid;			/* the role the answer is for */
	/* the visibility of the snapshot it was read under */
	TransactionId xmin;
	TransactionId xmax;
	CommandId	curcid;
	uint32		xcnt;
	int32		subxcnt;
	bool		suboverflowed;
	bool		takenDuringRecovery;
	TransactionId *xip;
	TransactionId *subxip;
	/* the answer */
	bool		all;			/* superuser, BYPASSRLS, or mapped to every force */
	int			nforces;
	text	  **forces;			/* sorted by forces_cmp, no duplicates */
} ForceAccessCache;

static ForceAccessCache cache;
static MemoryContext cache_cxt = NULL;

/*
 * True while the lookup runs: a policy on da.analyst_force that called back here would
 * otherwise reset the cache under the lookup's feet. Cleared by the abort of an error.
 */
static bool filling = false;
static SubTransactionId filling_subid = InvalidSubTransactionId;

/*
 * The end of a transaction that wrote (has an xid) ends the answer's validity, as does any
 * subtransaction abort. A read-only transaction changed nothing any snapshot can see, so
 * the next one may reuse the answer if its snapshot is the same (on a Citus worker, each
 * shard query is a transaction of its own).
 */
static void
force_access_xact_callback(XactEvent event pg_attribute_unused(), void *arg pg_attribute_unused())
{
	if (TransactionIdIsValid(GetTopTransactionIdIfAny()))
		cache.valid = false;
	filling = false;
}

static void
force_access_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							  SubTransactionId parentSubid pg_attribute_unused(),
							  void *arg pg_attribute_unused())
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		cache.valid = false;
		/* the lookup's own subtransaction or an outer one: the lookup is over */
		if (mySubid <= filling_subid)
			filling = false;
	}
}

/* Byte order on (length, bytes): text equality under a deterministic collation is byte equality. */
static int
forces_cmp_raw(const char *a, int alen, const char *b, int blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

static int
forces_cmp(const void *a, const void *b)
{
	const text *ta = *(const text *const *) a;
	const text *tb = *(const text *const *) b;

	return forces_cmp_raw(VARDATA_ANY(ta), VARSIZE_ANY_EXHDR(ta),
						  VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(tb));
}

static bool
cache_matches(Oid userid, Snapshot snap)
{
	if (!cache.valid || cache.userid != userid)
		return false;
	if (snap->snapshot_type != SNAPSHOT_MVCC)
		return false;
	if (cache.xmin != snap->xmin || cache.xmax != snap->xmax || cache.curcid != snap->curcid ||
		cache.xcnt != snap->xcnt || cache.subxcnt != snap->subxcnt ||
		cache.suboverflowed != snap->suboverflowed ||
		cache.takenDuringRecovery != snap->takenDuringRecovery)
		return false;
	if (cache.xcnt > 0 && memcmp(cache.xip, snap->xip, cache.xcnt * sizeof(TransactionId)) != 0)
		return false;
	if (cache.subxcnt > 0 &&
		memcmp(cache.subxip, snap->subxip, cache.subxcnt * sizeof(TransactionId)) != 0)
		return false;
	return true;
}

static void
cache_remember_snapshot(Snapshot snap)
{
	cache.xmin = snap->xmin;
	cache.xmax = snap->xmax;
	cache.curcid = snap->curcid;
	cache.xcnt = snap->xcnt;
	cache.subxcnt = Max(snap->subxcnt, 0);
	cache.suboverflowed = snap->suboverflowed;
	cache.takenDuringRecovery = snap->takenDuringRecovery;
	cache.xip = NULL;
	cache.subxip = NULL;
	if (cache.xcnt > 0)
	{
		cache.xip = MemoryContextAlloc(cache_cxt, cache.xcnt * sizeof(TransactionId));
		memcpy(cache.xip, snap->xip, cache.xcnt * sizeof(TransactionId));
	}
	if (cache.subxcnt > 0)
	{
		cache.subxip = MemoryContextAlloc(cache_cxt, cache.subxcnt * sizeof(TransactionId));
		memcpy(cache.subxip, snap->subxip, cache.subxcnt * sizeof(TransactionId));
	}
}

/* The owner of da.analyst_force: the lookup runs as that role, so callers need no SELECT on it. */
static Oid
analyst_force_owner(void)
{
	Oid			nsp = get_namespace_oid("da", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("analyst_force", nsp) : InvalidOid;
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"da.analyst_force\" does not exist"),
				 errdetail("da.may_access_force() reads the warehouse's force mapping.")));
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/*
 * Read the caller's forces into the cache, under the active snapshot (read-only SPI takes
 * no new one), as the owner of da.analyst_force. An error on the way leaves the cache
 * invalid; the user id and the GUC nest level are then restored by the (sub)transaction
 * abort, as for a SECURITY DEFINER function with SET clauses (fmgr_security_definer).
 */
static void
cache_fill(Oid userid, Snapshot snap)
{
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
	int			flags;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	int			ret;
	uint64		i;

	if (filling)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_RECURSION),
				 errmsg("da.may_access_force() was called while reading da.analyst_force"),
				 errhint("Policies on da.analyst_force must not call da.may_access_force().")));
	cache.valid = false;
	if (cache_cxt == NULL)
	{
		cache_cxt = AllocSetContextCreate(TopMemoryContext, "da.may_access_force cache",
										  ALLOCSET_SMALL_SIZES);
		RegisterXactCallback(force_access_xact_callback, NULL);
		RegisterSubXactCallback(force_access_subxact_callback, NULL);
	}
	MemoryContextReset(cache_cxt);
	cache.forces = NULL;
	cache.nforces = 0;
	cache.userid = userid;
	cache_remember_snapshot(snap);

	/* As the SQL version: the current role's own attributes, not inherited ones. */
	cache.all = superuser_arg(userid) || has_bypassrls_privilege(userid);
	if (cache.all)
	{
		cache.valid = true;
		return;
	}

	filling = true;
	filling_subid = GetCurrentSubTransactionId();
	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(analyst_force_owner(),
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE);
	save_nestlevel = NewGUCNestLevel();
	/* Only when Citus defined it (not a placeholder): without Citus this is a no-op. */
	flags = GetConfigOptionFlags(CITUS_NESTED_GUC, true);
	if (GetConfigOption(CITUS_NESTED_GUC, true, false) != NULL &&
		!(flags & GUC_CUSTOM_PLACEHOLDER))
		(void) set_config_option(CITUS_NESTED_GUC, "on", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = ObjectIdGetDatum(userid);
	ret = SPI_execute_with_args(FORCE_ACCESS_QUERY, 1, argtypes, args, NULL, true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading da.analyst_force failed: %s", SPI_result_code_string(ret));

	cache.forces = MemoryContextAlloc(cache_cxt, Max(SPI_processed, 1) * sizeof(text *));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		MemoryContext old;

		if (isnull)
		{
			cache.all = true;	/* mapped to every force */
			continue;
		}
		old = MemoryContextSwitchTo(cache_cxt);
		cache.forces[cache.nforces++] = DatumGetTextPCopy(d);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();

	AtEOXact_GUC(true, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	filling = false;

	/* DISTINCT already removed duplicates; sort for the binary search. */
	if (cache.nforces > 1)
		qsort(cache.forces, cache.nforces, sizeof(text *), forces_cmp);
	cache.valid = true;
}

Datum
ds_may_access_force(PG_FUNCTION_ARGS)
{
	Oid			userid = GetUserId();
	bool		pushed = false;
	Snapshot	snap;
	text	   *force;
	const char *key;
	int			keylen;
	int			lo,
				hi;

	/* Normally the calling query's snapshot; take one if called where none is active. */
	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed = true;
	}
	snap = GetActiveSnapshot();
	if (!cache_matches(userid, snap))
		cache_fill(userid, snap);
	if (pushed)
		PopActiveSnapshot();

	if (cache.all)
		PG_RETURN_BOOL(true);
	/* NULL asks for every force: only the "all" mapping answers it. */
	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);

	force = PG_GETARG_TEXT_PP(0);
	key = VARDATA_ANY(force);
	keylen = VARSIZE_ANY_EXHDR(force);
	lo = 0;
	hi = cache.nforces - 1;
	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		const text *m = cache.forces[mid];
		int			c = forces_cmp_raw(key, keylen, VARDATA_ANY(m), VARSIZE_ANY_EXHDR(m));

		if (c == 0)
			PG_RETURN_BOOL(true);
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	PG_RETURN_BOOL(false);
}
