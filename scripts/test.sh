#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: install what is missing, build,
# install, start a throwaway cluster, run every suite, print "N passed, N failed".
#
#   bash scripts/test.sh            everything
#   bash scripts/test.sh regress    only the pg_regress suites (also: pgtap, unit, shell)
#
# Suites:
#   unit     C unit tests of the numerical core (test/c/), no server needed
#   regress  pg_regress: test/sql/*.sql against expected/*.out
#   pgtap    pg_prove: test/pgtap/*.sql (behavioural properties)
#   shell    test/shell/*.sh: end-to-end scripts (e.g. the validator's exit codes, pg_cron);
#            each prints TAP lines "ok ..." / "not ok ..."
#   ubsan    scripts/ubsan.sh: regress, pgTAP and a fuzz run against an -fsanitize=undefined
#            build on a second throwaway cluster; TAP lines
#   citus    test/citus/run.sh: coordinator + 2 workers (scripts/citus.sh), distributed = single
#            node; prints "# SKIP citus suite: ..." when Citus is not installed
source "$(dirname "$0")/lib.sh"

want=${1:-all}
passed=0 failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }
run_suite() { [ "$want" = all ] || [ "$want" = "$1" ]; }

ds_setup
mkdir -p "$DS_ROOT/build"

if run_suite unit; then
    ds_log "unit: numerical core"
    for t in "$DS_ROOT"/test/c/test_*.c; do
        [ -e "$t" ] || continue
        bin="$DS_ROOT/build/$(basename "$t" .c)"
        gcc -O2 -std=c99 -Wall -Wextra -Werror -I"$DS_ROOT/src" -o "$bin" "$t" "$DS_ROOT/src/distributions.c" -lm
        out=$("$bin" 2>&1) && rc=0 || rc=$?
        echo "$out" | grep -v '^ok' | tail -n 20
        line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
        if [ -n "$line" ]; then
            count "$(echo "$line" | awk '{print $1}')" "$(echo "$line" | awk '{print $3}')"
        fi
        [ "$rc" -eq 0 ] || [ -n "$line" ] || count 0 1
    done
fi

ds_cluster_start

if run_suite regress; then
    ds_log "regress: pg_regress"
    out=$(make -C "$DS_ROOT" -s PG_CONFIG="$(ds_pg_config)" installcheck 2>&1) && rc=0 || rc=$?
    # pg_regress prints "test x ... ok" up to PostgreSQL 15 and TAP ("ok 1 - x") since 16.
    echo "$out" | grep -E '\.\.\.|^(not )?ok |tests|diff' || true
    read -r ok bad <<<"$(ds_regress_counts "$out")"
    [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
    count "$ok" "$bad"
    if [ "$bad" -gt 0 ] && [ -f "$DS_ROOT/build/regress/regression.diffs" ]; then
        head -n 200 "$DS_ROOT/build/regress/regression.diffs"
    fi
fi

if run_suite pgtap; then
    ds_log "pgtap: pg_prove"
    psql -q -X -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS da_stats_tap' -c 'CREATE DATABASE da_stats_tap'
    psql -q -X -v ON_ERROR_STOP=1 -d da_stats_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' >/dev/null
    out=$(cd "$DS_ROOT" && pg_prove -v -d da_stats_tap test/pgtap/*.sql 2>&1) && rc=0 || rc=$?
    echo "$out" | grep -vE '^ok ' || true
    ok=$(echo "$out" | grep -cE '^ok [0-9]+' || true)
    bad=$(echo "$out" | grep -cE '^not ok [0-9]+' || true)
    [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
    count "$ok" "$bad"
fi

if run_suite shell; then
    for t in "$DS_ROOT"/test/shell/*.sh; do
        [ -e "$t" ] || continue
        ds_log "shell: $(basename "$t")"
        out=$(bash "$t" 2>&1) && rc=0 || rc=$?
        echo "$out"
        ok=$(echo "$out" | grep -cE '^ok( |$)' || true)
        bad=$(echo "$out" | grep -cE '^not ok( |$)' || true)
        [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
        count "$ok" "$bad"
    done
fi

if run_suite ubsan; then
    ds_log "ubsan: the suites against an -fsanitize=undefined build"
    out=$(bash "$DS_ROOT/scripts/ubsan.sh" 2>&1) && rc=0 || rc=$?
    echo "$out" | grep -E '^(ok|not ok|#)' || true
    ok=$(echo "$out" | grep -cE '^ok( |$)' || true)
    bad=$(echo "$out" | grep -cE '^not ok( |$)' || true)
    [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
    count "$ok" "$bad"
fi

ds_cluster_stop

if run_suite citus; then
    ds_log "citus: test/citus"
    out=$(DS_SETUP_DONE=1 bash "$DS_ROOT/test/citus/run.sh" 2>&1) && rc=0 || rc=$?
    echo "$out" | grep -vE '^ok ' || true
    ok=$(echo "$out" | grep -cE '^ok( |$)' || true)
    bad=$(echo "$out" | grep -cE '^not ok( |$)' || true)
    [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
    count "$ok" "$bad"
    grep -q '^# SKIP citus suite' <<<"$out" || echo "# citus suite: $ok passed, $bad failed"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
