-- Shared by the citus suite's SQL files (\ir helpers.sql): the aggregates of the extension,
-- the arguments to call them with, plan checkers and a TAP line maker, all session-local.
\set ON_ERROR_STOP 1
SET client_min_messages = error;  -- Citus warns that temp objects stay local: they are meant to

-- The argument list each aggregate is called with, by signature. A new aggregate of the
-- extension that is missing here fails the coverage test below.
CREATE TEMP TABLE agg_args (sig text PRIMARY KEY, args text NOT NULL);
INSERT INTO agg_args VALUES
  ('da.per_100_agg(bigint,bigint)',            'arrests, crimes'),
  ('da.per_100_agg(integer,integer)',          'arrests_i, crimes_i'),
  ('da.per_10k_agg(bigint,bigint)',            'arrests, crimes'),
  ('da.per_10k_agg(integer,integer)',          'arrests_i, crimes_i'),
  ('da.per_n_agg(bigint,bigint,bigint)',       'arrests, crimes, 1000'),
  ('da.per_n_agg(integer,integer,bigint)',     'arrests_i, crimes_i, 1000'),
  ('da.wilson_ci_agg(bigint,bigint)',          'arrests, crimes'),
  ('da.wilson_ci_agg(bigint,bigint,bigint)',   'arrests, crimes, 100'),
  ('da.wilson_ci_agg(bigint,bigint,bigint,double precision)', 'arrests, crimes, 100, 0.99'),
  ('da.rate_ci_agg(bigint,bigint)',            'arrests, crimes'),
  ('da.rate_ci_agg(bigint,bigint,bigint)',     'arrests, crimes, 1000'),
  ('da.rate_ci_agg(bigint,bigint,bigint,double precision)', 'arrests, crimes, 1000, 0.99'),
  ('da.outcome_agg(text)',                     'code'),
  ('da.outcome_agg(integer)',                  'code_i'),
  ('da.outcome_agg(text,bigint)',              'code, n'),
  ('da.outcome_agg(integer,bigint)',           'code_i, n'),
  ('da.outcome_merge_agg(da.outcome_counts)',  'counts'),
  ('da.matched_change_agg(bigint,bigint)',     'prev_crimes, crimes'),
  ('da.matched_rate_change_agg(bigint,bigint,bigint,bigint)', 'prev_arrests, prev_crimes, arrests, crimes'),
  ('da.matched_rate_change_agg(bigint,bigint,bigint,bigint,bigint)', 'prev_arrests, prev_crimes, arrests, crimes, 1000');

-- The extension's aggregates, from the catalogue.
CREATE TEMP VIEW ext_aggs AS
SELECT p.oid::regprocedure::text AS sig, 'da.' || p.proname AS fn, a.aggmtransfn <> 0 AS moving
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'da_stats'
JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid AND p.prokind = 'a'
JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e';

-- A query's rows as one string "k=v;..." (in the query's order).
CREATE FUNCTION pg_temp.rows_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; acc text := '';
BEGIN
    FOR r IN EXECUTE q LOOP acc := acc || r.k || '=' || coalesce(r.v, 'NULL') || ';'; END LOOP;
    RETURN acc;
END $$;

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; acc text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP acc := acc || line || E'\n'; END LOOP;
    RETURN acc;
END $$;

-- Whole aggregate on the workers: the coordinator only collects (its top node is Citus's
-- scan), and the task's query computes the aggregate grouped by the distribution column.
CREATE FUNCTION pg_temp.runs_whole_on_workers(q text, fn text) RETURNS boolean LANGUAGE sql AS $$
    SELECT p ~ '^Custom Scan \(Citus Adaptive\)'
       AND p ~ ('Query: SELECT [^\n]*' || replace(fn, '.', '\.') || '\([^\n]* GROUP BY force_id')
    FROM pg_temp.plan_of(q) p $$;

-- Partial aggregate on the workers, combined on the coordinator: the coordinator's top node
-- is an Aggregate whose output is Citus's combine wrapper, and each task's query calls the
-- matching partial wrapper on the aggregate. Citus 13 ships partial states as text
-- (worker_partial_agg / coord_combine_agg); Citus 14 ships them in binary when the state type
-- has binary send/receive functions, as all of ours do (worker_binary_partial_agg /
-- coord_binary_combine_agg). Either pair passes, a mixed one does not.
CREATE TEMP VIEW partial_wrappers (worker_fn, coord_fn) AS
VALUES ('worker_partial_agg', 'coord_combine_agg'), ('worker_binary_partial_agg', 'coord_binary_combine_agg');
CREATE FUNCTION pg_temp.runs_partial_on_workers(q text, sig text) RETURNS boolean LANGUAGE sql AS $$
    SELECT EXISTS (
        SELECT FROM partial_wrappers w
        WHERE p ~ ('^Aggregate\n +Output: ' || w.coord_fn || '\(')
          AND EXISTS (SELECT FROM (VALUES (''), ('pg_catalog.')) q(schema)   -- qualified when ambiguous
                      WHERE position(format('Query: SELECT %s%s(%L::regprocedure, ', q.schema, w.worker_fn, sig) IN p) > 0))
    FROM pg_temp.plan_of(q) p $$;

CREATE FUNCTION pg_temp.tap(pass boolean, name text) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN pass THEN 'ok' ELSE 'not ok' END || ' - ' || name $$;

