package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.PlatformException;
import org.junit.jupiter.api.Test;

/** Thresholds: defaults, changed copies, refused values. */
class DriftThresholdsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    assertThat(DriftThresholds.defaults()).as("defaults")
        .isEqualTo(new DriftThresholds(0.1, 0.2, 0.05, 0.1, 0.05, 0.1, 0.1, 0.2, 0.5));
  }

  @Test
  void withMethodsChangeOnlyTheirMetric() {
    DriftThresholds t = DriftThresholds.defaults().withPsi(0.2, 0.3).withKs(0.01, 0.2).withChiSquared(0.001, 0.05)
        .withJensenShannon(0.1, 0.2).withDriftShare(0.3);
    assertThat(t).as("changed").isEqualTo(new DriftThresholds(0.2, 0.3, 0.01, 0.2, 0.001, 0.05, 0.1, 0.2, 0.3));
    assertThat(DriftThresholds.defaults().withPsi(0.2, 0.3).ksAlpha()).as("KS untouched").isEqualTo(0.05);
  }

  @Test
  void warnAboveAlertIsRefused() {
    assertThatThrownBy(() -> DriftThresholds.defaults().withPsi(0.3, 0.2)).as("PSI warn 0.3, alert 0.2")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot use drift thresholds for PSI: warn 0.3 is above alert 0.2; set warn at most alert "
            + "(for example warn 0.1, alert 0.2)");
  }

  @Test
  void alphaOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> DriftThresholds.defaults().withKs(5, 0.1)).as("alpha 5")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot use drift threshold ks.alpha = 5.0: an alpha is a probability in (0, 1), such as 0.05");
  }

  @Test
  void shareOfZeroIsRefused() {
    assertThatThrownBy(() -> DriftThresholds.defaults().withDriftShare(0)).as("share 0")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot use drift threshold drift_share = 0.0: a share of features is in (0, 1]; the default is 0.5");
  }

  @Test
  void negativeLevelIsRefused() {
    assertThatThrownBy(() -> DriftThresholds.defaults().withPsi(-0.1, 0.2)).as("PSI warn -0.1")
        .isInstanceOf(PlatformException.class)
        .hasMessage("Cannot use drift threshold psi.warn = -0.1: a level is a finite number >= 0, such as 0.1");
  }
}
