# References for the "huge" table of test/sql/change_significance.sql (10^10 to 9.2e18 events):
# 60-digit mpmath, binom.test's rule. Run against a server with the extension (edit P below). 
# the quadrature helper ibeta_lower is inlined here.
# 60-digit references for da.rate_change_test p-values at 1e10 .. 9.2e18 events (binom.test's rule).
import mpmath as mp, subprocess, math, sys
def ibeta_lower(x, a, b):
    """I_x(a,b) by quadrature of the density, for large a, b (x below the mode)."""
    a = mp.mpf(a); b = mp.mpf(b); x = mp.mpf(x)
    lB = mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)
    logf = lambda t: (a - 1) * mp.log(t) + (b - 1) * mp.log1p(-t) - lB
    mode = (a - 1) / (a + b - 2)
    sd = mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    # integrate from x downward over 60 sd (or to 0) in pieces
    lo = max(mp.mpf(0), x - 80 * sd)
    pts = [lo + (x - lo) * k / 40 for k in range(41)]
    return mp.quad(lambda t: mp.exp(logf(t)), pts)
mp.mp.dps = 60
P = ["psql", "-h", "/tmp/real-dev", "-p", "55504", "-U", "postgres", "-X", "-At", "-d", "readme"]
def logd(j, n, p):
    return mp.loggamma(n + 1) - mp.loggamma(j + 1) - mp.loggamma(n - j + 1) + j * mp.log(p) + (n - j) * mp.log1p(-p)
def ge(j, n, p):   # P(X >= j)
    if j <= 0: return mp.mpf(1)
    if j > n: return mp.mpf(0)
    a, b = mp.mpf(j), mp.mpf(n - j + 1)
    if p < a / (a + b): return ibeta_lower(p, a, b)          # small side
    return 1 - ibeta_lower(1 - p, b, a)
def le(k, n, p):   # P(X <= k) = P(X' >= n-k), X' ~ Bin(n, 1-p)
    return ge(n - k, n, 1 - p)
def pvalue(x, n, p):
    ld = logd(x, n, p) + mp.log1p(mp.mpf('1e-7')); m = n * p
    if x < m:
        lo, hi = int(mp.ceil(m)), n
        if logd(n, n, p) > ld: return min(1, le(x, n, p))
        while lo < hi:
            mid = (lo + hi) // 2
            if logd(mid, n, p) <= ld: hi = mid
            else: lo = mid + 1
        return min(1, le(x, n, p) + ge(lo, n, p))
    lo, hi = 0, int(mp.floor(m))
    if logd(0, n, p) > ld: return min(1, ge(x, n, p))
    while lo < hi:
        mid = hi - (hi - lo) // 2
        if logd(mid, n, p) <= ld: lo = mid
        else: hi = mid - 1
    return min(1, le(lo, n, p) + ge(x, n, p))
cases = []
for n, no, nn, z in [(10**10, 1, 1, 2.5), (3 * 10**11, 7, 3, -1.2), (10**13, 1000, 123, 0.05), (5 * 10**14, 1, 1, 4),
                     (2 * 10**16, 5, 4, -2), (7 * 10**17, 1, 1, 0.3), (4 * 10**18, 2, 3, 6), (9 * 10**18, 1, 1, 1),
                     (9223372036854775806, 1, 1, -0.7), (10**17, 10**9, 1, 3)]:
    p = mp.mpf(float(nn) / float(no + nn))   # the double the extension computes
    x = int(n * p + z * mp.sqrt(n * p * (1 - p)))
    ref = pvalue(x, n, p)
    got = subprocess.run(P + ["-c", f"select p_value from da.rate_change_test({n - x}, {no}, {x}, {nn})"], capture_output=True, text=True).stdout.strip()
    print(f"    ({n - x}, {no}, {x}, {nn}, {mp.nstr(ref, 17)}),   -- rel err {float(abs(mp.mpf(got) / ref - 1)):.1e}", flush=True)
