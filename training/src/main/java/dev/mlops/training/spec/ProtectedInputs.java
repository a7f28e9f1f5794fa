package dev.mlops.training.spec;

import dev.mlops.core.config.ConfigValueException;
import java.util.List;

/**
 * Keeps protected attributes out of a model's inputs: a spec that names one of its
 * {@code fairness.attributes} as an input ({@code features} or {@code spine.request-features})
 * must also list it in {@code fairness.model-inputs}. Attributes that are features of the
 * service, used only because the spec takes all of them, are left out of the inputs when the
 * training set is built.
 */
final class ProtectedInputs {
  private ProtectedInputs() {}

  /** Fails naming the first attribute used as an input without {@code fairness.model-inputs} allowing it. */
  static void check(FairnessSpec fairness, List<String> features, ModelSpec.SpineSpec spine) {
    if (fairness == null) {
      return;
    }
    for (int i = 0; i < fairness.attributes().size(); i++) {
      String a = fairness.attributes().get(i);
      if (!fairness.excludedInputs().contains(a)) {
        continue;
      }
      String where = features.contains(a) ? "features" : spine.requestFeatures().contains(a) ? "spine.request-features" : null;
      if (where != null) {
        throw new ConfigValueException("fairness.attributes[" + i + "]", a + " is also a model input (" + where
            + "); a protected attribute is never an input unless fairness.model-inputs lists it: remove it from " + where
            + ", or add it to fairness.model-inputs");
      }
    }
  }
}
