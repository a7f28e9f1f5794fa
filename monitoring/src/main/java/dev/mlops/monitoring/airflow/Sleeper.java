package dev.mlops.monitoring.airflow;

import java.time.Duration;

/**
 * Waits, between retries and between polls of a run's state. Production code uses
 * {@link #system()}; tests pass a fake that records the durations and advances a fake clock.
 * Implementations must be thread-safe if the client is shared.
 */
@FunctionalInterface
public interface Sleeper {
  /** Waits for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps the current thread. */
  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
  }
}
