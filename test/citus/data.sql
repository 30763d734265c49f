-- Synthetic force returns for the citus suite: 44 forces x 120 months x 4 rows, with NULLs
-- in every measure so that pairwise-complete and "left out" handling is exercised too.
-- ret_local stays an ordinary table on the coordinator (the single-node reference);
-- ret_dist is the same rows distributed by force_id.
SET client_min_messages = warning;
SET citus.shard_count = 8;
CREATE TABLE ret_local AS
SELECT (g % 44 + 1)::int AS force_id, ((g / 44) % 120)::int AS month, (g / 5280)::int AS rec,
       CASE WHEN g % 97 = 0 THEN NULL ELSE 20 + (g * 7919) % 300 END::bigint AS crimes,
       CASE WHEN g % 89 = 0 THEN NULL ELSE (g * 104729) % 20 END::bigint AS arrests,
       CASE WHEN g % 83 = 0 THEN NULL ELSE 20 + (g * 31) % 250 END::bigint AS prev_crimes,
       CASE WHEN g % 73 = 0 THEN NULL ELSE (g * 17) % 20 END::bigint AS prev_arrests,
       CASE WHEN g % 101 = 0 THEN NULL
            ELSE (ARRAY['0','1','1A','2','2A','3','3A','4','5','6','7','8','9','10','11','12',
                        '13','14','15','16','17','18','20','21','22','23'])[1 + (g * 13) % 26] END AS code,
       CASE WHEN g % 103 = 0 THEN NULL
            ELSE (ARRAY[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,20,21,22,23])[1 + (g * 11) % 23] END AS code_i,
       CASE WHEN g % 79 = 0 THEN NULL ELSE (g * 7) % 40 END::bigint AS n
FROM generate_series(0::bigint, 44 * 120 * 4 - 1) g;
-- A stored rollup per row (the hll/tdigest pattern); NULL now and then ("unable to provide").
ALTER TABLE ret_local ADD COLUMN counts da.outcome_counts;
UPDATE ret_local SET counts = (SELECT da.outcome_agg(c, k) FROM (VALUES (code_i, n)) v(c, k))
 WHERE (force_id * 31 + month) % 67 <> 0;
ALTER TABLE ret_local ADD COLUMN crimes_i integer, ADD COLUMN arrests_i integer;
UPDATE ret_local SET crimes_i = crimes, arrests_i = arrests;
CREATE TABLE ret_dist (LIKE ret_local);
SELECT create_distributed_table('ret_dist', 'force_id') \gset
INSERT INTO ret_dist SELECT * FROM ret_local;
ANALYZE ret_local;
ANALYZE ret_dist;
