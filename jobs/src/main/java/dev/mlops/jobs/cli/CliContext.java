package dev.mlops.jobs.cli;

import dev.mlops.core.CodeVersion;
import dev.mlops.core.config.ConfigFile;
import dev.mlops.core.config.ConfigLoader;
import dev.mlops.core.runs.RunRecorder;
import dev.mlops.core.runs.SingleWriterLease;
import dev.mlops.core.runs.WriterGuard;
import dev.mlops.core.spark.SparkSessions;
import dev.mlops.core.tables.Warehouse;
import dev.mlops.monitoring.airflow.AirflowClient;
import dev.mlops.monitoring.airflow.HttpAirflowClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a subcommand works with, opened on first use: the config file, the Spark session, the
 * warehouse and the run recorder. Only {@link #spark()} and what needs it start Spark; the config
 * and the Airflow client do not. Not thread-safe; one per command invocation.
 */
final class CliContext {
  private final GlobalOptions options;
  private final Output output;
  private ConfigFile config;
  private SparkSession spark;
  private dev.mlops.features.online.RedisSettings redis;
  private boolean dryRunReadsTables;

  CliContext(GlobalOptions options, Output output) {
    this.options = options;
    this.output = output;
  }

  /** Where to print. */
  public Output output() {
    return output;
  }

  /** The config file named by {@code --conf}. */
  public ConfigFile config() {
    if (config == null) {
      config = ConfigLoader.fromEnvironment().load(Path.of(options.conf), options.conf);
    }
    return config;
  }

  /**
   * This context, allowed to start Spark in a dry run: for a command whose {@code --dry-run} reads
   * tables to say what it would change ({@code features vacuum}).
   */
  CliContext readingTablesInDryRun() {
    dryRunReadsTables = true;
    return this;
  }

  /** The global options the command was called with. */
  GlobalOptions options() {
    return options;
  }

  /** The Spark session for the config; never in a dry run. */
  public SparkSession spark() {
    if (options.dryRun && !dryRunReadsTables) {
      throw new IllegalStateException("a dry run must not start Spark");
    }
    if (spark == null) {
      ConfigFile c = config();
      boolean interactive = System.console() != null && !output.json();
      spark = SparkSessions.open(c.config(), Map.of("spark.ui.showConsoleProgress", String.valueOf(interactive)));
    }
    return spark;
  }

  /** The warehouse of the config. */
  public Warehouse warehouse() {
    return Warehouse.of(spark(), config().config());
  }

  /** The feature store of the config's feature repository. */
  public dev.mlops.features.FeatureStore featureStore() {
    return dev.mlops.features.FeatureStore.open(warehouse(), Clock.systemUTC());
  }

  /** The online store's Redis server: the configured one, or the local one the platform runs. */
  public dev.mlops.features.online.RedisSettings redisSettings() {
    if (redis == null) {
      redis = dev.mlops.features.online.RedisSettings.of(dev.mlops.core.redis.ManagedRedis.resolve(config().config()));
    }
    return redis;
  }

  /** The online sync service. */
  public dev.mlops.features.online.OnlineSync onlineSync() {
    return new dev.mlops.features.online.OnlineSync(warehouse(), new dev.mlops.features.registry.FeatureRegistry(warehouse(),
        Clock.systemUTC()), redisSettings(), Clock.systemUTC(), config().config().online().writeBatch());
  }

  /** A pooled online reader (close it). */
  public dev.mlops.features.online.OnlineFeatureClient onlineClient() {
    return dev.mlops.features.online.OnlineFeatureClient.connect(redisSettings(), config().config().project(),
        config().config().online().readConnections());
  }

  /** The model registry of the warehouse. */
  public dev.mlops.training.registry.ModelRegistry modelRegistry() {
    return new dev.mlops.training.registry.DeltaModelRegistry(warehouse(), Clock.systemUTC());
  }

  /** The spec of model {@code name} in the config's {@code training.models} folder (or the file {@code name}). */
  public dev.mlops.training.spec.ModelSpecLoader.LoadedSpec modelSpec(String name) {
    return new dev.mlops.training.spec.ModelSpecLoader(System::getenv).find(Path.of(config().config().training().models()), name);
  }

  /**
   * The Airflow client of the config's {@code airflow} section. Reads the config only: Spark is
   * not started.
   *
   * @throws dev.mlops.monitoring.airflow.AirflowException naming {@code airflow.url} when the config
   *     has none, or its CA file when that cannot be used
   */
  public AirflowClient airflowClient() {
    ConfigFile c = config();
    return HttpAirflowClient.fromConfig(c.config().airflow(), c.displayName());
  }

  /** The run recorder, on the system clock, its runs admitted by {@link #writerGuard()}. */
  public RunRecorder runs() {
    RunRecorder recorder = new RunRecorder(warehouse(), config(), Clock.systemUTC(), CodeVersion.current())
        .guardedBy(writerGuard());
    return options.runStarted == null ? recorder : recorder.observedBy(options.runStarted);
  }

  /**
   * What admits this process's writing jobs: on a warehouse in S3, the warehouse's single-writer
   * lease in the configured Redis; elsewhere everyone. Reads the config only.
   */
  public WriterGuard writerGuard() {
    String root = config().config().warehouse().uri();
    if (options.dryRun || !SingleWriterLease.needed(root)) {
      return WriterGuard.NONE;
    }
    return SingleWriterLease.of(root, () -> redisSettings().open());
  }
}
