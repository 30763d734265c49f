-------------------------------------------------------------------------------
-- How a release changes the warehouse's views.
--
-- Since 0.4 the warehouse's relations are ordinary objects, created by da.create_warehouse()
-- (its body is the 0.4 layout) and owned by whoever ran it. An upgrade script may not replace
-- an object the extension does not own, and a view must keep its grants and the user's views
-- over it, so it cannot be dropped and created again. Each change to a warehouse view is
-- recorded here, once, as the statement that makes it:
--
--   SELECT da.warehouse_change('0.5', 'da.dashboard', $ddl$ CREATE OR REPLACE VIEW ... $ddl$);
--
-- which applies it now if that relation exists (ALTER EXTENSION UPDATE of a database with a
-- warehouse) and keeps it, so that da.create_warehouse() applies every recorded change in
-- order after the 0.4 layout. A fresh warehouse and an upgraded one so run the same
-- statements (test/sql/upgrade.sql compares their catalogues).
-------------------------------------------------------------------------------
CREATE TABLE da.warehouse_ddl (
    step bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release text NOT NULL,
    relation text NOT NULL,
    ddl text NOT NULL
);
COMMENT ON TABLE da.warehouse_ddl IS
    'Changes to the warehouse''s views since the 0.4 layout, in order: applied by ALTER EXTENSION UPDATE to an existing warehouse and by da.create_warehouse() to a new one (the extension''s code, not data)';
COMMENT ON COLUMN da.warehouse_ddl.step IS 'Order in which the changes are applied';
COMMENT ON COLUMN da.warehouse_ddl.release IS 'Release of the extension that made the change';
COMMENT ON COLUMN da.warehouse_ddl.relation IS 'Warehouse relation changed (schema-qualified)';
COMMENT ON COLUMN da.warehouse_ddl.ddl IS 'The statement that makes the change (qualified names: run with search_path pg_catalog, pg_temp)';
REVOKE ALL ON da.warehouse_ddl FROM PUBLIC;

-- Runs one recorded statement on RELATION: the extension adopts the view for the statement
-- (an extension script may replace only its own objects) and lets it go again. On a Citus
-- coordinator the warehouse lives there only, so nothing is sent to the workers.
CREATE FUNCTION da.warehouse_apply(relation text, ddl text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel regclass := pg_catalog.to_regclass(warehouse_apply.relation);
    kind text;
    member boolean;
    propagation text := pg_catalog.current_setting('citus.enable_ddl_propagation', true);
BEGIN
    IF rel IS NULL THEN
        RETURN;
    END IF;
    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'r' THEN 'TABLE' END INTO kind
    FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) rel;
    IF kind IS NULL THEN
        RAISE EXCEPTION '% is neither a table nor a view', rel USING ERRCODE = 'wrong_object_type';
    END IF;
    member := EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                        AND d.objid OPERATOR(pg_catalog.=) rel AND d.deptype OPERATOR(pg_catalog.=) 'e');
    IF propagation IS NOT NULL THEN
        PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
    END IF;
    IF NOT member THEN
        EXECUTE pg_catalog.format('ALTER EXTENSION da_stats ADD %s %s', kind, rel);
    END IF;
    EXECUTE ddl;
    IF NOT member THEN
        EXECUTE pg_catalog.format('ALTER EXTENSION da_stats DROP %s %s', kind, rel);
    END IF;
    IF propagation IS NOT NULL THEN
        PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', propagation, true);
    END IF;
END $$;
COMMENT ON FUNCTION da.warehouse_apply(text, text) IS
    'Internal: runs one change of da.warehouse_ddl on an existing warehouse relation (nothing when it does not exist)';
REVOKE ALL ON FUNCTION da.warehouse_apply(text, text) FROM PUBLIC;

-- Records a change (in an upgrade script's part) and applies it to an existing warehouse.
CREATE FUNCTION da.warehouse_change(release text, relation text, ddl text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO da.warehouse_ddl (release, relation, ddl)
    VALUES (warehouse_change.release, warehouse_change.relation, warehouse_change.ddl);
    PERFORM da.warehouse_apply(warehouse_change.relation, warehouse_change.ddl);
END $$;
COMMENT ON FUNCTION da.warehouse_change(text, text, text) IS
    'Internal to upgrade scripts: records a change to a warehouse view in da.warehouse_ddl and applies it to an existing warehouse';
REVOKE ALL ON FUNCTION da.warehouse_change(text, text, text) FROM PUBLIC;

-- da.create_warehouse(): the 0.4 layout, then every recorded change.
ALTER FUNCTION da.create_warehouse() RENAME TO create_warehouse_layout_0_4;
COMMENT ON FUNCTION da.create_warehouse_layout_0_4() IS
    'Internal to da.create_warehouse: the warehouse as release 0.4 created it';
CREATE FUNCTION da.create_warehouse() RETURNS boolean
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
BEGIN
    IF NOT da.create_warehouse_layout_0_4() THEN
        RETURN false;
    END IF;
    FOR c IN SELECT w.relation, w.ddl FROM da.warehouse_ddl w ORDER BY w.step LOOP
        PERFORM da.warehouse_apply(c.relation, c.ddl);
    END LOOP;
    RETURN true;
END $$;
REVOKE ALL ON FUNCTION da.create_warehouse() FROM PUBLIC;
COMMENT ON FUNCTION da.create_warehouse() IS
    'Creates the warehouse (tables, views, policies, shipped reference rows) in schema da; true when created, false when it already exists. Superuser, once per database (on Citus: the coordinator)';
