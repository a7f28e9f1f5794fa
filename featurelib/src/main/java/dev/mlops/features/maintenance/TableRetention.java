package dev.mlops.features.maintenance;

import java.time.Duration;
import java.util.Objects;

/**
 * How long Delta keeps the history of one table, as it applies the table's properties (its
 * defaults when a property is not set). Obtain one with {@link FeatureTableRetention#current}.
 * Immutable.
 *
 * @param log {@code delta.logRetentionDuration} (Delta's default: 30 days): how long log entries
 *     are kept; a version whose entries are gone cannot be read
 * @param deletedFiles {@code delta.deletedFileRetentionDuration} (default: 7 days): how long
 *     removed data files are kept from a plain {@code VACUUM}; Delta also refuses time travel to a
 *     version older than this
 */
public record TableRetention(Duration log, Duration deletedFiles) {
  public TableRetention {
    Objects.requireNonNull(log, "log == null");
    Objects.requireNonNull(deletedFiles, "deletedFiles == null");
  }

  /** Whether both durations are at least {@code retention}. */
  public boolean covers(Duration retention) {
    return log.compareTo(retention) >= 0 && deletedFiles.compareTo(retention) >= 0;
  }
}
