package dev.mlops.monitoring.performance;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.monitoring.alerts.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code mlops monitor performance} run found: the figures of every day and slice value,
 * and the alerts raised.
 *
 * <p>Immutable. Made by {@link PerformanceMonitor}.
 *
 * @param model the model
 * @param metric the metric judged
 * @param maxDrop the largest tolerated fall of it
 * @param labelDelay how long after a day ends its labels are complete
 * @param unlabelled {@code negative} or {@code unknown}: what a row without a label is once matured
 * @param asOf the labels that arrived by this time were used, and no others
 * @param predictions the predictions table at the version read
 * @param partitions the days, in order
 * @param results per day, the whole day's figures then each slice value's
 * @param alerts the alerts raised, new or not
 * @param newAlerts the alerts no earlier run had raised
 * @param computedAt when
 */
public record PerformanceReport(String model, String metric, double maxDrop, Duration labelDelay, String unlabelled,
    Instant asOf, TableVersion predictions, List<String> partitions, List<PartitionPerformance> results,
    List<Alert> alerts, List<Alert> newAlerts, Instant computedAt) {
  public PerformanceReport {
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(asOf, "asOf == null");
    partitions = List.copyOf(partitions);
    results = List.copyOf(results);
    alerts = List.copyOf(alerts);
    newAlerts = List.copyOf(newAlerts);
  }

  /**
   * One report of {@code reports}, runs of the same model as of the same time on different days:
   * their days, figures and alerts in order; the first's predictions version, the last's time.
   */
  public static PerformanceReport joined(List<PerformanceReport> reports) {
    PerformanceReport first = reports.get(0);
    List<String> partitions = new ArrayList<>();
    List<PartitionPerformance> results = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    List<Alert> newAlerts = new ArrayList<>();
    for (PerformanceReport r : reports) {
      partitions.addAll(r.partitions());
      results.addAll(r.results());
      alerts.addAll(r.alerts());
      newAlerts.addAll(r.newAlerts());
    }
    return new PerformanceReport(first.model(), first.metric(), first.maxDrop(), first.labelDelay(), first.unlabelled(),
        first.asOf(), first.predictions(), partitions, results, alerts, newAlerts, reports.get(reports.size() - 1)
        .computedAt());
  }

  /** The figures of the whole days, in day order. */
  public List<PartitionPerformance> overall() {
    return results.stream().filter(PartitionPerformance::overall).toList();
  }

  /** The figures of the whole of day {@code partition}, if it was measured. */
  public Optional<PartitionPerformance> overall(String partition) {
    return results.stream().filter(r -> r.overall() && r.partition().equals(partition)).findFirst();
  }

  /** The figures of value {@code value} of slice column {@code column} on day {@code partition}, if any. */
  public Optional<PartitionPerformance> slice(String partition, String column, String value) {
    return results.stream().filter(r -> r.partition().equals(partition) && r.sliceColumn().equals(column)
        && r.sliceValue().equals(value)).findFirst();
  }

  /** One point per day for a chart (the drift report's performance panel). */
  public List<PerformancePoint> points() {
    return overall().stream().map(PartitionPerformance::point).toList();
  }
}
