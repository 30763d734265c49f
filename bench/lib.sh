# Shared by the bench/*.sh scripts: timing of SQL statements in one psql session.
#
#   bench_time LABEL SQL     run SQL 3 times (after one warm-up), record the best time in ms
#   bench_ratio A B          print time(A) / time(B)
#
# Scripts source scripts/lib.sh first (for the cluster) and then this file.

declare -A BENCH_MS=()

# Best of 3 runs (after a warm-up), in milliseconds, measured by psql's \timing.
bench_time() {
    local label=$1 sql=$2 settings=${3:-}
    local out best
    out=$(psql -X -q -d "$BENCH_DB" <<SQL
$settings
\\o /dev/null
$sql;
\\timing on
$sql;
$sql;
$sql;
SQL
)
    best=$(echo "$out" | awk '/^Time:/ { v = $2 + 0; if (best == "" || v < best) best = v } END { print best }')
    BENCH_MS[$label]=$best
    printf '  %-44s %10.1f ms\n' "$label" "$best"
}

bench_ratio() {
    awk -v a="${BENCH_MS[$1]}" -v b="${BENCH_MS[$2]}" -v la="$1" -v lb="$2" -v note="${3:-}" \
        'BEGIN { printf "  %-60s %6.2fx %s\n", la " / " lb, a / b, note }'
}

# bench_start [conf-line ...] — a throwaway cluster with these settings and a database
# $BENCH_DB, unless BENCH_DB is already set (then PGHOST must point at a running server).
bench_start() {
    [ -z "${BENCH_DB:-}" ] || return 0
    ds_setup
    ds_cluster_start "$@"
    BENCH_DB=da_bench
    psql -X -q -c "CREATE DATABASE $BENCH_DB"
}
