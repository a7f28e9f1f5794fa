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
 * aggregations (count, sum, avg, max) over generated events, computed in one pass against the
 * naive form: one aggregation job per window (the same computation restricted to that window, run
 * once for each). Throughput in source events per second; both results forced in full.
 */
public final class MaterializeBenchmark {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant END = START.plus(Duration.ofDays(30));
  private static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7),
      Duration.ofDays(30));

  private final SparkSession spark;
  private final String dir;

  public MaterializeBenchmark(SparkSession spark, String dir) {
    this.spark = spark;
    this.dir = dir;
  }

  /** Generates {@code events} events (once) and measures. */
  public BenchResult run(long events, Consumer<String> progress, Consumer<BenchResult> report) {
    String path = dir + "/events_" + events;
    progress.accept("generating " + events + " events");
    generate(events, path);
    Dataset<Row> source = spark.read().parquet(path);
    progress.accept("warming up");
    force(Materializer.aggregationRows(view(WINDOWS), source.limit(200_000), START, END, START));
    progress.accept("ours: all four windows in one pass");
    Timer.Timed<Long> ours = Timer.time(() -> force(Materializer.aggregationRows(view(WINDOWS), source, START, END, START)));
    progress.accept("naive: one job per window");
    Timer.Timed<Long> naive = Timer.time(() -> {
      long rows = 0;
      for (Duration w : WINDOWS) {
        rows += force(Materializer.aggregationRows(view(List.of(w)), source, START, END, START));
      }
      return rows;
    });
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("baseline", "one aggregation job per window");
    d.put("events_per_second", Math.round(events / ours.seconds()));
    d.put("baseline_events_per_second", Math.round(events / naive.seconds()));
    d.put("feature_rows", ours.value());
    d.put("windows", WINDOWS.stream().map(dev.mlops.core.config.Durations::format).toList());
    BenchResult r = new BenchResult("materialize 4 windows x 4 aggregations", events, ours.seconds(), naive.seconds(), d);
    report.accept(r);
    return r;
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
        .ttl(Duration.ofDays(30))
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
