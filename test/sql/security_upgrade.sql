-- An upgrade from 0.2 with roles granted under 0.2 (issue 11): their direct writes to the
-- returns, histories and load log are taken away, and they get what da.grant_access grants
-- now (a loader can still stage and ingest, for the same forces). Own database.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS da_stats_security_upgrade;
CREATE DATABASE da_stats_security_upgrade;
\c da_stats_security_upgrade
SET client_min_messages = warning;
\set VERBOSITY terse
\set ON_ERROR_ROLLBACK on
CREATE EXTENSION da_stats VERSION '0.1';
ALTER EXTENSION da_stats UPDATE TO '0.2';
BEGIN;
CREATE ROLE da_test_u_kent_loader;
CREATE ROLE da_test_u_analyst;
SELECT da.grant_access('da_test_u_kent_loader', 'loader', ARRAY['kent', 'essex']);
SELECT da.grant_access('da_test_u_analyst', 'analyst');
SELECT has_table_privilege('da_test_u_kent_loader', 'da.force_return', 'INSERT') AS loader_wrote_returns_in_02;
ALTER EXTENSION da_stats UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'da_stats';
SELECT r.rolname, t.rel, has_table_privilege(r.oid, t.rel, 'INSERT') AS ins, has_table_privilege(r.oid, t.rel, 'UPDATE') AS upd
FROM pg_roles r CROSS JOIN (VALUES ('da.force_return'), ('da.force_return_history'), ('da.return_load'),
                                   ('da.rejected_return'), ('da.return_staging')) t(rel)
WHERE r.rolname LIKE 'da\_test\_u\_%' ORDER BY 1, 2;
SELECT role_name, force_id FROM da.analyst_force ORDER BY 1, 2;
SET ROLE da_test_u_kent_loader;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13000'), ('Surrey', '2016-07-01', '2017-06-30', 'da_crimes', '9000');
SELECT inserted, rejected FROM da.ingest_returns('after upgrade');
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value) VALUES ('kent', '2015-07-01', '2016-06-30', 'da_crimes', 1);
RESET ROLE;
SET ROLE da_test_u_analyst;
SELECT force_id, value FROM da.force_return;
SELECT value, forces_included FROM da.national_total('da_crimes', '2016-07-01', '2017-06-30');
RESET ROLE;
ROLLBACK;
\c postgres
SET client_min_messages = warning;
DROP DATABASE da_stats_security_upgrade;
