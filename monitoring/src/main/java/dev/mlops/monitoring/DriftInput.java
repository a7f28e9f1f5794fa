package dev.mlops.monitoring;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What one drift run compares: partitions of a table, column by column, with a reference.
 *
 * <p>Immutable.
 *
 * @param table the current table at the version read
 * @param rows its rows (all partitions; engines select the ones compared)
 * @param partitionColumn the partition column
 * @param partitions the partition values compared, each on its own, in order
 * @param columns the columns compared, by name, read the same way from the reference
 * @param reference what each partition is compared with
 * @param rowSubset which rows of the table {@code rows} holds, as a text naming them exactly (a SQL
 *     condition), or null for every row: stored profiles are keyed by it
 */
public record DriftInput(TableVersion table, Dataset<Row> rows, String partitionColumn, List<String> partitions,
    List<ProfiledColumn> columns, Reference reference, String rowSubset) {
  public DriftInput {
    Objects.requireNonNull(table, "table == null");
    Objects.requireNonNull(rows, "rows == null");
    Objects.requireNonNull(partitionColumn, "partitionColumn == null");
    Objects.requireNonNull(reference, "reference == null");
    partitions = List.copyOf(partitions);
    columns = List.copyOf(columns);
  }

  /** An input of every row of {@code table}. */
  public DriftInput(TableVersion table, Dataset<Row> rows, String partitionColumn, List<String> partitions,
      List<ProfiledColumn> columns, Reference reference) {
    this(table, rows, partitionColumn, partitions, columns, reference, null);
  }
}
