-- Every aggregate of da_stats on a distributed table: the same result as on one node, and
-- the work done on the workers. Prints TAP lines.
\ir helpers.sql

SELECT pg_temp.tap(missing IS NULL AND extra IS NULL,
                   format('every aggregate of da_stats is covered (%s in the catalogue)', n)
                   || coalesce(', not covered: ' || missing, '') || coalesce(', not in the catalogue: ' || extra, ''))
FROM (SELECT (SELECT count(*) FROM ext_aggs) AS n,
             (SELECT string_agg(sig, ' ') FROM ext_aggs WHERE sig NOT IN (SELECT sig FROM agg_args)) AS missing,
             (SELECT string_agg(sig, ' ') FROM agg_args WHERE sig NOT IN (SELECT sig FROM ext_aggs)) AS extra) s;

-- The checkers themselves can fail: an aggregate without a combine function is gathered
-- row by row when ungrouped, and grouping by a non-distribution column is not run whole.
CREATE AGGREGATE pg_temp.rate_nocombine(bigint, bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)', FINALFUNC = da.rate_final);
SELECT pg_temp.tap(NOT pg_temp.runs_partial_on_workers('SELECT pg_temp.rate_nocombine(arrests, crimes) FROM ret_dist',
                                                      'pg_temp.rate_nocombine(bigint,bigint)'),
                   'checker: an aggregate without COMBINEFUNC is not reported as partial on the workers');
SELECT pg_temp.tap(NOT pg_temp.runs_whole_on_workers('SELECT month, da.per_100_agg(arrests, crimes) FROM ret_dist GROUP BY month',
                                                    'da.per_100_agg'),
                   'checker: grouping by month is not reported as whole on the workers');

-- Each aggregate: grouped by force_id and ungrouped, distributed = local, and pushed down.
SELECT pg_temp.tap(d = l AND l ~ '=[^N]', format('%s grouped by force_id: distributed = single node', e.sig))
FROM ext_aggs e JOIN agg_args a USING (sig),
     LATERAL (SELECT format('SELECT force_id::text AS k, %s(%s)::text AS v FROM %%I GROUP BY force_id ORDER BY force_id', e.fn, a.args) AS q) q,
     LATERAL pg_temp.rows_of(format(q.q, 'ret_dist')) d, LATERAL pg_temp.rows_of(format(q.q, 'ret_local')) l
ORDER BY e.sig;

SELECT pg_temp.tap(d = l AND l ~ '=[^N]', format('%s ungrouped: distributed = single node', e.sig))
FROM ext_aggs e JOIN agg_args a USING (sig),
     LATERAL (SELECT format('SELECT ''all''::text AS k, %s(%s)::text AS v FROM %%I', e.fn, a.args) AS q) q,
     LATERAL pg_temp.rows_of(format(q.q, 'ret_dist')) d, LATERAL pg_temp.rows_of(format(q.q, 'ret_local')) l
ORDER BY e.sig;

SELECT pg_temp.tap(pg_temp.runs_whole_on_workers(format('SELECT force_id, %s(%s) FROM ret_dist GROUP BY force_id', e.fn, a.args), e.fn),
                   format('%s grouped by force_id: whole aggregate on the workers', e.sig))
FROM ext_aggs e JOIN agg_args a USING (sig) ORDER BY e.sig;

SELECT pg_temp.tap(pg_temp.runs_partial_on_workers(format('SELECT %s(%s) FROM ret_dist', e.fn, a.args), e.sig),
                   format('%s ungrouped: partial aggregate on the workers, combined on the coordinator', e.sig))
FROM ext_aggs e JOIN agg_args a USING (sig) ORDER BY e.sig;
-- How the partial states travel (a comment, not a test): text with Citus 13, binary with 14.
SELECT format('# ungrouped: %s of %s aggregates ship binary partial states (worker_binary_partial_agg), %s text ones (worker_partial_agg)',
              count(*) FILTER (WHERE p LIKE '%worker_binary_partial_agg(%'), count(*), count(*) FILTER (WHERE p LIKE '%worker_partial_agg(%'))
FROM ext_aggs e JOIN agg_args a USING (sig),
     LATERAL pg_temp.plan_of(format('SELECT %s(%s) FROM ret_dist', e.fn, a.args)) p;

-- The shapes doc/citus.md recommends for national figures: per-force states grouped by the
-- distribution column on the workers, merged on the coordinator. Same answer as one node.
SELECT pg_temp.tap(d = l, 'outcome_merge_agg over per-force outcome_agg (subquery) = single-node outcome_agg')
FROM (SELECT (SELECT da.outcome_merge_agg(o)::text FROM (SELECT force_id, da.outcome_agg(code) AS o FROM ret_dist GROUP BY force_id) s) AS d,
             (SELECT da.outcome_agg(code)::text FROM ret_local) AS l) q;
SELECT pg_temp.tap(d = l, 'outcome_merge_agg over per-force outcome_agg (MATERIALIZED CTE) = single-node outcome_agg')
FROM (SELECT (WITH s AS MATERIALIZED (SELECT force_id, da.outcome_agg(code, n) AS o FROM ret_dist GROUP BY force_id)
              SELECT da.outcome_merge_agg(o)::text FROM s) AS d,
             (SELECT da.outcome_agg(code, n)::text FROM ret_local) AS l) q;
SELECT pg_temp.tap(d = l, 'per_100_agg over per-force sums of pairwise-complete rows = single-node per_100_agg')
FROM (SELECT (SELECT da.per_100_agg(a, c)::text FROM (SELECT force_id, sum(arrests)::bigint AS a, sum(crimes)::bigint AS c FROM ret_dist
                                                      WHERE arrests IS NOT NULL AND crimes IS NOT NULL GROUP BY force_id) s) AS d,
             (SELECT da.per_100_agg(arrests, crimes)::text FROM ret_local) AS l) q;
SELECT pg_temp.tap(p ~ 'Query: SELECT [^\n]*da\.outcome_agg\([^\n]*GROUP BY t\.force_id' AND p !~ 'worker_(binary_)?partial_agg\(''da\.outcome_agg',
                   'two-level outcome shape: outcome_agg runs whole per force on the workers, without the wrapper')
FROM pg_temp.plan_of('SELECT da.outcome_merge_agg(o) FROM (SELECT t.force_id, da.outcome_agg(t.code) AS o FROM ret_dist t GROUP BY t.force_id) s') p;
