package dev.mlops.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spark settings for the platform's sessions.
 *
 * @param master the master URL for local runs ({@code local[*]}); ignored under
 *     {@code spark-submit}, which sets its own
 * @param appName the application name
 * @param ui whether to start the Spark UI (default false)
 * @param logLevel the root log level (default WARN)
 * @param shufflePartitions {@code spark.sql.shuffle.partitions} (default 8)
 * @param settings any other {@code spark.*} settings, passed as they are
 */
public record SparkConfig(
    String master,
    String appName,
    Boolean ui,
    String logLevel,
    Integer shufflePartitions,
    Map<String, String> settings) {
  private static final Set<String> LEVELS = Set.of("ALL", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF");

  public SparkConfig {
    appName = appName == null ? "mlops" : appName;
    ui = ui != null && ui;
    logLevel = logLevel == null ? "WARN" : logLevel.toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(logLevel)) {
      throw new ConfigValueException("log-level", "expected one of " + new java.util.TreeSet<>(LEVELS) + ", got \"" + logLevel + "\"");
    }
    shufflePartitions = shufflePartitions == null ? 8 : shufflePartitions;
    if (shufflePartitions < 1) {
      throw new ConfigValueException("shuffle-partitions", "must be at least 1, got " + shufflePartitions);
    }
    settings = settings == null ? Map.of() : Map.copyOf(new TreeMap<>(settings));
    for (String key : settings.keySet()) {
      if (!key.startsWith("spark.")) {
        throw new ConfigValueException("settings." + key, "is not a Spark setting (keys start with \"spark.\")");
      }
    }
  }

  /** Local defaults: {@code local[*]}, UI off, WARN logs, 8 shuffle partitions. */
  public static SparkConfig defaults() {
    return new SparkConfig("local[*]", null, null, null, null, null);
  }
}
