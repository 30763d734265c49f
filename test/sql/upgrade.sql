-- Upgrade paths: 0.1 -> 0.2 -> current and 0.2 -> current (ALTER EXTENSION da_stats UPDATE)
-- each give exactly the objects of a fresh install of the current version followed by
-- da.create_warehouse() (since 0.4 the warehouse's relations are not the extension's: the
-- update detaches them, create_warehouse creates them), and warehouse data loaded at 0.2
-- (returns, a correction, a rejected row, outcomes, a user measure) are all still there
-- afterwards. Runs in a database of its own.
CREATE DATABASE da_stats_upgrade;
\c da_stats_upgrade
SET client_min_messages = warning;
SET datestyle = 'ISO, YMD';

-- The reference: the extension's objects after a fresh install, and the warehouse that
-- da.create_warehouse() then creates.
CREATE EXTENSION da_stats;
SELECT count(*) AS warehouse_relations_after_create_extension
FROM pg_class c WHERE c.relnamespace = 'da'::regnamespace AND c.relkind IN ('r', 'v')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');
SELECT da.create_warehouse() AS created, da.create_warehouse() AS created_again;
CREATE TEMP VIEW members AS
SELECT pg_describe_object(classid, objid, objsubid) AS object
FROM pg_depend WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'da_stats') AND deptype = 'e';
CREATE TEMP TABLE fresh AS SELECT * FROM members;
SELECT count(*) >= 40 AS has_objects FROM fresh;
-- Row-level security policies and the columns of the tables they guard, as text: an upgrade
-- must give the same (e.g. da.rejected_marac_return is guarded by the MARAC force the ingest
-- stored, marac_force_id, on both paths).
CREATE TEMP VIEW shapes AS
SELECT 'policy ' || c.relname || '.' || p.polname || ': ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') AS shape
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da')
UNION ALL
SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da')
  AND (EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
       OR c.relname IN ('marac_quarter_status', 'marac_12_months'))
UNION ALL
-- Every relation of schema da, member or not: columns with defaults and comments, constraints,
-- indexes, view bodies, triggers, row-level security, privileges, ownership by an extension.
SELECT format('relation %s %s rls=%s acl=%s member=%s comment=%s', c.relname, c.relkind, c.relrowsecurity,
              coalesce(c.relacl, acldefault('r', c.relowner)), EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'),
              obj_description(c.oid, 'pg_class'))
FROM pg_class c WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da') AND c.relkind IN ('r', 'v', 'S')
UNION ALL
SELECT format('attribute %s.%s %s notnull=%s default=%s comment=%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
              a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), col_description(c.oid, a.attnum))
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da') AND c.relkind IN ('r', 'v')
UNION ALL
SELECT format('constraint %s.%s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
FROM pg_constraint c WHERE c.connamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da') AND c.conrelid <> 0
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da')
UNION ALL
SELECT format('view %s %s', c.relname, pg_get_viewdef(c.oid))
FROM pg_class c WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da') AND c.relkind = 'v'
UNION ALL
SELECT format('trigger %s', pg_get_triggerdef(t.oid))
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da') AND NOT t.tgisinternal
UNION ALL
SELECT format('policy %s.%s cmd=%s roles=%s check=%s', c.relname, p.polname, p.polcmd, p.polroles, pg_get_expr(p.polwithcheck, p.polrelid))
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'da');
CREATE TEMP TABLE fresh_shapes AS SELECT * FROM shapes;
SELECT shape FROM fresh_shapes WHERE shape LIKE 'policy rejected_marac_return.%:%' OR shape LIKE 'column rejected_marac_return.marac_force_id%' ORDER BY 1;
SELECT count(*) >= 500 AS has_shapes FROM fresh_shapes;
-- The shipped reference rows, as text (a function: DROP SCHEMA da CASCADE would take a view).
CREATE FUNCTION pg_temp.shipped() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    SELECT 'force ' || f::text FROM da.force f UNION ALL SELECT 'alias ' || a::text FROM da.force_alias a
    UNION ALL SELECT 'measure ' || m::text FROM da.measure m WHERE m.measure_id <> 'upgrade_test_measure'
    UNION ALL SELECT 'indicator ' || i::text FROM da.indicator i
    UNION ALL SELECT 'rule ' || r::text FROM da.validation_rule_default r UNION ALL SELECT 'setting ' || s::text FROM da.setting_default s
    UNION ALL SELECT 'marac area ' || m::text FROM da.marac_area m;
END $$;
CREATE TEMP VIEW shipped AS SELECT row_ FROM pg_temp.shipped() AS row_;
CREATE TEMP TABLE fresh_shipped AS SELECT * FROM shipped;
SELECT count(*) AS shipped_rows FROM fresh_shipped;
-- While the warehouse exists, DROP EXTENSION refuses (its tables use the extension's types
-- and functions); CASCADE drops what depends on the extension, and DROP SCHEMA da CASCADE the rest.
\set VERBOSITY terse
DROP EXTENSION da_stats;
\set VERBOSITY default
DROP EXTENSION da_stats CASCADE;
SELECT count(*) > 0 AS some_tables_left FROM pg_class WHERE relnamespace = 'da'::regnamespace;
DROP SCHEMA da CASCADE;

-- Warehouse rows a user loads at 0.2: a new measure, two ingests (the second corrects a value
-- and has a bad row), and an outcome distribution.
CREATE FUNCTION pg_temp.load_0_2() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO da.measure (measure_id, unit, description)
    VALUES ('upgrade_test_measure', 'count', 'A measure a user added at 0.2');
    INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
     ('Kent',  '2016-07-01', '2017-06-30', 'da_crimes',  '1500', 'file 1'),
     ('Kent',  '2016-07-01', '2017-06-30', 'da_arrests', '700',  'file 1'),
     ('Essex', '2016-07-01', '2017-06-30', 'upgrade_test_measure', '3', 'file 1');
    PERFORM da.ingest_returns('first.csv');
    INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
     ('Kent',  '2016-07-01', '2017-06-30', 'da_arrests', '701',  'file 2'),
     ('Narnia', '2016-07-01', '2017-06-30', 'da_crimes', '5',    'file 2');
    PERFORM da.ingest_returns('second.csv');
    INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value, source) VALUES
     ('Kent', '2016-07-01', '2017-06-30', '1', '100', 'o'),
     ('Kent', '2016-07-01', '2017-06-30', '16', '200', 'o');
    PERFORM da.ingest_outcomes('outcomes.csv');
END $$;
-- What must survive, one text per row (load ids included: they are kept, not renumbered).
-- A function, not a view: DROP EXTENSION ... CASCADE would take a view with it.
CREATE FUNCTION pg_temp.user_data() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
    SELECT format('return %s %s %s = %s (%s, load %s)', force_id, period_end, measure_id, value,
                  source, load_id) FROM da.force_return
    UNION ALL SELECT format('history %s %s %s -> %s (load %s)', force_id, measure_id, old_value,
                  new_value, load_id) FROM da.force_return_history
    UNION ALL SELECT format('rejected line %s %s: %s', line_no, force, reason) FROM da.rejected_return
    UNION ALL SELECT format('load %s %s %s: %s in, %s updated, %s rejected', load_id, kind, source,
                  inserted, updated, rejected) FROM da.return_load
    UNION ALL SELECT format('outcomes %s %s %s', force_id, period_end, outcomes)
                  FROM da.force_return_outcomes
    UNION ALL SELECT format('measure %s user_defined=%s', measure_id, user_defined) FROM da.measure
                  WHERE measure_id = 'upgrade_test_measure';
END $$;
CREATE TEMP VIEW user_data AS SELECT row_ FROM pg_temp.user_data() AS row_;

-- Path 1: 0.1, then 0.2 (loading the data there), then the current version.
CREATE EXTENSION da_stats VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'da_stats';
SELECT da.per_100(201659, 388020) AS works_at_0_1;
ALTER EXTENSION da_stats UPDATE TO '0.2';
SELECT extversion FROM pg_extension WHERE extname = 'da_stats';
SELECT pg_temp.load_0_2();
CREATE TEMP TABLE before_1 AS SELECT * FROM user_data;
SELECT row_ FROM before_1 ORDER BY 1;
ALTER EXTENSION da_stats UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'da_stats')
       AS at_default_version
FROM pg_extension WHERE extname = 'da_stats';
-- Same objects as a fresh install (expected: no rows).
SELECT 'only after 0.1 -> 0.2 -> current' AS where_, object
FROM (SELECT object FROM members EXCEPT SELECT object FROM fresh) d
UNION ALL
SELECT 'only in a fresh install', object FROM (SELECT object FROM fresh EXCEPT SELECT object FROM members) d;
SELECT 'only after 0.1 -> 0.2 -> current' AS where_, shape FROM (SELECT shape FROM shapes EXCEPT SELECT shape FROM fresh_shapes) d
UNION ALL
SELECT 'only in a fresh install', shape FROM (SELECT shape FROM fresh_shapes EXCEPT SELECT shape FROM shapes) d;
SELECT 'only after 0.1 -> 0.2 -> current' AS where_, row_ FROM (SELECT row_ FROM shipped EXCEPT SELECT row_ FROM fresh_shipped) d
UNION ALL
SELECT 'only in a fresh install', row_ FROM (SELECT row_ FROM fresh_shipped EXCEPT SELECT row_ FROM shipped) d;
SELECT da.create_warehouse() AS created_after_update;
-- The data, unchanged (expected: no rows), and still there (not an empty comparison).
(SELECT 'lost' AS what, row_ FROM before_1 EXCEPT SELECT 'lost', row_ FROM user_data)
UNION ALL
(SELECT 'appeared', row_ FROM user_data EXCEPT SELECT 'appeared', row_ FROM before_1);
SELECT count(*) AS user_rows_after_update FROM user_data;
-- The updated warehouse still works: a further load continues the load ids.
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
VALUES ('Kent', '2017-07-01', '2018-06-30', 'da_crimes', '1600', 'after update');
SELECT inserted, updated, unchanged, rejected FROM da.ingest_returns('third.csv');
SELECT max(load_id) AS last_load FROM da.return_load;
DROP EXTENSION da_stats CASCADE;
DROP SCHEMA da CASCADE;

-- Path 2: 0.2 (with the data), then the current version.
CREATE EXTENSION da_stats VERSION '0.2';
SELECT extversion FROM pg_extension WHERE extname = 'da_stats';
SELECT pg_temp.load_0_2();
CREATE TEMP TABLE before_2 AS SELECT * FROM user_data;
ALTER EXTENSION da_stats UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'da_stats')
       AS at_default_version
FROM pg_extension WHERE extname = 'da_stats';
SELECT 'only after 0.2 -> current' AS where_, object
FROM (SELECT object FROM members EXCEPT SELECT object FROM fresh) d
UNION ALL
SELECT 'only in a fresh install', object FROM (SELECT object FROM fresh EXCEPT SELECT object FROM members) d;
SELECT 'only after 0.2 -> current' AS where_, shape FROM (SELECT shape FROM shapes EXCEPT SELECT shape FROM fresh_shapes) d
UNION ALL
SELECT 'only in a fresh install', shape FROM (SELECT shape FROM fresh_shapes EXCEPT SELECT shape FROM shapes) d;
SELECT 'only after 0.2 -> current' AS where_, row_ FROM (SELECT row_ FROM shipped EXCEPT SELECT row_ FROM fresh_shipped) d
UNION ALL
SELECT 'only in a fresh install', row_ FROM (SELECT row_ FROM fresh_shipped EXCEPT SELECT row_ FROM shipped) d;
(SELECT 'lost' AS what, row_ FROM before_2 EXCEPT SELECT 'lost', row_ FROM user_data)
UNION ALL
(SELECT 'appeared', row_ FROM user_data EXCEPT SELECT 'appeared', row_ FROM before_2);
SELECT count(*) AS user_rows_after_update FROM user_data;
DROP EXTENSION da_stats CASCADE;
DROP SCHEMA da CASCADE;

-- Path 3 (since 0.5): a warehouse made by 0.4's da.create_warehouse(), with data, a BI role's
-- grant on a view and a user's view over it, then the current version. The changes a release
-- makes to the warehouse's views (da.warehouse_ddl) reach this warehouse, keep the grant and
-- the user's view, and give the layout of a fresh warehouse.
CREATE EXTENSION da_stats VERSION '0.4';
SELECT da.create_warehouse() AS created_at_0_4;
SELECT pg_temp.load_0_2();
CREATE TEMP TABLE before_3 AS SELECT * FROM user_data;
CREATE ROLE da_upgrade_bi;
GRANT USAGE ON SCHEMA da TO da_upgrade_bi;
GRANT SELECT ON da.dashboard, da.national_totals TO da_upgrade_bi;
CREATE VIEW public.my_dashboard AS SELECT force_id, period, indicator_id, value FROM da.dashboard;
ALTER EXTENSION da_stats UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'da_stats')
       AS at_default_version
FROM pg_extension WHERE extname = 'da_stats';
SELECT has_table_privilege('da_upgrade_bi', 'da.dashboard', 'SELECT') AS bi_keeps_dashboard,
       has_table_privilege('da_upgrade_bi', 'da.national_totals', 'SELECT') AS bi_keeps_national_totals;
SELECT count(*) > 0 AS my_dashboard_works FROM public.my_dashboard;
-- Every recorded change is to a relation of the warehouse, and none left a view the extension's.
SELECT w.release, w.relation, to_regclass(w.relation) IS NOT NULL AS exists
FROM da.warehouse_ddl w ORDER BY w.step;
SELECT count(*) AS warehouse_relations_owned_by_the_extension
FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'da_stats') AND d.deptype = 'e'
  AND c.relname NOT IN ('outcome_code', 'outcome_group', 'warehouse_ddl', 'warehouse_ddl_step_seq');
DROP VIEW public.my_dashboard;
REVOKE ALL ON da.dashboard, da.national_totals FROM da_upgrade_bi;
REVOKE USAGE ON SCHEMA da FROM da_upgrade_bi;
DROP ROLE da_upgrade_bi;
SELECT 'only after 0.4 -> current' AS where_, object
FROM (SELECT object FROM members EXCEPT SELECT object FROM fresh) d
UNION ALL
SELECT 'only in a fresh install', object FROM (SELECT object FROM fresh EXCEPT SELECT object FROM members) d;
SELECT 'only after 0.4 -> current' AS where_, shape FROM (SELECT shape FROM shapes EXCEPT SELECT shape FROM fresh_shapes) d
UNION ALL
SELECT 'only in a fresh install', shape FROM (SELECT shape FROM fresh_shapes EXCEPT SELECT shape FROM shapes) d;
(SELECT 'lost' AS what, row_ FROM before_3 EXCEPT SELECT 'lost', row_ FROM user_data)
UNION ALL
(SELECT 'appeared', row_ FROM user_data EXCEPT SELECT 'appeared', row_ FROM before_3);
SELECT count(*) AS user_rows_after_update FROM user_data;
DROP EXTENSION da_stats CASCADE;
DROP SCHEMA da CASCADE;

\c da_stats_regress
DROP DATABASE da_stats_upgrade;
