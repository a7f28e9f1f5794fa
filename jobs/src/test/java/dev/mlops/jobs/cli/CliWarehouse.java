package dev.mlops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.ConfigLoader;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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

  /** The schema of raw.profiles, the view's source. */
  static final StructType PROFILES = new StructType().add("user_id", DataTypes.LongType).add("ts", DataTypes.TimestampType)
      .add("score", DataTypes.DoubleType);
  /** A user id beyond int, in raw.profiles alongside users 1 and 2. */
  static final long BIG = 3_000_000_001L;

  /**
   * Writes raw.profiles (users 1, 2 and {@link #BIG}, three days before {@code now}, with {@code score}, twice and four
   * times it), applies the repository the first time, and materializes the view over the five days to {@code now}'s;
   * answers its table's Delta version.
   */
  long materializeProfiles(Instant now, double score) {
    Timestamp then = Timestamp.from(now.minus(3, ChronoUnit.DAYS));
    warehouse.write(warehouse.spark().createDataFrame(List.of(RowFactory.create(1L, then, score),
        RowFactory.create(2L, then, 2 * score), RowFactory.create(BIG, then, 4 * score)), PROFILES),
        TableName.parse("raw.profiles")).overwriting(true).commit();
    if (!warehouse.exists(TableName.parse("features.profile_v1"))) {
      Call apply = mlops("features", "apply");
      assertThat(apply.code()).as("apply; stderr: " + apply.err()).isZero();
    }
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    Call m = mlops("features", "materialize", "--view", "profile", "--start", today.minusDays(5).toString(), "--end",
        today.toString());
    assertThat(m.code()).as("materialize; stderr: " + m.err()).isZero();
    return warehouse.current(TableName.parse("features.profile_v1")).version();
  }

  /** A copy of this config in {@code dir} with {@code redis} (YAML, the section's lines indented) as its online store. */
  Path withRedis(Path dir, String redis) throws IOException {
    return Files.writeString(dir.resolve("cli-redis.yaml"), Files.readString(conf) + "redis:\n" + redis);
  }

  /** What one in-process {@code mlops} call printed, and its exit code. */
  record Call(int code, String out, String err) {}

  /** Runs {@code mlops --conf CONF args...} in this JVM. */
  Call mlops(String... args) {
    return mlops(conf, args);
  }

  /**
   * Runs {@code mlops --conf config args...} in this JVM: {@code config} must name this warehouse (see {@link
   * #withRedis}).
   */
  Call mlops(Path config, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--conf";
    all[args.length + 1] = config.toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = MlopsCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), all);
    return new Call(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
