package dev.mlops.training.spec;

import static dev.mlops.core.config.ConfigValueException.require;

import dev.mlops.core.config.ConfigValueException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The spec's {@code fairness} section: the protected attributes whose groups the evaluation
 * compares, and the gate's limits on the gaps between them (Fairlearn's definitions; see
 * {@code docs/TRAINING.md}, "Fairness audit"). Immutable and thread-safe; bound by
 * {@link ModelSpecLoader}.
 *
 * @param attributes columns of the training set (from the spine or the features) to audit by;
 *     never model inputs unless listed in {@code modelInputs}
 * @param modelInputs those of {@code attributes} the model may also use as inputs (default none)
 * @param minGroupCount groups with fewer test rows are {@code insufficient}: reported, left out of
 *     the gaps, never passing (default 50)
 * @param minClassCount a group's true positive rate enters the gaps only when it has at least
 *     this many positives, its false positive rate this many negatives (default 10): a rate of a
 *     few rows is noise (one positive more or less moves a TPR of two by 0.5)
 * @param maxDemographicParityDifference the largest allowed gap in selection rate, or null
 * @param minDemographicParityRatio the smallest allowed ratio of the lowest to the highest
 *     selection rate ({@code 0.8}: the four-fifths rule), or null
 * @param maxEqualOpportunityDifference the largest allowed gap in true positive rate, or null
 * @param maxEqualizedOddsDifference the largest allowed gap in true or false positive rate, or null
 */
public record FairnessSpec(List<String> attributes, List<String> modelInputs, Integer minGroupCount,
    Integer minClassCount, Double maxDemographicParityDifference, Double minDemographicParityRatio, Double maxEqualOpportunityDifference,
    Double maxEqualizedOddsDifference) {
  /** The default of {@code min-group-count}. */
  public static final int MIN_GROUP_COUNT_DEFAULT = 50;
  /** The default of {@code min-class-count}. */
  public static final int MIN_CLASS_COUNT_DEFAULT = 10;

  public FairnessSpec {
    require("attributes", attributes);
    if (attributes.isEmpty()) {
      throw new ConfigValueException("attributes", "needs at least one column, for example [segment]");
    }
    attributes = List.copyOf(attributes);
    if (new HashSet<>(attributes).size() != attributes.size()) {
      throw new ConfigValueException("attributes", "names a column twice: " + attributes);
    }
    modelInputs = modelInputs == null ? List.of() : List.copyOf(modelInputs);
    for (int i = 0; i < modelInputs.size(); i++) {
      if (!attributes.contains(modelInputs.get(i))) {
        throw new ConfigValueException("model-inputs[" + i + "]", modelInputs.get(i) + " is not one of the attributes "
            + attributes);
      }
    }
    minGroupCount = minGroupCount == null ? MIN_GROUP_COUNT_DEFAULT : minGroupCount;
    if (minGroupCount < 1) {
      throw new ConfigValueException("min-group-count", "expected a number of rows at least 1, got " + minGroupCount);
    }
    minClassCount = minClassCount == null ? MIN_CLASS_COUNT_DEFAULT : minClassCount;
    if (minClassCount < 1) {
      throw new ConfigValueException("min-class-count", "expected a number of rows at least 1, got " + minClassCount);
    }
    unitInterval("max-demographic-parity-difference", maxDemographicParityDifference);
    unitInterval("min-demographic-parity-ratio", minDemographicParityRatio);
    unitInterval("max-equal-opportunity-difference", maxEqualOpportunityDifference);
    unitInterval("max-equalized-odds-difference", maxEqualizedOddsDifference);
  }

  /** The attributes the model must not use as inputs. */
  public Set<String> excludedInputs() {
    Set<String> excluded = new HashSet<>(attributes);
    modelInputs.forEach(excluded::remove);
    return excluded;
  }

  private static void unitInterval(String key, Double value) {
    if (value != null && !(value >= 0 && value <= 1)) {
      throw new ConfigValueException(key, "expected a number in [0, 1], got " + value);
    }
  }
}
