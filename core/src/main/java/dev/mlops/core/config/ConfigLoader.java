package dev.mlops.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Loads a platform configuration file ({@code conf/local.yaml}, {@code conf/prod.yaml}).
 *
 * <p>Relative paths (the warehouse, the feature, suite and model folders, Airflow's CA file) are
 * resolved against the folder of the file. Thread-safe.
 */
public final class ConfigLoader {
  /** The config used when none is given. */
  public static final String DEFAULT_PATH = "conf/local.yaml";

  private final YamlBinder binder;

  /** A loader that substitutes {@code ${VAR}} from {@code env}. */
  public ConfigLoader(Function<String, String> env) {
    this.binder = new YamlBinder(env);
  }

  /** A loader that substitutes from the process environment. */
  public static ConfigLoader fromEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  /** Loads {@code file}; its messages name the file as {@code file.toString()}. */
  public ConfigFile load(Path file) {
    return load(file, file.toString());
  }

  /**
   * Loads {@code file}.
   *
   * @param displayName how the file is named in messages
   * @throws ConfigException naming the file and the key path at fault
   */
  public ConfigFile load(Path file, String displayName) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(displayName + ": config file not found (pass --conf <file>)");
    } catch (IOException e) {
      throw new ConfigException(displayName + ": cannot be read: " + e.getMessage(), e);
    }
    PlatformConfig config =
        binder.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), displayName, PlatformConfig.class);
    Path baseDir = file.toAbsolutePath().getParent();
    config = config.withWarehouse(config.warehouse().resolvedAgainst(baseDir))
        .withFeatures(config.features().resolvedAgainst(baseDir))
        .withValidation(config.validation().resolvedAgainst(baseDir))
        .withTraining(config.training().resolvedAgainst(baseDir))
        .withAirflow(config.airflow().resolvedAgainst(baseDir))
        .withPipelines(java.nio.file.Path.of(config.pipelines()).isAbsolute() ? config.pipelines()
            : baseDir.resolve(config.pipelines()).toAbsolutePath().normalize().toString());
    return new ConfigFile(file, displayName, sha256(bytes), config);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
