-- Phrases and direction: more cases (published precision, half away from zero, NULLs).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
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

-- Direction: counting forces. direction follows the percent change of a count (as
-- pct_change_phrase), pp_direction the percentage-point change of a rate (as pp_change_phrase).
SELECT direction(10, 12), direction(12, 10), direction(10, 10), direction(10.4, 9.6) AS pct_down_8,
       pp_direction(10.4, 9.6) AS both_round_to_10, pp_direction(10.4, 9.6, 1),
       direction(NULL, 1), direction(1, NULL), pp_direction(NULL, 1), direction(0, 5) AS from_zero,
       direction(0, 0) AS zero_to_zero;
CREATE TEMP TABLE force_rates (force text, y2016 numeric, y2017 numeric);
INSERT INTO force_rates VALUES ('A', 52.4, 45.1), ('B', 30.2, 33.9), ('C', 41.0, 40.6), ('D', 20.5, 20.4),
                               ('E', 60, 61), ('F', NULL, 50), ('G', 10.49, 10.51);
SELECT count(*) FILTER (WHERE pp_direction(y2016, y2017) = 'up') AS up,
       count(*) FILTER (WHERE pp_direction(y2016, y2017) = 'down') AS down,
       count(*) FILTER (WHERE pp_direction(y2016, y2017) = 'unchanged') AS unchanged,
       count(*) FILTER (WHERE pp_direction(y2016, y2017) IS NULL) AS not_compared,
       format('%s forces up, %s down, %s unchanged',
              count(*) FILTER (WHERE pp_direction(y2016, y2017) = 'up'),
              count(*) FILTER (WHERE pp_direction(y2016, y2017) = 'down'),
              count(*) FILTER (WHERE pp_direction(y2016, y2017) = 'unchanged')) AS sentence
FROM force_rates;
DROP TABLE force_rates;

-- ONS number style, one precision rule (issue 13): the change is rounded once, to digits places,
-- half away from zero; that rounded change decides "No change", up or down, the figure (exactly
-- digits decimals, commas between thousands) and the words. Every boundary, with the direction
-- beside the phrase and a check that the two agree.
CREATE FUNCTION pg_temp.agree(phrase text, dir text) RETURNS boolean LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN phrase IS NULL THEN dir IS NOT NULL   -- from zero: no percent, a direction
                WHEN phrase = 'No change' THEN dir = 'unchanged'
                WHEN phrase LIKE 'Up %' THEN dir = 'up'
                WHEN phrase LIKE 'Down %' THEN dir = 'down' END;
-- Percent change of counts.
SELECT o AS old, n AS new, d AS digits, pct_change(o, n) AS exact_pct, pct_change_phrase(o, n, d) AS phrase,
       direction(o, n, d) AS direction, pg_temp.agree(pct_change_phrase(o, n, d), direction(o, n, d)) AS agree, note
FROM (VALUES (10000::numeric, 10049::numeric, 0, 'issue 13: +0.49% rounds to 0'),
             (10000, 10050, 0, 'exactly +0.5: half away from zero'),
             (10000, 9950, 0, 'exactly -0.5'),
             (10000, 9951, 0, '-0.49 rounds to zero, not "-0"'),
             (10000, 9996, 0, '-0.04: no negative zero'),
             (200, 205, 0, '+2.5'),
             (200, 195, 0, '-2.5'),
             (7, 7, 0, 'equal'),
             (3, 0, 0, 'to zero'),
             (0, 5, 0, 'from zero: no percent'),
             (0, 0, 0, 'zero to zero'),
             (100, 1099, 0, '999'),
             (1000, 10994, 0, '999.4 -> 999'),
             (1000, 10995, 0, '999.5 -> 1,000'),
             (100, 1150, 0, 'issue 13: 1,050'),
             (1, 123457, 0, 'millions'),
             (1000, 1004, 1, 'one place: 0.4'),
             (1000, 1010, 1, 'one place, whole: 1.0'),
             (1000, 1100, 1, 'one place: 10.0'),
             (100000, 100049, 1, '0.049 -> 0.0'),
             (100000, 100050, 1, '0.05 -> 0.1'),
             (100000, 99950, 1, '-0.05 -> -0.1'),
             (100000, 99995, 2, 'two places: -0.005 -> -0.01'),
             (1000000, 999999, 2, '-0.0001 -> 0.00'),
             (10000, 19999, 2, '99.99'),
             (1000, 11000, 2, '1,000.00'),
             (434905, 506890, 0, 'Table 1'),
             (430095, 506890, 0, 'report text')) v(o, n, d, note);
-- Percentage points of rates and shares: the difference of the two values each rounded as published.
SELECT o AS old_rate, n AS new_rate, d AS digits, pp_change_phrase(o, n, d) AS phrase,
       pp_change_phrase(o, n, d, words => false) AS figures, pp_direction(o, n, d) AS direction,
       pg_temp.agree(pp_change_phrase(o, n, d), pp_direction(o, n, d)) AS agree, note
FROM (VALUES (33::numeric, 32::numeric, 0, 'Table 1: one, singular'),
             (11, 11, 0, 'equal'),
             (52, 45, 0, 'seven'),
             (44, 53, 0, 'nine, the last word'),
             (44, 54, 0, 'ten, the first figure'),
             (10.0, 11.0, 1, 'issue 13: 1.0 at one place'),
             (10.0, 20.0, 1, 'issue 13: 10.0 at one place'),
             (10.0, 11.0, 0, 'the same at no places: one'),
             (10.0, 20.0, 0, 'the same at no places: 10'),
             (33.4, 32.6, 0, 'both publish as 33'),
             (33.4, 32.6, 1, '-0.8'),
             (32.5, 33.4, 0, '32.5 rounds up: 33 and 33'),
             (31.5, 32.4, 0, '32 and 32'),
             (32.49, 33.5, 0, '32 and 34'),
             (10.05, 10.04, 1, 'half away from zero: 10.1 and 10.0'),
             (10.44, 10.35, 1, '10.4 and 10.4: no change, not -0.1'),
             (12.34, 12.34, 2, 'two places, equal'),
             (12.345, 12.355, 2, 'two places: 12.35 and 12.36'),
             (0, 999.4, 0, '999'),
             (0, 999.5, 0, '1,000'),
             (0, 1234.56, 1, '1,234.6'),
             (1234, 1250, -1, 'digits -1: 1,230 and 1,250')) v(o, n, d, note);
-- The words: 0 to 9 whole; figures with commas otherwise.
SELECT ons_number(1), ons_number(9.00), ons_number(10), ons_number(0), ons_number(2.50), ons_number(-3),
       ons_number(999), ons_number(1000), ons_number(-1234567.891), ons_number(1000000);

-- NULLs: NULL in, NULL out; a change from zero has no percent.
SELECT pct_change(NULL, 5) IS NULL AS a, pct_change(5, NULL) IS NULL AS b,
       pct_change(0, 5) IS NULL AS c, pct_change(0, 0) IS NULL AS d,
       pct_change_phrase(0, 5) IS NULL AS e, pct_change_phrase(NULL, 5) IS NULL AS f,
       pp_change(NULL, 1) IS NULL AS g, pp_change_phrase(1, NULL) IS NULL AS h,
       pct_change_phrase(1, 2, NULL) IS NULL AS i, pp_change_phrase(1, 2, NULL) IS NULL AS j;
-- Errors.
SELECT pct_change(-1, 5);
SELECT pct_change(5, -1);
SELECT pct_change_phrase(-1, 5);
SELECT direction(5, -1);
SELECT pp_change_phrase('NaN', 5);
SELECT pp_direction(5, 'Infinity');
SELECT ons_number('NaN');
