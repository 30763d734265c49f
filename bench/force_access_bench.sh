#!/usr/bin/env bash
# Row-level security by force on one node: the cost per row of the policy
# USING (da.may_access_force(force_id)) for an analyst, the C function of 0.4 against the 0.2
# SQL function (re-created here as public.may_access_force_sql, same body), in one run.
#
#   bash bench/force_access_bench.sh [rows]   default 200,000 rows over the 45 forces
#
# Two copies of the same rows, one per function, each with the policy; count(*) under
# EXPLAIN (ANALYZE, TIMING OFF), serial, best of 3, as the superuser (the policy does not
# apply) and as an analyst mapped to two forces. Cost per row = (analyst - superuser) / rows.
# Starts its own throwaway cluster (scripts/lib.sh) unless BENCH_DB is set and PGHOST points
# at a running server.
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"

rows=${1:-200000}
bench_start "shared_buffers = '512MB'"
psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" >/dev/null <<SQL
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS da_stats CASCADE;
CREATE EXTENSION da_stats;
DROP TABLE IF EXISTS public.fa_c, public.fa_sql;
DROP ROLE IF EXISTS fa_bench_analyst;
CREATE ROLE fa_bench_analyst;
SELECT da.grant_access('fa_bench_analyst', 'analyst', ARRAY['kent', 'essex']);
CREATE FUNCTION public.may_access_force_sql(force_id text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                   WHERE r.rolname = current_user AND (r.rolsuper OR r.rolbypassrls))
        OR EXISTS (SELECT 1 FROM da.analyst_force a
                   JOIN pg_catalog.pg_roles r ON r.rolname = a.role_name
                   WHERE (a.force_id IS NULL OR a.force_id = may_access_force_sql.force_id)
                     AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'));
CREATE TABLE public.fa_c AS
SELECT f.force_id, g AS n FROM generate_series(1, $rows) g
JOIN (SELECT force_id, row_number() OVER (ORDER BY force_id) - 1 AS i, count(*) OVER () AS k FROM da.force) f
  ON f.i = g % f.k;
CREATE TABLE public.fa_sql AS SELECT * FROM public.fa_c;
ALTER TABLE public.fa_c ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.fa_sql ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON public.fa_c USING (da.may_access_force(force_id));
CREATE POLICY force_read ON public.fa_sql USING (public.may_access_force_sql(force_id));
GRANT SELECT ON public.fa_c, public.fa_sql TO fa_bench_analyst;
VACUUM ANALYZE public.fa_c, public.fa_sql;
SQL

# Best of 3 "Execution Time" of EXPLAIN ANALYZE, in ms.
explain_ms() {
    local role=$1 table=$2
    psql -X -q -At -d "$BENCH_DB" <<SQL | sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p' | sort -g | head -n 1
SET max_parallel_workers_per_gather = 0;
SET ROLE $role;
SELECT count(*) FROM public.$table;
EXPLAIN (ANALYZE, TIMING OFF) SELECT count(*) FROM public.$table;
EXPLAIN (ANALYZE, TIMING OFF) SELECT count(*) FROM public.$table;
EXPLAIN (ANALYZE, TIMING OFF) SELECT count(*) FROM public.$table;
SQL
}
seen=$(psql -X -q -At -d "$BENCH_DB" -c 'SET ROLE fa_bench_analyst' -c 'SELECT count(*) FROM public.fa_c')
seen_sql=$(psql -X -q -At -d "$BENCH_DB" -c 'SET ROLE fa_bench_analyst' -c 'SELECT count(*) FROM public.fa_sql')
echo "force access benchmark: $rows rows, the analyst sees $seen (C) / $seen_sql (SQL) of them"
su_c=$(explain_ms postgres fa_c)
su_s=$(explain_ms postgres fa_sql)
an_c=$(explain_ms fa_bench_analyst fa_c)
an_s=$(explain_ms fa_bench_analyst fa_sql)
awk -v rows="$rows" -v suc="$su_c" -v sus="$su_s" -v anc="$an_c" -v ans="$an_s" 'BEGIN {
    printf "  count(*) as superuser (no policy)     C table %9.1f ms   SQL table %9.1f ms\n", suc, sus
    printf "  count(*) as analyst                   C       %9.1f ms   SQL       %9.1f ms\n", anc, ans
    pc = (anc - suc) * 1000 / rows; ps = (ans - sus) * 1000 / rows
    printf "  policy cost per row                   C       %9.3f us   SQL       %9.3f us\n", pc, ps
    printf "  analyst / superuser                   C       %9.2fx    SQL       %9.2fx\n", anc / suc, ans / sus
    printf "  SQL / C, analyst count(*)             %.1fx;  per row policy cost SQL / C: %.0fx\n", ans / anc, ps / pc }'
psql -X -q -d "$BENCH_DB" -c 'DROP TABLE public.fa_c, public.fa_sql' -c 'DROP FUNCTION public.may_access_force_sql(text)' \
    -c "SELECT da.revoke_access('fa_bench_analyst')" -c 'DROP ROLE fa_bench_analyst' >/dev/null
