-- Rates per 100 / 10,000 / N: row level and aggregates.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- Published national figures, 35 forces [HMICFRS 2019, 000]: 52 and 45 arrests per 100.
SELECT round(per_100(201659, 388020), 2) AS arrests_per_100_2016,
       round(per_100(205757, 455395), 2) AS arrests_per_100_2017,
       round(per_100(201659, 388020)) AS published_2016,
       round(per_100(205757, 455395)) AS published_2017;
-- Full precision is numeric, exact to the division's scale.
SELECT per_100(201659, 388020), per_10k(86893, 24800000), per_n(1, 3, 1000);
-- Rates above 100 are legitimate and never capped (more than one arrest per offence).
SELECT per_100(150, 100) AS over_100, per_100(0, 5) AS zero_rate;
-- int2 / int4 arguments work through implicit casts.
SELECT per_100(3::int2, 4::int2), per_100(3::int4, 4::int8);

-- NULL semantics: NULL in, NULL out; zero denominator gives NULL, not an error, not 0.
SELECT per_100(NULL, 10) IS NULL AS null_num, per_100(10, NULL) IS NULL AS null_den,
       per_100(10, 0) IS NULL AS zero_den, per_10k(0, 0) IS NULL AS zero_zero,
       per_n(1, 2, NULL) IS NULL AS null_per;

-- Errors: negative counts name the argument (22023); per must be positive.
\set VERBOSITY default
SELECT per_100(-1, 10);
SELECT per_100(1, -10);
SELECT per_10k(-5, 10);
SELECT per_n(1, 10, 0);
SELECT per_n(1, 10, -100);

-- Aggregates: ratio of sums over pairwise-complete rows.
CREATE TEMP TABLE force_year (force text, arrests int, crimes int);
INSERT INTO force_year VALUES
  ('A', 45, 100),   -- 45 per 100
  ('B', 90, 100),   -- 90 per 100
  ('C', 10, 1000),  -- 1 per 100: small rate, big force
  ('D', NULL, 500), -- could not provide arrests: takes no part at all
  ('E', 70, NULL),  -- could not provide crimes: takes no part at all
  ('F', 0, 0);      -- a usable row that adds nothing
-- Ratio of sums (145 / 1200) vs the wrong mean of force rates (45.33).
SELECT round(per_100_agg(arrests, crimes), 4) AS ratio_of_sums,
       round(avg(per_100(arrests, crimes)), 4) AS mean_of_rates_wrong
FROM force_year;
SELECT per_10k_agg(arrests, crimes), per_n_agg(arrests, crimes, 1000) FROM force_year;
-- bigint overloads, and the same figures through the int8 path.
SELECT per_100_agg(arrests::bigint, crimes::bigint) = per_100_agg(arrests, crimes) AS same
FROM force_year;
-- No usable rows, or a zero total denominator: NULL.
SELECT per_100_agg(arrests, crimes) IS NULL AS no_rows FROM force_year WHERE false;
SELECT per_100_agg(arrests, crimes) IS NULL AS only_incomplete FROM force_year WHERE force IN ('D', 'E');
SELECT per_100_agg(arrests, crimes) IS NULL AS zero_den FROM force_year WHERE force = 'F';
-- Grouped.
SELECT force, per_100_agg(arrests, crimes) FROM force_year GROUP BY force ORDER BY force;
-- Aggregate errors: negative count, inconsistent per, overflow (22003, never a wrap).
SELECT per_100_agg(x, 10) FROM (VALUES (1), (-2)) v(x);
SELECT per_n_agg(1, 10, p) FROM (VALUES (100::bigint), (1000)) v(p);
SELECT per_n_agg(1, 10, 0::bigint);
SELECT per_100_agg(x, 1::bigint) FROM (VALUES (9223372036854775807), (1)) v(x);
SELECT per_100_agg(1::bigint, x) FROM (VALUES (9223372036854775807), (1)) v(x);

-- Rolling 12-month figure from monthly rows: the moving aggregate equals recomputation.
CREATE TEMP TABLE monthly AS
SELECT m, (m * 37 % 23 + 5)::int AS arrests, (m * 53 % 31 + 20)::int AS crimes
FROM generate_series(1, 30) m;
UPDATE monthly SET arrests = NULL WHERE m = 14;
SELECT count(*) AS months,
       count(*) FILTER (WHERE w.rolling = r.recomputed) AS equal
FROM (SELECT m, per_100_agg(arrests, crimes) OVER (ORDER BY m ROWS 11 PRECEDING) AS rolling
      FROM monthly) w
JOIN LATERAL (SELECT per_100_agg(arrests, crimes) AS recomputed
              FROM monthly i WHERE i.m BETWEEN w.m - 11 AND w.m) r ON true;
SELECT m, per_100_agg(arrests, crimes) OVER w AS rolling_rate,
       count(arrests + crimes) OVER w AS months_present
FROM monthly WINDOW w AS (ORDER BY m ROWS 11 PRECEDING) ORDER BY m LIMIT 3 OFFSET 11;

-- The state type: text and binary round trips, and its validation.
SELECT '(201659,388020,35,100,0)'::rate_state;
SELECT '(1,2,3,100,0.95)'::rate_state::text::rate_state;
SELECT rate_final('(205757,455395,35,100,0)');
SELECT rate_state_rows('(1,2,3,100,0)');
SELECT 'nonsense'::rate_state;
SELECT '(1,2,3)'::rate_state;
SELECT '(-1,2,3,100,0)'::rate_state;
SELECT '(1,2,3,100,95)'::rate_state;
-- A direct call of the transition function does not modify its input.
SELECT rate_accum(s, 1::bigint, 2::bigint), s FROM (SELECT '(1,1,1,100,0)'::rate_state AS s) v;
