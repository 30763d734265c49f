#!/usr/bin/env bash
# Install Citus for the PostgreSQL the project's scripts use (scripts/lib.sh's ds_pg_config),
# so that scripts/test.sh runs the citus suite. Builds the sources vendored next to the
# repository (../shared/tools/citus-build.sh); users install Citus from Citus's own packages.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
build=$DS_ROOT/../shared/tools/citus-build.sh
if [ ! -f "$build" ]; then
    echo "citus-install: $build not found; the citus suite will be skipped" >&2
    exit 0
fi
ds_setup   # PostgreSQL and its server headers, as the test scripts install them
bash "$build" "$(ds_pg_config)"
