#!/usr/bin/env bash
# pg_dump keeps the whole warehouse: since 0.4 its tables are ordinary objects (created by
# da.create_warehouse(), not by the extension), so a dump holds them with every row, shipped
# or added: users' forces, aliases, measures and indicators, the force returns, outcome
# counts, history, rejected rows and load log. CREATE EXTENSION in the restore creates no
# tables, so nothing is created twice. Runs against the cluster scripts/test.sh started
# (PGHOST etc. exported); prints TAP lines.
set -uo pipefail
src=da_stats_dump_src dst=da_stats_dump_dst
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists $src 2>/dev/null; dropdb --if-exists $dst 2>/dev/null' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" = "$2" ]; then echo "ok $n - $3"; else echo "not ok $n - $3 (got '$1', expected '$2')"; fi; }
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

dropdb --if-exists $src 2>/dev/null; dropdb --if-exists $dst 2>/dev/null
createdb $src && createdb $dst
q $src "CREATE EXTENSION da_stats" >/dev/null
q $src "SELECT da.create_warehouse()" >/dev/null
q $src "
INSERT INTO da.force (force_id, name, kind, in_national_total) VALUES ('psni', 'Police Service of Northern Ireland', 'special', false);
INSERT INTO da.force_alias (alias, force_id) VALUES ('Hants', 'hampshire');
INSERT INTO da.measure (measure_id, description) VALUES ('da_voluntary_attendance', 'Voluntary attendances for DA offences');
INSERT INTO da.indicator (indicator_id, label, numerator_measure, denominator_measure, per, unit, ci_method)
VALUES ('va_per_100', 'Voluntary attendances per 100 DA crimes', 'da_voluntary_attendance', 'da_crimes', 100, 'per 100 DA crimes', 'poisson');
INSERT INTO da.analyst_force (role_name, force_id) VALUES ('someone', 'kent');
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Hants', '2016-07-01', '2017-06-30', 'da_crimes', '100'), ('Hants', '2016-07-01', '2017-06-30', 'da_voluntary_attendance', '7'),
 ('PSNI', '2016-07-01', '2017-06-30', 'da_crimes', '50'), ('Narnia', '2016-07-01', '2017-06-30', 'da_crimes', '1');
SELECT da.ingest_returns('one');
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES ('Hants', '2016-07-01', '2017-06-30', 'da_crimes', '101');
SELECT da.ingest_returns('two');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value) VALUES ('Hants', '2016-07-01', '2017-06-30', '16', '40');
SELECT da.ingest_outcomes('three');" >/dev/null

if pg_dump -d $src -f "$tmp/dump.sql" 2>"$tmp/dump.err"; then echo "ok $((n += 1)) - pg_dump runs"; else echo "not ok $((n += 1)) - pg_dump runs: $(cat "$tmp/dump.err")"; fi
if psql -X -q -v ON_ERROR_STOP=1 -d $dst -f "$tmp/dump.sql" >"$tmp/restore.out" 2>&1; then
    echo "ok $((n += 1)) - the dump restores without errors (nothing created twice)"
else
    echo "not ok $((n += 1)) - the dump restores without errors: $(grep -m3 ERROR "$tmp/restore.out")"
fi
for t in "da.force" "da.force_alias" "da.measure" "da.indicator" "da.analyst_force" "da.force_return" \
         "da.force_return_history" "da.force_return_outcomes" "da.rejected_return" "da.return_load"; do
    ok "$(q $dst "SELECT count(*) FROM $t")" "$(q $src "SELECT count(*) FROM $t")" "$t: same number of rows after restore"
done
ok "$(q $dst "SELECT name FROM da.force WHERE force_id = 'psni'")" "Police Service of Northern Ireland" "a user's force survives"
ok "$(q $dst "SELECT user_defined FROM da.force WHERE force_id = 'kent'")" "f" "shipped forces come back from the dump, still marked shipped"
ok "$(q $dst "SELECT value FROM da.force_return WHERE force_id = 'hampshire' AND measure_id = 'da_crimes'")" "101" "the corrected value survives"
ok "$(q $dst "SELECT old_value || '->' || new_value FROM da.force_return_history")" "100->101" "the history survives"
ok "$(q $dst "SELECT outcomes::text FROM da.force_return_outcomes")" '{"16": 40}' "outcome counts survive"
ok "$(q $dst "SELECT reason FROM da.rejected_return")" 'unknown force "Narnia"' "rejected rows survive"
# Sequences continue after a restore: the next load gets a new id.
q $dst "INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '5')" >/dev/null
ok "$(q $dst "SELECT load_id > 3 FROM da.ingest_returns('after restore')")" "t" "load ids continue after restore"
