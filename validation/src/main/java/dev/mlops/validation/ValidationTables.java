package dev.mlops.validation;

import dev.mlops.core.tables.TableName;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The tables validation writes; see {@code docs/TABLES.md}. */
public final class ValidationTables {
  public static final TableName METRICS = TableName.parse("validation.metrics");
  public static final TableName CHECK_RESULTS = TableName.parse("validation.check_results");
  public static final TableName PROFILES = TableName.parse("validation.profiles");

  static final StructType METRICS_SCHEMA = new StructType()
      .add("table_name", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType, false)
      .add("partition_key", DataTypes.StringType, false)
      .add("analyzer", DataTypes.StringType, false)
      .add("column", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("computed_at", DataTypes.TimestampType, false);

  static final StructType CHECK_RESULTS_SCHEMA = new StructType()
      .add("table_name", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType, false)
      .add("suite", DataTypes.StringType, false)
      .add("check", DataTypes.StringType, false)
      .add("type", DataTypes.StringType, false)
      .add("severity", DataTypes.StringType, false)
      .add("status", DataTypes.StringType, false)
      .add("observed", DataTypes.StringType, false)
      .add("expected", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, false)
      .add("failing_rows", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("checked_at", DataTypes.TimestampType, false);

  /** The Delta version of the table a profile summarizes; null in rows written before profiles were addressable. */
  public static final String PROFILE_VERSION = "table_version";
  /** The column of {@code validation.profiles} naming the subset of rows profiled (null for all). */
  public static final String PROFILE_ROWS = "row_subset";

  /**
   * {@code validation.profiles}: one sketch per table, partition and column. The partition is in
   * {@code partition_column} and {@code partition_value} (null for the whole table), and as text in
   * {@code partition}; {@code count} is -1 for a sketch that does not count values (hll);
   * {@code row_subset} names the rows profiled when they are not all of the partition's (null).
   */
  public static final StructType PROFILES_SCHEMA = new StructType()
      .add("table_name", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType, false)
      .add("column", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("sketch", DataTypes.BinaryType, false)
      .add("count", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("profiled_at", DataTypes.TimestampType, false)
      .add(PROFILE_VERSION, DataTypes.LongType, true)
      .add("partition_column", DataTypes.StringType, true)
      .add("partition_value", DataTypes.StringType, true)
      .add(PROFILE_ROWS, DataTypes.StringType, true);

  private ValidationTables() {}

  /** Where the failing rows of {@code table} go: {@code validation.quarantine_<database>__<table>}. */
  public static TableName quarantine(TableName table) {
    return TableName.parse("validation.quarantine_" + table.database() + "__" + table.table());
  }
}
