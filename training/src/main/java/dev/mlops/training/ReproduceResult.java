package dev.mlops.training;

import java.util.List;
import java.util.Map;

/**
 * What {@code mlops models reproduce} found.
 *
 * @param model the model
 * @param version the version reproduced
 * @param trainingRowsDiffering rows in the rebuilt training set that are not in the recorded one,
 *     plus the reverse (0 when identical)
 * @param recordedMetrics the metrics recorded at training
 * @param reproducedMetrics the metrics of the retrained model on the rebuilt test split
 * @param predictionsCompared test rows compared
 * @param predictionsDiffering test rows whose probability differs from the recorded one, or that
 *     are on one side only
 * @param differences a sentence per difference found
 */
public record ReproduceResult(String model, int version, long trainingRowsDiffering, Map<String, Double> recordedMetrics,
    Map<String, Double> reproducedMetrics, long predictionsCompared, long predictionsDiffering, List<String> differences) {
  /** Whether the training set, the metrics and the predictions are all identical. */
  public boolean identical() {
    return differences.isEmpty();
  }
}
