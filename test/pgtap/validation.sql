-- Behavioural properties of the funnel functions and the validator, on random data.
BEGIN;
SET search_path = public, da;
SELECT plan(20);
SELECT setseed(0.6);

-- Random units against random baselines.
CREATE TEMP TABLE u AS
SELECT n, least(n, floor(random() * n * 1.2))::float8 AS x, 0.02 + random() * 0.96 AS p0,
       (random() * 3)::float8 AS rate, (random() * 2000)::bigint AS o
FROM (SELECT (1 + floor(exp(random() * ln(200000))))::float8 AS n FROM generate_series(1, 400)) g;

-- Proportions: the flag says exactly where the share lies against the limits.
SELECT is((SELECT count(*) FROM u
           WHERE funnel_flag(x, n, p0 * 1e6, 1e6) IS DISTINCT FROM
                 CASE WHEN x / n > (funnel_prop_limits(n, p0, 0.998)).upper THEN 'High (99.8%)'
                      WHEN x / n < (funnel_prop_limits(n, p0, 0.998)).lower THEN 'Low (99.8%)'
                      WHEN x / n > (funnel_prop_limits(n, p0, 0.95)).upper THEN 'High (95%)'
                      WHEN x / n < (funnel_prop_limits(n, p0, 0.95)).lower THEN 'Low (95%)'
                      ELSE 'Not significant' END), 0::bigint,
          'proportion flag = position against funnel_prop_limits');
-- Rates: the same against funnel_rate_limits (events per n against rate events per unit).
SELECT is((SELECT count(*) FROM u
           WHERE funnel_flag(o, n, rate, 1, 'rate') IS DISTINCT FROM
                 CASE WHEN o / n > (funnel_rate_limits(n, rate, 1, 0.998)).upper THEN 'High (99.8%)'
                      WHEN o / n < (funnel_rate_limits(n, rate, 1, 0.998)).lower THEN 'Low (99.8%)'
                      WHEN o / n > (funnel_rate_limits(n, rate, 1, 0.95)).upper THEN 'High (95%)'
                      WHEN o / n < (funnel_rate_limits(n, rate, 1, 0.95)).lower THEN 'Low (95%)'
                      ELSE 'Not significant' END), 0::bigint,
          'rate flag = position against funnel_rate_limits');
-- The three ways of asking about a count agree.
SELECT is((SELECT count(*) FROM u WHERE rate * n > 0
             AND NOT (funnel_flag(o, n, rate, 1, 'rate') = funnel_ratio_flag(o, rate * n)
                      AND funnel_ratio_flag(o, rate * n) = funnel_rate_flag(o, n, rate * 100, 100)
                      AND funnel_flag(o, rate * n, 1, 1, 'ratio') = funnel_ratio_flag(o, rate * n))), 0::bigint,
          'funnel_flag rate/ratio, funnel_ratio_flag and funnel_rate_flag agree');
-- Limits: 99.8% contains 95%; the ratio limits bracket 1 and narrow as the expected count grows;
-- rate limits are ratio limits times the baseline.
SELECT is((SELECT count(*) FROM u
           WHERE NOT ((funnel_prop_limits(n, p0, 0.998)).lower <= (funnel_prop_limits(n, p0, 0.95)).lower
                  AND (funnel_prop_limits(n, p0, 0.95)).upper <= (funnel_prop_limits(n, p0, 0.998)).upper
                  AND (funnel_ratio_limits(n, 0.998)).lower <= (funnel_ratio_limits(n, 0.95)).lower
                  AND (funnel_ratio_limits(n, 0.95)).upper <= (funnel_ratio_limits(n, 0.998)).upper)), 0::bigint,
          '99.8% limits contain the 95% limits');
SELECT is((SELECT count(*) FROM u
           WHERE NOT ((funnel_ratio_limits(n)).lower <= 1 AND (funnel_ratio_limits(n)).upper >= 1
                  AND (funnel_ratio_limits(n * 1.5)).upper < (funnel_ratio_limits(n)).upper
                  AND (funnel_ratio_limits(n * 1.5)).lower >= (funnel_ratio_limits(n)).lower)), 0::bigint,
          'ratio limits bracket 1 and narrow as the expected count grows');
SELECT is((SELECT count(*) FROM u WHERE rate > 0
             AND abs((funnel_rate_limits(n, rate * 1000, 1000, 0.95)).upper
                     / ((funnel_ratio_limits(rate * n, 0.95)).upper * rate * 1000) - 1) > 1e-12), 0::bigint,
          'rate limits = ratio limits x baseline rate');
-- Proportion limits are symmetric about p0 until clipped; the flag is symmetric under x -> n - x.
SELECT is((SELECT count(*) FROM u
           WHERE funnel_flag(x, n, p0 * 1e6, 1e6) IS DISTINCT FROM
                 replace(replace(replace(funnel_flag(n - x, n, (1 - p0) * 1e6, 1e6), 'High', 'X'), 'Low', 'High'), 'X', 'Low')),
          0::bigint, 'proportion flag mirrors under x -> n - x, p0 -> 1 - p0');
-- Units exactly at the baseline are never flagged.
SELECT is((SELECT count(*) FROM u WHERE funnel_flag(n * p0, n, p0 * 1e6, 1e6) <> 'Not significant'
                                     OR funnel_flag(round(n * rate), n, round(n * rate), n, 'rate') <> 'Not significant'),
          0::bigint, 'a unit at the baseline is not significant');

-- The validator on generated returns: 30 forces, two years, every value consistent.
CREATE TEMP TABLE f AS
SELECT force_id, row_number() OVER (ORDER BY force_id) AS k FROM da.force WHERE kind = 'territorial' LIMIT 30;
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value)
SELECT f.force_id, y.s, y.e, m.m,
       CASE m.m WHEN 'all_crime_excl_fraud' THEN 20000 + k * 1000 WHEN 'da_crimes' THEN 2000 + k * 100
                WHEN 'da_arrests' THEN 1000 + k * 50 WHEN 'da_sexual_offences' THEN 100 + k * 5
                WHEN 'dvpo_applied' THEN 20 + k WHEN 'dvpo_granted' THEN 15 + k END
FROM f, (VALUES (date '2015-07-01', date '2016-06-30'), ('2016-07-01', '2017-06-30')) y(s, e),
     (VALUES ('all_crime_excl_fraud'), ('da_crimes'), ('da_arrests'), ('da_sexual_offences'),
             ('dvpo_applied'), ('dvpo_granted')) m(m);
SELECT is((SELECT count(*) FROM validate_returns('2017-06-30')), 0::bigint, 'consistent returns: no findings');
-- Any one part made larger than its total gives exactly that error.
UPDATE da.force_return SET value = 99999
WHERE measure_id = 'dvpo_granted' AND period_end = '2017-06-30'
  AND force_id = (SELECT force_id FROM f ORDER BY random() LIMIT 1);
SELECT is((SELECT count(*) FROM validate_returns('2017-06-30') WHERE rule = 'part_exceeds_total' AND severity = 'error'),
          1::bigint, 'one part above its total: one part_exceeds_total error');
SELECT is((SELECT measure_id || ' > ' || expected_or_limit FROM validate_returns('2017-06-30') WHERE rule = 'part_exceeds_total'),
          (SELECT 'dvpo_granted > ' || t.value FROM da.force_return p JOIN da.force_return t USING (force_id, period_end)
           WHERE p.measure_id = 'dvpo_granted' AND p.value = 99999 AND t.measure_id = 'dvpo_applied'),
          'the finding names the part and its total');
-- Taking any force's whole return away gives one force_missing for it and nothing else for it.
DELETE FROM da.force_return WHERE period_end = '2017-06-30' AND force_id = (SELECT force_id FROM f WHERE k = 7);
SELECT is((SELECT array_agg(rule) FROM validate_returns('2017-06-30') WHERE force_id = (SELECT force_id FROM f WHERE k = 7)),
          ARRAY['force_missing'], 'a force with no return: one force_missing');
-- Findings come out ordered: errors, warnings, info.
SELECT is((SELECT bool_and(s >= prev) FROM (
             SELECT s, lag(s, 1, 0) OVER (ORDER BY n) AS prev
             FROM (SELECT CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END AS s, n
                   FROM validate_returns('2017-06-30') WITH ORDINALITY v(a, b, c, severity, d, e, g, n)) x) y),
          true, 'errors first, then warnings, then info');
-- A recorded run holds exactly what validate_returns says, counted by severity.
SELECT lives_ok($$ SELECT run_validation('2017-06-30') $$, 'run_validation runs');
SELECT is((SELECT ARRAY[errors, warnings, infos] FROM validation_run ORDER BY run_id DESC LIMIT 1),
          (SELECT ARRAY[count(*) FILTER (WHERE severity = 'error'), count(*) FILTER (WHERE severity = 'warning'),
                        count(*) FILTER (WHERE severity = 'info')]::int[] FROM validate_returns('2017-06-30')),
          'the run''s counts match validate_returns');
SELECT is((SELECT count(*) FROM (SELECT force_id, measure_id, rule, severity, observed, expected_or_limit, message
                                 FROM validation_finding WHERE run_id = (SELECT max(run_id) FROM validation_run)
                                 EXCEPT ALL SELECT * FROM validate_returns('2017-06-30')) d), 0::bigint,
          'the recorded findings are validate_returns''s');
-- Turning every rule off silences the validator; back on, the findings return.
UPDATE validation_rule SET enabled = false;
SELECT is((SELECT count(*) FROM validate_returns('2017-06-30')), 0::bigint, 'all rules off: no findings');
UPDATE validation_rule SET enabled = true;
SELECT ok((SELECT count(*) FROM validate_returns('2017-06-30')) > 0, 'rules back on: findings again');
SELECT is((SELECT count(*) FROM validation_rule_setting), 0::bigint, 'back to defaults leaves no settings');
-- Errors carry the right SQLSTATE.
SELECT throws_ok($$ SELECT funnel_flag(11, 10, 5, 10) $$, '22023', NULL, 'x > n for a proportion: 22023');

SELECT * FROM finish();
ROLLBACK;
