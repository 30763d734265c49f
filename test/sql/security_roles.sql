-- The audit trail is written only by the ingest, which checks the forces of the role that
-- calls it (SET ROLE or a login role), not of its owner; rejected rows, loads and findings
-- are seen only for one's forces and loads; national figures are withheld from force-limited
-- roles when too few forces contribute; every role may use the statistics (issue 9 item 6)
-- but not the warehouse. Runs in a database of its own (logins need committed roles).
SET client_min_messages = warning;
DROP DATABASE IF EXISTS da_stats_security_roles;
DROP ROLE IF EXISTS da_test_r_loader, da_test_r_kent_loader, da_test_r_kent, da_test_r_login, da_test_r_plain;
CREATE DATABASE da_stats_security_roles;
RESET client_min_messages;
SELECT current_user AS admin \gset
\c da_stats_security_roles
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
CREATE EXTENSION da_stats;
SELECT da.create_warehouse();
CREATE ROLE da_test_r_loader NOLOGIN;
CREATE ROLE da_test_r_kent_loader NOLOGIN;
CREATE ROLE da_test_r_kent NOLOGIN;
CREATE ROLE da_test_r_login LOGIN;      -- a Kent loader that logs in
CREATE ROLE da_test_r_plain LOGIN;      -- no grant at all
SELECT da.grant_access('da_test_r_loader', 'loader');
SELECT da.grant_access('da_test_r_kent_loader', 'loader', ARRAY['kent']);
SELECT da.grant_access('da_test_r_kent', 'analyst', ARRAY['kent']);
SELECT da.grant_access('da_test_r_login', 'loader', ARRAY['kent']);

-- An all-forces loader loads three forces.
SET ROLE da_test_r_loader;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13000', 'k'), ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '14000', 'e'),
 ('Surrey', '2016-07-01', '2017-06-30', 'da_crimes', '9000', 's'), ('Essex', '2016-07-01', '2017-06-30', 'da_arrests', 'x', 'essex secret');
SELECT inserted, rejected FROM da.ingest_returns('all forces');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '16', '10'), ('Essex', '2016-07-01', '2017-06-30', '16', '12');
SELECT inserted, rejected FROM da.ingest_outcomes('all forces');

-- Direct writes are refused: the returns, outcomes, histories, load log and rejected rows
-- are written by the ingest only (issue 11: a Kent loader wrote force_return and forged history).
SET ROLE da_test_r_kent_loader;
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value) VALUES ('kent', '2016-07-01', '2017-06-30', 'da_arrests', 1);
UPDATE da.force_return SET value = 1;
DELETE FROM da.force_return;
INSERT INTO da.force_return_outcomes (force_id, period_start, period_end) VALUES ('kent', '2015-07-01', '2016-06-30');
INSERT INTO da.force_return_history (force_id, period_start, period_end, measure_id, old_value, new_value)
VALUES ('kent', '2016-07-01', '2017-06-30', 'da_crimes', 1, 2);
INSERT INTO da.force_return_outcomes_history (force_id, period_start, period_end) VALUES ('kent', '2016-07-01', '2017-06-30');
UPDATE da.return_load SET source = 'rewritten';
INSERT INTO da.return_load (kind) VALUES ('returns');
DELETE FROM da.return_load;
INSERT INTO da.rejected_return (load_id, reason) VALUES (1, 'forged');
RESET ROLE;
-- Even a mistaken GRANT gives no way in: the policies only let rows be read.
GRANT INSERT ON da.force_return_history TO da_test_r_kent_loader;
SET ROLE da_test_r_kent_loader;
INSERT INTO da.force_return_history (history_id, force_id, period_start, period_end, measure_id, old_value, new_value)
VALUES (999, 'kent', '2016-07-01', '2017-06-30', 'da_crimes', 1, 2);
RESET ROLE;
REVOKE INSERT ON da.force_return_history FROM da_test_r_kent_loader;
SET ROLE da_test_r_kent_loader;
-- Through SET ROLE the ingest checks the Kent loader's forces, not its owner's: Essex refused.
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_arrests', '5000'), ('Essex', '2016-07-01', '2017-06-30', 'da_arrests', '1'),
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13100');
SELECT inserted, updated, rejected FROM da.ingest_returns('kent via set role');
-- It sees its own loads and rejections, and other loads' rejected rows only for Kent: not
-- Essex's value or source (issue 11 item 5).
SELECT loaded_by, source, inserted, rejected FROM da.return_load ORDER BY load_id;
SELECT force, value, source, reason, rejected_by FROM da.rejected_return ORDER BY rejected_id;
SELECT force_id, rule, message FROM da.validate_returns('2017-06-30') WHERE rule = 'rejected_row';
RESET ROLE;
-- The load log and the history name the calling role, not the ingest's owner.
SELECT r.measure_id, l.loaded_by, h.changed_by, h.old_value, h.new_value
FROM da.force_return r JOIN da.return_load l USING (load_id)
LEFT JOIN da.force_return_history h USING (force_id, period_start, period_end, measure_id)
WHERE r.force_id = 'kent' ORDER BY 1;

-- A login role (no SET ROLE): the ingest takes its forces from the session user.
\c - da_test_r_login
SELECT current_user, da.calling_role();
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'dvpo_applied', '7'), ('Surrey', '2016-07-01', '2017-06-30', 'dvpo_applied', '8');
SELECT inserted, rejected FROM da.ingest_returns('kent login');
SELECT loaded_by, source, inserted, rejected FROM da.return_load ORDER BY load_id;
-- Not even through a SECURITY DEFINER function the owner wrote could the caller's forces grow:
-- inside, da.calling_role() is still the caller.
\c - :admin
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
CREATE FUNCTION public.owner_rights_role() RETURNS text LANGUAGE sql SECURITY DEFINER
    RETURN current_user || ' / caller ' || da.calling_role();
SET ROLE da_test_r_kent;
SELECT public.owner_rights_role() = :'admin' || ' / caller da_test_r_kent' AS caller_seen_through_definer;
RESET ROLE;
DROP FUNCTION public.owner_rights_role();

-- Recorded findings: the Kent analyst sees Kent's only.
SELECT da.run_validation('2017-06-30') > 0 AS recorded;
SELECT (SELECT count(*) FROM da.validation_finding) > 0 AS admin_sees_findings;
SET ROLE da_test_r_kent;
SELECT DISTINCT force_id FROM da.validation_finding ORDER BY 1;
SELECT count(*) AS loads_visible_to_kent_analyst FROM da.return_load;
RESET ROLE;

-- National figures for a force-limited role: shown over 3 or more forces, withheld (NULL with
-- the reason) below; the limit is a setting (da.setting, kept by pg_dump).
SET ROLE da_test_r_kent;
SELECT value, forces_included, withheld_reason FROM da.national_total('da_crimes', '2016-07-01', '2017-06-30');
SELECT value, forces_included, withheld_reason FROM da.national_total('da_arrests', '2016-07-01', '2017-06-30');
SELECT measure_id, value, forces_included, withheld_reason IS NOT NULL AS withheld FROM da.national_totals ORDER BY 1;
SELECT indicator_id, national_value, national_forces_included, national_withheld_reason IS NOT NULL AS withheld
FROM da.dashboard WHERE force_id = 'kent' ORDER BY 1;
SELECT indicator_id, numerator, forces, withheld_reason IS NOT NULL AS withheld FROM da.funnel_baseline('2017-06-30') ORDER BY 1;
RESET ROLE;
-- The same call by a role that sees every force: never withheld.
SELECT value, forces_included, withheld_reason FROM da.national_total('da_arrests', '2016-07-01', '2017-06-30');
INSERT INTO da.setting VALUES ('national_min_forces', 4);
SELECT name, value, default_value, changed FROM da.settings;
SET ROLE da_test_r_kent;
SELECT value, forces_included, withheld_reason IS NOT NULL AS withheld FROM da.national_total('da_crimes', '2016-07-01', '2017-06-30');
RESET ROLE;
INSERT INTO da.setting VALUES ('national_min_forces', 0);
INSERT INTO da.setting VALUES ('no_such_setting', 1);

-- Issue 9 item 6: a login role with no grant uses the statistics (functions, aggregates,
-- types, operators, outcome tables) but reads no warehouse table and runs no warehouse function.
\c - da_test_r_plain
\set VERBOSITY terse
SELECT da.per_100(1, 3), da.wilson_ci(5, 10), da.pct_change(100, 117);
SELECT da.per_100_agg(x, 10) FROM (VALUES (1), (2)) v(x);
SELECT da.outcome_total(da.outcome_agg(c)) FROM (VALUES ('1'), ('16'), ('16')) v(c);
SELECT '{"1": 2}'::jsonb::da.outcome_counts OPERATOR(da.=) '{"1": 2}'::jsonb::da.outcome_counts AS equal;
SELECT code, n FROM da.outcome_table('{"16": 3}'::jsonb::da.outcome_counts) WHERE n > 0;
SELECT (da.matched_change_agg(o, n)).pct_change FROM (VALUES (100::bigint, 110::bigint)) v(o, n);
SELECT count(*) FROM da.force_return;
SELECT count(*) FROM da.force;
SELECT count(*) FROM da.validation_rule;
SELECT count(*) FROM da.return_staging;
SELECT * FROM da.national_total('da_crimes', '2016-07-01', '2017-06-30');
SELECT * FROM da.ingest_returns();
SELECT da.grant_access('da_test_r_plain', 'analyst');
SELECT da.run_validation();
CREATE TABLE da.mine (x int);

\c - :admin
SET client_min_messages = warning;
\c postgres
DROP DATABASE da_stats_security_roles;
DROP ROLE da_test_r_loader, da_test_r_kent_loader, da_test_r_kent, da_test_r_login, da_test_r_plain;
