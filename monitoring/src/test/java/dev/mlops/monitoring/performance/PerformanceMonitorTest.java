package dev.mlops.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigException;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Json;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.alerts.TableAlertSink;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.evaluation.BinaryEvaluator;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.RecordedSpec;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Realized performance on a hand-made predictions table and fraud-report-like labels (positives
 * only, arriving 1 to 9 days after the transaction, one 25 days after): three days of 100 served
 * rows each, the second with its scores inverted, the third still within the 10-day label delay.
 * The expected figures are {@link BinaryEvaluator}'s on the same rows with the labels known then.
 */
class PerformanceMonitorTest {
  static final String FILE = "conf/models/perf.yaml";
  static final LocalDate D1 = LocalDate.of(2026, 11, 1);
  static final LocalDate D2 = LocalDate.of(2026, 11, 2);
  static final LocalDate D3 = LocalDate.of(2026, 11, 20);
  /** D1 and D2 have matured (their end + 10 days), D3 has not; D1's late label has not arrived. */
  static final Instant A1 = Instant.parse("2026-11-21T12:00:00Z");
  /** D1's late label has arrived; D3 has still not matured. */
  static final Instant A2 = Instant.parse("2026-11-27T12:00:00Z");
  static final String SPEC = """
      name: perf
      feature-service: {name: svc, version: 1}
      spine: {table: raw.perf_spine, keys: [transaction_id], event-time: event_ts, label: is_fraud}
      split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
      algorithm: {type: gbt}
      slices: [channel]
      """;
  static final String MONITORING = """
      monitoring:
        labels:
          query: SELECT transaction_id, reported_ts AS arrived_at, 1 AS label FROM raw.perf_labels
          keys: [transaction_id]
          label: label
          arrived-at: arrived_at
          unlabelled: negative
        label-delay: 10d
        metric: pr_auc
        max-drop: 0.1
      """;

  /** One served row of the fixture; {@code arrival} is null for a negative (no report ever). */
  record Served(long id, LocalDate day, String channel, double score, Instant arrival) {
    boolean knownPositive(Instant asOf) {
      return arrival != null && !arrival.isAfter(asOf);
    }
  }

  @TempDir static Path dir;
  static SparkSession spark;
  static Warehouse warehouse;
  static DeltaModelRegistry registry;
  static RunRecorder runs;
  static LoadedSpec spec;
  static final List<Served> SERVED = new ArrayList<>();
  static double trainingPrAuc;
  static double trainingOnline;
  static String evaluation;

  @BeforeAll
  static void scoreThreeDays() {
    TestPlatform platform = TestPlatform.create(dir);
    spark = platform.spark();
    warehouse = Warehouse.of(spark, platform.config());
    runs = platform.runs(warehouse, Clock.systemUTC());
    registry = new DeltaModelRegistry(warehouse, Clock.systemUTC());
    spec = new ModelSpecLoader(k -> null).parse(SPEC + MONITORING, FILE);
    List<LocalDate> days = List.of(D1, D2, D3);
    for (int d = 0; d < days.size(); d++) {
      for (int i = 0; i < 100; i++) {
        boolean positive = i % 5 == 0;
        double score = positive ? 0.35 + 0.6 * frac(i * 0.618) : 0.05 + 0.6 * frac(i * 0.414);
        Instant event = days.get(d).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(10L * i));
        Instant arrival = !positive ? null : event.plus(Duration.ofDays(d == 0 && i == 0 ? 25 : 1 + i % 9));
        SERVED.add(new Served(1000L * d + i, days.get(d), i % 2 == 0 ? "online" : "pos", days.get(d).equals(D2) ? 1 - score
            : score, arrival));
      }
    }
    writeTables();
    // The version's test figures: a little above D1's as of A1, so that D1 is OK and the inverted D2 is not.
    Evaluation d1 = expected(D1, A1);
    trainingPrAuc = d1.overall().prAuc() + 0.05;
    trainingOnline = d1.slice("channel", "online").orElseThrow().metrics().prAuc() + 0.03;
    double trainingPos = d1.slice("channel", "pos").orElseThrow().metrics().prAuc() + 0.03;
    evaluation = Json.write(Map.of("slices", List.of(
        Map.of("column", "channel", "value", "online", "metrics", Map.of("pr_auc", trainingOnline)),
        Map.of("column", "channel", "value", "pos", "metrics", Map.of("pr_auc", trainingPos)))));
    inProduction("perf");
  }

  /** Registers a version of {@code model} with the fixture's test figures and puts it in Production. */
  static void inProduction(String model) {
    ModelVersion v = run(r -> registry.register(ModelVersion.builder().model(model).runId("r1").createdBy("tester")
        .createdAt(Instant.parse("2026-10-30T00:00:00Z")).algorithm("gbt").seed(42L).threshold(0.5)
        .metrics(Map.of("pr_auc", trainingPrAuc, "roc_auc", 0.9)).evaluation(evaluation)
        .gate(true, "{\"passed\":true,\"champion_version\":null,\"checks\":[]}")
        .trainingSet(new TableVersion(TableName.parse("ml.training_perf"), 0)).featureService("svc", 1)
        .featureColumns(List.of("amount", "channel")).spec(new RecordedSpec(FILE, SPEC, SPEC, "0".repeat(64)))
        .versions("test", spark.version()).artifact("/tmp/perf").build(), r));
    run(r -> registry.transition(model, v.version(), Stage.PRODUCTION, "tester", "performance test", r));
  }

  static double frac(double x) {
    return x - Math.floor(x);
  }

  /** predictions.perf (Production rows and, ignored, shadow rows with other scores) and raw.perf_labels. */
  static void writeTables() {
    StructType features = new StructType().add("amount", DataTypes.DoubleType).add("channel", DataTypes.StringType);
    StructType predictions = new StructType().add("transaction_id", DataTypes.LongType)
        .add("event_ts", DataTypes.TimestampType).add("score", DataTypes.DoubleType).add("predicted_label", DataTypes.IntegerType)
        .add("model_version", DataTypes.IntegerType).add("role", DataTypes.StringType).add("features", features)
        .add("score_date", DataTypes.DateType);
    List<Row> rows = new ArrayList<>();
    List<Row> labels = new ArrayList<>();
    for (Served s : SERVED) {
      Timestamp event = Timestamp.from(s.day().atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(600 * (s.id() % 1000)));
      Row f = RowFactory.create((double) (s.id() % 1000), s.channel());
      rows.add(RowFactory.create(s.id(), event, s.score(), s.score() >= 0.5 ? 1 : 0, 1, "production", f, Date.valueOf(s.day())));
      rows.add(RowFactory.create(s.id(), event, 0.5, 1, 2, "shadow", f, Date.valueOf(s.day())));
      if (s.arrival() != null) {
        labels.add(RowFactory.create(s.id(), Timestamp.from(s.arrival())));
      }
    }
    run(r -> warehouse.write(spark.createDataFrame(rows, predictions).repartition(3), TableName.parse("predictions.perf"))
        .partitionBy("score_date").commit());
    run(r -> warehouse.write(spark.createDataFrame(labels, new StructType().add("transaction_id", DataTypes.LongType)
        .add("reported_ts", DataTypes.TimestampType)), TableName.parse("raw.perf_labels")).commit());
  }

  /** BinaryEvaluator on {@code day}'s served rows, labelled 1 when their report arrived by {@code asOf}, else 0. */
  static Evaluation expected(LocalDate day, Instant asOf) {
    List<Row> rows = SERVED.stream().filter(s -> s.day().equals(day))
        .map(s -> RowFactory.create(s.knownPositive(asOf) ? 1 : 0, s.score(), s.channel())).toList();
    Dataset<Row> frame = spark.createDataFrame(rows, new StructType().add("label", DataTypes.IntegerType)
        .add("score", DataTypes.DoubleType).add("channel", DataTypes.StringType));
    return new BinaryEvaluator("label", "score").evaluate(frame, 0.5, List.of("channel"));
  }

  static long arrivedPositives(LocalDate day, Instant asOf) {
    return SERVED.stream().filter(s -> s.day().equals(day) && s.knownPositive(asOf)).count();
  }

  static <T> T run(Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }

  static PerformanceReport measure(LoadedSpec spec, LocalDate first, LocalDate last, Instant asOf, List<AlertSink> sinks) {
    return run(r -> new PerformanceMonitor(warehouse, registry, sinks, Clock.fixed(asOf, ZoneOffset.UTC))
        .measure(spec, first, last, r));
  }

  /** The nightly catch-up: each served day is measured once, the first run after its labels complete. */
  @Test
  void maturedMeasuresEachServedDayOnceAfterItsLabelsCompleted() {
    // The same served rows under another model, which the other tests' runs have not measured.
    run(r -> warehouse.write(warehouse.read(TableName.parse("predictions.perf")), TableName.parse("predictions.perf_late"))
        .partitionBy("score_date").commit());
    inProduction("perf_late");
    LoadedSpec late = new ModelSpecLoader(k -> null).parse(SPEC.replace("name: perf\n", "name: perf_late\n")
        + MONITORING, FILE);
    Function<Instant, PerformanceReport> night = asOf -> run(r -> new PerformanceMonitor(warehouse, registry, List.of(),
        Clock.fixed(asOf, ZoneOffset.UTC)).measureMatured(late, asOf, r));

    PerformanceReport first = night.apply(A1);
    assertThat(first.partitions()).as("D1 and D2 matured by A1, D3 not").containsExactly(D1.toString(), D2.toString());
    assertThat(first.overall()).allSatisfy(p -> assertThat(p.matured()).isTrue());
    assertThat(first.overall(D2.toString()).orElseThrow().status()).isEqualTo(PerformanceStatus.DEGRADED);
    assertThat(night.apply(A2).partitions()).as("nothing new matured by A2").isEmpty();
    Instant d3Complete = D3.plusDays(11).atStartOfDay(ZoneOffset.UTC).toInstant();
    assertThat(night.apply(d3Complete.minusSeconds(1)).partitions()).as("a second before D3 completes").isEmpty();
    assertThat(night.apply(d3Complete).partitions()).containsExactly(D3.toString());
    assertThat(new PerformanceTable(warehouse).maturedDays("perf_late")).as("each day measured matured once")
        .containsExactlyInAnyOrder(D1.toString(), D2.toString(), D3.toString());
  }

  @Test
  void aMaturedDayHasTheEvaluatorsMetricsOfItsProductionRowsWithTheLabelsKnownThen() {
    PerformanceReport report = measure(spec, D1, D1, A1, List.of());
    Evaluation expected = expected(D1, A1);
    PartitionPerformance day = report.overall(D1.toString()).orElseThrow();
    assertThat(day.rows()).as("the Production rows only, not the shadow's").isEqualTo(100);
    assertThat(day.matured()).as("D1 ended 19.5 days before A1, the delay is 10").isTrue();
    assertThat(day.labelled()).as("unlabelled: negative: every row of a matured day is labelled").isEqualTo(100);
    assertThat(day.labelCoverage()).as("coverage").isEqualTo(1.0);
    assertThat(day.positives()).as("the reports arrived by A1").isEqualTo(arrivedPositives(D1, A1)).isEqualTo(19);
    assertThat(day.value()).as("pr_auc, as the evaluator computes it on the same rows").isEqualTo(expected.overall().prAuc());
    assertThat(day.trainingValue()).as("the version's test pr_auc").isEqualTo(trainingPrAuc);
    assertThat(day.change()).as("change").isEqualTo(expected.overall().prAuc() - trainingPrAuc);
    assertThat(day.status()).as("0.05 below the test figure, within max-drop 0.1").isEqualTo(PerformanceStatus.OK);
    for (String channel : List.of("online", "pos")) {
      PartitionPerformance slice = report.slice(D1.toString(), "channel", channel).orElseThrow();
      assertThat(slice.rows()).as(channel + " rows").isEqualTo(50);
      assertThat(slice.value()).as(channel + " pr_auc, read from the features struct")
          .isEqualTo(expected.slice("channel", channel).orElseThrow().metrics().prAuc());
      assertThat(slice.status()).as(channel + " status").isEqualTo(PerformanceStatus.OK);
    }
    assertThat(report.slice(D1.toString(), "channel", "online").orElseThrow().trainingValue())
        .as("a slice value is compared with its own test figure").isEqualTo(trainingOnline);
    assertThat(report.points()).as("one point per day for the report")
        .containsExactly(new PerformancePoint(D1.toString(), 1.0, "pr_auc", expected.overall().prAuc(), PerformanceStatus.OK));
  }

  @Test
  void aDayWithinTheLabelDelayIsPendingWithItsPartialCoverageAndLaterLabelsAreNotUsed() {
    PerformanceReport atA1 = measure(spec, D3, D3, A1, List.of());
    PartitionPerformance pending = atA1.overall(D3.toString()).orElseThrow();
    assertThat(pending.matured()).as("D3 + 1 day + 10 days is after A1").isFalse();
    assertThat(pending.status()).as("never OK before maturity").isEqualTo(PerformanceStatus.PENDING);
    assertThat(pending.labelled()).as("only the reports arrived by A1").isEqualTo(arrivedPositives(D3, A1)).isEqualTo(2);
    assertThat(pending.labelCoverage()).as("partial coverage").isEqualTo(0.02);
    assertThat(atA1.results()).as("slices are pending too").extracting(PartitionPerformance::status)
        .containsOnly(PerformanceStatus.PENDING).hasSize(3);

    PerformanceReport atA2 = measure(spec, D3, D3, A2, List.of());
    assertThat(atA2.overall(D3.toString()).orElseThrow().labelled()).as("more reports by A2")
        .isEqualTo(arrivedPositives(D3, A2)).isGreaterThan(2);

    PartitionPerformance d1AtA1 = measure(spec, D1, D1, A1, List.of()).overall(D1.toString()).orElseThrow();
    PartitionPerformance d1AtA2 = measure(spec, D1, D1, A2, List.of()).overall(D1.toString()).orElseThrow();
    assertThat(d1AtA1.positives()).as("the report that arrives 25 days late is not known at A1").isEqualTo(19);
    assertThat(d1AtA2.positives()).as("but is at A2").isEqualTo(20);
    assertThat(d1AtA2.value()).as("and the metric changes with it").isEqualTo(expected(D1, A2).overall().prAuc())
        .isNotEqualTo(d1AtA1.value());
  }

  @Test
  void withUnknownUnlabelledOnlyArrivedLabelsCountAndPositivesAloneAreInsufficient() {
    LoadedSpec unknown = new ModelSpecLoader(k -> null).parse(SPEC + MONITORING.replace("negative", "unknown"), FILE);
    PartitionPerformance day = measure(unknown, D1, D1, A1, List.of()).overall(D1.toString()).orElseThrow();
    assertThat(day.labelled()).as("the rows whose report arrived").isEqualTo(19);
    assertThat(day.labelCoverage()).as("coverage").isEqualTo(0.19);
    assertThat(day.matured()).as("matured").isTrue();
    assertThat(day.value()).as("no negatives: undefined").isNaN();
    assertThat(day.status()).as("status").isEqualTo(PerformanceStatus.INSUFFICIENT);
  }

  @Test
  void aDegradedDayRaisesItsAlertsOnceAndAReRunDuplicatesNothing() {
    List<AlertSink> sinks = List.of(new TableAlertSink(warehouse, Clock.fixed(A1, ZoneOffset.UTC)));
    PerformanceReport first = measure(spec, D1, D2, A1, sinks);
    PartitionPerformance inverted = first.overall(D2.toString()).orElseThrow();
    assertThat(inverted.status()).as("scores inverted on D2").isEqualTo(PerformanceStatus.DEGRADED);
    assertThat(inverted.value()).as("D2's pr_auc").isEqualTo(expected(D2, A1).overall().prAuc());
    assertThat(first.overall(D1.toString()).orElseThrow().status()).as("D1").isEqualTo(PerformanceStatus.OK);
    List<Alert> overall = first.alerts().stream().filter(a -> a.column().equals("performance")).toList();
    assertThat(overall).as("exactly one alert for the degraded day").hasSize(1);
    Alert alert = overall.get(0);
    assertThat(alert.subject()).isEqualTo("model perf");
    assertThat(alert.partition()).isEqualTo(D2.toString());
    assertThat(alert.metric()).isEqualTo("pr_auc");
    assertThat(alert.value()).isEqualTo(inverted.value());
    assertThat(alert.threshold()).as("the test figure less max-drop").isEqualTo(trainingPrAuc - 0.1);
    assertThat(alert.severity()).isEqualTo(Alert.Severity.ALERT);
    assertThat(first.alerts()).as("and one per degraded slice value, none for D1").extracting(Alert::column)
        .containsExactlyInAnyOrder("performance", "performance:channel=online", "performance:channel=pos");
    assertThat(first.newAlerts()).as("all new").hasSize(3);

    long alertRows = warehouse.read(TableAlertSink.ALERTS).count();
    PerformanceReport again = measure(spec, D1, D2, A1, sinks);
    assertThat(again.alerts()).as("the same findings").hasSize(3);
    assertThat(again.newAlerts()).as("none raised twice").isEmpty();
    assertThat(warehouse.read(TableAlertSink.ALERTS).count()).as("the alerts table keeps one row each").isEqualTo(alertRows);
    List<Row> rows = new PerformanceTable(warehouse).rows("perf", List.of(D1.toString(), D2.toString()));
    assertThat(rows).as("2 days x (the day + 2 channels), once").hasSize(6);
    Row d2 = spark.sql("SELECT model_version, rows, labelled, label_coverage, matured, metric, value, training_value, change,"
        + " status, as_of FROM monitoring.performance WHERE model = 'perf' AND partition = '2026-11-02'"
        + " AND slice_value = '*'").first();
    assertThat(d2.getInt(0)).as("model_version").isEqualTo(1);
    assertThat(d2.getLong(1)).as("rows").isEqualTo(100);
    assertThat(d2.getDouble(3)).as("label_coverage").isEqualTo(1.0);
    assertThat(d2.getBoolean(4)).as("matured").isTrue();
    assertThat(d2.getDouble(6)).as("value").isEqualTo(inverted.value());
    assertThat(d2.getDouble(8)).as("change").isEqualTo(inverted.change());
    assertThat(d2.getString(9)).as("status").isEqualTo("DEGRADED");
    assertThat(d2.getTimestamp(10).toInstant()).as("as_of").isEqualTo(A1);
  }

  @Test
  void aSpecWithoutLabelsOrAModelWithoutProductionIsRefusedSayingHowToFixIt() {
    LoadedSpec unlabelled = new ModelSpecLoader(k -> null).parse(SPEC, FILE);
    assertThatThrownBy(() -> measure(unlabelled, D1, D1, A1, List.of())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(FILE + ": monitoring.labels: is missing, so the performance of perf cannot be monitored:")
        .hasMessageContaining("for example monitoring: {labels: {query: \"SELECT transaction_id, reported_ts AS arrived_at,")
        .hasMessageContaining("label-delay: 20d}");
    LoadedSpec nobody = new ModelSpecLoader(k -> null).parse((SPEC + MONITORING).replace("name: perf", "name: nobody"),
        "conf/models/nobody.yaml");
    assertThatThrownBy(() -> measure(nobody, D1, D1, A1, List.of()))
        .hasMessage("Cannot monitor the performance of model nobody: it has no version in Production (it has no versions;"
            + " train it with `mlops train --model nobody`); promote one and score with it first");
    assertThatThrownBy(() -> measure(spec, D1, D3, A1, List.of())).as("days without predictions")
        .hasMessageStartingWith("Cannot monitor the performance of model perf on 2026-11-03, 2026-11-04,")
        .hasMessageEndingWith(": predictions.perf has no production rows those days; score them first (mlops score --model"
            + " perf --date 2026-11-03)");
  }
}
