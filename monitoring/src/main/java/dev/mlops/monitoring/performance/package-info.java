/**
 * Realized performance with late labels ({@code mlops monitor performance}): the metrics of the rows
 * a model's Production version served, per day and slice, once their labels have arrived, judged
 * against the version's test metrics. Start at {@link dev.mlops.monitoring.performance.PerformanceMonitor}.
 */
package dev.mlops.monitoring.performance;
