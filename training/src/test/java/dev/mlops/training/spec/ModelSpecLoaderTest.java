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
            + " fairness, feature-service, features, gate, limitations, monitoring, name, owner, promotion, scoring, seed,"
            + " slices, spine,"
            + " split, threshold); did you mean \"seed\"?\n"
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
  void explanationsAreRefusedForAnAlgorithmThatIsNotATreeEnsemble() {
    String explained = SPEC + "scoring: {query: \"SELECT * FROM raw.transactions WHERE date = DATE'{date}'\", explain: top-3}\n";
    assertThat(parse(explained).spec().scoring().explainTop()).isEqualTo(3);
    assertThat(parse(explained.replace("type: gbt", "type: random_forest")).spec().scoring().explainTop()).isEqualTo(3);
    assertThatThrownBy(() -> parse(explained.replace("type: gbt, params: {maxIter: 20}", "type: logistic_regression")))
        .isInstanceOf(ConfigException.class).hasMessage(FILE + ": scoring.explain: TreeSHAP explains tree ensembles (gbt,"
            + " random_forest) and algorithm.type is logistic_regression; set scoring.explain: none, or train a tree"
            + " ensemble");
    assertThat(parse(explained.replace("type: gbt, params: {maxIter: 20}", "type: logistic_regression")
        .replace("explain: top-3", "explain: none")).spec().scoring().explainTop()).isZero();
  }

  @Test
  void theMonitoringSectionIsCheckedWithTheRestAndItsMetricDefaultsToTheGates() {
    String monitoring = """
        monitoring:
          labels:
            query: SELECT transaction_id, reported_ts AS arrived_at, 1 AS label FROM raw.fraud_labels
            keys: [transaction_id]
            label: label
            arrived-at: arrived_at
            unlabelled: negative
          label-delay: 20d
        """;
    ModelSpec spec = parse(SPEC + monitoring + "gate: {champion-metric: roc_auc}\n").spec();
    assertThat(spec.monitoring().delay()).as("label-delay").isEqualTo(java.time.Duration.ofDays(20));
    assertThat(spec.monitoring().labels().unlabelledNegative()).isTrue();
    assertThat(spec.monitoring().maxDrop()).as("max-drop's default").isEqualTo(0.1);
    assertThat(spec.monitoredMetric()).as("the gate's champion metric by default").isEqualTo("roc_auc");
    assertThat(parse(SPEC).spec().monitoredMetric()).as("else the selection metric").isEqualTo("pr_auc");
    assertThat(parse(SPEC).spec().monitoring()).as("the section is optional").isNull();

    assertThatThrownBy(() -> parse(SPEC.replace("type: gbt", "type: xgboost") + monitoring.replace("negative", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessage(FILE + " has 2 problems:\n"
            + "  " + FILE + ": algorithm.type: unknown algorithm \"xgboost\"; one of logistic_regression, random_forest,"
            + " gbt\n"
            + "  " + FILE + ": monitoring.labels.unlabelled: expected negative or unknown, got \"maybe\"");
    assertThatThrownBy(() -> parse(SPEC + monitoring.replace("label-delay: 20d", "max-drop: 0.2")))
        .hasMessage(FILE + ": monitoring.label-delay: is required with monitoring.labels: how long after a day its labels"
            + " are complete, for example 20d");
    assertThatThrownBy(() -> parse(SPEC + monitoring.replace("20d", "twenty days")))
        .hasMessage(FILE + ": monitoring.label-delay: expected a positive duration such as 20d, 36h or 2w, got"
            + " \"twenty days\"");
    assertThatThrownBy(() -> parse(SPEC + monitoring + "  metric: auc\n"))
        .hasMessageStartingWith(FILE + ": monitoring.metric: unknown metric \"auc\"; one of roc_auc, pr_auc");
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
