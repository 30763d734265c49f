#!/usr/bin/env bash
# Scheduled validation under pg_cron, for real: the test cluster preloads pg_cron
# (scripts/lib.sh) with cron.database_name = da_stats_cron. da.schedule_validation() every
# minute (pg_cron 1.4 has no seconds schedules), wait for the run (up to 90 s), check the run
# and its findings were recorded, unschedule. Prints TAP lines.
set -u
db=da_stats_cron
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
n=0
tap() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

q -c "SET client_min_messages = warning" -c "DROP EXTENSION IF EXISTS da_stats CASCADE" \
  -c "CREATE EXTENSION IF NOT EXISTS pg_cron" -c "CREATE EXTENSION da_stats" -c "SELECT da.create_warehouse()" >/dev/null
# A return that trips a rule: DA crimes above all crime.
q >/dev/null <<'SQL'
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
VALUES ('kent', '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', '1000'),
       ('kent', '2016-07-01', '2017-06-30', 'da_crimes', '1500');
SELECT da.ingest_returns('pg_cron.sh');
SQL
job=$(q -c "SELECT da.schedule_validation('* * * * *', 'da-validate-test')" 2>&1)
[[ "$job" =~ ^[0-9]+$ ]] && tap ok "job scheduled (id $job)" || tap fail "job scheduled: $job"
again=$(q -c "SELECT da.schedule_validation('* * * * *', 'da-validate-test')" 2>&1)
[ "$again" = "$job" ] && tap ok "scheduling the same name again replaces the job" || tap fail "same name again gave '$again'"
cmd=$(q -c "SELECT command || ' / ' || schedule FROM cron.job WHERE jobid = ${job:-0}")
expected_cmd=$(q -c "SELECT da.validation_job_command('da-validate-test') || ' / * * * * *'")
[ "$cmd" = "$expected_cmd" ] && [[ "$cmd" == *"PERFORM da.run_validation()"* ]] \
    && tap ok "the job runs da.run_validation() (guarded)" || tap fail "job command '$cmd'"

status=""
for _ in $(seq 1 90); do
    status=$(q -c "SELECT status FROM cron.job_run_details WHERE jobid = ${job:-0} AND status IN ('succeeded', 'failed') LIMIT 1")
    [ -n "$status" ] && break
    sleep 1
done
[ "$status" = succeeded ] && tap ok "pg_cron ran the job" \
    || tap fail "pg_cron ran the job (status '${status:-none after 90 s}': $(q -c "SELECT return_message FROM cron.job_run_details WHERE jobid = ${job:-0} LIMIT 1"))"

found=$(q -c "SELECT count(*) FROM da.validation_finding WHERE rule = 'part_exceeds_total' AND force_id = 'kent' AND period_end = '2017-06-30'")
[ "${found:-0}" -ge 1 ] 2>/dev/null && tap ok "the run recorded its findings in da.validation_finding" \
    || tap fail "the run recorded its findings (found '$found')"
run=$(q -c "SELECT bool_and(r.errors >= 1 AND r.period_end = '2017-06-30' AND f.run_at = r.run_at)
            FROM da.validation_run r JOIN da.validation_finding f USING (run_id)")
[ "$run" = t ] && tap ok "the run is in da.validation_run with its counts and time" || tap fail "run recorded: '$run'"

done_=$(q -c "SELECT da.unschedule_validation('da-validate-test')" 2>&1)
left=$(q -c "SELECT count(*) FROM cron.job WHERE jobname = 'da-validate-test'")
[ "$done_" = t ] && [ "$left" = 0 ] && tap ok "job unscheduled" || tap fail "job unscheduled ('$done_', $left left)"

# DROP EXTENSION leaves no job behind: the job's command finds da_stats gone and unschedules
# itself. Run it as pg_cron would (same command, same user) rather than wait a minute.
job2=$(q -c "SELECT da.schedule_validation('* * * * *', 'da-validate-drop')" 2>&1)
cmd2=$(q -c "SELECT command FROM cron.job WHERE jobid = ${job2:-0}")
q -c "DROP EXTENSION da_stats CASCADE" >/dev/null
before=$(q -c "SELECT count(*) FROM cron.job WHERE jobname = 'da-validate-drop'")
out=$(q -c "$cmd2" 2>&1)
after=$(q -c "SELECT count(*) FROM cron.job WHERE jobname = 'da-validate-drop'")
[ "$before" = 1 ] && [ "$after" = 0 ] && [ -z "$out" ] \
    && tap ok "after DROP EXTENSION the job's next run unschedules it (jobs: $before -> $after)" \
    || tap fail "job after DROP EXTENSION: $before -> $after ($out)"
q -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'da-validate-drop'" >/dev/null
