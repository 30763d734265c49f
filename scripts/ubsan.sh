#!/usr/bin/env bash
# UndefinedBehaviorSanitizer run: build da_stats with -fsanitize=undefined (plus
# float-cast-overflow, which GCC leaves out of "undefined"), install it into a private copy of
# PostgreSQL, start a second throwaway cluster with that build, run the pg_regress and pgTAP
# suites and a short fuzz run against it, and count UBSan "runtime error" reports.
# Prints TAP lines; "ok" only when the suites pass and there are zero reports.
#
#   bash scripts/ubsan.sh             (scripts/test.sh runs it as the suite "ubsan")
#
# The normal build is untouched: the tree is copied to build/ubsan/tree and built there, and
# installed into DS_UBSAN_PREFIX (default /var/tmp/da_stats_ubsan-<checkout hash>), a copy of
# the distribution's PostgreSQL made by lib.sh (ds_private_pg). The runtime is gcc's libubsan
# (Debian: libubsan1, pulled in by gcc); it is loaded with the extension's shared library, so
# nothing is preloaded into postgres (AddressSanitizer cannot be: it deadlocks at start-up).
# Reports are written by the backends to $cluster/ubsan.<pid> (UBSAN_OPTIONS log_path).
source "$(dirname "$0")/lib.sh"
set +e

started=$(date +%s)
n=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

# What scripts/test.sh installs (PostgreSQL, pgTAP, gcc), and the UBSan runtime.
if declare -p DS_PACKAGES >/dev/null 2>&1; then
    ds_install_packages "${DS_PACKAGES[@]}" libubsan1 >&2
else
    ds_install_packages gcc make libubsan1 >&2
fi
DS_PG_PREFIX=${DS_UBSAN_PREFIX:-/var/tmp/da_stats_ubsan-$(printf '%s' "$DS_ROOT" | md5sum | cut -c1-8)}
export DS_PG_PREFIX
ds_private_pg >&2
pg_config=$(ds_pg_config)
bindir=$(dirname "$pg_config")

# A copy of the tree, so that objects built with the sanitizer never mix with the normal ones.
tree="$DS_ROOT/build/ubsan/tree"
rm -rf "$tree"
mkdir -p "$tree"
(cd "$DS_ROOT" && cp -a Makefile da_stats.control src sql test data "$tree"/ && cp -a expected "$tree"/)
rm -f "$tree"/sql/da_stats--*--*.sql "$tree"/sql/da_stats--0.[2-9].sql
ubsan_flags="-fsanitize=undefined,float-cast-overflow -fno-omit-frame-pointer -g"
ds_log "ubsan: building with $ubsan_flags into $DS_PG_PREFIX"
if ! make -C "$tree" -s clean >/dev/null 2>&1 ||
   ! make -C "$tree" -s PG_CONFIG="$pg_config" COPT="$ubsan_flags" >&2 ||
   ! ds_as_root make -C "$tree" -s PG_CONFIG="$pg_config" COPT="$ubsan_flags" install >/dev/null; then
    tap 1 "ubsan: build"
    exit 1
fi
if ! ldd "$tree/da_stats.so" | grep libubsan >/dev/null; then
    tap 1 "ubsan: da_stats.so is linked with libubsan"
    exit 1
fi

# A second throwaway cluster: its own directory, port and unix socket, stopped on exit.
dir=$(mktemp -d /tmp/da_stats_ubsan.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
stop() {
    [ -f "$dir/data/postmaster.pid" ] &&
        ds_run_server_cmd "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
port=${DS_UBSAN_PORT:-54339}
ds_run_server_cmd "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; tap 1 "ubsan: initdb"; exit 1; }
{
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$dir'"
    echo "port = $port"
    echo "fsync = off"
    echo "max_worker_processes = 16"
    echo "max_parallel_workers = 8"
} | ds_run_server_cmd tee -a "$dir/data/postgresql.conf" >/dev/null
# halt_on_error=0: a report does not stop the backend, so every report of the run is counted.
ds_run_server_cmd env UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0:log_path=$dir/ubsan" \
    "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null ||
    { cat "$dir/server.log" >&2; tap 1 "ubsan: server start"; exit 1; }
export PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
export PATH="$bindir:$PATH"

# pg_regress suites
out=$(make -C "$tree" -s PG_CONFIG="$pg_config" installcheck 2>&1); rc=$?
read -r ok bad <<<"$(ds_regress_counts "$out")"
echo "$out" | grep -E 'FAILED|^not ok' | sed 's/^/# /'
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$ok" -gt 0 ]
tap $? "ubsan: pg_regress suites pass ($ok ok, $bad failed)"

# pgTAP suites
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE da_stats_tap' >/dev/null &&
    psql -q -X -v ON_ERROR_STOP=1 -d da_stats_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' >/dev/null
out=$(cd "$tree" && pg_prove -v -d da_stats_tap test/pgtap/*.sql 2>&1); rc=$?
ok=$(echo "$out" | grep -cE '^ok [0-9]+' || true)
bad=$(echo "$out" | grep -cE '^not ok [0-9]+' || true)
[ "$rc" -eq 0 ] || echo "$out" | grep -vE "^ok " | tail -n 20 | sed "s/^/# /"
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$ok" -gt 0 ]
tap $? "ubsan: pgTAP suites pass ($ok ok, $bad failed)"

# A short fuzz run: extremes and random inputs reach code paths no suite does.
out=$(DS_FUZZ_CALLS=${DS_UBSAN_FUZZ_CALLS:-20000} bash "$tree/test/shell/fuzz.sh" 2>&1); rc=$?
bad=$(echo "$out" | grep -cE '^not ok' || true)
echo "$out" | grep -E '^not ok|fuzz figures' | sed 's/^/# /'
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]
tap $? "ubsan: fuzz run passes"

reports=$(cat "$dir"/ubsan.* "$dir/server.log" 2>/dev/null | grep -c 'runtime error' || true)
if [ "$reports" -gt 0 ]; then
    cat "$dir"/ubsan.* "$dir/server.log" 2>/dev/null | grep 'runtime error' | sort | uniq -c | head -n 40 | sed 's/^/# /'
fi
crashes=$(grep -c 'terminated by signal' "$dir/server.log" || true)
[ "$reports" -eq 0 ] && [ "$crashes" -eq 0 ]
tap $? "ubsan: no undefined behaviour reported ($reports runtime error reports, $crashes crashes)"
echo "# ubsan figures: $reports reports, $(( $(date +%s) - started )) s"
