package dev.mlops.training.gate;

import dev.mlops.training.evaluation.Evaluation;
import java.util.Objects;

/**
 * The Production version a candidate is judged against, evaluated on the candidate's test rows.
 *
 * <p>Immutable.
 *
 * @param model the model's name
 * @param version the Production version's number
 * @param evaluation its evaluation on the same test rows
 */
public record Champion(String model, int version, Evaluation evaluation) {
  public Champion {
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(evaluation, "evaluation == null");
  }

  /** {@code model vN}, as messages name it. */
  public String id() {
    return model + " v" + version;
  }
}
