package dev.mlops.core.demo;

import static dev.mlops.testkit.DataFrameAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.runs.JobRun;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
  private static final DemoDataSpec SPEC =
      new DemoDataSpec(7, 0.02, DemoDataSpec.DEFAULT_START, 14, DemoDataSpec.DEFAULT_START.plusDays(9), true);

  @TempDir static Path dir;
  static SparkSession spark;
  static Warehouse warehouse;
  static DemoDataSummary first;
  static DemoDataSummary second;

  @BeforeAll
  static void writeTheSameSeedTwice() {
    TestPlatform platform = TestPlatform.create(dir);
    spark = platform.spark();
    warehouse = Warehouse.of(spark, platform.config());
    RunRecorder runs = platform.runs(warehouse, Clock.systemUTC());
    DemoDataWriter writer = new DemoDataWriter(warehouse);
    JobRun run1 = runs.start("demo", List.of());
    first = writer.write(SPEC, run1, m -> {});
    run1.succeed();
    JobRun run2 = runs.start("demo", List.of());
    second = writer.write(SPEC, run2, m -> {});
    run2.succeed();
  }

  @Test
  void theSameSeedGivesIdenticalTables() {
    for (int i = 0; i < first.tables().size(); i++) {
      TableVersion v1 = first.tables().get(i);
      TableVersion v2 = second.tables().get(i);
      assertThat(v2.version()).as(v2.table() + " was rewritten").isEqualTo(v1.version() + 1);
      assertSameRows(v1.table().toString(), warehouse.read(v2), warehouse.read(v1));
    }
  }

  @Test
  void aDifferentSeedGivesDifferentTransactions() {
    DemoData other = new DemoData(spark, new DemoDataSpec(8, 0.02, SPEC.start(), SPEC.days(), SPEC.driftDate(), true));
    long differing = other.transactions().exceptAll(warehouse.read(first.tables().get(2))).count();
    assertThat(differing).isGreaterThan(SPEC.transactions() / 2);
  }

  @Test
  void theSameSeedGivesTheSameRowsInAnyNumberOfSlices() {
    // The writer generated in 2 slices (its choice at this size); generate again in 1, 3 and 7.
    for (int slices : new int[] {1, 3, 7}) {
      DemoData data = new DemoData(spark, SPEC, slices);
      assertThat(data.transactions().rdd().getNumPartitions()).as("transactions generated in %d slices", slices)
          .isEqualTo(slices);
      assertThat(data.customers().rdd().getNumPartitions()).as("customers generated in %d slices", slices)
          .isEqualTo(slices);
      assertSameRows("transactions in " + slices + " slices", data.transactions(), warehouse.read(first.tables().get(2)));
      assertSameRows("fraud labels in " + slices + " slices", data.fraudLabels(), warehouse.read(first.tables().get(3)));
      assertSameRows("customers in " + slices + " slices", data.customers(), warehouse.read(first.tables().get(0)));
    }
  }

  @Test
  void amountsShiftAndANewCategoryAppearsFromTheDriftDate() {
    Row r = spark.sql("SELECT "
        + " percentile_approx(CASE WHEN date < DATE'" + SPEC.driftDate() + "' THEN amount END, 0.5) AS median_before,"
        + " percentile_approx(CASE WHEN date >= DATE'" + SPEC.driftDate() + "' THEN amount END, 0.5) AS median_after,"
        + " count_if(date < DATE'" + SPEC.driftDate() + "' AND merchant_category = 'crypto_exchange') AS crypto_before,"
        + " avg(CASE WHEN date >= DATE'" + SPEC.driftDate() + "' THEN CAST(merchant_category = 'crypto_exchange' AS int) END) AS crypto_after"
        + " FROM raw.transactions").first();
    assertThat(r.getDouble(1) / r.getDouble(0)).as("median amount after / before the drift").isBetween(1.3, 1.7);
    assertThat(r.getLong(2)).as("crypto_exchange transactions before the drift").isZero();
    assertThat(r.getDouble(3)).as("crypto_exchange share after the drift").isBetween(0.06, 0.10);
    assertThat(first.meanAmountAfterDrift() / first.meanAmountBeforeDrift()).isGreaterThan(1.3);
  }

  @Test
  void fromTheDriftDateFraudNoLongerComesWithLargeAmounts() {
    String drifted = "t.date >= DATE'" + SPEC.driftDate() + "'";
    Row r = spark.sql("SELECT"
        + " percentile_approx(CASE WHEN NOT " + drifted + " AND l.transaction_id IS NOT NULL THEN t.amount END, 0.5)"
        + " / percentile_approx(CASE WHEN NOT " + drifted + " AND l.transaction_id IS NULL THEN t.amount END, 0.5),"
        + " percentile_approx(CASE WHEN " + drifted + " AND l.transaction_id IS NOT NULL THEN t.amount END, 0.5)"
        + " / percentile_approx(CASE WHEN " + drifted + " AND l.transaction_id IS NULL THEN t.amount END, 0.5),"
        + " count_if(" + drifted + " AND l.transaction_id IS NOT NULL)"
        + " FROM raw.transactions t LEFT JOIN raw.fraud_labels l USING (transaction_id)").first();
    assertThat(r.getDouble(0)).as("median amount of frauds / of the rest, before the drift").isGreaterThan(2.0);
    assertThat(r.getDouble(1)).as("the same after the drift: frauds at ordinary amounts").isBetween(0.7, 1.4);
    assertThat(r.getLong(2)).as("frauds reported after the drift").isPositive();
  }

  @Test
  void fraudLabelsArriveDaysAfterTheirTransactionAndBeforeTheEnd() {
    Row r = spark.sql("SELECT count(*), min(datediff(l.reported_ts, t.event_ts)), max(unix_seconds(l.reported_ts) - unix_seconds(t.event_ts)) / 86400.0,"
        + " max(l.reported_ts), count_if(t.transaction_id IS NULL)"
        + " FROM raw.fraud_labels l LEFT JOIN raw.transactions t USING (transaction_id)").first();
    double rate = (double) r.getLong(0) / SPEC.transactions();
    assertThat(rate).as("fraud rate").isBetween(0.003, 0.03);
    assertThat(r.getInt(1)).as("fastest report, in days").isGreaterThanOrEqualTo(0);
    assertThat(((Number) r.get(2)).doubleValue()).as("slowest report, in days").isBetween(1.0, 20.001);
    assertThat(r.getTimestamp(3).toInstant()).isBefore(SPEC.end().atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    assertThat(r.getLong(4)).as("labels without a transaction").isZero();
    long delayedLessThanHalfDay = spark.sql("SELECT count(*) FROM raw.fraud_labels l JOIN raw.transactions t USING (transaction_id)"
        + " WHERE l.reported_ts < t.event_ts + INTERVAL 12 HOURS").first().getLong(0);
    assertThat(delayedLessThanHalfDay).as("labels that arrive within half a day").isZero();
  }

  @Test
  void tablesArePartitionedByDateAndCoverTheWholeCalendar() {
    Row detail = spark.sql("DESCRIBE DETAIL raw.transactions").select("partitionColumns").first();
    assertThat(detail.getList(0)).containsExactly("date");
    Row days = spark.sql("SELECT min(date), max(date), count(DISTINCT date) FROM raw.transactions").first();
    assertThat(days.getDate(0).toLocalDate()).isEqualTo(SPEC.start());
    assertThat(days.getDate(1).toLocalDate()).isEqualTo(SPEC.end().minusDays(1));
    assertThat(days.getLong(2)).isEqualTo(SPEC.days());
    assertThat(spark.sql("DESCRIBE DETAIL raw.fraud_labels").select("partitionColumns").first().getList(0))
        .containsExactly("report_date");
  }

  @Test
  void everyCustomerAndMerchantOfATransactionExists() {
    Row r = spark.sql("SELECT count_if(c.customer_id IS NULL AND t.customer_id IS NOT NULL), count_if(m.merchant_id IS NULL)"
        + " FROM raw.transactions t LEFT JOIN raw.customers c USING (customer_id) LEFT JOIN raw.merchants m USING (merchant_id)").first();
    assertThat(r.getLong(0)).isZero();
    assertThat(r.getLong(1)).isZero();
  }

  @Test
  void theRunIsRecordedWithItsOutputVersions() {
    List<Row> runs = spark.sql("SELECT job, status, transform(outputs, o -> o.table) FROM ops.runs ORDER BY started_at").collectAsList();
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).getString(1)).isEqualTo("SUCCEEDED");
    assertThat(runs.get(1).<String>getList(2)).containsExactly("raw.customers", "raw.merchants", "raw.transactions", "raw.fraud_labels");
    assertThat(warehouse.commitInfo(second.tables().get(2)).get("userMetadata")).contains("\"job\":\"demo\"");
  }

  @Test
  void aBadSpecIsRefusedWithTheReason() {
    assertThatThrownBy(() -> new DemoDataSpec(1, 0, LocalDate.of(2026, 1, 1), 30, LocalDate.of(2026, 1, 20)))
        .hasMessageContaining("--scale must be in (0, 1000], got 0.0");
    assertThatThrownBy(() -> new DemoDataSpec(1, 1, LocalDate.of(2026, 1, 1), 30, LocalDate.of(2026, 3, 1)))
        .hasMessage("Cannot generate demo data: the drift date 2026-03-01 must fall inside the data, after 2026-01-01;"
            + " pass a --drift-date from 2026-01-02 to 2026-01-30, or leave it out");
  }

}
