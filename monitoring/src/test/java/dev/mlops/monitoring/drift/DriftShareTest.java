package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Dataset drift: the share of drifted features among those judged. */
class DriftShareTest {

  static DriftResult result(DriftStatus status) {
    return new DriftResult("psi", status, 0.0, OptionalDouble.empty(), OptionalDouble.empty(), Map.of(),
        new DriftDetails.InsufficientData("fixture"));
  }

  @Test
  void shareCountsDriftedAmongJudgedFeaturesAndNamesThem() {
    Map<String, DriftResult> byFeature = new LinkedHashMap<>();
    byFeature.put("age", result(DriftStatus.DRIFT));
    byFeature.put("amount", result(DriftStatus.WARN));
    byFeature.put("country", result(DriftStatus.INSUFFICIENT));
    byFeature.put("device", result(DriftStatus.DRIFT));
    byFeature.put("hour", result(DriftStatus.OK));
    DriftShare share = DriftShare.of(byFeature, DriftThresholds.defaults());
    assertThat(share.share()).as("2 drifted of 4 judged").isEqualTo(0.5);
    assertThat(share.insufficient()).as("insufficient").isEqualTo(1);
    assertThat(share.driftedFeatures()).as("drifted").containsExactly("age", "device");
    assertThat(share.status()).as("0.5 reaches the default 0.5").isEqualTo(DriftStatus.DRIFT);
    assertThat(DriftShare.of(byFeature, DriftThresholds.defaults().withDriftShare(0.6)).status())
        .as("below a 0.6 threshold").isEqualTo(DriftStatus.OK);
  }

  @Test
  void noJudgedFeatureIsInsufficient() {
    DriftShare share = DriftShare.of(Map.of("a", result(DriftStatus.INSUFFICIENT)), DriftThresholds.defaults());
    assertThat(share.status()).as("status").isEqualTo(DriftStatus.INSUFFICIENT);
    assertThat(share.share()).as("share").isNaN();
  }
}
