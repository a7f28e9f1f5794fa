package dev.mlops.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.features.pit.AsOfJoin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code mlops bench pit}: our point-in-time join against two baselines implemented here, on the
 * same generated data in the same process:
 *
 * <ul>
 *   <li><b>range join</b>, as Feast's Spark offline store: join on {@code key = key AND
 *       feature_ts <= t AND feature_ts >= t - ttl}, then {@code row_number()} per spine row ordered
 *       by feature time, created time and the tie-breaking fingerprint, keeping the first;
 *   <li><b>union + last</b>, as Databricks' Tempo {@code asofJoin}: the union of both sides, and
 *       {@code last(column, ignoreNulls)} over a window per key ordered by time (features before
 *       spine rows at equal times), then the spine rows, with features older than the TTL nulled.
 *
 *   <li><b>fixed range join</b>: the same candidate pairs, the latest per (key, spine row) by
 *       {@code max(struct)}, on the join's own partitioning (no second shuffle).
 * </ul>
 *
 * <p>Each case also times the floor of any shuffle join: both sides shuffled by key, nothing
 * joined, into the session's shuffle partitions and, when ours shuffles into more, into as many as
 * ours; the faster counts.
 *
 * <p>The skewed case skips both range joins: on the hot key it pairs about a million spine rows with
 * a million feature rows (some 2e11 candidate pairs within the TTL), which does not finish.
 *
 * <p>Data: times uniform over 30 days, TTL 7 days, ~100k keys (or one key holding 20% of the rows in
 * the skewed case), no null feature values (so that {@code ignoreNulls} cannot differ), stored as
 * Parquet. Each variant's whole result is computed (count and sums) and a checksum of every output
 * row compared across variants.
 */
public final class PitBenchmark {
  private static final long TTL_SECONDS = 7 * 86_400L;
  private static final long SPAN_SECONDS = 30 * 86_400L;
  private static final long BASE_SECONDS = 1_767_225_600L; // 2026-01-01

  /** A case: spine rows, feature rows, keys, and whether one key holds 20% of the rows. */
  public record Case(String name, long spineRows, long featureRows, long keys, boolean skewed) {}

  /** The default cases of the issue. */
  public static List<Case> defaultCases() {
    return List.of(
        new Case("pit 1M x 1M", 1_000_000, 1_000_000, 100_000, false),
        new Case("pit 1M x 5M", 1_000_000, 5_000_000, 100_000, false),
        new Case("pit 5M x 1M", 5_000_000, 1_000_000, 100_000, false),
        new Case("pit 5M x 5M", 5_000_000, 5_000_000, 100_000, false),
        new Case("pit 5M x 5M skewed", 5_000_000, 5_000_000, 100_000, true));
  }

  /** The case of {@code bench all --quick}: small enough for a smoke run, with both range joins. */
  public static Case quickCase() {
    return new Case("pit 200k x 200k", 200_000, 200_000, 20_000, false);
  }

  private final SparkSession spark;
  private final String dir;
  private final int repeat;

  /**
   * @param spark the session
   * @param dir where to keep the generated data (a folder URI)
   * @param repeat how many times to run each variant; the fastest run counts (the first warms up)
   */
  public PitBenchmark(SparkSession spark, String dir, int repeat) {
    this.spark = spark;
    this.dir = dir;
    this.repeat = Math.max(1, repeat);
  }

  /** Runs {@code cases}, reporting each result as soon as it is known. */
  public List<BenchResult> run(List<Case> cases, Consumer<String> progress, Consumer<BenchResult> report) {
    List<BenchResult> results = new ArrayList<>();
    progress.accept("warming up");
    long warm = Math.min(200_000, cases.stream().mapToLong(Case::spineRows).min().orElse(200_000));
    new PitBenchmark(spark, dir, 1).measure(new Case("warm-up " + warm, warm, warm, Math.max(1, warm / 10), false), s -> {});
    for (Case c : cases) {
      progress.accept(c.name() + ": generating data");
      Measured m = measure(c, progress);
      for (Variant v : Variant.values()) {
        if (v == Variant.OURS || !m.timed().containsKey(v)) {
          continue;
        }
        BenchResult r = new BenchResult(c.name() + " vs " + v.label, c.spineRows(), m.seconds(Variant.OURS), m.seconds(v),
            details(c, m, v));
        results.add(r);
        report.accept(r);
      }
    }
    return results;
  }

  /** The variants timed: ours and the baselines. */
  enum Variant {
    OURS("ours", "ours"),
    RANGE("range join", "range join + row_number per spine row (Feast)"),
    FIXED_RANGE("fixed range join", "range join + max(struct) per (key, spine row), on the join's partitioning"),
    UNION("union+last", "union + last(ignoreNulls) window (Tempo)");

    final String label;
    final String baseline;

    Variant(String label, String baseline) {
      this.label = label;
      this.baseline = baseline;
    }
  }

  /** A case's timings (the fastest run of each variant), summaries, and the floor of shuffling both sides. */
  record Measured(Map<Variant, Timer.Timed<Row>> timed, double floorSeconds, int runs) {
    double seconds(Variant v) {
      return timed.get(v).seconds();
    }
  }

  private static Map<String, Object> details(Case c, Measured m, Variant v) {
    Map<String, Object> d = BenchResult.details(v.baseline, compare(m.timed().get(Variant.OURS).value(), m.timed().get(v).value()));
    d.put("feature_rows", c.featureRows());
    d.put("keys", c.keys());
    d.put("skewed", c.skewed());
    d.put("floor_seconds", Math.round(m.floorSeconds() * 100) / 100.0);
    d.put("over_floor", Math.round(m.seconds(Variant.OURS) / m.floorSeconds() * 100) / 100.0);
    d.put("runs_each", m.runs());
    return d;
  }

  /** Ours against a baseline: their summaries (count, non-null count, sum, checksum of every row) must be equal. */
  static OutputComparison compare(Row ours, Row baseline) {
    OutputComparison out = OutputComparison.exact();
    String[] what = {"rows", "non-null f1", "sum of f2", "checksum of every output row"};
    for (int i = 0; i < what.length; i++) {
      out.equal(what[i], ours.get(i), baseline.get(i));
    }
    return out;
  }

  private Measured measure(Case c, Consumer<String> progress) {
    String base = dir + "/" + c.name().replaceAll("[^A-Za-z0-9]+", "_");
    generate(c, base);
    Dataset<Row> spine = spark.read().parquet(base + "/spine");
    Dataset<Row> features = spark.read().parquet(base + "/features");
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
    Map<Variant, Timer.Timed<Row>> timed = new java.util.EnumMap<>(Variant.class);
    double floor = Double.MAX_VALUE;
    for (int i = 1; i <= repeat; i++) {
      String round = repeat == 1 ? "" : " (run " + i + " of " + repeat + ")";
      for (Variant v : Variant.values()) {
        if (c.skewed() && (v == Variant.RANGE || v == Variant.FIXED_RANGE)) {
          continue;
        }
        progress.accept(c.name() + ": " + v.label + round);
        timed.put(v, Timer.fastest(timed.get(v), Timer.time(() -> summary(variant(v, spine, features, c, partitions)))));
      }
      // Into the session's shuffle partitions, and into as many as ours shuffles into when that
      // differs: the faster counts.
      int shuffled = AsOfJoin.Pass.shuffled(List.of("k"), List.of(), c.featureRows(), partitions).shufflePartitions();
      for (int n : shuffled == partitions ? List.of(partitions) : List.of(partitions, shuffled)) {
        progress.accept(c.name() + ": floor, both sides shuffled by key into " + n + " partitions" + round);
        floor = Math.min(floor, Timer.time(() -> shuffleFloor(spine, features, n)).seconds());
      }
    }
    Row ours = timed.get(Variant.OURS).value();
    timed.forEach((v, t) -> {
      if (!t.value().equals(ours)) {
        progress.accept(c.name() + ": OUTPUTS DIFFER: ours " + ours + ", " + v.label + " " + t.value());
      }
    });
    return new Measured(timed, floor, repeat);
  }

  Dataset<Row> variant(Variant v, Dataset<Row> spine, Dataset<Row> features, Case c, int partitions) {
    return switch (v) {
      case OURS -> ours(spine, features, c, partitions);
      case RANGE -> rangeJoin(spine, features);
      case FIXED_RANGE -> fixedRangeJoin(spine, features);
      case UNION -> unionLast(spine, features);
    };
  }

  /**
   * The floor of any shuffle join: both sides shuffled by key, every column carried through the
   * shuffle (a hash of each row computed after it), nothing joined.
   */
  static long shuffleFloor(Dataset<Row> spine, Dataset<Row> features, int partitions) {
    long total = 0;
    for (Dataset<Row> side : List.of(spine, features)) {
      Column[] all = java.util.Arrays.stream(side.columns()).map(Identifiers::column).toArray(Column[]::new);
      total += side.repartition(partitions, col("k")).agg(expr("count(*)"),
          org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.pmod(org.apache.spark.sql.functions.xxhash64(all),
              org.apache.spark.sql.functions.lit(1_000_000_007L)))).first().getLong(0);
    }
    return total;
  }

  /** Count, sums and a checksum over every output row: forces the whole result. */
  private static Row summary(Dataset<Row> out) {
    return out.agg(expr("count(*)"), expr("count(f1)"), expr("sum(f2)"),
        expr("sum(pmod(xxhash64(row_id, k, t, label, f1, f2, ft), 1000000007))")).first();
  }

  Dataset<Row> ours(Dataset<Row> spine, Dataset<Row> features, Case c, int minimumPartitions) {
    AsOfJoin.Side side = new AsOfJoin.Side(features, List.of("k"), "feature_ts", "created_ts", List.of("f1", "f2", "feature_ts"),
        List.of("f1", "f2", "ft"), TTL_SECONDS * 1_000_000L);
    return AsOfJoin.joinAll(spine, "t", List.of(AsOfJoin.Pass.shuffled(List.of("k"), List.of(side), c.featureRows(),
        minimumPartitions)), Long.MIN_VALUE);
  }

  static Dataset<Row> rangeJoin(Dataset<Row> spine, Dataset<Row> features) {
    Dataset<Row> f = features.withColumn("tb", expr("xxhash64(f1, f2, feature_ts)")).alias("f");
    Dataset<Row> joined = spine.alias("s").join(f, col("s.k").equalTo(col("f.k"))
        .and(col("f.feature_ts").leq(col("s.t")))
        .and(col("f.feature_ts").geq(expr("s.t - INTERVAL " + TTL_SECONDS + " SECONDS"))), "left");
    WindowSpec w = Window.partitionBy(col("s.row_id"))
        .orderBy(col("f.feature_ts").desc_nulls_last(), col("f.created_ts").desc_nulls_last(), col("tb").desc_nulls_last());
    return joined.withColumn("rn", org.apache.spark.sql.functions.row_number().over(w)).where("rn = 1")
        .select(col("s.row_id"), col("s.k"), col("s.t"), col("s.label"), col("f.f1"), col("f.f2"), col("f.feature_ts").as("ft"));
  }

  /**
   * The range join as a competent engineer fixes it: the same candidate pairs, then the latest one
   * per spine row as {@code max(struct(feature_ts, created_ts, tie-break, values))} grouped by
   * (key, spine row), which the join's partitioning by key already satisfies: no second shuffle.
   */
  static Dataset<Row> fixedRangeJoin(Dataset<Row> spine, Dataset<Row> features) {
    Dataset<Row> f = features.withColumn("tb", expr("xxhash64(f1, f2, feature_ts)")).alias("f");
    Dataset<Row> joined = spine.alias("s").join(f, col("s.k").equalTo(col("f.k"))
        .and(col("f.feature_ts").leq(col("s.t")))
        .and(col("f.feature_ts").geq(expr("s.t - INTERVAL " + TTL_SECONDS + " SECONDS"))), "left");
    return joined.groupBy(col("s.k").as("k"), col("s.row_id").as("row_id"), col("s.t").as("t"), col("s.label").as("label"))
        .agg(org.apache.spark.sql.functions.max(org.apache.spark.sql.functions.struct(col("f.feature_ts"), col("f.created_ts"),
            col("tb"), col("f.f1"), col("f.f2"))).as("m"))
        .select(col("row_id"), col("k"), col("t"), col("label"), col("m.f1").as("f1"), col("m.f2").as("f2"),
            col("m.feature_ts").as("ft"));
  }

  static Dataset<Row> unionLast(Dataset<Row> spine, Dataset<Row> features) {
    Dataset<Row> left = spine.select(col("row_id"), col("k"), col("t").as("ts"), col("label"), expr("1 AS side"),
        expr("CAST(NULL AS timestamp) AS ct"), expr("CAST(NULL AS bigint) AS tb"),
        expr("CAST(NULL AS double) AS f1"), expr("CAST(NULL AS bigint) AS f2"), expr("CAST(NULL AS timestamp) AS ft"));
    Dataset<Row> right = features.select(expr("CAST(NULL AS bigint) AS row_id"), col("k"), col("feature_ts").as("ts"),
        expr("CAST(NULL AS int) AS label"), expr("0 AS side"), col("created_ts").as("ct"), expr("xxhash64(f1, f2, feature_ts) AS tb"),
        col("f1"), col("f2"), col("feature_ts").as("ft"));
    WindowSpec w = Window.partitionBy(col("k")).orderBy(col("ts"), col("side"), col("ct"), col("tb"))
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    List<Column> cols = new ArrayList<>(List.of(col("row_id"), col("k"), col("ts"), col("label"), col("side")));
    for (String f : List.of("f1", "f2", "ft")) {
      cols.add(org.apache.spark.sql.functions.last(Identifiers.column(f), true).over(w).as(f));
    }
    return left.unionByName(right).select(cols.toArray(Column[]::new)).where("side = 1")
        .select(col("row_id"), col("k"), col("ts").as("t"), col("label"),
            expr("CASE WHEN ft >= ts - INTERVAL " + TTL_SECONDS + " SECONDS THEN f1 END AS f1"),
            expr("CASE WHEN ft >= ts - INTERVAL " + TTL_SECONDS + " SECONDS THEN f2 END AS f2"),
            expr("CASE WHEN ft >= ts - INTERVAL " + TTL_SECONDS + " SECONDS THEN ft END AS ft"));
  }

  /** Deterministic data for {@code c} (same case, same rows), written once as Parquet. */
  void generate(Case c, String base) {
    GeneratedData.once(spark, base, () -> {
      String key = c.skewed()
          ? "CASE WHEN pmod(xxhash64(id, 7), 5) = 0 THEN 0 ELSE 1 + pmod(xxhash64(id, 1), " + (c.keys() - 1) + ") END"
          : "pmod(xxhash64(id, 1), " + c.keys() + ")";
      spark.range(0, c.featureRows(), 1, 8).selectExpr(
          key + " AS k",
          "timestamp_seconds(" + BASE_SECONDS + " + pmod(xxhash64(id, 2), " + SPAN_SECONDS + ")) AS feature_ts",
          "timestamp_seconds(" + BASE_SECONDS + " + pmod(xxhash64(id, 2), " + SPAN_SECONDS + ") + pmod(xxhash64(id, 3), 3600)) AS created_ts",
          "CAST(pmod(xxhash64(id, 4), 100000) AS double) / 100 AS f1",
          "pmod(xxhash64(id, 5), 1000) AS f2")
          .write().mode("overwrite").parquet(base + "/features");
      spark.range(0, c.spineRows(), 1, 8).selectExpr(
          "id AS row_id",
          key.replace("id, 1", "id, 11").replace("id, 7", "id, 17") + " AS k",
          "timestamp_seconds(" + BASE_SECONDS + " + pmod(xxhash64(id, 12), " + SPAN_SECONDS + ")) AS t",
          "CAST(pmod(xxhash64(id, 13), 2) AS int) AS label")
          .write().mode("overwrite").parquet(base + "/spine");
    });
  }
}
