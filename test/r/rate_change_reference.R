# References for test/sql/change_significance.sql (the 47-case table r_exact): Rscript test/r/rate_change_reference.R
# prints the VALUES rows; base R from Debian (r-base-core 4.2). Not run by scripts/test.sh.
# References for da.rate_change_test: R's poisson.test(c(x_new, x_old), c(n_new, n_old)).
# binom.test enumerates every outcome on the far side of the mean to find how many have a
# density <= d (1 + 1e-7); above 2e7 events that is done here by bisection on R's own dbinom
# (the same count, as dbinom is monotone there), checked against enumeration below that size.
p2 <- function(x, n, p) {
  relErr <- 1 + 1e-7; d <- dbinom(x, n, p); m <- n * p
  if (x == m) return(1)
  if (x < m) {
    lo <- ceiling(m); hi <- n + 1
    while (lo < hi) { mid <- floor((lo + hi) / 2); if (dbinom(mid, n, p) <= d * relErr) hi <- mid else lo <- mid + 1 }
    y <- n + 1 - lo
    pv <- pbinom(x, n, p) + pbinom(n - y, n, p, lower.tail = FALSE)
  } else {
    lo <- -1; hi <- floor(m)
    while (lo < hi) { mid <- hi - floor((hi - lo) / 2); if (dbinom(mid, n, p) <= d * relErr) lo <- mid else hi <- mid - 1 }
    y <- lo + 1
    pv <- pbinom(y - 1, n, p) + pbinom(x - 1, n, p, lower.tail = FALSE)
  }
  min(1, pv)
}
ref <- function(xo, no, xn, nn, level) {
  N <- xo + xn; p <- nn / (nn + no); al <- (1 - level) / 2
  pv <- p2(xn, N, p)
  # binom.test's Clopper-Pearson limits, turned into the rate ratio as poisson.test does; each
  # limit from the orientation (new/old or old/new, inverted) in which pp / (1 - pp) has pp <= 1/2.
  pL <- function(x, n) if (x == 0) 0 else qbeta(al, x, n - x + 1)
  pU <- function(x, n) if (x == n) 1 else qbeta(1 - al, x + 1, n - x)
  a_lo <- pL(xn, N); a_up <- pU(xn, N)
  lo <- if (a_lo <= 0.5) a_lo / (1 - a_lo) * no / nn else { q <- pU(xo, N); 1 / (q / (1 - q) * nn / no) }
  up <- if (a_up <= 0.5) a_up / (1 - a_up) * no / nn else { q <- pL(xo, N); 1 / (q / (1 - q) * nn / no) }
  if (N <= 2e7) {   # the same as R's own poisson.test where that is affordable
    t <- poisson.test(c(xn, xo), c(nn, no), conf.level = level)
    stopifnot(identical(t$p.value, pv))
    if (a_lo <= 0.5) stopifnot(identical(t$conf.int[1], lo))
    if (a_up <= 0.5) stopifnot(identical(t$conf.int[2], up))
  }
  c(lo, up, pv)
}
set.seed(13)
lev <- c(0.90, 0.95, 0.99, 0.998)
out <- list()
add <- function(xo, no, xn, nn, level, kind) out[[length(out) + 1]] <<- list(xo = xo, no = no, xn = xn, nn = nn, level = level, kind = kind)
# random: total events log-uniform over 1 .. 1e9, denominators 1 .. 1e9, rate ratio log-normal
for (i in 1:18) {
  N <- round(10^runif(1, 0, 9)); no <- round(10^runif(1, 0, 9))
  nn <- if (i %% 2 == 0) round(10^runif(1, 0, 9)) else max(1, round(no * exp(runif(1, -1, 1))))
  rr <- exp(rnorm(1, 0, 0.2)); p <- nn * rr / (nn * rr + no)
  xn <- rbinom(1, N, p); add(N - xn, no, xn, nn, sample(lev, 1), 'random')
}
# near no change: within half a standard deviation of the expected count, 1e3 .. 1e9 events
for (i in 1:12) {
  N <- round(10^runif(1, 3, 9)); no <- round(10^runif(1, 3, 9)); nn <- round(no * exp(runif(1, -1, 1)))
  p <- nn / (nn + no); xn <- round(N * p + runif(1, -0.5, 0.5) * sqrt(N * p * (1 - p)))
  add(N - xn, no, xn, nn, sample(lev, 1), 'near no change')
}
# modest changes with many events (where the old normal approximation applied)
for (i in 1:4) {
  N <- round(10^runif(1, 7, 9)); no <- round(10^runif(1, 5, 9)); nn <- round(no * exp(runif(1, -1, 1)))
  p <- nn / (nn + no); xn <- round(N * p + runif(1, 2, 6) * sqrt(N * p * (1 - p)) * sample(c(-1, 1), 1))
  add(N - xn, no, xn, nn, sample(lev, 1), 'random')
}
# a few events away from the expected count at 10^9
for (d in c(1, 3, 30)) add(5e8 - d, 1e9, 5e8 + d, 1e9, 0.95, 'near no change')
# extremes
add(0, 1000, 1e9, 1000, 0.95, 'none before')
add(0, 7, 5, 3, 0.95, 'none before')
add(987654321, 123, 0, 456, 0.99, 'none after')
add(3, 10, 0, 10, 0.95, 'none after')
add(5e8, 1e9, 5e8, 1e9, 0.95, 'equal rates')
add(123456, 1000, 370368, 3000, 0.998, 'equal rates')
add(1, 1, 0, 1, 0.95, 'one event')
add(1, 1e6, 1e9, 1e6, 0.95, 'huge ratio')
add(1e9, 1, 2, 1e9, 0.95, 'huge ratio')
add(4e8, 1, 6e8, 999999999, 0.90, 'huge ratio')
for (o in out) {
  r <- ref(o$xo, o$no, o$xn, o$nn, o$level)
  f <- function(v) if (is.infinite(v)) "'Infinity'" else sprintf("%.17g", v)
  cat(sprintf("    (%.0f, %.0f, %.0f, %.0f, %.3g, %s, %s, %s, '%s'),\n", o$xo, o$no, o$xn, o$nn, o$level, f(r[1]), f(r[2]), f(r[3]), o$kind))
}
