#!/usr/bin/env bash
# The validator on real data: the Home Office "police recorded crime by police force area" open
# data table (rolling 12-month totals by offence group, quarterly). Not part of the test suite;
# the file is not in the repository (pass its path).
#
#   bash bench/validation_realdata.sh /path/to/rec-crime-pfa.csv [period_end ...]
#
# Columns expected: 12 months ending (dd-mm-yyyy), PFA, Region, Offence, Rolling year total.
# Each offence group becomes a measure (user-defined, a part of all_crime_excl_fraud except
# fraud), all_crime_excl_fraud is the sum of the non-fraud groups a force returned, and three
# indicators are added (shares of all crime). Everything goes through da.ingest_returns, so
# rows that are not forces (Action Fraud, CIFAS, UK Finance) and negative counts are rejected
# there and reported by the validator. Then scripts/validate runs for the periods given
# (default: 31 March 2017 and 31 December 2018) and the findings are summarised per rule.
#
# Runs in its own throwaway cluster, or in $BENCH_DB on the server PGHOST points at.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

csv=${1:?usage: bash bench/validation_realdata.sh /path/to/rec-crime-pfa.csv [period_end ...]}
[ -r "$csv" ] || ds_die "cannot read $csv"
csv=$(cd "$(dirname "$csv")" && pwd)/$(basename "$csv")
shift
periods=("$@")
[ ${#periods[@]} -gt 0 ] || periods=(2017-03-31 2018-12-31)

bench_start
psql -X -q -d "$BENCH_DB" -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
     -c "CREATE EXTENSION IF NOT EXISTS da_stats" -c "SELECT da.create_warehouse()" >/dev/null

ds_log "loading $csv"
psql -X -q -d "$BENCH_DB" -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
CREATE TEMP TABLE raw (period text, pfa text, region text, offence text, value text);
\copy raw FROM '$csv' CSV HEADER
-- One measure per offence group.
INSERT INTO da.measure (measure_id, unit, description, parent_measure)
SELECT DISTINCT 'pfa_' || trim(BOTH '_' FROM regexp_replace(lower(offence), '[^a-z0-9]+', '_', 'g')),
       'count', offence || ' (Home Office PFA table)',
       CASE WHEN offence IN ('Fraud offences', 'Action Fraud', 'CIFAS', 'UK Finance') THEN NULL ELSE 'all_crime_excl_fraud' END
FROM raw ON CONFLICT DO NOTHING;
-- Shares of all crime, for the funnel checks.
INSERT INTO da.indicator (indicator_id, label, numerator_measure, denominator_measure, per, unit, ci_method)
VALUES ('pfa_violence_with_injury_share', 'Violence with injury as % of all crime', 'pfa_violence_with_injury', 'all_crime_excl_fraud', 100, 'percent', 'wilson'),
       ('pfa_sexual_offences_share', 'Sexual offences as % of all crime', 'pfa_sexual_offences', 'all_crime_excl_fraud', 100, 'percent', 'wilson'),
       ('pfa_stalking_harassment_share', 'Stalking and harassment as % of all crime', 'pfa_stalking_and_harassment', 'all_crime_excl_fraud', 100, 'percent', 'wilson')
ON CONFLICT DO NOTHING;
CREATE TEMP VIEW src AS
SELECT pfa AS force,
       to_char(to_date(period, 'DD-MM-YYYY') - interval '1 year' + interval '1 day', 'YYYY-MM-DD') AS period_start,
       to_char(to_date(period, 'DD-MM-YYYY'), 'YYYY-MM-DD') AS period_end,
       'pfa_' || trim(BOTH '_' FROM regexp_replace(lower(offence), '[^a-z0-9]+', '_', 'g')) AS measure,
       offence, value
FROM raw;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT force, period_start, period_end, measure, value, 'rec-crime-pfa' FROM src
UNION ALL
SELECT force, period_start, period_end, 'all_crime_excl_fraud', sum(value::bigint)::text, 'rec-crime-pfa (sum of groups)'
FROM src WHERE offence NOT IN ('Fraud offences', 'Action Fraud', 'CIFAS', 'UK Finance') AND value ~ '^[0-9]+$'
GROUP BY force, period_start, period_end;
\echo ingest: load_id | inserted | updated | unchanged | rejected
SELECT * FROM da.ingest_returns('rec-crime-pfa');
\echo rejected rows by reason
SELECT regexp_replace(reason, '"[^"]*"', '"…"') AS reason, count(*) AS rows, count(DISTINCT force) AS forces,
       string_agg(DISTINCT force, ', ') AS names
FROM da.rejected_return GROUP BY 1 ORDER BY 2 DESC;
SQL

for p in "${periods[@]}"; do
    ds_log "scripts/validate --period $p"
    out=$("$DS_ROOT/scripts/validate" --period "$p" "dbname=$BENCH_DB") && rc=0 || rc=$?
    echo "$out" | awk -F'\t' 'NR <= 12'
    echo "  ... $(echo "$out" | wc -l) lines; exit status $rc"
    echo "  findings per rule and severity:"
    psql -X -q -d "$BENCH_DB" -c "SELECT rule, severity, count(*) AS findings, count(DISTINCT force_id) AS forces
                                  FROM da.validate_returns('$p') GROUP BY 1, 2 ORDER BY 2, 3 DESC"
done
