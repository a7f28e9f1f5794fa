package dev.mlops.monitoring.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void theBackoffDoublesUpToItsCapAndTheJitterSpreadsItOverItsUpperHalf() {
    RetryPolicy p = RetryPolicy.of(10);

    assertThat(p.backoff(0, () -> 0.0)).isEqualTo(Duration.ofMillis(250));
    assertThat(p.backoff(0, () -> 0.999)).isEqualTo(Duration.ofMillis(499));
    assertThat(p.backoff(3, () -> 0.0)).isEqualTo(Duration.ofMillis(2000));
    assertThat(p.backoff(7, () -> 0.0)).as("capped at 30s").isEqualTo(Duration.ofSeconds(15));
    assertThat(p.backoff(60, () -> 0.999)).as("no overflow").isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void onlyAnswersThatMaySucceedLaterAreRetried() {
    assertThat(RetryPolicy.retryable(500)).isTrue();
    assertThat(RetryPolicy.retryable(503)).isTrue();
    assertThat(RetryPolicy.retryable(429)).isTrue();
    assertThat(RetryPolicy.retryable(400)).isFalse();
    assertThat(RetryPolicy.retryable(404)).isFalse();
    assertThat(RetryPolicy.retryable(409)).isFalse();
    assertThat(RetryPolicy.retryable(422)).isFalse();
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    assertThat(RetryPolicy.retryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryPolicy.retryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(RetryPolicy.retryAfter("Sun, 06 Dec 2026 10:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
    assertThat(RetryPolicy.retryAfter("Sun, 06 Dec 2026 09:00:00 GMT", NOW)).as("in the past").isEqualTo(Duration.ZERO);
    assertThat(RetryPolicy.retryAfter("soon", NOW)).isNull();
    assertThat(RetryPolicy.retryAfter("-5", NOW)).isNull();
    assertThat(RetryPolicy.retryAfter(null, NOW)).isNull();
  }
}
