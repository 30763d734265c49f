-- Year-on-year change: percent vs percentage points, phrases, matched panels, significance.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- Table 1 of the 2019 report (12 months to 30 June 2016 -> 2017): counts, percent change.
SELECT what, old_value, new_value, round(pct_change(old_value, new_value), 2) AS pct,
       pct_change_phrase(old_value, new_value) AS phrase, published
FROM (VALUES ('DA-related crimes', 434905, 506890, 'Up 17%'),
             ('Sexual offences', 13515, 16591, 'Up 23%'),
             ('Assault with injury', 133891, 140486, 'Up 5%'),
             ('Harassment', 64670, 74894, 'Up 16%'),
             ('35-force panel: arrests', 201659, 205757, 'Up 2%'),
             ('35-force panel: DA crimes', 388020, 455395, 'Up 17%'),
             ('Report text: 430,095 -> 506,890', 430095, 506890, '(text says 17)')) t(what, old_value, new_value, published);
-- Shares and rates: percentage points, decided on the published (rounded) values.
SELECT pp_change_phrase(33, 32) AS shares_33_32, pp_change_phrase(11, 11) AS shares_11_11,
       pp_change_phrase(per_100(201659, 388020), per_100(205757, 455395)) AS arrests_52_45,
       pp_change_phrase(per_100(201659, 388020), per_100(205757, 455395), words => false) AS as_numerals,
       round(pct_change(per_100(201659, 388020), per_100(205757, 455395)), 1) AS arrest_rate_pct_change;
-- Rounding first: 32.4 vs 32.6 differ unrounded but both publish as 32 / 33.
SELECT pp_change_phrase(32.4, 32.6) AS "32.4 -> 32.6", pp_change_phrase(32.4, 32.4999) AS "32.4 -> 32.4999",
       pp_change_phrase(10.25, 11.75, 1) AS one_decimal, pp_change_phrase(40, 52) AS up_12,
       pp_change_phrase(45, 44) AS down_one, pp_change_phrase(44, 53) AS up_nine, pp_change_phrase(44, 54) AS up_ten;
-- Half away from zero: 2.5% rounds to 3, -2.5% to -3.
SELECT pct_change_phrase(200, 205) AS plus_2_5, pct_change_phrase(200, 195) AS minus_2_5,
       pct_change_phrase(1000, 1004) AS rounds_to_0, pct_change_phrase(1000, 1004, 1) AS one_decimal;
SELECT pp_change(52, 45), pct_change(100, 100), pct_change(3, 4);
SELECT ons_number(1), ons_number(9), ons_number(10), ons_number(1.5), ons_number(0);
-- NULLs and zero base.
SELECT pct_change(0, 10) IS NULL AS zero_base, pct_change(NULL, 10) IS NULL AS null_old,
       pct_change_phrase(0, 5) IS NULL AS phrase_zero_base, pp_change(NULL, 1) IS NULL AS pp_null,
       pp_change_phrase(1, NULL) IS NULL AS pp_phrase_null, direction(NULL, 1) IS NULL AS dir_null;
-- Errors.
SELECT pct_change(-1, 10);
SELECT pct_change(10, -1);
SELECT pct_change('NaN', 10);

-- Counting forces by the direction of their rate, on rounded published values (pp_direction:
-- the change pp_change_phrase prints).
CREATE TEMP TABLE force_rates (force text, rate_2016 numeric, rate_2017 numeric);
INSERT INTO force_rates VALUES ('A', 52.4, 45.1), ('B', 30.2, 30.4), ('C', 60.6, 61.4),
                               ('D', 79.0, 79.2), ('E', NULL, 40), ('F', 45.5, 44.6);
SELECT force, pp_direction(rate_2016, rate_2017) FROM force_rates ORDER BY force;
SELECT count(*) FILTER (WHERE d = 'up') || ' forces up, '
       || count(*) FILTER (WHERE d = 'down') || ' down, '
       || count(*) FILTER (WHERE d = 'unchanged') || ' unchanged' AS summary
FROM (SELECT pp_direction(rate_2016, rate_2017) AS d FROM force_rates WHERE rate_2016 IS NOT NULL AND rate_2017 IS NOT NULL) x;

-- Matched panel: a unit missing either year is left out of BOTH years, and counted.
CREATE TEMP TABLE panel (force text, arrests_2016 bigint, arrests_2017 bigint,
                         crimes_2016 bigint, crimes_2017 bigint);
INSERT INTO panel VALUES ('A', 100, 110, 200, 260), ('B', 50, 40, 100, 120),
                         ('C', NULL, 30, 80, 90),       -- no 2016 arrests: out of the panel
                         ('D', 20, NULL, 40, 45),       -- no 2017 arrests
                         ('E', 10, 12, NULL, 30);       -- no 2016 crimes: out of the rate panel only
SELECT (matched_change_agg(arrests_2016, arrests_2017)).* FROM panel;
SELECT (matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017)).* FROM panel;
SELECT (matched_rate_change_agg(arrests_2016, crimes_2016, arrests_2017, crimes_2017, 1000)).old_rate FROM panel;
-- The naive national figure mixes panels (sum over whatever is there): not the same.
SELECT sum(arrests_2016) AS naive_2016, sum(arrests_2017) AS naive_2017 FROM panel;
-- The published 35-force panel, as one row.
SELECT old_total, new_total, pct_change_phrase(old_total, new_total), units_included
FROM (SELECT (matched_change_agg(201659, 205757)).*) m;
SELECT round(old_rate) AS old_rate, round(new_rate) AS new_rate,
       pp_change_phrase(old_rate, new_rate), round(pct_change, 1) AS pct_change_of_rate
FROM (SELECT (matched_rate_change_agg(201659, 388020, 205757, 455395)).*) m;
-- Empty panel and zero base.
SELECT (matched_change_agg(a, b)).* FROM (VALUES (NULL::bigint, 1::bigint)) v(a, b);
SELECT (matched_change_agg(a, b)).* FROM (VALUES (0::bigint, 1::bigint)) v(a, b) WHERE false;
SELECT (matched_change_agg(a, b)).pct_change IS NULL AS zero_base FROM (VALUES (0::bigint, 5::bigint)) v(a, b);
-- Errors in aggregates.
SELECT matched_change_agg(a, b) FROM (VALUES (-1::bigint, 1::bigint)) v(a, b);
SELECT matched_rate_change_agg(1, 2, 3, -4);
SELECT matched_change_agg(a, 1) FROM (VALUES (9223372036854775807), (1)) v(a);
SELECT matched_rate_change_agg(1, 2, 3, 4, p) FROM (VALUES (100::bigint), (1000)) v(p);
-- State type I/O.
SELECT '(1,2,3,4,5,6,100)'::change_state;
SELECT '(1,2,3)'::change_state;
SELECT '(1,2,3,4,5,-6,100)'::change_state;
-- Window: rolling matched change equals recomputation.
CREATE TEMP TABLE yearly AS
SELECT y, CASE WHEN y % 7 = 3 THEN NULL ELSE (y * 37) % 50 + 10 END::bigint AS old_v,
       ((y * 53) % 60 + 5)::bigint AS new_v FROM generate_series(1, 40) y;
SELECT count(*) AS rows, count(*) FILTER (WHERE w = r) AS equal FROM (
  SELECT y, matched_change_agg(old_v, new_v) OVER (ORDER BY y ROWS 4 PRECEDING) AS w,
         (SELECT matched_change_agg(old_v, new_v) FROM yearly i WHERE i.y BETWEEN o.y - 4 AND o.y) AS r
  FROM yearly o) x;

-- Significance of a rate change against base R poisson.test(c(x_new, x_old), c(n_new, n_old)),
-- values printed by R with %.17g.  Relative error must be below 1e-9.
CREATE TEMP TABLE r_rate (x1 bigint, n1 bigint, x2 bigint, n2 bigint, level float8,
                          ratio float8, want_lower float8, want_upper float8, p float8);
INSERT INTO r_rate VALUES
(10, 1000, 18, 1000, 0.95, 1.7999999999999998, 0.78779039800748629, 4.3646151913113558, 0.18493334203958525),
(10, 1000, 18, 1000, 0.998, 1.7999999999999998, 0.51380859304589999, 7.3723895704130555, 0.18493334203958525),
(3, 200, 9, 150, 0.95, 4, 0.99824593359608571, 22.970670835866628, 0.037301374756727707),
(3, 200, 9, 150, 0.998, 4, 0.5205837787177966, 76.089378649318888, 0.037301374756727707),
(0, 100, 5, 100, 0.95, 'Infinity', 0.91635585731546021, 'Infinity', 0.0625),
(0, 100, 5, 100, 0.998, 'Infinity', 0.33544983106018372, 'Infinity', 0.0625),
(50, 10000, 50, 10000, 0.95, 1, 0.66201615020065152, 1.5105371669511514, 1),
(50, 10000, 50, 10000, 0.998, 1, 0.52624688234562966, 1.9002487873043927, 1),
(120, 5000, 95, 5200, 0.95, 0.76121794871794879, 0.57536774891452291, 1.0047132876796505, 0.047982489251331632),
(120, 5000, 95, 5200, 0.998, 0.76121794871794879, 0.49103893869301268, 1.1721468819372733, 0.047982489251331632),
(201659, 388020, 205757, 455395, 0.95, 0.8693664241090574, 0.86403928955082465, 0.87472648459227464, 0),
(201659, 388020, 205757, 455395, 0.998, 0.8693664241090574, 0.86098458596814464, 0.8778301084320167, 0);
CREATE FUNCTION pg_temp.rel(got float8, want float8) RETURNS float8 LANGUAGE sql AS
$$ SELECT CASE WHEN got IS NULL AND want = 'Infinity' THEN 0
               WHEN want = 0 THEN abs(got) ELSE abs(got - want) / abs(want) END $$;
SELECT x1, n1, x2, n2, level, t.method, t.verdict,
       pg_temp.rel(t.rate_ratio::float8, ratio) < 1e-9 AS ratio_ok,
       pg_temp.rel(t.lower::float8, want_lower) < 1e-9 AS lower_ok,
       pg_temp.rel(t.upper::float8, want_upper) < 1e-9 AS upper_ok,
       CASE WHEN p = 0 THEN t.p_value < 1e-300 ELSE pg_temp.rel(t.p_value, p) < 1e-9 END AS p_ok
FROM r_rate, rate_change_test(x1, n1, x2, n2, level) t ORDER BY x1, level;
SELECT rate_change_p_value(10, 1000, 18, 1000) = (rate_change_test(10, 1000, 18, 1000)).p_value AS twin_p,
       rate_change_verdict(3, 200, 9, 150) AS at_95, rate_change_verdict(3, 200, 9, 150, 0.99) AS at_99;
-- Above 10 million events the test is still exact (there is no normal approximation).
SELECT method, verdict, round(rate_ratio, 6) FROM rate_change_test(6000000, 100000000, 6100000, 100000000);
SELECT rate_change_test(1, 0, 1, 10) IS NULL AS zero_den, rate_change_test(0, 10, 0, 10) IS NULL AS no_events;
SELECT rate_change_test(-1, 10, 1, 10);
SELECT rate_change_test(1, 10, 1, 10, 95);

-- Proportion change: Newcombe hybrid score interval, against the formula evaluated in R from
-- Wilson limits (and Newcombe 1998's own example 56/70 vs 48/80: 0.0524 to 0.3339).
CREATE TEMP TABLE r_prop (x1 bigint, n1 bigint, x2 bigint, n2 bigint, level float8, d float8, want_lower float8, want_upper float8);
INSERT INTO r_prop VALUES
(48, 80, 56, 70, 0.95, 20.000000000000007, 5.2431472402364898, 33.387265403690591),
(48, 80, 56, 70, 0.998, 20.000000000000007, -3.348725364244229, 40.181176460263515),
(33, 100, 32, 100, 0.95, -1.0000000000000009, -13.782388870002327, 11.827591216220137),
(33, 100, 32, 100, 0.998, -1.0000000000000009, -20.738667472404341, 18.84578040297588),
(4400, 10000, 3540, 10000, 0.95, -8.6000000000000014, -9.9484668999509083, -7.2470722052792631),
(4400, 10000, 3540, 10000, 0.998, -8.6000000000000014, -10.723525344009573, -6.4653914095176344),
(0, 10, 0, 20, 0.95, 0, -27.753279986288916, 16.112515805281934),
(0, 10, 0, 20, 0.998, 0, -48.847890045346219, 32.317041462405506),
(10, 10, 0, 20, 0.95, -100, -100, -67.908603714191472),
(10, 10, 0, 20, 0.998, -100, -100, -41.42946533652718);
SELECT x1, n1, x2, n2, level, t.verdict,
       pg_temp.rel(t.pp_change::float8, d) < 1e-9 AS d_ok,
       pg_temp.rel(t.lower::float8, want_lower) < 1e-9 AS lower_ok,
       pg_temp.rel(t.upper::float8, want_upper) < 1e-9 AS upper_ok
FROM r_prop, proportion_change_test(x1, n1, x2, n2, level) t ORDER BY x1, x2, level;
-- Table 6 shape: outcome 16 at 35.4 then 43.0 per 100 (on 10,000 offences each year).
SELECT proportion_change_verdict(3540, 10000, 4300, 10000) AS outcome_16_share_change;
SELECT proportion_change_test(0, 0, 1, 10) IS NULL AS zero_den;
SELECT proportion_change_test(11, 10, 1, 10);
SELECT proportion_change_test(1, 10, 1, 10, 0);

-- Parallel: the matched-panel aggregates give the serial result under a forced parallel plan.
CREATE TABLE change_par AS
SELECT f, CASE WHEN f % 13 = 0 THEN NULL ELSE (f * 37) % 500 END::bigint AS o_num,
       (1000 + f % 300)::bigint AS o_den, ((f * 41) % 520)::bigint AS n_num,
       CASE WHEN f % 17 = 0 THEN NULL ELSE 1000 + f % 310 END::bigint AS n_den
FROM generate_series(1, 50000) f;
ANALYZE change_par;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE change_serial AS
SELECT matched_change_agg(o_num, n_num) AS c, matched_rate_change_agg(o_num, o_den, n_num, n_den) AS r FROM change_par;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT matched_change_agg(o_num, n_num), matched_rate_change_agg(o_num, o_den, n_num, n_den) FROM change_par;
SELECT s.c = p.c AS count_same, s.r = p.r AS rate_same, (p.c).units_left_out, (p.r).units_left_out AS rate_left_out
FROM change_serial s, (SELECT matched_change_agg(o_num, n_num) AS c,
                              matched_rate_change_agg(o_num, o_den, n_num, n_den) AS r FROM change_par) p;
RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather; RESET parallel_leader_participation;
DROP TABLE change_par;

-- Rolling 12-month figures from monthly returns with a missing month: the moving aggregate
-- (ROWS and RANGE frames) equals recomputation, and months_present exposes an 11-month year.
CREATE TEMP TABLE monthly_returns AS
SELECT f AS force, m::date AS month, ((extract(month FROM m) * 7 + f) % 40 + 20)::int AS arrests,
       ((extract(month FROM m) * 11 + f) % 50 + 60)::int AS crimes
FROM generate_series(1, 2) f, generate_series('2015-01-01'::date, '2018-12-01', '1 month') m
WHERE NOT (f = 1 AND m = '2017-03-01');   -- force 1 never sent March 2017
SELECT count(*) AS windows,
       count(*) FILTER (WHERE w.rolling = r.recomputed) AS equal,
       count(*) FILTER (WHERE w.months_present = 11) AS eleven_month_windows
FROM (SELECT force, month,
             per_100_agg(arrests, crimes) OVER w AS rolling, count(*) OVER w AS months_present
      FROM monthly_returns
      WINDOW w AS (PARTITION BY force ORDER BY month RANGE BETWEEN '11 months' PRECEDING AND CURRENT ROW)) w
JOIN LATERAL (SELECT per_100_agg(arrests, crimes) AS recomputed FROM monthly_returns i
              WHERE i.force = w.force AND i.month > w.month - interval '12 months' AND i.month <= w.month) r ON true;
SELECT force, month, round(per_100_agg(arrests, crimes) OVER w, 2) AS rolling_12m, count(*) OVER w AS months_present
FROM monthly_returns WHERE force = 1
WINDOW w AS (PARTITION BY force ORDER BY month RANGE BETWEEN '11 months' PRECEDING AND CURRENT ROW)
ORDER BY month OFFSET 25 LIMIT 4;
