package dev.mlops.core.config;

/**
 * Thrown by a config record's constructor when one of its values is missing or invalid. The
 * {@link ConfigLoader} turns it into a {@link ConfigException} that adds the file and the path
 * of the record, so records only name their own key.
 */
public final class ConfigValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  /**
   * @param key the key inside the record, for example {@code "root"}; may contain dots for
   *     nested keys
   * @param problem what is wrong and how to fix it, for example {@code "is required"}
   */
  public ConfigValueException(String key, String problem) {
    super(problem);
    this.key = key;
  }

  /** The key inside the record that is at fault. */
  public String key() {
    return key;
  }

  /** Fails with "key: is required" when {@code value} is null or blank; returns it otherwise. */
  public static <T> T require(String key, T value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      throw new ConfigValueException(key, "is required");
    }
    return value;
  }
}
