-- Privileges and row-level security of every relation and function of the extension, per
-- role, enumerated from the catalogue: a new table, view, sequence or function shows up here
-- (and fails the test) until its privileges have been decided. Roles: the superuser, a loader
-- and an analyst for all forces, a Kent-only loader and analyst, and a login role with no
-- grant at all. Reads are real (SET ROLE, then SELECT count(*)); writes are the privileges.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
BEGIN;
CREATE ROLE da_test_m_loader NOLOGIN;
CREATE ROLE da_test_m_kent_loader NOLOGIN;
CREATE ROLE da_test_m_analyst NOLOGIN;
CREATE ROLE da_test_m_kent NOLOGIN;
CREATE ROLE da_test_m_nobody LOGIN;
SELECT da.grant_access('da_test_m_loader', 'loader');
SELECT da.grant_access('da_test_m_kent_loader', 'loader', ARRAY['kent']);
SELECT da.grant_access('da_test_m_analyst', 'analyst');
SELECT da.grant_access('da_test_m_kent', 'analyst', ARRAY['kent']);

-- Some data in every table: returns and outcomes for three forces, a rejected row from each
-- loader, a recorded validation run, a staged row left by each loader, a tuned setting.
SET ROLE da_test_m_loader;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13000'), ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '14000'),
 ('Surrey', '2016-07-01', '2017-06-30', 'da_crimes', '9000'), ('Essex', '2016-07-01', '2017-06-30', 'da_arrests', '-1');
SELECT inserted, rejected FROM da.ingest_returns('matrix');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '16', '10'), ('Essex', '2016-07-01', '2017-06-30', '16', '12');
SELECT inserted, rejected FROM da.ingest_outcomes('matrix');
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13001'), ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '14001');
SELECT updated FROM da.ingest_returns('matrix corrections');
INSERT INTO da.return_staging (force) VALUES ('left staged');
INSERT INTO da.outcome_staging (force) VALUES ('left staged');
SET ROLE da_test_m_kent_loader;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_arrests', '5000'), ('Kent', '2016-07-01', '2017-06-30', 'no_such', '1');
SELECT inserted, rejected FROM da.ingest_returns('matrix kent');
INSERT INTO da.return_staging (force) VALUES ('left staged');
RESET ROLE;
SELECT da.run_validation('2017-06-30') > 0 AS recorded;
-- MARAC quarterly returns: one MARAC in Kent, one in Essex, a correction, a rejected row each.
INSERT INTO da.marac_area (marac_id, name, force_id) VALUES ('kent_m', 'Kent M', 'kent'), ('essex_m', 'Essex M', 'essex');
SET ROLE da_test_m_loader;
INSERT INTO da.marac_staging (marac, period_start, period_end, cases) VALUES
 ('kent_m', '2017-04-01', '2017-06-30', '5'), ('essex_m', '2017-04-01', '2017-06-30', '6'), ('essex_m', '2017-07-01', '2017-09-30', 'x');
SELECT inserted, rejected FROM da.ingest_marac('matrix');
INSERT INTO da.marac_staging (marac, period_start, period_end, cases) VALUES
 ('kent_m', '2017-04-01', '2017-06-30', '7'), ('essex_m', '2017-04-01', '2017-06-30', '8');
SELECT updated FROM da.ingest_marac('matrix corrections');
INSERT INTO da.marac_staging (marac) VALUES ('left staged');
SET ROLE da_test_m_kent_loader;
INSERT INTO da.marac_staging (marac, period_start, period_end, cases) VALUES ('essex_m', '2017-04-01', '2017-06-30', '9');
SELECT rejected FROM da.ingest_marac('matrix kent');
INSERT INTO da.marac_staging (marac) VALUES ('left staged');
RESET ROLE;
INSERT INTO da.setting VALUES ('national_min_forces', 2);

-- Every relation of the schema, read as every role.
CREATE TEMP TABLE m_roles (ord int, role_name name, label text);
INSERT INTO m_roles VALUES (1, current_user, 'superuser'), (2, 'da_test_m_loader', 'loader'),
    (3, 'da_test_m_kent_loader', 'kent_loader'), (4, 'da_test_m_analyst', 'analyst'),
    (5, 'da_test_m_kent', 'kent_analyst'), (6, 'da_test_m_nobody', 'no_grants');
CREATE TEMP TABLE m_reads (role_name name, rel regclass, visible text);
GRANT INSERT ON m_reads TO PUBLIC;
DO $$
DECLARE
    r record; c record; n bigint; v text;
BEGIN
    FOR r IN SELECT * FROM m_roles ORDER BY ord LOOP
        EXECUTE format('SET ROLE %I', r.role_name);
        FOR c IN SELECT cl.oid::regclass AS rel FROM pg_class cl
                 WHERE cl.relnamespace = 'da'::regnamespace AND cl.relkind IN ('r', 'v', 'S', 'p', 'm', 'f') LOOP
            BEGIN
                EXECUTE format('SELECT count(*) FROM %s', c.rel) INTO n;
                v := n::text;
            EXCEPTION WHEN insufficient_privilege THEN
                v := '-';
            END;
            INSERT INTO m_reads VALUES (r.role_name, c.rel, v);
        END LOOP;
        RESET ROLE;
    END LOOP;
END $$;

-- Cell: rows the role reads ('-': permission denied), then its write privileges
-- (i insert, u update, d delete; sequences: u usage).
SELECT c.relname AS relation,
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN CASE WHEN c.reloptions @> '{security_invoker=true}' THEN 'view (invoker)' ELSE 'view' END
                      WHEN 'S' THEN 'sequence' ELSE c.relkind::text END
       || CASE WHEN c.relrowsecurity THEN ', RLS' ELSE '' END AS kind,
       string_agg(rpad(x.visible
                       || CASE WHEN c.relkind = 'S' THEN CASE WHEN has_sequence_privilege(m.role_name, c.oid, 'USAGE') THEN ' u' ELSE '' END
                               ELSE CASE WHEN has_table_privilege(m.role_name, c.oid, 'INSERT') THEN ' i' ELSE '' END
                                 || CASE WHEN has_table_privilege(m.role_name, c.oid, 'UPDATE') THEN 'u' ELSE '' END
                                 || CASE WHEN has_table_privilege(m.role_name, c.oid, 'DELETE') THEN 'd' ELSE '' END END, 7),
                  ' | ' ORDER BY m.ord) AS "superuser | loader | kent_ld | analyst | kent_an | nogrant"
FROM pg_class c
JOIN m_reads x ON x.rel = c.oid
JOIN m_roles m ON m.role_name = x.role_name
WHERE c.relnamespace = 'da'::regnamespace
GROUP BY c.relname, c.relkind, c.reloptions, c.relrowsecurity
ORDER BY c.relkind, c.relname;

-- Functions: who may run them. The statistics functions (every role) are counted, the rest listed.
SELECT count(*) AS statistics_functions_every_role_may_call,
       count(*) FILTER (WHERE p.prokind = 'a') AS of_which_aggregates
FROM pg_proc p
WHERE p.pronamespace = 'da'::regnamespace
  AND (SELECT bool_and(has_function_privilege(m.role_name, p.oid, 'EXECUTE')) FROM m_roles m);
SELECT p.oid::regprocedure AS function, CASE WHEN p.prosecdef THEN 'definer' ELSE 'invoker' END AS runs_as,
       string_agg(CASE WHEN has_function_privilege(m.role_name, p.oid, 'EXECUTE') THEN 'x' ELSE '-' END, '' ORDER BY m.ord)
           AS "su,ld,kl,an,ka,no"
FROM pg_proc p CROSS JOIN m_roles m
WHERE p.pronamespace = 'da'::regnamespace
GROUP BY p.oid
HAVING NOT bool_and(has_function_privilege(m.role_name, p.oid, 'EXECUTE'))
ORDER BY p.oid::regprocedure::text;
-- Types and the schema: every role.
SELECT count(*) FILTER (WHERE NOT has_type_privilege('da_test_m_nobody', t.oid, 'USAGE')) AS types_not_usable_by_no_grants,
       has_schema_privilege('da_test_m_nobody', 'da', 'USAGE') AS schema_usage,
       has_schema_privilege('da_test_m_nobody', 'da', 'CREATE') AS schema_create
FROM pg_type t WHERE t.typnamespace = 'da'::regnamespace;

-- Standing rules, each query listing what breaks it (all must be empty):
-- (1) a table with a force column that a Kent-only role can read has row-level security;
SELECT c.relname AS unprotected_force_table
FROM pg_class c
WHERE c.relnamespace = 'da'::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('force_id', 'force') AND NOT a.attisdropped)
  AND (has_table_privilege('da_test_m_kent', c.oid, 'SELECT') OR has_table_privilege('da_test_m_kent_loader', c.oid, 'SELECT'))
  AND c.relname NOT IN ('force', 'force_alias', 'analyst_force');   -- reference data and the mapping itself
-- (2) a view with force rows is security_invoker (national_totals is national by design);
SELECT c.relname AS owner_rights_view
FROM pg_class c
WHERE c.relnamespace = 'da'::regnamespace AND c.relkind = 'v' AND NOT coalesce(c.reloptions @> '{security_invoker=true}', false)
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'force_id')
  AND c.relname <> 'national_totals';
-- (3) no role but the owner may write the returns, their histories, the loads or rejections;
SELECT c.relname, a.grantee::regrole, a.privilege_type
FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
WHERE c.relnamespace = 'da'::regnamespace
  AND c.relname IN ('force_return', 'force_return_outcomes', 'force_return_history', 'force_return_outcomes_history',
                    'return_load', 'rejected_return', 'marac_area', 'marac_return', 'marac_return_history',
                    'rejected_marac_return')
  AND a.grantee <> c.relowner AND a.privilege_type <> 'SELECT';
-- (4) no SECURITY DEFINER function is callable by PUBLIC, and each pins its search_path.
SELECT p.oid::regprocedure AS definer_problem
FROM pg_proc p
WHERE p.pronamespace = 'da'::regnamespace AND p.prosecdef
  AND (has_function_privilege('da_test_m_nobody', p.oid, 'EXECUTE') AND p.proname <> 'staging_session_key'
       OR NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false));
SELECT count(*) AS matrix_cells FROM m_reads;
ROLLBACK;
SELECT count(*) AS test_roles_left FROM pg_roles WHERE rolname LIKE 'da\_test\_m\_%';
