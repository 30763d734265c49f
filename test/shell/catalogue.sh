#!/usr/bin/env bash
# The reference is the catalogue (issue 12 item 1): scripts/gen_reference regenerated from a
# fresh install must give the committed README.md tables and doc/reference.md, and every
# named argument a README example writes (name => value) must be an argument name of that
# function in the catalogue. Prints TAP lines. Needs PGHOST/PGPORT/PGUSER (scripts/test.sh
# exports them). Comments missing from the catalogue are test/sql/catalogue.sql's concern.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
db=da_stats_catalogue_sh
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 60 | sed 's/^/# /'; }
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
sql -c 'CREATE EXTENSION da_stats' -c 'SELECT da.create_warehouse()' >/dev/null

out=$(bash "$root/scripts/gen_reference" --check "dbname=$db" 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ]; then ok "README.md reference tables and doc/reference.md match the catalogue"
else not_ok "the committed reference differs from the catalogue: run bash scripts/gen_reference" "$out"; fi

# The check notices a comment that changed (it can fail).
sql -c "COMMENT ON FUNCTION da.per_100(bigint, bigint) IS 'changed by catalogue.sh'"
out=$(bash "$root/scripts/gen_reference" --check "dbname=$db" 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 1 ] && echo "$out" | grep -q 'changed by catalogue.sh'; then ok "a changed comment makes the check fail, with the diff"
else not_ok "a changed comment went unnoticed (exit $rc)" "$out"; fi

# Named arguments in the README's examples: every "name =>" after "da.function(" on the same
# line (innermost call) must be an input argument of some da.function in the catalogue.
pairs=$(perl -ne 'while (/da\.([a-z_0-9]+)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g) { my ($f, $a) = ($1, $2);
                     while ($a =~ /\b([a-z_][a-z_0-9]*)\s*=>/g) { print "$f $1\n" } }' "$root/README.md" "$root/doc/"*.md | sort -u)
if [ -z "$pairs" ]; then
    not_ok "found no named-notation example in the README (the extraction is broken)"
else
    bad=""
    while read -r f a; do
        found=$(sql -c "SELECT count(*) FROM pg_proc p, unnest(p.proargnames, coalesce(p.proargmodes, array_fill('i'::\"char\", ARRAY[cardinality(p.proargnames)]))) x(name, mode)
                        WHERE p.pronamespace = 'da'::regnamespace AND p.proname = '$f' AND x.name = '$a' AND x.mode IN ('i', 'b', 'v')")
        [ "$found" -gt 0 ] || bad+="da.$f has no argument named $a"$'\n'
    done <<<"$pairs"
    if [ -z "$bad" ]; then ok "every named argument in the README's examples is the catalogue's ($(echo "$pairs" | wc -l) uses)"
    else not_ok "named arguments the catalogue does not know" "$bad"; fi
fi

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
