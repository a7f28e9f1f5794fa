package dev.mlops.core.config;

import java.nio.file.Path;

/**
 * The feature store's settings.
 *
 * @param repo the feature repository folder (YAML definitions); relative paths resolve against
 *     the config file's folder (default {@code features}, that is {@code conf/features})
 */
public record FeaturesConfig(String repo) {
  public FeaturesConfig {
    repo = repo == null || repo.isBlank() ? "features" : repo.strip();
  }

  /** The defaults. */
  public static FeaturesConfig defaults() {
    return new FeaturesConfig(null);
  }

  /** A copy whose repo is absolute, resolved against {@code baseDir}. */
  public FeaturesConfig resolvedAgainst(Path baseDir) {
    Path p = Path.of(repo);
    return new FeaturesConfig((p.isAbsolute() ? p : baseDir.resolve(p)).toAbsolutePath().normalize().toString());
  }
}
