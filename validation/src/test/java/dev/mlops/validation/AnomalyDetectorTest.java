package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The z-score rule of {@code anomalies} ({@code max-z}, {@code history}, {@code min-history}) on
 * histories whose mean and standard deviation are worked out by hand. The history is most recent
 * first, as the validator reads it from {@code validation.metrics}.
 */
class AnomalyDetectorTest {
  /** max-z 3 over the last 4 runs, judged once 3 runs exist; no max-change. */
  static final AnomalyRules RULES = new AnomalyRules(null, 3.0, 4, 3, Severity.ERROR, List.of());

  static List<CheckResult> judge(double value, List<Double> history) {
    return new AnomalyDetector(RULES).judge(List.of(new Metric("size", "*", value)), Map.of("size(*)", history));
  }

  @Test
  void aMetricWithinMaxZPassesAndOneBeyondFails() {
    // mean 10, sample sd sqrt((0 + 4 + 4 + 0) / 3) = 1.633: 14 is z 2.449, 15 is z 3.062.
    List<Double> history = List.of(10.0, 12.0, 8.0, 10.0);
    CheckResult within = judge(14, history).get(0);
    assertThat(within.check()).isEqualTo("anomaly:size(*)");
    assertThat(within.status()).as("z 2.449 <= 3").isEqualTo(CheckStatus.SUCCESS);
    assertThat(within.observed()).as("observed").startsWith("14: z 2.44949").endsWith(" over 4 runs");
    CheckResult beyond = judge(15, history).get(0);
    assertThat(beyond.status()).as("z 3.062 > 3").isEqualTo(CheckStatus.FAILURE);
    assertThat(beyond.severity()).isEqualTo(Severity.ERROR);
    assertThat(beyond.message()).as("message").startsWith("z-score 3.06186 against the last 4 runs (mean 10, sd 1.63299)");
    assertThat(judge(5, history).get(0).status()).as("a drop counts as much as a rise (z 3.062)")
        .isEqualTo(CheckStatus.FAILURE);
  }

  @Test
  void fewerRunsThanMinHistoryNeverFail() {
    assertThat(judge(1_000_000, List.of(10.0, 10.0))).as("2 runs < min-history 3: not judged").isEmpty();
    assertThat(judge(1_000_000, List.of(10.0, 11.0, 9.0)).get(0).status()).as("3 runs: judged")
        .isEqualTo(CheckStatus.FAILURE);
  }

  @Test
  void onlyTheLastHistoryRunsCount() {
    // The last 4: mean 10, sd 0.408, so 12 is z 4.899. With the 4 older, wild runs it would be z 0.2.
    List<Double> history = List.of(10.0, 10.5, 9.5, 10.0, 0.0, 20.0, 0.0, 20.0);
    CheckResult r = judge(12, history).get(0);
    assertThat(r.observed()).as("observed").isEqualTo("12: z 4.89898 over 4 runs");
    assertThat(r.status()).isEqualTo(CheckStatus.FAILURE);
    // And the other way round: wild recent runs, tight old ones; 12 is within the recent band (z 0.173).
    assertThat(judge(12, List.of(0.0, 20.0, 0.0, 20.0, 10.0, 10.5, 9.5, 10.0)).get(0).status())
        .isEqualTo(CheckStatus.SUCCESS);
  }
}
