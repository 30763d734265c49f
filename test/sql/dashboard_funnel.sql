-- da.dashboard's funnel position (flag, limits, over-dispersion) against validation's funnel
-- findings for the same period, on the demo data and on a synthetic, over-dispersed 43-force
-- load; da.funnel_curve; the declared types of the views. Everything is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
BEGIN;

-- Dashboard flag vs validation, per force and indicator, for one period end: validation's
-- funnel_99_8 / funnel_95 finding (side read from its message) or none ('within').
CREATE FUNCTION pg_temp.agreement(p date)
RETURNS TABLE (placed bigint, flagged bigint, agree bigint, disagree bigint, finding_without_flag bigint)
LANGUAGE sql AS $$
    WITH d AS (SELECT force_id, indicator_id, flag FROM da.dashboard WHERE period_end = p),
    v AS (SELECT x.force_id, i.indicator_id,
                 CASE WHEN position(', above the ' IN x.message) > 0 THEN 'above ' ELSE 'below ' END
                 || CASE x.rule WHEN 'funnel_99_8' THEN '99.8%' ELSE '95%' END AS flag
          FROM da.validate_returns(p) x
          JOIN da.indicator i ON coalesce(i.numerator_measure, 'outcome_' || i.numerator_outcome) = x.measure_id
          WHERE x.rule IN ('funnel_99_8', 'funnel_95'))
    SELECT count(*) FILTER (WHERE d.flag IS NOT NULL),
           count(*) FILTER (WHERE d.flag <> 'within'),
           count(*) FILTER (WHERE d.flag = coalesce(v.flag, 'within')),
           count(*) FILTER (WHERE d.flag <> coalesce(v.flag, 'within')),
           count(*) FILTER (WHERE d.flag IS NULL AND v.flag IS NOT NULL)
    FROM d FULL JOIN v USING (force_id, indicator_id);
$$;

-- 1. The demo data (HMICFRS / HMIC figures): the three 2013 force profiles are the only
-- force-level rates; West Mercia's 45 arrests per 100 is below the 95% limit once the limits
-- allow for the (large) variation between the three forces.
-- pg_regress runs psql in the repository root (make -C), where load.sql's \copy paths start.
\i data/demo/load.sql
SELECT force_name, numerator, denominator, value, flag, funnel_centre, lower_998, lower_95, upper_95, upper_998,
       round(overdispersion_phi::numeric, 4) AS phi, round(overdispersion_tau2::numeric, 6) AS tau2
FROM da.dashboard WHERE indicator_id = 'arrests_per_100' AND period_end = '2013-08-31' ORDER BY value;
SELECT * FROM pg_temp.agreement('2013-08-31');
SELECT force_id, rule, observed, expected_or_limit FROM da.validate_returns('2013-08-31') WHERE rule LIKE 'funnel%';
-- Aggregates (England and Wales, the arrest panel) are never placed on a funnel.
SELECT count(*) AS aggregate_rows, count(flag) AS with_flag, count(lower_95) AS with_limits
FROM da.dashboard d JOIN da.force f USING (force_id) WHERE f.kind <> 'territorial';

-- 2. A synthetic load of all 43 territorial forces and BTP, 12 months to 30 June 2018: DA
-- crimes from about 1,000 to 60,000, arrest rates that differ between forces by much more
-- than chance (30 to 70 per 100), two planted outliers (force 5: 97 per 100, force 30: 9 per
-- 100), and the DA share of all crime around 11%.
CREATE TEMP TABLE syn AS
SELECT f.force_id, f.name, k,
       (1000 + (k * 7919) % 59000)::bigint AS crimes,
       CASE k WHEN 5 THEN 0.97 WHEN 30 THEN 0.09 ELSE 0.50 + 0.20 * sin(k * 1.3) END AS arrest_rate,
       0.11 + 0.02 * cos(k * 0.7) AS share
FROM (SELECT force_id, name, row_number() OVER (ORDER BY force_id)::int AS k
      FROM da.force WHERE kind = 'territorial') f;
SELECT count(*) AS territorial_forces FROM syn;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
SELECT s.name, '2017-07-01', '2018-06-30', m.measure, m.value::text
FROM syn s CROSS JOIN LATERAL (VALUES ('da_crimes', s.crimes),
                                      ('da_arrests', round(s.crimes * s.arrest_rate)::bigint),
                                      ('all_crime_excl_fraud', round(s.crimes / s.share)::bigint)) m(measure, value)
UNION ALL
SELECT 'British Transport Police', '2017-07-01', '2018-06-30', m, v
FROM (VALUES ('da_crimes', '900'), ('da_arrests', '850')) b(m, v);
SELECT inserted, rejected FROM da.ingest_returns('synthetic 43 forces');
SELECT indicator_id, count(*) AS rows, count(flag) AS placed,
       count(*) FILTER (WHERE flag = 'above 99.8%') AS above_998, count(*) FILTER (WHERE flag = 'above 95%') AS above_95,
       count(*) FILTER (WHERE flag = 'within') AS within, count(*) FILTER (WHERE flag = 'below 95%') AS below_95,
       count(*) FILTER (WHERE flag = 'below 99.8%') AS below_998,
       min(round(overdispersion_phi::numeric, 2)) AS phi, min(overdispersion_tau2) > 0 AS widened
FROM da.dashboard WHERE period_end = '2018-06-30' GROUP BY indicator_id ORDER BY indicator_id;
SELECT * FROM pg_temp.agreement('2018-06-30');
SELECT force_name, value, flag, lower_998, upper_998 FROM da.dashboard
WHERE period_end = '2018-06-30' AND indicator_id = 'arrests_per_100' AND flag <> 'within' ORDER BY value;
-- BTP is never placed on the funnel (validation never flags it either).
SELECT force_id, indicator_id, value, flag, lower_95 FROM da.dashboard
WHERE period_end = '2018-06-30' AND force_id = 'btp' AND value IS NOT NULL;
-- The limit validation reports as crossed is the dashboard's limit on that side.
SELECT count(*) AS findings,
       count(*) FILTER (WHERE abs(x.expected_or_limit - CASE d.flag WHEN 'above 99.8%' THEN d.upper_998 WHEN 'above 95%' THEN d.upper_95
                                                                      WHEN 'below 95%' THEN d.lower_95 ELSE d.lower_998 END) <= 0.00501) AS same_limit
FROM da.validate_returns('2018-06-30') x
JOIN da.indicator i ON coalesce(i.numerator_measure, 'outcome_' || i.numerator_outcome) = x.measure_id
JOIN da.dashboard d ON (d.force_id, d.indicator_id, d.period_end) = (x.force_id, i.indicator_id, '2018-06-30')
WHERE x.rule LIKE 'funnel%';

-- Still equal when the rule is tuned: no winsorising, and exact limits (threshold NULL:
-- nearly every force is outside, as the README explains).
UPDATE da.validation_rule SET threshold = 0 WHERE rule = 'funnel_99_8';
SELECT * FROM pg_temp.agreement('2018-06-30');
UPDATE da.validation_rule SET threshold = NULL WHERE rule = 'funnel_99_8';
SELECT * FROM pg_temp.agreement('2018-06-30');
SELECT count(overdispersion_phi) AS phi_shown FROM da.dashboard WHERE period_end = '2018-06-30';
UPDATE da.validation_rule SET threshold = NULL WHERE rule = 'funnel_99_8';   -- back to the default
UPDATE da.validation_rule SET threshold = 10 WHERE rule = 'funnel_99_8';

-- A Kent-only analyst sees Kent's row with the same flag and limits as everybody.
CREATE ROLE da_test_df_kent NOLOGIN;
SELECT da.grant_access('da_test_df_kent', 'analyst', ARRAY['kent']);
CREATE TEMP TABLE all_view AS SELECT * FROM da.dashboard WHERE period_end = '2018-06-30';
GRANT SELECT ON all_view TO da_test_df_kent;
SET ROLE da_test_df_kent;
SELECT d.force_id, d.indicator_id, d.flag, d.flag = a.flag AS same_flag, d.upper_998 = a.upper_998 AS same_limit,
       d.overdispersion_tau2 = a.overdispersion_tau2 AS same_tau2
FROM da.dashboard d JOIN all_view a USING (force_id, indicator_id, period_end) ORDER BY 1, 2;
SELECT count(DISTINCT denominator) AS kent_curve_points FROM da.funnel_curve('arrests_per_100', '2018-06-30', 10);
RESET ROLE;

-- 3. The funnel curves as rows: points denominators from the smallest to the largest force,
-- increasing, limits ordered, equal to the dashboard's limits at the forces at both ends.
SELECT count(*) AS points, min(denominator) AS smallest, max(denominator) AS largest,
       bool_and(lower_998 <= lower_95 AND lower_95 <= centre AND centre <= upper_95 AND upper_95 <= upper_998) AS ordered,
       count(DISTINCT centre) AS centres, count(DISTINCT period_start) AS periods
FROM da.funnel_curve('arrests_per_100', '2018-06-30');
SELECT bool_and(c.denominator > l.denominator) AS increasing, bool_and(c.upper_998 <= l.upper_998) AS narrowing
FROM (SELECT *, lag(denominator) OVER w AS ld, lag(upper_998) OVER w AS lu FROM da.funnel_curve('arrests_per_100', '2018-06-30', 50)
      WINDOW w AS (ORDER BY denominator)) c
CROSS JOIN LATERAL (SELECT c.ld AS denominator, c.lu AS upper_998) l WHERE c.ld IS NOT NULL;
SELECT c.denominator, d.force_name, c.lower_998 = d.lower_998 AS l998, c.lower_95 = d.lower_95 AS l95,
       c.upper_95 = d.upper_95 AS u95, c.upper_998 = d.upper_998 AS u998, c.centre = d.funnel_centre AS centre
FROM da.funnel_curve('da_share_of_crime', '2018-06-30', 7) c
JOIN da.dashboard d ON d.denominator = c.denominator AND d.indicator_id = 'da_share_of_crime' AND d.period_end = '2018-06-30'
ORDER BY c.denominator;
SELECT * FROM da.funnel_curve('arrests_per_100', '2013-08-31', 3);
-- Wrong requests are errors.
SAVEPOINT e;
SELECT * FROM da.funnel_curve('arrests_per_100', '2018-06-30', 1);
ROLLBACK TO e;
SELECT * FROM da.funnel_curve('no_such', '2018-06-30');
ROLLBACK TO e;
SELECT * FROM da.funnel_curve('arrests_per_100', '2018-06-29');
ROLLBACK TO e;
-- An indicator with no force on its funnel for the period: no rows.
SELECT count(*) FROM da.funnel_curve('marac_per_10k', '2018-06-30');

-- 4. Declared types: no view column of the warehouse is an unconstrained numeric except the
-- settings and rule thresholds (configuration, not figures); the only array keeps a text twin.
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'da'::regnamespace AND c.relkind = 'v'
  AND (format_type(a.atttypid, a.atttypmod) IN ('numeric', 'integer', 'real', 'double precision')
       OR a.atttypid IN (SELECT oid FROM pg_type WHERE typcategory IN ('A', 'C')))
ORDER BY 1, 2;
-- The curve's declared output types (what a driver describes for the result).
CREATE TEMP TABLE curve_types AS SELECT * FROM da.funnel_curve('arrests_per_100', '2018-06-30', 2);
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'curve_types'::regclass AND attnum > 0 ORDER BY attnum;
SELECT national_value::text, value::text, upper_998::text FROM da.dashboard
WHERE period_end = '2018-06-30' AND force_id = 'kent' AND indicator_id = 'arrests_per_100';
SELECT measure_id, value, forces_included, forces_left_out_list FROM da.national_totals
WHERE period_end = '2018-06-30' ORDER BY measure_id;
-- Every new column and function has a comment.
SELECT a.attrelid::regclass, a.attname FROM pg_attribute a
WHERE a.attrelid IN ('da.dashboard'::regclass, 'da.marac'::regclass, 'da.force_outcome_table'::regclass, 'da.national_totals'::regclass)
  AND a.attnum > 0 AND col_description(a.attrelid, a.attnum) IS NULL;
SELECT p.oid::regprocedure FROM pg_proc p
WHERE p.proname IN ('funnel_band', 'funnel_position', 'funnel_positions', 'funnel_curve') AND p.pronamespace = 'da'::regnamespace
  AND obj_description(p.oid, 'pg_proc') IS NULL;
-- 5. The declared precisions hold at the extremes of bigint counts: no numeric field overflow.
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2019-07-01', '2020-06-30', 'da_arrests', '9223372036854775806'), ('Kent', '2019-07-01', '2020-06-30', 'da_crimes', '1'),
 ('Kent', '2019-07-01', '2020-06-30', 'marac_cases', '9223372036854775806'), ('Kent', '2019-07-01', '2020-06-30', 'adult_female_population', '1'),
 ('Kent', '2019-07-01', '2020-06-30', 'marac_repeat_cases', '9223372036854775806'), ('Kent', '2019-07-01', '2020-06-30', 'marac_children', '9223372036854775806'),
 ('Surrey', '2019-07-01', '2020-06-30', 'da_arrests', '1'), ('Surrey', '2019-07-01', '2020-06-30', 'da_crimes', '1');
SELECT inserted, rejected FROM da.ingest_returns('extremes');
SELECT force_id, indicator_id, value, ci_upper, national_value, flag, upper_998 FROM da.dashboard
WHERE period_end = '2020-06-30' AND value IS NOT NULL ORDER BY 1, 2;
SELECT cases_per_10k, cases_per_10k_upper, vs_expected, repeat_rate, children_per_case FROM da.marac WHERE period_end = '2020-06-30';
SELECT count(*) AS curve_rows FROM da.funnel_curve('arrests_per_100', '2020-06-30', 3);
ROLLBACK;
