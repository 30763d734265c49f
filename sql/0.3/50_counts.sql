-------------------------------------------------------------------------------
-- Whole numbers in any common spelling (issue 13 item 1).
--
-- Published CSVs written by pandas or a spreadsheet spell counts "1711.0", "1711.00",
-- "1,711" or " 1711 ". Each is the whole number 1711 and loads as such; a true fraction
-- ("4474.5") is still refused. These two helpers are the only place staged counts are read
-- (da.ingest_returns and da.ingest_outcomes both call them), so the rule is the same for
-- force returns, outcome counts and MARAC returns. They run once per staged row: SQL-standard
-- bodies (bound at creation, inlined by the planner) and regular expressions only.
--
--   accepted: 1711   1711.0   1711.00   1,711   1,711.0   " 1711 "   0   0.0
--   refused:  4474.5 (not a whole number)   1,71,1 / 12,34 / 00,001 / 01,000 (thousands separators)
--             1e3 (exponent notation)   -5, -5.0 (negative)   n/a, .. (not a number)
--   empty / NULL: unable to provide (NULL), not an error.
-------------------------------------------------------------------------------

-- What is wrong with one staged value (NULL when nothing): empty is fine (unable to provide).
CREATE OR REPLACE FUNCTION da.count_problem(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN t IS NULL OR btrim(t) = '' THEN NULL
        WHEN btrim(t) ~ '^-\s*[0-9.]' THEN 'negative value'
        -- Whole: digits, or 1-3 digits not starting with 0 then ",ddd" groups (00,001 and
        -- 01,000 are refused); optionally "." and zeros only.
        WHEN btrim(t) ~ '^([0-9]+|[1-9][0-9]{0,2}(,[0-9]{3})+)(\.0+)?$' THEN
             CASE WHEN length(ltrim(split_part(replace(btrim(t), ',', ''), '.', 1), '0')) > 19
                    OR (length(ltrim(split_part(replace(btrim(t), ',', ''), '.', 1), '0')) = 19
                        AND ltrim(split_part(replace(btrim(t), ',', ''), '.', 1), '0') COLLATE "C" > '9223372036854775807')
                  THEN 'value out of range' END
        WHEN btrim(t) ~ '^([0-9]*|[0-9]{1,3}(,[0-9]{3})+)\.[0-9]*[1-9][0-9]*$' THEN 'value is not a whole number'
        WHEN btrim(t) ~ '^[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+$' THEN 'value in exponent notation'
        WHEN btrim(t) ~ '^[0-9]+(,[0-9]+)+(\.[0-9]+)?$' THEN 'malformed thousands separators'
        ELSE 'value is not a number'
    END;
COMMENT ON FUNCTION da.count_problem(text) IS
    'Why a staged count is refused (negative, not a whole number, exponent notation, malformed thousands separators, not a number, out of range), or NULL when it is fine; 1711, 1711.0, 1,711 and " 1711 " are fine, empty = unable to provide';

-- The count a staged value stands for (empty = NULL = unable to provide). Call only when
-- da.count_problem() found nothing: separators go, and the ".0…" of a whole number is cut.
CREATE OR REPLACE FUNCTION da.parse_count(t text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN t IS NULL OR btrim(t) = '' THEN NULL
                ELSE split_part(replace(btrim(t), ',', ''), '.', 1)::bigint END;
COMMENT ON FUNCTION da.parse_count(text) IS
    'The whole number a staged count spells (1711, 1711.0, 1,711, " 1711 " -> 1711); NULL when empty. Check da.count_problem() first';
