-- Matched panels: da.matched_change_agg and da.matched_rate_change_agg.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- A panel of 43 forces built so that the 35 with both years add up to the published matched
-- figures [HMICFRS 2019, 000]: arrests 201,659 -> 205,757, DA crimes 388,020 -> 455,395.
-- The other 8 each miss one year of one count (large values: including them would show).
CREATE TABLE panel (force int, arrests_2016 bigint, arrests_2017 bigint, crimes_2016 bigint, crimes_2017 bigint);
INSERT INTO panel
SELECT f, 5000 + 37 * f, 5100 + 41 * f, 10000 + 53 * f, 11500 + 67 * f FROM generate_series(1, 34) f;
INSERT INTO panel
SELECT 35, 201659 - sum(arrests_2016), 205757 - sum(arrests_2017), 388020 - sum(crimes_2016), 455395 - sum(crimes_2017)
FROM panel;
INSERT INTO panel VALUES
    (36, NULL, 90000, 90000, 90000), (37, 90000, NULL, 90000, 90000), (38, 90000, 90000, NULL, 90000),
    (39, 90000, 90000, 90000, NULL), (40, NULL, NULL, NULL, NULL), (41, NULL, 90000, NULL, 90000),
    (42, 90000, NULL, 90000, NULL), (43, NULL, NULL, 90000, 90000);
SELECT count(*) AS forces, min(arrests_2016) > 0 AND min(crimes_2017) > 0 AS all_positive FROM panel;

-- Arrests without forces 38-40: forces 36, 37, 41, 42, 43 lack a year of arrests -> 35 in, 5 left out.
SELECT (m).*, pct_change_phrase((m).old_total, (m).new_total) AS phrase
FROM (SELECT matched_change_agg(arrests_2016, arrests_2017) AS m FROM panel WHERE force <> 38 AND force <> 39 AND force <> 40) s;
-- The 35-force panel: all four counts present.
SELECT (m).*, pct_change_phrase((m).old_total, (m).new_total) AS phrase
FROM (SELECT matched_change_agg(arrests_2016, arrests_2017) FILTER (WHERE crimes_2016 IS NOT NULL AND crimes_2017 IS NOT NULL) AS m FROM panel) s;
SELECT (m).*, pct_change_phrase((m).old_total, (m).new_total) AS phrase
FROM (SELECT matched_change_agg(crimes_2016, crimes_2017) FILTER (WHERE arrests_2016 IS NOT NULL AND arrests_2017 IS NOT NULL) AS m FROM panel) s;
-- Arrest rate over the same panel: 51.97 -> 45.18 per 100, published as 52 -> 45:
-- "Down seven percentage points", a 13% fall of the rate.
SELECT round((r).old_rate, 4) AS old_rate, round((r).new_rate, 4) AS new_rate, round((r).pp_change, 4) AS pp_change,
       round((r).pct_change, 4) AS pct_of_rate, (r).units_included, (r).units_left_out,
       pp_change_phrase((r).old_rate, (r).new_rate) AS phrase,
       pct_change_phrase(round((r).old_rate), round((r).new_rate)) AS rounded_rates_phrase,
       pct_change_phrase((r).old_rate, (r).new_rate) AS rate_phrase
FROM (SELECT matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017) AS r FROM panel) s;
-- Exact values: the rates equal per_100 of the matched sums, the percent change of the rate
-- is exact (100 * (45.18... - 51.97...) / 51.97... computed from the integers).
SELECT (r).old_rate = per_100(201659, 388020) AS old_ok, (r).new_rate = per_100(205757, 455395) AS new_ok,
       (r).pp_change = per_100(205757, 455395) - per_100(201659, 388020) AS pp_ok,
       (r).pct_change = trim_scale(100 * (205757::numeric * 388020 - 201659::numeric * 455395) / (201659::numeric * 455395)) AS pct_ok,
       (r).pct_change
FROM (SELECT matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017) AS r FROM panel) s;
-- per 10,000 with the per argument (the same on every row).
SELECT (matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017, 10000)).* FROM panel WHERE force <= 3;
SELECT per_10k(5037 + 5074 + 5111, 10053 + 10106 + 10159) AS old_check, per_10k(5141 + 5182 + 5223, 11567 + 11634 + 11701) AS new_check;

-- Equals the hand-written matched panel (the warehouse's provisional SQL).
SELECT (m).old_total = sum(arrests_2016) FILTER (WHERE arrests_2017 IS NOT NULL) AS old_ok,
       (m).new_total = sum(arrests_2017) FILTER (WHERE arrests_2016 IS NOT NULL) AS new_ok,
       (m).units_left_out = count(*) FILTER (WHERE arrests_2016 IS NULL OR arrests_2017 IS NULL) AS left_ok
FROM panel, LATERAL (SELECT matched_change_agg(arrests_2016, arrests_2017) AS m FROM panel) a
GROUP BY m;

-- Empty and all-missing panels: NULL totals, the units still counted.
SELECT (matched_change_agg(arrests_2016, arrests_2017)).* FROM panel WHERE false;
SELECT (matched_change_agg(arrests_2016, arrests_2017)).* FROM panel WHERE force = 40;
SELECT (matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017)).* FROM panel WHERE force = 40;
-- From zero: no percent; zero denominators: no rate.
SELECT (matched_change_agg(a, b)).* FROM (VALUES (0::bigint, 5::bigint), (0, 0)) t(a, b);
SELECT (matched_rate_change_agg(a, b, c, d)).* FROM (VALUES (0::bigint, 0::bigint, 5::bigint, 10::bigint)) t(a, b, c, d);
SELECT (matched_rate_change_agg(a, b, c, d)).* FROM (VALUES (0::bigint, 10::bigint, 5::bigint, 10::bigint)) t(a, b, c, d);
-- int4 arguments through implicit casts.
SELECT (matched_change_agg(a, b)).* FROM (VALUES (1, 2), (3, NULL)) t(a, b);

-- Window: a running and a sliding matched panel use the exact inverse; equal to recomputation.
SELECT force, (w).old_total, (w).new_total, (w).units_included, (w).units_left_out,
       (w).old_total IS NOT DISTINCT FROM (SELECT sum(p2.arrests_2016) FROM panel p2
            WHERE p2.force BETWEEN p.force - 2 AND p.force AND p2.arrests_2016 IS NOT NULL AND p2.arrests_2017 IS NOT NULL) AS recomputed_ok
FROM (SELECT force, arrests_2016, matched_change_agg(arrests_2016, arrests_2017) OVER (ORDER BY force ROWS 2 PRECEDING) AS w
      FROM panel) p
WHERE force >= 33 ORDER BY force;
SELECT force, (w).old_rate IS NOT DISTINCT FROM per_100(o_n::bigint, o_d::bigint) AS old_ok, (w).new_rate IS NOT DISTINCT FROM per_100(n_n::bigint, n_d::bigint) AS new_ok,
       (w).units_included, (w).units_left_out
FROM (SELECT force, matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017) OVER w AS w,
             sum(arrests_2016) FILTER (WHERE arrests_2016 + arrests_2017 + crimes_2016 + crimes_2017 IS NOT NULL) OVER w AS o_n,
             sum(crimes_2016) FILTER (WHERE arrests_2016 + arrests_2017 + crimes_2016 + crimes_2017 IS NOT NULL) OVER w AS o_d,
             sum(arrests_2017) FILTER (WHERE arrests_2016 + arrests_2017 + crimes_2016 + crimes_2017 IS NOT NULL) OVER w AS n_n,
             sum(crimes_2017) FILTER (WHERE arrests_2016 + arrests_2017 + crimes_2016 + crimes_2017 IS NOT NULL) OVER w AS n_d
      FROM panel WINDOW w AS (ORDER BY force ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING)) s
WHERE force >= 33 ORDER BY force;

-- Forced parallel: Partial Aggregate in the plan, the same result as serial.
CREATE TABLE par_panel AS
SELECT g AS unit,
       CASE WHEN g % 97 = 0 THEN NULL ELSE (g * 31) % 400 END::bigint AS o_n,
       (400 + (g * 13) % 900)::bigint AS o_d,
       CASE WHEN g % 89 = 0 THEN NULL ELSE (g * 17) % 400 END::bigint AS n_n,
       CASE WHEN g % 83 = 0 THEN NULL ELSE 400 + (g * 29) % 900 END::bigint AS n_d
FROM generate_series(1, 100000) g;
ANALYZE par_panel;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_panel AS
SELECT matched_change_agg(o_n, n_n) AS c, matched_rate_change_agg(o_n, o_d, n_n, n_d) AS r,
       matched_rate_change_agg(o_n, o_d, n_n, n_d, 1000) AS r1000 FROM par_panel;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT matched_change_agg(o_n, n_n), matched_rate_change_agg(o_n, o_d, n_n, n_d) FROM par_panel;
SELECT p.c = s.c AS count_same, p.r = s.r AS rate_same, p.r1000 = s.r1000 AS rate1000_same, (p.c).units_left_out, (p.r).units_left_out
FROM serial_panel s,
     (SELECT matched_change_agg(o_n, n_n) AS c, matched_rate_change_agg(o_n, o_d, n_n, n_d) AS r,
             matched_rate_change_agg(o_n, o_d, n_n, n_d, 1000) AS r1000 FROM par_panel) p;
-- A worker that sees no rows.
SELECT (matched_change_agg(o_n, n_n)).* FROM par_panel WHERE unit > 99990;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
DROP TABLE par_panel;

-- The state type: text round trip, direct calls do not modify their input.
SELECT '(1,2,3,4,5,6,100)'::change_state, ' (0,0,0,0,0,0,0) '::change_state;
SELECT change_count_accum('(1,0,2,0,1,0,0)'::change_state, 10, 20), change_count_accum('(1,0,2,0,1,0,0)'::change_state, NULL, 20),
       change_count_retract('(11,0,22,0,2,1,0)'::change_state, 10, 20), change_combine('(1,2,3,4,5,6,100)', '(1,1,1,1,1,1,0)');
SELECT change_rate_accum('(0,0,0,0,0,0,0)'::change_state, 1, 2, 3, 4, 10000), change_rate_retract('(1,2,3,4,1,0,100)'::change_state, 1, 2, 3, 4);
SELECT change_count_final('(10,0,12,0,1,0,0)'), change_rate_final('(10,20,12,20,1,0,100)');
-- Errors: bad state text, negative fields, negative counts, per mismatch, NULL state, overflow.
-- (A NULL per on a row is not an error: the row counts, per comes from the other rows.)
SELECT '(1,2,3)'::change_state;
SELECT '1,2,3,4,5,6,7'::change_state;
SELECT '(1,2,3,4,5,6,7,8)'::change_state;
SELECT '(1,2,3,4,5,-6,7)'::change_state;
SELECT '(1,2,3,4,5,x,7)'::change_state;
SELECT matched_change_agg(a, b) FROM (VALUES (-1::bigint, 5::bigint)) t(a, b);
SELECT matched_change_agg(a, b) FROM (VALUES (1::bigint, -5::bigint)) t(a, b);
SELECT matched_rate_change_agg(a, b, c, d) FROM (VALUES (1::bigint, 2::bigint, 3::bigint, -4::bigint)) t(a, b, c, d);
SELECT matched_rate_change_agg(1, 2, 3, 4, per) FROM (VALUES (100::bigint), (1000)) t(per);
SELECT matched_rate_change_agg(1, 2, 3, 4, per) FROM (VALUES (100::bigint), (NULL)) t(per);
SELECT matched_rate_change_agg(1, 2, 3, 4, 0);
SELECT change_count_accum(NULL, 1, 2);
SELECT matched_change_agg(a, 1) FROM (VALUES (9223372036854775807), (1)) t(a);

DROP TABLE panel;
