package dev.mlops.monitoring;

import static org.apache.spark.sql.functions.col;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.drift.DriftResult;
import dev.mlops.monitoring.drift.DriftShare;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.engines.DriftEngine;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.validation.profiles.PartitionProfiler.Kind;
import dev.mlops.validation.profiles.PartitionProfiler.ProfiledColumn;
import dev.mlops.validation.profiles.ProfileKey;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code mlops drift}: the drift of a model's inputs and score, or of a table's columns, per
 * partition (day) against a reference, written to {@code monitoring.drift}, with the alerts it
 * raises sent to the {@link AlertSink}s.
 *
 * <p>For a model: the features its Production version (or a version asked for) uses, read from the
 * {@code features} struct of {@code predictions.<model>} (the rows that version served, role
 * {@code production}), and its score; the reference is by default the version's training set (its
 * pinned Delta version) and, for the score, the version's scores on its test split.
 *
 * <p>Not thread-safe (one per run).
 */
public final class DriftService {
  /** The predictions' partition column. */
  public static final String SCORE_DATE = "score_date";

  private final Warehouse warehouse;
  private final ModelRegistry registry;
  private final DriftEngine engine;
  private final List<AlertSink> sinks;
  private final Clock clock;

  public DriftService(Warehouse warehouse, ModelRegistry registry, DriftEngine engine, List<AlertSink> sinks, Clock clock) {
    this.warehouse = warehouse;
    this.registry = registry;
    this.engine = engine;
    this.sinks = List.copyOf(sinks);
    this.clock = clock;
  }

  /**
   * What to compare with: the default (a model's training set; for a table, nothing, which is an
   * error), a table at a version, or a range of the current table's partitions.
   */
  public sealed interface ReferenceChoice {
    /** The model's training set. */
    record Default() implements ReferenceChoice {}

    /**
     * A whole table.
     *
     * @param version its Delta version, or null for the current one
     */
    record Table(TableName table, Long version) implements ReferenceChoice {}

    /** Days {@code first} to {@code last} of the current table. */
    record Days(LocalDate first, LocalDate last) implements ReferenceChoice {}
  }

  /**
   * The drift of the inputs and score of {@code model}'s Production version for the days
   * {@code first} to {@code last}.
   */
  public DriftReport model(String model, LocalDate first, LocalDate last, ReferenceChoice reference, DriftJudge judge,
      JobRun run) {
    return model(model, null, first, last, reference, judge, run);
  }

  /**
   * The drift of the inputs and score of version {@code version} of {@code model} (its Production
   * version when null) for the days {@code first} to {@code last}: the rows it served, compared by
   * default with its own training set and test scores. A day that another version served is
   * refused, naming that version: it is compared with the reference of the version that served it.
   */
  public DriftReport model(String model, Integer version, LocalDate first, LocalDate last, ReferenceChoice reference,
      DriftJudge judge, JobRun run) {
    ModelVersion v = version != null ? registry.version(model, version)
        : registry.inStage(model, Stage.PRODUCTION).orElseThrow(() ->
            MonitoringErrors.noModelVersion(model, registry.versionsText(model)));
    TableName predictions = TableName.parse("predictions." + model);
    TableVersion table = warehouse.current(predictions);
    run.input(table);
    List<String> days = days(first, last);
    Dataset<Row> served = warehouse.read(table).where(col("role").equalTo("production"));
    requireServedBy(served, v, days);
    Dataset<Row> rows = served.where(col("model_version").equalTo(v.version()));
    Dataset<Row> trainingSet = warehouse.read(v.trainingSet());
    run.input(v.trainingSet());
    List<ProfiledColumn> current = new ArrayList<>();
    List<ProfiledColumn> referenceColumns = new ArrayList<>();
    for (String f : v.featureColumns()) {
      Kind kind = kind(f, trainingSet.schema());
      current.add(new ProfiledColumn(f, col("features").getField(f), kind));
      referenceColumns.add(new ProfiledColumn(f, Identifiers.column(f), kind));
    }
    current.add(new ProfiledColumn("score", col("score"), Kind.NUMERIC));
    ProfileKey trainedOn = ProfileKey.whole(v.trainingSet().table(), v.trainingSet().version());
    Reference ref = reference instanceof ReferenceChoice.Default
        ? new Reference.Whole(List.of(new DriftSide(trainingSet, trainedOn, referenceColumns),
            new DriftSide(warehouse.spark().read().parquet(v.testPredictionsPath()),
                trainedOn.withRows("scores of " + model + " v" + v.version() + " on its test split"),
                List.of(new ProfiledColumn("score", col(ModelFitter.PROBABILITY), Kind.NUMERIC)))))
        : chosen(reference, table, current, run);
    return compare("model " + model, model, v.version(), new DriftInput(table, rows, SCORE_DATE, days, current, ref,
        "role = 'production' AND model_version = " + v.version()), judge, v.featureColumns(), run);
  }

  /** Fails on a day of {@code days} whose production rows another version than {@code v} served, and none {@code v}. */
  private static void requireServedBy(Dataset<Row> served, ModelVersion v, List<String> days) {
    Map<String, List<Integer>> versionsByDay = new LinkedHashMap<>();
    served.where(col(SCORE_DATE).cast("string").isin(days.toArray()))
        .select(col(SCORE_DATE).cast("string"), col("model_version").cast("int")).distinct().collectAsList()
        .forEach(r -> versionsByDay.computeIfAbsent(r.getString(0), d -> new ArrayList<>()).add(r.getInt(1)));
    for (String day : days) {
      List<Integer> versions = versionsByDay.getOrDefault(day, List.of());
      if (!versions.isEmpty() && !versions.contains(v.version())) {
        throw MonitoringErrors.servedByOtherVersions(v.model(), v.version(), SCORE_DATE, day,
            versions.stream().sorted().toList());
      }
    }
  }

  /**
   * The drift of {@code columns} of {@code table} (all numeric and categorical ones when empty) for
   * the days {@code first} to {@code last} of {@code partitionColumn}.
   */
  public DriftReport table(TableName tableName, String partitionColumn, List<String> columns, LocalDate first,
      LocalDate last, ReferenceChoice reference, DriftJudge judge, JobRun run) {
    TableVersion table = warehouse.current(tableName);
    run.input(table);
    Dataset<Row> rows = warehouse.read(table);
    StructType schema = rows.schema();
    if (!List.of(schema.fieldNames()).contains(partitionColumn)) {
      throw MonitoringErrors.partitionColumnMissing(tableName.toString(), partitionColumn, List.of(schema.fieldNames()));
    }
    List<String> names = columns.isEmpty() ? comparable(schema, partitionColumn) : columns;
    List<ProfiledColumn> current = new ArrayList<>();
    for (String c : names) {
      if (!List.of(schema.fieldNames()).contains(c)) {
        throw MonitoringErrors.columnMissing(c, tableName.toString(), List.of(schema.fieldNames()));
      }
      current.add(new ProfiledColumn(c, Identifiers.column(c), kind(c, schema)));
    }
    if (reference instanceof ReferenceChoice.Default) {
      throw MonitoringErrors.referenceMissing(tableName.toString());
    }
    return compare("table " + tableName, null, null, new DriftInput(table, rows, partitionColumn, days(first, last), current,
        chosen(reference, table, current, run)), judge, names, run);
  }

  private Reference chosen(ReferenceChoice choice, TableVersion table, List<ProfiledColumn> columns, JobRun run) {
    if (choice instanceof ReferenceChoice.Days d) {
      return new Reference.Partitions(days(d.first(), d.last()));
    }
    ReferenceChoice.Table t = (ReferenceChoice.Table) choice;
    TableVersion version = t.version() == null ? warehouse.current(t.table()) : new TableVersion(t.table(), t.version());
    run.input(version);
    Dataset<Row> rows = warehouse.read(version);
    List<ProfiledColumn> read = new ArrayList<>();
    for (ProfiledColumn c : columns) {
      if (!List.of(rows.columns()).contains(c.name())) {
        throw MonitoringErrors.referenceColumnMissing(c.name(), version.toString(), List.of(rows.columns()));
      }
      read.add(new ProfiledColumn(c.name(), Identifiers.column(c.name()), c.kind()));
    }
    return new Reference.Whole(List.of(new DriftSide(rows, ProfileKey.whole(version.table(), version.version()), read)));
  }

  private DriftReport compare(String subject, String model, Integer modelVersion, DriftInput input, DriftJudge judge,
      List<String> features, JobRun run) {
    List<ColumnDrift> columns = engine.compare(input, judge, run);
    Map<String, DriftShare> shares = new LinkedHashMap<>();
    for (String partition : input.partitions()) {
      Map<String, DriftResult> worst = new LinkedHashMap<>();
      columns.stream().filter(c -> c.partition().equals(partition) && features.contains(c.column()))
          .forEach(c -> worst.put(c.column(), worstOf(c)));
      shares.put(partition, DriftShare.of(worst, judge.thresholds()));
    }
    List<Alert> alerts = dev.mlops.monitoring.alerts.Alerts.of(subject, columns, shares);
    DriftReport report = new DriftReport(subject, model, modelVersion, input.table(), input.partitionColumn(),
        input.partitions(), input.reference().describe(), engine.name(), columns, shares, alerts, List.of(), clock.instant(),
        null);
    new DriftTable(warehouse).write(report, run);
    List<Alert> fresh = AlertSink.deliverAll(sinks, alerts, run);
    return new DriftReport(subject, model, modelVersion, input.table(), input.partitionColumn(), input.partitions(),
        report.reference(), report.engine(), columns, shares, alerts, fresh, report.computedAt(), null);
  }

  private static DriftResult worstOf(ColumnDrift c) {
    DriftStatus status = c.status();
    return c.results().stream().filter(r -> r.status() == status).findFirst().orElse(c.results().get(0));
  }

  /** The days {@code first} to {@code last} as partition values ({@code 2026-11-01}). */
  static List<String> days(LocalDate first, LocalDate last) {
    if (last.isBefore(first)) {
      throw MonitoringErrors.badRange("the range", first, last);
    }
    List<String> days = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      days.add(d.toString());
    }
    return days;
  }

  /** Every numeric and categorical column of {@code schema} but the partition column. */
  private static List<String> comparable(StructType schema, String partitionColumn) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      if (!f.name().equals(partitionColumn) && (t instanceof NumericType || t instanceof StringType || t instanceof BooleanType)) {
        out.add(f.name());
      }
    }
    return out;
  }

  private static Kind kind(String column, StructType schema) {
    DataType t = schema.apply(column).dataType();
    if (t instanceof NumericType) {
      return Kind.NUMERIC;
    }
    if (t instanceof StringType || t instanceof BooleanType) {
      return Kind.CATEGORICAL;
    }
    throw MonitoringErrors.unsupportedType(column, t.simpleString());
  }
}
