package dev.mlops.monitoring.report;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.Alerts;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftShare;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.DriftThresholds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A {@link DriftReport} built as a drift run would: columns added cell by cell, the shares of
 * drifted features (the score aside) and the alerts derived from them, the last partition's
 * alerts new.
 */
final class ReportBuilder {
  private final String subject;
  private String model;
  private List<String> partitions = List.of();
  private DriftThresholds thresholds = DriftThresholds.defaults();
  private final List<ColumnDrift> columns = new ArrayList<>();

  private ReportBuilder(String subject) {
    this.subject = subject;
  }

  /** A report on {@code subject}, for a table unless {@link #model} is called. */
  static ReportBuilder subject(String subject) {
    return new ReportBuilder(subject);
  }

  /** A model's report: its score is a column apart. */
  ReportBuilder model(String name) {
    this.model = name;
    return this;
  }

  ReportBuilder partitions(List<String> values) {
    this.partitions = List.copyOf(values);
    return this;
  }

  ReportBuilder thresholds(DriftThresholds t) {
    this.thresholds = t;
    return this;
  }

  /** A column with one cell per partition, made by {@code cell} from the column's name and the partition. */
  ReportBuilder column(String name, BiFunction<String, String, ColumnDrift> cell) {
    partitions.forEach(p -> columns.add(cell.apply(name, p)));
    return this;
  }

  DriftReport build() {
    Map<String, DriftShare> shares = new LinkedHashMap<>();
    for (String p : partitions) {
      Map<String, DriftResult> worst = new LinkedHashMap<>();
      columns.stream().filter(c -> c.partition().equals(p) && !(model != null && c.column().equals(FeatureDrift.SCORE)))
          .forEach(c -> worst.put(c.column(), c.results().stream().filter(r -> r.status() == c.status()).findFirst()
              .orElseThrow()));
      shares.put(p, DriftShare.of(worst, thresholds));
    }
    List<Alert> alerts = Alerts.of(subject, columns, shares);
    String last = partitions.isEmpty() ? null : partitions.get(partitions.size() - 1);
    List<Alert> fresh = alerts.stream().filter(a -> a.partition().equals(last)).toList();
    return new DriftReport(subject, model, model == null ? null : 3,
        new TableVersion(TableName.parse(model == null ? "raw.transactions" : "predictions." + model), 42),
        "score_date", partitions, model == null ? "raw.transactions@v40" : "training set features.fraud_train@v7",
        "exact", columns, shares, alerts, fresh, Instant.parse("2026-11-11T03:15:00Z"), null);
  }

  /** {@code count} days from {@code first}, as partition values. */
  static List<String> days(String first, int count) {
    java.time.LocalDate d = java.time.LocalDate.parse(first);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(d.plusDays(i).toString());
    }
    return out;
  }

  /** A status per day: {@code before} up to day {@code from} (0-based, excluded), {@code after} from it on. */
  static DriftStatus from(String partition, List<String> days, int from, DriftStatus before, DriftStatus after) {
    return days.indexOf(partition) < from ? before : after;
  }
}
