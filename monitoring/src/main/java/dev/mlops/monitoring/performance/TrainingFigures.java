package dev.mlops.monitoring.performance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.tables.Json;
import dev.mlops.monitoring.MonitoringErrors;
import dev.mlops.training.registry.ModelVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A version's test figures of one metric: overall (its recorded metrics) and per slice value (its
 * recorded evaluation); a slice value the test split had no figure for takes the overall one.
 * Immutable.
 */
final class TrainingFigures {
  private final double overall;
  private final Map<List<String>, Double> slices;

  private TrainingFigures(double overall, Map<List<String>, Double> slices) {
    this.overall = overall;
    this.slices = slices;
  }

  /**
   * The figures of {@code metric} recorded with {@code version}.
   *
   * @throws dev.mlops.core.PlatformException when the version's test metrics lack it
   */
  static TrainingFigures of(ModelVersion version, String metric) {
    Double overall = version.metrics().get(metric);
    if (overall == null) {
      throw MonitoringErrors.metricNotRecorded(version.id(), metric, List.copyOf(version.metrics().keySet()));
    }
    Map<List<String>, Double> slices = new HashMap<>();
    for (JsonNode s : evaluation(version).path("slices")) {
      JsonNode value = s.path("metrics").path(metric);
      if (value.isNumber()) {
        slices.put(List.of(s.path("column").asText(), s.path("value").asText()), value.doubleValue());
      }
    }
    return new TrainingFigures(overall, Map.copyOf(slices));
  }

  private static JsonNode evaluation(ModelVersion version) {
    try {
      return Json.mapper().readTree(version.evaluation());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the evaluation of " + version.id() + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The figure of {@code column} = {@code value}, or the overall one for {@link PartitionPerformance#ALL}. */
  double of(String column, String value) {
    return column.equals(PartitionPerformance.ALL) ? overall : slices.getOrDefault(List.of(column, value), overall);
  }
}
