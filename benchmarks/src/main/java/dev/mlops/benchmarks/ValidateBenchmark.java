package dev.mlops.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.mlops.core.spark.Identifiers;
import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.AnalysisRunner;
import dev.mlops.validation.CheckStatus;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.MaxTime;
import dev.mlops.validation.analyzers.Mean;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.analyzers.StandardDeviation;
import dev.mlops.validation.checks.Check;
import dev.mlops.validation.checks.Checks;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
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
 * check, of Spark's own aggregate functions) and against a bare scan of the same columns (a non-null count of each). Each variant
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
          List<Column> aggs = new ArrayList<>();
          c.analyzers().forEach(a -> aggs.addAll(sparkAggregates(a)));
          if (!aggs.isEmpty()) {
            data.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
          }
        }
        return checks.size();
      }).seconds());
      progress.accept("run " + (i + 1) + "/" + repeat + ": bare scan of the same columns");
      List<Column> counts = new ArrayList<>();
      COLUMNS.forEach(c -> counts.add(count(Identifiers.column(c))));
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

  /**
   * The naive form of an analyzer: Spark's own aggregate functions, in an action of its own per
   * check, the way one would write each check by hand.
   */
  static List<Column> sparkAggregates(Analyzer a) {
    String c = a.column().equals("*") ? null : Identifiers.quote(a.column());
    if (a instanceof Size) {
      return List.of(count(lit(1)));
    } else if (a instanceof Completeness) {
      return List.of(count(Identifiers.column(c)), count(lit(1)));
    } else if (a instanceof Compliance p) {
      return List.of(sum(when(p.passes(), 1L).otherwise(0L)), count(lit(1)));
    } else if (a instanceof Mean) {
      return List.of(expr("avg(CAST(" + c + " AS DOUBLE))"));
    } else if (a instanceof StandardDeviation) {
      return List.of(expr("stddev_pop(CAST(" + c + " AS DOUBLE))"));
    } else if (a instanceof MaxTime) {
      return List.of(expr("max(" + c + ")"));
    } else if (a instanceof SketchAnalyzer s && s.name().equals(SketchAnalyzer.QUANTILES)) {
      return List.of(expr("kll_sketch_agg_double(CAST(" + c + " AS DOUBLE), " + KllState.K + ")"));
    } else if (a instanceof SketchAnalyzer s && s.name().equals(SketchAnalyzer.DISTINCT)) {
      return List.of(expr("hll_sketch_agg(" + c + ", " + HllState.LG_K + ")"));
    }
    throw new IllegalArgumentException("no naive form of " + a + " in this benchmark");
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
