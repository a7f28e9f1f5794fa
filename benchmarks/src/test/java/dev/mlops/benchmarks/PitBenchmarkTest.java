package dev.mlops.benchmarks;

import static dev.mlops.testkit.DataFrameAssert.assertSameRows;

import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's baselines compute exactly what our join computes, skew or not. */
class PitBenchmarkTest {
  @TempDir Path dir;

  @Test
  void bothBaselinesReturnTheSameRowsAsOurJoin() {
    SparkSession spark = TestPlatform.create(dir).spark();
    PitBenchmark bench = new PitBenchmark(spark, dir.resolve("data").toUri().toString(), 1);
    for (PitBenchmark.Case c : new PitBenchmark.Case[] {
        new PitBenchmark.Case("small", 20_000, 30_000, 500, false), new PitBenchmark.Case("small skewed", 20_000, 30_000, 500, true)}) {
      String base = dir.resolve("data").toUri() + "/" + c.name().replace(' ', '_');
      bench.generate(c, base);
      Dataset<Row> spine = spark.read().parquet(base + "/spine");
      Dataset<Row> features = spark.read().parquet(base + "/features");
      Dataset<Row> ours = bench.ours(spine, features, c, 3);
      assertSameRows(c.name() + ": range join", PitBenchmark.rangeJoin(spine, features), ours);
      assertSameRows(c.name() + ": union + last", PitBenchmark.unionLast(spine, features), ours);
    }
  }
}
