#!/usr/bin/env bash
# Runs inside the chroot of .ci/deb-test.sh, in a clone of the project (for the tests only):
# installs PostgreSQL and the built postgresql-NN-da-stats .deb from DEBDIR — nothing is built
# or `make install`ed here — starts a throwaway cluster, CREATE EXTENSION da_stats, and runs
# the pg_regress suites against that installation. Ends with "N passed, N failed".
set -euo pipefail
debdir=$1
passed=0 failed=0
export DEBIAN_FRONTEND=noninteractive
sock=/tmp/da_stats_deb

for deb in "$debdir"/postgresql-*-da-stats_*.deb; do
    major=$(basename "$deb" | sed -E 's/^postgresql-([0-9]+)-da-stats_.*/\1/')
    bin=/usr/lib/postgresql/$major/bin
    echo "==> PostgreSQL $major: apt-get install postgresql-$major $(basename "$deb")"
    apt-get install -y -qq --no-install-recommends "postgresql-$major" >/dev/null
    apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
    if dpkg -l 'postgresql-server-dev-*' 2>/dev/null | grep -q '^ii'; then
        echo "not ok - the chroot must not have the server headers"; failed=$((failed + 1))
    fi
    so=$(dpkg -L "postgresql-$major-da-stats" | grep '/da_stats\.so$')
    [ "$so" = "$("$bin/pg_config" --pkglibdir)/da_stats.so" ] &&
        { echo "ok - da_stats.so from the package: $so"; passed=$((passed + 1)); } ||
        { echo "not ok - da_stats.so not where PostgreSQL $major looks"; failed=$((failed + 1)); }

    rm -rf "$sock"; mkdir -p "$sock"; chown postgres: "$sock"
    su postgres -s /bin/sh -c "cd / && $bin/initdb -D $sock/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 >$sock/initdb.log 2>&1"
    su postgres -s /bin/sh -c "cd / && $bin/pg_ctl -D $sock/data -l $sock/server.log -w -o \"-c listen_addresses='' -k $sock -p 54330\" start >/dev/null" ||
        { cat "$sock/server.log"; exit 1; }
    stop() { su postgres -s /bin/sh -c "cd / && $bin/pg_ctl -D $sock/data -m immediate -w stop" >/dev/null 2>&1 || true; }
    trap stop EXIT
    export PGHOST=$sock PGPORT=54330 PGUSER=postgres

    if "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -At \
        -c 'CREATE EXTENSION da_stats' \
        -c "SELECT extversion FROM pg_extension WHERE extname = 'da_stats'" \
        -c 'SELECT da.per_100(201659, 388020)' -c 'DROP EXTENSION da_stats'; then
        echo "ok - CREATE EXTENSION da_stats"; passed=$((passed + 1))
    else
        echo "not ok - CREATE EXTENSION da_stats"; failed=$((failed + 1))
    fi

    # The suites as `make installcheck` runs them, with the pg_regress of the client package.
    tests=$(for t in test/sql/*.sql; do basename "$t" .sql; done)
    mkdir -p build/regress
    # shellcheck disable=SC2086
    out=$("$bin/../lib/pgxs/src/test/regress/pg_regress" --bindir="$bin" --inputdir=test \
        --outputdir=build/regress --dbname=da_stats_regress $tests 2>&1) && rc=0 || rc=$?
    echo "$out" | grep -E '\.\.\.|^(not )?ok |tests' || true
    ok=$(echo "$out" | grep -cE '\.\.\. +ok|^ok [0-9]+ ' || true)
    bad=$(echo "$out" | grep -cE '\.\.\. +FAILED|^not ok [0-9]+ ' || true)
    [ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || bad=1
    [ "$bad" -eq 0 ] || head -n 100 build/regress/regression.diffs 2>/dev/null || true
    passed=$((passed + ok)); failed=$((failed + bad))
    stop; trap - EXIT
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
