#!/usr/bin/env bash
# Install Citus for the PostgreSQL the project's scripts use (scripts/lib.sh's ds_pg_config),
# so that scripts/test.sh runs the citus suite. Builds the sources vendored next to the
# repository (../shared/tools/citus-build.sh: Citus 13.2.2 for PostgreSQL 15, 14.0.1 for
# 16-18); users install Citus from Citus's own packages. Ends with one "citus-install: ..."
# line saying what it did and how long it took (CI prints it).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
build=$DS_ROOT/../shared/tools/citus-build.sh
if [ ! -f "$build" ]; then
    echo "citus-install: $build not found; the citus suite will be skipped" >&2
    exit 0
fi
trap 'rc=$?; [ "$rc" -eq 0 ] || echo "citus-install: FAILED (exit $rc) after ${SECONDS}s"' EXIT
ds_setup   # PostgreSQL and its server headers, as the test scripts install them
out=$(bash "$build" "$(ds_pg_config)" 2>&1) || { printf '%s\n' "$out" | tail -n 60; exit 1; }
printf '%s\n' "$out"
echo "citus-install: ${out##*citus-build: } (${SECONDS}s)"
