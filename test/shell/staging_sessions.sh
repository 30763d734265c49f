#!/usr/bin/env bash
# One load = one session's rows (issue 11): two sessions of the same loader role stage and
# ingest at the same time, 50 rounds each. Every round stages 3 good rows and 2 bad ones
# tagged with the session and round as their source, and ingests them under that name; then
# every stored and every rejected row must belong to the load named like its source, and
# every load must have taken exactly its 5 rows. A control run on the 0.2 scripts (where an
# ingest took every committed staged row of the role) must mix rows. Prints TAP lines.
set -u
rounds=${DS_SESSION_ROUNDS:-50}
n=0
tap() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
hq() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d /tmp/da_sessions.XXXXXX)
trap 'rm -rf "$work"' EXIT

session() {   # session DB NAME FORCE: one connection, $rounds rounds
    local db=$1 name=$2 force=$3 r m
    {
        for r in $(seq 1 "$rounds"); do
            m=$(printf '%04d-%02d' $((2000 + (r - 1) / 12)) $(((r - 1) % 12 + 1)))
            cat <<SQL
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('$force', '$m-01', ('$m-01'::date + interval '1 month' - interval '1 day')::date::text, 'da_crimes', '$r', '$name-$r'),
 ('$force', '$m-01', ('$m-01'::date + interval '1 month' - interval '1 day')::date::text, 'da_arrests', '$r', '$name-$r'),
 ('$force', '$m-01', ('$m-01'::date + interval '1 month' - interval '1 day')::date::text, 'dvpn_issued', '$r', '$name-$r'),
 ('$force', '$m-01', 'not a date', 'da_crimes', '$r', '$name-$r'),
 ('$force', '$m-01', ('$m-01'::date + interval '1 month' - interval '1 day')::date::text, 'no_such_measure', '$r', '$name-$r');
SELECT pg_sleep(random() * 0.01);
SELECT load_id FROM da.ingest_returns('$name-$r');
SQL
        done
    } | psql -X -q -A -t -U da_sessions_loader -d "$db" >"$work/$db-$name.out" 2>&1
}

run() {   # run DB VERSION-SQL: install, two concurrent sessions, print "loads bad_loads foreign_rows"
    local db=$1 install=$2
    hq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
    hq -d "$db" -c "$install" >/dev/null
    hq -d "$db" -c "SELECT da.grant_access('da_sessions_loader', 'loader')" >/dev/null
    session "$db" A kent & local a=$!
    session "$db" B essex & local b=$!
    wait "$a" "$b"
    hq -d "$db" <<'SQL'
SELECT (SELECT count(*) FROM da.return_load) || ' '
    || (SELECT count(*) FROM da.return_load WHERE staged <> 5 OR inserted + updated + unchanged <> 3 OR rejected <> 2) || ' '
    || (SELECT count(*) FROM da.force_return r JOIN da.return_load l USING (load_id) WHERE r.source <> l.source)
     + (SELECT count(*) FROM da.rejected_return x JOIN da.return_load l USING (load_id) WHERE x.source <> l.source);
SQL
}

hq -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS da_sessions_loader" -c "CREATE ROLE da_sessions_loader LOGIN" >/dev/null
read -r loads bad foreign < <(run da_sessions "CREATE EXTENSION da_stats; SELECT da.create_warehouse()")
errs=$(cat "$work"/da_sessions-*.out | grep -c ERROR || true)
[ "$loads" = $((2 * rounds)) ] && [ "$errs" = 0 ] \
    && tap ok "two sessions of one role x $rounds rounds: $loads loads" || tap fail "loads: '$loads', errors $errs"
[ "$bad" = 0 ] && tap ok "every load took exactly its own session's 5 rows (loads with other counts: $bad)" \
    || tap fail "$bad of $loads loads took other than their own 5 rows"
[ "$foreign" = 0 ] && tap ok "every stored and rejected row is filed under its own session's load (foreign rows: $foreign)" \
    || tap fail "$foreign rows filed under another session's load"

# Control: the 0.2 scripts mix the two sessions' rows.
read -r loads2 bad2 foreign2 < <(run da_sessions_02 "CREATE EXTENSION da_stats VERSION '0.1'; ALTER EXTENSION da_stats UPDATE TO '0.2'")
[ "${bad2:-0}" -gt 0 ] || [ "${foreign2:-0}" -gt 0 ] \
    && tap ok "control: on the 0.2 scripts $bad2 of $loads2 loads took other than their own rows ($foreign2 rows misfiled)" \
    || tap fail "control: on the 0.2 scripts nothing mixed ($loads2 loads): the test cannot fail?"

hq -d postgres -c "DROP DATABASE da_sessions" -c "DROP DATABASE da_sessions_02" -c "DROP ROLE da_sessions_loader" >/dev/null 2>&1
exit 0
