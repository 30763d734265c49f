-------------------------------------------------------------------------------
-- The catalogue describes itself (issue 12 item 1).
--
-- BI tools (Metabase, Superset, DBeaver) import descriptions from COMMENTs, and
-- scripts/gen_reference writes the README's function reference and doc/reference.md from
-- them: a comment here IS the documentation of its object. Each says what the object is,
-- its unit, what NULL means and where the figure comes from.
--
-- User-facing, and so commented (test/sql/catalogue.sql lists any that is not): in schema
-- da, every function and aggregate, every base type and standalone composite type, every
-- operator and cast, every table and view, and every column of those tables, views and
-- composite types. Not required: support functions, which PostgreSQL calls on behalf of
-- another object that carries the comment -- aggregate transition, final, combine, moving
-- and inverse functions; type input/output/send/receive; operator implementations,
-- operator-class support and cast functions; trigger functions. They get short comments
-- below all the same. Sequences, indexes, array types and the row types of tables are not
-- objects a user addresses and are not commented.
--
-- Earlier parts commented many objects as they created them; this part adds the rest and
-- replaces none of those (except where a comment changed with 0.3, e.g. the types).
-------------------------------------------------------------------------------

-------------------------------------------------------------------------------
-- Rates
-------------------------------------------------------------------------------
COMMENT ON AGGREGATE da.per_100_agg(bigint, bigint) IS
    'Aggregate: 100 * sum(numerator) / sum(denominator) over the rows with both present (ratio of sums, never a mean of rates); NULL when no such row or the denominator sum is 0; never capped at 100';
COMMENT ON AGGREGATE da.per_100_agg(integer, integer) IS
    'Aggregate: 100 * sum(numerator) / sum(denominator) over the rows with both present (integer columns); NULL when no such row or the denominator sum is 0';
COMMENT ON AGGREGATE da.per_10k_agg(bigint, bigint) IS
    'Aggregate: 10000 * sum(numerator) / sum(denominator) over the rows with both present (e.g. MARAC cases per 10,000 adult females); NULL when no such row or the denominator sum is 0';
COMMENT ON AGGREGATE da.per_10k_agg(integer, integer) IS
    'Aggregate: 10000 * sum(numerator) / sum(denominator) over the rows with both present (integer columns); NULL when no such row or the denominator sum is 0';
COMMENT ON AGGREGATE da.per_n_agg(bigint, bigint, bigint) IS
    'Aggregate: per * sum(numerator) / sum(denominator) over the rows with both present; per must be positive and the same on every row; a row with any argument NULL takes no part; NULL when no such row or the denominator sum is 0';
COMMENT ON AGGREGATE da.per_n_agg(integer, integer, bigint) IS
    'Aggregate: per * sum(numerator) / sum(denominator) over the rows with both present (integer columns); per the same on every row; NULL when no such row or the denominator sum is 0';
-- 0.1 and 0.2 comments that did not say what NULL means, or the unit:
COMMENT ON FUNCTION da.per_100(bigint, bigint) IS
    '100 * numerator / denominator (e.g. arrests per 100 crimes), exact numeric, never capped at 100; NULL when either is NULL or denominator = 0; error 22023 on a negative count';
COMMENT ON FUNCTION da.per_10k(bigint, bigint) IS
    '10000 * numerator / denominator (e.g. MARAC cases per 10,000 adult females), exact numeric; NULL when either is NULL or denominator = 0; error 22023 on a negative count';
COMMENT ON FUNCTION da.per_n(bigint, bigint, bigint) IS
    'per * numerator / denominator, exact numeric; NULL when any argument is NULL or denominator = 0; error 22023 on a negative count or per <= 0';
COMMENT ON FUNCTION da.rate_state_rows(da.rate_state) IS
    'Number of rows a rate aggregate state has taken in (rows with both counts present); for checking moving aggregates';

-------------------------------------------------------------------------------
-- Confidence intervals
-------------------------------------------------------------------------------
COMMENT ON TYPE da.conf_interval IS
    'A confidence interval: lower and upper limit in the unit of the estimate (times per) and the method that produced it (Wilson, Byar or Exact)';
COMMENT ON COLUMN da.conf_interval.lower IS 'Lower confidence limit, in the unit of the estimate (times per); NULL when undefined (e.g. a forced Byar interval at 0 events)';
COMMENT ON COLUMN da.conf_interval.upper IS 'Upper confidence limit, in the unit of the estimate (times per); NULL when unbounded';
COMMENT ON COLUMN da.conf_interval.method IS 'Method that produced the limits: Wilson (score interval for a proportion), Byar (Poisson approximation, 10 or more events) or Exact (exact Poisson)';
COMMENT ON FUNCTION da.wilson_ci(bigint, bigint, bigint, double precision) IS
    'Wilson score interval for the proportion numerator/denominator at level (default 0.95), times per (1 = proportion, 100 = percent); NULL when any argument is NULL or denominator = 0; error 22023 when numerator > denominator (use da.rate_ci) or level is not in (0, 1)';
COMMENT ON FUNCTION da.rate_ci(bigint, bigint, bigint, double precision, text) IS
    'Poisson interval for the rate per * numerator/denominator at level (default 0.95): Byar for 10 or more events, exact below (method auto, byar or exact); NULL when any argument is NULL or denominator = 0; a forced Byar lower limit that is undefined is NULL';
COMMENT ON FUNCTION da.wilson_ci_lower(bigint, bigint, bigint, double precision) IS
    'Lower limit of da.wilson_ci(numerator, denominator, per, level) as a plain numeric column (for BI tools); NULL when any argument is NULL or denominator = 0';
COMMENT ON FUNCTION da.wilson_ci_upper(bigint, bigint, bigint, double precision) IS
    'Upper limit of da.wilson_ci(numerator, denominator, per, level) as a plain numeric column (for BI tools); NULL when any argument is NULL or denominator = 0';
COMMENT ON FUNCTION da.rate_ci_lower(bigint, bigint, bigint, double precision, text) IS
    'Lower limit of da.rate_ci(numerator, denominator, per, level, method) as a plain numeric column (for BI tools); NULL when any argument is NULL, denominator = 0 or the limit is undefined';
COMMENT ON FUNCTION da.rate_ci_upper(bigint, bigint, bigint, double precision, text) IS
    'Upper limit of da.rate_ci(numerator, denominator, per, level, method) as a plain numeric column (for BI tools); NULL when any argument is NULL or denominator = 0';
COMMENT ON AGGREGATE da.wilson_ci_agg(bigint, bigint) IS
    'Aggregate: Wilson 95% interval of the proportion sum(numerator) / sum(denominator) over the rows with both present; NULL when no such row or the denominator sum is 0';
COMMENT ON AGGREGATE da.wilson_ci_agg(bigint, bigint, bigint) IS
    'Aggregate: Wilson 95% interval of sum(numerator) / sum(denominator) times per (100 = percent), over the rows with both present; per the same on every row';
COMMENT ON AGGREGATE da.wilson_ci_agg(bigint, bigint, bigint, double precision) IS
    'Aggregate: Wilson interval at level (e.g. 0.95) of sum(numerator) / sum(denominator) times per, over the rows with both present; per and level the same on every row';
COMMENT ON AGGREGATE da.rate_ci_agg(bigint, bigint) IS
    'Aggregate: Poisson 95% interval (Byar for 10 or more events, exact below) of the rate sum(numerator) / sum(denominator) over the rows with both present; NULL when no such row or the denominator sum is 0';
COMMENT ON AGGREGATE da.rate_ci_agg(bigint, bigint, bigint) IS
    'Aggregate: Poisson 95% interval of the rate per * sum(numerator) / sum(denominator) over the rows with both present; per the same on every row';
COMMENT ON AGGREGATE da.rate_ci_agg(bigint, bigint, bigint, double precision) IS
    'Aggregate: Poisson interval at level (e.g. 0.95) of the rate per * sum(numerator) / sum(denominator) over the rows with both present; per and level the same on every row';

-------------------------------------------------------------------------------
-- Outcome distributions
-------------------------------------------------------------------------------
COMMENT ON AGGREGATE da.outcome_agg(text) IS
    'Aggregate, record level (one row per crime): exact counts per Home Office outcome code; a NULL or ''0'' code counts as not yet assigned; NULL over no rows; error 22023 on an unknown code (19, 24, 1B)';
COMMENT ON AGGREGATE da.outcome_agg(integer) IS
    'Aggregate, record level with integer codes 0..23 (not 19; smallint columns cast implicitly; 1A/2A/3A need text): exact counts per code; NULL or 0 = not yet assigned; NULL over no rows';
COMMENT ON AGGREGATE da.outcome_agg(text, bigint) IS
    'Aggregate, pre-counted rows (code, n): exact counts per code; a row with a NULL n takes no part; NULL over no rows or only NULL n; error 22023 on a negative n';
COMMENT ON AGGREGATE da.outcome_agg(integer, bigint) IS
    'Aggregate, pre-counted rows (integer code, n): exact counts per code; a row with a NULL n takes no part; NULL over no rows or only NULL n';
COMMENT ON AGGREGATE da.outcome_merge_agg(da.outcome_counts) IS
    'Aggregate: sum of stored outcome distributions (e.g. monthly rollups into a 12-month figure, forces into a region); NULL rows take no part; NULL over no rows; error 22003 on bigint overflow';
COMMENT ON FUNCTION da.outcome_type_codes() IS
    'The outcome codes compiled into da.outcome_counts, in slot order, with their Home Office group (introspection; da.outcome_code holds the labels)';
COMMENT ON OPERATOR da.= (da.outcome_counts, da.outcome_counts) IS
    'Equal distributions: the same count for every outcome code (hashable: GROUP BY, DISTINCT, hash joins)';
COMMENT ON OPERATOR da.<> (da.outcome_counts, da.outcome_counts) IS
    'Different distributions: some outcome code has a different count';
COMMENT ON OPERATOR da.+ (da.outcome_counts, da.outcome_counts) IS
    'Merge two distributions: the counts of each code added (error 22003 on bigint overflow); write OPERATOR(da.+) when da is not on the search_path';
COMMENT ON OPERATOR CLASS da.outcome_counts_hash_ops USING hash IS
    'Hash equality of outcome distributions, for GROUP BY, DISTINCT and hash joins';
COMMENT ON CAST (da.outcome_counts AS jsonb) IS
    'The distribution as a JSON object of the non-zero counts per code in canonical order, "0" (not yet assigned) last';
COMMENT ON CAST (jsonb AS da.outcome_counts) IS
    'A JSON object {"code": count, ...} read as a distribution, checked like text input (unknown codes, negative or fractional counts are errors)';

-------------------------------------------------------------------------------
-- Year-on-year change
-------------------------------------------------------------------------------
COMMENT ON AGGREGATE da.matched_rate_change_agg(bigint, bigint, bigint, bigint, bigint) IS
    'Matched panel of a rate per "per" (e.g. 10000): old and new rate as ratios of sums over the units with all four counts, point and percent change; units with any count missing are left out of both years and counted';
COMMENT ON FUNCTION da.rate_change_p_value(bigint, bigint, bigint, bigint) IS
    'Two-sided p-value of da.rate_change_test (exact conditional binomial test, as R''s poisson.test) as a plain column; NULL when a denominator is 0 or there are no events';
COMMENT ON FUNCTION da.rate_change_verdict(bigint, bigint, bigint, bigint, double precision) IS
    'Verdict of da.rate_change_test as a plain column: Significant increase, Significant decrease or No significant change at level (p < 1 - level)';
COMMENT ON FUNCTION da.proportion_change_verdict(bigint, bigint, bigint, bigint, double precision) IS
    'Verdict of da.proportion_change_test as a plain column: Significant increase or decrease when the Newcombe interval of the change excludes 0, else No significant change';

COMMENT ON FUNCTION da.proportion_change_test(bigint, bigint, bigint, bigint, double precision) IS
    'Is the change of a proportion old_x/old_n -> new_x/new_n significant? Difference in percentage points with Newcombe''s hybrid score interval (1998, method 10) and a verdict; NULL when any argument is NULL; error 22023 when x > n';
COMMENT ON TYPE da.matched_change IS
    'Result of da.matched_change_agg: totals of a count in two years over the matched panel (units with both years), percent change, units included and left out';
COMMENT ON COLUMN da.matched_change.old_total IS 'Sum of the old (earlier) year over the units with both years; NULL when no unit has both';
COMMENT ON COLUMN da.matched_change.new_total IS 'Sum of the new (later) year over the units with both years; NULL when no unit has both';
COMMENT ON COLUMN da.matched_change.pct_change IS 'Percent change 100 * (new_total - old_total) / old_total; NULL when old_total is 0 or NULL';
COMMENT ON COLUMN da.matched_change.units_included IS 'Number of units (rows) with both years, the matched panel';
COMMENT ON COLUMN da.matched_change.units_left_out IS 'Number of units left out because either year was NULL';

COMMENT ON TYPE da.matched_rate_change IS
    'Result of da.matched_rate_change_agg: a rate in two years over the matched panel (units with all four counts), its change in points and percent, units included and left out';
COMMENT ON COLUMN da.matched_rate_change.old_rate IS 'Old-year rate per "per" (default 100) as a ratio of sums over the panel; NULL when the panel is empty or its denominator sum is 0';
COMMENT ON COLUMN da.matched_rate_change.new_rate IS 'New-year rate per "per" (default 100) as a ratio of sums over the panel; NULL when the panel is empty or its denominator sum is 0';
COMMENT ON COLUMN da.matched_rate_change.pp_change IS 'new_rate - old_rate, in the rate''s units (percentage points for per 100)';
COMMENT ON COLUMN da.matched_rate_change.pct_change IS 'Relative change of the rate, 100 * (new_rate - old_rate) / old_rate (percent, not points); NULL when old_rate is 0';
COMMENT ON COLUMN da.matched_rate_change.units_included IS 'Number of units (rows) with all four counts, the matched panel';
COMMENT ON COLUMN da.matched_rate_change.units_left_out IS 'Number of units left out because one of the four counts was NULL';

COMMENT ON TYPE da.rate_change_test IS
    'Result of da.rate_change_test: rate ratio new/old with its confidence interval, two-sided p-value, method and verdict';
COMMENT ON COLUMN da.rate_change_test.rate_ratio IS 'New rate divided by old rate (1 = no change); NULL when the old numerator is 0';
COMMENT ON COLUMN da.rate_change_test.lower IS 'Lower confidence limit of the rate ratio (Clopper-Pearson, transformed as R''s poisson.test)';
COMMENT ON COLUMN da.rate_change_test.upper IS 'Upper confidence limit of the rate ratio; NULL when unbounded';
COMMENT ON COLUMN da.rate_change_test.p_value IS 'Two-sided p-value of no change (0 below the smallest double)';
COMMENT ON COLUMN da.rate_change_test.method IS 'Always Exact conditional (binomial) since 0.3 (no normal approximation at any size)';
COMMENT ON COLUMN da.rate_change_test.verdict IS 'Significant increase, Significant decrease or No significant change at the level asked for (p < 1 - level)';

COMMENT ON TYPE da.proportion_change_test IS
    'Result of da.proportion_change_test: change of a proportion in percentage points with the Newcombe hybrid score interval and a verdict';
COMMENT ON COLUMN da.proportion_change_test.pp_change IS 'new - old proportion, in percentage points';
COMMENT ON COLUMN da.proportion_change_test.lower IS 'Lower confidence limit of the change, in percentage points (Newcombe 1998, method 10)';
COMMENT ON COLUMN da.proportion_change_test.upper IS 'Upper confidence limit of the change, in percentage points';
COMMENT ON COLUMN da.proportion_change_test.method IS 'Method of the interval (Newcombe hybrid score)';
COMMENT ON COLUMN da.proportion_change_test.verdict IS 'Significant increase or decrease when the interval excludes 0, else No significant change';

-------------------------------------------------------------------------------
-- Funnel limits and flags: what NULL means
-------------------------------------------------------------------------------
COMMENT ON FUNCTION da.funnel_prop_limits(double precision, double precision, double precision) IS
    'Funnel-plot control limits (lower, upper as proportions 0-1) for a proportion at this denominator around the baseline proportion p0: p0 -/+ z sqrt(p0(1-p0)/n), clipped to [0, 1] (PHE/UKHSA method); level default 0.998; NULL when an argument is NULL or the denominator is 0';
COMMENT ON FUNCTION da.funnel_rate_limits(double precision, double precision, bigint, double precision) IS
    'Funnel-plot control limits, exact Poisson, for a rate per "per" at this population (denominator) around the baseline rate (also per "per"); level default 0.998; NULL when an argument is NULL or the population is 0';
COMMENT ON FUNCTION da.funnel_ratio_limits(double precision, double precision) IS
    'Funnel-plot control limits, exact Poisson, of the ratio observed/expected at this expected count (multiply by 100 for an indirectly standardised ratio); level default 0.998; NULL when an argument is NULL or expected is 0';
COMMENT ON FUNCTION da.funnel_flag(double precision, double precision, double precision, double precision, text) IS
    'Funnel position of one unit against the baseline baseline_numerator/baseline_denominator (e.g. sum(x) OVER (), sum(n) OVER ()): High (99.8%), High (95%), Not significant, Low (95%) or Low (99.8%); kind proportion (score limits), rate or ratio (exact Poisson); plain limits, no over-dispersion allowance (validation''s funnel rules add one); NULL when an argument is NULL or a denominator is 0';
COMMENT ON FUNCTION da.funnel_prop_flag(double precision, double precision, double precision) IS
    'Funnel position of the proportion numerator/denominator against the baseline proportion: High (99.8%), High (95%), Not significant, Low (95%) or Low (99.8%); NULL when an argument is NULL or the denominator is 0';
COMMENT ON FUNCTION da.funnel_rate_flag(bigint, double precision, double precision, bigint) IS
    'Funnel position of the rate numerator/denominator against a baseline rate per "per" (default 1: events per unit of denominator), exact Poisson: High (99.8%) ... Low (99.8%); NULL when an argument is NULL or the denominator is 0';
COMMENT ON FUNCTION da.funnel_ratio_flag(bigint, double precision) IS
    'Funnel position of an observed count against an expected count, exact Poisson: High (99.8%), High (95%), Not significant, Low (95%) or Low (99.8%); NULL when an argument is NULL or expected is 0';

-------------------------------------------------------------------------------
-- Warehouse: functions
-------------------------------------------------------------------------------
COMMENT ON FUNCTION da.year_earlier_start(date) IS
    'Start of the same period a year earlier (2017-07-01 -> 2016-07-01); with da.year_earlier_end gives the comparison period; NULL in, NULL out';
COMMENT ON FUNCTION da.count_problem(text) IS
    'What is wrong with a staged count as ingest sees it: negative value, value is not a whole number (4474.5), malformed thousands separators (1,71,1; 00,001 or 01,000: a leading zero group), value in exponent notation (1e3), value is not a number, value out of range; NULL when fine: 1711, 1711.0, 1,711 and " 1711 " are whole numbers, and an empty value is unable to provide';
COMMENT ON FUNCTION da.parse_count(text) IS
    'The count a staged value stands for ("1,234", "1234.0", " 1234 " -> 1234); NULL for an empty value (unable to provide); call only when da.count_problem finds nothing';
COMMENT ON FUNCTION da.indicator_ci_lower(bigint, bigint, bigint, text) IS
    'Lower 95% limit of an indicator value by its ci_method (wilson: proportion; poisson: rate) times per; NULL, never an error, when it cannot be computed (a side missing, denominator 0, a proportion whose part exceeds the whole)';
COMMENT ON FUNCTION da.indicator_ci_upper(bigint, bigint, bigint, text) IS
    'Upper 95% limit of an indicator value by its ci_method (wilson: proportion; poisson: rate) times per; NULL, never an error, when it cannot be computed';
COMMENT ON FUNCTION da.measure_name(text) IS
    'A measure''s description without its trailing remark in brackets, for messages (Domestic abuse related crimes (all offences flagged DA) -> Domestic abuse related crimes)';
COMMENT ON FUNCTION da.validation_check_query(text) IS
    'Error 22023 unless a custom rule''s query parses and gives force_id, measure_id, observed, expected_or_limit, message (checked without running it); used when a rule is added or changed';
COMMENT ON FUNCTION da.check_measure(text) IS
    'Error 22023 (unknown measure) unless the measure_id is in da.measure; NULL passes. Used by the national functions';
COMMENT ON FUNCTION da.check_indicator(text) IS
    'Error 22023 (unknown indicator) unless the indicator_id is in da.indicator; NULL passes. Used by the national functions';

-------------------------------------------------------------------------------
-- Warehouse: tables
-------------------------------------------------------------------------------
COMMENT ON COLUMN da.analyst_force.role_name IS 'A role (login or group); its members inherit the mapping';
COMMENT ON COLUMN da.analyst_force.force_id IS 'A force the role may see and load (da.force.force_id); NULL = every force';

COMMENT ON COLUMN da.force.force_id IS 'Short identifier of the force, e.g. kent, metropolitan, btp, england_wales; the key used in every other table';
COMMENT ON COLUMN da.force.name IS 'Name of the force as published (Kent, Metropolitan Police, British Transport Police)';
COMMENT ON COLUMN da.force.ons_code IS 'ONS police force area code (E23000001 Metropolitan Police ... E23000039, W15000001-4 in Wales); NULL for BTP (no area) and aggregates';
COMMENT ON COLUMN da.force.region IS 'Region of England, or Wales; NULL for BTP and aggregates';
COMMENT ON COLUMN da.force.country IS 'England or Wales; NULL when not one country (BTP, england_wales)';
COMMENT ON COLUMN da.force.in_national_total IS 'true: counted in England and Wales totals, rates and funnels (the 43 territorial forces); false for BTP and aggregates';
COMMENT ON COLUMN da.force.user_defined IS 'true for rows you added (kept by pg_dump); false for the rows shipped with the extension';

COMMENT ON COLUMN da.force_alias.alias IS 'Another name of the force as written in source data (Metropolitan Police Service, Devon & Cornwall), matched case-insensitively';
COMMENT ON COLUMN da.force_alias.force_id IS 'The force the alias stands for (da.force)';
COMMENT ON COLUMN da.force_alias.user_defined IS 'true for rows you added (kept by pg_dump); false for shipped rows';

COMMENT ON COLUMN da.force_return.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.force_return.period_start IS 'First day of the period (1, 3 or 12 whole calendar months)';
COMMENT ON COLUMN da.force_return.period_end IS 'Last day of the period; periods are named by it (12 months to 30 June 2017)';
COMMENT ON COLUMN da.force_return.measure_id IS 'What was counted (da.measure)';
COMMENT ON COLUMN da.force_return.value IS 'The count, in the measure''s unit; NULL = the force was unable to provide it (not 0)';
COMMENT ON COLUMN da.force_return.source IS 'Where the value came from (file, table of a report), as given at ingest; NULL if not given';
COMMENT ON COLUMN da.force_return.loaded_at IS 'When the current value was loaded';
COMMENT ON COLUMN da.force_return.load_id IS 'The load that set the current value (da.return_load)';

COMMENT ON COLUMN da.force_return_history.history_id IS 'Sequence number of the correction';
COMMENT ON COLUMN da.force_return_history.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.force_return_history.period_start IS 'First day of the period corrected';
COMMENT ON COLUMN da.force_return_history.period_end IS 'Last day of the period corrected';
COMMENT ON COLUMN da.force_return_history.measure_id IS 'The measure corrected (da.measure)';
COMMENT ON COLUMN da.force_return_history.old_value IS 'The value replaced; NULL = it was unable to provide';
COMMENT ON COLUMN da.force_return_history.new_value IS 'The value that replaced it; NULL = now unable to provide';
COMMENT ON COLUMN da.force_return_history.old_source IS 'Source of the replaced value';
COMMENT ON COLUMN da.force_return_history.new_source IS 'Source of the new value';
COMMENT ON COLUMN da.force_return_history.old_loaded_at IS 'When the replaced value had been loaded';
COMMENT ON COLUMN da.force_return_history.old_load_id IS 'The load that had set the replaced value (da.return_load)';
COMMENT ON COLUMN da.force_return_history.load_id IS 'The load that made the correction (da.return_load)';
COMMENT ON COLUMN da.force_return_history.changed_at IS 'When the correction was made';
COMMENT ON COLUMN da.force_return_history.changed_by IS 'The role that ran the ingest (da.calling_role(), not the function owner)';

COMMENT ON COLUMN da.force_return_outcomes.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.force_return_outcomes.period_start IS 'First day of the period';
COMMENT ON COLUMN da.force_return_outcomes.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.force_return_outcomes.outcomes IS 'Outcomes recorded in the period, counts per Home Office outcome code (da.outcome_counts); NULL = unable to provide';
COMMENT ON COLUMN da.force_return_outcomes.source IS 'Where the counts came from, as given at ingest';
COMMENT ON COLUMN da.force_return_outcomes.loaded_at IS 'When the current distribution was loaded';
COMMENT ON COLUMN da.force_return_outcomes.load_id IS 'The load that set the current distribution (da.return_load)';

COMMENT ON COLUMN da.force_return_outcomes_history.history_id IS 'Sequence number of the correction';
COMMENT ON COLUMN da.force_return_outcomes_history.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.force_return_outcomes_history.period_start IS 'First day of the period corrected';
COMMENT ON COLUMN da.force_return_outcomes_history.period_end IS 'Last day of the period corrected';
COMMENT ON COLUMN da.force_return_outcomes_history.old_outcomes IS 'The distribution replaced; NULL = it was unable to provide';
COMMENT ON COLUMN da.force_return_outcomes_history.new_outcomes IS 'The distribution that replaced it; NULL = now unable to provide';
COMMENT ON COLUMN da.force_return_outcomes_history.old_source IS 'Source of the replaced distribution';
COMMENT ON COLUMN da.force_return_outcomes_history.new_source IS 'Source of the new distribution';
COMMENT ON COLUMN da.force_return_outcomes_history.old_loaded_at IS 'When the replaced distribution had been loaded';
COMMENT ON COLUMN da.force_return_outcomes_history.old_load_id IS 'The load that had set the replaced distribution (da.return_load)';
COMMENT ON COLUMN da.force_return_outcomes_history.load_id IS 'The load that made the correction (da.return_load)';
COMMENT ON COLUMN da.force_return_outcomes_history.changed_at IS 'When the correction was made';
COMMENT ON COLUMN da.force_return_outcomes_history.changed_by IS 'The role that ran the ingest (da.calling_role())';

COMMENT ON COLUMN da.indicator.indicator_id IS 'Short identifier of the indicator, e.g. arrests_per_100';
COMMENT ON COLUMN da.indicator.label IS 'Name of the indicator for charts and messages (DA arrests per 100 DA crimes)';
COMMENT ON COLUMN da.indicator.numerator_measure IS 'Measure counted in the numerator (da.measure); NULL when the numerator is an outcome code';
COMMENT ON COLUMN da.indicator.numerator_outcome IS 'Outcome code counted in the numerator (from da.force_return_outcomes); NULL when the numerator is a measure';
COMMENT ON COLUMN da.indicator.denominator_measure IS 'Measure in the denominator (da.measure)';
COMMENT ON COLUMN da.indicator.per IS 'Multiplier: 100 for per 100 and percent, 10000 for per 10,000';
COMMENT ON COLUMN da.indicator.unit IS 'Unit of the value for axis labels (per 100 DA crimes, percent, per 10,000 adult females)';
COMMENT ON COLUMN da.indicator.ci_method IS 'wilson: a proportion (part of the denominator; Wilson interval, funnel by normal approximation); poisson: a rate (Byar/exact Poisson interval and funnel)';
COMMENT ON COLUMN da.indicator.sort_order IS 'Order of the indicators on a dashboard';
COMMENT ON COLUMN da.indicator.user_defined IS 'true for rows you added (kept by pg_dump); false for shipped rows';

COMMENT ON COLUMN da.measure.measure_id IS 'Short identifier of the measure, e.g. da_crimes, da_arrests, marac_cases';
COMMENT ON COLUMN da.measure.unit IS 'What the value counts: count (events) or people (a population)';
COMMENT ON COLUMN da.measure.description IS 'What is counted, as defined in the return (a trailing remark in brackets is left out of messages)';
COMMENT ON COLUMN da.measure.parent_measure IS 'The total this measure is a part of and must not exceed (da_crimes for DA sexual offences); NULL when none';
COMMENT ON COLUMN da.measure.user_defined IS 'true for rows you added (kept by pg_dump); false for shipped rows';

COMMENT ON COLUMN da.outcome_code.code IS 'Home Office outcome code as text: 1, 1A, 2, 2A, 3, 3A, 4 ... 18, 20 ... 23; 0 = not yet assigned';
COMMENT ON COLUMN da.outcome_code.label IS 'Home Office label of the outcome';
COMMENT ON COLUMN da.outcome_code.group_name IS 'Home Office outcome group (da.outcome_group)';
COMMENT ON COLUMN da.outcome_code.sort_order IS 'Canonical order of the codes (text form of da.outcome_counts, da.outcome_table)';
COMMENT ON COLUMN da.outcome_code.introduced IS 'When the code came into use, where known (21: January 2016, 22: April 2019); NULL = from the start of the framework (April 2013/2014) or not known';
COMMENT ON COLUMN da.outcome_code.notes IS 'Remarks on the code; NULL when none';
COMMENT ON COLUMN da.outcome_group.group_name IS 'Identifier of the Home Office outcome group, e.g. charged_summonsed';
COMMENT ON COLUMN da.outcome_group.sort_order IS 'Order of the groups in da.outcome_group_table';
COMMENT ON COLUMN da.outcome_group.description IS 'What the group means';

COMMENT ON COLUMN da.outcome_staging.staged_id IS 'Order in which rows were staged (the CSV line is staged_id order + 1 for the header)';
COMMENT ON COLUMN da.outcome_staging.force IS 'Force as written in the file (id, name, alias or ONS code), as text';
COMMENT ON COLUMN da.outcome_staging.period_start IS 'First day of the period as written (YYYY-MM-DD), as text';
COMMENT ON COLUMN da.outcome_staging.period_end IS 'Last day of the period as written (YYYY-MM-DD), as text';
COMMENT ON COLUMN da.outcome_staging.outcome IS 'Outcome code as written (1, 1A, 16, 0 = not yet assigned), as text; empty with an empty value = unable to provide';
COMMENT ON COLUMN da.outcome_staging.value IS 'Number of outcomes of that code as written, as text';
COMMENT ON COLUMN da.outcome_staging.source IS 'Source of the row; empty: the source given to da.ingest_outcomes()';
COMMENT ON COLUMN da.outcome_staging.staged_by IS 'Role that staged the row; each role sees and ingests only its own rows';
COMMENT ON COLUMN da.outcome_staging.staged_at IS 'When the row was staged';

COMMENT ON COLUMN da.rejected_return.rejected_id IS 'Sequence number of the rejected row';
COMMENT ON COLUMN da.rejected_return.load_id IS 'The load that refused the row (da.return_load)';
COMMENT ON COLUMN da.rejected_return.line_no IS 'Line of the CSV file, the header being line 1';
COMMENT ON COLUMN da.rejected_return.force IS 'Force as staged (text)';
COMMENT ON COLUMN da.rejected_return.period_start IS 'Period start as staged (text)';
COMMENT ON COLUMN da.rejected_return.period_end IS 'Period end as staged (text)';
COMMENT ON COLUMN da.rejected_return.measure IS 'Measure (or, for outcome loads, outcome code) as staged (text)';
COMMENT ON COLUMN da.rejected_return.value IS 'Value as staged (text)';
COMMENT ON COLUMN da.rejected_return.source IS 'Source as staged';
COMMENT ON COLUMN da.rejected_return.reason IS 'Every reason the row was refused, e.g. unknown force "Narnia"; negative value';
COMMENT ON COLUMN da.rejected_return.rejected_at IS 'When the row was refused';
COMMENT ON COLUMN da.rejected_return.rejected_by IS 'The role that ran the ingest (da.calling_role())';

COMMENT ON COLUMN da.return_load.load_id IS 'Identifier of the load (one call of da.ingest_returns or da.ingest_outcomes)';
COMMENT ON COLUMN da.return_load.kind IS 'returns (da.ingest_returns) or outcomes (da.ingest_outcomes)';
COMMENT ON COLUMN da.return_load.source IS 'Source given to the ingest call; NULL if none';
COMMENT ON COLUMN da.return_load.loaded_by IS 'The role that ran the ingest (da.calling_role())';
COMMENT ON COLUMN da.return_load.loaded_at IS 'When the load ran';
COMMENT ON COLUMN da.return_load.staged IS 'Rows taken from staging = inserted + updated + unchanged + rejected';
COMMENT ON COLUMN da.return_load.inserted IS 'Rows stored for the first time';
COMMENT ON COLUMN da.return_load.updated IS 'Rows that changed a stored value (old value to the history)';
COMMENT ON COLUMN da.return_load.unchanged IS 'Rows identical to the stored value (left alone)';
COMMENT ON COLUMN da.return_load.rejected IS 'Rows refused (to da.rejected_return)';

COMMENT ON COLUMN da.return_staging.staged_id IS 'Order in which rows were staged';
COMMENT ON COLUMN da.return_staging.force IS 'Force as written in the file (id, name, alias or ONS code), as text';
COMMENT ON COLUMN da.return_staging.period_start IS 'First day of the period as written (YYYY-MM-DD), as text';
COMMENT ON COLUMN da.return_staging.period_end IS 'Last day of the period as written (YYYY-MM-DD), as text';
COMMENT ON COLUMN da.return_staging.measure IS 'Measure id as written (da.measure), as text';
COMMENT ON COLUMN da.return_staging.value IS 'Count as written ("1,234" accepted), as text; empty = unable to provide';
COMMENT ON COLUMN da.return_staging.source IS 'Source of the row; empty: the source given to da.ingest_returns()';
COMMENT ON COLUMN da.return_staging.staged_by IS 'Role that staged the row; each role sees and ingests only its own rows';
COMMENT ON COLUMN da.return_staging.staged_at IS 'When the row was staged';

COMMENT ON COLUMN da.setting.name IS 'Setting name (one of da.setting_default)';
COMMENT ON COLUMN da.setting.value IS 'Your value of the setting';
COMMENT ON COLUMN da.setting_default.name IS 'Setting name, e.g. national_min_forces';
COMMENT ON COLUMN da.setting_default.value IS 'Shipped default value';
COMMENT ON COLUMN da.setting_default.description IS 'What the setting does';

COMMENT ON COLUMN da.validation_finding.run_id IS 'The run (da.validation_run)';
COMMENT ON COLUMN da.validation_finding.run_at IS 'When the run was made';
COMMENT ON COLUMN da.validation_finding.period_end IS 'Last day of the periods validated';
COMMENT ON COLUMN da.validation_finding.force_id IS 'The force concerned; NULL for a finding about no single force';
COMMENT ON COLUMN da.validation_finding.measure_id IS 'The measure or indicator concerned; NULL for a whole return (force_missing)';
COMMENT ON COLUMN da.validation_finding.rule IS 'The rule broken (da.validation_rule)';
COMMENT ON COLUMN da.validation_finding.severity IS 'error, warning or info';
COMMENT ON COLUMN da.validation_finding.observed IS 'The value that broke the rule (count, percent change, indicator value); NULL when there is none (missing)';
COMMENT ON COLUMN da.validation_finding.expected_or_limit IS 'What it was compared with: the total, the year-earlier value, the funnel limit; NULL when none';
COMMENT ON COLUMN da.validation_finding.message IS 'The sentence to send to the force';

COMMENT ON TABLE da.validation_rule_custom IS
    'Validation rules you added (through the da.validation_rule view); their queries run on every validation. Kept by pg_dump';
COMMENT ON COLUMN da.validation_rule_custom.rule IS 'Name of the rule';
COMMENT ON COLUMN da.validation_rule_custom.severity IS 'error, warning or info';
COMMENT ON COLUMN da.validation_rule_custom.threshold IS 'Passed to the query as $2; NULL if the rule takes none';
COMMENT ON COLUMN da.validation_rule_custom.enabled IS 'false: the rule is not run';
COMMENT ON COLUMN da.validation_rule_custom.description IS 'What the rule checks';
COMMENT ON COLUMN da.validation_rule_custom.query IS 'SQL taking the period end as $1 and the threshold as $2, returning force_id, measure_id, observed, expected_or_limit, message';
COMMENT ON TABLE da.validation_rule_default IS
    'The built-in validation rules with their shipped severity and threshold (change them through the da.validation_rule view)';
COMMENT ON COLUMN da.validation_rule_default.rule IS 'Name of the built-in rule';
COMMENT ON COLUMN da.validation_rule_default.severity IS 'Shipped severity: error, warning or info';
COMMENT ON COLUMN da.validation_rule_default.threshold IS 'Shipped threshold in the rule''s unit (percent, points, winsorising percent); NULL when the rule takes none';
COMMENT ON COLUMN da.validation_rule_default.description IS 'What the rule checks';
COMMENT ON TABLE da.validation_rule_setting IS
    'Your tuning of the built-in rules: only what differs from da.validation_rule_default (kept by pg_dump, so upgrades can change defaults)';
COMMENT ON COLUMN da.validation_rule_setting.rule IS 'The built-in rule tuned';
COMMENT ON COLUMN da.validation_rule_setting.severity IS 'Your severity; NULL = the default';
COMMENT ON COLUMN da.validation_rule_setting.threshold IS 'Your threshold (may be NULL on purpose: see threshold_set)';
COMMENT ON COLUMN da.validation_rule_setting.threshold_set IS 'true: threshold is yours (even NULL); false: the default threshold applies';
COMMENT ON COLUMN da.validation_rule_setting.enabled IS 'false: the rule is not run';

COMMENT ON COLUMN da.validation_run.run_id IS 'Identifier of the run (returned by da.run_validation)';
COMMENT ON COLUMN da.validation_run.run_at IS 'When the run was made';
COMMENT ON COLUMN da.validation_run.run_by IS 'The role that ran it (the pg_cron job''s owner for scheduled runs)';
COMMENT ON COLUMN da.validation_run.period_end IS 'Last day of the periods validated; NULL when nothing was loaded';
COMMENT ON COLUMN da.validation_run.errors IS 'Number of findings of severity error';
COMMENT ON COLUMN da.validation_run.warnings IS 'Number of findings of severity warning';
COMMENT ON COLUMN da.validation_run.infos IS 'Number of findings of severity info';

COMMENT ON TYPE da.validation_finding_row IS
    'One validation finding as da.validate_returns returns it: force, measure, rule, severity, observed and compared value, message';
COMMENT ON COLUMN da.validation_finding_row.force_id IS 'The force concerned; NULL for a finding about no single force';
COMMENT ON COLUMN da.validation_finding_row.measure_id IS 'The measure or indicator concerned; NULL for a whole return';
COMMENT ON COLUMN da.validation_finding_row.rule IS 'The rule broken (da.validation_rule)';
COMMENT ON COLUMN da.validation_finding_row.severity IS 'error, warning or info';
COMMENT ON COLUMN da.validation_finding_row.observed IS 'The value that broke the rule; NULL when there is none';
COMMENT ON COLUMN da.validation_finding_row.expected_or_limit IS 'What it was compared with (total, year-earlier value, funnel limit); NULL when none';
COMMENT ON COLUMN da.validation_finding_row.message IS 'The sentence to send to the force';

-------------------------------------------------------------------------------
-- Warehouse: views
-------------------------------------------------------------------------------
COMMENT ON COLUMN da.dashboard.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.dashboard.force_name IS 'Name of the force as published';
COMMENT ON COLUMN da.dashboard.region IS 'Region of England, or Wales; NULL for BTP';
COMMENT ON COLUMN da.dashboard.period_start IS 'First day of the period';
COMMENT ON COLUMN da.dashboard.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.dashboard.period IS 'Name of the period as the reports write it: 12 months to 30 June 2017';
COMMENT ON COLUMN da.dashboard.indicator_id IS 'The indicator (da.indicator)';
COMMENT ON COLUMN da.dashboard.indicator IS 'Label of the indicator (DA arrests per 100 DA crimes)';
COMMENT ON COLUMN da.dashboard.unit IS 'Unit of value, ci_lower, ci_upper, national_value (per 100 DA crimes, percent, per 10,000 adult females)';
COMMENT ON COLUMN da.dashboard.numerator IS 'Numerator count of the force and period; NULL = not returned or unable to provide';
COMMENT ON COLUMN da.dashboard.denominator IS 'Denominator count of the force and period; NULL = not returned or unable to provide';
COMMENT ON COLUMN da.dashboard.value IS 'per * numerator / denominator, in unit, full precision; NULL when a side is missing or the denominator is 0; never capped';
COMMENT ON COLUMN da.dashboard.ci_lower IS 'Lower 95% confidence limit of value (Wilson for proportions, Byar/exact Poisson for rates); NULL when value is NULL or no interval exists';
COMMENT ON COLUMN da.dashboard.ci_upper IS 'Upper 95% confidence limit of value; NULL when value is NULL or no interval exists';
COMMENT ON COLUMN da.dashboard.national_value IS 'England and Wales value of the indicator for the period: ratio of sums over the territorial forces with both counts (BTP never); NULL when withheld (see national_withheld_reason)';
COMMENT ON COLUMN da.dashboard.national_forces_included IS 'Number of forces in national_value';
COMMENT ON COLUMN da.dashboard.value_year_earlier IS 'The force''s value for the same period a year earlier, in unit; NULL when not available';
COMMENT ON COLUMN da.dashboard.change_from_year_earlier IS 'value - value_year_earlier in the indicator''s units (percentage points for per-100 rates and percentages); NULL when either is NULL';
COMMENT ON COLUMN da.dashboard.national_withheld_reason IS 'Why national_value is NULL for your role (too few forces contribute); NULL when it is shown';

COMMENT ON COLUMN da.force_outcome_table.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.force_outcome_table.period_start IS 'First day of the period';
COMMENT ON COLUMN da.force_outcome_table.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.force_outcome_table.period IS 'Name of the period: 12 months to 30 June 2017';
COMMENT ON COLUMN da.force_outcome_table.da_crimes IS 'DA crimes recorded by the force in the same period (the per-100 basis); NULL when not returned';
COMMENT ON COLUMN da.force_outcome_table.code IS 'Home Office outcome code (0 = not yet assigned)';
COMMENT ON COLUMN da.force_outcome_table.label IS 'Label of the outcome';
COMMENT ON COLUMN da.force_outcome_table.group_name IS 'Home Office outcome group (da.outcome_group)';
COMMENT ON COLUMN da.force_outcome_table.n IS 'Number of outcomes of this code recorded in the period';
COMMENT ON COLUMN da.force_outcome_table.pct_of_outcomes IS 'Percent of all outcomes assigned (not yet assigned excluded); NULL for code 0 or when none assigned';
COMMENT ON COLUMN da.force_outcome_table.per_100_offences IS 'Per 100 DA crimes of the same period (HMICFRS Table 6 basis; need not sum to 100); NULL when da_crimes is NULL or 0';

COMMENT ON COLUMN da.force_return_wide.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.force_return_wide.force_name IS 'Name of the force as published';
COMMENT ON COLUMN da.force_return_wide.period_start IS 'First day of the period';
COMMENT ON COLUMN da.force_return_wide.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.force_return_wide.period IS 'Name of the period: 12 months to 30 June 2017';
COMMENT ON COLUMN da.force_return_wide.all_crime_excl_fraud IS 'All police recorded crime excluding fraud (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.da_crimes IS 'Domestic abuse-related crimes (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.da_arrests IS 'Arrests for DA-related offences (count; not linked to crimes one to one, so may exceed da_crimes); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.da_charges IS 'DA-related crimes with outcome 1, charged/summonsed (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.dvpo_applied IS 'Domestic violence protection orders applied for (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.dvpo_granted IS 'Domestic violence protection orders granted (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.marac_cases IS 'MARAC cases discussed, repeats included (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.marac_repeat_cases IS 'MARAC repeat cases (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.marac_children IS 'Children in households of MARAC cases (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.adult_female_population IS 'Resident female population aged 16 and over (people), the MARAC rate''s denominator; NULL = not returned or unable to provide';
COMMENT ON COLUMN da.force_return_wide.measures_returned IS 'Number of measures (of any kind, not only these columns) with a row for the force and period';
COMMENT ON COLUMN da.force_return_wide.measures_unable_to_provide IS 'Of those, how many the force was unable to provide (NULL value)';

COMMENT ON COLUMN da.indicator_input.indicator_id IS 'The indicator (da.indicator)';
COMMENT ON COLUMN da.indicator_input.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.indicator_input.period_start IS 'First day of the period';
COMMENT ON COLUMN da.indicator_input.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.indicator_input.numerator IS 'Numerator count (measure value or outcome count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.indicator_input.denominator IS 'Denominator count; NULL = not returned or unable to provide';

COMMENT ON COLUMN da.marac.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.marac.force_name IS 'Name of the force as published';
COMMENT ON COLUMN da.marac.period_start IS 'First day of the period';
COMMENT ON COLUMN da.marac.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.marac.period IS 'Name of the period: 12 months to 31 March 2017';
COMMENT ON COLUMN da.marac.cases IS 'MARAC cases discussed, repeats included (count); NULL = unable to provide';
COMMENT ON COLUMN da.marac.repeat_cases IS 'Repeat cases among them (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.marac.children IS 'Children in the households of the cases (count); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.marac.adult_females IS 'Adult (16+) female population covered by the MARACs (people); NULL = not returned or unable to provide';
COMMENT ON COLUMN da.marac.cases_per_10k IS 'Cases per 10,000 adult females (SafeLives); NULL when no usable population (see rate_missing_reason)';
COMMENT ON COLUMN da.marac.cases_per_10k_lower IS 'Lower 95% Poisson limit (Byar/exact) of cases_per_10k; NULL with it';
COMMENT ON COLUMN da.marac.cases_per_10k_upper IS 'Upper 95% Poisson limit (Byar/exact) of cases_per_10k; NULL with it';
COMMENT ON COLUMN da.marac.safelives_expected IS 'SafeLives'' expected level: 40 cases per 10,000 adult females';
COMMENT ON COLUMN da.marac.vs_expected IS 'cases_per_10k - safelives_expected, cases per 10,000 adult females (negative: below the expected level); NULL with cases_per_10k';
COMMENT ON COLUMN da.marac.repeat_rate IS 'Repeat cases per 100 cases (percent); NULL when either is missing or cases is 0';
COMMENT ON COLUMN da.marac.repeat_rate_lower IS 'Lower 95% Wilson limit of repeat_rate (percent); NULL when repeat cases exceed cases';
COMMENT ON COLUMN da.marac.repeat_rate_upper IS 'Upper 95% Wilson limit of repeat_rate (percent); NULL when repeat cases exceed cases';
COMMENT ON COLUMN da.marac.children_per_case IS 'Children per case (children / cases); NULL when either is missing or cases is 0';
COMMENT ON COLUMN da.marac.rate_missing_reason IS 'Why cases_per_10k is NULL (no adult female population for this period; ... unable to provide; force has no resident population for BTP); NULL when it is computed';
COMMENT ON COLUMN da.marac.repeat_problem IS 'repeat cases exceed cases when the return is inconsistent; NULL otherwise';

COMMENT ON COLUMN da.national_totals.measure_id IS 'The measure (da.measure)';
COMMENT ON COLUMN da.national_totals.period_start IS 'First day of the period';
COMMENT ON COLUMN da.national_totals.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.national_totals.period IS 'Name of the period: 12 months to 30 June 2017';
COMMENT ON COLUMN da.national_totals.value IS 'England and Wales total, in the measure''s unit, over the in_national_total forces that provided it; NULL when withheld';
COMMENT ON COLUMN da.national_totals.forces_included IS 'Number of forces in value';
COMMENT ON COLUMN da.national_totals.forces_expected IS 'Number of forces in the national total (in_national_total)';
COMMENT ON COLUMN da.national_totals.forces_left_out IS 'Names of the forces expected but left out (no row, or unable to provide), in name order';
COMMENT ON COLUMN da.national_totals.withheld_reason IS 'Why value is NULL for your role (too few forces contribute); NULL when it is shown';

COMMENT ON COLUMN da.settings.name IS 'Setting name';
COMMENT ON COLUMN da.settings.value IS 'Value in force: yours if set, else the default';
COMMENT ON COLUMN da.settings.default_value IS 'Shipped default';
COMMENT ON COLUMN da.settings.changed IS 'true when your value is in force';
COMMENT ON COLUMN da.settings.description IS 'What the setting does';

COMMENT ON COLUMN da.validation_rule.rule IS 'Name of the rule';
COMMENT ON COLUMN da.validation_rule.severity IS 'Severity in force: error, warning or info (UPDATE to change; NULL back to the default)';
COMMENT ON COLUMN da.validation_rule.threshold IS 'Threshold in force in the rule''s unit (percent for count_jump, points for rate_jump, winsorising percent for funnel_99_8); NULL when the rule takes none';
COMMENT ON COLUMN da.validation_rule.enabled IS 'false: the rule is not run';
COMMENT ON COLUMN da.validation_rule.description IS 'What the rule checks';
COMMENT ON COLUMN da.validation_rule.query IS 'SQL of a rule you added; NULL for built-in rules';
COMMENT ON COLUMN da.validation_rule.builtin IS 'true for a built-in rule (cannot be deleted or renamed; disable it instead)';

-------------------------------------------------------------------------------
-- Support functions (not required, see the header): what they support.
-------------------------------------------------------------------------------
COMMENT ON FUNCTION da.rate_accum(da.rate_state, bigint, bigint) IS 'Support: transition function of the rate and interval aggregates (adds a row with both counts)';
COMMENT ON FUNCTION da.rate_accum(da.rate_state, integer, integer) IS 'Support: transition function of the rate aggregates, integer counts';
COMMENT ON FUNCTION da.rate_accum(da.rate_state, bigint, bigint, bigint) IS 'Support: transition function of the rate and interval aggregates with per';
COMMENT ON FUNCTION da.rate_accum(da.rate_state, integer, integer, bigint) IS 'Support: transition function of da.per_n_agg, integer counts';
COMMENT ON FUNCTION da.rate_accum(da.rate_state, bigint, bigint, bigint, double precision) IS 'Support: transition function of da.rate_ci_agg with per and level';
COMMENT ON FUNCTION da.rate_retract(da.rate_state, bigint, bigint) IS 'Support: inverse transition (moving window) of the rate and interval aggregates';
COMMENT ON FUNCTION da.rate_retract(da.rate_state, integer, integer) IS 'Support: inverse transition (moving window) of the rate aggregates, integer counts';
COMMENT ON FUNCTION da.rate_retract(da.rate_state, bigint, bigint, bigint) IS 'Support: inverse transition (moving window) of the aggregates with per';
COMMENT ON FUNCTION da.rate_retract(da.rate_state, integer, integer, bigint) IS 'Support: inverse transition (moving window) of da.per_n_agg, integer counts';
COMMENT ON FUNCTION da.rate_retract(da.rate_state, bigint, bigint, bigint, double precision) IS 'Support: inverse transition (moving window) of the interval aggregates with per and level';
COMMENT ON FUNCTION da.rate_combine(da.rate_state, da.rate_state) IS 'Support: combine function (parallel query) of the rate and interval aggregates';
COMMENT ON FUNCTION da.rate_final(da.rate_state) IS 'Support: final function of the rate aggregates (the ratio of sums)';
COMMENT ON FUNCTION da.rate_wilson_final(da.rate_state) IS 'Support: final function of da.wilson_ci_agg';
COMMENT ON FUNCTION da.rate_poisson_final(da.rate_state) IS 'Support: final function of da.rate_ci_agg';
COMMENT ON FUNCTION da.proportion_accum(da.rate_state, bigint, bigint) IS 'Support: transition function of da.wilson_ci_agg (checks numerator <= denominator)';
COMMENT ON FUNCTION da.proportion_accum(da.rate_state, bigint, bigint, bigint) IS 'Support: transition function of da.wilson_ci_agg with per';
COMMENT ON FUNCTION da.proportion_accum(da.rate_state, bigint, bigint, bigint, double precision) IS 'Support: transition function of da.wilson_ci_agg with per and level';
COMMENT ON FUNCTION da.rate_state_in(cstring) IS 'Support: text input of da.rate_state';
COMMENT ON FUNCTION da.rate_state_out(da.rate_state) IS 'Support: text output of da.rate_state';
COMMENT ON FUNCTION da.rate_state_recv(internal) IS 'Support: binary input of da.rate_state';
COMMENT ON FUNCTION da.rate_state_send(da.rate_state) IS 'Support: binary output of da.rate_state';

COMMENT ON FUNCTION da.outcome_accum(da.outcome_counts, text) IS 'Support: transition function of da.outcome_agg(text), record level';
COMMENT ON FUNCTION da.outcome_accum(da.outcome_counts, integer) IS 'Support: transition function of da.outcome_agg(integer), record level';
COMMENT ON FUNCTION da.outcome_accum(da.outcome_counts, text, bigint) IS 'Support: transition function of da.outcome_agg(text, bigint), pre-counted';
COMMENT ON FUNCTION da.outcome_accum(da.outcome_counts, integer, bigint) IS 'Support: transition function of da.outcome_agg(integer, bigint), pre-counted';
COMMENT ON FUNCTION da.outcome_retract(da.outcome_counts, text) IS 'Support: inverse transition (moving window) of da.outcome_agg(text)';
COMMENT ON FUNCTION da.outcome_retract(da.outcome_counts, integer) IS 'Support: inverse transition (moving window) of da.outcome_agg(integer)';
COMMENT ON FUNCTION da.outcome_maccum(da.outcome_counts, text, bigint) IS 'Support: moving-window transition of da.outcome_agg(text, bigint)';
COMMENT ON FUNCTION da.outcome_maccum(da.outcome_counts, integer, bigint) IS 'Support: moving-window transition of da.outcome_agg(integer, bigint)';
COMMENT ON FUNCTION da.outcome_mretract(da.outcome_counts, text, bigint) IS 'Support: inverse transition (moving window) of da.outcome_agg(text, bigint)';
COMMENT ON FUNCTION da.outcome_mretract(da.outcome_counts, integer, bigint) IS 'Support: inverse transition (moving window) of da.outcome_agg(integer, bigint)';
COMMENT ON FUNCTION da.outcome_moving_final(da.outcome_counts) IS 'Support: moving-window final function of the pre-counted da.outcome_agg';
COMMENT ON FUNCTION da.outcome_combine(da.outcome_counts, da.outcome_counts) IS 'Support: adds two distributions; combine function of da.outcome_agg, transition of da.outcome_merge_agg, and the operator +';
COMMENT ON FUNCTION da.outcome_uncombine(da.outcome_counts, da.outcome_counts) IS 'Support: inverse transition (moving window) of da.outcome_merge_agg';
COMMENT ON FUNCTION da.outcome_counts_in(cstring) IS 'Support: text (JSON object) input of da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_out(da.outcome_counts) IS 'Support: text (JSON object) output of da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_recv(internal) IS 'Support: binary input of da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_send(da.outcome_counts) IS 'Support: binary output of da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_eq(da.outcome_counts, da.outcome_counts) IS 'Support: implements the operator = on da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_ne(da.outcome_counts, da.outcome_counts) IS 'Support: implements the operator <> on da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_hash(da.outcome_counts) IS 'Support: hash function of the hash operator class of da.outcome_counts';
COMMENT ON FUNCTION da.outcome_counts_jsonb(da.outcome_counts) IS 'Support: the cast from da.outcome_counts to jsonb';

COMMENT ON FUNCTION da.change_count_accum(da.change_state, bigint, bigint) IS 'Support: transition function of da.matched_change_agg';
COMMENT ON FUNCTION da.change_count_retract(da.change_state, bigint, bigint) IS 'Support: inverse transition (moving window) of da.matched_change_agg';
COMMENT ON FUNCTION da.change_count_final(da.change_state) IS 'Support: final function of da.matched_change_agg';
COMMENT ON FUNCTION da.change_rate_accum(da.change_state, bigint, bigint, bigint, bigint) IS 'Support: transition function of da.matched_rate_change_agg (per 100)';
COMMENT ON FUNCTION da.change_rate_accum(da.change_state, bigint, bigint, bigint, bigint, bigint) IS 'Support: transition function of da.matched_rate_change_agg with per';
COMMENT ON FUNCTION da.change_rate_retract(da.change_state, bigint, bigint, bigint, bigint) IS 'Support: inverse transition (moving window) of da.matched_rate_change_agg (per 100)';
COMMENT ON FUNCTION da.change_rate_retract(da.change_state, bigint, bigint, bigint, bigint, bigint) IS 'Support: inverse transition (moving window) of da.matched_rate_change_agg with per';
COMMENT ON FUNCTION da.change_rate_final(da.change_state) IS 'Support: final function of da.matched_rate_change_agg';
COMMENT ON FUNCTION da.change_combine(da.change_state, da.change_state) IS 'Support: combine function (parallel query) of the matched-panel aggregates';
COMMENT ON FUNCTION da.change_state_in(cstring) IS 'Support: text input of da.change_state';
COMMENT ON FUNCTION da.change_state_out(da.change_state) IS 'Support: text output of da.change_state';
COMMENT ON FUNCTION da.change_state_recv(internal) IS 'Support: binary input of da.change_state';
COMMENT ON FUNCTION da.change_state_send(da.change_state) IS 'Support: binary output of da.change_state';

COMMENT ON FUNCTION da.validation_rule_change() IS 'Support: INSTEAD OF trigger that makes the da.validation_rule view updatable';
