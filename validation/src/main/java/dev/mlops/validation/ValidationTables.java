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

  static final StructType PROFILES_SCHEMA = new StructType()
      .add("table_name", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType, false)
      .add("column", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("sketch", DataTypes.BinaryType, false)
      .add("count", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("profiled_at", DataTypes.TimestampType, false);

  private ValidationTables() {}

  /** Where the failing rows of {@code table} go: {@code validation.quarantine_<database>__<table>}. */
  public static TableName quarantine(TableName table) {
    return TableName.parse("validation.quarantine_" + table.database() + "__" + table.table());
  }
}
