package dev.mlops.monitoring.report;

import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the report: a column's results across the partitions, with what the rows are ordered
 * by. The most drifted first: the worst status, then the number of partitions at it, then the
 * largest PSI, then the name.
 */
final class FeatureDrift {
  /** The column a model's drift run adds for its score ({@link dev.mlops.monitoring.DriftService}). */
  static final String SCORE = "score";

  static final Comparator<FeatureDrift> MOST_DRIFTED_FIRST = Comparator
      .comparingInt((FeatureDrift f) -> Statuses.rank(f.worst))
      .thenComparing(Comparator.comparingInt((FeatureDrift f) -> f.atWorst).reversed())
      .thenComparing(Comparator.comparingDouble((FeatureDrift f) -> f.maxPsi).reversed())
      .thenComparing(f -> f.column);

  private final String column;
  private final Kind kind;
  private final boolean score;
  private final Map<String, ColumnDrift> byPartition;
  private final DriftStatus worst;
  private final int atWorst;
  private final double maxPsi;
  private final String firstDrifted;

  private FeatureDrift(String column, Kind kind, boolean score, Map<String, ColumnDrift> byPartition,
      List<String> partitions) {
    this.column = column;
    this.kind = kind;
    this.score = score;
    this.byPartition = byPartition;
    DriftStatus w = null;
    double psi = Double.NEGATIVE_INFINITY;
    String first = null;
    for (String p : partitions) {
      ColumnDrift c = byPartition.get(p);
      if (c != null) {
        w = Statuses.worse(w, c.status());
        double v = MetricText.psi(c);
        psi = Double.isNaN(v) ? psi : Math.max(psi, v);
        first = first == null && c.status() == DriftStatus.DRIFT ? p : first;
      }
    }
    DriftStatus worstFound = w;
    this.worst = w;
    this.atWorst = (int) byPartition.values().stream().filter(c -> c.status() == worstFound).count();
    this.maxPsi = psi;
    this.firstDrifted = first;
  }

  /** Every column of {@code report}, the most drifted first, the model's score among them. */
  static List<FeatureDrift> of(DriftReport report) {
    Map<String, Map<String, ColumnDrift>> byColumn = new LinkedHashMap<>();
    Map<String, Kind> kinds = new LinkedHashMap<>();
    for (ColumnDrift c : report.columns()) {
      byColumn.computeIfAbsent(c.column(), k -> new LinkedHashMap<>()).put(c.partition(), c);
      kinds.putIfAbsent(c.column(), c.kind());
    }
    List<FeatureDrift> rows = new ArrayList<>();
    byColumn.forEach((column, cells) -> rows.add(new FeatureDrift(column, kinds.get(column),
        report.model() != null && column.equals(SCORE), cells, report.partitions())));
    rows.sort(MOST_DRIFTED_FIRST);
    return rows;
  }

  String column() {
    return column;
  }

  Kind kind() {
    return kind;
  }

  /** Whether this is the model's score rather than one of its features. */
  boolean isScore() {
    return score;
  }

  /** The result in {@code partition}, or null when the column was not compared there. */
  ColumnDrift at(String partition) {
    return byPartition.get(partition);
  }

  /** The worst status over the partitions, or null when there is no result at all. */
  DriftStatus worst() {
    return worst;
  }

  /** The number of partitions at the worst status. */
  int atWorst() {
    return atWorst;
  }

  /** The first partition in which the column drifted, or null. */
  String firstDrifted() {
    return firstDrifted;
  }

  boolean drifted() {
    return firstDrifted != null;
  }
}
