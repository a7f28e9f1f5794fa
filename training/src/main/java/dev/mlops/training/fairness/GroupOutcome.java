package dev.mlops.training.fairness;

import dev.mlops.training.evaluation.BinaryMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcomes of one group of a protected attribute on the test split, at the version's
 * threshold. Undefined rates are {@link Double#NaN}: TPR without positives, FPR without
 * negatives, precision without predicted positives, ROC AUC without both classes. Immutable.
 *
 * @param value the attribute's value, as Spark casts it to a string; {@code "(null)"} for null
 * @param rows the group's test rows
 * @param positives its rows labelled 1
 * @param predictedPositives its rows predicted 1
 * @param truePositives its rows labelled and predicted 1
 * @param rocAuc its ROC AUC
 * @param sufficient whether it has at least {@code fairness.min-group-count} rows; an
 *     insufficient group is reported, left out of the gaps and never passes
 * @param minClassCount the positives its TPR, and the negatives its FPR, need to be compared
 *     ({@code fairness.min-class-count})
 */
public record GroupOutcome(String value, long rows, long positives, long predictedPositives, long truePositives,
    double rocAuc, boolean sufficient, int minClassCount) {

  /**
   * The outcome of a group from its evaluation: the confusion counts are recovered from the
   * rates, exactly (each rate is a ratio of two counts far below 2^53).
   */
  static GroupOutcome of(String value, BinaryMetrics m, int minGroupCount, int minClassCount) {
    long predicted = Math.round(m.predictedPositiveRate() * m.rows());
    long tp = m.positives() == 0 ? 0 : Math.round(m.recall() * m.positives());
    return new GroupOutcome(value, m.rows(), m.positives(), predicted, tp, m.rocAuc(), m.rows() >= minGroupCount,
        minClassCount);
  }

  /** Whether its TPR enters the gaps: a sufficient group with at least {@link #minClassCount} positives. */
  public boolean comparesTruePositiveRate() {
    return sufficient && positives >= minClassCount;
  }

  /** Whether its FPR enters the gaps: a sufficient group with at least {@link #minClassCount} negatives. */
  public boolean comparesFalsePositiveRate() {
    return sufficient && negatives() >= minClassCount;
  }

  /** Rows labelled 0. */
  public long negatives() {
    return rows - positives;
  }

  /** Predicted positives / rows: the selection rate. */
  public double selectionRate() {
    return ratio(predictedPositives, rows);
  }

  /** True positives / positives. */
  public double truePositiveRate() {
    return ratio(truePositives, positives);
  }

  /** False positives / negatives. */
  public double falsePositiveRate() {
    return ratio(predictedPositives - truePositives, negatives());
  }

  /** True positives / predicted positives. */
  public double precision() {
    return ratio(truePositives, predictedPositives);
  }

  /** {@code ok}, or {@code insufficient} below the minimum count. */
  public String status() {
    return sufficient ? "ok" : "insufficient";
  }

  /** The figures by name, NaN as null, as the evaluation JSON holds them. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("group", value);
    m.put("status", status());
    m.put("rows", rows);
    m.put("positives", positives);
    m.put("selection_rate", nan(selectionRate()));
    m.put("true_positive_rate", nan(truePositiveRate()));
    m.put("true_positive_rate_compared", comparesTruePositiveRate());
    m.put("false_positive_rate", nan(falsePositiveRate()));
    m.put("false_positive_rate_compared", comparesFalsePositiveRate());
    m.put("precision", nan(precision()));
    m.put("roc_auc", nan(rocAuc));
    return m;
  }

  static Double nan(double d) {
    return Double.isNaN(d) ? null : d;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }
}
