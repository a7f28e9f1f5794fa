package dev.mlops.monitoring.performance;

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
    PerformanceStatus status) {}
