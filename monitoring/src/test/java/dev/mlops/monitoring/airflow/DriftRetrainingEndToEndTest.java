package dev.mlops.monitoring.airflow;

import static dev.mlops.monitoring.airflow.FakeAirflow.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.config.MonitoringConfig;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.DriftService;
import dev.mlops.monitoring.alerts.Alert;
import dev.mlops.monitoring.alerts.RetrainingTrigger;
import dev.mlops.monitoring.alerts.TableAlertSink;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.engines.SketchDriftEngine;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.RecordedSpec;
import dev.mlops.validation.profiles.ProfileStore;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import mockwebserver3.RecordedRequest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path from data to retraining, end to end: a model whose served inputs drift from a given
 * day on (a numeric feature shifts up, a category appears), its drift measured against its
 * training set, the alerts raised, and exactly one run of the retraining DAG triggered on an
 * Airflow on loopback with the model, the reason and the alert ids; a re-run of the same step
 * triggers nothing.
 */
class DriftRetrainingEndToEndTest {
  static final LocalDate FIRST = LocalDate.of(2026, 11, 1);
  static final LocalDate DRIFT = LocalDate.of(2026, 11, 4);
  static final LocalDate LAST = LocalDate.of(2026, 11, 6);
  static final String DAG = "retraining";

  @TempDir static Path dir;
  static SparkSession spark;
  static Warehouse warehouse;
  static RunRecorder runs;

  @BeforeAll
  static void aModelServedSixDays() {
    TestPlatform platform = TestPlatform.create(dir);
    spark = platform.spark();
    warehouse = Warehouse.of(spark, platform.config());
    runs = platform.runs(warehouse, Clock.systemUTC());
    Random random = new Random(11);
    StructType trainingSchema = new StructType().add("id", DataTypes.LongType).add("x", DataTypes.DoubleType)
        .add("c", DataTypes.StringType);
    List<Row> training = new ArrayList<>();
    List<Row> test = new ArrayList<>();
    for (long i = 0; i < 3000; i++) {
      training.add(RowFactory.create(i, random.nextGaussian(), "abc".substring((int) (i % 3), (int) (i % 3) + 1)));
      test.add(RowFactory.create(i, random.nextDouble()));
    }
    TableVersion set = warehouse.write(spark.createDataFrame(training, trainingSchema), TableName.parse("ml.training_m"))
        .commit();
    String artifact = dir.resolve("artifact").toUri().toString();
    spark.createDataFrame(test, new StructType().add("id", DataTypes.LongType)
        .add(ModelFitter.PROBABILITY, DataTypes.DoubleType))
        .write().parquet(artifact + "/test_predictions");
    StructType features = new StructType().add("x", DataTypes.DoubleType).add("c", DataTypes.StringType);
    List<Row> served = new ArrayList<>();
    for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
      boolean drifted = !d.isBefore(DRIFT);
      for (int i = 0; i < 800; i++) {
        String c = drifted && i % 4 == 0 ? "z" : "abc".substring(i % 3, i % 3 + 1);
        served.add(RowFactory.create(RowFactory.create(random.nextGaussian() + (drifted ? 1.0 : 0.0), c), random.nextDouble(),
            1, "production", Date.valueOf(d)));
      }
    }
    warehouse.write(spark.createDataFrame(served, new StructType().add("features", features).add("score", DataTypes.DoubleType)
        .add("model_version", DataTypes.IntegerType).add("role", DataTypes.StringType).add("score_date", DataTypes.DateType)),
        TableName.parse("predictions.m"))
        .partitionBy("score_date").commit();
    DeltaModelRegistry registry = new DeltaModelRegistry(warehouse, Clock.systemUTC());
    ModelVersion v = run(r -> registry.register(ModelVersion.builder().model("m").runId("r1").createdBy("tester")
        .createdAt(Instant.parse("2026-10-30T00:00:00Z")).algorithm("gbt").seed(42L).threshold(0.5)
        .gate(true, "{\"passed\":true,\"champion_version\":null,\"checks\":[]}").trainingSet(set).featureService("svc", 1)
        .featureColumns(List.of("x", "c")).spec(new RecordedSpec("m.yaml", "name: m", "name: m", "0".repeat(64)))
        .versions("test", spark.version()).artifact(artifact).build(), r));
    run(r -> registry.transition("m", v.version(), Stage.PRODUCTION, "tester", "end-to-end test", r));
  }

  static <T> T run(Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }

  /** An Airflow 2 on loopback whose retraining DAG is not paused. */
  static FakeAirflow unpaused() {
    FakeAirflow airflow = new FakeAirflow(1);
    airflow.on("GET", "/api/v1/dags/" + DAG, json(200, AirflowBodies.dag(1, DAG, false)));
    return airflow;
  }

  static DriftReport measure(FakeAirflow airflow) {
    RetrainingTrigger trigger = new RetrainingTrigger(warehouse, Optional.of(airflow.client(new FakeTime())),
        new MonitoringConfig.Retraining(DAG, List.of("alert"), "0s"), Clock.systemUTC(), m -> {});
    DriftService service = new DriftService(warehouse, new DeltaModelRegistry(warehouse, Clock.systemUTC()),
        new SketchDriftEngine(new ProfileStore(warehouse, Clock.systemUTC())),
        List.of(new TableAlertSink(warehouse, Clock.systemUTC()), trigger), Clock.systemUTC());
    return run(r -> service.model("m", FIRST, LAST, new DriftService.ReferenceChoice.Default(),
        new DriftJudge(DriftThresholds.defaults(), 10), r));
  }

  @Test
  void plantedDriftRaisesAlertsThatTriggerTheRetrainingDagOnceAndAReRunTriggersNothing() throws Exception {
    List<RecordedRequest> posts;
    DriftReport first;
    try (FakeAirflow airflow = unpaused()) {
      airflow.on("POST", "/api/v1/dags/" + DAG + "/dagRuns", json(200, AirflowBodies.dagRun(1, "any", "queued",
          "2026-11-06T00:00:00", "{}")));
      first = measure(airflow);
      posts = airflow.requests("POST", "/api/v1/dags/" + DAG + "/dagRuns");
    }
    assertThat(first.firstDriftedPartition()).as("both features drift from the drift date on").isEqualTo(DRIFT.toString());
    List<String> alerted = first.alerts().stream().filter(a -> a.severity() == Alert.Severity.ALERT).map(Alert::id).sorted()
        .toList();
    assertThat(first.alerts()).allSatisfy(a -> assertThat(LocalDate.parse(a.partition())).isAfterOrEqualTo(DRIFT));
    assertThat(posts).as("one trigger for the model").hasSize(1);
    JsonNode body = new ObjectMapper().readTree(posts.get(0).getBody().utf8());
    assertThat(body.path("conf").path("model").asText()).isEqualTo("m");
    assertThat(body.path("conf").path("reason").asText()).contains("alerts on m");
    List<String> ids = new ArrayList<>();
    body.path("conf").path("alert_ids").forEach(n -> ids.add(n.asText()));
    assertThat(ids).as("the alert ids, of severity alert").isEqualTo(alerted);
    assertThat(body.path("dag_run_id").asText()).startsWith("mlops__");
    List<Row> recorded = warehouse.read(RetrainingTrigger.TRIGGERS).collectAsList();
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).<String>getAs("dag_id")).isEqualTo(DAG);
    assertThat(recorded.get(0).<String>getAs("state")).isEqualTo("queued");

    try (FakeAirflow airflow = unpaused()) {
      DriftReport again = measure(airflow);
      assertThat(again.alerts()).as("the same alerts").hasSameSizeAs(first.alerts());
      assertThat(again.newAlerts()).isEmpty();
      assertThat(airflow.requests("POST", "/api/v1/dags/" + DAG + "/dagRuns")).as("a re-run triggers nothing").isEmpty();
    }
    assertThat(warehouse.read(RetrainingTrigger.TRIGGERS).count()).isEqualTo(1);
    assertThat(Map.of("days", first.partitions().size())).containsEntry("days", 6);
  }
}
