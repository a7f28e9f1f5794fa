package dev.mlops.monitoring;

import static dev.mlops.core.tables.TableValues.finiteOrNull;
import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftShare;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code monitoring.drift}: one row per subject, partition, column and metric, and one per subject
 * and partition for the share of drifted columns (column {@code *}, metric {@code drift_share}).
 * A run replaces the rows of its subject and partitions in one commit, so re-running a day never
 * duplicates it. See {@code docs/TABLES.md}.
 *
 * <p>Thread-safe as far as the warehouse's session is.
 */
public final class DriftTable {
  /** The table. */
  public static final TableName DRIFT = TableName.parse("monitoring.drift");
  /** The column of the dataset-level rows. */
  public static final String ALL_COLUMNS = "*";

  static final StructType SCHEMA = new StructType()
      .add("subject", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, true)
      .add("model_version", DataTypes.IntegerType, true)
      .add("table_name", DataTypes.StringType, false)
      .add("table_version", DataTypes.LongType, false)
      .add("partition_column", DataTypes.StringType, false)
      .add("partition", DataTypes.StringType, false)
      .add("column", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, true)
      .add("p_value", DataTypes.DoubleType, true)
      .add("effect_size", DataTypes.DoubleType, true)
      .add("status", DataTypes.StringType, false)
      .add("thresholds", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
      .add("details", DataTypes.StringType, false)
      .add("reference", DataTypes.StringType, false)
      .add("reference_rows", DataTypes.LongType, false)
      .add("current_rows", DataTypes.LongType, false)
      .add("engine", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("computed_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;

  public DriftTable(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Replaces the rows of {@code report}'s subject and partitions with its results, in one commit. */
  public TableVersion write(DriftReport report, JobRun run) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = Timestamp.from(report.computedAt());
    for (ColumnDrift c : report.columns()) {
      for (DriftResult r : c.results()) {
        rows.add(row(report, c.partition(), c.column(), c.kind().name().toLowerCase(java.util.Locale.ROOT), r.metric(),
            r.value(), r.pValue().isPresent() ? r.pValue().getAsDouble() : Double.NaN,
            r.effectSize().isPresent() ? r.effectSize().getAsDouble() : Double.NaN, r.status().name(), r.thresholds(),
            Json.write(r.details()), c.referenceRows(), c.currentRows(), run, at));
      }
    }
    report.shares().forEach((partition, share) -> rows.add(row(report, partition, ALL_COLUMNS, "dataset", "drift_share",
        share.share(), Double.NaN, Double.NaN, share.status().name(), Map.of("share", share.threshold()), Json.write(share),
        0, 0, run, at)));
    String partitions = String.join(", ", report.partitions().stream().map(p -> "'" + p.replace("'", "''") + "'").toList());
    TableVersion written = warehouse.write(warehouse.spark().createDataFrame(rows, SCHEMA), DRIFT)
        .replacing("subject = '" + report.subject().replace("'", "''") + "' AND partition IN (" + partitions + ")")
        .commitInfo(run.commitInfo()).commit();
    run.output(written);
    return written;
  }

  private static Row row(DriftReport report, String partition, String column, String kind, String metric, double value,
      double pValue, double effect, String status, Map<String, Double> thresholds, String details, long referenceRows,
      long currentRows, JobRun run, Timestamp at) {
    return RowFactory.create(report.subject(), report.model(), report.modelVersion(), report.table().table().toString(),
        report.table().version(), report.partitionColumn(), partition, column, kind, metric, finiteOrNull(value),
        finiteOrNull(pValue), finiteOrNull(effect), status, scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(thresholds)), details,
        report.reference(), referenceRows, currentRows, report.engine(), run.runId(), at);
  }

  /** The rows of {@code subject} for {@code partitions}, as a table, for tests and reports. */
  public List<Row> rows(String subject, List<String> partitions) {
    if (!warehouse.exists(DRIFT)) {
      return List.of();
    }
    return warehouse.read(DRIFT).where(col("subject").equalTo(subject).and(col("partition").isin(partitions.toArray())))
        .collectAsList();
  }

}
