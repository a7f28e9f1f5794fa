package dev.mlops.monitoring.performance;

/** How a day (or a slice value of it) performed, as {@link PerformanceMonitor} judges it. */
public enum PerformanceStatus {
  /** Matured, and the metric is within {@code max-drop} of the version's test figure. */
  OK,
  /** Matured, and the metric fell more than {@code max-drop} below the version's test figure. */
  DEGRADED,
  /** Not matured: labels may still arrive, so nothing is judged yet. */
  PENDING,
  /** Matured, but the labelled rows lack positives or negatives: the metric is undefined. */
  INSUFFICIENT
}
