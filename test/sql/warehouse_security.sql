-- Warehouse kit, security: loader and analyst roles, and row-level security by force (a
-- force analyst sees only their force's rows, yet the national figures over all forces).
-- Roles are created only if missing, inside a transaction that is rolled back at the end.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
\set ON_ERROR_ROLLBACK on
\set VERBOSITY terse
\set SHOW_CONTEXT never
BEGIN;
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['da_loader', 'da_analyst', 'da_test_kent', 'da_test_kent_loader', 'da_test_nobody'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
SELECT grant_access('da_loader', 'loader');
SELECT grant_access('da_analyst', 'analyst');
SELECT grant_access('da_test_kent', 'analyst', ARRAY['kent']);
SELECT grant_access('da_test_kent_loader', 'loader', ARRAY['kent']);
SELECT role_name, force_id FROM analyst_force ORDER BY 1, 2;
-- Errors: an unknown access kind or force.
SELECT grant_access('da_test_nobody', 'admin');
SELECT grant_access('da_test_nobody', 'analyst', ARRAY['kent', 'narnia']);
SELECT grant_access('da_test_nobody', 'analyst', ARRAY[NULL]);
SELECT grant_access(NULL, 'analyst');
SELECT grant_access('da_test_nobody', NULL);
SELECT grant_access('da_test_no_such_role', 'analyst');
SELECT revoke_access(NULL);

-- Data for three forces (and BTP), loaded by the loader role.
SET ROLE da_loader;
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13000'), ('Kent', '2016-07-01', '2017-06-30', 'da_arrests', '5200'),
 ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '14000'), ('Essex', '2016-07-01', '2017-06-30', 'da_arrests', '5500'),
 ('Surrey', '2016-07-01', '2017-06-30', 'da_crimes', '9000'), ('Surrey', '2016-07-01', '2017-06-30', 'da_arrests', '3000'),
 ('BTP', '2016-07-01', '2017-06-30', 'da_crimes', '250'), ('BTP', '2016-07-01', '2017-06-30', 'da_arrests', '90');
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('loader');
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '16', '5590'), ('Essex', '2016-07-01', '2017-06-30', '16', '6000');
SELECT inserted, rejected FROM ingest_outcomes('loader');
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES ('Kent', '2016-07-01', '2017-06-30', 'dvpo_granted', '1');
RESET ROLE;

-- A force-limited loader: Kent rows go in, other forces' rows are refused with the reason,
-- and it does not see (or ingest) what another loader staged.
SET ROLE da_test_kent_loader;
SELECT count(*) AS others_staged_rows_visible FROM return_staging;
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13100'), ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '1');
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('kent loader');
SELECT line_no, force, reason FROM rejected_return ORDER BY rejected_id;
SELECT force_id, measure_id, value FROM force_return ORDER BY 1, 2;
SELECT force_id, old_value, new_value FROM force_return_history;
-- It cannot stage rows as someone else.
INSERT INTO return_staging (force, measure, staged_by) VALUES ('Kent', 'da_crimes', 'da_loader');
RESET ROLE;
SELECT force, staged_by FROM return_staging;
DELETE FROM return_staging;

-- The Kent analyst: Kent's rows only, everywhere...
SET ROLE da_test_kent;
SELECT force_id, measure_id, value FROM force_return ORDER BY 1, 2;
SELECT force_id, outcomes FROM force_return_outcomes;
SELECT force_id, old_value, new_value FROM force_return_history;
SELECT force_id, period, da_crimes, da_arrests FROM force_return_wide;
SELECT force_id, indicator_id, numerator, denominator FROM indicator_input WHERE numerator IS NOT NULL ORDER BY 1, 2;
-- ... but the national comparator over all forces in the national total (Kent, Essex,
-- Surrey; never BTP): 13,700 arrests / 36,100 crimes.
SELECT force_id, indicator_id, round(value, 4) AS value, round(national_value, 4) AS national, national_forces_included
FROM dashboard WHERE indicator_id IN ('arrests_per_100', 'outcome16_per_100') ORDER BY 1, 2;
SELECT value, forces_included FROM national_total('da_crimes', '2016-07-01', '2017-06-30');
SELECT measure_id, value, forces_included FROM national_totals ORDER BY 1;
-- Read only: no writes, no staging, no rejected rows.
INSERT INTO force_return (force_id, period_start, period_end, measure_id, value) VALUES ('kent', '2017-01-01', '2017-01-31', 'da_crimes', 1);
UPDATE force_return SET value = 0;
INSERT INTO return_staging (force) VALUES ('Kent');
SELECT count(*) FROM rejected_return;
RESET ROLE;

-- The national analyst sees every force.
SET ROLE da_analyst;
SELECT force_id, count(*) FROM force_return GROUP BY 1 ORDER BY 1;
SELECT force_id, round(value, 4) AS value, round(national_value, 4) AS national
FROM dashboard WHERE indicator_id = 'arrests_per_100' ORDER BY 1;
RESET ROLE;

-- A role with no grant: nothing at all.
SET ROLE da_test_nobody;
SELECT count(*) FROM da.force_return;
RESET ROLE;
-- A role granted the tables but not listed in da.analyst_force sees no rows (closed by default).
GRANT USAGE ON SCHEMA da TO da_test_nobody;
GRANT SELECT ON force_return, analyst_force TO da_test_nobody;
SET ROLE da_test_nobody;
SELECT count(*) AS rows_visible FROM force_return;
RESET ROLE;
-- Membership counts: a member of the Kent analyst role sees what it sees.
GRANT da_test_kent TO da_test_nobody;
SET ROLE da_test_nobody;
SELECT DISTINCT force_id FROM force_return;
RESET ROLE;

-- revoke_access undoes grant_access.
SELECT revoke_access('da_test_kent');
SET ROLE da_test_kent;
SELECT count(*) FROM da.force_return;
RESET ROLE;
SELECT role_name, force_id FROM analyst_force ORDER BY 1, 2;

-- The policies in place.
SELECT tablename, policyname, cmd FROM pg_policies WHERE schemaname = 'da' ORDER BY 1, 2;
ROLLBACK;
SELECT count(*) AS test_roles_left FROM pg_roles WHERE rolname LIKE 'da\_test\_%';
