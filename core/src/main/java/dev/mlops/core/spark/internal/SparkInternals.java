package dev.mlops.core.spark.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What the platform's doors to Spark's internals share: the setting that turns every internal
 * path off, and the check that this JVM's Spark still has the classes and methods a path calls.
 * Each module keeps its internal code in one {@code internal} package whose door class lists
 * what it calls; when a check fails, or the setting is off, the module takes its public-API path,
 * which gives the same results more slowly.
 *
 * <p>Stateless and thread-safe.
 */
public final class SparkInternals {
  /** The Spark setting that turns every internal path of the platform off ({@code true} by default). */
  public static final String SETTING = "spark.mlops.internals.enabled";

  private SparkInternals() {}

  /**
   * Whether an internal path can run in this JVM.
   *
   * @param reason why not, when it cannot
   */
  public record Availability(Optional<String> reason) {
    /** Whether it can run. */
    public boolean available() {
      return reason.isEmpty();
    }
  }

  /**
   * Whether every one of {@code required} ({@code class} or {@code class#method}) can be loaded
   * and has the method: what a path calls is named here so that a Spark without it is found
   * before a job fails half way.
   */
  public static Availability probe(List<String> required) {
    for (String r : required) {
      String[] parts = r.split("#", 2);
      try {
        Class<?> c = Class.forName(parts[0], false, SparkInternals.class.getClassLoader());
        if (parts.length == 2 && Arrays.stream(c.getMethods()).noneMatch(m -> m.getName().equals(parts[1]))) {
          return new Availability(Optional.of(parts[0] + " has no method " + parts[1]));
        }
      } catch (ClassNotFoundException | LinkageError e) {
        return new Availability(Optional.of(parts[0] + " cannot be loaded: " + e));
      }
    }
    return new Availability(Optional.empty());
  }

  /** Whether a path with {@code availability} runs in {@code spark}: available, and the setting not off. */
  public static boolean use(Availability availability, SparkSession spark) {
    return availability.available() && Boolean.parseBoolean(spark.conf().get(SETTING, "true"));
  }
}
