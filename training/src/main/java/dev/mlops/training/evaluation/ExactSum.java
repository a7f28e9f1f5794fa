package dev.mlops.training.evaluation;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The exact sum of finite doubles, rounded once when read: Shewchuk's non-overlapping partials,
 * as Python's {@code math.fsum}. Its {@link #value()} depends only on the multiset of numbers
 * added, not on their order or on how partial sums were merged, so a sum computed over Spark
 * partitions is bit-identical however the rows were split. Not thread-safe.
 */
final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Non-overlapping, increasing in magnitude; their exact sum is the sum of everything added. */
  private double[] partials = new double[4];
  private int size;

  /** Adds a finite {@code x}. */
  ExactSum add(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("Cannot sum " + x + ": only finite values have an exact sum");
    }
    int kept = 0;
    for (int j = 0; j < size; j++) {
      double y = partials[j];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      double lo = y - (hi - x);
      if (lo != 0.0) {
        partials[kept++] = lo;
      }
      x = hi;
    }
    if (kept == partials.length) {
      partials = Arrays.copyOf(partials, kept * 2);
    }
    partials[kept] = x;
    size = kept + 1;
    return this;
  }

  /** Adds everything {@code other} holds. */
  ExactSum add(ExactSum other) {
    for (int i = 0; i < other.size; i++) {
      add(other.partials[i]);
    }
    return this;
  }

  /** The exact sum rounded to the nearest double (ties to even). */
  double value() {
    int n = size;
    if (n == 0) {
      return 0.0;
    }
    double hi = partials[--n];
    double lo = 0.0;
    while (n > 0) {
      double x = hi;
      double y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo != 0.0) {
        break;
      }
    }
    // Round half-even across partials: the rest below lo can tip a half-way case.
    if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      if (y == x - hi) {
        hi = x;
      }
    }
    return hi;
  }
}
