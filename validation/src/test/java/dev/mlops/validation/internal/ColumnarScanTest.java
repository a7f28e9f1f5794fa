package dev.mlops.validation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spark.internal.SparkInternals;
import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.AnalysisRunner;
import dev.mlops.validation.ScanPath;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.MaxTime;
import dev.mlops.validation.analyzers.Mean;
import dev.mlops.validation.analyzers.Outcome;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.analyzers.StandardDeviation;
import dev.mlops.validation.sketches.FrequentItemsState;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared pass read from column batches ({@link ColumnarScan}) against the same pass over
 * Spark's own rows and over public rows (the path without Spark's internals), on files with
 * dictionary-encoded and plain columns, nulls, several row groups (so several dictionaries per
 * column) and a partition column: every exact metric equal (a standard deviation to its last
 * digits), every sketch over the same values. And the public path taking over when this Spark
 * lacks what the internal one calls.
 */
class ColumnarScanTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static String parquet;
  static String delta;

  static final List<Analyzer> ANALYZERS = List.of(new Size(), new Completeness("s_dict"), new Completeness("n"),
      new Completeness("s_plain"), new Compliance("in_set", "s_dict IN ('a', 'b')", List.of("s_dict")),
      new Compliance("pattern", "s_dict RLIKE '^[ab]$'", List.of("s_dict")),
      new Compliance("hex", "s_plain RLIKE '^[0-9a-f]{64}$'", List.of("s_plain")),
      new Compliance("two_columns", "n > 3 AND s_dict = 'a'", List.of("n", "s_dict")),
      new Compliance("partition", "part = 1", List.of("part")), new Compliance("positive", "x > 0.5", List.of("x")),
      new Compliance("not_null", "s_dict IS NOT NULL", List.of("s_dict")),
      new Compliance("is_null", "s_dict IS NULL", List.of("s_dict")), new Mean("x"), new StandardDeviation("x"),
      new StandardDeviation("tenth"),
      new Mean("n"), new StandardDeviation("n"), new Mean("price"), new MaxTime("ts"), new MaxTime("d"),
      SketchAnalyzer.quantiles("x"), SketchAnalyzer.quantiles("n"), SketchAnalyzer.distinct("s_dict"),
      SketchAnalyzer.distinct("s_plain"), SketchAnalyzer.distinct("n"), SketchAnalyzer.topValues("s_dict"),
      SketchAnalyzer.topValues("flag"), SketchAnalyzer.topValues("n"), SketchAnalyzer.distinct("h"));

  @BeforeAll
  static void writeFiles() {
    spark = TestPlatform.create(dir).spark();
    Dataset<Row> rows = spark.range(0, 60_000, 1, 3).selectExpr(
        "element_at(array('a', 'b', 'c', NULL), CAST(pmod(xxhash64(id, 1), 4) AS int) + 1) AS s_dict",
        "IF(pmod(id, 97) = 0, NULL, sha2(CAST(id AS string), 256)) AS s_plain",
        "IF(pmod(id, 13) = 0, NULL, CAST(pmod(xxhash64(id, 2), 20) AS int)) AS n",
        "IF(pmod(id, 11) = 0, NULL, rand(3)) AS x",
        "CAST(pmod(xxhash64(id, 4), 100000) AS decimal(10, 2)) / 100 AS price",
        "IF(pmod(id, 17) = 0, NULL, timestamp_seconds(1760000000 + pmod(xxhash64(id, 5), 2592000))) AS ts",
        "date_add(DATE'2026-01-01', CAST(pmod(id, 300) AS int)) AS d",
        "pmod(id, 3) = 0 AS flag",
        "CAST(pmod(id, 3) AS int) AS part",
        "IF(pmod(id, 19) = 0, NULL, xxhash64(id, 6)) AS h", // distinct bigints: no dictionary
        "CAST(0.1 AS double) AS tenth"); // a constant: its standard deviation is exactly 0
    parquet = dir.resolve("parquet").toString();
    delta = dir.resolve("delta").toString();
    // Small row groups: every column chunk has a dictionary of its own.
    rows.write().option("parquet.block.size", 128 * 1024).partitionBy("part").parquet(parquet);
    rows.write().format("delta").option("parquet.block.size", 128 * 1024).partitionBy("part").save(delta);
  }

  @Test
  void batchesGiveTheSameOutcomesAsRowsOnParquetAndDelta() {
    for (Dataset<Row> data : List.of(spark.read().parquet(parquet), spark.read().format("delta").load(delta),
        spark.read().format("delta").load(delta).where("part IN (0, 2)"))) {
      assertThat(ColumnarScan.of(data.select("s_dict", "n").queryExecution())).as("read as batches").isPresent();
      assertSame(data);
    }
  }

  @Test
  void aColumnChunkWhosePagesFallBackFromItsDictionaryToPlainGivesTheSameOutcomes() throws Exception {
    String path = dir.resolve("fallback").toString();
    // Small pages and a small dictionary: g and gx start dictionary-encoded and go on plain once
    // the dictionary is full; m stays dictionary-encoded.
    spark.range(0, 40_000, 1, 2).selectExpr("CAST(id DIV 20 AS string) AS g", "CAST(id DIV 20 AS double) AS gx",
        "IF(pmod(id, 7) = 0, NULL, CAST(pmod(id, 50) AS int)) AS m").write().option("parquet.page.size", 4096)
        .option("parquet.dictionary.page.size", 4096).parquet(path);
    for (String column : List.of("g", "gx")) {
      assertThat(chunksWithBothKindsOfPages(path, column)).as(column + ": chunks with dictionary and plain pages").isPositive();
    }
    Dataset<Row> data = spark.read().parquet(path);
    assertThat(ColumnarScan.of(data.select("g").queryExecution())).isPresent();
    List<Analyzer> analyzers = List.of(new Size(), new Completeness("g"), new Compliance("digits", "g RLIKE '^[0-9]+$'", List.of("g")),
        new Compliance("large", "gx > 500", List.of("gx")), new Compliance("m_null", "m IS NULL", List.of("m")), new Mean("gx"),
        new StandardDeviation("gx"), new Mean("m"), SketchAnalyzer.quantiles("gx"), SketchAnalyzer.distinct("g"),
        SketchAnalyzer.distinct("m"), SketchAnalyzer.topValues("m"));
    AnalysisResult batches = assertBothWaysAgree(data, analyzers);
    Row exact = data.selectExpr("count_if(g RLIKE '^[0-9]+$')", "count_if(gx > 500)", "count_if(m IS NULL)", "avg(gx)").first();
    assertThat(batches.outcome(analyzers.get(2)).rows()).isEqualTo(exact.getLong(0)).isEqualTo(40_000L);
    assertThat(batches.outcome(analyzers.get(3)).rows()).isEqualTo(exact.getLong(1));
    assertThat(batches.outcome(analyzers.get(4)).rows()).isEqualTo(exact.getLong(2));
    assertThat(batches.outcome(new Mean("gx")).value()).isCloseTo(exact.getDouble(3), org.assertj.core.api.Assertions.within(1e-9));
  }

  /** The column chunks of {@code column} in the Parquet files under {@code path} that have both dictionary and plain pages. */
  private static int chunksWithBothKindsOfPages(String path, String column) throws java.io.IOException {
    int chunks = 0;
    try (var files = java.nio.file.Files.list(Path.of(path))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
            .fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()))) {
          for (var block : reader.getFooter().getBlocks()) {
            for (var chunk : block.getColumns()) {
              var stats = chunk.getEncodingStats();
              if (chunk.getPath().toDotString().equals(column) && stats.hasDictionaryEncodedPages()
                  && stats.hasNonDictionaryEncodedPages()) {
                chunks++;
              }
            }
          }
        }
      }
    }
    return chunks;
  }

  @Test
  void aPlanThatIsNotAPlainScanGoesTheRowWayWithTheSameOutcomes() {
    Dataset<Row> filtered = spark.read().parquet(parquet).where("n IS NULL OR n <> 7");
    assertThat(ColumnarScan.of(filtered.select("s_dict", "n").queryExecution())).isEmpty();
    Dataset<Row> cached = spark.read().parquet(parquet).cache();
    assertThat(ColumnarScan.of(cached.select("s_dict", "n").queryExecution())).isEmpty();
    AnalysisResult r = AnalysisRunner.run(filtered, ANALYZERS, 0);
    long expected = spark.read().parquet(parquet).where("n IS NULL OR n <> 7").count();
    assertThat(r.outcome(new Size()).value()).isEqualTo((double) expected);
    cached.unpersist();
  }

  @Test
  void theSettingTurnsTheBatchesOff() {
    Dataset<Row> data = spark.read().parquet(parquet);
    spark.conf().set(ColumnarScan.SETTING, "false");
    try {
      assertThat(ColumnarScan.of(data.select("s_dict").queryExecution())).isEmpty();
    } finally {
      spark.conf().unset(ColumnarScan.SETTING);
    }
  }

  private static void assertSame(Dataset<Row> data) {
    AnalysisResult batches = assertBothWaysAgree(data, ANALYZERS);
    long n = data.count();
    // And against Spark itself, for a few.
    Row spark1 = data.selectExpr("count_if(s_dict IN ('a', 'b'))", "count_if(s_plain RLIKE '^[0-9a-f]{64}$')",
        "count_if(n > 3 AND s_dict = 'a')", "count(s_dict)", "avg(x)", "unix_micros(max(ts))",
        "stddev_pop(n)").first();
    assertThat(batches.outcome(ANALYZERS.get(4)).rows()).isEqualTo(spark1.getLong(0));
    assertThat(batches.outcome(ANALYZERS.get(6)).rows()).isEqualTo(spark1.getLong(1));
    assertThat(batches.outcome(ANALYZERS.get(7)).rows()).isEqualTo(spark1.getLong(2));
    assertThat(batches.outcome(new Completeness("s_dict")).value()).isEqualTo((double) spark1.getLong(3) / n);
    assertThat(batches.outcome(new Mean("x")).value()).isCloseTo(spark1.getDouble(4), org.assertj.core.api.Assertions.within(1e-9));
    assertThat(batches.outcome(new MaxTime("ts")).value()).isEqualTo((double) spark1.getLong(5));
    assertThat(batches.outcome(new StandardDeviation("n")).value())
        .isCloseTo(spark1.getDouble(6), org.assertj.core.api.Assertions.withinPercentage(1e-10));
    assertThat(batches.outcome(new StandardDeviation("tenth")).value()).as("a constant's").isEqualTo(0.0);
    assertThat(batches.outcome(new Compliance("is_null", "s_dict IS NULL", List.of("s_dict"))).rows())
        .isEqualTo(data.where("s_dict IS NULL").count());
  }

  /**
   * The outcomes of {@code analyzers} over {@code data} read as batches, after checking they are
   * those of the internal row way and of the public row way.
   */
  private static AnalysisResult assertBothWaysAgree(Dataset<Row> data, List<Analyzer> analyzers) {
    AnalysisResult batches = AnalysisRunner.run(data, analyzers, 0);
    assertThat(batches.path()).isEqualTo(ScanPath.COLUMN_BATCHES);
    AnalysisResult rows = withSetting(ColumnarScan.SETTING, () -> AnalysisRunner.run(data, analyzers, 0));
    assertThat(rows.path()).isEqualTo(ScanPath.INTERNAL_ROWS);
    AnalysisResult publicRows = withSetting(SparkInternals.SETTING, () -> AnalysisRunner.run(data, analyzers, 0));
    assertThat(publicRows.path()).isEqualTo(ScanPath.PUBLIC_ROWS);
    assertAgree(data, analyzers, batches, rows);
    assertAgree(data, analyzers, batches, publicRows);
    return batches;
  }

  private static <T> T withSetting(String key, java.util.function.Supplier<T> body) {
    spark.conf().set(key, "false");
    try {
      return body.get();
    } finally {
      spark.conf().unset(key);
    }
  }

  private static void assertAgree(Dataset<Row> data, List<Analyzer> analyzers, AnalysisResult batches, AnalysisResult rows) {
    assertThat(batches.outcome(new Size()).value()).isEqualTo((double) data.count());
    for (Analyzer a : analyzers) {
      Outcome b = batches.outcome(a);
      Outcome r = rows.outcome(a);
      assertThat(b.failure()).as(a.toString()).isNull();
      assertThat(b.rows()).as(a.toString()).isEqualTo(r.rows());
      if (a instanceof StandardDeviation) {
        // A batch's deviations are taken about its own mean, a row's by Welford's update: the last digits may differ.
        assertThat(b.value()).as(a.toString()).isCloseTo(r.value(), org.assertj.core.api.Assertions.withinPercentage(1e-10));
      } else if (b.state() == null) {
        assertThat(b.value()).as(a.toString()).isEqualTo(r.value());
      } else if (b.state() instanceof KllState k) {
        KllState other = (KllState) r.state();
        assertThat(k.count()).as(a.toString()).isEqualTo(other.count());
        for (double q : new double[] {0.01, 0.25, 0.5, 0.75, 0.99}) {
          // Both within KLL's rank error (k = 200: about 1.3%) of the exact quantile: the same values went in.
          for (KllState sketch : List.of(k, other)) {
            double v = sketch.quantile(q);
            Row exact = data.selectExpr("count_if(" + a.column() + " < " + v + ") / count(" + a.column() + ")",
                "count_if(" + a.column() + " <= " + v + ") / count(" + a.column() + ")").first();
            assertThat(exact.getDouble(0)).as(a + " at " + q).isLessThanOrEqualTo(q + 0.03);
            assertThat(exact.getDouble(1)).as(a + " at " + q).isGreaterThanOrEqualTo(q - 0.03);
          }
        }
      } else if (b.state() instanceof HllState h) {
        assertThat(h.estimate()).as(a.toString()).isEqualTo(((HllState) r.state()).estimate());
      } else {
        assertThat(((FrequentItemsState) b.state()).top(50)).as(a.toString())
            .isEqualTo(((FrequentItemsState) r.state()).top(50));
      }
    }
  }

  @Test
  void thePublicPathTakesOverWhenThisSparkLacksWhatTheInternalOneCalls() {
    SparkInternals.Availability missing = SparkInternals.probe(List.of("org.apache.spark.sql.execution.QueryExecution#toRdd",
        "org.apache.spark.sql.execution.NoSuchScanExec"));
    assertThat(missing.available()).isFalse();
    assertThat(missing.reason()).hasValueSatisfying(r -> assertThat(r).contains("org.apache.spark.sql.execution.NoSuchScanExec"));
    assertThat(SparkInternals.probe(List.of("org.apache.spark.sql.execution.QueryExecution#noSuchMethod")).reason())
        .hasValue("org.apache.spark.sql.execution.QueryExecution has no method noSuchMethod");
    assertThat(InternalScan.current().available()).as("this Spark has them: " + InternalScan.current().reason()).isTrue();

    Dataset<Row> data = spark.read().parquet(parquet);
    AnalysisResult fallback = AnalysisRunner.run(data, ANALYZERS, 0, missing);
    assertThat(fallback.path()).isEqualTo(ScanPath.PUBLIC_ROWS);
    assertAgree(data, ANALYZERS, AnalysisRunner.run(data, ANALYZERS, 0), fallback);
  }
}
