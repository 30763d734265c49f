-- Parallel aggregation: the plan has a Partial Aggregate and the result equals the serial one,
-- also when a worker sees no rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

CREATE TABLE par_returns (force int, month int, arrests int, crimes int);
INSERT INTO par_returns
SELECT f, m,
       CASE WHEN (f * 7 + m) % 97 = 0 THEN NULL ELSE (f * 31 + m * 17) % 400 END,
       CASE WHEN (f * 11 + m) % 89 = 0 THEN NULL ELSE 400 + (f * 13 + m * 29) % 900 END
FROM generate_series(1, 44) f, generate_series(1, 2400) m;
ANALYZE par_returns;

-- Serial reference.
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT per_100_agg(arrests, crimes) AS p100, per_10k_agg(arrests, crimes) AS p10k,
       per_n_agg(arrests, crimes, 1000) AS pn,
       wilson_ci_agg(arrests::bigint, crimes::bigint, 100) AS w,
       rate_ci_agg(arrests::bigint, crimes::bigint, 100) AS r
FROM par_returns;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT per_100_agg(arrests, crimes), per_n_agg(arrests, crimes, 1000),
       wilson_ci_agg(arrests::bigint, crimes::bigint, 100), rate_ci_agg(arrests::bigint, crimes::bigint, 100)
FROM par_returns;

SELECT s.p100 = p.p100 AS p100_same, s.p10k = p.p10k AS p10k_same, s.pn = p.pn AS pn_same,
       s.w = p.w AS wilson_same, s.r = p.r AS rate_same, round(p.p100, 6) AS per_100
FROM serial s,
     (SELECT per_100_agg(arrests, crimes) AS p100, per_10k_agg(arrests, crimes) AS p10k,
             per_n_agg(arrests, crimes, 1000) AS pn,
             wilson_ci_agg(arrests::bigint, crimes::bigint, 100) AS w,
             rate_ci_agg(arrests::bigint, crimes::bigint, 100) AS r
      FROM par_returns) p;

-- Grouped, parallel: equals the serial grouping.
EXPLAIN (COSTS OFF)
SELECT force, per_100_agg(arrests, crimes) FROM par_returns GROUP BY force;
SELECT count(*) AS forces,
       count(*) FILTER (WHERE p.rate IS NOT DISTINCT FROM s.rate) AS same
FROM (SELECT force, per_100_agg(arrests, crimes) AS rate FROM par_returns GROUP BY force) p
JOIN (SELECT force, 100.0 * sum(arrests) FILTER (WHERE crimes IS NOT NULL)
                    / nullif(sum(crimes) FILTER (WHERE arrests IS NOT NULL), 0) AS rate
      FROM par_returns GROUP BY force) s USING (force);

-- A worker that sees no rows: only a handful of rows match, so most partial states are empty.
SELECT per_100_agg(arrests, crimes), per_n_agg(arrests, crimes, 1000)
FROM par_returns WHERE force = 3 AND month = 5;
-- No row at all in any worker: NULL, as serially.
SELECT per_100_agg(arrests, crimes) IS NULL AS empty, per_n_agg(arrests, crimes, 1000) IS NULL AS empty_n
FROM par_returns WHERE force = -1;

RESET ALL;
DROP TABLE par_returns;
