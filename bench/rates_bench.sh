#!/usr/bin/env bash
# Rate aggregates vs plain SQL vs the scan floor, in one run on one table.
#
#   bash bench/rates_bench.sh [rows]      default 10,000,000 rows of (force, month, num, den)
#
# Prints the best-of-3 time of each query and the ratios the project's targets are stated in:
#   per_100_agg / count(*)            scan floor, serial            target <= 1.3
#   per_100_agg / plain SQL           serial                        target <= 1.0
#   serial / 2 workers                parallel speed-up             target >= 1.6
#   recomputed window / moving window rolling 12 rows per force
# Starts its own throwaway cluster (scripts/lib.sh) unless BENCH_DB is set and PGHOST points
# at a running server.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-10000000}
window_rows=$(( rows < 1000000 ? rows : 1000000 ))
bench_start "shared_buffers = '2GB'" "work_mem = '256MB'" "max_parallel_workers_per_gather = 2"

ds_log "generating $rows rows"
psql -X -q -d "$BENCH_DB" -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION IF NOT EXISTS da_stats;
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_returns;
CREATE TABLE bench_returns (force int, month int, num int, den int);
INSERT INTO bench_returns
SELECT (g % 44)::int, (g / 44)::int,
       CASE WHEN g % 101 = 0 THEN NULL ELSE ((g * 7919) % 500)::int END,
       CASE WHEN g % 103 = 0 THEN NULL ELSE (500 + (g * 104729) % 1000)::int END
FROM generate_series(1::bigint, $rows) g;
VACUUM ANALYZE bench_returns;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_returns');
-- The same aggregate without moving-aggregate support: what a window costs when every frame
-- is recomputed from scratch.
DROP AGGREGATE IF EXISTS per_100_agg_nominv(int, int);
CREATE AGGREGATE per_100_agg_nominv(int, int) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)',
    FINALFUNC = da.rate_final);
SQL

serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off; SET parallel_setup_cost = 0; SET min_parallel_table_scan_size = 0;"
plain="SELECT 100.0 * sum(num) / sum(den) FROM bench_returns WHERE num IS NOT NULL AND den IS NOT NULL"
agg="SELECT da.per_100_agg(num, den) FROM bench_returns"

echo "rows: $rows (window section: first $window_rows rows)"
echo "ungrouped"
bench_time "count(*) serial"          "SELECT count(*) FROM bench_returns" "$serial"
bench_time "plain SQL serial"         "$plain" "$serial"
bench_time "per_100_agg serial"       "$agg" "$serial"
bench_time "count(*) 2 workers"       "SELECT count(*) FROM bench_returns" "$parallel"
bench_time "plain SQL 2 workers"      "$plain" "$parallel"
bench_time "per_100_agg 2 workers"    "$agg" "$parallel"
echo "grouped by force"
bench_time "grouped plain SQL serial" "SELECT force, 100.0 * sum(num) / sum(den) FROM bench_returns WHERE num IS NOT NULL AND den IS NOT NULL GROUP BY force" "$serial"
bench_time "grouped per_100_agg serial" "SELECT force, da.per_100_agg(num, den) FROM bench_returns GROUP BY force" "$serial"
bench_time "grouped per_100_agg 2 workers" "SELECT force, da.per_100_agg(num, den) FROM bench_returns GROUP BY force" "$parallel"
echo "rolling 12-row window per force"
win="FROM (SELECT * FROM bench_returns WHERE month < $window_rows / 44) t WINDOW w AS (PARTITION BY force ORDER BY month ROWS 11 PRECEDING)"
bench_time "window: count(*) OVER (floor)"   "SELECT count(r) FROM (SELECT count(*) OVER w AS r $win) x" "$serial"
bench_time "window: per_100_agg (moving)"    "SELECT count(r) FROM (SELECT da.per_100_agg(num, den) OVER w AS r $win) x" "$serial"
bench_time "window: recomputed every frame"  "SELECT count(r) FROM (SELECT per_100_agg_nominv(num, den) OVER w AS r $win) x" "$serial"

echo "ratios"
bench_ratio "per_100_agg serial" "count(*) serial" "(target <= 1.3)"
bench_ratio "per_100_agg serial" "plain SQL serial" "(target <= 1.0)"
bench_ratio "per_100_agg serial" "per_100_agg 2 workers" "(parallel speed-up, target >= 1.6)"
bench_ratio "grouped per_100_agg serial" "grouped plain SQL serial" "(target <= 1.0)"
bench_ratio "grouped per_100_agg serial" "grouped per_100_agg 2 workers" "(parallel speed-up)"
bench_ratio "window: recomputed every frame" "window: per_100_agg (moving)" "(inverse transition gain)"
bench_ratio "window: per_100_agg (moving)" "window: count(*) OVER (floor)" "(vs window floor)"
