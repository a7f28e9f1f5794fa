package dev.mlops.validation.profiles;

import dev.mlops.core.tables.TableName;
import java.util.Objects;

/**
 * Which data a stored profile summarizes: a table at a Delta version, all of it or one partition
 * ({@code column = value}), and of those rows every one or a named subset (the production rows
 * one model version served, say). Profiles of different subsets of one partition never stand in for
 * each other.
 *
 * <p>Immutable.
 *
 * @param table the table
 * @param version the Delta version of the table profiled
 * @param partitionColumn the partition column, or null for the whole table
 * @param partitionValue the partition's value as text ({@code 2026-11-01}), or null for the whole table
 * @param rows which of those rows, as a text that names them exactly (a SQL condition where one
 *     exists, as for a model's served rows; else a description, as for a version's test scores), or null for
 *     every row
 */
public record ProfileKey(TableName table, long version, String partitionColumn, String partitionValue, String rows) {
  public ProfileKey {
    Objects.requireNonNull(table, "table == null");
    if ((partitionColumn == null) != (partitionValue == null)) {
      throw new IllegalArgumentException("a partition needs both its column and its value: " + partitionColumn + "="
          + partitionValue);
    }
  }

  /** The whole of {@code table} at {@code version}. */
  public static ProfileKey whole(TableName table, long version) {
    return new ProfileKey(table, version, null, null, null);
  }

  /** Partition {@code column = value} of {@code table} at {@code version}. */
  public static ProfileKey partition(TableName table, long version, String column, String value) {
    return new ProfileKey(table, version, column, value, null);
  }

  /** The same table, version and partition, only the rows {@code rows} names (null: every row). */
  public ProfileKey withRows(String rows) {
    return new ProfileKey(table, version, partitionColumn, partitionValue, rows);
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
