#!/usr/bin/env bash
# Rolling 12-month rates on daily data: the moving-aggregate inverse (MINVFUNC) against
# recomputing every frame, in one run on one table.
#
#   bash bench/rolling_bench.sh [rows]    default 10,000,000 daily rows of (force, day, num, den)
#
# The rows are spread over 44 forces (about rows / 44 days each). A rolling year is a 365-row
# frame (ROWS 364 PRECEDING) or a 365-day frame (RANGE '364 days' PRECEDING). Recomputing a
# 365-row frame for every row costs 365 transitions a row, so the recomputed side runs on the
# first min(rows, 1,000,000) rows and the ratios compare like with like on that subset.
# Then the shape of the published series: 44 forces x 20 years of monthly returns (about 10,450
# rows), a rolling 12 months ending each month (RANGE '11 months' PRECEDING), moving against
# recomputed. A 12-row frame is cheap to recompute anyway: the gain there is small (1.5x
# measured); the inverse pays on long frames (daily data, a 365-day year).
# Prints the best-of-3 time of each query and the ratios:
#   recomputed / moving (ROWS)         inverse transition gain        target >= 5 (daily)
#   moving / count(*) OVER             cost over the window floor
#   moving RANGE / moving ROWS         a date frame vs a row frame
#   monthly: recomputed / moving       the same gain on 44 x 240 monthly rows
# Starts its own throwaway cluster (scripts/lib.sh) unless BENCH_DB is set and PGHOST points
# at a running server.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-10000000}
sub_rows=$(( rows < 1000000 ? rows : 1000000 ))
bench_start "shared_buffers = '2GB'" "work_mem = '256MB'"

ds_log "generating $rows daily rows"
psql -X -q -d "$BENCH_DB" -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION IF NOT EXISTS da_stats;
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_daily;
CREATE TABLE bench_daily (force int, day date, num int, den int);
INSERT INTO bench_daily
SELECT (g % 44)::int, date '2000-01-01' + (g / 44)::int,
       CASE WHEN g % 101 = 0 THEN NULL ELSE ((g * 7919) % 50)::int END,
       CASE WHEN g % 103 = 0 THEN NULL ELSE (50 + (g * 104729) % 100)::int END
FROM generate_series(0::bigint, $rows - 1) g;
CREATE INDEX ON bench_daily (force, day);
VACUUM ANALYZE bench_daily;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_daily');
DROP TABLE IF EXISTS bench_monthly;
CREATE TABLE bench_monthly (force int, month date, num int, den int);
INSERT INTO bench_monthly
SELECT f, (date '1999-01-01' + m * interval '1 month')::date,
       CASE WHEN (f * 240 + m) % 97 = 0 THEN NULL ELSE 200 + (f * 37 + m * 11) % 300 END,
       CASE WHEN (f * 240 + m) % 89 = 0 THEN NULL ELSE 600 + (f * 53 + m * 29) % 400 END
FROM generate_series(1, 44) f, generate_series(0, 239) m
WHERE (f * 240 + m) % 101 <> 0;      -- a few months never sent
VACUUM ANALYZE bench_monthly;
-- The same aggregate without moving-aggregate support: every frame recomputed from scratch.
DROP AGGREGATE IF EXISTS per_100_agg_nominv(int, int);
CREATE AGGREGATE per_100_agg_nominv(int, int) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)',
    FINALFUNC = da.rate_final);
SQL

serial="SET max_parallel_workers_per_gather = 0;"
all="FROM bench_daily"
sub="FROM (SELECT * FROM bench_daily WHERE day < date '2000-01-01' + $sub_rows / 44) t"
rows_w="WINDOW w AS (PARTITION BY force ORDER BY day ROWS 364 PRECEDING)"
range_w="WINDOW w AS (PARTITION BY force ORDER BY day RANGE BETWEEN '364 days' PRECEDING AND CURRENT ROW)"

# count(r) over the window results: the planner cannot drop a window function that is used.
echo "rows: $rows (recomputed section: first $sub_rows rows)"
echo "all rows, rolling 365-row frame per force"
bench_time "all: count(*) OVER (floor)"           "SELECT count(r) FROM (SELECT count(*) OVER w AS r $all $rows_w) x" "$serial"
bench_time "all: per_100_agg moving ROWS"         "SELECT count(r) FROM (SELECT da.per_100_agg(num, den) OVER w AS r $all $rows_w) x" "$serial"
bench_time "all: per_100_agg moving RANGE"        "SELECT count(r) FROM (SELECT da.per_100_agg(num, den) OVER w AS r $all $range_w) x" "$serial"
echo "subset, rolling 365-row frame per force"
bench_time "sub: count(*) OVER (floor)"           "SELECT count(r) FROM (SELECT count(*) OVER w AS r $sub $rows_w) x" "$serial"
bench_time "sub: per_100_agg moving ROWS"         "SELECT count(r) FROM (SELECT da.per_100_agg(num, den) OVER w AS r $sub $rows_w) x" "$serial"
bench_time "sub: recomputed every frame ROWS"     "SELECT count(r) FROM (SELECT per_100_agg_nominv(num, den) OVER w AS r $sub $rows_w) x" "$serial"

echo "44 forces x 20 years monthly, rolling 12 months (RANGE '11 months' PRECEDING)"
month_w="WINDOW w AS (PARTITION BY force ORDER BY month RANGE BETWEEN '11 months' PRECEDING AND CURRENT ROW)"
bench_time "monthly: count(*) OVER (floor)"       "SELECT count(r) FROM (SELECT count(*) OVER w AS r FROM bench_monthly $month_w) x" "$serial"
bench_time "monthly: per_100_agg moving RANGE"    "SELECT count(r) FROM (SELECT da.per_100_agg(num, den) OVER w AS r FROM bench_monthly $month_w) x" "$serial"
bench_time "monthly: recomputed every frame RANGE" "SELECT count(r) FROM (SELECT per_100_agg_nominv(num, den) OVER w AS r FROM bench_monthly $month_w) x" "$serial"

echo "ratios"
bench_ratio "sub: recomputed every frame ROWS" "sub: per_100_agg moving ROWS" "(inverse transition gain, target >= 5)"
bench_ratio "sub: per_100_agg moving ROWS" "sub: count(*) OVER (floor)" "(vs window floor)"
bench_ratio "all: per_100_agg moving ROWS" "all: count(*) OVER (floor)" "(vs window floor, all rows)"
bench_ratio "all: per_100_agg moving RANGE" "all: per_100_agg moving ROWS" "(date frame vs row frame)"
bench_ratio "monthly: recomputed every frame RANGE" "monthly: per_100_agg moving RANGE" "(monthly inverse gain)"
bench_ratio "monthly: per_100_agg moving RANGE" "monthly: count(*) OVER (floor)" "(monthly vs window floor)"
