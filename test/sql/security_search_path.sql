-- search_path safety by construction (issue 11 item 1): every function of the extension is C,
-- has a SQL-standard body (bound to OIDs when created, so nothing planted later can be
-- picked, and still inlinable), or pins search_path = pg_catalog, pg_temp. And the issue's
-- reproduction: look-alikes planted in a schema on the superuser's search_path never run.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SELECT CASE WHEN l.lanname IN ('c', 'internal') THEN 'C (or aggregate)'
            WHEN p.prosqlbody IS NOT NULL AND p.proconfig IS NULL THEN 'SQL-standard body'
            WHEN p.proconfig IS NOT NULL THEN l.lanname || ', SET ' || array_to_string(p.proconfig, ' ')
            ELSE l.lanname || ', UNPINNED' END AS kind,
       count(*) AS functions, count(*) FILTER (WHERE p.prosecdef) AS security_definer
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'da'::regnamespace
GROUP BY 1 ORDER BY 1;
-- The small helpers used per row stay inlinable: no SET clause, SQL-standard body.
-- (da.may_access_force, the policies' helper, is C since 0.4: test/sql/force_access.sql.)
SELECT p.proname, p.proconfig IS NULL AND p.prosqlbody IS NOT NULL AS inlinable_body
FROM pg_proc p
WHERE p.pronamespace = 'da'::regnamespace
  AND p.proname IN ('period_label', 'period_months', 'parse_count', 'parse_iso_date', 'count_problem',
                    'year_earlier_start', 'year_earlier_end', 'outcome_table')
ORDER BY 1;
-- Inlined for real: the plan of the view shows no call of da.period_label.
EXPLAIN (VERBOSE, COSTS OFF) SELECT da.period_label('2016-07-01', '2017-06-30');

-- The reproduction: a role owning a schema on the superuser's search_path plants better
-- matches than pg_catalog's for what the ingest and grant functions call; each counts its runs.
BEGIN;
CREATE ROLE da_test_s_planter;
CREATE SCHEMA planted AUTHORIZATION da_test_s_planter;
SET ROLE da_test_s_planter;
CREATE SEQUENCE planted.runs;
GRANT USAGE ON SCHEMA planted TO PUBLIC;
GRANT USAGE ON SEQUENCE planted.runs TO PUBLIC;
CREATE FUNCTION planted.array_remove(text[], text) RETURNS text[] LANGUAGE sql
    RETURN CASE WHEN nextval('planted.runs') > 0 THEN pg_catalog.array_remove($1, $2) END;
CREATE FUNCTION planted.format(text, text) RETURNS text LANGUAGE sql
    RETURN CASE WHEN nextval('planted.runs') > 0 THEN pg_catalog.format($1, $2) END;
CREATE FUNCTION planted.array_to_string(text[], text) RETURNS text LANGUAGE sql
    RETURN CASE WHEN nextval('planted.runs') > 0 THEN pg_catalog.array_to_string($1, $2) END;
CREATE FUNCTION planted.text_array_eq(text[], text[]) RETURNS boolean LANGUAGE sql
    RETURN CASE WHEN nextval('planted.runs') > 0 THEN $1 OPERATOR(pg_catalog.=) $2 END;
CREATE FUNCTION planted.text_array_ne(text[], text[]) RETURNS boolean LANGUAGE sql
    RETURN CASE WHEN nextval('planted.runs') > 0 THEN $1 OPERATOR(pg_catalog.<>) $2 END;
CREATE OPERATOR planted.= (LEFTARG = text[], RIGHTARG = text[], FUNCTION = planted.text_array_eq);
CREATE OPERATOR planted.<> (LEFTARG = text[], RIGHTARG = text[], FUNCTION = planted.text_array_ne);
RESET ROLE;
SET search_path = planted, public, da;
CREATE ROLE da_test_s_loader;
SELECT da.grant_access('da_test_s_loader', 'loader', ARRAY['kent']);
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13000'), ('Narnia', '2016-07-01', '2017-06-30', 'da_crimes', '-1');
SELECT inserted, rejected FROM da.ingest_returns('planted');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '16', '5'), ('Kent', '2016-07-01', '2017-06-30', '99', '5');
SELECT inserted, rejected FROM da.ingest_outcomes('planted');
SELECT count(*) > 0 AS findings FROM da.validate_returns('2017-06-30');
SELECT da.revoke_access('da_test_s_loader');
SET search_path = pg_catalog;
SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS planted_runs FROM planted.runs;
ROLLBACK;
