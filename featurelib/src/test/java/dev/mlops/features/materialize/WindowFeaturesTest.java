package dev.mlops.features.materialize;

import static dev.mlops.features.FeatureFixtures.micros;
import static dev.mlops.features.FeatureFixtures.ts;
import static dev.mlops.testkit.DataFrameAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.TableName;
import dev.mlops.features.FeatureFixtures;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.pit.TrainingSet;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * Aggregation views read at a time {@code t} against the plain definition: with {@code T} the
 * latest boundary at or before {@code t}, the windows over the events of {@code [T - w, T)};
 * nothing when the key had no event before {@code T} or its last one is a TTL or more older than
 * {@code T}. Random users with bursts, gaps of several steps, gaps beyond the TTL, events on
 * boundaries, null inputs; read times on events, on boundaries, just before them, and anywhere.
 */
class WindowFeaturesTest {
  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;
  private static final long BASE = Instant.parse("2026-03-01T00:00:00Z").getEpochSecond() * 1_000_000L;
  private static final long[] WINDOWS = {HOUR, 6 * HOUR, DAY, 3 * DAY};
  private static final String[] NAMES = {"1h", "6h", "1d", "3d"};
  private static final long TTL = 3 * DAY;

  static final String REPO = """
      entities:
        - {name: user, join-keys: [{name: user_id, type: bigint}]}
      sources:
        - {name: events, table: raw.events, event-time: ts, created-time: created, partition-column: day}
      feature-views:
        - name: activity
          version: 1
          entities: [user]
          source: events
          ttl: 3d
          aggregation: {granularity: 1h, windows: [1h, 6h, 1d, 3d]}
          features:
            - {name: n, function: count, type: bigint, constraints: {nullable: false, min: 0}}
            - {name: total, function: sum, column: amount, type: double}
            - {name: mean, function: avg, column: amount, type: double}
            - {name: lo, function: min, column: amount, type: double}
            - {name: hi, function: max, column: amount, type: double}
            - {name: sd, function: stddev, column: amount, type: double}
            - {name: kinds, function: approx_count_distinct, column: kind, type: bigint}
            - {name: latest, function: last, column: amount, type: double}
            - {name: web, function: count, filter: "kind = 'web'", type: bigint}
            - {name: share_1h, derived: "CAST(n_1h AS double) / nullif(n_1d, 0)", type: double}
      feature-services:
        - name: svc
          features: [{view: activity, version: 1, features: ["*"]}]
      """;

  @TempDir static Path dir;
  static FeatureFixtures fx;
  static SparkSession spark;
  static List<Row> events;
  static FeatureStore store;

  @BeforeAll
  static void materialize() {
    fx = new FeatureFixtures(dir, Instant.parse("2026-03-20T00:00:00Z")).files(Map.of("repo.yaml", REPO));
    spark = fx.platform.spark();
    Random random = new Random(7);
    events = new ArrayList<>();
    StructType schema = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType)
        .add("created", DataTypes.TimestampType).add("day", DataTypes.DateType)
        .add("amount", DataTypes.DoubleType).add("kind", DataTypes.StringType);
    String[] kinds = {"web", "pos", "atm"};
    for (long user = 1; user <= 30; user++) {
      long t = BASE + random.nextInt(48) * HOUR + random.nextInt(3600) * 1_000_000L;
      int count = user % 7 == 0 ? 1 : 3 + random.nextInt(25);
      for (int i = 0; i < count && t < BASE + 7 * DAY; i++) {
        long at = random.nextInt(8) == 0 ? Math.floorDiv(t, HOUR) * HOUR : t; // some exactly on a boundary
        events.add(RowFactory.create(user, ts(at), ts(at + 5_000_000L), Date.valueOf(LocalDate.ofEpochDay(Math.floorDiv(at, DAY))),
            random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 1000) / 10.0, kinds[random.nextInt(3)]));
        int gap = random.nextInt(10);
        t += gap < 5 ? random.nextInt(40) * 60_000_000L : gap < 8 ? (2 + random.nextInt(10)) * HOUR : (2 + random.nextInt(3)) * DAY;
      }
    }
    Dataset<Row> df = spark.createDataFrame(events, schema).repartition(3);
    fx.warehouse.write(df, TableName.parse("raw.events")).partitionBy("day").commit();
    store = fx.store();
    fx.run("features.apply", store::apply);
    fx.run("features.materialize", r -> store.materialize("activity", 1, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 12), r));
  }

  @Test
  void valuesReadAtAnyTimeEqualTheAggregatesOverTheWindowsOfTheLatestBoundary() {
    Random random = new Random(11);
    List<Row> spine = new ArrayList<>();
    for (Row e : events) {
      long t = micros(e.getTimestamp(1));
      spine.add(RowFactory.create(e.getLong(0), ts(t)));                                   // at the event itself
      spine.add(RowFactory.create(e.getLong(0), ts(Math.floorDiv(t, HOUR) * HOUR + HOUR)));  // next boundary
      spine.add(RowFactory.create(e.getLong(0), ts(Math.floorDiv(t, HOUR) * HOUR + HOUR - 1))); // just before it
      spine.add(RowFactory.create(e.getLong(0), ts(t + random.nextInt(5 * 24) * HOUR + random.nextInt(3600) * 1_000_000L)));
      spine.add(RowFactory.create(e.getLong(0), ts(t + TTL + random.nextInt(2) * HOUR)));  // around expiry
    }
    spine.add(RowFactory.create(999L, ts(BASE + DAY)));                                    // a user without events
    spine.add(RowFactory.create(null, ts(BASE + DAY)));                                    // a null key
    StructType spineSchema = new StructType().add("user_id", DataTypes.LongType).add("t", DataTypes.TimestampType);
    Dataset<Row> spineDf = spark.createDataFrame(spine, spineSchema).repartition(4);
    TrainingSet set = store.historical("svc", null, spineDf, "t", Map.of(), null);

    List<Row> expected = new ArrayList<>();
    for (Row s : spine) {
      expected.add(reference(s));
    }
    Dataset<Row> actual = rounded(set.rows());
    assertThat(set.rows().count()).isEqualTo(spine.size());
    assertSameRows(actual, rounded(spark.createDataFrame(expected, set.rows().schema())));
  }

  @Test
  void reMaterializingADayReplacesItWithTheSameRows() {
    TableName table = TableName.parse("features.activity_v1");
    Dataset<Row> before = fx.warehouse.read(table).drop("created_ts");
    fx.run("features.materialize", r -> store.materialize("activity", 1, LocalDate.of(2026, 3, 3), LocalDate.of(2026, 3, 4), r));
    Dataset<Row> after = fx.warehouse.read(table).drop("created_ts");
    assertSameRows("a sub-range recomputed from its lookback", after, before);
    assertThat(after.count()).as("no duplicates").isEqualTo(before.count());
  }

  @Test
  void expiryRowsMarkWhereTheTtlRanOutAndEmptyWindowsCountZero() {
    Row r = spark.sql("SELECT count_if(n_1h IS NULL), count_if(n_1h = 0 AND mean_1h IS NULL AND total_1h = 0),"
        + " count_if(n_3d = 0) FROM features.activity_v1").first();
    assertThat(r.getLong(0)).as("expiry rows").isPositive();
    assertThat(r.getLong(1)).as("rows with an empty 1h window: count 0, sum 0, mean null").isPositive();
    assertThat(r.getLong(2)).as("the 3d window is never empty while the key is alive (ttl = 3d)").isZero();
  }

  /** The plain definition for one spine row. */
  private static Row reference(Row s) {
    Object[] out = new Object[2 + 4 * 9 + 1];
    out[0] = s.get(0);
    out[1] = s.get(1);
    if (s.isNullAt(0)) {
      return RowFactory.create(out);
    }
    long t = micros(s.getTimestamp(1));
    long boundary = Math.floorDiv(t, HOUR) * HOUR;
    List<Row> mine = events.stream().filter(e -> e.getLong(0) == s.getLong(0) && micros(e.getTimestamp(1)) < boundary)
        .sorted(Comparator.comparingLong((Row e) -> micros(e.getTimestamp(1))).thenComparingLong(e -> micros(e.getTimestamp(2))))
        .toList();
    if (mine.isEmpty() || boundary >= micros(mine.get(mine.size() - 1).getTimestamp(1)) + TTL) {
      return RowFactory.create(out);
    }
    int o = 2;
    long[] counts = new long[4];
    for (int fn = 0; fn < 9; fn++) {
      for (int w = 0; w < 4; w++) {
        long from = boundary - WINDOWS[w];
        List<Row> in = mine.stream().filter(e -> micros(e.getTimestamp(1)) >= from).toList();
        List<Double> amounts = in.stream().filter(e -> !e.isNullAt(4)).map(e -> e.getDouble(4)).toList();
        double sum = amounts.stream().mapToDouble(Double::doubleValue).sum();
        out[o++] = switch (fn) {
          case 0 -> counts[w] = in.size();
          case 1 -> sum;
          case 2 -> amounts.isEmpty() ? null : sum / amounts.size();
          case 3 -> amounts.stream().min(Double::compare).orElse(null);
          case 4 -> amounts.stream().max(Double::compare).orElse(null);
          case 5 -> amounts.size() < 2 ? null : Math.sqrt(amounts.stream()
              .mapToDouble(a -> (a - sum / amounts.size()) * (a - sum / amounts.size())).sum() / (amounts.size() - 1));
          case 6 -> (long) in.stream().map(e -> e.getString(5)).collect(java.util.stream.Collectors.toSet()).size();
          case 7 -> {
            // The latest by event time, then created time, then (full ties) the greater value.
            yield in.stream().filter(e -> !e.isNullAt(4)).max(Comparator.comparingLong((Row e) -> micros(e.getTimestamp(1)))
                .thenComparingLong(e -> micros(e.getTimestamp(2))).thenComparingDouble(e -> e.getDouble(4)))
                .map(e -> e.getDouble(4)).orElse(null);
          }
          default -> in.stream().filter(e -> "web".equals(e.getString(5))).count();
        };
      }
    }
    out[o] = counts[2] == 0 ? null : (double) counts[0] / counts[2];
    return RowFactory.create(out);
  }

  private static Dataset<Row> rounded(Dataset<Row> df) {
    Set<String> doubles = new HashSet<>();
    for (var f : df.schema().fields()) {
      if (f.dataType().equals(DataTypes.DoubleType)) {
        doubles.add(f.name());
      }
    }
    Dataset<Row> r = df;
    for (String c : doubles) {
      r = r.withColumn(c, org.apache.spark.sql.functions.round(org.apache.spark.sql.functions.col(c), 6));
    }
    return r;
  }

  static List<String> names() {
    return List.of(NAMES);
  }
}
