package dev.mlops.training.evaluation;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * ROC and PR AUC, and the threshold of maximal F1, of every group at once, as MLlib's
 * {@code BinaryClassificationMetrics} with {@code numBins = 0} defines them, in three Spark jobs
 * whatever the number of groups.
 *
 * <p>As MLlib does, it sorts the distinct probabilities of each group from highest to lowest
 * across the cluster (a range partitioning), counts each partition's positives and negatives per
 * group (job 2, after the sampling job 1), so that the driver knows the cumulative counts where
 * each partition starts, then walks every partition again (job 3) computing each curve point and
 * each trapezoid exactly as MLlib does. Unlike MLlib, which adds the trapezoids in double
 * precision grouped by its partitions (which come from a random sample), it sums them exactly
 * ({@link ExactSum}): the result is the same however the rows are partitioned, and within a few
 * ulps of MLlib's. The driver gets a few numbers per partition and group, never rows.
 *
 * <p>Both jobs read the same RDD, whose range partitioner is fixed when it is made and whose
 * shuffle output the second job reuses, so they see the same partitions.
 */
final class CurveScan {
  private static final Column[] ORDER = {col("s").asc(), col("k").asc(), col("p").desc()};

  private CurveScan() {}

  /**
   * The curves of one group.
   *
   * @param rocAuc NaN unless the group has positives and negatives
   * @param prAuc NaN unless the group has positives and negatives
   * @param maxF1Threshold the distinct probability whose threshold maximizes F1, the largest of
   *     ties; NaN without positives
   */
  record Curve(double rocAuc, double prAuc, double maxF1Threshold) {}

  /** The rows of one group in one partition: a stretch of that group's probabilities. */
  record Run(int partition, GroupKey key, long positives, long negatives) implements Serializable {}

  /** Where a run starts: its group's rows with higher probabilities, and the group's totals. */
  record Start(long truePositives, long falsePositives, long positives, long negatives) implements Serializable {}

  /**
   * The curves of each group of {@code points} ({@code s, k, p, pos, neg}, one row per group and
   * distinct probability, as {@link Prepared#points()}).
   */
  static Map<GroupKey, Curve> run(Dataset<Row> points) {
    JavaRDD<Row> sorted = points.repartitionByRange(ORDER).sortWithinPartitions(ORDER).javaRDD();
    List<Run> runs = sorted.mapPartitionsWithIndex(CurveScan::runs, false).collect();
    HashMap<Integer, HashMap<GroupKey, Start>> starts = starts(runs);
    List<Partial> partials = sorted.mapPartitionsWithIndex((partition, rows) -> scan(rows, starts.get(partition)), false)
        .collect();
    Map<GroupKey, Partial> merged = new LinkedHashMap<>();
    for (Partial partial : partials) {
      merged.merge(partial.key, partial, Partial::merge);
    }
    Map<GroupKey, Curve> curves = new HashMap<>();
    merged.forEach((key, partial) -> curves.put(key, partial.curve()));
    return curves;
  }

  /** Job 2: the runs of one partition. */
  private static Iterator<Run> runs(int partition, Iterator<Row> rows) {
    List<Run> out = new ArrayList<>();
    GroupKey key = null;
    long positives = 0;
    long negatives = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      GroupKey k = new GroupKey(r.getInt(0), r.getString(1));
      if (!k.equals(key)) {
        if (key != null) {
          out.add(new Run(partition, key, positives, negatives));
        }
        key = k;
        positives = 0;
        negatives = 0;
      }
      positives += r.getLong(3);
      negatives += r.getLong(4);
    }
    if (key != null) {
      out.add(new Run(partition, key, positives, negatives));
    }
    return out.iterator();
  }

  /** Each run's start, by partition: the counts of its group's runs in earlier partitions. */
  private static HashMap<Integer, HashMap<GroupKey, Start>> starts(List<Run> runs) {
    Map<GroupKey, List<Run>> byKey = new HashMap<>();
    for (Run run : runs) { // collect() keeps the partitions' order
      byKey.computeIfAbsent(run.key(), k -> new ArrayList<>()).add(run);
    }
    HashMap<Integer, HashMap<GroupKey, Start>> starts = new HashMap<>();
    byKey.forEach((key, group) -> {
      long positives = group.stream().mapToLong(Run::positives).sum();
      long negatives = group.stream().mapToLong(Run::negatives).sum();
      long tp = 0;
      long fp = 0;
      for (Run run : group) {
        starts.computeIfAbsent(run.partition(), p -> new HashMap<>()).put(key, new Start(tp, fp, positives, negatives));
        tp += run.positives();
        fp += run.negatives();
      }
    });
    return starts;
  }

  /** Job 3: the trapezoids and the best F1 of each run of one partition. */
  private static Iterator<Partial> scan(Iterator<Row> rows, Map<GroupKey, Start> starts) {
    List<Partial> out = new ArrayList<>();
    Partial run = null;
    while (rows.hasNext()) {
      Row r = rows.next();
      GroupKey key = new GroupKey(r.getInt(0), r.getString(1));
      if (run == null || !run.key.equals(key)) {
        run = new Partial(key, starts.get(key));
        out.add(run);
      }
      run.add(r.getDouble(2), r.getLong(3), r.getLong(4));
    }
    return out.iterator();
  }

  /** One run walked point by point, then what runs of a group add up to. Not thread-safe. */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    final GroupKey key;
    private final ExactSum roc = new ExactSum();
    private final ExactSum pr = new ExactSum();
    private final boolean hasCurves;
    private final boolean hasPositives;
    // The best F1 so far, 2 tp / (tp + fp + positives), at bestThreshold.
    private long bestNumerator;
    private long bestDenominator = 1;
    private double bestThreshold = Double.NaN;
    // Walking state: the cumulative counts and MLlib's previous ROC and PR points.
    private transient long tp;
    private transient long fp;
    private transient long positives;
    private transient long negatives;
    private transient boolean first;
    private transient double fpr;
    private transient double tpr;
    private transient double precision;

    Partial(GroupKey key, Start start) {
      this.key = key;
      this.tp = start.truePositives();
      this.fp = start.falsePositives();
      this.positives = start.positives();
      this.negatives = start.negatives();
      this.hasPositives = positives > 0;
      this.hasCurves = positives > 0 && negatives > 0;
      this.first = tp + fp == 0;
      if (!first && hasCurves) {
        fpr = (double) fp / negatives;
        tpr = (double) tp / positives;
        precision = (double) tp / (tp + fp);
      }
    }

    /** The next (lower) distinct probability {@code score}, with its rows' counts. */
    void add(double score, long pos, long neg) {
      tp += pos;
      fp += neg;
      if (hasCurves) {
        // MLlib: FalsePositiveRate, Recall and Precision of the cumulative counts; the ROC curve
        // starts at (0, 0), the PR curve at (0, precision of the first point).
        double nextFpr = (double) fp / negatives;
        double nextTpr = (double) tp / positives;
        double nextPrecision = (double) tp / (tp + fp);
        if (first) {
          fpr = 0.0;
          tpr = 0.0;
          precision = nextPrecision;
        }
        roc.add(trapezoid(fpr, tpr, nextFpr, nextTpr));
        pr.add(trapezoid(tpr, precision, nextTpr, nextPrecision)); // recall is the tpr
        fpr = nextFpr;
        tpr = nextTpr;
        precision = nextPrecision;
      }
      first = false;
      if (hasPositives) {
        offer(2 * tp, tp + fp + positives, score); // scores come in decreasing order: keep the first of ties
      }
    }

    private void offer(long numerator, long denominator, double threshold) {
      int c = compareFractions(numerator, denominator, bestNumerator, bestDenominator);
      if (Double.isNaN(bestThreshold) || c > 0 || (c == 0 && threshold > bestThreshold)) {
        bestNumerator = numerator;
        bestDenominator = denominator;
        bestThreshold = threshold;
      }
    }

    Partial merge(Partial other) {
      roc.add(other.roc);
      pr.add(other.pr);
      if (!Double.isNaN(other.bestThreshold)) {
        offer(other.bestNumerator, other.bestDenominator, other.bestThreshold);
      }
      return this;
    }

    Curve curve() {
      // MLlib's ROC curve ends at (1, 1); from its last point (1, 1), that adds nothing.
      return hasCurves ? new Curve(roc.value(), pr.value(), bestThreshold) : new Curve(Double.NaN, Double.NaN, bestThreshold);
    }

    /** MLlib's AreaUnderCurve.trapezoid, in its order of operations. */
    private static double trapezoid(double x1, double y1, double x2, double y2) {
      return (x2 - x1) * (y2 + y1) / 2.0;
    }
  }

  /** The sign of {@code a/b - c/d} for non-negative numerators and positive denominators, exactly. */
  static int compareFractions(long a, long b, long c, long d) {
    long high = Math.multiplyHigh(a, d);
    long otherHigh = Math.multiplyHigh(c, b);
    return high != otherHigh ? Long.compare(high, otherHigh) : Long.compareUnsigned(a * d, c * b);
  }
}
