package dev.mlops.core.spark;

import dev.mlops.core.config.CatalogConfig;
import dev.mlops.core.config.PlatformConfig;
import dev.mlops.core.spark.internal.WarehouseCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one place that builds Spark sessions for the platform from its configuration: Delta's SQL
 * extension and catalog, the warehouse root, the catalog (embedded, derived from the warehouse;
 * or an external Hive metastore), UTC session time, quiet logs and the UI off by default.
 *
 * <p>Under {@code spark-submit} the master and any {@code --conf} given there win over the
 * config file. Thread-safe (stateless).
 */
public final class SparkSessions {
  /** Delta's SQL extension. */
  public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  /** Delta's own catalog, used as-is with an external metastore. */
  public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
  /** The session catalog's configuration key. */
  public static final String SESSION_CATALOG_KEY = "spark.sql.catalog.spark_catalog";
  /** The setting naming Kryo registrators (used when {@code spark.serializer} is Kryo). */
  static final String KRYO_REGISTRATOR = "spark.kryo.registrator";

  private SparkSessions() {}

  /**
   * Opens (or joins) the process's session, configured for {@code config}, and registers the
   * warehouse's tables.
   */
  public static SparkSession open(PlatformConfig config) {
    return open(config, Map.of());
  }

  /**
   * As {@link #open(PlatformConfig)}, with {@code extra} settings of the caller's (the CLI turns
   * Spark's console progress bar on for terminals) applied before the config file's own.
   */
  public static SparkSession open(PlatformConfig config, Map<String, String> extra) {
    SparkConf submitted = new SparkConf(true);
    Map<String, String> all = new LinkedHashMap<>(extra);
    all.putAll(settings(config));
    Map<String, String> kept = notSubmitted(all, submitted);
    SparkSession existing = SparkSession.getActiveSession().getOrElse(() -> SparkSession.getDefaultSession()
        .getOrElse(() -> null));
    SparkSession spark;
    if (existing != null && !existing.sparkContext().isStopped()) {
      spark = join(existing, kept);
    } else {
      SparkSession.Builder builder = SparkSession.builder();
      kept.forEach(builder::config);
      if (!submitted.contains("spark.master") && config.spark().master() != null) {
        builder.master(config.spark().master());
      }
      spark = builder.getOrCreate();
    }
    spark.sparkContext().setLogLevel(config.spark().logLevel());
    attachWarehouse(spark);
    return spark;
  }

  /**
   * The process's session, as a builder would return it, with every setting of {@code settings}
   * that a session may change applied (the catalog's options included, which Spark does not know):
   * a step of {@code mlops pipeline run} opens the session the runner opened, and the builder would
   * warn on each step that static settings cannot change. Those stay as the session started.
   */
  private static SparkSession join(SparkSession existing, Map<String, String> settings) {
    settings.forEach((k, v) -> {
      if (!v.equals(existing.conf().get(k, null))) {
        try {
          existing.conf().set(k, v);
        } catch (Exception e) { // AnalysisException: a static or core setting, fixed when the session started
          // as the builder does, keep the session's value
        }
      }
    });
    return existing;
  }

  /**
   * The settings of {@code all} that {@code spark-submit} did not give ({@code submitted}: its
   * {@code --conf} reach the driver as system properties): those it gave win, even over the config
   * file's own {@code spark.settings}, as the README says.
   */
  static Map<String, String> notSubmitted(Map<String, String> all, SparkConf submitted) {
    Map<String, String> kept = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (!submitted.contains(k)) {
        kept.put(k, v);
      }
    });
    // Kryo registrators add up: the submitted ones run, and ours after them.
    String theirs = submitted.get(KRYO_REGISTRATOR, "");
    if (!theirs.isEmpty() && !theirs.contains(KryoRecords.class.getName())) {
      kept.put(KRYO_REGISTRATOR, theirs + "," + KryoRecords.class.getName());
    }
    return kept;
  }

  /**
   * A new session sharing {@code shared}'s SparkContext but working on {@code config}'s
   * warehouse. Tests use it to give each test class a fresh warehouse in one JVM.
   */
  public static SparkSession newSessionFor(SparkSession shared, PlatformConfig config) {
    SparkSession session = shared.newSession();
    for (Map.Entry<String, String> e : sessionSettings(config).entrySet()) {
      session.conf().set(e.getKey(), e.getValue());
    }
    attachWarehouse(session);
    return session;
  }

  /**
   * A new session on {@code spark}'s context with the same runtime settings (warehouse and catalog
   * included) and no temporary views: for work that registers temporary views or changes settings
   * without touching the caller's session.
   */
  public static SparkSession isolated(SparkSession spark) {
    SparkSession session = withSettingsOf(spark);
    attachWarehouse(session);
    return session;
  }

  /**
   * A new session on {@code spark}'s context with the same runtime settings but no catalog
   * attached: for Delta commands by path (a MERGE whose commit metadata comes from its session),
   * where registering the warehouse's tables would be wasted work.
   */
  public static SparkSession isolatedForPaths(SparkSession spark) {
    return withSettingsOf(spark);
  }

  private static SparkSession withSettingsOf(SparkSession spark) {
    SparkSession session = spark.newSession();
    scala.collection.immutable.Map<String, String> all = spark.conf().getAll();
    scala.jdk.javaapi.CollectionConverters.asJava(all).forEach((k, v) -> {
      // Session settings only: isModifiable() says false for keys Spark does not know, such as
      // the catalog's own options, so copy every SQL setting that Spark lets a session change.
      if ((k.startsWith("spark.sql.") || k.startsWith("spark.databricks.")) && !session.conf().getOption(k).contains(v)) {
        try {
          session.conf().set(k, v);
        } catch (RuntimeException staticSetting) {
          // A static setting: the new session has it already.
        }
      }
    });
    return session;
  }

  /** Every setting the platform gives a session for {@code config}, the file's own last. */
  public static Map<String, String> settings(PlatformConfig config) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("spark.app.name", config.spark().appName());
    s.put("spark.ui.enabled", String.valueOf(config.spark().ui()));
    s.put("spark.sql.extensions", DELTA_EXTENSION);
    CatalogConfig catalog = config.catalog();
    s.put("spark.sql.catalogImplementation", catalog.embedded() ? "in-memory" : "hive");
    if (!catalog.embedded()) {
      s.put("spark.hadoop.hive.metastore.uris", catalog.metastoreUri());
    }
    s.put("spark.sql.warehouse.dir", config.warehouse().uri());
    // Delta reconstructs table state with this many partitions (50 by default): far too many
    // for the small logs of platform tables.
    s.put("spark.databricks.delta.snapshotPartitions", String.valueOf(Math.max(1, config.spark().shufflePartitions())));
    // Wide platform tables print truncated plans with a warning at the default of 25 fields.
    s.put("spark.sql.debug.maxToStringFields", "500");
    // Timestamps as Parquet's own TIMESTAMP_MICROS, not Spark's legacy INT96 (deprecated in
    // Parquet, dictionary-encoded as 12-byte binaries): cheaper to write and to read back, and
    // what other engines expect.
    s.put("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // Records cross from executors to the driver; with Kryo for spark.serializer they need this.
    s.put(KRYO_REGISTRATOR, KryoRecords.class.getName());
    s.putAll(sessionSettings(config));
    s.putAll(config.spark().settings());
    return s;
  }

  /** The settings that may differ between sessions of one JVM (runtime SQL settings). */
  static Map<String, String> sessionSettings(PlatformConfig config) {
    Map<String, String> s = new LinkedHashMap<>();
    CatalogConfig catalog = config.catalog();
    s.put(SESSION_CATALOG_KEY, catalog.embedded() ? WarehouseCatalog.class.getName() : DELTA_CATALOG);
    if (catalog.embedded()) {
      s.put(SESSION_CATALOG_KEY + "." + WarehouseCatalog.ROOT_OPTION, config.warehouse().uri());
    }
    s.put("spark.sql.session.timeZone", "UTC");
    s.put("spark.sql.shuffle.partitions", String.valueOf(config.spark().shufflePartitions()));
    return s;
  }

  /**
   * Runs {@code body} with {@code spark} as the calling thread's active session (Delta's commands
   * read settings from the active one), then makes the thread's previous session active again.
   */
  public static void whileActive(SparkSession spark, Runnable body) {
    SparkSession previous = SparkSession.getActiveSession().getOrElse(() -> null);
    SparkSession.setActiveSession(spark);
    try {
      body.run();
    } finally {
      if (previous == null) {
        SparkSession.clearActiveSession();
      } else {
        SparkSession.setActiveSession(previous);
      }
    }
  }

  /** Registers the warehouse's tables in {@code spark}'s catalog, if it is the embedded one. */
  public static void attachWarehouse(SparkSession spark) {
    WarehouseCatalog.attach(spark);
  }
}
