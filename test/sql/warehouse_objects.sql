-- da.create_warehouse() (issue 10): true when it creates the warehouse, false when it is
-- there, an error when it is incomplete; only a superuser may run it (not PUBLIC);
-- da.distribute_warehouse() without Citus is a clear error. Own database.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS da_stats_warehouse_objects;
DROP ROLE IF EXISTS da_test_w_plain;
CREATE DATABASE da_stats_warehouse_objects;
CREATE ROLE da_test_w_plain;
RESET client_min_messages;
\c da_stats_warehouse_objects
\set VERBOSITY default
\set SHOW_CONTEXT never
CREATE EXTENSION da_stats;
-- Before: only the extension's own tables (the outcomes framework and da.warehouse_ddl).
SELECT string_agg(relname, ', ' ORDER BY relname) AS relations_before
FROM pg_class WHERE relnamespace = 'da'::regnamespace AND relkind IN ('r', 'v');
SET ROLE da_test_w_plain;
SELECT da.create_warehouse();
SELECT * FROM da.distribute_warehouse();
-- The record of changes to the warehouse's views and the functions that apply them are the
-- superuser's (since 0.5).
SELECT count(*) FROM da.warehouse_ddl;
SELECT da.warehouse_change('0.5', 'da.settings', 'DROP VIEW da.settings');
SELECT da.warehouse_apply('da.settings', 'DROP VIEW da.settings');
SELECT da.create_warehouse_layout_0_4();
RESET ROLE;
-- No warehouse yet: a change is recorded but applies to nothing.
BEGIN;
SELECT da.warehouse_change('0.9', 'da.settings', 'CREATE VIEW da.not_made AS SELECT 1 AS x');
SELECT to_regclass('da.not_made') AS not_made;
ROLLBACK;
SELECT da.create_warehouse() AS created;
SELECT da.create_warehouse() AS created_again;
SELECT count(*) AS forces_shipped FROM da.force;
-- A new warehouse got every recorded change: each view is as the upgrade path leaves it
-- (test/sql/upgrade.sql compares whole catalogues), and none is the extension's.
SELECT w.relation, to_regclass(w.relation) IS NOT NULL AS exists FROM da.warehouse_ddl w ORDER BY w.step;
SELECT count(*) AS warehouse_views_owned_by_the_extension
FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'da_stats') AND d.deptype = 'e' AND c.relkind = 'v';
-- A recorded change replayed: the view is adopted for the statement and let go again.
BEGIN;
SELECT da.warehouse_apply('da.settings', $ddl$CREATE OR REPLACE VIEW da.settings AS SELECT d.name, COALESCE(s.value, d.value) AS value, d.value AS default_value, (s.name IS NOT NULL) AS changed, d.description FROM da.setting_default d LEFT JOIN da.setting s ON s.name = d.name WHERE d.name <> 'national_min_forces'$ddl$);
SELECT count(*) AS settings_after_change FROM da.settings;
SELECT count(*) AS settings_view_owned_by_the_extension
FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = 'da.settings'::regclass AND d.deptype = 'e';
SELECT da.warehouse_apply('da.force', 'SELECT 1');
SELECT da.warehouse_apply('da.force_return_period_idx', 'SELECT 1');
ROLLBACK;
SELECT * FROM da.distribute_warehouse();
-- Incomplete: one table gone (and the views over it).
SET client_min_messages = warning;
DROP TABLE da.force_return_outcomes CASCADE;
RESET client_min_messages;
SELECT da.create_warehouse();
\c postgres
SET client_min_messages = warning;
DROP DATABASE da_stats_warehouse_objects;
DROP ROLE da_test_w_plain;
