package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reason the pipeline runner gives for a failed step, from what the step printed on stderr. */
class StepErrorTest {
  @Test
  void aVerdictsFailedLineIsTheReasonAndNotAProgressOrWarningLine() {
    String gate = "[00:01] training fraud\nwarning: 3 rows without a label\n[00:40] registered fraud v3\n"
        + "failed: the gate refused fraud v3: pr_auc 0.61 is below the minimum 0.70\n";
    assertThat(StepExecutor.error(gate, 1)).isEqualTo("the gate refused fraud v3: pr_auc 0.61 is below the minimum 0.70");
    assertThat(StepExecutor.error("[00:01] reading\nerror: no table raw.x\n", 1)).isEqualTo("no table raw.x");
    assertThat(StepExecutor.error("[00:01] reading\nwarning: slow\nUnknown option: '--dat'\n", 2))
        .as("picocli's usage error").isEqualTo("Unknown option: '--dat'");
    assertThat(StepExecutor.error("[00:01] reading\nwarning: slow\n", 1)).isEqualTo("exited with code 1");
  }
}
