-- Warehouse kit: MARAC rates, national totals (BTP and missing forces left out), indicators
-- and the dashboard. Intervals are checked against base R (Byar, exact Poisson and Wilson
-- formulas evaluated with qnorm/qchisq), transcribed as literals.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
\set ON_ERROR_ROLLBACK on
BEGIN;

-- MARAC returns, 12 months to 31 March 2017, loaded through the ingest.
INSERT INTO return_staging (force, measure, value) VALUES
 ('Kent', 'marac_cases', '1200'), ('Kent', 'marac_repeat_cases', '300'), ('Kent', 'marac_children', '1500'),
 ('Kent', 'adult_female_population', '750000'),
 ('Essex', 'marac_cases', '3000'), ('Essex', 'adult_female_population', '700000'),
 ('Surrey', 'marac_cases', '500'),                                                -- no population row
 ('Sussex', 'marac_cases', '400'), ('Sussex', 'adult_female_population', ''),      -- population unable
 ('Dorset', 'marac_cases', '100'), ('Dorset', 'adult_female_population', '0'),     -- population 0
 ('BTP', 'marac_cases', '10'),                                                     -- no resident population
 ('Cumbria', 'marac_cases', ''), ('Cumbria', 'adult_female_population', '200000'), -- cases unable
 ('Norfolk', 'marac_cases', '50'), ('Norfolk', 'marac_repeat_cases', '60'),        -- inconsistent return
 ('Norfolk', 'adult_female_population', '380000'),
 ('Gwent', 'marac_cases', '7'), ('Gwent', 'adult_female_population', '100000'),    -- few events: exact interval
 ('Lincolnshire', 'adult_female_population', '320000');                            -- population only: no MARAC row
UPDATE return_staging SET period_start = '2016-04-01', period_end = '2017-03-31';
SELECT inserted, rejected FROM ingest_returns('marac test');

SELECT force_id, cases, repeat_cases, children, adult_females, cases_per_10k, vs_expected,
       round(repeat_rate, 4) AS repeat_rate, round(children_per_case, 4) AS children_per_case,
       rate_missing_reason, repeat_problem
FROM marac ORDER BY force_id;
-- Intervals against base R, to the views' declared 4 decimals (half a unit: 0.00005): Kent 1200 / 750,000 (Byar), Gwent 7 / 100,000 (exact), Kent
-- repeat 300 / 1200 (Wilson, percent).
SELECT force_id,
       abs(cases_per_10k_lower - r.lo) <= 0.00005 AS lower_ok, abs(cases_per_10k_upper - r.hi) <= 0.00005 AS upper_ok
FROM marac JOIN (VALUES ('kent', 15.1074192519894, 16.9315462971815),
                        ('gwent', 0.281436305151987, 1.44226753617024)) r(f, lo, hi) ON r.f = force_id
ORDER BY force_id;
SELECT abs(repeat_rate_lower - 22.632431519938) <= 0.00005 AS lower_ok, abs(repeat_rate_upper - 27.5271185101988) <= 0.00005 AS upper_ok,
       safelives_expected
FROM marac WHERE force_id = 'kent';
SELECT force_id, repeat_rate_lower IS NULL AS no_interval_when_repeats_exceed_cases FROM marac WHERE force_id = 'norfolk';

-- National totals: the forces in the national total that provided the measure. BTP's 10
-- cases are never in it; Cumbria (unable to provide) and the forces without a return are
-- listed as left out.
SELECT value, forces_included, forces_expected, cardinality(forces_left_out) AS left_out,
       'Cumbria' = ANY (forces_left_out) AS cumbria_left_out,
       'British Transport Police' = ANY (forces_left_out) AS btp_listed
FROM national_total('marac_cases', '2016-04-01', '2017-03-31');
SELECT measure_id, period, value, forces_included, forces_expected, forces_left_out[1:3] AS first_left_out
FROM national_totals ORDER BY measure_id;
-- A measure or period nobody returned: no value, every force left out.
SELECT value, forces_included, forces_expected, cardinality(forces_left_out) FROM national_total('da_crimes', '2000-01-01', '2000-12-31');
SELECT value IS NULL AS no_value FROM national_total(NULL, '2016-04-01', '2017-03-31');

-- Arrests and crimes for two years: the dashboard and its national column.
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent',  '2015-07-01', '2016-06-30', 'da_arrests', '5000'), ('Kent',  '2015-07-01', '2016-06-30', 'da_crimes', '10000'),
 ('Essex', '2015-07-01', '2016-06-30', 'da_arrests', '6000'), ('Essex', '2015-07-01', '2016-06-30', 'da_crimes', '12000'),
 ('Surrey','2015-07-01', '2016-06-30', 'da_arrests', ''),     ('Surrey','2015-07-01', '2016-06-30', 'da_crimes', '8000'),
 ('BTP',   '2015-07-01', '2016-06-30', 'da_arrests', '100'),  ('BTP',   '2015-07-01', '2016-06-30', 'da_crimes', '200'),
 ('Kent',  '2016-07-01', '2017-06-30', 'da_arrests', '5200'), ('Kent',  '2016-07-01', '2017-06-30', 'da_crimes', '13000'),
 ('Essex', '2016-07-01', '2017-06-30', 'da_arrests', '5500'), ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '14000'),
 ('Surrey','2016-07-01', '2017-06-30', 'da_arrests', '3000'), ('Surrey','2016-07-01', '2017-06-30', 'da_crimes', '9000'),
 ('BTP',   '2016-07-01', '2017-06-30', 'da_arrests', '90'),   ('BTP',   '2016-07-01', '2017-06-30', 'da_crimes', '250'),
 ('Kent',  '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', '100000'),
 ('Kent',  '2016-07-01', '2017-06-30', 'dvpo_granted', '130');
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '1', '2600'), ('Kent', '2016-07-01', '2017-06-30', '16', '5590'),
 ('Essex', '2016-07-01', '2017-06-30', '', '');
SELECT inserted, rejected FROM ingest_returns();
SELECT inserted, rejected FROM ingest_outcomes();

-- The national value: ratio of sums over forces with both counts (BTP never; Surrey 2016,
-- unable to provide arrests, takes no part): 2016 11,000 / 22,000 = 50; 2017 13,700 / 36,000.
SELECT indicator_id, period_end, numerator, denominator, round(value, 4) AS value, forces_included,
       cardinality(forces_left_out) AS left_out, 'Surrey' = ANY (forces_left_out) AS surrey_left_out
FROM indicator_national() WHERE indicator_id = 'arrests_per_100' ORDER BY period_end;

-- Year-on-year change over the matched panel (forces with the measure in both years; BTP
-- never): crimes 30,000 -> 36,000 over Kent, Essex, Surrey (+20%); arrests over Kent and
-- Essex only (Surrey unable to provide in 2016): 11,000 -> 10,700.
SELECT m, old_value, new_value, round(pct_change, 4) AS pct_change, forces_included,
       cardinality(forces_left_out) AS left_out, 'Surrey' = ANY (forces_left_out) AS surrey_left_out
FROM unnest(ARRAY['da_crimes', 'da_arrests']) m, national_change(m, '2016-07-01', '2017-06-30');
-- The arrest rate over the same panel: 50 -> 39.6296 per 100, down 10.37 points (the
-- all-forces 2017 value, 38.06, includes Surrey and is not comparable with 2016's 50).
SELECT old_numerator, old_denominator, new_numerator, new_denominator, round(old_value, 4) AS old_value,
       round(new_value, 4) AS new_value, round(change, 4) AS change, forces_included
FROM national_indicator_change('arrests_per_100', '2016-07-01', '2017-06-30');
-- No year earlier at all: no values, no forces.
SELECT old_value, new_value, pct_change, forces_included, cardinality(forces_left_out) AS left_out
FROM national_change('da_crimes', '2015-07-01', '2016-06-30');
SELECT old_value, new_value, change, forces_included FROM national_indicator_change('marac_per_10k', '2016-04-01', '2017-03-31');
-- An unknown indicator or measure is an error (not a row of NULLs, nor "every force left out").
\set SHOW_CONTEXT never
SELECT old_value IS NULL AND new_value IS NULL AND forces_included IS NULL AS all_null
FROM national_indicator_change('no_such', '2016-07-01', '2017-06-30');
SELECT * FROM national_total('no_such_measure', '2016-07-01', '2017-06-30');
SELECT * FROM national_change('no_such_measure', '2016-07-01', '2017-06-30');
\set SHOW_CONTEXT errors

SELECT force_id, period_end, indicator_id, numerator, denominator, round(value, 4) AS value,
       round(national_value, 4) AS national, national_forces_included AS nat_forces,
       round(value_year_earlier, 4) AS year_earlier, round(change_from_year_earlier, 4) AS change
FROM dashboard
WHERE period_end = '2017-06-30' OR indicator_id = 'arrests_per_100'
ORDER BY force_id, indicator_id, period_end;
-- Intervals on the dashboard: arrests (Poisson: may exceed 100) and the share of crime (Wilson).
SELECT indicator_id, abs(ci_lower - r.lo) <= 0.00005 AS lower_ok, abs(ci_upper - r.hi) <= 0.00005 AS upper_ok
FROM dashboard JOIN (VALUES ('arrests_per_100', 38.9201099435937, 41.1022581707779),
                            ('da_share_of_crime', 12.7929812449071, 13.209861325424)) r(i, lo, hi) ON r.i = indicator_id
WHERE force_id = 'kent' AND period_end = '2017-06-30' ORDER BY 1;
-- The dashboard's columns are plain types a BI tool reads.
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'da.dashboard'::regclass AND attnum > 0 ORDER BY attnum;

-- The indicator helpers: NULL, never an error, when an interval cannot be computed.
SELECT indicator_ci_lower(5, 0, 100, 'poisson') IS NULL AS zero_den,
       indicator_ci_lower(NULL, 10, 100, 'poisson') IS NULL AS null_num,
       indicator_ci_upper(12, 10, 100, 'wilson') IS NULL AS part_exceeds_whole,
       round(indicator_ci_upper(12, 10, 100, 'poisson'), 4) AS rate_over_100_upper,
       indicator_ci_lower(5, 10, 100, 'other') IS NULL AS unknown_method;
-- Users may add indicators; the checks.
INSERT INTO indicator (indicator_id, label, numerator_measure, denominator_measure, per, unit, ci_method)
VALUES ('breach_rate', 'DVPOs breached per 100 granted', 'dvpo_breached', 'dvpo_granted', 100, 'percent', 'wilson');
SELECT indicator_id, user_defined FROM indicator WHERE user_defined;
INSERT INTO indicator (indicator_id, label, numerator_measure, numerator_outcome, denominator_measure, per, unit, ci_method)
VALUES ('both', 'x', 'da_arrests', '1', 'da_crimes', 100, 'x', 'poisson');
INSERT INTO indicator (indicator_id, label, numerator_outcome, denominator_measure, per, unit, ci_method)
VALUES ('bad_code', 'x', '19', 'da_crimes', 100, 'x', 'poisson');
INSERT INTO indicator (indicator_id, label, numerator_measure, denominator_measure, per, unit, ci_method)
VALUES ('bad_per', 'x', 'da_arrests', 'da_crimes', 0, 'x', 'poisson');
INSERT INTO indicator (indicator_id, label, numerator_measure, denominator_measure, per, unit, ci_method)
VALUES ('bad_method', 'x', 'da_arrests', 'da_crimes', 100, 'x', 'normal');

ROLLBACK;
