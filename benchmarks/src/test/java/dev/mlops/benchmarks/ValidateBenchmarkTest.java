package dev.mlops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.testkit.TestPlatform;
import dev.mlops.validation.AnalysisResult;
import dev.mlops.validation.AnalysisRunner;
import dev.mlops.validation.analyzers.Analyzer;
import dev.mlops.validation.analyzers.Mean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation benchmark at a small scale: the fused, floor and naive baselines agree with ours; a difference is caught. */
class ValidateBenchmarkTest {
  @TempDir Path dir;

  @Test
  void everyBaselineAgreesWithOursAndAnotherValueIsAMismatch() {
    SparkSession spark = TestPlatform.create(dir).spark();
    String data = dir.resolve("data").toUri().toString();
    List<BenchResult> results = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    new ValidateBenchmark(spark, data, 1).run(20_000, progress::add, results::add);
    assertThat(results).extracting(BenchResult::name).as("one line per baseline").containsExactly(
        "validate 20 checks vs fused aggregation", "validate 20 checks vs touch-every-value floor",
        "validate 20 checks vs one action per check");
    for (BenchResult r : results) {
      assertThat(r.agrees()).as("%s: %s (progress: %s)", r.name(), r.json(), progress).isTrue();
    }
    assertThat(results.get(0).json().get("tolerance")).as("sketches compared within a tolerance")
        .isEqualTo(SparkCheckMetrics.TOLERANCE);

    Set<Analyzer> analyzers = new LinkedHashSet<>();
    ValidateBenchmark.checks(20_000).forEach(c -> analyzers.addAll(c.analyzers()));
    AnalysisResult ours = AnalysisRunner.run(spark.read().parquet(data + "/rows_20000"), analyzers, 0);
    Map<SparkCheckMetrics.Metric, Double> fused = SparkCheckMetrics.compute(spark.read().parquet(data + "/rows_20000"),
        SparkCheckMetrics.of(analyzers));
    Map<SparkCheckMetrics.Metric, Double> off = new LinkedHashMap<>(fused);
    off.replaceAll((m, v) -> m.analyzer().equals(new Mean("amount")) ? v * 1.001 : v);
    OutputComparison mismatch = SparkCheckMetrics.compare(ours, off);
    assertThat(mismatch.agrees()).as("a mean 0.1% off").isFalse();
    assertThat(mismatch.mismatches()).singleElement().asString().startsWith("Mean[column=amount]");
    long[] floor = {0, 0, 0, 0, 0, 0, 0, 20_001, 0};
    assertThat(ValidateBenchmark.compareFloor(ours, floor).agrees()).as("a floor with another row count").isFalse();
  }
}
