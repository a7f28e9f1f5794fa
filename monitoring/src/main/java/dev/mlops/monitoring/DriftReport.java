package dev.mlops.monitoring;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.drift.DriftShare;
import dev.mlops.monitoring.drift.DriftStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one drift run found: every column's metrics in every partition, the share of drifted
 * columns per partition, and the alerts raised.
 *
 * <p>Immutable.
 *
 * @param subject what was watched: {@code model fraud} or {@code table raw.transactions}
 * @param model the model, or null for a table
 * @param modelVersion the model's version whose features and reference were used, or null
 * @param table the current table at the version read
 * @param partitionColumn its partition column
 * @param partitions the partitions compared, in order
 * @param reference the reference, as results name it
 * @param engine the engine's name
 * @param columns every column in every partition, in partition order
 * @param shares the share of drifted columns, by partition
 * @param alerts the alerts raised, new or not
 * @param newAlerts the alerts no earlier run had raised
 * @param computedAt when
 * @param htmlReport the HTML report written, or null
 */
public record DriftReport(String subject, String model, Integer modelVersion, TableVersion table, String partitionColumn,
    List<String> partitions, String reference, String engine, List<ColumnDrift> columns, Map<String, DriftShare> shares,
    List<Alert> alerts, List<Alert> newAlerts, Instant computedAt, String htmlReport) {
  public DriftReport {
    Objects.requireNonNull(subject, "subject == null");
    partitions = List.copyOf(partitions);
    columns = List.copyOf(columns);
    shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
    alerts = List.copyOf(alerts);
    newAlerts = List.copyOf(newAlerts);
  }

  /** A copy with the HTML report's location. */
  public DriftReport withHtmlReport(String location) {
    return new DriftReport(subject, model, modelVersion, table, partitionColumn, partitions, reference, engine, columns,
        shares, alerts, newAlerts, computedAt, location);
  }

  /** The first partition whose share of drifted columns reached its threshold, or null. */
  public String firstDriftedPartition() {
    return partitions.stream().filter(p -> shares.get(p) != null && shares.get(p).status() == DriftStatus.DRIFT)
        .findFirst().orElse(null);
  }
}
