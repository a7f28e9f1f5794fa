package dev.mlops.monitoring.airflow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * When to retry a failed call and how long to wait first. Only answers that may succeed later
 * are retried: 5xx, 429, and connections that failed or timed out; never another 4xx. The wait
 * is Airflow's {@code Retry-After} when it sends one (seconds or an HTTP date), else a capped
 * exponential backoff with jitter: retry {@code n} (from 0) waits between half and all of
 * {@code min(maxDelay, baseDelay * 2^n)}.
 *
 * @param maxRetries retries after the first attempt
 * @param baseDelay the backoff of the first retry
 * @param maxDelay the largest backoff
 * @param maxRetryAfter the longest {@code Retry-After} the client waits; a longer one fails the call
 */
record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
  static final Duration BASE_DELAY = Duration.ofMillis(500);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  static RetryPolicy of(int maxRetries) {
    return new RetryPolicy(maxRetries, BASE_DELAY, MAX_DELAY, MAX_RETRY_AFTER);
  }

  static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /** The backoff before retry {@code retry} (0 for the first), {@code jitter} giving numbers in [0, 1). */
  Duration backoff(int retry, DoubleSupplier jitter) {
    long full = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retry, 20));
    long half = full / 2;
    return Duration.ofMillis(half + (long) (half * jitter.getAsDouble()));
  }

  /**
   * The wait a {@code Retry-After} header asks for, at {@code now}: delta-seconds or an HTTP
   * date (a date in the past is no wait). Null when there is no header or it cannot be read.
   */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    if (value.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      Duration d = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
