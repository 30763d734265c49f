#!/usr/bin/env bash
# No planted code ever runs as the superuser (issue 11). A role that owns schema "public",
# which is on the superuser's search_path, plants look-alikes of every pg_catalog function,
# aggregate and operator that the extension's scripts (sql/da_stats--<current>.sql) name, with
# argument types that beat pg_catalog's own: concrete types for polymorphic or "any"
# arguments (array_remove(text[], text) over (anyarray, anyelement), format(text, text, bigint)
# over (text, VARIADIC "any")), and types that pg_catalog's version only takes through an
# implicit cast; and exact copies. Each look-alike counts its runs in a sequence (not rolled
# back with a failed statement). Then, as the superuser: CREATE EXTENSION at 0.1 + ALTER
# EXTENSION UPDATE, and a fresh CREATE EXTENSION (also with public ahead of pg_catalog on the
# search_path, where even the exact copies would be picked), each followed by grant_access,
# staging and both ingests (as the superuser and through SET ROLE as a loader), MARAC staging
# and da.ingest_marac (as a loader of all forces and as a Kent-only loader, who then reads the
# MARAC staging, rejected rows, returns and views), da.funnel_positions and da.funnel_curve
# (as the superuser and as force-limited roles), validate_returns, run_validation, every
# view, the national functions and revoke_access. The count must be 0. The same plants against
# the 0.2 scripts (0.1 + UPDATE TO '0.2') must run (a control: the test can fail).
# Prints TAP lines.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
script="$root/sql/da_stats--$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$root/da_stats.control").sql"
work=$(mktemp -d /tmp/da_planted.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0
tap() { n=$((n + 1)); if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
# Harness queries never see the plants: pg_catalog only.
hq() { PGOPTIONS='-c search_path=pg_catalog' psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# What the scripts name: identifiers followed by "(" and operator symbols, comments removed.
code=$(sed -e 's/--.*$//' "$script")
names=$(grep -oE '\b[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\(' <<<"$code" | tr -d ' \t(' | tr 'A-Z' 'a-z' | sort -u | paste -sd, -)
ops=$(grep -oE '<>|<=|>=|!=|\|\||!~\*?|~\*?|@>|<@|[-+*/<>=%]' <<<"$code" | sort -u | paste -sd, -)
# Operators that keywords stand for: IN/ANY/CASE/BETWEEN/DISTINCT compare, LIKE is ~~.
kwops='=,<>,<,>,<=,>='
grep -qiE '\bLIKE\b' <<<"$code" && kwops="$kwops,~~,!~~"
grep -qiE '\bILIKE\b' <<<"$code" && kwops="$kwops,~~*,!~~*"
ops="$ops,$kwops"

plant_db() {   # plant_db DB: create DB and the plants, print "functions operators"
    local db=$1
    hq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
    hq -d "$db" >/dev/null <<SQL
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'da_planter') THEN CREATE ROLE da_planter; END IF;
END \$\$;
ALTER SCHEMA public OWNER TO da_planter;
SET ROLE da_planter;
CREATE SEQUENCE public.planted_runs;
GRANT USAGE ON SEQUENCE public.planted_runs TO PUBLIC;
CREATE TABLE public.planted (kind text, signature text);
SQL
    hq -d "$db" -v names="$names" -v ops="$ops" <<'SQL'
SET ROLE da_planter;
CREATE TEMP TABLE t_types (t regtype);
INSERT INTO t_types VALUES ('text'), ('text[]'), ('bigint'), ('integer'), ('numeric'), ('date'),
    ('boolean'), ('double precision'), ('name'), ('timestamp with time zone');
CREATE TEMP TABLE t_small (t regtype);   -- for VARIADIC "any" expanded to fixed arities
INSERT INTO t_small VALUES ('text'), ('bigint'), ('integer'), ('numeric'), ('date');
-- sub(polymorphic argument type, concrete type): what the polymorphic type becomes, or NULL.
CREATE FUNCTION pg_temp.sub(a regtype, c regtype) RETURNS regtype LANGUAGE sql AS $f$
    SELECT CASE WHEN a::text IN ('anyelement', 'anynonarray', 'anycompatible', 'anycompatiblenonarray', '"any"')
                THEN c
                WHEN a::text IN ('anyarray', 'anycompatiblearray')
                THEN (SELECT typarray FROM pg_type WHERE oid = c AND typelem = 0 AND typarray <> 0)::regtype
                WHEN a::text LIKE 'any%' OR a::text IN ('internal', 'record', 'cstring', 'trigger', 'event_trigger')
                THEN NULL
                ELSE a END $f$;
-- An oidvector as a regtype[] subscripted from 1 (oidvectors start at 0).
CREATE FUNCTION pg_temp.args(v oidvector) RETURNS regtype[] LANGUAGE sql AS $f$
    SELECT coalesce(array_agg(t::regtype ORDER BY o), '{}') FROM unnest(v::oid[]) WITH ORDINALITY u(t, o) $f$;
CREATE TEMP TABLE t_plan (kind text, name text, args regtype[], ret regtype, setof boolean);
-- Functions and aggregates named in the scripts.
INSERT INTO t_plan
WITH p AS (
    SELECT p.proname, p.prokind, p.proretset, p.prorettype::regtype AS ret, p.provariadic::regtype AS variadic,
           pg_temp.args(p.proargtypes) AS args, p.pronargs
    FROM pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (string_to_array(:'names', ','))
      AND p.prokind IN ('f', 'a') AND p.pronargs BETWEEN 1 AND 4
      AND (p.prokind = 'f' OR (SELECT a.aggkind FROM pg_aggregate a WHERE a.aggfnoid = p.oid) = 'n')
), poly AS (            -- polymorphic arguments: every concrete type
    SELECT p.*, c.t AS c FROM p CROSS JOIN t_types c
    WHERE p.variadic = 0 AND EXISTS (SELECT 1 FROM unnest(p.args) a WHERE a::text LIKE 'any%' OR a::text = '"any"')
), cands AS (
    SELECT poly.prokind, poly.proname, ARRAY(SELECT pg_temp.sub(a, poly.c) FROM unnest(poly.args) a) AS args,
           pg_temp.sub(poly.ret, poly.c) AS ret, poly.proretset
    FROM poly
    UNION ALL           -- VARIADIC "any" (format, concat, ...): 1 to 3 trailing arguments
    SELECT p.prokind, p.proname, p.args[1:p.pronargs - 1] || x.tail, p.ret, p.proretset
    FROM p
    CROSS JOIN LATERAL (SELECT ARRAY[a.t] AS tail FROM t_small a
                        UNION ALL SELECT ARRAY[a.t, b.t] FROM t_small a, t_small b
                        UNION ALL SELECT ARRAY[a.t, b.t, d.t] FROM t_small a, t_small b, t_small d) x
    WHERE p.variadic::text = '"any"'
    UNION ALL           -- exact copies: they win where a search_path puts public before pg_catalog
    SELECT p.prokind, p.proname, p.args, p.ret, p.proretset
    FROM p
    WHERE p.variadic = 0 AND NOT EXISTS (SELECT 1 FROM unnest(p.args) a WHERE a::text LIKE 'any%' OR a::text = '"any"')
    UNION ALL           -- one argument of a type pg_catalog's version takes through an implicit cast
    SELECT p.prokind, p.proname, p.args[1:i - 1] || c.t || p.args[i + 1:], p.ret, p.proretset
    FROM p CROSS JOIN generate_series(1, p.pronargs) i CROSS JOIN t_types c
    WHERE p.variadic = 0 AND NOT EXISTS (SELECT 1 FROM unnest(p.args) a WHERE a::text LIKE 'any%' OR a::text = '"any"')
      AND EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = c.t AND k.casttarget = p.args[i] AND k.castcontext = 'i')
)
SELECT DISTINCT CASE prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END, proname, args, ret, proretset
FROM cands
WHERE ret IS NOT NULL AND array_position(args, NULL) IS NULL;
-- Binary operators named in the scripts (or by their keywords).
INSERT INTO t_plan
WITH o AS (
    SELECT o.oprname, o.oprleft::regtype AS l, o.oprright::regtype AS r, o.oprresult::regtype AS res
    FROM pg_operator o
    WHERE o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprkind = 'b'
      AND o.oprname = ANY (string_to_array(:'ops', ','))
), cands AS (
    SELECT o.oprname, pg_temp.sub(o.l, c.t) AS l, pg_temp.sub(o.r, c.t) AS r, pg_temp.sub(o.res, c.t) AS res
    FROM o CROSS JOIN t_types c
    WHERE o.l::text LIKE 'any%' OR o.r::text LIKE 'any%'
    UNION ALL           -- exact copies
    SELECT o.oprname, o.l, o.r, o.res FROM o
    WHERE o.l::text NOT LIKE 'any%' AND o.r::text NOT LIKE 'any%'
    UNION ALL
    SELECT o.oprname, c.t, o.r, o.res FROM o CROSS JOIN t_types c
    WHERE o.l::text NOT LIKE 'any%' AND o.r::text NOT LIKE 'any%'
      AND EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = c.t AND k.casttarget = o.l AND k.castcontext = 'i')
    UNION ALL
    SELECT o.oprname, o.l, c.t, o.res FROM o CROSS JOIN t_types c
    WHERE o.l::text NOT LIKE 'any%' AND o.r::text NOT LIKE 'any%'
      AND EXISTS (SELECT 1 FROM pg_cast k WHERE k.castsource = c.t AND k.casttarget = o.r AND k.castcontext = 'i')
)
SELECT DISTINCT 'operator', oprname, ARRAY[l, r], res, false FROM cands
WHERE l IS NOT NULL AND r IS NOT NULL AND res IS NOT NULL;

DO $plant$
DECLARE
    p record; k int := 0; sig text; fname text; body text;
BEGIN
    FOR p IN SELECT * FROM t_plan LOOP
        k := k + 1;
        sig := p.name || '(' || array_to_string(p.args::text[], ', ') || ')';
        body := format($b$BEGIN PERFORM pg_catalog.nextval('public.planted_runs'); RAISE WARNING 'planted look-alike ran: %s %s as %%', current_user; RETURN%s; END$b$,
                       p.kind, replace(sig, '''', ''''''), CASE WHEN p.setof OR p.ret = 'void'::regtype THEN '' ELSE ' NULL' END);
        fname := CASE p.kind WHEN 'function' THEN p.name ELSE 'planted_' || k END;
        BEGIN
            IF p.kind = 'aggregate' THEN
                EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L', fname,
                               array_to_string((p.ret || p.args)::text[], ', '), p.ret, body);
                EXECUTE format('CREATE AGGREGATE public.%I(%s) (SFUNC = public.%I, STYPE = %s)', p.name,
                               array_to_string(p.args::text[], ', '), fname, p.ret);
            ELSE
                EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s%s LANGUAGE plpgsql AS %L', fname,
                               array_to_string(p.args::text[], ', '), CASE WHEN p.setof THEN 'SETOF ' ELSE '' END, p.ret, body);
                IF p.kind = 'operator' THEN
                    EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.%I)',
                                   p.name, p.args[1], p.args[2], fname);
                END IF;
            END IF;
            INSERT INTO public.planted VALUES (p.kind, sig);
        EXCEPTION WHEN OTHERS THEN
            NULL;       -- e.g. a look-alike that PostgreSQL refuses; the others stand
        END;
    END LOOP;
END
$plant$;
SELECT count(*) FILTER (WHERE kind <> 'operator') || ' ' || count(*) FILTER (WHERE kind = 'operator')
       || ' ' || count(DISTINCT split_part(signature, '(', 1)) FROM public.planted;
SQL
}

# The workload, run as the superuser with the usual search_path ("$user", public, da).
# Only qualified calls and literals at top level, so that what runs is the extension's code.
workload() {   # workload DB SEARCH-PATH VERSION-STEPS...
    local db=$1 path=$2; shift 2
    {
        echo "SET search_path = $path;"
        echo "SET datestyle = 'ISO, YMD';"
        for step in "$@"; do echo "$step"; done
        cat <<'SQL'
CREATE ROLE da_planted_loader;
CREATE ROLE da_planted_kent;
CREATE ROLE da_planted_kent_loader;
SELECT da.grant_access('da_planted_loader', 'loader');
SELECT da.grant_access('da_planted_kent', 'analyst', ARRAY['kent']);
SELECT da.grant_access('da_planted_kent_loader', 'loader', ARRAY['kent']);
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Kent', '2015-07-01', '2016-06-30', 'da_crimes', '12000', 's'), ('Kent', '2015-07-01', '2016-06-30', 'da_arrests', '4000', 's'),
 ('Essex', '2015-07-01', '2016-06-30', 'da_crimes', '12500', 's'), ('Essex', '2015-07-01', '2016-06-30', 'da_arrests', '4200', 's'),
 ('Surrey', '2015-07-01', '2016-06-30', 'da_crimes', '8000', 's'), ('Surrey', '2015-07-01', '2016-06-30', 'da_arrests', '2500', 's'),
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13000', 's'), ('Kent', '2016-07-01', '2017-06-30', 'da_arrests', '9000', 's'),
 ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '14000', 's'), ('Essex', '2016-07-01', '2017-06-30', 'da_arrests', '5000', 's'),
 ('Surrey', '2016-07-01', '2017-06-30', 'da_crimes', '9000', 's'), ('Surrey', '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', '100', 's'),
 ('Kent', '2016-07-01', '2017-06-30', 'adult_female_population', '700000', 's'), ('Kent', '2016-07-01', '2017-06-30', 'marac_cases', '2500', 's'),
 ('Narnia', '2016-07-01', '2017-06-30', 'da_crimes', '1', 's'), ('Kent', '2016-07-01', '2017-06-31', 'da_crimes', '-1,0', 's'),
 ('Essex', '2016-07-01', '2017-06-30', 'dvpo_granted', '3', 's'), ('Essex', '2016-07-01', '2017-06-30', 'dvpo_granted', '4', 's');
SELECT * FROM da.ingest_returns('planted');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '1', '3000'), ('Kent', '2016-07-01', '2017-06-30', '16', '5000'),
 ('Essex', '2016-07-01', '2017-06-30', '1', '3100'), ('Essex', '2016-07-01', '2017-06-30', '99', '1'),
 ('Surrey', '2016-07-01', '2017-06-30', '', '');
SELECT * FROM da.ingest_outcomes('planted');
SET ROLE da_planted_loader;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '13100'), ('Surrey', '2016-07-01', '2017-06-30', 'da_arrests', '3000');
SELECT * FROM da.ingest_returns('planted as loader');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '16', '5100');
SELECT * FROM da.ingest_outcomes('planted as loader');
RESET ROLE;
INSERT INTO da.marac_area (marac_id, name, force_id) VALUES ('kent_a', 'Kent A', 'kent'), ('essex_a', 'Essex A', 'essex');
SET ROLE da_planted_loader;
INSERT INTO da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('kent_a', 'Kent', '2016-07-01', '2016-09-30', '100', '20', '120', '50,000'), ('kent_a', NULL, '2016-10-01', '2016-12-31', '110.0', '22', '', '50000'),
 ('Kent A', NULL, '2017-01-01', '2017-03-31', '', '', '', ''), ('kent_a', NULL, '2017-04-01', '2017-06-30', '130', '25', '150', '50000'),
 ('essex_a', 'Kent', '2017-04-01', '2017-06-30', '1', '1', '1', '1'), ('essex_a', NULL, '2016-07-01', '2016-09-30', '90', '9', '99', '40000'),
 ('nowhere', NULL, '2017-04-01', '2017-05-31', '00,001', '1e3', '-1', 'n/a');
SELECT * FROM da.ingest_marac('planted marac');
RESET ROLE;
SET ROLE da_planted_kent_loader;
INSERT INTO da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('kent_a', NULL, '2017-07-01', '2017-09-30', '140', '30', '160', '50000'), ('essex_a', NULL, '2017-07-01', '2017-09-30', '5', '1', '5', '1');
SELECT * FROM da.marac_staging;
SELECT * FROM da.ingest_marac('planted marac as kent loader');
SELECT * FROM da.rejected_marac_return;
SELECT * FROM da.marac_return;
SELECT * FROM da.marac_quarter_status;
SELECT * FROM da.marac_12_months;
SELECT * FROM da.funnel_positions('2017-06-30');
SELECT * FROM da.funnel_curve('arrests_per_100', '2017-06-30', 5);
RESET ROLE;
SELECT * FROM da.funnel_positions('2017-06-30');
SELECT * FROM da.funnel_curve('arrests_per_100', '2017-06-30', 5);
SELECT * FROM da.validate_returns('2017-06-30');
SELECT da.run_validation('2017-06-30');
SELECT da.run_validation();
SELECT * FROM da.national_total('da_crimes', '2016-07-01', '2017-06-30');
SELECT * FROM da.national_change('da_crimes', '2016-07-01', '2017-06-30');
SELECT * FROM da.national_indicator_change('arrests_per_100', '2016-07-01', '2017-06-30');
SELECT * FROM da.indicator_national();
SELECT * FROM da.funnel_baseline('2017-06-30');
SET ROLE da_planted_kent;
SELECT * FROM da.national_total('da_crimes', '2016-07-01', '2017-06-30');
SELECT * FROM da.dashboard;
SELECT * FROM da.marac_return;
SELECT * FROM da.marac_quarter_status;
SELECT * FROM da.marac_12_months;
SELECT * FROM da.funnel_positions('2017-06-30');
SELECT * FROM da.funnel_curve('arrests_per_100', '2017-06-30', 5);
RESET ROLE;
SQL
        cat "$work/views.sql"
        cat <<'SQL'
SELECT da.revoke_access('da_planted_loader');
SELECT da.revoke_access('da_planted_kent');
SELECT da.revoke_access('da_planted_kent_loader');
DROP ROLE da_planted_loader;
DROP ROLE da_planted_kent;
DROP ROLE da_planted_kent_loader;
SQL
    } | psql -X -q -d "$db" >>"$work/$db.out" 2>>"$work/$db.err"
}
runs() { hq -d "$1" -c "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM public.planted_runs"; }
top() { grep -o 'planted look-alike ran: [^"]* as' "$work/$1.err" | sed 's/^planted look-alike ran: //; s/ as$//' \
        | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/#   /'; }

# Every view of the extension, listed from the catalogue of a plain install.
hq -d postgres -c "DROP DATABASE IF EXISTS da_planted_probe" -c "CREATE DATABASE da_planted_probe" >/dev/null 2>&1
hq -d da_planted_probe -c "CREATE EXTENSION da_stats" -c "SELECT da.create_warehouse()" >/dev/null
hq -d da_planted_probe -c "SELECT format('SELECT * FROM %s;', c.oid::regclass) FROM pg_class c
                            WHERE c.relnamespace = 'da'::regnamespace AND c.relkind = 'v' ORDER BY 1" > "$work/views.sql"
hq -d postgres -c "DROP DATABASE da_planted_probe" >/dev/null
nviews=$(wc -l < "$work/views.sql")

# This release: 0.1 + ALTER EXTENSION UPDATE, then a fresh CREATE EXTENSION and create_warehouse.
read -r nf no nn < <(plant_db da_planted)
usual='"$user", public, da'
workload da_planted "$usual" "CREATE EXTENSION da_stats VERSION '0.1';" "ALTER EXTENSION da_stats UPDATE;" \
    "SELECT extversion AS upgraded_to FROM pg_extension WHERE extname = 'da_stats';"
workload da_planted "$usual" "DROP SCHEMA da CASCADE;" "CREATE EXTENSION da_stats;" "SELECT da.create_warehouse();"
# And with public ahead of pg_catalog, where even exact copies would be picked.
workload da_planted "public, pg_catalog, da" "DROP SCHEMA da CASCADE;" "CREATE EXTENSION da_stats;" "SELECT da.create_warehouse();"
runs_now=$(runs da_planted)
# The issue's own examples must be among the plants.
must='array_remove(text[], text);array_to_string(text[], text);format(text, text);count(text);sum(bigint);string_agg(text, text);=(text[], text[]);<>(text[], text[]);=(text, text)'
missing=$(hq -d da_planted -v must="$must" <<'SQL'
SELECT coalesce(string_agg(m, '; '), '') FROM unnest(string_to_array(:'must', ';')) m
WHERE NOT EXISTS (SELECT 1 FROM public.planted p WHERE p.signature = m);
SQL
)
loads=$(hq -d da_planted -c "SELECT count(*) || ' loads, ' || sum(inserted + updated) || ' rows in, ' || sum(rejected) || ' rejected' FROM da.return_load WHERE kind <> 'marac'")
maracs=$(hq -d da_planted -c "SELECT count(*) || ' MARAC loads, ' || sum(inserted + updated) || ' rows in, ' || sum(rejected) || ' rejected' FROM da.return_load WHERE kind = 'marac'")
findings=$(hq -d da_planted -c "SELECT count(*) FROM da.validation_finding")
[ "${nf:-0}" -gt 100 ] && [ "${no:-0}" -gt 50 ] && [ -z "$missing" ] \
    && tap ok "planted $nf function/aggregate and $no operator look-alikes of $nn pg_catalog names the scripts use" \
    || tap fail "planted look-alikes: functions '${nf:-}', operators '${no:-}', missing: $missing"
errors=$(grep -c 'ERROR' "$work/da_planted.err" || true)
[ "$nviews" -ge 8 ] && [ "$findings" -gt 0 ] && [[ "$loads" == 4\ loads* ]] && [[ "$maracs" == "2 MARAC loads, 6 rows in, 3 rejected" ]] \
    && [ "$errors" = 0 ] \
    && tap ok "the workload ran without an error: $loads; $maracs; $findings findings recorded; $nviews views read" \
    || tap fail "the workload ran: loads '$loads', '$maracs', findings '$findings', views $nviews; $(grep -m 5 ERROR "$work/da_planted.err")"
[ "$runs_now" = 0 ] && tap ok "planted look-alikes executed 0 times (CREATE/ALTER EXTENSION, grants, ingest, validation, views, national; public before and after pg_catalog)" \
    || { tap fail "planted look-alikes executed $runs_now times"; top da_planted; }

# Control: the 0.2 scripts with the same plants.
plant_db da_planted_02 >/dev/null
workload da_planted_02 "$usual" "CREATE EXTENSION da_stats VERSION '0.1';" "ALTER EXTENSION da_stats UPDATE TO '0.2';"
runs_02=$(runs da_planted_02)
[ "${runs_02:-0}" -gt 0 ] && tap ok "control: on the 0.2 scripts the same look-alikes executed $runs_02 times" \
    || tap fail "control: on the 0.2 scripts the look-alikes executed '${runs_02:-}' times (the test cannot fail?)"
[ "${runs_02:-0}" -gt 0 ] && top da_planted_02

if [ -z "${DS_KEEP_PLANTED:-}" ]; then
    hq -d postgres -c "DROP DATABASE da_planted" -c "DROP DATABASE da_planted_02" >/dev/null 2>&1
    hq -d postgres -c "DROP ROLE IF EXISTS da_planter" >/dev/null 2>&1
fi
exit 0
