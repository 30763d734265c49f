# 30-digit references for ds_qbeta at huge shapes (both beyond 1e9; test/c/test_distributions.c,
# hp_cases "qbeta, huge shapes").  For each case the quantile is found by Newton's method in
# 60-digit arithmetic, I_x(a, b) by quadrature of the density (the tail on the small side),
# starting from the value of the C function (read from the standalone harness given as argv[1],
# printing "quantile evaluations" for "p a b").  Needs python3-mpmath.
import mpmath as mp, subprocess, sys
mp.mp.dps = 30

def lbeta(a, b):
    return mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)

def logdens(t, a, b, lB):
    return (a - 1) * mp.log(t) + (b - 1) * mp.log1p(-t) - lB

def lower_tail(x, a, b, lB):
    """I_x(a, b) for x at or below the mean, by quadrature over 80 sd below x."""
    sd = mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    lo = max(mp.mpf(0), x - 80 * sd)
    # in the far tail the density falls off on the scale L = 1 / (d log f / dt) at x, much
    # shorter than sd: nodes at multiples of L next to x, then evenly spaced sd-wide pieces
    slope = (a - 1) / x - (b - 1) / (1 - x)
    L = min(sd, 1 / slope) if slope > 0 else sd
    near = [x - L * k for k in (0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128)]
    near = [t for t in near if t > lo]
    far = [lo + (near[-1] - lo) * k / 80 for k in range(80)]
    pts = far + near[::-1]
    return mp.quad(lambda t: mp.exp(logdens(t, a, b, lB)), pts)

def cdf(x, a, b, lB):
    if x <= a / (a + b):
        return lower_tail(x, a, b, lB)
    return 1 - lower_tail(1 - x, b, a, lB)

def qbeta(p, a, b, x):
    p, a, b, x = mp.mpf(p), mp.mpf(a), mp.mpf(b), mp.mpf(x)
    lB = lbeta(a, b)
    for _ in range(6):
        # solve on the small tail: F = p below 1/2, 1 - F = 1 - p above
        F = cdf(x, a, b, lB)
        f = mp.exp(logdens(x, a, b, lB))
        step = (F - p) / f
        x -= step
        if abs(step) < x * mp.mpf('1e-25'):
            break
    return x

harness = sys.argv[1]
cases = [(p, a, b) for (a, b) in [(7935387603281550000, 833389986634798001),
                                  (833389986634798001, 7935387603281550000),
                                  (9e18, 9e18), (9e18, 1e15), (1e15, 9e18), (2e9, 3e9),
                                  (3.87771138844122e17 + 10000001, 4.78119207291206e17 + 1),
                                  (1.5e6, 2.5e6), (1e7, 1e9)]
         for p in (1e-300, 0.025, 0.5, 0.9999999999999998)]
for p, a, b in cases:
    out = subprocess.run([harness, repr(p), repr(float(a)), repr(float(b))], capture_output=True,
                         text=True).stdout.split()
    got, evals = float(out[0]), int(out[1])
    ref = qbeta(p, float(a), float(b), got)
    err = float(abs(mp.mpf(got) / ref - 1))
    print(f"\t{{F_QBETA, {p!r}, {float(a)!r}, {float(b)!r}, {mp.nstr(ref, 17)}}},\t/* rel err {err:.1e}, {evals} evaluations */", flush=True)

# I_x(a, b) where the gamma expansion of the incomplete beta overflowed to -inf before (b^3 / a^2
# up to 60 with b ~ 1e7 .. 1e9), now in the range of the asymptotic expansion
for x, a, b in [(0.0099, 1e7, 1e9), (0.00990099, 1e7, 1e9), (0.0099005, 1e7, 1e9), (0.000999, 1e9, 1e12),
                (0.00099901, 1e9, 1e12)]:
    A, B, X = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    print(f"\t{{F_PBETA, {x!r}, {a!r}, {b!r}, {mp.nstr(cdf(X, A, B, lbeta(A, B)), 17)}}},", flush=True)
