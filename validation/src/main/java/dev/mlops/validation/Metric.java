package dev.mlops.validation;

/**
 * A number a run measured, as stored in {@code validation.metrics} and watched for anomalies.
 *
 * @param analyzer {@code size}, {@code completeness}, {@code mean}, {@code compliance},
 *     {@code approx_distinct}, {@code quantile_0.5}, ...
 * @param column the column, key columns, or check name (compliance); {@code *} for the table
 * @param value the value
 */
public record Metric(String analyzer, String column, double value) {
  /** {@code analyzer(column)}. */
  public String label() {
    return analyzer + "(" + column + ")";
  }
}
