package dev.mlops.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes the platform and its tests start (a Redis server, test servers). Stateless. */
public final class Processes {
  private Processes() {}

  /**
   * Asks {@code process} to end, waits up to {@code grace} for it, then kills it and waits for
   * that; interrupted, kills it at once and keeps the thread's interrupt.
   */
  public static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
