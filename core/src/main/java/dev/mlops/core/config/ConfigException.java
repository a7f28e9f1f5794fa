package dev.mlops.core.config;

import dev.mlops.core.PlatformException;

/**
 * A configuration file that cannot be used: its message names the file, the key path inside it
 * and what is wrong, for example {@code conf/local.yaml: redis.port: expected an integer, got "abc"}.
 * Values that came from environment variables are never shown.
 */
public final class ConfigException extends PlatformException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
