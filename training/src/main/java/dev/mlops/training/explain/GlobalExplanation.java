package dev.mlops.training.explain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;

/**
 * What a model learned as a whole, recorded with each version ({@code ml.model_versions}) and on
 * its card:
 * <ul>
 *   <li>a tree ensemble (GBT, random forest): MLlib's feature importances (each split's gain
 *       weighted by the rows it splits, normalized to sum to 1), per model input: the slots of a
 *       one-hot encoded feature summed, since importances add up;</li>
 *   <li>a logistic regression: its coefficients per vector slot, named as in
 *       {@link FeatureSlots} ({@code amount}, {@code channel=web}), and the intercept under
 *       {@value #INTERCEPT}. Coefficients are not summed over a feature's one-hot slots: each
 *       moves the log-odds by its category (or per unit of a numeric input, in its own units).</li>
 * </ul>
 * Both maps are ordered by decreasing magnitude.
 *
 * <p>Immutable and thread-safe.
 *
 * @param importances per model input, for a tree ensemble; empty otherwise
 * @param coefficients per vector slot and the intercept, for a logistic regression; empty otherwise
 */
public record GlobalExplanation(Map<String, Double> importances, Map<String, Double> coefficients) {
  /** The key of a linear model's intercept among its {@link #coefficients}. */
  public static final String INTERCEPT = "(intercept)";
  /** No global explanation (a version registered before they were recorded). */
  public static final GlobalExplanation NONE = new GlobalExplanation(Map.of(), Map.of());

  public GlobalExplanation {
    importances = Collections.unmodifiableMap(new LinkedHashMap<>(importances == null ? Map.of() : importances));
    coefficients = Collections.unmodifiableMap(new LinkedHashMap<>(coefficients == null ? Map.of() : coefficients));
  }

  /** The global explanation of a pipeline fitted by {@code PipelineFactory}. */
  public static GlobalExplanation of(PipelineModel model) {
    FeatureSlots slots = FeatureSlots.of(model);
    Transformer last = model.stages()[model.stages().length - 1];
    Vector importances = last instanceof GBTClassificationModel gbt ? gbt.featureImportances()
        : last instanceof RandomForestClassificationModel rf ? rf.featureImportances() : null;
    if (importances != null) {
      double[] perFeature = slots.perFeature(importances.toArray());
      Map<String, Double> out = new LinkedHashMap<>();
      for (int i = 0; i < perFeature.length; i++) {
        out.put(slots.features().get(i), perFeature[i]);
      }
      return new GlobalExplanation(byMagnitude(out), Map.of());
    }
    if (last instanceof LogisticRegressionModel lr) {
      double[] c = lr.coefficients().toArray();
      Map<String, Double> out = new LinkedHashMap<>();
      for (int i = 0; i < c.length; i++) {
        out.put(slots.slotName(i), c[i]);
      }
      Map<String, Double> sorted = new LinkedHashMap<>(byMagnitude(out));
      sorted.put(INTERCEPT, lr.intercept());
      return new GlobalExplanation(Map.of(), sorted);
    }
    return NONE;
  }

  /** {@code values} ordered by decreasing absolute value, ties by name. */
  static Map<String, Double> byMagnitude(Map<String, Double> values) {
    List<Map.Entry<String, Double>> entries = new ArrayList<>(values.entrySet());
    entries.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(e -> -Math.abs(e.getValue()))
        .thenComparing(Map.Entry::getKey));
    Map<String, Double> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Whether there is nothing to show (a model of another kind, or a version from before). */
  public boolean isEmpty() {
    return importances.isEmpty() && coefficients.isEmpty();
  }
}
