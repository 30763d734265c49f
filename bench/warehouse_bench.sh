#!/usr/bin/env bash
# Ingest cost: da.ingest_returns() against a bare INSERT of the same rows, already typed and
# keyed, straight into da.force_return (same keys and foreign keys; no checks, no accounting,
# no history), for a first load, an idempotent reload and a reload with 1% of the values
# corrected.
#
#   bash bench/warehouse_bench.sh [rows]   default 1,000,000 staged rows
#
# Rows: the 43 territorial forces (written by name, so every row goes through
# da.resolve_force) x 29 measures x as many monthly periods as needed. Prints times and:
#   first load / bare insert              the price of validation, accounting and RLS checks
#   reload (unchanged) / bare insert      an idempotent reload
#   reload with 1% corrected / bare insert
#   rows per second of the first load
# Starts its own throwaway cluster (scripts/lib.sh) unless BENCH_DB is set and PGHOST points
# at a running server.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-1000000}
bench_start "shared_buffers = '1GB'" "work_mem = '256MB'"
psql -X -q -d "$BENCH_DB" -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS da CASCADE" -c "CREATE EXTENSION da_stats" -c "SELECT da.create_warehouse()" >/dev/null
echo "warehouse ingest benchmark: $rows rows"

# Timed statements are preceded by "\echo @label"; the next "Time:" line is theirs.
out=$(psql -X -q -d "$BENCH_DB" -v rows="$rows" <<'SQL'
SET search_path = da, public;
CREATE TEMP TABLE gen AS
SELECT f.name AS force, p.s AS period_start, (p.s + interval '1 month')::date - 1 AS period_end,
       m.measure_id AS measure, (hashint4((p.n * 1000 + m.ord + f.ord * 100000)::int) & 65535)::bigint AS value
FROM (SELECT name, row_number() OVER (ORDER BY force_id) AS ord FROM force WHERE kind = 'territorial') f
CROSS JOIN (SELECT measure_id, row_number() OVER (ORDER BY measure_id)::int AS ord FROM measure) m
CROSS JOIN (SELECT n, ('2000-01-01'::date + make_interval(months => n))::date AS s
            FROM generate_series(0, ceil(:rows / (43.0 * 29))::int) n) p
LIMIT :rows;
CREATE TEMP TABLE typed AS SELECT f.force_id, g.period_start, g.period_end, g.measure, g.value FROM gen g JOIN force f ON f.name = g.force;
\timing on
\echo @bare_insert
INSERT INTO force_return (force_id, period_start, period_end, measure_id, value) SELECT * FROM typed;
\timing off
TRUNCATE force_return;
\timing on
\echo @stage
INSERT INTO return_staging (force, period_start, period_end, measure, value)
SELECT force, period_start::text, period_end::text, measure, value::text FROM gen;
\echo @first_load
SELECT * FROM ingest_returns('bench');
\timing off
INSERT INTO return_staging (force, period_start, period_end, measure, value)
SELECT force, period_start::text, period_end::text, measure, value::text FROM gen;
\timing on
\echo @reload_unchanged
SELECT * FROM ingest_returns('bench again');
\timing off
INSERT INTO return_staging (force, period_start, period_end, measure, value)
SELECT force, period_start::text, period_end::text, measure,
       (CASE WHEN abs(hashint4(value::int + length(force))) % 100 = 0 THEN value + 1 ELSE value END)::text FROM gen;
\timing on
\echo @reload_1pct_corrected
SELECT * FROM ingest_returns('bench corrections');
\timing off
SELECT count(*) AS history_rows FROM force_return_history;
SQL
)
echo "$out" | grep -E '^\s*[0-9]+ \|' | sed 's/^/  load: /'
declare -A ms=()
while read -r label t; do ms[$label]=$t; printf '  %-28s %10.1f ms\n' "$label" "$t"; done < <(
    echo "$out" | awk '/^@/ { l = substr($1, 2) } /^Time:/ && l != "" { print l, $2; l = "" }')
ratio() { awk -v a="${ms[$1]}" -v b="${ms[$2]}" -v l="$1 / $2" 'BEGIN { printf "  %-44s %6.2fx\n", l, a / b }'; }
ratio first_load bare_insert
ratio reload_unchanged bare_insert
ratio reload_1pct_corrected bare_insert
awk -v r="$rows" -v t="${ms[first_load]}" 'BEGIN { printf "  first load: %.0f rows/s\n", r / (t / 1000) }'
