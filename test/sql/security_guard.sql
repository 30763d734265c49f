-- CREATE EXTENSION refuses a schema "da" it cannot safely own (issue 11 item 2): another
-- role's schema, one with objects in it, one where others may create. A superuser's empty
-- schema (what DROP EXTENSION leaves when "da" existed before) is accepted. Runs in a
-- database of its own.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS da_stats_security_guard;
DROP ROLE IF EXISTS da_test_g_squatter;
CREATE DATABASE da_stats_security_guard;
CREATE ROLE da_test_g_squatter;
RESET client_min_messages;
SELECT current_user AS admin \gset
\c da_stats_security_guard
\set SHOW_CONTEXT never
-- An untrusted role made "da" first (in 0.2 the extension moved in, and the role could then
-- plant da.per_100(integer, integer) for a superuser to run, or drop the warehouse).
CREATE SCHEMA da AUTHORIZATION da_test_g_squatter;
CREATE EXTENSION da_stats;
SET ROLE da_test_g_squatter;
CREATE FUNCTION da.per_100(integer, integer) RETURNS numeric LANGUAGE sql RETURN 0;
RESET ROLE;
CREATE EXTENSION da_stats;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'da_stats';
DROP SCHEMA da CASCADE;
-- A superuser's schema, but others may create in it.
CREATE SCHEMA da;
GRANT CREATE ON SCHEMA da TO da_test_g_squatter;
CREATE EXTENSION da_stats;
-- A superuser's schema with something in it.
REVOKE CREATE ON SCHEMA da FROM da_test_g_squatter;
CREATE TABLE da.leftover (x int);
CREATE EXTENSION da_stats;
DROP TABLE da.leftover;
-- A superuser's empty schema: accepted. DROP EXTENSION leaves it (it was not the extension's),
-- and it is accepted again.
CREATE EXTENSION da_stats;
SELECT extversion FROM pg_extension WHERE extname = 'da_stats';
DROP EXTENSION da_stats;
SELECT count(*) AS schema_left_behind FROM pg_namespace WHERE nspname = 'da';
CREATE EXTENSION da_stats;
SELECT da.per_100(1, 4) AS per_100;
-- A schema CREATE EXTENSION made itself is left behind by DROP EXTENSION too (PostgreSQL does
-- not make it a member): empty and a superuser's, so accepted again.
DROP EXTENSION da_stats;
DROP SCHEMA da;
CREATE EXTENSION da_stats;
DROP EXTENSION da_stats;
SELECT count(*) AS schema_left_behind FROM pg_namespace WHERE nspname = 'da';
CREATE EXTENSION da_stats;
\c postgres
SET client_min_messages = warning;
DROP DATABASE da_stats_security_guard;
DROP ROLE da_test_g_squatter;
