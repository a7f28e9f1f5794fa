package dev.mlops.features.maintenance;

import dev.mlops.core.PlatformException;
import dev.mlops.core.config.Durations;
import dev.mlops.core.tables.TableName;
import java.time.Duration;
import java.util.List;

/** The user-facing errors of feature table maintenance: each says the problem, its cause and the fix. */
final class MaintenanceErrors {
  private MaintenanceErrors() {}

  static PlatformException badRetention(TableName table, Duration retention) {
    return new PlatformException("Cannot raise the history retention of " + table + " to " + text(retention)
        + ": the retention must be a positive duration, for example 90d");
  }

  static PlatformException retentionConflict(TableName table, int attempts, RuntimeException cause) {
    return new PlatformException("Cannot raise the history retention of " + table + ": its metadata changed " + attempts
        + " times while trying (" + cause.getMessage() + "); run it again when the other jobs writing the table are done",
        cause);
  }

  static PlatformException badVacuumRetention(TableName table, Duration retain) {
    return new PlatformException("Cannot vacuum " + table + " with retention " + text(retain)
        + ": the retention must be zero or more whole hours (Delta rounds it to hours), for example --retain 168h");
  }

  static PlatformException retentionBelowTable(TableName table, long retainHours, long tableHours) {
    return new PlatformException("Cannot vacuum " + table + " with retention " + retainHours + "h: the table keeps removed"
        + " files for " + tableHours + "h (delta.deletedFileRetentionDuration), and a shorter vacuum retention could delete"
        + " files that running jobs still read; vacuum with --retain " + tableHours + "h or more (Delta's"
        + " spark.databricks.delta.retentionDurationCheck.enabled=false lifts this check when nothing writes or reads the"
        + " table meanwhile)");
  }

  private static String text(Duration d) {
    return d == null ? "none" : d.isZero() ? "0s" : Durations.format(d);
  }

  /** A vacuum refused because pins need what it would delete: every reason, then every fix. */
  static PlatformException pinsBlock(TableName table, long retainHours, List<String> reasons, List<String> fixes) {
    return new PlatformException("Cannot vacuum " + table + " with retention " + retainHours + "h: "
        + String.join("; ", reasons) + "; " + String.join("; ", fixes));
  }
}
