package dev.mlops.training.evaluation;

import java.util.Objects;

/**
 * The metrics of the rows that have one value in a slice column. Made by
 * {@link BinaryEvaluator#evaluate}; immutable and thread-safe.
 *
 * @param column the slice column
 * @param value the value, as Spark casts it to a string; {@code "(null)"} for null
 * @param metrics the metrics of those rows
 */
public record SliceMetrics(String column, String value, BinaryMetrics metrics) {
  /** Checks that nothing is null. */
  public SliceMetrics {
    Objects.requireNonNull(column, "column == null");
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(metrics, "metrics == null");
  }
}
