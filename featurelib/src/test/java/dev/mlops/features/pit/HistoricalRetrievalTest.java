package dev.mlops.features.pit;

import static dev.mlops.testkit.DataFrameAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.demo.DemoDataSpec;
import dev.mlops.core.demo.DemoDataWriter;
import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped demo feature repository on generated demo data: training sets rebuilt with pins
 * equal the originals after re-materialization with changed data, and no feature value comes
 * from an event at or after its row's time, the label-derived merchant features included.
 */
class HistoricalRetrievalTest {
  private static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  private static final DemoDataSpec SPEC = new DemoDataSpec(5, 0.01, LocalDate.of(2026, 10, 1), 14, LocalDate.of(2026, 10, 10));

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static SparkSession spark;
  static FeatureStore store;

  @BeforeAll
  static void materializeTheDemo() throws Exception {
    fx = new FeatureFixtures(dir, Instant.parse("2026-10-15T00:00:00Z"));
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.list(REPO.resolve("conf/features"))) {
      for (Path p : s.toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    fx.files(files);
    spark = fx.platform.spark();
    fx.run("demo", run -> new DemoDataWriter(fx.warehouse).write(SPEC, run, m -> {}));
    store = fx.store();
    fx.run("features.apply", store::apply);
    for (FeatureView v : store.repo().views()) {
      fx.run("features.materialize", run -> store.materialize(v.name(), v.version(),
          v.name().equals("customer_profile") ? LocalDate.of(2010, 1, 1) : SPEC.start(), SPEC.end().minusDays(1), run));
    }
  }

  private static Dataset<Row> spine() {
    return spark.sql("SELECT transaction_id, customer_id, merchant_id, event_ts FROM raw.transactions"
        + " WHERE date >= DATE'2026-10-08' AND transaction_id % 7 = 0");
  }

  @Test
  void aTrainingSetRebuiltWithItsPinsIsIdenticalAfterTheViewsAreReMaterializedWithNewData() {
    TrainingSet first = fx.run("features.historical", run -> store.historical("fraud_detection", null, spine(), "event_ts",
        Map.of(), run));
    List<Row> original = first.rows().collectAsList();
    // At a threshold of the smaller of customer_profile and merchant_risk, that view is broadcast
    // and the others shuffled (customer_profile alone beside customer_spend, which shares its key,
    // when it is the smaller): both kinds of pass in one retrieval, against the all-broadcast rows.
    long profileRows = spark.sql("SELECT count(*) FROM features.customer_profile_v1").first().getLong(0);
    long riskRows = spark.sql("SELECT count(*) FROM features.merchant_risk_v1").first().getLong(0);
    long threshold = Math.min(profileRows, riskRows);
    assertThat(spark.sql("SELECT count(*) FROM features.customer_spend_v1").first().getLong(0)).isGreaterThan(threshold);
    spark.conf().set(HistoricalRetrieval.BROADCAST_ROWS_SETTING, String.valueOf(threshold));
    try {
      TrainingSet mixed = store.historical("fraud_detection", null, spine(), "event_ts", Map.of(), null);
      assertSameRows("broadcast up to " + threshold + " feature rows instead of all", mixed.rows(),
          spark.createDataFrame(original, first.rows().schema()));
    } finally {
      spark.conf().unset(HistoricalRetrieval.BROADCAST_ROWS_SETTING);
    }
    Map<String, Long> pins = new LinkedHashMap<>();
    first.pins().forEach(p -> pins.put(p.view(), p.table().version()));
    assertThat(pins).containsOnlyKeys("customer_spend", "merchant_risk", "customer_profile");

    // New source data (another seed), and every view materialized again on it: the other tests, whichever order they
    // run in, compare the views with brute force over the raw tables.
    Dataset<Row> spineBefore = spine().localCheckpoint();
    fx.run("demo", run -> new DemoDataWriter(fx.warehouse).write(
        new DemoDataSpec(99, 0.01, SPEC.start(), SPEC.days(), SPEC.driftDate()), run, m -> {}));
    for (String view : List.of("customer_spend", "merchant_risk", "customer_profile")) {
      fx.run("features.materialize", run -> store.materialize(view, 1,
          view.equals("customer_profile") ? LocalDate.of(2010, 1, 1) : SPEC.start(), SPEC.end().minusDays(1), run));
    }
    TrainingSet pinned = store.historical("fraud_detection", null, spineBefore, "event_ts", pins, null);
    assertSameRows("rebuilt with the pins", pinned.rows(), spark.createDataFrame(original, first.rows().schema()));
    TrainingSet latest = store.historical("fraud_detection", null, spineBefore, "event_ts", Map.of(), null);
    assertThat(latest.rows().exceptAll(pinned.rows()).count()).as("without pins the new data shows").isPositive();
    assertThat(latest.pins().stream().filter(p -> p.view().equals("customer_spend")).findFirst().orElseThrow().table().version())
        .isGreaterThan(pins.get("customer_spend"));

    TrainingSetWriter.Written w = fx.run("features.historical", run ->
        new TrainingSetWriter(fx.warehouse, fx.clock).write(pinned, "ml.demo_training_set", "spine", run));
    Row lineage = spark.sql("SELECT output, output_version, service, transform(pins, p -> p.view || '@' || p.delta_version), rows"
        + " FROM features.training_sets").first();
    assertThat(lineage.getString(0)).isEqualTo("ml.demo_training_set");
    assertThat(lineage.getLong(1)).isEqualTo(w.version());
    assertThat(lineage.<String>getList(3)).contains("customer_spend@" + pins.get("customer_spend"));
    assertThat(lineage.getLong(4)).isEqualTo(original.size());
  }

  @Test
  void everyFeatureEqualsTheBruteForceDefinitionNullsIncludedEvenOnWindowBoundaries() {
    // Spine times exactly at transactions, at the hour and day boundaries around them, and at fraud reports.
    spark.sql("""
        SELECT customer_id, merchant_id, event_ts AS t FROM raw.transactions WHERE transaction_id % 5 = 0
        UNION ALL SELECT customer_id, merchant_id, date_trunc('HOUR', event_ts) FROM raw.transactions WHERE transaction_id % 5 = 1
        UNION ALL SELECT customer_id, merchant_id, CAST(date AS timestamp) FROM raw.transactions WHERE transaction_id % 5 = 2
        UNION ALL SELECT customer_id, merchant_id, reported_ts FROM raw.fraud_labels
        UNION ALL SELECT customer_id, merchant_id, date_trunc('DAY', reported_ts) + INTERVAL 1 DAY FROM raw.fraud_labels
        """).where("t < TIMESTAMP'" + SPEC.end() + " 00:00:00'").createOrReplaceTempView("leak_spine");
    TrainingSet set = store.historical("fraud_detection", null, spark.table("leak_spine"), "t", Map.of(), null);
    // Numbered once and kept, so that every join below sees the same row under the same id.
    set.rows().where("customer_id IS NOT NULL").withColumn("id", org.apache.spark.sql.functions.monotonically_increasing_id())
        .localCheckpoint().createOrReplaceTempView("leak_set");
    // The plain definitions of docs/FEATURES.md, in SQL, from events strictly before the boundary T <= t: a window
    // covers [T - window, T); an empty window gives count 0 and max null; every value of a view is null when the entity
    // has no event within the view's TTL before T (customer_spend 30 days, merchant_risk 90); a profile is the latest
    // one signed up at or before t, null if none or if it is more than its TTL (3650 days) older than t (with seed 5 every
    // customer signed up within it: the segments checked are all non-null).
    Row r = spark.sql("""
        WITH s AS (SELECT *, date_trunc('HOUR', t) AS th, date_trunc('DAY', t) AS td FROM leak_set),
        c AS (SELECT s.id, count(x.transaction_id) AS n_ttl,
                count_if(x.event_ts >= s.th - INTERVAL 1 HOUR) AS n_1h,
                count_if(x.event_ts >= s.th - INTERVAL 1 DAY) AS n_1d,
                max(CASE WHEN x.event_ts >= s.th - INTERVAL 1 DAY THEN x.amount END) AS max_1d
              FROM s LEFT JOIN raw.transactions x ON x.customer_id = s.customer_id AND x.amount > 0
                AND x.event_ts >= s.th - INTERVAL 30 DAYS AND x.event_ts < s.th GROUP BY s.id),
        e AS (SELECT merchant_id, event_ts AS known_ts, 0 AS is_fraud_report FROM raw.transactions
              UNION ALL SELECT merchant_id, reported_ts, 1 FROM raw.fraud_labels),
        m AS (SELECT s.id, count(e.known_ts) AS n_ttl,
                count_if(e.is_fraud_report = 1 AND e.known_ts >= s.td - INTERVAL 7 DAYS) AS reports_7d,
                count_if(e.is_fraud_report = 0 AND e.known_ts >= s.td - INTERVAL 7 DAYS) AS txns_7d
              FROM s LEFT JOIN e ON e.merchant_id = s.merchant_id
                AND e.known_ts >= s.td - INTERVAL 90 DAYS AND e.known_ts < s.td GROUP BY s.id),
        p AS (SELECT s.id, max_by(k.segment, k.signup_date) AS segment FROM s LEFT JOIN raw.customers k
                ON k.customer_id = s.customer_id AND CAST(k.signup_date AS timestamp) <= s.t
                AND CAST(k.signup_date AS timestamp) >= s.t - INTERVAL 3650 DAYS GROUP BY s.id),
        late AS (SELECT s.id, count(l.transaction_id) AS reports_at_or_after FROM s LEFT JOIN raw.fraud_labels l
                   ON l.merchant_id = s.merchant_id AND l.reported_ts >= s.t GROUP BY s.id),
        expected AS (SELECT s.*,
                IF(c.n_ttl = 0, NULL, c.n_1h) AS want_1h, IF(c.n_ttl = 0, NULL, c.n_1d) AS want_1d,
                IF(c.n_ttl = 0, NULL, c.max_1d) AS want_max_1d,
                IF(m.n_ttl = 0, NULL, m.reports_7d) AS want_reports_7d, IF(m.n_ttl = 0, NULL, m.txns_7d) AS want_txns_7d,
                p.segment AS want_segment, late.reports_at_or_after
              FROM s JOIN c USING (id) JOIN m USING (id) JOIN p USING (id) JOIN late USING (id))
        SELECT count(*) AS rows,
          count_if(want_1h IS NOT NULL) AS checked_1h,
          count_if(NOT (customer_spend__txn_count_1h <=> want_1h)) AS bad_1h,
          count_if(NOT (customer_spend__txn_count_1d <=> want_1d)) AS bad_1d,
          count_if(NOT (customer_spend__amount_max_1d <=> want_max_1d)) AS bad_max_1d,
          count_if(NOT (merchant_risk__fraud_reports_7d <=> want_reports_7d)) AS bad_reports,
          count_if(want_reports_7d IS NOT NULL) AS checked_reports,
          count_if(reports_at_or_after > 0 AND want_reports_7d IS NOT NULL) AS rows_with_later_reports,
          count_if(NOT (merchant_risk__txn_count_7d <=> want_txns_7d)) AS bad_txns_7d,
          count_if(NOT (customer_profile__segment <=> want_segment)) AS bad_segment,
          count_if(want_1h IS NULL) AS customer_without_events,
          count_if(want_1d = 0) AS empty_1d_windows,
          count_if(want_reports_7d IS NULL) AS merchant_without_events
        FROM expected
        """).first();
    assertThat(r.getLong(0)).isGreaterThan(1000);
    assertThat(r.getLong(1)).as("rows with a customer history, checked for the 1h window").isGreaterThan(500);
    assertThat(r.getLong(10)).as("rows whose customer has no event before the boundary: null expected").isPositive();
    assertThat(r.getLong(11)).as("rows with an empty 1d window: count 0 and max null expected").isPositive();
    assertThat(r.getLong(12)).as("rows whose merchant has no event before the day: null expected").isPositive();
    assertThat(r.getLong(2)).as("1h counts that differ from events strictly before the hour boundary, nulls included")
        .isZero();
    assertThat(r.getLong(3)).as("1d counts that differ, nulls included").isZero();
    assertThat(r.getLong(4)).as("1d maxima that differ, nulls included").isZero();
    assertThat(r.getLong(6)).as("rows with a merchant history, checked for its fraud reports").isGreaterThan(500);
    assertThat(r.getLong(5)).as("fraud-report counts that differ from reports known before the day boundary, nulls"
        + " included").isZero();
    assertThat(r.getLong(8)).as("merchant 7d transaction counts that differ, nulls included").isZero();
    assertThat(r.getLong(9)).as("profile segments that differ, nulls included").isZero();
    assertThat(r.getLong(7)).as("rows whose merchant has later reports: these must not have leaked in").isPositive();
  }

  @Test
  void badRequestsAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> store.historical("fraud_detection", null, spine().drop("merchant_id"), "event_ts", Map.of(), null))
        .hasMessageStartingWith("Cannot retrieve features of fraud_detection v1: the spine has no join key column merchant_id");
    assertThatThrownBy(() -> store.historical("fraud_detection", null, spine(), "event_ts", Map.of("nope", 1L), null))
        .hasMessageStartingWith("Cannot pin [nope]: not views of service fraud_detection v1");
    assertThatThrownBy(() -> store.historical("fraud_detection", null, spine(), "event_ts", Map.of("customer_spend", 999L), null))
        .hasMessageStartingWith("Cannot pin customer_spend v1 at version 999: its table features.customer_spend_v1 has versions 0 to");
    assertThatThrownBy(() -> store.historical("fraud", null, spine(), "event_ts", Map.of(), null))
        .hasMessageStartingWith("Feature service fraud is not registered");
    assertThatThrownBy(() -> store.historical("fraud_detection", null, spine(), "nope", Map.of(), null))
        .hasMessageStartingWith("Cannot join features: no time column nope");
    assertThatThrownBy(() -> store.historical("fraud_detection", null,
        spine().selectExpr("customer_id", "merchant_id", "event_ts + INTERVAL 1 DAY AS event_ts"), "event_ts", Map.of(), null))
        .hasMessageStartingWith("Cannot retrieve features: customer_spend v1 is materialized up to 2026-10-15T00:00:00Z"
            + " (exclusive) but the spine reaches 2026-10-15T");
    assertThat(fx.warehouse.exists(TableName.parse("features.customer_spend_v1"))).isTrue();
    long spendVersion = fx.warehouse.current(TableName.parse("features.customer_spend_v1")).version();
    assertThatThrownBy(() -> store.historical("fraud_detection", null,
        spine().withColumn("customer_id", org.apache.spark.sql.functions.col("customer_id").cast("string")), "event_ts", Map.of(), null))
        .as("a spine key of another type than the feature table's").hasMessage("Cannot join features: join key customer_id"
            + " is string in the spine but bigint in the feature table; cast the spine's column to bigint");
    assertThat(fx.warehouse.current(TableName.parse("features.customer_spend_v1")).version()).as("nothing written")
        .isEqualTo(spendVersion);
  }
}
