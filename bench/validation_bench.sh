#!/usr/bin/env bash
# Validation speed: one period of 44 forces x 60 measures, and 20 years of quarterly periods
# in one query, to show the cost is linear in the number of periods.
#
#   bash bench/validation_bench.sh [years]     default 20 years of quarterly 12-month periods
#
# Prints the best-of-3 times and the ratio  all periods / (periods x one period)  (linear: ~1).
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

years=${1:-20}
bench_start "shared_buffers = '1GB'" "work_mem = '64MB'"

ds_log "generating 44 forces x 60 measures x $((years * 4)) quarterly periods"
psql -X -q -d "$BENCH_DB" -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse();
-- 60 measures: the shipped ones plus generic counts, some parts of DA crimes.
INSERT INTO da.measure (measure_id, unit, description, parent_measure)
SELECT 'bench_m' || g, 'count', 'benchmark measure ' || g, CASE WHEN g % 3 = 0 THEN 'da_crimes' END
FROM generate_series(1, 60 - (SELECT count(*) FROM da.measure)) g;
-- Every territorial force and BTP (44 units), values with noise and a few planted faults.
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value, source)
SELECT f.force_id, (e - interval '1 year' + interval '1 day')::date, e, m.measure_id,
       CASE WHEN m.measure_id = 'all_crime_excl_fraud' THEN 100000 + (hashint4((k * 7 + q)::int) % 5000)
            WHEN m.measure_id = 'da_crimes' THEN 10000 + (hashint4((k * 11 + q)::int) % 800)
            WHEN (hashint4((k + q * 31 + length(m.measure_id))::int) % 997) = 0 THEN 20000   -- planted jump / part > total
            ELSE 500 + abs(hashint4((k * 13 + q * 17 + length(m.measure_id))::int) % 400) END,
       'bench'
FROM (SELECT force_id, row_number() OVER (ORDER BY force_id) AS k FROM da.force WHERE kind <> 'aggregate') f,
     (SELECT q, (date '2000-03-31' + make_interval(months => 3 * q) + interval '1 day' - interval '1 day')::date AS e
      FROM generate_series(0, $years * 4 - 1) q) p,
     da.measure m;
-- Month ends: keep period_end on the last day of its month.
UPDATE da.force_return SET period_end = (date_trunc('month', period_end) + interval '1 month - 1 day')::date,
                           period_start = date_trunc('month', period_start)::date;
ANALYZE;
SQL
rows=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(*) FROM da.force_return")
periods=$(psql -X -At -d "$BENCH_DB" -c "SELECT count(DISTINCT period_end) FROM da.force_return")
one=$(psql -X -At -d "$BENCH_DB" -c "SELECT max(period_end) FROM da.force_return")
echo "force_return rows: $rows, periods: $periods"
bench_time "one period (44 forces x 60 measures)" "SELECT count(*) FROM da.validate_returns('$one')"
bench_time "all $periods periods in one query" "SELECT count(*) FROM (SELECT DISTINCT period_end FROM da.force_return) p, da.validate_returns(p.period_end)"
psql -X -At -d "$BENCH_DB" -c "SELECT 'findings in the last period: ' || count(*) FROM da.validate_returns('$one')"
awk -v all="${BENCH_MS[all $periods periods in one query]}" -v one="${BENCH_MS[one period (44 forces x 60 measures)]}" -v n="$periods" \
    'BEGIN { printf "  all periods / (%d x one period) = %.2f  (1.0 = linear)\n", n, all / (n * one) }'
