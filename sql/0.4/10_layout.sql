-------------------------------------------------------------------------------
-- The warehouse layout that Citus can distribute (issue 10; doc/citus.md, findings 3-5).
-- One layout everywhere: a single node keeps the same keys as a Citus cluster, so that
-- da.distribute_warehouse() converts tables and never redesigns them.
--
-- Applied to the tables an earlier release created (ALTER EXTENSION ... UPDATE); a fresh
-- install passes through it too, and da.create_warehouse() creates this layout directly.
-------------------------------------------------------------------------------

-- A distributed table's unique keys must contain its distribution column (force_id).
ALTER TABLE da.force_return_history
    DROP CONSTRAINT force_return_history_pkey,
    ADD CONSTRAINT force_return_history_pkey PRIMARY KEY (force_id, history_id);
ALTER TABLE da.force_return_outcomes_history
    DROP CONSTRAINT force_return_outcomes_history_pkey,
    ADD CONSTRAINT force_return_outcomes_history_pkey PRIMARY KEY (force_id, history_id);

-- Citus refuses ON UPDATE CASCADE on a distributed table's key that holds the distribution
-- column. Renaming a force_id is rare and deliberate: the README gives the procedure.
ALTER TABLE da.force_return
    DROP CONSTRAINT force_return_force_id_fkey,
    ADD CONSTRAINT force_return_force_id_fkey FOREIGN KEY (force_id) REFERENCES da.force (force_id);
ALTER TABLE da.force_return_outcomes
    DROP CONSTRAINT force_return_outcomes_force_id_fkey,
    ADD CONSTRAINT force_return_outcomes_force_id_fkey FOREIGN KEY (force_id) REFERENCES da.force (force_id);

-- A reference table may reference only reference tables, and da.outcome_code belongs to the
-- statistics layer (on every node, never a Citus table). da.outcome_n raises "unknown
-- outcome code" for a code that does not exist, which is what the key said.
ALTER TABLE da.indicator
    DROP CONSTRAINT indicator_numerator_outcome_fkey,
    ADD CONSTRAINT indicator_numerator_outcome_check
        CHECK (numerator_outcome IS NULL
               OR da.outcome_n('{}'::da.outcome_counts, numerator_outcome) OPERATOR(pg_catalog.>=) 0);
