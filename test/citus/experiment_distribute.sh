#!/usr/bin/env bash
# Scenario D of experiment_warehouse.sh (run from there, against its cluster): the warehouse
# objects exist as ordinary objects next to the statistics extension; find the steps that
# distribute them, then check plans, results, ingest and row-level security.
set -uo pipefail
q() { psql -X -q -At -v VERBOSITY=terse "$@" 2>&1 | sed 's/^psql:<stdin>:[0-9]*: //'; }

echo "-- synthetic returns: 43 forces x 120 months x 3 measures"
q <<'SQL'
SET client_min_messages = warning;
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value, source)
SELECT f.force_id, d, (d + interval '1 month - 1 day')::date, m, (abs(hashtext(f.force_id || d || m)) % 5000) + 100, 'synthetic'
FROM da.force f, generate_series(date '2010-01-01', date '2019-12-01', interval '1 month') g(d0), LATERAL (SELECT d0::date AS d) x,
     unnest(ARRAY['da_crimes', 'da_arrests', 'all_crime_excl_fraud']) m
WHERE f.kind = 'territorial';
SELECT 'force_return rows: ' || count(*) FROM da.force_return;
CREATE TABLE public.before AS
SELECT (SELECT md5(string_agg(d::text, E'\n' ORDER BY d.force_id, d.period_start, d.period_end, d.indicator_id)) FROM da.dashboard d) AS dashboard,
       (SELECT md5(string_agg(n::text, E'\n' ORDER BY n::text)) FROM da.national_totals n) AS national_totals;
SQL

echo "-- first attempt, tables as the kit defines them"
q <<'SQL'
SELECT 'reference force: ' || create_reference_table('da.force')::text;
SELECT 'reference indicator: ' || create_reference_table('da.indicator')::text;
SELECT 'distributed force_return_history: ' || create_distributed_table('da.force_return_history', 'force_id')::text;
SQL

echo "-- the changes the kit needs, then the conversion"
q <<'SQL'
SET client_min_messages = warning;
-- Functions with SQL-standard bodies (RETURN / BEGIN ATOMIC) that read warehouse tables
-- record a dependency on them; Citus counts such functions among the table's own
-- dependencies, hence "circularly depends itself". Same functions with string bodies.
DO $$
DECLARE f regprocedure; def text;
BEGIN
    FOR f IN SELECT DISTINCT p.oid FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
             JOIN pg_class c ON d.refclassid = 'pg_class'::regclass AND c.oid = d.refobjid AND c.relkind IN ('r', 'v', 'p')
             WHERE c.relnamespace = 'da'::regnamespace AND p.prosqlbody IS NOT NULL LOOP
        def := pg_get_functiondef(f);
        IF def ~ E'\nBEGIN ATOMIC\n' THEN
            def := regexp_replace(def, E'\nBEGIN ATOMIC\n(.*)\nEND[[:space:]]*$', E'\nAS $body$\n\\1\n$body$');
        ELSE
            def := regexp_replace(def, E'\nRETURN (.*)$', E'\nAS $body$ SELECT \\1 $body$');
        END IF;
        EXECUTE def;
        RAISE WARNING 'string body: %', f;
    END LOOP;
END $$;
-- indicator -> outcome_code: outcome_code belongs to the statistics extension on every node;
-- a reference table may only reference reference tables: check the code another way.
ALTER TABLE da.indicator DROP CONSTRAINT indicator_numerator_outcome_fkey;
-- (da.outcome_n raises an error for a code that does not exist.)
ALTER TABLE da.indicator ADD CHECK (numerator_outcome IS NULL OR da.outcome_n('{}'::da.outcome_counts, numerator_outcome) >= 0);
-- Unique keys of a distributed table must contain the distribution column.
ALTER TABLE da.force_return_history DROP CONSTRAINT force_return_history_pkey,
    ADD PRIMARY KEY (force_id, history_id);
ALTER TABLE da.force_return_outcomes_history DROP CONSTRAINT force_return_outcomes_history_pkey,
    ADD PRIMARY KEY (force_id, history_id);
-- Converting a table that local tables reference makes Citus convert those too (as Citus
-- local tables), one by one: drop the kit's foreign keys, convert, add them back.
CREATE TABLE public.kit_fk AS
SELECT conrelid::regclass::text AS tbl, conname::text, pg_get_constraintdef(oid) AS def
FROM pg_constraint WHERE contype = 'f' AND connamespace = 'da'::regnamespace
  AND conrelid NOT IN (SELECT objid FROM pg_depend WHERE deptype = 'e' AND classid = 'pg_class'::regclass);
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM public.kit_fk LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
    END LOOP; END $$;
SQL
for t in force force_alias measure indicator analyst_force return_load validation_rule_default validation_rule_setting validation_rule_custom validation_run; do
    q -c "SET client_min_messages = warning" -c "SELECT 'reference da.$t: ' || coalesce(create_reference_table('da.$t')::text, 'ok')"
done
colocate=default
for t in force_return force_return_outcomes force_return_history force_return_outcomes_history; do
    q -c "SET client_min_messages = warning" -c "SELECT 'distributed da.$t: ' || coalesce(create_distributed_table('da.$t', 'force_id', colocate_with => '$colocate')::text, 'ok')"
    colocate=da.force_return
done
for t in rejected_return validation_finding; do
    q -c "SET client_min_messages = warning" -c "SELECT 'citus local da.$t: ' || coalesce(citus_add_local_table_to_metadata('da.$t')::text, 'ok')"
done
echo "-- foreign keys back"
q <<'SQL'
-- Citus refuses ON UPDATE CASCADE on a key that holds the distribution column.
UPDATE public.kit_fk SET def = replace(def, ' ON UPDATE CASCADE', '')
 WHERE tbl IN ('da.force_return', 'da.force_return_outcomes') AND def LIKE '%(force_id)%';
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM public.kit_fk ORDER BY tbl, conname LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
            RAISE NOTICE 'fk ok: % %', r.tbl, r.def;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'fk FAILED: % %: %', r.tbl, r.def, SQLERRM;
        END;
    END LOOP; END $$;
SELECT 'tables now: ' || string_agg(table_name::text || ' ' || citus_table_type, ', ' ORDER BY table_name::text)
FROM citus_tables WHERE table_name::text LIKE 'da.%';
SELECT 'not in Citus metadata: ' || string_agg(c.oid::regclass::text, ', ' ORDER BY c.relname)
FROM pg_class c WHERE c.relnamespace = 'da'::regnamespace AND c.relkind = 'r'
  AND c.oid NOT IN (SELECT logicalrelid FROM pg_dist_partition);
SQL

echo "-- plans"
q -c "EXPLAIN (COSTS OFF) SELECT r.force_id, f.name, da.per_100_agg(r.value, d.value)
  FROM da.force_return r JOIN da.force_return d USING (force_id, period_start, period_end)
  JOIN da.force f USING (force_id)
  WHERE r.measure_id = 'da_arrests' AND d.measure_id = 'da_crimes'
  GROUP BY r.force_id, f.name" | head -20
q -c "EXPLAIN (COSTS OFF) SELECT * FROM da.dashboard WHERE period_end = '2019-12-31'" | head -30
q -c "EXPLAIN (COSTS OFF) SELECT * FROM da.national_totals" | head -20
q -c "SELECT 'dashboard rows: ' || count(*) FROM da.dashboard"
q -c "SELECT 'dashboard distributed = single node: ' || ((SELECT md5(string_agg(d::text, E'\\n' ORDER BY d.force_id, d.period_start, d.period_end, d.indicator_id)) FROM da.dashboard d) = dashboard)::text FROM public.before"
q -c "SELECT 'national_total: ' || da.national_total('da_crimes', '2019-12-01', '2019-12-31')::text"

echo "-- fixes found by hand (see doc/citus.md)"
q <<'SQL'
SET client_min_messages = error;
-- 1. A SQL function with parameters over distributed tables cannot be planned by Citus
--    ("Possibly this is caused by the use of parameters in SQL functions"): PL/pgSQL.
CREATE OR REPLACE FUNCTION da.national_total(measure_id text, period_start date, period_end date,
    OUT value numeric, OUT forces_included integer, OUT forces_expected integer, OUT forces_left_out text[])
 RETURNS record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
#variable_conflict use_column
BEGIN
 SELECT sum(r.value), count(r.value)::integer, count(*)::integer,
        coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE r.value IS NULL), '{}'::text[])
   INTO value, forces_included, forces_expected, forces_left_out
   FROM da.force f
   LEFT JOIN da.force_return r ON r.force_id = f.force_id AND r.measure_id = national_total.measure_id
        AND r.period_start = national_total.period_start AND r.period_end = national_total.period_end
  WHERE f.in_national_total;
END $function$;
SQL
# 2. ON CONFLICT ... DO UPDATE on a distributed table may only call IMMUTABLE functions:
#    loaded_at = now() becomes EXCLUDED.loaded_at (its default, now(), taken on the coordinator).
psql -X -At -c "SELECT pg_get_functiondef('da.ingest_returns(text)'::regprocedure)" \
    | sed 's/loaded_at = now()/loaded_at = EXCLUDED.loaded_at/' | q -c 'SET client_min_messages = error' -f -
q -c "DELETE FROM da.return_staging"

q -c "SELECT 'national_totals distributed = single node (after the PL/pgSQL rewrite): ' || ((SELECT md5(string_agg(n::text, E'\\n' ORDER BY n::text)) FROM da.national_totals n) = national_totals)::text FROM public.before"
echo "-- ingest and validation"
q <<'SQL'
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
  ('Kent', '2020-01-01', '2020-01-31', 'da_crimes', '1234', 'exp'),
  ('Nowhere', '2020-01-01', '2020-01-31', 'da_crimes', '5', 'exp'),
  ('Hampshire Constabulary', '2020-01-01', '2020-01-31', 'da_arrests', '-3', 'exp');
SELECT 'ingest_returns: ' || row(r.*)::text FROM da.ingest_returns('exp') r;
SQL
q -c "SELECT 'national_total (plpgsql): ' || row(t.value, t.forces_included, t.forces_expected)::text || ' direct sum: ' || (SELECT sum(value) FROM da.force_return WHERE measure_id = 'da_crimes' AND period_end = '2019-12-31') FROM da.national_total('da_crimes', '2019-12-01', '2019-12-31') t"
q -c "INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
  ('Kent', '2020-01-01', '2020-01-31', 'da_crimes', '1234', 'exp'),
  ('Nowhere', '2020-01-01', '2020-01-31', 'da_crimes', '5', 'exp'),
  ('Hampshire Constabulary', '2020-01-01', '2020-01-31', 'da_arrests', '-3', 'exp')"
q -c "SELECT 'same file again (expect 0 inserted, 1 unchanged, 2 rejected): ' || row(r.*)::text FROM da.ingest_returns('exp') r"
q -c "SELECT 'run_validation: ' || da.run_validation('2019-12-31')::text"
q -c "SELECT 'validate_returns findings: ' || count(*) FROM da.validate_returns('2019-12-31')"

echo "-- row-level security by force"
q <<'SQL'
SET client_min_messages = warning;
CREATE ROLE kent_analyst LOGIN;
SELECT da.grant_access('kent_analyst', 'analyst', ARRAY['kent']);
SQL
q -U kent_analyst -d postgres -c "SELECT 'kent_analyst sees forces (policy reads da.analyst_force): ' || string_agg(DISTINCT force_id, ',') || ' rows ' || count(*) FROM da.force_return"
# The policy's function reads a reference table from inside a shard query: Citus refuses
# nested distributed execution unless the workers allow it.
q -c "SELECT 'workers allow nested execution: ' || string_agg(result, ',') FROM run_command_on_workers(\$\$ALTER SYSTEM SET citus.allow_nested_distributed_execution = on\$\$)" -c "SELECT string_agg(result, ',') FROM run_command_on_workers(\$\$SELECT pg_reload_conf()\$\$)" >/dev/null
q -c "SET client_min_messages = error" -c "CREATE OR REPLACE FUNCTION da.may_access_force(force_id text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS \$\$
 SELECT current_setting('is_superuser')::boolean
     OR EXISTS (SELECT 1 FROM da.analyst_force a WHERE (a.force_id IS NULL OR a.force_id = \$1)
                AND pg_catalog.pg_has_role(current_user, a.role_name, 'MEMBER')) \$\$"
s1=$(date +%s%N)
q -U kent_analyst -d postgres -c "SELECT 'kent_analyst, table lookup, nested execution: ' || string_agg(DISTINCT force_id, ',') || ' rows ' || count(*) FROM da.force_return"
s2=$(date +%s%N)
# Without a table lookup: the role's forces in a role setting, which Citus propagates.
q -c "SET client_min_messages = error" -c "ALTER ROLE kent_analyst SET da.forces = 'kent'" -c "CREATE OR REPLACE FUNCTION da.may_access_force(force_id text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS \$\$
 SELECT current_setting('is_superuser')::boolean
     OR \$1 = ANY (pg_catalog.string_to_array(pg_catalog.current_setting('da.forces', true), ',')) \$\$"
q -U kent_analyst -d postgres -c "SELECT 'kent_analyst, role setting: ' || string_agg(DISTINCT force_id, ',') || ' rows ' || count(*) FROM da.force_return"
s3=$(date +%s%N)
echo "policy timings: table lookup $(( (s2 - s1) / 1000000 )) ms, role setting $(( (s3 - s2) / 1000000 )) ms"
q -U kent_analyst -d postgres -c "EXPLAIN (COSTS OFF) SELECT force_id, da.per_100_agg(value, value) FROM da.force_return GROUP BY force_id" | tail -4
