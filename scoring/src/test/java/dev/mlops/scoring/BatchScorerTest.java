package dev.mlops.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.runs.JobRun;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.training.ModelTrainer;
import dev.mlops.training.TrainResult;
import dev.mlops.training.registry.Stage;
import dev.mlops.training.spec.ModelSpecLoader.LoadedSpec;
import dev.mlops.training.spec.ModelSpecLoader;
import dev.mlops.training.testkit.DemoWarehouse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch scoring on the demo data with the repository's fraud spec: features equal the training
 * set's for the same rows, re-runs replace a day exactly, a failed write leaves the previous
 * predictions, shadow and A/B rows, and the failure modes named. Each test scores the days it
 * reads, so none depends on another having run: the days of the scoring tests are their own.
 */
class BatchScorerTest {
  static final Path REPO = DemoWarehouse.REPO;
  static final DemoDataSpec DEMO = new DemoDataSpec(42, 0.01, LocalDate.of(2026, 10, 1), 14, LocalDate.of(2026, 10, 10));
  static final LocalDate DAY = LocalDate.of(2026, 10, 6);

  @TempDir static Path dir;
  /**
   * The spec's selection-rate limit: dropped here with the grid, since in this small warehouse a
   * segment has a handful of test rows (the gap is noise and the gate fails at random). The audit runs.
   */
  static final String FAIRNESS_LIMIT = "  max-demographic-parity-difference: 0.4\n";
  static DemoWarehouse demo;
  static SparkSession spark;
  static LoadedSpec fraud;

  @BeforeAll
  static void trainTheDemoModel() throws Exception {
    demo = DemoWarehouse.create(dir, DEMO);
    spark = demo.spark();
    // The repository's spec with one candidate of 5 trees instead of a grid of two of 20: scoring, not the model, is
    // under test here.
    String text = java.nio.file.Files.readString(REPO.resolve("conf/models/fraud.yaml"));
    assertThat(text).contains("grid: {maxDepth: [3, 5]}", "maxIter: 20,", FAIRNESS_LIMIT);
    fraud = new ModelSpecLoader(k -> null).parse(text.replace("grid: {maxDepth: [3, 5]}", "grid: {maxDepth: [3]}")
        .replace("maxIter: 20,", "maxIter: 5,").replace(FAIRNESS_LIMIT, ""), "conf/models/fraud.yaml");
    ModelTrainer trainer = new ModelTrainer(demo.warehouse(), demo.store(), demo.registry(), Clock.systemUTC(),
        CodeVersion.current());
    TrainResult v1 = run(r -> trainer.train(fraud, "tester", r));
    assertThat(v1.version().stage()).isEqualTo(Stage.PRODUCTION);
    TrainResult v2 = run(r -> trainer.train(fraud, "tester", false, r));
    assertThat(v2.version().stage()).as("the challenger waits in Staging").isEqualTo(Stage.STAGING);
  }

  static <T> T run(Function<JobRun, T> body) {
    return demo.run(body);
  }

  static ScoreResult score(LoadedSpec spec, LocalDate day) {
    return run(r -> new BatchScorer(demo.warehouse(), demo.store(), demo.registry()).score(spec, day, r));
  }

  /** The spec with texts replaced: {@code fromToPairs} alternates a text of the spec and its replacement. */
  static LoadedSpec variant(String... fromToPairs) {
    String text = fraud.recorded().text();
    for (int i = 0; i < fromToPairs.length; i += 2) {
      assertThat(fraud.recorded().text()).contains(fromToPairs[i]);
      text = text.replace(fromToPairs[i], fromToPairs[i + 1]);
    }
    return new ModelSpecLoader(k -> null).parse(text, "conf/models/fraud.yaml");
  }

  static Dataset<Row> day(LocalDate d) {
    return spark.table("predictions.fraud").where("score_date = DATE'" + d + "'");
  }

  @Test
  void theFeaturesUsedToScoreAreTheTrainingSetBuildersForTheSameKeysAndTimes() {
    ScoreResult r = score(fraud, DAY);
    long transactions = spark.sql("SELECT count(*) FROM raw.transactions WHERE date = DATE'" + DAY + "'").first().getLong(0);
    assertThat(r.rows()).isEqualTo(transactions);
    assertThat(r.rowsByRole()).containsEntry("production", transactions).containsEntry("shadow", transactions);
    assertThat(r.shadow()).singleElement().satisfies(c -> {
      assertThat(c.rows()).isEqualTo(transactions);
      assertThat(c.agreementRate()).as("the challenger is the same spec retrained").isEqualTo(1.0);
    });
    // The training set holds some of the same transactions (its sample of the day): the features must be equal.
    Dataset<Row> joined = spark.sql("""
        SELECT p.features.customer_spend__amount_sum_7d AS a, t.customer_spend__amount_sum_7d AS b,
               p.features.merchant_risk__fraud_rate_30d AS c, t.merchant_risk__fraud_rate_30d AS d,
               p.features.customer_profile__segment AS e, t.customer_profile__segment AS f,
               p.features.amount AS g, t.amount AS h, p.event_ts = t.event_ts AS same_time
        FROM predictions.fraud p JOIN ml.training_fraud t ON p.transaction_id = t.transaction_id
        WHERE p.role = 'production' AND p.score_date = DATE'%s'""".formatted(DAY));
    long overlap = joined.count();
    assertThat(overlap).as("the day's transactions that the training set sampled").isPositive();
    assertThat(joined.where("same_time AND a <=> b AND c <=> d AND e <=> f AND g <=> h").count())
        .as("every feature equal, nulls included").isEqualTo(overlap);
    Row lineage = day(DAY).selectExpr("min(model_version)", "max(run_id)", "min(feature_pins)", "max(feature_pins)").first();
    assertThat(lineage.getInt(0)).isEqualTo(1);
    assertThat(lineage.getString(2)).as("one text of every view's pin").isEqualTo(lineage.getString(3))
        .matches("customer_spend v1 @ features\\.customer_spend_v1 v\\d+, merchant_risk v1 @ features\\.merchant_risk_v1 v\\d+, "
            + "customer_profile v1 @ features\\.customer_profile_v1 v\\d+");
    // Statistics for data skipping on the keys, score and lineage, not on the features struct.
    String log = demo.warehouse().location(BatchScorer.predictionsTable("fraud")) + "/_delta_log/*.json";
    List<String> counted = spark.read().json(log).where("add IS NOT NULL")
        .selectExpr("explode(json_object_keys(get_json_object(add.stats, '$.nullCount')))").distinct().as(
            org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(counted).containsExactlyInAnyOrder("transaction_id", "event_ts", "score", "predicted_label", "model_version",
        "role", "variant", "run_id", "scored_at");
  }

  @Test
  void explainedRowsCarryTheirTopContributionsWhichWithTheBaseValueMakeTheMargin() {
    LocalDate explained = LocalDate.of(2026, 10, 12);
    score(variant("explain: top-5", "explain: top-3"), explained);
    assertThat(day(explained).where("role = 'shadow'").where("explanation IS NOT NULL OR explanation_base IS NOT NULL")
        .count()).as("shadow rows are never served, so not explained").isZero();
    var v = demo.registry().version("fraud", 1);
    org.apache.spark.ml.PipelineModel model = org.apache.spark.ml.PipelineModel.load(v.modelPath());
    var explainer = dev.mlops.training.explain.TreeExplainer.of(model).orElseThrow();
    var slots = dev.mlops.training.explain.FeatureSlots.of(model);
    var top3 = new dev.mlops.training.explain.TopContributions(explainer, slots, 3);
    List<Row> rows = model.transform(day(explained).where("role = 'production'")
        .selectExpr("score", "explanation", "explanation_base", "features.*")).select("score", "explanation",
            "explanation_base", dev.mlops.training.fit.PipelineFactory.FEATURES).collectAsList();
    assertThat(rows).isNotEmpty();
    for (Row r : rows) {
      org.apache.spark.ml.linalg.Vector x = r.getAs(3);
      java.util.Map<String, Double> written = r.getJavaMap(1);
      assertThat(written).as("the top 3 as written").hasSizeLessThanOrEqualTo(3).isEqualTo(top3.of(x));
      assertThat(r.getDouble(2)).isEqualTo(explainer.baseValue());
      double all = java.util.Arrays.stream(explainer.contributions(x)).sum();
      double p = r.getDouble(0);
      assertThat(r.getDouble(2) + all).as("base plus every contribution is the GBT's raw margin, half the score's logit")
          .isCloseTo(0.5 * Math.log(p / (1 - p)), org.assertj.core.api.Assertions.within(1e-9));
    }
    assertThat(rows.stream().filter(r -> r.getJavaMap(1).size() == 3).count()).as("most rows have 3 inputs at work")
        .isGreaterThan(rows.size() / 2);
    long entries = spark.sql("SELECT count(*) FROM predictions.fraud LATERAL VIEW explode(explanation) e AS feature,"
        + " contribution WHERE score_date = DATE'" + explained + "' AND contribution <> 0").first().getLong(0);
    assertThat(entries).as("SQL reads the map").isEqualTo(rows.stream().mapToLong(r -> r.getJavaMap(1).size()).sum());
    assertThatThrownBy(() -> variant("explain: top-5", "explain: top-0")).hasMessageContaining(
        "scoring.explain: expected none or top-<k> with k from 1 to 100");
  }

  @Test
  void statisticsAreKeptOnlyForColumnsOfTypesDeltaCanKeepThemFor() {
    org.apache.spark.sql.types.StructType written = new org.apache.spark.sql.types.StructType()
        .add("transaction_id", "boolean").add("event_ts", "timestamp").add("score", "double").add("predicted_label", "int")
        .add("model_version", "int").add("role", "string").add("variant", "string").add("run_id", "string")
        .add("score_date", "date");
    assertThat(BatchScorer.statsColumns(fraud.spec(), written)).as("a boolean key and the absent scored_at left out")
        .isEqualTo("`event_ts`,`score`,`predicted_label`,`model_version`,`role`,`variant`,`run_id`");
  }

  @Test
  void aPredictionsTableMadeWithThePinsAsAListKeepsGettingLists() {
    Warehouse w = demo.warehouse();
    List<String> pins = List.of("a v1 @ features.a_v1 v3", "b v2 @ features.b_v2 v0");
    dev.mlops.core.tables.TableName made = dev.mlops.core.tables.TableName.parse("predictions.pins_as_lists");
    dev.mlops.core.tables.TableName fresh = dev.mlops.core.tables.TableName.parse("predictions.pins_as_text");
    assertThat(spark.range(1).select(BatchScorer.pinsColumn(w, made, pins)).first().get(0)).as("no table yet: text")
        .isEqualTo("a v1 @ features.a_v1 v3, b v2 @ features.b_v2 v0");
    w.write(spark.sql("SELECT array('x v1 @ features.x_v1 v0') AS feature_pins, DATE'2026-10-01' AS score_date"), made)
        .partitionBy(BatchScorer.SCORE_DATE).commit();
    w.write(spark.sql("SELECT 'x v1 @ features.x_v1 v0' AS feature_pins, DATE'2026-10-01' AS score_date"), fresh)
        .partitionBy(BatchScorer.SCORE_DATE).commit();
    Dataset<Row> appended = spark.sql("SELECT DATE'2026-10-02' AS score_date")
        .withColumn("feature_pins", BatchScorer.pinsColumn(w, made, pins));
    w.write(appended, made).partitionBy(BatchScorer.SCORE_DATE).mergingSchema().commit();
    assertThat(spark.table(made.toString()).orderBy("score_date").collectAsList()).extracting(r -> (Object) r.getList(0))
        .containsExactly(List.of("x v1 @ features.x_v1 v0"), pins);
    assertThat(spark.range(1).select(BatchScorer.pinsColumn(w, fresh, pins)).first().get(0)).as("a table with text: text")
        .isEqualTo("a v1 @ features.a_v1 v3, b v2 @ features.b_v2 v0");
  }

  @Test
  void aRangeScoresEveryRowOfEachOfItsDaysInOneCommitAndNoOtherDay() {
    // mlops score --start 2026-10-02 --end 2026-10-04; no other test scores 2026-10-01 to 2026-10-05.
    LocalDate first = LocalDate.of(2026, 10, 2);
    LocalDate last = LocalDate.of(2026, 10, 4);
    long before = demo.warehouse().currentVersion(dev.mlops.core.tables.TableName.parse("predictions.fraud")).orElse(-1L);
    ScoreResult r = run(x -> new BatchScorer(demo.warehouse(), demo.store(), demo.registry()).score(fraud, first, last, x));
    assertThat(r.first()).isEqualTo(first);
    assertThat(r.last()).isEqualTo(last);
    long total = 0;
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      long transactions = spark.sql("SELECT count(*) FROM raw.transactions WHERE date = DATE'" + d + "'").first().getLong(0);
      assertThat(day(d).where("role = 'production'").count()).as("production rows of " + d).isEqualTo(transactions)
          .isPositive();
      assertThat(day(d).where("role = 'production'").select("model_version").distinct().count()).isEqualTo(1);
      total += transactions;
    }
    assertThat(r.rowsByRole()).as("rows by role").containsEntry("production", total);
    assertThat(day(first.minusDays(1)).count() + day(last.plusDays(1)).count()).as("the days around").isZero();
    assertThat(r.predictions().version()).as("one commit for the range").isEqualTo(before + 1);
  }

  @Test
  void scoringADayTwiceGivesTheSameRowsWithoutDuplicatesAndLeavesOtherDays() {
    LocalDate twice = DAY.plusDays(2);
    score(fraud, twice.plusDays(1));
    score(fraud, twice);
    List<Row> before = day(twice).selectExpr("transaction_id", "role", "score").orderBy("transaction_id", "role").collectAsList();
    long otherDay = day(twice.plusDays(1)).count();
    score(fraud, twice);
    List<Row> after = day(twice).selectExpr("transaction_id", "role", "score").orderBy("transaction_id", "role").collectAsList();
    assertThat(after).isEqualTo(before).isNotEmpty();
    assertThat(day(twice).selectExpr("transaction_id", "role").distinct().count()).isEqualTo(after.size());
    assertThat(day(twice.plusDays(1)).count()).isEqualTo(otherDay).isPositive();
  }

  @Test
  void aFailureInTheMiddleOfTheWriteLeavesThePreviousPredictionsIntact() {
    LocalDate failed = DAY.plusDays(4);
    score(fraud, failed);
    List<Row> before = day(failed).selectExpr("transaction_id", "role", "score", "run_id").orderBy("transaction_id", "role")
        .collectAsList();
    assertThat(before).isNotEmpty();
    long last = spark.sql("SELECT max(transaction_id) FROM raw.transactions WHERE date = DATE'" + failed + "'").first()
        .getLong(0);
    // One row of the day fails while the predictions are computed and written, in an executor task.
    LoadedSpec failing = variant("SELECT transaction_id, customer_id, merchant_id, event_ts, amount,",
        "SELECT transaction_id, customer_id, merchant_id, event_ts,\n      CASE WHEN transaction_id = " + last
            + " THEN raise_error('boom in the middle') ELSE amount END AS amount,");
    assertThatThrownBy(() -> score(failing, failed)).hasStackTraceContaining("boom in the middle");
    List<Row> after = day(failed).selectExpr("transaction_id", "role", "score", "run_id").orderBy("transaction_id", "role")
        .collectAsList();
    assertThat(after).as("the previous run's rows, untouched").isEqualTo(before);
  }

  @Test
  void abVariantsServeTheBucketsOfTheDocumentedHashAndEveryRowRecordsItsAssignment() {
    LoadedSpec ab = variant("  shadow: true", "  shadow: false\n  ab:\n    key: customer_id\n    salt: fraud-ab-1\n"
        + "    variants:\n      - {name: canary, model: \"2\", share: 0.3}");
    LocalDate abDay = DAY.plusDays(5);
    ScoreResult r = score(ab, abDay);
    assertThat(r.rowsByRole()).containsOnlyKeys("production", "variant:canary");
    // The expected variant from docs/SCORING.md, computed by Spark SQL over the scored rows, not by VariantAssigner:
    // bucket = pmod(xxhash64(salt || ':' || key), 10000); canary takes buckets [0, 3000), Production the rest and
    // every row without a key.
    Dataset<Row> checked = day(abDay).selectExpr("transaction_id", "customer_id", "role", "variant", "model_version",
        "CASE WHEN customer_id IS NULL THEN NULL"
            + " WHEN pmod(xxhash64('fraud-ab-1' || ':' || CAST(customer_id AS string)), 10000) < 3000 THEN 'canary'"
            + " END AS expected");
    List<Row> wrong = checked.where("NOT (variant <=> expected)"
        + " OR role <> IF(expected IS NULL, 'production', 'variant:' || expected)"
        + " OR model_version <> IF(expected IS NULL, 1, 2)").limit(10).collectAsList();
    assertThat(wrong).as("rows whose variant, role or model version is not the documented formula's").isEmpty();
    Row counts = checked.selectExpr("count_if(expected IS NULL)", "count_if(expected = 'canary')",
        "count(DISTINCT CASE WHEN expected = 'canary' THEN customer_id END) / count(DISTINCT customer_id)").first();
    assertThat(r.rowsByRole()).as("rows per role, as the formula splits them")
        .containsEntry("production", counts.getLong(0)).containsEntry("variant:canary", counts.getLong(1));
    assertThat(counts.getDouble(2)).as("share of the day's customers in the canary, 0.3 wanted").isBetween(0.2, 0.4);
  }

  @Test
  void failureModesAreNamed() {
    assertThatThrownBy(() -> score(variant("name: fraud", "name: nobody"), DAY))
        .hasMessage("Cannot score nobody: it has no version in Production (it has no versions; train it with"
            + " `mlops train --model nobody`)");
    assertThatThrownBy(() -> score(variant("SELECT transaction_id, customer_id, merchant_id, event_ts, amount,",
        "SELECT transaction_id, customer_id, merchant_id, event_ts + INTERVAL 30 DAYS AS event_ts, amount,"), DAY))
        .hasMessageContaining("is materialized up to").hasMessageContaining("but the spine reaches")
        .hasMessageContaining("materialize 2026-10-15 ..");
    assertThatThrownBy(() -> score(variant("event_ts, amount, channel", "event_ts, CAST(amount AS string) AS amount, channel"),
        DAY)).hasMessage("Cannot score with fraud v1: its input amount was double in training but is string now; retrain the"
            + " model or cast the feature back");
    assertThatThrownBy(() -> score(variant("request-features: [amount, channel, merchant_category]",
        "request-features: [amount, channel]", "event_ts, amount, channel, merchant_category", "event_ts, amount, channel"),
        DAY)).as("a spec that no longer builds an input the model was trained on")
        .hasMessageStartingWith("Cannot score with fraud v1: its input merchant_category is not among the features built"
            + " now (").hasMessageEndingWith("); retrain it on the current spec, or restore the feature in its service");
    assertThatThrownBy(() -> score(fraud, LocalDate.of(2027, 1, 1)))
        .hasMessageContaining("gives no rows for 2027-01-01; check that its source tables hold that day (nothing was written)");
    score(fraud, LocalDate.of(2026, 10, 14));
    long lastDay = day(LocalDate.of(2026, 10, 14)).count();
    assertThat(lastDay).isPositive();
    assertThatThrownBy(() -> run(r -> new BatchScorer(demo.warehouse(), demo.store(), demo.registry()).score(fraud,
        LocalDate.of(2026, 10, 14), LocalDate.of(2026, 10, 15), r))).as("a range with a day the source lacks scores none of it")
        .hasMessageContaining("for 2026-10-14 .. 2026-10-15: scoring.query in conf/models/fraud.yaml gives no rows for"
            + " 2026-10-15");
    assertThat(day(LocalDate.of(2026, 10, 14)).count()).isEqualTo(lastDay);
  }
}
