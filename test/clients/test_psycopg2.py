#!/usr/bin/env python3
"""da_stats through psycopg2, as a Python dashboard (Superset, a notebook) reads it.

Usage: python3 test_psycopg2.py DBNAME   (host/port/user from PGHOST, PGPORT, PGUSER; PGHOST
is the cluster's unix-socket directory). The database holds da_stats with the demo data
loaded (test/clients/run.sh prepares it). Prints one TAP line per assertion group.

What a BI tool needs from the driver: rates, limits and shares as Decimal with a declared
scale (cursor.description's precision/scale, and values quantized to it), counts as int,
dates as datetime.date, phrases and flags as str, nothing as a composite or array string.
"""
import datetime
import os
import sys
from decimal import Decimal, ROUND_HALF_UP, getcontext

import psycopg2

getcontext().prec = 40

# PostgreSQL type OIDs as psycopg2 reports them in cursor.description[i].type_code.
NUMERIC, INT8, INT4, INT2, DATE, TEXT, VARCHAR, BOOL = 1700, 20, 23, 21, 1082, 25, 1043, 16
FLOAT8 = 701
PLAIN = {NUMERIC: 'numeric', INT8: 'bigint', DATE: 'date', TEXT: 'text', VARCHAR: 'varchar', BOOL: 'boolean'}
FLAGS = {'within', 'above 95%', 'above 99.8%', 'below 95%', 'below 99.8%', None}

n = 0
failures = 0


def tap(ok, desc, diag=()):
    global n, failures
    n += 1
    print(('ok' if ok else 'not ok') + ' %d - psycopg2: %s' % (n, desc))
    if not ok:
        failures += 1
    for line in diag:
        print('# ' + line)
    sys.stdout.flush()


def skip(desc, reason):
    global n
    n += 1
    print('ok %d - psycopg2: %s # SKIP %s' % (n, desc, reason))


def group(desc, fn):
    """Run one assertion group: fn returns a list of problems (empty = pass)."""
    try:
        problems = fn()
    except Exception as e:  # a driver or SQL error fails the group, never the whole file
        problems = ['%s: %s' % (type(e).__name__, str(e).strip())]
        conn.rollback()
    tap(not problems, desc, problems)


def query(sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    return cur


def declared_scale(col):
    """The scale the driver reports for a numeric column, or None when it has none.

    psycopg2 decodes the type modifier without checking for "none": an unconstrained
    numeric (typmod -1) comes out as precision 65535, scale 65535, which a naive
    "scale > 0" would accept. PostgreSQL's numeric precision is at most 1000.
    """
    if col.type_code != NUMERIC or col.precision is None or not 1 <= col.precision <= 1000:
        return None
    return col.scale


def close(a, b, tol):
    return a is not None and b is not None and abs(Decimal(a) - Decimal(b)) <= Decimal(tol)


def scale_problems(cur, what):
    """Every numeric column must come with a declared precision and a scale > 0."""
    out = []
    for c in cur.description:
        if c.type_code == NUMERIC and not (declared_scale(c) or 0) > 0:
            out.append('%s.%s: numeric with precision %s, scale %s (no declared scale)'
                       % (what, c.name, c.precision, c.scale))
    return out


def quantization_problems(cur, rows, what):
    """Every non-NULL numeric value arrives as a Decimal with exactly the declared scale."""
    out = []
    for i, c in enumerate(cur.description):
        if c.type_code != NUMERIC:
            continue
        scale = declared_scale(c)
        bad = [r[i] for r in rows if r[i] is not None
               and not (isinstance(r[i], Decimal) and scale and r[i].as_tuple().exponent == -scale)]
        if bad:
            out.append('%s.%s: %d values not Decimal quantized to a declared scale (%s), e.g. %r'
                       % (what, c.name, len(bad), scale, bad[0]))
    return out


def columns_of(cur):
    return {c.name: c for c in cur.description}


dbname = sys.argv[1] if len(sys.argv) > 1 else 'da_stats_clients'
try:
    conn = psycopg2.connect(dbname=dbname, host=os.environ['PGHOST'],
                            port=os.environ.get('PGPORT', '5432'), user=os.environ.get('PGUSER'))
except Exception as e:
    tap(False, 'connect over the unix socket in %s' % os.environ.get('PGHOST'), [str(e).strip()])
    print('1..%d' % n)
    sys.exit(1)


def t_connect():
    # inet_server_addr() is NULL on a unix-socket connection.
    addr, version = query('SELECT inet_server_addr(), current_setting(\'server_version_num\')::int').fetchone()
    return [] if addr is None and version >= 150000 else ['server address %r, version %r' % (addr, version)]


group('connected over the unix socket (psycopg2 %s)' % psycopg2.__version__.split()[0], t_connect)

# ---- da.dashboard ---------------------------------------------------------------------------
try:
    dash = query('SELECT * FROM da.dashboard ORDER BY indicator_id, force_id, period_end')
    dash_rows = dash.fetchall()
except Exception as e:
    tap(False, 'SELECT * FROM da.dashboard', [str(e).strip()])
    print('1..%d' % n)
    sys.exit(1)
dcols = columns_of(dash)
print('# da.dashboard as psycopg2 describes it: ' + ', '.join(
    '%s %s(%s,%s)' % (c.name, PLAIN.get(c.type_code, c.type_code), c.precision, c.scale)
    if c.type_code == NUMERIC else '%s %s' % (c.name, PLAIN.get(c.type_code, c.type_code))
    for c in dash.description))


def t_dash_types():
    out = []
    for c in dash.description:
        # The over-dispersion allowance (phi, tau2) is a model diagnostic in double precision, as
        # validation computes it; rates, limits and shares must be numeric.
        if c.type_code not in PLAIN and not (c.type_code == FLOAT8 and c.name.startswith('overdispersion_')):
            out.append('%s: type oid %s is not a plain column type (counts are bigint; no int4, arrays or composites)'
                       % (c.name, c.type_code))
    want = {'numerator': INT8, 'denominator': INT8, 'national_forces_included': INT8,
            'period_start': DATE, 'period_end': DATE, 'force_id': TEXT, 'force_name': TEXT,
            'period': TEXT, 'indicator_id': TEXT, 'indicator': TEXT, 'unit': TEXT,
            'value': NUMERIC, 'ci_lower': NUMERIC, 'ci_upper': NUMERIC, 'national_value': NUMERIC}
    for name, oid in want.items():
        if name not in dcols:
            out.append('column %s missing' % name)
        elif dcols[name].type_code != oid:
            out.append('%s: type oid %s, wanted %s' % (name, dcols[name].type_code, PLAIN[oid]))
    # And the Python objects the rows hold.
    pytype = {INT8: int, DATE: datetime.date, TEXT: str, VARCHAR: str, NUMERIC: Decimal, BOOL: bool}
    for i, c in enumerate(dash.description):
        kinds = {type(r[i]) for r in dash_rows if r[i] is not None}
        if c.type_code in pytype and kinds - {pytype[c.type_code]}:
            out.append('%s: values arrive as %s' % (c.name, sorted(k.__name__ for k in kinds)))
    if len(dash_rows) < 10:
        out.append('only %d dashboard rows: demo data not loaded?' % len(dash_rows))
    return out


group('da.dashboard: counts bigint/int, dates date, labels text/str, rates numeric/Decimal, nothing else',
      t_dash_types)
group('da.dashboard: every numeric (rate, limit, share) column has a declared precision and scale > 0',
      lambda: scale_problems(dash, 'da.dashboard'))
group('da.dashboard: every numeric value arrives as a Decimal quantized to its declared scale',
      lambda: quantization_problems(dash, dash_rows, 'da.dashboard'))


def t_national_rate():
    # The published national arrest rate: 35-force panel, 52 per 100 (2016) and 45 (2017), with
    # the 95% intervals 51.74-52.20 and 44.99-45.38 (HMICFRS 2019; README).
    cur = query("""SELECT period_end, numerator, denominator, value, ci_lower, ci_upper,
                          value_year_earlier, change_from_year_earlier
                   FROM da.dashboard WHERE force_id = 'ew_arrest_panel' AND indicator_id = 'arrests_per_100'
                   ORDER BY period_end""")
    rows = cur.fetchall()
    want = [(datetime.date(2016, 6, 30), 201659, 388020, 52, '51.74', '52.20'),
            (datetime.date(2017, 6, 30), 205757, 455395, 45, '44.99', '45.38')]
    if len(rows) != 2:
        return ['%d rows for the arrest panel, wanted 2' % len(rows)]
    scale = declared_scale(cur.description[3])
    tol = Decimal(1).scaleb(-scale) / 2 if scale else Decimal('1e-12')
    out = []
    for r, w in zip(rows, want):
        pend, num, den, value, lo, hi = r[:6]
        if (pend, num, den) != w[:3] or type(pend) is not datetime.date or type(num) is not int:
            out.append('row %r, wanted %r' % (r[:3], w[:3]))
        exact = Decimal(100 * num) / Decimal(den) if isinstance(num, int) else None
        if not isinstance(value, Decimal) or not close(value, exact, tol):
            out.append('%s: value %r, exact %s (tolerance %s)' % (pend, value, exact, tol))
        elif value.quantize(Decimal(1), ROUND_HALF_UP) != w[3]:
            out.append('%s: %s rounds to %s, published %s' % (pend, value, value.quantize(Decimal(1)), w[3]))
        if not (isinstance(lo, Decimal) and isinstance(hi, Decimal)
                and (lo.quantize(Decimal('0.01'), ROUND_HALF_UP), hi.quantize(Decimal('0.01'), ROUND_HALF_UP))
                == (Decimal(w[4]), Decimal(w[5]))):
            out.append('%s: interval %r - %r, published %s - %s' % (pend, lo, hi, w[4], w[5]))
    if not (close(rows[1][6], rows[0][3], 0) and close(rows[1][7], rows[1][3] - rows[0][3], 2 * tol)):
        out.append('2017: year earlier %r, change %r' % (rows[1][6], rows[1][7]))
    return out


group('da.dashboard: national arrest rate 52 and 45 per 100 as published, intervals, change a year on',
      t_national_rate)

if 'flag' not in dcols:
    skip('da.dashboard flag and limit columns', 'da.dashboard has no flag column yet (issue 12 item 2)')
else:
    def t_flag():
        out = []
        if dcols['flag'].type_code not in (TEXT, VARCHAR):
            out.append('flag: type oid %s, wanted text' % dcols['flag'].type_code)
        limits = ['lower_998', 'lower_95', 'upper_95', 'upper_998']
        out += ['column %s missing' % c for c in limits if c not in dcols]
        if out:
            return out
        idx = {c: i for i, c in enumerate(dcols)}
        scale = min((declared_scale(dcols[c]) or 12) for c in limits + ['value'])
        eps = Decimal(1).scaleb(-scale)
        flagged = 0
        for r in dash_rows:
            flag, value = r[idx['flag']], r[idx['value']]
            lo998, lo95, up95, up998 = (r[idx[c]] for c in limits)
            if flag not in FLAGS:
                out.append('%s %s %s: flag %r' % (r[idx['force_id']], r[idx['period_end']], r[idx['indicator_id']], flag))
                continue
            if flag is None:
                continue
            flagged += 1
            if None in (value, lo998, lo95, up95, up998) or not (lo998 <= lo95 <= up95 <= up998):
                out.append('%s %s: flag %r with value %r and limits %r'
                           % (r[idx['force_id']], r[idx['period_end']], flag, value, (lo998, lo95, up95, up998)))
                continue
            ok = {'within': lo95 - eps <= value <= up95 + eps,
                  'above 95%': up95 - eps <= value <= up998 + eps,
                  'above 99.8%': value >= up998 - eps,
                  'below 95%': lo998 - eps <= value <= lo95 + eps,
                  'below 99.8%': value <= lo998 + eps}[flag]
            if not ok:
                out.append('%s %s %s: value %s flagged %r, limits %s'
                           % (r[idx['force_id']], r[idx['period_end']], r[idx['indicator_id']], value, flag,
                              (lo998, lo95, up95, up998)))
        if flagged == 0:
            out.append('no dashboard row has a flag (the 2013 arrest rates of three forces should)')
        return out[:10]

    group('da.dashboard: flag is text, one of within/above/below 95%/99.8%, and agrees with the limits', t_flag)

def t_other_views():
    # The other chart views: MARAC rates per 10,000 and repeat rates, outcome shares per force.
    out = []
    for view in ('da.marac', 'da.force_outcome_table'):
        cur = query('SELECT * FROM %s' % view)
        rows = cur.fetchall()
        out += scale_problems(cur, view) + quantization_problems(cur, rows, view)
    return out


group('da.marac, da.force_outcome_table: every numeric column has a declared scale, values quantized to it',
      t_other_views)

def t_analyst():
    # A login role that may see Hampshire only: the same columns with the same types and scales,
    # only Hampshire's rows, and the national comparator (3 forces contribute, not withheld).
    c2 = psycopg2.connect(dbname=dbname, host=os.environ['PGHOST'], port=os.environ.get('PGPORT', '5432'),
                          user=analyst)
    try:
        cur = c2.cursor()
        cur.execute('SELECT * FROM da.dashboard')
        rows = cur.fetchall()
    finally:
        c2.close()
    out = []
    mine = [(c.name, c.type_code, c.precision, c.scale) for c in cur.description]
    theirs = [(c.name, c.type_code, c.precision, c.scale) for c in dash.description]
    if mine != theirs:
        out.append('columns as the analyst sees them differ: %r' % [m for m in mine if m not in theirs])
    idx = {c.name: i for i, c in enumerate(cur.description)}
    forces = {r[idx['force_id']] for r in rows}
    if forces != {'hampshire'}:
        out.append('the analyst sees forces %r, wanted only hampshire' % sorted(forces))
    su = {(r[dcols_idx['indicator_id']], r[dcols_idx['period_end']]): (r[dcols_idx['value']], r[dcols_idx['national_value']])
          for r in dash_rows if r[dcols_idx['force_id']] == 'hampshire'}
    got = {(r[idx['indicator_id']], r[idx['period_end']]): (r[idx['value']], r[idx['national_value']]) for r in rows}
    if got != su:
        out.append('Hampshire rows differ from the superuser\'s: %r' % sorted(set(got.items()) ^ set(su.items()))[:3])
    key = ('arrests_per_100', datetime.date(2013, 8, 31))
    if key not in got or None in got[key]:
        out.append('Hampshire 2013 arrest rate or its national value missing: %r' % (got.get(key),))
    return out


analyst = os.environ.get('CLIENTS_ANALYST')
dcols_idx = {c.name: i for i, c in enumerate(dash.description)}
if not analyst:
    skip('da.dashboard as a force-limited analyst', 'CLIENTS_ANALYST not set (test/clients/run.sh sets it)')
else:
    group('da.dashboard as a login role limited to Hampshire: same types and scales, its rows, national value',
          t_analyst)

# ---- funnel curves --------------------------------------------------------------------------
have_curve = query("SELECT count(*) FROM pg_proc WHERE proname = 'funnel_curve' "
                   "AND pronamespace = 'da'::regnamespace").fetchone()[0]
if not have_curve:
    skip('da.funnel_curve types and values', 'da.funnel_curve does not exist yet (issue 12 item 2)')
else:
    def t_curve():
        # Three forces returned arrests for the 12 months to 31 August 2013.
        cur = query("SELECT * FROM da.funnel_curve('arrests_per_100', '2013-08-31', 20)")
        rows = cur.fetchall()
        cols = columns_of(cur)
        out = scale_problems(cur, 'da.funnel_curve') + quantization_problems(cur, rows, 'da.funnel_curve')
        need = ['denominator', 'centre', 'lower_998', 'lower_95', 'upper_95', 'upper_998']
        out += ['column %s missing' % c for c in need if c not in cols]
        if out:
            return out
        if cols['denominator'].type_code not in (INT8, NUMERIC):
            out.append('denominator: type oid %s' % cols['denominator'].type_code)
        if not 2 <= len(rows) <= 20:
            out.append('%d points, asked for 20' % len(rows))
        idx = {c: i for i, c in enumerate(cols)}
        prev = None
        for r in rows:
            d, c, l998, l95, u95, u998 = (r[idx[k]] for k in need)
            if prev is not None and not d > prev:
                out.append('denominators not increasing: %s after %s' % (d, prev))
            prev = d
            if not all(isinstance(v, Decimal) for v in (c, u95, u998)):
                out.append('point %s: %r' % (d, (c, l998, l95, u95, u998)))
            elif not ((l998 is None or l95 is None or l998 <= l95) and (l95 is None or l95 <= c) and c <= u95 <= u998):
                out.append('point %s: limits out of order %r' % (d, (l998, l95, c, u95, u998)))
        centres = {r[idx['centre']] for r in rows}
        national = query("SELECT DISTINCT national_value FROM da.dashboard WHERE indicator_id = 'arrests_per_100' "
                         "AND period_end = '2013-08-31' AND national_value IS NOT NULL").fetchall()
        if len(centres) != 1 or len(national) != 1 or not close(centres.pop(), national[0][0], '0.001'):
            out.append('centre %r is not the one national value %r' % (sorted(centres), national))
        return out[:10]

    group('da.funnel_curve: denominators and declared-scale Decimal limits in order around the national value',
          t_curve)

# ---- the main functions ---------------------------------------------------------------------


def t_rates():
    cur = query('SELECT da.per_100(201659, 388020), da.per_10k(86893, 24827000), da.pct_change(434905, 506890)')
    per100, per10k, pct = cur.fetchone()
    out = []
    for name, got, exact in (('per_100', per100, Decimal(20165900) / Decimal(388020)),
                             ('per_10k', per10k, Decimal(868930000) / Decimal(24827000)),
                             ('pct_change', pct, Decimal(100 * (506890 - 434905)) / Decimal(434905))):
        if not isinstance(got, Decimal) or not close(got, exact, '1e-15'):
            out.append('%s: %r, exact %s' % (name, got, exact))
    if cur.description[0].type_code != NUMERIC:
        out.append('per_100: type oid %s' % cur.description[0].type_code)
    return out


group('da.per_100, da.per_10k, da.pct_change: exact Decimal', t_rates)


def t_intervals():
    # Wilson 65/100 and exact Poisson 1/100 per 100: the values in /work/shared/DOMAIN.md and
    # UKHSA's test data, to 1e-9.
    cur = query("""SELECT da.wilson_ci_lower(65, 100), da.wilson_ci_upper(65, 100),
                          (da.wilson_ci(65, 100)).lower, (da.wilson_ci(65, 100)).upper, (da.wilson_ci(65, 100)).method,
                          da.rate_ci_lower(1, 100, 100), da.rate_ci_upper(1, 100, 100), da.wilson_ci(65, 100)""")
    r = cur.fetchone()
    want = ['0.55254443296887967', '0.73635751756902468', '0.55254443296887967', '0.73635751756902468', 'Wilson',
            '0.025317807984289897', '5.571643390938898']
    out = []
    for i, w in enumerate(want):
        if w == 'Wilson':
            if r[i] != w:
                out.append('method %r' % (r[i],))
        elif not isinstance(r[i], Decimal) or not close(r[i], w, '1e-9'):
            out.append('%s: %r, wanted %s to 1e-9' % (cur.description[i].name, r[i], w))
    # The composite itself arrives as a string: dashboards should use the columns above.
    print('# the composite da.wilson_ci(65, 100) arrives as %s %r' % (type(r[7]).__name__, r[7]))
    return out


group('da.wilson_ci_lower/upper, the composite\'s fields, da.rate_ci_lower/upper: Decimal to 1e-9', t_intervals)


def t_phrases():
    cur = query("""SELECT da.pct_change_phrase(434905, 506890), da.pp_change_phrase(33, 32),
                          da.pp_change_phrase(52, 45), da.direction(52, 45),
                          da.period_label('2016-07-01', '2017-06-30'), da.year_earlier_end('2017-06-30')""")
    r = cur.fetchone()
    want = ('Up 17%', 'Down one percentage point', 'Down seven percentage points', 'down',
            '12 months to 30 June 2017', datetime.date(2016, 6, 30))
    out = ['%s: %r, wanted %r' % (cur.description[i].name, r[i], w)
           for i, w in enumerate(want) if r[i] != w or type(r[i]) is not type(w)]
    out += ['%s: type oid %s' % (c.name, c.type_code) for c in cur.description[:5] if c.type_code != TEXT]
    return out


group('change phrases and period labels as str, year_earlier_end as datetime.date', t_phrases)


def t_aggregates():
    # The README's ratio-of-sums example: D and E take no part.
    cur = query("""SELECT da.per_100_agg(arrests, crimes), count(*), da.rate_ci_agg(arrests, crimes, 100),
                          (da.wilson_ci_agg(arrests, crimes)).lower
                   FROM (VALUES ('A', 45, 100), ('B', 90, 100), ('C', 10, 1000), ('D', NULL, 500), ('E', 70, NULL))
                        t(force, arrests, crimes)""")
    agg, cnt, ci, wlo = cur.fetchone()
    out = []
    if not (isinstance(agg, Decimal) and close(agg, Decimal(14500) / Decimal(1200), '1e-15')):
        out.append('per_100_agg %r, wanted 12.0833...' % (agg,))
    if not (type(cnt) is int and cnt == 5):
        out.append('count(*) %r' % (cnt,))
    if not isinstance(wlo, Decimal) or not Decimal('0.10') < wlo < Decimal(145) / 1200:
        out.append('wilson_ci_agg lower %r' % (wlo,))
    print('# the composite da.rate_ci_agg(...) arrives as %s %r' % (type(ci).__name__, ci))
    return out


group('aggregates over a small table: per_100_agg ratio of sums as Decimal, count as int', t_aggregates)


def t_outcome_table():
    cur = query("""SELECT * FROM da.outcome_table(
                     (SELECT da.outcome_agg(code, n) FROM (VALUES ('1', 92900), ('1A', 237), ('2', 1400),
                        ('2A', 12), ('3', 19000), ('3A', 123), ('8', 5388), ('15', 118611), ('16', 214871),
                        ('18', 9000), ('21', 1200), (NULL, 30000)) t(code, n)), 500000)""")
    rows = cur.fetchall()
    cols = columns_of(cur)
    want = {'code': TEXT, 'label': TEXT, 'group_name': TEXT, 'n': INT8, 'pct_of_outcomes': NUMERIC,
            'per_100_offences': NUMERIC}
    out = ['%s: type oid %s' % (k, cols[k].type_code if k in cols else 'missing')
           for k, v in want.items() if k not in cols or cols[k].type_code != v]
    if out:
        return out
    if len(rows) != 26:
        out.append('%d rows, wanted 26' % len(rows))
    r16 = [r for r in rows if r[0] == '16']
    if not r16:
        return out + ['no row for code 16']
    code, label, grp, cnt, pct, per100 = r16[0]
    if not (type(cnt) is int and cnt == 214871 and isinstance(pct, Decimal)
            and pct.quantize(Decimal('0.1'), ROUND_HALF_UP) == Decimal('46.4')
            and per100.quantize(Decimal('0.1'), ROUND_HALF_UP) == Decimal('43.0')
            and isinstance(label, str) and grp == 'evidential_difficulties_victim_does_not_support'):
        out.append('code 16: %r' % (r16[0],))
    return out


group('da.outcome_table: 26 rows, n int, shares Decimal (outcome 16: 46.4% of outcomes, 43.0 per 100)',
      t_outcome_table)


def t_control():
    # The scale check itself can fail: an unconstrained numeric is caught, a declared one passes.
    bare = query('SELECT 1::numeric / 3 AS bare')
    bare_rows = bare.fetchall()
    typed = query('SELECT (1::numeric / 3)::numeric(12,4) AS typed')
    typed_rows = typed.fetchall()
    out = []
    if not scale_problems(bare, 'control') or not quantization_problems(bare, bare_rows, 'control'):
        out.append('an unconstrained numeric passed the scale check')
    if scale_problems(typed, 'control') or quantization_problems(typed, typed_rows, 'control') \
            or typed_rows[0][0] != Decimal('0.3333'):
        out.append('numeric(12,4) failed the scale check: %r %r' % (typed.description[0], typed_rows))
    return out


group('control: the scale check catches an unconstrained numeric and passes numeric(12,4)', t_control)

conn.close()
print('1..%d' % n)
sys.exit(1 if failures else 0)
