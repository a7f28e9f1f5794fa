package dev.mlops.validation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkErrors;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.validation.checks.RowCheck;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Moves the rows that fail quarantine checks out of a table: first appended to
 * {@code validation.quarantine_<db>__<table>} with the names of the checks they failed
 * ({@code _failed_checks}), the run id and the time, then the rows equal to those copies deleted
 * from the table (a MERGE on every column), in that order: a failure in between leaves a row in
 * both places, never in neither, and rows written to the table meanwhile are never deleted
 * without a copy.
 */
final class Quarantine {
  private Quarantine() {}

  /** The condition of a row that passes every check of {@code checks}. */
  static Column passesAll(List<RowCheck> checks) {
    Column all = lit(true);
    for (RowCheck c : checks) {
      all = all.and(c.passes());
    }
    return all;
  }

  /**
   * Moves the failing rows of {@code data} (table {@code version}, or a partition of it).
   *
   * @return the quarantine table's version written
   */
  static TableVersion move(Warehouse warehouse, TableVersion version, Dataset<Row> data, List<RowCheck> checks, JobRun run) {
    TableName table = version.table();
    Column[] failed = checks.stream().map(c -> when(not(c.passes()), lit(c.name()))).toArray(Column[]::new);
    Dataset<Row> failing = data.where(not(passesAll(checks)))
        .withColumn("_failed_checks", array_compact(array(failed)))
        .withColumn("_run_id", lit(run.runId()))
        .withColumn("_quarantined_at", current_timestamp());
    TableVersion written = warehouse.write(failing, ValidationTables.quarantine(table)).commitInfo(run.commitInfo()).commit();
    run.output(written);
    List<String> columns = List.of(data.columns());
    Dataset<Row> copies = warehouse.read(written).where(col("_run_id").equalTo(run.runId()))
        .select(columns.stream().map(Identifiers::column).toArray(Column[]::new));
    try {
      run.output(warehouse.deleteMatching(table, copies, columns, run.commitInfo()));
    } catch (RuntimeException e) {
      throw ValidationErrors.quarantinedRowsNotRemoved(table, SparkErrors.message(e), ValidationTables.quarantine(table),
          run.runId(), e);
    }
    return written;
  }
}
