package dev.mlops.monitoring.drift;

import java.util.Arrays;
import java.util.Collection;

/**
 * The exact distribution of numeric values: a sorted copy of them. NaNs and nulls are left out,
 * and {@code -0.0} counts as {@code 0.0}.
 *
 * <p>Get one with {@link #of(double...)} or {@link #of(Collection)}. Immutable and thread-safe.
 */
public final class ExactNumeric implements NumericDistribution {
  private final double[] sorted;

  private ExactNumeric(double[] sorted) {
    this.sorted = sorted;
  }

  /** The distribution of {@code values} (copied; NaNs left out). */
  public static ExactNumeric of(double... values) {
    double[] kept = new double[values.length];
    int n = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        kept[n++] = v + 0.0; // -0.0 + 0.0 is 0.0
      }
    }
    double[] sorted = Arrays.copyOf(kept, n);
    Arrays.sort(sorted);
    return new ExactNumeric(sorted);
  }

  /** The distribution of {@code values} (copied; nulls and NaNs left out). */
  public static ExactNumeric of(Collection<? extends Number> values) {
    return of(values.stream().filter(v -> v != null).mapToDouble(Number::doubleValue).toArray());
  }

  @Override
  public long count() {
    return sorted.length;
  }

  @Override
  public double cdf(double x) {
    return sorted.length == 0 ? Double.NaN : (double) countAtMost(x) / sorted.length;
  }

  @Override
  public double quantile(double q) {
    checkRank(q);
    if (sorted.length == 0) {
      return Double.NaN;
    }
    // numpy's inverted_cdf: index ceil(n * q) - 1 of the sorted values, n * q in floating point.
    double index = Math.ceil(sorted.length * q) - 1;
    return sorted[(int) Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public double[] splitPoints() {
    double[] distinct = new double[sorted.length];
    int n = 0;
    for (double v : sorted) {
      if (n == 0 || v != distinct[n - 1]) {
        distinct[n++] = v;
      }
    }
    return Arrays.copyOf(distinct, n);
  }

  /** 0: the CDF is exact. */
  @Override
  public double rankError() {
    return 0;
  }

  /** The shares from integer counts per bin, each count divided by {@link #count()}. */
  @Override
  public double[] binShares(double[] edges) {
    if (sorted.length == 0) {
      return new double[0];
    }
    double[] shares = new double[edges.length + 1];
    long below = 0;
    for (int i = 0; i < edges.length; i++) {
      long atMost = countAtMost(edges[i]);
      shares[i] = (double) (atMost - below) / sorted.length;
      below = atMost;
    }
    shares[edges.length] = (double) (sorted.length - below) / sorted.length;
    return shares;
  }

  /** The number of values at most {@code x}. */
  private int countAtMost(double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static void checkRank(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("rank q = " + q + " is not in [0, 1]");
    }
  }
}
