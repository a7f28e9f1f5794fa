package dev.mlops.benchmarks;

import dev.mlops.features.AggregateFunction;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureView;
import dev.mlops.features.JoinKey;
import dev.mlops.features.Source;
import dev.mlops.features.SourceLocation;
import dev.mlops.features.ValueType;
import dev.mlops.features.ViewQuery;
import dev.mlops.features.WindowedAggregate;
import dev.mlops.features.materialize.Materializer;
import dev.mlops.core.tables.TableName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mlops bench materialize}: an aggregation view with four windows (1h, 1d, 7d, 30d) and four
 * aggregations (count, sum, avg, max) over generated events, computed in one pass against an
 * independent baseline, the tiled approach ({@link TiledWindows}: hourly buckets, then Spark's
 * range window frames). Throughput in source events per second; both results forced in full,
 * then compared row by row (untimed).
 */
public final class MaterializeBenchmark {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant END = START.plus(Duration.ofDays(30));
  static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7),
      Duration.ofDays(30));
  static final Duration TTL = Duration.ofDays(30);
  /** How far our values may be from the baseline's: sums slid by adding and subtracting. */
  static final double RELATIVE = 1e-9;

  private final SparkSession spark;
  private final String dir;

  public MaterializeBenchmark(SparkSession spark, String dir) {
    this.spark = spark;
    this.dir = dir;
  }

  /** Generates {@code events} events (once), measures ours and the tiled baseline, and compares their rows. */
  public BenchResult run(long events, Consumer<String> progress, Consumer<BenchResult> report) {
    String path = dir + "/events_" + events;
    progress.accept("generating " + events + " events");
    generate(events, path);
    Dataset<Row> source = spark.read().parquet(path);
    progress.accept("warming up");
    force(ours(source.limit(200_000)));
    force(TiledWindows.compute(source.limit(200_000), START, END, WINDOWS, TTL));
    progress.accept("ours: all four windows in one pass");
    Timer.Timed<Long> ours = Timer.time(() -> force(ours(source)));
    progress.accept("tiled: hourly buckets, then RANGE BETWEEN INTERVAL window frames");
    Timer.Timed<Long> tiled = Timer.time(() -> force(TiledWindows.compute(source, START, END, WINDOWS, TTL)));
    progress.accept("comparing the two outputs row by row");
    OutputComparison comparison = TiledWindows.compare(ours(source), TiledWindows.compute(source, START, END, WINDOWS, TTL),
        features(), RELATIVE, 5);
    if (!comparison.agrees()) {
      progress.accept("materialize: OUTPUTS DIFFER: " + comparison.firstMismatches());
    }
    Map<String, Object> d = BenchResult.details("hourly buckets, then each window by RANGE BETWEEN INTERVAL frames over them"
        + " (tiled, as Tecton and Feathr)", comparison);
    d.put("events_per_second", Math.round(events / ours.seconds()));
    d.put("baseline_events_per_second", Math.round(events / tiled.seconds()));
    d.put("feature_rows", ours.value());
    d.put("baseline_feature_rows", tiled.value());
    d.put("windows", WINDOWS.stream().map(dev.mlops.core.config.Durations::format).toList());
    BenchResult r = new BenchResult("materialize 4 windows x 4 aggregations", events, ours.seconds(), tiled.seconds(), d);
    report.accept(r);
    return r;
  }

  /** Our rows, in the columns the baseline has. */
  static Dataset<Row> ours(Dataset<Row> source) {
    List<org.apache.spark.sql.Column> columns = new ArrayList<>(List.of(org.apache.spark.sql.functions.col("customer_id"),
        org.apache.spark.sql.functions.col("feature_ts"), org.apache.spark.sql.functions.col("_expired")));
    features().forEach(f -> columns.add(org.apache.spark.sql.functions.col(f)));
    return Materializer.aggregationRows(view(WINDOWS), source, START, END, START)
        .select(columns.toArray(org.apache.spark.sql.Column[]::new));
  }

  /** The feature columns, aggregate by aggregate, window by window. */
  static List<String> features() {
    List<String> out = new ArrayList<>();
    for (String a : List.of("n", "total", "mean", "top")) {
      WINDOWS.forEach(w -> out.add(a + "_" + dev.mlops.core.config.Durations.format(w)));
    }
    return out;
  }

  private static long force(Dataset<Row> rows) {
    return rows.agg(org.apache.spark.sql.functions.expr("count(*)"), org.apache.spark.sql.functions.expr("sum(hash(*))"))
        .first().getLong(0);
  }

  static FeatureView view(List<Duration> windows) {
    Source source = new Source("events", new SourceLocation.Table(TableName.parse("bench.events")), "ts", null, null, "");
    List<WindowedAggregate> aggregates = new ArrayList<>();
    aggregates.add(new WindowedAggregate("n", AggregateFunction.COUNT, null, null, windows, ValueType.BIGINT, "", null));
    aggregates.add(new WindowedAggregate("total", AggregateFunction.SUM, "amount", null, windows, ValueType.DOUBLE, "", null));
    aggregates.add(new WindowedAggregate("mean", AggregateFunction.AVG, "amount", null, windows, ValueType.DOUBLE, "", null));
    aggregates.add(new WindowedAggregate("top", AggregateFunction.MAX, "amount", null, windows, ValueType.DOUBLE, "", null));
    return FeatureView.builder("bench_spend", 1)
        .entity(new Entity("customer", List.of(new JoinKey("customer_id", ValueType.BIGINT)), ""))
        .ttl(TTL)
        .aggregation(new ViewQuery.Aggregation(source, Duration.ofHours(1), windows, null, aggregates, List.of()))
        .build();
  }

  private void generate(long events, String path) {
    GeneratedData.once(spark, path, () -> {
      spark.range(0, events, 1, 8).selectExpr(
          "pmod(xxhash64(id, 1), 100000) AS customer_id",
          "timestamp_seconds(" + START.getEpochSecond() + " + pmod(xxhash64(id, 2), " + Duration.ofDays(30).toSeconds() + ")) AS ts",
          "CAST(pmod(xxhash64(id, 3), 50000) AS double) / 100 AS amount")
          .write().mode("overwrite").parquet(path);
    });
  }
}
