package dev.mlops.monitoring.performance;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.performance.LabelledRows.GroupCount;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.evaluation.SliceMetrics;
import dev.mlops.training.registry.ModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.ModelSpec;
import dev.mlops.training.spec.ModelSpec.MonitoringSpec;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code mlops monitor performance}: the realized performance of the rows a model's Production
 * version served ({@code predictions.<model>}, role {@code production}), per day and per value of
 * each of the spec's slice columns, once their labels have arrived, judged against the test
 * figures of the version that scored them; written to {@code monitoring.performance}, with an
 * alert per degraded day and slice value sent to the {@link AlertSink}s.
 *
 * <p>Only the labels that arrived by the as-of time count, so a judgement never uses a label that
 * was not known then. A day is PENDING until its labels are complete (its end plus the spec's
 * {@code label-delay}), never OK. The metrics are {@link BinaryEvaluator}'s, those of training.
 * See {@code docs/TRAINING.md}, section "Performance monitoring".
 *
 * <p>Not thread-safe (one per run).
 */
public final class PerformanceMonitor {
  /** The predictions' partition column. */
  static final String SCORE_DATE = "score_date";
  /** Joins a day and a slice value in the evaluator's group columns. */
  private static final String SEPARATOR = "\u001f";
  private static final String GROUP = "__group";

  private final Warehouse warehouse;
  private final ModelRegistry registry;
  private final List<AlertSink> sinks;
  private final Clock clock;

  /**
   * A monitor.
   *
   * @param sinks where the alerts go; the first one's answer says which alerts are new
   * @param clock the default as-of time and the results' computation time
   */
  public PerformanceMonitor(Warehouse warehouse, ModelRegistry registry, List<AlertSink> sinks, Clock clock) {
    this.warehouse = warehouse;
    this.registry = registry;
    this.sinks = List.copyOf(sinks);
    this.clock = clock;
  }

  /** The performance of {@code spec}'s model on the days {@code first} to {@code last}, as of now. */
  public PerformanceReport measure(LoadedSpec spec, LocalDate first, LocalDate last, JobRun run) {
    return measure(spec, first, last, clock.instant(), run);
  }

  /**
   * The performance of {@code spec}'s model on the days {@code first} to {@code last} with the labels
   * that arrived by {@code asOf}.
   *
   * @throws dev.mlops.core.config.ConfigException naming the spec file and key when the spec has no
   *     {@code monitoring.labels}, or its labels or slices cannot be read from the data
   * @throws dev.mlops.core.PlatformException when the model has no Production version, or a day has
   *     no Production rows
   */
  public PerformanceReport measure(LoadedSpec spec, LocalDate first, LocalDate last, Instant asOf, JobRun run) {
    ModelSpec s = spec.spec();
    MonitoringSpec monitoring = s.monitoring();
    if (monitoring == null || monitoring.labels() == null) {
      throw MonitoringErrors.labelsMissing(spec);
    }
    List<String> days = days(first, last);
    registry.inStage(s.name(), Stage.PRODUCTION).orElseThrow(() ->
        MonitoringErrors.noProductionVersion(s.name(), registry.versionsText(s.name())));
    TableVersion table = warehouse.current(new TableName("predictions", s.name()));
    run.input(table);
    Dataset<Row> served = warehouse.read(table).where(col("role").equalTo("production")
        .and(col(SCORE_DATE).between(Date.valueOf(first), Date.valueOf(last))));
    List<String> matured = days.stream().filter(d -> matured(d, monitoring, asOf)).toList();
    PerformanceJudge judge = new PerformanceJudge(s.monitoredMetric(), monitoring.maxDrop());
    Dataset<Row> rows = LabelledRows.of(warehouse, spec, table.table().toString(), served, matured, asOf, run)
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<PartitionPerformance> results;
    try {
      List<GroupCount> counts = LabelledRows.counts(rows, s.slices());
      check(spec, table, days, counts);
      results = judged(s.name(), rows, counts, days, matured, judge, s.slices());
    } finally {
      rows.unpersist();
    }
    List<Alert> alerts = alerts("model " + s.name(), results, judge);
    PerformanceReport report = new PerformanceReport(s.name(), judge.metric(), judge.maxDrop(), monitoring.delay(),
        monitoring.labels().unlabelled(), asOf, table, days, results, alerts, List.of(), clock.instant());
    new PerformanceTable(warehouse).write(report, run);
    List<Alert> fresh = AlertSink.deliverAll(sinks, alerts, run);
    return new PerformanceReport(report.model(), report.metric(), report.maxDrop(), report.labelDelay(), report.unlabelled(),
        asOf, table, days, results, alerts, fresh, report.computedAt());
  }

  /**
   * The performance of the days of {@code spec}'s model that matured by {@code asOf} and have no
   * matured figures in {@code monitoring.performance} yet: what a nightly run measures besides the
   * day it scored, so that each served day is judged once its labels are complete. Only days with
   * Production rows count; each run of consecutive days is measured as a range. A report of no days
   * when none is due.
   */
  public PerformanceReport measureMatured(LoadedSpec spec, Instant asOf, JobRun run) {
    ModelSpec s = spec.spec();
    MonitoringSpec monitoring = s.monitoring();
    if (monitoring == null || monitoring.labels() == null) {
      throw MonitoringErrors.labelsMissing(spec);
    }
    TableVersion table = warehouse.current(new TableName("predictions", s.name()));
    Set<String> measured = new PerformanceTable(warehouse).maturedDays(s.name());
    List<LocalDate> due = warehouse.read(table).where(col("role").equalTo("production")).select(SCORE_DATE).distinct()
        .collectAsList().stream().map(r -> r.getDate(0).toLocalDate())
        .filter(d -> matured(d.toString(), monitoring, asOf) && !measured.contains(d.toString())).sorted().toList();
    List<PerformanceReport> reports = new ArrayList<>();
    for (List<LocalDate> days : consecutive(due)) {
      reports.add(measure(spec, days.get(0), days.get(days.size() - 1), asOf, run));
    }
    if (reports.isEmpty()) {
      run.input(table);
      return new PerformanceReport(s.name(), s.monitoredMetric(), monitoring.maxDrop(), monitoring.delay(),
          monitoring.labels().unlabelled(), asOf, table, List.of(), List.of(), List.of(), List.of(), clock.instant());
    }
    return PerformanceReport.joined(reports);
  }

  /** {@code days} (in order) cut into runs of consecutive days. */
  static List<List<LocalDate>> consecutive(List<LocalDate> days) {
    List<List<LocalDate>> runs = new ArrayList<>();
    for (LocalDate d : days) {
      List<LocalDate> last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last == null || !last.get(last.size() - 1).plusDays(1).equals(d)) {
        last = new ArrayList<>();
        runs.add(last);
      }
      last.add(d);
    }
    return runs;
  }

  /** Whether every label of {@code day} has arrived by {@code asOf}: the day's end plus the delay. */
  static boolean matured(String day, MonitoringSpec monitoring, Instant asOf) {
    Instant complete = LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(monitoring.delay());
    return !complete.isAfter(asOf);
  }

  /** Fails on labels other than 0/1, a day without rows, or a day with too many values of a slice. */
  private static void check(LoadedSpec spec, TableVersion table, List<String> days, List<GroupCount> counts) {
    long bad = counts.stream().filter(c -> c.column().equals(PartitionPerformance.ALL)).mapToLong(GroupCount::badLabels).sum();
    if (bad > 0) {
      throw MonitoringErrors.badLabels(spec, spec.spec().monitoring().labels().label(), bad);
    }
    List<String> empty = days.stream().filter(d -> counts.stream().noneMatch(c -> c.partition().equals(d))).toList();
    if (!empty.isEmpty()) {
      throw MonitoringErrors.noPredictions(spec.spec().name(), table.table().toString(), empty);
    }
    Map<List<String>, Long> values = new HashMap<>();
    counts.forEach(c -> values.merge(List.of(c.partition(), c.column()), 1L, Long::sum));
    values.forEach((dayColumn, n) -> {
      if (!dayColumn.get(1).equals(PartitionPerformance.ALL) && n > BinaryEvaluator.MAX_SLICE_VALUES) {
        throw MonitoringErrors.tooManySliceValues(spec, dayColumn.get(1), dayColumn.get(0), n,
            BinaryEvaluator.MAX_SLICE_VALUES);
      }
    });
  }

  /** Every group's figures, judged: per day and version, the whole day, then each slice value in order. */
  private List<PartitionPerformance> judged(String model, Dataset<Row> rows, List<GroupCount> counts, List<String> days,
      List<String> matured, PerformanceJudge judge, List<String> slices) {
    Map<Integer, List<GroupCount>> byVersion = new TreeMap<>();
    counts.forEach(c -> byVersion.computeIfAbsent(c.version(), v -> new ArrayList<>()).add(c));
    Map<List<String>, BinaryMetrics> metrics = new HashMap<>();
    Map<Integer, TrainingFigures> figures = new HashMap<>();
    for (Map.Entry<Integer, List<GroupCount>> e : byVersion.entrySet()) {
      ModelVersion version = registry.version(model, e.getKey());
      figures.put(e.getKey(), TrainingFigures.of(version, judge.metric()));
      for (List<String> chunk : chunks(e.getValue(), days)) {
        metrics.putAll(evaluate(rows, version, chunk, slices));
      }
    }
    Comparator<GroupCount> order = Comparator.comparing((GroupCount c) -> !c.column().equals(PartitionPerformance.ALL))
        .thenComparing(c -> slices.indexOf(c.column())).thenComparing(GroupCount::value);
    List<PartitionPerformance> out = new ArrayList<>();
    for (String day : days) {
      counts.stream().filter(c -> c.partition().equals(day)).sorted(Comparator.comparingInt(GroupCount::version)
          .thenComparing(order)).forEach(c -> {
            BinaryMetrics m = metrics.get(List.of(day, String.valueOf(c.version()), c.column(), c.value()));
            long positives = m == null ? 0 : m.positives();
            double value = m == null ? Double.NaN : m.metric(judge.metric());
            double training = figures.get(c.version()).of(c.column(), c.value());
            boolean ripe = matured.contains(day);
            out.add(new PartitionPerformance(day, c.version(), c.column(), c.value(), c.rows(), c.labelled(), positives, ripe,
                judge.metric(), value, training, judge.judge(ripe, positives, c.labelled() - positives, value, training)));
          });
    }
    return out;
  }

  /**
   * The days of one version's groups cut so that no group column given to the evaluator has more
   * values than it accepts: the days themselves, and for each slice column the values of all days.
   */
  private static List<List<String>> chunks(List<GroupCount> counts, List<String> days) {
    Map<String, Map<String, Integer>> valuesByDay = new LinkedHashMap<>();
    for (GroupCount c : counts) {
      if (c.labelled() > 0 && !c.column().equals(PartitionPerformance.ALL)) {
        valuesByDay.computeIfAbsent(c.partition(), d -> new HashMap<>()).merge(c.column(), 1, Integer::sum);
      }
    }
    List<List<String>> chunks = new ArrayList<>();
    List<String> chunk = new ArrayList<>();
    Map<String, Integer> sizes = new HashMap<>();
    for (String day : days) {
      if (counts.stream().noneMatch(c -> c.partition().equals(day) && c.labelled() > 0)) {
        continue; // nothing labelled: nothing to evaluate
      }
      Map<String, Integer> values = valuesByDay.getOrDefault(day, Map.of());
      boolean fits = chunk.size() < BinaryEvaluator.MAX_SLICE_VALUES && values.entrySet().stream()
          .allMatch(v -> sizes.getOrDefault(v.getKey(), 0) + v.getValue() <= BinaryEvaluator.MAX_SLICE_VALUES);
      if (!fits) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        sizes.clear();
      }
      chunk.add(day);
      values.forEach((column, n) -> sizes.merge(column, n, Integer::sum));
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  /**
   * The metrics of {@code version}'s labelled rows on {@code days}, at its threshold, in one
   * evaluation: each day and each day's slice value is a slice of the evaluator's, keyed by day,
   * version, slice column and value.
   */
  private static Map<List<String>, BinaryMetrics> evaluate(Dataset<Row> rows, ModelVersion version, List<String> days,
      List<String> slices) {
    Column day = col(LabelledRows.PARTITION);
    List<Column> columns = new ArrayList<>(List.of(col(LabelledRows.LABEL), col(LabelledRows.SCORE), day.as(GROUP)));
    List<String> groups = new ArrayList<>(List.of(GROUP));
    for (int i = 0; i < slices.size(); i++) {
      columns.add(concat(day, lit(SEPARATOR), col(LabelledRows.slice(i))).as(GROUP + i));
      groups.add(GROUP + i);
    }
    Dataset<Row> labelled = rows.where(col(LabelledRows.LABEL).isNotNull()
        .and(col(LabelledRows.VERSION).equalTo(version.version())).and(day.isin(days.toArray())))
        .select(columns.toArray(Column[]::new));
    Evaluation evaluation = new BinaryEvaluator(LabelledRows.LABEL, LabelledRows.SCORE)
        .evaluate(labelled, version.threshold(), groups);
    Map<List<String>, BinaryMetrics> out = new HashMap<>();
    String v = String.valueOf(version.version());
    for (SliceMetrics m : evaluation.slices()) {
      if (m.column().equals(GROUP)) {
        out.put(List.of(m.value(), v, PartitionPerformance.ALL, PartitionPerformance.ALL), m.metrics());
      } else {
        int cut = m.value().indexOf(SEPARATOR);
        String slice = slices.get(Integer.parseInt(m.column().substring(GROUP.length())));
        out.put(List.of(m.value().substring(0, cut), v, slice, m.value().substring(cut + 1)), m.metrics());
      }
    }
    return out;
  }

  /** One alert per degraded day and slice value. */
  private static List<Alert> alerts(String subject, List<PartitionPerformance> results, PerformanceJudge judge) {
    List<Alert> out = new ArrayList<>();
    for (PartitionPerformance p : results) {
      if (p.status() == PerformanceStatus.DEGRADED) {
        String what = p.overall() ? "" : " of " + p.sliceColumn() + "=" + p.sliceValue();
        out.add(Alert.of(subject, p.partition(), p.subjectColumn(), p.metric(), p.value(), judge.threshold(p.trainingValue()),
            Alert.Severity.ALERT, String.format(Locale.ROOT, "%s: %s%s on %s is %.4f, %.4f %s v%d's test figure %.4f"
                + " (tolerated: %.4f); %d rows, %.0f%% labelled", subject, p.metric(), what, p.partition(), p.value(),
                Math.abs(p.change()), p.change() < 0 ? "below" : "above", p.modelVersion(), p.trainingValue(),
                judge.maxDrop(), p.rows(), 100 * p.labelCoverage())));
      }
    }
    return out;
  }

  /** The days {@code first} to {@code last} as partition values ({@code 2026-11-01}). */
  private static List<String> days(LocalDate first, LocalDate last) {
    if (last.isBefore(first)) {
      throw MonitoringErrors.performanceRange(first, last);
    }
    List<String> days = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      days.add(d.toString());
    }
    return days;
  }
}
