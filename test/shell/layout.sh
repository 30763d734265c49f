#!/usr/bin/env bash
# The warehouse layout inside da.create_warehouse() (sql/0.4/85_create_warehouse.sql) is what
# the upgrade path gives today: scripts/gen_warehouse --check regenerates it from 0.3 + ALTER
# EXTENSION UPDATE on the running cluster and compares (test/sql/upgrade.sql checks that the
# two give the same catalogue). Prints TAP lines.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
made=$(sed -n '1s/^-- Generated with PostgreSQL \([0-9]*\) .*/\1/p' "$root/sql/0.4/85_create_warehouse.sql")
here=$(psql -X -A -t -q -d postgres -c "SELECT current_setting('server_version_num')::int / 10000")
if [ "$made" != "$here" ]; then
    # pg_dump prints the same objects differently on another major; the layout's meaning is
    # checked on every major by test/sql/upgrade.sql (a new warehouse = an upgraded one).
    echo "ok 1 - # SKIP sql/0.4/85_create_warehouse.sql was generated with PostgreSQL $made, this is $here"
    exit 0
fi
if out=$(bash "$root/scripts/gen_warehouse" --check --running 2>&1); then
    echo "ok 1 - sql/0.4/85_create_warehouse.sql is current (regenerated from the upgrade path)"
else
    echo "not ok 1 - sql/0.4/85_create_warehouse.sql is stale: run bash scripts/gen_warehouse"
    printf '%s\n' "$out" | head -n 30 | sed 's/^/# /'
fi
