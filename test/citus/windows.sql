-- Moving-window aggregates over a distributed table (rolling 12 months per force).
\ir helpers.sql

-- Partitioned by the distribution column: each force's window runs on the worker holding it.
SELECT pg_temp.tap(d = l AND l ~ '=[^N]', format('%s OVER (PARTITION BY force_id ... ROWS 11 PRECEDING): distributed = single node', e.sig))
FROM ext_aggs e JOIN agg_args a USING (sig),
     LATERAL (SELECT format('SELECT ''all''::text AS k, md5(string_agg(coalesce(v::text, ''NULL''), '';'' ORDER BY force_id, month, rec)) AS v
                              FROM (SELECT force_id, month, rec, %s(%s) OVER (PARTITION BY force_id ORDER BY month, rec ROWS 11 PRECEDING) AS v
                                      FROM %%I) w', e.fn, a.args) AS q) q,
     LATERAL pg_temp.rows_of(format(q.q, 'ret_dist')) d, LATERAL pg_temp.rows_of(format(q.q, 'ret_local')) l
WHERE e.moving ORDER BY e.sig;

SELECT pg_temp.tap(p ~ '^Custom Scan \(Citus Adaptive\)' AND p ~ 'Query: SELECT [^\n]*OVER \(PARTITION BY worker_column_1 ' AND p LIKE '%WindowAgg%',
                   format('%s OVER (PARTITION BY force_id ...): window computed on the workers', e.sig))
FROM ext_aggs e JOIN agg_args a USING (sig),
     LATERAL pg_temp.plan_of(format('SELECT force_id, month, rec, %s(%s) OVER (PARTITION BY force_id ORDER BY month, rec ROWS 11 PRECEDING) FROM ret_dist', e.fn, a.args)) p
WHERE e.moving ORDER BY e.sig;

-- Any other window (here: across forces, by month) is not pushed down: Citus gathers the
-- rows and runs the window on the coordinator. Same result, no scale-out.
SELECT pg_temp.tap(d = l AND l ~ '=[^N]', 'da.per_100_agg OVER (PARTITION BY month ...): distributed = single node')
FROM (SELECT format('SELECT ''all''::text AS k, md5(string_agg(coalesce(v::text, ''NULL''), '';'' ORDER BY force_id, month, rec)) AS v
                       FROM (SELECT force_id, month, rec, da.per_100_agg(arrests, crimes) OVER (PARTITION BY month ORDER BY force_id, rec ROWS 11 PRECEDING) AS v
                               FROM %%I) w') AS q) q,
     LATERAL pg_temp.rows_of(format(q.q, 'ret_dist')) d, LATERAL pg_temp.rows_of(format(q.q, 'ret_local')) l;
SELECT pg_temp.tap(p ~ '^WindowAgg' AND p ~ 'Query: SELECT [^\n]*FROM public\.ret_dist_[0-9]+ ret_dist WHERE true' AND p NOT LIKE '%OVER (PARTITION BY worker%',
                   'da.per_100_agg OVER (PARTITION BY month ...): rows gathered, window on the coordinator')
FROM pg_temp.plan_of('SELECT force_id, month, rec, da.per_100_agg(arrests, crimes) OVER (PARTITION BY month ORDER BY force_id, rec ROWS 11 PRECEDING) FROM ret_dist') p;
