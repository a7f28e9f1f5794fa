package dev.mlops.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Objects;

/**
 * A secret value (a password or token) read from configuration. Its {@link #toString()} never
 * shows the value, so a secret cannot leak into a log line or an error message by accident;
 * only {@link #reveal()} returns it, at the one place that hands it to a client library.
 *
 * <p>Immutable and thread-safe. Obtain one from a config file ({@code ${ENV_VAR}}
 * substitution) or with {@link #of(String)}.
 */
public final class Secret {
  private static final Secret EMPTY = new Secret("");
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /** Wraps {@code value}; {@code null} and the empty string both mean "no secret". */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Secret of(String value) {
    return value == null || value.isEmpty() ? EMPTY : new Secret(value);
  }

  /** The empty secret. */
  public static Secret none() {
    return EMPTY;
  }

  /** Whether a value is present. */
  public boolean isPresent() {
    return !value.isEmpty();
  }

  /** The secret itself. Call it only where the value is handed to a client library. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return isPresent() ? "****" : "";
  }
}
