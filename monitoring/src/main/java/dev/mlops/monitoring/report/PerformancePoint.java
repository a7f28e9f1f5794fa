package dev.mlops.monitoring.report;

import java.util.Objects;

/**
 * One partition of a model's performance trend, as the drift report draws it: the metric reached on
 * the rows whose labels are known, and how many of the rows that is.
 *
 * <p>Performance monitoring makes them; a report takes a list of them in partition order, possibly
 * empty. Immutable.
 *
 * @param partition the partition value, as the drift report names partitions ({@code 2026-11-07})
 * @param labelCoverage the share of the partition's rows whose label is known, in [0, 1]
 * @param metricValue the metric on the labelled rows, or null when none could be computed
 * @param metricName the metric's name ({@code auc}, {@code rmse}); the same for every point
 * @param status how the metric was judged
 */
public record PerformancePoint(String partition, double labelCoverage, Double metricValue, String metricName,
    Status status) {

  /** How a partition's performance was judged. */
  public enum Status {
    /** Enough labels, and the metric is within its limit. */
    OK,
    /** Enough labels, and the metric is past its limit. */
    DEGRADED,
    /** Too few labels yet to judge: the value, if any, is provisional and never drawn as good. */
    PENDING
  }

  /**
   * Checks the point.
   *
   * @throws NullPointerException when the partition, the metric's name or the status is null
   * @throws IllegalArgumentException when the coverage is outside [0, 1]
   */
  public PerformancePoint {
    Objects.requireNonNull(partition, "partition == null");
    Objects.requireNonNull(metricName, "metricName == null");
    Objects.requireNonNull(status, "status == null");
    if (!(labelCoverage >= 0 && labelCoverage <= 1)) {
      throw new IllegalArgumentException("labelCoverage " + labelCoverage + " of partition " + partition
          + " is not a share in [0, 1]");
    }
  }
}
