package dev.mlops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiled baseline (hourly buckets, range window frames) computes our materialized rows; a difference is caught. */
class MaterializeBenchmarkTest {
  @TempDir Path dir;

  @Test
  void theTiledBaselineMatchesOurRowsAndAnotherValueIsAMismatch() {
    SparkSession spark = TestPlatform.create(dir).spark();
    String data = dir.resolve("data").toUri().toString();
    List<BenchResult> results = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    BenchResult r = new MaterializeBenchmark(spark, data).run(5_000, progress::add, results::add);
    assertThat(r.agrees()).as("%s (progress: %s)", r.json(), progress).isTrue();
    assertThat((long) r.details().get("feature_rows")).as("rows compared").isGreaterThan(5_000L)
        .isEqualTo(r.details().get("baseline_feature_rows"));

    Dataset<Row> source = spark.read().parquet(data + "/events_5000");
    Dataset<Row> ours = MaterializeBenchmark.ours(source);
    Dataset<Row> tiled = TiledWindows.compute(source, MaterializeBenchmark.START, MaterializeBenchmark.END,
        MaterializeBenchmark.WINDOWS, MaterializeBenchmark.TTL);
    Dataset<Row> broken = tiled.withColumn("top_7d", org.apache.spark.sql.functions.expr("IF(top_7d > 400, top_7d + 1, top_7d)"));
    OutputComparison mismatch = TiledWindows.compare(ours, broken, MaterializeBenchmark.features(), MaterializeBenchmark.RELATIVE, 5);
    assertThat(mismatch.agrees()).as("a maximum off by one").isFalse();
    assertThat(mismatch.mismatches().get(0)).startsWith("row differs: ");
  }
}
