-- The catalogue describes itself (issue 12 item 1): every user-facing object and every
-- column of a table, view or composite type in schema da has a COMMENT, and every function
-- can be called in named notation with the argument names the reference documents (they
-- are the catalogue's own: scripts/gen_reference prints them).
--
-- User-facing (the rule of sql/0.3/90_comments.sql): every function and aggregate except
-- support functions (aggregate transition/final/combine/moving/inverse, type I/O, operator,
-- operator-class and cast implementations, trigger functions), base types and standalone
-- composite types, operators, casts, tables and views.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
\set QUIET on
CREATE TEMP VIEW support_function AS
SELECT f FROM (
    SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                        aggmtransfn, aggminvtransfn, aggmfinalfn]::oid[]) FROM pg_aggregate
    UNION ALL SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend]::oid[]) FROM pg_type
    UNION ALL SELECT oprcode FROM pg_operator
    UNION ALL SELECT amproc FROM pg_amproc
    UNION ALL SELECT castfunc FROM pg_cast
    UNION ALL SELECT oid FROM pg_proc WHERE prorettype = 'trigger'::regtype) s(f)
WHERE f <> 0;

CREATE TEMP VIEW user_facing AS
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END AS kind,
       p.oid::regprocedure::text AS object, obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
WHERE p.pronamespace = 'da'::regnamespace AND p.oid NOT IN (SELECT f FROM support_function)
UNION ALL
SELECT 'type', t.oid::regtype::text, obj_description(t.oid, 'pg_type')
FROM pg_type t
WHERE t.typnamespace = 'da'::regnamespace
  AND (t.typtype = 'b' AND t.typelem = 0
       OR t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'
       OR t.typtype IN ('d', 'e', 'r'))
UNION ALL
SELECT 'operator', o.oid::regoperator::text, obj_description(o.oid, 'pg_operator')
FROM pg_operator o WHERE o.oprnamespace = 'da'::regnamespace
UNION ALL
SELECT 'cast', format('(%s AS %s)', c.castsource::regtype, c.casttarget::regtype), obj_description(c.oid, 'pg_cast')
FROM pg_cast c
WHERE c.castsource IN (SELECT oid FROM pg_type WHERE typnamespace = 'da'::regnamespace)
   OR c.casttarget IN (SELECT oid FROM pg_type WHERE typnamespace = 'da'::regnamespace)
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END,
       c.oid::regclass::text, obj_description(c.oid, 'pg_class')
FROM pg_class c WHERE c.relnamespace = 'da'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view column' WHEN 'm' THEN 'view column' WHEN 'c' THEN 'type column' ELSE 'table column' END,
       c.oid::regclass::text || '.' || quote_ident(a.attname), col_description(c.oid, a.attnum)
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'da'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c');
\set QUIET off

-- Every user-facing object and column has a comment: no rows. A row here names what lacks one.
SELECT kind, object FROM user_facing WHERE coalesce(btrim(comment), '') = ''
ORDER BY kind, object COLLATE "C";

-- Each kind is present (so the rule above keeps finding objects to check).
SELECT kind, count(*) > 0 AS present FROM user_facing GROUP BY kind ORDER BY kind;

-- Named notation: a call of every user-facing function with its documented argument names,
-- each argument a typed NULL, is planned (PREPARE: parsed and resolved, never run).
-- Aggregates take named notation only as window functions. Listed: the calls that fail, and
-- the functions with an unnamed input argument (no name to document).
\set QUIET on
CREATE TEMP TABLE named_call AS
SELECT p.oid::regprocedure::text AS function, p.prokind,
       format('%s(%s)%s', p.oid::regproc,
              string_agg(format('%I => NULL::%s', a.name, format_type(a.typ, NULL)), ', ' ORDER BY a.n),
              CASE WHEN p.prokind = 'a' THEN ' OVER ()' ELSE '' END) AS call,
       bool_and(coalesce(a.name, '') <> '') AS all_named
FROM pg_proc p
CROSS JOIN LATERAL unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
                          coalesce(p.proargnames, array_fill(''::text, ARRAY[cardinality(coalesce(p.proallargtypes, p.proargtypes::oid[]))])),
                          coalesce(p.proargmodes, array_fill('i'::"char", ARRAY[cardinality(coalesce(p.proallargtypes, p.proargtypes::oid[]))])))
                   WITH ORDINALITY a(typ, name, mode, n)
WHERE p.pronamespace = 'da'::regnamespace AND p.oid NOT IN (SELECT f FROM support_function)
  AND a.mode IN ('i', 'b', 'v')
GROUP BY p.oid;
\set QUIET off

SELECT function AS unnamed_argument FROM named_call WHERE NOT all_named ORDER BY function COLLATE "C";

DO $$
DECLARE
    r record;
    tried bigint := 0;
    failed bigint := 0;
BEGIN
    FOR r IN SELECT * FROM named_call WHERE all_named ORDER BY function COLLATE "C" LOOP
        BEGIN
            EXECUTE format('PREPARE named_call_check AS SELECT %s', r.call);
            DEALLOCATE named_call_check;
            tried := tried + 1;
        EXCEPTION WHEN OTHERS THEN
            failed := failed + 1;
            RAISE WARNING 'named notation fails: % (%)', r.call, SQLERRM;
        END;
    END LOOP;
    RAISE NOTICE 'named-notation calls: % failed, % planned', failed,
        CASE WHEN tried >= 100 THEN 'at least 100' ELSE tried::text END;
END $$;

-- The check can fail: the names the README used before 0.3 are refused.
PREPARE old_names AS SELECT da.per_100(num => 1, den => 3);
SELECT da.per_100(numerator => 1, denominator => 3) AS per_100,
       da.pct_change_phrase(old_value => 434905, new_value => 506890) AS phrase,
       (da.wilson_ci(numerator => 65, denominator => 100, per => 100)).method AS method;
