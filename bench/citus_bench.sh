#!/usr/bin/env bash
# Every da aggregate on Citus (coordinator + 2 workers on this host) against the same rows in
# an ordinary table on one node, in one run. The base of every ratio is the local serial time.
#
#   bash bench/citus_bench.sh [rows] [all|wrapper|warehouse]   default 3,000,000 rows, all sections
#
# Sections:
#   per aggregate   grouped by force_id (the distribution column) and ungrouped, and the scan
#                   floor count(*) in both shapes: distributed / local serial
#   wrapper         what Citus's partial-aggregate wrapper (worker_partial_agg) costs per row,
#                   and the query shapes that avoid it: per-force aggregation in a subquery or
#                   CTE combined on the coordinator, and pre-computed stored states
#   warehouse       the warehouse kit's views and functions over a synthetic 43-force x 10-year
#                   warehouse (bench/citus_warehouse_data.sql) loaded through the ingest twice:
#                   into a plain database on the coordinator (no citus extension: the
#                   single-node reference) and into the Citus database, distributed by
#                   da.distribute_warehouse(WH_SHARDS) (default: its own, one shard per worker). Per query: time
#                   distributed / single node (serial on both, best of 3), results compared
#                   (md5 of the ordered rows), and the distributed plan's shape; the count(*)
#                   scan floors; and an ingest of WH_INGEST_ROWS (default 1,000,000) rows.
# Needs Citus (.ci/citus-install.sh). Starts and removes its own cluster (scripts/citus.sh).
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/../scripts/citus.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-3000000}
sections=${2:-all}
ds_setup
ds_citus_installed || ds_die "Citus is not installed for PostgreSQL $(ds_citus_pg_major): run .ci/citus-install.sh"
# Parallel query off everywhere: the local base is serial, and the distributed plans get
# their parallelism from the shards (32 by default, spread over the two workers).
ds_citus_start "shared_buffers = '1GB'" "work_mem = '64MB'" "max_parallel_workers_per_gather = 0"
BENCH_DB=postgres

if [ "$sections" != warehouse ]; then
ds_log "generating $rows rows (local and distributed copies)"
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION da_stats;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
CREATE TABLE b_local AS
SELECT (g % 44 + 1)::int AS force_id, ((g / 44) % 120)::int AS month,
       CASE WHEN g % 97 = 0 THEN NULL ELSE 20 + (g * 7919) % 300 END::bigint AS crimes,
       CASE WHEN g % 89 = 0 THEN NULL ELSE (g * 104729) % 20 END::bigint AS arrests,
       CASE WHEN g % 83 = 0 THEN NULL ELSE 20 + (g * 31) % 250 END::bigint AS prev_crimes,
       CASE WHEN g % 73 = 0 THEN NULL ELSE (g * 17) % 20 END::bigint AS prev_arrests,
       CASE WHEN g % 101 = 0 THEN NULL
            ELSE (ARRAY['0','1','1A','2','2A','3','3A','4','5','6','7','8','9','10','11','12',
                        '13','14','15','16','17','18','20','21','22','23'])[1 + (g * 13) % 26] END AS code,
       CASE WHEN g % 103 = 0 THEN NULL
            ELSE (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,20,21,22,23])[1 + (g * 11) % 23] END AS code_i,
       CASE WHEN g % 79 = 0 THEN NULL ELSE (g * 7) % 40 END::bigint AS n
FROM generate_series(0::bigint, $rows - 1) g;
ALTER TABLE b_local ADD COLUMN crimes_i integer, ADD COLUMN arrests_i integer;
UPDATE b_local SET crimes_i = crimes, arrests_i = arrests;
VACUUM ANALYZE b_local;
CREATE TABLE b_dist (LIKE b_local);
SELECT create_distributed_table('b_dist', 'force_id');
INSERT INTO b_dist SELECT * FROM b_local;
VACUUM ANALYZE b_dist;
-- Stored rollups, one per force, month and crimes band (a few dozen rows each at 3M rows):
-- the input of outcome_merge_agg.
CREATE TABLE r_local AS
SELECT force_id, (row_number() OVER ())::int AS bucket, counts FROM (
  SELECT force_id, da.outcome_agg(code) AS counts FROM b_local GROUP BY force_id, month, (crimes % 25)) s;
VACUUM ANALYZE r_local;
CREATE TABLE r_dist (LIKE r_local);
SELECT create_distributed_table('r_dist', 'force_id');
INSERT INTO r_dist SELECT * FROM r_local;
VACUUM ANALYZE r_dist;
SELECT pg_prewarm('b_local'), pg_prewarm('r_local');
-- State-returning and state-merging twins of the rate and change aggregates (bench only:
-- candidates for the API, as outcome_agg / outcome_merge_agg already are).
CREATE AGGREGATE rate_state_agg(bigint, bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)',
    COMBINEFUNC = da.rate_combine, PARALLEL = SAFE);
CREATE AGGREGATE rate_merge_agg(da.rate_state) (
    SFUNC = da.rate_combine, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE);
CREATE AGGREGATE change_state_agg(bigint, bigint) (
    SFUNC = da.change_count_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,0)',
    COMBINEFUNC = da.change_combine, PARALLEL = SAFE);
CREATE AGGREGATE change_merge_agg(da.change_state) (
    SFUNC = da.change_combine, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,0)',
    FINALFUNC = da.change_count_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE);
SQL
# The shards live on the workers: warm them through a full scan of each.
psql -X -q -c "SELECT count(*) FROM b_dist" -c "SELECT count(*) FROM r_dist" >/dev/null

echo "rows: $rows ($(psql -X -At -c "SELECT count(*) FROM r_local") rollup rows); Citus $(psql -X -At -c "SELECT extversion FROM pg_extension WHERE extname = 'citus'"), $(psql -X -At -c "SHOW citus.shard_count") shards on 2 workers, one host with $(nproc) cores"
serial="SET max_parallel_workers_per_gather = 0;"

# Aggregates and their arguments, from the catalogue and the citus suite's list.
mapfile -t aggs < <(psql -X -q -At -F '|' <<SQL
\ir $DS_ROOT/test/citus/helpers.sql
SELECT e.sig, e.fn, a.args FROM ext_aggs e JOIN agg_args a USING (sig) ORDER BY e.sig;
SQL
)

if [ "$sections" = all ]; then
    echo "per aggregate (best of 3, ms)"
    bench_time "count(*) grouped local"   "SELECT force_id, count(*) FROM b_local GROUP BY force_id" "$serial"
    bench_time "count(*) grouped citus"   "SELECT force_id, count(*) FROM b_dist GROUP BY force_id"
    bench_time "count(*) ungrouped local" "SELECT count(*) FROM b_local" "$serial"
    bench_time "count(*) ungrouped citus" "SELECT count(*) FROM b_dist"
    for a in "${aggs[@]}"; do
        IFS='|' read -r sig fn args <<<"$a"
        t=b; [ "$args" = counts ] && t=r
        bench_time "$sig grouped local"   "SELECT force_id, $fn($args) FROM ${t}_local GROUP BY force_id" "$serial"
        bench_time "$sig grouped citus"   "SELECT force_id, $fn($args) FROM ${t}_dist GROUP BY force_id"
        bench_time "$sig ungrouped local" "SELECT $fn($args) FROM ${t}_local" "$serial"
        bench_time "$sig ungrouped citus" "SELECT $fn($args) FROM ${t}_dist"
    done
    echo "ratios: distributed / local serial"
    printf '  %-62s %8s %9s\n' aggregate grouped ungrouped
    for a in "count(*)|count|" "${aggs[@]}"; do
        IFS='|' read -r sig fn args <<<"$a"
        awk -v s="$sig" -v gl="${BENCH_MS[$sig grouped local]}" -v gc="${BENCH_MS[$sig grouped citus]}" \
            -v ul="${BENCH_MS[$sig ungrouped local]}" -v uc="${BENCH_MS[$sig ungrouped citus]}" \
            'BEGIN { printf "  %-62s %7.2fx %8.2fx\n", s, gc / gl, uc / ul }'
    done
fi

fi

if [ "$sections" = all ] || [ "$sections" = wrapper ]; then
echo "wrapper: ungrouped shapes (best of 3, ms)"
# Local: the aggregate, and the same aggregate called through Citus's wrapper on one node.
bench_time "per_100 local"                 "SELECT da.per_100_agg(arrests, crimes) FROM b_local" "$serial"
bench_time "per_100 local via wrapper"     "SELECT worker_partial_agg('da.per_100_agg(bigint,bigint)'::regprocedure, ROW(arrests, crimes)) FROM b_local" "$serial"
bench_time "per_100 citus direct"          "SELECT da.per_100_agg(arrests, crimes) FROM b_dist"
bench_time "per_100 citus 2-level sums"    "SELECT da.per_100_agg(a, c) FROM (SELECT force_id, sum(arrests)::bigint AS a, sum(crimes)::bigint AS c FROM b_dist WHERE arrests IS NOT NULL AND crimes IS NOT NULL GROUP BY force_id) s"
bench_time "per_100 citus 2-level states"  "SELECT rate_merge_agg(s) FROM (SELECT force_id, rate_state_agg(arrests, crimes) AS s FROM b_dist GROUP BY force_id) x"
bench_time "per_100 citus CTE states"      "WITH x AS MATERIALIZED (SELECT force_id, rate_state_agg(arrests, crimes) AS s FROM b_dist GROUP BY force_id) SELECT rate_merge_agg(s) FROM x"
bench_time "per_100 local 2-level states"  "SELECT rate_merge_agg(s) FROM (SELECT force_id, rate_state_agg(arrests, crimes) AS s FROM b_local GROUP BY force_id) x" "$serial"

bench_time "outcome local"                 "SELECT da.outcome_agg(code) FROM b_local" "$serial"
bench_time "outcome local via wrapper"     "SELECT worker_partial_agg('da.outcome_agg(text)'::regprocedure, code) FROM b_local" "$serial"
bench_time "outcome citus direct"          "SELECT da.outcome_agg(code) FROM b_dist"
bench_time "outcome citus 2-level merge"   "SELECT da.outcome_merge_agg(o) FROM (SELECT force_id, da.outcome_agg(code) AS o FROM b_dist GROUP BY force_id) s"
bench_time "outcome citus stored rollups"  "SELECT da.outcome_merge_agg(counts) FROM r_dist"
bench_time "outcome local stored rollups"  "SELECT da.outcome_merge_agg(counts) FROM r_local" "$serial"

bench_time "change local"                  "SELECT da.matched_change_agg(prev_crimes, crimes) FROM b_local" "$serial"
bench_time "change local via wrapper"      "SELECT worker_partial_agg('da.matched_change_agg(bigint,bigint)'::regprocedure, ROW(prev_crimes, crimes)) FROM b_local" "$serial"
bench_time "change citus direct"           "SELECT da.matched_change_agg(prev_crimes, crimes) FROM b_dist"
bench_time "change citus 2-level states"   "SELECT change_merge_agg(s) FROM (SELECT force_id, change_state_agg(prev_crimes, crimes) AS s FROM b_dist GROUP BY force_id) x"

bench_time "count local"                   "SELECT count(*) FROM b_local" "$serial"
bench_time "count citus"                   "SELECT count(*) FROM b_dist"

echo "wrapper ratios"
bench_ratio "per_100 local via wrapper" "per_100 local" "(wrapper's own cost per row, one node)"
bench_ratio "outcome local via wrapper" "outcome local" "(wrapper, one argument: no ROW())"
bench_ratio "change local via wrapper"  "change local"
for s in "per_100 citus direct" "per_100 citus 2-level sums" "per_100 citus 2-level states" "per_100 citus CTE states" "per_100 local 2-level states"; do
    bench_ratio "$s" "per_100 local"
done
for s in "outcome citus direct" "outcome citus 2-level merge" "outcome citus stored rollups"; do
    bench_ratio "$s" "outcome local"
done
bench_ratio "outcome citus stored rollups" "outcome local stored rollups" "(same rollups, one node)"
for s in "change citus direct" "change citus 2-level states"; do
    bench_ratio "$s" "change local"
done
bench_ratio "count citus" "count local" "(scan floor)"

# The shapes must give the direct query's answer, or their speed means nothing.
psql -X -q -At <<'SQL' | sed 's/^/  /'
SELECT CASE WHEN a = b AND b = c AND c = d THEN 'same result: ' ELSE 'DIFFERENT results: ' END || 'per_100 direct, 2-level sums, 2-level states, local'
FROM (SELECT (SELECT da.per_100_agg(arrests, crimes) FROM b_dist) a,
             (SELECT da.per_100_agg(a, c) FROM (SELECT force_id, sum(arrests)::bigint AS a, sum(crimes)::bigint AS c FROM b_dist WHERE arrests IS NOT NULL AND crimes IS NOT NULL GROUP BY force_id) s) b,
             (SELECT rate_merge_agg(s) FROM (SELECT force_id, rate_state_agg(arrests, crimes) AS s FROM b_dist GROUP BY force_id) x) c,
             (SELECT da.per_100_agg(arrests, crimes) FROM b_local) d) q;
SELECT CASE WHEN a = b AND b = c AND c = d THEN 'same result: ' ELSE 'DIFFERENT results: ' END || 'outcome direct, 2-level merge, stored rollups, local'
FROM (SELECT (SELECT da.outcome_agg(code)::text FROM b_dist) a,
             (SELECT da.outcome_merge_agg(o)::text FROM (SELECT force_id, da.outcome_agg(code) AS o FROM b_dist GROUP BY force_id) s) b,
             (SELECT da.outcome_merge_agg(counts)::text FROM r_dist) c,
             (SELECT da.outcome_agg(code)::text FROM b_local) d) q;
SELECT CASE WHEN a = b AND b = c THEN 'same result: ' ELSE 'DIFFERENT results: ' END || 'matched_change direct, 2-level states, local'
FROM (SELECT (SELECT da.matched_change_agg(prev_crimes, crimes)::text FROM b_dist) a,
             (SELECT change_merge_agg(s)::text FROM (SELECT force_id, change_state_agg(prev_crimes, crimes) AS s FROM b_dist GROUP BY force_id) x) b,
             (SELECT da.matched_change_agg(prev_crimes, crimes)::text FROM b_local) c) q;
SQL
fi

[ "$sections" = all ] || [ "$sections" = warehouse ] || exit 0

# ---------------------------------------------------------------------------------------------
# The warehouse kit: the same synthetic warehouse on one node and distributed, in one run.
# ---------------------------------------------------------------------------------------------
WH_SHARDS=${WH_SHARDS:-}
WH_INGEST_ROWS=${WH_INGEST_ROWS:-1000000}
single=wh_single
dist=postgres
ds_log "warehouse: one node (database $single, no citus extension) and Citus (database $dist, ${WH_SHARDS:-one per worker} shards)"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $single" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $single -c "SET client_min_messages = warning" -c "CREATE EXTENSION da_stats" \
     -c "SELECT da.create_warehouse()" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d $dist -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS da_stats" \
     -c "SELECT da.create_warehouse()" \
     -c "SELECT count(*) FROM da.distribute_warehouse(${WH_SHARDS:-NULL})" >/dev/null
for db in $single $dist; do
    echo "synthetic warehouse loaded through the ingest into $db (load times, ms):"
    out=$(psql -X -q -d $db -f "$DS_ROOT/bench/citus_warehouse_data.sql" 2>&1 || true)
    echo "$out" | awk '/^Time:/ { printf "  %s", $2 } /ERROR/ { print ""; print "  " $0 } END { print "" }'
    echo "$out" | grep -E '^ *(returns|outcomes|marac) +\|' | sed 's/^/  /' || true
done
# A load the ingest refuses on Citus would leave the two warehouses different: its rows are then
# copied from the one-node warehouse, and said so loudly, so that the queries can still be compared.
for t in force_return force_return_outcomes marac_area marac_return; do
    a=$(psql -X -At -d $single -c "SELECT count(*) FROM da.$t"); b=$(psql -X -At -d $dist -c "SELECT count(*) FROM da.$t")
    if [ "$a" != "$b" ]; then
        echo "  NOTE: da.$t has $a rows on one node and $b on Citus (the ingest failed there): rows copied from one node"
        psql -X -q -d $dist -c "TRUNCATE da.$t CASCADE" >/dev/null 2>&1 || true
        psql -X -q -d $single -c "\\copy (SELECT * FROM da.$t) TO STDOUT" \
          | psql -X -q -d $dist -c "\\copy da.$t FROM STDIN" || echo "  copy of da.$t failed"
    fi
done
for db in $single $dist; do psql -X -q -d $db -c "VACUUM ANALYZE" >/dev/null 2>&1; done
psql -X -q -d $dist -c "SELECT count(*) FROM da.force_return" -c "SELECT count(*) FROM da.force_return_outcomes" >/dev/null

wh_queries=(
    "count(*) ungrouped|SELECT count(*) FROM da.force_return"
    "count(*) by force_id|SELECT force_id, count(*) FROM da.force_return GROUP BY force_id"
    "dashboard (full)|SELECT * FROM da.dashboard"
    "dashboard (one period)|SELECT * FROM da.dashboard WHERE period_start = '2019-01-01' AND period_end = '2019-12-31'"
    "indicator_input|SELECT * FROM da.indicator_input"
    "national_totals|SELECT * FROM da.national_totals"
    "floor: one figure's rows|SELECT sum(value) FROM da.force_return WHERE measure_id = 'da_crimes' AND period_start = '2019-01-01' AND period_end = '2019-12-31'"
    "floor: a reference read|SELECT count(*) FROM da.force WHERE in_national_total"
    "national_total|SELECT * FROM da.national_total('da_crimes', '2019-01-01', '2019-12-31')"
    "national_change|SELECT * FROM da.national_change('da_crimes', '2019-01-01', '2019-12-31')"
    "indicator_national|SELECT * FROM da.indicator_national()"
    "marac|SELECT * FROM da.marac"
    "marac_12_months|SELECT * FROM da.marac_12_months"
    "force_return_wide|SELECT * FROM da.force_return_wide"
    "force_outcome_table|SELECT * FROM da.force_outcome_table"
    "validate_returns|SELECT * FROM da.validate_returns('2019-12-31')"
    "run_validation|SELECT da.run_validation('2019-12-31')"
)
serial="SET max_parallel_workers_per_gather = 0; SET client_min_messages = warning;"
echo "warehouse queries (best of 3, ms)"
for q in "${wh_queries[@]}"; do
    label=${q%%|*} sql=${q#*|}
    BENCH_DB=$single bench_time "wh $label single" "$sql" "$serial"
    BENCH_DB=$dist bench_time "wh $label citus" "$sql" "$serial"
done

# Same rows? run_validation writes findings: compared by the findings it wrote. Floating-point
# sums (funnel phi, tau2) depend on the order rows are added, which differs between one table and
# shards: the second md5 rounds double precision columns to 12 significant digits.
wh_md5() {
    psql -X -At -d "$1" 2>&1 <<SQL | tail -n 1
SET client_min_messages = warning;
SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) || ' ' || count(*) FROM ($2) t;
SQL
}
wh_md5_rounded() {
    psql -X -At -d "$1" 2>&1 <<SQL | tail -n 1
SET client_min_messages = warning;
SELECT md5(string_agg(regexp_replace(t::text, '([0-9]\.[0-9]{11})[0-9]*(e-?[0-9]+)?', '\1\2', 'g'), '|' ORDER BY t::text)) || ' ' || count(*) FROM ($2) t;
SQL
}
wh_shape() {
    psql -X -At -d $dist 2>&1 <<SQL | awk '
        /Distributed Subplan/ { sub_n++ }
        /Task Count:/ { tasks = tasks (tasks ? "," : "") $NF }
        /->  Task$/ { getline; getline; sub(/^ *-> */, ""); sub(/ *\(.*/, ""); n[$0]++ }
        /^Function Scan|^Result|^Aggregate|^HashAggregate|^Sort|^Custom Scan/ && !top { top = $0; sub(/ *\(.*/, "", top) }
        /ERROR/ { err = $0 }
        END {
            if (err) { print err; exit }
            w = ""; for (k in n) w = w (w ? ", " : "") k
            printf "top: %s; %d subplan(s); tasks %s; on workers: %s\n", top, sub_n, tasks ? tasks : "-", w ? w : "-" }'
SET client_min_messages = warning;
EXPLAIN (COSTS OFF) $1;
SQL
}
echo "warehouse ratios: Citus / one node (serial), results, distributed plan"
printf '  %-24s %9s %9s %7s  %-9s %s\n' query single citus ratio results plan
for q in "${wh_queries[@]}"; do
    label=${q%%|*} sql=${q#*|}
    if [ "$label" = run_validation ]; then
        cmp="SELECT period_end, force_id, measure_id, rule, severity, observed, expected_or_limit, message FROM da.validation_finding"
    else
        cmp=$sql
    fi
    a=$(wh_md5 $single "$cmp"); b=$(wh_md5 $dist "$cmp")
    if [ "$a" = "$b" ]; then same=identical
    elif [ "$(wh_md5_rounded $single "$cmp")" = "$(wh_md5_rounded $dist "$cmp")" ]; then same="same@1e-12"
    else same="DIFFERENT"; fi
    printf '  %-24s %9.1f %9.1f %6.2fx  %-9s %s\n' "$label" "${BENCH_MS[wh $label single]:-0}" "${BENCH_MS[wh $label citus]:-0}" \
        "$(awk -v a="${BENCH_MS[wh $label citus]:-0}" -v b="${BENCH_MS[wh $label single]:-1}" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
        "$same" "$(wh_shape "$sql")"
    [ "$same" = DIFFERENT ] && echo "    one node: $a; Citus: $b"
done

# Ingest: WH_INGEST_ROWS rows staged by force name, one da.ingest_returns() each (periods from
# 1900, apart from the synthetic warehouse's).
echo "ingest of $WH_INGEST_ROWS rows (one run each, ms)"
for db in $single $dist; do
    t=$(psql -X -q -d $db -v rows="$WH_INGEST_ROWS" 2>&1 <<'SQL' | awk '/^Time:/ { t = $2 } /ERROR/ { print; exit } END { print t }'
SET client_min_messages = warning;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
SELECT f.name, p.s::text, ((p.s + interval '1 month')::date - 1)::text, m.measure_id,
       (hashint4((p.n * 1000 + m.ord + f.ord * 100000)::int) & 65535)::text
FROM (SELECT name, row_number() OVER (ORDER BY force_id) AS ord FROM da.force WHERE kind = 'territorial') f
CROSS JOIN (SELECT measure_id, row_number() OVER (ORDER BY measure_id)::int AS ord FROM da.measure) m
CROSS JOIN (SELECT n, ('1900-01-01'::date + make_interval(months => n))::date AS s
            FROM generate_series(0, ceil(:rows / (43.0 * 29))::int) n) p
LIMIT :rows;
\timing on
SELECT * FROM da.ingest_returns('bench ingest');
SQL
)
    BENCH_MS[ingest $db]=$t
    printf '  %-24s %s\n' "$db" "$t"
done
awk -v a="${BENCH_MS[ingest $dist]}" -v b="${BENCH_MS[ingest $single]}" 'BEGIN { if (b > 0 && a > 0) printf "  ingest Citus / one node: %.2fx\n", a / b }'
