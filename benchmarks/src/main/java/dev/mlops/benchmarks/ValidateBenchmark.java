package dev.mlops.benchmarks;

import dev.mlops.benchmarks.internal.ColumnarFloor;
import dev.mlops.core.spark.Identifiers;
import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.AnalysisRunner;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.Checks;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mlops bench validate}: a suite of 20 checks (exact counters, moments, row-level
 * predicates, HLL distinct counts, KLL quantiles, freshness, schema; no uniqueness) over N
 * generated rows in Parquet, computed in one pass, against three baselines: the <b>fused</b> form
 * (every check's Spark aggregate in one {@code agg}, as Deequ plans it, with Spark's own HLL and
 * KLL sketches), the <b>floor</b> (the same columns, every value touched once in its encoded form
 * from the scan's column batches, the same single-job reduce: {@link ColumnarFloor}), and the
 * <b>naive</b> form (one Spark action per check). Each baseline's numbers are compared with ours
 * ({@link SparkCheckMetrics#TOLERANCE}; the floor's row and non-null counts exactly). A warm-up
 * runs every variant on a smaller file of the same layout; then each variant runs {@code repeat}
 * times and the fastest counts.
 */
public final class ValidateBenchmark {
  /** The columns the checks read values of (the schema check reads none). */
  static final List<String> COLUMNS = List.of("customer_id", "amount", "quantity", "currency", "channel", "country", "ts");
  /** Rows of the warm-up data: the same generator and layout, so that the warm-up runs the timed paths. */
  static final long WARM_UP_ROWS = 100_000;

  private final SparkSession spark;
  private final String dir;
  private final int repeat;

  public ValidateBenchmark(SparkSession spark, String dir, int repeat) {
    this.spark = spark;
    this.dir = dir;
    this.repeat = repeat;
  }

  /**
   * The 20 checks; all hold on {@code rows} generated rows (the distinct customers expected of
   * {@code rows} draws from 100,000, within 10%).
   */
  static List<Check> checks(long rows) {
    double customers = 100_000 * -Math.expm1(-rows / 100_000.0);
    return List.of(
        Checks.rowCount(1L, null), Checks.completeness("customer_id", 0.99), Checks.completeness("amount", 1.0),
        Checks.notNull("currency"), Checks.nonNegative("amount"), Checks.range("quantity", 1, 10), Checks.max("amount", 10_000),
        Checks.allowedValues("currency", List.of("USD", "EUR", "GBP")), Checks.allowedValues("channel", List.of("online", "pos")),
        Checks.pattern("country", "^[A-Z]{2}$"), Checks.approxDistinct("customer_id", customers * 0.9, customers * 1.1),
        Checks.approxDistinct("country", 4.9, 5.1), Checks.quantile("amount", 0.5, 100.0, 400.0),
        Checks.quantile("amount", 0.99, null, 1000.0), Checks.mean("amount", 100.0, 400.0), Checks.stddev("amount", 1.0, null),
        Checks.mean("quantity", 1.0, 10.0),
        Checks.predicate("online_share", "channel = 'online'", List.of("channel"), 0.3),
        Checks.freshness("ts", Duration.ofDays(36_500)),
        Checks.schema(Map.of("id", "bigint", "amount", "double", "currency", "string"), false));
  }

  /** Generates {@code rows} rows (once) and measures: one line against each baseline. */
  public List<BenchResult> run(long rows, Consumer<String> progress, Consumer<BenchResult> report) {
    progress.accept("generating " + rows + " rows");
    String path = dir + "/rows_" + rows;
    generate(rows, path);
    long warmRows = Math.min(WARM_UP_ROWS, rows);
    String warm = dir + "/rows_" + warmRows;
    generate(warmRows, warm);
    List<Check> checks = checks(rows);
    Set<Analyzer> analyzers = new LinkedHashSet<>();
    checks.forEach(c -> analyzers.addAll(c.analyzers()));
    long reference = System.currentTimeMillis() * 1000;
    progress.accept("warming up: every variant once on " + warmRows + " rows of the same layout");
    Runs warmUp = new Runs();
    measureOnce(warm, checks, analyzers, reference, warmUp, s -> {});
    Runs best = new Runs();
    for (int i = 0; i < repeat; i++) {
      int run = i + 1;
      measureOnce(path, checks, analyzers, reference, best, step -> progress.accept("run " + run + "/" + repeat + ": " + step));
    }
    List<String> failed = checks.stream().map(c -> c.evaluate(best.ours.value())).filter(r -> r.status() != CheckStatus.SUCCESS)
        .map(Object::toString).toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException("checks failed on the benchmark data: " + failed);
    }
    List<BenchResult> results = List.of(
        line("vs fused aggregation", rows, best.ours.seconds(), best.fused.seconds(), "every check's Spark aggregate in one agg"
            + " (Deequ's plan; hll_sketch_agg, kll_sketch_agg_double)", SparkCheckMetrics.compare(best.ours.value(), best.fused.value())),
        line("vs touch-every-value floor", rows, best.ours.seconds(), best.floor.seconds(), "the same " + COLUMNS.size()
            + " columns, every value touched once in its encoded form from the column batches, one job",
            compareFloor(best.ours.value(), best.floor.value())),
        line("vs one action per check", rows, best.ours.seconds(), best.naive.seconds(), "one Spark action per check, of"
            + " Spark's own aggregate functions", SparkCheckMetrics.compare(best.ours.value(), best.naive.value())));
    for (BenchResult r : results) {
      if (!r.agrees()) {
        progress.accept(r.name() + ": OUTPUTS DIFFER: " + r.details().get("mismatches"));
      }
      report.accept(r);
    }
    return results;
  }

  private BenchResult line(String against, long rows, double ours, double baseline, String name, OutputComparison comparison) {
    Map<String, Object> d = BenchResult.details(name, comparison);
    d.put("checks", 20);
    d.put("repeat", repeat);
    return new BenchResult("validate 20 checks " + against, rows, ours, baseline, d);
  }

  /** The fastest run of each variant so far, and its output. */
  private static final class Runs {
    Timer.Timed<AnalysisResult> ours;
    Timer.Timed<Map<SparkCheckMetrics.Metric, Double>> fused;
    Timer.Timed<long[]> floor;
    Timer.Timed<Map<SparkCheckMetrics.Metric, Double>> naive;
  }

  /** Runs each variant once over the rows in {@code path}, keeping the faster run of each in {@code best}. */
  private void measureOnce(String path, List<Check> checks, Set<Analyzer> analyzers, long reference, Runs best,
      Consumer<String> progress) {
    Dataset<Row> data = spark.read().parquet(path);
    progress.accept("ours (one pass)");
    best.ours = Timer.fastest(best.ours, Timer.time(() -> AnalysisRunner.run(data, analyzers, reference)));
    progress.accept("fused: every check's aggregate in one agg");
    List<SparkCheckMetrics.Metric> all = SparkCheckMetrics.of(analyzers);
    best.fused = Timer.fastest(best.fused, Timer.time(() -> SparkCheckMetrics.compute(data, all)));
    progress.accept("floor: every value of the same columns touched once, columnar");
    Dataset<Row> columns = spark.read().parquet(path).select(COLUMNS.stream().map(Identifiers::column).toArray(Column[]::new));
    best.floor = Timer.fastest(best.floor, Timer.time(() -> ColumnarFloor.touch(columns)));
    progress.accept("naive: one action per check");
    best.naive = Timer.fastest(best.naive, Timer.time(() -> {
      Map<SparkCheckMetrics.Metric, Double> values = new LinkedHashMap<>();
      for (Check c : checks) {
        values.putAll(SparkCheckMetrics.compute(data, SparkCheckMetrics.of(c.analyzers())));
      }
      return values;
    }));
  }

  /** The floor's row count and non-null counts against ours (its size and completeness counts). */
  static OutputComparison compareFloor(AnalysisResult ours, long[] floor) {
    OutputComparison out = OutputComparison.exact();
    long rows = floor[COLUMNS.size()];
    out.equal("rows", (long) ours.outcome(new Size()).value(), rows);
    for (Analyzer a : ours.outcomes().keySet()) {
      if (a instanceof Completeness) {
        long ourCount = Math.round(ours.outcome(a).value() * rows);
        out.equal("non-null " + a.column(), ourCount, floor[COLUMNS.indexOf(a.column())]);
      }
    }
    return out;
  }

  private void generate(long rows, String path) {
    GeneratedData.once(spark, path, () -> {
      spark.range(0, rows, 1, 8).selectExpr("id",
          "IF(pmod(xxhash64(id, 9), 1000) = 0, NULL, pmod(xxhash64(id, 1), 100000)) AS customer_id",
          "CAST(pmod(xxhash64(id, 2), 50000) AS double) / 100 AS amount",
          "CAST(pmod(xxhash64(id, 3), 10) AS int) + 1 AS quantity",
          "element_at(array('USD', 'EUR', 'GBP'), CAST(pmod(xxhash64(id, 4), 3) AS int) + 1) AS currency",
          "IF(pmod(xxhash64(id, 5), 2) = 0, 'online', 'pos') AS channel",
          "element_at(array('US', 'GB', 'DE', 'FR', 'NL'), CAST(pmod(xxhash64(id, 6), 5) AS int) + 1) AS country",
          "timestamp_seconds(1760000000 + pmod(xxhash64(id, 7), 2592000)) AS ts")
          .write().mode("overwrite").parquet(path);
    });
  }
}
