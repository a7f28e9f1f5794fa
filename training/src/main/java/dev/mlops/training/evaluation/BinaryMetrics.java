package dev.mlops.training.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of binary classification, of all predictions or of one slice of them; made by
 * {@link BinaryEvaluator#evaluate}. Undefined values are {@link Double#NaN}: both AUCs unless
 * there are positives and negatives, precision with no predicted positives, recall with no
 * positives, F1 with neither positives nor predicted positives, and every rate of zero rows.
 * Immutable and thread-safe.
 *
 * @param rows the rows evaluated
 * @param positives the rows labelled 1
 * @param rocAuc area under the ROC curve, as MLlib's {@code BinaryClassificationMetrics} with
 *     {@code numBins = 0} (tied scores count one half)
 * @param prAuc area under the precision-recall curve, as MLlib's (trapezoidal, from the point
 *     (0, precision at the highest score))
 * @param logLoss mean of {@code -(y ln p + (1 - y) ln(1 - p))}, p clipped to [1e-15, 1 - 1e-15]
 * @param precision true positives / predicted positives at {@code threshold}
 * @param recall true positives / positives at {@code threshold}
 * @param f1 {@code 2 tp / (2 tp + fp + fn)} at {@code threshold}
 * @param accuracy (true positives + true negatives) / rows at {@code threshold}
 * @param predictedPositiveRate predicted positives / rows at {@code threshold}
 * @param threshold a row is predicted positive iff its probability is at least this
 */
public record BinaryMetrics(long rows, long positives, double rocAuc, double prAuc, double logLoss,
    double precision, double recall, double f1, double accuracy, double predictedPositiveRate, double threshold) {

  /** The metric names, in the order of {@link #asMap()}. */
  private static final List<String> NAMES = List.of("rows", "positives", "roc_auc", "pr_auc", "log_loss",
      "precision", "recall", "f1", "accuracy", "predicted_positive_rate", "threshold");

  /** Checks the counts: {@code 0 <= positives <= rows}. */
  public BinaryMetrics {
    if (rows < 0 || positives < 0 || positives > rows) {
      throw new IllegalArgumentException("Cannot make BinaryMetrics: positives " + positives + " must be within [0, rows "
          + rows + "]");
    }
  }

  /**
   * The metrics by name: rows, positives, roc_auc, pr_auc, log_loss, precision, recall, f1,
   * accuracy, predicted_positive_rate, threshold, in that order; NaN becomes null. The map is
   * unmodifiable.
   */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    for (String name : NAMES) {
      double value = metric(name);
      map.put(name, Double.isNaN(value) ? null : value);
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * One metric by the name {@link #asMap()} uses (counts as doubles, NaN when undefined).
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the known ones
   */
  public double metric(String name) {
    return switch (known(name)) {
      case "rows" -> rows;
      case "positives" -> positives;
      case "roc_auc" -> rocAuc;
      case "pr_auc" -> prAuc;
      case "log_loss" -> logLoss;
      case "precision" -> precision;
      case "recall" -> recall;
      case "f1" -> f1;
      case "accuracy" -> accuracy;
      case "predicted_positive_rate" -> predictedPositiveRate;
      case "threshold" -> threshold;
      default -> throw new AssertionError(name);
    };
  }

  /**
   * Whether a larger value of the named metric is better: false for log_loss, true for the others.
   *
   * @throws IllegalArgumentException for an unknown name; the message lists the known ones
   */
  public static boolean higherIsBetter(String name) {
    return !known(name).equals("log_loss");
  }

  private static String known(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("Unknown metric '" + name + "': the known metrics are " + String.join(", ", NAMES));
    }
    return name;
  }
}
