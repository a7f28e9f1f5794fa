package dev.mlops.validation;

import dev.mlops.core.PlatformException;
import dev.mlops.core.tables.TableName;
import java.util.List;

/**
 * The user-facing errors of validation: each message says what is wrong, why, and how to fix it.
 * Every method returns the exception for the caller to throw ({@code throw
 * ValidationErrors.tableMissing(...)}). Problems in a suite's YAML file are reported by
 * {@link SuiteLoader}, all at once, through {@link dev.mlops.core.config.Problems}; a check that
 * cannot be computed is an error in the report, not an exception; programming mistakes stay
 * {@link IllegalArgumentException}s and {@link IllegalStateException}s.
 *
 * <p>Stateless and thread-safe.
 */
public final class ValidationErrors {
  private ValidationErrors() {}

  /** Thrown when a {@code --partition} argument is not {@code COLUMN=VALUE}. */
  public static PlatformException badPartitionArgument(String text) {
    return new PlatformException("--partition " + text + ": expected COLUMN=VALUE, for example --partition date=2026-11-01");
  }

  /** Thrown when the table a suite validates is not in the warehouse. */
  public static PlatformException tableMissing(TableName table, String suite, String warehouseUri) {
    return new PlatformException("Cannot validate " + table + " (suite " + suite + "): no such table in the warehouse "
        + warehouseUri + "; run the job that creates it first, or fix the suite's table");
  }

  /** Thrown when the partition to validate names a column the table does not have. */
  public static PlatformException partitionColumnMissing(TableName table, Partition partition, List<String> columns) {
    return new PlatformException("Cannot validate " + table + " partition " + partition + ": the table has no column "
        + partition.column() + " (columns: " + String.join(", ", columns) + "); pass --partition with one of those");
  }

  /** Thrown when the partition's value cannot be read as the type of its column. */
  public static PlatformException partitionValueMistyped(TableName table, Partition partition, String type) {
    return new PlatformException("Cannot validate " + table + " partition " + partition + ": \"" + partition.value()
        + "\" is not a " + type + " (the type of " + partition.column() + "); pass a " + type + " value");
  }

  /**
   * Thrown when rows should be quarantined but a quarantine check's predicate could not be
   * computed ({@code failure} says why), so the bad rows cannot be told apart.
   */
  public static PlatformException quarantineNotComputed(TableName table, String failure, String suite) {
    return new PlatformException("Cannot quarantine rows of " + table + ": " + failure + "; fix the suite " + suite);
  }

  /**
   * Thrown when quarantined rows were copied to the quarantine table but could not be removed from
   * the validated table ({@code reason}): they are in both.
   */
  public static PlatformException quarantinedRowsNotRemoved(TableName table, String reason, TableName quarantine,
      String runId, RuntimeException cause) {
    return new PlatformException("Cannot remove the quarantined rows from " + table + ": " + reason
        + "; they were copied to " + quarantine + " (run " + runId + ") and are still in " + table
        + ". Re-run the validation.", cause);
  }
}
