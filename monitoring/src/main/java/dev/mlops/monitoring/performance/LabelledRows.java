package dev.mlops.monitoring.performance;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.spark.SparkJobs;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.training.sets.PinnedSpine;
import dev.mlops.training.spec.ModelSpec.LabelsSpec;
import dev.mlops.training.spec.ModelSpec.SpineSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Served rows with their labels as known at an as-of time, as the monitor reads them: the day
 * ({@value #PARTITION}), the version that scored the row ({@value #VERSION}), the score
 * ({@value #SCORE}), the label as a double ({@value #LABEL}: null while unknown; with
 * {@code unlabelled: negative}, 0 for a row of a matured day without a label) and each slice
 * column's value as a string ({@code (null)} for null). Stateless.
 */
final class LabelledRows {
  static final String PARTITION = "__partition";
  static final String VERSION = "__version";
  static final String SCORE = "__score";
  static final String LABEL = "__label";
  /** The predictions' role ({@code production}, {@code variant:<name>}, ...). */
  static final String ROLE = "__role";
  /** A slice value as the evaluator renders a null. */
  static final String NULL_VALUE = "(null)";

  private LabelledRows() {}

  /** The column of the {@code i}-th slice. */
  static String slice(int i) {
    return "__slice_" + i;
  }

  /**
   * The labelled rows of {@code served}, the Production rows of the days read from {@code table}.
   *
   * @param matured the days (as partition values) whose labels are complete
   * @throws dev.mlops.core.config.ConfigException naming the spec's key when the labels cannot be
   *     read, or a key, label, arrival time or slice column is missing or of the wrong type
   */
  static Dataset<Row> of(Warehouse warehouse, LoadedSpec spec, String table, Dataset<Row> served, List<String> matured,
      Instant asOf, JobRun run) {
    LabelsSpec labels = spec.spec().monitoring().labels();
    List<String> predicted = List.of(served.columns());
    for (String key : labels.keys()) {
      if (!predicted.contains(key)) {
        throw MonitoringErrors.labelKeyNotPredicted(spec, key, table, predicted);
      }
    }
    List<Column> columns = new ArrayList<>(List.of(col("score_date").cast("string").as(PARTITION),
        col("model_version").cast("int").as(VERSION), col("score").cast("double").as(SCORE), col("role").as(ROLE)));
    Column label = col(LABEL);
    columns.add(labels.unlabelledNegative()
        ? when(label.isNotNull(), label).when(col("score_date").cast("string").isin(matured.toArray()), lit(0.0)).as(LABEL)
        : label.as(LABEL));
    List<Column> slices = sliceValues(spec, table, served.schema());
    for (int i = 0; i < slices.size(); i++) {
      columns.add(coalesce(slices.get(i).cast("string"), lit(NULL_VALUE)).as(slice(i)));
    }
    return served.join(labelsAsOf(warehouse, spec, asOf, run), scala.jdk.javaapi.CollectionConverters.asScala(labels.keys())
        .toSeq(), "left").select(columns.toArray(Column[]::new));
  }

  /**
   * The label of each key that arrived by {@code asOf}, the last one when several did (the larger
   * label on a tie): the key columns and {@value #LABEL}.
   */
  private static Dataset<Row> labelsAsOf(Warehouse warehouse, LoadedSpec spec, Instant asOf, JobRun run) {
    LabelsSpec labels = spec.spec().monitoring().labels();
    String key = labels.query() != null ? "query" : "table";
    PinnedSpine pinned;
    Dataset<Row> rows;
    try {
      pinned = PinnedSpine.of(warehouse, new SpineSpec(labels.query(), labels.table(), labels.keys(), labels.arrivedAt(),
          labels.label(), List.of()), Map.of());
      rows = warehouse.spark().sql(pinned.sql());
    } catch (Exception e) {
      throw MonitoringErrors.labelsUnreadable(spec, key, e instanceof org.apache.spark.sql.AnalysisException a
          ? a.getSimpleMessage() : e.getMessage());
    }
    pinned.sources().forEach(run::input);
    StructType schema = rows.schema();
    List<String> present = List.of(schema.fieldNames());
    for (String k : labels.keys()) {
      require(spec, "keys", k, present);
    }
    require(spec, "label", labels.label(), present);
    DataType labelType = schema.apply(labels.label()).dataType();
    if (!(labelType instanceof NumericType) && !(labelType instanceof BooleanType)) {
      throw MonitoringErrors.labelColumnMistyped(spec, "label", labels.label(), labelType.simpleString(),
          "0/1 (a number) or a boolean");
    }
    require(spec, "arrived-at", labels.arrivedAt(), present);
    DataType arrivedType = schema.apply(labels.arrivedAt()).dataType();
    if (!(arrivedType instanceof TimestampType) && !(arrivedType instanceof TimestampNTZType)
        && !(arrivedType instanceof DateType)) {
      throw MonitoringErrors.labelColumnMistyped(spec, "arrived-at", labels.arrivedAt(), arrivedType.simpleString(),
          "a timestamp or a date");
    }
    Column arrived = Identifiers.column(labels.arrivedAt()).cast("timestamp");
    Column value = Identifiers.column(labels.label()).cast("double");
    return rows.where(arrived.leq(lit(Timestamp.from(asOf)))).groupBy(Identifiers.columns(labels.keys()))
        .agg(max_by(value, struct(arrived, value)).as(LABEL));
  }

  private static void require(LoadedSpec spec, String key, String column, List<String> present) {
    if (!present.contains(column)) {
      throw MonitoringErrors.labelColumnMissing(spec, key, column, present);
    }
  }

  /**
   * The spec's slice columns of the served rows: a field of their {@code features} struct when it
   * has one of the name, else their column.
   */
  private static List<Column> sliceValues(LoadedSpec spec, String table, StructType schema) {
    List<String> columns = List.of(schema.fieldNames());
    List<String> features = columns.contains("features") && schema.apply("features").dataType() instanceof StructType f
        ? List.of(f.fieldNames()) : List.of();
    List<Column> out = new ArrayList<>();
    for (String s : spec.spec().slices()) {
      if (features.contains(s)) {
        out.add(col("features").getField(s));
      } else if (columns.contains(s)) {
        out.add(Identifiers.column(s));
      } else {
        throw MonitoringErrors.sliceNotPredicted(spec, s, table, features, columns);
      }
    }
    return out;
  }

  /**
   * The rows of each day, version and group (the whole day, then each value of each slice column),
   * with how many are labelled and how many labels are neither 0 nor 1; one Spark job.
   */
  static List<GroupCount> counts(Dataset<Row> labelled, List<String> sliceNames) {
    List<Column> groups = new ArrayList<>(List.of(struct(lit(PartitionPerformance.ALL).as("c"),
        lit(PartitionPerformance.ALL).as("v"))));
    for (int i = 0; i < sliceNames.size(); i++) {
      groups.add(struct(lit(sliceNames.get(i)).as("c"), col(slice(i)).as("v")));
    }
    Column label = col(LABEL);
    List<GroupCount> out = new ArrayList<>();
    SparkJobs.described(labelled.sparkSession(), "performance: rows and labels per day and slice", () -> labelled
        .select(col(PARTITION), col(VERSION), label, explode(array(groups.toArray(Column[]::new))).as("g"))
        .groupBy(col(PARTITION), col(VERSION), col("g.c"), col("g.v"))
        .agg(count(lit(1)), count(label), sum(when(label.isNotNull().and(not(label.isin(0.0, 1.0))), 1L)
            .otherwise(0L)))
        .collectAsList()).forEach(r -> out.add(new GroupCount(r.getString(0), r.getInt(1), r.getString(2), r.getString(3),
            r.getLong(4), r.getLong(5), r.getLong(6))));
    return out;
  }

  /**
   * The counts of one group.
   *
   * @param partition the day
   * @param version the version that scored the rows
   * @param column the slice column, or {@link PartitionPerformance#ALL}
   * @param value the slice value, or {@link PartitionPerformance#ALL}
   * @param rows the rows
   * @param labelled those whose label is known
   * @param badLabels labels neither 0 nor 1
   */
  record GroupCount(String partition, int version, String column, String value, long rows, long labelled, long badLabels) {}
}
