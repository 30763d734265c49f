-- Citus propagates CREATE EXTENSION da_stats (schema da, superuser-only) to the workers.
\set ON_ERROR_STOP 1
SELECT CASE WHEN count(*) = 2 AND bool_and(success) AND bool_and(result = (SELECT extversion || ' da' FROM pg_extension WHERE extname = 'da_stats'))
            THEN 'ok' ELSE 'not ok' END || ' - da_stats propagated to both workers at the coordinator''s version, in schema da'
FROM run_command_on_workers($$SELECT extversion || ' ' || extnamespace::regnamespace FROM pg_extension WHERE extname = 'da_stats'$$);

SELECT CASE WHEN count(*) = 1 THEN 'ok' ELSE 'not ok' END || ' - da_stats is a Citus distributed object'
FROM pg_dist_object WHERE classid = 'pg_extension'::regclass
  AND objid = (SELECT oid FROM pg_extension WHERE extname = 'da_stats');

-- Every worker holds the same aggregate signatures as the coordinator.
SELECT CASE WHEN count(*) = 2 AND bool_and(success)
             AND bool_and(result = (SELECT string_agg(p.oid::regprocedure::text, ',' ORDER BY p.oid::regprocedure::text)
                                      FROM pg_proc p WHERE p.prokind = 'a' AND p.pronamespace = 'da'::regnamespace))
            THEN 'ok' ELSE 'not ok' END || ' - workers have the coordinator''s aggregates'
FROM run_command_on_workers($$SELECT string_agg(p.oid::regprocedure::text, ',' ORDER BY p.oid::regprocedure::text)
                               FROM pg_proc p WHERE p.prokind = 'a' AND p.pronamespace = 'da'::regnamespace$$);

-- A scalar function of the extension runs on the workers inside a pushed-down query.
SELECT CASE WHEN count(*) = 44 AND bool_and(r = da.per_100(a, c)) THEN 'ok' ELSE 'not ok' END
       || ' - da.per_100 evaluated on the workers equals the coordinator''s'
FROM (SELECT force_id, da.per_100(sum(arrests)::bigint, sum(crimes)::bigint) AS r, sum(arrests)::bigint AS a, sum(crimes)::bigint AS c
        FROM ret_dist WHERE arrests IS NOT NULL AND crimes IS NOT NULL GROUP BY force_id) s;
