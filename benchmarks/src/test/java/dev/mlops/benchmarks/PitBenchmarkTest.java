package dev.mlops.benchmarks;

import static dev.mlops.testkit.DataFrameAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's baselines compute exactly what our join computes, skew or not, and a difference fails the run. */
class PitBenchmarkTest {
  @TempDir Path dir;

  @Test
  void everyBaselineReturnsTheSameRowsAsOurJoin() {
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
      assertSameRows(c.name() + ": fixed range join", PitBenchmark.fixedRangeJoin(spine, features), ours);
      assertSameRows(c.name() + ": union + last", PitBenchmark.unionLast(spine, features), ours);
    }
  }

  @Test
  void theRunReportsEveryBaselineAgreeingAndADifferentChecksumIsAMismatch() {
    SparkSession spark = TestPlatform.create(dir).spark();
    List<BenchResult> results = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    new PitBenchmark(spark, dir.resolve("run").toUri().toString(), 1)
        .run(List.of(new PitBenchmark.Case("tiny", 5_000, 5_000, 200, false)), progress::add, results::add);
    assertThat(results).extracting(BenchResult::name).as("one line per baseline")
        .containsExactly("tiny vs range join", "tiny vs fixed range join", "tiny vs union+last");
    for (BenchResult r : results) {
      assertThat(r.agrees()).as("%s: %s (progress: %s)", r.name(), r.json(), progress).isTrue();
      assertThat(r.json()).as("the common fields").containsKeys("case", "rows", "seconds", "baseline", "baseline_seconds",
          "ratio", "identical_output", "commit");
    }
    Row ours = RowFactory.create(5_000L, 4_000L, 123L, 456L);
    OutputComparison other = PitBenchmark.compare(ours, RowFactory.create(5_000L, 4_000L, 123L, 457L));
    assertThat(other.agrees()).as("another checksum").isFalse();
    assertThat(other.mismatches()).containsExactly("checksum of every output row: ours 456, baseline 457");
    assertThat(PitBenchmark.compare(ours, ours).agrees()).as("the same summary").isTrue();
  }
}
