package dev.mlops.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The judgement of a day's figure: pending before maturity, insufficient without both classes, degraded past max-drop. */
class PerformanceJudgeTest {
  static final PerformanceJudge PR_AUC = new PerformanceJudge("pr_auc", 0.1);

  @Test
  void aDayThatHasNotMaturedIsPendingHoweverGoodItsFigure() {
    assertThat(PR_AUC.judge(false, 10, 90, 0.99, 0.5)).as("never OK before maturity").isEqualTo(PerformanceStatus.PENDING);
    assertThat(PR_AUC.judge(false, 10, 90, 0.1, 0.5)).as("nor DEGRADED").isEqualTo(PerformanceStatus.PENDING);
  }

  @Test
  void aMaturedDayWithoutPositivesOrNegativesIsInsufficient() {
    assertThat(PR_AUC.judge(true, 0, 100, Double.NaN, 0.5)).as("no positives").isEqualTo(PerformanceStatus.INSUFFICIENT);
    assertThat(PR_AUC.judge(true, 20, 0, Double.NaN, 0.5)).as("no negatives").isEqualTo(PerformanceStatus.INSUFFICIENT);
  }

  @Test
  void aFallOfMoreThanMaxDropIsDegradedAndTheDirectionFollowsTheMetric() {
    assertThat(PR_AUC.judge(true, 10, 90, 0.45, 0.6)).as("a fall of 0.15").isEqualTo(PerformanceStatus.DEGRADED);
    assertThat(PR_AUC.judge(true, 10, 90, 0.55, 0.6)).as("a fall of 0.05").isEqualTo(PerformanceStatus.OK);
    assertThat(PR_AUC.judge(true, 10, 90, 0.9, 0.6)).as("a rise").isEqualTo(PerformanceStatus.OK);
    assertThat(PR_AUC.threshold(0.6)).as("the level crossed").isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
    PerformanceJudge logLoss = new PerformanceJudge("log_loss", 0.1);
    assertThat(logLoss.judge(true, 10, 90, 0.45, 0.3)).as("log loss rising by 0.15").isEqualTo(PerformanceStatus.DEGRADED);
    assertThat(logLoss.judge(true, 10, 90, 0.1, 0.3)).as("log loss falling").isEqualTo(PerformanceStatus.OK);
    assertThat(logLoss.threshold(0.3)).as("log loss's level").isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-12));
  }
}
