package dev.mlops.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.tables.Warehouse;
import dev.mlops.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step is done for a date when its last attempt succeeded: a later forced attempt that failed or died undoes it. */
class PipelineRunsTest {
  static final LocalDate DAY = LocalDate.of(2026, 12, 1);

  @TempDir Path dir;

  @Test
  void theLastAttemptDecidesWhetherAStepIsDone() {
    TestPlatform platform = TestPlatform.create(dir);
    PipelineRuns runs = new PipelineRuns(Warehouse.of(platform.spark(), platform.config()), Clock.systemUTC());
    runs.record(attempt("killed", 1, StepStatus.SUCCEEDED));
    runs.record(attempt("killed", 2, StepStatus.RUNNING));
    runs.record(attempt("failed", 1, StepStatus.SUCCEEDED));
    runs.record(attempt("failed", 2, StepStatus.RUNNING));
    runs.record(attempt("failed", 2, StepStatus.FAILED));
    runs.record(attempt("done", 1, StepStatus.RUNNING));
    runs.record(attempt("done", 1, StepStatus.SUCCEEDED));
    runs.record(attempt("done", 0, StepStatus.SKIPPED));

    Map<String, PipelineRuns.StepState> states = runs.states("p", DAY, DAY);
    assertThat(states.get("killed")).as("a forced re-run killed mid-step").isEqualTo(new PipelineRuns.StepState(2, false));
    assertThat(states.get("failed")).as("a forced re-run that failed").isEqualTo(new PipelineRuns.StepState(2, false));
    assertThat(states.get("done")).as("succeeded, then skipped").isEqualTo(new PipelineRuns.StepState(1, true));
  }

  private static StepRecord attempt(String step, int attempt, StepStatus status) {
    Instant now = Instant.now();
    return new StepRecord("p", DAY, null, step, attempt, status, now, status == StepStatus.RUNNING ? null : now, null, null,
        List.of("sql", "SELECT 1"), "test");
  }
}
