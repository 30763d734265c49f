-------------------------------------------------------------------------------
-- da.distribute_warehouse(shard_count): how many shards (issue 10).
--
-- 0.4's function distributed the per-force tables into citus.shard_count shards, 32 unless
-- the caller set it. With 44 forces, every all-forces query then pays a task per shard for
-- one or two forces' rows each (doc/citus.md: national_totals 1.43x with 8 shards, 0.92x with
-- 2). The count is now an argument; by default it is citus.shard_count when the session set
-- it (SET citus.shard_count, as 0.4 and 0.5 documented), otherwise one shard per active
-- worker, which is what the 2-shard runs measured. Otherwise as in 0.4 (sql/0.4/80_distribute.sql):
-- called again it changes nothing, whatever the count (re-sharding is Citus's
-- alter_distributed_table(..., shard_count => n, cascade_to_colocated => true)).
--
-- MARAC returns (da.marac_return, da.marac_return_history) are distributed by force_id too,
-- co-located with the force returns (part 50 gave them keys with force_id). On a warehouse
-- that 0.4 or 0.5 distributed, where they are reference tables, a call converts them
-- (Citus's undistribute_table, then create_distributed_table; their rows are kept) and
-- reports them changed; nothing else is touched then.
--
-- da.validation_run is a coordinator table, like da.validation_finding: da.run_validation
-- writes one row per run and nothing on the workers reads it; as a reference table that row
-- was a two-phase commit over every node (15.5 ms of a run on Citus against 5.0 ms on one
-- node). On a warehouse 0.4 or 0.5 distributed, a call turns it back into a plain table
-- (undistribute_table), with its rows, owner, comments and grants.
-------------------------------------------------------------------------------
DROP FUNCTION da.distribute_warehouse();

CREATE FUNCTION da.distribute_warehouse(shard_count integer DEFAULT NULL)
    RETURNS TABLE (relation regclass, citus_table_type text, changed boolean)
    LANGUAGE plpgsql
AS $distribute$
DECLARE
    reference_tables constant text[] := ARRAY[
        'force', 'force_alias', 'measure', 'indicator', 'analyst_force', 'return_load',
        'setting_default', 'setting', 'validation_rule_default', 'validation_rule_setting',
        'validation_rule_custom', 'marac_area'];
    -- The first is the co-location anchor of the others.
    distributed_tables constant text[] := ARRAY[
        'force_return', 'force_return_outcomes', 'force_return_history', 'force_return_outcomes_history',
        'marac_return', 'marac_return_history'];
    -- validation_run since 0.6: only da.run_validation writes it and nothing on the workers
    -- reads it; as a reference table each run's row was a two-phase commit over every node.
    local_tables constant text[] := ARRAY['rejected_return', 'rejected_marac_return', 'validation_finding', 'validation_run'];
    citus_tables constant text[] := reference_tables OPERATOR(pg_catalog.||) distributed_tables;
    all_tables constant text[] := citus_tables OPERATOR(pg_catalog.||) local_tables;
    t text;
    missing text;
    todo bigint;
    already text[];
    -- Tables an earlier release made reference tables that are now distributed (0.5's MARAC
    -- returns) or coordinator tables (validation_run): converted, with their rows.
    convert text[];
    -- Their comments, grants and owners, and those of the views over them, which Citus's
    -- undistribute_table loses (it re-creates the views): put back afterwards.
    restore text[] := '{}';
    mode text;
    messages text;
    keys record;
    saved_keys text[] := '{}';
    shards integer := distribute_warehouse.shard_count;
    shards_before text;
BEGIN
    IF shards IS NOT NULL AND (shards OPERATOR(pg_catalog.<) 1 OR shards OPERATOR(pg_catalog.>) 64000) THEN
        RAISE EXCEPTION 'shard_count must be between 1 and 64000, not %', shards
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'About one shard per worker core; da.distribute_warehouse() with no argument takes one per worker.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname OPERATOR(pg_catalog.=) 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'da.distribute_warehouse() makes the warehouse''s tables Citus tables.',
                  HINT = 'On one node the warehouse needs no distributing. To scale out, install Citus, CREATE EXTENSION citus, add the workers, then call this function on the coordinator.';
    END IF;
    IF NOT pg_catalog.citus_is_coordinator() THEN
        RAISE EXCEPTION 'da.distribute_warehouse() runs on the Citus coordinator'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Connect to the coordinator (registered with citus_set_coordinator_host) and call it there.';
    END IF;
    SELECT pg_catalog.string_agg(x, ', ') INTO missing
    FROM pg_catalog.unnest(all_tables) x
    WHERE pg_catalog.to_regclass(pg_catalog.format('da.%I', x)) IS NULL;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'the warehouse is not there to distribute'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Missing: %s.', missing),
                  HINT = 'SELECT da.create_warehouse() first.';
    END IF;
    -- The default: the session's citus.shard_count if it was set, else one shard per worker.
    IF shards IS NULL THEN
        IF (SELECT s.source FROM pg_catalog.pg_settings s WHERE s.name OPERATOR(pg_catalog.=) 'citus.shard_count')
           OPERATOR(pg_catalog.<>) 'default' THEN
            shards := pg_catalog.current_setting('citus.shard_count')::integer;
        ELSE
            shards := GREATEST(1, (SELECT pg_catalog.count(*)::integer FROM pg_catalog.citus_get_active_worker_nodes()));
        END IF;
    END IF;

    SELECT coalesce(pg_catalog.array_agg(x), '{}') INTO already
    FROM pg_catalog.unnest(citus_tables) x
    WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                  WHERE p.logicalrelid OPERATOR(pg_catalog.=) pg_catalog.format('da.%I', x)::pg_catalog.regclass);
    todo := pg_catalog.cardinality(citus_tables) OPERATOR(pg_catalog.-) pg_catalog.cardinality(already);
    SELECT coalesce(pg_catalog.array_agg(x), '{}') INTO convert
    FROM pg_catalog.unnest(distributed_tables OPERATOR(pg_catalog.||) local_tables) x
    WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                  WHERE p.logicalrelid OPERATOR(pg_catalog.=) pg_catalog.format('da.%I', x)::pg_catalog.regclass
                    AND (x OPERATOR(pg_catalog.=) ANY (local_tables) OR p.partmethod OPERATOR(pg_catalog.<>) 'h'));
    IF todo OPERATOR(pg_catalog.=) 0 THEN
        already := all_tables;
    END IF;
    already := ARRAY(SELECT x FROM pg_catalog.unnest(already) x WHERE x OPERATOR(pg_catalog.<>) ALL (convert));

    IF todo OPERATOR(pg_catalog.>) 0 OR pg_catalog.cardinality(convert) OPERATOR(pg_catalog.>) 0 THEN
        -- One connection per worker for the whole conversion: Citus refuses to add keys to
        -- reference tables in a transaction that has used parallel connections to shards.
        mode := pg_catalog.current_setting('citus.multi_shard_modify_mode');
        PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);
        shards_before := pg_catalog.current_setting('citus.shard_count');
        PERFORM pg_catalog.set_config('citus.shard_count', shards::text, true);
        -- Citus's notices per table (copying, local data left on disk) are answered here.
        messages := pg_catalog.current_setting('client_min_messages');
        PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
        -- (Only when some table is to become a Citus table for the first time.)
        -- A warehouse created by 0.3, where the extension owned the tables, has empty copies of
        -- them on every worker (Citus ran the extension's script there); since 0.4 they are
        -- ordinary leftovers that would collide with the tables Citus creates. Drop them; a
        -- leftover holding rows other than the ones the script shipped (user_defined = false,
        -- and the *_default tables) is an error: nothing of a user's is dropped.
        IF todo OPERATOR(pg_catalog.>) 0 THEN
            SELECT pg_catalog.string_agg(w.nodename OPERATOR(pg_catalog.||) ':' OPERATOR(pg_catalog.||) w.nodeport::text
                                         OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) w.result, '; ')
            INTO missing
            FROM pg_catalog.run_command_on_workers($leftovers$
                DO $do$
                DECLARE
                    r record;
                    n bigint;
                BEGIN
                    FOR r IN
                        SELECT c.oid::pg_catalog.regclass AS rel, c.relkind
                        FROM pg_catalog.pg_class c
                        WHERE c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
                          AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'v']::"char"[])
                          AND c.relname OPERATOR(pg_catalog.<>) ALL (ARRAY['outcome_code', 'outcome_group'])
                          AND c.relname OPERATOR(pg_catalog.!~) '_[0-9]+$'
                          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid OPERATOR(pg_catalog.=) c.oid)
                          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                          WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                            AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')
                        ORDER BY c.relkind DESC
                    LOOP
                        IF r.relkind OPERATOR(pg_catalog.=) 'r' THEN
                            n := 0;
                            IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                       WHERE a.attrelid OPERATOR(pg_catalog.=) r.rel AND a.attname OPERATOR(pg_catalog.=) 'user_defined') THEN
                                EXECUTE pg_catalog.format('SELECT count(*) FROM %s WHERE user_defined', r.rel) INTO n;
                            ELSIF r.rel::text OPERATOR(pg_catalog.!~) '_default$' THEN
                                EXECUTE pg_catalog.format('SELECT count(*) FROM %s', r.rel) INTO n;
                            END IF;
                            IF n OPERATOR(pg_catalog.>) 0 THEN
                                RAISE EXCEPTION 'worker table % holds % rows', r.rel, n;
                            END IF;
                            EXECUTE pg_catalog.format('DROP TABLE IF EXISTS %s CASCADE', r.rel);
                        ELSE
                            EXECUTE pg_catalog.format('DROP VIEW IF EXISTS %s CASCADE', r.rel);
                        END IF;
                    END LOOP;
                END
                $do$
            $leftovers$) w
            WHERE NOT w.success;
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'could not clear the workers of warehouse tables left by an earlier release'
                    USING ERRCODE = 'object_not_in_prerequisite_state', DETAIL = missing,
                          HINT = 'Those tables should be empty copies; look at them on the worker before dropping them by hand.';
            END IF;
        END IF;

        -- Keys between warehouse tables: saved, dropped, and added back once every table is
        -- converted (converting one table would otherwise convert its neighbours as Citus
        -- local tables, which then cannot become reference or distributed tables). When only
        -- converting reference tables, only their own keys (the others' stay in place).
        FOR keys IN
            SELECT c.conrelid::pg_catalog.regclass AS rel, c.conname, pg_catalog.pg_get_constraintdef(c.oid) AS def
            FROM pg_catalog.pg_constraint c
            WHERE c.contype OPERATOR(pg_catalog.=) 'f'
              AND c.connamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
              AND c.conrelid::pg_catalog.regclass::text OPERATOR(pg_catalog.=) ANY (
                    SELECT pg_catalog.format('da.%I', x) FROM pg_catalog.unnest(all_tables) x)
              AND (todo OPERATOR(pg_catalog.>) 0
                   OR c.conrelid::pg_catalog.regclass::text OPERATOR(pg_catalog.=) ANY (
                        SELECT pg_catalog.format('da.%I', x) FROM pg_catalog.unnest(convert) x)
                   OR c.confrelid::pg_catalog.regclass::text OPERATOR(pg_catalog.=) ANY (
                        SELECT pg_catalog.format('da.%I', x) FROM pg_catalog.unnest(convert) x))
            ORDER BY 1, 2
        LOOP
            IF keys.rel::text OPERATOR(pg_catalog.<>) ALL (
                   SELECT pg_catalog.format('da.%I', x) FROM pg_catalog.unnest(local_tables) x) THEN
                saved_keys := saved_keys OPERATOR(pg_catalog.||)
                    pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', keys.rel, keys.conname, keys.def);
            END IF;
            EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', keys.rel, keys.conname);
        END LOOP;

        -- Reference tables to be distributed or kept on the coordinator: back to plain tables
        -- first (rows, indexes and policies kept), then distributed below like a new table.
        IF pg_catalog.cardinality(convert) OPERATOR(pg_catalog.>) 0 THEN
            WITH RECURSIVE rel(oid) AS (
                SELECT pg_catalog.format('da.%I', x)::pg_catalog.regclass::pg_catalog.oid FROM pg_catalog.unnest(convert) x
                UNION
                SELECT w.ev_class
                FROM rel
                JOIN pg_catalog.pg_depend d
                  ON d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                 AND d.refobjid OPERATOR(pg_catalog.=) rel.oid
                 AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                JOIN pg_catalog.pg_rewrite w ON w.oid OPERATOR(pg_catalog.=) d.objid
                WHERE w.ev_class OPERATOR(pg_catalog.<>) rel.oid
            ), obj AS (
                SELECT c.oid, c.oid::pg_catalog.regclass AS r, c.relowner, c.relacl,
                       CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END AS kind
                FROM rel JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) rel.oid
            )
            SELECT coalesce(pg_catalog.array_agg(q.s ORDER BY q.o, q.s), '{}') INTO restore
            FROM (SELECT 1 AS o, pg_catalog.format('ALTER %s %s OWNER TO %I', obj.kind, obj.r,
                                                   pg_catalog.pg_get_userbyid(obj.relowner)) AS s
                  FROM obj
                  UNION ALL
                  SELECT 2, pg_catalog.format('COMMENT ON %s %s IS %L', obj.kind, obj.r, d.description)
                  FROM obj JOIN pg_catalog.pg_description d
                    ON d.objoid OPERATOR(pg_catalog.=) obj.oid AND d.objsubid OPERATOR(pg_catalog.=) 0
                   AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                  UNION ALL
                  SELECT 3, pg_catalog.format('COMMENT ON COLUMN %s.%I IS %L', obj.r, a.attname, d.description)
                  FROM obj JOIN pg_catalog.pg_description d
                    ON d.objoid OPERATOR(pg_catalog.=) obj.oid AND d.objsubid OPERATOR(pg_catalog.>) 0
                   AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                  JOIN pg_catalog.pg_attribute a
                    ON a.attrelid OPERATOR(pg_catalog.=) obj.oid AND a.attnum OPERATOR(pg_catalog.=) d.objsubid
                  UNION ALL
                  SELECT 4, pg_catalog.format('GRANT %s ON %s TO %s%s', g.privilege_type, obj.r,
                                              CASE WHEN g.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                                   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                                              CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
                  FROM obj CROSS JOIN LATERAL pg_catalog.aclexplode(obj.relacl) g
                  WHERE g.grantee OPERATOR(pg_catalog.<>) obj.relowner) q;
        END IF;
        FOREACH t IN ARRAY convert LOOP
            PERFORM pg_catalog.undistribute_table(pg_catalog.format('da.%I', t));
        END LOOP;
        FOREACH t IN ARRAY reference_tables LOOP
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                           WHERE p.logicalrelid OPERATOR(pg_catalog.=) pg_catalog.format('da.%I', t)::pg_catalog.regclass) THEN
                PERFORM pg_catalog.create_reference_table(pg_catalog.format('da.%I', t));
            END IF;
        END LOOP;
        FOREACH t IN ARRAY distributed_tables LOOP
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                           WHERE p.logicalrelid OPERATOR(pg_catalog.=) pg_catalog.format('da.%I', t)::pg_catalog.regclass) THEN
                PERFORM pg_catalog.create_distributed_table(
                    pg_catalog.format('da.%I', t), 'force_id',
                    colocate_with => CASE WHEN t OPERATOR(pg_catalog.=) distributed_tables[1] THEN 'default'
                                          ELSE pg_catalog.format('da.%I', distributed_tables[1]) END);
            END IF;
        END LOOP;
        -- The rows now live in the shards; free the coordinator's copies before the keys return.
        FOREACH t IN ARRAY citus_tables LOOP
            IF NOT (t OPERATOR(pg_catalog.=) ANY (already)) THEN
                PERFORM pg_catalog.truncate_local_data_after_distributing_table(pg_catalog.format('da.%I', t));
            END IF;
        END LOOP;
        FOREACH t IN ARRAY saved_keys LOOP
            EXECUTE t;
        END LOOP;
        FOREACH t IN ARRAY restore LOOP
            EXECUTE t;
        END LOOP;
        PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', mode, true);
        PERFORM pg_catalog.set_config('citus.shard_count', shards_before, true);
        PERFORM pg_catalog.set_config('client_min_messages', messages, true);
    END IF;

    RETURN QUERY
    SELECT pg_catalog.format('da.%I', x)::pg_catalog.regclass,
           CASE WHEN x OPERATOR(pg_catalog.=) ANY (reference_tables) THEN 'reference'
                WHEN x OPERATOR(pg_catalog.=) ANY (distributed_tables) THEN 'distributed by force_id'
                ELSE 'none (coordinator only)' END,
           NOT (x OPERATOR(pg_catalog.=) ANY (already))
    FROM pg_catalog.unnest(all_tables) WITH ORDINALITY u(x, i)
    ORDER BY u.i;
END
$distribute$;
REVOKE ALL ON FUNCTION da.distribute_warehouse(integer) FROM PUBLIC;
COMMENT ON FUNCTION da.distribute_warehouse(integer) IS
    'On a Citus coordinator, into shard_count shards (default: citus.shard_count if the session set it, else one per worker): force returns, outcomes, MARAC returns and their histories distributed by force_id (co-located; MARAC returns an earlier release made reference tables are converted), lists and MARAC areas as reference tables, rejected rows, findings and validation runs as coordinator tables; idempotent. Error without Citus';
