-- Behavioural properties of the change functions and matched-panel aggregates.
BEGIN;
SET search_path = public, da;
SELECT plan(22);

CREATE TEMP TABLE p AS
SELECT CASE WHEN random() < 0.1 THEN NULL ELSE (random() * 5000)::bigint END AS o,
       CASE WHEN random() < 0.1 THEN NULL ELSE (random() * 5000)::bigint END AS n,
       (random() * 9000)::bigint + 1 AS od, (random() * 9000)::bigint + 1 AS nd
FROM generate_series(1, 3000);

-- The matched panel equals the hand-written pairwise-complete sums.
SELECT is((SELECT (matched_change_agg(o, n)).old_total FROM p),
          (SELECT sum(o)::bigint FROM p WHERE o IS NOT NULL AND n IS NOT NULL), 'old total over units with both years');
SELECT is((SELECT (matched_change_agg(o, n)).new_total FROM p),
          (SELECT sum(n)::bigint FROM p WHERE o IS NOT NULL AND n IS NOT NULL), 'new total over units with both years');
SELECT is((SELECT (m).units_included + (m).units_left_out FROM (SELECT matched_change_agg(o, n) AS m FROM p) s),
          (SELECT count(*) FROM p), 'every unit is counted, in or out');
SELECT is((SELECT (matched_change_agg(o, n)).pct_change FROM p),
          (SELECT pct_change(sum(o)::bigint, sum(n)::bigint) FROM p WHERE o IS NOT NULL AND n IS NOT NULL),
          'pct_change of the matched totals = pct_change of the sums');
-- Swapping the years: the rate change changes sign.
SELECT is((SELECT (matched_rate_change_agg(o, od, n, nd)).pp_change FROM p),
          (SELECT -(matched_rate_change_agg(n, nd, o, od)).pp_change FROM p), 'swapping years negates the change');
-- Order does not matter; splitting and combining equals the whole.
SELECT is((SELECT matched_rate_change_agg(o, od, n, nd ORDER BY o) FROM p),
          (SELECT matched_rate_change_agg(o, od, n, nd ORDER BY nd DESC) FROM p), 'order-independent');
SELECT is(change_count_final(change_combine(change_count_accum(change_count_accum('(0,0,0,0,0,0,0)', 1, 2), NULL, 3),
                                              change_count_accum('(0,0,0,0,0,0,0)', 4, 8))),
          (SELECT matched_change_agg(a, b) FROM (VALUES (1::bigint, 2::bigint), (NULL, 3), (4, 8)) v(a, b)),
          'combine of partial states = whole');
-- Accumulate then retract gives back the state.
SELECT is(change_rate_retract(change_rate_accum('(5,6,7,8,1,0,100)', 1, 2, 3, 4), 1, 2, 3, 4)::text,
          '(5,6,7,8,1,0,100)', 'retract undoes accumulate');
-- Phrases agree with pct_change and direction.
SELECT is((SELECT count(*) FROM p WHERE o > 0 AND n IS NOT NULL
             AND (pct_change_phrase(o, n) LIKE 'Up %') <> (round(pct_change(o, n)) > 0)), 0::bigint,
          '"Up" exactly when the rounded percent is positive');
SELECT is((SELECT count(*) FROM p WHERE o IS NOT NULL AND n IS NOT NULL
             AND (pp_change_phrase(o / 100.0, n / 100.0, 1) = 'No change') <> (pp_direction(o / 100.0, n / 100.0, 1) = 'unchanged')),
          0::bigint, '"No change" exactly when pp_direction is unchanged');
-- Phrase and direction never disagree: every pair, digits -1 to 2, counts and rates.
SELECT is((SELECT count(*) FROM p, generate_series(-1, 2) d WHERE o > 0 AND n IS NOT NULL
             AND split_part(pct_change_phrase(o, n, d), ' ', 1)
                 <> CASE direction(o, n, d) WHEN 'up' THEN 'Up' WHEN 'down' THEN 'Down' ELSE 'No' END),
          0::bigint, 'pct_change_phrase and direction agree');
SELECT is((SELECT count(*) FROM p, generate_series(-1, 2) d WHERE o IS NOT NULL AND n IS NOT NULL
             AND split_part(pp_change_phrase(o / 7.0, n / 7.0, d), ' ', 1)
                 <> CASE pp_direction(o / 7.0, n / 7.0, d) WHEN 'up' THEN 'Up' WHEN 'down' THEN 'Down' ELSE 'No' END),
          0::bigint, 'pp_change_phrase and pp_direction agree');
-- The figure is the rounded change with commas: strip them and it reads back as round(pct_change).
SELECT is((SELECT count(*) FROM p WHERE o > 0 AND n IS NOT NULL AND round(pct_change(o, n), 1) <> 0
             AND replace(rtrim(split_part(pct_change_phrase(o, n, 1), ' ', 2), '%'), ',', '')::numeric
                 <> abs(round(pct_change(o, n), 1))),
          0::bigint, 'the figure is the rounded percent change');
SELECT is(pp_change_phrase(33, 32), 'Down one percentage point', 'Table 1: 33% -> 32%');
SELECT is(pct_change_phrase(434905, 506890), 'Up 17%', 'Table 1: 434,905 -> 506,890');
-- Significance: symmetric in the years; a bigger sample is at least as significant.
SELECT ok(abs(rate_change_p_value(10, 1000, 25, 1200) / rate_change_p_value(25, 1200, 10, 1000) - 1) < 1e-12,
          'p-value symmetric in the years (to 1e-12)');
SELECT ok(rate_change_p_value(100, 10000, 250, 12000) < rate_change_p_value(10, 1000, 25, 1200), 'ten times the counts, smaller p');
SELECT is((proportion_change_test(48, 80, 56, 70)).pp_change, -(proportion_change_test(56, 70, 48, 80)).pp_change,
          'Newcombe difference antisymmetric');
SELECT is((proportion_change_test(48, 80, 56, 70)).lower, -(proportion_change_test(56, 70, 48, 80)).upper,
          'Newcombe limits mirror');

-- No size switch: one more event at 10^7 moves the limits by far less than 1e-5 and the
-- p-value by less than 2%, and both are exact; so is 10^9.
SELECT ok((SELECT abs(n.lower / e.lower - 1) < 1e-5 AND abs(n.upper / e.upper - 1) < 1e-5
                  AND abs(n.p_value / e.p_value - 1) < 0.02
                  AND e.method LIKE 'Exact%' AND n.method LIKE 'Exact%'
           FROM rate_change_test(4990000, 1000000000, 5010000, 1000000000) e,
                rate_change_test(4990000, 1000000000, 5010001, 1000000000) n),
          'no jump from 10^7 to 10^7 + 1 events');
SELECT is((rate_change_test(500000000, 1000000000, 500000100, 1000000000)).method, 'Exact conditional (binomial)',
          'exact at 10^9 events');
-- A period with few events keeps the test exact however many the other has.
SELECT is((rate_change_test(5, 1000, 20000000, 1000)).method, 'Exact conditional (binomial)',
          'exact when one period has few events');

SELECT * FROM finish();
ROLLBACK;
