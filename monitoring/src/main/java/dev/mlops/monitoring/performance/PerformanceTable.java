package dev.mlops.monitoring.performance;

import static dev.mlops.core.tables.TableValues.finiteOrNull;
import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code monitoring.performance}: one row per model, day and slice value (slice {@code *}: the
 * whole day). A run replaces the rows of its model and days in one commit, so re-running a day
 * never duplicates it. See {@code docs/TABLES.md}.
 *
 * <p>Thread-safe as far as the warehouse's session is.
 */
public final class PerformanceTable {
  /** The table. */
  public static final TableName PERFORMANCE = TableName.parse("monitoring.performance");

  static final StructType SCHEMA = new StructType()
      .add("model", DataTypes.StringType, false)
      .add("model_version", DataTypes.IntegerType, false)
      .add("partition", DataTypes.StringType, false)
      .add("slice_column", DataTypes.StringType, false)
      .add("slice_value", DataTypes.StringType, false)
      .add("rows", DataTypes.LongType, false)
      .add("labelled", DataTypes.LongType, false)
      .add("label_coverage", DataTypes.DoubleType, true)
      .add("matured", DataTypes.BooleanType, false)
      .add("metric", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, true)
      .add("training_value", DataTypes.DoubleType, true)
      .add("change", DataTypes.DoubleType, true)
      .add("status", DataTypes.StringType, false)
      .add("as_of", DataTypes.TimestampType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("computed_at", DataTypes.TimestampType, false);

  private final Warehouse warehouse;

  public PerformanceTable(Warehouse warehouse) {
    this.warehouse = warehouse;
  }

  /** Replaces the rows of {@code report}'s model and days with its results, in one commit. */
  public TableVersion write(PerformanceReport report, JobRun run) {
    Timestamp asOf = Timestamp.from(report.asOf());
    Timestamp at = Timestamp.from(report.computedAt());
    List<Row> rows = new ArrayList<>();
    for (PartitionPerformance p : report.results()) {
      rows.add(RowFactory.create(report.model(), p.modelVersion(), p.partition(), p.sliceColumn(), p.sliceValue(), p.rows(),
          p.labelled(), finiteOrNull(p.labelCoverage()), p.matured(), p.metric(), finiteOrNull(p.value()),
          finiteOrNull(p.trainingValue()), finiteOrNull(p.change()), p.status().name(), asOf, run.runId(), at));
    }
    String days = String.join(", ", report.partitions().stream().map(d -> "'" + d.replace("'", "''") + "'").toList());
    TableVersion written = warehouse.write(warehouse.spark().createDataFrame(rows, SCHEMA), PERFORMANCE)
        .replacing("model = '" + report.model().replace("'", "''") + "' AND partition IN (" + days + ")")
        .commitInfo(run.commitInfo()).commit();
    run.output(written);
    return written;
  }

  /** The rows of {@code model} for {@code partitions}, for tests and reports. */
  public List<Row> rows(String model, List<String> partitions) {
    if (!warehouse.exists(PERFORMANCE)) {
      return List.of();
    }
    return warehouse.read(PERFORMANCE).where(col("model").equalTo(model).and(col("partition").isin(partitions.toArray())))
        .collectAsList();
  }

  /**
   * The overall figures of {@code model} on those of {@code partitions} that performance monitoring
   * measured, in partition order: the drift report's performance trend.
   */
  public List<PerformancePoint> points(String model, List<String> partitions) {
    return rows(model, partitions).stream()
        .filter(r -> r.<String>getAs("slice_column").equals(PartitionPerformance.ALL))
        .sorted(Comparator.comparing(r -> r.<String>getAs("partition")))
        .map(PerformanceTable::point).toList();
  }

  private static PerformancePoint point(Row r) {
    return new PerformancePoint(r.getAs("partition"), orElse(r.getAs("label_coverage"), 0), r.getAs("metric"),
        orElse(r.getAs("value"), Double.NaN), PerformanceStatus.valueOf(r.getAs("status")));
  }

  /** The days of {@code model} whose whole-day figures were measured matured, by any version. */
  public Set<String> maturedDays(String model) {
    if (!warehouse.exists(PERFORMANCE)) {
      return Set.of();
    }
    return Set.copyOf(matured(model).select("partition").distinct().as(Encoders.STRING()).collectAsList());
  }

  /** The matured whole-day figures of {@code version} of {@code model}, in day order. */
  public List<PerformancePoint> maturedPoints(String model, int version) {
    if (!warehouse.exists(PERFORMANCE)) {
      return List.of();
    }
    return matured(model).where(col("model_version").equalTo(version)).orderBy("partition").collectAsList().stream()
        .map(PerformanceTable::point).toList();
  }

  private Dataset<Row> matured(String model) {
    return warehouse.read(PERFORMANCE).where(col("model").equalTo(model)
        .and(col("slice_column").equalTo(PartitionPerformance.ALL)).and(col("matured")));
  }

  private static double orElse(Double d, double otherwise) {
    return d == null ? otherwise : d;
  }

}
