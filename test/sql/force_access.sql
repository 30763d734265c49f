-- da.may_access_force in C (0.4): the answers of the SQL version, read once per snapshot and
-- role and never stale. A scratch table with the warehouse's policy stands for the per-force
-- tables. Roles are created inside a transaction that is rolled back, except for the last
-- part (a second session), which removes what it made.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
RESET client_min_messages;
\set ON_ERROR_ROLLBACK on
\set VERBOSITY terse
\set SHOW_CONTEXT never
-- For a second session (\!): this one's server and database.
\setenv PGHOST :HOST
\setenv PGPORT :PORT
\setenv PGUSER :USER
\setenv PGDATABASE :DBNAME

SELECT l.lanname, p.provolatile, p.proparallel, p.proisstrict, p.prosecdef, p.proconfig
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.oid = 'da.may_access_force(text)'::regprocedure;
-- The policies still call it, unchanged.
SELECT count(*) AS policies_calling_it FROM pg_policies
WHERE schemaname = 'da' AND qual LIKE '%may_access_force%';

BEGIN;
CREATE ROLE da_test_fa_a;
CREATE ROLE da_test_fa_b;
CREATE ROLE da_test_fa_group;
CREATE ROLE da_test_fa_member IN ROLE da_test_fa_group;
CREATE ROLE da_test_fa_noinherit NOINHERIT IN ROLE da_test_fa_group;
CREATE ROLE da_test_fa_all;
CREATE ROLE da_test_fa_none;
CREATE ROLE da_test_fa_bypass BYPASSRLS;
CREATE TABLE public.fa_rows (force_id text, n integer);
INSERT INTO public.fa_rows
SELECT f, g FROM unnest(ARRAY['kent', 'essex', 'surrey', 'btp', NULL]) f, generate_series(1, 100) g;
ALTER TABLE public.fa_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON public.fa_rows USING (da.may_access_force(force_id));
GRANT SELECT ON public.fa_rows TO PUBLIC;
SELECT da.grant_access('da_test_fa_a', 'analyst', ARRAY['kent']);
SELECT da.grant_access('da_test_fa_b', 'analyst', ARRAY['essex', 'surrey']);
SELECT da.grant_access('da_test_fa_group', 'analyst', ARRAY['btp']);
SELECT da.grant_access('da_test_fa_all', 'analyst');

-- Each analyst its own forces; the same statement under two roles, one after the other.
SET ROLE da_test_fa_a;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
SET ROLE da_test_fa_b;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
SET ROLE da_test_fa_a;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
RESET ROLE;

-- Granted and revoked inside the same transaction: the next query sees the change.
SELECT da.grant_access('da_test_fa_a', 'analyst', ARRAY['essex']);
SET ROLE da_test_fa_a;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
RESET ROLE;
SELECT da.revoke_access('da_test_fa_a');
SET ROLE da_test_fa_a;
SELECT count(*) AS rows_after_revoke FROM fa_rows;
RESET ROLE;
SELECT da.grant_access('da_test_fa_a', 'analyst', ARRAY['kent']);

-- A subtransaction rolled back takes its grant with it, though the snapshot looks the same:
-- another session's transaction, with a later xid, ends in between, so that the abort does
-- not move the snapshot's xmax.
SAVEPOINT s;
SELECT da.grant_access('da_test_fa_a', 'analyst', ARRAY['surrey']);
\! psql -X -q -At -o /dev/null -c "SELECT pg_current_xact_id()"
SET ROLE da_test_fa_a;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
RESET ROLE;
ROLLBACK TO SAVEPOINT s;
SET ROLE da_test_fa_a;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
RESET ROLE;

-- Role switches and grants inside one statement (a DO block, one transaction and command):
-- each role gets its own forces, in queries and in PL/pgSQL expressions (whose state
-- PL/pgSQL keeps for the whole transaction).
DO $$
DECLARE
    r record;
    s text := '';
    k boolean;
    a boolean;
BEGIN
    FOR r IN SELECT * FROM (VALUES (1, 'da_test_fa_a'), (2, 'da_test_fa_b'), (3, 'da_test_fa_a'),
                                   (4, 'da_test_fa_none'), (5, 'da_test_fa_a')) v(i, role) ORDER BY i LOOP
        IF r.i = 5 THEN
            PERFORM da.grant_access('da_test_fa_a', 'analyst', ARRAY['btp']);
        END IF;
        EXECUTE format('SET LOCAL ROLE %I', r.role);
        k := da.may_access_force('kent');
        a := da.may_access_force(NULL);
        s := s || format('%s: %s, kent %s, null %s; ', r.role,
                         (SELECT string_agg(DISTINCT force_id, ',' ORDER BY force_id) FROM fa_rows), k, a);
        RESET ROLE;
    END LOOP;
    RAISE NOTICE '%', s;
END $$;
SELECT da.revoke_access('da_test_fa_a');
SELECT da.grant_access('da_test_fa_a', 'analyst', ARRAY['kent']);

-- Inside a SECURITY DEFINER function the current role is its owner: the owner's forces.
CREATE FUNCTION public.fa_count() RETURNS text LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT string_agg(DISTINCT force_id, ',') FROM public.fa_rows $$;
ALTER FUNCTION public.fa_count() OWNER TO da_test_fa_b;
SET ROLE da_test_fa_a;
SELECT (SELECT string_agg(DISTINCT force_id, ',') FROM fa_rows) AS own, public.fa_count() AS definer_b;
RESET ROLE;

-- Membership through a group role (also without INHERIT, as pg_has_role's MEMBER).
SET ROLE da_test_fa_member;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
SET ROLE da_test_fa_noinherit;
SELECT da.may_access_force('btp') AS btp, da.may_access_force('kent') AS kent;
RESET ROLE;
-- Granted later in the transaction, the membership counts at once.
GRANT da_test_fa_group TO da_test_fa_a;
SET ROLE da_test_fa_a;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
RESET ROLE;
REVOKE da_test_fa_group FROM da_test_fa_a;

-- A NULL force_id in da.analyst_force = every force; NULL asks "every force?".
SET ROLE da_test_fa_all;
SELECT count(*) AS rows_seen, count(DISTINCT force_id) AS forces_seen FROM fa_rows;
SELECT da.may_access_force(NULL) AS all_forces, da.may_access_force('narnia') AS unknown_force;
SET ROLE da_test_fa_a;
SELECT da.may_access_force(NULL) AS all_forces, da.may_access_force('narnia') AS unknown_force,
       da.may_access_force('') AS empty, da.may_access_force('KENT') AS other_case;
RESET ROLE;

-- Superuser and BYPASSRLS: every force, NULL included (the policy does not even apply).
SELECT da.may_access_force('kent') AS kent, da.may_access_force(NULL) AS all_forces,
       da.may_access_force('narnia') AS unknown;
SELECT count(*) AS superuser_rows FROM fa_rows;
SET ROLE da_test_fa_bypass;
SELECT da.may_access_force('kent') AS kent, da.may_access_force(NULL) AS all_forces;
RESET ROLE;

-- No grant at all: nothing.
SET ROLE da_test_fa_none;
SELECT count(*) AS rows_seen, da.may_access_force('kent') AS kent, da.may_access_force(NULL) AS all_forces FROM fa_rows;
RESET ROLE;

-- A caller who may not read da.analyst_force: the lookup runs as its owner.
REVOKE SELECT ON da.analyst_force FROM da_test_fa_a;
SET ROLE da_test_fa_a;
SELECT count(*) FROM da.analyst_force;
SELECT force_id, count(*) FROM fa_rows GROUP BY 1 ORDER BY 1;
RESET ROLE;

-- Objects planted on the search_path are never used: a look-alike table, pg_has_role and
-- name = name that would grant every force.
CREATE SCHEMA fa_planted;
CREATE TABLE fa_planted.analyst_force (role_name name, force_id text);
INSERT INTO fa_planted.analyst_force VALUES ('da_test_fa_none', NULL);
CREATE FUNCTION fa_planted.pg_has_role(oid, oid, text) RETURNS boolean LANGUAGE sql RETURN true;
CREATE FUNCTION fa_planted.name_eq(name, name) RETURNS boolean LANGUAGE sql RETURN true;
CREATE OPERATOR fa_planted.= (LEFTARG = name, RIGHTARG = name, FUNCTION = fa_planted.name_eq);
CREATE TEMP TABLE analyst_force (role_name name, force_id text);
INSERT INTO analyst_force VALUES ('da_test_fa_none', NULL);
GRANT USAGE ON SCHEMA fa_planted TO PUBLIC;
GRANT SELECT ON fa_planted.analyst_force TO PUBLIC;
SET search_path = pg_temp, fa_planted, pg_catalog, public;
SET ROLE da_test_fa_none;
SELECT count(*) AS rows_seen, da.may_access_force('kent') AS kent FROM fa_rows;
RESET ROLE;
RESET search_path;

-- PARALLEL RESTRICTED since 0.6 (sql/0.6/48_parallel_restricted.sql): a force-limited role's
-- scan under the policy is not run in parallel even when a parallel plan is cheap, and answers
-- the same.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET ROLE da_test_fa_b;
EXPLAIN (COSTS OFF) SELECT count(*) FROM fa_rows;
SELECT count(*) FROM fa_rows;
RESET ROLE;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

-- An error during the lookup (here: the owner's own policy on da.analyst_force) leaves the
-- caller's role and settings as they were; and a policy there may not call back.
CREATE ROLE da_test_fa_owner;
CREATE FUNCTION public.fa_boom(text) RETURNS boolean LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'boom from the owner''s policy'; END $$;
ALTER TABLE da.analyst_force OWNER TO da_test_fa_owner;
ALTER TABLE da.analyst_force ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY fa_boom ON da.analyst_force USING (public.fa_boom(role_name));
SET ROLE da_test_fa_a;
DO $$
BEGIN
    BEGIN
        PERFORM da.may_access_force('kent');
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'caught: %', SQLERRM;
    END;
    -- Were the owner's identity (with its bar on SET ROLE) still in force, this would fail.
    SET LOCAL ROLE da_test_fa_a;
    RAISE NOTICE 'current_user %', current_user;
END $$;
SELECT current_user;
RESET ROLE;
DROP POLICY fa_boom ON da.analyst_force;
CREATE POLICY fa_loop ON da.analyst_force USING (da.may_access_force(force_id));
SET ROLE da_test_fa_a;
SELECT count(*) FROM fa_rows;
SELECT current_user;
RESET ROLE;
ROLLBACK;

-- A second session commits a grant between two statements of one transaction: READ
-- COMMITTED sees it at the next statement (a new snapshot, same command id), REPEATABLE
-- READ does not (the SQL version behaved the same).
CREATE ROLE da_test_fa_conc;
CREATE TABLE public.fa_rows (force_id text, n integer);
INSERT INTO public.fa_rows SELECT f, 1 FROM unnest(ARRAY['kent', 'essex']) f;
ALTER TABLE public.fa_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON public.fa_rows USING (da.may_access_force(force_id));
GRANT SELECT ON public.fa_rows TO PUBLIC;
INSERT INTO da.analyst_force VALUES ('da_test_fa_conc', 'kent');
BEGIN ISOLATION LEVEL READ COMMITTED;
SET LOCAL ROLE da_test_fa_conc;
SELECT string_agg(force_id, ',') AS seen FROM fa_rows;
\! psql -X -q -c "INSERT INTO da.analyst_force VALUES ('da_test_fa_conc', 'essex')"
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen FROM fa_rows;
COMMIT;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET LOCAL ROLE da_test_fa_conc;
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen FROM fa_rows;
\! psql -X -q -c "DELETE FROM da.analyst_force WHERE role_name = 'da_test_fa_conc' AND force_id = 'essex'"
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen_in_snapshot FROM fa_rows;
COMMIT;
-- A transaction that granted, then rolled back (with another session's later xid ended in
-- between, so that xmax stays): the next transaction does not see its grant.
BEGIN;
INSERT INTO da.analyst_force VALUES ('da_test_fa_conc', 'essex');
\! psql -X -q -At -o /dev/null -c "SELECT pg_current_xact_id()"
SET LOCAL ROLE da_test_fa_conc;
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen_in_transaction FROM fa_rows;
ROLLBACK;
SET ROLE da_test_fa_conc;
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen_after_rollback FROM fa_rows;
RESET ROLE;
-- Outside a transaction block, statement by statement, role by role.
SET ROLE da_test_fa_conc;
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen_after FROM fa_rows;
RESET ROLE;
SELECT string_agg(force_id, ',' ORDER BY force_id) AS superuser_sees FROM fa_rows;
SET ROLE da_test_fa_conc;
SELECT string_agg(force_id, ',' ORDER BY force_id) AS seen_again FROM fa_rows;
RESET ROLE;
DELETE FROM da.analyst_force WHERE role_name = 'da_test_fa_conc';
DROP TABLE public.fa_rows;
DROP ROLE da_test_fa_conc;
SELECT count(*) AS test_roles_left FROM pg_roles WHERE rolname LIKE 'da\_test\_fa%';
