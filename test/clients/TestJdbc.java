// da_stats through pgjdbc, as Metabase, Tableau and DBeaver read it.
//
// Usage: java -cp build/clients:/usr/share/java/postgresql.jar:/usr/share/java/junixsocket-common.jar \
//            TestJdbc SOCKET_DIR PORT USER DBNAME
// Connects over the cluster's unix socket (the test cluster has no TCP listener) with Debian's
// junixsocket as pgjdbc's socket factory. The database holds da_stats with the demo data loaded
// (test/clients/run.sh prepares it). Prints one TAP line per assertion group.
//
// What a BI tool needs from the driver: rate, limit and share columns as NUMERIC with a real
// scale (ResultSetMetaData.getScale and DatabaseMetaData.getColumns' DECIMAL_DIGITS > 0: tools
// format columns from it), counts as BIGINT, dates as DATE, phrases and flags as VARCHAR.

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.*;
import java.time.LocalDate;
import java.util.*;

public class TestJdbc {
    static Connection conn;
    static int n = 0, failures = 0;
    static final Set<String> FLAGS = new HashSet<>(Arrays.asList(
        "within", "above 95%", "above 99.8%", "below 95%", "below 99.8%"));

    static void tap(boolean ok, String desc, List<String> diag) {
        n++;
        System.out.println((ok ? "ok " : "not ok ") + n + " - jdbc: " + desc);
        if (!ok) failures++;
        for (String d : diag) System.out.println("# " + d);
        System.out.flush();
    }

    static void skip(String desc, String reason) {
        n++;
        System.out.println("ok " + n + " - jdbc: " + desc + " # SKIP " + reason);
    }

    interface Group { List<String> run() throws Exception; }

    // One assertion group: the problems it finds (none = pass); an exception fails only it.
    static void group(String desc, Group g) {
        List<String> problems;
        try {
            problems = g.run();
        } catch (Exception e) {
            problems = List.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        tap(problems.isEmpty(), desc, problems.size() > 12 ? problems.subList(0, 12) : problems);
    }

    static final class Result {
        final ResultSetMetaData md;
        final List<Object[]> rows = new ArrayList<>();
        final Map<String, Integer> col = new LinkedHashMap<>();
        Result(String sql) throws SQLException {
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) col.put(md.getColumnLabel(i), i);
                while (rs.next()) {
                    Object[] r = new Object[md.getColumnCount() + 1];
                    for (int i = 1; i <= md.getColumnCount(); i++) r[i] = rs.getObject(i);
                    rows.add(r);
                }
                int k = md.getColumnCount() + 1;
                types = new int[k]; scales = new int[k]; precisions = new int[k]; typeNames = new String[k];
                for (int i = 1; i < k; i++) {
                    types[i] = md.getColumnType(i);
                    scales[i] = md.getScale(i);
                    precisions[i] = md.getPrecision(i);
                    typeNames[i] = md.getColumnTypeName(i);
                }
            }
        }
        int[] types, scales, precisions;
        String[] typeNames;
        int type(String c) { return types[col.get(c)]; }
        Object get(Object[] r, String c) { return r[col.get(c)]; }
    }

    static boolean isNumeric(int t) { return t == Types.NUMERIC || t == Types.DECIMAL; }

    static String describe(Result r) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> e : r.col.entrySet()) {
            int i = e.getValue();
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(r.typeNames[i]).append('/').append(typeName(r.types[i]));
            if (isNumeric(r.types[i])) sb.append('(').append(r.precisions[i]).append(',').append(r.scales[i]).append(')');
        }
        return sb.toString();
    }

    static String typeName(int t) {
        switch (t) {
            case Types.NUMERIC: return "NUMERIC";
            case Types.DECIMAL: return "DECIMAL";
            case Types.BIGINT: return "BIGINT";
            case Types.INTEGER: return "INTEGER";
            case Types.SMALLINT: return "SMALLINT";
            case Types.DATE: return "DATE";
            case Types.VARCHAR: return "VARCHAR";
            case Types.BIT: return "BIT";
            case Types.BOOLEAN: return "BOOLEAN";
            case Types.ARRAY: return "ARRAY";
            case Types.OTHER: return "OTHER";
            case Types.STRUCT: return "STRUCT";
            default: return "type " + t;
        }
    }

    // Every NUMERIC column must report a scale > 0 (and a precision that holds it: numeric(4,4)
    // is a fraction below 1).
    static List<String> scaleProblems(Result r, String what) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : r.col.entrySet()) {
            int i = e.getValue();
            if (isNumeric(r.types[i]) && !(r.scales[i] > 0 && r.precisions[i] >= r.scales[i]))
                out.add(what + "." + e.getKey() + ": getPrecision " + r.precisions[i] + ", getScale " + r.scales[i]);
        }
        return out;
    }

    // Every non-NULL value of a NUMERIC column is a BigDecimal with exactly the reported scale.
    static List<String> quantizationProblems(Result r, String what) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : r.col.entrySet()) {
            int i = e.getValue();
            if (!isNumeric(r.types[i])) continue;
            int bad = 0; Object example = null;
            for (Object[] row : r.rows) {
                Object v = row[i];
                if (v == null) continue;
                if (!(v instanceof BigDecimal) || r.scales[i] <= 0 || ((BigDecimal) v).scale() != r.scales[i]) {
                    bad++; if (example == null) example = v;
                }
            }
            if (bad > 0)
                out.add(what + "." + e.getKey() + ": " + bad + " values not BigDecimal with scale " + r.scales[i]
                        + ", e.g. " + example);
        }
        return out;
    }

    static boolean close(Object a, BigDecimal b, BigDecimal tol) {
        return a instanceof BigDecimal && b != null && ((BigDecimal) a).subtract(b).abs().compareTo(tol) <= 0;
    }

    static BigDecimal exact(long num, long den) {
        return BigDecimal.valueOf(num).divide(BigDecimal.valueOf(den), new MathContext(40));
    }

    static BigDecimal half(int scale) {
        return scale > 0 ? BigDecimal.ONE.scaleByPowerOfTen(-scale).divide(BigDecimal.valueOf(2)) : new BigDecimal("1e-12");
    }

    public static void main(String[] args) throws Exception {
        String sock = args[0] + "/.s.PGSQL." + args[1];
        String url0 = "jdbc:postgresql://localhost:" + args[1] + "/" + args[3]
            + "?socketFactory=org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg&socketFactoryArg=" + sock;
        Properties p = new Properties();
        p.setProperty("user", args[2]);
        final String url = url0;
        try {
            conn = DriverManager.getConnection(url0, p);
        } catch (SQLException e) {
            tap(false, "connect over the unix socket " + sock, List.of(e.toString()));
            System.out.println("1.." + n);
            System.exit(1);
        }

        group("connected over the unix socket (pgjdbc " + conn.getMetaData().getDriverVersion() + ")", () -> {
            Result r = new Result("SELECT inet_server_addr() IS NULL AS unix, current_setting('server_version_num')::int AS v");
            return Boolean.TRUE.equals(r.rows.get(0)[1]) && ((Integer) r.rows.get(0)[2]) >= 150000
                ? List.of() : List.of("unix socket " + r.rows.get(0)[1] + ", version " + r.rows.get(0)[2]);
        });

        // ---- da.dashboard ---------------------------------------------------------------------
        Result dash;
        try {
            dash = new Result("SELECT * FROM da.dashboard ORDER BY indicator_id, force_id, period_end");
        } catch (SQLException e) {
            tap(false, "SELECT * FROM da.dashboard", List.of(e.toString()));
            System.out.println("1.." + n);
            System.exit(1);
            return;
        }
        System.out.println("# da.dashboard as pgjdbc's ResultSetMetaData describes it: " + describe(dash));

        group("da.dashboard: counts BIGINT/Long, dates DATE/java.sql.Date, labels VARCHAR/String, rates NUMERIC/BigDecimal, nothing else", () -> {
            List<String> out = new ArrayList<>();
            Set<Integer> plain = Set.of(Types.NUMERIC, Types.DECIMAL, Types.BIGINT, Types.DATE, Types.VARCHAR, Types.BIT, Types.BOOLEAN);
            for (Map.Entry<String, Integer> e : dash.col.entrySet())
                // the over-dispersion allowance (phi, tau2) is a model diagnostic in double precision,
                // as validation computes it; rates, limits and shares must be NUMERIC
                if (!plain.contains(dash.types[e.getValue()])
                    && !(dash.types[e.getValue()] == Types.DOUBLE && e.getKey().startsWith("overdispersion_")))
                    out.add(e.getKey() + ": " + typeName(dash.types[e.getValue()]) + " (" + dash.typeNames[e.getValue()]
                            + ") is not a plain column type (counts are bigint; no int4, arrays or composites)");
            Map<String, Integer> want = new LinkedHashMap<>();
            for (String c : List.of("numerator", "denominator", "national_forces_included")) want.put(c, Types.BIGINT);
            for (String c : List.of("period_start", "period_end")) want.put(c, Types.DATE);
            for (String c : List.of("force_id", "force_name", "period", "indicator_id", "indicator", "unit")) want.put(c, Types.VARCHAR);
            for (String c : List.of("value", "ci_lower", "ci_upper", "national_value")) want.put(c, Types.NUMERIC);
            for (Map.Entry<String, Integer> w : want.entrySet()) {
                if (!dash.col.containsKey(w.getKey())) out.add("column " + w.getKey() + " missing");
                else if (dash.type(w.getKey()) != w.getValue())
                    out.add(w.getKey() + ": " + typeName(dash.type(w.getKey())) + ", wanted " + typeName(w.getValue()));
            }
            Map<Integer, Class<?>> jt = Map.of(Types.BIGINT, Long.class, Types.DATE, java.sql.Date.class,
                                               Types.VARCHAR, String.class, Types.NUMERIC, BigDecimal.class);
            for (Map.Entry<String, Integer> e : dash.col.entrySet()) {
                Class<?> k = jt.get(dash.types[e.getValue()]);
                if (k == null) continue;
                for (Object[] r : dash.rows) {
                    Object v = r[e.getValue()];
                    if (v != null && !k.isInstance(v)) { out.add(e.getKey() + ": a value arrives as " + v.getClass().getName()); break; }
                }
            }
            if (dash.rows.size() < 10) out.add("only " + dash.rows.size() + " dashboard rows: demo data not loaded?");
            return out;
        });

        group("da.dashboard: every NUMERIC (rate, limit, share) column has ResultSetMetaData.getScale > 0",
              () -> scaleProblems(dash, "da.dashboard"));

        group("da.dashboard: DatabaseMetaData.getColumns gives DECIMAL_DIGITS > 0 for every numeric column, BIGINT counts, DATE dates", () -> {
            List<String> out = new ArrayList<>();
            int seen = 0;
            try (ResultSet rs = conn.getMetaData().getColumns(null, "da", "dashboard", null)) {
                while (rs.next()) {
                    seen++;
                    String c = rs.getString("COLUMN_NAME");
                    int t = rs.getInt("DATA_TYPE");
                    int digits = rs.getInt("DECIMAL_DIGITS");
                    if (isNumeric(t) && digits <= 0)
                        out.add(c + ": " + rs.getString("TYPE_NAME") + " COLUMN_SIZE " + rs.getInt("COLUMN_SIZE")
                                + ", DECIMAL_DIGITS " + digits);
                    if (dash.col.containsKey(c) && t != dash.type(c))
                        out.add(c + ": getColumns says " + typeName(t) + ", the result set " + typeName(dash.type(c)));
                }
            }
            if (seen != dash.col.size()) out.add("getColumns lists " + seen + " columns, the view has " + dash.col.size());
            return out;
        });

        group("da.dashboard: every numeric value arrives as a BigDecimal with the reported scale",
              () -> quantizationProblems(dash, "da.dashboard"));

        group("da.dashboard: national arrest rate 52 and 45 per 100 as published, intervals, change a year on", () -> {
            List<String> out = new ArrayList<>();
            List<Object[]> rows = new ArrayList<>();
            for (Object[] r : dash.rows)
                if ("ew_arrest_panel".equals(dash.get(r, "force_id")) && "arrests_per_100".equals(dash.get(r, "indicator_id")))
                    rows.add(r);
            Object[][] want = {{LocalDate.of(2016, 6, 30), 201659L, 388020L, 52, "51.74", "52.20"},
                               {LocalDate.of(2017, 6, 30), 205757L, 455395L, 45, "44.99", "45.38"}};
            if (rows.size() != 2) return List.of(rows.size() + " rows for the arrest panel, wanted 2");
            BigDecimal tol = half(dash.scales[dash.col.get("value")]);
            for (int k = 0; k < 2; k++) {
                Object[] r = rows.get(k), w = want[k];
                Object pend = dash.get(r, "period_end");
                if (!(pend instanceof java.sql.Date) || !((java.sql.Date) pend).toLocalDate().equals(w[0])
                        || !w[1].equals(dash.get(r, "numerator")) || !w[2].equals(dash.get(r, "denominator"))) {
                    out.add("row " + pend + " " + dash.get(r, "numerator") + " " + dash.get(r, "denominator"));
                    continue;
                }
                Object v = dash.get(r, "value");
                BigDecimal ex = exact(100 * (Long) w[1], (Long) w[2]);
                if (!close(v, ex, tol)) out.add(w[0] + ": value " + v + ", exact " + ex + " (tolerance " + tol + ")");
                else if (((BigDecimal) v).setScale(0, RoundingMode.HALF_UP).intValue() != (Integer) w[3])
                    out.add(w[0] + ": " + v + " does not round to the published " + w[3]);
                Object lo = dash.get(r, "ci_lower"), hi = dash.get(r, "ci_upper");
                if (!(lo instanceof BigDecimal && hi instanceof BigDecimal
                      && ((BigDecimal) lo).setScale(2, RoundingMode.HALF_UP).equals(new BigDecimal((String) w[4]))
                      && ((BigDecimal) hi).setScale(2, RoundingMode.HALF_UP).equals(new BigDecimal((String) w[5]))))
                    out.add(w[0] + ": interval " + lo + " - " + hi + ", published " + w[4] + " - " + w[5]);
            }
            Object[] r17 = rows.get(1), r16 = rows.get(0);
            Object ye = dash.get(r17, "value_year_earlier"), ch = dash.get(r17, "change_from_year_earlier");
            BigDecimal v16 = (BigDecimal) dash.get(r16, "value"), v17 = (BigDecimal) dash.get(r17, "value");
            if (!close(ye, v16, BigDecimal.ZERO) || !close(ch, v17.subtract(v16), tol.multiply(BigDecimal.valueOf(2))))
                out.add("2017: year earlier " + ye + ", change " + ch);
            return out;
        });

        if (!dash.col.containsKey("flag")) {
            skip("da.dashboard flag and limit columns", "da.dashboard has no flag column yet (issue 12 item 2)");
        } else {
            group("da.dashboard: flag is VARCHAR, one of within/above/below 95%/99.8%, and agrees with the limits", () -> {
                List<String> out = new ArrayList<>();
                if (dash.type("flag") != Types.VARCHAR) out.add("flag: " + typeName(dash.type("flag")));
                String[] lim = {"lower_998", "lower_95", "upper_95", "upper_998"};
                for (String c : lim) if (!dash.col.containsKey(c)) out.add("column " + c + " missing");
                if (!out.isEmpty()) return out;
                int scale = 12;
                for (String c : List.of("lower_998", "lower_95", "upper_95", "upper_998", "value"))
                    if (dash.scales[dash.col.get(c)] > 0) scale = Math.min(scale, dash.scales[dash.col.get(c)]);
                BigDecimal eps = BigDecimal.ONE.scaleByPowerOfTen(-scale);
                int flagged = 0;
                for (Object[] r : dash.rows) {
                    Object f = dash.get(r, "flag");
                    if (f == null) continue;
                    String where = dash.get(r, "force_id") + " " + dash.get(r, "period_end") + " " + dash.get(r, "indicator_id");
                    if (!FLAGS.contains(f)) { out.add(where + ": flag " + f); continue; }
                    flagged++;
                    BigDecimal v = (BigDecimal) dash.get(r, "value");
                    BigDecimal[] l = new BigDecimal[4];
                    for (int k = 0; k < 4; k++) l[k] = (BigDecimal) dash.get(r, lim[k]);
                    if (v == null || Arrays.asList(l).contains(null)
                            || l[0].compareTo(l[1]) > 0 || l[1].compareTo(l[2]) > 0 || l[2].compareTo(l[3]) > 0) {
                        out.add(where + ": flag " + f + " with value " + v + " and limits " + Arrays.toString(l));
                        continue;
                    }
                    boolean ok;
                    switch ((String) f) {
                        case "within": ok = v.compareTo(l[1].subtract(eps)) >= 0 && v.compareTo(l[2].add(eps)) <= 0; break;
                        case "above 95%": ok = v.compareTo(l[2].subtract(eps)) >= 0 && v.compareTo(l[3].add(eps)) <= 0; break;
                        case "above 99.8%": ok = v.compareTo(l[3].subtract(eps)) >= 0; break;
                        case "below 95%": ok = v.compareTo(l[0].subtract(eps)) >= 0 && v.compareTo(l[1].add(eps)) <= 0; break;
                        default: ok = v.compareTo(l[0].add(eps)) <= 0;
                    }
                    if (!ok) out.add(where + ": value " + v + " flagged " + f + ", limits " + Arrays.toString(l));
                }
                if (flagged == 0) out.add("no dashboard row has a flag (the 2013 arrest rates of three forces should)");
                return out;
            });
        }

        group("da.marac, da.force_outcome_table: every NUMERIC column has getScale > 0, values BigDecimal at that scale", () -> {
            List<String> out = new ArrayList<>();
            for (String v : List.of("da.marac", "da.force_outcome_table")) {
                Result r = new Result("SELECT * FROM " + v);
                out.addAll(scaleProblems(r, v));
                out.addAll(quantizationProblems(r, v));
            }
            return out;
        });

        String analyst = System.getenv("CLIENTS_ANALYST");
        if (analyst == null || analyst.isEmpty()) {
            skip("da.dashboard as a force-limited analyst", "CLIENTS_ANALYST not set (test/clients/run.sh sets it)");
        } else {
            // A login role that may see Hampshire only: the same columns with the same types and
            // scales, only Hampshire's rows, and the national comparator (3 forces, not withheld).
            group("da.dashboard as a login role limited to Hampshire: same types and scales, its rows, national value", () -> {
                List<String> out = new ArrayList<>();
                Properties ap = new Properties();
                ap.setProperty("user", analyst);
                Connection su = conn;
                Result mine;
                try (Connection ac = DriverManager.getConnection(url, ap)) {
                    conn = ac;
                    mine = new Result("SELECT * FROM da.dashboard");
                } finally {
                    conn = su;
                }
                if (!describe(mine).equals(describe(dash))) out.add("columns as the analyst sees them: " + describe(mine));
                Map<String, String> got = new TreeMap<>(), want = new TreeMap<>();
                Set<Object> forces = new TreeSet<>();
                for (Object[] r : mine.rows) {
                    forces.add(mine.get(r, "force_id"));
                    got.put(mine.get(r, "indicator_id") + " " + mine.get(r, "period_end"),
                            mine.get(r, "value") + " " + mine.get(r, "national_value"));
                }
                for (Object[] r : dash.rows)
                    if ("hampshire".equals(dash.get(r, "force_id")))
                        want.put(dash.get(r, "indicator_id") + " " + dash.get(r, "period_end"),
                                 dash.get(r, "value") + " " + dash.get(r, "national_value"));
                if (!forces.equals(Set.of("hampshire"))) out.add("the analyst sees forces " + forces + ", wanted only hampshire");
                if (!got.equals(want)) out.add("Hampshire rows " + got + ", the superuser's " + want);
                String k = got.get("arrests_per_100 2013-08-31");
                if (k == null || k.contains("null")) out.add("Hampshire 2013 arrest rate or its national value missing: " + k);
                return out;
            });
        }

        // ---- funnel curves --------------------------------------------------------------------
        Result have = new Result("SELECT count(*) FROM pg_proc WHERE proname = 'funnel_curve' AND pronamespace = 'da'::regnamespace");
        if (((Long) have.rows.get(0)[1]) == 0) {
            skip("da.funnel_curve types and values", "da.funnel_curve does not exist yet (issue 12 item 2)");
        } else {
            group("da.funnel_curve: denominators and NUMERIC limits with a scale, in order around the national value", () -> {
                // Three forces returned arrests for the 12 months to 31 August 2013.
                Result c = new Result("SELECT * FROM da.funnel_curve('arrests_per_100', '2013-08-31', 20)");
                System.out.println("# da.funnel_curve as pgjdbc describes it: " + describe(c));
                List<String> out = new ArrayList<>(scaleProblems(c, "da.funnel_curve"));
                out.addAll(quantizationProblems(c, "da.funnel_curve"));
                for (String k : List.of("denominator", "centre", "lower_998", "lower_95", "upper_95", "upper_998"))
                    if (!c.col.containsKey(k)) out.add("column " + k + " missing");
                if (!out.isEmpty()) return out;
                if (c.type("denominator") != Types.BIGINT && !isNumeric(c.type("denominator")))
                    out.add("denominator: " + typeName(c.type("denominator")));
                if (c.rows.size() < 2 || c.rows.size() > 20) out.add(c.rows.size() + " points, asked for 20");
                BigDecimal prev = null;
                Set<BigDecimal> centres = new TreeSet<>();
                for (Object[] r : c.rows) {
                    BigDecimal d = new BigDecimal(String.valueOf(c.get(r, "denominator")));
                    if (prev != null && d.compareTo(prev) <= 0) out.add("denominators not increasing: " + d + " after " + prev);
                    prev = d;
                    BigDecimal ce = (BigDecimal) c.get(r, "centre"), l998 = (BigDecimal) c.get(r, "lower_998"),
                               l95 = (BigDecimal) c.get(r, "lower_95"), u95 = (BigDecimal) c.get(r, "upper_95"),
                               u998 = (BigDecimal) c.get(r, "upper_998");
                    centres.add(ce);
                    if (ce == null || u95 == null || u998 == null || ce.compareTo(u95) > 0 || u95.compareTo(u998) > 0
                            || (l95 != null && l95.compareTo(ce) > 0) || (l998 != null && l95 != null && l998.compareTo(l95) > 0))
                        out.add("point " + d + ": limits out of order " + l998 + " " + l95 + " " + ce + " " + u95 + " " + u998);
                }
                Result nat = new Result("SELECT DISTINCT national_value FROM da.dashboard WHERE indicator_id = 'arrests_per_100' "
                                        + "AND period_end = '2013-08-31' AND national_value IS NOT NULL");
                if (centres.size() != 1 || nat.rows.size() != 1
                        || !close(centres.iterator().next(), (BigDecimal) nat.rows.get(0)[1], new BigDecimal("0.001")))
                    out.add("centre " + centres + " is not the one national value");
                return out.size() > 10 ? out.subList(0, 10) : out;
            });
        }

        // ---- the main functions ----------------------------------------------------------------
        group("da.per_100, da.per_10k, da.pct_change: NUMERIC, exact BigDecimal", () -> {
            Result r = new Result("SELECT da.per_100(201659, 388020), da.per_10k(86893, 24827000), da.pct_change(434905, 506890)");
            List<String> out = new ArrayList<>();
            BigDecimal[] ex = {exact(20165900L, 388020L), exact(868930000L, 24827000L), exact(100L * (506890 - 434905), 434905L)};
            for (int i = 0; i < 3; i++) {
                if (!isNumeric(r.types[i + 1])) out.add("column " + (i + 1) + ": " + typeName(r.types[i + 1]));
                if (!close(r.rows.get(0)[i + 1], ex[i], new BigDecimal("1e-15")))
                    out.add("column " + (i + 1) + ": " + r.rows.get(0)[i + 1] + ", exact " + ex[i]);
            }
            return out;
        });

        group("da.wilson_ci_lower/upper, the composite's fields, da.rate_ci_lower/upper: BigDecimal to 1e-9", () -> {
            Result r = new Result("SELECT da.wilson_ci_lower(65, 100), da.wilson_ci_upper(65, 100), "
                + "(da.wilson_ci(65, 100)).lower, (da.wilson_ci(65, 100)).upper, (da.wilson_ci(65, 100)).method, "
                + "da.rate_ci_lower(1, 100, 100), da.rate_ci_upper(1, 100, 100), da.wilson_ci(65, 100)");
            String[] want = {"0.55254443296887967", "0.73635751756902468", "0.55254443296887967", "0.73635751756902468",
                             "Wilson", "0.025317807984289897", "5.571643390938898"};
            List<String> out = new ArrayList<>();
            Object[] row = r.rows.get(0);
            for (int i = 0; i < want.length; i++) {
                if (want[i].equals("Wilson")) {
                    if (!"Wilson".equals(row[i + 1]) || r.types[i + 1] != Types.VARCHAR) out.add("method " + row[i + 1]);
                } else if (!close(row[i + 1], new BigDecimal(want[i]), new BigDecimal("1e-9"))) {
                    out.add(r.md.getColumnLabel(i + 1) + ": " + row[i + 1] + ", wanted " + want[i] + " to 1e-9");
                }
            }
            System.out.println("# the composite da.wilson_ci(65, 100) arrives as " + typeName(r.types[8]) + " ("
                               + r.typeNames[8] + "), " + row[8].getClass().getName() + " " + row[8]);
            return out;
        });

        group("change phrases and period labels VARCHAR/String, year_earlier_end DATE", () -> {
            Result r = new Result("SELECT da.pct_change_phrase(434905, 506890), da.pp_change_phrase(33, 32), "
                + "da.pp_change_phrase(52, 45), da.direction(52, 45), da.period_label('2016-07-01', '2017-06-30'), "
                + "da.year_earlier_end('2017-06-30')");
            String[] want = {"Up 17%", "Down one percentage point", "Down seven percentage points", "down",
                             "12 months to 30 June 2017"};
            List<String> out = new ArrayList<>();
            Object[] row = r.rows.get(0);
            for (int i = 0; i < want.length; i++)
                if (!want[i].equals(row[i + 1]) || r.types[i + 1] != Types.VARCHAR)
                    out.add(r.md.getColumnLabel(i + 1) + ": " + typeName(r.types[i + 1]) + " " + row[i + 1] + ", wanted " + want[i]);
            if (r.types[6] != Types.DATE || !(row[6] instanceof java.sql.Date)
                    || !((java.sql.Date) row[6]).toLocalDate().equals(LocalDate.of(2016, 6, 30)))
                out.add("year_earlier_end: " + typeName(r.types[6]) + " " + row[6]);
            return out;
        });

        group("aggregates over a small table: per_100_agg NUMERIC ratio of sums, count BIGINT", () -> {
            Result r = new Result("SELECT da.per_100_agg(arrests, crimes), count(*), (da.wilson_ci_agg(arrests, crimes)).lower "
                + "FROM (VALUES ('A', 45, 100), ('B', 90, 100), ('C', 10, 1000), ('D', NULL, 500), ('E', 70, NULL)) t(force, arrests, crimes)");
            List<String> out = new ArrayList<>();
            Object[] row = r.rows.get(0);
            if (!isNumeric(r.types[1]) || !close(row[1], exact(14500, 1200), new BigDecimal("1e-15")))
                out.add("per_100_agg " + typeName(r.types[1]) + " " + row[1] + ", wanted 12.0833...");
            if (r.types[2] != Types.BIGINT || !Long.valueOf(5).equals(row[2])) out.add("count(*) " + typeName(r.types[2]) + " " + row[2]);
            if (!(row[3] instanceof BigDecimal) || ((BigDecimal) row[3]).compareTo(new BigDecimal("0.10")) <= 0
                    || ((BigDecimal) row[3]).compareTo(exact(145, 1200)) >= 0)
                out.add("wilson_ci_agg lower " + row[3]);
            return out;
        });

        group("da.outcome_table: 26 rows, n BIGINT, shares NUMERIC (outcome 16: 46.4% of outcomes, 43.0 per 100)", () -> {
            Result r = new Result("SELECT * FROM da.outcome_table((SELECT da.outcome_agg(code, n) FROM (VALUES "
                + "('1', 92900), ('1A', 237), ('2', 1400), ('2A', 12), ('3', 19000), ('3A', 123), ('8', 5388), ('15', 118611), "
                + "('16', 214871), ('18', 9000), ('21', 1200), (NULL, 30000)) t(code, n)), 500000)");
            List<String> out = new ArrayList<>();
            Map<String, Integer> want = new LinkedHashMap<>();
            want.put("code", Types.VARCHAR); want.put("label", Types.VARCHAR); want.put("group_name", Types.VARCHAR);
            want.put("n", Types.BIGINT); want.put("pct_of_outcomes", Types.NUMERIC); want.put("per_100_offences", Types.NUMERIC);
            for (Map.Entry<String, Integer> w : want.entrySet())
                if (!r.col.containsKey(w.getKey()) || r.type(w.getKey()) != w.getValue())
                    out.add(w.getKey() + ": " + (r.col.containsKey(w.getKey()) ? typeName(r.type(w.getKey())) : "missing"));
            if (!out.isEmpty()) return out;
            if (r.rows.size() != 26) out.add(r.rows.size() + " rows, wanted 26");
            Object[] r16 = null;
            for (Object[] row : r.rows) if ("16".equals(r.get(row, "code"))) r16 = row;
            if (r16 == null) { out.add("no row for code 16"); return out; }
            Object cnt = r.get(r16, "n"), pct = r.get(r16, "pct_of_outcomes"), per = r.get(r16, "per_100_offences");
            if (!Long.valueOf(214871).equals(cnt) || !(pct instanceof BigDecimal) || !(per instanceof BigDecimal)
                    || !((BigDecimal) pct).setScale(1, RoundingMode.HALF_UP).equals(new BigDecimal("46.4"))
                    || !((BigDecimal) per).setScale(1, RoundingMode.HALF_UP).equals(new BigDecimal("43.0")))
                out.add("code 16: n " + cnt + ", pct_of_outcomes " + pct + ", per_100_offences " + per);
            return out;
        });

        group("control: the scale check catches an unconstrained numeric and passes numeric(12,4)", () -> {
            List<String> out = new ArrayList<>();
            Result bare = new Result("SELECT 1::numeric / 3 AS bare");
            Result typed = new Result("SELECT (1::numeric / 3)::numeric(12,4) AS typed");
            if (scaleProblems(bare, "control").isEmpty() || quantizationProblems(bare, "control").isEmpty())
                out.add("an unconstrained numeric passed: " + describe(bare));
            if (!scaleProblems(typed, "control").isEmpty() || !quantizationProblems(typed, "control").isEmpty()
                    || !new BigDecimal("0.3333").equals(typed.rows.get(0)[1]))
                out.add("numeric(12,4) failed: " + describe(typed) + " " + typed.rows.get(0)[1]);
            return out;
        });

        conn.close();
        System.out.println("1.." + n);
        System.exit(failures > 0 ? 1 : 0);
    }
}
