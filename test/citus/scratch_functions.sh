#!/usr/bin/env bash
# Scratch harness (test/citus/warehouse.sh is the suite's version): do the
# warehouse functions give single-node results once the warehouse tables are Citus tables?
#
#   DS_PG_PREFIX=/var/tmp/pg-funcs DS_CITUS_PORT=55811 bash test/citus/scratch_functions.sh
#
# On one throwaway cluster (scripts/citus.sh): database "single" on the coordinator has no
# Citus, only da_stats and da.create_warehouse(), and is the single-node reference; database
# postgres is the Citus one, with da.distribute_warehouse() after that. Both get the same
# loads through the ingest functions; then every function and view listed below is compared
# as an md5 of its ordered rows. (test/citus/warehouse.sh is the suite's version of this.)
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
psql -X -q -d single -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' >/dev/null
echo "# layout: da.create_warehouse(), da.distribute_warehouse()"
q -c 'SELECT da.create_warehouse()' >/dev/null
q -c "SELECT citus_table_type || ': ' || string_agg(relation::text, ', ' ORDER BY relation::text)
      FROM da.distribute_warehouse() GROUP BY citus_table_type ORDER BY 1"

# The same loads in both databases, through the ingest functions.
load() {
    local db=$1
    q -d "$db" <<'SQL'
\set ON_ERROR_STOP 0
\ir data/demo/load.sql
CREATE TABLE public.loads AS SELECT * FROM demo_load;
TRUNCATE demo_load;
\ir data/demo/load.sql
INSERT INTO public.loads SELECT 'again ' || file, load_id, inserted, updated, unchanged, rejected FROM demo_load;
\copy da.marac_area (marac_id, name, force_id) FROM 'data/demo/marac_example_areas.csv' WITH (FORMAT csv, HEADER true)
\copy da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source) FROM 'data/demo/marac_example_quarters.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO public.loads SELECT 'marac', * FROM da.ingest_marac('marac_example_quarters.csv');
-- Synthetic: 43 territorial forces x 36 months x 3 measures, then a second file that changes
-- some values, adds bad rows (unknown force, negative value) and repeats others.
WITH f AS MATERIALIZED (SELECT force_id, name, kind FROM da.force)
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, d::text, (d + interval '1 month - 1 day')::date::text, m, ((abs(hashtext(f.force_id || d || m)) % 5000) + 100)::text, 'synthetic'
FROM f, generate_series(date '2015-01-01', date '2017-12-01', interval '1 month') g(d0),
     LATERAL (SELECT d0::date AS d) x, unnest(ARRAY['da_crimes', 'da_arrests', 'all_crime_excl_fraud']) m
WHERE f.kind = 'territorial';
INSERT INTO public.loads SELECT 'synthetic', * FROM da.ingest_returns('synthetic');
WITH f AS MATERIALIZED (SELECT force_id, name, kind FROM da.force)
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, d::text, (d + interval '1 month - 1 day')::date::text, 'da_crimes', ((abs(hashtext(f.force_id || d)) % 3000) + 50)::text, 'synthetic fix'
FROM f, generate_series(date '2017-01-01', date '2017-12-01', interval '1 month') g(d0), LATERAL (SELECT d0::date AS d) x
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
  "run_validation|SELECT v.period_end, v.errors, v.warnings, v.infos, (SELECT count(*) FROM da.validation_finding f WHERE f.run_id = v.run_id) FROM da.validation_run v"
  "run_validation_findings|SELECT period_end, force_id, measure_id, rule, severity, observed, expected_or_limit, message FROM da.validation_finding"
)
for db in single postgres; do
    q -d "$db" -c "SELECT 'run_validation ($db): run ' || da.run_validation('2017-12-31') || ', run ' || da.run_validation('2017-06-30')"
done
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
# DS_HOLD=1: keep the cluster for poking at (PGHOST/PGPORT printed) until killed.
if [ "${DS_HOLD:-}" = 1 ]; then echo "holding: PGHOST=$PGHOST PGPORT=$PGPORT"; sleep 1200; fi
