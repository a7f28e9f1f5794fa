package dev.mlops.training.registry;

import dev.mlops.training.TrainingErrors;
import java.util.Arrays;

/** A model version's stage: None → Staging → Production → Archived, as in MLflow. */
public enum Stage {
  NONE("None"),
  STAGING("Staging"),
  PRODUCTION("Production"),
  ARCHIVED("Archived");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  /** How the stage is written in tables and on the command line. */
  public String label() {
    return label;
  }

  /** The stage named {@code text}, in any case. */
  public static Stage parse(String text) {
    return Arrays.stream(values()).filter(s -> s.label.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)).findFirst()
        .orElseThrow(() -> TrainingErrors.unknownStage(text));
  }

  @Override
  public String toString() {
    return label;
  }
}
