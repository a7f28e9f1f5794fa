package dev.mlops.monitoring.performance;

import java.util.Objects;

/**
 * The realized performance of one day's Production rows, all of them ({@link #ALL} as slice) or
 * those of one value of a slice column: a row of {@code monitoring.performance}.
 *
 * <p>Immutable. Made by {@link PerformanceMonitor}.
 *
 * @param partition the day ({@code 2026-11-03})
 * @param modelVersion the version that scored the rows, whose threshold and test figures are used
 * @param sliceColumn the slice column, or {@link #ALL}
 * @param sliceValue the slice value as Spark casts it to a string ({@code (null)} for null), or {@link #ALL}
 * @param rows the rows served
 * @param labelled the rows whose label is known as of the run's as-of time (see docs/TRAINING.md)
 * @param positives the labelled rows labelled 1
 * @param matured whether every label of the day has arrived by the as-of time
 * @param metric the metric judged
 * @param value its value on the labelled rows, NaN when undefined
 * @param trainingValue the version's test figure it is compared with
 * @param status the judgement
 */
public record PartitionPerformance(String partition, int modelVersion, String sliceColumn, String sliceValue, long rows,
    long labelled, long positives, boolean matured, String metric, double value, double trainingValue,
    PerformanceStatus status) {
  /** The slice column and value of the rows of the whole day. */
  public static final String ALL = "*";

  public PartitionPerformance {
    Objects.requireNonNull(partition, "partition == null");
    Objects.requireNonNull(sliceColumn, "sliceColumn == null");
    Objects.requireNonNull(sliceValue, "sliceValue == null");
    Objects.requireNonNull(metric, "metric == null");
    Objects.requireNonNull(status, "status == null");
    if (labelled > rows || positives > labelled || positives < 0) {
      throw new IllegalArgumentException("Cannot make PartitionPerformance: need 0 <= positives " + positives
          + " <= labelled " + labelled + " <= rows " + rows);
    }
  }

  /** Whether these are the figures of the whole day rather than of a slice value. */
  public boolean overall() {
    return sliceColumn.equals(ALL);
  }

  /** {@code labelled / rows}; NaN without rows. */
  public double labelCoverage() {
    return rows == 0 ? Double.NaN : (double) labelled / rows;
  }

  /** {@code value - trainingValue}; NaN when either is. */
  public double change() {
    return value - trainingValue;
  }

  /** The labelled rows labelled 0. */
  public long negatives() {
    return labelled - positives;
  }

  /** What the figures are of, for alerts: {@code performance}, or {@code performance:channel=online}. */
  public String subjectColumn() {
    return overall() ? "performance" : "performance:" + sliceColumn + "=" + sliceValue;
  }

  /** The day's figures for a chart. */
  public PerformancePoint point() {
    return new PerformancePoint(partition, labelCoverage(), metric, value, status);
  }
}
