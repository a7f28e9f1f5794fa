package dev.mlops.training.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Reading model specs: the problems of independent keys reported at once, each with its key path. */
class ModelSpecLoaderTest {
  static final String FILE = "conf/models/fraud.yaml";
  static final String SPEC = """
      name: fraud
      feature-service: {name: fraud_detection, version: 1}
      spine: {table: raw.transactions, keys: [transaction_id], event-time: event_ts, label: is_fraud}
      split: {fractions: {train: 0.6, validation: 0.2, test: 0.2}}
      algorithm: {type: gbt, params: {maxIter: 20}}
      slices: [channel]
      """;

  static ModelSpecLoader.LoadedSpec parse(String text) {
    return new ModelSpecLoader(k -> null).parse(text, FILE);
  }

  @Test
  void anUnknownAlgorithmAndABadSplitFractionAreReportedTogether() {
    assertThatThrownBy(() -> parse(SPEC.replace("test: 0.2", "test: lots").replace("type: gbt", "type: xgboost")))
        .isInstanceOf(ConfigException.class).hasMessage(FILE + " has 2 problems:\n"
            + "  " + FILE + ": split.fractions.test: expected a number, got \"lots\"\n"
            + "  " + FILE + ": algorithm.type: unknown algorithm \"xgboost\"; one of logistic_regression, random_forest,"
            + " gbt");
  }

  @Test
  void everyIndependentKeyIsCheckedOnItsOwnAndEachListElementToo() {
    assertThatThrownBy(() -> parse(SPEC.replace("fractions: {train: 0.6, validation: 0.2, test: 0.2}", "fractions: {train: 1.0}")
        .replace("slices: [channel]", "slices: [channel, [country]]\nseeds: 3\ngate: {min: {auc: 0.8}}")))
        .isInstanceOf(ConfigException.class).hasMessage(FILE + " has 4 problems:\n"
            + "  " + FILE + ": split.fractions: expected the keys train, validation and test, got [train]\n"
            + "  " + FILE + ": slices[1]: expected a string, got a list\n"
            + "  " + FILE + ": seeds: unknown key (expected one of: algorithm, categorical, class-weight, description,"
            + " feature-service, features, gate, limitations, name, owner, promotion, scoring, seed, slices, spine, split,"
            + " threshold); did you mean \"seed\"?\n"
            + "  " + FILE + ": gate.min.auc: unknown metric; one of roc_auc, pr_auc, log_loss, f1, precision, recall,"
            + " accuracy");
  }

  @Test
  void theChecksThatRelateKeysRunOnceEveryKeyIsValidAndStopAtTheFirst() {
    String badPromotion = SPEC + "promotion: sometimes\nthreshold: high\n";
    assertThatThrownBy(() -> parse(badPromotion.replace("type: gbt", "type: xgboost")))
        .as("a key's own problem first").hasMessage(FILE + ": algorithm.type: unknown algorithm \"xgboost\"; one of"
            + " logistic_regression, random_forest, gbt");
    assertThatThrownBy(() -> parse(badPromotion))
        .hasMessage(FILE + ": threshold: expected a number in (0, 1) or max-f1, got \"high\"");
  }

  @Test
  void aValidSpecLoadsWithItsText() {
    ModelSpecLoader.LoadedSpec loaded = parse(SPEC);
    assertThat(loaded.spec().algorithm().type()).isEqualTo("gbt");
    assertThat(loaded.spec().slices()).containsExactly("channel");
    assertThat(loaded.recorded().text()).isEqualTo(SPEC);
    assertThat(loaded.error("split", "is wrong").getMessage()).isEqualTo(FILE + ": split: is wrong");
  }
}
