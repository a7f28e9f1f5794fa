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
 * without a copy. A failing row that already has a copy (equal in every column), left by a run
 * that died between its copy and its delete, is not copied again, only deleted: the run after a
 * killed one converges to each row once in the quarantine.
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
    TableName quarantine = ValidationTables.quarantine(table);
    List<String> columns = List.of(data.columns());
    Column[] failed = checks.stream().map(c -> when(not(c.passes()), lit(c.name()))).toArray(Column[]::new);
    Dataset<Row> bad = data.where(not(passesAll(checks)));
    Dataset<Row> failing = notCopiedYet(warehouse, quarantine, bad, columns)
        .withColumn("_failed_checks", array_compact(array(failed)))
        .withColumn("_run_id", lit(run.runId()))
        .withColumn("_quarantined_at", current_timestamp());
    TableVersion written = warehouse.write(failing, quarantine).commitInfo(run.commitInfo()).commit();
    run.output(written);
    Dataset<Row> copies = warehouse.read(written).select(Identifiers.columns(columns)).as("q")
        .join(bad.as("b"), sameRow("q", "b", columns), "left_semi");
    try {
      run.output(warehouse.deleteMatching(table, copies, columns, run.commitInfo()));
    } catch (RuntimeException e) {
      throw ValidationErrors.quarantinedRowsNotRemoved(table, SparkErrors.message(e), ValidationTables.quarantine(table),
          run.runId(), e);
    }
    return written;
  }

  /**
   * The rows of {@code bad} of which {@code quarantine} holds no copy: the copies a run killed
   * before its delete left are of rows still in the table.
   */
  private static Dataset<Row> notCopiedYet(Warehouse warehouse, TableName quarantine, Dataset<Row> bad, List<String> columns) {
    if (!warehouse.exists(quarantine)) {
      return bad;
    }
    return bad.as("b").join(warehouse.read(quarantine).select(Identifiers.columns(columns)).as("q"),
        sameRow("b", "q", columns), "left_anti");
  }

  /** Rows of {@code a} and {@code b} equal in every one of {@code columns}, nulls equal. */
  private static Column sameRow(String a, String b, List<String> columns) {
    Column all = lit(true);
    for (String c : columns) {
      all = all.and(col(Identifiers.quote(a, c)).eqNullSafe(col(Identifiers.quote(b, c))));
    }
    return all;
  }
}
