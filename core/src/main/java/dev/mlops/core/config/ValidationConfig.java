package dev.mlops.core.config;

import java.nio.file.Path;

/**
 * Data validation's settings.
 *
 * @param suites the folder of validation suites (one YAML file per table); relative paths resolve
 *     against the config file's folder (default {@code validation}, that is {@code conf/validation})
 */
public record ValidationConfig(String suites) {
  public ValidationConfig {
    suites = suites == null || suites.isBlank() ? "validation" : suites.strip();
  }

  /** The defaults. */
  public static ValidationConfig defaults() {
    return new ValidationConfig(null);
  }

  /** A copy whose folder is absolute, resolved against {@code baseDir}. */
  public ValidationConfig resolvedAgainst(Path baseDir) {
    Path p = Path.of(suites);
    return new ValidationConfig((p.isAbsolute() ? p : baseDir.resolve(p)).toAbsolutePath().normalize().toString());
  }
}
