package dev.mlops.monitoring.performance;

import dev.mlops.training.evaluation.BinaryMetrics;

/**
 * Judges a figure against the version's test figure: PENDING before the day matured, INSUFFICIENT
 * when the metric is undefined, DEGRADED when it fell more than {@code maxDrop} (for a metric
 * where lower is better, {@code log_loss}: rose), OK otherwise. Immutable.
 *
 * @param metric the metric judged
 * @param maxDrop the largest tolerated fall
 */
record PerformanceJudge(String metric, double maxDrop) {
  PerformanceStatus judge(boolean matured, long positives, long negatives, double value, double trainingValue) {
    if (!matured) {
      return PerformanceStatus.PENDING;
    }
    if (positives == 0 || negatives == 0 || Double.isNaN(value)) {
      return PerformanceStatus.INSUFFICIENT;
    }
    return drop(value, trainingValue) > maxDrop ? PerformanceStatus.DEGRADED : PerformanceStatus.OK;
  }

  /** How much worse than {@code trainingValue} {@code value} is (negative when better). */
  double drop(double value, double trainingValue) {
    return BinaryMetrics.higherIsBetter(metric) ? trainingValue - value : value - trainingValue;
  }

  /** The value past which a figure is DEGRADED. */
  double threshold(double trainingValue) {
    return BinaryMetrics.higherIsBetter(metric) ? trainingValue - maxDrop : trainingValue + maxDrop;
  }
}
