package dev.mlops.monitoring.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;

/**
 * The golden fixtures SciPy computed ({@code monitoring/src/test/python/make_drift_fixtures.py},
 * in {@code src/test/resources/drift-fixtures}), read as JSON trees.
 */
final class DriftFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DriftFixtures() {}

  /** The list under {@code key} of fixture file {@code name}. */
  static List<JsonNode> items(String name, String key) {
    try (InputStream in = DriftFixtures.class.getResourceAsStream("/drift-fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("fixture " + name + " not on the test classpath");
      }
      JsonNode root = JSON.readTree(in);
      return StreamSupport.stream(root.get(key).spliterator(), false).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cases of fixture file {@code name}. */
  static List<JsonNode> cases(String name) {
    return items(name, "cases");
  }

  /** The cases of fixture file {@code name}, each named by its {@code name} field for test reports. */
  static Stream<Named<JsonNode>> namedCases(String name) {
    return cases(name).stream().map(c -> Named.of(c.get("name").asText(), c));
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }

  static Map<String, Long> counts(JsonNode object) {
    Map<String, Long> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().longValue()));
    return out;
  }

  /** A categorical side of a fixture: {@code {"counts": {...}, "other": n}}. */
  static CategoricalDistribution categorical(JsonNode side) {
    Map<String, Long> counts = counts(side.get("counts"));
    long other = side.get("other").longValue();
    return other == 0 ? ExactCategorical.of(counts) : new FixedCategorical(counts, other);
  }

  /** Relative difference, 0 when both are 0. */
  static double relative(double actual, double expected) {
    if (actual == expected) {
      return 0;
    }
    return Math.abs(actual - expected) / Math.abs(expected);
  }

  /**
   * A categorical distribution with given counts and rows in other categories, as a frequent-items
   * sketch beyond its capacity reports them.
   */
  record FixedCategorical(Map<String, Long> counts, long other) implements CategoricalDistribution {
    @Override
    public long count() {
      return counts.values().stream().mapToLong(Long::longValue).sum() + other;
    }
  }
}
