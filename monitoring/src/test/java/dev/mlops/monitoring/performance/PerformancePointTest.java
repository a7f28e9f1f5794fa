package dev.mlops.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PerformancePointTest {

  @Test
  void aPendingDayMayHaveNoValueYet() {
    PerformancePoint p = new PerformancePoint("2026-11-09", 0.1, "auc", Double.NaN, PerformanceStatus.PENDING);
    assertThat(p.value()).as("no value yet").isNaN();
  }

  @Test
  void aCoverageOutsideZeroToOneOrNoStatusIsRefused() {
    assertThatThrownBy(() -> new PerformancePoint("2026-11-09", 1.2, "auc", 0.9, PerformanceStatus.OK))
        .as("coverage 1.2").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2")
        .hasMessageContaining("2026-11-09");
    assertThatThrownBy(() -> new PerformancePoint("2026-11-09", Double.NaN, "auc", 0.9, PerformanceStatus.OK))
        .as("coverage NaN").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PerformancePoint("2026-11-09", 0.5, "auc", 0.9, null)).as("no status")
        .isInstanceOf(NullPointerException.class);
  }
}
