-- Disclosure by differencing (security review findings 1 and 2). A force-limited role must not
-- recover another force's figures by subtracting two national figures over different force
-- sets, nor from the funnel's over-dispersion with a winsorising of its choice.
-- Roles are created only if missing, inside a transaction that is rolled back at the end.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
SET extra_float_digits = 0;
\set ON_ERROR_ROLLBACK on
\set VERBOSITY terse
\set SHOW_CONTEXT never
BEGIN;
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['da_loader', 'da_analyst', 'da_test_kent'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
SELECT grant_access('da_loader', 'loader');
SELECT grant_access('da_analyst', 'analyst');
SELECT grant_access('da_test_kent', 'analyst', ARRAY['kent']);
-- 2017: four forces; 2016: three (Sussex has no 2016 return).
SET ROLE da_loader;
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2017-01-01', '2017-12-31', 'da_crimes', '10000'), ('Kent', '2017-01-01', '2017-12-31', 'da_arrests', '3000'),
 ('Essex', '2017-01-01', '2017-12-31', 'da_crimes', '20000'), ('Essex', '2017-01-01', '2017-12-31', 'da_arrests', '5000'),
 ('Surrey', '2017-01-01', '2017-12-31', 'da_crimes', '7000'), ('Surrey', '2017-01-01', '2017-12-31', 'da_arrests', '2100'),
 ('Sussex', '2017-01-01', '2017-12-31', 'da_crimes', '12345'), ('Sussex', '2017-01-01', '2017-12-31', 'da_arrests', '4321'),
 ('Kent', '2016-01-01', '2016-12-31', 'da_crimes', '9000'), ('Kent', '2016-01-01', '2016-12-31', 'da_arrests', '2900'),
 ('Essex', '2016-01-01', '2016-12-31', 'da_crimes', '18000'), ('Essex', '2016-01-01', '2016-12-31', 'da_arrests', '4800'),
 ('Surrey', '2016-01-01', '2016-12-31', 'da_crimes', '7900'), ('Surrey', '2016-01-01', '2016-12-31', 'da_arrests', '2000');
SELECT inserted, rejected FROM ingest_returns('disclosure');
RESET ROLE;

-- Finding 1, as the Kent analyst: the total over four forces minus the panel over three would
-- be Sussex's 12345 crimes and 4321 arrests. The panel figures are withheld (NULL, reason).
SET ROLE da_test_kent;
SELECT value, forces_included, withheld_reason FROM national_total('da_crimes', '2017-01-01', '2017-12-31');
SELECT new_value, forces_included, withheld_reason FROM national_change('da_crimes', '2017-01-01', '2017-12-31');
SELECT (SELECT value FROM national_total('da_crimes', '2017-01-01', '2017-12-31'))
     - (SELECT new_value FROM national_change('da_crimes', '2017-01-01', '2017-12-31')) AS sussex_crimes_by_difference;
SELECT (SELECT numerator FROM indicator_national()
        WHERE indicator_id = 'arrests_per_100' AND period_start = '2017-01-01' AND period_end = '2017-12-31')
     - (SELECT new_numerator FROM national_indicator_change('arrests_per_100', '2017-01-01', '2017-12-31'))
       AS sussex_arrests_by_difference;
SELECT new_numerator, forces_included, withheld_reason FROM national_indicator_change('arrests_per_100', '2017-01-01', '2017-12-31');
-- The dashboard's national value and funnel centre are over the same forces (or withheld).
SELECT force_id, period, national_value, funnel_centre, overdispersion_phi, overdispersion_tau2
FROM dashboard WHERE indicator_id = 'arrests_per_100' ORDER BY period_start;
RESET ROLE;
-- A role that sees every force still gets every figure, unchanged.
SET ROLE da_analyst;
SELECT new_value, forces_included, withheld_reason FROM national_change('da_crimes', '2017-01-01', '2017-12-31');
SELECT new_numerator, forces_included, withheld_reason FROM national_indicator_change('arrests_per_100', '2017-01-01', '2017-12-31');
RESET ROLE;

-- Finding 2: funnel_baseline's phi and tau2 with winsor => 0 give sums of squared z-scores and
-- of squared denominators. For the Kent analyst they are withheld below funnel_min_forces
-- (default 10) forces.
SELECT name, value FROM settings WHERE name = 'funnel_min_forces';
SET ROLE da_test_kent;
SELECT period_start, numerator, denominator, forces, phi, tau2, withheld_reason
FROM funnel_baseline('2017-12-31', 0) WHERE indicator_id = 'arrests_per_100';
SELECT period_start, numerator, denominator, forces, phi, tau2, withheld_reason
FROM funnel_baseline('2016-12-31', 0) WHERE indicator_id = 'arrests_per_100';
RESET ROLE;
-- With the threshold lowered, the Kent analyst gets phi and tau2, but always winsorised at the
-- funnel_99_8 rule's threshold: the winsor it asks for changes nothing.
INSERT INTO setting VALUES ('funnel_min_forces', 3) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
SET ROLE da_test_kent;
SELECT count(DISTINCT (phi, tau2)) AS distinct_spreads, bool_and(phi IS NOT NULL) AS phi_shown
FROM (SELECT phi, tau2 FROM funnel_baseline('2017-12-31', 0) WHERE indicator_id = 'arrests_per_100'
      UNION ALL SELECT phi, tau2 FROM funnel_baseline('2017-12-31', 49.99) WHERE indicator_id = 'arrests_per_100'
      UNION ALL SELECT phi, tau2 FROM funnel_baseline('2017-12-31') WHERE indicator_id = 'arrests_per_100') s;
RESET ROLE;
SET ROLE da_analyst;
SELECT count(DISTINCT (phi, tau2)) AS distinct_spreads_all_forces_role
FROM (SELECT phi, tau2 FROM funnel_baseline('2017-12-31', 0) WHERE indicator_id = 'arrests_per_100'
      UNION ALL SELECT phi, tau2 FROM funnel_baseline('2017-12-31', 49.99) WHERE indicator_id = 'arrests_per_100') s;
RESET ROLE;
-- The setting is a whole number of at least 1.
INSERT INTO setting VALUES ('funnel_min_forces', 0.5) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
ROLLBACK;
