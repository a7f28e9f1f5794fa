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
import dev.mlops.validation.analyzers.StandardDeviation;
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
}
