package dev.mlops.training.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;

/**
 * A row's explanation as scoring records it: the {@code k} model inputs that moved its margin
 * most, each with its contribution, the TreeSHAP values of its vector slots summed (a one-hot
 * encoded feature's slots add up to the feature's contribution, the attribution of SHAP's
 * {@code TreeExplainer} over the encoded columns grouped per original column). Inputs whose
 * contribution is exactly 0 are left out, so a row can have fewer than {@code k}.
 *
 * <p>Immutable and serializable, to ship in a Spark UDF; {@link #of} is thread-safe.
 */
public final class TopContributions implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeExplainer explainer;
  private final FeatureSlots slots;
  private final int k;

  /**
   * @param k how many inputs to keep per row, at least 1
   * @throws IllegalArgumentException when the slots are not the explainer's vector
   */
  public TopContributions(TreeExplainer explainer, FeatureSlots slots, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (explainer.size() != slots.size()) {
      throw new IllegalArgumentException("the model takes " + explainer.size() + " vector slots, the pipeline assembles "
          + slots.size());
    }
    this.explainer = explainer;
    this.slots = slots;
    this.k = k;
  }

  /** The explained margin's base value: what the contributions of a row add to. */
  public double baseValue() {
    return explainer.baseValue();
  }

  /** The top {@code k} contributions of the row with feature vector {@code row}, by decreasing magnitude. */
  public Map<String, Double> of(Vector row) {
    double[] perFeature = slots.perFeature(explainer.contributions(row));
    Map<String, Double> out = new LinkedHashMap<>();
    boolean[] taken = new boolean[perFeature.length];
    for (int n = 0; n < k; n++) {
      int best = -1;
      for (int i = 0; i < perFeature.length; i++) {
        if (!taken[i] && perFeature[i] != 0 && (best < 0 || Math.abs(perFeature[i]) > Math.abs(perFeature[best]))) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      taken[best] = true;
      out.put(slots.features().get(best), perFeature[best]);
    }
    return out;
  }
}
