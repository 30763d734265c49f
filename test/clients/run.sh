#!/usr/bin/env bash
# The client tests: a database with da_stats and the demo data, then the psycopg2 test and the
# JDBC test against it, both over the server's unix socket. Prints their TAP lines and "#"
# timings; exits non-zero when a test failed.
#
#   bash test/clients/run.sh [--db NAME] [--extra FILE.sql]
#
# Needs PGHOST (the socket directory), PGPORT and PGUSER, as scripts/test.sh exports them, and
# python3-psycopg2, libpostgresql-jdbc-java, libjunixsocket-java and a JDK (test/shell/clients.sh
# installs them). --extra runs a SQL file after the demo load, e.g. to try a view change.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
db=da_stats_clients
extra=
while [ $# -gt 0 ]; do
    case $1 in
        --db) db=$2; shift 2 ;;
        --extra) extra=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        *) echo "usage: $0 [--db NAME] [--extra FILE.sql]" >&2; exit 3 ;;
    esac
done
: "${PGHOST:?set PGHOST to the socket directory}" "${PGPORT:=5432}" "${PGUSER:=postgres}"
export PGPORT PGUSER
# Debian's interpreter: python3-psycopg2 is installed for it, not for a pyenv or venv python3
# that may come first on PATH.
python=/usr/bin/python3
classpath=/usr/share/java/postgresql.jar:/usr/share/java/junixsocket-common.jar
status=0
mkdir -p "$root/build/clients"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# A dashboard's login role, limited to one force by row-level security (README "Roles and
# row-level security"): the tests read the dashboard through it as well.
export CLIENTS_ANALYST=da_clients_analyst
analyst_sql="DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$CLIENTS_ANALYST') THEN CREATE ROLE $CLIENTS_ANALYST LOGIN; END IF;
END \$\$; SELECT da.grant_access('$CLIENTS_ANALYST', 'analyst', ARRAY['hampshire'])"

t0=$(now)
if ! { psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" &&
       (cd "$root" && psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' -f data/demo/load.sql) &&
       { [ -z "$extra" ] || psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$extra"; } &&
       psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$analyst_sql"; } >"$root/build/clients-setup.log" 2>&1
then
    echo "not ok - clients: database $db with da_stats and the demo data"
    sed 's/^/# /' "$root/build/clients-setup.log"
    exit 1
fi
t1=$(now)
echo "# clients: database $db with the demo data in $(secs "$t0" "$t1") s"

"$python" "$root/test/clients/test_psycopg2.py" "$db" || status=1
t2=$(now)
echo "# clients: psycopg2 test in $(secs "$t1" "$t2") s"

# Compiled at test time into build/ (no Maven, no network): Debian's pgjdbc and junixsocket jars.
if javac -d "$root/build/clients" -cp "$classpath" "$root/test/clients/TestJdbc.java" 2>"$root/build/clients-javac.log"; then
    t3=$(now)
    echo "# clients: javac in $(secs "$t2" "$t3") s"
    java -cp "$root/build/clients:$classpath" TestJdbc "$PGHOST" "$PGPORT" "$PGUSER" "$db" || status=1
    echo "# clients: JDBC test in $(secs "$t3" "$(now)") s (JVM start-up included)"
else
    echo "not ok - jdbc: TestJdbc.java compiles"
    sed 's/^/# /' "$root/build/clients-javac.log"
    status=1
fi
echo "# clients: $(secs "$t0" "$(now)") s in all"
exit $status
