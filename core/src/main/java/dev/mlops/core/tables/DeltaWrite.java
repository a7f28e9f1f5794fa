package dev.mlops.core.tables;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One write of a DataFrame into a platform table, atomic as every Delta commit is: a failure
 * leaves the table as it was. Obtain one from {@link Warehouse#write}, set the mode, then
 * {@link #commit()}.
 *
 * <pre>{@code
 * warehouse.write(df, table).partitionBy("date")
 *     .replacing("date BETWEEN '2026-11-01' AND '2026-11-07'")
 *     .commitInfo(Map.of("run_id", runId))
 *     .commit();
 * }</pre>
 *
 * <p>Not thread-safe; use each instance once.
 */
public final class DeltaWrite {
  /** How the rows meet what the table holds. */
  public enum Mode {
    /** Add the rows. */
    APPEND,
    /** Replace the whole table. */
    OVERWRITE,
    /** Replace exactly the rows matching a predicate (a date range, say). */
    REPLACE_WHERE
  }

  private final Warehouse warehouse;
  private final Dataset<Row> data;
  private final TableName table;
  private final List<String> partitionColumns = new ArrayList<>();
  private final Map<String, String> creationProperties = new LinkedHashMap<>();
  private Mode mode = Mode.APPEND;
  private String replaceWhere;
  private String userMetadata;
  private boolean overwriteSchema;
  private boolean mergeSchema;

  DeltaWrite(Warehouse warehouse, Dataset<Row> data, TableName table) {
    this.warehouse = warehouse;
    this.data = Objects.requireNonNull(data, "data == null");
    this.table = Objects.requireNonNull(table, "table == null");
  }

  /** Partitions a new table by these columns. */
  public DeltaWrite partitionBy(String... columns) {
    partitionColumns.addAll(List.of(columns));
    return this;
  }

  /** Appends (the default). */
  public DeltaWrite appending() {
    mode = Mode.APPEND;
    return this;
  }

  /** Replaces the whole table; with {@code newSchema}, its schema too. */
  public DeltaWrite overwriting(boolean newSchema) {
    mode = Mode.OVERWRITE;
    overwriteSchema = newSchema;
    return this;
  }

  /**
   * Replaces exactly the rows matching {@code predicate}; every written row must match it, so a
   * re-run of the same range replaces and never duplicates.
   */
  public DeltaWrite replacing(String predicate) {
    mode = Mode.REPLACE_WHERE;
    replaceWhere = Objects.requireNonNull(predicate, "predicate == null");
    return this;
  }

  /**
   * Lets the write add columns (and fields of struct columns) the table does not have yet, as
   * Delta's {@code mergeSchema} does; existing columns keep their types.
   */
  public DeltaWrite mergingSchema() {
    mergeSchema = true;
    return this;
  }

  /** Delta table properties set when this write creates the table (e.g. Change Data Feed). */
  public DeltaWrite creationProperty(String key, String value) {
    creationProperties.put(key, value);
    return this;
  }

  /** Metadata stored in the Delta commit info ({@code userMetadata}, as JSON). */
  public DeltaWrite commitInfo(Map<String, String> metadata) {
    userMetadata = Json.write(metadata);
    return this;
  }

  /** Whether {@code e} or one of its causes is the file system's "No space left on device". */
  private static boolean outOfSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  /** Writes, registers the table by name, and returns the version this commit created. */
  public TableVersion commit() {
    warehouse.ensureDatabase(table.database());
    String location = warehouse.location(table);
    boolean creating = !DeltaTable.isDeltaTable(warehouse.spark(), location);
    DataFrameWriter<Row> writer = data.write().format("delta");
    if (!partitionColumns.isEmpty()) {
      writer = writer.partitionBy(partitionColumns.toArray(String[]::new));
    }
    switch (mode) {
      case APPEND -> writer = writer.mode("append");
      case OVERWRITE -> writer = writer.mode("overwrite").option("overwriteSchema", String.valueOf(overwriteSchema));
      case REPLACE_WHERE -> writer = writer.mode("overwrite").option("replaceWhere", replaceWhere);
    }
    if (mergeSchema) {
      writer = writer.option("mergeSchema", "true");
    }
    if (userMetadata != null) {
      writer = writer.option("userMetadata", userMetadata);
    }
    if (creating) {
      for (Map.Entry<String, String> p : creationProperties.entrySet()) {
        writer = writer.option(p.getKey(), p.getValue());
      }
    }
    try {
      writer.save(location);
    } catch (Exception e) { // Spark's SparkException is checked but thrown undeclared
      if (outOfSpace(e)) {
        throw dev.mlops.core.CoreErrors.noSpaceLeft(table.toString(), location, e);
      }
      throw e;
    }
    warehouse.register(table);
    return warehouse.current(table);
  }
}
