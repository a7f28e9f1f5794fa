package dev.mlops.monitoring;

import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import java.util.List;
import java.util.Objects;

/**
 * The drift of one column in one partition: every metric that applies to its kind.
 *
 * <p>Immutable.
 *
 * @param column the column
 * @param kind numeric or categorical
 * @param partition the partition value
 * @param referenceRows the reference's values of the column (nulls aside)
 * @param currentRows the partition's values of the column (nulls aside)
 * @param results one per metric: PSI and KS for a numeric column; chi-squared, PSI and
 *     Jensen-Shannon for a categorical one
 */
public record ColumnDrift(String column, Kind kind, String partition, long referenceRows, long currentRows,
    List<DriftResult> results) {
  public ColumnDrift {
    Objects.requireNonNull(column, "column == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(partition, "partition == null");
    results = List.copyOf(results);
  }

  /** The worst status of its metrics: DRIFT, then WARN, then OK; INSUFFICIENT when none was computed. */
  public DriftStatus status() {
    boolean warned = false;
    boolean judged = false;
    for (DriftResult r : results) {
      if (r.status() == DriftStatus.DRIFT) {
        return DriftStatus.DRIFT;
      }
      warned |= r.status() == DriftStatus.WARN;
      judged |= r.status() == DriftStatus.OK;
    }
    return warned ? DriftStatus.WARN : judged ? DriftStatus.OK : DriftStatus.INSUFFICIENT;
  }
}
