package dev.mlops.monitoring.engines;

import dev.mlops.monitoring.engines.NumericPass.ColumnFigures;
import dev.mlops.monitoring.engines.NumericPass.PartitionFigures;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One numeric column's values, every partition's and the reference's, walked once in ascending
 * order: the reference's PSI cuts, every side's bin counts, and each partition's exact KS statistic
 * with the first value where it is reached. Each value comes with its slot: the partition's
 * position, or the partitions' count for the reference.
 *
 * <p><b>Cuts.</b> Cut i is the reference value of 1-based rank {@code k_i = ceil(m * (i / bins))}
 * (m the reference's count; in floating point as {@code ExactNumeric.quantile}): the value at which
 * the reference's running count first reaches k_i. Repeated cuts are one. A value's bin is the
 * number of cuts below it, so the bins are {@code (-inf, e1], (e1, e2], ..., (e_last, +inf)}.
 *
 * <p><b>KS.</b> D = max |F_ref(x) - F_cur(x)| over the points of both samples. Between two
 * consecutive distinct current values {@code z' < z}, F_cur is constant and F_ref non-decreasing,
 * so on {@code [z', z)} the distance is largest at z' or just before z, where F_ref is {@code #ref
 * < z / m}; before the first current value F_cur is 0, after the last it is 1, covered the same way.
 * So D is the largest of, at each distinct current value z, {@code |#ref<=z / m - #cur<=z / n|}
 * (at z) and {@code |#ref<z / m - #cur<z / n|} (reached at the larger of z' and the largest
 * reference value below z: a point where both CDFs have exactly those counts). Each is the same
 * division of the same integer counts as a brute force over every point, so D is the same to the
 * bit; the first location among the candidates that reach D is the first point where the brute
 * force reaches it (candidates come in ascending order of location).
 *
 * <p>Needs each side's count first. Not thread-safe: one per column, in one task.
 */
final class CdfWalk {
  private final List<String> partitions;
  private final int reference;
  private final long[] totals;
  private final long[] ranks;
  private final double[] edges;
  private int edgeCount;
  private int nextRank;
  private final long[][] bins;
  private final long[] below;
  private final double[] previous;
  private final double[] statistic;
  private final double[] location;
  private double lastReference = Double.NaN;
  private final long[] atValue;
  private final int[] touched;
  private int touchedCount;
  private double value = Double.NaN;

  /**
   * @param partitions the partitions, by slot
   * @param totals the values of each slot, the reference's last (at {@code partitions.size()})
   * @param bins the PSI bins asked for
   */
  CdfWalk(List<String> partitions, long[] totals, int bins) {
    this.partitions = partitions;
    this.reference = partitions.size();
    this.totals = totals;
    this.ranks = new long[bins - 1];
    for (int i = 1; i < bins; i++) {
      ranks[i - 1] = (long) Math.ceil(totals[reference] * ((double) i / bins));
    }
    this.edges = new double[bins - 1];
    this.bins = new long[reference + 1][bins];
    this.below = new long[reference + 1];
    this.previous = new double[reference + 1];
    this.statistic = new double[reference + 1];
    this.location = new double[reference + 1];
    Arrays.fill(previous, Double.NaN);
    Arrays.fill(statistic, -1);
    this.atValue = new long[reference + 1];
    this.touched = new int[reference + 1];
  }

  /** The next value, in ascending order (no NaN; -0.0 given as 0.0), of {@code slot}. */
  void add(int slot, double x) {
    if (touchedCount > 0 && x != value) {
      step();
    }
    value = x;
    if (atValue[slot]++ == 0) {
      touched[touchedCount++] = slot;
    }
  }

  /** Every value's count at the current value: the KS candidates of the partitions there, then the reference's ranks. */
  private void step() {
    long m = totals[reference];
    long referenceBelow = below[reference];
    long referenceHere = atValue[reference];
    for (int t = 0; t < touchedCount; t++) {
      int s = touched[t];
      if (s != reference && m > 0) {
        double n = totals[s];
        double before = larger(lastReference, previous[s]);
        if (!Double.isNaN(before)) {
          consider(s, Math.abs((double) referenceBelow / m - below[s] / n), before);
        }
        consider(s, Math.abs((double) (referenceBelow + referenceHere) / m - (below[s] + atValue[s]) / n), value);
        previous[s] = value;
      }
      bins[s][edgeCount] += atValue[s];
      below[s] += atValue[s];
      atValue[s] = 0;
    }
    touchedCount = 0;
    if (referenceHere > 0) {
      boolean cut = false;
      while (nextRank < ranks.length && ranks[nextRank] <= referenceBelow + referenceHere) {
        cut = true;
        nextRank++;
      }
      if (cut) {
        edges[edgeCount++] = value;
      }
      lastReference = value;
    }
  }

  /** The larger of two values, NaN standing for none (so -Infinity is a value like any other). */
  private static double larger(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  private void consider(int slot, double d, double at) {
    if (d > statistic[slot] || (d == statistic[slot] && at < location[slot])) {
      statistic[slot] = d;
      location[slot] = at;
    }
  }

  /** The figures, once every value was added. */
  ColumnFigures finish() {
    if (touchedCount > 0) {
      step();
    }
    Map<String, PartitionFigures> byPartition = new HashMap<>();
    for (int s = 0; s < reference; s++) {
      if (totals[s] > 0) {
        byPartition.put(partitions.get(s), new PartitionFigures(Arrays.copyOf(bins[s], edgeCount + 1),
            Math.max(0, statistic[s]), statistic[s] < 0 ? Double.NaN : location[s] + 0.0));
      }
    }
    return new ColumnFigures(Arrays.copyOf(edges, edgeCount), Arrays.copyOf(bins[reference], edgeCount + 1), byPartition);
  }
}
