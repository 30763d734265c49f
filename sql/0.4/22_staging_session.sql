-------------------------------------------------------------------------------
-- Staged rows are tagged on the node that stages them (issue 10).
--
-- The staging tables tagged each row with a column default, da.staging_session(). When rows
-- are staged by INSERT ... SELECT from a distributed table, Citus evaluates the default in
-- the worker's query, so the rows carried a worker backend's key and the coordinator's ingest
-- never took them. A BEFORE INSERT trigger fills the key where the row is inserted: on the
-- coordinator, or on one node. A key given explicitly is kept, as before.
-------------------------------------------------------------------------------
CREATE FUNCTION da.staging_session_stamp() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.staged_session IS NULL THEN
        NEW.staged_session := da.staging_session();
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION da.staging_session_stamp() IS
    'Trigger of the staging tables: tags a staged row with da.staging_session() of the session that inserts it (where the row lands, also under Citus)';

ALTER TABLE da.return_staging ALTER COLUMN staged_session DROP DEFAULT;
ALTER TABLE da.outcome_staging ALTER COLUMN staged_session DROP DEFAULT;
ALTER TABLE da.marac_staging ALTER COLUMN staged_session DROP DEFAULT;
CREATE TRIGGER staged_session BEFORE INSERT ON da.return_staging
    FOR EACH ROW EXECUTE FUNCTION da.staging_session_stamp();
CREATE TRIGGER staged_session BEFORE INSERT ON da.outcome_staging
    FOR EACH ROW EXECUTE FUNCTION da.staging_session_stamp();
CREATE TRIGGER staged_session BEFORE INSERT ON da.marac_staging
    FOR EACH ROW EXECUTE FUNCTION da.staging_session_stamp();
