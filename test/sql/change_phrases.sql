-- Phrases and direction: more cases (published precision, half away from zero, NULLs).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
RESET client_min_messages;
SET search_path = public, da;

-- Shares and rates: rounded to the published precision first, then compared.
SELECT pp_change_phrase(33, 32) AS shares_33_32, pp_change_phrase(11, 11) AS shares_11_11,
       pp_change_phrase(52, 45) AS arrest_rate, pp_change_phrase(per_100(201659, 388020), per_100(205757, 455395)) AS from_counts,
       round(pct_change(52, 45), 1) AS rate_fell_pct;
-- Words for one to nine, singular for one, figures from ten; decimals in figures.
SELECT o, n, d, pp_change_phrase(o, n, d)
FROM (VALUES (10.0, 11.0, 0), (20, 29, 0), (20, 30, 0), (30, 20, 0), (40.0, 41.5, 1), (40, 42, 1),
             (40.25, 40.35, 1), (12.34, 12.34, 2), (33.4, 32.6, 0), (33.4, 32.6, 1)) t(o, n, d);
-- Half away from zero at the published precision: 2.5% rounds to 3, -2.5% to -3, 32.5 to 33.
SELECT pct_change(200, 205) AS pct, pct_change_phrase(200, 205) AS up_half,
       pct_change(200, 195) AS pct_down, pct_change_phrase(200, 195) AS down_half,
       pct_change_phrase(200, 199) AS minus_half, pct_change_phrase(2000, 1991) AS minus_0_45, pct_change_phrase(1000, 1004, 1) AS tenth,
       pp_change_phrase(31.5, 32.4) AS rates_both_32, pp_change_phrase(32.5, 33.4) AS rates_33_33,
       pp_change_phrase(32.49, 33.5) AS rates_32_34;
-- Falls to zero, exact values.
SELECT pct_change(3, 0) AS to_zero, pct_change_phrase(3, 0) AS phrase,
       pct_change(3, 4) AS third, pct_change(7, 7) AS none, pct_change_phrase(7, 7);
SELECT pp_change(52.0, 45.2) AS pp, pp_change(per_100(201659, 388020), per_100(205757, 455395)) AS pp_exact;

-- Direction: counting forces.
SELECT direction(10, 12), direction(12, 10), direction(10, 10), direction(10.4, 9.6), direction(10.4, 9.6, 1),
       direction(NULL, 1), direction(1, NULL);
CREATE TEMP TABLE force_rates (force text, y2016 numeric, y2017 numeric);
INSERT INTO force_rates VALUES ('A', 52.4, 45.1), ('B', 30.2, 33.9), ('C', 41.0, 40.6), ('D', 20.5, 20.4),
                               ('E', 60, 61), ('F', NULL, 50), ('G', 10.49, 10.51);
SELECT count(*) FILTER (WHERE direction(y2016, y2017) = 'up') AS up,
       count(*) FILTER (WHERE direction(y2016, y2017) = 'down') AS down,
       count(*) FILTER (WHERE direction(y2016, y2017) = 'unchanged') AS unchanged,
       count(*) FILTER (WHERE direction(y2016, y2017) IS NULL) AS not_compared,
       format('%s forces up, %s down, %s unchanged',
              count(*) FILTER (WHERE direction(y2016, y2017) = 'up'),
              count(*) FILTER (WHERE direction(y2016, y2017) = 'down'),
              count(*) FILTER (WHERE direction(y2016, y2017) = 'unchanged')) AS sentence
FROM force_rates;
DROP TABLE force_rates;

-- NULLs: NULL in, NULL out; a change from zero has no percent.
SELECT pct_change(NULL, 5) IS NULL AS a, pct_change(5, NULL) IS NULL AS b,
       pct_change(0, 5) IS NULL AS c, pct_change(0, 0) IS NULL AS d,
       pct_change_phrase(0, 5) IS NULL AS e, pct_change_phrase(NULL, 5) IS NULL AS f,
       pp_change(NULL, 1) IS NULL AS g, pp_change_phrase(1, NULL) IS NULL AS h,
       pct_change_phrase(1, 2, NULL) IS NULL AS i, pp_change_phrase(1, 2, NULL) IS NULL AS j;
SELECT ons_number(1), ons_number(9.00), ons_number(10), ons_number(0), ons_number(2.50), ons_number(-3);
-- Errors.
SELECT pct_change(-1, 5);
SELECT pct_change(5, -1);
SELECT pct_change_phrase(-1, 5);
