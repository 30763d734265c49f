#!/usr/bin/env bash
# The warehouse distributed (issue 10): on the coordinator, the Citus database gets
# da.create_warehouse() + da.distribute_warehouse(), and a second database without the citus
# extension gets the same warehouse on one node. The same workload (warehouse_load.sql: the
# demo data, a synthetic 43-force x 10-year warehouse, outcomes, corrections, an identical
# reload, rejects, MARAC quarters, a recorded validation) runs in both, then two loads at once;
# every table, view and function the issue lists must give the same rows in both, also for a
# force-limited analyst (row-level security on the workers). Run by run.sh with the cluster up
# (PGHOST/PGPORT name the coordinator). Prints TAP lines.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dist=${PGDATABASE:-postgres} single=da_citus_single
n=0 bad=0
tap() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else bad=$((bad + 1)); echo "not ok $n - $2"; fi; }
q() { local db=$1; shift; psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }

q postgres -c "DROP DATABASE IF EXISTS $single" -c "CREATE DATABASE $single" >/dev/null 2>&1
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$single'" >/dev/null 2>&1' EXIT
q "$single" -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' >/dev/null

# Set-up on the Citus side: errors first, then the conversion, then a second call.
out=$(q "$single" -c 'SELECT * FROM da.distribute_warehouse()' 2>&1)
[[ "$out" == *"Citus is not installed in this database"* ]] \
    && tap ok "without Citus, da.distribute_warehouse() fails clearly" || tap fail "without Citus: $out"
out=$(q "$dist" -c 'SELECT * FROM da.distribute_warehouse()' 2>&1)
[[ "$out" == *"SELECT da.create_warehouse() first"* ]] \
    && tap ok "before create_warehouse, da.distribute_warehouse() says what to do" || tap fail "no warehouse: $out"
q "$dist" -c 'SELECT da.create_warehouse()' >/dev/null
out=$(q "$dist" -c "SELECT t || ':' || c || '/' || a FROM (SELECT citus_table_type AS t, count(*) FILTER (WHERE changed) AS c,
                      count(*) AS a FROM da.distribute_warehouse() GROUP BY citus_table_type) s ORDER BY 1" 2>&1 | paste -sd' ')
[ "$out" = "distributed by force_id:6/6 none (coordinator only):4/4 reference:12/12" ] \
    && tap ok "da.distribute_warehouse(): 6 distributed, 12 reference, 4 coordinator tables" || tap fail "distribute: $out"
out=$(q "$dist" -c "SELECT count(*) FILTER (WHERE changed) FROM da.distribute_warehouse()" 2>&1)
[ "$out" = 0 ] && tap ok "called again, it changes nothing" || tap fail "second call: $out"
# Shards (0.6): one per worker unless the session set citus.shard_count or the call gives a count.
shards() { q "$dist" -c "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'da.force_return'::regclass" 2>&1; }
workers=$(q "$dist" -c "SELECT count(*) FROM citus_get_active_worker_nodes()")
out=$(shards)
[ "$out" = "$workers" ] && tap ok "by default, one shard per worker ($out shards, $workers workers)" \
    || tap fail "default shard count: $out shards, $workers workers"
out=$(q "$dist" -c "SELECT count(*) FROM da.distribute_warehouse(0)" 2>&1)
[[ "$out" == *"shard_count must be between 1 and 64000, not 0"* ]] && tap ok "a shard count below 1 is refused clearly" \
    || tap fail "shard_count 0: $out"
out=$(q "$dist" -c "SELECT count(*) FILTER (WHERE changed) FROM da.distribute_warehouse(5)" -c "SELECT current_setting('citus.shard_count')" 2>&1 | paste -sd' ')
[ "$out" = "0 32" ] && [ "$(shards)" = "$workers" ] \
    && tap ok "a distributed warehouse is left as it is whatever the count, and the session's setting is untouched" \
    || tap fail "distribute_warehouse(5) on a distributed warehouse: $out, $(shards) shards"
out=$(q "$dist" -c "SELECT count(DISTINCT colocationid) || ' ' || string_agg(DISTINCT partmethod::text, '')
                     FROM pg_dist_partition WHERE logicalrelid::text LIKE 'da.force_return%'")
[ "$out" = "1 h" ] && tap ok "the four per-force tables are hash-distributed and co-located" || tap fail "co-location: $out"
# MARAC returns and their history (0.6): distributed by force_id with the force returns.
out=$(q "$dist" -c "SELECT count(DISTINCT colocationid) || ' ' || string_agg(DISTINCT partmethod::text, '') || ' '
                           || count(*) FILTER (WHERE logicalrelid::text LIKE 'da.marac_return%')
                     FROM pg_dist_partition WHERE logicalrelid::text LIKE 'da.force_return%' OR logicalrelid::text LIKE 'da.marac_return%'")
[ "$out" = "1 h 2" ] && tap ok "da.marac_return and its history are hash-distributed, co-located with the force returns" \
    || tap fail "MARAC co-location: $out"
out=$(q "$dist" -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN
                     ('da.force_return', 'da.force_return_outcomes', 'da.force_return_history', 'da.analyst_force', 'da.indicator')")
[ "$out" = 7 ] && tap ok "the warehouse's keys are back after the conversion ($out on the converted tables)" || tap fail "keys: $out"

# The same workload in both.
for db in "$dist" "$single"; do
    if ! (cd "$root" && q "$db" -v root="$root" -f test/citus/warehouse_load.sql) >"/tmp/da_citus_wh_$db.log" 2>&1; then
        tap fail "the workload ran in $db: $(grep -m3 ERROR "/tmp/da_citus_wh_$db.log")"
    else
        tap ok "the workload ran in $db (ingest, corrections, reload, rejects, MARAC, validation)"
    fi
done

# Two loads at once, different forces, in each database: both must land, none lost.
concurrent() {
    local db=$1 a
    for a in Essex Surrey; do
        q "$db" -c "INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
                    SELECT '$a', make_date(y, 4, 1), make_date(y + 1, 3, 31), 'da_suspects_bail', (y * 3)::text, 'concurrent'
                    FROM generate_series(2009, 2018) y" \
             -c "SELECT inserted FROM da.ingest_returns('concurrent $a')" >"/tmp/da_citus_cc_${db}_$a" 2>&1 &
    done
    wait
}
concurrent "$dist"; concurrent "$single"
out=$(q "$dist" -c "SELECT count(*) FROM da.force_return WHERE measure_id = 'da_suspects_bail'")
[ "$out" = 20 ] && tap ok "two loads at once on Citus: both landed (20 rows)" || tap fail "concurrent loads: $out rows"

# Same rows in both databases. Identity columns drawn from sequences (history ids, run ids)
# and times are left out: Citus hands each node its own sequence range.
# same LABEL QUERY [ROLE]: the query's rows, as ROLE when given.
same() {
    local label=$1 sql=$2 role=${3:-} pre="" a b rows
    [ -z "$role" ] || pre="SET ROLE $role;"
    a=$(q "$dist" -c "$pre $sql" 2>&1 | md5sum)
    b=$(q "$single" -c "$pre $sql" 2>&1 | md5sum)
    rows=$(q "$single" -c "$pre SELECT count(*) FROM ($sql) s" 2>&1)
    if [ "$a" = "$b" ] && [[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -gt 0 ]; then
        tap ok "same as one node: $label ($rows rows)"
    else
        tap fail "same as one node: $label (rows: $rows; citus: $(q "$dist" -c "$pre $sql" 2>&1 | head -n 2 | tr '\n' ' '))"
    fi
}
same "ingest accounting" "SELECT step, load_id, inserted, updated, unchanged, rejected FROM public.ingest_result ORDER BY 1, 2"
# The two concurrent loads take their load ids in whichever order they reach the lock.
same "da.return_load" "SELECT CASE WHEN source LIKE 'concurrent%' THEN NULL ELSE load_id END, kind, source, staged, inserted, updated, unchanged, rejected FROM da.return_load ORDER BY 3, 1"
same "da.force_return" "SELECT force_id, period_start, period_end, measure_id, value, source, CASE WHEN source = 'concurrent' THEN NULL ELSE load_id END FROM da.force_return ORDER BY 1, 2, 3, 4"
same "da.force_return_history" "SELECT force_id, period_end, measure_id, old_value, new_value, load_id FROM da.force_return_history ORDER BY 1, 2, 3, 6"
same "da.force_return_outcomes" "SELECT force_id, period_start, period_end, outcomes::text, load_id FROM da.force_return_outcomes ORDER BY 1, 2, 3"
same "da.rejected_return" "SELECT load_id, line_no, force, measure, value, reason FROM da.rejected_return ORDER BY 1, 2"
same "da.marac_return" "SELECT * FROM (SELECT marac_id, force_id, quarter_start, quarter_end, cases, repeat_cases, children, adult_females, load_id FROM da.marac_return) r ORDER BY 1, 3"
same "da.marac_return_history" "SELECT force_id, marac_id, quarter_end, old_cases, new_cases, old_load_id, load_id FROM da.marac_return_history ORDER BY 1, 2, 3, 7"
same "da.rejected_marac_return" "SELECT load_id, line_no, marac, force, period_end, reason, marac_force_id FROM da.rejected_marac_return ORDER BY 1, 2"
same "da.dashboard" "SELECT d::text FROM da.dashboard d ORDER BY force_id, period_start, period_end, indicator_id"
same "da.national_totals" "SELECT n::text FROM da.national_totals n ORDER BY measure_id, period_start, period_end"
same "da.national_total" "SELECT t::text FROM da.national_total('da_crimes', '2017-04-01', '2018-03-31') t"
same "da.national_change" "SELECT t::text FROM da.national_change('da_arrests', '2014-04-01', '2015-03-31') t"
same "da.national_indicator_change" "SELECT t::text FROM da.national_indicator_change('arrests_per_100', '2014-04-01', '2015-03-31') t"
same "da.indicator_national()" "SELECT t::text FROM da.indicator_national() t ORDER BY 1"
same "da.marac" "SELECT m::text FROM da.marac m ORDER BY 1"
same "da.marac_quarter_status" "SELECT m::text FROM da.marac_quarter_status m ORDER BY 1"
same "da.marac_12_months" "SELECT m::text FROM da.marac_12_months m ORDER BY 1"
same "da.force_return_wide" "SELECT w::text FROM da.force_return_wide w ORDER BY 1"
same "da.force_outcome_table" "SELECT o::text FROM da.force_outcome_table o ORDER BY 1"
same "da.validate_returns" "SELECT v::text FROM da.validate_returns('2018-03-31') v ORDER BY 1"
same "recorded findings (run_validation)" "SELECT rule, severity, force_id, measure_id, period_end, message FROM da.validation_finding ORDER BY 1, 3, 4, 6"
same "da.funnel_positions" "SELECT p::text FROM da.funnel_positions('2018-03-31') p ORDER BY 1"
same "da.funnel_baselines_each()" "SELECT b::text FROM da.funnel_baselines_each() b ORDER BY 1"
same "da.dashboard, one period end" "SELECT d::text FROM da.dashboard d WHERE period_end = '2018-03-31' ORDER BY 1"

# Citus runs a task on the coordinator's own placements over a connection instead of
# in-process when local execution is off (and in a transaction
# that already reached them over a connection); a function asked inside such a task may not
# run a distributed query of its own (0.5's national_totals, funnel_positions and
# validate_rejected did). The
# same answers then too.
for x in "da.national_totals|SELECT n::text FROM da.national_totals n ORDER BY measure_id, period_start, period_end" \
         "da.validate_returns|SELECT v::text FROM da.validate_returns('2018-03-31') v ORDER BY 1" \
         "da.funnel_positions|SELECT p::text FROM da.funnel_positions('2018-03-31') p ORDER BY 1" \
         "da.dashboard|SELECT d::text FROM da.dashboard d ORDER BY force_id, period_start, period_end, indicator_id" \
         "da.national_change|SELECT t::text FROM da.national_change('da_arrests', '2014-04-01', '2015-03-31') t" \
         "da.indicator_national()|SELECT t::text FROM da.indicator_national() t ORDER BY 1" \
         "da.marac_12_months|SELECT m::text FROM da.marac_12_months m ORDER BY 1"; do
    label=${x%%|*} sql=${x#*|}
    a=$(q "$dist" -c "SET citus.enable_local_execution = off" -c "$sql" 2>&1 | md5sum)
    b=$(q "$single" -c "$sql" 2>&1 | md5sum)
    [ "$a" = "$b" ] && tap ok "same as one node with local execution off: $label" \
        || tap fail "local execution off: $label: $(q "$dist" -c "SET citus.enable_local_execution = off" -c "$sql" 2>&1 | grep -m1 ERROR)"
done

# Row-level security by force on the workers: an analyst of Kent sees Kent only, in both.
# A login role: Citus connects to the workers as the current user. Citus creates it there.
q "$dist" -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS da_citus_kent" -c "CREATE ROLE da_citus_kent LOGIN" >/dev/null
for db in "$dist" "$single"; do
    q "$db" -c "SELECT da.grant_access('da_citus_kent', 'analyst', ARRAY['kent'])" >/dev/null 2>&1
done
# Work runs on the workers: the views over the force tables run whole on each shard (one task
# per shard, no subplan gathering rows to the coordinator), and the per-force step of the
# national totals is a partial aggregate in the shard tasks.
plan() { q "$dist" -c "EXPLAIN (VERBOSE, COSTS OFF) $1" 2>&1; }
for v in da.indicator_input da.force_return_wide da.marac da.marac_quarter_status da.marac_12_months; do
    p=$(plan "SELECT * FROM $v")
    if grep -Eq 'Task Count: ([2-9]|[1-9][0-9]+)$' <<<"$p" && ! grep -q 'Distributed Subplan' <<<"$p" && grep -q 'GROUP BY\|Aggregate' <<<"$p"; then
        tap ok "EXPLAIN $v: whole on the workers (a task per shard, no subplan)"
    else
        tap fail "EXPLAIN $v: $(grep -m3 'Task Count\|Subplan' <<<"$p" | tr '\n' ' ')"
    fi
done
# The dashboard (0.5): its per-force step (the inputs, the year earlier, the funnel positions)
# runs whole on the workers, a task per shard; its only subplans are the two set-returning
# functions (national figures, funnel baselines), shipped to the shards as intermediate
# results; no subplan reads a force table. pushed_down PLAN prints nothing when that holds.
pushed_down() {
    local p=$1 subplans
    # The top level's task count (two spaces in; a subplan's own are deeper).
    grep -Eq '^  Task Count: ([2-9]|[1-9][0-9]+)$' <<<"$p" || { echo "no task per shard at the top level"; return; }
    subplans=$(grep -A1 'Distributed Subplan' <<<"$p" | grep -Ev 'Distributed Subplan|^--$' | sed -E 's/^ *-> *//; s/ +\(.*//' | sort | paste -sd',')
    [ "$subplans" = "Function Scan on da.funnel_baselines_each b,Function Scan on da.indicator_national n" ] || echo "subplans: $subplans"
    grep -q 'read_intermediate_result' <<<"$p" || echo "the functions' rows do not reach the shards"
    grep -q 'force_return_[0-9]' <<<"$p" || echo "no shard of force_return in the tasks"
}
for w in "" " WHERE period_end = '2018-03-31'"; do
    out=$(pushed_down "$(plan "SELECT * FROM da.dashboard$w")")
    [ -z "$out" ] && tap ok "EXPLAIN da.dashboard$w: whole on the workers (a task per shard; subplans: the two functions only)" \
                  || tap fail "EXPLAIN da.dashboard$w: $out"
done
# Control (the checker can fail): a reference table joined beside the functions' rows at the
# outer level makes Citus plan each UNION ALL leg of da.indicator_input as a subplan (the 0.4
# dashboard's shape).
out=$(pushed_down "$(plan "SELECT * FROM da.indicator_input x JOIN da.force f USING (force_id)
      LEFT JOIN da.indicator_national() n USING (indicator_id, period_start, period_end)
      LEFT JOIN da.funnel_baselines_each() b USING (indicator_id, period_start, period_end)")")
[ -n "$out" ] && tap ok "control: a reference table at the outer level is seen as not pushed down ($out)" \
              || tap fail "control: the plan check did not see the subplans of the UNION ALL legs"
p=$(plan "SELECT r.measure_id, r.period_end, sum(r.value), count(r.value) FROM da.force_return r JOIN da.force f USING (force_id) WHERE f.in_national_total GROUP BY 1, 2")
grep -Eq 'Task Count: ([2-9]|[1-9][0-9]+)$' <<<"$p" && grep -q 'sum(' <<<"$p" && ! grep -q 'Distributed Subplan' <<<"$p" \
    && tap ok "EXPLAIN of the national totals' grouped pass: partial sums in the shard tasks" \
    || tap fail "EXPLAIN national totals' pass: $(grep -m3 'Task Count\|Subplan' <<<"$p" | tr '\n' ' ')"
# The national figures and validation are PL/pgSQL: their statements are not in an EXPLAIN of
# the call, so what they send the workers is read instead (citus.log_remote_commands). sent
# QUERY: the distinct shard queries and broadcasts (shard numbers dropped), one a line.
sent() {
    q "$dist" -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = log" -c "$1" 2>&1 >/dev/null \
        | sed -nE 's/^NOTICE:  issuing ((SELECT|WITH|COPY) .*)/\1/p' | sed -E 's/_[0-9]{5,}\b//g' | sort -u
}
# shard_agg LABEL QUERY N AGG...: N distinct shard queries, every one aggregating (GROUP BY
# or an ungrouped aggregate) with each AGG in it, and nothing broadcast to the workers.
shard_agg() {
    local label=$1 sql=$2 want=$3 s a ok=ok; shift 3
    s=$(sent "$sql")
    [ "$(grep -c . <<<"$s")" = "$want" ] || ok=fail
    grep -q '^COPY' <<<"$s" && ok=fail
    for a in "$@"; do [ "$(grep -c -F "$a" <<<"$s")" = "$want" ] || ok=fail; done
    tap $ok "$label: $want shard quer$([ "$want" = 1 ] && echo y || echo ies) aggregating on the workers ($*), nothing broadcast $([ $ok = ok ] || echo ": $(cut -c1-300 <<<"$s" | tr '\n' ' ')")"
}
shard_agg "da.indicator_national()" "SELECT count(*) FROM da.indicator_national()" 1 'sum(' 'bit_or(' 'GROUP BY'
# da.national_totals_each (0.4) sends its numbered forces (43 rows) to the workers first.
s=$(sent "SELECT count(*) FROM da.national_totals")
[ "$(grep -c '^SELECT' <<<"$s")" = 1 ] && [ "$(grep '^SELECT' <<<"$s" | grep -c 'bit_or(.*GROUP BY')" = 1 ] \
    && tap ok "da.national_totals: 1 shard query aggregating on the workers (sum, bit_or, GROUP BY)" \
    || tap fail "da.national_totals' shard queries: $(cut -c1-300 <<<"$s" | tr '\n' ' ')"
shard_agg "da.national_total" "SELECT * FROM da.national_total('da_crimes', '2017-04-01', '2018-03-31')" 1 'sum(' 'array_agg('
shard_agg "da.national_change" "SELECT * FROM da.national_change('da_arrests', '2014-04-01', '2015-03-31')" 1 'sum(' 'GROUP BY r.force_id'
shard_agg "da.national_indicator_change" "SELECT * FROM da.national_indicator_change('arrests_per_100', '2014-04-01', '2015-03-31')" 1 'sum(' 'GROUP BY'
# Validation (0.6): the built-in checks run per force on the workers. per_force_step SENT FUNC...
# prints what is wrong with the shard queries SENT (nothing when the shape holds): each FUNC
# (a per-force function) is called by exactly one distinct shard query, every shard query but
# the period check (LIMIT 1, no grouping) calls one of them over rows grouped by force_id, and
# nothing is sent back to the workers (no COPY of an intermediate result, no shard query
# reading one).
per_force_step() {
    local s=$1 q f hit problems=""; shift
    grep -q '^COPY' <<<"$s" && problems+="a COPY of an intermediate result; "
    grep -q 'read_intermediate_result' <<<"$s" && problems+="a shard query reads an intermediate result; "
    while IFS= read -r q; do
        [ -n "$q" ] || continue
        if grep -q "LIMIT '1'" <<<"$q" && ! grep -q 'GROUP BY' <<<"$q"; then continue; fi
        hit=""
        for f in "$@"; do grep -qF "da.$f(" <<<"$q" && hit=1; done
        [ -n "$hit" ] && grep -Eq 'GROUP BY [a-z0-9_]+\.force_id' <<<"$q" \
            || problems+="not a per-force step: $(cut -c1-150 <<<"$q"); "
    done <<<"$(grep '^SELECT' <<<"$s")"
    for f in "$@"; do
        [ "$(grep -cF "da.$f(" <<<"$s")" = 1 ] || problems+="da.$f in $(grep -cF "da.$f(" <<<"$s") distinct shard queries; "
    done
    echo "$problems"
}
# da.validate_returns sends three: the period check; every force's values of the period, worked
# out per force (da.indicator_values_of; the coordinator makes the funnel baselines from them);
# and every check of each force over both years' returns and outcome rows
# (da.validate_builtin_force, the baselines passed in as values). Only findings come back. A
# rejected row ends on this period, so da.validate_rejected adds its two reads of the period's
# stored rows (alias y, gathered as columns; 0.5's shape, left as it is).
s_all=$(sent "SELECT count(*) FROM da.validate_returns('2018-03-31')")
s=$(grep -v ' y WHERE' <<<"$s_all")
out=$(per_force_step "$s" indicator_values_of validate_builtin_force)
[ "$(grep -c ' y WHERE' <<<"$s_all")" = 2 ] || out+="da.validate_rejected: $(grep -c ' y WHERE' <<<"$s_all") reads, not 2; "
if [ -z "$out" ] && [ "$(grep -c '^SELECT' <<<"$s")" = 3 ] \
   && grep -F 'da.validate_builtin_force(' <<<"$s" | grep -qF "ANY (ARRAY['2018-03-31'::date, da.year_earlier_end('2018-03-31'::date)])"; then
    tap ok "da.validate_returns: 3 shard queries (the period check; per force on the workers: the values for the funnel baselines, then every check of both years' rows) and the rejected rows' 2; nothing broadcast"
else
    tap fail "da.validate_returns' shard queries: ${out}$(grep -c '^SELECT' <<<"$s") in all: $(cut -c1-200 <<<"$s" | tr '\n' ' ')"
fi
# Control (the checker can fail): 0.5's read, both years' returns gathered as columns on the
# coordinator, is no per-force step.
out=$(per_force_step "$(sent "SELECT cardinality(x.v) FROM (SELECT array_agg(r.value) AS v FROM da.force_return r
                                WHERE r.period_end IN ('2018-03-31', '2017-03-31')) x")" validate_builtin_force)
[ -n "$out" ] && tap ok "control: rows gathered as columns are seen as no per-force step ($(cut -c1-80 <<<"$out"))" \
              || tap fail "control: the per-force check passed a read that gathers rows on the coordinator"
shard_agg "da.funnel_positions" "SELECT count(*) FROM da.funnel_positions('2018-03-31')" 2 'array_agg('
# As a Kent analyst (0.4's path: its own values, the baseline from da.funnel_baseline) the
# values' two reads are those of the caller and of the owner, the same two queries, and the
# baseline's withholding counts the national forces (one more aggregating shard query); still
# nothing broadcast.
s=$(sent "SET ROLE da_citus_kent; SELECT count(*) FROM da.funnel_positions('2018-03-31')")
! grep -q '^COPY' <<<"$s" && ! grep -q 'read_intermediate_result' <<<"$s" && [ "$(grep -c ' x WHERE' <<<"$s")" = 2 ] \
    && tap ok "as a Kent analyst: da.funnel_positions sends nothing to the workers (values gathered on them)" \
    || tap fail "as a Kent analyst: da.funnel_positions' shard queries: $(cut -c1-300 <<<"$s" | tr '\n' ' ')"

# A Kent loader (a login role, no write privilege on the returns) loads through the SECURITY
# DEFINER ingest: its Kent row goes in, its Essex row is refused, on both.
q "$dist" -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS da_citus_kent_loader" -c "CREATE ROLE da_citus_kent_loader LOGIN" >/dev/null
for db in "$dist" "$single"; do
    q "$db" -c "SELECT da.grant_access('da_citus_kent_loader', 'loader', ARRAY['kent'])" >/dev/null 2>&1
    q "$db" -U da_citus_kent_loader -c "INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
        ('Kent', '2019-04-01', '2020-03-31', 'da_crimes', '5', 'kent loader'), ('Essex', '2019-04-01', '2020-03-31', 'da_crimes', '6', 'kent loader')" \
        -c "SELECT inserted || ' in, ' || rejected || ' rejected' FROM da.ingest_returns('kent loader')" >"/tmp/da_citus_loader_$db" 2>&1
done
out=$(cat "/tmp/da_citus_loader_$dist")
[ "$out" = "1 in, 1 rejected" ] && tap ok "on Citus a Kent loader's ingest (owner's rights) takes Kent and refuses Essex" || tap fail "Kent loader on Citus: $out"
same "after the Kent loader: its load and rejections" "SELECT r.force, r.reason FROM da.rejected_return r JOIN da.return_load l USING (load_id) WHERE l.source = 'kent loader' ORDER BY 1"
same "as a Kent analyst: da.force_return by force" "SELECT force_id, count(*) FROM da.force_return GROUP BY 1 ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.dashboard" "SELECT d::text FROM da.dashboard d ORDER BY force_id, period_start, period_end, indicator_id" da_citus_kent
same "as a Kent analyst: da.funnel_baselines_each() (withholding)" "SELECT b::text FROM da.funnel_baselines_each() b ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.funnel_positions" "SELECT p::text FROM da.funnel_positions('2018-03-31') p ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.validate_returns" "SELECT v::text FROM da.validate_returns('2018-03-31') v ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.national_totals (withholding)" "SELECT n::text FROM da.national_totals n ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.indicator_national() (withholding)" "SELECT t::text FROM da.indicator_national() t ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.national_change (differencing)" "SELECT t::text FROM da.national_change('da_arrests', '2014-04-01', '2015-03-31') t" da_citus_kent
same "as a Kent analyst: da.national_indicator_change (differencing)" "SELECT t::text FROM da.national_indicator_change('arrests_per_100', '2014-04-01', '2015-03-31') t" da_citus_kent
# A force-limited role takes the other branches (da.funnel_baseline, withholding): the same
# with local execution off. (Not validation: its check of the caller's forces reads pg_roles,
# which a task sent over a connection cannot do for a force-limited role; doc/citus.md.)
for x in "da.funnel_positions|SELECT p::text FROM da.funnel_positions('2018-03-31') p ORDER BY 1" \
         "da.national_totals|SELECT n::text FROM da.national_totals n ORDER BY 1" \
         "da.national_change|SELECT t::text FROM da.national_change('da_arrests', '2014-04-01', '2015-03-31') t"; do
    label=${x%%|*} sql=${x#*|}
    a=$(q "$dist" -c "SET citus.enable_local_execution = off" -c "SET ROLE da_citus_kent" -c "$sql" 2>&1 | md5sum)
    b=$(q "$single" -c "SET ROLE da_citus_kent" -c "$sql" 2>&1 | md5sum)
    [ "$a" = "$b" ] && tap ok "as a Kent analyst with local execution off, same as one node: $label" \
        || tap fail "Kent analyst, local execution off: $label: $(q "$dist" -c "SET citus.enable_local_execution = off" -c "SET ROLE da_citus_kent" -c "$sql" 2>&1 | grep -m1 ERROR)"
done
out=$(q "$dist" -c "SET ROLE da_citus_kent" -c "SELECT string_agg(DISTINCT force_id, ',') FROM da.force_return" 2>&1 | tail -n 1)
[ "$out" = kent ] && tap ok "on Citus a Kent analyst sees only Kent's returns" || tap fail "Kent analyst on Citus sees: $out"
same "as a Kent analyst: da.marac_return by force" "SELECT force_id, count(*) FROM da.marac_return GROUP BY 1 ORDER BY 1" da_citus_kent
same "as a Kent analyst: da.marac_12_months" "SELECT m::text FROM da.marac_12_months m ORDER BY 1" da_citus_kent
out=$(q "$dist" -c "SET ROLE da_citus_kent" -c "SELECT string_agg(DISTINCT force_id, ',') FROM da.marac_return" \
        -c "SELECT string_agg(DISTINCT force_id, ',') FROM da.marac_12_months" 2>&1 | paste -sd' ')
all=$(q "$dist" -c "SELECT string_agg(DISTINCT force_id, ',') FROM da.marac_return")
[ "$out" = "kent kent" ] && [ "$all" = "essex,kent,surrey" ] \
    && tap ok "on Citus a Kent analyst sees only Kent's MARAC returns and figures (the owner sees $all)" \
    || tap fail "Kent analyst's MARAC rows on Citus: $out (owner: $all)"

# A warehouse made by 0.3 on a Citus cluster (the extension then created the tables on every
# node), with rows in it, upgraded and then distributed: the rows are kept, the workers'
# empty copies give way.
q "$dist" -c "SET client_min_messages = warning" -c "DROP SCHEMA da CASCADE" -c "DROP ROLE IF EXISTS da_citus_kent, da_citus_kent_loader" >/dev/null 2>&1
out=$(q "$dist" -c "SET client_min_messages = warning" -c "CREATE EXTENSION da_stats VERSION '0.3'" \
        -c "INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
              ('Kent', '2016-04-01', '2017-03-31', 'da_crimes', '100'), ('Essex', '2016-04-01', '2017-03-31', 'da_crimes', '200')" \
        -c "SELECT inserted FROM da.ingest_returns('at 0.3')" -c "ALTER EXTENSION da_stats UPDATE" \
        -c "SELECT count(*) FILTER (WHERE changed) FROM da.distribute_warehouse()" \
        -c "SELECT string_agg(force_id || '=' || value, ',' ORDER BY force_id) FROM da.force_return" 2>&1 | paste -sd' ')
[ "$out" = "2 22 essex=200,kent=100" ] \
    && tap ok "a 0.3 warehouse on Citus, upgraded, distributes with its rows (workers' leftover copies dropped)" \
    || tap fail "0.3 warehouse upgraded and distributed: $out"

# The count given, or the session's citus.shard_count, decides (0.6).
for how in "SET citus.shard_count = 4|SELECT count(*) FROM da.distribute_warehouse()|4|the session's citus.shard_count" \
           "SET citus.shard_count = 4|SELECT count(*) FROM da.distribute_warehouse(3)|3|the count given (over the session's setting)"; do
    IFS='|' read -r set call want label <<<"$how"
    q "$dist" -c "SET client_min_messages = warning" -c "DROP SCHEMA da CASCADE" -c "CREATE EXTENSION da_stats" \
        -c "SELECT da.create_warehouse()" >/dev/null 2>&1
    q "$dist" -c "$set" -c "$call" >/dev/null 2>&1
    out=$(shards)
    [ "$out" = "$want" ] && tap ok "$label decides the shard count ($out)" || tap fail "$label: $out shards, want $want"
done

# A warehouse made and distributed by 0.4, then updated on the coordinator: the changes of
# later releases to the warehouse's views (da.warehouse_ddl) reach it, and only it (the
# workers hold shards, not the views), so its views are those of a fresh warehouse.
q "$dist" -c "SET client_min_messages = warning" -c "DROP SCHEMA da CASCADE" >/dev/null 2>&1
out=$(q "$dist" -c "SET client_min_messages = warning" -c "CREATE EXTENSION da_stats VERSION '0.4'" \
        -c "SELECT da.create_warehouse()" -c "SELECT count(*) FILTER (WHERE changed) FROM da.distribute_warehouse()" \
        -c "INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
              ('Kent', '2016-04-01', '2017-03-31', 'da_crimes', '100'), ('Kent', '2016-04-01', '2017-03-31', 'da_arrests', '30')" \
        -c "SELECT inserted FROM da.ingest_returns('at 0.4')" \
        -c "INSERT INTO da.marac_area (marac_id, name, force_id) VALUES ('kent_a', 'Kent A', 'kent'), ('essex_a', 'Essex A', 'essex')" \
        -c "INSERT INTO da.marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
              ('kent_a', '2016-04-01', '2016-06-30', '10', '2', '5', '10000'), ('essex_a', '2016-04-01', '2016-06-30', '12', '3', '6', '12000')" \
        -c "SELECT inserted FROM da.ingest_marac('at 0.4')" \
        -c "DROP ROLE IF EXISTS da_citus_marac" -c "CREATE ROLE da_citus_marac LOGIN" \
        -c "SELECT da.grant_access('da_citus_marac', 'analyst', ARRAY['kent'])" \
        -c "ALTER EXTENSION da_stats UPDATE" \
        -c "SELECT extversion FROM pg_extension WHERE extname = 'da_stats'" \
        -c "SELECT value FROM da.dashboard WHERE indicator_id = 'arrests_per_100'" 2>&1 | paste -sd' ')
want="t 22 2 2  $(q "$single" -c "SELECT extversion FROM pg_extension WHERE extname = 'da_stats'") 30.0000"
[ "$out" = "$want" ] && tap ok "a 0.4 warehouse distributed on Citus, updated: its rows and its dashboard work" \
    || tap fail "0.4 warehouse on Citus updated: got '$out', want '$want'"
views() { q "$1" -c "SELECT string_agg(c.relname || ':' || md5(pg_get_viewdef(c.oid)), ' ' ORDER BY c.relname)
                     FROM pg_class c WHERE c.relnamespace = 'da'::regnamespace AND c.relkind = 'v'"; }
[ "$(views "$dist")" = "$(views "$single")" ] \
    && tap ok "its views are those of a fresh warehouse ($(q "$dist" -c "SELECT count(*) FROM da.warehouse_ddl") recorded changes applied)" \
    || tap fail "views after the update differ from a fresh warehouse's: $(diff <(views "$dist" | tr ' ' '\n') <(views "$single" | tr ' ' '\n') | head -5)"
# Where Citus keeps copies of the views on the workers, they are changed there too.
out=$(q "$dist" -c "SELECT DISTINCT CASE WHEN success THEN result ELSE 'no view' END FROM run_command_on_workers(
                      \$\$SELECT md5(pg_get_viewdef('da.dashboard'))\$\$)" 2>&1 | paste -sd' ')
coord=$(q "$dist" -c "SELECT md5(pg_get_viewdef('da.dashboard'))")
[ "$out" = "$coord" ] || [ "$out" = "no view" ] \
    && tap ok "the workers' copy of da.dashboard, if any, is the coordinator's ($out)" \
    || tap fail "workers' da.dashboard differs after the update: $out, coordinator $coord"

# Its MARAC returns, reference tables until 0.6: after the update the ingest takes them (the
# new keys reached the reference tables' placements); da.distribute_warehouse() called again
# distributes them by force_id, co-located, with their rows; the views over them keep their
# grants and comments, and a Kent analyst still sees Kent's MARAC figures only.
staged() { echo "INSERT INTO da.marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES $1"; }
# A validation run recorded while da.validation_run is still a reference table (0.4's layout).
q "$dist" -c "SELECT da.run_validation('2017-03-31') IS NOT NULL" >/dev/null 2>&1 || tap fail "run_validation before the conversion"
run_grant=$(q "$dist" -c "SELECT has_table_privilege('da_citus_marac', 'da.validation_run', 'SELECT')::text" 2>&1)
out=$(q "$dist" -c "SET client_min_messages = warning" \
        -c "$(staged "('kent_a', '2016-04-01', '2016-06-30', '11', '2', '5', '10000'), ('kent_a', '2016-07-01', '2016-09-30', '12', '3', '4', '10000')")" \
        -c "SELECT inserted || '/' || updated || '/' || unchanged FROM da.ingest_marac('after the update')" \
        -c "SELECT string_agg(relation::text || '=' || citus_table_type, ',' ORDER BY relation::text) FROM da.distribute_warehouse() WHERE changed" \
        -c "SELECT count(*) FILTER (WHERE changed) FROM da.distribute_warehouse()" \
        -c "SELECT count(DISTINCT colocationid) || ' ' || string_agg(DISTINCT partmethod::text, '') FROM pg_dist_partition
            WHERE logicalrelid IN ('da.force_return'::regclass, 'da.marac_return'::regclass, 'da.marac_return_history'::regclass)" \
        -c "SELECT count(*) || ' ' || sum(cases) FROM da.marac_return" \
        -c "$(staged "('kent_a', '2016-10-01', '2016-12-31', '13', '3', '4', '10000'), ('kent_a', '2016-07-01', '2016-09-30', '14', '3', '4', '10000')")" \
        -c "SELECT inserted || '/' || updated || '/' || unchanged FROM da.ingest_marac('after distributing')" \
        -c "SELECT count(*) FROM da.marac_return_history" \
        -c "SELECT bool_and(obj_description(r) IS NOT NULL) FROM unnest(ARRAY['da.marac_return', 'da.marac_quarter_status', 'da.marac_12_months']::regclass[]) r" \
        -c "SET ROLE da_citus_marac" -c "SELECT string_agg(DISTINCT force_id, ',') FROM da.marac_12_months" 2>&1 | paste -sd' ')
want="1/1/0 da.marac_return=distributed by force_id,da.marac_return_history=distributed by force_id,da.validation_run=none (coordinator only) 0 1 h 3 35 1/1/0 2 t kent"
[ "$out" = "$want" ] && tap ok "its MARAC returns take loads after the update, then distribute by force_id with their rows, grants and comments" \
    || tap fail "0.4 MARAC returns updated and converted: got '$out', want '$want'"
# da.validation_run, a reference table until 0.6, is now the coordinator's: its run kept, its
# comment and the analyst's grant too, and the next run's id follows.
out=$(q "$dist" -c "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'da.validation_run'::regclass" \
        -c "SELECT count(*) || ' ' || min(period_end) FROM da.validation_run" \
        -c "SELECT (obj_description('da.validation_run'::regclass) IS NOT NULL) || ' ' || has_table_privilege('da_citus_marac', 'da.validation_run', 'SELECT')" \
        -c "SELECT da.run_validation('2017-03-31') > (SELECT min(run_id) FROM da.validation_run)" \
        -c "SELECT count(*) FROM da.validation_run" 2>&1 | paste -sd' ')
want="0 1 2017-03-31 true $run_grant t 2"
[ "$out" = "$want" ] && tap ok "da.validation_run becomes a coordinator table with its runs, comment and grants" \
    || tap fail "validation_run converted: got '$out', want '$want'"
out=$(plan "SELECT * FROM da.marac_12_months")
grep -q 'marac_return_[0-9]' <<<"$out" && grep -Eq 'Task Count: ([2-9]|[1-9][0-9]+)$' <<<"$out" && ! grep -q 'Distributed Subplan' <<<"$out" \
    && tap ok "after the conversion, EXPLAIN da.marac_12_months: whole on the workers" \
    || tap fail "EXPLAIN da.marac_12_months after the conversion: $(grep -m3 'Task Count\|Subplan' <<<"$out" | tr '\n' ' ')"

# Clean up the Citus side: the warehouse goes with schema da; the extension comes back.
q "$dist" -c "SET client_min_messages = warning" -c "DROP SCHEMA da CASCADE" -c "DROP ROLE IF EXISTS da_citus_marac" -c "CREATE EXTENSION da_stats" >/dev/null 2>&1 \
    || tap fail "clean-up of the Citus database"
[ "$bad" = 0 ]
