package dev.mlops.training.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.training.evaluation.BinaryMetrics;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.evaluation.SliceMetrics;
import dev.mlops.training.spec.ModelSpec.GateSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's verdicts on hand-made evaluations: minimums, champion margin, slice losses named by slice. */
class GateTest {
  static BinaryMetrics metrics(long rows, double rocAuc, double prAuc) {
    return new BinaryMetrics(rows, rows / 10, rocAuc, prAuc, 0.3, 0.5, 0.5, 0.5, 0.9, 0.1, 0.5);
  }

  static Evaluation evaluation(double prAuc, double onlinePrAuc) {
    return new Evaluation(metrics(1000, 0.8, prAuc), List.of(), List.of(
        new SliceMetrics("channel", "online", metrics(400, 0.8, onlinePrAuc)),
        new SliceMetrics("channel", "pos", metrics(600, 0.8, prAuc)),
        new SliceMetrics("channel", "tiny", metrics(10, 0.8, 0.0))));
  }

  static Optional<Champion> champion(Evaluation e) {
    return Optional.of(new Champion("fraud", 1, e));
  }

  @Test
  void minimumsAreCheckedWithTheFigures() {
    GateVerdict v = new Gate(new GateSpec(Map.of("roc_auc", 0.85, "log_loss", 0.5), null, null, null, null), "pr_auc")
        .judge(evaluation(0.4, 0.4), Optional.empty());
    assertThat(v.passed()).isFalse();
    assertThat(v.failures()).containsExactly("roc_auc 0.8000 < 0.8500 (minimum 0.8500)");
    assertThat(v.checks()).extracting(GateCheck::name).containsExactly("min log_loss", "min roc_auc");
    assertThat(v.checks().get(0).passed()).as("log_loss 0.3 is under its maximum 0.5").isTrue();
  }

  @Test
  void aChallengerMustBeatTheChampionByTheMargin() {
    Gate gate = new Gate(new GateSpec(null, null, 0.02, 0.05, 50), "pr_auc");
    GateVerdict worse = gate.judge(evaluation(0.40, 0.40), champion(evaluation(0.45, 0.45)));
    assertThat(worse.passed()).isFalse();
    assertThat(worse.failures()).anySatisfy(m -> assertThat(m).isEqualTo(
        "pr_auc 0.4000 vs Production fraud v1 0.4500 on the same test rows (margin 0.0200): does not beat it"));
    assertThat(worse.championMetrics()).containsEntry("pr_auc", 0.45);
    GateVerdict notEnough = gate.judge(evaluation(0.46, 0.46), champion(evaluation(0.45, 0.45)));
    assertThat(notEnough.passed()).as("better, but by less than the margin").isFalse();
    assertThat(gate.judge(evaluation(0.48, 0.48), champion(evaluation(0.45, 0.45))).passed()).isTrue();
  }

  @Test
  void aChallengerWorseOnOneSliceBeyondTheLimitIsRefusedNamingTheSlice() {
    Gate gate = new Gate(new GateSpec(null, null, 0.0, 0.05, 50), "pr_auc");
    GateVerdict v = gate.judge(evaluation(0.60, 0.30), champion(evaluation(0.50, 0.40)));
    assertThat(v.passed()).isFalse();
    assertThat(v.failures()).containsExactly(
        "slice channel=online: pr_auc 0.3000 vs Production fraud v1 0.4000 (loss 0.1000, allowed loss 0.0500)");
    assertThat(v.checks()).extracting(GateCheck::name).as("slices with too few rows are not gated")
        .doesNotContain("slice channel=tiny pr_auc");
    assertThat(gate.judge(evaluation(0.60, 0.37), champion(evaluation(0.50, 0.40))).passed()).as("a loss within the limit")
        .isTrue();
  }
}
