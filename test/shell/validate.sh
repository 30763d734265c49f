#!/usr/bin/env bash
# scripts/validate end to end: its exit statuses against the running test cluster.
# Prints TAP lines. Needs PGHOST/PGPORT/PGUSER (scripts/test.sh exports them).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
db=da_stats_validate_sh
conn="dbname=$db"
n=0
check() {  # check DESCRIPTION EXPECTED-STATUS COMMAND...
    local desc=$1 want=$2; shift 2
    n=$((n + 1))
    out=$("$@" 2>&1); got=$?
    if [ "$got" -eq "$want" ]; then echo "ok $n - $desc (exit $got)"
    else echo "not ok $n - $desc: exit $got, wanted $want"; echo "$out" | sed 's/^/# /'; fi
}
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@" >/dev/null; }

psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
sql -c "CREATE EXTENSION da_stats"

check "no returns loaded: clean" 0 "$root/scripts/validate" "$conn"
check "no connection string: usage error" 3 "$root/scripts/validate"
check "bad period: usage error" 3 "$root/scripts/validate" --period 30/06/2017 "$conn"
check "unknown database: connection error" 3 "$root/scripts/validate" "dbname=no_such_database_here"

# Two clean forces, two years.
sql <<'SQL'
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
SELECT f, s, e, m, v
FROM (VALUES ('kent'), ('essex')) f(f),
     (VALUES ('2015-07-01', '2016-06-30'), ('2016-07-01', '2017-06-30')) y(s, e),
     (VALUES ('da_crimes', '1000'), ('da_arrests', '500'), ('all_crime_excl_fraud', '9000')) m(m, v);
SELECT da.ingest_returns('validate.sh');
SQL
check "clean returns: exit 0" 0 "$root/scripts/validate" --period 2017-06-30 "$conn"
check "default period is the latest: exit 0" 0 "$root/scripts/validate" "$conn"

# A warning only: Kent's arrests jump by 70%.
sql -c "UPDATE da.force_return SET value = 850 WHERE force_id = 'kent' AND measure_id = 'da_arrests' AND period_end = '2017-06-30'"
check "a jump: warnings only, exit 1" 1 "$root/scripts/validate" --period 2017-06-30 "$conn"

# An error: Essex returns more DA crimes than all crime.
sql -c "UPDATE da.force_return SET value = 9500 WHERE force_id = 'essex' AND measure_id = 'da_crimes' AND period_end = '2017-06-30'"
check "part above total: errors, exit 2" 2 "$root/scripts/validate" --period 2017-06-30 "$conn"
check "--record appends the findings: exit 2" 2 "$root/scripts/validate" --record --period 2017-06-30 "$conn"
n=$((n + 1))
recorded=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM da.validation_finding WHERE rule = 'part_exceeds_total'")
if [ "$recorded" = 1 ]; then echo "ok $n - findings recorded with a run id"; else echo "not ok $n - recorded $recorded"; fi

psql -X -q -c "DROP DATABASE $db" >/dev/null
