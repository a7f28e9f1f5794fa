package dev.mlops.features.materialize;

import static dev.mlops.features.FeatureFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.pit.TrainingSet;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterializerTest {
  private static final long HOUR = 3_600_000_000L;
  private static final long D0 = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000L;
  static final String REPO = """
      entities:
        - {name: item, join-keys: [{name: item_id, type: bigint}, {name: shop, type: string}]}
      sources:
        - {name: prices, table: raw.prices, event-time: ts, created-time: created}
        - {name: price_history, table: raw.price_history, event-time: ts, created-time: created}
        - {name: spend_events, table: raw.spend, event-time: ts}
      feature-views:
        - name: price
          version: 1
          entities: [item]
          sources: [prices]
          ttl: 2d
          sql: SELECT item_id, shop, ts, created, price, CAST(price * 100 AS bigint) AS cents FROM prices
          event-time: ts
          created-time: created
          features:
            - {name: price, type: double, constraints: {min: 0}}
            - {name: cents, type: bigint}
        - name: daily_price
          version: 1
          entities: [item]
          sources: [price_history]
          ttl: 2d
          sql: SELECT item_id, shop, ts, created, price FROM price_history
          event-time: ts
          created-time: created
          features:
            - {name: price, type: double}
        - name: race_price
          version: 1
          entities: [item]
          sources: [prices]
          ttl: 2d
          sql: SELECT item_id, shop, ts, created, price FROM prices
          event-time: ts
          created-time: created
          features:
            - {name: price, type: double}
        - name: spend
          version: 1
          entities: [item]
          source: spend_events
          ttl: 2d
          aggregation: {granularity: 1d, windows: [1d]}
          features:
            - {name: total, function: sum, column: amount, type: double}
      feature-services:
        - name: pricing
          features: [{view: price, version: 1, features: ["*"]}]
      """;
  static final StructType SCHEMA = new StructType().add("item_id", DataTypes.LongType).add("shop", DataTypes.StringType)
      .add("ts", DataTypes.TimestampType).add("created", DataTypes.TimestampType).add("price", DataTypes.DoubleType);

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static FeatureStore store;

  @BeforeAll
  static void setUp() {
    fx = new FeatureFixtures(dir, Instant.parse("2026-06-10T00:00:00Z")).files(Map.of("repo.yaml", REPO));
    writePrices(List.of(
        RowFactory.create(1L, "a", ts(D0 + HOUR), ts(D0 + HOUR), 10.0),
        RowFactory.create(1L, "a", ts(D0 + HOUR), ts(D0 + 2 * HOUR), 12.0),   // a correction: same time, created later
        RowFactory.create(1L, "b", ts(D0 + 3 * HOUR), ts(D0 + 3 * HOUR), 7.5),
        RowFactory.create(2L, "a", ts(D0 + 30 * HOUR), ts(D0 + 30 * HOUR), 3.0), // the next day
        RowFactory.create(3L, "a", ts(D0 - 5 * HOUR), ts(D0 - 5 * HOUR), 1.0))); // before the range
    writeHistory(HISTORY_DAYS - 1);
    replaceSpend("SELECT 1L AS item_id, 'a' AS shop, TIMESTAMP'2026-05-31 01:00:00' AS ts, 2.5D AS amount");
    store = fx.store();
    fx.run("features.apply", store::apply);
  }

  static final LocalDate HISTORY_START = LocalDate.of(2025, 5, 1);
  static final int HISTORY_DAYS = 100;

  /** Two items a day at noon from {@link #HISTORY_START} for {@code days} days; the price is the day's number. */
  static void writeHistory(int days) {
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      Timestamp noon = Timestamp.from(HISTORY_START.plusDays(d).atTime(12, 0).toInstant(ZoneOffset.UTC));
      rows.add(RowFactory.create(1L, "a", noon, noon, (double) d));
      rows.add(RowFactory.create(2L, "a", noon, noon, (double) d));
    }
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, SCHEMA), TableName.parse("raw.price_history"))
        .overwriting(true).commit();
  }

  static void writePrices(List<Row> rows) {
    fx.warehouse.write(fx.platform.spark().createDataFrame(rows, SCHEMA), TableName.parse("raw.prices")).overwriting(true).commit();
  }

  @Test
  void aSqlViewKeepsItsRangeItsCreatedTimesAndTheCommitInfo() {
    MaterializationResult r = fx.run("features.materialize",
        run -> store.materialize("price", 1, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 3), run));
    assertThat(r.rows()).as("rows in 2026-06-01..03 only").isEqualTo(4);
    List<Row> rows = fx.platform.spark().sql("SELECT item_id, shop, price, cents, created_ts, date FROM features.price_v1"
        + " ORDER BY item_id, shop, created_ts").collectAsList();
    assertThat(rows).extracting(x -> x.getLong(0) + x.getString(1) + ":" + x.getDouble(2) + ":" + x.getLong(3))
        .containsExactly("1a:10.0:1000", "1a:12.0:1200", "1b:7.5:750", "2a:3.0:300");
    assertThat(rows.get(1).getTimestamp(4)).isEqualTo(ts(D0 + 2 * HOUR));
    Map<String, String> info = fx.warehouse.commitInfo(r.table());
    assertThat(info.get("userMetadata")).contains("\"view\":\"price\"", "\"view_version\":\"1\"", "\"definition_hash\":\"",
        "\"run_id\":\"");
    Row m = fx.platform.spark().sql("SELECT rows, delta_version FROM features.materializations WHERE delta_version = "
        + r.table().version()).first();
    assertThat(m.getLong(0)).isEqualTo(4);
    assertThat(m.getLong(1)).isEqualTo(r.table().version());

    TrainingSet set = store.historical("pricing", null, fx.platform.spark().createDataFrame(List.of(
        RowFactory.create(1L, "a", ts(D0 + HOUR)), RowFactory.create(1L, "a", ts(D0 + 50 * HOUR)),
        RowFactory.create(1L, null, ts(D0 + 5 * HOUR))), new StructType().add("item_id", DataTypes.LongType)
        .add("shop", DataTypes.StringType).add("at", DataTypes.TimestampType)), "at", Map.of(), null);
    assertThat(set.rows().orderBy("at").collectAsList()).extracting(x -> String.valueOf(x.get(3)))
        .as("the correction wins; expired after the 2d ttl; a null key part matches nothing")
        .containsExactly("12.0", "null", "null");
  }

  @Test
  void reRunningARangeReplacesItWithoutDuplicates() {
    fx.run("features.materialize", run -> store.materialize("price", 1, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), run));
    long before = fx.platform.spark().table("features.price_v1").count();
    MaterializationResult again = fx.run("features.materialize",
        run -> store.materialize("price", 1, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), run));
    assertThat(fx.platform.spark().table("features.price_v1").count()).isEqualTo(before);
    assertThat(fx.platform.spark().sql("SELECT count(*) FROM (SELECT item_id, shop, feature_ts, created_ts FROM features.price_v1"
        + " GROUP BY ALL HAVING count(*) > 1)").first().getLong(0)).isZero();
    assertThat(again.table().version()).isGreaterThan(0);
  }

  @Test
  void aConstraintViolationFailsNamingTheFeatureCountAndKeysAndWritesNothing() {
    fx.run("features.materialize", run -> store.materialize("price", 1, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), run));
    TableVersion before = fx.warehouse.current(TableName.parse("features.price_v1"));
    writePrices(List.of(RowFactory.create(7L, "z", ts(D0 + 4 * HOUR), ts(D0 + 4 * HOUR), -2.5),
        RowFactory.create(8L, "z", ts(D0 + 5 * HOUR), ts(D0 + 5 * HOUR), 4.0)));
    try {
      assertThatThrownBy(() -> fx.run("features.materialize",
          run -> store.materialize("price", 1, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1), run)))
          .hasMessageStartingWith("Cannot materialize price v1: constraint violations, nothing written:\n"
              + "  price (min 0.0): 1 rows, for example {item_id=7 shop=z feature_ts=")
          .hasMessageEndingWith("\n  Fix those rows in the source, or change the constraints and bump the view's version.");
      assertThat(fx.warehouse.current(TableName.parse("features.price_v1"))).isEqualTo(before);
      assertThat(fx.platform.spark().sql("SELECT status, error FROM ops.runs WHERE status = 'FAILED'"
          + " AND error LIKE '%constraint violations%'").first().getString(1))
          .contains("price (min 0.0): 1 rows");
    } finally {
      setUpPricesAgain();
    }
  }

  @Test
  void aLongHistoryTakesAFileAMonthAndANightlyDayIsMergedIntoItsMonth() {
    LocalDate last = HISTORY_START.plusDays(HISTORY_DAYS - 1);
    fx.run("features.materialize", run -> store.materialize("daily_price", 1, HISTORY_START, last.minusDays(1), run));
    String filesPerMonth = "SELECT month, count(DISTINCT _metadata.file_path) AS files, count(*) AS n"
        + " FROM features.daily_price_v1 GROUP BY month ORDER BY month";
    List<Row> months = fx.platform.spark().sql(filesPerMonth).collectAsList();
    assertThat(months).as("99 days, 4 months").hasSize(4);
    assertThat(months).extracting(r -> r.getLong(1)).as("a file a month, not a day").containsOnly(1L);
    assertThat(months.get(0).getDate(0).toLocalDate()).isEqualTo(HISTORY_START);

    // The nightly run: one more day goes into the last month, whose files are merged right after.
    writeHistory(HISTORY_DAYS);
    TableVersion day = fx.run("features.materialize", run -> store.materialize("daily_price", 1, last, last, run))
        .table();
    List<Row> after = fx.platform.spark().sql(filesPerMonth).collectAsList();
    assertThat(after).extracting(r -> r.getLong(1)).as("the new day merged into its month").containsOnly(1L);
    assertThat(after.stream().mapToLong(r -> r.getLong(2)).sum()).isEqualTo(2L * HISTORY_DAYS);
    Row latest = fx.platform.spark().sql("DESCRIBE HISTORY features.daily_price_v1 LIMIT 1")
        .select("version", "operation", "userMetadata").first();
    assertThat(latest.getLong(0)).as("the merge is a commit after the day's").isEqualTo(day.version() + 1);
    assertThat(latest.getString(1)).isEqualTo("OPTIMIZE");
    assertThat(latest.getString(2)).as("carrying the run's commit info").contains("\"view\":\"daily_price\"");
    assertThat(fx.platform.spark().sql("SELECT price FROM features.daily_price_v1 VERSION AS OF " + day.version()
        + " WHERE date = DATE'" + last + "' AND item_id = 2").first().getDouble(0)).isEqualTo(HISTORY_DAYS - 1.0);

    var oneDay = fx.platform.spark().table("features.daily_price_v1").where("date = DATE'" + last.minusDays(40) + "'");
    String plan = ((org.apache.spark.sql.classic.Dataset<Row>) oneDay).queryExecution().executedPlan().toString();
    assertThat(plan).as("a filter on date prunes by month").containsPattern("PartitionFilters: \\[.*month#\\d+ = "
        + last.minusDays(40).withDayOfMonth(1));
    assertThat(oneDay.inputFiles()).hasSize(1);
    assertThat(oneDay.count()).isEqualTo(2);
  }

  /**
   * Bad sources, one day each: null join keys, a timestamp far in the future, an empty source, a
   * source column dropped and one retyped. Each either fails naming what is wrong, or does what
   * docs/RELIABILITY.md says; a failure leaves the table as it was.
   */
  @Test
  void badSourcesFailNamingTheColumnOrDoWhatIsDocumentedAndAFailureWritesNothing() {
    LocalDate day = LocalDate.of(2026, 6, 1);
    TableName table = TableName.parse("features.price_v1");
    List<String> outcomes = new ArrayList<>();
    long beforeEmpty;
    try {
      writePrices(List.of(RowFactory.create(1L, "a", ts(D0 + HOUR), ts(D0 + HOUR), 10.0),
          RowFactory.create(null, "a", ts(D0 + 2 * HOUR), ts(D0 + 2 * HOUR), 11.0),
          RowFactory.create(4L, "a", ts(D0 + 3 * HOUR), ts(D0 + 3 * HOUR), 12.0)));
      outcomes.add("null key: " + materializeDay(day));
      writePrices(List.of(RowFactory.create(1L, "a", ts(D0 + HOUR), ts(D0 + HOUR), 10.0),
          RowFactory.create(5L, "a", Timestamp.valueOf("2999-01-01 00:00:00"), Timestamp.valueOf("2999-01-01 00:00:00"), 9.0)));
      outcomes.add("far future: " + materializeDay(day));
      beforeEmpty = fx.warehouse.current(table).version();
      writePrices(List.of());
      outcomes.add("empty: " + materializeDay(day));
      replaceSource("SELECT 1L AS item_id, 'a' AS shop, ts, ts AS created FROM VALUES (TIMESTAMP'2026-06-01 01:00:00') AS t(ts)");
      outcomes.add("price dropped: " + materializeDay(day));
      replaceSource("SELECT 1L AS item_id, 'a' AS shop, ts, ts AS created, 'ten' AS price"
          + " FROM VALUES (TIMESTAMP'2026-06-01 01:00:00') AS t(ts)");
      outcomes.add("price retyped: " + materializeDay(day));
    } finally {
      setUpPricesAgain();
    }
    assertThat(outcomes).satisfiesExactly(
        o -> assertThat(o).as("the row with a null key is left out").isEqualTo("null key: 2 rows"),
        o -> assertThat(o).as("the row of 2999 waits for its day").isEqualTo("far future: 1 rows"),
        o -> assertThat(o).as("the day is replaced by what the source holds").isEqualTo("empty: 0 rows"),
        o -> assertThat(o).startsWith("price dropped: unchanged, PlatformException: Cannot materialize price v1: its sql no"
            + " longer runs on its sources [raw.prices] as they are now: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column,"
            + " variable, or function parameter with name `price` cannot be resolved.")
            .endsWith("; a source column was probably dropped or renamed: restore it in the source, or change the view's"
                + " sql and bump its version (nothing was written)"),
        o -> assertThat(o).isEqualTo("price retyped: unchanged, PlatformException: Cannot materialize price v1: its sql"
            + " gives feature price as string but the view declares it double; a source column probably changed type:"
            + " cast it back in the view's sql, or declare the new type in a new version of the view (nothing was"
            + " written)"));
    assertThat(fx.platform.spark().sql("SELECT count(*) FROM features.price_v1 VERSION AS OF " + beforeEmpty
        + " WHERE date = DATE'2026-06-01'").first().getLong(0))
        .as("the day's rows before the empty source replaced them, by time travel").isEqualTo(1);
  }

  /**
   * An aggregation view whose source lost a column, or has one retyped (an input, a join key): the
   * error names the view, the source, the column and the fix, as a SQL view's does, before any job
   * runs; the table keeps its version.
   */
  @Test
  void anAggregationViewWhoseSourceLostOrRetypedAColumnFailsNamingItAndWritesNothing() {
    LocalDate day = LocalDate.of(2026, 6, 1);
    String row = "SELECT 1L AS item_id, 'a' AS shop, TIMESTAMP'2026-05-31 01:00:00' AS ts";
    List<String> outcomes = new ArrayList<>();
    try {
      outcomes.add("as defined: " + materializeDay("spend", day));
      replaceSpend(row);
      outcomes.add("amount dropped: " + materializeDay("spend", day));
      replaceSpend(row + ", 'ten' AS amount");
      outcomes.add("amount retyped: " + materializeDay("spend", day));
      replaceSpend("SELECT 'one' AS item_id, 'a' AS shop, TIMESTAMP'2026-05-31 01:00:00' AS ts, 2.5D AS amount");
      outcomes.add("key retyped: " + materializeDay("spend", day));
    } finally {
      replaceSpend(row + ", 2.5D AS amount");
    }
    assertThat(outcomes).satisfiesExactly(
        o -> assertThat(o).isEqualTo("as defined: 1 rows"),
        o -> assertThat(o).startsWith("amount dropped: unchanged, PlatformException: Cannot materialize spend v1: its"
            + " aggregation no longer runs on its source raw.spend as it is now: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A"
            + " column, variable, or function parameter with name `amount` cannot be resolved.")
            .endsWith("; a source column was probably dropped or renamed: restore it in the source, or change the view"
                + " and bump its version (nothing was written)"),
        o -> assertThat(o).isEqualTo("amount retyped: unchanged, PlatformException: Cannot materialize spend v1: the input"
            + " `amount` of feature total (sum) is string in its source raw.spend but must be a number; a source column"
            + " probably changed type: cast it back in the source, or change the view and bump its version (nothing was"
            + " written)"),
        o -> assertThat(o).isEqualTo("key retyped: unchanged, PlatformException: Cannot materialize spend v1: join key"
            + " item_id is string in its source raw.spend but must be bigint; a source column probably changed type:"
            + " cast it back in the source, or change the view and bump its version (nothing was written)"));
  }

  /**
   * Two materializations of the same days racing, made deterministic: {@link RacingLogStore} holds
   * each commit until both have come, so both commit from the same snapshot of the table. One
   * commits; Delta refuses the other, which fails naming the view, the days, the race and what to do,
   * and records nothing. The days hold the winner's rows once, and the run log has both outcomes.
   */
  @Test
  void ofTwoMaterializationsOfTheSameDaysRacingOneCommitsAndTheOtherFailsNamingTheRace() throws Exception {
    LocalDate first = LocalDate.of(2026, 6, 1);
    LocalDate last = LocalDate.of(2026, 6, 2);
    TableName table = TableName.parse("features.race_price_v1");
    org.apache.spark.SparkConf conf = org.apache.spark.SparkEnv.get().conf();
    conf.set(RacingLogStore.CONF, RacingLogStore.class.getName());
    List<MaterializationResult> won = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    long before;
    try {
      fx.run("features.materialize", run -> store.materialize("race_price", 1, first, last, run)); // the previous data
      before = fx.warehouse.current(table).version();
      RacingLogStore.arm(fx.warehouse.location(table), 2);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<MaterializationResult>> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          racers.add(pool.submit(() -> fx.run("features.materialize",
              run -> store.materialize("race_price", 1, first, last, run))));
        }
        for (var racer : racers) {
          try {
            won.add(racer.get());
          } catch (java.util.concurrent.ExecutionException e) {
            lost.add(e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
          }
        }
      } finally {
        pool.shutdown();
      }
    } finally {
      RacingLogStore.disarm();
      conf.remove(RacingLogStore.CONF);
    }
    assertThat(won).as("one wins").hasSize(1);
    assertThat(won.get(0).table().version()).as("from the same snapshot").isEqualTo(before + 1);
    assertThat(lost).singleElement().asString().matches("PlatformException: Cannot materialize race_price v1 for"
        + " 2026-06-01 \\.\\. 2026-06-02: another job committed to features.race_price_v1 while this one ran"
        + " \\(Concurrent\\w+Exception\\), so this one wrote nothing; the table holds the other job's rows\\. Run one"
        + " materialization of a view at a time; re-run this one if its source changed since");
    assertThat(fx.platform.spark().sql("SELECT item_id, shop, price FROM features.race_price_v1 ORDER BY ALL")
        .collectAsList()).extracting(Row::toString).as("the days' rows, once: nothing lost, nothing duplicated")
        .containsExactly("[1,a,10.0]", "[1,a,12.0]", "[1,b,7.5]", "[2,a,3.0]");
    assertThat(fx.platform.spark().sql("DESCRIBE HISTORY features.race_price_v1").where("version > " + before
        + " AND operation <> 'OPTIMIZE'").collectAsList()).as("one data commit since").hasSize(1);
    assertThat(fx.platform.spark().sql("SELECT delta_version FROM features.materializations WHERE view = 'race_price'"
        + " AND delta_version > " + before).collectAsList()).extracting(r -> r.getLong(0))
        .as("only the winner is recorded").containsExactly(before + 1);
    assertThat(fx.platform.spark().sql("SELECT count(*) FROM ops.runs WHERE status = 'FAILED'"
        + " AND error LIKE 'Cannot materialize race_price v1 for 2026-06-01 .. 2026-06-02: another job committed%'")
        .first().getLong(0)).as("the loser's run is failed with the error").isEqualTo(1);
  }

  /** Materializes {@code day} of price v1: its rows, or the error and whether the table stayed as it was. */
  private static String materializeDay(LocalDate day) {
    return materializeDay("price", day);
  }

  /** Materializes {@code day} of {@code view} v1: its rows, or the error and whether the table stayed as it was. */
  private static String materializeDay(String view, LocalDate day) {
    TableName table = TableName.parse("features." + view + "_v1");
    TableVersion before = fx.warehouse.exists(table) ? fx.warehouse.current(table) : null;
    try {
      return fx.run("features.materialize", run -> store.materialize(view, 1, day, day, run)).rows() + " rows";
    } catch (dev.mlops.core.PlatformException e) {
      boolean unchanged = before == null ? !fx.warehouse.exists(table) : fx.warehouse.current(table).equals(before);
      return (unchanged ? "unchanged, " : "CHANGED, ") + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** Replaces raw.prices with the rows of {@code sql} in a new version with their schema, as an upstream change does. */
  private static void replaceSource(String sql) {
    fx.warehouse.write(fx.platform.spark().sql(sql), TableName.parse("raw.prices")).overwriting(true).commit();
  }

  /** Replaces raw.spend with the rows of {@code sql}, with their schema. */
  private static void replaceSpend(String sql) {
    fx.warehouse.write(fx.platform.spark().sql(sql), TableName.parse("raw.spend")).overwriting(true).commit();
  }

  private static void setUpPricesAgain() {
    writePrices(List.of(
        RowFactory.create(1L, "a", ts(D0 + HOUR), ts(D0 + HOUR), 10.0),
        RowFactory.create(1L, "a", ts(D0 + HOUR), ts(D0 + 2 * HOUR), 12.0),
        RowFactory.create(1L, "b", ts(D0 + 3 * HOUR), ts(D0 + 3 * HOUR), 7.5),
        RowFactory.create(2L, "a", ts(D0 + 30 * HOUR), ts(D0 + 30 * HOUR), 3.0),
        RowFactory.create(3L, "a", ts(D0 - 5 * HOUR), ts(D0 - 5 * HOUR), 1.0)));
  }
}
