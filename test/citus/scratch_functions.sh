#!/usr/bin/env bash
# Scratch harness (to be replaced by da.distribute_warehouse() and the citus suite): do the
# warehouse functions give single-node results once the warehouse tables are Citus tables?
#
#   DS_PG_PREFIX=/var/tmp/pg-funcs DS_CITUS_PORT=55811 bash test/citus/scratch_functions.sh
#
# On one throwaway cluster (scripts/citus.sh): database "single" on the coordinator has no
# Citus, only da_stats, and is the single-node reference; database postgres is the Citus one.
# There the warehouse relations are detached from the extension (the extension still owns
# them in 0.4 as it stands), the workers' extension-made copies dropped, and doc/citus.md
# D's layout applied. Both get the same loads through the ingest functions; then every
# function and view listed below is compared as an md5 of its ordered rows.
source "$(dirname "$0")/../../scripts/lib.sh"
source "$DS_ROOT/scripts/citus.sh"
[ -n "${DS_PG_PREFIX:-}" ] || ds_die "run against a private PostgreSQL copy: export DS_PG_PREFIX"
ds_setup >/dev/null
ds_citus_installed || ds_die "Citus is not installed"
ds_citus_start >/dev/null
cd "$DS_ROOT"
set +e   # every failure below is a finding: report it and go on
q() { psql -X -q -At -v VERBOSITY=terse "$@" 2>&1 | sed 's/^psql:[^:]*:[0-9]*: //'; }

psql -X -q -c 'CREATE EXTENSION da_stats' -c 'SET client_min_messages = warning' -c 'CREATE DATABASE single'
psql -X -q -d single -c 'CREATE EXTENSION da_stats'

# may_access_force: a SQL-standard body over da.analyst_force (its C rewrite is another
# change); a string body stands in for it here, on every node.
mayaccess="CREATE OR REPLACE FUNCTION da.may_access_force(force_id text) RETURNS boolean
  LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS \$f\$ BEGIN
  RETURN current_setting('is_superuser')::boolean
      OR EXISTS (SELECT 1 FROM da.analyst_force a WHERE (a.force_id IS NULL OR a.force_id = \$1)
                 AND pg_catalog.pg_has_role(current_user, a.role_name, 'MEMBER')); END \$f\$"
detach="DO \$d\$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS rel, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
           FROM pg_depend d JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
           WHERE d.deptype = 'e' AND c.relnamespace = 'da'::regnamespace
             AND c.relname NOT IN ('outcome_code', 'outcome_group') LOOP
    EXECUTE format('ALTER EXTENSION da_stats DROP %s %s', r.kind, r.rel);
  END LOOP; END \$d\$"
dropcopies="DO \$d\$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c
           WHERE c.relnamespace = 'da'::regnamespace AND c.relkind IN ('v', 'r')
             AND c.relname NOT IN ('outcome_code', 'outcome_group') ORDER BY c.relkind = 'r' LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', CASE r.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, r.rel);
  END LOOP; END \$d\$"
for port in $PGPORT $DS_CITUS_WORKER_PORTS; do
    psql -X -q -p "$port" -v ON_ERROR_STOP=1 -c 'SET citus.enable_ddl_propagation = off' -c "$mayaccess" -c "$detach"
done
for port in $DS_CITUS_WORKER_PORTS; do
    psql -X -q -p "$port" -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning' -c 'SET citus.enable_ddl_propagation = off' -c "$dropcopies"
done
psql -X -q -d single -v ON_ERROR_STOP=1 -c "$mayaccess"

echo "# layout (doc/citus.md D)"
q <<'SQL'
SET client_min_messages = warning;
ALTER TABLE da.indicator DROP CONSTRAINT indicator_numerator_outcome_fkey;
ALTER TABLE da.indicator ADD CHECK (numerator_outcome IS NULL OR da.outcome_n('{}'::da.outcome_counts, numerator_outcome) >= 0);
ALTER TABLE da.force_return_history DROP CONSTRAINT force_return_history_pkey, ADD PRIMARY KEY (force_id, history_id);
ALTER TABLE da.force_return_outcomes_history DROP CONSTRAINT force_return_outcomes_history_pkey,
    ADD PRIMARY KEY (force_id, history_id);
CREATE TABLE public.kit_fk AS
SELECT conrelid::regclass::text AS tbl, conname::text, pg_get_constraintdef(oid) AS def
FROM pg_constraint WHERE contype = 'f' AND connamespace = 'da'::regnamespace;
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM public.kit_fk LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
    END LOOP; END $$;
SQL
for t in force force_alias measure indicator analyst_force return_load validation_rule_default validation_rule_setting \
         validation_rule_custom validation_run setting_default setting marac_area; do
    q -c "SET client_min_messages = warning" -c "SELECT create_reference_table('da.$t')" | grep -v '^$' | sed "s/^/reference da.$t: /"
done
colocate=default
for t in force_return force_return_outcomes force_return_history force_return_outcomes_history; do
    q -c "SET client_min_messages = warning" -c "SELECT create_distributed_table('da.$t', 'force_id', colocate_with => '$colocate')" | grep -v '^$' | sed "s/^/distributed da.$t: /"
    colocate=da.force_return
done
# Rows without a resolved force (rejected rows, national findings), and MARAC returns, whose
# unique key (marac_id, quarter_end) has no force_id: Citus local tables on the coordinator.
for t in rejected_return validation_finding rejected_marac_return marac_return marac_return_history \
         return_staging outcome_staging marac_staging; do
    q -c "SET client_min_messages = warning" -c "SELECT citus_add_local_table_to_metadata('da.$t')" | grep -v '^$' | sed "s/^/citus local da.$t: /"
done
q <<'SQL'
UPDATE public.kit_fk SET def = replace(def, ' ON UPDATE CASCADE', '')
 WHERE tbl IN ('da.force_return', 'da.force_return_outcomes') AND def LIKE '%(force_id)%';
DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT * FROM public.kit_fk ORDER BY tbl, conname LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'foreign key not restored: % %: %', r.tbl, r.def, SQLERRM;
        END;
    END LOOP; END $$;
SELECT 'tables: ' || string_agg(table_name::text || ' ' || citus_table_type, ', ' ORDER BY table_name::text)
FROM citus_tables WHERE table_name::text LIKE 'da.%';
SQL

# The same loads in both databases, through the ingest functions.
load() {
    local db=$1
    q -d "$db" <<'SQL'
\set ON_ERROR_STOP 0
\ir data/demo/load.sql
CREATE TABLE public.loads AS SELECT * FROM demo_load;
\ir data/demo/load.sql
INSERT INTO public.loads SELECT 'again ' || file, load_id, inserted, updated, unchanged, rejected FROM demo_load;
\copy da.marac_area (marac_id, name, force_id) FROM 'data/demo/marac_example_areas.csv' WITH (FORMAT csv, HEADER true)
\copy da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source) FROM 'data/demo/marac_example_quarters.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO public.loads SELECT 'marac', * FROM da.ingest_marac('marac_example_quarters.csv');
-- Synthetic: 43 territorial forces x 36 months x 3 measures, then a second file that changes
-- some values, adds bad rows (unknown force, negative value) and repeats others.
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, d::text, (d + interval '1 month - 1 day')::date::text, m, ((abs(hashtext(f.force_id || d || m)) % 5000) + 100)::text, 'synthetic'
FROM da.force f, generate_series(date '2015-01-01', date '2017-12-01', interval '1 month') g(d0),
     LATERAL (SELECT d0::date AS d) x, unnest(ARRAY['da_crimes', 'da_arrests', 'all_crime_excl_fraud']) m
WHERE f.kind = 'territorial';
INSERT INTO public.loads SELECT 'synthetic', * FROM da.ingest_returns('synthetic');
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, d::text, (d + interval '1 month - 1 day')::date::text, 'da_crimes', ((abs(hashtext(f.force_id || d)) % 3000) + 50)::text, 'synthetic fix'
FROM da.force f, generate_series(date '2017-01-01', date '2017-12-01', interval '1 month') g(d0), LATERAL (SELECT d0::date AS d) x
WHERE f.kind = 'territorial' AND f.force_id < 'l'
UNION ALL VALUES ('Narnia', '2017-12-01', '2017-12-31', 'da_crimes', '5', 'synthetic fix'),
                 ('Kent', '2017-12-01', '2017-12-31', 'da_arrests', '-3', 'synthetic fix');
INSERT INTO public.loads SELECT 'synthetic fix', * FROM da.ingest_returns('synthetic fix');
SQL
}
echo "# load: single node"; load single
echo "# load: Citus"; load postgres

# name|query: each query's rows, ordered by every column (as text), hashed.
checks=(
  "loads|SELECT file, load_id, inserted, updated, unchanged, rejected FROM public.loads"
  "force_return|SELECT force_id, period_start, period_end, measure_id, value, source, load_id FROM da.force_return"
  "force_return_history|SELECT force_id, period_start, period_end, measure_id, old_value, new_value, old_source, new_source, old_load_id, load_id, changed_by FROM da.force_return_history"
  "force_return_outcomes|SELECT force_id, period_start, period_end, outcomes::text, source, load_id FROM da.force_return_outcomes"
  "rejected_return|SELECT load_id, line_no, force, measure, value, reason FROM da.rejected_return"
  "return_load|SELECT load_id, kind, source, staged, inserted, updated, unchanged, rejected FROM da.return_load"
  "marac_return|SELECT marac_id, force_id, quarter_end, cases, repeat_cases, children, adult_females, load_id FROM da.marac_return"
  "dashboard|SELECT * FROM da.dashboard"
  "marac|SELECT * FROM da.marac"
  "marac_12_months|SELECT * FROM da.marac_12_months"
  "national_totals|SELECT * FROM da.national_totals"
  "indicator_national|SELECT * FROM da.indicator_national()"
  "national_total|SELECT t.* FROM da.national_total('da_crimes', '2017-12-01', '2017-12-31') t"
  "national_change|SELECT m, t.* FROM unnest(ARRAY['da_crimes', 'da_arrests']) m, da.national_change(m, '2017-06-01', '2017-06-30') t"
  "national_change_demo|SELECT t.* FROM da.national_change('da_crimes', '2016-07-01', '2017-06-30') t"
  "national_indicator_change|SELECT i, t.* FROM unnest(ARRAY(SELECT indicator_id FROM da.indicator)) i, da.national_indicator_change(i, '2016-07-01', '2017-06-30') t"
  "national_indicator_change_lateral|SELECT i.indicator_id, t.* FROM da.indicator i, da.national_indicator_change(i.indicator_id, '2016-07-01', '2017-06-30') t"
  "funnel_baseline|SELECT * FROM da.funnel_baseline('2017-06-30')"
  "funnel_positions|SELECT * FROM da.funnel_positions('2017-06-30')"
  "funnel_curve|SELECT * FROM da.funnel_curve('arrests_per_100', '2017-06-30', 20)"
  "indicator_values|SELECT * FROM da.indicator_values('2017-12-31')"
  "validate_returns|SELECT * FROM da.validate_returns('2017-12-31')"
  "validate_returns_demo|SELECT * FROM da.validate_returns('2017-06-30')"
  "run_validation|SELECT v.period_end, v.errors, v.warnings, v.infos, (SELECT count(*) FROM da.validation_finding f WHERE f.run_id = v.run_id) FROM da.validation_run v WHERE v.run_id = da.run_validation('2017-12-31')"
  "run_validation_findings|SELECT period_end, force_id, measure_id, rule, severity, observed, expected_or_limit, message FROM da.validation_finding"
)
pass=0 fail=0
for c in "${checks[@]}"; do
    name=${c%%|*}; sql=${c#*|}
    hq="SELECT count(*) || ' rows ' || md5(coalesce(string_agg(x::text, E'\n' ORDER BY x::text), '')) FROM ($sql) x"
    a=$(q -d single -c "$hq"); b=$(q -c "$hq")
    if [ "$a" = "$b" ] && [[ "$a" == *" rows "* ]]; then echo "ok - $name: $a"; pass=$((pass + 1))
    else echo "not ok - $name"; echo "#   single: $a"; echo "#   citus:  $b"; fail=$((fail + 1)); fi
done
echo "# EXPLAIN national_total_all, as PL/pgSQL runs it"
q -c "EXPLAIN (COSTS OFF) SELECT sum(r.value) FROM da.force f LEFT JOIN da.force_return r ON r.force_id = f.force_id AND r.measure_id = 'da_crimes' WHERE f.in_national_total" | head -12 | sed 's/^/#   /'
echo "# $pass passed, $fail failed"
