package dev.mlops.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.alerts.AlertSink;
import dev.mlops.monitoring.alerts.TableAlertSink;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.training.canary.CanaryShares;
import dev.mlops.training.canary.RampStep;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
 * A canary ramp [0.1, 0.3, 0.6, 1.0] on five served days (2026-11-01 .. 05), labels complete a
 * day after a day ends (a day D matures on D + 2). Production ranks every day perfectly; so does
 * the canary, except on 11-05 where its scores are inverted. Nightly, each day is scored the night
 * after it and monitoring runs after scoring: each run judges the first matured day served at the
 * current step: 11-01 (step 0) moves to 0.3 from 11-03; 11-03 moves to 0.6 from 11-05; 11-05 fails
 * the guard: 0 from 11-07, with an alert. Monitoring that runs late moves the share only from the
 * first day not scored yet.
 */
class CanaryRampTest {
  static final String FILE = "conf/models/canary.yaml";
  static final String SPEC = """
      name: canary
      feature-service: {name: svc, version: 1}
      spine: {table: raw.canary_spine, keys: [transaction_id], event-time: event_ts, label: y}
      split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
      algorithm: {type: gbt}
      scoring:
        query: SELECT * FROM raw.canary_spine WHERE date = DATE'{date}'
        ab:
          key: customer_id
          salt: s1
          variants:
            - {name: canary, model: "@challenger", ramp: [0.1, 0.3, 0.6, 1.0], guard: {metric: roc_auc, max-drop: 0.05},
               min-labelled-rows: 20}
      monitoring:
        labels: {table: raw.canary_labels, keys: [transaction_id], label: label, arrived-at: arrived_at}
        label-delay: 1d
      """;
  static final Instant AS_OF = Instant.parse("2026-11-20T00:00:00Z");
  static final StructType PREDICTIONS = new StructType().add("score_date", DataTypes.DateType)
      .add("role", DataTypes.StringType).add("model_version", DataTypes.IntegerType).add("score", DataTypes.DoubleType)
      .add("transaction_id", DataTypes.LongType).add("customer_id", DataTypes.LongType);

  @TempDir static Path dir;
  static Warehouse warehouse;
  static RunRecorder runs;
  static List<AlertSink> sinks;
  static LoadedSpec spec;
  static SparkSession spark;
  /** The predictions of each day, 11-01 at index 0. */
  static final List<List<Row>> DAYS = new ArrayList<>();

  @BeforeAll
  static void fiveServedDays() {
    TestPlatform platform = TestPlatform.create(dir);
    spark = platform.spark();
    warehouse = Warehouse.of(spark, platform.config());
    runs = platform.runs(warehouse, Clock.systemUTC());
    sinks = List.of(new TableAlertSink(warehouse, Clock.fixed(AS_OF, ZoneOffset.UTC)));
    spec = new ModelSpecLoader(k -> null).parse(SPEC, FILE);
    List<Row> labels = new ArrayList<>();
    for (int d = 1; d <= 5; d++) {
      LocalDate day = LocalDate.of(2026, 11, d);
      List<Row> predictions = new ArrayList<>();
      DAYS.add(predictions);
      for (int i = 0; i < 60; i++) {
        boolean canary = i % 2 == 1;
        int label = i % 4 < 2 ? 1 : 0;
        double score = label == 1 ? 0.7 + i / 1000.0 : 0.2 + i / 1000.0;
        if (canary && d == 5) {
          score = 1 - score; // the planted failure: the canary ranks the day backwards
        }
        long id = d * 1000L + i;
        predictions.add(RowFactory.create(Date.valueOf(day), canary ? "variant:canary" : "production", canary ? 2 : 1,
            score, id, (long) i));
        labels.add(RowFactory.create(id, label, Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())));
      }
    }
    StructType l = new StructType().add("transaction_id", DataTypes.LongType).add("label", DataTypes.IntegerType)
        .add("arrived_at", DataTypes.TimestampType);
    warehouse.ensureDatabase("predictions");
    warehouse.ensureDatabase("raw");
    warehouse.write(spark.createDataFrame(labels, l), TableName.parse("raw.canary_labels")).commit();
  }

  static <T> T run(Function<JobRun, T> body) {
    return runs.run("test", List.of(), body);
  }

  /** Appends the predictions of 2026-11-{@code day} to {@code table}. */
  static void score(String table, int day) {
    warehouse.write(spark.createDataFrame(DAYS.get(day - 1), PREDICTIONS), TableName.parse(table)).appending().commit();
  }

  static List<RampStep> advance(LoadedSpec model, Instant asOf) {
    return run(r -> new CanaryRamp(warehouse, sinks, Clock.fixed(asOf, ZoneOffset.UTC)).advance(model, asOf, r));
  }

  /** The night of 2026-11-{@code night}: the day before is scored (up to 11-05), then monitoring runs at 06:00. */
  static List<RampStep> night(int night) {
    if (night - 1 <= DAYS.size()) {
      score("predictions.canary", night - 1);
    }
    return advance(spec, LocalDate.of(2026, 11, night).atTime(6, 0).toInstant(ZoneOffset.UTC));
  }

  @Test
  void theCanaryRampsUpOnGoodDaysAndDropsToZeroWithAnAlertOnABadOne() {
    assertThat(night(2)).as("11-01 matures on 11-03").isEmpty();
    assertThat(night(3)).singleElement().satisfies(s -> {
      assertThat(s.partition()).isEqualTo(LocalDate.of(2026, 11, 1));
      assertThat(s.action()).isEqualTo("up");
      assertThat(s.share()).isEqualTo(0.3);
      assertThat(s.effectiveDate()).as("11-01 matures on 11-03").isEqualTo(LocalDate.of(2026, 11, 3));
      assertThat(s.variantValue()).isEqualTo(1.0);
      assertThat(s.labelledRows()).isEqualTo(30);
    });
    assertThat(night(4)).as("11-02 was served at the old step, 11-03 matures on 11-05").isEmpty();
    assertThat(night(5)).singleElement()
        .satisfies(s -> assertThat(List.of(s.partition().toString(), s.action(), String.valueOf(s.share()),
            s.effectiveDate().toString())).containsExactly("2026-11-03", "up", "0.6", "2026-11-05"));
    assertThat(night(6)).isEmpty();
    RampStep stop = night(7).get(0);
    assertThat(List.of(stop.partition().toString(), stop.action(), String.valueOf(stop.share())))
        .containsExactly("2026-11-05", "stop", "0.0");
    assertThat(stop.variantValue()).as("inverted scores").isEqualTo(0.0);
    assertThat(stop.productionValue()).isEqualTo(1.0);
    assertThat(stop.effectiveDate()).isEqualTo(LocalDate.of(2026, 11, 7));
    assertThat(warehouse.read(TableAlertSink.ALERTS).where("`column` = 'canary:canary' AND subject = 'model canary'")
        .selectExpr("alert_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly(stop.alertId());
    assertThat(night(8)).as("a stopped ramp stays stopped").isEmpty();

    CanaryShares shares = new CanaryShares(warehouse);
    var ab = spec.spec().scoring().ab();
    List<Double> byDay = new ArrayList<>();
    for (int d = 1; d <= 8; d++) {
      byDay.add(shares.sharesOn("canary", ab, LocalDate.of(2026, 11, d)).get("canary"));
    }
    assertThat(byDay).as("the share in force on each day, for scoring it again")
        .containsExactly(0.1, 0.1, 0.3, 0.3, 0.6, 0.6, 0.0, 0.0);
  }

  @Test
  void monitoringThatRunsLateMovesTheShareFromTheFirstDayNotScoredYet() {
    LoadedSpec late = new ModelSpecLoader(k -> null).parse(SPEC.replace("name: canary\nfeature-service",
        "name: late\nfeature-service"), FILE);
    for (int d = 1; d <= 5; d++) {
      score("predictions.late", d);
    }
    assertThat(advance(late, AS_OF)).singleElement().satisfies(s -> {
      assertThat(List.of(s.partition().toString(), s.action(), String.valueOf(s.share())))
          .containsExactly("2026-11-01", "up", "0.3");
      assertThat(s.effectiveDate()).as("11-01 matured on 11-03, but 11-03 .. 05 were scored at 0.1 already")
          .isEqualTo(LocalDate.of(2026, 11, 6));
    });
    assertThat(advance(late, AS_OF)).as("no day was served at the new step yet").isEmpty();
    CanaryShares shares = new CanaryShares(warehouse);
    List<Double> byDay = new ArrayList<>();
    for (int d = 1; d <= 6; d++) {
      byDay.add(shares.sharesOn("late", late.spec().scoring().ab(), LocalDate.of(2026, 11, d)).get("canary"));
    }
    assertThat(byDay).as("a past day scored again keeps its share").containsExactly(0.1, 0.1, 0.1, 0.1, 0.1, 0.3);
  }

  @Test
  void theDayAJudgedDayMaturesOnIsItsEndPlusTheDelayRoundedUpToADay() {
    assertThat(CanaryRamp.maturedOn(LocalDate.of(2026, 11, 1), java.time.Duration.ofDays(20)))
        .isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(CanaryRamp.maturedOn(LocalDate.of(2026, 11, 1), java.time.Duration.ofHours(36)))
        .isEqualTo(LocalDate.of(2026, 11, 4));
  }
}
