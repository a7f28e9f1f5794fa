package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.DriftService.ReferenceChoice;
import dev.mlops.monitoring.drift.DriftStatus;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.engines.SketchDriftEngine;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.fit.ModelFitter;
import dev.mlops.training.registry.DeltaModelRegistry;
import dev.mlops.training.registry.ModelVersion;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.RecordedSpec;
import dev.mlops.validation.profiles.ProfileKey;
import dev.mlops.validation.profiles.ProfileStore;
import dev.mlops.validation.sketches.KllState;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's drift measures the rows the version measured served, against that version's own
 * reference: not the challenger's shadow rows, not the days another version served, and not a
 * profile stored for other rows of the same partition.
 *
 * <p>Model {@code m}: versions 1 and 2 trained on one training set version ({@code x ~ N(0, 1)}).
 * Version 1's test scores lie in [0, 0.2], version 2's in [0, 1]. Day 1 was served by version 1
 * (scores in [0, 0.2]); day 2 by version 2 (scores in [0, 1]), with version 1 beside it in shadow on
 * inputs shifted far away ({@code x ~ N(6, 1)}). Neither day drifts from its own version's reference.
 */
class ModelDriftVersionsTest {
  static final LocalDate DAY1 = LocalDate.of(2026, 11, 1);
  static final LocalDate DAY2 = LocalDate.of(2026, 11, 2);
  static final int ROWS = 600;
  static final TableName PREDICTIONS = TableName.parse("predictions.m");

  @TempDir static Path dir;
  static SparkSession spark;
  static Warehouse warehouse;
  static RunRecorder runs;

  @BeforeAll
  static void twoVersionsServedADayEach() {
    TestPlatform platform = TestPlatform.create(dir);
    spark = platform.spark();
    warehouse = Warehouse.of(spark, platform.config());
    runs = platform.runs(warehouse, Clock.systemUTC());
    Random random = new Random(5);
    List<Row> training = new ArrayList<>();
    for (long i = 0; i < 2000; i++) {
      training.add(RowFactory.create(i, random.nextGaussian()));
    }
    TableVersion set = warehouse.write(spark.createDataFrame(training, new StructType().add("id", DataTypes.LongType)
        .add("x", DataTypes.DoubleType)), TableName.parse("ml.training_m")).commit();
    List<Row> served = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      served.add(RowFactory.create(RowFactory.create(random.nextGaussian()), 0.2 * random.nextDouble(), 1, "production",
          Date.valueOf(DAY1)));
      served.add(RowFactory.create(RowFactory.create(random.nextGaussian()), random.nextDouble(), 2, "production",
          Date.valueOf(DAY2)));
      served.add(RowFactory.create(RowFactory.create(6 + random.nextGaussian()), 0.2 * random.nextDouble(), 1, "shadow",
          Date.valueOf(DAY2)));
    }
    warehouse.write(spark.createDataFrame(served, new StructType()
        .add("features", new StructType().add("x", DataTypes.DoubleType)).add("score", DataTypes.DoubleType)
        .add("model_version", DataTypes.IntegerType).add("role", DataTypes.StringType)
        .add("score_date", DataTypes.DateType)), PREDICTIONS).partitionBy("score_date").commit();
    DeltaModelRegistry registry = new DeltaModelRegistry(warehouse, Clock.systemUTC());
    for (int v = 1; v <= 2; v++) {
      String artifact = dir.resolve("artifact" + v).toUri().toString();
      double width = v == 1 ? 0.2 : 1.0;
      List<Row> test = new ArrayList<>();
      for (long i = 0; i < 1000; i++) {
        test.add(RowFactory.create(i, width * random.nextDouble()));
      }
      spark.createDataFrame(test, new StructType().add("id", DataTypes.LongType).add(ModelFitter.PROBABILITY,
          DataTypes.DoubleType)).write().parquet(artifact + "/test_predictions");
      String runId = "r" + v;
      String champion = v == 1 ? "null" : "1";
      ModelVersion registered = run(r -> registry.register(ModelVersion.builder().model("m").runId(runId)
          .createdBy("tester").createdAt(Instant.parse("2026-10-30T00:00:00Z")).algorithm("gbt").seed(42L).threshold(0.5)
          .gate(true, "{\"passed\":true,\"champion_version\":" + champion + ",\"checks\":[]}")
          .trainingSet(set)
          .featureService("svc", 1).featureColumns(List.of("x"))
          .spec(new RecordedSpec("m.yaml", "name: m", "name: m", "0".repeat(64))).versions("test", spark.version())
          .artifact(artifact).build(), r));
      run(r -> registry.transition("m", registered.version(), Stage.PRODUCTION, "tester", "test", r));
    }
  }

  static <T> T run(Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }

  static DriftReport drift(Integer version, LocalDate day) {
    DriftService service = new DriftService(warehouse, new DeltaModelRegistry(warehouse, Clock.systemUTC()),
        new SketchDriftEngine(new ProfileStore(warehouse, Clock.systemUTC())), List.of(), Clock.systemUTC());
    return run(r -> service.model("m", version, day, day, new ReferenceChoice.Default(),
        new DriftJudge(DriftThresholds.defaults(), 10), r));
  }

  static ColumnDrift column(DriftReport report, String name) {
    return report.columns().stream().filter(c -> c.column().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void eachVersionIsMeasuredOnTheRowsItServedAgainstItsOwnReference() {
    // A profile of the whole partition (what validating the predictions table stores): production
    // and shadow rows together, here planted far from either. It must not stand in for the rows measured.
    KllState wholePartition = new KllState();
    for (int i = 0; i < 100; i++) {
      wholePartition.update(50.0 + i);
    }
    ProfileKey whole = ProfileKey.partition(PREDICTIONS, warehouse.current(PREDICTIONS).version(), "score_date",
        DAY2.toString());
    run(r -> {
      new ProfileStore(warehouse, Clock.systemUTC()).write(Map.of(whole, Map.of("x", wholePartition, "score",
          wholePartition)), r);
      return null;
    });

    DriftReport first = drift(1, DAY1);
    assertThat(first.modelVersion()).isEqualTo(1);
    assertThat(column(first, "score").status()).as("v1's scores against v1's test scores").isEqualTo(DriftStatus.OK);

    DriftReport production = drift(null, DAY2);
    assertThat(production.modelVersion()).as("the Production version").isEqualTo(2);
    ColumnDrift x = column(production, "x");
    assertThat(x.currentRows()).as("v2's production rows, not v1's shadow rows").isEqualTo(ROWS);
    assertThat(x.status()).isEqualTo(DriftStatus.OK);
    ColumnDrift score = column(production, "score");
    assertThat(score.currentRows()).isEqualTo(ROWS);
    assertThat(score.referenceRows()).as("v2's test scores, not v1's profile of them").isEqualTo(1000);
    assertThat(score.status()).as("v2's scores against v2's test scores").isEqualTo(DriftStatus.OK);
    assertThat(spark.sql("SELECT DISTINCT row_subset FROM validation.profiles WHERE row_subset IS NOT NULL")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder(
            "role = 'production' AND model_version = 1", "role = 'production' AND model_version = 2",
            "scores of m v1 on its test split", "scores of m v2 on its test split");

    DriftReport again = drift(null, DAY2);
    assertThat(column(again, "score").results().get(0).value()).as("read back from the stored profiles")
        .isEqualTo(score.results().get(0).value());
  }

  @Test
  void aDayAnotherVersionServedIsRefusedNamingThatVersion() {
    assertThatThrownBy(() -> drift(null, DAY1)).hasMessage("Cannot measure drift of model m v2 for score_date=2026-11-01:"
        + " v1 served that day, and each day is compared with the reference of the version that served it; measure it"
        + " with --version 1, or leave the day out of the range");
  }
}
