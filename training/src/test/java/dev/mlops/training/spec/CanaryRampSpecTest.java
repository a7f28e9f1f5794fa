package dev.mlops.training.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A variant's ramp in the spec: its defaults, and each problem with its key path. */
class CanaryRampSpecTest {
  static final String FILE = ModelSpecLoaderTest.FILE;

  static ModelSpec parse(String variants) {
    return ModelSpecLoaderTest.parse(ModelSpecLoaderTest.SPEC + """
        scoring:
          query: SELECT * FROM raw.t WHERE date = DATE'{date}'
          ab:
            key: customer_id
            salt: s
            variants:
        """ + variants).spec();
  }

  @Test
  void aRampedVariantStartsAtItsFirstStepWithItsGuard() {
    ModelSpec.VariantSpec v = parse("      - {name: canary, model: Staging, ramp: [0.05, 0.2, 1.0], guard: {metric: pr_auc}}\n")
        .scoring().ab().variants().get(0);
    assertThat(v.ramped()).isTrue();
    assertThat(v.share()).as("the first step").isEqualTo(0.05);
    assertThat(v.guard().maxDrop()).as("default").isEqualTo(0.02);
    assertThat(v.minLabelledRows()).as("default").isEqualTo(100);
  }

  @Test
  void badRampsAreNamedWithTheirKeyPath() {
    String at = FILE + ": scoring.ab.variants[0].";
    assertThatThrownBy(() -> parse("      - {name: c, model: Staging, ramp: [0.2, 0.1], guard: {metric: roc_auc}}\n"))
        .hasMessage(at + "ramp[1]: steps must increase within (0, 1], got [0.2, 0.1]");
    assertThatThrownBy(() -> parse("      - {name: c, model: Staging, ramp: [0.1, 0.5]}\n"))
        .hasMessageStartingWith(at + "guard: is required with a ramp");
    assertThatThrownBy(() -> parse("      - {name: c, model: Staging, ramp: [0.1], guard: {metric: f1}}\n"))
        .hasMessageStartingWith(at + "guard.metric: expected one of roc_auc, pr_auc, log_loss");
    assertThatThrownBy(() -> parse("      - {name: c, model: Staging, share: 0.2, ramp: [0.1], guard: {metric: roc_auc}}\n"))
        .hasMessageStartingWith(at + "share: with a ramp the share is its first step 0.1");
    assertThatThrownBy(() -> parse("      - {name: c, model: Staging, ramp: [0.1], guard: {metric: roc_auc}}\n"
        + "      - {name: b, model: Staging, share: 0.1}\n"))
        .hasMessageStartingWith(FILE + ": scoring.ab.variants[0]: a ramped variant must be listed last");
  }
}
