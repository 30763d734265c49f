#!/usr/bin/env bash
# The real BI clients (issue 12): psycopg2 and JDBC read da.dashboard, the funnel curves and the
# main functions over the test cluster's unix socket, and check the types each driver reports
# (a rate without a declared scale fails) and the values. Prints TAP lines (test/clients/run.sh).
# Needs PGHOST/PGPORT/PGUSER (scripts/test.sh exports them). Installs the Debian packages it
# needs itself, so that the shared package list stays the core set.
source "$(dirname "$0")/../../scripts/lib.sh"
set +e

t0=$(date +%s)
if ! (ds_install_packages python3-psycopg2 libpostgresql-jdbc-java libjunixsocket-java default-jdk-headless) >&2; then
    echo "not ok - clients: install python3-psycopg2, libpostgresql-jdbc-java, libjunixsocket-java, default-jdk-headless"
    exit 1
fi
echo "# clients: packages present after $(( $(date +%s) - t0 )) s"
mkdir -p "$DS_ROOT/build"
bash "$DS_ROOT/test/clients/run.sh"
