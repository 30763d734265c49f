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
SELECT count(*) AS relations_before FROM pg_class WHERE relnamespace = 'da'::regnamespace AND relkind IN ('r', 'v');
SET ROLE da_test_w_plain;
SELECT da.create_warehouse();
SELECT * FROM da.distribute_warehouse();
RESET ROLE;
SELECT da.create_warehouse() AS created;
SELECT da.create_warehouse() AS created_again;
SELECT count(*) AS forces_shipped FROM da.force;
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
