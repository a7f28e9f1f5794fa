package dev.mlops.monitoring.drift;

import java.util.Arrays;

/**
 * The exact distribution of the two-sided one-sample Kolmogorov-Smirnov statistic D_n: {@code
 * sf(n, x) = P(D_n >= x)}, as {@code scipy.stats.kstwo.sf(x, n)} computes it ({@code
 * scipy/stats/_ksstats.py}, {@code _kolmogn}), by the algorithm of Simard and L'Ecuyer, "Computing
 * the Two-Sided Kolmogorov-Smirnov Distribution", J. Stat. Software 39(11), 2011. Which method
 * serves a point depends on n and n x^2, as in scipy:
 *
 * <ul>
 *   <li>n x &le; 1 or n x &ge; n - 1: the closed forms of Ruben and Gambino;
 *   <li>x &ge; 0.5: exactly 2 P(D+_n &ge; x) ({@link Smirnov});
 *   <li>n &le; 140: Durbin's matrix (Marsaglia-Tsang-Wang) when n x^2 &le; 0.754693, Pomeranz's
 *       recursion when n x^2 &le; 4, else 2 P(D+_n &ge; x);
 *   <li>n &gt; 140: 0 when n x^2 &ge; 370, 2 P(D+_n &ge; x) when n x^2 &ge; 2.2, else one minus the
 *       CDF by Durbin's matrix (n &le; 100,000 and n x^1.5 &le; 1.4) or by Pelz and Good's
 *       expansion.
 * </ul>
 *
 * Stateless.
 */
final class Kolmogorov {
  private static final int SCALE_EXPONENT = 128;
  private static final double SCALE_UP = Math.scalb(1.0, SCALE_EXPONENT);
  private static final double SCALE_DOWN = Math.scalb(1.0, -SCALE_EXPONENT);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final double LOG_2PI = Math.log(2 * Math.PI);
  private static final double PI_SQUARED = Math.PI * Math.PI;
  private static final double PI_FOUR = Math.pow(Math.PI, 4);
  private static final double PI_SIX = Math.pow(Math.PI, 6);
  private static final double SQRT3 = Math.sqrt(3);
  private static final double MIN_LOG = -708;
  /** B_2j / (2j) / (2j - 1) for j = 8 .. 1: the Stirling series of log(n!). */
  private static final double[] STIRLING = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
      -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
      7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

  private Kolmogorov() {}

  /** {@code P(D_n >= x)}; NaN when {@code n < 1}. */
  static double sf(long n, double x) {
    if (n < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x >= 1) {
      return 0;
    }
    if (x <= 0) {
      return 1;
    }
    double t = n * x;
    if (t <= 1) { // Ruben-Gambino: CDF = n!/n^n (2t - 1)^n
      if (t <= 0.5) {
        return 1;
      }
      double cdf;
      if (n <= 140) {
        cdf = 1;
        for (long i = 1; i <= n; i++) {
          cdf *= i * (1.0 / n) * (2 * t - 1);
        }
      } else {
        cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
      }
      return clip(1 - cdf);
    }
    if (t >= n - 1) { // Ruben-Gambino
      return clip(2 * Math.pow(1 - x, n));
    }
    if (x >= 0.5) {
      return clip(2 * Smirnov.sf(n, x));
    }
    double nxSquared = t * x;
    if (n <= 140) {
      if (nxSquared <= 0.754693) {
        return clip(1 - durbinCdf((int) n, x));
      }
      if (nxSquared <= 4) {
        return clip(1 - pomeranzCdf((int) n, x));
      }
      return clip(2 * Smirnov.sf(n, x));
    }
    if (nxSquared >= 370) {
      return 0;
    }
    if (nxSquared >= 2.2) {
      return clip(2 * Smirnov.sf(n, x));
    }
    double cdf = n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4 ? durbinCdf((int) n, x) : pelzGoodCdf(n, x);
    return clip(1 - cdf);
  }

  /** log(n! / n^n) by Stirling's series, n log n taken out first. */
  private static double logFactorialOverPower(long n) {
    double rn = 1.0 / n;
    double poly = 0;
    for (double c : STIRLING) {
      poly = poly * (rn / n) + c;
    }
    return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
  }

  /**
   * P(D_n &le; d) by Durbin's matrix: with d = (k - h)/n, the k-th diagonal entry of n!/n^n H^n for
   * an m x m matrix H, m = 2k - 1 (Marsaglia, Tsang, Wang 2003), scaled by powers of 2^128.
   */
  static double durbinCdf(int n, double d) {
    if (d >= 1) {
      return 1;
    }
    double nd = n * d;
    if (nd <= 0.5) {
      return 0;
    }
    int k = (int) Math.ceil(nd);
    double h = k - nd;
    int m = 2 * k - 1;
    double[][] matrix = durbinMatrix(m, h);
    double[][] power = identity(m);
    long remaining = n;
    int exponent = 0; // of power
    int matrixExponent = 0; // of matrix
    while (remaining > 0) {
      if (remaining % 2 == 1) {
        power = multiply(power, matrix);
        exponent += matrixExponent;
      }
      matrix = multiply(matrix, matrix);
      matrixExponent *= 2;
      if (Math.abs(matrix[k - 1][k - 1]) > SCALE_UP) {
        scale(matrix, SCALE_DOWN);
        matrixExponent += SCALE_EXPONENT;
      }
      remaining /= 2;
    }
    double p = power[k - 1][k - 1];
    for (int i = 1; i <= n; i++) { // times n!/n^n
      p = i * p / n;
      if (Math.abs(p) < SCALE_DOWN) {
        p *= SCALE_UP;
        exponent -= SCALE_EXPONENT;
      }
    }
    return clip(Math.scalb(p, exponent));
  }

  /** Durbin's m x m matrix H for the fractional part {@code h}. */
  private static double[][] durbinMatrix(int m, double h) {
    double[] v = new double[m];
    double[] w = new double[m];
    double factorial = 1; // 1/j!
    for (int j = 1; j <= m; j++) {
      w[j - 1] = factorial;
      factorial /= j;
      v[j - 1] = (1.0 - Math.pow(h, j)) * factorial;
    }
    double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
    v[m - 1] = (1.0 + tt) * factorial;
    double[][] matrix = new double[m][m];
    for (int i = 1; i < m; i++) {
      for (int r = i - 1; r < m; r++) {
        matrix[r][i] = w[r - i + 1];
      }
    }
    for (int r = 0; r < m; r++) {
      matrix[r][0] = v[r];
    }
    for (int c = 0; c < m; c++) {
      matrix[m - 1][c] = v[m - 1 - c];
    }
    return matrix;
  }

  /**
   * P(D_n &le; x) by Pomeranz's recursion (Algorithm 487, CACM 1974): each row the convolution of
   * the previous one with Poisson-like weights; only the band of non-zero entries is kept.
   */
  static double pomeranzCdf(int n, double x) {
    double t = n * x;
    int ll = (int) Math.floor(t);
    double f = t - ll;
    double g = Math.min(f, 1.0 - f);
    int ceilF = f > 0 ? 1 : 0;
    int roundF = f > 0.5 ? 1 : 0;
    int powers = 2 * (ll + 1);
    double[] gPower = scaledPowers(g / n, powers); // (g/n)^m / m!
    double[] twoGPower = scaledPowers(2 * g / n, powers); // (2g/n)^m / m!
    double[] oneMinusTwoGPower = scaledPowers((1 - 2 * g) / n, powers); // ((1-2g)/n)^m / m!
    int exponent = 0;
    double[] previous = new double[powers];
    double[] row = new double[powers];
    row[0] = 1;
    int previousStart = 0;
    int rowStart = 0;
    int[] band = pomeranzBand(0, n, ll, ceilF, roundF);
    for (int i = 1; i < 2 * n + 2; i++) {
      int k1 = band[0];
      double[] swap = previous;
      previous = row;
      row = swap;
      int swapStart = previousStart;
      previousStart = rowStart;
      rowStart = swapStart;
      Arrays.fill(row, 0.0);
      band = pomeranzBand(i, n, ll, ceilF, roundF);
      int j1 = band[0];
      int j2 = band[1];
      double[] weights = i == 1 || i == 2 * n + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinusTwoGPower;
      int length = j2 - k1 + 1;
      if (length > 0) {
        int from = k1 - previousStart;
        int aLength = Math.max(0, Math.min(length, powers - from));
        int bLength = Math.min(length, powers);
        int convStart = j1 - k1;
        int convLength = j2 - j1 + 1;
        double max = 0;
        for (int out = 0; out < convLength; out++) {
          int c = convStart + out; // entry c of the full convolution of a and b
          double sum = 0;
          for (int a = Math.max(0, c - bLength + 1); a <= Math.min(c, aLength - 1); a++) {
            sum += previous[from + a] * weights[c - a];
          }
          row[out] = sum;
          max = Math.max(max, sum);
        }
        if (max > 0 && max < SCALE_DOWN) {
          for (int out = 0; out < convLength; out++) {
            row[out] *= SCALE_UP;
          }
          exponent -= SCALE_EXPONENT;
        }
        rowStart = previousStart + j1 - k1;
      }
    }
    return clip(timesFactorial(row[n - rowStart], n, exponent));
  }

  /** {@code x^m / m!} for m = 0 .. count - 1. */
  private static double[] scaledPowers(double x, int count) {
    double[] powers = new double[count];
    powers[0] = 1;
    for (int m = 1; m < count; m++) {
      powers[m] = powers[m - 1] * x / m;
    }
    return powers;
  }

  /** {@code value * 2^exponent * n!}, rescaled as it goes so that it never overflows on the way. */
  private static double timesFactorial(double value, int n, int exponent) {
    double answer = value;
    for (int m = 1; m <= n; m++) {
      if (Math.abs(answer) > SCALE_UP) {
        answer *= SCALE_DOWN;
        exponent += SCALE_EXPONENT;
      }
      answer *= m;
    }
    return Math.scalb(answer, exponent);
  }

  /** The first and last index of row {@code i}'s band of non-zero entries. */
  private static int[] pomeranzBand(int i, int n, int ll, int ceilF, int roundF) {
    int j1;
    int j2;
    if (i == 0) {
      j1 = -ll - ceilF - 1;
      j2 = ll + ceilF - 1;
    } else {
      int half = (i + 1) / 2;
      if ((i + 1) % 2 == 0) { // i odd
        if (half == n + 1) {
          j1 = n - ll - ceilF - 1;
          j2 = n + ll + ceilF - 1;
        } else {
          j1 = half - 1 - ll - roundF - 1;
          j2 = half + ll - 1 + ceilF - 1;
        }
      } else {
        j1 = half - 1 - ll - 1;
        j2 = half + ll + roundF - 1;
      }
    }
    return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
  }

  /**
   * P(D_n &le; x) by Pelz and Good's expansion (JRSS B 38(2), 1976): the Li-Chien/Korolyuk terms
   * K0..K3 in z = x sqrt(n), rewritten through Jacobi's theta functions for small z. Not clipped.
   */
  static double pelzGoodCdf(long n, double x) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double z = Math.sqrt(n) * x;
    double z2 = z * z;
    double z4 = z2 * z2;
    double z6 = Math.pow(z, 6);
    double qLog = -PI_SQUARED / 8 / z2;
    if (qLog < MIN_LOG) {
      return 0;
    }
    double q = Math.exp(qLog);

    double k1a = -z2;
    double k1b = PI_SQUARED / 4;
    double k2a = 6 * z6 + 2 * z4;
    double k2b = (2 * z4 - 5 * z2) * PI_SQUARED / 4;
    double k2c = PI_FOUR * (1 - 2 * z2) / 16;
    double k3d = PI_SIX * (5 - 30 * z2) / 64;
    double k3c = PI_FOUR * (-60 * z2 + 212 * z4) / 16;
    double k3b = PI_SQUARED * (135 * z4 - 96 * z6) / 4;
    double k3a = -30 * z6 - 90 * Math.pow(z, 8);

    double[] terms = new double[4];
    int maxK = (int) Math.ceil(16 * z / Math.PI);
    for (int k = maxK; k > 0; k--) { // Horner in q over the odd integers m = 2k - 1
      double m = 2 * k - 1;
      double m2 = m * m;
      double m4 = Math.pow(m, 4);
      double m6 = Math.pow(m, 6);
      double qPower = Math.pow(q, 8 * k);
      terms[0] = terms[0] * qPower + 1.0;
      terms[1] = terms[1] * qPower + (k1a + k1b * m2);
      terms[2] = terms[2] * qPower + (k2a + k2b * m2 + k2c * m4);
      terms[3] = terms[3] * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
    }
    double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
    for (int i = 0; i < 4; i++) {
      terms[i] = terms[i] * q * SQRT_2PI / divisors[i];
    }
    addIntegerSums(terms, z, maxK);
    double sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += terms[i] / Math.pow(n, i / 2.0);
    }
    return sum;
  }

  /** Adds the other sums of K2 and K3, over all integers k, to {@code terms}. */
  private static void addIntegerSums(double[] terms, double z, int maxK) {
    double z2 = z * z;
    double q2 = Math.exp(-PI_SQUARED / 2 / z2);
    double sqrt3z = SQRT3 * z;
    double k2Extra = 0;
    double k3Extra = 0;
    for (int k = maxK; k > 0; k--) {
      double k2 = (double) k * k;
      double qPower = Math.pow(q2, k2);
      double kPi = Math.PI * k;
      k2Extra += k2 * qPower;
      k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
    }
    terms[2] += k2Extra * PI_SQUARED * SQRT_2PI / (-36 * z2 * z);
    terms[3] += k3Extra * PI_SQUARED * SQRT_2PI / (216 * Math.pow(z, 6));
  }

  private static double[][] identity(int m) {
    double[][] id = new double[m][m];
    for (int i = 0; i < m; i++) {
      id[i][i] = 1;
    }
    return id;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int m = a.length;
    double[][] product = new double[m][m];
    for (int i = 0; i < m; i++) {
      double[] out = product[i];
      for (int l = 0; l < m; l++) {
        double ail = a[i][l];
        if (ail != 0) {
          double[] bl = b[l];
          for (int j = 0; j < m; j++) {
            out[j] += ail * bl[j];
          }
        }
      }
    }
    return product;
  }

  private static void scale(double[][] matrix, double factor) {
    for (double[] row : matrix) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= factor;
      }
    }
  }

  private static double clip(double p) {
    return Math.max(0, Math.min(1, p));
  }
}
