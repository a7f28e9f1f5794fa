package dev.mlops.monitoring.performance;

import java.util.Objects;

/**
 * One day of a model's realized performance as a chart shows it: the overall figures of a
 * {@link PartitionPerformance}, from {@link PerformanceReport#points()}.
 *
 * <p>Immutable.
 *
 * @param partition the day ({@code 2026-11-03})
 * @param labelCoverage the share of the day's rows whose label is known, in [0, 1]
 * @param metric the metric's name ({@code pr_auc})
 * @param value its value, NaN when undefined
 * @param status OK, DEGRADED, PENDING or INSUFFICIENT
 */
public record PerformancePoint(String partition, double labelCoverage, String metric, double value,
    PerformanceStatus status) {

  /**
   * Checks the point.
   *
   * @throws NullPointerException when the partition, the metric's name or the status is null
   * @throws IllegalArgumentException when the coverage is outside [0, 1]
   */
  public PerformancePoint {
    Objects.requireNonNull(partition, "partition == null");
    Objects.requireNonNull(metric, "metric == null");
    Objects.requireNonNull(status, "status == null");
    if (!(labelCoverage >= 0 && labelCoverage <= 1)) {
      throw new IllegalArgumentException("labelCoverage " + labelCoverage + " of partition " + partition
          + " is not a share in [0, 1]");
    }
  }
}
