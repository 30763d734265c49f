#!/usr/bin/env bash
# The citus suite: a throwaway coordinator + 2 workers (scripts/citus.sh), da_stats created
# on the coordinator and propagated by Citus, then test/citus/*.sql, each printing TAP lines.
# When Citus is not installed for the PostgreSQL in use, says so loudly and exits 0.
source "$(dirname "$0")/../../scripts/lib.sh"
source "$DS_ROOT/scripts/citus.sh"

[ "${DS_SETUP_DONE:-}" = 1 ] || ds_setup
if ! ds_citus_installed; then
    echo "# SKIP citus suite: Citus is not installed for PostgreSQL $(ds_citus_pg_major) (install it with .ci/citus-install.sh)"
    exit 0
fi
ds_citus_start
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION da_stats' -f "$DS_ROOT/test/citus/data.sql" >/dev/null
rc=0
# warehouse.sh leaves the extension as it found it; update.sql drops it and goes last.
for f in extension aggregates windows warehouse update; do
    echo "# $f"
    if [ -f "$DS_ROOT/test/citus/$f.sh" ]; then
        bash "$DS_ROOT/test/citus/$f.sh" || rc=1
    else
        psql -X -q -At -v ON_ERROR_STOP=1 -f "$DS_ROOT/test/citus/$f.sql" || { echo "not ok - $f.sql stopped on an error"; rc=1; }
    fi
done
exit $rc
