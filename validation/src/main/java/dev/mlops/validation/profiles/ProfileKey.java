package dev.mlops.validation.profiles;

import dev.mlops.core.tables.TableName;
import java.util.Objects;

/**
 * Which data a stored profile summarizes: a table at a Delta version, all of it or one partition
 * ({@code column = value}).
 *
 * <p>Immutable.
 *
 * @param table the table
 * @param version the Delta version of the table profiled
 * @param partitionColumn the partition column, or null for the whole table
 * @param partitionValue the partition's value as text ({@code 2026-11-01}), or null for the whole table
 */
public record ProfileKey(TableName table, long version, String partitionColumn, String partitionValue) {
  public ProfileKey {
    Objects.requireNonNull(table, "table == null");
    if ((partitionColumn == null) != (partitionValue == null)) {
      throw new IllegalArgumentException("a partition needs both its column and its value: " + partitionColumn + "="
          + partitionValue);
    }
  }

  /** The whole of {@code table} at {@code version}. */
  public static ProfileKey whole(TableName table, long version) {
    return new ProfileKey(table, version, null, null);
  }

  /** Partition {@code column = value} of {@code table} at {@code version}. */
  public static ProfileKey partition(TableName table, long version, String column, String value) {
    return new ProfileKey(table, version, column, value);
  }

  /** Whether it is the whole table. */
  public boolean whole() {
    return partitionColumn == null;
  }

  /** {@code column=value}, or the empty text for the whole table: the free-text partition of older rows. */
  public String partitionText() {
    return whole() ? "" : partitionColumn + "=" + partitionValue;
  }
}
