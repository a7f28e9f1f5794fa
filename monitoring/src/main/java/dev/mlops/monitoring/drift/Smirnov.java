package dev.mlops.monitoring.drift;

/**
 * The exact one-sided Kolmogorov-Smirnov (Smirnov) distribution: {@code sf(n, x) = P(D+_n >= x)},
 * as {@code scipy.special.smirnov(n, x)} computes it (scipy's {@code cephes/kolmogorov.c}, after
 * van Mulbregt, arXiv:1802.06966): the Birnbaum-Tingey sum
 *
 * <pre>
 *   P(D+_n >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 * </pre>
 *
 * with its special cases, and Miller's approximation beyond n = 1,000,000. Its terms are positive,
 * so doubles (each term taken through logarithms, the binomial kept as mantissa and exponent) hold
 * about 1e-10 relative accuracy where scipy uses double-double arithmetic. SciPy's other branch,
 * the alternating upper sum, serves the CDF of small x; {@link Kolmogorov} never asks for it.
 * Stateless.
 */
final class Smirnov {
  /** cephes' MINLOG: the logarithm of the smallest denormal double. */
  private static final double MIN_LOG = -7.451332191019412076235E2;
  private static final long MAX_COMPUTE_N = 1_000_000;
  private static final double LN2 = Math.log(2);

  private Smirnov() {}

  /** {@code P(D+_n >= x)}; NaN when {@code n < 1} or x is outside [0, 1]. */
  static double sf(long n, double x) {
    if (!(n > 0 && x >= 0 && x <= 1)) {
      return Double.NaN;
    }
    if (n == 1) {
      return 1 - x;
    }
    if (x == 0) {
      return 1;
    }
    if (x == 1) {
      return 0;
    }
    // floor(n * x) and its remainder from the exact product n * x = nx + err.
    double nx = n * x;
    double err = Math.fma(n, x, -nx);
    double floor = Math.floor(nx);
    double alpha = (nx - floor) + err;
    if (alpha < 0) {
      floor -= 1;
      alpha += 1;
    } else if (alpha >= 1) {
      floor += 1;
      alpha -= 1;
    }
    long nxFloor = (long) floor;
    if (nxFloor == 0 || (nxFloor == 1 && alpha == 0)) { // x <= 1/n: CDF = x (1 + x)^(n - 1)
      return clip(1 - x * Math.pow(1 + x, n - 1));
    }
    if (-2 * n * x * x < MIN_LOG) {
      return 0;
    }
    if (nxFloor >= n - 1) {
      return clip(Math.pow(1 - x, n));
    }
    if (n > MAX_COMPUTE_N) {
      return Math.exp(-Math.pow(6.0 * n * x + 1.0, 2) / 18.0 / n);
    }
    return clip(x * lowerSum(n, x, n - nxFloor));
  }

  /** The sum of the terms v = 0 .. terms - 1 (the last, zero, term of an integral n x left out). */
  private static double lowerSum(long n, double x, long terms) {
    double sum = Math.pow(1 - x, n) / x; // v = 0
    // C(n, v) = binomialMantissa * 2^binomialExponent, the mantissa kept in [0.5, 1).
    double binomialMantissa = 0.5;
    long binomialExponent = 1;
    long middle = n / 2;
    for (long v = 1; v < terms; v++) {
      double ratio = (double) (n - v + 1) / v; // C(n, v) = C(n, v - 1) (n - v + 1) / v
      binomialMantissa *= ratio;
      int e = Math.getExponent(binomialMantissa) + 1;
      binomialMantissa = Math.scalb(binomialMantissa, -e);
      binomialExponent += e;
      double up = x + (double) v / n;
      double down = (double) (n - v) / n - x;
      double logTerm = Math.log(binomialMantissa) + binomialExponent * LN2 + (v - 1) * Math.log(up)
          + (n - v) * Math.log(down);
      double term = Math.exp(logTerm);
      sum += term;
      if (term != 0) {
        if (4 * (terms - v) * term < Math.ulp(1.0) * sum && v != terms - 1) {
          break;
        }
      } else if (v > middle) {
        break;
      }
    }
    return sum;
  }

  private static double clip(double p) {
    return Math.max(0, Math.min(1, p));
  }
}
