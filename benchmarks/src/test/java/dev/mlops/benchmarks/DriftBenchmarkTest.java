package dev.mlops.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.DriftJudge;
import dev.mlops.monitoring.drift.DriftThresholds;
import dev.mlops.monitoring.drift.ExactNumeric;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift benchmark at a small scale: every case's outputs agree, and a disagreement is caught. */
class DriftBenchmarkTest {
  static final DriftBenchmark.Scale SMALL = new DriftBenchmark.Scale("test", 5, 2, 3, 2_000, 3, 2_000, 1, 20, 50);

  @TempDir Path dir;

  @Test
  void exactEngineMatchesTheBaselineAndTheSketchEngineIsWithinTolerance() {
    TestPlatform platform = TestPlatform.create(dir);
    Warehouse warehouse = Warehouse.of(platform.spark(), platform.config());
    RunRecorder runs = platform.runs(warehouse, Clock.systemUTC());
    DriftBenchmark bench = new DriftBenchmark(warehouse, runs, SMALL);
    List<BenchResult> results = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    boolean agreed = bench.run(progress::add, results::add, bench::probe);
    assertThat(results).extracting(BenchResult::name).as("the cases").containsExactly("drift sketch vs exact",
        "drift exact vs evidently-style", "drift sketch 20 partitions in 1024 MB heap");
    for (BenchResult r : results) {
      assertThat(r.details().get("identical_output")).as("%s: %s (progress: %s)", r.name(), r.details(), progress)
          .isEqualTo(true);
    }
    assertThat(results.get(0).details().get("drifted_columns_exact")).as("the planted shift drifts columns")
        .isNotEqualTo(0L);
    assertThat(agreed).as("the benchmark's verdict").isTrue();
  }

  @Test
  void aBaselineWithOtherValuesOrStatusesIsAMismatch() {
    DriftJudge judge = new DriftJudge(DriftThresholds.defaults(), 10);
    ExactNumeric reference = ExactNumeric.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    List<ColumnDrift> ours = List.of(judge.numeric("x", "d", reference, ExactNumeric.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));
    List<ColumnDrift> other = List.of(judge.numeric("x", "d", reference, ExactNumeric.of(8, 9, 9, 10, 10, 11, 12, 13, 14, 15)));
    assertThat(DriftAgreement.identical(ours, ours, DriftBenchmark.IDENTICAL).agree()).as("a run against itself").isTrue();
    DriftAgreement.Outcome identical = DriftAgreement.identical(ours, other, DriftBenchmark.IDENTICAL);
    assertThat(identical.mismatches()).as("PSI and KS both differ").hasSize(2);
    assertThat(identical.mismatches().get(0)).as("the first mismatch").startsWith("d x psi: OK (");
    DriftAgreement.Outcome tolerated = DriftAgreement.withinTolerance(ours, other, judge.thresholds());
    assertThat(tolerated.agree()).as("exact results have no tolerance: far from a threshold, another status is a mismatch")
        .isFalse();
  }
}
