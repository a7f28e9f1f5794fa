package dev.mlops.training.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The spec's fairness section: its defaults, and each problem with its file and key path. */
class FairnessSpecTest {
  static final String FILE = ModelSpecLoaderTest.FILE;
  static final String SPEC = ModelSpecLoaderTest.SPEC.replace("label: is_fraud}",
      "label: is_fraud, request-features: [amount]}");

  static ModelSpec parse(String text) {
    return ModelSpecLoaderTest.parse(text).spec();
  }

  @Test
  void theSectionReadsWithItsDefaults() {
    FairnessSpec f = parse(SPEC + "fairness: {attributes: [segment, country], min-demographic-parity-ratio: 0.8}\n")
        .fairness();
    assertThat(f.attributes()).containsExactly("segment", "country");
    assertThat(f.minGroupCount()).as("default").isEqualTo(50);
    assertThat(f.minClassCount()).as("default").isEqualTo(10);
    assertThat(f.minDemographicParityRatio()).isEqualTo(0.8);
    assertThat(f.maxDemographicParityDifference()).as("not gated").isNull();
    assertThat(f.excludedInputs()).containsExactlyInAnyOrder("segment", "country");
    assertThat(parse(SPEC).fairness()).as("optional").isNull();
  }

  @Test
  void eachProblemIsNamedWithItsKeyPathAndReportedWithTheOthers() {
    assertThatThrownBy(() -> parse(SPEC.replace("type: gbt", "type: xgb") + """
        fairness:
          attributes: [segment]
          model-inputs: [country]
          max-equalized-odds-difference: 1.5
        """)).isInstanceOf(ConfigException.class).hasMessage(FILE + " has 2 problems:\n"
        + "  " + FILE + ": algorithm.type: unknown algorithm \"xgb\"; one of logistic_regression, random_forest, gbt\n"
        + "  " + FILE + ": fairness.model-inputs[0]: country is not one of the attributes [segment]");
    assertThatThrownBy(() -> parse(SPEC + "fairness: {attributes: [segment], max-equalized-odds-difference: 1.5}\n"))
        .hasMessage(FILE + ": fairness.max-equalized-odds-difference: expected a number in [0, 1], got 1.5");
    assertThatThrownBy(() -> parse(SPEC + "fairness: {attributes: [], min-group-count: 0}\n"))
        .hasMessage(FILE + ": fairness.attributes: needs at least one column, for example [segment]");
    assertThatThrownBy(() -> parse(SPEC + "fairness: {attributes: [segment], min-group-count: 0}\n"))
        .hasMessage(FILE + ": fairness.min-group-count: expected a number of rows at least 1, got 0");
    assertThatThrownBy(() -> parse(SPEC + "fairness: {attributes: [segment], min-class-count: 0}\n"))
        .hasMessage(FILE + ": fairness.min-class-count: expected a number of rows at least 1, got 0");
    assertThatThrownBy(() -> parse(SPEC + "fairness: {attributes: [segment], max-parity: 0.1}\n"))
        .hasMessageStartingWith(FILE + ": fairness.max-parity: unknown key (expected one of: attributes,");
  }

  @Test
  void aProtectedAttributeIsNeverAModelInputUnlessTheSpecSaysSo() {
    assertThatThrownBy(() -> parse(SPEC + "fairness: {attributes: [segment, amount]}\n"))
        .hasMessage(FILE + ": fairness.attributes[1]: amount is also a model input (spine.request-features); a protected"
            + " attribute is never an input unless fairness.model-inputs lists it: remove it from spine.request-features,"
            + " or add it to fairness.model-inputs");
    assertThatThrownBy(() -> parse(SPEC + "features: [segment]\nfairness: {attributes: [segment]}\n"))
        .hasMessageContaining("fairness.attributes[0]: segment is also a model input (features)");
    FairnessSpec allowed = parse(SPEC + "fairness: {attributes: [segment, amount], model-inputs: [amount]}\n").fairness();
    assertThat(allowed.excludedInputs()).containsExactly("segment");
  }
}
