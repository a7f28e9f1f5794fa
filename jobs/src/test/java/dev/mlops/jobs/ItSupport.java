package dev.mlops.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths and configs shared by the integration tests, which run after {@code package}. */
final class ItSupport {
  static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  static final Path TARGET = Path.of(System.getProperty("mlops.jobs.target", "target")).toAbsolutePath();

  private ItSupport() {}

  /** A config on {@code warehouse} whose online store is {@code redis}, plus {@code extra} YAML. */
  static Path writeConfig(Path dir, Path warehouse, dev.mlops.testkit.RedisHarness redis, String extra) throws IOException {
    return writeConfig(dir, warehouse, "redis:\n  host: " + redis.host() + "\n  port: " + redis.port() + "\n" + extra);
  }

  /** Writes a small local config whose warehouse is {@code warehouse}, plus {@code extra} YAML. */
  static Path writeConfig(Path dir, Path warehouse, String extra) throws IOException {
    return writeConfig(dir, warehouse, extra, java.util.Map.of());
  }

  /** As {@link #writeConfig(Path, Path, String)}, with these {@code spark.settings}. */
  static Path writeConfig(Path dir, Path warehouse, String extra, java.util.Map<String, String> sparkSettings)
      throws IOException {
    StringBuilder settings = new StringBuilder();
    sparkSettings.forEach((k, v) -> settings.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    Files.createDirectories(dir);
    Path conf = dir.resolve("it.yaml");
    Files.writeString(conf, "project: it\n"
        + "warehouse:\n  root: " + warehouse.toAbsolutePath() + "\n"
        + "spark:\n  master: local[2]\n  log-level: ERROR\n  shuffle-partitions: 2\n"
        + (settings.length() == 0 ? "" : "  settings:\n" + settings)
        + "features:\n  repo: " + REPO.resolve("conf/features") + "\n"
        + "validation:\n  suites: " + REPO.resolve("conf/validation") + "\n"
        + "training:\n  models: " + REPO.resolve("conf/models") + "\n"
        + extra);
    return conf;
  }
}
