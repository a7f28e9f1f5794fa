package dev.mlops.training;

import dev.mlops.training.explain.GlobalExplanation;
import java.util.Locale;
import java.util.Map;

/**
 * The model card's "Global explanation" section: a tree ensemble's feature importances per
 * input, or a linear model's coefficients per encoded slot with the intercept, largest first.
 * Stateless and thread-safe.
 */
final class GlobalExplanationSection {
  private GlobalExplanationSection() {}

  /** Appends the section for {@code global} to {@code md}. */
  static void append(StringBuilder md, GlobalExplanation global) {
    md.append("\n## Global explanation\n\n");
    if (!global.importances().isEmpty()) {
      md.append("Feature importances of the tree ensemble (MLlib's: the gain of each split weighted by the rows it"
          + " splits, normalized to sum to 1; a one-hot encoded input's slots summed).\n\n| feature | importance |\n|---|---|\n");
      rows(md, global.importances());
    } else if (!global.coefficients().isEmpty()) {
      md.append("Coefficients of the linear model, on the log-odds, per encoded input (`feature=category` for a one-hot"
          + " slot), in each input's own units.\n\n| input | coefficient |\n|---|---|\n");
      rows(md, global.coefficients());
    } else {
      md.append("None recorded (a version registered before global explanations were).\n");
    }
  }

  private static void rows(StringBuilder md, Map<String, Double> values) {
    values.forEach((k, v) -> md.append("| ").append(k.replace("|", "\\|")).append(" | ")
        .append(String.format(Locale.ROOT, "%.4f", v)).append(" |\n"));
  }
}
