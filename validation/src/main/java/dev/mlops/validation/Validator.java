package dev.mlops.validation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.MetricCheck;
import dev.mlops.validation.checks.Reading;
import dev.mlops.validation.checks.RowCheck;
import dev.mlops.validation.profiles.ProfileKey;
import dev.mlops.validation.profiles.ProfileStore;
import dev.mlops.validation.sketches.HllState;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Runs a {@link Suite} on a table (or one partition of it): every metric in one pass
 * ({@link AnalysisRunner}), the checks, anomaly rules against the metric history, quarantine of
 * failing rows, then the results appended to {@code validation.metrics},
 * {@code validation.check_results} and {@code validation.profiles} and the report written under
 * the warehouse's reports folder. Thread-safe as far as the session is.
 */
public final class Validator {
  private final Warehouse warehouse;
  private final Clock clock;

  public Validator(Warehouse warehouse, Clock clock) {
    this.warehouse = warehouse;
    this.clock = clock;
  }

  /**
   * Validates {@code suite.table()}, or {@code partition} of it.
   *
   * @param partition the slice to validate, or null for the whole table
   */
  public ValidationResult validate(Suite suite, Partition partition, JobRun run) {
    TableName table = suite.table();
    if (!warehouse.exists(table)) {
      throw ValidationErrors.tableMissing(table, suite.source(), warehouse.config().warehouse().uri());
    }
    TableVersion version = warehouse.current(table);
    run.input(version);
    Dataset<Row> all = warehouse.read(version);
    Dataset<Row> data = all.where(scope(table, all, partition));
    Set<String> columns = new java.util.HashSet<>(List.of(data.columns()));
    Plan plan = plan(suite, all, columns);
    long reference = partition != null && partition.date().isPresent()
        ? micros(partition.date().get().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()) : micros(clock.instant());
    AnalysisResult analysis = AnalysisRunner.run(data, plan.analyzers(), reference);

    List<CheckResult> results = new ArrayList<>();
    for (Check c : suite.checks()) {
      results.add(c.evaluate(analysis));
    }
    for (String c : suite.profile()) {
      if (!columns.contains(c)) {
        results.add(new CheckResult("profile(" + c + ")", "profile", Severity.ERROR, CheckStatus.ERROR, "-",
            "column " + c + " to profile", "column " + c + " not found (columns: " + String.join(", ", data.columns()) + ")", -1));
      }
    }
    List<Metric> metrics = metrics(suite, analysis);
    String partitionText = partition == null ? "" : partition.toString();
    String partitionKey = partition == null ? "" : partition.column();
    if (suite.anomalies() != null) {
      results.addAll(new AnomalyDetector(suite.anomalies()).judge(metrics, history(table, partitionKey, run.runId(),
          suite.anomalies().history())));
    }

    long rows = (long) analysis.outcome(new dev.mlops.validation.analyzers.Size()).value();
    long quarantined = quarantine(suite, version, data, plan, analysis, results, run);
    String base = warehouse.config().warehouse().reportsUri() + "/validation/" + table + "/" + run.runId();
    ValidationResult result = new ValidationResult(suite.source(), version, partition, rows, results, metrics, quarantined,
        base + ".json", base + ".html", run.runId());
    persist(result, analysis, plan.profiled(), suite, partitionText, partitionKey, run);
    org.apache.hadoop.conf.Configuration hadoop = warehouse.spark().sparkContext().hadoopConfiguration();
    ReportWriter.write(result.report(), ReportWriter.toJson(result), hadoop);
    ReportWriter.write(result.htmlReport(), ReportWriter.html(result), hadoop);
    return result;
  }

  /**
   * What the one pass computes.
   *
   * @param analyzers every analyzer: the checks', the quarantine predicate and the profiles'
   * @param quarantining the row checks that quarantine and can run (their columns exist)
   * @param clean the rows that pass all of them, or null when none quarantines
   * @param profiled the sketches of the profiled columns
   */
  private record Plan(Set<Analyzer> analyzers, List<RowCheck> quarantining, Compliance clean,
      List<SketchAnalyzer> profiled) {}

  /** The rows to validate: all of them, or those of {@code partition}, its value read as its column's type. */
  private Column scope(TableName table, Dataset<Row> all, Partition partition) {
    if (partition == null) {
      return lit(true);
    }
    StructField field = java.util.Arrays.stream(all.schema().fields()).filter(f -> f.name().equals(partition.column()))
        .findFirst().orElseThrow(() -> ValidationErrors.partitionColumnMissing(table, partition, List.of(all.columns())));
    Row cast = warehouse.spark().range(1).select(lit(partition.value()).cast("string").as("v"))
        .selectExpr("try_cast(v AS " + field.dataType().sql() + ")").first();
    if (cast.isNullAt(0)) {
      throw ValidationErrors.partitionValueMistyped(table, partition,
          field.dataType().sql().toLowerCase(java.util.Locale.ROOT));
    }
    return col(Identifiers.quote(field.name())).equalTo(lit(cast.get(0)));
  }

  /**
   * The {@link Plan} of {@code suite} over rows with {@code columns}. Quarantine checks that cannot
   * run (a missing column) are errors in the report, not filters.
   */
  private static Plan plan(Suite suite, Dataset<Row> all, Set<String> columns) {
    List<RowCheck> quarantining = suite.checks().stream().filter(c -> c instanceof RowCheck r && r.quarantine())
        .map(RowCheck.class::cast).filter(c -> columns.containsAll(c.compliance().inputs())).toList();
    Set<Analyzer> analyzers = new LinkedHashSet<>();
    suite.checks().forEach(c -> analyzers.addAll(c.analyzers()));
    Compliance clean = quarantining.isEmpty() ? null : new Compliance("quarantine",
        String.join(" AND ", quarantining.stream().map(c -> "(" + c.compliance().predicate() + ")").toList()),
        quarantining.stream().flatMap(c -> c.compliance().inputs().stream()).distinct().toList());
    if (clean != null) {
      analyzers.add(clean);
    }
    List<SketchAnalyzer> profiled = profileAnalyzers(suite, all);
    analyzers.addAll(profiled);
    return new Plan(analyzers, quarantining, clean, profiled);
  }

  /**
   * Moves the rows that a quarantining check failed to the table's quarantine table, when a check
   * asks for it; how many rows moved.
   */
  private long quarantine(Suite suite, TableVersion version, Dataset<Row> data, Plan plan, AnalysisResult analysis,
      List<CheckResult> results, JobRun run) {
    if (results.stream().noneMatch(r -> r.status() == CheckStatus.QUARANTINED)) {
      return 0;
    }
    Compliance clean = plan.clean();
    if (analysis.outcome(clean).failed()) { // a quarantine predicate Spark could not resolve
      throw ValidationErrors.quarantineNotComputed(version.table(), plan.quarantining().stream()
          .filter(c -> analysis.outcome(c.compliance()).failed())
          .map(c -> c.name() + ": " + analysis.outcome(c.compliance()).failure()).findFirst()
          .orElse(analysis.outcome(clean).failure()), suite.source());
    }
    long rows = (long) analysis.outcome(new dev.mlops.validation.analyzers.Size()).value();
    Quarantine.move(warehouse, version, data, plan.quarantining(), run);
    return rows - analysis.outcome(clean).rows();
  }

  /** The sketches kept for each profiled column: numeric, quantiles and distinct count; others, top values and distinct count. */
  private static List<SketchAnalyzer> profileAnalyzers(Suite suite, Dataset<Row> data) {
    List<SketchAnalyzer> out = new ArrayList<>();
    for (String c : suite.profile()) {
      StructField f = java.util.Arrays.stream(data.schema().fields()).filter(x -> x.name().equals(c)).findFirst().orElse(null);
      if (f != null && f.dataType() instanceof NumericType) {
        out.add(SketchAnalyzer.quantiles(c));
      } else {
        out.add(SketchAnalyzer.topValues(c));
      }
      out.add(SketchAnalyzer.distinct(c));
    }
    return out;
  }

  /** The numbers of the run: every computed value, distinct estimates, and each quantile a check asked for. */
  private static List<Metric> metrics(Suite suite, AnalysisResult analysis) {
    List<Metric> out = new ArrayList<>();
    for (Map.Entry<Analyzer, Outcome> e : analysis.outcomes().entrySet()) {
      Analyzer a = e.getKey();
      Outcome o = e.getValue();
      if (o.failed()) {
        continue;
      }
      if (a instanceof Compliance c) {
        out.add(new Metric("compliance", c.name(), o.value()));
      } else if (o.state() instanceof HllState h) {
        out.add(new Metric(a.name(), a.column(), h.estimate()));
      } else if (o.state() == null) {
        out.add(new Metric(a.name(), a.column(), o.value()));
      }
    }
    for (Check c : suite.checks()) {
      if (c instanceof MetricCheck m && m.reading() instanceof Reading.Quantile q && !analysis.outcome(m.analyzer()).failed()) {
        out.add(new Metric("quantile_" + dev.mlops.validation.checks.Checks.number(q.q()), m.analyzer().column(),
            q.read(analysis.outcome(m.analyzer()))));
      }
    }
    return out;
  }

  /** Earlier values of each metric of {@code table} (same partition column), most recent first. */
  private Map<String, List<Double>> history(TableName table, String partitionKey, String runId, int limit) {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    if (!warehouse.exists(ValidationTables.METRICS)) {
      return out;
    }
    // Only the last `limit` values of each metric reach the driver, however long the history.
    org.apache.spark.sql.expressions.WindowSpec latestFirst = org.apache.spark.sql.expressions.Window
        .partitionBy("analyzer", "column").orderBy(col("computed_at").desc());
    List<Row> rows = warehouse.read(ValidationTables.METRICS)
        .where(col("table_name").equalTo(table.toString()).and(col("partition_key").equalTo(partitionKey))
            .and(col("run_id").notEqual(runId)))
        .withColumn("_rank", org.apache.spark.sql.functions.row_number().over(latestFirst))
        .where(col("_rank").leq(limit))
        .select("analyzer", "column", "value").orderBy(col("analyzer"), col("column"), col("_rank")).collectAsList();
    for (Row r : rows) {
      out.computeIfAbsent(r.getString(0) + "(" + r.getString(1) + ")", k -> new ArrayList<>()).add(r.getDouble(2));
    }
    return out;
  }

  private void persist(ValidationResult result, AnalysisResult analysis, List<SketchAnalyzer> profiled, Suite suite,
      String partition, String partitionKey, JobRun run) {
    Timestamp now = Timestamp.from(clock.instant());
    String table = result.validated().table().toString();
    List<Row> metricRows = new ArrayList<>();
    for (Metric m : result.metrics()) {
      if (!Double.isNaN(m.value())) {
        metricRows.add(RowFactory.create(table, partition, partitionKey, m.analyzer(), m.column(), m.value(), run.runId(), now));
      }
    }
    List<Row> checkRows = new ArrayList<>();
    for (CheckResult c : result.results()) {
      checkRows.add(RowFactory.create(table, partition, suite.source(), c.check(), c.type(), c.severity().label(),
          c.status().label(), c.observed(), c.expected(), c.message(), c.failingRows(), run.runId(), now));
    }
    List<Row> profileRows = new ArrayList<>();
    Set<Analyzer> seen = new LinkedHashSet<>(profiled);
    analysis.outcomes().forEach((a, o) -> {
      if (o.state() != null) {
        seen.add(a);
      }
    });
    Partition validated = result.partition();
    ProfileKey key = validated == null ? ProfileKey.whole(result.validated().table(), result.validated().version())
        : ProfileKey.partition(result.validated().table(), result.validated().version(), validated.column(), validated.value());
    for (Analyzer a : seen) {
      Outcome o = analysis.outcome(a);
      if (o.state() != null) {
        profileRows.add(ProfileStore.row(key, a.column(), o.state(), run, now));
      }
    }
    write(metricRows, ValidationTables.METRICS_SCHEMA, ValidationTables.METRICS, run);
    write(checkRows, ValidationTables.CHECK_RESULTS_SCHEMA, ValidationTables.CHECK_RESULTS, run);
    if (!profileRows.isEmpty()) {
      run.output(warehouse.write(warehouse.spark().createDataFrame(profileRows, ValidationTables.PROFILES_SCHEMA),
          ValidationTables.PROFILES).mergingSchema().commitInfo(run.commitInfo()).commit());
    }
  }

  private void write(List<Row> rows, org.apache.spark.sql.types.StructType schema, TableName table, JobRun run) {
    if (!rows.isEmpty()) {
      run.output(warehouse.write(warehouse.spark().createDataFrame(rows, schema), table).commitInfo(run.commitInfo()).commit());
    }
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }
}
