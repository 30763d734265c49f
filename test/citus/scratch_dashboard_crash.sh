#!/usr/bin/env bash
# Scratch: as a force-limited role on Citus, da.dashboard crashes the coordinator (signal 11)
# while each of its parts works alone. Run against a throwaway cluster:
#   DS_PG_PREFIX=... DS_CITUS_PORT=55811 bash scripts/citus.sh run bash test/citus/scratch_dashboard_crash.sh
cd "$(dirname "$0")/../.."
psql -X -q -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' -c 'SELECT count(*) FROM da.distribute_warehouse()' >/dev/null
psql -X -q -v root=$PWD -f test/citus/warehouse_load.sql >/dev/null 2>&1 || echo "workload failed"
psql -X -q -c "SET client_min_messages = warning" -c "CREATE ROLE da_citus_kent LOGIN" -c "SELECT da.grant_access('da_citus_kent', 'analyst', ARRAY['kent'])" >/dev/null
echo "--- SELECT count(*) FROM da.force_return"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM da.force_return" 2>&1 | tail -2; sleep 6
echo "--- SELECT count(*) FROM da.indicator_input"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM da.indicator_input" 2>&1 | tail -2; sleep 6
echo "--- SELECT count(*) FROM da.indicator_values('2018-03-31')"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM da.indicator_values('2018-03-31')" 2>&1 | tail -2; sleep 6
echo "--- SELECT count(*) FROM da.funnel_positions('2018-03-31')"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM da.funnel_positions('2018-03-31')" 2>&1 | tail -2; sleep 6
echo "--- SELECT count(*) FROM da.national_totals"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM da.national_totals" 2>&1 | tail -2; sleep 6
echo "--- SELECT count(*) FROM (SELECT x.force_id FROM da.indicator_input x LEFT JOIN da.indicator_input p ON (p.indicator_id, p.force_id, p.period_start, p.period_end) = (x.indicator_id, x.force_id, da.year_earlier_start(x.period_start), da.year_earlier_end(x.period_end))) s"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM (SELECT x.force_id FROM da.indicator_input x LEFT JOIN da.indicator_input p ON (p.indicator_id, p.force_id, p.period_start, p.period_end) = (x.indicator_id, x.force_id, da.year_earlier_start(x.period_start), da.year_earlier_end(x.period_end))) s" 2>&1 | tail -2; sleep 6
echo "--- SELECT count(*) FROM da.dashboard"; psql -X -At -c "SET ROLE da_citus_kent" -c "SELECT count(*) FROM da.dashboard" 2>&1 | tail -2; sleep 6
sleep 2
for f in $PGHOST/node*.log; do echo "=== $f"; grep -E "PANIC|terminated by signal|TRAP|server process|was terminated" -A3 $f | head -20; done
