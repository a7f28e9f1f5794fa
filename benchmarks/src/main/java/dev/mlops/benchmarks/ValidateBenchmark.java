package dev.mlops.benchmarks;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.col;

import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.AnalysisRunner;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.Checks;
import java.time.Duration;
import java.util.ArrayList;
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
 * generated rows in Parquet, computed in one pass, against the naive form (one Spark action per
 * check) and against a bare scan of the same columns (a non-null count of each). Each variant
 * runs {@code repeat} times; the fastest counts.
 */
public final class ValidateBenchmark {
  static final List<String> COLUMNS = List.of("id", "customer_id", "amount", "quantity", "currency", "channel", "country", "ts");

  private final SparkSession spark;
  private final String dir;
  private final int repeat;

  public ValidateBenchmark(SparkSession spark, String dir, int repeat) {
    this.spark = spark;
    this.dir = dir;
    this.repeat = repeat;
  }

  /** The 20 checks; all hold on the generated data. */
  static List<Check> checks() {
    return List.of(
        Checks.rowCount(1L, null), Checks.completeness("customer_id", 0.99), Checks.completeness("amount", 1.0),
        Checks.notNull("currency"), Checks.nonNegative("amount"), Checks.range("quantity", 1, 10), Checks.max("amount", 10_000),
        Checks.allowedValues("currency", List.of("USD", "EUR", "GBP")), Checks.allowedValues("channel", List.of("online", "pos")),
        Checks.pattern("country", "^[A-Z]{2}$"), Checks.approxDistinct("customer_id", 90_000.0, 110_000.0),
        Checks.approxDistinct("country", 4.9, 5.1), Checks.quantile("amount", 0.5, 100.0, 400.0),
        Checks.quantile("amount", 0.99, null, 1000.0), Checks.mean("amount", 100.0, 400.0), Checks.stddev("amount", 1.0, null),
        Checks.mean("quantity", 1.0, 10.0),
        Checks.predicate("online_share", "channel = 'online'", List.of("channel"), 0.3),
        Checks.freshness("ts", Duration.ofDays(36_500)),
        Checks.schema(Map.of("id", "bigint", "amount", "double", "currency", "string"), false));
  }

  /** Generates {@code rows} rows (once) and measures. */
  public BenchResult run(long rows, Consumer<String> progress, Consumer<BenchResult> report) {
    String path = dir + "/rows_" + rows;
    progress.accept("generating " + rows + " rows");
    generate(rows, path);
    Dataset<Row> data = spark.read().parquet(path);
    List<Check> checks = checks();
    Set<Analyzer> analyzers = new LinkedHashSet<>();
    checks.forEach(c -> analyzers.addAll(c.analyzers()));
    progress.accept("warming up");
    AnalysisRunner.run(data.limit(100_000), analyzers, 0);

    double ours = Double.MAX_VALUE;
    double naive = Double.MAX_VALUE;
    double bare = Double.MAX_VALUE;
    long reference = System.currentTimeMillis() * 1000;
    for (int i = 0; i < repeat; i++) {
      progress.accept("run " + (i + 1) + "/" + repeat + ": ours (one pass)");
      Timer.Timed<AnalysisResult> one = Timer.time(() -> AnalysisRunner.run(data, analyzers, reference));
      List<String> failed = checks.stream().map(c -> c.evaluate(one.value())).filter(r -> r.status() != CheckStatus.SUCCESS)
          .map(Object::toString).toList();
      if (!failed.isEmpty()) {
        throw new IllegalStateException("checks failed on the benchmark data: " + failed);
      }
      ours = Math.min(ours, one.seconds());
      progress.accept("run " + (i + 1) + "/" + repeat + ": naive (one action per check)");
      naive = Math.min(naive, Timer.time(() -> {
        for (Check c : checks) {
          if (!c.analyzers().isEmpty()) {
            c.evaluate(AnalysisRunner.run(data, c.analyzers(), reference));
          }
        }
        return checks.size();
      }).seconds());
      progress.accept("run " + (i + 1) + "/" + repeat + ": bare scan of the same columns");
      List<Column> counts = new ArrayList<>();
      COLUMNS.forEach(c -> counts.add(count(col(c))));
      bare = Math.min(bare, Timer.time(() -> data.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new))
          .first()).seconds());
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("baseline", "one Spark action per check");
    d.put("checks", checks.size());
    d.put("bare_scan_seconds", Math.round(bare * 100) / 100.0);
    d.put("over_bare_scan", Math.round(ours / bare * 100) / 100.0);
    d.put("repeat", repeat);
    BenchResult r = new BenchResult("validate 20 checks", rows, ours, naive, d);
    report.accept(r);
    return r;
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
