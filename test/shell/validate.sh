#!/usr/bin/env bash
# scripts/validate end to end: its output and exit statuses against the running test cluster.
# Prints TAP lines. Needs PGHOST/PGPORT/PGUSER (scripts/test.sh exports them).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
db=da_stats_validate_sh
conn="dbname=$db"
n=0
out=""
check() {  # check DESCRIPTION EXPECTED-STATUS COMMAND...
    local desc=$1 want=$2; shift 2
    n=$((n + 1))
    out=$("$@" 2>&1); got=$?
    if [ "$got" -eq "$want" ]; then echo "ok $n - $desc (exit $got)"
    else echo "not ok $n - $desc: exit $got, wanted $want"; echo "$out" | sed 's/^/# /'; fi
}
expect() {  # expect DESCRIPTION PATTERN: the last command's output matches the extended regexp
    n=$((n + 1))
    if echo "$out" | grep -Eq -- "$2"; then echo "ok $n - $1"
    else echo "not ok $n - $1: no line matches /$2/"; echo "$out" | sed 's/^/# /'; fi
}
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@" >/dev/null; }

psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null

check "no connection string: usage error" 3 "$root/scripts/validate"
check "unknown option: usage error" 3 "$root/scripts/validate" --colour "$conn"
check "bad period: usage error" 3 "$root/scripts/validate" --period 30/06/2017 "$conn"
check "unknown database: connection error" 3 "$root/scripts/validate" "dbname=no_such_database_here"
check "database without da_stats: error" 3 "$root/scripts/validate" "$conn"
sql -c "CREATE EXTENSION da_stats" -c "SELECT da.create_warehouse()"
check "no returns loaded: clean" 0 "$root/scripts/validate" "$conn"
check "impossible date: database error" 3 "$root/scripts/validate" --period 2017-02-30 "$conn"

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
expect "summary line" '^period ending 2017-06-30: 0 errors, 0 warnings, 0 info$'
check "default period is the latest: exit 0" 0 "$root/scripts/validate" "$conn"
expect "the latest period is 2017-06-30" '^period ending 2017-06-30:'
# A date that ends no stored period is an error, never "all clear" (issue 11), and records nothing.
check "a date inside a period: error" 3 "$root/scripts/validate" --period 2017-06-15 "$conn"
expect "it says no stored period ends then" 'no stored period ends on 2017-06-15'
check "--record, a date that ends no period: error" 3 "$root/scripts/validate" --record --period 2010-06-30 "$conn"

# A warning only: Kent's arrests jump by 70%.
sql -c "UPDATE da.force_return SET value = 850 WHERE force_id = 'kent' AND measure_id = 'da_arrests' AND period_end = '2017-06-30'"
check "a jump: warnings only, exit 1" 1 "$root/scripts/validate" --period=2017-06-30 "$conn"
expect "one line per finding: severity, force, measure, rule, message" \
       '^warning +kent +da_arrests +count_jump +Kent, 12 months to 30 June 2017: Arrests for DA-related offences changed by \+70\.0%'
# The same finding tuned down to info: printed, but nothing to stop a pipeline.
sql -c "UPDATE da.validation_rule SET severity = 'info' WHERE rule IN ('count_jump', 'rate_jump', 'funnel_99_8')"
check "info only: exit 0" 0 "$root/scripts/validate" --period 2017-06-30 "$conn"
expect "info findings are printed" '^info +kent +da_arrests +count_jump '
sql -c "UPDATE da.validation_rule SET severity = NULL WHERE rule IN ('count_jump', 'rate_jump', 'funnel_99_8')"

# An error: Essex returns more DA crimes than all crime; and a row rejected at ingest.
sql -c "UPDATE da.force_return SET value = 9500 WHERE force_id = 'essex' AND measure_id = 'da_crimes' AND period_end = '2017-06-30'"
sql <<'SQL'
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
VALUES ('Kent Police', '2016-07-01', '2017-06-30', 'dvpo_granted', '-3');
SELECT da.ingest_returns('validate.sh, second load');
SQL
check "part above total: errors, exit 2" 2 "$root/scripts/validate" --period 2017-06-30 "$conn"
expect "errors come first" '^error +essex +da_crimes +part_exceeds_total '
expect "the rejected row, under the force it resolves to" '^error +kent +dvpo_granted +rejected_row +Kent, .*: line 2 of load 2 \(dvpo_granted = -3\) was rejected: negative value\.'
expect "summary counts" '^period ending 2017-06-30: 2 errors, [0-9]+ warnings, [0-9]+ info$'
check "--record: the same findings, exit 2" 2 "$root/scripts/validate" --record --period 2017-06-30 "$conn"
expect "--record says the run id" '\(recorded as run [0-9]+\)$'
n=$((n + 1))
recorded=$(psql -X -A -t -d "$db" -c "SELECT count(*) FILTER (WHERE rule = 'part_exceeds_total') || ' ' || count(DISTINCT run_id) FROM da.validation_finding")
runs=$(psql -X -A -t -d "$db" -c "SELECT errors || ' ' || period_end FROM da.validation_run")
if [ "$recorded" = "1 1" ] && [ "$runs" = "2 2017-06-30" ]; then echo "ok $n - findings and run recorded"
else echo "not ok $n - recorded '$recorded', runs '$runs'"; fi

# Tuning and rules of one's own survive pg_dump / restore (the shipped defaults are not dumped).
sql <<'SQL'
UPDATE da.validation_rule SET threshold = 30 WHERE rule = 'count_jump';
INSERT INTO da.setting VALUES ('national_min_forces', 5);
UPDATE da.validation_rule SET enabled = false WHERE rule = 'funnel_95';
INSERT INTO da.validation_rule (rule, severity, description, query)
VALUES ('no_arrests', 'info', 'DA crimes but no arrests',
        'SELECT force_id, measure_id, value AS observed, NULL AS expected_or_limit, ''No arrests.'' AS message
         FROM da.force_return WHERE period_end = $1 AND measure_id = ''da_arrests'' AND value = 0');
SQL
restored=${db}_restored
psql -X -q -c "DROP DATABASE IF EXISTS $restored" -c "CREATE DATABASE $restored" >/dev/null 2>&1
n=$((n + 1))
if pg_dump -d "$db" 2>/dev/null | psql -X -q -v ON_ERROR_STOP=1 -d "$restored" >/dev/null 2>&1; then
    echo "ok $n - pg_dump of a tuned database restores"
else echo "not ok $n - pg_dump of a tuned database restores"; fi
n=$((n + 1))
rules=$(psql -X -A -t -d "$restored" -c "SELECT string_agg(rule || ':' || coalesce(threshold::text, '-') || ':' || enabled || ':' || builtin, ' ' ORDER BY rule)
                                          FROM da.validation_rule WHERE rule IN ('count_jump', 'funnel_95', 'no_arrests', 'rate_jump')")
want="count_jump:30:true:true funnel_95:-:false:true no_arrests:-:true:false rate_jump:15:true:true"
if [ "$rules" = "$want" ]; then echo "ok $n - tuned and own rules survive the restore"
else echo "not ok $n - rules after restore: '$rules'"; fi
n=$((n + 1))
setting=$(psql -X -A -t -d "$restored" -c "SELECT name || '=' || value || ' (default ' || default_value || ')' FROM da.settings WHERE name = 'national_min_forces'")
if [ "$setting" = "national_min_forces=5 (default 3)" ]; then echo "ok $n - a tuned setting survives the restore"
else echo "not ok $n - settings after restore: '$setting'"; fi
n=$((n + 1))
runs=$(psql -X -A -t -d "$restored" -c "SELECT count(*) || ' ' || (SELECT count(*) FROM da.validation_finding) || ' ' || nextval('da.validation_run_run_id_seq') FROM da.validation_run")
if [ "$runs" = "1 $(psql -X -A -t -d "$db" -c "SELECT count(*) FROM da.validation_finding") $(psql -X -A -t -d "$db" -c "SELECT last_value + 1 FROM da.validation_run_run_id_seq")" ]; then echo "ok $n - recorded runs survive; run ids continue"
else echo "not ok $n - runs after restore: '$runs'"; fi
psql -X -q -c "DROP DATABASE $restored" >/dev/null

psql -X -q -c "DROP DATABASE $db" >/dev/null
