package dev.mlops.core.pipeline;

import java.time.Duration;

/**
 * The {@code defaults} of a pipeline: what a step that does not say otherwise gets. Immutable.
 *
 * @param retries retries of a failed attempt (default 0)
 * @param retryDelay the pause before a retry (default 5m)
 * @param timeout the limit of one attempt; null for none (the default)
 * @param pool the Airflow pool; null for none
 */
public record StepDefaults(int retries, Duration retryDelay, Duration timeout, String pool) {
  /** No retries, 5 minutes between retries, no timeout, no pool. */
  public static StepDefaults none() {
    return new StepDefaults(0, Duration.ofMinutes(5), null, null);
  }
}
