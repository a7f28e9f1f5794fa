package dev.mlops.monitoring.drift;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic, as {@code
 * scipy.stats.ks_2samp(method='exact')} computes it ({@code _attempt_exact_2kssamp}): the statistic
 * is first rounded to a multiple h / lcm(m, n); then, for m = n, {@code
 * _compute_prob_outside_square} (the alternating binomial sum of Gnedenko and Korolyuk, evaluated
 * Horner-like), otherwise {@code _compute_outer_prob_inside_method} (Hodges' lattice-path count of
 * the paths staying strictly inside |x/m - y/n| &lt; h / lcm, with the recursion for one minus the
 * proportion of Viehmann, arXiv:2102.08037). Stateless.
 */
final class KsExact {
  private KsExact() {}

  /** The statistic rounded to the lattice, h / lcm(m, n), and its exact p-value when computable. */
  record Outcome(double statistic, OptionalDouble pValue) {}

  /** At most this many steps of the lattice-path recursion (a second or two). */
  static final double MAX_STEPS = 2e9;

  /** Whether lcm(m, n) is small enough for the exact computation (scipy: {@code m/g < 2^31 / (n/g)}). */
  static boolean latticeFits(long m, long n) {
    long g = gcd(m, n);
    return m / g < Integer.MAX_VALUE / (double) (n / g);
  }

  /**
   * Whether the exact p-value of statistic {@code d} takes at most {@link #MAX_STEPS}: the square
   * formula for m = n takes about n steps, the lattice-path recursion about 2 d m n.
   */
  static boolean quick(long m, long n, double d) {
    return m == n ? n <= MAX_STEPS : 2 * d * m * n <= MAX_STEPS;
  }

  /**
   * The exact p-value of statistic {@code d} for sample sizes m and n; empty when the computation
   * leaves [0, 1] (scipy then falls back to the asymptotic distribution). Call only when {@link
   * #latticeFits} holds.
   */
  static Outcome pValue(long m, long n, double d) {
    long g = gcd(m, n);
    long lcm = (m / g) * n;
    long h = (long) Math.rint(d * lcm);
    double statistic = (double) h / lcm;
    if (h == 0) {
      return new Outcome(statistic, OptionalDouble.of(1.0));
    }
    double p = m == n ? outsideSquare(m, h) : outsideInside(m, n, g, h);
    return new Outcome(statistic, p >= 0 && p <= 1 ? OptionalDouble.of(p) : OptionalDouble.empty());
  }

  /**
   * P(D_{n,n} &ge; h/n) = 2 (C(2n, n-h) - C(2n, n-2h) + ...) / C(2n, n), each term divided by C(2n, n)
   * and the sum taken as 2 A0 (1 - A1 (1 - A2 (1 - ...))).
   */
  private static double outsideSquare(long n, long h) {
    double p = 0;
    for (long k = n / h; k >= 0; k--) {
      double term = 1;
      for (long j = 0; j < h; j++) {
        term = (n - k * h - j) * term / (n + k * h + j + 1);
      }
      p = term * (1 - p);
    }
    return 2 * p;
  }

  /**
   * One minus the proportion of lattice paths from (0, 0) to (m, n) with |n x - m y| / g &lt; h
   * throughout, column by column over a sliding window of y, each column kept as proportions.
   */
  private static double outsideInside(long mIn, long nIn, long g, long h) {
    long m = Math.max(mIn, nIn);
    long n = Math.min(mIn, nIn);
    long mg = m / g;
    long ng = n / g;
    long minJ = 0;
    long maxJ = Math.min(ceilDiv(h, mg), n + 1);
    long currentLength = maxJ - minJ;
    int size = (int) Math.min(2 * maxJ + 2, n + 1);
    double[] a = new double[size];
    Arrays.fill(a, (int) maxJ, size, 1.0);
    for (long i = 1; i <= m; i++) {
      long lastMinJ = minJ;
      long lastLength = currentLength;
      minJ = Math.min(Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0), n);
      maxJ = Math.min(ceilDiv(ng * i + h, mg), n + 1);
      if (maxJ <= minJ) {
        return 1.0;
      }
      double value = minJ == 0 ? 0.0 : 1.0;
      for (long jj = 0; jj < maxJ - minJ; jj++) {
        long j = jj + minJ;
        value = (a[(int) (jj + minJ - lastMinJ)] * i + value * j) / (i + j);
        a[(int) jj] = value;
      }
      currentLength = maxJ - minJ;
      if (lastLength > currentLength) {
        int from = (int) (maxJ - minJ);
        Arrays.fill(a, from, (int) Math.min(size, from + lastLength - currentLength), 1.0);
      }
    }
    return a[(int) (maxJ - minJ - 1)];
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }

  static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
