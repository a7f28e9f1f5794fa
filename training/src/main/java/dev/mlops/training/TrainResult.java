package dev.mlops.training;

import dev.mlops.features.pit.TrainingSetWriter;
import dev.mlops.training.evaluation.Evaluation;
import dev.mlops.training.gate.GateVerdict;
import dev.mlops.training.registry.ModelVersion;
import java.util.List;
import java.util.Map;

/**
 * What {@code mlops train} did.
 *
 * @param version the registered version, in the stage it ended in
 * @param trainingSet the saved training set
 * @param candidates every candidate of the grid with its validation figure, in the order fitted
 * @param selectionMetric the metric that chose among them
 * @param test the chosen candidate's evaluation on the test split
 * @param gate the gate's verdict
 * @param promoted whether the promotion policy moved it to Production
 */
public record TrainResult(ModelVersion version, TrainingSetWriter.Written trainingSet, List<Candidate> candidates,
    String selectionMetric, Evaluation test, GateVerdict gate, boolean promoted) {

  /**
   * One candidate of the grid.
   *
   * @param params its params
   * @param validation its selection metric on the validation split
   * @param chosen whether it was chosen
   */
  public record Candidate(Map<String, String> params, double validation, boolean chosen) {}
}
