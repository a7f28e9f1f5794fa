package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Completeness;
import dev.mlops.validation.analyzers.Compliance;
import dev.mlops.validation.analyzers.MaxTime;
import dev.mlops.validation.analyzers.Mean;
import dev.mlops.validation.analyzers.Size;
import dev.mlops.validation.analyzers.SketchAnalyzer;
import dev.mlops.validation.analyzers.StandardDeviation;
import dev.mlops.validation.sketches.HllState;
import dev.mlops.validation.sketches.KllState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states of the shared pass, merged over many partitions, against Spark's own aggregates of
 * the same random data: counts exactly, moments to the last few digits (also with a large mean,
 * where a naive sum of squares would lose them).
 */
class ScanPassTest {
  @TempDir static Path dir;

  @Test
  void exactMetricsMergedOverPartitionsMatchSparksAggregates() {
    SparkSession spark = TestPlatform.create(dir).spark();
    for (long seed : new long[] {1, 2, 3}) {
      Dataset<Row> data = spark.range(0, 30_000 + seed * 777, 1, (int) (3 + seed * 2)).selectExpr(
          "IF(rand(" + seed + ") < 0.1, NULL, 1e9 + randn(" + (seed + 10) + ") * 1000) AS x",
          "IF(rand(" + (seed + 20) + ") < 0.3, NULL, CAST(rand(" + (seed + 30) + ") * 100 AS int)) AS n",
          "IF(rand(" + (seed + 40) + ") < 0.05, NULL, timestamp_micros(CAST(rand(" + (seed + 50) + ") * 1e15 AS bigint))) AS ts")
          .cache();
      List<Analyzer> analyzers = List.of(new Size(), new Completeness("x"), new Completeness("n"), new Mean("x"),
          new StandardDeviation("x"), new Mean("n"), new StandardDeviation("n"), new MaxTime("ts"),
          new Compliance("small", "n < 30", List.of("n")));
      AnalysisResult ours = AnalysisRunner.run(data, analyzers, 0);
      Row spark1 = data.selectExpr("count(1)", "count(x)", "count(n)", "avg(x)", "stddev_pop(x)", "avg(n)",
          "stddev_pop(n)", "unix_micros(max(ts))", "count_if(n < 30)").first();
      Map<Analyzer, Double> expected = Map.of(new Size(), (double) spark1.getLong(0),
          new Completeness("x"), (double) spark1.getLong(1) / spark1.getLong(0),
          new Completeness("n"), (double) spark1.getLong(2) / spark1.getLong(0),
          new MaxTime("ts"), (double) spark1.getLong(7),
          new Compliance("small", "n < 30", List.of("n")), (double) spark1.getLong(8) / spark1.getLong(0));
      expected.forEach((a, v) -> assertThat(ours.outcome(a).value()).as(a + " seed " + seed).isEqualTo(v));
      assertThat(ours.outcome(new Mean("x")).value()).isCloseTo(spark1.getDouble(3), within(1e-6));
      assertThat(ours.outcome(new StandardDeviation("x")).value()).isCloseTo(spark1.getDouble(4), within(1e-6));
      assertThat(ours.outcome(new Mean("n")).value()).isCloseTo(spark1.getDouble(5), within(1e-9));
      assertThat(ours.outcome(new StandardDeviation("n")).value()).isCloseTo(spark1.getDouble(6), within(1e-9));
      assertThat(ours.outcome(new Compliance("small", "n < 30", List.of("n"))).rows()).isEqualTo(spark1.getLong(8));
      data.unpersist();
    }
  }

  @Test
  void noRowsAndNoPartitionsGiveTheEmptyOutcomes() {
    SparkSession spark = TestPlatform.create(dir).spark();
    List<Analyzer> analyzers = List.of(new Size(), new Completeness("x"), new Mean("x"), new MaxTime("ts"),
        SketchAnalyzer.quantiles("x"), SketchAnalyzer.distinct("x"));
    Dataset<Row> noRows = spark.range(0, 100, 1, 3).selectExpr("CAST(id AS double) AS x", "timestamp_seconds(id) AS ts")
        .where("x < 0");
    Dataset<Row> noPartitions = spark.createDataFrame(List.of(), noRows.schema());
    assertThat(noPartitions.rdd().getNumPartitions()).isZero();
    for (Dataset<Row> empty : List.of(noRows, noPartitions)) {
      AnalysisResult r = AnalysisRunner.run(empty, analyzers, 0);
      assertThat(r.outcome(new Size()).value()).isZero();
      assertThat(r.outcome(new Completeness("x")).value()).as("complete when empty").isEqualTo(1.0);
      assertThat(r.outcome(new Mean("x")).failure()).isEqualTo("column x has no non-null value");
      assertThat(r.outcome(new MaxTime("ts")).failure()).isEqualTo("column ts has no non-null value");
      assertThat(((KllState) r.outcome(SketchAnalyzer.quantiles("x")).state()).count()).hasValue(0);
      assertThat(((HllState) r.outcome(SketchAnalyzer.distinct("x")).state()).estimate()).isZero();
    }
  }

  /**
   * Our HLL sketches and Spark's {@code hll_sketch_agg} hash values alike: the union of the two
   * sketches of the same data estimates exactly what each does (a different hash would count
   * every value twice).
   */
  @Test
  void distinctSketchesMergeWithSparksOwn() {
    SparkSession spark = TestPlatform.create(dir).spark();
    Dataset<Row> data = spark.range(0, 50_000, 1, 4).selectExpr("id % 7919 AS l", "CAST(id % 4999 AS int) AS i",
        "concat('k', id % 3001, 'é') AS s");
    for (String column : List.of("l", "i", "s")) {
      HllState ours = (HllState) AnalysisRunner.run(data, List.of(SketchAnalyzer.distinct(column)), 0)
          .outcome(SketchAnalyzer.distinct(column)).state();
      byte[] sparks = (byte[]) data.selectExpr("hll_sketch_agg(" + column + ", " + HllState.LG_K + ")").first().get(0);
      double union = HllState.fromBytes(ours.toBytes()).merge(HllState.fromBytes(sparks)).estimate();
      assertThat(union).as(column).isEqualTo(ours.estimate());
      assertThat(HllState.fromBytes(sparks).estimate()).as(column).isEqualTo(ours.estimate());
    }
  }
}
