package dev.mlops.core.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Training's and the model registry's settings.
 *
 * @param models the folder of model specs (one YAML file per model); relative paths resolve
 *     against the config file's folder (default {@code models}, that is {@code conf/models})
 * @param pinRetention how long the feature tables a model version pins keep their Delta log and
 *     removed files, so the version's training set can be rebuilt (default {@code 365d})
 */
public record TrainingConfig(String models, String pinRetention) {
  public TrainingConfig {
    models = models == null || models.isBlank() ? "models" : models.strip();
    pinRetention = pinRetention == null || pinRetention.isBlank() ? "365d" : pinRetention.strip();
    if (Durations.parse(pinRetention).isEmpty()) {
      throw new ConfigValueException("pin-retention", "expected a duration such as 365d or 720h, got \"" + pinRetention + "\"");
    }
  }

  /** The defaults. */
  public static TrainingConfig defaults() {
    return new TrainingConfig(null, null);
  }

  /** {@link #pinRetention} as a duration. */
  public Duration pinRetentionDuration() {
    return Durations.parse(pinRetention).orElseThrow();
  }

  /** A copy whose folder is absolute, resolved against {@code baseDir}. */
  public TrainingConfig resolvedAgainst(Path baseDir) {
    Path p = Path.of(models);
    return new TrainingConfig((p.isAbsolute() ? p : baseDir.resolve(p)).toAbsolutePath().normalize().toString(), pinRetention);
  }
}
