#!/usr/bin/env bash
# Scheduled validation under pg_cron, for real: the test cluster preloads pg_cron
# (scripts/lib.sh) with cron.database_name = da_stats_cron. Schedule da.run_validation() every
# minute, wait for the run, and check that the findings were appended. Prints TAP lines.
set -u
db=da_stats_cron
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
n=0
tap() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

q -c "DROP EXTENSION IF EXISTS da_stats CASCADE" -c "CREATE EXTENSION IF NOT EXISTS pg_cron" \
  -c "CREATE EXTENSION da_stats" >/dev/null
# A return that trips a rule: DA crimes above all crime.
q >/dev/null <<'SQL'
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
VALUES ('kent', '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', '1000'),
       ('kent', '2016-07-01', '2017-06-30', 'da_crimes', '1500');
SELECT da.ingest_returns('pg_cron.sh');
SQL
job=$(q -c "SELECT cron.schedule('da-validate-test', '* * * * *', 'SELECT da.run_validation()')")
[ -n "$job" ] && tap ok "job scheduled (id $job)" || tap fail "job scheduled"

status=""
for _ in $(seq 1 90); do
    status=$(q -c "SELECT status FROM cron.job_run_details WHERE jobid = $job AND status IN ('succeeded', 'failed') LIMIT 1")
    [ -n "$status" ] && break
    sleep 1
done
[ "$status" = succeeded ] && tap ok "pg_cron ran the job" \
    || tap fail "pg_cron ran the job (status '${status:-none after 90 s}': $(q -c "SELECT return_message FROM cron.job_run_details WHERE jobid = $job LIMIT 1"))"

found=$(q -c "SELECT count(*) FROM da.validation_finding WHERE rule = 'part_exceeds_total' AND force_id = 'kent' AND period_end = '2017-06-30'")
[ "$found" -ge 1 ] 2>/dev/null && tap ok "the run appended its findings to da.validation_finding" \
    || tap fail "the run appended its findings (found '$found')"
runs=$(q -c "SELECT count(DISTINCT run_id) > 0 AND bool_and(run_at IS NOT NULL) FROM da.validation_finding")
[ "$runs" = t ] && tap ok "findings carry a run id and time" || tap fail "findings carry a run id and time"

q -c "SELECT cron.unschedule($job)" >/dev/null && tap ok "job unscheduled" || tap fail "job unscheduled"
q -c "DROP EXTENSION da_stats CASCADE" >/dev/null
