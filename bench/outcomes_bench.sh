#!/usr/bin/env bash
# Outcome aggregates vs plain SQL vs the scan floor, and rollups vs raw rows, in one run.
#
#   bash bench/outcomes_bench.sh [rows]   default 20,000,000 record-level rows
#
# Generator: one row per crime (44 forces, 24 months), its outcome code drawn from the
# published national distribution (HMICFRS 2019 Table 6, 2017: charged 18.6, caution 3.8 +
# 0.3, community resolution 1.1, evidential difficulties 23.7 and 43.0 per 100 offences; the
# rest spread over other codes) with 6.6% not yet assigned (half NULL, half '0'); the code is
# stored as text and as smallint (the letter codes 1A/2A/3A fold into 1/2/3 there).
#
# Prints the best-of-3 time of each query (per-force figures) and the ratios of the targets:
#   outcome_agg / count(*)                      serial               target <= 1.3
#   plain SQL / outcome_agg                     serial               target >= 3
#   outcome_agg serial / 2 workers              parallel speed-up    target >= 1.6
#   12 months from raw rows / from rollups      monthly rollups      target >= 100
# Starts its own throwaway cluster (scripts/lib.sh) unless BENCH_DB is set and PGHOST points
# at a running server.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-20000000}
if [ -z "${BENCH_DB:-}" ]; then
    ds_setup
    ds_cluster_start "shared_buffers = '2GB'" "work_mem = '256MB'" "max_parallel_workers_per_gather = 2"
    BENCH_DB=da_bench
    psql -X -q -c "CREATE DATABASE $BENCH_DB"
fi

ds_log "generating $rows rows"
psql -X -q -d "$BENCH_DB" -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION IF NOT EXISTS da_stats;
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_outcomes, bench_rollup, bench_dist;
-- The distribution, in 1,000ths: slot k of 0..999 holds one code.
CREATE TABLE bench_dist (k int PRIMARY KEY, code text, code_i smallint);
INSERT INTO bench_dist
SELECT row_number() OVER () - 1, code, regexp_replace(code, 'A', '')::smallint
FROM (VALUES ('16', 410), ('15', 230), ('1', 180), ('3', 36), ('18', 20), ('8', 11), ('14', 10),
             ('21', 10), ('1A', 6), ('10', 6), ('20', 4), ('2', 3), ('3A', 2), ('6', 2), ('9', 2),
             ('4', 1), ('17', 1), ('0', 33), (NULL, 33)) d(code, per_mille),
     generate_series(1, per_mille);
SELECT setseed(0.2017);
CREATE TABLE bench_outcomes (force smallint, month date, code text, code_i smallint);
INSERT INTO bench_outcomes
SELECT (g % 44)::smallint, (date '2015-07-01' + ((g / 44) % 24) * interval '1 month')::date, d.code, d.code_i
FROM (SELECT g, floor(random() * 1000)::int AS k FROM generate_series(1, $rows) g OFFSET 0) s
JOIN bench_dist d USING (k);
VACUUM (FREEZE, ANALYZE) bench_outcomes;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_outcomes');
-- Stored monthly rollups: one da.outcome_counts per force and month.
CREATE TABLE bench_rollup AS
SELECT force, month, da.outcome_agg(code) AS c FROM bench_outcomes GROUP BY force, month;
VACUUM ANALYZE bench_rollup;
SQL

serial="SET max_parallel_workers_per_gather = 0;"
parallel="SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"

# Plain SQL, two ways to the same per-force figures: (a) GROUP BY force, code and a window
# sum for the share of outcomes assigned; (b) one pass with count(*) FILTER per code.
plain_window="SELECT force, code, n, 100.0 * n / sum(n) FILTER (WHERE code IS NOT NULL AND code <> '0') OVER (PARTITION BY force)
  FROM (SELECT force, code, count(*) AS n FROM bench_outcomes GROUP BY force, code) s"
filters=""
for c in 1 1A 2 2A 3 3A 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 20 21 22 23; do
    filters="$filters count(*) FILTER (WHERE code = '$c'),"
done
plain_filter="SELECT force,$filters count(*) FILTER (WHERE code IS NULL OR code = '0')
  FROM bench_outcomes GROUP BY force"
agg_text="SELECT force, da.outcome_agg(code) FROM bench_outcomes GROUP BY force"
agg_int2="SELECT force, da.outcome_agg(code_i) FROM bench_outcomes GROUP BY force"
agg_table="SELECT s.force, t.* FROM (SELECT force, da.outcome_agg(code) AS c FROM bench_outcomes GROUP BY force) s,
  da.outcome_table(s.c) t"
year_raw="SELECT force, da.outcome_agg(code) FROM bench_outcomes WHERE month >= date '2016-07-01' GROUP BY force"
year_rollup="SELECT force, da.outcome_merge_agg(c) FROM bench_rollup WHERE month >= date '2016-07-01' GROUP BY force"

echo "rows: $rows ($(psql -X -At -d "$BENCH_DB" -c "SELECT pg_size_pretty(pg_table_size('bench_outcomes'))"))"
echo "per force, serial"
bench_time "count(*) serial"                 "SELECT force, count(*) FROM bench_outcomes GROUP BY force" "$serial"
bench_time "plain SQL group+window serial"   "$plain_window" "$serial"
bench_time "plain SQL count FILTER serial"   "$plain_filter" "$serial"
bench_time "outcome_agg(text) serial"        "$agg_text" "$serial"
bench_time "outcome_agg(smallint) serial"    "$agg_int2" "$serial"
bench_time "outcome_agg + outcome_table serial" "$agg_table" "$serial"
echo "per force, 2 workers"
bench_time "count(*) 2 workers"              "SELECT force, count(*) FROM bench_outcomes GROUP BY force" "$parallel"
bench_time "outcome_agg(text) 2 workers"     "$agg_text" "$parallel"
bench_time "outcome_agg(smallint) 2 workers" "$agg_int2" "$parallel"
echo "12-month figure per force"
bench_time "12 months from raw rows serial"  "$year_raw" "$serial"
bench_time "12 months from raw rows 2 workers" "$year_raw" "$parallel"
bench_time "12 months from monthly rollups"  "$year_rollup" "$serial"

echo "check: the aggregate, the plain SQL and the rollups give the same counts"
psql -X -At -d "$BENCH_DB" <<SQL
SET max_parallel_workers_per_gather = 2;
SET search_path = public, da;
SELECT 'outcome_agg = GROUP BY counts: ' || bool_and(a.c = p.c)
FROM (SELECT force, da.outcome_agg(code) AS c FROM bench_outcomes GROUP BY force) a
JOIN (SELECT force, da.outcome_agg(code, n) AS c
      FROM (SELECT force, code, count(*) AS n FROM bench_outcomes GROUP BY force, code) g GROUP BY force) p USING (force);
SELECT '12 months raw = rollups: ' || bool_and(a.c = r.c)
FROM ($year_raw) a(force, c) JOIN ($year_rollup) r(force, c) USING (force);
SQL

echo "ratios"
bench_ratio "outcome_agg(text) serial" "count(*) serial" "(target <= 1.3)"
bench_ratio "outcome_agg(smallint) serial" "count(*) serial" "(target <= 1.3)"
bench_ratio "plain SQL group+window serial" "outcome_agg(text) serial" "(target >= 3)"
bench_ratio "plain SQL count FILTER serial" "outcome_agg(text) serial" "(target >= 3)"
bench_ratio "plain SQL group+window serial" "outcome_agg + outcome_table serial" "(same table of shares)"
bench_ratio "outcome_agg(text) serial" "outcome_agg(text) 2 workers" "(parallel speed-up, target >= 1.6)"
bench_ratio "outcome_agg(smallint) serial" "outcome_agg(smallint) 2 workers" "(parallel speed-up, target >= 1.6)"
bench_ratio "count(*) serial" "count(*) 2 workers" "(the floor's own speed-up)"
bench_ratio "12 months from raw rows serial" "12 months from monthly rollups" "(target >= 100)"
bench_ratio "12 months from raw rows 2 workers" "12 months from monthly rollups" "(vs parallel raw)"
