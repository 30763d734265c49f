-------------------------------------------------------------------------------
-- search_path safety (issue 11), part 1: bodies that are parsed when they run.
--
-- A SQL-standard body (RETURN ... / BEGIN ATOMIC ... END) is parsed once, when the script
-- creates it, under the search_path CREATE/ALTER EXTENSION sets (pg_catalog first, then da,
-- then pg_temp): what it calls is stored by OID, so objects planted later in another schema
-- can never be picked. A body written as a string ($$ ... $$, every PL/pgSQL body, every
-- EXECUTE) is parsed at each call under the caller's search_path, where a look-alike such
-- as public.array_remove(text[], text) is a better match than pg_catalog's polymorphic one.
-- So: small SQL helpers keep (or get) SQL-standard bodies, which also keeps them inlinable;
-- every other function pins its search_path (99_pin_search_path.sql does it for all of them
-- and checks that none is left over).
-------------------------------------------------------------------------------

-- Inlined per row by da.force_outcome_table: SQL-standard bodies, no SET clause.
CREATE OR REPLACE FUNCTION da.outcome_table(c da.outcome_counts, offences bigint DEFAULT NULL)
    RETURNS TABLE (code text, label text, group_name text, n bigint,
                   pct_of_outcomes numeric, per_100_offences numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT oc.code, oc.label, oc.group_name, da.outcome_n(c, oc.code),
           CASE WHEN oc.group_name <> 'not_yet_assigned' THEN da.outcome_pct_of_outcomes(c, oc.code) END,
           da.outcome_per_100_offences(c, oc.code, offences)
    FROM da.outcome_code oc
    WHERE c IS NOT NULL
    ORDER BY oc.sort_order;
END;

CREATE OR REPLACE FUNCTION da.outcome_group_table(c da.outcome_counts, offences bigint DEFAULT NULL)
    RETURNS TABLE (group_name text, description text, n bigint,
                   pct_of_outcomes numeric, per_100_offences numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT og.group_name, og.description, da.outcome_group_n(c, og.group_name),
           CASE WHEN og.group_name <> 'not_yet_assigned' THEN da.outcome_group_pct_of_outcomes(c, og.group_name) END,
           da.outcome_group_per_100_offences(c, og.group_name, offences)
    FROM da.outcome_group og
    WHERE c IS NOT NULL
    ORDER BY og.sort_order;
END;

-- Not inlinable anyway (it reads FROM a subquery): a SQL-standard body all the same.
CREATE OR REPLACE FUNCTION da.check_published_change(old_value numeric, new_value numeric, stated_pct numeric,
                                                     digits integer DEFAULT 0,
                                                     OUT computed_pct numeric, OUT rounded_pct numeric,
                                                     OUT stated numeric, OUT agrees boolean, OUT phrase text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT v.c, round(v.c, digits), stated_pct, round(v.c, digits) = stated_pct,
           da.pct_change_phrase(old_value, new_value, digits)
    FROM (SELECT da.pct_change(old_value, new_value) AS c) v;
END;
