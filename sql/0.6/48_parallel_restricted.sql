-------------------------------------------------------------------------------
-- The functions that read the warehouse's tables are PARALLEL RESTRICTED (issue 10).
--
-- On Citus every read of a warehouse table is a Citus query, and Citus plans a query on a
-- reference table by setting planner parameters, which a parallel worker may not do. With
-- PostgreSQL 18 and Citus 14, a force-limited analyst's query that PostgreSQL ran with
-- parallel workers on a shard (bigger since 0.6's one shard per worker) failed in the row-level
-- security policy's lookup: "parameter "enable_self_join_elimination" cannot be set during a
-- parallel operation" (CI, debian-testing). On a Citus coordinator, a parallel scan of a plain
-- coordinator table failed the same way ("cannot use 2PC in transactions involving multiple
-- servers"; doc/citus.md, known caveats). Marked PARALLEL RESTRICTED, these functions run in
-- the leader only: a scan whose row-level security policy calls da.may_access_force is not
-- run in parallel for a force-limited role (superusers and BYPASSRLS roles, which skip the
-- policy, keep parallel plans). Each is cheap per call and caches or reads little; the force
-- tables of a warehouse are small enough for a serial scan per shard or per node.
-------------------------------------------------------------------------------
ALTER FUNCTION da.may_access_force(text) PARALLEL RESTRICTED;
ALTER FUNCTION da.role_sees_all_forces(name) PARALLEL RESTRICTED;
ALTER FUNCTION da.role_may_access_force(name, text) PARALLEL RESTRICTED;
ALTER FUNCTION da.resolve_force(text) PARALLEL RESTRICTED;
ALTER FUNCTION da.resolve_marac(text) PARALLEL RESTRICTED;
ALTER FUNCTION da.setting_value(text) PARALLEL RESTRICTED;
