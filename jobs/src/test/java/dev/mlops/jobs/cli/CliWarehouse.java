package dev.mlops.jobs.cli;

import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.ConfigLoader;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one warehouse of the jobs module's in-process CLI tests, and a config file naming it. The CLI
 * opens the process's default Spark session for its config ({@link SparkSessions#open}), and that
 * session's catalog keeps the first warehouse it was opened on: so every test class that calls
 * {@link MlopsCommand#execute} with Spark must use this config, and they keep apart by the names of
 * what they create. Created on first use; not thread-safe.
 */
final class CliWarehouse {
  static final Path REPO = Path.of(System.getProperty("mlops.repo.root", "..")).toAbsolutePath().normalize();
  /** The feature repository of the config: one view, {@code profile} v1, of {@code raw.profiles}, in service {@code svc}. */
  static final String FEATURES = """
      entities:
        - {name: user, join-keys: [{name: user_id, type: bigint}]}
      sources:
        - {name: profiles, table: raw.profiles, event-time: ts}
      feature-views:
        - name: profile
          version: 1
          entities: [user]
          sources: [profiles]
          ttl: 30d
          sql: SELECT user_id, ts, score FROM profiles
          event-time: ts
          features:
            - {name: score, type: double}
      feature-services:
        - name: svc
          features: [{view: profile, version: 1, features: ["*"]}]
      """;
  private static CliWarehouse instance;

  final Path conf;
  final Path root;
  /** The config's pipelines folder, empty: tests write their pipelines in it. */
  final Path pipelines;
  final ConfigFile config;
  final Warehouse warehouse;

  private CliWarehouse(Path conf, Path root, Path pipelines) {
    this.conf = conf;
    this.root = root;
    this.pipelines = pipelines;
    this.config = ConfigLoader.fromEnvironment().load(conf, conf.toString());
    this.warehouse = Warehouse.of(SparkSessions.open(config.config()), config.config());
  }

  static synchronized CliWarehouse get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("mlops-cli-tests");
        Path root = Files.createDirectories(dir.resolve("warehouse"));
        Path conf = dir.resolve("cli.yaml");
        Path features = Files.createDirectories(dir.resolve("features"));
        Files.writeString(features.resolve("repo.yaml"), FEATURES);
        Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
        Files.writeString(conf, "project: cli\n"
            + "warehouse:\n  root: " + root.toAbsolutePath() + "\n"
            + "spark:\n  master: local[2]\n  log-level: ERROR\n  shuffle-partitions: 2\n"
            + "  settings:\n    spark.driver.host: \"127.0.0.1\"\n    spark.sql.adaptive.enabled: \"false\"\n"
            + "    spark.default.parallelism: \"2\"\n"
            + "features:\n  repo: " + features + "\n"
            + "validation:\n  suites: " + REPO.resolve("conf/validation") + "\n"
            + "training:\n  models: " + REPO.resolve("conf/models") + "\n"
            + "pipelines: " + pipelines + "\n");
        instance = new CliWarehouse(conf, root, pipelines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** What one in-process {@code mlops} call printed, and its exit code. */
  record Call(int code, String out, String err) {}

  /** Runs {@code mlops --conf CONF args...} in this JVM. */
  Call mlops(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--conf";
    all[args.length + 1] = conf.toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MlopsCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), all);
    return new Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
