#!/usr/bin/env bash
# The warehouse layout inside da.create_warehouse() (sql/0.4/85_create_warehouse.sql) is what
# the upgrade path gives today: scripts/gen_warehouse --check regenerates it from 0.3 + ALTER
# EXTENSION UPDATE on the running cluster and compares (test/sql/upgrade.sql checks that the
# two give the same catalogue). Prints TAP lines.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if out=$(bash "$root/scripts/gen_warehouse" --check --running 2>&1); then
    echo "ok 1 - sql/0.4/85_create_warehouse.sql is current (regenerated from the upgrade path)"
else
    echo "not ok 1 - sql/0.4/85_create_warehouse.sql is stale: run bash scripts/gen_warehouse"
    printf '%s\n' "$out" | head -n 30 | sed 's/^/# /'
fi
