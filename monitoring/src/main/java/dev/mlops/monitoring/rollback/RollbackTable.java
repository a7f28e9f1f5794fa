package dev.mlops.monitoring.rollback;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code monitoring.rollbacks}: one row per decision of a rollback policy that acted or would
 * have ({@code dry_run}), keyed by the model, the mode and the alerts that led to it, so the same
 * alerts never lead to a second decision. See {@code docs/TABLES.md}.
 */
final class RollbackTable {
  static final TableName TABLE = TableName.parse("monitoring.rollbacks");

  static final StructType SCHEMA = new StructType()
      .add("decision_id", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("action", DataTypes.StringType, false)
      .add("from_version", DataTypes.IntegerType, false)
      .add("to_version", DataTypes.IntegerType, false)
      .add("alert_ids", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("partitions", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("reason", DataTypes.StringType, false)
      .add("decided_at", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, true);

  private final Warehouse warehouse;

  RollbackTable(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Whether a decision with this id was recorded. */
  boolean recorded(String decisionId) {
    return warehouse.exists(TABLE) && !warehouse.read(TABLE).where(col("decision_id").equalTo(decisionId)).isEmpty();
  }

  /** Records {@code d} under {@code decisionId} (a MERGE on the id: recording twice keeps one row). */
  void record(String decisionId, RollbackDecision d, Instant at, JobRun run) {
    Row row = RowFactory.create(decisionId, d.model(), d.action(), d.fromVersion(), d.toVersion(), d.alertIds().toArray(),
        d.alerts().stream().map(a -> a.partition()).toArray(), d.reason(), Timestamp.from(at),
        run == null ? null : run.runId());
    warehouse.ensureDatabase(TABLE.database());
    var written = warehouse.upsert(warehouse.spark().createDataFrame(List.of(row), SCHEMA), TABLE, List.of("decision_id"),
        run == null ? java.util.Map.of() : run.commitInfo());
    if (run != null) {
      run.output(written);
    }
  }
}
