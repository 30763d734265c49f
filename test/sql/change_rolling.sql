-- Rolling 12-month periods: the rate aggregates' moving-aggregate inverse (MINVFUNC) over
-- ROWS 11 PRECEDING and RANGE '11 months' PRECEDING, against recomputation, with gaps.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- Two forces, monthly returns Jan 2014 - Dec 2018; force 1 misses 3 months, force 2 misses
-- 2 months and has a month with a NULL arrest count (skipped, as everywhere).
CREATE TABLE monthly (force int, month date, arrests bigint, crimes bigint);
INSERT INTO monthly
SELECT f, m::date,
       CASE WHEN f = 2 AND m = '2016-03-01' THEN NULL ELSE 300 + (f * 37 + extract(month FROM m)::int * 11 + extract(year FROM m)::int) % 200 END,
       700 + (f * 53 + extract(month FROM m)::int * 29 + extract(year FROM m)::int * 7) % 300
FROM generate_series(1, 2) f, generate_series('2014-01-01'::date, '2018-12-01', '1 month') m
WHERE NOT (f = 1 AND m IN ('2015-06-01', '2017-02-01', '2017-03-01'))
  AND NOT (f = 2 AND m IN ('2016-09-01', '2018-12-01'));
SELECT force, count(*) AS months, count(arrests) AS with_arrests FROM monthly GROUP BY force ORDER BY force;

-- Rolling 12 months ending each month, two ways; months_present (months with both counts)
-- finds the windows short of 12.
CREATE TEMP TABLE rolled AS
SELECT force, month,
       per_100_agg(arrests, crimes) OVER rows_w AS rate_rows,
       per_100_agg(arrests, crimes) OVER range_w AS rate_range,
       wilson_ci_agg(arrests, crimes, 100) OVER range_w AS wilson_range,
       count(*) FILTER (WHERE arrests IS NOT NULL AND crimes IS NOT NULL) OVER range_w AS months_present,
       count(*) OVER rows_w AS rows_in_frame
FROM monthly
WINDOW rows_w AS (PARTITION BY force ORDER BY month ROWS 11 PRECEDING),
       range_w AS (PARTITION BY force ORDER BY month RANGE BETWEEN '11 months' PRECEDING AND CURRENT ROW);
-- Recomputed from scratch for every window: equal everywhere (exact numeric equality).
SELECT count(*) AS windows,
       count(*) FILTER (WHERE r.rate_range IS NOT DISTINCT FROM
                        (SELECT per_100(sum(m.arrests) FILTER (WHERE m.crimes IS NOT NULL)::bigint,
                                        sum(m.crimes) FILTER (WHERE m.arrests IS NOT NULL)::bigint)
                         FROM monthly m WHERE m.force = r.force AND m.month > r.month - interval '12 months'
                                          AND m.month <= r.month)) AS range_equal,
       count(*) FILTER (WHERE r.wilson_range IS NOT DISTINCT FROM
                        (SELECT wilson_ci(sum(m.arrests) FILTER (WHERE m.crimes IS NOT NULL)::bigint,
                                          sum(m.crimes) FILTER (WHERE m.arrests IS NOT NULL)::bigint, 100)
                         FROM monthly m WHERE m.force = r.force AND m.month > r.month - interval '12 months'
                                          AND m.month <= r.month)) AS wilson_equal,
       count(*) FILTER (WHERE r.rate_rows IS NOT DISTINCT FROM
                        (SELECT per_100(sum(x.arrests) FILTER (WHERE x.crimes IS NOT NULL)::bigint,
                                        sum(x.crimes) FILTER (WHERE x.arrests IS NOT NULL)::bigint)
                         FROM (SELECT m.arrests, m.crimes FROM monthly m WHERE m.force = r.force AND m.month <= r.month
                               ORDER BY m.month DESC LIMIT 12) x)) AS rows_equal
FROM rolled r;
-- Where a month is missing, ROWS 11 PRECEDING reaches back more than 12 months and the RANGE
-- frame holds 11 months: only the RANGE frame is a true "12 months to"; months_present < 12
-- flags the windows to footnote.
SELECT force, count(*) FILTER (WHERE months_present < 12 AND month >= '2015-01-01') AS short_windows,
       count(*) FILTER (WHERE rate_range <> rate_rows) AS rows_differs_from_range,
       count(*) FILTER (WHERE months_present = 12 AND rate_range <> rate_rows) AS differs_when_complete
FROM rolled GROUP BY force ORDER BY force;
SELECT force, to_char(month, 'YYYY-MM') AS "12 months to", months_present, rows_in_frame,
       round(rate_range, 2) AS rate_range, round(rate_rows, 2) AS rate_rows
FROM rolled
WHERE force = 2 AND month BETWEEN '2016-08-01' AND '2017-09-01'
ORDER BY force, month;
-- Published figures: 12 months to a quarter end, all 12 months present in both years.
SELECT r.force, to_char(r.month, 'YYYY-MM') AS "12 months to", round(y.rate_range, 1) AS year_before,
       round(r.rate_range, 1) AS rate, pp_change_phrase(y.rate_range, r.rate_range, 1) AS change
FROM rolled r JOIN rolled y ON y.force = r.force AND y.month = r.month - interval '12 months'
WHERE r.months_present = 12 AND y.months_present = 12 AND extract(month FROM r.month) IN (3, 6, 9, 12) AND r.month >= '2018-01-01'
ORDER BY r.force, r.month;

-- The inverse is what PostgreSQL uses: the catalog names it, and an instrumented copy of the
-- aggregate (the same C functions, the inverse wrapped to count its calls) is called once per
-- row leaving the frame, with the same results as an aggregate without an inverse.
SELECT aggfnoid::regprocedure, aggmtransfn::regprocedure, aggminvtransfn::regprocedure
FROM pg_aggregate WHERE aggfnoid = 'da.per_100_agg(bigint,bigint)'::regprocedure;
CREATE FUNCTION pg_temp.counted_retract(s da.rate_state, n bigint, d bigint) RETURNS da.rate_state
    LANGUAGE plpgsql STRICT AS $$
BEGIN
    PERFORM set_config('change_test.inverse_calls', (current_setting('change_test.inverse_calls')::int + 1)::text, false);
    RETURN da.rate_retract(s, n, d);
END $$;
CREATE AGGREGATE pg_temp.per_100_counted(bigint, bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)', FINALFUNC = da.rate_final,
    MSFUNC = da.rate_accum, MINVFUNC = pg_temp.counted_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,100,0)', MFINALFUNC = da.rate_final);
CREATE AGGREGATE pg_temp.per_100_no_inverse(bigint, bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)', FINALFUNC = da.rate_final);
SET change_test.inverse_calls = 0;
SELECT count(*) AS windows,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS equal,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM c) AS equal_to_builtin
FROM (SELECT pg_temp.per_100_counted(arrests, crimes) OVER w AS a,
             pg_temp.per_100_no_inverse(arrests, crimes) OVER w AS b,
             per_100_agg(arrests, crimes) OVER w AS c
      FROM monthly WINDOW w AS (PARTITION BY force ORDER BY month ROWS 11 PRECEDING)) x;
-- 115 rows in all, 12 per force fill the first frame: 115 - 2 * 12 = 91 rows left a frame;
-- the row with a NULL arrest count was never added (STRICT), so it is never retracted: 90.
SELECT current_setting('change_test.inverse_calls') AS inverse_calls;

DROP TABLE monthly;
