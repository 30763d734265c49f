-- DROP EXTENSION, then CREATE at the oldest version and ALTER EXTENSION ... UPDATE, all from
-- the coordinator: each must reach the workers. Runs last: it drops the suite's tables.
\ir helpers.sql
DROP TABLE ret_dist, ret_local;
DROP EXTENSION da_stats;
SELECT pg_temp.tap(bool_and(success AND result = '0'), 'DROP EXTENSION da_stats reached both workers')
FROM run_command_on_workers($$SELECT count(*) FROM pg_extension WHERE extname = 'da_stats'$$);

SELECT version AS oldest FROM pg_available_extension_versions WHERE name = 'da_stats'
ORDER BY string_to_array(version, '.')::int[] LIMIT 1 \gset
CREATE EXTENSION da_stats VERSION :'oldest';
SELECT pg_temp.tap(count(*) = 2 AND bool_and(success AND result = :'oldest'),
                   format('CREATE EXTENSION da_stats VERSION %L reached both workers', :'oldest'))
FROM run_command_on_workers($$SELECT extversion FROM pg_extension WHERE extname = 'da_stats'$$);

ALTER EXTENSION da_stats UPDATE;
SELECT pg_temp.tap(count(*) = 2 AND bool_and(success AND result = a.default_version),
                   'ALTER EXTENSION da_stats UPDATE brought both workers to ' || a.default_version)
FROM run_command_on_workers($$SELECT extversion FROM pg_extension WHERE extname = 'da_stats'$$),
     (SELECT default_version FROM pg_available_extensions WHERE name = 'da_stats') a
GROUP BY a.default_version;
