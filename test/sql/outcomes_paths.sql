-- Outcome aggregates: the record-level, pre-counted and rollup paths agree; serial equals
-- parallel (forced parallel plans); rolling windows equal recomputation.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- Record level: 44 forces x 36 months, one row per crime, code both as text and integer.
-- Codes cycle deterministically through a skewed list (16 and 1 most common); every 13th
-- crime is not yet assigned (NULL), every 17th written '0'.
CREATE TABLE oc_crimes (force int, month int, code text, code_i smallint);
INSERT INTO oc_crimes
SELECT f, m, c, CASE WHEN c IS NULL THEN NULL ELSE regexp_replace(c, 'A', '')::smallint END
FROM (SELECT f, m, CASE WHEN (f * 31 + m * 7 + k) % 13 = 0 THEN NULL
                        WHEN (f * 31 + m * 7 + k) % 17 = 0 THEN '0'
                        ELSE (ARRAY['16', '16', '16', '1', '1', '15', '15', '18', '3', '8', '14', '1A',
                                    '21', '2', '10', '20', '6', '22', '3A'])[1 + (f * 7 + m * 3 + k * 5) % 19] END AS c
      FROM generate_series(1, 44) f, generate_series(1, 36) m,
           LATERAL generate_series(1, 10 + (f * m) % 23) k) s;
ANALYZE oc_crimes;
SELECT count(*) AS crimes, count(*) FILTER (WHERE code IS NULL OR code = '0') AS not_yet_assigned FROM oc_crimes;

-- Independent count: the same distribution by plain SQL (GROUP BY code), as text.
SELECT outcome_agg(code) = (SELECT ('{' || string_agg(format('"%s": %s', coalesce(code, '0'), n), ', ') || '}')::outcome_counts
                            FROM (SELECT CASE WHEN code IS NULL OR code = '0' THEN '0' ELSE code END AS code, count(*) AS n
                                  FROM oc_crimes GROUP BY 1) g) AS agg_equals_group_by
FROM oc_crimes;

-- Pre-counted rows (force, month, code, n) and stored monthly rollups.
CREATE TABLE oc_precounted AS
SELECT force, month, code, count(*) AS n FROM oc_crimes GROUP BY force, month, code;
CREATE TABLE oc_rollup AS
SELECT force, month, outcome_agg(code) AS c FROM oc_crimes GROUP BY force, month;
ANALYZE oc_precounted;
CREATE INDEX ON oc_rollup (force, month);
ANALYZE oc_rollup;

-- Per force: record level (text, integer, smallint), pre-counted (text, integer) and rollup
-- paths all give the same distribution (the letter codes fold into their integer code in
-- the integer column, so that path is compared on the integer-folded text).
SELECT count(*) AS forces,
       count(*) FILTER (WHERE r.t = p.t AND p.t = u.t) AS text_paths_equal,
       count(*) FILTER (WHERE r.i = p.i) AS integer_paths_equal
FROM (SELECT force, outcome_agg(code) AS t, outcome_agg(code_i) AS i FROM oc_crimes GROUP BY force) r
JOIN (SELECT force, outcome_agg(code, n) AS t,
             outcome_agg(regexp_replace(code, 'A', '')::int, n) AS i FROM oc_precounted GROUP BY force) p USING (force)
JOIN (SELECT force, outcome_merge_agg(c) AS t FROM oc_rollup GROUP BY force) u USING (force);

-- Serial references.
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS
SELECT (SELECT outcome_agg(code) FROM oc_crimes) AS rec_text,
       (SELECT outcome_agg(code_i) FROM oc_crimes) AS rec_int,
       (SELECT outcome_agg(code, n) FROM oc_precounted) AS pre_text,
       (SELECT outcome_agg(regexp_replace(code, 'A', '')::int, n) FROM oc_precounted) AS pre_int,
       (SELECT outcome_merge_agg(c) FROM oc_rollup) AS merged;
SELECT rec_text = pre_text AND pre_text = merged AS serial_paths_equal, rec_int = pre_int AS serial_int_equal,
       outcome_total(rec_text) AS outcomes, outcome_unassigned(rec_text) AS not_yet_assigned
FROM serial;

-- Forced parallel plans.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT outcome_agg(code) FROM oc_crimes;
EXPLAIN (COSTS OFF) SELECT outcome_agg(code, n) FROM oc_precounted;
EXPLAIN (COSTS OFF) SELECT outcome_merge_agg(c) FROM oc_rollup;
EXPLAIN (COSTS OFF) SELECT force, outcome_agg(code_i) FROM oc_crimes GROUP BY force;

SELECT s.rec_text = p.rec_text AS rec_text_same, s.rec_int = p.rec_int AS rec_int_same,
       s.pre_text = p.pre_text AS pre_text_same, s.pre_int = p.pre_int AS pre_int_same,
       s.merged = p.merged AS merged_same
FROM serial s,
     (SELECT (SELECT outcome_agg(code) FROM oc_crimes) AS rec_text,
             (SELECT outcome_agg(code_i) FROM oc_crimes) AS rec_int,
             (SELECT outcome_agg(code, n) FROM oc_precounted) AS pre_text,
             (SELECT outcome_agg(regexp_replace(code, 'A', '')::int, n) FROM oc_precounted) AS pre_int,
             (SELECT outcome_merge_agg(c) FROM oc_rollup) AS merged) p;

-- Grouped, parallel (hash and sort grouping) = serial grouping by plain SQL.
CREATE TEMP TABLE by_force_serial AS
SELECT force, code, count(*) AS n FROM oc_crimes GROUP BY force, code;
SELECT count(*) AS forces,
       count(*) FILTER (WHERE p.c = s.c) AS same
FROM (SELECT force, outcome_agg(code) AS c FROM oc_crimes GROUP BY force) p
JOIN (SELECT force, outcome_agg(code, n) AS c FROM by_force_serial GROUP BY force) s USING (force);
SET enable_hashagg = off;
SELECT count(*) AS forces_sorted,
       count(*) FILTER (WHERE p.c = s.c) AS same
FROM (SELECT force, outcome_agg(code) AS c FROM oc_crimes GROUP BY force) p
JOIN (SELECT force, outcome_merge_agg(c) AS c FROM oc_rollup GROUP BY force) s USING (force);
RESET enable_hashagg;

-- Workers that see no rows, or only rows without a count: as serially.
SELECT outcome_agg(code) FROM oc_crimes WHERE force = 3 AND month = 5 AND code = '16';
SELECT outcome_agg(code) IS NULL AS no_rows, outcome_agg(code, 1::bigint) IS NULL AS no_rows_n
FROM oc_crimes WHERE force = -1;
SELECT outcome_agg(code, NULL::bigint) IS NULL AS only_null_counts FROM oc_crimes;
SELECT outcome_merge_agg(NULL::outcome_counts) IS NULL AS only_null_rollups FROM oc_rollup;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-------------------------------------------------------------------------------
-- Windows: rolling 12 months, O(1) per row through the exact inverse
-------------------------------------------------------------------------------

-- From monthly rollups: the rolling 12-month figure equals recomputation at every
-- force-month (44 x 36 = 1,584 windows), and its first full year equals the raw rows.
SELECT count(*) AS windows, count(*) FILTER (WHERE w.c = r.c) AS equal
FROM (SELECT force, month, outcome_merge_agg(c) OVER (PARTITION BY force ORDER BY month ROWS 11 PRECEDING) AS c
      FROM oc_rollup) w
JOIN LATERAL (SELECT outcome_merge_agg(c) AS c FROM oc_rollup i
              WHERE i.force = w.force AND i.month BETWEEN w.month - 11 AND w.month) r ON true;
SELECT count(*) AS forces, count(*) FILTER (WHERE w.c = r.c) AS equal_to_raw
FROM (SELECT force, month, outcome_merge_agg(c) OVER (PARTITION BY force ORDER BY month ROWS 11 PRECEDING) AS c
      FROM oc_rollup) w
JOIN (SELECT force, outcome_agg(code) AS c FROM oc_crimes WHERE month BETWEEN 13 AND 24 GROUP BY force) r USING (force)
WHERE w.month = 24;

-- A gap: a month whose rollup is NULL (force could not provide it) takes no part; a frame
-- of only NULL rollups is NULL, as the plain aggregate.
CREATE TEMP TABLE gaps AS
SELECT month, CASE WHEN month IN (3, 4, 5, 6) THEN NULL ELSE c END AS c FROM oc_rollup WHERE force = 7;
SELECT count(*) AS windows, count(*) FILTER (WHERE w.c IS NOT DISTINCT FROM r.c) AS equal,
       count(*) FILTER (WHERE w.c IS NULL) AS null_frames
FROM (SELECT month, outcome_merge_agg(c) OVER (ORDER BY month ROWS 2 PRECEDING) AS c FROM gaps) w
JOIN LATERAL (SELECT outcome_merge_agg(c) AS c FROM gaps i WHERE i.month BETWEEN w.month - 2 AND w.month) r ON true;

-- Record level, text and integer: window = recomputation.
CREATE TEMP TABLE rec11 AS
SELECT row_number() OVER (ORDER BY month, code) AS k, code, code_i FROM oc_crimes WHERE force = 11;
SELECT count(*) AS windows, count(*) FILTER (WHERE w.t = r.t AND w.i = r.i) AS equal
FROM (SELECT k, outcome_agg(code) OVER o AS t, outcome_agg(code_i) OVER o AS i
      FROM rec11 WINDOW o AS (ORDER BY k ROWS 40 PRECEDING)) w
JOIN LATERAL (SELECT outcome_agg(code) AS t, outcome_agg(code_i) AS i
              FROM rec11 y WHERE y.k BETWEEN w.k - 40 AND w.k) r ON true;

-- Pre-counted with missing counts: frames where no row has a count are NULL (as the plain
-- aggregate), frames ending the rows are exact.
CREATE TEMP TABLE pre_gaps AS
SELECT row_number() OVER (ORDER BY month, code) AS k, code,
       CASE WHEN month BETWEEN 10 AND 14 THEN NULL ELSE n END AS n
FROM oc_precounted WHERE force = 5;
SELECT count(*) AS windows, count(*) FILTER (WHERE w.c IS NOT DISTINCT FROM r.c) AS equal,
       count(*) FILTER (WHERE w.c IS NULL) AS null_frames
FROM (SELECT k, outcome_agg(code, n) OVER (ORDER BY k ROWS 5 PRECEDING) AS c FROM pre_gaps) w
JOIN LATERAL (SELECT outcome_agg(code, n) AS c FROM pre_gaps i WHERE i.k BETWEEN w.k - 5 AND w.k) r ON true;
-- Integer codes, pre-counted, in a window; and a frame that is empty at the start.
SELECT count(*) AS windows, count(*) FILTER (WHERE w.c IS NOT DISTINCT FROM r.c) AS equal,
       count(*) FILTER (WHERE w.c IS NULL) AS null_frames
FROM (SELECT k, outcome_agg(regexp_replace(code, 'A', '')::int, n)
                  OVER (ORDER BY k ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS c FROM pre_gaps) w
JOIN LATERAL (SELECT outcome_agg(regexp_replace(code, 'A', '')::int, n) AS c FROM pre_gaps i
              WHERE i.k BETWEEN w.k - 3 AND w.k - 1) r ON true;
-- A window whose frame start does not move uses the plain transition: whole partition and
-- running totals equal the plain aggregate.
SELECT bool_and(w.c = (SELECT outcome_agg(code, n) FROM pre_gaps)) AS whole_partition_equal
FROM (SELECT outcome_agg(code, n) OVER () AS c FROM pre_gaps) w;
SELECT count(*) AS windows, count(*) FILTER (WHERE w.c IS NOT DISTINCT FROM r.c) AS equal
FROM (SELECT k, outcome_agg(code, n) OVER (ORDER BY k ROWS UNBOUNDED PRECEDING) AS c FROM pre_gaps) w
JOIN LATERAL (SELECT outcome_agg(code, n) AS c FROM pre_gaps i WHERE i.k <= w.k) r ON true;

DROP TABLE oc_crimes, oc_precounted, oc_rollup, serial, by_force_serial, gaps, rec11, pre_gaps;
