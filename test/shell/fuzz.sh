#!/usr/bin/env bash
# Seeded, bounded fuzz test of every C function of da_stats, run inside the server.
#
# The functions are enumerated from the catalogue (prolang = C, members of the extension), so a
# new C function is fuzzed without touching this file. Arguments are built per type: NULL, 0,
# -1, extremes (+-2^63-1, +-1e308, 1e-308, NaN, +-Infinity), random values, and for the type
# input functions and state-typed arguments random strings, random characters and mutated valid
# values; the binary receive functions get random bytes through COPY ... (FORMAT binary); the
# extension's aggregates run over a few random rows, plainly and in moving windows.
# Each call runs in its own BEGIN ... EXCEPTION block (PL/pgSQL), recording its SQLSTATE and
# its clock_timestamp() duration.
#
# Asserts (TAP): no crash (the session survives, the server log has no "terminated by signal"),
# no XX000 (internal error), no NaN or Infinity in any result (numeric, float8, composite
# fields, text), every state value returned (or accepted by a receive function) reads back
# through its input function, no call over 1 s, at least DS_FUZZ_CALLS calls.
#
#   DS_FUZZ_SEED   seed (default 20261129; printed)      DS_FUZZ_CALLS  calls (default 100000)
#
# Needs PGHOST/PGPORT/PGUSER of a superuser (scripts/test.sh exports them): the receive
# functions are reached through a server-side file.
set -u
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
seed=${DS_FUZZ_SEED:-20261129}
calls=${DS_FUZZ_CALLS:-100000}
db=da_stats_fuzz
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else notok "$2"; fi; }

log="${PGHOST:-}/server.log"
log_start=0
[ -f "$log" ] && log_start=$(stat -c %s "$log")
started=$(date +%s)

psql -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || { notok "create database"; exit 1; }

echo "# fuzz: seed $seed, $calls calls"
out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v seed="$seed" -v calls="$calls" -d "$db" 2>&1 <<'SQL'
CREATE EXTENSION da_stats;
SELECT da.create_warehouse();
CREATE SCHEMA fuzz;
SET search_path = fuzz, pg_catalog;

CREATE TABLE fuzz.calls (fn text, sqlstate text, ms float8, nan boolean, call text);
CREATE TABLE fuzz.recv_rate (v da.rate_state);
CREATE TABLE fuzz.recv_change (v da.change_state);
CREATE TABLE fuzz.recv_outcome (v da.outcome_counts);

CREATE FUNCTION fuzz.pick(VARIADIC a text[]) RETURNS text LANGUAGE sql VOLATILE
    AS $$ SELECT a[1 + floor(random() * array_length(a, 1))::int] $$;

-- Random characters: JSON / tuple punctuation, digits, letters, blanks and any code point.
CREATE FUNCTION fuzz.rand_chars(maxlen int) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE s text := ''; i int; r float8;
BEGIN
    FOR i IN 1 .. floor(random() * (maxlen + 1))::int LOOP
        r := random();
        IF r < 0.5 THEN s := s || substr('(){}[]",:-+.eE 0123456789aAnNiIfFxX\	', 1 + floor(random() * 38)::int, 1);
        ELSIF r < 0.9 THEN s := s || chr(32 + floor(random() * 95)::int);
        ELSE s := s || chr(1 + floor(random() * 2000)::int);
        END IF;
    END LOOP;
    RETURN s;
END $$;

CREATE FUNCTION fuzz.int8_lit() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random();
BEGIN
    IF r < 0.35 THEN
        RETURN fuzz.pick('0', '-1', '1', '2', '9', '10', '100', '10000', '9223372036854775807',
                         '-9223372036854775808', '9223372036854775806', '4611686018427387904',
                         '4600000000000000000', '2147483647', '-2147483648', '10000001');
    ELSIF r < 0.6 THEN RETURN floor(random() * 20)::bigint::text;
    ELSIF r < 0.8 THEN RETURN floor(random() * 1e6)::bigint::text;
    ELSIF r < 0.95 THEN RETURN floor(random() * 9.2e18)::numeric::bigint::text;
    ELSE RETURN (-floor(random() * 1e6))::bigint::text;
    END IF;
END $$;

CREATE FUNCTION fuzz.int4_lit() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random();
BEGIN
    IF r < 0.4 THEN RETURN fuzz.pick('0', '-1', '1', '19', '23', '24', '2147483647', '-2147483648');
    ELSIF r < 0.9 THEN RETURN floor(random() * 25)::int::text;
    ELSE RETURN floor(random() * 4e9 - 2e9)::bigint::int::text;
    END IF;
END $$;

CREATE FUNCTION fuzz.float8_lit() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random();
BEGIN
    IF r < 0.4 THEN
        RETURN fuzz.pick('0', '-1', '1', '0.5', '0.95', '0.998', '0.9999999999999999', '0.9999999999999998',
                         '1e308', '-1e308', '1.7976931348623157e308', '1e-308', '5e-324', '1e-300',
                         'NaN', 'Infinity', '-Infinity', '100', '95', '1e200', '1e12', '1.76e-07');
    ELSIF r < 0.6 THEN RETURN random()::text;
    ELSIF r < 0.8 THEN RETURN (random() * 1000)::text;
    ELSE RETURN power(10::float8, random() * 616 - 308)::text;
    END IF;
END $$;

CREATE FUNCTION fuzz.numeric_lit() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random();
BEGIN
    IF r < 0.4 THEN RETURN fuzz.pick('0', '-1', '1', 'NaN', 'Infinity', '-Infinity', '1e100', '1e-100',
                                     '9223372036854775807', '0.000001', '123.456');
    ELSIF r < 0.8 THEN RETURN round((random() * 1000)::numeric, 3)::text;
    ELSE RETURN (random()::numeric * power(10::numeric, floor(random() * 200 - 100)::int))::text;
    END IF;
END $$;

CREATE FUNCTION fuzz.code() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT fuzz.pick('1', '1A', '1a', '2', '2A', '3', '3A', '4', '5', '6', '7', '8', '9', '10', '11', '12',
                     '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '0', '24', ' 16 ',
                     '', 'x', '00', '-1', '4A')
$$;

CREATE FUNCTION fuzz.text_lit() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random();
BEGIN
    IF r < 0.4 THEN RETURN fuzz.code();
    ELSIF r < 0.7 THEN
        RETURN fuzz.pick('auto', 'exact', 'byar', 'Exact', 'wilson', 'proportion', 'rate', 'ratio',
                         'charged_summonsed', 'not_yet_assigned', 'investigation_complete_no_suspect',
                         'out_of_court_formal', 'no_such_group');
    ELSE RETURN fuzz.rand_chars(12);
    END IF;
END $$;

CREATE FUNCTION fuzz.textarr_lit() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random(); a text[] := '{}'; i int;
BEGIN
    IF r < 0.1 THEN RETURN fuzz.pick('{}', '{NULL}', '{{1},{2}}', '{1,NULL}');
    END IF;
    FOR i IN 1 .. 1 + floor(random() * 6)::int LOOP
        a := a || fuzz.code();
    END LOOP;
    RETURN a::text;
END $$;

-- Text forms of the state types: valid ones with random (often extreme) fields, and mutants.
CREATE FUNCTION fuzz.state_text(typ text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE r float8 := random(); s text; i int; nf int;
BEGIN
    IF r < 0.12 THEN RETURN fuzz.rand_chars(40);
    END IF;
    IF typ = 'da.outcome_counts' THEN
        s := '';
        FOR i IN 1 .. floor(random() * 5)::int LOOP
            s := s || CASE WHEN i > 1 THEN fuzz.pick(',', ', ', ' ,') ELSE '' END
                   || '"' || CASE WHEN random() < 0.9 THEN trim(fuzz.code()) ELSE fuzz.rand_chars(3) END || '"'
                   || fuzz.pick(':', ': ', ' : ')
                   || CASE WHEN random() < 0.5 THEN floor(random() * 1000)::int::text
                           WHEN random() < 0.8 THEN abs(fuzz.int8_lit()::numeric)::text ELSE fuzz.pick('-1', '1.5', '1e3', '01', '99999999999999999999', '') END;
        END LOOP;
        s := '{' || s || '}';
    ELSE
        nf := CASE typ WHEN 'da.rate_state' THEN 5 ELSE 7 END;
        IF random() < 0.05 THEN nf := nf + fuzz.pick('-1', '1')::int; END IF;
        s := '';
        FOR i IN 1 .. nf LOOP
            s := s || CASE WHEN i > 1 THEN ',' ELSE '' END
                   || CASE WHEN typ = 'da.rate_state' AND i = 5
                           THEN fuzz.pick('0', '0.95', '0.998', random()::text, fuzz.float8_lit())
                           WHEN random() < 0.6 THEN floor(random() * 1000)::int::text
                           WHEN random() < 0.8 THEN abs(fuzz.int8_lit()::numeric)::text
                           ELSE fuzz.pick('-1', '99999999999999999999', '1.5', '', ' 7 ', 'x', '+3') END;
        END LOOP;
        s := '(' || s || ')';
    END IF;
    IF random() < 0.1 THEN      -- mutate one character
        i := 1 + floor(random() * length(s))::int;
        s := overlay(s PLACING fuzz.rand_chars(1) FROM i FOR 1);
    END IF;
    RETURN s;
END $$;

CREATE FUNCTION fuzz.arg(typ regtype, ret regtype) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE t text := typ::text;
BEGIN
    IF random() < 0.08 THEN RETURN 'NULL::' || t; END IF;
    RETURN CASE t
        WHEN 'bigint' THEN quote_literal(fuzz.int8_lit()) || '::bigint'
        WHEN 'integer' THEN quote_literal(fuzz.int4_lit()) || '::integer'
        WHEN 'double precision' THEN quote_literal(fuzz.float8_lit()) || '::double precision'
        WHEN 'numeric' THEN quote_literal(fuzz.numeric_lit()) || '::numeric'
        WHEN 'text' THEN quote_literal(fuzz.text_lit()) || '::text'
        WHEN 'text[]' THEN quote_literal(fuzz.textarr_lit()) || '::text[]'
        -- a type input function: text forms of the type it returns, or anything at all
        WHEN 'cstring' THEN quote_literal(CASE WHEN random() < 0.8 THEN fuzz.state_text(ret::text)
                                               ELSE fuzz.rand_chars(60) END) || '::cstring'
        ELSE quote_literal(fuzz.state_text(t)) || '::' || t
    END;
END $$;

-- calls_per_fn calls of one function; one row per call in fuzz.calls.
CREATE FUNCTION fuzz.run(fn regprocedure, calls_per_fn int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p pg_proc; i int; j int; args text; q text; res text; back text; st text;
    t0 timestamptz; ms float8;
BEGIN
    SELECT * INTO p FROM pg_proc WHERE oid = fn;
    FOR i IN 1 .. calls_per_fn LOOP
        args := '';
        FOR j IN 0 .. p.pronargs - 1 LOOP
            args := args || CASE WHEN j > 0 THEN ', ' ELSE '' END
                         || fuzz.arg(p.proargtypes[j]::regtype, p.prorettype::regtype);
        END LOOP;
        q := format('SELECT string_agg(r::text, %L) FROM %s.%I(%s) AS r', '|',
                    p.pronamespace::regnamespace, p.proname, args);
        res := NULL; st := '00000';
        t0 := clock_timestamp();
        BEGIN
            EXECUTE q INTO res;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
        END;
        ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
        IF ms > 1000 THEN       -- slow, or a stall of a loaded machine? A slow call is slow again.
            t0 := clock_timestamp();
            BEGIN
                EXECUTE q INTO res;
            EXCEPTION WHEN OTHERS THEN
                NULL;
            END;
            ms := least(ms, 1000 * extract(epoch FROM clock_timestamp() - t0));
        END IF;
        INSERT INTO fuzz.calls VALUES (fn::text, st, ms, res ~* '(^|[^a-z])(nan|-?infinity)([^a-z]|$)', q);
        -- a state a function returns must read back through its input function (dump/restore)
        IF res IS NOT NULL AND p.prorettype::regtype::text IN ('da.rate_state', 'da.change_state', 'da.outcome_counts') THEN
            BEGIN
                EXECUTE format('SELECT %L::%s::text', res, p.prorettype::regtype) INTO back;
            EXCEPTION WHEN OTHERS THEN
                back := NULL;
            END;
            IF back IS DISTINCT FROM res THEN
                INSERT INTO fuzz.calls VALUES (fn::text, 'RT000', 0, false, q || ' returned ' || res);
            END IF;
        END IF;
    END LOOP;
END $$;

-- Random bytes for a receive function, through a one-column binary COPY file.
CREATE FUNCTION fuzz.run_recv(fn regprocedure, tab text, calls int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    i int; j int; k int; body bytea; file text := current_setting('data_directory') || '/fuzz_recv.bin';
    lo oid; st text; t0 timestamptz; ms float8; r float8;
BEGIN
    FOR i IN 1 .. calls LOOP
        r := random();
        body := ''::bytea;
        IF r < 0.4 THEN         -- well-formed, with random (sometimes impossible) field values
            IF tab = 'recv_outcome' THEN
                k := floor(random() * 27)::int;
                body := int4send(k);
            ELSE
                k := CASE tab WHEN 'recv_rate' THEN 4 ELSE 7 END;
            END IF;
            FOR j IN 1 .. k LOOP
                body := body || int8send(CASE WHEN random() < 0.7 THEN floor(random() * 1000)::bigint
                                              ELSE fuzz.int8_lit()::bigint END);
            END LOOP;
            IF tab = 'recv_rate' THEN
                body := body || float8send(fuzz.pick('0', '0.95', fuzz.float8_lit())::float8);
            END IF;
        ELSIF r < 0.7 THEN      -- field-shaped: an int32 then int64s, like the real formats
            body := int4send(CASE WHEN random() < 0.5 THEN floor(random() * 30)::int
                                  ELSE fuzz.int4_lit()::int END);
            FOR k IN 1 .. floor(random() * 30)::int LOOP
                body := body || int8send(fuzz.int8_lit()::bigint);
            END LOOP;
            IF random() < 0.5 THEN body := substr(body, 5); END IF;
            IF random() < 0.3 THEN body := body || float8send(fuzz.float8_lit()::float8); END IF;
        ELSE
            FOR k IN 1 .. floor(random() * 300)::int LOOP
                body := body || decode(lpad(to_hex(floor(random() * 256)::int), 2, '0'), 'hex');
            END LOOP;
        END IF;
        lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0)
                               || int2send(1::int2) || int4send(length(body)) || body
                               || int2send(-1::int2));
        PERFORM lo_export(lo, file);
        PERFORM lo_unlink(lo);
        st := '00000';
        t0 := clock_timestamp();
        BEGIN
            EXECUTE format('COPY fuzz.%I FROM %L (FORMAT binary)', tab, file);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
        END;
        ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
        INSERT INTO fuzz.calls VALUES (fn::text, st, ms, false, 'COPY binary ' || encode(body, 'hex'));
    END LOOP;
    -- what was accepted must be a valid value: its text form reads back to the same value
    EXECUTE format('SELECT count(*) FROM fuzz.%I WHERE v::text::%s::text IS DISTINCT FROM v::text', tab,
                   pg_typeof_name(tab)) INTO k;
    IF k > 0 THEN
        INSERT INTO fuzz.calls VALUES (fn::text, 'RT000', 0, false, 'accepted binary value does not read back');
    END IF;
END $$;
CREATE FUNCTION fuzz.pg_typeof_name(tab text) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE tab WHEN 'recv_rate' THEN 'da.rate_state' WHEN 'recv_change' THEN 'da.change_state'
                          ELSE 'da.outcome_counts' END $$;

-- The extension's aggregates over a few random rows, plainly and as a moving window (ROWS
-- frame: the inverse transition functions): the C support functions in aggregate context,
-- where they update their state in place.
CREATE FUNCTION fuzz.run_agg(agg regprocedure, queries int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p pg_proc; i int; j int; k int; nrows int; rows text; cols text; args text; q text;
    res text; st text; t0 timestamptz; ms float8;
BEGIN
    SELECT * INTO p FROM pg_proc WHERE oid = agg;
    cols := 'i';
    args := '';
    FOR j IN 0 .. p.pronargs - 1 LOOP
        cols := cols || ', a' || j;
        args := args || CASE WHEN j > 0 THEN ', ' ELSE '' END || 'a' || j;
    END LOOP;
    FOR i IN 1 .. queries LOOP
        nrows := 1 + floor(random() * 8)::int;
        rows := '';
        FOR k IN 1 .. nrows LOOP
            rows := rows || CASE WHEN k > 1 THEN ', ' ELSE '' END || '(' || k;
            FOR j IN 0 .. p.pronargs - 1 LOOP
                -- the same level / per on every row most of the time, as real queries have
                rows := rows || ', ' || CASE WHEN j >= 2 AND random() < 0.8
                                             THEN CASE p.proargtypes[j]::regtype::text
                                                  WHEN 'double precision' THEN '0.95::double precision'
                                                  ELSE '100::' || p.proargtypes[j]::regtype::text END
                                             ELSE fuzz.arg(p.proargtypes[j]::regtype, p.prorettype::regtype) END;
            END LOOP;
            rows := rows || ')';
        END LOOP;
        IF random() < 0.5 THEN
            q := format('SELECT %s.%I(%s)::text FROM (VALUES %s) v(%s)', p.pronamespace::regnamespace,
                        p.proname, args, rows, cols);
        ELSE
            q := format('SELECT string_agg(x::text, %L ORDER BY i) FROM (SELECT i, %s.%I(%s) OVER (ORDER BY i ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS x FROM (VALUES %s) v(%s)) w',
                        '|', p.pronamespace::regnamespace, p.proname, args, floor(random() * 3)::int, rows, cols);
        END IF;
        res := NULL; st := '00000';
        t0 := clock_timestamp();
        BEGIN
            EXECUTE q INTO res;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
        END;
        ms := 1000 * extract(epoch FROM clock_timestamp() - t0);
        INSERT INTO fuzz.calls VALUES ('aggregate ' || agg::text, st, ms,
                                       res ~* '(^|[^a-z])(nan|-?infinity)([^a-z]|$)', q);
    END LOOP;
END $$;

CREATE VIEW fuzz.target_aggregates AS
SELECT p.oid::regprocedure AS agg
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'da_stats'
WHERE p.prokind = 'a';

CREATE VIEW fuzz.targets AS
SELECT p.oid::regprocedure AS fn, 'internal'::regtype = ANY (p.proargtypes::regtype[]) AS recv
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'da_stats'
WHERE p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c');

-- Deterministic: one seed, the functions in a fixed order.
SELECT setseed(((:seed % 2000000) - 1000000) / 1000000.0);
SET statement_timeout = '170s';
SELECT count(*) AS functions FROM fuzz.targets WHERE NOT recv \gset
SELECT fuzz.run(fn, ceil(:calls / :functions::numeric)::int)
FROM fuzz.targets WHERE NOT recv
ORDER BY fn::text;
SELECT fuzz.run_recv(fn, CASE WHEN fn::text LIKE '%rate_state%' THEN 'recv_rate'
                              WHEN fn::text LIKE '%change_state%' THEN 'recv_change' ELSE 'recv_outcome' END,
                     1000)
FROM fuzz.targets WHERE recv
ORDER BY fn::text;
SELECT fuzz.run_agg(agg, 200) FROM fuzz.target_aggregates ORDER BY agg::text;
RESET statement_timeout;

SELECT 'functions ' || count(*) FROM fuzz.targets;
SELECT 'aggregates ' || count(*) FROM fuzz.target_aggregates;
SELECT 'untested ' || count(*) || coalesce(': ' || string_agg(fn::text, ', '), '')
FROM fuzz.targets t WHERE NOT EXISTS (SELECT FROM fuzz.calls c WHERE c.fn = t.fn::text);
SELECT 'aggregate_queries ' || count(*) || ', ' || count(*) FILTER (WHERE sqlstate = '00000') || ' without error'
FROM fuzz.calls WHERE fn LIKE 'aggregate %';
SELECT 'calls ' || count(*) FROM fuzz.calls;
SELECT 'sqlstate ' || sqlstate || ' ' || count(*) FROM fuzz.calls GROUP BY sqlstate ORDER BY sqlstate;
SELECT 'ok_calls_per_function_min ' || min(n) FROM (SELECT t.fn, count(c.*) FILTER (WHERE c.sqlstate = '00000') AS n
    FROM fuzz.targets t LEFT JOIN fuzz.calls c ON c.fn = t.fn::text GROUP BY t.fn) s;
SELECT 'xx000 ' || count(*) FROM fuzz.calls WHERE sqlstate LIKE 'XX%';
SELECT 'readback ' || count(*) FROM fuzz.calls WHERE sqlstate = 'RT000';
SELECT 'nan ' || count(*) FROM fuzz.calls WHERE nan;
SELECT 'over1s ' || count(*) FROM fuzz.calls WHERE ms > 1000;
SELECT 'slowest ' || round(ms::numeric, 1) || ' ms ' || call FROM fuzz.calls ORDER BY ms DESC LIMIT 3;
SELECT 'example ' || sqlstate || ' ' || call FROM fuzz.calls WHERE nan OR sqlstate LIKE 'XX%' OR sqlstate = 'RT000' LIMIT 5;
SQL
)
rc=$?
elapsed=$(( $(date +%s) - started ))
echo "$out" | grep -vE '^((nan|xx000|over1s|readback) |$)' | sed 's/^/# /'

get() { echo "$out" | sed -n "s/^$1 //p" | head -n 1; }
check "$rc" "fuzz session ran to the end (psql status $rc)"
crashes=0
if [ -f "$log" ]; then
    crashes=$(tail -c +"$((log_start + 1))" "$log" | grep -c 'terminated by signal' || true)
fi
[ "$crashes" = 0 ] && [ "$rc" = 0 ]; check $? "no crash (server log: $crashes terminated by signal)"
c=$(get calls); [ -n "$c" ] && [ "$c" -ge "$calls" ]; check $? "at least $calls calls (${c:-none})"
u=$(get untested); [ "${u%%:*}" = 0 ]; check $? "every C function called (untested: ${u:-?})"
x=$(get xx000); [ "$x" = 0 ]; check $? "no XX000 internal error (${x:-?})"
v=$(get nan); [ "$v" = 0 ]; check $? "no NaN or Infinity in any result (${v:-?})"
r=$(get readback); [ "$r" = 0 ]; check $? "every state returned, or accepted by a receive function, reads back (${r:-?} failures)"
s=$(get over1s); [ "$s" = 0 ]; check $? "no call over 1 s (${s:-?}; slowest $(get slowest | head -n 1 | cut -c1-40))"
[ "$elapsed" -le 180 ]; check $? "under 3 minutes (${elapsed} s)"
echo "# fuzz figures: seed $seed, calls ${c:-?}, crashes $crashes, XX000 ${x:-?}, NaN ${v:-?}, slowest $(get slowest | head -n 1 | awk '{print $1, $2}'), ${elapsed} s"
[ -n "${DS_FUZZ_KEEP:-}" ] || psql -X -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
