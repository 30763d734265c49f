-- Upgrade path: installing 0.1 and running ALTER EXTENSION da_stats UPDATE gives exactly the
-- objects of a fresh install of the current version. Runs in a database of its own.
CREATE DATABASE da_stats_upgrade;
\c da_stats_upgrade
SET client_min_messages = warning;
CREATE EXTENSION da_stats VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'da_stats';
SELECT da.per_100(201659, 388020) AS works_at_0_1;
ALTER EXTENSION da_stats UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'da_stats')
       AS at_default_version
FROM pg_extension WHERE extname = 'da_stats';
CREATE TEMP TABLE upgraded AS
SELECT pg_describe_object(classid, objid, objsubid) AS object
FROM pg_depend WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'da_stats') AND deptype = 'e';
DROP EXTENSION da_stats CASCADE;
CREATE EXTENSION da_stats;
CREATE TEMP TABLE fresh AS
SELECT pg_describe_object(classid, objid, objsubid) AS object
FROM pg_depend WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'da_stats') AND deptype = 'e';
-- Same objects both ways (expected: no rows), and a sanity count.
(SELECT 'only after upgrade' AS where_, object FROM upgraded EXCEPT SELECT 'only after upgrade', object FROM fresh)
UNION ALL
(SELECT 'only in fresh install', object FROM fresh EXCEPT SELECT 'only in fresh install', object FROM upgraded);
SELECT count(*) >= 40 AS has_objects FROM fresh;
\c da_stats_regress
DROP DATABASE da_stats_upgrade;
