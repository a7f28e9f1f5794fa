package dev.mlops.features.pit;

import static dev.mlops.testkit.DataFrameAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The as-of join against the plain definition, on random small cases: ties on feature time,
 * ties on created time (and null created times), nulls in keys and values, rows exactly at the
 * TTL boundary, keys without features, duplicate spine rows, two views with different TTLs, one-
 * and two-column keys of both types; shuffled and broadcast, with and without the spine's first time
 * given (early feature rows left out); the sides in one pass and in passes of their own; through
 * Spark's internals and through the public API. 12 batches of 100 cases.
 */
class AsOfJoinPropertyTest {
  private static final long MINUTE = 60_000_000L;
  private static final long BASE = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z in micros
  /** What the join sees in a Spark without the internals it calls: its public-API path. */
  private static final SparkInternals.Availability WITHOUT_INTERNALS =
      SparkInternals.probe(List.of("org.apache.spark.sql.classic.NoSuchSparkSession"));

  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = TestPlatform.create(dir).spark();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void theJoinEqualsTheBruteForceDefinition(int batch) {
    Random random = new Random(1000L + batch);
    boolean stringKey = batch % 2 == 0;
    boolean compositeKey = batch % 3 != 0;
    DataType kType = stringKey ? DataTypes.StringType : DataTypes.LongType;
    long ttlA = (1 + random.nextInt(6)) * MINUTE;
    long ttlB = (2 + random.nextInt(10)) * MINUTE;

    StructType spineSchema = new StructType().add("case_id", DataTypes.LongType, true).add("k", kType, true)
        .add("t", DataTypes.TimestampType, true).add("label", DataTypes.IntegerType, true);
    StructType aSchema = new StructType().add("case_id", DataTypes.LongType).add("k", kType)
        .add("ft", DataTypes.TimestampType).add("ct", DataTypes.TimestampType)
        .add("x", DataTypes.DoubleType).add("s", DataTypes.StringType);
    StructType bSchema = new StructType().add("case_id", DataTypes.LongType).add("k", kType)
        .add("ft", DataTypes.TimestampType).add("ct", DataTypes.TimestampType).add("y", DataTypes.LongType);
    List<Row> spineRows = new ArrayList<>();
    List<Row> aRows = new ArrayList<>();
    List<Row> bRows = new ArrayList<>();
    for (int c = 0; c < 100; c++) {
      long caseId = batch * 1000L + c;
      int keys = 1 + random.nextInt(4);
      for (int f = random.nextInt(12); f > 0; f--) {
        long ft = BASE + random.nextInt(20) * MINUTE;
        aRows.add(RowFactory.create(caseId, key(random, keys, stringKey, 0.05), ts(ft),
            random.nextInt(5) == 0 ? null : ts(ft + random.nextInt(3) * MINUTE),
            random.nextInt(6) == 0 ? null : (double) random.nextInt(4), random.nextInt(5) == 0 ? null : "s" + random.nextInt(3)));
      }
      for (int f = random.nextInt(8); f > 0; f--) {
        long ft = BASE + random.nextInt(20) * MINUTE;
        bRows.add(RowFactory.create(caseId, key(random, keys, stringKey, 0.05), ts(ft), ts(ft),
            random.nextInt(6) == 0 ? null : (long) random.nextInt(3)));
      }
      List<Row> caseSpine = new ArrayList<>();
      for (int s = random.nextInt(10); s > 0; s--) {
        long t;
        if (random.nextInt(4) == 0 && !aRows.isEmpty()) {
          Row anchor = aRows.get(aRows.size() - 1 - random.nextInt(Math.min(aRows.size(), 5)));
          t = micros(anchor.getTimestamp(2)) + (random.nextBoolean() ? ttlA : ttlB); // exactly at a TTL boundary
        } else {
          t = BASE + random.nextInt(26) * MINUTE;
        }
        caseSpine.add(RowFactory.create(compositeKey || random.nextInt(20) != 0 ? caseId : null,
            key(random, keys + 1, stringKey, 0.1), random.nextInt(30) == 0 ? null : ts(t), random.nextInt(2)));
      }
      if (!caseSpine.isEmpty() && random.nextBoolean()) {
        caseSpine.add(caseSpine.get(random.nextInt(caseSpine.size()))); // a duplicate spine row
      }
      spineRows.addAll(caseSpine);
    }

    // Half the batches give the join the spine's first time: the feature rows before it that a later
    // one before it outranks are left out, and the rows must not change.
    long start = Long.MIN_VALUE;
    if (batch % 4 >= 2) {
      long first = BASE + (5 + random.nextInt(10)) * MINUTE;
      spineRows.removeIf(r -> r.get(2) != null && micros(r.getTimestamp(2)) < first);
      start = first;
    }
    Dataset<Row> spine = spark.createDataFrame(spineRows, spineSchema).repartition(3);
    Dataset<Row> a = spark.createDataFrame(aRows, aSchema).repartition(3);
    Dataset<Row> b = spark.createDataFrame(bRows, bSchema).repartition(2);
    List<String> spineKeys = compositeKey ? List.of("case_id", "k") : List.of("k");
    if (!compositeKey) {
      // One-column keys: make the key unique across cases.
      spine = spine.withColumn("k", org.apache.spark.sql.functions.expr(
          stringKey ? "concat(case_id, '/', k)" : "case_id * 100 + k"));
      a = a.withColumn("k", org.apache.spark.sql.functions.expr(stringKey ? "concat(case_id, '/', k)" : "case_id * 100 + k"));
      b = b.withColumn("k", org.apache.spark.sql.functions.expr(stringKey ? "concat(case_id, '/', k)" : "case_id * 100 + k"));
    }
    List<AsOfJoin.Side> sides = List.of(
        new AsOfJoin.Side(a, spineKeys, "ft", "ct", List.of("x", "s"), List.of("a_x", "a_s"), ttlA),
        new AsOfJoin.Side(b, spineKeys, "ft", "ct", List.of("y"), List.of("b_y"), ttlB));
    Dataset<Row> joined = AsOfJoin.join(spine, spineKeys, "t", sides, 4, start);
    Dataset<Row> broadcast = AsOfJoin.broadcastJoin(spine, spineKeys, "t", sides, start);
    Dataset<Row> publicApi = AsOfJoin.joinAll(spine, "t", List.of(new AsOfJoin.Pass(spineKeys, sides, false, 4)), start,
        WITHOUT_INTERNALS);

    List<Row> expected = bruteForce(spine.collectAsList(), withTiebreak(a, List.of("x", "s")),
        withTiebreak(b, List.of("y")), spineKeys.size() == 2, ttlA, ttlB);
    StructType outSchema = spine.schema().add("a_x", DataTypes.DoubleType).add("a_s", DataTypes.StringType)
        .add("b_y", DataTypes.LongType);
    assertThat(joined.schema().fieldNames()).containsExactly(outSchema.fieldNames());
    assertThat(joined.count()).as("one output row per spine row").isEqualTo(spineRows.size());
    assertSameRows("batch " + batch, joined, spark.createDataFrame(expected, outSchema));
    assertThat(broadcast.schema()).isEqualTo(joined.schema());
    assertSameRows("batch " + batch + ", broadcast", broadcast, spark.createDataFrame(expected, outSchema));
    assertThat(publicApi.schema()).isEqualTo(joined.schema());
    assertSameRows("batch " + batch + ", public API", publicApi, spark.createDataFrame(expected, outSchema));

    // The same sides in passes of their own, plus b once more under another name (c_y, the same
    // values), one way of chaining them per batch: broadcast passes on the rows of a shuffled one;
    // a pass of two sides (values packed per view) on the rows of a broadcast one; a shuffled pass
    // of two sides after a broadcast one. Both shuffled passes shuffle into more partitions than
    // they output: each output partition reads a run of shuffled ones, each indexed apart.
    AsOfJoin.Side c = new AsOfJoin.Side(b, spineKeys, "ft", "ct", List.of("y"), List.of("c_y"), ttlB);
    List<AsOfJoin.Pass> passes = switch (batch % 3) {
      case 0 -> List.of(new AsOfJoin.Pass(spineKeys, List.of(sides.get(0)), false, 2, 5),
          new AsOfJoin.Pass(spineKeys, List.of(sides.get(1)), true, 0), new AsOfJoin.Pass(spineKeys, List.of(c), true, 0));
      case 1 -> List.of(new AsOfJoin.Pass(spineKeys, List.of(sides.get(0)), true, 0),
          new AsOfJoin.Pass(spineKeys, List.of(sides.get(1), c), true, 0));
      default -> List.of(new AsOfJoin.Pass(spineKeys, List.of(sides.get(0)), true, 0),
          new AsOfJoin.Pass(spineKeys, List.of(sides.get(1), c), false, 2, 7));
    };
    Dataset<Row> chained = AsOfJoin.joinAll(spine, "t", passes, start);
    if (batch % 3 != 1) {
      assertThat(chained.javaRDD().getNumPartitions()).as("the output coalesced to the pass's partitions").isEqualTo(2);
    }
    List<Row> expectedChained = expected.stream().map(r -> {
      Object[] values = new Object[r.size() + 1];
      for (int i = 0; i < r.size(); i++) {
        values[i] = r.get(i);
      }
      values[r.size()] = r.get(r.size() - 1);
      return RowFactory.create(values);
    }).toList();
    StructType chainedSchema = outSchema.add("c_y", DataTypes.LongType);
    assertThat(chained.schema().fieldNames()).containsExactly(chainedSchema.fieldNames());
    assertSameRows("batch " + batch + ", passes " + passes.stream().map(p -> p.broadcast() ? "broadcast" : "shuffled").toList(),
        chained, spark.createDataFrame(expectedChained, chainedSchema));
    assertSameRows("batch " + batch + ", passes, public API", AsOfJoin.joinAll(spine, "t", passes, start, WITHOUT_INTERNALS),
        spark.createDataFrame(expectedChained, chainedSchema));
  }



  /** The feature rows with the fingerprint the join breaks full ties with. */
  private static List<Row> withTiebreak(Dataset<Row> rows, List<String> features) {
    return rows.withColumn("_tb", org.apache.spark.sql.functions.xxhash64(
        features.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)))
        .collectAsList();
  }

  /** The plain definition, row by row. */
  private static List<Row> bruteForce(List<Row> spine, List<Row> a, List<Row> b, boolean composite, long ttlA, long ttlB) {
    List<Row> out = new ArrayList<>();
    for (Row s : spine) {
      Row ma = latest(s, a, composite, ttlA);
      Row mb = latest(s, b, composite, ttlB);
      out.add(RowFactory.create(s.get(0), s.get(1), s.get(2), s.get(3),
          ma == null ? null : ma.get(4), ma == null ? null : ma.get(5), mb == null ? null : mb.get(4)));
    }
    return out;
  }

  private static Row latest(Row s, List<Row> rows, boolean composite, long ttl) {
    if (s.isNullAt(1) || s.isNullAt(2) || (composite && s.isNullAt(0))) {
      return null;
    }
    long t = micros(s.getTimestamp(2));
    Comparator<Row> order = Comparator.<Row>comparingLong(r -> micros(r.getTimestamp(2)))
        .thenComparingLong(r -> r.isNullAt(3) ? Long.MIN_VALUE : micros(r.getTimestamp(3)))
        .thenComparingLong(r -> r.getLong(r.size() - 1));
    Row best = null;
    for (Row r : rows) {
      boolean sameKey = !r.isNullAt(1) && r.get(1).equals(s.get(1)) && (!composite || (!r.isNullAt(0) && r.get(0).equals(s.get(0))));
      if (!sameKey) {
        continue;
      }
      long ft = micros(r.getTimestamp(2));
      if (ft <= t && t - ft <= ttl && (best == null || order.compare(r, best) > 0)) {
        best = r;
      }
    }
    return best;
  }

  private static Object key(Random random, int keys, boolean string, double nullRate) {
    if (random.nextDouble() < nullRate) {
      return null;
    }
    int k = random.nextInt(keys);
    return string ? "key" + k : (Object) (long) k;
  }

  private static Timestamp ts(long micros) {
    Timestamp t = new Timestamp(micros / 1000);
    t.setNanos((int) (micros % 1_000_000) * 1000);
    return t;
  }

  private static long micros(Timestamp t) {
    return t.getTime() / 1000 * 1_000_000L + t.getNanos() / 1000;
  }

  @org.junit.jupiter.api.Test
  void theJoinTakesThePublicPathWhenThisSparkLacksWhatTheInternalOneCallsOrTheSettingIsOff() {
    Dataset<Row> spine = spark.sql("SELECT 1L AS k, TIMESTAMP'2026-01-01 00:10:00' AS t");
    Dataset<Row> rows = spark.sql("SELECT 1L AS k, TIMESTAMP'2026-01-01 00:05:00' AS ft, 7.0D AS x");
    List<AsOfJoin.Pass> passes = List.of(new AsOfJoin.Pass(List.of("k"), List.of(new AsOfJoin.Side(rows, List.of("k"), "ft",
        null, List.of("x"), List.of("x"), 60 * MINUTE)), false, 2));
    assertThat(WITHOUT_INTERNALS.reason()).hasValueSatisfying(r -> assertThat(r).contains("NoSuchSparkSession"));
    Dataset<Row> internal = AsOfJoin.joinAll(spine, "t", passes, Long.MIN_VALUE);
    Dataset<Row> fallback = AsOfJoin.joinAll(spine, "t", passes, Long.MIN_VALUE, WITHOUT_INTERNALS);
    assertThat(plan(internal)).as("the internal path probes an RDD of Spark's rows").doesNotContain("Window");
    assertThat(plan(fallback)).as("the public path is a window per key").contains("Window");
    spark.conf().set(SparkInternals.SETTING, "false");
    try {
      assertThat(plan(AsOfJoin.joinAll(spine, "t", passes, Long.MIN_VALUE))).as("the setting turns the internals off")
          .contains("Window");
    } finally {
      spark.conf().unset(SparkInternals.SETTING);
    }
    assertThat(fallback.first().getDouble(2)).isEqualTo(7.0);
    assertThat(internal.first().getDouble(2)).isEqualTo(7.0);
  }

  private static String plan(Dataset<Row> rows) {
    return rows.queryExecution().analyzed().toString();
  }
}
