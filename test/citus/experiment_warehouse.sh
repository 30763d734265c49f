#!/usr/bin/env bash
# Not part of the citus suite: the experiment behind doc/citus.md's design for
# da.distribute_warehouse(). Reproduce with
#
#   DS_PG_PREFIX=/var/tmp/pg-citus bash test/citus/experiment_warehouse.sh [A|B|C|D ...]
#
#   A  today: da_stats (stats + warehouse in one extension) created on the coordinator and
#      propagated by Citus; try to make each warehouse table a reference/distributed table
#   B  split in two extensions (statistics | warehouse kit requiring it), both propagated
#   C  the same split, the warehouse extension created on the coordinator only
#   D  statistics extension everywhere, warehouse objects created as ordinary objects (what a
#      set-up function would do), then distributed: the steps that work, the plans, ingest
#
# The split extensions are scratch copies (dax_stats, dax_warehouse) cut from the current
# sql/ parts and installed into the PostgreSQL in use for the run only: use a private copy
# (DS_PG_PREFIX). Each scenario gets a fresh throwaway cluster (scripts/citus.sh).
source "$(dirname "$0")/../../scripts/lib.sh"
source "$DS_ROOT/scripts/citus.sh"
[ -n "${DS_PG_PREFIX:-}" ] || ds_die "run against a private PostgreSQL copy: export DS_PG_PREFIX"
ds_setup >/dev/null
ds_citus_installed || ds_die "Citus is not installed"

extdir=$("$(ds_pg_config)" --sharedir)/extension
scratch=$(mktemp -d /tmp/citus-exp.XXXXXX)
cleanup_scratch() { rm -f "$extdir"/dax_stats* "$extdir"/dax_warehouse*; rm -rf "$scratch"; }
trap 'ds_citus_stop; cleanup_scratch' EXIT

# Statistics: 0.1, outcomes, change, and the funnel/format helpers at the head of validation.
split=$(grep -n '^-- Validation rules' "$DS_ROOT/sql/0.2/40_validation.sql" | cut -d: -f1)
{ grep -v '^\\echo' "$DS_ROOT/sql/da_stats--0.1.sql"
  cat "$DS_ROOT/sql/0.2/10_outcomes.sql" "$DS_ROOT/sql/0.2/20_change.sql"
  head -n $((split - 2)) "$DS_ROOT/sql/0.2/40_validation.sql"; } > "$extdir/dax_stats--1.sql"
{ cat "$DS_ROOT/sql/0.2/30_warehouse.sql"
  tail -n +$((split - 1)) "$DS_ROOT/sql/0.2/40_validation.sql"; } > "$scratch/warehouse.sql"
cp "$scratch/warehouse.sql" "$extdir/dax_warehouse--1.sql"
printf "default_version = '1'\nmodule_pathname = '\$libdir/da_stats'\nschema = da\nrelocatable = false\n" > "$extdir/dax_stats.control"
printf "default_version = '1'\nrequires = 'dax_stats'\nschema = da\nrelocatable = false\n" > "$extdir/dax_warehouse.control"

# Try to convert every warehouse table, each on its own (errors are the result).
convert_all() {
    psql -X -q -At <<'SQL' 2>&1 | sed 's/^psql:<stdin>:[0-9]*: //'
\set VERBOSITY terse
SET client_min_messages = warning;
SELECT 'reference force: ' || create_reference_table('da.force')::text;
SELECT 'reference force_alias: ' || create_reference_table('da.force_alias')::text;
SELECT 'reference measure: ' || create_reference_table('da.measure')::text;
SELECT 'reference indicator: ' || create_reference_table('da.indicator')::text;
SELECT 'distributed force_return: ' || create_distributed_table('da.force_return', 'force_id')::text;
SELECT 'distributed force_return_outcomes: ' || create_distributed_table('da.force_return_outcomes', 'force_id')::text;
SELECT 'distributed force_return_history: ' || create_distributed_table('da.force_return_history', 'force_id')::text;
SQL
}

scenario_A() {
    echo "== A: one extension, propagated"
    psql -X -q -c 'CREATE EXTENSION da_stats'
    convert_all
}

scenario_B() {
    echo "== B: split, both propagated"
    psql -X -q -c 'CREATE EXTENSION dax_stats' -c 'CREATE EXTENSION dax_warehouse'
    psql -X -At -c "SELECT 'workers with dax_warehouse: ' || count(*) FILTER (WHERE result = '1') FROM run_command_on_workers(\$\$SELECT count(*) FROM pg_extension WHERE extname = 'dax_warehouse'\$\$)"
    convert_all
}

scenario_C() {
    echo "== C: split, warehouse extension on the coordinator only"
    psql -X -q -c 'CREATE EXTENSION dax_stats' \
         -c 'SET citus.enable_ddl_propagation = off' -c 'CREATE EXTENSION dax_warehouse'
    psql -X -At -c "SELECT 'workers with dax_warehouse: ' || count(*) FILTER (WHERE result = '1') FROM run_command_on_workers(\$\$SELECT count(*) FROM pg_extension WHERE extname = 'dax_warehouse'\$\$)"
    convert_all
    psql -X -At -c "SELECT 'workers with dax_warehouse after: ' || count(*) FILTER (WHERE result = '1') FROM run_command_on_workers(\$\$SELECT count(*) FROM pg_extension WHERE extname = 'dax_warehouse'\$\$)"
}

scenario_D() {
    echo "== D: statistics extension everywhere, warehouse objects as ordinary objects"
    psql -X -q -c 'CREATE EXTENSION dax_stats'
    # What a set-up function would run; pg_extension_config_dump only works in an extension script.
    grep -v 'pg_extension_config_dump' "$scratch/warehouse.sql" | psql -X -q -v ON_ERROR_STOP=1 >/dev/null
    bash "$DS_ROOT/test/citus/experiment_distribute.sh" || true   # its errors are findings
}

for s in "${@:-A B C D}"; do
    for one in $s; do
        ds_citus_start >/dev/null
        trap 'ds_citus_stop; cleanup_scratch' EXIT   # ds_citus_start set its own
        "scenario_$one"
        # DS_EXP_HOLD=1: keep the cluster for poking at (psql -h $PGHOST -p $PGPORT) until killed.
        if [ "${DS_EXP_HOLD:-}" = 1 ]; then echo "holding: PGHOST=$PGHOST PGPORT=$PGPORT"; sleep 3600; fi
        ds_citus_stop
    done
done
